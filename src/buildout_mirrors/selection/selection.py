"""The outcome of one selection, and how it is told: one INFO line, and
one line a candidate for ``-v``."""

from __future__ import annotations

import dataclasses
import typing

from buildout_mirrors.index import urls

if typing.TYPE_CHECKING:
    from buildout_mirrors.selection.result import ProbeResult


@dataclasses.dataclass(frozen=True)
class Selection:
    """The outcome of one selection; ``chosen`` is None when nothing lives."""

    chosen: str | None
    results: tuple = ()          # ProbeResults of the index candidates
    lags: dict = dataclasses.field(default_factory=dict)
    find_links: tuple = ()       # find-links entries to keep
    dead_links: tuple = ()       # ProbeResults of dropped find-links
    skipped: tuple = ()          # (url, reason) not probed: dead last time
    from_state: bool = False     # reused from the state file, not probed
    elapsed: float = 0.0
    backups: tuple = ()          # where to fail over to, best first
    answered: tuple = ()         # backups known to answer (probe or state)

    def result_for(self, url: str) -> ProbeResult | None:
        for result in self.results:
            if result.url == url:
                return result
        return None

    def summary(self) -> str:
        """The one INFO line: the choice and why the others were not."""
        others = ["%s (%s)" % (result.label, result.reason)
                  for result in self.results if not result.ok]
        others += ["%s (%s)" % (urls.redact(url), reason)
                   for url, reason in self.skipped]
        skipped = "; skipped: " + ", ".join(others) if others else ""
        if self.chosen is None:
            return "No mirror is reachable: " + ", ".join(others)
        if self.from_state:
            return "Using mirror %s (healthy at the last check, not probed " \
                   "again yet)%s" % (urls.redact(self.chosen), skipped)
        result = self.result_for(self.chosen)
        elapsed = result.elapsed if result is not None else 0.0
        freshness = self.lags.get(self.chosen) or "up to date"
        return "Using mirror %s (%d ms, %s)%s" % (
            urls.redact(self.chosen), elapsed * 1000, freshness,
            skipped)

    def detail_lines(self) -> typing.Iterator[str]:
        """One line a candidate, for ``-v``."""
        for result in self.results:
            if result.ok:
                yield "Mirror %s answered in %d ms (serial %s, %d " \
                    "file(s)%s)" % (
                    result.label, result.elapsed * 1000, result.serial,
                    len(result.files),
                    ", %s" % self.lags[result.url]
                    if self.lags.get(result.url) else "")
            else:
                yield "Mirror %s failed: %s" % (result.label, result.reason)
        for result in self.dead_links:
            yield "find-links %s failed: %s" % (result.label, result.reason)
