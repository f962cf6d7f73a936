"""Point every place zc.buildout and pip read "the index" at one mirror.

zc.buildout keeps its index in many places: the option, private copies on
the Buildout object (``_links``, ``_allow_hosts``), module globals of
``easy_install`` (``default_index_url``, and ``index_url()`` from 5 on), a
cache of ``PackageIndex`` objects, and pip's environment, since buildout
hands its index to pip only as ``--extra-index-url`` (5 and 6) or not at
all (3 and 4).  What differs between generations is in
:mod:`buildout_mirrors.buildout.generations`.  :class:`IndexSwitch`
changes them all, and the urllib opener, through one
:class:`~buildout_mirrors.buildout.ledger.Ledger`, so that ``restore()``
puts back each one, and removes what did not exist before.
"""

import fnmatch
import os
import shutil
import tempfile
import urllib.parse
import urllib.request

import zc.buildout
import zc.buildout.easy_install

from buildout_mirrors.buildout import generations, pip_errors
from buildout_mirrors.buildout.ledger import Ledger
from buildout_mirrors.index import urls
from buildout_mirrors.index.errors import OVERRIDE_HINT
from buildout_mirrors.failover.mirror_book import NoMirrorLeft

def netloc_of(url):
    """``host:port`` without credentials, as buildout's allow-hosts sees it."""
    return urls.hostport(url)


class IndexSwitch:
    """``IndexSwitch(buildout)``: ``apply(index, find_links)``,
    ``restore()``."""

    def __init__(self, buildout):
        self.buildout = buildout
        self.ledger = Ledger()
        self.generation = generations.current()
        self._find_links = ()
        self._empty = None

    def apply(self, index, find_links, environ_extra=(), pip_index=None,
              also_allow=(), pip_failures=lambda: (), opener=None):
        """Use *index* (a URL) and *find_links* (a list) from now on.

        *pip_index*, if given, is called when buildout first runs pip, and
        returns the index pip gets instead (the local failover index) and
        the environment pip needs for it.  The
        ``index`` option keeps the mirror's own URL, which zc.recipe.egg
        stores in each part: a port that changes each run would reinstall
        every part.  *also_allow* are further mirrors whose hosts must
        pass a restrictive ``allow-hosts``.  *opener* replaces urllib's
        (buildout's downloads go through it)."""
        options = self.buildout["buildout"]
        if opener is not None:
            self.ledger.set_attribute(urllib.request, "_opener", opener)
        if index:
            self._set_option("index", index)
            self._set_index_url(index)
            self.ledger.set_attribute(zc.buildout.easy_install,
                                      "default_index_url", index)
            self._set_environ("PIP_INDEX_URL", index)
        if pip_index:
            self._route_pip(pip_index, pip_failures)
        self._find_links = tuple(find_links)
        self._set_option("find-links", "\n".join(find_links))
        self._set_attribute("_links", list(find_links))
        if find_links:
            self._set_environ("PIP_FIND_LINKS", " ".join(find_links))
        # pip asks every index, pypi.org included, for its own newest
        # version before each install unless told not to.
        self._set_environ("PIP_DISABLE_PIP_VERSION_CHECK", "1")
        for name, value in environ_extra:
            self._set_environ(name, value)
        # The mirrors failover may turn to must pass allow-hosts too, or
        # buildout would ignore the links of the pages they serve.
        self._allow(([index] if index else []) + list(find_links)
                    + list(also_allow), options)
        # PackageIndex objects are cached by (index, find-links).
        zc.buildout.easy_install.clear_index_cache()

    # buildout's ways to run pip: call_pip_install (eggs from sdists, and
    # develop eggs from 5 on), and develop (setup.py develop, which runs
    # pip itself from setuptools 80 on).
    PIP_RUNNERS = ("call_pip_install", "develop")

    def _route_pip(self, pip_index, pip_failures):
        """Wrap buildout's ways to run pip so that the local index starts,
        and pip is pointed at it and at nothing else, just before the
        first pip run.

        pip merges, it does not replace: ``extra-index-url`` and
        ``find-links`` from the user's pip.conf, ``/etc/pip.conf`` or
        ``PIP_*`` variables would be asked besides the mirror (a dead one
        costs minutes; a public one is dependency confusion).  Environment
        variables beat every config file, so they are set to the local
        index and to this buildout's live find-links (or an empty
        directory).  The user's TLS and proxy settings stay."""
        for name in self.PIP_RUNNERS:
            original = getattr(zc.buildout.easy_install, name, None)
            if original is not None:
                self.ledger.set_attribute(
                    zc.buildout.easy_install, name,
                    self._routed(original, pip_index, pip_failures))

    def _routed(self, original, pip_index, pip_failures):
        switch = self

        def run(spec, *args, **kwargs):
            try:
                url, environ = pip_index()
            except NoMirrorLeft as error:
                raise zc.buildout.UserError(
                    "This buildout must install %s with pip, but %s. %s"
                    % (spec, error, OVERRIDE_HINT)) from None
            switch._point_pip_at(url, environ)
            return pip_errors.run_pip(switch.generation, original, spec,
                                      args, kwargs, pip_failures)
        return run

    def _point_pip_at(self, url, environ=()):
        for name, value in dict(environ).items():
            self._set_environ(name, value)
        self._set_index_url(url)
        self._set_environ("PIP_INDEX_URL", url)
        self._set_environ("PIP_EXTRA_INDEX_URL", url)
        self._set_environ("PIP_FIND_LINKS", " ".join(self._find_links)
                          or self._empty_directory())
        self._set_environ("PIP_NO_INDEX", "0")
        # A proxy from the environment must not carry pip's requests to
        # the local index.
        for name in ("NO_PROXY", "no_proxy"):
            present = os.environ.get(name, "")
            if "127.0.0.1" not in present.split(","):
                self._set_environ(name, ",".join(
                    filter(None, [present, "127.0.0.1"])))

    def _empty_directory(self):
        if self._empty is None:
            self._empty = tempfile.mkdtemp(prefix="buildout-mirrors-")
            self.ledger.on_undo(lambda: shutil.rmtree(self._empty,
                                                      ignore_errors=True))
        return self._empty

    def _allow(self, new_urls, options):
        """Add the mirror's host to a restrictive allow-hosts, or buildout
        would silently refuse to read it."""
        allowed = list(getattr(self.buildout, "_allow_hosts", ("*",)))
        added = [netloc_of(url) for url in new_urls
                 if urllib.parse.urlsplit(url).scheme in ("http", "https")
                 and not any(fnmatch.fnmatch(netloc_of(url), pattern.lower())
                             for pattern in allowed)]
        if added:
            allowed += [host for host in dict.fromkeys(added)]
            self._set_attribute("_allow_hosts", tuple(allowed))
            self._set_option("allow-hosts", "\n".join(allowed))

    def _set_index_url(self, url):
        """zc.buildout 5's ``index_url()`` global (a no-op before 5)."""
        before = self.generation.index_url()
        self.ledger.on_undo(lambda: self.generation.index_url(before or ""))
        self.generation.index_url(url)

    def _set_option(self, name, value):
        self.ledger.set_item(self.buildout["buildout"], name, value)

    def _set_attribute(self, name, value):
        self.ledger.set_attribute(self.buildout, name, value)

    def _set_environ(self, name, value):
        self.ledger.set_environ(name, value)

    def restore(self):
        """Put back everything ``apply`` changed."""
        self.ledger.undo()
        zc.buildout.easy_install.clear_index_cache()
