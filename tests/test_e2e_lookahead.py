"""End to end: faster than plain.  The real ``buildout``, plain and with
the extension, against a real pypiserver behind a latency relay that adds
a delay to every request and every new connection and counts both;
pypi.org unreachable."""

import json
import re
import shutil

import pytest

import dists
import servers

from buildout_mirrors.store import state
from conftest import buildout_command, run, write_buildout
from latency_relay import LatencyRelay

EGGS = ("la-root",)  # six wheels no environment has (tests/dists.py)

CONFIG = """
[buildout]
{index}
parts = py
{extra}

[versions]
{pins}

[py]
recipe = zc.recipe.egg
eggs =
    {eggs}
"""


@pytest.fixture(scope="module")
def tree_mirror(tmp_path_factory):
    """A pypiserver of dists.TREE's wheels and buildout's tool chain."""
    base = tmp_path_factory.mktemp("tree")
    packages = dists.tree_wheels(base / "packages")
    for path in dists.download().iterdir():
        if path.name.startswith(("zc_", "zc.", "setuptools", "pip-",
                                 "wheel-")):
            shutil.copy(path, packages)
    with servers.pypiserver(packages, base / "access.log") as url:
        yield url, packages


def pins(packages):
    """Every distribution the mirror serves, pinned, as a deployment's
    versions.cfg pins them."""
    found = {}
    for path in packages.iterdir():
        if path.suffix == ".whl" or path.name.endswith(".tar.gz"):
            name, version = servers.dist_name_version(path.name)
            found[name] = version
    return "\n".join(sorted("%s = %s" % item for item in found.items()))


def installed(directory):
    return sorted(path.name.split("-py")[0] for path in
                  (directory / "eggs").rglob("*.egg"))


def fetched_ahead(output):
    match = re.search(r"Fetched ahead: (\d+) of the (\d+) files", output)
    assert match, output
    return int(match.group(1)), int(match.group(2))


def test_the_extension_asks_no_more_than_plain_and_fetches_ahead(
        tmp_path, isolated_env, tree_mirror):
    url, packages = tree_mirror
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    pinned = pins(packages)
    counts = {}
    for kind in ("plain", "extension"):
        directory = tmp_path / kind
        directory.mkdir()
        with LatencyRelay(port, 0.02, 0.02) as relay:
            index = "index = " + relay.url if kind == "plain" else (
                "extensions = buildout_mirrors\nmirrors = %s\n"
                "mirrors-cache = ${buildout:directory}/state.json"
                % relay.url)
            write_buildout(directory, CONFIG.format(
                index=index, extra="", pins=pinned,
                eggs="\n    ".join(EGGS)))
            env = dict(isolated_env, PIP_INDEX_URL=relay.url)
            code, output = run(buildout_command(), env, directory)
            assert code == 0, output
            counts[kind] = (relay.requests, relay.connections, output)
    plain, ours = counts["plain"], counts["extension"]
    assert installed(tmp_path / "extension") == installed(tmp_path / "plain")
    # Every request asks the mirror for what plain buildout asks (and
    # the probe's one page); kept alive, on a few connections.
    assert ours[0] <= 1.1 * plain[0] + 2, (ours[0], plain[0])
    assert len(installed(tmp_path / "plain")) == 6  # not la-gamma
    assert plain[1] == plain[0]  # urllib: a connection each
    assert ours[1] <= ours[0] / 2, (ours[1], ours[0])
    # Nothing knew the first egg's requirements before its file came; the
    # rest came ahead.
    ahead, files = fetched_ahead(ours[2])
    assert 0 < ahead < files


def test_a_rerun_fetches_at_once_what_the_last_run_downloaded(
        tmp_path, isolated_env, tree_mirror):
    """The downloads are remembered per buildout directory: with its
    eggs gone (a pin change, a fresh eggs-directory), the next run fetches
    all of them ahead, the first egg included."""
    directory = tmp_path / "site"
    directory.mkdir()
    pinned = pins(tree_mirror[1])
    write_buildout(directory, CONFIG.format(
        index="extensions = buildout_mirrors\nmirrors = %s\n"
        "mirrors-cache = ${buildout:directory}/state.json"
        % tree_mirror[0], extra="", pins=pinned,
        eggs="\n    ".join(EGGS)))
    code, output = run(buildout_command(), isolated_env, directory)
    assert code == 0, output
    first = fetched_ahead(output)
    stored = state.downloads(json.loads(
        (directory / "state.json").read_text()), str(directory))
    assert sorted(stored) == sorted(set(dists.TREE) - {"la-gamma"})
    for path in ("eggs", "bin", "parts", ".installed.cfg"):
        target = directory / path
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    code, output = run(buildout_command(), isolated_env, directory)
    assert code == 0, output
    again = fetched_ahead(output)
    assert again[1] == first[1] and again[0] == again[1], (first, again)
