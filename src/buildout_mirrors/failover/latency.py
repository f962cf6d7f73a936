"""How long to wait for a mirror's first byte, learned from its answers.

A fixed first-byte limit (the selection timeout, 2 s by default) is what a
mirror that hangs after accepting costs every request until it is
ejected.  "The Tail at Scale" (Dean and Barroso) waits instead a few
times what the mirror usually takes: once a mirror has answered a few
pages, it gets ``FACTOR`` times its usual answer time (a moving average),
never less than ``FLOOR``, never more than the timeout.  Only while
another mirror could serve: the last one left is waited for patiently, and
a mirror that misses a learned limit is asked again after its ejection.
"""

import threading

FACTOR = 10        # times the usual answer time
FLOOR = 0.25       # seconds: never less (a busy machine, a GC pause)
SAMPLES = 3        # answers (the probe's included) before it is learned
WEIGHT = 0.2       # of each new answer in the moving average


class Latencies:
    """``Latencies()``: ``record(mirror, seconds)`` after each page it
    answered (and its probe's time, which the extension hands on);
    ``first_byte(mirror, timeout)`` the limit to use."""

    def __init__(self):
        self._average, self._count = {}, {}
        self._lock = threading.Lock()

    def record(self, mirror, seconds):
        with self._lock:
            count = self._count.get(mirror, 0) + 1
            self._count[mirror] = count
            before = self._average.get(mirror, seconds)
            self._average[mirror] = before + WEIGHT * (seconds - before) \
                if count > 1 else seconds

    def first_byte(self, mirror, timeout):
        with self._lock:
            if self._count.get(mirror, 0) < SAMPLES:
                return timeout
            return min(timeout, max(FLOOR, FACTOR * self._average[mirror]))
