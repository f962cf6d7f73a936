"""Mirror URLs: validate and normalise them, and handle the credentials
they carry.  This module alone reads, strips, redacts or re-attaches a
``user:password@``; everything else asks it."""

import base64
import ipaddress
import os
import urllib.parse
import urllib.request

from buildout_mirrors.core.errors import ConfigError

SCHEMES = ("https", "http", "file")


def redact(url):
    """Return *url* with any ``user:password@`` replaced by ``***@``.

    Every URL that reaches a log line, an error or the state file goes
    through here first, the way pip's ``redact_auth_from_url`` does.
    """
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "<unparsable URL>"
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urllib.parse.urlunsplit(parts._replace(netloc="***@" + host))


def without_auth(url):
    """*url* without its ``user:password@``: what is shown, compared, or
    handed to a tool that must not see the credentials."""
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urllib.parse.urlunsplit(
        parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def credentials(url):
    """(user, password) of *url* (a string or a split URL), unquoted, or
    None when it has none."""
    parts = url if isinstance(url, urllib.parse.SplitResult) else \
        urllib.parse.urlsplit(url)
    if parts.username is None:
        return None
    return (urllib.parse.unquote(parts.username),
            urllib.parse.unquote(parts.password or ""))


def basic_auth(user, password):
    """The ``Authorization`` (or ``Proxy-Authorization``) header value."""
    return "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode(
        "utf-8")).decode("ascii")


def with_auth_of(url, mirrors):
    """*url* with the credentials of the mirror on its host (buildout and
    pip move credentials out of URLs; requests to that host need them)."""
    netloc = urllib.parse.urlsplit(url).netloc
    if "@" in netloc:
        return url
    for mirror in mirrors:
        parts = urllib.parse.urlsplit(mirror)
        if "@" in parts.netloc and parts.netloc.rsplit("@", 1)[1] == netloc:
            return urllib.parse.urlunsplit(
                urllib.parse.urlsplit(url)._replace(netloc=parts.netloc))
    return url


def host_of(url):
    """The host name of *url*, lower-case, or '' for ``file:`` URLs."""
    return (urllib.parse.urlsplit(url).hostname or "").lower()


def is_loopback(host):
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_remote(url):
    """True for http(s) URLs, False for local paths and ``file:`` URLs."""
    return urllib.parse.urlsplit(url).scheme in ("http", "https")


def to_file_url(path, base_directory):
    """Turn a local directory into a ``file:`` URL, relative to the buildout."""
    path = os.path.join(base_directory, os.path.expanduser(path))
    return "file://" + urllib.request.pathname2url(os.path.abspath(path))


def check_url(url, option, allow_http=(), base_directory="."):
    """Return *url* normalised (no trailing slash), or raise ConfigError.

    Plain ``http://`` is refused for anything but loopback hosts and the
    hosts named in ``allow_http``: a mirror reached without TLS can hand
    out any code (the reason pip removed ``--use-mirrors``).  A bare path
    is accepted and turned into a ``file:`` URL.
    """
    text = url.strip()
    if "://" not in text and not text.startswith("file:"):
        if text.startswith(("/", ".", "~")):
            return to_file_url(text, base_directory)
        raise ConfigError(
            "%s: %r is not a URL; write it as https://host/path/simple "
            "(or a local directory path)" % (option, redact(text)))
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
