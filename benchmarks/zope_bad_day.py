"""A Zope-flavoured bad day: ZODB, zope.component, zope.schema and friends.

The distributions are the Plone benchmark's (``plone.packages()``), pinned
from their file names; buildout resolves only what these eggs need.  Four
mirrors are listed, in this order, as an operator would list them:

1. "pypi.org": accepts every connection and never answers;
2. a stale mirror: an older zc.buildout (the freshness signal) and an older
   ZODB than the pins ask for, so a build that used it would fail;
3. a mirror that answers the probe and the first requests, then accepts
   every connection and never answers (hangs mid-run);
4. a healthy mirror.

Each round runs plain zc.buildout pointed by hand at the healthy mirror and
the extension on the bad day, in turns.  After every build, each egg
installed must be at its pinned version.
"""

import json
import os
import statistics
import time
from pathlib import Path

import plone
import servers
from faulty import FaultyMirror
from report import Spread

EGGS = ("ZODB", "zope.component", "zope.schema", "zope.configuration",
        "zope.security", "zope.location", "zope.annotation",
        "zope.lifecycleevent")
HANG_AFTER = 20  # requests, the probe's included: about a third of the run
TARGET = 1.2


def stale_tree(served, directory):
    """Links to every file of *served*, but an older zc.buildout and ZODB."""
    directory.mkdir(parents=True, exist_ok=True)
    for name in os.listdir(served):
        lowered = name.lower()
        if lowered.startswith(("zc_buildout-", "zc.buildout-", "zodb-")):
            continue
        if lowered.endswith((".whl", ".tar.gz")):
            (directory / name).symlink_to(Path(served) / name)
    for old in ("zc.buildout-3.0.1.tar.gz", "ZODB-5.8.1.tar.gz"):
        (directory / old).write_bytes(b"")  # listed, never fetched
    return directory


def write_config(directory, pinned, index=None, mirrors=None):
    plone.write_config(directory, pinned, index, mirrors, part="zope",
                       eggs=EGGS, cache="${buildout:directory}/state.json")


def wrong_versions(directory, pinned):
    """Eggs in *directory*/eggs whose version is not the pinned one."""
    from packaging.utils import canonicalize_name
    pins = {canonicalize_name(line.split(" = ")[0]): line.split(" = ")[1]
            for line in pinned.splitlines()}
    wrong = []
    for egg in installed(directory):
        name, version = egg.split("-")[:2]
        if pins.get(canonicalize_name(name)) not in (None, version):
            wrong.append(egg)
    return sorted(wrong)


def installed(directory):
    """The eggs' names (zc.buildout 5+ keeps them in eggs/v5/)."""
    return [path.name for path in (directory / "eggs").glob("**/*.egg")]


def bench_zope(table, env, hanging, repeats, scratch):
    served = plone.packages()
    pinned = plone.pins(served)
    print("9. A Zope-flavoured bad day (%s), %d rounds"
          % (", ".join(EGGS), repeats))
    stale = stale_tree(served, scratch / "zope-stale")
    times = {"plain": [], "bad day": []}
    counts, swallowed = [], []
    with servers.pypiserver(served, scratch / "zope.log") as healthy, \
            servers.pypiserver(stale, scratch / "zope-stale.log") as old:
        plain_env = dict(env, PIP_INDEX_URL=healthy,
                         PIP_DISABLE_PIP_VERSION_CHECK="1")

        def plain():
            directory = scratch / "zope-plain"
            write_config(directory, pinned, index=healthy)
            times["plain"].append(plone.build(directory, plain_env)[0])
            assert not wrong_versions(directory, pinned)
            counts.append(len(installed(directory)))

        def bad_day():
            directory = scratch / "zope-bad-day"
            with FaultyMirror(healthy, "hang-after",
                              after=HANG_AFTER) as dying:
                write_config(directory, pinned, mirrors=" ".join(
                    (hanging, old, dying.url, healthy)))
                times["bad day"].append(plone.build(directory, env)[0])
                swallowed.append(dying.hung)
                if len(dying.requests) <= HANG_AFTER:
                    raise RuntimeError("the mirror meant to hang mid-run "
                                       "was not used: %d requests"
                                       % len(dying.requests))
            records = json.loads((directory / "state.json").read_text())[
                "mirrors"]
            if not records.get(old, {}).get("lag"):
                raise RuntimeError("the stale mirror was not found behind: "
                                   "%r" % records.get(old))
            wrong = wrong_versions(directory, pinned)
            if wrong:
                raise RuntimeError("wrong versions installed: %s" % wrong)
        order = [plain, bad_day]
        for round_ in range(repeats):
            shift = round_ % len(order)
            for scenario in order[shift:] + order[:shift]:
                started = time.perf_counter()
                scenario()
                print("  (%s: %.1f s)" % (scenario.__name__,
                                          time.perf_counter() - started))
    base = min(times["plain"])
    table.add("Zope-flavoured fresh build (%d eggs installed), plain "
              "zc.buildout, healthy (baseline; fastest of %d, median %.1f s)"
              % (max(counts), repeats, statistics.median(times["plain"])),
              base)
    measured = times["bad day"]
    table.add("Zope-flavoured bad day: pypi.org hanging, first mirror "
              "stale, second hangs after %d requests, third healthy; "
              "pinned versions (fastest of %d, median %.1f s)"
              % (HANG_AFTER, repeats, statistics.median(measured)),
              min(measured), base, "<= %.1f x" % TARGET,
              min(measured) <= TARGET * base,
              spread=Spread(measured, times["plain"],
                            lambda baseline: TARGET * baseline,
                            "more rounds (``--zope-rounds``)"))
    table.add("requests the mirror that hung mid-run swallowed (most of "
              "%d rounds)" % repeats, max(swallowed), None, "<= 4",
              max(swallowed) <= 4, "requests")
