"""Patience with a slow mirror, for the failover: slow is not dead.

A 404 that was slow may come from a caching proxy still loading its
project list (a cold devpi-server): it is asked again.  When every mirror
that could serve was silent, the first of them is asked again with
zc.buildout's own patience.
"""

from buildout_mirrors.index import urls
from buildout_mirrors.index.transport import FetchError

WARMING_RETRIES = 3  # slow 404s from a cache still loading


def final_404(failover, relative, accept, asked, fetched, mirror, slow):
    """A 404 that took longer than the timeout may come from a caching
    proxy still loading its project list (a cold devpi): it is asked
    again, patiently, while its 404s stay slow.  A project page that
    every mirror in *asked* lacks is told to ``failover.on_missing``."""
    for _ in range(WARMING_RETRIES if slow else 0):
        started = failover.book.clock()
        try:
            again = failover.get(mirror + relative, accept, True)
        except FetchError:
            break
        fetched.close()
        fetched = again
        if again.status != 404 or \
                failover.book.clock() - started <= failover.exchange.timeout:
            break  # an answer, or a quick 404: the project is missing
    if fetched.status == 404 and relative.count("/") == 2:
        failover.on_missing(relative.strip("/"), asked)
    return fetched


def wait_for_slow(failover, first, relative, accept, slow, reason, errors):
    """Ask a slow mirror again, patiently; None if it fails too."""
    mirror = ([one for one in slow if one not in failover.dropped]
              or slow)[0]
    try:
        fetched = failover.get(mirror + relative, accept, True)
    except FetchError as error:
        failover.book.failed(mirror, str(error), True)
        errors.append("%s: %s" % (urls.redact(mirror), error))
        return None
    if mirror != first:
        failover.book.took_over(first, mirror, reason)
    return fetched
