"""The one place that reads, validates and types every option.

Modelled on bandersnatch's ``configuration.py``: raw strings go in (from
``[buildout]``, a part, or bootstrap's command line), a frozen
:class:`Settings` comes out, and every message names the option and what
is allowed.
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
import typing

from buildout_mirrors.selection import candidates as candidates_from
from buildout_mirrors.store import paths
from buildout_mirrors.selection import ranking
from buildout_mirrors.selection.candidates import ENVIRONMENT_OVERRIDE
from buildout_mirrors.index.errors import ConfigError
from buildout_mirrors.selection.ranking import GRACE_SECONDS as DEFAULT_GRACE

DEFAULT_TIMEOUT = 2.0
DEFAULT_TTL = 600.0
DEFAULT_PROBE = ("zc.buildout",)
DEFAULT_STALL = 15.0  # zc.buildout's own socket timeout
DEFAULT_LOOKAHEAD = 8
MAX_LOOKAHEAD = 32
FALLBACKS = ("none", "pypi")
PYPI = "https://pypi.org/simple"

_PROJECT_NAME = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$")


@dataclasses.dataclass(frozen=True)
class Settings:
    """Typed, validated options of one selection."""

    candidates: tuple        # index URLs, in order of preference
    find_links: tuple        # find-links entries, as given (URLs or paths)
    timeout: float = DEFAULT_TIMEOUT
    policy: str = "ordered"
    policy_factory: object = None  # IPolicy class; None: ranking.POLICIES
    prober_factory: object = None  # plug-in IProber factory, or None
    state_factory: object = None   # plug-in IStateStore factory, or None
    probe_projects: tuple = DEFAULT_PROBE
    cache_path: str = ""     # '' means: keep no state
    ttl: float = DEFAULT_TTL
    candidates_from: str = "mirrors"  # which option gave the candidates
    verify: object = True    # True, or the path of a CA bundle
    grace: float = DEFAULT_GRACE  # see ranking.GRACE_SECONDS
    stall: float = DEFAULT_STALL  # patience for a slow mirror, per read
    fallback: str = "none"   # "pypi": the 1.0 behaviour when all are dead
    private: tuple = ()      # a company's indexes: its projects from there
    private_projects: tuple = ()  # names or globs declared private
    lookahead: int = DEFAULT_LOOKAHEAD  # downloads ahead at once; 0: none
    warnings: tuple = ()     # one-line warnings about ignored input


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
        path = _path("mirrors-ca-bundle", option, base_directory)
        if not os.path.isfile(path):
            raise ConfigError("mirrors-ca-bundle = %r: no such file; name a "
                              "PEM file of trusted CA certificates" % option)
        return path
    for name in ("PIP_CERT", "REQUESTS_CA_BUNDLE"):
        if environ.get(name, "").strip():
            return environ[name].strip()
    return True


def parse(options: typing.Mapping[str, str | None],
          environ: typing.Mapping[str, str] | None = None,
          base_directory: str = ".", plugins: typing.Any = None) -> Settings:
    """Return :class:`Settings` from a mapping of raw option strings.

    *options* holds ``[buildout]``-style names (``mirrors``, ``index``,
    ``find-links``, ``mirrors-timeout`` ...).  *environ* defaults to
    ``os.environ``; its ``BUILDOUT_MIRRORS`` replaces ``mirrors``.
    *plugins* (:mod:`buildout_mirrors.plugins`, from callers that may read
    entry points) resolves plug-in names of ``mirrors-policy`` and
    ``mirrors-candidates``; without it only the built-in ones exist.
    """
    environ = os.environ if environ is None else environ
    get = lambda name: options.get(name) or ""  # noqa: E731
    allow_http = tuple(host.lower()
                       for host in get("mirrors-allow-http").split())
    candidates, source = candidates_from.options(get, environ, allow_http,
                                                 base_directory)
    policy, policy_factory = _policy(
        get("mirrors-policy").strip() or "ordered", plugins)
    find_links, warnings = candidates_from.find_links(
        get("find-links"), allow_http, base_directory)
    settings = Settings(
        candidates=candidates, candidates_from=source,
        find_links=find_links, warnings=warnings,
        timeout=_number(get("mirrors-timeout"), "mirrors-timeout",
                        DEFAULT_TIMEOUT),
        policy=policy, policy_factory=policy_factory,
        probe_projects=_probe_projects(get("mirrors-probe")),
        cache_path=_cache_path(get("mirrors-cache").strip(), base_directory),
        ttl=_number(get("mirrors-ttl"), "mirrors-ttl", DEFAULT_TTL,
                    strictly_positive=False),
        verify=_ca_bundle(get("mirrors-ca-bundle").strip(), environ,
                          base_directory),
        grace=_number(get("mirrors-grace"), "mirrors-grace", DEFAULT_GRACE,
                      strictly_positive=False),
        stall=_number(get("mirrors-stall-limit"), "mirrors-stall-limit",
                      DEFAULT_STALL),
        fallback=_fallback(get("mirrors-fallback").strip().lower() or "none"),
        prober_factory=_plug_in("mirrors-prober", get, plugins),
        state_factory=_plug_in("mirrors-state-store", get, plugins),
        lookahead=_lookahead(get("mirrors-lookahead").strip()),
    )
    settings = _with_private(settings, get, allow_http, base_directory)
    plugged = get("mirrors-candidates").strip()
    if plugged and source != ENVIRONMENT_OVERRIDE:  # the override wins
        settings = candidates_from.plug_in(settings, plugged, plugins,
                                           allow_http, base_directory)
    return settings


def _plug_in(option, get, plugins):
    """The factory of the plug-in *option* names, or None for the
    built-in part."""
    name = " ".join(get(option).split())  # shown on one line
    if not name:
        return None
    if plugins is None:
        raise ConfigError("%s = %s: plug-ins are read by bin/buildout, not "
                          "here" % (option, name))
    return plugins.factory(option, name)


def _policy(name, plugins):
    """(name, factory) of the policy *name*: a built-in one, or one that
    *plugins* (the entry-point registry, where the caller reads it) has."""
    if name in ranking.POLICIES:
        return name, ranking.POLICIES[name]
    installed = plugins.policy_names() if plugins else ()
    if name not in installed:
        known = tuple(ranking.POLICIES) + tuple(
            other for other in installed if other not in ranking.POLICIES)
        raise ConfigError("mirrors-policy = %r is unknown; use one of: %s"
                          % (name, ", ".join(known)))
    return name, plugins.policy(name)


def _probe_projects(raw):
    projects = tuple(raw.split()) or DEFAULT_PROBE
    for project in projects:
        if not _PROJECT_NAME.match(project):
            raise ConfigError("mirrors-probe: %r is not a project name"
                              % project)
    return projects


def _with_private(settings, get, allow_http, base_directory):
    """*settings* with the private indexes (out of the candidates: they
    are no mirrors) and the projects declared private."""
    private = candidates_from.private(get("mirrors-private"), allow_http,
                                      base_directory)
    return dataclasses.replace(
        settings, private=private, candidates=tuple(
            url for url in settings.candidates if url not in private),
        private_projects=candidates_from.private_projects(
            get("mirrors-private-projects")))


def _cache_path(cache, base_directory):
    if cache.lower() in ("none", "off", "false"):
        return ""
    if cache:
        return _path("mirrors-cache", cache, base_directory)
    return paths.default_cache_path()


def _path(option, value, base_directory):
    """*value* as a path under *base_directory*, ``~`` expanded."""
    if "\x00" in value:  # no file system takes it; expanduser raises
        raise ConfigError("%s = %r is not a path" % (option, value))
    return os.path.join(base_directory, os.path.expanduser(value))


def _lookahead(raw):
    if not raw:
        return DEFAULT_LOOKAHEAD
    if not re.match(r"[0-9]{1,2}\Z", raw) or int(raw) > MAX_LOOKAHEAD:
        raise ConfigError("mirrors-lookahead = %r is not a number from 0 "
                          "(no downloads ahead) to %d" % (raw, MAX_LOOKAHEAD))
    return int(raw)


def _fallback(fallback):
    if fallback not in FALLBACKS:
        raise ConfigError("mirrors-fallback = %r is unknown; use none (the "
                          "default: never an index nobody listed) or pypi"
                          % fallback)
    return fallback
