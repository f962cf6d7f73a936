"""The one index client: read a project page, and check a file against
the hashes its page listed.  The probe, the failover, pip's local index,
the wheelhouse and bootstrap.py all read pages and check files here, so
that a hostile page or file is met by one piece of code.

Every GET is :func:`buildout_mirrors.index.transport.get`, bounded by the
caller's :class:`~buildout_mirrors.index.transport.Limits`; parsing is
:func:`buildout_mirrors.index.pages.parse`, linear in the page's size.
"""

from __future__ import annotations

import hashlib
import typing

from buildout_mirrors.index import pages, transport
from buildout_mirrors.index.transport import FetchError


class BadAnswer(FetchError):
    """The index answered, but not with a usable page (a status other
    than 200, or a page that does not parse): no verdict on its health."""


class NotListed(BadAnswer):
    """The index answered 404: it does not have this project."""


def project_page(response: transport.Response) -> pages.ProjectPage:
    """The :class:`~buildout_mirrors.index.pages.ProjectPage` in
    *response* (a complete transport Response), or FetchError."""
    try:
        return pages.parse(response.read_all(), response.headers.get(
            "Content-Type", ""), response.url, response.headers)
    except pages.PageError as error:
        raise BadAnswer("invalid page: %s" % error) from None


def read_project(index_url, project, limits, context=None, accept=None,
                 get=None):
    """The page of *project* on the index at *index_url*.  Raises
    :class:`NotListed` for a 404, :class:`BadAnswer` for another status or
    an invalid page, FetchError when the exchange failed.
    *get(url, accept)* replaces the plain bounded GET (the failover
    passes its own)."""
    url = pages.project_url(index_url, project)
    if get is None:
        response = transport.get(url, accept or pages.ACCEPT, limits,
                                 context)
    else:
        response = get(url, accept or pages.ACCEPT)
    with response.body:
        if response.status == 404:
            raise NotListed("HTTP 404 (%s not found)" % project)
        if response.status != 200:
            raise BadAnswer("HTTP %d" % response.status)
        return project_page(response)


def check_hashes(body: typing.IO[bytes], expected: dict[str, str]) -> None:
    """Read *body* (a file) once and compare it with *expected*
    ({algorithm: hex digest}, as a link's fragment gives it); rewind it.
    One strong hash is enough.  Raises FetchError on a mismatch."""
    for algorithm, digest in sorted(expected.items()):
        actual = hashlib.new(algorithm)
        for block in iter(lambda: body.read(1 << 16), b""):
            actual.update(block)
        body.seek(0)
        if actual.hexdigest() != digest:
            raise FetchError("%s mismatch (the file differs from the index "
                             "page)" % algorithm)
        return
