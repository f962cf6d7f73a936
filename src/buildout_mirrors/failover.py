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

import base64
import collections
import fnmatch
import hashlib
import http.client
import netrc
import posixpath
import re
import socket
import ssl
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from buildout_mirrors import pages, urls

MAX_FAILURES = 2
MIN_BYTES_PER_SECOND = 8 * 1024  # below this, after `timeout` s: too slow
MAX_REDIRECTS = 5
SPOOL_BYTES = 8 * 1024 * 1024    # bodies larger than this go to disk


class FetchError(Exception):
    """This mirror could not serve this URL; ``reason`` says why."""


class IntegrityError(Exception):
    """Mirrors disagree about a file's content: refuse it."""


class Fetched:
    """A complete, verified answer: ``url`` (where it came from),
    ``status``, ``headers`` (a dict) and ``body`` (a file at offset 0)."""

    def __init__(self, url, status, headers, body):
        self.url, self.status, self.headers, self.body = (
            url, status, headers, body)

    def read_all(self):
        data = self.body.read()
        self.body.seek(0)
        return data


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
    """``Failover(candidates, timeout=2.0, verify=True, allowed_hosts=(),
    on_takeover=None, on_drop=None)``.

    *candidates* are index URLs, the chosen one first.  ``fetch(url)``
    returns a :class:`Fetched` or raises :class:`FetchError` (no mirror
    could serve it) or :class:`IntegrityError`.
    """

    def __init__(self, candidates, timeout=2.0, verify=True,
                 allowed_hosts=(), on_takeover=None, on_drop=None):
        self.candidates = list(candidates)
        self.timeout = timeout
        self.verify = verify
        self.allowed_hosts = tuple(allowed_hosts)
        self.on_takeover = on_takeover or (lambda *args: None)
        self.on_drop = on_drop or (lambda *args: None)
        self.failures = collections.Counter()
        self.dropped = set()
        self.conflicts = {}   # file name -> message
        self._told = set()
        self._lock = threading.RLock()
        self._local = threading.local()

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
        errors, reasons, not_found = [], [], None
        for mirror in self._order(first):
            try:
                fetched = self._get(mirror + relative, accept)
            except FetchError as error:
                self._failed(mirror, str(error))
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
        if origin not in self.dropped:
            try:
                return self._get_verified(url, expected)
            except FetchError as error:
                if origin:
                    self._failed(origin, str(error))
                reasons.append(str(error))
                errors.append("%s: %s" % (urls.redact(url.split("#")[0]),
                                          error))
        for mirror in self._order(None):
            if mirror == origin:
                continue
            try:
                alternative = self._locate(mirror, project, name, expected)
                if alternative is None:
                    continue
                fetched = self._get_verified(alternative, expected)
            except FetchError as error:
                self._failed(mirror, str(error))
                reasons.append(str(error))
                errors.append("%s: %s" % (urls.redact(mirror), error))
                continue
            self._tell(origin or url.split("#")[0], mirror,
                       reasons[0] if reasons else "failed")
            return fetched
        raise FetchError("no mirror could serve %s (%s)"
                         % (name, "; ".join(errors) or "not listed"))

    def _locate(self, mirror, project, name, expected):
        """The URL of file *name* on *mirror*'s page, after checking that
        the page's hash agrees with what is expected."""
        page = self._get(pages.project_url(mirror, project),
                         pages.ACCEPT)
        if page.status == 404:
            return None
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

    def _get_verified(self, url, expected):
        fetched = self._get(url, "*/*")
        if fetched.status != 200:
            raise FetchError("HTTP %d" % fetched.status)
        for algorithm, digest in expected.items():
            actual = hashlib.new(algorithm)
            for block in iter(lambda: fetched.body.read(1 << 16), b""):
                actual.update(block)
            fetched.body.seek(0)
            if actual.hexdigest() != digest:
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

    def _failed(self, mirror, reason):
        with self._lock:
            self.failures[mirror] += 1
            drop = self.failures[mirror] >= MAX_FAILURES and \
                mirror not in self.dropped
            if drop:
                self.dropped.add(mirror)
        if drop:
            self.on_drop(mirror, reason)

    def _tell(self, failed, mirror, reason):
        key = (failed, mirror)
        with self._lock:
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
    #
    # The standard library, not requests: buildout already imported it, and
    # a rerun that only checks a few pages must not pay ~45 ms to import
    # requests.  Same behaviour: proxies from the environment, TLS with
    # verification (and the CA bundle option), credentials from the URL or
    # ~/.netrc, no redirect followed blindly.

    def _authorization(self, url):
        if not hasattr(self, "_netrc"):
            try:  # read once a run, like requests does once a session
                self._netrc = netrc.netrc()
            except (OSError, netrc.NetrcParseError):
                self._netrc = None
        return _authorization(url, self._netrc)

    def _opener(self):
        opener = getattr(self._local, "opener", None)
        if opener is None:
            handlers = [_NoRedirects]
            if isinstance(self.verify, str):  # a CA bundle; else the
                # default context, made only when an https URL is opened
                handlers.append(urllib.request.HTTPSHandler(
                    context=ssl.create_default_context(cafile=self.verify)))
            opener = self._local.opener = urllib.request.build_opener(
                *handlers)
        return opener

    def _get(self, url, accept):
        """GET *url* within bounds; follow redirects only to candidate or
        allowed hosts; return a complete :class:`Fetched`."""
        for _ in range(MAX_REDIRECTS + 1):
            request = urllib.request.Request(
                without_auth(url.split("#", 1)[0]),
                headers=dict(self._authorization(url), Accept=accept))
            try:
                response = self._opener().open(request, timeout=self.timeout)
            except urllib.error.HTTPError as error:
                response = error
            except Exception as error:
                raise FetchError(describe(error, self.timeout)) from None
            with response:
                status = response.status or response.getcode()
                if status in (301, 302, 303, 307, 308):
                    target = urllib.parse.urljoin(
                        url, response.headers.get("Location", ""))
                    self._check_redirect(target)
                    url = target
                    continue
                if status >= 500:
                    raise FetchError("HTTP %d" % status)
                body = self._read(response)
                return Fetched(url.split("#", 1)[0], status,
                               dict(response.headers.items()), body)
        raise FetchError("too many redirects")

    def _check_redirect(self, target):
        host = urls.host_of(target)
        netloc = urllib.parse.urlsplit(target).netloc.rsplit("@", 1)[-1]
        if any(urls.host_of(mirror) == host for mirror in self.candidates):
            return
        if any(fnmatch.fnmatch(netloc, pattern) or fnmatch.fnmatch(host,
                                                                   pattern)
               for pattern in self.allowed_hosts if pattern != "*"):
            return
        raise FetchError("redirect to %s refused (not a mirror and not in "
                         "allow-hosts)" % host)

    def _read(self, response):
        """Read the whole body: a stall (no byte for `timeout` s) or a rate
        below the floor after `timeout` s fails; so does a short body."""
        body = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
        started, size = time.monotonic(), 0
        read = getattr(response, "read1", None) or response.read
        try:
            while True:
                chunk = read(65536)
                if not chunk:
                    break
                body.write(chunk)
                size += len(chunk)
                elapsed = time.monotonic() - started
                if elapsed > self.timeout and \
                        size / elapsed < MIN_BYTES_PER_SECOND:
                    raise FetchError("too slow (%d bytes in %.1f s)"
                                     % (size, elapsed))
        except FetchError:
            raise
        except http.client.IncompleteRead:
            raise FetchError("truncated: the connection closed after %d "
                             "bytes" % size) from None
        except Exception as error:
            raise FetchError(describe(error, self.timeout)) from None
        expected = response.headers.get("Content-Length", "")
        if expected.isdigit() and size < int(expected):
            raise FetchError("truncated: %d of %s bytes" % (size, expected))
        body.seek(0)
        return body


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Hand redirects back: each target is checked before it is asked."""

    def redirect_request(self, *args, **kwargs):
        return None


def _authorization(url, netrc_file):
    """A Basic header from the URL's credentials, else from ~/.netrc."""
    parts = urllib.parse.urlsplit(url)
    user, password = parts.username, parts.password
    if user is None:
        found = netrc_file.authenticators(parts.hostname or "") \
            if netrc_file else None
        if not found:
            return {}
        user, _, password = found
    token = base64.b64encode(("%s:%s" % (
        urllib.parse.unquote(user), urllib.parse.unquote(password or "")))
        .encode("utf-8")).decode("ascii")
    return {"Authorization": "Basic " + token}


def describe(error, timeout):
    """One short phrase for a failed exchange, with no URL in it."""
    reason = getattr(error, "reason", error)
    text = repr(reason)
    if isinstance(reason, (socket.timeout, TimeoutError)) or \
            "timed out" in text:
        return "timed out after %.1f s" % timeout
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, ssl.SSLError):
        return "TLS error (certificate not trusted or handshake failed)"
    if isinstance(reason, socket.gaierror):
        return "host name not found"
    if isinstance(reason, ConnectionResetError):
        return "connection reset"
    if isinstance(reason, (http.client.RemoteDisconnected,
                           http.client.BadStatusLine)):
        return "not an HTTP answer (connection closed or garbage)"
    if isinstance(reason, OSError):
        return "cannot read (%s)" % (reason.strerror or type(reason).__name__)
    return "failed (%s)" % type(reason).__name__
