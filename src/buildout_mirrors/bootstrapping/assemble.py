"""Write bootstrap.py from the package: ``python -m
buildout_mirrors.bootstrapping.assemble [--check] [PATH]``.

bootstrap.py is one file a user copies next to buildout.cfg, and it must
run on a bare system Python.  So, as get-pip.py does for pip, it is a short
script that carries a zip of what it runs: ``buildout_mirrors/core`` and
``buildout_mirrors/bootstrapping``, the standard-library-only modules that
the extension uses too.  Nothing is kept twice by hand.  The zip is
reproducible (sorted names, fixed dates), so a test can regenerate
bootstrap.py and fail when the committed one differs.
"""

import base64
import hashlib
import io
import os
import re
import sys
import zipfile

PACKAGE = "buildout_mirrors"
CARRIED = ("__init__.py", "core/", "failover/", "bootstrapping/", "data/")
LEFT_OUT = ("bootstrapping/assemble.py",)  # writes bootstrap.py, runs not in it
STAMP = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip can hold

STUB = '''#!/usr/bin/env python3
"""Bootstrap a zc.buildout from whichever package index mirror is alive.

    python3 bootstrap.py [-c buildout.cfg] [--mirror URL]... \\\\
        [--find-links PATH_OR_URL]... [--timeout S] \\\\
        [--buildout-version V] [--setuptools-version V] [--venv DIR] [-q]

Standard library only (Python 3.9+).  It reads the mirrors, index,
find-links and [versions] pins of the configuration (after
~/.buildout/default.cfg and extends, local and remote), probes the
candidates in parallel under one deadline as the buildout_mirrors
extension does, makes a virtual environment (a distribution's "externally
managed" Python is never touched, PEP 668), installs pip, setuptools,
wheel, zc.buildout and buildout_mirrors into it from the chosen mirror
only, and writes bin/buildout.  Running it again is harmless.

Generated from buildout_mirrors %(version)s by
``python -m buildout_mirrors.bootstrapping.assemble``; do not edit.  The
archive below is buildout_mirrors/core, failover and bootstrapping of
that release, as get-pip.py carries pip; ``python3 bootstrap.py
--unpack DIR`` writes them out to be read.  Its sha256:
%(digest)s
"""

import base64
import os
import sys
import tempfile

ARCHIVE = """
%(archive)s
"""


def main():
    if sys.version_info < (3, 9):
        sys.stderr.write("bootstrap: error: buildout_mirrors needs Python "
                         "3.9 or newer; run bootstrap.py with a newer "
                         "python3.\\n")
        return 1
    data = base64.b64decode(ARCHIVE)
    if len(sys.argv) == 3 and sys.argv[1] == "--unpack":
        import io
        import zipfile
        zipfile.ZipFile(io.BytesIO(data)).extractall(sys.argv[2])
        print("bootstrap: the modules it runs are in %%s" %% sys.argv[2])
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        archive = os.path.join(scratch, "buildout_mirrors.zip")
        with open(archive, "wb") as stream:
            stream.write(data)
        sys.path.insert(0, archive)
        from buildout_mirrors.bootstrapping.main import main as bootstrap
        return bootstrap()


if __name__ == "__main__":
    sys.exit(main())
'''


def archive(package_directory):
    """The reproducible zip of the carried modules, as bytes."""
    names = []
    for root, folders, files in os.walk(package_directory):
        folders[:] = sorted(name for name in folders
                            if name != "__pycache__")
        for name in files:
            relative = os.path.relpath(os.path.join(root, name),
                                       package_directory).replace(os.sep, "/")
            if relative.startswith(CARRIED) and relative not in LEFT_OUT and \
                    name.endswith((".py", ".txt")):
                names.append(relative)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name in sorted(names):
            info = zipfile.ZipInfo("%s/%s" % (PACKAGE, name), STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with open(os.path.join(package_directory, name), "rb") as stream:
                zipped.writestr(info, stream.read())
    return buffer.getvalue()


def bootstrap_script(checkout):
    """The text of bootstrap.py for the checkout at *checkout*."""
    package = os.path.join(checkout, "src", PACKAGE)
    data = archive(package)
    with open(os.path.join(checkout, "setup.py"), encoding="utf-8") as stream:
        version = re.search(r"version=\"([^\"]+)\"", stream.read()).group(1)
    encoded = base64.b64encode(data).decode("ascii")
    lines = [encoded[start:start + 76]
             for start in range(0, len(encoded), 76)]
    return STUB % {"version": version, "archive": "\n".join(lines),
                   "digest": hashlib.sha256(data).hexdigest()}


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
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
