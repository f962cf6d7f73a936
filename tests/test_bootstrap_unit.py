"""bootstrap.py's pure parts: it must agree with the package."""

import importlib.util

from buildout_mirrors.core import options
from conftest import CHECKOUT


def load_bootstrap():
    spec = importlib.util.spec_from_file_location(
        "bootstrap", CHECKOUT / "bootstrap.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_builtin_mirrors_agree_with_the_package():
    assert load_bootstrap().BUILTIN_MIRRORS == options.builtin_mirrors()


def test_config_reading_follows_extends_and_plus_equals(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "base.cfg").write_text(
        "[buildout]\nmirrors = https://a.example/simple\n"
        "[versions]\nzc.buildout = 6.0.1\n")
    (tmp_path / "buildout.cfg").write_text(
        "[buildout]\nextends = base.cfg\n"
        "mirrors += https://b.example/simple  # the company devpi\n"
        "find-links = ${buildout:directory}/wheels\n"
        "[versions]\nSetupTools = 80.9.0\n")
    buildout, pins = load_bootstrap().read_config(str(tmp_path / "buildout.cfg"))
    assert buildout["mirrors"].split() == ["https://a.example/simple",
                                           "https://b.example/simple"]
    assert buildout["find-links"] == str(tmp_path / "wheels")
    assert pins == {"zc-buildout": "6.0.1", "setuptools": "80.9.0"}


def test_redact():
    assert load_bootstrap().redact("https://u:p@h/simple") == "https://***@h/simple"


def test_names_from_a_malicious_page_are_one_segment(pypi_mirror):
    import time
    from faulty import FaultyMirror
    bootstrap = load_bootstrap()
    with FaultyMirror(pypi_mirror.url, "malicious-names") as malicious:
        files, _ = bootstrap.read_page(malicious.url + "/pip/",
                                       time.monotonic() + 10)
    assert files and all("/" not in name and not name.startswith(".")
                         for name in files)
    assert bootstrap.safe_file_name("pip-26.3-py3-none-any.whl")
    for name in ("../../../escaped/pip-26.3-py3-none-any.whl",
                 "/etc/pip-26.3-py3-none-any.whl", "..", ".hidden.whl",
                 "pip.exe"):
        assert not bootstrap.safe_file_name(name), name


def test_newest_release_wins_over_a_complete_stale_list():
    bootstrap = load_bootstrap()
    key = bootstrap.version_key
    assert key("6.0.10") > key("6.0.9") > key("6.0rc1") > key("6.0b2")
    assert key("1.0.post1") > key("1.0") == key("1.0.0") > key("1.0.dev1")
    assert bootstrap.newest_version(["zc.buildout-6.0.0.tar.gz",
                                     "zc_buildout-6.0.1-py3-none-any.whl"]) \
        == "6.0.1"


def test_a_state_file_that_is_no_object_is_replaced(tmp_path):
    bootstrap = load_bootstrap()
    path = tmp_path / "state.json"
    for text in ("[]", "null", '{"format": 1, "mirrors": [], "choices": {}}'):
        path.write_text(text)
        bootstrap.record_choice(str(path), ["https://a/simple"], {
            "https://a/simple": (0.01, True, "", {}, None)},
            "https://a/simple")
        from buildout_mirrors.core import state
        assert state.validated(__import__("json").loads(
            path.read_text()))[0]["choices"], text


def test_a_newer_state_format_is_left_alone(tmp_path):
    bootstrap = load_bootstrap()
    path = tmp_path / "state.json"
    path.write_text('{"format": 7}')
    bootstrap.record_choice(str(path), ["https://a/simple"], {
        "https://a/simple": (0.01, True, "", {}, None)}, "https://a/simple")
    assert path.read_text() == '{"format": 7}'


def test_the_pins_pip_gets_leave_out_what_it_cannot_read(tmp_path):
    path = load_bootstrap().write_constraints({
        "zope-interface": "7.2", "packaging": " 24.2 ",
        "zc-buildout": "4.2.0", "buildout-mirrors": "1.0.0",
        "plone": "${versions:plone}", "odd": "1.0 ; rm -rf"},
        str(tmp_path / "pins.txt"))
    assert open(path).read() == "packaging==24.2\nzope-interface==7.2\n"


def test_bootstrap_reads_the_extends_copies_bin_buildout_saves():
    from buildout_mirrors.buildout import extends_guard
    url = "https://dist.plone.org/release/6.1.5/versions.cfg"
    bootstrap = load_bootstrap()
    assert bootstrap.saved_copy(url) == extends_guard.ExtendsGuard(
        ).copy_of(url)
    assert bootstrap.EXTENDS_TIMEOUT_WITH_COPY == \
        extends_guard.WAIT_WITH_COPY
    assert bootstrap.EXTENDS_TIMEOUT == extends_guard.WAIT_WITHOUT_COPY
