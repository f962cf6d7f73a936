"""Probe one mirror over HTTP, bounded by an absolute deadline.

Every probe returns a :class:`ProbeResult`, never raises; failures are
classified by :func:`buildout_mirrors.index.connection.describe`
(refused, timed out, TLS, proxy ...) so that the log line says why a
mirror was skipped.
A mirror that accepted the connection but had not answered by the deadline
is marked ``slow``: slow is not dead.
"""

from __future__ import annotations

import dataclasses
import os
import time
import typing
import urllib.parse
import urllib.request

from buildout_mirrors.index import (connection, index_client, pages,
                                    transport, urls)
from buildout_mirrors.selection.result import ProbeResult, Status

MAX_PAGE_BYTES = 32 * 1024 * 1024  # a garbage stream must not eat memory
ROOT_PEEK_BYTES = 1024 * 1024  # of a /simple/ root: it answers, enough


class HttpProber:
    """Probe mirrors over HTTP; local ``file:`` indexes are read directly.

    ``HttpProber(verify=True)``: *verify* is True for the system trust
    store, or the path of a CA bundle.
    """

    def __init__(self, verify=True):
        self.context = connection.LazyContext(verify)

    def probe_index(self, url: str, projects: typing.Sequence[str],
                    deadline: float) -> ProbeResult:
        started = time.monotonic()
        budget = max(deadline - started, 0.0)
        files, serials, newest, devpi = set(), [], {}, ()
        try:
            for project in projects:
                page = self._read_project(url, project, deadline)
                if not page.files:
                    return self._failed(url, started, "no distributions of %s"
                                        % project)
                files.update(page.files)
                serials.append(page.serial)
                devpi = max(devpi, page.devpi)
                newest[pages.normalize_project(project)] = \
                    pages.newest_version(page.files)
        except _HttpStatus as status:  # 404, 415 (devpi's web root) ...
            return self._not_listed(url, started, project, status, deadline)
        except pages.PageError as error:
            return self._failed(url, started, "invalid page: %s" % error)
        except transport.FetchError as error:
            return self._failed(url, started, _reason(error, deadline,
                                                      budget),
                                slow=error.slow)
        except OSError as error:
            return self._failed(url, started, connection.describe(error))
        serial = serials[0] if len(serials) == 1 else (
            sum(serials) if None not in serials else None)
        return ProbeResult(url, Status.HEALTHY, time.monotonic() - started,
                           serial=serial, files=frozenset(files),
                           newest=tuple(sorted(newest.items())),
                           devpi=devpi)

    def probe_link(self, url: str, deadline: float) -> ProbeResult:
        started = time.monotonic()
        budget = max(deadline - started, 0.0)
        try:
            response = transport.get(url, "text/html", self._limits(deadline),
                                     self.context)
            response.close()
            if response.status >= 400:
                raise _HttpStatus("HTTP %d" % response.status)
        except _HttpStatus as status:
            return self._failed(url, started, str(status))
        except transport.FetchError as error:
            return self._failed(url, started, _reason(error, deadline,
                                                      budget),
                                slow=error.slow)
        return ProbeResult(url, Status.HEALTHY, time.monotonic() - started)

    @staticmethod
    def _limits(deadline):
        budget = max(deadline - time.monotonic(), 0.001)
        return transport.Limits(first_byte=budget, stall=budget,
                                deadline=deadline, max_bytes=MAX_PAGE_BYTES)

    @staticmethod
    def _failed(url, started, reason, slow=False):
        return ProbeResult(url, Status.SLOW if slow else Status.FAILED,
                           time.monotonic() - started, reason)

    def _read_project(self, index_url, project, deadline):
        if index_url.startswith("file:"):
            return read_local_project(index_url, project)
        try:
            return index_client.read_project(
                index_url, project, self._limits(deadline), self.context)
        except index_client.NotListed as error:
            raise _NotListed(str(error)) from None
        except index_client.BadAnswer as error:
            raise _HttpStatus(str(error)) from None

    def _not_listed(self, url, started, project, status, deadline):
        """The probe project's page is not there: a URL without its
        ``/simple`` (say so), a live curated index (a company's: private),
        or dead."""
        if not urls.is_remote(url):
            return self._failed(url, started, str(status))
        base = url.rstrip("/")
        for suffix in ("/simple", "/+simple") if not base.endswith(
                "simple") else ():  # pypiserver's and devpi's
            if self._get(pages.project_url(base + suffix, project),
                         deadline) is not None:
                return self._failed(url, started, "%s; did you mean %s%s?"
                                    % (status, urls.redact(base), suffix))
        root = self._get(base + "/", deadline) if isinstance(
            status, _NotListed) else None
        if root is not None and pages.lists_projects(root, base):
            return ProbeResult(
                url, Status.CURATED, time.monotonic() - started,
                reason="a curated index (%s): private, asked first for "
                "its own projects" % status)
        return self._failed(url, started, str(status))

    def _get(self, url, deadline):
        """The text of *url* if it answers 200 (the first MiB), or None."""
        limits = dataclasses.replace(self._limits(deadline),
                                     max_bytes=ROOT_PEEK_BYTES)
        try:
            response = transport.get(url, "text/html", limits, self.context)
        except transport.FetchError:
            return None
        with response.body:
            if response.status != 200:
                return None
            return response.body.read().decode("utf-8", "replace")


def _reason(error, deadline, budget):
    """A deadline that ran out is reported as the selection's deadline."""
    if time.monotonic() >= deadline - 0.01 and (
            error.slow or error.kind in ("timeout", "stall")):
        return "timed out after %.1f s" % budget
    return str(error)


class _HttpStatus(Exception):
    pass


class _NotListed(_HttpStatus):
    """A 404 for the probe project."""


def read_local_project(index_url: str, project: str) -> pages.ProjectPage:
    """Read a project from a local directory index (PEP 503 layout: one
    folder a project, holding the files or an ``index.html``)."""
    root = urllib.request.url2pathname(urllib.parse.urlsplit(index_url).path)
    folder = os.path.join(root, pages.normalize_project(project))
    index_html = os.path.join(folder, "index.html")
    if os.path.isfile(index_html):
        with open(index_html, "rb") as stream:
            page = pages.parse(stream.read(), "text/html",
                               urls.to_file_url(folder, "/") + "/")
        if page.files and not any(os.path.isfile(os.path.join(folder, name))
                                  for name in page.files):
            # bandersnatch keeps files under web/packages/; zc.buildout
            # reads a file: index as a listing of each project's folder.
            raise _HttpStatus(
                "its project pages link files kept elsewhere (a bandersnatch"
                " tree?); zc.buildout looks for them in each project's "
                "folder: serve the tree over http(s) instead")
        return page
    if not os.path.isdir(folder):
        raise _HttpStatus("%s not found in the directory" % project)
    return pages.ProjectPage(files={
        name: urls.to_file_url(os.path.join(folder, name), "/")
        for name in os.listdir(folder)
        if name.lower().endswith(pages.DIST_SUFFIXES)})
