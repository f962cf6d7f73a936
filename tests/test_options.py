"""Unit tests: the one place that validates and types every option."""

import pytest

from buildout_mirrors.selection import candidates, option_names, options
from buildout_mirrors.store import paths
from buildout_mirrors.index.errors import ConfigError


def parse(environ=None, **raw):
    raw = {name.replace("_", "-"): value for name, value in raw.items()}
    raw.setdefault("mirrors-cache", "none")
    return options.parse(raw, environ=environ or {}, base_directory="/srv/b")


def test_defaults_are_index_then_builtin_mirrors():
    settings = parse(index="https://devpi.example/root/pypi/+simple/")
    assert settings.candidates[0] == "https://devpi.example/root/pypi/+simple"
    assert settings.candidates[1:] == candidates.builtin_mirrors()
    assert (settings.timeout, settings.policy, settings.probe_projects) == (
        2.0, "ordered", ("zc.buildout",))


def test_builtin_mirrors_start_with_pypi():
    assert candidates.builtin_mirrors()[0] == "https://pypi.org/simple"
    assert parse().candidates == candidates.builtin_mirrors()


def test_mirrors_keep_order_and_drop_duplicates():
    settings = parse(mirrors="https://b.example/simple/ https://a.example/simple"
                             "\n  https://b.example/simple")
    assert settings.candidates == ("https://b.example/simple",
                                   "https://a.example/simple")


def test_environment_override_wins():
    settings = parse(environ={"BUILDOUT_MIRRORS": "https://c.example/simple"},
                     mirrors="https://a.example/simple")
    assert settings.candidates == ("https://c.example/simple",)
    assert settings.candidates_from == "BUILDOUT_MIRRORS"


def test_environment_override_with_junk_names_the_variable():
    with pytest.raises(ConfigError, match=r"BUILDOUT_MIRRORS \(environment\)"):
        parse(environ={"BUILDOUT_MIRRORS": "not-a-url"})


def test_local_directory_becomes_file_url():
    assert parse(mirrors="./wheelhouse").candidates == (
        "file:///srv/b/wheelhouse",)


@pytest.mark.parametrize("value, message", [
    ("gopher://old.example/simple", "unknown scheme 'gopher'"),
    ("http://mirror.example/simple", "uses plain http"),
    ("https://host:notaport/simple", "is not a valid URL"),
    ("https:///simple", "has no host name"),
    ("mirror.example/simple", "is not a URL"),
])
def test_bad_mirror_urls(value, message):
    with pytest.raises(ConfigError, match=message) as error:
        parse(mirrors=value)
    assert str(error.value).startswith("mirrors: ")


def test_plain_http_allowed_for_loopback_and_named_hosts():
    assert parse(mirrors="http://127.0.0.1:3141/simple http://localhost/s"
                 ).candidates == ("http://127.0.0.1:3141/simple",
                                  "http://localhost/s")
    assert parse(mirrors="http://devpi.lan/simple",
                 mirrors_allow_http="devpi.lan").candidates == (
        "http://devpi.lan/simple",)


def test_error_messages_redact_credentials():
    with pytest.raises(ConfigError) as error:
        parse(mirrors="ftp://bob:hunter2@mirror.example/simple")
    assert "hunter2" not in str(error.value)
    assert "***@mirror.example" in str(error.value)


@pytest.mark.parametrize("value", ["soon", "-1", "0", "nan", "inf"])
def test_bad_timeouts(value):
    with pytest.raises(ConfigError, match="mirrors-timeout = "):
        parse(mirrors_timeout=value)


def test_ttl_may_be_zero_but_not_negative():
    assert parse(mirrors_ttl="0").ttl == 0
    with pytest.raises(ConfigError, match="mirrors-ttl = '-5'"):
        parse(mirrors_ttl="-5")


def test_unknown_policy():
    with pytest.raises(ConfigError, match="use one of: ordered, fastest"):
        parse(mirrors_policy="random")


def test_probe_projects_are_validated():
    assert parse(mirrors_probe="zc.buildout Plone").probe_projects == (
        "zc.buildout", "Plone")
    with pytest.raises(ConfigError, match="mirrors-probe"):
        parse(mirrors_probe="zc.buildout <script>")


def test_cache_path_relative_to_buildout_and_none():
    assert parse(mirrors_cache="var/mirrors.json").cache_path == \
        "/srv/b/var/mirrors.json"
    assert parse(mirrors_cache="none").cache_path == ""


def test_default_cache_falls_back_when_home_is_unwritable(monkeypatch,
                                                          tmp_path):
    # A cache directory below a plain file cannot be created, even by root.
    blocker = tmp_path / "home-is-a-file"
    blocker.write_text("")
    monkeypatch.setattr(paths, "user_cache_dir",
                        lambda name: str(blocker / name))
    monkeypatch.setattr(paths, "_tempdir", lambda: str(tmp_path / "tmp"))
    path = paths.default_cache_path()
    assert path.startswith(str(tmp_path / "tmp"))
    assert path.endswith("state.json")


def test_reading_options_creates_no_directory(monkeypatch, tmp_path):
    cache = tmp_path / "home" / ".cache"
    monkeypatch.setattr(paths, "user_cache_dir",
                        lambda name: str(cache / name))
    path = paths.default_cache_path()
    assert path == str(cache / "buildout-mirrors" / "state.json")
    assert not cache.exists()


def test_grace():
    assert parse().grace == 0.1
    assert parse(mirrors_grace="0").grace == 0
    with pytest.raises(ConfigError, match="mirrors-grace = 'x'"):
        parse(mirrors_grace="x")


@pytest.mark.parametrize("link, message", [
    ("ftp://mirror.example/dists/", "unknown scheme 'ftp'"),
    ("http://mirror.example/dists/", "uses plain http"),
])
def test_bad_find_links_are_one_clear_error(link, message):
    with pytest.raises(ConfigError, match=message):
        options.parse({"find-links": link}, environ={})


def test_find_links_that_are_no_url_nor_path_are_left_out(tmp_path):
    (tmp_path / "wheels").mkdir()
    settings = options.parse({"find-links": "garbage wheels "
                              "https://example.com/dists/"}, environ={},
                             base_directory=str(tmp_path))
    assert settings.find_links == ("wheels", "https://example.com/dists/")
    assert settings.warnings == (
        "find-links: 'garbage' is neither a URL nor an existing path; it is "
        "left out. Write https://host/path or a directory that exists.",)


@pytest.mark.parametrize("option, value, message", [
    ("mirrors-stall-limit", "0", "mirrors-stall-limit = '0' is not"),
    ("mirrors-fallback", "anywhere", "mirrors-fallback = 'anywhere' is "
     "unknown"),
    ("mirrors-lookahead", "33", "mirrors-lookahead = '33' is not a number "
     "from 0"),
    ("mirrors-lookahead", "\u00b2", "mirrors-lookahead = '\u00b2' is not"),
    ("mirrors-lookahead", "-1", "mirrors-lookahead = '-1' is not"),
])
def test_new_options_are_validated(option, value, message):
    with pytest.raises(ConfigError, match=message):
        options.parse({option: value}, environ={})


def test_user_cache_dir_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert paths.user_cache_dir("buildout-mirrors") == str(
        tmp_path / "xdg" / "buildout-mirrors")
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert paths.user_cache_dir("x") == str(tmp_path / "home" / ".cache"
                                              / "x")


@pytest.mark.parametrize("name, suggestion", [
    ("mirror", "mirrors"), ("mirror-timeout", "mirrors-timeout"),
    ("mirrors_timeout", "mirrors-timeout"), ("mirrors-timout",
                                             "mirrors-timeout"),
    ("Mirrors", "mirrors"), ("mirrors_stall_limit", "mirrors-stall-limit")])
def test_an_option_that_looks_like_ours_stops_with_a_suggestion(name,
                                                                 suggestion):
    with pytest.raises(ConfigError) as error:
        option_names.raw_options({name: "https://m.example/simple",
                             "parts": "", "newest": "false"})
    assert str(error.value) == "[buildout] %s: unknown option; did you " \
        "mean %s?" % (name, suggestion)


def test_buildouts_own_options_pass():
    option_names.raw_options({name: "x" for name in (
        "parts", "extensions", "index", "find-links", "allow-hosts",
        "versions", "newest", "eggs-directory", "mirrors", "mirrors-ttl")})


@pytest.mark.parametrize("raw, workers", [("", 8), ("0", 0), ("32", 32)])
def test_lookahead_is_how_many_downloads_go_ahead(raw, workers):
    assert options.parse({"mirrors-lookahead": raw},
                         environ={}).lookahead == workers
