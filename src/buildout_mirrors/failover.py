"""Fail over during the run: the same page or file from the next mirror.

After the choice, every index page and distribution file is fetched here
with bounded timeouts.  When the mirror fails (refused, reset, timeout, a
stall or a transfer slower than a floor, 5xx, a truncated body, a hash
mismatch, a redirect to a foreign host) the same page is asked of the next
live candidate, and a file is looked up by its name on that candidate's
project page.  A mirror that fails ``MAX_FAILURES`` times is dropped for
the rest of the run.  Like dnf/librepo, not like zc.buildout (15 s per URL,
then failure).

Plain code: the buildout hooks install it as a urllib handler
(:mod:`buildout_mirrors.hook_urllib`) and serve it to pip through a local
index (:mod:`buildout_mirrors.pipproxy`).
"""

import collections
import fnmatch
import hashlib
import posixpath
import re
import threading
import urllib.parse

from buildout_mirrors import pages, transport, urls
from buildout_mirrors.transport import FetchError

MAX_FAILURES = 2
MIN_BYTES_PER_SECOND = 8 * 1024  # below this, after the stall limit: a tarpit
DEFAULT_STALL = 15.0             # zc.buildout's own socket timeout


class IntegrityError(Exception):
    """Mirrors disagree about a file's content: refuse it."""


class NoMirrorLeft(FetchError):
    """Every candidate failed or was dropped: nothing can be fetched."""


def without_auth(url):
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urllib.parse.urlunsplit(
        parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def file_name(url):
    path = urllib.parse.urlsplit(url).path
    return urllib.parse.unquote(posixpath.basename(path))


def project_of(name):
    """The project a distribution file belongs to, from its name."""
    if name.endswith(".whl"):
        return name.split("-")[0]
    stem = re.sub(r"\.(tar\.gz|tar\.bz2|tgz|zip|egg)$", "", name)
    return stem.rsplit("-", 1)[0]


def fragment_hashes(url):
    fragment = urllib.parse.urlsplit(url).fragment
    result = {}
    for part in fragment.split("&"):
        algorithm, _, digest = part.partition("=")
        if algorithm in hashlib.algorithms_guaranteed and digest:
            result[algorithm] = digest.lower()
    return result


class Failover:
    """``Failover(candidates, timeout=2.0, stall=15.0, verify=True,
    allowed_hosts=(), on_takeover=None, on_drop=None, silent=())``.

    *candidates* are index URLs, the chosen one first.  ``fetch(url)``
    returns a :class:`~buildout_mirrors.transport.Response` or raises :class:`FetchError` (no mirror
    could serve it), :class:`NoMirrorLeft` or :class:`IntegrityError`.

    Slow is not dead: while another mirror could serve, a mirror gets
    *timeout* seconds for its first byte; the last one left gets *stall*
    seconds, like zc.buildout's own socket timeout, and no rate floor.
    *silent* are candidates that never answered the probe: one more
    silence drops them.
    """

    def __init__(self, candidates, timeout=2.0, verify=True,
                 allowed_hosts=(), on_takeover=None, on_drop=None,
                 stall=DEFAULT_STALL, silent=()):
        self.candidates = list(candidates)
        self.timeout, self.stall = timeout, max(stall, timeout)
        self.context = transport.LazyContext(verify)
        self.allowed_hosts = tuple(allowed_hosts)
        self.on_takeover = on_takeover or (lambda *args: None)
        self.on_drop = on_drop or (lambda *args: None)
        self.failures = collections.Counter()
        self.dropped = set()
        self.reasons = {}     # mirror -> its last failure
        self.silent = set(silent)
        self.conflicts = {}   # file name -> message
        self._told = set()
        self._lock = threading.RLock()

    # -- which URLs are ours ----------------------------------------------

    def owner(self, url):
        """The candidate whose index holds *url*, or None.  Compared
        without credentials: buildout moves them into a header."""
        plain = without_auth(url.split("#", 1)[0])
        for mirror in self.candidates:
            index = without_auth(mirror)
            if plain == index or plain.startswith(index + "/"):
                return mirror
        return None

    def with_auth(self, url):
        """*url* with the credentials of the candidate on its host."""
        netloc = urllib.parse.urlsplit(url).netloc
        if "@" in netloc:
            return url
        for mirror in self.candidates:
            parts = urllib.parse.urlsplit(mirror)
            if "@" in parts.netloc and parts.netloc.rsplit("@", 1)[1] == \
                    netloc:
                return urllib.parse.urlunsplit(urllib.parse.urlsplit(url)
                                               ._replace(netloc=parts.netloc))
        return url

    def handles(self, url):
        """Pages of the candidates, and distribution files from anywhere
        (pypi.org's pages point at another host for files)."""
        if not url.startswith(("http://", "https://")):
            return False
        return self.owner(url) is not None or pages.DIST_SUFFIXES_RE.search(
            urllib.parse.urlsplit(url).path) is not None

    def live(self):
        """The candidates not dropped, in order."""
        return self._order(None)

    def none_left(self):
        """A :class:`NoMirrorLeft` naming every mirror and why it failed."""
        return NoMirrorLeft("no listed mirror is reachable: %s" % ", ".join(
            "%s (%s)" % (urls.redact(mirror), self.reasons.get(
                mirror, "dropped")) for mirror in self.candidates))

    # -- fetching -----------------------------------------------------------

    def fetch(self, url, accept="text/html"):
        mirror = self.owner(url)
        plain = without_auth(url.split("#", 1)[0])
        if mirror is not None and not pages.DIST_SUFFIXES_RE.search(plain):
            return self.fetch_page(
                mirror, plain[len(without_auth(mirror)):], accept)
        return self.fetch_file(self.with_auth(url))

    def fetch_page(self, first, relative, accept="text/html"):
        """*relative* (``/six/``) from *first*, else from the next mirror."""
        order = self._order(first)
        if not order:
            raise self.none_left()
        errors, reasons, not_found, slow = [], [], None, []
        for position, mirror in enumerate(order):
            patient = position == len(order) - 1 and not slow
            try:
                fetched = self._get(mirror + relative, accept, patient)
            except FetchError as error:
                if error.slow and not patient:
                    slow.append(mirror)
                else:
                    self._failed(mirror, str(error), patient)
                reasons.append(str(error))
                errors.append("%s: %s" % (urls.redact(mirror), error))
                continue
            if fetched.status == 404:
                not_found = not_found or fetched
                continue
            if mirror != first and reasons:
                self._tell(first, mirror, reasons[0])
            return fetched
        if not_found is not None:
            return not_found
        if slow:  # every mirror that answered nothing was slow: wait
            mirror = slow[0]
            try:
                fetched = self._get(mirror + relative, accept, True)
            except FetchError as error:
                self._failed(mirror, str(error), True)
                errors.append("%s: %s" % (urls.redact(mirror), error))
            else:
                if mirror != first:
                    self._tell(first, mirror, reasons[0])
                return fetched
        if not self._order(None):
            raise self.none_left()
        raise FetchError("no mirror could serve %s (%s)"
                         % (relative, "; ".join(errors)))

    def fetch_file(self, url):
        """*url*, else the file of the same name from the next mirror;
        every answer is checked against the hashes the pages gave."""
        name = file_name(url)
        with self._lock:
            if name in self.conflicts:
                raise IntegrityError(self.conflicts[name])
        origin, project = self._mirror_on_host(url), project_of(name)
        expected = fragment_hashes(url)
        errors, reasons = [], []
        others = [mirror for mirror in self._order(None) if mirror != origin]
        if origin not in self.dropped:
            try:
                return self._get_verified(url, expected, patient=not others)
            except FetchError as error:
                if origin:
                    self._failed(origin, str(error), not others)
                reasons.append(str(error))
                errors.append("%s: %s" % (urls.redact(url.split("#")[0]),
                                          error))
        for position, mirror in enumerate(others):
            patient = position == len(others) - 1
            try:
                alternative = self._locate(mirror, project, name, expected,
                                           patient)
                if alternative is None:
                    continue
                fetched = self._get_verified(alternative, expected, patient)
            except FetchError as error:
                self._failed(mirror, str(error), patient)
                reasons.append(str(error))
                errors.append("%s: %s" % (urls.redact(mirror), error))
                continue
            self._tell(origin or url.split("#")[0], mirror,
                       reasons[0] if reasons else "failed")
            return fetched
        if not self._order(None):
            raise self.none_left()
        raise FetchError("no mirror could serve %s (%s)"
                         % (name, "; ".join(errors) or "not listed"))

    def _locate(self, mirror, project, name, expected, patient):
        """The URL of file *name* on *mirror*'s page, after checking that
        the page's hash agrees with what is expected."""
        page = self._get(pages.project_url(mirror, project), pages.ACCEPT,
                         patient)
        if page.status == 404:
            return None
        if page.status != 200:
            raise FetchError("HTTP %d" % page.status)
        parsed = self._parse(page)
        if name not in parsed.files:
            return None
        alternative = parsed.files[name]
        listed = fragment_hashes(alternative)
        for algorithm, digest in listed.items():
            if algorithm in expected and expected[algorithm] != digest:
                message = (
                    "%s is listed with different %s hashes by %s and %s: "
                    "the file was corrupted or tampered with; not installing "
                    "it" % (name, algorithm, urls.redact(mirror),
                            "the mirror first asked"))
                with self._lock:
                    self.conflicts[name] = message
                raise IntegrityError(message)
        return alternative

    def _get_verified(self, url, expected, patient):
        fetched = self._get(url, "*/*", patient)
        if fetched.status != 200:
            fetched.close()
            raise FetchError("HTTP %d" % fetched.status)
        for algorithm, digest in sorted(expected.items()):
            actual = hashlib.new(algorithm)
            for block in iter(lambda: fetched.body.read(1 << 16), b""):
                actual.update(block)
            fetched.body.seek(0)
            if actual.hexdigest() != digest:
                fetched.close()
                raise FetchError("%s mismatch (the file differs from the "
                                 "index page)" % algorithm)
            break  # one strong hash is enough
        return fetched

    # -- bookkeeping --------------------------------------------------------

    def _mirror_on_host(self, url):
        host = urllib.parse.urlsplit(without_auth(url)).netloc
        for mirror in self.candidates:
            if urllib.parse.urlsplit(without_auth(mirror)).netloc == host:
                return mirror
        return None

    def _order(self, first):
        with self._lock:
            rest = [mirror for mirror in self.candidates
                    if mirror != first and mirror not in self.dropped]
            return ([first] if first and first not in self.dropped else []) \
                + rest

    def _failed(self, mirror, reason, patient=False):
        with self._lock:
            self.failures[mirror] += 1
            self.reasons[mirror] = reason
            # A mirror silent at the probe and silent again, however
            # patiently asked, is not slow: it hangs.
            hung = patient and mirror in self.silent
            drop = (self.failures[mirror] >= MAX_FAILURES or hung) and \
                mirror not in self.dropped
            if drop:
                self.dropped.add(mirror)
        if drop:
            self.on_drop(mirror, reason)

    def _tell(self, failed, mirror, reason):
        key = (failed, mirror)
        with self._lock:
            self.silent.discard(mirror)
            if key in self._told:
                return
            self._told.add(key)
        self.on_takeover(failed, mirror, reason)

    def _parse(self, fetched):
        try:
            return pages.parse(fetched.read_all(), fetched.headers.get(
                "Content-Type", ""), fetched.url, fetched.headers)
        except pages.PageError as error:
            raise FetchError("invalid page: %s" % error) from None

    # -- one HTTP exchange ----------------------------------------------------

    def limits(self, patient):
        """Impatient while another mirror could serve: the first byte
        within the selection timeout, and a rate floor after the stall
        limit.  Patient for the last one: what zc.buildout itself waits."""
        if patient:
            return transport.Limits(first_byte=self.stall, stall=self.stall)
        return transport.Limits(first_byte=self.timeout, stall=self.stall,
                                floor=MIN_BYTES_PER_SECOND)

    def _get(self, url, accept, patient=False):
        """GET *url* within bounds; follow redirects only to candidate or
        allowed hosts; 5xx is a failure."""
        fetched = transport.get(url.split("#", 1)[0], accept,
                                self.limits(patient), self.context,
                                headers=_netrc_header(url),
                                redirect_ok=self._redirect_ok)
        if fetched.status >= 500:
            fetched.close()
            raise FetchError("HTTP %d" % fetched.status)
        mirror = self._mirror_on_host(url)
        if mirror is not None:
            with self._lock:
                self.silent.discard(mirror)
        return fetched

    def _redirect_ok(self, source, target):
        host = urls.host_of(target)
        netloc = urllib.parse.urlsplit(target).netloc.rsplit("@", 1)[-1]
        if any(urls.host_of(mirror) == host for mirror in self.candidates):
            return True
        if any(fnmatch.fnmatch(netloc, pattern) or
               fnmatch.fnmatch(host, pattern)
               for pattern in self.allowed_hosts if pattern != "*"):
            return True
        raise FetchError("redirect to %s refused (not a mirror and not in "
                         "allow-hosts)" % host)


_NETRC = []


def _netrc_header(url):
    """A Basic header from ~/.netrc for a URL without credentials (read
    once a run, like requests does once a session)."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is not None:
        return {}
    if not _NETRC:
        import netrc
        try:
            _NETRC.append(netrc.netrc())
        except (OSError, netrc.NetrcParseError):
            _NETRC.append(None)
    found = _NETRC[0].authenticators(parts.hostname or "") \
        if _NETRC[0] else None
    if not found:
        return {}
    return {"Authorization": transport.basic_auth(found[0], found[2])}
