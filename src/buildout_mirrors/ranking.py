"""Judge freshness and choose among probe results.

Behind beats dead: a mirror that lags is ranked after the up-to-date ones,
never dropped.
"""

from zope.interface import implementer

from buildout_mirrors.interfaces import IPolicy

# How long the ordered policy waits for a preferred mirror that has not
# answered yet, once a less preferred one has answered healthy.  A healthy
# mirror answers a small page in tens of milliseconds; a preferred mirror
# that needs 200 ms more than a healthy one is not worth waiting for, and
# it keeps a selection within "fastest healthy round trip + 300 ms".  The
# fastest policy waits the same time to compare freshness.
GRACE_SECONDS = 0.2


def lags(results):
    """Map each healthy result's URL to '' (up to date) or how it lags.

    Serials, where mirrors give them, are compared first; a mirror without
    one is compared by the probe projects' file lists, which always works.
    """
    healthy = [result for result in results if result.ok]
    serials = [result.serial for result in healthy if result.serial is not None]
    newest_serial = max(serials) if serials else None
    all_files = frozenset().union(*(result.files for result in healthy))
    verdict = {}
    for result in healthy:
        if result.serial is not None:
            behind = newest_serial - result.serial
            verdict[result.url] = ("behind by %d serial(s)" % behind
                                   if behind else "")
        else:
            missing = len(all_files - result.files)
            verdict[result.url] = ("missing %d file(s) other mirrors have"
                                   % missing if missing else "")
    return verdict


def _sticky_first(order, sticky):
    if sticky in order:
        return [sticky] + [url for url in order if url != sticky]
    return list(order)


@implementer(IPolicy)
class OrderedPolicy:
    """Prefer the list order; do not wait long for a preferred mirror.

    The previous choice (*sticky*) counts as the most preferred: changing
    mirrors makes zc.recipe.egg reinstall every part.
    """

    name = "ordered"

    def done(self, order, results, waited_since_first_healthy, sticky=None):
        by_url = {result.url: result for result in results}
        if len(by_url) == len(order):
            return True
        for url in _sticky_first(order, sticky):
            if url not in by_url:
                return waited_since_first_healthy >= GRACE_SECONDS
            if by_url[url].ok:
                return True  # everything preferred to it has answered
        return False

    def rank(self, order, results, lags, sticky=None):
        position = {url: index
                    for index, url in enumerate(_sticky_first(order, sticky))}
        return sorted((result for result in results if result.ok),
                      key=lambda result: (bool(lags.get(result.url)),
                                          position.get(result.url, len(order))))


@implementer(IPolicy)
class FastestPolicy:
    """Prefer the quickest answer among the up-to-date mirrors (the
    previous choice while it stays healthy and up to date)."""

    name = "fastest"

    def done(self, order, results, waited_since_first_healthy, sticky=None):
        if len({result.url for result in results}) == len(order):
            return True
        if any(result.ok and result.url == sticky for result in results):
            return True
        return waited_since_first_healthy >= GRACE_SECONDS

    def rank(self, order, results, lags, sticky=None):
        return sorted((result for result in results if result.ok),
                      key=lambda result: (bool(lags.get(result.url)),
                                          result.url != sticky,
                                          result.elapsed))


POLICIES = {policy.name: policy for policy in (OrderedPolicy, FastestPolicy)}
