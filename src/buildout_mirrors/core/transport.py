"""The one bounded HTTP GET: probes, failover, the wheelhouse, freshness.

Standard library only (``http.client``), so that a rerun imports nothing
heavy and so that bootstrap.py can do the same.  What it promises:

- header names are looked up case-insensitively (``http.client``'s
  message): proxies and HTTP/2 gateways send them in lower case;
- every wait is bounded, and the bounds say what they are for
  (:class:`Limits`): connecting, the first byte, a stall, a rate floor,
  and an absolute deadline for probes;
- TLS is verified against the system trust store (``SSL_CERT_FILE`` and
  ``SSL_CERT_DIR`` included), or against the CA bundle the user named, and
  proxies come from the environment, as for urllib and pip (both in
  core.connection);
- redirects are handed to a check: same host (or one the caller allows),
  and never from https down to http.
"""

import dataclasses
import http.client
import socket
import time
import urllib.error
import urllib.parse

from buildout_mirrors.core.connection import connect, describe
from buildout_mirrors.core import urls

SPOOL_BYTES = 8 * 1024 * 1024  # bodies larger than this go to disk
MAX_REDIRECTS = 5
USER_AGENT = "buildout_mirrors"


class FetchError(Exception):
    """This URL could not be fetched; the message says why, with no URL
    in it (so no credentials).  ``slow`` is True when the server was only
    slow to start answering, which is no verdict on its health.  ``kind``
    says which bound ran out, for code that decides by it (the message is
    for people): ``timeout`` (connecting), ``silent`` (the first byte),
    ``stall`` (the next byte), or ``failed``."""

    def __init__(self, reason, slow=False, kind="failed"):
        super().__init__(reason)
        self.slow, self.kind = slow, kind


class RedirectRefused(FetchError):
    """The answer was a redirect this request may not follow."""


@dataclasses.dataclass(frozen=True)
class Limits:
    """How long one GET may wait, and for what.

    *first_byte* bounds connecting and the wait for the status line;
    *stall* bounds any wait for the next bytes of the body; after *stall*
    seconds a body arriving slower than *floor* bytes a second fails (a
    tarpit), unless *floor* is 0.  *deadline* (a ``time.monotonic()``
    value) bounds everything, for probes.  *max_bytes* caps the body.
    """

    first_byte: float = 15.0
    stall: float = 15.0
    floor: int = 0
    deadline: float = None
    max_bytes: int = None


@dataclasses.dataclass
class Response:
    """A complete answer: ``url`` (after redirects, as asked, credentials
    included), ``status``, ``headers`` (case-insensitive), ``body`` (a
    file at offset 0)."""

    url: str
    status: int
    headers: http.client.HTTPMessage
    body: object

    def read_all(self):
        data = self.body.read()
        self.body.seek(0)
        return data

    def close(self):
        self.body.close()


def same_host_redirects(source, target):
    """The default redirect check: same host and port."""
    return urls.hostport(source) == urls.hostport(target)


def get(url, accept="*/*", limits=Limits(), context=None, headers=None,
        redirect_ok=same_host_redirects):
    """GET *url* within *limits*; return a complete :class:`Response` (any
    status) or raise :class:`FetchError`.  Credentials in the URL become a
    Basic header; *headers* add to the request.  *redirect_ok(source,
    target)* decides which redirects to follow (never https to http)."""
    for _ in range(MAX_REDIRECTS + 1):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchError("not an http(s) URL")
        try:
            status, message, body = _exchange(parts, accept, limits,
                                              context, headers or {})
        except FetchError:
            raise
        except Exception as error:
            reason = describe(error, limits)
            raise FetchError(reason, kind="timeout" if reason == "timed out"
                             else "failed") from None
        if status in (301, 302, 303, 307, 308):
            target = urllib.parse.urljoin(url, message.get("Location", ""))
            if not target.startswith(("http://", "https://")):
                raise RedirectRefused("redirect to a non-http URL refused")
            if parts.scheme == "https" and target.startswith("http://"):
                raise RedirectRefused("redirect from https to http refused")
            if not redirect_ok(url, target):
                raise RedirectRefused(
                    "redirects to %s (refused: not this mirror)"
                    % (urllib.parse.urlsplit(target).hostname or "?"))
            if urls.origin(url) == urls.origin(target):
                target = urls.with_auth_of(target, [url])
            else:  # credentials stay with the origin they were meant for
                headers = {name: value for name, value in
                           (headers or {}).items()
                           if name.lower() != "authorization"}
            url = target
            continue
        return Response(url, status, message, body)
    raise FetchError("too many redirects")


def _remaining(limit, deadline):
    if deadline is None:
        return limit
    left = deadline - time.monotonic()
    if left <= 0:
        raise socket.timeout("deadline")
    return min(limit, left)


def _exchange(parts, accept, limits, context, extra_headers):
    """One request on a fresh connection: (status, headers, body)."""
    request_headers = {"Accept": accept, "User-Agent": USER_AGENT,
                       "Accept-Encoding": "identity"}
    if urls.credentials(parts):
        request_headers["Authorization"] = urls.basic_auth(
            *urls.credentials(parts))
    request_headers.update(extra_headers)
    path = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query,
                                    ""))
    timeout = _remaining(limits.first_byte, limits.deadline)
    connection, path = connect(parts, path, timeout, context,
                               request_headers)
    try:
        try:
            connection.connect()
        except (socket.timeout, TimeoutError):
            raise FetchError("connection timed out after %.1f s"
                             % timeout, kind="timeout") from None
        try:
            # Kept: the connection forgets its socket when the answer
            # says it will close, and the body is still read from it.
            sock = connection.sock
            sock.settimeout(_remaining(limits.first_byte, limits.deadline))
            connection.request("GET", path, headers=request_headers)
            response = connection.getresponse()
        except (socket.timeout, TimeoutError):
            # Connected, but no answer yet: slow, or hanging.
            raise FetchError("no answer within %.1f s" % _waited(
                limits.first_byte, limits.deadline, timeout), slow=True,
                kind="silent") from None
        if response.status in (301, 302, 303, 307, 308):
            return response.status, response.msg, None
        try:
            body = _read_body(response, sock, limits)
        except (socket.timeout, TimeoutError):
            raise FetchError("stalled: no byte for %.1f s" % _waited(
                limits.stall, limits.deadline, limits.stall),
                kind="stall") from None
        return response.status, response.msg, body
    finally:
        connection.close()


def _waited(limit, deadline, fallback):
    """The bound that ran out, for the message."""
    return limit if deadline is None else min(limit, fallback)


def _read_body(response, sock, limits):
    """Read the whole body within the stall, floor and deadline limits;
    fail on a body shorter than its Content-Length."""
    import tempfile  # only when a body is read: most reruns read none
    body = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    started, size = time.monotonic(), 0
    read = getattr(response, "read1", None) or response.read
    try:
        # A response that closes its connection (HTTP/1.0, "Connection:
        # close") closes it, socket included, once its body is read; from
        # Python 3.13 the socket then refuses settimeout (EBADF).
        while not response.isclosed():
            sock.settimeout(_remaining(limits.stall, limits.deadline))
            try:
                chunk = read(65536)
            except http.client.IncompleteRead:
                raise FetchError("truncated: the connection closed after "
                                 "%d bytes" % size) from None
            if not chunk:
                break
            body.write(chunk)
            size += len(chunk)
            if limits.max_bytes is not None and size > limits.max_bytes:
                raise FetchError("answer larger than %d bytes"
                                 % limits.max_bytes)
            elapsed = time.monotonic() - started
            if limits.floor and elapsed > limits.stall and \
                    size / elapsed < limits.floor:
                raise FetchError("too slow (%d bytes in %.1f s)"
                                 % (size, elapsed))
        expected = response.msg.get("Content-Length", "")
        if expected.strip().isdigit() and size < int(expected):
            raise FetchError("truncated: %d of %s bytes" % (size, expected))
    except BaseException:
        body.close()
        raise
    body.seek(0)
    return body
