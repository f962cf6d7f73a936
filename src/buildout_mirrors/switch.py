"""Point every place zc.buildout and pip read "the index" at one mirror.

zc.buildout keeps its index in many places (see NOTES: the option, private
copies on the Buildout object, module globals of ``easy_install``, a cache
of ``PackageIndex`` objects, and pip's environment, since buildout hands
its index to pip only as ``--extra-index-url``).  :class:`IndexSwitch`
changes them all and remembers the old values so that ``restore()`` can
put them back.
"""

import fnmatch
import os
import urllib.parse

import zc.buildout.easy_install

_MISSING = object()


def netloc_of(url):
    """``host:port`` without credentials, as buildout's allow-hosts sees it."""
    return urllib.parse.urlsplit(url).netloc.rsplit("@", 1)[-1].lower()


class IndexSwitch:
    """``IndexSwitch(buildout)``: ``apply(index, find_links)``, ``restore()``."""

    def __init__(self, buildout):
        self.buildout = buildout
        self._saved_options = {}
        self._saved_attributes = {}
        self._saved_environ = {}
        self._saved_index_url = zc.buildout.easy_install.index_url()
        self._saved_default = zc.buildout.easy_install.default_index_url

    def apply(self, index, find_links, environ_extra=(), pip_index=None):
        """Use *index* (a URL) and *find_links* (a list) from now on.

        *pip_index* (the local failover index) is what pip subprocesses
        get instead; the ``index`` option keeps the mirror's own URL, which
        zc.recipe.egg stores in each part: a port that changes each run
        would reinstall every part."""
        options = self.buildout["buildout"]
        if index:
            self._set_option("index", index)
            zc.buildout.easy_install.index_url(pip_index or index)
            zc.buildout.easy_install.default_index_url = index
            self._set_environ("PIP_INDEX_URL", pip_index or index)
        if pip_index:
            # A proxy from the environment must not carry pip's requests to
            # the local index.
            for name in ("NO_PROXY", "no_proxy"):
                present = os.environ.get(name, "")
                if "127.0.0.1" not in present.split(","):
                    self._set_environ(name, ",".join(
                        filter(None, [present, "127.0.0.1"])))
        self._set_option("find-links", "\n".join(find_links))
        self._set_attribute("_links", list(find_links))
        if find_links:
            self._set_environ("PIP_FIND_LINKS", " ".join(find_links))
        # pip asks every index, pypi.org included, for its own newest
        # version before each install unless told not to.
        self._set_environ("PIP_DISABLE_PIP_VERSION_CHECK", "1")
        for name, value in environ_extra:
            self._set_environ(name, value)
        self._allow(([index] if index else []) + list(find_links), options)
        # PackageIndex objects are cached by (index, find-links).
        zc.buildout.easy_install.clear_index_cache()

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

    def _set_option(self, name, value):
        options = self.buildout["buildout"]
        self._saved_options.setdefault(name, options.get(name, _MISSING))
        options[name] = value

    def _set_attribute(self, name, value):
        self._saved_attributes.setdefault(
            name, getattr(self.buildout, name, _MISSING))
        setattr(self.buildout, name, value)

    def _set_environ(self, name, value):
        self._saved_environ.setdefault(name, os.environ.get(name, _MISSING))
        os.environ[name] = value

    def restore(self):
        """Put back everything ``apply`` changed."""
        options = self.buildout["buildout"]
        for name, value in self._saved_options.items():
            if value is _MISSING:
                options.pop(name, None)
            else:
                options[name] = value
        for name, value in self._saved_attributes.items():
            if value is not _MISSING:
                setattr(self.buildout, name, value)
        for name, value in self._saved_environ.items():
            if value is _MISSING:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        zc.buildout.easy_install.index_url(self._saved_index_url or "")
        zc.buildout.easy_install.default_index_url = self._saved_default
        zc.buildout.easy_install.clear_index_cache()
