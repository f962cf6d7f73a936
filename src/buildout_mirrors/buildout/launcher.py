"""``bin/buildout`` as bootstrap.py writes it: zc.buildout's own ``main``,
with remote extends read under a deadline (see ``extends_guard``), and
buildout_mirrors loaded straight from this environment.

zc.buildout loads any extension through ``easy_install.install``, which
resolves the working set again on every run (about 30 ms, whatever the
extension declares).  Here buildout_mirrors is installed beside zc.buildout
by bootstrap.py at the version ``[versions]`` pins, so when it is the only
extension, it is loaded directly; anything else (another extension, a pin
this environment does not satisfy, a develop egg of buildout_mirrors) goes
zc.buildout's way.

Also runnable as ``python -m buildout_mirrors.buildout.launcher [buildout
args]`` where ``buildout`` comes from pip (Plone's requirements.txt venvs).
"""

import os
import sys

PROJECT = "buildout-mirrors"


def main(args=None):
    from buildout_mirrors.features.extends_guard import ExtendsGuard
    ExtendsGuard().install()
    import zc.buildout.buildout
    load_extensions = zc.buildout.buildout.Buildout._load_extensions

    def _load_extensions(buildout):
        __doing__ = "Loading extensions."  # noqa: F841 (buildout's "While:")
        if loads_directly(buildout):
            from buildout_mirrors.buildout.extension import load
            load(buildout)
        else:
            load_extensions(buildout)
    zc.buildout.buildout.Buildout._load_extensions = _load_extensions
    return zc.buildout.buildout.main(args)


def loads_directly(buildout):
    """True when zc.buildout would load nothing but this environment's
    buildout_mirrors: the only extension listed, the only one installed,
    at the pinned version (if any), and not developed by this buildout."""
    import zc.buildout.buildout
    import zc.buildout.easy_install
    specs = buildout["buildout"].get("extensions", "").split()
    if [_normalize(spec) for spec in specs] != [PROJECT]:
        return False
    develop = buildout["buildout"]["develop-eggs-directory"]
    if any(os.path.exists(os.path.join(develop, name + ".egg-link"))
           for name in ("buildout_mirrors", PROJECT)):
        return False
    pkg_resources = zc.buildout.buildout.pkg_resources
    installed = [entry_point.dist for entry_point in
                 pkg_resources.iter_entry_points("zc.buildout.extension")]
    if [_normalize(dist.project_name) for dist in installed] != [PROJECT]:
        return False
    versions = zc.buildout.easy_install.default_versions() or {}
    pin = versions.get(PROJECT) or versions.get("buildout_mirrors")
    if not pin:
        return True
    try:
        return pkg_resources.parse_version(pin) == \
            pkg_resources.parse_version(installed[0].version)
    except ValueError:  # not a plain version: zc.buildout decides
        return False


def _normalize(name):
    return name.lower().replace("_", "-").replace(".", "-")


if __name__ == "__main__":
    sys.exit(main())
