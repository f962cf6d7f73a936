"""A Plone-sized build: Products.CMFPlone 6.1.5 and its ~200 dependencies.

Resolved once (``pip download``, the only step that needs a package index)
into ``benchmarks/.plone-6.1.5``, pinned from the file names, and served
by pypiserver on 127.0.0.1.  Three fresh builds, interleaved round by
round so that drift hits each alike: plain zc.buildout against the healthy
mirror, the extension with the first mirror hanging, and the extension
with its chosen mirror dying half-way (it stops listening after half of
plain's time).  Wall time (fastest and median) and the peak RSS of the
whole buildout process tree (sampled from /proc) are reported.
"""

import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import dists
import servers
from report import Spread

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".plone-6.1.5"
REQUIREMENT = "Products.CMFPlone==6.1.5"
BUILDOUT = os.path.join(os.path.dirname(sys.executable), "buildout")


def packages():
    """The distributions: Plone's, plus buildout's tool chain."""
    stamp = CACHE / "requirements.txt"
    wanted = "\n".join([REQUIREMENT] + dists.requirements())
    if not (stamp.exists() and stamp.read_text() == wanted):
        shutil.rmtree(CACHE, ignore_errors=True)
        CACHE.mkdir(parents=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "-q",
                        "--disable-pip-version-check", "-d", str(CACHE),
                        REQUIREMENT] + dists.requirements(), check=True)
        stamp.write_text(wanted)
    return CACHE


def pins(directory):
    from packaging.utils import parse_sdist_filename, parse_wheel_filename
    found = {}
    for name in os.listdir(directory):
        if name.endswith(".whl"):
            project, version = parse_wheel_filename(name)[:2]
        elif name.endswith(".tar.gz"):
            project, version = parse_sdist_filename(name)
        else:
            continue
        found[str(project)] = str(version)
    return "\n".join("%s = %s" % pin for pin in sorted(found.items()))


def write_config(directory, pinned, index=None, mirrors=None, part="plone",
                 eggs=("Products.CMFPlone",), cache="none"):
    """A fresh *directory* with a buildout.cfg of one zc.recipe.egg part:
    plain (*index*) or with the extension (*mirrors*, state in *cache*)."""
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    lines = ["[buildout]", "parts = " + part]
    if mirrors:
        lines += ["extensions = buildout_mirrors", "mirrors = " + mirrors,
                  "mirrors-cache = " + cache]
    else:
        lines.append("index = " + index)
    lines += ["", "[versions]", pinned, "", "[%s]" % part,
              "recipe = zc.recipe.egg",
              "eggs = " + "\n    ".join(("",) + tuple(eggs))]
    (directory / "buildout.cfg").write_text("\n".join(lines) + "\n")


def tree_rss_kib(root):
    """The summed VmRSS of *root* and all its descendants, in KiB."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as stream:
                parent = int(stream.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, ()))
        try:
            with open("/proc/%d/status" % pid) as stream:
                for line in stream:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            continue
    return total


def build(directory, env, on_start=None):
    """A fresh bin/buildout; returns (seconds, peak tree RSS in MiB)."""
    started = time.perf_counter()
    process = subprocess.Popen([BUILDOUT], cwd=str(directory), env=env,
                               stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    if on_start:
        on_start()
    peak = [0]

    def sample():
        while process.poll() is None:
            peak[0] = max(peak[0], tree_rss_kib(process.pid))
            time.sleep(0.1)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = process.communicate()[0].decode("utf-8", "replace")
    seconds = time.perf_counter() - started
    sampler.join()
    if process.returncode != 0:
        raise RuntimeError("buildout failed in %s:\n%s"
                           % (directory, output[-3000:]))
    return seconds, peak[0] / 1024


def bench_plone(table, env, hanging, repeats, scratch):
    served = packages()
    count = sum(1 for name in os.listdir(served)
                if name.endswith((".whl", ".tar.gz")))
    print("8. A Plone-sized fresh build (%s, %d distributions), %d rounds"
          % (REQUIREMENT, count, repeats))
    pinned = pins(served)
    runs = {"plain": [], "outage": [], "midrun": [], "midhang": []}
    with servers.pypiserver(served, scratch / "plone.log") as mirror:
        port = int(mirror.rsplit(":", 1)[1].split("/")[0])
        plain_env = dict(env, PIP_INDEX_URL=mirror,
                         PIP_DISABLE_PIP_VERSION_CHECK="1")

        def plain():
            directory = scratch / "plone-plain"
            write_config(directory, pinned, index=mirror)
            runs["plain"].append(build(directory, plain_env))

        def outage():
            directory = scratch / "plone-outage"
            write_config(directory, pinned,
                         mirrors="%s %s" % (hanging, mirror))
            runs["outage"].append(build(directory, env))

        def dies_half_way(key, kill):
            # It stops listening (refuses), or accepts every request and
            # never answers (hangs), after half of plain's fastest time
            # (or, before plain ran, 60 s).
            times = [seconds for seconds, _ in runs["plain"]]
            half = min(times) / 2 if times else 60
            with servers.LatencyProxy(("127.0.0.1", port), 0) as dying:
                directory = scratch / ("plone-" + key)
                write_config(directory, pinned, mirrors=(
                    "http://127.0.0.1:%d/simple %s" % (dying.port, mirror)))
                timer = threading.Timer(half, kill, (dying,))
                runs[key].append(build(directory, env, timer.start))
                timer.cancel()

        def midrun():
            dies_half_way("midrun", lambda dying: dying.__exit__(
                None, None, None))

        def midhang():
            dies_half_way("midhang", lambda dying: setattr(
                dying, "hang", True))
        order = [plain, outage, midrun, midhang]
        for round_ in range(repeats):  # each goes first once (warm caches)
            shift = round_ % len(order)
            for scenario in order[shift:] + order[:shift]:
                scenario()
    plain = _summary(runs["plain"])
    table.add("Plone-sized fresh build, plain zc.buildout, healthy "
              "(baseline; fastest of %d, median %.1f s)"
              % (repeats, plain[1]), plain[0])
    for key, what, target in (
            ("outage", "extension, first mirror hanging", 1.05),
            ("midrun", "extension, chosen mirror dies half-way", 1.10),
            ("midhang", "extension, chosen mirror hangs half-way", 1.10)):
        fastest, median, rss = _summary(runs[key])
        table.add("Plone-sized fresh build, %s (fastest of %d, median "
                  "%.1f s)" % (what, repeats, median), fastest, plain[0],
                  "<= %.2f x" % target, fastest <= target * plain[0],
                  spread=Spread([seconds for seconds, _ in runs[key]],
                                [seconds for seconds, _ in runs["plain"]],
                                lambda base, target=target: target * base,
                                "more rounds (``--plone-rounds``)"))
    for key, what in (("plain", "plain zc.buildout"),
                      ("outage", "extension, first mirror hanging"),
                      ("midrun", "extension, mirror dies half-way"),
                      ("midhang", "extension, mirror hangs half-way")):
        rss = _summary(runs[key])[2]
        table.add("Plone-sized build, peak RSS of the tree, %s" % what,
                  round(rss), round(plain[2]) if key != "plain" else None,
                  "<= plain + 30 MiB" if key != "plain" else "",
                  rss <= plain[2] + 30 if key != "plain" else None, "MiB")


def _summary(runs):
    """(fastest, median, highest peak RSS) of [(seconds, rss), ...]."""
    times = [seconds for seconds, _ in runs]
    return min(times), statistics.median(times), max(rss for _, rss in runs)
