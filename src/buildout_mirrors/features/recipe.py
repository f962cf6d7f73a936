"""The recipe: hand the chosen mirror to the rest of the deployment.

``${part:index}`` and ``${part:find-links}`` expose the choice; the options
``pip-conf``, ``uv-toml``, ``pydistutils-cfg`` and ``env-file`` name files
to write.  With the extension loaded the recipe takes its choice; without
it, the recipe selects with the same ``[buildout]`` options.
"""

import logging
import os

import zc.buildout

from buildout_mirrors.features import clientconfig
from buildout_mirrors.buildout import extension
from buildout_mirrors.buildout.run import RUNS

from buildout_mirrors.index import urls
from buildout_mirrors.store.files import atomic_write

logger = logging.getLogger("buildout_mirrors")


class Recipe:
    """``Recipe(buildout, name, options)``, a zc.buildout recipe."""

    def __init__(self, buildout, name, options):
        self.buildout, self.name, self.options = buildout, name, options
        self.index, self.find_links = self._choice()
        # ${part:index} goes without credentials, so that neither -vv
        # output nor .installed.cfg shows them (with the extension loaded,
        # its failover handler adds them back by host).  The files keep
        # them, mode 0600: pip and uv run on their own.
        options["index"] = urls.without_auth(self.index)
        options["find-links"] = "\n".join(urls.without_auth(link)
                                          for link in self.find_links)
        if "@" in options.get("mirrors", ""):
            options["mirrors"] = " ".join(
                urls.redact(url) for url in options["mirrors"].split())
        directory = buildout["buildout"]["directory"]
        self.targets = {
            option: os.path.join(directory, os.path.expanduser(
                options[option].strip()))
            for option in clientconfig.RENDERERS
            if options.get(option, "").strip()}

    def _choice(self):
        section = self.buildout["buildout"]
        if RUNS.active(self.buildout):
            # The index option has no credentials; the files need them.
            return RUNS.chosen(self.buildout) or section.get(
                "index", ""), section.get("find-links", "").split()
        settings = extension.settings_for(self.buildout, self.options)
        # Without the extension nothing redacts [buildout] mirrors: -vv
        # prints it.  (index and find-links stay: other parts use them.)
        section = self.buildout["buildout"]
        if "@" in section.get("mirrors", ""):
            section["mirrors"] = " ".join(
                urls.redact(url) for url in section["mirrors"].split())
        selection = extension.selector_for(settings).select()
        if selection.chosen is None:
            fallback = settings.candidates[0]
            logger.warning("%s. Part %s hands on %s, the first candidate.",
                           selection.summary(), self.name,
                           urls.redact(fallback))
            return fallback, list(settings.find_links)
        logger.info("%s", selection.summary())
        return selection.chosen, list(selection.find_links)

    def install(self):
        """Write each configured file atomically; return their paths."""
        index, find_links = self.index, self.find_links
        # Credentials in the URL must not become world-readable.
        private = "@" in index or any("@" in link for link in find_links)
        mode = 0o600 if private else 0o644
        for option, path in self.targets.items():
            self._check_ours(option, path)
        for option, path in self.targets.items():
            atomic_write(path, clientconfig.RENDERERS[option](
                self.name, index, find_links), mode)
        return list(self.targets.values())

    update = install

    def _check_ours(self, option, path):
        """Refuse to replace a file someone else wrote (say a hand-made
        ~/.pip/pip.conf): buildout deletes what a part installed."""
        try:
            with open(path, encoding="utf-8", errors="replace") as stream:
                first_line = stream.readline()
        except FileNotFoundError:
            return
        except OSError as error:
            raise zc.buildout.UserError(
                "%s: cannot read %s (%s)" % (option, path, error.strerror))
        if clientconfig.HEADER not in first_line:
            raise zc.buildout.UserError(
                "%s: %s exists and was not written by buildout_mirrors; move "
                "it away or name another path in part %s"
                % (option, path, self.name))
