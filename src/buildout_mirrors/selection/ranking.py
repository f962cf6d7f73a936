"""Judge freshness and choose among probe results.

Behind beats dead: a mirror that lags is ranked after the up-to-date ones,
never dropped.
"""

from __future__ import annotations

import typing

from buildout_mirrors.index.versions import key as _version
from buildout_mirrors.selection.result import Lag

if typing.TYPE_CHECKING:
    from buildout_mirrors.selection.result import ProbeResult

# How long a selection waits for the candidates still silent once one has
# answered healthy.  Healthy mirrors of one region answer within tens of
# milliseconds of each other, so this is enough to compare their freshness
# and to let a preferred one win; a preferred mirror more than 100 ms
# slower than a healthy one is not worth waiting for (the previous choice
# keeps it, if it was chosen before).  It bounds what a hanging candidate
# costs: a cold selection takes the fastest healthy round trip + 100 ms.
# Both policies use it; mirrors-grace changes it.
GRACE_SECONDS = 0.1

# A devpi replica applies its primary's changes within a second, one
# serial per transaction (an upload takes one or two).  More than this
# behind another member of its replica set (the primary, or a replica in
# sync) it is cut off or stuck: behind, as a stale mirror.
DEVPI_LAG_SERIALS = 2


def lags(results: typing.Sequence[ProbeResult]) -> dict[str, Lag]:
    """Map each healthy result's URL to its :class:`Lag` (false when up to
    date).

    A mirror is behind when its serial is lower than another's, or, where
    mirrors give no serial, when its newest release of a probe project is
    older (PEP 440 order) than another mirror's newest.  Lacking an old
    file is no lag: company indexes and wheelhouses are curated.
    """
    healthy = [result for result in results if result.ok]
    serials = [result.serial for result in healthy
               if result.serial is not None]
    newest_serial = max(serials) if serials else None
    newest = _newest_releases(healthy)
    devpi = _devpi_lags(healthy)
    verdict = {}
    for result in healthy:
        if devpi.get(result.url, 0) > DEVPI_LAG_SERIALS:
            verdict[result.url] = Lag(devpi_serials=devpi[result.url])
            continue
        if result.serial is not None and newest_serial is not None and \
                len(serials) > 1:
            behind = newest_serial - result.serial
            if behind:
                verdict[result.url] = Lag(serials=behind)
                continue
        verdict[result.url] = Lag(older=tuple(
            "%s %s < %s" % (project, version, newest[project])
            for project, version in result.newest
            if version and newest.get(project) and
            _version(version) < _version(newest[project])))
    return verdict


def _devpi_lags(results):
    """How many serials each devpi mirror is behind the most advanced
    member of its replica set (the mirrors that name the same primary)."""
    ahead: dict[str, int] = {}
    for result in results:
        if result.devpi:
            primary, serial = result.devpi
            ahead[primary] = max(serial, ahead.get(primary, serial))
    return {result.url: ahead[result.devpi[0]] - result.devpi[1]
            for result in results if result.devpi}


def _newest_releases(results):
    newest: dict[str, str] = {}
    for result in results:
        for project, version in result.newest:
            if version and (project not in newest or
                            _version(version) > _version(newest[project])):
                newest[project] = version
    return newest


def _sticky_first(order, sticky):
    if sticky in order:
        return [sticky] + [url for url in order if url != sticky]
    return list(order)


class _GraceWindow:
    """Done once every candidate answered, once the previous choice
    answered healthy (it is kept while it stays healthy), or once *grace*
    seconds have passed since the first healthy answer."""

    def __init__(self, grace=GRACE_SECONDS):
        self.grace = grace

    def done(self, order: typing.Sequence[str],
             results: typing.Sequence[ProbeResult],
             waited_since_first_healthy: float | None,
             sticky: str | None = None) -> bool:
        if len({result.url for result in results}) == len(order):
            return True
        if any(result.ok and result.url == sticky for result in results):
            return True
        return any(result.ok for result in results) and \
            waited_since_first_healthy >= self.grace


class OrderedPolicy(_GraceWindow):
    """Prefer the list order among the up-to-date mirrors.

    The previous choice (*sticky*) counts as the most preferred: changing
    mirrors makes zc.recipe.egg reinstall every part.
    """

    name = "ordered"

    def rank(self, order, results, lags, sticky=None):
        position = {url: index
                    for index, url in enumerate(_sticky_first(order, sticky))}
        return sorted((result for result in results if result.ok),
                      key=lambda result: (
                          bool(lags.get(result.url)),
                          position.get(result.url, len(order))))


class FastestPolicy(_GraceWindow):
    """Prefer the quickest answer among the up-to-date mirrors (the
    previous choice while it stays healthy and up to date)."""

    name = "fastest"

    def rank(self, order, results, lags, sticky=None):
        return sorted((result for result in results if result.ok),
                      key=lambda result: (bool(lags.get(result.url)),
                                          result.url != sticky,
                                          result.elapsed))


POLICIES = {policy.name: policy for policy in (OrderedPolicy, FastestPolicy)}
