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
  index.connection);
- redirects are handed to a check: same host (or one the caller allows),
  and never from https down to http.
"""

from __future__ import annotations

import dataclasses
import http.client
import socket
import time
import typing
import urllib.error
import urllib.parse

from buildout_mirrors.index.bodies import read_body
from buildout_mirrors.index.errors import FetchError
from buildout_mirrors.index.connection import connect, describe
from buildout_mirrors.index.keepalive import ConnectionPool
from buildout_mirrors.index import urls

MAX_REDIRECTS = 5
USER_AGENT = "buildout_mirrors"


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
    deadline: float | None = None
    max_bytes: int | None = None


@dataclasses.dataclass
class Response:
    """A complete answer: ``url`` (after redirects, as asked, credentials
    included), ``status``, ``headers`` (case-insensitive), ``body`` (a
    file at offset 0)."""

    url: str
    status: int
    headers: http.client.HTTPMessage
    body: typing.IO[bytes]

    def read_all(self) -> bytes:
        data = self.body.read()
        self.body.seek(0)
        return data

    def close(self) -> None:
        self.body.close()


def same_host_redirects(source: str, target: str) -> bool:
    """The default redirect check: same host and port."""
    return urls.hostport(source) == urls.hostport(target)


def get(url: str, accept: str = "*/*", limits: Limits = Limits(),
        context: typing.Any = None, headers: dict[str, str] | None = None,
        redirect_ok: typing.Callable[[str, str], bool] = same_host_redirects,
        pool: ConnectionPool | None = None) -> Response:
    """GET *url* within *limits*; return a complete :class:`Response` (any
    status) or raise :class:`FetchError`.  Credentials in the URL become a
    Basic header; *headers* add to the request.  *redirect_ok(source,
    target)* decides which redirects to follow (never https to http).
    With a index.keepalive *pool*, connections are kept and reused."""
    for _ in range(MAX_REDIRECTS + 1):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchError("not an http(s) URL")
        try:
            status, message, body = _exchange(parts, accept, limits,
                                              context, headers or {}, pool)
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


def _remaining(limit: float, deadline: float | None) -> float:
    if deadline is None:
        return limit
    left = deadline - time.monotonic()
    if left <= 0:
        raise socket.timeout("deadline")
    return min(limit, left)


def _exchange(parts, accept, limits, context, extra_headers, pool):
    """One request, on a kept connection from *pool* or a fresh one:
    (status, headers, body)."""
    request_headers = _request_headers(parts, accept, extra_headers)
    path = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query,
                                    ""))
    timeout = _remaining(limits.first_byte, limits.deadline)
    fresh, path = connect(parts, path, timeout, context, request_headers)
    key = (parts.scheme, urls.hostport(parts))
    connection = pool.take(key) if pool is not None else None
    kept = False
    try:
        if connection is not None:
            try:
                response, sock = _ask(connection, path, request_headers,
                                      limits, timeout)
            except _STALE:
                # The server closed the kept connection as we reused it:
                # no verdict on the mirror, ask again on a fresh one.
                connection.close()
                connection = None
        if connection is None:
            connection = fresh
            try:
                connection.connect()
            except (socket.timeout, TimeoutError):
                raise FetchError("connection timed out after %.1f s"
                                 % timeout, kind="timeout") from None
            response, sock = _ask(connection, path, request_headers, limits,
                                  timeout)
        if response.status in (301, 302, 303, 307, 308):
            return response.status, response.msg, None
        try:
            body = read_body(response, sock, limits, _remaining)
        except (socket.timeout, TimeoutError):
            raise FetchError("stalled: no byte for %.1f s" % _waited(
                limits.stall, limits.deadline, limits.stall),
                kind="stall") from None
        # Read to its Content-Length, the answer is not closed yet; the
        # connection takes no next request until it is.
        response.close()
        kept = pool is not None and not response.will_close
        return response.status, response.msg, body
    finally:
        if kept:
            pool.give(key, connection)
        else:
            (connection or fresh).close()


def _request_headers(parts, accept, extra_headers):
    headers = {"Accept": accept, "User-Agent": USER_AGENT,
               "Accept-Encoding": "identity"}
    authorization = urls.auth_header(parts)
    if authorization:
        headers["Authorization"] = authorization
    headers.update(extra_headers)
    return headers


# What a server's closing of an idle kept connection looks like.
_STALE = (http.client.RemoteDisconnected, ConnectionResetError,
          BrokenPipeError, ConnectionAbortedError)


def _ask(connection, path, request_headers, limits, timeout):
    """Send the GET; (response, socket) once the status line is in."""
    try:
        # Kept: the connection forgets its socket when the answer says it
        # will close, and the body is still read from it.
        sock = connection.sock
        sock.settimeout(_remaining(limits.first_byte, limits.deadline))
        connection.request("GET", path, headers=request_headers)
        return connection.getresponse(), sock
    except (socket.timeout, TimeoutError):
        # Connected, but no answer yet: slow, or hanging.
        raise FetchError("no answer within %.1f s" % _waited(
            limits.first_byte, limits.deadline, timeout), slow=True,
            kind="silent") from None


def _waited(limit, deadline, fallback):
    """The bound that ran out, for the message."""
    return limit if deadline is None else min(limit, fallback)

