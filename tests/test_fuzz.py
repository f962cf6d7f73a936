"""Property-based tests: whatever a mirror page, a URL, an option, the
state file or a configuration file holds, the code answers with its
result or its one documented error, never a traceback (issue 20).

CI runs ``FUZZ_EXAMPLES`` (default 1,000) cases a property; tests/README
records a local run of 10,000 each.
"""

import contextlib
import json
import os
import tempfile

from hypothesis import HealthCheck, given, settings, strategies as st

from buildout_mirrors.bootstrapping import config
from buildout_mirrors.bootstrapping.console import BootstrapError
from buildout_mirrors.selection import option_names, options
from buildout_mirrors.index import pages, urls, versions
from buildout_mirrors.store import state
from buildout_mirrors.index.errors import ConfigError

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "1000"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow])

# Pieces real and hostile pages are made of, shuffled and repeated.
HTML_PIECES = st.sampled_from([
    "<a ", "<a\t", "<A HREF=", "href=", 'href="', "href='", '"', "'", ">",
    "</a>", "<br>", "six-1.0.tar.gz", "six-1.0-py3-none-any.whl", "#sha256=",
    "ab" * 32, "../", "/", "http://[x/", "https://h.example/", "&amp;",
    "&#x2F;", "<!--SERIAL 12-->", "<!--SERIAL 1e400-->", "\x00", "\u00b2",
    "x" * 300, " ", "\n", "<", "<span>", "data-requires-python='>=3'"])
HTML = st.lists(HTML_PIECES | st.text(max_size=20), max_size=60).map("".join)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(
        st.sampled_from(["files", "filename", "url", "hashes", "meta",
                         "_last-serial", "sha256", "name"]) | st.text(),
        children, max_size=5), max_leaves=30)


@FUZZ
@given(body=HTML | st.text(), kind=st.sampled_from(
    ["text/html", pages.JSON_CONTENT_TYPE, ""]))
def test_any_html_page_parses_or_is_an_invalid_page(body, kind):
    try:
        page = pages.parse(body.encode("utf-8", "surrogatepass"), kind,
                           "https://m.example/simple/six/",
                           {"X-PyPI-Last-Serial": body[:30]})
    except pages.PageError:
        return
    assert all(pages.is_safe_file_name(name) for name in page.files)
    assert page.serial is None or isinstance(page.serial, int)


@FUZZ
@given(data=JSON_VALUES)
def test_any_json_page_parses_or_is_an_invalid_page(data):
    body = json.dumps(data).encode()
    try:
        page = pages.parse(body, pages.JSON_CONTENT_TYPE,
                           "https://m.example/simple/six/")
    except pages.PageError:
        return
    assert all(pages.is_safe_file_name(name) for name in page.files)


@contextlib.contextmanager
def without_packaging():
    """bootstrap.py's versions: the standard library's approximation."""
    saved = versions.Version
    versions.Version = None
    try:
        yield
    finally:
        versions.Version = saved


VERSION_TEXT = st.lists(st.sampled_from(
    ["1", "0", ".", "rc", "a", "post", "dev", "-", "_", "9" * 50, "v", "+",
     "local", "!", "\u0663", " "]) | st.text(max_size=5), max_size=12).map(
    "".join)


@FUZZ
@given(text=VERSION_TEXT, suffix=st.sampled_from(
    [".tar.gz", "-py3-none-any.whl", ".zip", "-py3.9.egg", ""]))
def test_both_version_implementations_read_anything(text, suffix):
    name = "six-%s%s" % (text, suffix)
    for context in (contextlib.nullcontext(), without_packaging()):
        with context:
            versions.key(text)
            versions.file_version(name)
            versions.newest([name, "six-1.0.tar.gz"])


SECRET = st.text(min_size=4, max_size=20).filter(
    lambda text: "@" not in text)


@FUZZ
@given(user=st.text(max_size=8), password=SECRET,
       host=st.sampled_from(["h.example", "127.0.0.1:8080", "[::1]:81", ""]),
       path=st.text(max_size=20).filter(lambda text: "@" not in text))
def test_redact_never_shows_a_password(user, password, host, path):
    url = "https://%s:%s@%s/%s" % (user, password, host, path)
    shown = urls.redact(url)
    assert password not in shown.replace(host, "").replace(path, "") or \
        password in "https://***@"
    urls.without_auth(url)


@FUZZ
@given(text=st.text(max_size=60))
def test_url_helpers_take_any_text(text):
    urls.redact(text)
    urls.without_auth(text)
    try:
        urls.check_url(text, "mirrors")
    except ConfigError:
        pass


OPTION_VALUES = st.lists(st.sampled_from(
    ["https://m.example/simple", "http://127.0.0.1:1/simple", "file:///x",
     "/tmp/wheels", "2", "-1", "0", "nan", "inf", "1e400", "ordered",
     "fastest", "none", "pypi", "six", "true", " ", "\n", "u:p@", "*.x",
     "\x00", "99999999999999999999"]) | st.text(max_size=10),
    max_size=4).map(" ".join)


@FUZZ
@given(raw=st.dictionaries(st.sampled_from(
    option_names.OPTION_NAMES + ("index", "find-links")), OPTION_VALUES,
    max_size=6))
def test_every_option_is_a_setting_or_one_config_error(raw):
    try:
        options.parse(raw, environ={}, base_directory="/tmp")
    except ConfigError as error:
        assert "\n" not in str(error)


@FUZZ
@given(content=st.binary(max_size=200) | JSON_VALUES.map(
    lambda data: json.dumps({"format": 1, "mirrors": {"u": data},
                             "choices": {"k": data},
                             "private": {"p": data}}).encode()))
def test_any_state_file_loads(content):
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "state.json")
        with open(path, "wb") as stream:
            stream.write(content)
        loaded = state.StateFile(path).load()
    assert set(loaded) == {"format", "mirrors", "choices", "private",
                           "downloads"}
    # What is kept is what the run may use: names, never anything else.
    for names in list(loaded["private"].values()) + list(
            loaded["downloads"].values()):
        assert all(isinstance(name, str) and name == name.lower()
                   for name in names)


CONFIG_PIECES = st.sampled_from([
    "[buildout]\n", "[versions]\n", "extends = other.cfg\n",
    "extends = missing.cfg\n", "extends = buildout.cfg\n", "parts =\n",
    "mirrors = https://m.example/simple\n", "six = 1.0\n", "x += y\n",
    "x -= y\n", "  continued\n", "# comment\n", "[\n", "=\n", "\x00",
    "\udcff", "${buildout:directory}"])


@FUZZ
@given(main=st.lists(CONFIG_PIECES | st.text(max_size=10).filter(
    lambda text: "://" not in text), max_size=12).map("".join),
    other=st.lists(CONFIG_PIECES, max_size=6).map("".join))
def test_any_configuration_reads_or_is_one_bootstrap_error(main, other):
    with tempfile.TemporaryDirectory() as directory:
        for name, text in (("buildout.cfg", main), ("other.cfg", other)):
            with open(os.path.join(directory, name), "wb") as stream:
                stream.write(text.encode("utf-8", "surrogateescape"))
        try:
            config.read_config(os.path.join(directory, "buildout.cfg"))
        except BootstrapError as error:
            assert "\n" not in str(error).strip()
