"""pip's index during bootstrap: the extension's guarded path.

bootstrap.py's pip never talks to a mirror itself.  A mirror may send it
elsewhere: pypiserver's default answers an unknown project with a redirect
to pypi.org, which pip follows (during an outage it waits there, and a
project someone else registered on PyPI would be offered).  pip is given
the local failover index of :mod:`buildout_mirrors.failover.pipproxy`
instead: it serves only what the listed mirrors serve, refuses redirects
off them, checks every file against its page's hash, and fails over to
the next mirror as the extension's pip does.
"""

import contextlib

from buildout_mirrors.index import urls
from buildout_mirrors.failover.fetch import Failover
from buildout_mirrors.failover.pipproxy import PipProxy


@contextlib.contextmanager
def pip_index(selection, settings):
    """Yield (index URL, environment) for pip: the local guarded index
    over the chosen mirror and its backups, or (None, {}) when the chosen
    one is a local directory (nothing to guard, nothing to fail over to).
    The server stops on leaving."""
    if not selection.chosen or not urls.is_remote(selection.chosen):
        yield None, {}
        return
    failover = Failover(
        [selection.chosen] + [url for url in selection.backups
                              if urls.is_remote(url)],
        timeout=settings.timeout, verify=settings.verify,
        stall=settings.stall, answered=selection.answered,
        link_credentials=selection.find_links)
    proxy = PipProxy(failover, selection.chosen)
    proxy.start()
    try:
        yield proxy.url, proxy.environ()
    finally:
        proxy.stop()
