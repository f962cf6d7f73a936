"""What one probe found out about one mirror."""

from __future__ import annotations

import dataclasses

from buildout_mirrors.index import urls


@dataclasses.dataclass(frozen=True)
class ProbeResult:
    url: str
    ok: bool
    elapsed: float = 0.0          # seconds until the answer (or the failure)
    reason: str = ""              # why it failed, '' when ok
    serial: int | None = None     # the project's PyPI serial, if given
    files: frozenset = frozenset()
    answered: bool = True         # False: the choice was made without it
    slow: bool = False            # connected, but no answer in time
    newest: tuple = ()            # ((project, newest version), ...)
    devpi: tuple = ()             # (primary's uuid, serial) on devpi-server
    curated: bool = False         # answers, without the probe project

    @property
    def label(self) -> str:
        return urls.redact(self.url)
