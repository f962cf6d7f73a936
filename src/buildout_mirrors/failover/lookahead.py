"""Look-ahead: fetch what buildout will ask next while it installs.

zc.buildout asks for one page or file at a time and waits for each, so a
mirror 100 ms away costs 100 ms per request, ~460 times for a Plone site.
But once a distribution's file has come, what buildout will ask next is
known: the requirements it declares, at the versions ``[versions]`` pins.
:class:`LookAhead` fetches those pages and the files buildout will pick
(index.pinned_file) in a few threads, through the same
:class:`~buildout_mirrors.failover.fetch.Failover` as buildout's own
requests (failover, hash checks and credentials rules alike), into bodies
on disk (index.bodies: private to the user, gone with the process).
Buildout's request is then answered from what came, or waits for what is
on its way; one still queued is given up and fetched at once.

Only pinned versions of declared requirements are fetched, and only of
projects not installed already: nothing the build will not use.
"""

from __future__ import annotations

import logging
import queue
import re
import threading
import time

from buildout_mirrors.index import bodies, pages, pinned_file, urls
from buildout_mirrors.index.dist_requirements import requirements

logger = logging.getLogger("buildout_mirrors")
WORKERS = 8
BUILDOUT_ACCEPT = "text/html"  # what buildout's urllib requests ask for
_PAGE_PATH = re.compile(r"/([A-Za-z0-9][A-Za-z0-9._-]*)/\Z")


class Pending:
    """One fetch ahead: queued, under way, or come (with a Response, or
    None when it failed).  ``concurrent.futures.Future``'s protocol, in
    the part used here: that module costs a rerun 20 ms to import."""

    def __init__(self):
        self._come = threading.Event()
        self._lock = threading.Lock()
        self.state, self.value = "queued", None

    def start(self):
        """Under way now; False when it was given up while queued."""
        return self._leave_queue("running")

    def cancel(self):
        """Give it up if still queued; False when under way or come."""
        return self._leave_queue("cancelled")

    def _leave_queue(self, state):
        with self._lock:
            if self.state != "queued":
                return False
            self.state = state
            return True

    def finish(self, value):
        self.state, self.value = "done", value
        self._come.set()

    def done(self):
        return self._come.is_set()

    def result(self, timeout=None):
        self._come.wait(timeout)
        return self.value


class LookAhead:
    """``LookAhead(failover, index, pins, have)``: *pins* maps project
    names to the versions buildout will install; ``have(project,
    version)`` is True when buildout will not download it (installed)."""

    def __init__(self, failover, index, pins, have=lambda name, version:
                 False, workers=WORKERS):
        self.canonical = pages.normalize_project
        self.failover, self.index = failover, index
        self.prefix = urls.without_auth(index).rstrip("/")
        self.pins = {self.canonical(name): version for name, version in
                     pins.items()}
        self.have = have
        self.workers = workers
        self.downloaded = set()  # projects whose file came this run
        self.asked = self.served = 0  # buildout's files; those come ahead
        self.waited = 0.0  # seconds buildout waited for what was on its way
        self._pages = {}  # project -> Pending of the page's Response
        self._files = {}  # URL, no fragment -> (fragment, Pending)
        self._seen, self._threads = set(), []
        self._queue: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._closed = False

    def want(self, names):
        """Fetch ahead the pinned pages and files of *names*."""
        for name in names:
            key = self.canonical(name)
            with self._lock:
                if self._closed or key in self._seen or key not in self.pins:
                    continue
                self._seen.add(key)
            if self.have(name, self.pins[key]):
                continue
            with self._lock:
                future = self._pages[key] = Pending()
                if len(self._threads) < self.workers:
                    self._start_worker()
            self._queue.put((name, key, future))

    def claim(self, url, accept):
        """What came ahead for buildout's request of *url* (a Response),
        or None: buildout's request then goes out as usual."""
        plain, _, fragment = urls.without_auth(url).partition("#")
        is_file = pages.DIST_SUFFIXES_RE.search(plain) is not None
        with self._lock:
            self.asked += is_file
            entry = self._files.pop(plain, None)
            page = None
            if entry is None and not is_file and \
                    accept == BUILDOUT_ACCEPT and \
                    plain.startswith(self.prefix):
                match = _PAGE_PATH.match(plain[len(self.prefix):])
                page = match and self._pages.pop(
                    self.canonical(match.group(1)), None)
        if entry is not None:
            if fragment and fragment != entry[0]:
                return None  # another hash expected: fetched as asked
            return self._served(entry[1], True)
        if page and not page.cancel():  # under way or done: wait for it
            return self._served(page)
        return None

    def arrived(self, url, fetched):
        """Buildout fetched *url* itself: read what the file requires."""
        name = pages.file_name(url.split("#", 1)[0])
        if fetched.status == 200 and pages.DIST_SUFFIXES_RE.search(name):
            self.downloaded.add(self.canonical(pages.project_of(name)))
            self.want(requirements(fetched.body, name))

    def close(self):
        """Stop fetching ahead; what came and was not asked is dropped."""
        with self._lock:
            self._closed = True
            left = list(self._pages.values()) + [
                future for _, future in self._files.values()]
            self._pages, self._files = {}, {}
        for future in left:
            if not future.cancel() and future.done() and future.value:
                future.value.close()
        for _ in self._threads:
            self._queue.put(None)

    def _served(self, future, is_file=False):
        started = time.monotonic()
        fetched = future.result()  # None when the fetch ahead failed
        self.waited += time.monotonic() - started
        with self._lock:
            self.served += is_file and fetched is not None
        return fetched

    def _start_worker(self):
        thread = threading.Thread(target=self._work, daemon=True,
                                  name="buildout_mirrors look-ahead")
        self._threads.append(thread)
        thread.start()

    def _work(self):
        while True:
            job = self._queue.get()
            if job is None:
                return
            name, key, future = job
            if not future.start():
                continue  # buildout asked first: it fetched the page itself
            try:
                with bodies.on_disk():
                    self._fetch_ahead(name, key, future)
            except Exception as error:  # the fetch ahead is a guess
                logger.debug("Look-ahead for %s failed: %s", name, error)
                if not future.done():
                    future.finish(None)

    def _fetch_ahead(self, name, key, page_future):
        # The normalised name (PEP 503): the one page URL no index
        # redirects, whichever spelling buildout asks by.
        page = self.failover.fetch_page(self.index, "/%s/" % key,
                                        BUILDOUT_ACCEPT)
        chosen = None
        if page.status == 200:
            try:
                listed = pages.parse(page.read_all(), page.headers.get(
                    "Content-Type", ""), urls.without_auth(page.url)).files
            except pages.PageError:  # buildout will say what it makes of it
                listed = {}
            chosen = pinned_file.pick(listed, name, self.pins[key])
        file_future = Pending()
        if chosen is not None:
            plain, _, fragment = chosen.partition("#")
            with self._lock:
                if not self._closed:
                    self._files[plain] = (fragment, file_future)
            file_future.start()
        # The page is handed over only now: the file buildout will ask
        # next is already known to be under way.
        page_future.finish(page)
        if chosen is None:
            return
        try:
            fetched = self.failover.fetch_file(
                self.failover.with_auth(chosen))
        except Exception:
            file_future.finish(None)
            raise
        self.downloaded.add(key)
        wanted = requirements(fetched.body, pages.file_name(plain))
        file_future.finish(fetched)
        self.want(wanted)
