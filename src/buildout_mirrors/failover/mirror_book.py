"""The failover's bookkeeping: which mirrors are left, in which order, and
what each one did wrong.  No network here: the policy of
:class:`~buildout_mirrors.failover.fetch.Failover`, kept apart from its fetching.
"""

import collections
import threading
import urllib.parse

from buildout_mirrors.core import urls
from buildout_mirrors.core.transport import FetchError

MAX_FAILURES = 2


class NoMirrorLeft(FetchError):
    """Every candidate failed or was dropped: nothing can be fetched."""


class MirrorBook:
    """``MirrorBook(candidates, silent=(), on_takeover=None, on_drop=None)``.

    A mirror that fails ``MAX_FAILURES`` times is dropped for the rest of
    the run; one silent at the probe (*silent*) and silent again when asked
    patiently hangs, and is dropped at once.  *on_takeover(failed, mirror,
    reason)* is told once per pair, *on_drop(mirror, reason)* once per
    mirror.
    """

    def __init__(self, candidates, silent=(), on_takeover=None,
                 on_drop=None):
        self.candidates = list(candidates)
        self.silent = set(silent)
        self.on_takeover = on_takeover or (lambda *args: None)
        self.on_drop = on_drop or (lambda *args: None)
        self.failures = collections.Counter()
        self.dropped = set()
        self.reasons = {}     # mirror -> its last failure
        self._told = set()
        self._lock = threading.RLock()

    def owner(self, url):
        """The candidate whose index holds *url*, or None.  Compared
        without credentials: buildout moves them into a header."""
        plain = urls.without_auth(url.split("#", 1)[0])
        for mirror in self.candidates:
            index = urls.without_auth(mirror)
            if plain == index or plain.startswith(index + "/"):
                return mirror
        return None

    def on_host_of(self, url):
        """The candidate on *url*'s host (a file's mirror), or None."""
        host = urllib.parse.urlsplit(urls.without_auth(url)).netloc
        for mirror in self.candidates:
            if urllib.parse.urlsplit(urls.without_auth(mirror)).netloc == \
                    host:
                return mirror
        return None

    def order(self, first=None):
        """The candidates not dropped, *first* first."""
        with self._lock:
            rest = [mirror for mirror in self.candidates
                    if mirror != first and mirror not in self.dropped]
            return ([first] if first and first not in self.dropped else []) \
                + rest

    def drop(self, mirror, reason):
        """Drop *mirror* without asking it (the selection found it dead)."""
        with self._lock:
            self.dropped.add(mirror)
            self.reasons[mirror] = reason

    def failed(self, mirror, reason, patient=False):
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

    def answered(self, mirror):
        """*mirror* answered: it is not silent (whatever the probe saw)."""
        with self._lock:
            self.silent.discard(mirror)

    def took_over(self, failed, mirror, reason):
        key = (failed, mirror)
        with self._lock:
            self.silent.discard(mirror)
            if key in self._told:
                return
            self._told.add(key)
        self.on_takeover(failed, mirror, reason)

    def none_left(self):
        """A :class:`NoMirrorLeft` naming every mirror and why it failed."""
        return NoMirrorLeft("no listed mirror is reachable: %s" % ", ".join(
            "%s (%s)" % (urls.redact(mirror), self.reasons.get(
                mirror, "dropped")) for mirror in self.candidates))
