"""One buildout run as the extension sees it: what it started, which
``unload`` ends, and the guard that distrusts a reused choice when the
run fails."""

import atexit
import dataclasses
import typing

from buildout_mirrors.store import state


@dataclasses.dataclass
class Run:
    """What the extension started for one buildout; unload() ends it."""

    switch: typing.Any             # IndexSwitch
    session: typing.Any = None     # FailoverSession, when a mirror is remote
    guard: typing.Any = None       # RunGuard, when a choice can be suspect

    def end(self):
        if self.session is not None:
            self.session.close()
        self.switch.restore()
        if self.guard is not None:
            self.guard.succeeded = True


class Runs:
    """The runs the extension started, one a buildout: what ``unload``
    ends, and what the recipe asks (the mirror this run uses)."""

    def __init__(self):
        self._runs = {}  # id(buildout) -> Run

    def started(self, buildout, run):
        self._runs[id(buildout)] = run

    def end(self, buildout):
        """End *buildout*'s run, if one was started."""
        run = self._runs.pop(id(buildout), None)
        if run is not None:
            run.end()

    def active(self, buildout):
        return id(buildout) in self._runs

    def chosen(self, buildout):
        """The mirror *buildout* uses, credentials included, or None."""
        run = self._runs.get(id(buildout))
        return run.session.index if run and run.session else None


RUNS = Runs()  # every buildout of this process


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
