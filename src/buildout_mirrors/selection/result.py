"""What one probe found out about one mirror, and how far a mirror lags."""

from __future__ import annotations

import dataclasses
import enum

from buildout_mirrors.index import urls


class Status(enum.Enum):
    """What a probe's answer says of a mirror: one value, where 1.0 had
    the booleans ok, answered, slow and curated."""

    HEALTHY = "healthy"        # served the probe projects
    CURATED = "curated"        # answers, without a probe project: private
    SLOW = "slow"              # connected, no answer in time: no verdict
    NOT_WAITED = "not waited"  # another answered first: no verdict
    FAILED = "failed"          # refused, an error, a wrong answer


@dataclasses.dataclass(frozen=True)
class ProbeResult:
    """*status* is a :class:`Status`; True and False still mean HEALTHY
    and FAILED, as 1.0's ``ok`` did (a prober plug-in's results)."""

    url: str
    status: Status
    elapsed: float = 0.0          # seconds until the answer (or the failure)
    reason: str = ""              # why it failed, '' when ok
    serial: int | None = None     # the project's PyPI serial, if given
    files: frozenset = frozenset()
    newest: tuple = ()            # ((project, newest version), ...)
    devpi: tuple = ()             # (primary's uuid, serial) on devpi-server

    def __post_init__(self):
        if isinstance(self.status, bool):
            object.__setattr__(self, "status", Status.HEALTHY
                               if self.status else Status.FAILED)

    ok = property(lambda self: self.status is Status.HEALTHY)
    answered = property(lambda self: self.status is not Status.NOT_WAITED)
    slow = property(lambda self: self.status is Status.SLOW)
    curated = property(lambda self: self.status is Status.CURATED)

    @property
    def label(self) -> str:
        return urls.redact(self.url)


@dataclasses.dataclass(frozen=True)
class Lag:
    """How far a healthy mirror is behind another; false when it is not.
    ``str()`` says it as the log line and the state file do."""

    serials: int = 0          # behind the newest serial
    devpi_serials: int = 0    # behind its devpi replica set's newest
    older: tuple = ()         # ("project 1.0 < 1.1", ...): newest releases

    def __bool__(self):
        return bool(self.serials or self.devpi_serials or self.older)

    def __str__(self):
        if self.devpi_serials:
            return "behind its devpi primary by %d serial(s)" % \
                self.devpi_serials
        if self.serials:
            return "behind by %d serial(s)" % self.serials
        if self.older:
            return "newest release older than another mirror's (%s)" % \
                ", ".join(self.older)
        return ""


UP_TO_DATE = Lag()
