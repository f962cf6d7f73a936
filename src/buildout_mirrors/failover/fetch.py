"""Fail over during the run: the same page or file from the next mirror.

After the choice, every index page and distribution file is fetched here
with bounded timeouts.  When a mirror fails (refused, reset, silent, a
stall or a trickle, 5xx, a truncated body, a hash mismatch, a redirect to
a foreign host) the same page is asked of the next mirror in the
policy's order (:mod:`~buildout_mirrors.failover.mirror_book`, which also
decides who is ejected for a while), and a file is looked up by its name
on that mirror's project page.  Like Envoy and dnf/librepo, not like
zc.buildout (15 s per URL, then failure).

Plain code: the buildout hooks install it as a urllib handler
(:mod:`buildout_mirrors.buildout.hook_urllib`) and serve it to pip
through a local index (:mod:`buildout_mirrors.failover.pipproxy`).
"""

from __future__ import annotations

import time

from buildout_mirrors.index import pages, urls
from buildout_mirrors.failover.exchange import DEFAULT_STALL, Exchange, \
    recheck_in_background
from buildout_mirrors.failover import patience
from buildout_mirrors.failover.latency import Latencies
from buildout_mirrors.failover.mirror_book import MirrorBook
from buildout_mirrors.failover.private_route import PrivateRoute
from buildout_mirrors.failover.routes import Routes
from buildout_mirrors.index.transport import FetchError
from buildout_mirrors.failover.second_opinion import SecondOpinion
from buildout_mirrors.failover.verified import VerifiedFiles

__all__ = ["Failover"]


class Failover:
    """``Failover(candidates, timeout=2.0, ...)``: *answered* are
    candidates known to answer (at the probe, or by the state); *private*
    a PrivateProjects (selection.private_projects), or None.

    *candidates* are index URLs, the chosen one first.  ``fetch(url)``
    returns a :class:`~buildout_mirrors.index.transport.Response` or raises
    :class:`FetchError` (no mirror could serve it), :class:`NoMirrorLeft`
    or :class:`IntegrityError` (two mirrors disagree on a hash).  Slow is
    not dead: while another mirror could serve, a mirror gets *timeout*
    seconds for its first byte; the last one left gets *stall* seconds,
    like zc.buildout's own socket timeout, and no rate floor.
    """

    def __init__(self, candidates, *, timeout=2.0, verify=True,
                 allowed_hosts=(), on_takeover=None, on_drop=None,
                 stall=DEFAULT_STALL, silent=(), clock=time.monotonic,
                 link_credentials=(), answered=(), private=None):
        self.book = MirrorBook(candidates, silent=silent,
                               on_takeover=on_takeover, on_drop=on_drop,
                               clock=clock)
        self.candidates = self.book.candidates
        self.exchange = Exchange(self.candidates, timeout=timeout,
                                 stall=stall, verify=verify,
                                 allowed_hosts=allowed_hosts)
        self.book.known_live.update(answered)  # may give second opinions
        self.latencies = Latencies()
        self.routes = Routes(self.book, link_credentials)
        self.links = self.routes.links
        self._recheck_path = "/"  # the last page a mirror served
        self.opinion = SecondOpinion(self.book, lambda url, accept: self.get(
            url, accept, False), wait=timeout)
        self.files = VerifiedFiles(self.get, self.opinion)
        self.conflicts = self.files.conflicts  # file name -> message
        self.on_missing = lambda project, asked: None  # every mirror: 404
        self.lookahead = None  # a failover.lookahead.LookAhead, if any
        # A company's projects: asked of its index first, never of the
        # pool once known (selection.private_projects).
        self.private = PrivateRoute(private, Exchange(
            private.indexes, timeout=timeout, stall=stall,
            verify=verify)) if private else None

    # The book's state, read by the session and the tests.
    dropped = property(lambda self: self.book.dropped)
    reasons = property(lambda self: self.book.reasons)
    failures = property(lambda self: self.book.failures)
    silent = property(lambda self: self.book.silent)

    owner = property(lambda self: self.book.owner)

    def with_auth(self, url):
        return self.routes.with_auth(url)

    def handles(self, url):
        return self.routes.handles(url)

    def live(self):
        """The candidates not dropped, in order."""
        return self.book.order()

    def none_left(self):
        return self.book.none_left()

    def fetch(self, url, accept="text/html"):
        """*url* for buildout: from what the look-ahead fetched, if it
        did, else from the mirrors now."""
        if self.lookahead is not None:
            ahead = self.lookahead.claim(url, accept)
            if ahead is not None:
                return ahead
        fetched = self._fetch(url, accept)
        if self.lookahead is not None:
            self.lookahead.arrived(url, fetched)
        return fetched

    def close(self):
        """Stop fetching ahead; close the connections kept alive."""
        if self.lookahead is not None:
            self.lookahead.close()
        self.exchange.close()
        if self.private is not None:
            self.private.exchange.close()

    def _fetch(self, url, accept):
        mirror = self.owner(url)
        plain = urls.without_auth(url.split("#", 1)[0])
        if mirror is not None and not pages.DIST_SUFFIXES_RE.search(plain):
            return self.fetch_page(
                mirror, plain[len(urls.without_auth(mirror)):], accept)
        return self.fetch_file(self.with_auth(url))

    def fetch_page(self, first, relative, accept="text/html"):
        """*relative* (``/six/``) from *first*, else from the next mirror;
        a private project's from its private index only."""
        private = self.private and relative.count("/") == 2 and \
            self.private.page(relative.strip("/"), relative, accept)
        if private:
            return private
        order = self.book.order(first)
        if not order:
            raise self.none_left()
        errors, reasons, slow = [], [], []  # type: list, list, list[str]
        not_found = None
        for position, mirror in enumerate(order):
            patient = position == len(order) - 1 and not slow
            started = self.book.clock()
            try:
                fetched = self.get(mirror + relative, accept, patient)
            except FetchError as error:
                if not patient and (error.slow or self.book.clock() - started
                                    > self.exchange.timeout):
                    # Silent, or failed after costing more than the timeout
                    # (a trickle, a stall), while others could serve.
                    self.book.stalled(mirror, str(error))
                    slow += [mirror] if error.slow else []
                else:
                    self.book.failed(mirror, str(error), patient)
                reasons.append(str(error))
                errors.append("%s: %s" % (urls.redact(mirror), error))
                continue
            if fetched.status == 404:
                not_found = not_found or (fetched, mirror, self.book.clock()
                                          - started > self.exchange.timeout)
                continue
            if mirror != first and reasons:
                self.book.took_over(first, mirror, reasons[0])
            if fetched.status == 200 and relative.count("/") == 2:
                self._served_project(relative, mirror)
            return fetched
        if not_found is not None:
            return patience.final_404(self, relative, accept, order,
                                      *not_found)
        if slow:  # every mirror that answered nothing was slow: wait
            fetched = patience.wait_for_slow(self, first, relative, accept,
                                             slow, reasons[0], errors)
            if fetched is not None:
                return fetched
        if not self.book.order():
            raise self.none_left()
        raise FetchError("no mirror could serve %s (%s)"
                         % (relative, "; ".join(errors)))

    def _served_project(self, relative, mirror):
        """A project page came: the next re-check asks for it, and another
        mirror is asked for its opinion on the project's hashes."""
        self._recheck_path = relative
        self.opinion.ask(relative.strip("/"), mirror)

    def fetch_file(self, url):
        """*url*, else the file of the same name from the next mirror;
        every answer is checked against the hashes the pages gave."""
        name = pages.file_name(url)
        if self.private and self.private.projects.owns_file(url):
            return self.private.file(url, pages.fragment_hashes(url))
        self.files.refuse_known_conflict(name)
        origin, project = self.book.on_host_of(url), pages.project_of(name)
        expected = pages.fragment_hashes(url)
        errors, reasons = [], []
        others = [mirror for mirror in self.book.order() if mirror != origin]
        if origin not in self.dropped:
            try:
                return self.files.agreed(self.files.get_verified(
                    url, expected, patient=not others), name, expected,
                    origin)
            except FetchError as error:
                if origin and error.slow and others:
                    self.book.stalled(origin, str(error))
                elif origin:
                    self.book.failed(origin, str(error), not others)
                reasons.append(str(error))
                errors.append("%s: %s" % (urls.redact(url.split("#")[0]),
                                          error))
        for position, mirror in enumerate(others):
            patient = position == len(others) - 1
            try:
                alternative = self.files.locate(mirror, project, name,
                                                expected, patient)
                if alternative is None:
                    continue
                fetched = self.files.get_verified(alternative, expected,
                                                  patient)
            except FetchError as error:
                self.book.failed(mirror, str(error), patient)
                reasons.append(str(error))
                errors.append("%s: %s" % (urls.redact(mirror), error))
                continue
            self.book.took_over(origin or url.split("#")[0], mirror,
                       reasons[0] if reasons else "failed")
            return self.files.agreed(fetched, name, expected, mirror)
        if not self.book.order():
            raise self.none_left()
        raise FetchError("no mirror could serve %s (%s)"
                         % (name, "; ".join(errors) or "not listed"))

    def recheck(self):
        """Re-check, in the background, each ejected mirror whose time is
        up (builds never wait for a re-check)."""
        for mirror in self.book.due():
            recheck_in_background(self.exchange, self.book, mirror,
                                  self._recheck_path)

    def get(self, url, accept, patient=False, files_elsewhere=False):
        self.recheck()  # on every request, buildout's and pip's
        mirror = self.book.on_host_of(url)
        started = time.monotonic()
        fetched = self.exchange.get(
            url, accept, patient, files_elsewhere, first_byte=None
            if mirror is None else self.latencies.first_byte(
                mirror, self.exchange.timeout))
        if mirror is not None:
            self.book.answered(mirror)
            if accept != "*/*":  # pages: small, their time is the wait
                self.latencies.record(mirror, time.monotonic() - started)
        return fetched
