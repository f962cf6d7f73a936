"""A second opinion on every file installed.

A mirror that lies on its page *and* serves the file that matches the lie
passes every hash check of its own.  So while two or more mirrors are
live, the page of each project read from one mirror is also read from
another, in the background as soon as the first page arrives (off the
critical path: the file downloads meanwhile), and every file must be
listed there with the same hash.  When the other mirror does not answer
in time, or does not list the file, there is nothing to compare and the
file is taken (a curated index lacks files on purpose).
"""

import threading
import time

from buildout_mirrors.index import index_client, pages, urls
from buildout_mirrors.index.transport import FetchError


class IntegrityError(Exception):
    """Mirrors disagree about a file's content: refuse it."""


class _Opinion:
    def __init__(self, mirror, wait):
        self.mirror = mirror
        self.done = threading.Event()
        self.files = {}
        # Waited for from when it was asked, not from when a file needs
        # it: the file's own download runs meanwhile.
        self.deadline = time.monotonic() + wait


class SecondOpinion:
    """``SecondOpinion(book, get, wait)``: *get(url, accept)* is the
    failover's bounded GET; *wait* is how long a file waits, at most, for
    an opinion still under way."""

    def __init__(self, book, get, wait):
        self.book, self.get, self.wait = book, get, wait
        self._opinions = {}
        self._lock = threading.Lock()

    def ask(self, project, first):
        """Read *project*'s page from a live mirror other than *first*, in
        the background (once a run)."""
        # Only one known to answer: a file would wait for a hanging one.
        others = [mirror for mirror in self.book.order()
                  if mirror != first and mirror in self.book.known_live]
        key = pages.normalize_project(project)
        with self._lock:
            if not others or key in self._opinions:
                return
            opinion = self._opinions[key] = _Opinion(others[0], self.wait)
        threading.Thread(target=self._read, args=(opinion, project),
                         daemon=True, name="buildout_mirrors opinion").start()

    def _read(self, opinion, project):
        try:
            opinion.files = index_client.read_project(
                opinion.mirror, project, None, get=self.get).files
        except FetchError as error:  # no answer is no opinion
            if error.slow:  # and a silent mirror is not asked again soon
                self.book.stalled(opinion.mirror, str(error))
        finally:
            opinion.done.set()

    def check(self, name, expected, served_by):
        """Raise :class:`IntegrityError` when another mirror lists *name*
        with another hash than *expected* ({algorithm: digest})."""
        with self._lock:
            opinion = self._opinions.get(pages.normalize_project(
                pages.project_of(name)))
        if opinion is None or opinion.mirror == served_by or \
                not opinion.done.wait(max(opinion.deadline - time.monotonic(),
                                          0)):
            return
        disagree(name, opinion.files.get(name, ""), expected,
                 opinion.mirror, served_by)


def disagree(name, listed, expected, mirror, other=None):
    """Raise :class:`IntegrityError` when the link *listed* by *mirror*
    names another hash for *name* than *expected*, which *other* (or the
    mirror first asked) gave."""
    for algorithm, digest in sorted(pages.fragment_hashes(listed).items()):
        if algorithm in expected and expected[algorithm] != digest:
            raise IntegrityError(
                "%s is listed with different %s hashes by %s and %s: the"
                " file was corrupted or tampered with; not installing it"
                % (name, algorithm, urls.redact(mirror),
                   urls.redact(other) if other else "the mirror first asked"))
