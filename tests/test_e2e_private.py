"""End to end: a company's index beside a public mirror (issue: private
and public indexes together, safely).

The company index is a real devpi-server ``root/dev`` with no bases (a
curated index: the company's ``acme.tools`` 1.0.0, six and docopt, no
zc.buildout), reached through a relay that the test can cut.  The public
mirror is a real pypiserver holding everything a build needs and an
attacker's ``acme.tools`` 2.0.0.  Each wheel says whose it is.
"""

import json
import os
import shutil
import sys

import pytest

import dists
import servers
from conftest import CHECKOUT, buildout_command, run, write_buildout
from deployments import PINS

STATUS = [os.path.join(os.path.dirname(sys.executable), "buildout-mirrors")]
CONFIG = """
[buildout]
extensions = buildout_mirrors
mirrors = {mirrors}
parts = app
{extra}

[versions]
{pins}

[app]
recipe = zc.recipe.egg
eggs = {eggs}
interpreter = py
"""


@pytest.fixture(scope="module")
def acme(tmp_path_factory, packages):
    """(the company's devpi behind a relay, the public pypiserver)."""
    base = tmp_path_factory.mktemp("acme")
    company, public = base / "company", base / "public"
    company.mkdir()
    public.mkdir()
    dists.tiny_wheel(company, "acme.tools", "1.0.0", "company")
    for name in ("six", "docopt"):
        for dist in packages.glob(name + "-*"):
            shutil.copy(dist, company)
    for dist in packages.iterdir():
        shutil.copy(dist, public)
    dists.tiny_wheel(public, "acme.tools", "2.0.0", "attacker")
    with servers.devpi_server(base / "devpi", company,
                              base / "devpi.log") as devpi, \
            servers.pypiserver(public, base / "public.log") as mirror:
        port = int(devpi.split(":")[2].split("/")[0])
        yield devpi.split("/root/")[1], port, mirror, base / "public.log"


def installed_marker(directory, env):
    code, output = run([directory / "bin" / "py", "-c",
                        "import acme_tools; print(acme_tools.MARKER)"],
                       env, directory)
    return output.strip() if code == 0 else None


def build(directory, env, mirrors, eggs, extra=""):
    for name in ("eggs", "bin", "parts", "develop-eggs", ".installed.cfg"):
        path = directory / name
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    write_buildout(directory, CONFIG.format(mirrors=mirrors, eggs=eggs,
                                            pins=PINS, extra=extra))
    return run(buildout_command(), env, directory, timeout=180,
               promise="a build with a private index completes or fails "
               "within its stall limits")


def test_the_company_serves_its_own_projects_and_protects_them_while_down(
        buildout_dir, isolated_env, acme):
    path, port, public, public_log = acme
    with servers.LatencyProxy(("127.0.0.1", port), 0) as relay:
        company = "http://127.0.0.1:%d/root/%s" % (relay.port, path)
        mirrors = "%s %s" % (company, public)
        offset = public_log.stat().st_size
        code, output = build(buildout_dir, isolated_env, mirrors,
                             "acme.tools")
        assert code == 0, output
        # Default options, the company listed first: it is no mirror (no
        # zc.buildout), yet alive, and the company's acme.tools won.
        assert "curated" in output
        assert installed_marker(buildout_dir, isolated_env) == "company"
        with open(public_log, "rb") as log:
            log.seek(offset)
            assert b"acme" not in log.read()
        # status and explain show the role and what it protects.
        code, output = run(STATUS + ["status", "--json"], isolated_env,
                           buildout_dir)
        rows = {row["mirror"]: row for row in json.loads(output)["mirrors"]}
        assert rows[company]["role"] == "private"
        assert rows[company]["verdict"] == "private"
        assert rows[company]["private_projects"] == ["acme-tools"]
        assert rows[public]["role"] == "mirror"
        code, output = run(STATUS + ["explain"], isolated_env, buildout_dir)
        assert "%s: a private index; the 1 project(s) it served come from " \
            "it only: acme-tools." % company in output, output
    # The relay is gone: the company index refuses.  Same HOME: the
    # state file remembers acme.tools as the company's.
    code, output = build(buildout_dir, isolated_env, mirrors, "acme.tools")
    assert code != 0
    assert "acme-tools is private to %s" % company in output
    assert "Traceback" not in output
    assert not list((buildout_dir / "eggs").glob("**/acme*2.0.0*"))
    # A project the company never served to this machine still comes from
    # the pool (docopt, an sdist: through pip's local index too).
    code, output = build(buildout_dir, isolated_env, mirrors, "docopt")
    assert code == 0, output
    assert list((buildout_dir / "eggs").glob("**/docopt*"))
    assert "Private index %s does not answer" % company in output


def test_declared_private_projects_are_protected_on_a_new_machine(
        buildout_dir, isolated_env, acme):
    _, _, public, public_log = acme
    offset = public_log.stat().st_size
    with servers.reserved_port() as port:  # bound, not listening: refused
        company = "http://127.0.0.1:%d/root/dev/+simple" % port
        extra = ("mirrors-private = %s\nmirrors-private-projects = acme.*"
                 % company)
        code, output = build(buildout_dir, isolated_env, public,
                             "acme.tools", extra)
    assert code != 0
    assert "acme-tools is private to %s" % company in output
    assert "Traceback" not in output
    assert not list((buildout_dir / "eggs").glob("**/acme*"))
    with open(public_log, "rb") as log:
        log.seek(offset)
        assert b"acme" not in log.read()


def test_bootstrap_never_leaves_the_listed_mirrors(buildout_dir, tmp_path,
                                                   packages):
    """pypiserver as users run it (fallback on: a project it lacks is a
    redirect to pypi.org), pypi.org hanging: bootstrap's pip sees only
    what the mirror serves, and never waits on pypi.org."""
    import isolation
    home = tmp_path / "home"
    home.mkdir()
    lacking = tmp_path / "lacking-wheel"
    shutil.copytree(packages, lacking)
    for dist in lacking.glob("wheel-*"):
        dist.unlink()
    with servers.FaultServer("hang") as pypi_org:
        env = isolation.isolated_environ(home, pypi_org.proxy_url)
        for served, succeeds in ((packages, True), (lacking, False)):
            directory = buildout_dir / served.name  # a venv of its own
            directory.mkdir()
            shutil.copy(CHECKOUT / "bootstrap.py", directory)
            write_buildout(directory, CONFIG.format(
                mirrors="", eggs="six", pins=PINS, extra=""))
            with servers.pypiserver(served, tmp_path / "fallback.log",
                                    fallback=True) as mirror:
                code, output = run(
                    [sys.executable, "bootstrap.py", "--mirror", mirror],
                    env, directory, timeout=240,
                    promise="bootstrap never waits on pypi.org")
            assert (code == 0) is succeeds, output
            assert pypi_org.connections == 0, pypi_org.requests
        # The mirror lacks wheel: one error that names it.
        assert "wheel" in output and "Traceback" not in output
