"""Mirror URLs: validate and normalise them, and handle the credentials
they carry.  This module alone reads, strips, redacts or re-attaches a
``user:password@``; everything else asks it."""

from __future__ import annotations

import base64
import ipaddress
import os
import typing
import urllib.parse
import urllib.request

from buildout_mirrors.index.errors import ConfigError

SCHEMES = ("https", "http", "file")


def _authority_split(url: str) -> tuple[str, str | None, str]:
    """(scheme + "://", userinfo or None, the rest) of *url*.

    The userinfo is everything between ``://`` and the last ``@`` before
    the host: a password with a raw ``/``, ``?`` or ``#`` (which
    ``urlsplit`` takes for the start of the path) is still userinfo here,
    so that it is never shown."""
    head, separator, rest = url.partition("://")
    if not separator:
        return url, None, ""
    at = rest.rfind("@")
    if at < 0:
        return head + "://", None, rest
    return head + "://", rest[:at], rest[at + 1:]


def redact(url: str) -> str:
    """Return *url* with any ``user:password@`` replaced by ``***@``.

    Every URL that reaches a log line, an error or the state file goes
    through here first, the way pip's ``redact_auth_from_url`` does.
    Everything between ``://`` and the last ``@`` goes, whatever it holds.
    """
    if not isinstance(url, str):
        return "<not a URL>"
    head, userinfo, rest = _authority_split(url)
    if userinfo is None:
        return url
    return head + "***@" + rest


def without_auth(url: str) -> str:
    """*url* without its ``user:password@``: what is shown, compared, or
    handed to a tool that must not see the credentials."""
    head, userinfo, rest = _authority_split(url)
    if userinfo is None:
        return url
    return head + rest


def hostport(url: str | urllib.parse.SplitResult) -> str:
    """``host:port`` of *url* (a string or a split URL), lower-case and
    without credentials: what a same-server comparison compares."""
    parts = url if isinstance(url, urllib.parse.SplitResult) else \
        urllib.parse.urlsplit(without_auth(url))
    return parts.netloc.rsplit("@", 1)[-1].lower()


def origin(url: str) -> tuple[str, str]:
    """(scheme, ``host:port``) of *url*, the default port made explicit:
    credentials belong to one origin, as browsers and pip's keyring see
    it."""
    parts = urllib.parse.urlsplit(without_auth(url))
    try:
        port = parts.port
    except ValueError:
        port = None
    scheme = parts.scheme.lower()
    port = port or {"http": 80, "https": 443}.get(scheme)
    return scheme, "%s:%s" % ((parts.hostname or "").lower(), port)


def credentials(url: str | urllib.parse.SplitResult
                ) -> tuple[str, str] | None:
    """(user, password) of *url* (a string or a split URL), unquoted, or
    None when it has none."""
    parts = url if isinstance(url, urllib.parse.SplitResult) else \
        urllib.parse.urlsplit(url)
    if parts.username is None:
        return None
    return (urllib.parse.unquote(parts.username),
            urllib.parse.unquote(parts.password or ""))


def basic_auth(user: str, password: str) -> str:
    """The ``Authorization`` (or ``Proxy-Authorization``) header value."""
    return "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode(
        "utf-8")).decode("ascii")


def auth_header(url: str | urllib.parse.SplitResult) -> str | None:
    """The Basic header value for *url*'s credentials, or None."""
    found = credentials(url)
    return basic_auth(*found) if found is not None else None


def with_auth_of(url: str, mirrors: typing.Iterable[str]) -> str:
    """*url* with the credentials of the mirror of the same origin
    (scheme, host and port): buildout and pip move credentials out of
    URLs, and requests to that mirror need them.  Never over another
    scheme: an ``http://`` link on the host of an ``https://`` mirror
    gets nothing."""
    if "@" in urllib.parse.urlsplit(url).netloc:
        return url
    wanted = origin(url)
    for mirror in mirrors:
        head, userinfo, _ = _authority_split(mirror)
        if userinfo is not None and origin(mirror) == wanted:
            url_head, _, url_rest = _authority_split(url)
            return url_head + userinfo + "@" + url_rest
    return url


def host_of(url: str) -> str:
    """The host name of *url*, lower-case, or '' for ``file:`` URLs."""
    return (urllib.parse.urlsplit(url).hostname or "").lower()


def is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_remote(url: str) -> bool:
    """True for http(s) URLs, False for local paths and ``file:`` URLs."""
    return urllib.parse.urlsplit(url).scheme in ("http", "https")


def to_file_url(path: str, base_directory: str) -> str:
    """A local directory as a ``file:`` URL, relative to the buildout."""
    path = os.path.join(base_directory, os.path.expanduser(path))
    return "file://" + urllib.request.pathname2url(os.path.abspath(path))


def check_url(url: str, option: str, allow_http: tuple[str, ...] = (),
              base_directory: str = ".") -> str:
    """Return *url* normalised (no trailing slash), or raise ConfigError.

    Plain ``http://`` is refused for anything but loopback hosts and the
    hosts named in ``allow_http``: a mirror reached without TLS can hand
    out any code (the reason pip removed ``--use-mirrors``).  A bare path
    is accepted and turned into a ``file:`` URL.
    """
    text = url.strip()
    if any(ord(char) < 32 or ord(char) == 127 for char in text):
        raise ConfigError("%s: %r holds a control character; remove it"
                          % (option, redact(text)))
    if "://" not in text and not text.startswith("file:"):
        if text.startswith(("/", ".", "~")):
            return to_file_url(text, base_directory)
        raise ConfigError(
            "%s: %r is not a URL; write it as https://host/path/simple "
            "(or a local directory path)" % (option, redact(text)))
    _, userinfo, _ = _authority_split(text)
    if userinfo is not None and any(char in userinfo for char in "/?#"):
        raise ConfigError(
            "%s: %r has a '/', '?' or '#' in its user name or password; "
            "percent-encode them (%%2F, %%3F, %%23)" % (option, redact(text)))
    try:
        parts = urllib.parse.urlsplit(text)
        parts.port  # raises ValueError on a bad port
    except ValueError as error:
        raise ConfigError("%s: %r is not a valid URL (%s)"
                          % (option, redact(text), error)) from None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise ConfigError(
            "%s: %r has the unknown scheme %r; use one of %s"
            % (option, redact(text), scheme, ", ".join(SCHEMES)))
    if scheme == "file":
        return text.rstrip("/")
    host = (parts.hostname or "").lower()
    if not host:
        raise ConfigError("%s: %r has no host name" % (option, redact(text)))
    if scheme == "http" and not (is_loopback(host) or host in allow_http):
        raise ConfigError(
            "%s: %r uses plain http; use https, or name the host in "
            "mirrors-allow-http if you trust the network"
            % (option, redact(text)))
    return text.rstrip("/")
