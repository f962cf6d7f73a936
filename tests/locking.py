"""One process at a time where test workers share a place on disk.

The suite runs in parallel processes (pytest-xdist, tests/run-pytest.sh).
They share the checkout's build/ and egg-info (a wheel of the checkout is
built in each), and the download and environment caches under tests/.
Whoever makes one holds its lock; the others wait, then find it made.
"""

import contextlib
import fcntl
from pathlib import Path

HERE = Path(__file__).resolve().parent


@contextlib.contextmanager
def locked(name):
    """Hold the lock *name* (a file tests/.NAME.lock) inside the block."""
    with open(HERE / (".%s.lock" % name), "a") as stream:
        fcntl.flock(stream, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(stream, fcntl.LOCK_UN)
