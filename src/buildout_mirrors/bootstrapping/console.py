"""How bootstrap.py talks: one ``bootstrap:`` line at a time, never
silent for long (a user cannot tell a slow machine from a hang), and one
error a user can act on, never a traceback.  ``-q`` keeps only what
matters at the end: errors, warnings and the last line."""

import contextlib
import threading
import time

SILENCE = 3.0  # seconds without a line before "still ..." is said


class BootstrapError(Exception):
    """Something the user can fix; printed as one line, no traceback."""


class _Console:
    quiet = False
    last = time.monotonic()


def set_quiet(quiet):
    _Console.quiet = quiet


def say(message, progress=False):
    """One ``bootstrap:`` line; a *progress* line is dropped with -q."""
    _Console.last = time.monotonic()
    if not (progress and _Console.quiet):
        print("bootstrap: " + message, flush=True)


@contextlib.contextmanager
def heartbeat(doing):
    """While the block runs, say "still *doing* (N s)" after each
    SILENCE seconds in which nothing else was said."""
    started, done = time.monotonic(), threading.Event()

    def beat():
        while not done.wait(0.25):
            if time.monotonic() - _Console.last >= SILENCE:
                say("still %s (%d s)" % (doing, time.monotonic() - started),
                    progress=True)
    thread = threading.Thread(target=beat, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
