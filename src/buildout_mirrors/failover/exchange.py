"""One bounded HTTP exchange with a mirror, for the failover: how long to
wait, where a redirect may go, and ~/.netrc credentials."""

from __future__ import annotations

import fnmatch
import http.client
import io
import threading

from buildout_mirrors.index import connection, pages, transport, urls
from buildout_mirrors.index.keepalive import ConnectionPool
from buildout_mirrors.index.transport import FetchError

MIN_BYTES_PER_SECOND = 8 * 1024  # below this, after the stall limit: a tarpit
DEFAULT_STALL = 15.0             # zc.buildout's own socket timeout


class Exchange:
    """``Exchange(candidates, *, timeout, stall, verify, allowed_hosts)``;
    ``get(url, accept, patient)`` returns a transport Response or raises
    :class:`FetchError` (5xx included).  Connections are kept alive per
    host until ``close()``."""

    def __init__(self, candidates, *, timeout=2.0, stall=DEFAULT_STALL,
                 verify=True, allowed_hosts=()):
        self.candidates = candidates
        self.timeout, self.stall = timeout, max(stall, timeout)
        self.context = connection.LazyContext(verify)
        self.allowed_hosts = tuple(allowed_hosts)
        self.pool = ConnectionPool()

    def close(self):
        self.pool.close()

    def limits(self, patient, first_byte=None):
        """Impatient while another mirror could serve: the first byte
        within *first_byte* (learned) or the selection timeout, and a rate
        floor after the stall limit.  Patient for the last one: what
        zc.buildout itself waits."""
        if patient:
            return transport.Limits(first_byte=self.stall, stall=self.stall)
        return transport.Limits(first_byte=first_byte or self.timeout,
                                stall=self.stall, floor=MIN_BYTES_PER_SECOND)

    def get(self, url, accept, patient=False, files_elsewhere=False,
            first_byte=None):
        """GET *url* within bounds; follow redirects only to candidate or
        allowed hosts (with *files_elsewhere*, to any https host: a file
        whose hash is known); 5xx is a failure."""
        try:
            fetched = transport.get(url.split("#", 1)[0], accept,
                                    self.limits(patient, first_byte),
                                    self.context,
                                    headers=_netrc_header(url),
                                    redirect_ok=self._file_redirect_ok
                                    if files_elsewhere else self._redirect_ok,
                                    pool=self.pool)
        except transport.RedirectRefused:
            if accept == "*/*":  # a file: the next mirror may serve it
                raise
            # A page sent elsewhere (pypiserver's fallback to pypi.org for
            # a project it lacks) is "not here": no failure of the mirror.
            return _not_here(url)
        if fetched.status >= 500:
            fetched.close()
            raise FetchError("HTTP %d" % fetched.status)
        return fetched

    def _file_redirect_ok(self, source, target):
        return target.startswith("https://") or \
            self._redirect_ok(source, target)

    def _redirect_ok(self, source, target):
        host = urls.host_of(target)
        netloc = urls.hostport(target)
        if any(urls.host_of(mirror) == host for mirror in self.candidates):
            return True
        if any(fnmatch.fnmatch(netloc, pattern) or
               fnmatch.fnmatch(host, pattern)
               for pattern in self.allowed_hosts if pattern != "*"):
            return True
        raise transport.RedirectRefused(
            "redirect to %s refused (not a mirror and not in allow-hosts)"
            % host)


def _not_here(url):
    """A 404 of *url*, as the mirror meant it."""
    return transport.Response(url.split("#", 1)[0], 404,
                              http.client.HTTPMessage(), io.BytesIO(b""))


_NETRC: list = []


def _netrc_header(url):
    """A Basic header from ~/.netrc for a URL without credentials (read
    once a run, like requests does once a session)."""
    if urls.credentials(url):
        return {}
    if not _NETRC:
        import netrc
        try:
            _NETRC.append(netrc.netrc())
        except (OSError, netrc.NetrcParseError):
            _NETRC.append(None)
    found = _NETRC[0].authenticators(urls.host_of(url)) \
        if _NETRC[0] else None
    if not found:
        return {}
    return {"Authorization": urls.basic_auth(found[0], found[2])}


def recheck_in_background(exchange, book, mirror, path):
    """Ask ejected *mirror* for *path* (the last page served) in a daemon
    thread, impatiently: it is back in the *book*'s rotation once it
    answers; silence or a 5xx keeps it out for longer."""
    def recheck():
        try:
            exchange.get(mirror + path, pages.ACCEPT, False).close()
        except FetchError as error:
            book.recheck_failed(mirror, str(error), error.slow)
        else:
            book.answered(mirror)
    threading.Thread(target=recheck, daemon=True,
                     name="buildout_mirrors re-check").start()
