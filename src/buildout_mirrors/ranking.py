"""Judge freshness and choose among probe results.

Behind beats dead: a mirror that lags is ranked after the up-to-date ones,
never dropped.
"""

from zope.interface import implementer

from buildout_mirrors.interfaces import IPolicy

# How long a selection waits for the candidates still silent once one has
# answered healthy.  Healthy mirrors of one region answer within tens of
# milliseconds of each other, so this is enough to compare their freshness
# and to let a preferred one win; a preferred mirror more than 100 ms
# slower than a healthy one is not worth waiting for (the previous choice
# keeps it, if it was chosen before).  It bounds what a hanging candidate
# costs: a cold selection takes the fastest healthy round trip + 100 ms.
# Both policies use it; mirrors-grace changes it.
GRACE_SECONDS = 0.1


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


class _GraceWindow:
    """Done once every candidate answered, once the previous choice
    answered healthy (it is kept while it stays healthy), or once *grace*
    seconds have passed since the first healthy answer."""

    def __init__(self, grace=GRACE_SECONDS):
        self.grace = grace

    def done(self, order, results, waited_since_first_healthy, sticky=None):
        if len({result.url for result in results}) == len(order):
            return True
        if any(result.ok and result.url == sticky for result in results):
            return True
        return any(result.ok for result in results) and \
            waited_since_first_healthy >= self.grace


@implementer(IPolicy)
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
                      key=lambda result: (bool(lags.get(result.url)),
                                          position.get(result.url, len(order))))


@implementer(IPolicy)
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
