"""Connections for index.transport: TLS that stays verified, proxies from
the environment (as urllib and pip take them), credentials as Basic
headers, and what a failed connection is called in a log line."""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import typing
import urllib.error
import urllib.parse
import urllib.request

from buildout_mirrors.index import urls

_CONTEXTS: dict = {}
_CONTEXTS_LOCK = threading.Lock()


def ssl_context(verify: bool | str = True) -> ssl.SSLContext:
    """The system trust store (OpenSSL's default paths, which honour
    ``SSL_CERT_FILE`` and ``SSL_CERT_DIR``), or the CA bundle *verify*
    names.  Verification is never switched off.

    Made once a process for each bundle: loading a trust store costs tens
    of milliseconds, and parallel probes must not each pay it."""
    key = verify if isinstance(verify, str) else True
    with _CONTEXTS_LOCK:
        if key not in _CONTEXTS:
            _CONTEXTS[key] = ssl.create_default_context(
                cafile=key if isinstance(key, str) else None)
        return _CONTEXTS[key]


class LazyContext:
    """``ssl_context(verify)``, made only when an https URL is asked:
    plain-http and local mirrors never load a trust store."""

    def __init__(self, verify=True):
        self.verify = verify

    def get(self) -> ssl.SSLContext:
        return ssl_context(self.verify)


def connect(parts: urllib.parse.SplitResult, path: str, timeout: float,
            context: typing.Any, request_headers: dict[str, str]
            ) -> tuple[http.client.HTTPConnection, str]:
    """An unopened connection for the URL *parts*, through the
    environment's proxy if one applies, and the path to ask for (a plain
    http proxy wants the whole URL).  Proxy credentials are added to
    *request_headers* or to the tunnel."""
    host, port, proxy = parts.hostname or "", parts.port, _proxy_for(parts)
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        context = context.get() if isinstance(context, LazyContext) else (
            context or ssl_context())
        if proxy:
            connection = http.client.HTTPSConnection(
                proxy.hostname or "", proxy.port or 80, timeout=timeout,
                context=context)
            tunnel_headers = {}
            proxy_auth = urls.auth_header(proxy)
            if proxy_auth:
                tunnel_headers["Proxy-Authorization"] = proxy_auth
            connection.set_tunnel(host, port or 443, tunnel_headers)
        else:
            connection = http.client.HTTPSConnection(
                host, port or 443, timeout=timeout, context=context)
    elif proxy:
        connection = http.client.HTTPConnection(
            proxy.hostname or "", proxy.port or 80, timeout=timeout)
        path = urllib.parse.urlunsplit(parts._replace(
            netloc=urls.hostport(parts), fragment=""))
        proxy_auth = urls.auth_header(proxy)
        if proxy_auth:
            request_headers["Proxy-Authorization"] = proxy_auth
    else:
        connection = http.client.HTTPConnection(host, port or 80,
                                                timeout=timeout)
    return connection, path


def _proxy_for(parts):
    proxy = urllib.request.getproxies().get(parts.scheme)
    if not proxy or urllib.request.proxy_bypass(parts.hostname or ""):
        return None
    if "://" not in proxy:
        proxy = "http://" + proxy
    return urllib.parse.urlsplit(proxy)


def describe(error: BaseException, limits: typing.Any = None) -> str:
    """One short phrase for a failed exchange, with no URL in it, classified
    the way pip's ``network/utils.py`` does."""
    reason = error.reason if isinstance(error, urllib.error.URLError) \
        else error
    text = repr(reason)
    if isinstance(reason, (socket.timeout, TimeoutError)) or \
            "timed out" in text:
        return "timed out"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, ssl.SSLCertVerificationError):
        return "TLS error (certificate not trusted: %s)" % (
            getattr(reason, "verify_message", "") or "verification failed")
    if isinstance(reason, ssl.SSLError):
        return "TLS error (handshake failed)"
    if isinstance(reason, socket.gaierror):
        return "host name not found"
    if isinstance(reason, ConnectionResetError):
        return "connection reset"
    if isinstance(reason, (http.client.RemoteDisconnected,
                           http.client.BadStatusLine,
                           http.client.LineTooLong)):
        return "not an HTTP answer (connection closed or garbage)"
    if isinstance(reason, OSError) and "Tunnel connection failed" in text:
        return "proxy error"
    if isinstance(reason, http.client.HTTPException):
        return "not an HTTP answer (%s)" % type(reason).__name__
    if isinstance(reason, OSError):
        return "cannot read (%s)" % (reason.strerror or type(reason).__name__)
    return "failed (%s)" % type(reason).__name__
