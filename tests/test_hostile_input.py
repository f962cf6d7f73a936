"""Unit tests: what a hostile mirror page, a broken state file or a
planted folder can do costs one warning, never a traceback, and never
more time than the page's size."""

import json
import os
import time

import pytest

from buildout_mirrors.selection import options
from buildout_mirrors.index import pages, urls, versions
from buildout_mirrors.store import paths, state
from buildout_mirrors.index.errors import ConfigError


# -- pages ------------------------------------------------------------------

def _parse_seconds(body):
    started = time.perf_counter()
    try:
        pages.parse(body, "text/html", "https://m.example/simple/x/")
    except pages.PageError:
        pass
    return time.perf_counter() - started


@pytest.mark.parametrize("shape", [
    '<a href="x-1.0.tar.gz">', "<a ", '<a href="', "<a href='x",
    '<a href="a-1.tar.gz">x</span>'])
def test_parsing_grows_linearly_with_the_page(shape):
    """The 1.0 regex took 58 s for 8,000 unclosed anchors (288 KB).  Eight
    times the page may cost at most about eight times the time (a
    quadratic parser costs 64 times)."""
    small = _parse_seconds((shape * 5000).encode())
    large = _parse_seconds((shape * 40000).encode())
    assert large < max(small, 0.005) * 20 and large < 2.0


def test_anchors_still_read_every_pep_503_shape():
    body = (b'<a href="../../packages/six-1.16.0.tar.gz#sha256=AB">'
            b'six-1.16.0.tar.gz</a><br><A HREF=six-1.0.zip>six-1.0.zip</A>\n'
            b"<a data-x='1' href='six-1.1-py3-none-any.whl'>six-1.1-py3-none"
            b"-any.whl</a><!--SERIAL 12-->")
    page = pages.parse(body, "text/html", "https://m.example/simple/six/")
    assert page.files == {
        "six-1.16.0.tar.gz":
            "https://m.example/packages/six-1.16.0.tar.gz#sha256=AB",
        "six-1.0.zip": "https://m.example/simple/six/six-1.0.zip",
        "six-1.1-py3-none-any.whl":
            "https://m.example/simple/six/six-1.1-py3-none-any.whl"}
    assert page.serial == 12


def test_a_link_that_is_no_url_is_skipped():
    body = (b'<a href="http://[x/y-1.0.tar.gz">y-1.0.tar.gz</a>'
            b'<a href="y-2.0.tar.gz">y-2.0.tar.gz</a>')
    assert list(pages.parse(body, "text/html", "https://m.example/s/y/")
                .files) == ["y-2.0.tar.gz"]


@pytest.mark.parametrize("body", [b"[" * 100000, b'{"files": ' * 50000])
def test_deeply_nested_json_is_an_invalid_page(body):
    with pytest.raises(pages.PageError):
        pages.parse(body, pages.JSON_CONTENT_TYPE, "https://m.example/s/y/")


@pytest.mark.parametrize("value", ["\u00b2", "\u0663", "1" + "0" * 400,
                                   "-1", "1e3", " 12 x"])
def test_a_serial_header_that_is_no_number_is_none(value):
    assert pages.as_serial(value) is None


def test_a_5000_digit_version_sorts_as_unreadable_in_both_implementations(
        monkeypatch):
    names = ["x-" + "9" * 5000 + ".tar.gz", "x-1.0.tar.gz"]
    assert versions.newest(names) == "1.0"
    monkeypatch.setattr(versions, "Version", None)  # bootstrap.py's code
    assert versions.newest(names) == "1.0"


# -- urls -------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "https://u:pa/ss@h.example/simple", "https://u:p?ss@h.example/simple",
    "https://u:p#ss@h.example/simple", "https://u:p@ss@h.example/simple",
    "https://u%40x:pass@h.example:8443/simple"])
def test_redact_hides_everything_before_the_last_at(url):
    shown = urls.redact(url)
    assert "ss" not in shown.split("@")[0] and shown.startswith("https://***@")
    assert "ss" not in urls.without_auth(url).split("h.example")[0]


def test_a_raw_slash_in_a_password_is_a_config_error_that_hides_it():
    with pytest.raises(ConfigError) as error:
        urls.check_url("https://u:se/cret@h.example/simple", "mirrors")
    assert "percent-encode" in str(error.value)
    assert "cret" not in str(error.value)


def test_credentials_go_only_to_their_own_scheme_host_and_port():
    mirrors = ["http://127.0.0.1:81/simple",
               "https://user:pw@127.0.0.1:82/simple"]
    assert urls.with_auth_of("http://127.0.0.1:82/packages/x.whl",
                             mirrors) == "http://127.0.0.1:82/packages/x.whl"
    assert urls.with_auth_of("https://127.0.0.1:83/x.whl", mirrors) == \
        "https://127.0.0.1:83/x.whl"
    assert urls.with_auth_of("https://127.0.0.1:82/x.whl", mirrors) == \
        "https://user:pw@127.0.0.1:82/x.whl"
    assert urls.with_auth_of("https://h.example:443/x.whl",
                             ["https://u:p@h.example/simple"]) == \
        "https://u:p@h.example:443/x.whl"


# -- the state file ---------------------------------------------------------

GOOD_RECORD = {"checked": 1.0, "ok": True, "elapsed": 0.1, "reason": "",
               "serial": None, "lag": ""}


@pytest.mark.parametrize("content", [
    b"\xff\xfe{not utf-8", b"[" * 100000, b'{"format": 1, "mirrors": {'])
def test_a_state_file_of_any_bytes_warns_once_and_is_replaced(
        tmp_path, caplog, content):
    path = tmp_path / "state.json"
    path.write_bytes(content)
    store = state.StateFile(str(path))
    assert store.load() == state.empty()
    assert "corrupt" in caplog.text and "Traceback" not in caplog.text
    assert store.update(lambda data: None)
    assert json.loads(path.read_text()) == state.empty()


@pytest.mark.parametrize("number", ["1" + "0" * 400, "1e400", "NaN",
                                    "-Infinity"])
def test_a_record_with_an_absurd_number_costs_only_itself(tmp_path, caplog,
                                                          number):
    path = tmp_path / "state.json"
    text = json.dumps({"format": 1, "choices": {}, "mirrors": {
        "https://good.example/simple": GOOD_RECORD,
        "https://bad.example/simple": dict(GOOD_RECORD, checked=0)}})
    path.write_text(text.replace('"checked": 0', '"checked": ' + number))
    loaded = state.StateFile(str(path)).load()
    assert list(loaded["mirrors"]) == ["https://good.example/simple"]
    assert "1 invalid entry" in caplog.text


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners")
def test_a_folder_writable_by_everyone_is_not_trusted(tmp_path, caplog):
    planted = tmp_path / "buildout-mirrors-1000"
    planted.mkdir()
    planted.chmod(0o777)
    forged = {"format": 1, "choices": {}, "mirrors": {
        "https://company.example/simple": dict(GOOD_RECORD, ok=False)}}
    (planted / "state.json").write_text(json.dumps(forged))
    os.symlink(tmp_path / "victim", planted / "state.json.lock")
    store = state.StateFile(str(planted / "state.json"))
    assert store.load() == state.empty()
    assert not store.update(lambda data: None)
    assert "not private" in caplog.text
    assert not (tmp_path / "victim").exists()
    assert paths.not_private(str(tmp_path)) == ""


def test_the_lock_file_is_never_followed_through_a_link(tmp_path):
    os.symlink(tmp_path / "victim", tmp_path / "state.json.lock")
    store = state.StateFile(str(tmp_path / "state.json"))
    assert not store.update(lambda data: None)
    assert not (tmp_path / "victim").exists()


def test_a_file_name_too_long_to_save_is_not_a_distribution():
    long_name = "six-1.0-py3-none-" + "x" * 300 + ".whl"
    body = ('<a href="%s">%s</a><a href="six-1.0.tar.gz">six-1.0.tar.gz</a>'
            % (long_name, long_name)).encode()
    assert list(pages.parse(body, "text/html", "https://m.example/s/six/")
                .files) == ["six-1.0.tar.gz"]


# -- a hostile page listed first --------------------------------------------

def hostile_page(size=300 * 1024):
    """An index whose every project page is *size* bytes of unclosed
    anchors (the 1.0 parser took minutes on 300 KB of them)."""
    import servers
    body = (b'<a href="x' * (size // 10))[:size]
    return servers.Answering(lambda path: (
        200, {"Content-Type": "text/html"}, body))


def test_a_hostile_page_listed_first_costs_at_most_the_deadline(
        pypi_mirror, monkeypatch):
    from buildout_mirrors.selection.selector import MirrorSelector
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    with hostile_page() as hostile:
        settings = options.parse({
            "mirrors": "%s %s" % (hostile.url, pypi_mirror.url),
            "mirrors-timeout": "2", "mirrors-grace": "5",
            "mirrors-cache": "none"}, base_directory=".")
        started = time.monotonic()
        selection = MirrorSelector(settings).select()
        elapsed = time.monotonic() - started
        assert hostile.requests
    assert elapsed < 2 + 1.0, elapsed
    assert selection.chosen == pypi_mirror.url, selection.detail_lines()


# -- bootstrap.py's input ---------------------------------------------------

@pytest.mark.parametrize("content, message", [
    (b"[buildout]\nextends = missing.cfg\n", "cannot read the configuration"),
    (b"[buildout]\nparts = \xff\xfe\n", "is not UTF-8 text (byte 19)"),
    (b"[buildout]\nmirrors = https://x\x00y/simple\n",
     "holds a NUL character (line 2)"),
])
def test_bootstrap_config_errors_are_one_line(tmp_path, content, message):
    from buildout_mirrors.bootstrapping import config
    from buildout_mirrors.bootstrapping.console import BootstrapError
    path = tmp_path / "buildout.cfg"
    path.write_bytes(content)
    with pytest.raises(BootstrapError) as error:
        config.read_config(str(path))
    assert message in str(error.value) and "\n" not in str(error.value)
