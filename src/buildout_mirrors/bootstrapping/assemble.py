"""Write bootstrap.py from the package: ``python -m
buildout_mirrors.bootstrapping.assemble [--check] [--digest] [PATH]``.

bootstrap.py is one file a user copies next to buildout.cfg, and it must
run on a bare system Python.  So, as get-pip.py does for pip, it is a
short script followed by what it runs: ``buildout_mirrors/index``,
``store``, ``selection``, ``failover`` and ``bootstrapping``, the
standard-library-only modules that
the extension uses too, carried as plain text (each line after ``#|``),
so that a reviewer reads a change to them as the same change in
bootstrap.py.  Nothing is kept twice by hand, and the output depends on
the sources alone, so a test can regenerate bootstrap.py and fail when
the committed one differs.  ``--digest`` prints the sha256 of what it
carries, for CHANGES.rst.
"""

import hashlib
import os
import re
import sys

PACKAGE = "buildout_mirrors"
CARRIED = ("__init__.py", "index/", "store/", "selection/", "failover/",
           "bootstrapping/", "data/")
# assemble.py writes bootstrap.py; it does not run in it.
LEFT_OUT = ("bootstrapping/assemble.py",)

STUB = """#!/usr/bin/env python3
\"\"\"Bootstrap a zc.buildout from whichever package index mirror is alive.

    python3 bootstrap.py [-c buildout.cfg] [--mirror URL]... \\\\
        [--find-links PATH_OR_URL]... [--timeout S] \\\\
        [--buildout-version V] [--setuptools-version V] [--venv DIR] [-q]
    python3 bootstrap.py --unpack DIR

Standard library only (Python 3.9+).  It reads the mirrors, index,
find-links and [versions] pins of the configuration (after
~/.buildout/default.cfg and extends, local and remote), probes the
candidates in parallel under one deadline as the buildout_mirrors
extension does, makes a virtual environment (a distribution's "externally
managed" Python is never touched, PEP 668), installs pip, setuptools,
wheel, zc.buildout and buildout_mirrors into it from the listed mirrors
only, and writes bin/buildout.  Running it again is harmless.

Generated from buildout_mirrors %(version)s by
``python -m buildout_mirrors.bootstrapping.assemble``; do not edit.  After
the code below, it carries buildout_mirrors/index, store, selection,
failover and bootstrapping of that release as plain text, each line after
``#|``, as get-pip.py carries pip; ``--unpack DIR`` writes them out, and
the sha256 of what it carries (``python -m
buildout_mirrors.bootstrapping.assemble --digest``) is published in
CHANGES.rst with each release.
\"\"\"

import os
import sys
import tempfile

HEADER, LINE = "# ---- ", "#|"


def carried(path):
    \"\"\"{relative path: text} of the modules carried after the code.\"\"\"
    found, current = {}, None
    with open(path, encoding="utf-8") as stream:
        for line in stream:
            if line.startswith(HEADER):
                current = found.setdefault(line[len(HEADER):].strip(), [])
            elif current is not None and line.startswith(LINE):
                current.append(line[len(LINE):])
    return {name: "".join(lines) for name, lines in found.items()}


def unpack(directory):
    for name, text in carried(os.path.abspath(__file__)).items():
        target = os.path.join(directory, *name.split("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8", newline="\\n") as stream:
            stream.write(text)


def main():
    if sys.version_info < (3, 9):
        sys.stderr.write("bootstrap: error: buildout_mirrors needs Python "
                         "3.9 or newer; run bootstrap.py with a newer "
                         "python3.\\n")
        return 1
    if len(sys.argv) == 3 and sys.argv[1] == "--unpack":
        unpack(sys.argv[2])
        print("bootstrap: the modules it runs are in %%s" %% sys.argv[2])
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        unpack(scratch)
        sys.path.insert(0, scratch)
        from buildout_mirrors.bootstrapping.main import main as bootstrap
        return bootstrap()


if __name__ == "__main__":
    sys.exit(main())


# The modules it runs, as plain text (data, never executed as it stands):
%(carried)s
"""


def carried(package_directory):
    """{path under buildout_mirrors/: text} of the carried modules."""
    found = {}
    for root, folders, files in os.walk(package_directory):
        folders[:] = sorted(name for name in folders
                            if name != "__pycache__")
        for name in files:
            relative = os.path.relpath(os.path.join(root, name),
                                       package_directory).replace(os.sep, "/")
            if relative.startswith(CARRIED) and relative not in LEFT_OUT and \
                    name.endswith((".py", ".txt")):
                with open(os.path.join(package_directory, relative),
                          encoding="utf-8", newline="") as stream:
                    text = stream.read()
                if text and not text.endswith("\n"):
                    text += "\n"  # each carried line ends with one
                found[relative] = text
    return dict(sorted(found.items()))


def digest(package_directory):
    """The sha256 of what bootstrap.py carries (names and texts)."""
    hashed = hashlib.sha256()
    for name, text in carried(package_directory).items():
        hashed.update(("%s\0%s\0" % (name, text)).encode("utf-8"))
    return hashed.hexdigest()


def bootstrap_script(checkout):
    """The text of bootstrap.py for the checkout at *checkout*."""
    package = os.path.join(checkout, "src", PACKAGE)
    with open(os.path.join(checkout, "setup.py"), encoding="utf-8") as stream:
        found = re.search(r"version=\"([^\"]+)\"", stream.read())
    if found is None:
        raise SystemExit("setup.py names no version")
    version = found.group(1)
    sections = []
    for name, text in carried(package).items():
        sections.append("# ---- %s/%s\n" % (PACKAGE, name) + "".join(
            "#|" + line for line in text.splitlines(True)))
    return STUB % {"version": version, "carried": "".join(sections).rstrip(
        "\n")}


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if "--digest" in argv:
        checkout = os.path.abspath(os.path.join(os.path.dirname(__file__),
                                                "..", "..", ".."))
        print(digest(os.path.join(checkout, "src", PACKAGE)))
        return 0
    check = "--check" in argv
    paths = [arg for arg in argv if arg != "--check"]
    checkout = os.path.abspath(os.path.join(os.path.dirname(__file__),
                                            "..", "..", ".."))
    target = paths[0] if paths else os.path.join(checkout, "bootstrap.py")
    text = bootstrap_script(checkout)
    if check:
        with open(target, encoding="utf-8") as stream:
            if stream.read() != text:
                print("%s is not what the package makes; run python -m "
                      "buildout_mirrors.bootstrapping.assemble" % target)
                return 1
        return 0
    with open(target + ".tmp", "w", encoding="utf-8") as stream:
        stream.write(text)
    os.replace(target + ".tmp", target)
    os.chmod(target, 0o755)
    return 0


if __name__ == "__main__":
    sys.exit(main())
