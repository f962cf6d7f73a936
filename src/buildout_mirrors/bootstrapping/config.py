"""The buildout configuration as bootstrap.py needs it, before zc.buildout
exists: ``[buildout]`` and the ``[versions]`` pins, after
``~/.buildout/default.cfg`` and ``extends`` (local and remote, with
buildout's ``+=`` and ``-=``).

Plone and Zope buildouts take their pins from remote versions.cfg files:
each is read with a bounded wait, and when its host is down the copy that
an earlier run saved (store.extends_copies) is used.
"""

from __future__ import annotations

import configparser
import os
import re
import urllib.parse
import urllib.request

from buildout_mirrors.bootstrapping.console import BootstrapError, say
from buildout_mirrors.store import extends_copies
from buildout_mirrors.index import pages, transport, urls

MAX_CONFIG_BYTES = 8 * 1024 * 1024
_COMMENT = re.compile(r"\s+[#;].*$", re.M)


def read_config(config_path):
    """({[buildout] option: value}, {normalised project: pin}, directory)."""
    sections: dict[str, dict[str, str]] = {}
    default = os.path.join(os.path.expanduser("~"), ".buildout", "default.cfg")
    if os.path.isfile(default):
        _merge(sections, _read(default, set()))
    if not os.path.isfile(config_path):
        raise BootstrapError("%s not found; name the configuration with -c"
                             % config_path)
    _merge(sections, _read(config_path, set()))
    directory = os.path.dirname(os.path.abspath(config_path))
    for section in sections.values():
        for key, value in section.items():
            section[key] = value.replace("${buildout:directory}", directory)
    buildout = sections.get("buildout", {})
    versions = sections.get(buildout.get("versions", "versions"), {})
    pins = {pages.normalize_project(name): pin
            for name, pin in versions.items()}
    return buildout, pins, directory


def _read(location, seen):
    """The sections of *location* (a path or a URL) over those of its
    ``extends``, as {section: {option: value}}."""
    remote = "://" in location
    location = location if remote else os.path.abspath(location)
    if location in seen:
        return {}
    seen.add(location)
    parser = configparser.RawConfigParser(strict=False,
                                          inline_comment_prefixes=None)
    parser.optionxform = str  # type: ignore[assignment, method-assign]
    try:
        parser.read_string(_fetch(location) if remote else
                           _read_local(location),
                           source=urls.redact(location))
    except configparser.Error as error:
        raise BootstrapError("cannot parse %s: %s" % (
            urls.redact(location), str(error).splitlines()[0]))
    result: dict[str, dict[str, str]] = {}
    for parent in parser.get("buildout", "extends", fallback="").split():
        if "://" in parent:
            target = parent
        elif remote:
            target = urllib.parse.urljoin(location, parent)
        else:
            target = os.path.join(os.path.dirname(location), parent)
        _merge(result, _read(target, seen))
    _merge(result, {section: dict(parser.items(section))
                    for section in parser.sections()})
    return result


def _read_local(path):
    """The text of a local configuration, or one BootstrapError that says
    what is wrong with the file."""
    try:
        with open(path, "rb") as stream:
            data = stream.read(MAX_CONFIG_BYTES + 1)
    except OSError as error:
        raise BootstrapError("cannot read the configuration %s (%s); fix "
                             "the path in extends, or the file's "
                             "permissions" % (path, error.strerror or error))
    if len(data) > MAX_CONFIG_BYTES:
        raise BootstrapError("%s is larger than %d bytes: not a buildout "
                             "configuration" % (path, MAX_CONFIG_BYTES))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BootstrapError("%s is not UTF-8 text (byte %d); save it as "
                             "UTF-8" % (path, error.start)) from None
    if "\x00" in text:
        raise BootstrapError("%s holds a NUL character (line %d); remove it"
                             % (path, text[:text.index("\x00")].count("\n")
                                + 1))
    return text


def _merge(into, sections):
    """Apply buildout's ``option +=``, ``option -=`` and plain overrides."""
    for section, options in sections.items():
        target = into.setdefault(section, {})
        for key, value in options.items():
            value = _COMMENT.sub("", value).strip()
            name = key.rstrip(" +-")
            if key.endswith("+"):
                target[name] = (target.get(name, "") + "\n" + value).strip()
            elif key.endswith("-"):
                removed = set(value.split())
                target[name] = "\n".join(
                    item for item in target.get(name, "").split()
                    if item not in removed)
            else:
                target[name] = value


def _fetch(url):
    """The text of a remote configuration, or of its saved copy when the
    host fails; one error when there is none."""
    if url.startswith("file:"):
        return _read_local(urllib.request.url2pathname(
            urllib.parse.urlsplit(url).path))
    copy = extends_copies.copy_path(url)
    has_copy = os.path.isfile(copy)
    wait = extends_copies.WAIT_WITH_COPY if has_copy else \
        extends_copies.WAIT_WITHOUT_COPY
    try:
        # Configuration hosts may redirect (to a CDN), never down to http.
        response = transport.get(
            url, limits=transport.Limits(first_byte=wait, stall=wait,
                                         max_bytes=MAX_CONFIG_BYTES),
            redirect_ok=lambda source, target: True)
        with response.body:
            if response.status >= 400:
                raise transport.FetchError("HTTP %d" % response.status)
            return response.body.read().decode("utf-8", "replace").replace(
                "\x00", "")
    except transport.FetchError as error:
        if has_copy:
            say("%s: %s; using the copy saved by an earlier run (%s): %s" % (
                urls.redact(url), error, extends_copies.saved_at(copy), copy))
            with open(copy, encoding="utf-8", errors="replace") as stream:
                return stream.read()
        raise BootstrapError(
            "cannot read the extended configuration %s (%s); bootstrap.py "
            "needs its [versions] pins. Try again when its host answers, or "
            "extend a local copy." % (urls.redact(url), error))
