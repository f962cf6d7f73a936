"""The failover's policy: which mirrors are asked, in which order, and
which are left out for a while.  No network here, and a clock that tests
can turn: :class:`~buildout_mirrors.failover.fetch.Failover` executes what
this plans.

The model is Envoy's outlier detection:

- a mirror that was silent (no first byte within the timeout) while
  another mirror served is *ejected*: not asked while the ejection lasts;
- so is one that failed ``MAX_FAILURES`` times within ``FAILURE_WINDOW``
  seconds (refused, reset, 5xx, a truncated or corrupt file);
- an ejection lasts ``EJECTION_BASE`` seconds times the number of the
  mirror's ejections so far; then the mirror is due for a cheap re-check,
  and comes back (first, if it is preferred) once it answers;
- slow is not dead: the last mirror left is never ejected for silence,
  and when every mirror is ejected, those ejected only for silence are
  still asked, patiently (Envoy's panic threshold).
"""

from __future__ import annotations

import collections
import threading
import time

from buildout_mirrors.index import urls
from buildout_mirrors.index.transport import FetchError

MAX_FAILURES = 2
FAILURE_WINDOW = 60.0   # seconds: failures older than this are forgotten
EJECTION_BASE = 30.0    # seconds, times the mirror's ejections so far


class NoMirrorLeft(FetchError):
    """Every candidate failed or was dropped: nothing can be fetched."""


class _Health:
    """What one mirror did in this run."""

    def __init__(self):
        self.failures: collections.deque = collections.deque()  # times
        self.ejections = 0
        self.ejected_until = None    # None: in rotation
        self.silent_only = True      # every ejection was for silence
        self.checking = False        # a re-check is under way


class MirrorBook:
    """``MirrorBook(candidates, silent=(), on_takeover=None, on_drop=None,
    clock=time.monotonic)``.

    *silent* are candidates that never answered the probe: one silence
    asked patiently ejects them as hanging.  *on_takeover(failed, mirror,
    reason)* is told once per pair, *on_drop(mirror, reason, hung)* at
    each ejection.
    """

    def __init__(self, candidates, *, silent=(), on_takeover=None,
                 on_drop=None, clock=time.monotonic):
        self.candidates = list(candidates)
        self.silent = set(silent)
        self.on_takeover = on_takeover or (lambda *args: None)
        self.on_drop = on_drop or (lambda *args: None)
        self.on_back = lambda mirror: None  # an ejected mirror answered
        self.clock = clock
        self.health = {mirror: _Health() for mirror in self.candidates}
        self.reasons = {}     # mirror -> its last failure
        self.known_live = set()  # answered: here, at the probe or before
        self.dead = set()     # found dead by the selection: never asked
        self._told = set()
        self._lock = threading.RLock()

    # -- who is who ---------------------------------------------------------

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
        host = urls.hostport(url)
        for mirror in self.candidates:
            if urls.hostport(mirror) == host:
                return mirror
        return None

    # -- the plan -----------------------------------------------------------

    @property
    def dropped(self):
        """The mirrors not asked now: dead, or ejected."""
        with self._lock:
            return {mirror for mirror in self.candidates
                    if not self._in_rotation(mirror)}

    @property
    def failures(self):
        """Failures within the window, per mirror."""
        with self._lock:
            now = self.clock()
            return collections.Counter({
                mirror: len(self._recent(mirror, now))
                for mirror in self.candidates})

    def order(self, first=None):
        """The mirrors to ask, *first* first: those in rotation in the
        order of preference; when there are none, those ejected only for
        silence (slow is not dead), soonest back first."""
        with self._lock:
            ordered = ([first] if first in self.health else []) + [
                mirror for mirror in self.candidates if mirror != first]
            live = [mirror for mirror in ordered if self._in_rotation(mirror)]
            if live:
                return live
            return sorted(
                (mirror for mirror in ordered if mirror not in self.dead
                 and self.health[mirror].silent_only),
                key=lambda mirror: self.health[mirror].ejected_until or 0)

    def due(self):
        """Ejected mirrors whose time is up and that no re-check is
        asking yet; they are marked as being checked."""
        with self._lock:
            now, found = self.clock(), []
            for mirror in self.candidates:
                health = self.health[mirror]
                due = health.ejected_until is not None and \
                    now >= health.ejected_until
                if mirror not in self.dead and due and not health.checking:
                    health.checking = True
                    found.append(mirror)
            return found

    def _in_rotation(self, mirror):
        return mirror not in self.dead and \
            self.health[mirror].ejected_until is None

    def _recent(self, mirror, now):
        failures = self.health[mirror].failures
        while failures and now - failures[0] > FAILURE_WINDOW:
            failures.popleft()
        return failures

    # -- what happened ------------------------------------------------------

    def drop(self, mirror, reason):
        """Never ask *mirror* in this run (the selection found it dead)."""
        with self._lock:
            self.dead.add(mirror)
            self.reasons[mirror] = reason

    def failed(self, mirror, reason, patient=False):
        """*mirror* failed a request: refused, reset, 5xx, a bad file, or,
        asked patiently, silent."""
        with self._lock:
            if mirror not in self.health:
                return
            now = self.clock()
            self.reasons[mirror] = reason
            failures = self._recent(mirror, now)
            failures.append(now)
            # A mirror silent at the probe and silent again, however
            # patiently asked, is not slow: it hangs, and is not asked
            # even in a panic.
            hung = patient and mirror in self.silent
            if len(failures) >= MAX_FAILURES or hung:
                self._eject(mirror, reason, silent_only=False)

    def stalled(self, mirror, reason):
        """*mirror* gave no first byte within the timeout while another
        mirror could serve: eject it, unless it is the last one left."""
        with self._lock:
            if mirror not in self.health:
                return
            self.reasons[mirror] = reason
            if any(other != mirror and self._in_rotation(other)
                   for other in self.candidates):
                self._eject(mirror, reason, silent_only=True)

    def _eject(self, mirror, reason, silent_only):
        health = self.health[mirror]
        if health.ejected_until is not None and not health.checking:
            return  # already out
        health.ejections += 1
        health.silent_only = health.silent_only and silent_only
        health.ejected_until = self.clock() + EJECTION_BASE * health.ejections
        health.checking = False
        self.on_drop(mirror, reason, silent_only)

    def answered(self, mirror):
        """*mirror* answered a request or a re-check: back in rotation."""
        with self._lock:
            self.silent.discard(mirror)
            self.known_live.add(mirror)
            health = self.health.get(mirror)
            back = health is not None and mirror not in self.dead and \
                health.ejected_until is not None
            if health is not None and back:
                health.ejected_until = None
                health.checking = False
        if back:
            self.on_back(mirror)

    def recheck_failed(self, mirror, reason, silent):
        """A re-check of an ejected mirror failed (*silent*: it gave no
        first byte): out for longer."""
        with self._lock:
            self.reasons[mirror] = reason
            self._eject(mirror, reason, silent_only=silent)

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
