"""What bootstrap.py installs, at which versions, and the bin/buildout it
leaves: pip, setuptools, wheel and zc.buildout at the buildout's own
``[versions]`` pins (Plone's and Zope's), buildout_mirrors beside them so
that the first bin/buildout needs no index for the extension itself, and
the launcher as bin/buildout."""

import os
import re

from buildout_mirrors.store.files import atomic_write

PROJECT = "buildout_mirrors"
# Installed by name, at their pins; every other pin constrains the rest.
PINNED_BY_NAME = ("pip", "setuptools", "wheel", "zc-buildout",
                  "buildout-mirrors")
PIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+!-]*\Z")

LAUNCHER = """#!%s
# bin/buildout as bootstrap.py (buildout_mirrors) writes it: zc.buildout's
# own main, with remote extends read under a deadline and a saved copy to
# fall back on.  zc.buildout puts its plain script back when it upgrades
# itself; run bootstrap.py again to get this one back.
import sys

try:
    from buildout_mirrors.buildout.launcher import main
except ImportError:  # buildout_mirrors left this environment
    from zc.buildout.buildout import main

if __name__ == "__main__":
    sys.exit(main())
"""


def requirement(name, pins, override=None):
    from buildout_mirrors.index.pages import normalize_project
    pin = override or pins.get(normalize_project(name))
    return "%s==%s" % (name, pin) if pin else name


def write_constraints(pins, path):
    """The buildout's other [versions] pins as a pip constraints file, so
    that the extension's own dependencies (zope.interface, packaging) land
    at the versions the first bin/buildout will want: a mismatch would send
    zc.buildout to its index for them before the extension loads.  Pins
    pip could not read (${...} substitutions, odd text) are left out."""
    with open(path, "w") as stream:
        for name, version in sorted(pins.items()):
            if name not in PINNED_BY_NAME and PIN.match(name) and \
                    PIN.match(version.strip()):
                stream.write("%s==%s\n" % (name, version.strip()))
    return path


def is_checkout_of_this_project(directory):
    setup_py = os.path.join(directory, "setup.py")
    if not os.path.isfile(setup_py):
        return False
    with open(setup_py, encoding="utf-8") as stream:
        return re.search(r"name\s*=\s*[\"']%s[\"']" % PROJECT,
                         stream.read()) is not None


def install(environment, python, pip_args, pins, versions, directory):
    """Install into *python*'s environment with ``pip install *pip_args*``;
    *versions* holds the command line's zc.buildout and setuptools."""
    pip = [python, "-m", "pip", "install"] + pip_args
    run = environment.run
    run(pip + [requirement("pip", pins)], "installing pip")
    # zc.buildout 6 imports pkg_resources, which setuptools 82 removed.
    setuptools = requirement("setuptools", pins, versions.get("setuptools"))
    if setuptools == "setuptools":
        setuptools = "setuptools<82"
    run(pip + [requirement("wheel", pins), setuptools, requirement(
        "zc.buildout", pins, versions.get("zc.buildout"))],
        "installing zc.buildout")
    constraints = write_constraints(pins, os.path.join(
        environment.scratch, "pins.txt"))
    if is_checkout_of_this_project(directory):
        run(pip + ["-c", constraints, "--no-build-isolation", "-e",
                   directory], "installing buildout_mirrors from the checkout")
    else:
        run(pip + ["-c", constraints, requirement(PROJECT, pins)],
            "installing buildout_mirrors")


COMMAND = """#!%s
# bin/buildout-mirrors as bootstrap.py (buildout_mirrors) writes it: the
# outage runbook's command (status, explain), in every bootstrapped site.
import sys

from buildout_mirrors.cli import main

if __name__ == "__main__":
    sys.exit(main())
"""


def write_launcher(path, python):
    """Replace zc.buildout's bin/buildout by the launcher, atomically, and
    put bin/buildout-mirrors beside it."""
    atomic_write(path, LAUNCHER % python, mode=0o755)
    atomic_write(os.path.join(os.path.dirname(path), "buildout-mirrors"),
                 COMMAND % python, mode=0o755)
