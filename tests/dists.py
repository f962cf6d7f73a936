"""The distributions the test and benchmark mirrors serve.

Downloaded once with ``pip download`` into ``tests/.dists`` (the only
step that needs a package index), plus a wheel of this checkout built
fresh each session.
"""

import importlib.metadata
import shutil
import subprocess
import sys
from pathlib import Path

from locking import locked

HERE = Path(__file__).resolve().parent
CHECKOUT = HERE.parent
CACHE = HERE / ".dists"

# buildout's tool chain at the versions this environment runs, the
# extension's dependencies, and what a realistic buildout installs: ten
# distributions with their dependencies, among them one wheel-only egg
# (six) and one sdist-only egg (docopt, which pip must build, taking its
# build dependencies from the index).
TOOLCHAIN = ("zc.buildout", "setuptools", "pip", "wheel", "zc.recipe.egg",
             "requests", "zope.interface", "platformdirs", "packaging")
EXTRA = ("six==1.16.0", "docopt==0.6.2")
REALISTIC_EGGS = ("requests", "zope.interface", "six", "docopt",
                  "platformdirs", "packaging")


def requirements():
    return ["%s==%s" % (name, importlib.metadata.version(name))
            for name in TOOLCHAIN] + list(EXTRA)


def download():
    with locked("dists"):
        return _download()


def _download():
    wanted = "\n".join(requirements())
    stamp = CACHE / "requirements.txt"
    if stamp.exists() and stamp.read_text() == wanted:
        return CACHE
    shutil.rmtree(CACHE, ignore_errors=True)
    CACHE.mkdir()
    subprocess.run([sys.executable, "-m", "pip", "download", "-q",
                    "--disable-pip-version-check", "-d", str(CACHE)]
                   + requirements(), check=True)
    stamp.write_text(wanted)
    return CACHE


def packages_directory(directory):
    """Fill *directory* with the downloaded distributions and a fresh wheel
    of this checkout; return it."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for dist in download().iterdir():
        if dist.name != "requirements.txt":
            shutil.copy(dist, directory)
    with locked("checkout"):  # another worker may build in the tree too
        # setuptools builds in the tree and may reuse a stale build/lib.
        shutil.rmtree(CHECKOUT / "build", ignore_errors=True)
        subprocess.run([sys.executable, "-m", "pip", "wheel", "-q",
                        "--no-deps", "--no-build-isolation",
                        "--disable-pip-version-check", "-w", str(directory),
                        str(CHECKOUT)], check=True, capture_output=True)
    return directory


def tiny_wheel(directory, project, version, marker):
    """A pure-Python wheel of *project* at *version*, written by hand (no
    build, no index): its module ``<project>`` holds ``MARKER = marker``,
    so that a test can tell whose wheel was installed."""
    import base64
    import hashlib
    import zipfile
    module = project.replace(".", "_").replace("-", "_").lower()
    info = "%s-%s.dist-info" % (module, version)
    files = {
        "%s/__init__.py" % module: "MARKER = %r\n" % marker,
        info + "/METADATA": "Metadata-Version: 2.1\nName: %s\nVersion: %s"
                            "\n" % (project, version),
        info + "/WHEEL": "Wheel-Version: 1.0\nGenerator: tests\n"
                         "Root-Is-Purelib: true\nTag: py3-none-any\n",
        info + "/top_level.txt": module + "\n",
    }
    record = []
    for name, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(
            text.encode()).digest()).rstrip(b"=").decode()
        record.append("%s,sha256=%s,%d" % (name, digest, len(text.encode())))
    record.append(info + "/RECORD,,")
    path = Path(directory) / ("%s-%s-py3-none-any.whl" % (module, version))
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
        archive.writestr(info + "/RECORD", "\n".join(record) + "\n")
    return path


# A small tree of pure-Python wheels that no environment has installed,
# for builds that must download every egg: project -> requirements.
TREE = {
    "la-root": ["la-alpha", "la-beta>=1", "la-gamma; python_version < '3'"],
    "la-alpha": ["la-delta", "la-epsilon"],
    "la-beta": ["la-delta"],
    "la-gamma": [],
    "la-delta": ["la-zeta"],
    "la-epsilon": [],
    "la-zeta": [],
}
TREE_VERSION = "1.0"


def tree_wheels(directory):
    """Write TREE's wheels (installable: METADATA, WHEEL, RECORD and a
    module each) into *directory*; return it."""
    import zipfile
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for project, requires in TREE.items():
        module = project.replace("-", "_")
        stem = "%s-%s" % (module, TREE_VERSION)
        info = stem + ".dist-info/"
        files = {
            module + ".py": "NAME = %r\n" % project,
            info + "METADATA": "Metadata-Version: 2.1\nName: %s\n"
            "Version: %s\n%s" % (project, TREE_VERSION, "".join(
                "Requires-Dist: %s\n" % line for line in requires)),
            info + "WHEEL": "Wheel-Version: 1.0\nGenerator: tests\n"
            "Root-Is-Purelib: true\nTag: py3-none-any\n",
        }
        files[info + "RECORD"] = "".join(
            "%s,,\n" % name for name in list(files) + [info + "RECORD"])
        with zipfile.ZipFile(directory / (stem + "-py3-none-any.whl"),
                             "w") as archive:
            for name, text in files.items():
                archive.writestr(name, text)
    return directory
