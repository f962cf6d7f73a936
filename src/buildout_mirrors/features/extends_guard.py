"""Remote ``extends`` read under a deadline, with a saved copy to fall back on.

zc.buildout reads ``extends`` (Plone's dist.plone.org versions.cfg, Zope's
release files) before it loads any extension, through ``urlretrieve`` and
no socket timeout: a host that accepts and never answers hangs every
buildout.  So this runs earlier, from the launcher that bootstrap.py makes
``bin/buildout`` (``buildout_mirrors.buildout.launcher``), and only while
``zc.buildout.buildout._open`` reads configuration:

* each remote file read in full is saved (atomically) under the user's
  cache, ``~/.cache/buildout-mirrors/extends/``;
* with a saved copy (ours, or zc.buildout's own ``extends-cache``) the host
  gets ``WAIT_WITH_COPY`` seconds per read, then the copy is used and named
  in a warning;
* without one it gets ``WAIT_WITHOUT_COPY`` seconds, zc.buildout's own
  limit for index pages, then the run stops with one clear error.

A slow host is not a dead one: the limits bound each read, so a host that
keeps sending is never cut off.
"""

import contextlib
import logging
import os
import shutil
import socket
import tempfile

import zc.buildout
import zc.buildout.buildout
import zc.buildout.download

from buildout_mirrors.store import extends_copies
from buildout_mirrors.store.extends_copies import WAIT_WITH_COPY, \
    WAIT_WITHOUT_COPY
from buildout_mirrors.store.files import atomic_write
from buildout_mirrors.index.urls import redact

logger = logging.getLogger("buildout_mirrors")


class ExtendsGuard:
    """Wraps zc.buildout's config reading; ``install()`` once per process."""

    def __init__(self, directory=None, with_copy=WAIT_WITH_COPY,
                 without_copy=WAIT_WITHOUT_COPY):
        self.directory = directory or extends_copies.default_directory()
        self.with_copy = with_copy
        self.without_copy = without_copy
        self._reading = 0

    def install(self):
        """Wrap ``_open`` (to know when config is read) and
        ``Download.download`` (to bound and keep what it reads)."""
        open_config = zc.buildout.buildout._open
        download = zc.buildout.download.Download.download
        guard = self

        def _open(*args, **kwargs):
            guard._reading += 1
            try:
                return open_config(*args, **kwargs)
            finally:
                guard._reading -= 1

        def guarded_download(self, url, md5sum=None, path=None):
            if not guard._reading or not url.startswith(("http:", "https:")):
                return download(self, url, md5sum, path)
            return guard.download(
                lambda: download(self, url, md5sum, path), url, path)

        zc.buildout.buildout._open = _open
        zc.buildout.download.Download.download = guarded_download

    def copy_of(self, url):
        return extends_copies.copy_path(url, self.directory)

    def download(self, fetch, url, path):
        """Run zc.buildout's *fetch* of *url* with a bounded wait; keep a
        copy when it succeeds, fall back on one when it fails."""
        ours = self.copy_of(url)
        theirs = path if path and os.path.isfile(path) else None
        copy = theirs or (ours if os.path.isfile(ours) else None)
        wait = self.with_copy if copy else self.without_copy
        try:
            with default_socket_timeout(wait):
                result = fetch()
        except zc.buildout.download.ChecksumError:
            raise
        except zc.buildout.UserError as error:
            return self._fall_back(url, path, copy, wait, error)
        self._keep(result[0], ours)
        return result

    def _keep(self, downloaded, ours):
        try:  # private: a company's versions.cfg is nobody else's
            with open(downloaded, "rb") as stream:
                atomic_write(ours, stream.read(), mode=0o600)
        except OSError as error:  # a read-only HOME costs the copy only
            logger.debug("Could not save a copy of extends: %s", error)

    def _fall_back(self, url, path, copy, wait, error):
        why = _reason(error, wait)
        if not copy:
            raise zc.buildout.UserError(
                "Could not read extends %s: %s. No copy of it is saved on "
                "this machine yet, so this run cannot go on. Retry when the "
                "host answers, or replace the URL in extends by a local "
                "copy of the file." % (redact(url), why))
        logger.warning("Extends %s: %s; using the copy saved %s: %s",
                       redact(url), why, extends_copies.saved_at(copy), copy)
        if path:
            if copy != path:
                shutil.copyfile(copy, path)
            return path, False
        handle, temporary = tempfile.mkstemp(prefix="buildout-")
        os.close(handle)
        shutil.copyfile(copy, temporary)
        return temporary, True


@contextlib.contextmanager
def default_socket_timeout(seconds):
    """urlretrieve takes no timeout: bound it through the default, which
    only this single-threaded config phase uses, and restore it."""
    before = socket.getdefaulttimeout()
    socket.setdefaulttimeout(seconds)
    try:
        yield
    finally:
        socket.setdefaulttimeout(before)


def _reason(error, wait):
    """zc.buildout's "Error downloading extends for URL u: <urlopen error
    x>" as a short phrase without the URL."""
    text = str(error)
    if "timed out" in text:
        return "no answer in %d s" % wait
    if "Connection refused" in text:
        return "connection refused"
    text = text.split(": ", 1)[-1] if "URL" in text else text
    return text.replace("<urlopen error ", "").rstrip(">")

