"""One buildout run as the extension sees it: what it started, which
``unload`` ends, and the guard that distrusts a reused choice when the
run fails."""

import atexit
import dataclasses

from buildout_mirrors.core import state


@dataclasses.dataclass
class Run:
    """What the extension started for one buildout; unload() ends it."""

    switch: object                # IndexSwitch
    session: object = None        # FailoverSession, when a mirror is remote
    guard: object = None          # RunGuard, when a choice can be suspect

    def end(self):
        if self.session is not None:
            self.session.close()
        self.switch.restore()
        if self.guard is not None:
            self.guard.succeeded = True


class RunGuard:
    """Distrust a reused choice after a failed run.

    Within mirrors-ttl the choice is reused without probing.  A run that
    fails anyway (the failover found nothing, or anything else went wrong)
    exits without buildout's unload hook having run: then the choice is
    marked suspect, so that the next run probes again instead of trusting
    it for the rest of the ttl.  Nothing is written after a successful run.
    """

    def __init__(self, store, candidates):
        self.store, self.candidates = store, candidates
        self.succeeded = False
        atexit.register(self.at_exit)

    def at_exit(self):
        if not self.succeeded:
            self.store.update(lambda stored: state.mark_suspect(
                stored, self.candidates))
