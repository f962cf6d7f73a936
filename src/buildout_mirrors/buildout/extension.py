"""The zc.buildout extension: choose a mirror before eggs are resolved.

The entry points are one-line functions that hand the buildout to an
:class:`Extension` object (mr.developer's shape); the choosing itself is
done by :class:`~buildout_mirrors.selection.selector.MirrorSelector`,
which knows nothing of buildout.
"""

import json
import logging
import os
import re

import zc.buildout

from buildout_mirrors import plugins
from buildout_mirrors.selection import options as mirror_options
from buildout_mirrors.selection import option_names, private_projects
from buildout_mirrors.store import state
from buildout_mirrors.index import urls
from buildout_mirrors.index.errors import ConfigError
from buildout_mirrors.selection.selector import MirrorSelector
from buildout_mirrors.buildout import lookahead_inputs, no_mirror
from buildout_mirrors.buildout.session import FailoverSession
from buildout_mirrors.buildout.run import RUNS, Run, RunGuard
from buildout_mirrors.buildout.switch import IndexSwitch

logger = logging.getLogger("buildout_mirrors")

# Set for the child buildout that zc.buildout starts after upgrading
# itself, so that the child reuses the choice instead of probing again.
CHOICE_ENVIRON = "BUILDOUT_MIRRORS_CHOICE"
PROJECT = "buildout_mirrors"




def load(buildout):
    """``zc.buildout.extension`` entry point."""
    Extension(buildout)()


def unload(buildout):
    """``zc.buildout.unloadextension`` entry point (called on success
    only): undo what load did."""
    RUNS.end(buildout)


def settings_for(buildout, overrides=None):
    """Validated settings from ``[buildout]`` (and a part's *overrides*),
    or a ``zc.buildout.UserError`` that names the option to fix."""
    section = buildout["buildout"]
    try:
        raw = option_names.raw_options(section)
        raw.update({name: value for name, value in (overrides or {}).items()
                    if name in option_names.OPTION_NAMES and value})
        return mirror_options.parse(raw, base_directory=section["directory"],
                                    plugins=plugins)
    except ConfigError as error:
        raise zc.buildout.UserError(str(error)) from None


def selector_for(settings):
    """The selector of *settings*; a plug-in that fails is a UserError."""
    try:
        return MirrorSelector(settings)
    except ConfigError as error:
        raise zc.buildout.UserError(str(error)) from None


def is_listed(buildout):
    """True when ``extensions`` names this package: buildout calls every
    installed extension, configured or not."""
    names = buildout["buildout"].get("extensions", "").split()
    return any(re.split(r"[<>=!~\[ ;]", name, maxsplit=1)[0].replace(
        "-", "_").lower() == PROJECT for name in names)


class Extension:
    """``Extension(buildout)()``: select a mirror and switch buildout to it."""

    def __init__(self, buildout):
        self.buildout = buildout
        self.section = buildout["buildout"]

    def __call__(self):
        __doing__ = "Choosing a package index mirror."  # noqa: F841
        if not is_listed(self.buildout):
            return
        settings = settings_for(self.buildout)
        for warning in settings.warnings:
            logger.warning("%s", warning)
        # buildout -vv prints every option: the mirrors' credentials are
        # now in `settings`; the options keep only their redacted form.
        for name in ("mirrors", "index", "find-links"):
            if "@" in self.section.get(name, ""):
                self.section[name] = " ".join(
                    urls.redact(url) for url in self.section[name].split())
        if self.buildout.offline or self.section.get(
                "install-from-cache", "false").strip().lower() == "true":
            logger.debug("Offline or install-from-cache: no mirror probed.")
            return
        selector = selector_for(settings)
        inherited = self._inherited_choice(settings)
        if inherited:
            logger.info("Using mirror %s, as chosen before the upgrade.",
                        urls.redact(inherited["index"]))
            self.use(settings, selector, inherited["index"],
                      inherited["backups"], inherited["find-links"])
            return
        selection = selector.select()
        for line in selection.detail_lines():
            logger.debug("%s", line)
        for result in selection.dead_links:
            logger.warning("Dropped find-links %s for this run: %s.",
                           result.label, result.reason)
        if selection.chosen is None:
            no_mirror.go_on(self, settings, selector, selection)
            return
        logger.info("%s", selection.summary())
        self.use(settings, selector, selection.chosen, selection.backups,
                  selection.find_links, RunGuard(
                      selector.state, settings.candidates),
                  silent=[result.url for result in selection.results
                          if not result.answered],
                  answer_times={result.url: result.elapsed
                                for result in selection.results if result.ok},
                  answered=selection.answered, results=selection.results)

    def use(self, settings, selector, chosen, backups, find_links,
             guard=None, silent=(), dead=(), answer_times=None,
             answered=(), results=()):
        """Switch buildout and pip to *chosen*, with failover to
        *backups* for every page and file of the run.  A local directory
        (the wheelhouse) is read directly: when it is chosen, there is
        nothing alive to fail over to."""
        session = None
        if urls.is_remote(chosen):
            stored = selector.state.load()
            session = FailoverSession(
                [chosen] + list(backups), settings, selector.state,
                allowed_hosts=getattr(self.buildout, "_allow_hosts", ()),
                silent=silent,
                dead=dead, link_credentials=find_links, answered=answered,
                private=private_projects.for_run(
                    settings, results, state.private_indexes(stored)),
                ahead=lookahead_inputs.Inputs(self.buildout, stored))
            for url, seconds in (answer_times or {}).items():
                session.failover.latencies.record(url, seconds)
            # Like the index: buildout stores find-links in every part
            # (.installed.cfg) and pip passes them on command lines; the
            # handler and pip's netrc add the credentials back.
            find_links = [urls.without_auth(link) for link in find_links]
        switch = IndexSwitch(self.buildout)
        # buildout prints the index it reads and stores it in every part:
        # give it the URL without credentials; the failover handler adds
        # them back to each request.  The child buildout of an upgrade
        # gets the choice as labels, never credentials.
        choice = json.dumps({"index": urls.redact(chosen),
                             "backups": [urls.redact(url) for url in backups],
                             "find-links": [urls.redact(link)
                                            for link in find_links]})
        switch.apply(urls.without_auth(chosen), find_links,
                     [(CHOICE_ENVIRON, choice)],
                     pip_index=session.pip_index if session else None,
                     also_allow=backups,
                     pip_failures=session.pip_failures if session
                     else (lambda: ()),
                     opener=session.opener if session else None)
        self.started(Run(switch, session, guard))

    def started(self, run):
        """*run* is what this buildout's unload undoes."""
        RUNS.started(self.buildout, run)

    def _inherited_choice(self, settings):
        """The choice of the parent buildout, in the process zc.buildout
        restarts after an upgrade: labels, matched to this run's own
        candidates (which hold the credentials)."""
        if "BUILDOUT_RESTART_AFTER_UPGRADE" not in os.environ:
            return None
        try:
            choice = json.loads(os.environ.get(CHOICE_ENVIRON, ""))
            by_label = {urls.redact(url): url for url in
                        settings.candidates + settings.find_links}

            def own(label):
                return by_label.get(str(label), str(label))
            return {"index": own(choice["index"]),
                    "backups": [own(url) for url in choice["backups"]],
                    "find-links": [own(link) for link in choice["find-links"]]}
        except (ValueError, KeyError, TypeError):
            return None
