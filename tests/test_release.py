"""The release as PyPI gets it (``python -m build``, ``twine check``), and
the path a stranger takes from it: bootstrap.py alone beside a buildout.cfg,
buildout_mirrors from a mirror (published) or from a wheel given with
``--find-links`` (until it is published), the first mirror dead."""

import importlib.metadata
import shutil
import sys
import tarfile
import zipfile

import pytest

import dists
import servers
import stacks
from conftest import CHECKOUT, run, write_buildout
from locking import locked
from deployments import PINS

VERSION = importlib.metadata.version("buildout_mirrors")


@pytest.fixture(scope="module")
def release(tmp_path_factory):
    """The sdist, and the wheel built from it, as ``python -m build``
    makes them (no isolation: no index is asked for build tools)."""
    out = tmp_path_factory.mktemp("dist")
    with locked("checkout"):  # another worker may build in the tree too
        code, output = run([sys.executable, "-m", "build", "--no-isolation",
                            "--outdir", out, CHECKOUT], None, CHECKOUT)
    assert code == 0, output
    sdist, = out.glob("*.tar.gz")
    wheel, = out.glob("*.whl")
    return sdist, wheel


def test_twine_check_passes_on_both(release, isolated_env):
    code, output = run([sys.executable, "-m", "twine", "check", "--strict"]
                       + list(release), isolated_env, CHECKOUT)
    assert code == 0, output
    assert output.count("PASSED") == 2, output


def test_the_sdist_holds_the_tests_bootstrap_and_the_data(release):
    sdist, wheel = release
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames()
                 if "/" in name}
    for wanted in ("bootstrap.py", "CHANGES.rst", "tests/conftest.py",
                   "tests/test_release.py", "tests/requirements.txt",
                   "tests/run-pytest.sh", "benchmarks/run.py",
                   "src/buildout_mirrors/data/public-mirrors.txt"):
        assert wanted in names, wanted
    assert not any(name.startswith(("tests/.stacks", "tests/.dists"))
                   or "__pycache__" in name for name in names)
    with zipfile.ZipFile(wheel) as archive:
        assert "buildout_mirrors/data/public-mirrors.txt" in \
            archive.namelist()


def test_the_metadata_is_a_release_with_known_classifiers(release):
    from trove_classifiers import classifiers as known
    _, wheel = release
    with zipfile.ZipFile(wheel) as archive:
        metadata = archive.read("buildout_mirrors-%s.dist-info/METADATA"
                                % VERSION).decode()
    assert "\nVersion: %s\n" % VERSION in metadata
    assert ".dev" not in VERSION
    listed = [line.split(": ", 1)[1] for line in metadata.splitlines()
              if line.startswith("Classifier: ")]
    assert set(listed) <= known, set(listed) - known
    for minor in range(9, 14):  # tests/stacks.py's, and 3.10 below
        assert "Programming Language :: Python :: 3.%d" % minor in listed


# The find-links path runs on Python 3.10, which no stack of
# tests/stacks.py has: every Python the classifiers name is tested.
@pytest.mark.parametrize("published, python", [
    (True, sys.executable), (False, stacks.interpreter("3.10"))],
    ids=["from the mirror", "from --find-links, Python 3.10"])
def test_a_stranger_bootstraps_from_the_release(
        release, published, python, tmp_path, isolated_env, hanging):
    sdist, wheel = release
    served = tmp_path / "served"
    # The dependencies, as that Python resolves them (platformdirs, which
    # zc.buildout 6 needs, left Python 3.10 behind in its newest releases).
    shutil.copytree(dists.download() if python == sys.executable else
                    stacks.packages_for_python("3.10", PINS.replace(
                        " = ", "==").splitlines() + [
                        "six==1.16.0", "zope.interface", "packaging"]),
                    served)
    (served / "requirements.txt").unlink()
    local = tmp_path / "wheels"
    local.mkdir()
    for path in release:
        shutil.copy(path, served if published else local)
    deployment = tmp_path / "site"  # no checkout in sight
    deployment.mkdir()
    shutil.copy(CHECKOUT / "bootstrap.py", deployment)
    with servers.pypiserver(served, tmp_path / "access.log") as mirror:
        write_buildout(deployment, """
[buildout]
extensions = buildout_mirrors
mirrors = %s %s
parts = py

[versions]
%s

[py]
recipe = zc.recipe.egg
eggs = six
interpreter = py
""" % (hanging.url, mirror, PINS))
        command = [python, "bootstrap.py"]
        if not published:
            command += ["--find-links", str(local)]
        code, output = run(command, isolated_env, deployment)
        assert code == 0, output
        assert "using mirror %s" % mirror in output, output
        code, output = run([deployment / "bin" / "buildout"], isolated_env,
                           deployment)
        assert code == 0, output
        assert "Using mirror %s" % mirror in output, output
    code, output = run([deployment / ".venv" / "bin" / "python", "-c",
                        "import importlib.metadata as m, buildout_mirrors; "
                        "print(m.version('buildout_mirrors'), "
                        "buildout_mirrors.__file__)"], isolated_env,
                       deployment)
    version, location = output.split()
    assert version == VERSION
    assert str(deployment / ".venv") in location  # the release, installed
