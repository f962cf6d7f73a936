"""Where the candidate mirrors and find-links come from, in order of
precedence: ``BUILDOUT_MIRRORS``, else ``mirrors``, else ``index`` before
the built-in public mirrors (``data/public-mirrors.txt``); or a
``mirrors-candidates`` plug-in.  Every URL is checked by index.urls."""

from __future__ import annotations

import dataclasses
import importlib.resources
import os
import re
import typing

from buildout_mirrors.index import urls
from buildout_mirrors.index.errors import ConfigError

ENVIRONMENT_OVERRIDE = "BUILDOUT_MIRRORS"


def builtin_mirrors() -> tuple[str, ...]:
    """The public mirrors shipped in ``data/public-mirrors.txt``."""
    # One segment a call: Python 3.9's zip reader (bootstrap.py) takes one.
    text = importlib.resources.files("buildout_mirrors").joinpath(
        "data").joinpath("public-mirrors.txt").read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines()
                 if line.strip() and not line.lstrip().startswith("#"))


def options(get: typing.Callable[[str], str], environ: typing.Mapping,
            allow_http: tuple[str, ...], base_directory: str
            ) -> tuple[tuple[str, ...], str]:
    """(candidate URLs, the option they came from): BUILDOUT_MIRRORS, else
    mirrors, else index before the built-in public mirrors."""
    override = environ.get(ENVIRONMENT_OVERRIDE, "").strip()
    if override:
        return _urls(override, ENVIRONMENT_OVERRIDE + " (environment)",
                     allow_http, base_directory), ENVIRONMENT_OVERRIDE
    if get("mirrors").strip():
        return _urls(get("mirrors"), "mirrors", allow_http,
                     base_directory), "mirrors"
    index = get("index").strip()
    given = (urls.check_url(index, "index", allow_http, base_directory),
             ) if index else ()
    return tuple(_dedupe(given + builtin_mirrors())), (
        "index and built-in mirrors" if index else "built-in mirrors")


def _urls(raw, option, allow_http, base_directory):
    return tuple(_dedupe(
        urls.check_url(item, option, allow_http, base_directory)
        for item in raw.split()))


def private(raw: str, allow_http: tuple[str, ...], base_directory: str
            ) -> tuple[str, ...]:
    """The ``mirrors-private`` indexes, checked like ``mirrors``; served
    over http(s), as the failover asks them."""
    indexes = _urls(raw, "mirrors-private", allow_http, base_directory)
    for index in indexes:
        if not urls.is_remote(index):
            raise ConfigError("mirrors-private = %s: a private index is "
                              "asked over https; serve the folder (devpi, "
                              "pypiserver) or list it in mirrors"
                              % urls.redact(index))
    return indexes


_PATTERN = re.compile(r"^[A-Za-z0-9*?\[\]][A-Za-z0-9._*?\[\]!-]*$")


def private_projects(raw: str) -> tuple[str, ...]:
    """``mirrors-private-projects``: project names or globs."""
    patterns = tuple(raw.split())
    for pattern in patterns:
        if not _PATTERN.match(pattern):
            raise ConfigError("mirrors-private-projects: %r is neither a "
                              "project name nor a glob (acme.*, acme-?)"
                              % pattern)
    return patterns


def find_links(raw: str, allow_http: tuple[str, ...], base_directory: str
               ) -> tuple[tuple[str, ...], tuple[str, ...]]:
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


def plug_in(settings: typing.Any, name: str, plugins: typing.Any,
            allow_http: tuple[str, ...], base_directory: str) -> typing.Any:
    """*settings* with the candidates and find-links of the
    ``mirrors-candidates`` plug-in *name*, validated as ``mirrors`` is."""
    option = "mirrors-candidates = %s" % " ".join(name.split())
    if plugins is None:
        raise ConfigError("%s: plug-ins are read by bin/buildout, not here"
                          % option)
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
