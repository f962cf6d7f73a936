"""The state file: what the last selections found, shared between runs.

JSON, one format version, no credentials (every URL is redacted before it
is stored).  Updates happen under an exclusive lock and by atomic rename,
so parallel buildouts sharing one file never corrupt it or lose each
other's results.  A broken file is reported in one line and replaced.
"""

import contextlib
import hashlib
import json
import logging
import os

from zope.interface import implementer

from buildout_mirrors import urls
from buildout_mirrors.files import atomic_write
from buildout_mirrors.interfaces import IStateStore

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; the rename stays atomic
    fcntl = None

FORMAT = 1
logger = logging.getLogger("buildout_mirrors")


def candidates_key(candidates):
    """A stable key for one ordered candidate list, free of credentials."""
    text = "\n".join(urls.redact(url) for url in candidates)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def empty():
    return {"format": FORMAT, "mirrors": {}, "choices": {}}


@implementer(IStateStore)
class StateFile:
    """``StateFile(path)``: the JSON state kept at *path*."""

    def __init__(self, path):
        self.path = path

    def load(self):
        try:
            with open(self.path, encoding="utf-8") as stream:
                text = stream.read()
        except FileNotFoundError:
            return empty()
        except OSError as error:
            logger.warning("Cannot read the mirrors state file %s (%s); "
                           "probing without it. Fix its permissions or set "
                           "mirrors-cache.", self.path, error.strerror)
            return empty()
        return self._parse(text)

    def _parse(self, text):
        try:
            state = json.loads(text)
        except ValueError:
            state = None
        if not isinstance(state, dict) or not isinstance(
                state.get("mirrors"), dict) or not isinstance(
                state.get("choices"), dict):
            logger.warning("The mirrors state file %s is corrupt; it will be "
                           "replaced.", self.path)
            return empty()
        if state.get("format") != FORMAT:
            logger.warning("The mirrors state file %s has format %r, not %d; "
                           "it will be replaced.", self.path,
                           state.get("format"), FORMAT)
            return empty()
        return state

    def update(self, change):
        """Re-read the file under the lock, apply *change*, write it back.
        Returns False (after one warning) when the file cannot be written."""
        try:
            with self._locked():
                state = self.load()
                change(state)
                atomic_write(self.path, json.dumps(state, indent=1,
                                                   sort_keys=True) + "\n")
        except OSError as error:
            logger.warning("Cannot write the mirrors state file %s (%s); "
                           "results are not kept. Set mirrors-cache to a "
                           "writable path.", self.path,
                           error.strerror or error)
            return False
        return True

    @contextlib.contextmanager
    def _locked(self):
        if fcntl is None:
            yield
            return
        os.makedirs(os.path.dirname(os.path.abspath(self.path)),
                    exist_ok=True)
        with open(self.path + ".lock", "a") as lock:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


@implementer(IStateStore)
class NoState:
    """Keeps nothing (``mirrors-cache = none``)."""

    path = ""

    def load(self):
        return empty()

    def update(self, change):
        return True
