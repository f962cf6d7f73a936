"""The zc.buildout stacks Plone and Zope users run, as test environments.

Each stack is a Python version and the exact pins of its release (Plone
pins zc.buildout, setuptools, wheel and zc.recipe.egg, and buildout aborts
on any other version).  ``environment(stack, wheel)`` makes a virtual
environment with those pins plus buildout_mirrors from *wheel* (so pip
proves the package installs next to them), and ``packages(stack)`` a
directory of the distributions a test mirror serves for it, downloaded
once with that environment's own pip (its Python's wheel tags).  Both are
kept in ``tests/.stacks``; the interpreters come from pyenv.
"""

import dataclasses
import glob
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

from locking import locked

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".stacks"


@dataclasses.dataclass(frozen=True)
class Stack:
    name: str
    python: str
    pins: tuple          # ((project, version), ...)
    # zope.interface 8 names its wheels zope_interface-...: zc.buildout 3
    # with setuptools 69 cannot match them, so each stack's versions.cfg
    # pins an older one (Zope 5.9: 6.1).
    eggs: tuple = (("six", "1.16.0"), ("docopt", "0.6.2"),
                   ("zope.interface", "6.1"))

    def versions(self):
        return "\n".join("%s = %s" % pin for pin in self.pins + self.eggs)

    def requirements(self):
        """What its mirror serves: the pins and the eggs."""
        return ["%s==%s" % pin for pin in self.pins + self.eggs]

    def environment_requirements(self):
        """What its venv gets: the pins, and the zope.interface that
        buildout_mirrors needs at the stack's version; not the eggs the
        buildout must fetch."""
        return ["%s==%s" % pin for pin in self.pins + self.eggs
                if pin in self.pins or pin[0] == "zope.interface"]


STACKS = (
    Stack("plone-6.0", "3.9", (("zc.buildout", "3.0.1"),
                               ("setuptools", "69.0.3"), ("wheel", "0.42.0"),
                               ("zc.recipe.egg", "2.0.7"))),
    Stack("plone-6.0.15", "3.11", (("zc.buildout", "4.1.4"),
                                   ("setuptools", "75.8.2"),
                                   ("wheel", "0.45.1"),
                                   ("zc.recipe.egg", "3.0.0"))),
    Stack("plone-6.1.5", "3.12", (("zc.buildout", "4.2.0"),
                                  ("setuptools", "81.0.0"),
                                  ("wheel", "0.47.0"),
                                  ("zc.recipe.egg", "3.0.0"))),
    Stack("buildout-5", "3.12", (("zc.buildout", "5.2.0"),
                                 ("setuptools", "80.9.0"),
                                 ("wheel", "0.45.1"),
                                 ("zc.recipe.egg", "4.0.0"))),
    Stack("today", "3.13", (("zc.buildout", "6.0.1"),
                            ("setuptools", "80.9.0"), ("wheel", "0.45.1"),
                            ("zc.recipe.egg", "6.0.0")),
          eggs=(("six", "1.16.0"), ("docopt", "0.6.2"),
                ("zope.interface", "7.2"))),
)


def interpreter(version):
    """pyenv's python of *version* (3.9 ...), or one on PATH, or None."""
    root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    found = sorted(glob.glob(os.path.join(root, "versions", version + ".*",
                                          "bin", "python")))
    return found[-1] if found else shutil.which("python" + version)


def _quiet(command):
    subprocess.run([str(part) for part in command], check=True,
                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _pip(python):
    # As dists.py: the machine's own pip configuration (its certificates,
    # its package index) is how this machine reaches PyPI.
    return [python, "-m", "pip", "--disable-pip-version-check", "-q"]


def environment(stack, wheel):
    """A venv with the stack's exact pins and buildout_mirrors; returns
    the path of its ``buildout`` script."""
    with locked("stack-" + stack.name):
        return _environment(stack, wheel)


def _source_key():
    """A digest of this checkout's package source: a venv that holds it
    is not reinstalled (another worker may be running buildout there)."""
    digest = hashlib.sha256((HERE.parent / "setup.py").read_bytes())
    for path in sorted((HERE.parent / "src").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and \
                ".egg-info" not in str(path):
            digest.update(str(path.relative_to(HERE.parent)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _environment(stack, wheel):
    python = interpreter(stack.python)
    if python is None:
        raise RuntimeError("no Python %s (pyenv install %s)"
                           % (stack.python, stack.python))
    setup_py = (HERE.parent / "setup.py").read_bytes()
    key = hashlib.sha256(repr(stack).encode() + setup_py +
                         b"environment v2").hexdigest()[:12]
    venv = CACHE / ("%s-%s" % (stack.name, key))
    scripts = venv / "bin"
    if not (venv / "ready").exists():
        # Venvs of older pins or an older setup.py are never used again.
        for stale in CACHE.glob(stack.name + "-*"):
            if stale.name != venv.name and (stale / "ready").exists():
                shutil.rmtree(stale, ignore_errors=True)
        shutil.rmtree(venv, ignore_errors=True)
        _quiet([python, "-m", "venv", venv])
        # One resolution: the package must install next to the pins.
        _quiet(_pip(scripts / "python") + ["install"]
               + stack.environment_requirements() + [wheel])
        (venv / "ready").write_text("")
    # This checkout's code, whenever it changed.
    installed, key = venv / "installed-source", _source_key()
    if not (installed.exists() and installed.read_text() == key):
        _quiet(_pip(scripts / "python") + ["install", "--no-deps",
                                           "--force-reinstall", wheel])
        installed.write_text(key)
    return scripts / "buildout"


def packages(stack, venv_python, extra=()):
    """The distributions a test mirror serves for *stack*."""
    with locked("stack-" + stack.name):
        return _packages(stack, venv_python)


def _packages(stack, venv_python):
    directory = CACHE / ("%s-packages" % stack.name)
    stamp = directory / "requirements.txt"
    wanted = "\n".join(stack.requirements() + ["with dependencies"])
    if not (stamp.exists() and stamp.read_text() == wanted):
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
        # What bootstrap.py installs besides: buildout_mirrors' own
        # dependencies, at what this Python gets.
        _quiet(_pip(venv_python) + ["download", "-d", directory]
               + stack.requirements() + ["packaging"])
        stamp.write_text(wanted)
    return directory


@dataclasses.dataclass(frozen=True)
class ZopeRelease:
    """A released Zope, pinned by its own versions.cfg (which extends
    versions-prod.cfg), as a Plone site's buildout extends it."""
    version: str = "5.13"
    recipe: str = "8.0.0"  # plone.recipe.zope2instance, Plone 6.1's

    def files(self, stack, venv_python):
        """(a directory holding the release's versions.cfg and
        versions-prod.cfg, a directory of every distribution an instance
        needs on *stack*).  Downloaded once: the release's sdist for its
        pins, then the pinned distributions, with the stack's own pins
        winning where the two differ, as in the test's buildout."""
        with locked("zope-%s-%s" % (self.version, stack.name)):
            return self._files(stack, venv_python)

    def _files(self, stack, venv_python):
        directory = CACHE / ("zope-%s-%s" % (self.version, stack.name))
        release, served = directory / "release", directory / "packages"
        wanted = repr((self, stack, "with the newest zope.interface"))
        stamp = directory / "ready"
        if stamp.exists() and stamp.read_text() == wanted:
            return release, served
        import configparser
        import tarfile
        shutil.rmtree(directory, ignore_errors=True)
        release.mkdir(parents=True)
        sdist = directory / "sdist"
        _quiet(_pip(venv_python) + ["download", "--no-deps", "--no-binary",
                                    ":all:", "-d", sdist,
                                    "Zope==" + self.version])
        with tarfile.open(next(sdist.iterdir())) as archive:
            for member in archive.getmembers():
                name = member.name.rsplit("/", 1)[-1]
                if name in ("versions.cfg", "versions-prod.cfg") and \
                        member.name.count("/") == 1:
                    (release / name).write_bytes(
                        archive.extractfile(member).read())
        pins = {}
        for name in ("versions-prod.cfg", "versions.cfg"):
            parser = configparser.RawConfigParser()
            parser.optionxform = str
            parser.read(release / name)
            pins.update(parser["versions"])
        pins.update(stack.pins)
        constraints = directory / "constraints.txt"
        constraints.write_text("".join("%s==%s\n" % pin
                                       for pin in pins.items() if pin[1]))
        _quiet(_pip(venv_python) + [
            "download", "-d", served, "-c", constraints,
            "Zope==" + self.version,
            "plone.recipe.zope2instance==" + self.recipe]
            + ["%s==%s" % pin for pin in stack.pins] + ["packaging"])
        # A mirror holds newer releases than the pins too: the newest
        # zope.interface is what an unpinned install of the extension
        # would take.
        _quiet(_pip(venv_python) + ["download", "--no-deps", "-d", served,
                                    "zope.interface"])
        shutil.rmtree(sdist)
        stamp.write_text(wanted)
        return release, served


def packages_for_python(version, requirements):
    """The distributions *requirements* need on Python *version* (pyenv's),
    resolved and downloaded once by that Python's own pip."""
    with locked("python-%s-packages" % version):
        return _packages_for_python(version, requirements)


def _packages_for_python(version, requirements):
    python = interpreter(version)
    directory = CACHE / ("python-%s-packages" % version)
    stamp = directory / "requirements.txt"
    wanted = "\n".join(requirements)
    if not (stamp.exists() and stamp.read_text() == wanted):
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)
        _quiet(_pip(python) + ["download", "-d", directory] + requirements)
        stamp.write_text(wanted)
    return directory
