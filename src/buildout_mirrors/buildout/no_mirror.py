"""When no listed mirror answers: go on with what is there, or stop
before anything is touched.

Never fall back to an index nobody listed (dependency confusion).  A
buildout that needs nothing new must still succeed; one that would lose
working parts for nothing must stop first.
"""

import logging

import zc.buildout

from buildout_mirrors.selection import options as mirror_options
from buildout_mirrors.index import urls
from buildout_mirrors.index.errors import OVERRIDE_HINT
from buildout_mirrors.buildout import installed_parts
from buildout_mirrors.buildout.run import Run
from buildout_mirrors.buildout.switch import IndexSwitch

logger = logging.getLogger("buildout_mirrors")


def go_on(extension, settings, selector, selection):
    """No candidate answered healthy within the deadline.

    Never fall back to an index nobody listed (dependency confusion):
    buildout and pip stay pointed at the candidates.  Those that were
    connected but silent may be slow, not dead: they are asked again,
    patiently.  The run goes on with ``newest = false``, so that a
    buildout that needs nothing new succeeds; one that must download
    fails at the first download with one message naming every mirror
    and why it failed."""
    extension.buildout.newest = False
    extension.section["newest"] = "false"
    if settings.fallback == "pypi":
        logger.warning(
            "%s (candidates from %s). mirrors-fallback = pypi: going on "
            "with %s and newest = false.", selection.summary(),
            settings.candidates_from, mirror_options.PYPI)
        switch = IndexSwitch(extension.buildout)
        switch.apply(mirror_options.PYPI, selection.find_links)
        extension.started(Run(switch))
        return
    slow = [result.url for result in selection.results if result.slow]
    dead = [(result.url, result.reason) for result in selection.results
            if not result.slow]
    dead += [(url, reason) for url, reason in selection.skipped]
    curated = [result.url for result in selection.results
               if result.curated]  # private indexes, no mirrors
    ordered = keep_built_index(extension.buildout, selection,
                               slow + [url for url in settings.candidates
                                       if url not in slow + curated]
                               or curated)
    logger.warning(
        "%s (candidates from %s). Going on with newest = false%s; no "
        "other index is used. %s", selection.summary(),
        settings.candidates_from,
        "; the slow ones are asked again, up to %.0f s a request: %s" % (
            settings.stall, ", ".join(urls.redact(url) for url in slow))
        if slow else "; if anything must be downloaded this buildout "
        "fails", OVERRIDE_HINT)
    extension.use(settings, selector, ordered[0], ordered[1:],
                  selection.find_links, silent=slow, dead=dead,
                  results=selection.results)


def keep_built_index(buildout, selection, ordered):
    """*ordered* with the index the installed parts were built with
    first, when it is listed: an index switch alone would reinstall
    them.  When it is not listed any more (a mirror URL edited, say) and
    a part now asks for an egg it did not have, stop before zc.buildout
    uninstalls anything: there is nothing to rebuild it from.  A part
    that asks for nothing new is rebuilt from the eggs at hand, as plain
    zc.buildout would."""
    built = installed_parts.read(buildout["buildout"].get("installed"))
    if not built:
        return ordered
    listed = {urls.without_auth(url).rstrip("/"): url for url in ordered}
    kept = [listed[index] for index, _ in sorted(built.values())
            if index in listed]
    if kept:
        return kept[:1] + [url for url in ordered if url != kept[0]]
    wanting = sorted(part for part, (_, had) in built.items()
                     if _eggs_now(buildout, part) - had)
    if not wanting:
        return ordered
    raise zc.buildout.UserError(
        "%s. The installed parts were built with %s, which is no longer "
        "listed, and these ask for eggs they did not have: %s. Switching "
        "would uninstall them with no mirror to download from, so nothing "
        "was changed. Fix mirrors, or run again once a mirror answers." % (
            selection.summary(), " and ".join(sorted(
                {index for index, _ in built.values()})),
            ", ".join(wanting)))


def _eggs_now(buildout, part):
    """The project names part *part* asks for in this run's configuration
    (nothing, when it cannot be read before its recipe runs)."""
    try:
        return installed_parts.project_names(buildout[part].get("eggs", ""))
    except Exception:  # a substitution only its recipe can make, ...
        return set()
