"""Probe one mirror over HTTP, bounded by an absolute deadline.

Every probe returns a :class:`ProbeResult`; failures are classified the
way pip's ``network/utils.py`` does (refused, timed out, TLS, proxy ...)
so that the log line says why a mirror was skipped.
"""

import errno
import os
import socket
import time
import urllib.parse
import urllib.request

import requests
from zope.interface import implementer

from buildout_mirrors import pages, urls
from buildout_mirrors.interfaces import IProber
from buildout_mirrors.result import ProbeResult

MAX_PAGE_BYTES = 32 * 1024 * 1024  # a garbage stream must not eat memory
MAX_REDIRECTS = 5
USER_AGENT = "buildout_mirrors (probe)"


class DeadlineExceeded(Exception):
    pass


def describe_failure(error, timeout):
    """One short phrase for *error*, with no URL (so no credentials)."""
    if isinstance(error, (DeadlineExceeded, requests.exceptions.ReadTimeout,
                          socket.timeout)):
        return "timed out after %.1f s" % timeout
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return "connection timed out after %.1f s" % timeout
    if isinstance(error, requests.exceptions.SSLError):
        return "TLS error (certificate not trusted or handshake failed)"
    if isinstance(error, requests.exceptions.ProxyError):
        return "proxy error"
    if isinstance(error, requests.exceptions.TooManyRedirects):
        return "too many redirects"
    if isinstance(error, pages.PageError):
        return "invalid page: %s" % error
    text = repr(error)
    if isinstance(error, ConnectionRefusedError) or "Connection refused" in text \
            or "[Errno %d]" % errno.ECONNREFUSED in text:
        return "connection refused"
    if "NameResolutionError" in text or "Name or service not known" in text \
            or "getaddrinfo failed" in text or "nodename nor servname" in text:
        return "host name not found"
    if "Connection reset" in text or "ConnectionResetError" in text:
        return "connection reset"
    if "RemoteDisconnected" in text or "BadStatusLine" in text \
            or "InvalidChunkLength" in text or "ProtocolError" in text:
        return "not an HTTP answer (connection closed or garbage)"
    if isinstance(error, OSError):
        return "cannot read (%s)" % (error.strerror or type(error).__name__)
    return "failed (%s)" % type(error).__name__


@implementer(IProber)
class HttpProber:
    """Probe mirrors with requests; local ``file:`` indexes are read directly.

    ``HttpProber(verify=True)``: *verify* is passed to requests (a CA
    bundle path, or True for the default trust store).
    """

    def __init__(self, verify=True):
        self.verify = verify

    def probe_index(self, url, projects, deadline):
        started = time.monotonic()
        budget = max(deadline - started, 0.0)
        files, serials = set(), []
        try:
            for project in projects:
                page = self._read_project(url, project, deadline)
                if not page.files:
                    return self._failed(url, started, "no distributions of %s"
                                        % project)
                files.update(page.files)
                serials.append(page.serial)
        except _HttpStatus as status:
            return self._failed(url, started, str(status))
        except Exception as error:  # a probe reports, it never raises
            return self._failed(url, started, describe_failure(error, budget))
        serial = serials[0] if len(serials) == 1 else (
            sum(serials) if None not in serials else None)
        return ProbeResult(url, True, time.monotonic() - started,
                           serial=serial, files=frozenset(files))

    def probe_link(self, url, deadline):
        started = time.monotonic()
        budget = max(deadline - started, 0.0)
        try:
            with requests.Session() as session:
                self._get(session, url, deadline, "text/html")
        except _HttpStatus as status:
            return self._failed(url, started, str(status))
        except Exception as error:
            return self._failed(url, started, describe_failure(error, budget))
        return ProbeResult(url, True, time.monotonic() - started)

    @staticmethod
    def _failed(url, started, reason):
        return ProbeResult(url, False, time.monotonic() - started, reason)

    def _read_project(self, index_url, project, deadline):
        page_url = pages.project_url(index_url, project)
        if index_url.startswith("file:"):
            return read_local_project(index_url, project)
        with requests.Session() as session:
            response, body = self._get(session, page_url, deadline,
                                       pages.ACCEPT)
        if response.status_code == 404:
            raise _HttpStatus("HTTP 404 (%s not found)" % project)
        return pages.parse(body, response.headers.get("Content-Type", ""),
                           response.url, response.headers)

    def _get(self, session, url, deadline, accept):
        """GET *url*, reading the body in slices so that a server that
        trickles bytes is cut off at *deadline* like one that hangs."""
        for _ in range(MAX_REDIRECTS + 1):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise DeadlineExceeded()
            response = session.get(
                url, headers={"Accept": accept, "User-Agent": USER_AGENT},
                timeout=(remaining, remaining), stream=True,
                verify=self.verify, allow_redirects=False)
            if not response.is_redirect:
                break
            response.close()
            target = urllib.parse.urljoin(url, response.headers["Location"])
            # Same host only: pypiserver without --disable-fallback, for
            # one, redirects unknown projects to pypi.org.
            if urls.host_of(target) != urls.host_of(url):
                raise _HttpStatus("redirects to %s (refused: not this "
                                  "mirror)" % urls.host_of(target))
            url = target
        else:
            raise _HttpStatus("too many redirects")
        with response:
            if response.status_code >= 400 and response.status_code != 404:
                raise _HttpStatus("HTTP %d" % response.status_code)
            chunks, size = [], 0
            read = getattr(response.raw, "read1", None) or response.raw.read
            while True:
                if time.monotonic() > deadline:
                    raise DeadlineExceeded()
                chunk = read(65536, decode_content=True)
                if not chunk:
                    break
                size += len(chunk)
                if size > MAX_PAGE_BYTES:
                    raise pages.PageError("page larger than %d bytes"
                                          % MAX_PAGE_BYTES)
                chunks.append(chunk)
        return response, b"".join(chunks)


class _HttpStatus(Exception):
    pass


def read_local_project(index_url, project):
    """Read a project from a local directory index (PEP 503 layout: one
    folder a project, holding the files or an ``index.html``)."""
    root = urllib.request.url2pathname(urllib.parse.urlsplit(index_url).path)
    folder = os.path.join(root, pages.normalize_project(project))
    index_html = os.path.join(folder, "index.html")
    if os.path.isfile(index_html):
        with open(index_html, "rb") as stream:
            return pages.parse(stream.read(), "text/html",
                               urls.to_file_url(folder, "/") + "/")
    if not os.path.isdir(folder):
        raise _HttpStatus("%s not found in the directory" % project)
    return pages.ProjectPage(files={
        name: urls.to_file_url(os.path.join(folder, name), "/")
        for name in os.listdir(folder)
        if name.lower().endswith(pages.DIST_SUFFIXES)})
