"""A real Zope instance, as a Plone 6.1 site builds it: the release's
own versions.cfg extended from its (local) release host, the stack's
exact pins on top, plone.recipe.zope2instance, the first mirror hanging
and pypi.org unreachable.  The stack's Python runs bootstrap.py, then
bin/buildout builds, then ``bin/instance run`` starts Zope."""

import glob
import shutil

import pytest

import servers
import stacks
from conftest import CHECKOUT, run, write_buildout

STACK = next(stack for stack in stacks.STACKS if stack.name == "plone-6.1.5")
ZOPE = stacks.ZopeRelease()

CONFIG = """
[buildout]
extends = {release}
extensions = buildout_mirrors
mirrors = {mirrors}
mirrors-cache = ${{buildout:directory}}/state.json
parts = instance

[versions]
# The stack's pins win over Zope's own (zc.recipe.egg 2.0.7 there).
{pins}
plone.recipe.zope2instance = {recipe}

[instance]
recipe = plone.recipe.zope2instance
eggs = Zope
user = admin:admin
http-address = 127.0.0.1:8080
# Zope 5 has no temporary storage of its own (tempstorage is Plone's).
zodb-temporary-storage = off
"""


@pytest.fixture(scope="module")
def zope_release(packages, tmp_path_factory):
    """(the release's versions files, a directory the mirror serves: what
    an instance needs, and this checkout's wheel, as if published)."""
    wheel = glob.glob(str(packages / "buildout_mirrors-*.whl"))[0]
    buildout = stacks.environment(STACK, wheel)  # its python resolves
    release, needed = ZOPE.files(STACK, buildout.parent / "python")
    served = tmp_path_factory.mktemp("zope") / "served"
    shutil.copytree(needed, served)
    shutil.copy(wheel, served)
    return release, served


def test_a_zope_instance_builds_and_runs_through_an_outage(
        zope_release, buildout_dir, isolated_env, hanging, tmp_path):
    release, served = zope_release
    shutil.copy(CHECKOUT / "bootstrap.py", buildout_dir)
    with servers.extends_host(release) as host, \
            servers.pypiserver(served, tmp_path / "access.log") as mirror:
        write_buildout(buildout_dir, CONFIG.format(
            release=host.url, mirrors="%s %s" % (hanging.url, mirror),
            pins="\n".join("%s = %s" % pin for pin in STACK.pins),
            recipe=ZOPE.recipe))
        code, output = run([stacks.interpreter(STACK.python),
                            "bootstrap.py"], isolated_env, buildout_dir)
        assert code == 0, output
        code, output = run([buildout_dir / "bin" / "buildout"],
                           isolated_env, buildout_dir)
        assert code == 0, output
        assert "Using mirror %s" % mirror in output, output
        assert "Upgraded" not in output, output
    (buildout_dir / "check.py").write_text(
        'print("Zope answers:", type(app.aq_base).__name__)\n')
    code, output = run([buildout_dir / "bin" / "instance", "run",
                        "check.py"], isolated_env, buildout_dir, timeout=300)
    assert code == 0, output
    assert "Zope answers: Application" in output, output
    installed = " ".join(path.name for path in (buildout_dir / "eggs")
                         .iterdir())
    assert "Zope-%s-" % ZOPE.version in installed, installed
