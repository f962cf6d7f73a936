"""The one place that reads, validates and types every option.

Modelled on bandersnatch's ``configuration.py``: raw strings go in (from
``[buildout]``, a part, or bootstrap's command line), a frozen
:class:`Settings` comes out, and every message names the option and what
is allowed.
"""

import dataclasses
import importlib.resources
import math
import os
import re

from buildout_mirrors.core import urls
from buildout_mirrors.core.errors import ConfigError
from buildout_mirrors.core.ranking import GRACE_SECONDS as DEFAULT_GRACE

POLICIES = ("ordered", "fastest")
ENVIRONMENT_OVERRIDE = "BUILDOUT_MIRRORS"
DEFAULT_TIMEOUT = 2.0
DEFAULT_TTL = 600.0
DEFAULT_PROBE = ("zc.buildout",)
DEFAULT_STALL = 15.0  # zc.buildout's own socket timeout
FALLBACKS = ("none", "pypi")
PYPI = "https://pypi.org/simple"

# Every option this package understands, so that the hooks can mark them
# as used and buildout does not warn about them.
OPTION_NAMES = (
    "mirrors", "mirrors-timeout", "mirrors-policy", "mirrors-probe",
    "mirrors-cache", "mirrors-ttl", "mirrors-allow-http", "mirrors-ca-bundle",
    "mirrors-grace", "mirrors-stall-limit", "mirrors-fallback",
    "mirrors-candidates",
)

def raw_options(section):
    """This package's options, and ``index`` and ``find-links``, from a
    ``[buildout]``-like mapping."""
    return {name: section.get(name)
            for name in OPTION_NAMES + ("index", "find-links")}


_PROJECT_NAME = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$")


@dataclasses.dataclass(frozen=True)
class Settings:
    """Typed, validated options of one selection."""

    candidates: tuple        # index URLs, in order of preference
    find_links: tuple        # find-links entries, as given (URLs or paths)
    timeout: float = DEFAULT_TIMEOUT
    policy: str = "ordered"
    probe_projects: tuple = DEFAULT_PROBE
    cache_path: str = ""     # '' means: keep no state
    ttl: float = DEFAULT_TTL
    candidates_from: str = "mirrors"  # which option gave the candidates
    verify: object = True    # True, or the path of a CA bundle
    grace: float = DEFAULT_GRACE  # see ranking.GRACE_SECONDS
    stall: float = DEFAULT_STALL  # patience for a slow mirror, per read
    fallback: str = "none"   # "pypi": the 1.0 behaviour when all are dead
    warnings: tuple = ()     # one-line warnings about ignored input


def builtin_mirrors():
    """The public mirrors shipped in ``data/public-mirrors.txt``."""
    # One segment a call: Python 3.9's zip reader (bootstrap.py) takes one.
    text = importlib.resources.files("buildout_mirrors").joinpath(
        "data").joinpath("public-mirrors.txt").read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines()
                 if line.strip() and not line.lstrip().startswith("#"))


def user_cache_dir(name):
    """The per-user cache directory of *name*, where platformdirs puts it
    (bootstrap.py computes the same): ``$XDG_CACHE_HOME`` or ``~/.cache``
    on Linux, ``~/Library/Caches`` on macOS, ``%LOCALAPPDATA%`` on Windows.
    The standard library alone: every rerun imports this module."""
    import sys
    home = os.path.expanduser("~")
    if sys.platform == "darwin":
        return os.path.join(home, "Library", "Caches", name)
    if os.name == "nt":
        return os.path.join(os.environ.get("LOCALAPPDATA", home), name,
                            "Cache")
    return os.path.join(os.environ.get("XDG_CACHE_HOME", "").strip()
                        or os.path.join(home, ".cache"), name)


def default_cache_path():
    """A per-user state file, or one in the temp directory if HOME is
    read-only (CI containers, service accounts).  Nothing is created here
    (reading options has no side effects): the state file's writer makes
    the directory."""
    for directory in (user_cache_dir("buildout-mirrors"),
                      os.path.join(_tempdir(), "buildout-mirrors-%s"
                                   % _user_id())):
        if _could_write(directory):
            return os.path.join(directory, "state.json")
    return ""


def _could_write(directory):
    """*directory* is writable, or its nearest existing ancestor is."""
    path = os.path.abspath(directory)
    while not os.path.exists(path):
        parent = os.path.dirname(path)
        if parent == path:
            return False
        path = parent
    return os.path.isdir(path) and os.access(path, os.W_OK)


def _tempdir():
    import tempfile
    return tempfile.gettempdir()


def _user_id():
    return os.getuid() if hasattr(os, "getuid") else os.environ.get(
        "USERNAME", "user")


def _number(raw, option, default, strictly_positive=True):
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0 or (
            strictly_positive and value == 0):
        allowed = ("a number of seconds greater than 0" if strictly_positive
                   else "a number of seconds, 0 or more")
        raise ConfigError("%s = %r is not %s" % (option, raw.strip(), allowed))
    return value


def _ca_bundle(option, environ, base_directory):
    """TLS verification always stays on.  The CA bundle is
    mirrors-ca-bundle, else the one the user gave pip or requests, else
    (True) the system trust store, which honours SSL_CERT_FILE/DIR."""
    if option:
        path = os.path.join(base_directory, os.path.expanduser(option))
        if not os.path.isfile(path):
            raise ConfigError("mirrors-ca-bundle = %r: no such file; name a "
                              "PEM file of trusted CA certificates" % option)
        return path
    for name in ("PIP_CERT", "REQUESTS_CA_BUNDLE"):
        if environ.get(name, "").strip():
            return environ[name].strip()
    return True


def _urls(raw, option, allow_http, base_directory):
    return tuple(_dedupe(
        urls.check_url(item, option, allow_http, base_directory)
        for item in raw.split()))


def _find_links(raw, allow_http, base_directory):
    """find-links entries as given (buildout reads paths itself), checked:
    a URL must be https (or allowed http, or file:); a path that does not
    exist is left out with a warning."""
    kept, warnings = [], []
    for item in raw.split():
        if "://" in item or item.startswith("file:"):
            urls.check_url(item, "find-links", allow_http, base_directory)
            kept.append(item)
        elif os.path.exists(os.path.join(base_directory,
                                         os.path.expanduser(item))):
            kept.append(item)
        else:
            warnings.append(
                "find-links: %r is neither a URL nor an existing path; it "
                "is left out. Write https://host/path or a directory that "
                "exists." % urls.redact(item))
    return tuple(_dedupe(kept)), tuple(warnings)


def _dedupe(items):
    seen = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def parse(options, environ=None, base_directory="."):
    """Return :class:`Settings` from a mapping of raw option strings.

    *options* holds ``[buildout]``-style names (``mirrors``, ``index``,
    ``find-links``, ``mirrors-timeout`` ...).  *environ* defaults to
    ``os.environ``; its ``BUILDOUT_MIRRORS`` replaces ``mirrors``.
    """
    environ = os.environ if environ is None else environ
    get = lambda name: options.get(name) or ""  # noqa: E731

    allow_http = tuple(host.lower() for host in get("mirrors-allow-http").split())

    override = environ.get(ENVIRONMENT_OVERRIDE, "").strip()
    if override:
        candidates = _urls(override, ENVIRONMENT_OVERRIDE + " (environment)",
                           allow_http, base_directory)
        source = ENVIRONMENT_OVERRIDE
    elif get("mirrors").strip():
        candidates = _urls(get("mirrors"), "mirrors", allow_http,
                           base_directory)
        source = "mirrors"
    else:
        index = get("index").strip()
        given = (urls.check_url(index, "index", allow_http, base_directory),
                 ) if index else ()
        candidates = tuple(_dedupe(given + builtin_mirrors()))
        source = "index and built-in mirrors" if index else "built-in mirrors"

    policy = get("mirrors-policy").strip() or "ordered"
    if policy not in POLICIES:  # a plug-in's? (entry points read only then)
        from buildout_mirrors import plugins
        if policy not in plugins.names(plugins.POLICIES):
            known = POLICIES + tuple(name for name in plugins.names(
                plugins.POLICIES) if name not in POLICIES)
            raise ConfigError("mirrors-policy = %r is unknown; use one of: "
                              "%s" % (policy, ", ".join(known)))

    probe = tuple(get("mirrors-probe").split()) or DEFAULT_PROBE
    for project in probe:
        if not _PROJECT_NAME.match(project):
            raise ConfigError("mirrors-probe: %r is not a project name"
                              % project)

    cache = get("mirrors-cache").strip()
    if cache.lower() in ("none", "off", "false"):
        cache_path = ""
    elif cache:
        cache_path = os.path.join(base_directory, os.path.expanduser(cache))
    else:
        cache_path = default_cache_path()

    fallback = get("mirrors-fallback").strip().lower() or "none"
    if fallback not in FALLBACKS:
        raise ConfigError("mirrors-fallback = %r is unknown; use none (the "
                          "default: never an index nobody listed) or pypi"
                          % fallback)
    find_links, warnings = _find_links(get("find-links"), allow_http,
                                       base_directory)
    settings = Settings(
        stall=_number(options.get("mirrors-stall-limit"),
                      "mirrors-stall-limit", DEFAULT_STALL),
        fallback=fallback,
        warnings=warnings,
        verify=_ca_bundle(get("mirrors-ca-bundle").strip(), environ,
                          base_directory),
        candidates=candidates,
        find_links=find_links,
        timeout=_number(options.get("mirrors-timeout"), "mirrors-timeout",
                        DEFAULT_TIMEOUT),
        policy=policy,
        probe_projects=probe,
        cache_path=cache_path,
        ttl=_number(options.get("mirrors-ttl"), "mirrors-ttl", DEFAULT_TTL,
                    strictly_positive=False),
        grace=_number(options.get("mirrors-grace"), "mirrors-grace",
                      DEFAULT_GRACE, strictly_positive=False),
        candidates_from=source,
    )
    plugged = get("mirrors-candidates").strip()
    if plugged and source != ENVIRONMENT_OVERRIDE:  # the override wins
        settings = _plugged_candidates(settings, plugged, allow_http,
                                       base_directory)
    return settings


def _plugged_candidates(settings, name, allow_http, base_directory):
    """*settings* with the candidates and find-links of the
    ``mirrors-candidates`` plug-in *name*, validated as ``mirrors`` is."""
    from buildout_mirrors import plugins
    option = "mirrors-candidates = %s" % name
    given, links = plugins.candidates(settings, name)
    candidates = tuple(_dedupe(urls.check_url(url, option, allow_http,
                                              base_directory)
                               for url in given))
    if not candidates:
        raise ConfigError("%s: the plug-in gave no candidate" % option)
    for link in links:
        urls.check_url(link, option + " (find-links)", allow_http,
                       base_directory)
    return dataclasses.replace(settings, candidates=candidates,
                               find_links=tuple(links), candidates_from=option)
