"""End to end: the real bootstrap.py, then the real bin/buildout, from
whichever mirror is alive, pypi.org unreachable."""

import shutil
import sys

import servers
from conftest import CHECKOUT, run, write_buildout
from deployments import PINS

CONFIG = """
[buildout]
extensions = buildout_mirrors
mirrors = {mirrors}
mirrors-cache = ${{buildout:directory}}/state.json
parts = py

[versions]
{pins}

[py]
recipe = zc.recipe.egg
eggs = six
interpreter = py
"""


def bootstrap_and_build(directory, env, mirrors):
    shutil.copy(CHECKOUT / "bootstrap.py", directory)
    write_buildout(directory, CONFIG.format(mirrors=mirrors, pins=PINS))
    code, output = run([sys.executable, "bootstrap.py"], env, directory)
    assert code == 0, output
    boot_output = output
    # bin/buildout is the launcher that bounds the read of remote extends.
    assert "buildout_mirrors.buildout.launcher" in (
        directory / "bin" / "buildout").read_text()
    code, output = run([directory / "bin" / "buildout"], env, directory)
    assert code == 0, output
    code, check = run([directory / "bin" / "py", "-c", "import six"], env,
                      directory)
    assert code == 0, check
    return boot_output, output


def test_bootstrap_with_dead_first_mirror(buildout_dir, isolated_env,
                                          pypi_mirror, hanging):
    offset = pypi_mirror.log_size()
    boot, build = bootstrap_and_build(
        buildout_dir, isolated_env, "%s %s" % (hanging.url, pypi_mirror.url))
    assert "using mirror %s" % pypi_mirror.url in boot
    served = pypi_mirror.requests_since(offset)
    for project in ("zc-buildout", "buildout-mirrors", "setuptools", "pip"):
        assert "/simple/%s/" % project in served
    # The extension came from the environment bootstrap.py made, so the
    # first bin/buildout loaded it without an index, and it took the
    # choice bootstrap.py recorded in the state file: no second probe.
    assert "Using mirror %s (healthy at the last check" % pypi_mirror.url \
        in build
    assert hanging.connections == 1
    # The outage runbook's commands exist and run in a bootstrapped site.
    command = buildout_dir / "bin" / "buildout-mirrors"
    code, output = run([command, "status"], isolated_env, buildout_dir)
    assert code == 0, output
    assert pypi_mirror.url in output and "chosen" in output
    code, output = run([command, "explain"], isolated_env, buildout_dir)
    assert code == 0 and output.startswith("Chose %s" % pypi_mirror.url), \
        output
    # Running it again is harmless.
    code, output = run([sys.executable, "bootstrap.py"], isolated_env,
                       buildout_dir)
    assert code == 0, output


NO_ENSUREPIP = """
import runpy, subprocess, sys, venv
def no_ensurepip(self, context):
    # What Debian's python3 without python3-venv does.
    raise subprocess.CalledProcessError(1, ["python", "-m", "ensurepip"])
venv.EnvBuilder._setup_pip = no_ensurepip
sys.argv = ["bootstrap.py"]
runpy.run_path("bootstrap.py", run_name="__main__")
"""


def test_bootstrap_without_ensurepip_fetches_pip_from_the_mirror(
        buildout_dir, isolated_env, devpi_mirror):
    shutil.copy(CHECKOUT / "bootstrap.py", buildout_dir)
    write_buildout(buildout_dir, CONFIG.format(mirrors=devpi_mirror.url,
                                               pins=PINS))
    code, output = run([sys.executable, "-c", NO_ENSUREPIP], isolated_env,
                       buildout_dir)
    assert code == 0, output
    assert "fetching pip from the mirror" in output
    code, output = run([buildout_dir / "bin" / "buildout"], isolated_env,
                       buildout_dir)
    assert code == 0, output
    assert "Using mirror %s" % devpi_mirror.url in output


def test_bootstrap_in_a_checkout_installs_the_checkout(
        tmp_path, isolated_env, pypi_mirror):
    checkout = tmp_path / "checkout"
    shutil.copytree(CHECKOUT, checkout, ignore=shutil.ignore_patterns(
        ".git", ".venv*", "bin", "parts", "eggs", "develop-eggs", "tests",
        "*.egg-info", "__pycache__", ".installed.cfg", "buildout.cfg"))
    boot, build = bootstrap_and_build(checkout, isolated_env, pypi_mirror.url)
    assert "installing buildout_mirrors from the checkout" in boot
    code, output = run([checkout / ".venv" / "bin" / "python", "-c",
                        "import buildout_mirrors; print(buildout_mirrors."
                        "__file__)"], isolated_env, checkout)
    assert output.strip().startswith(str(checkout / "src"))


def test_bootstrap_with_nothing_reachable(buildout_dir, isolated_env):
    shutil.copy(CHECKOUT / "bootstrap.py", buildout_dir)
    with servers.refused_port() as refused, servers.FaultServer(
            "error") as failing:
        write_buildout(buildout_dir, CONFIG.format(
            mirrors="%s %s" % (refused, failing.url), pins=""))
        code, output = run([sys.executable, "bootstrap.py", "--timeout",
                            "0.5"], isolated_env, buildout_dir)
    assert code == 1
    assert "no mirror is reachable" in output
    assert "connection refused" in output and "HTTP 500" in output
    assert "--mirror" in output and "Traceback" not in output
    assert not (buildout_dir / ".venv").exists()
    assert not (buildout_dir / "bin").exists()


def test_bootstrap_mirror_option_wins(buildout_dir, isolated_env,
                                      pypi_mirror):
    shutil.copy(CHECKOUT / "bootstrap.py", buildout_dir)
    with servers.FaultServer("error") as failing:
        write_buildout(buildout_dir, CONFIG.format(mirrors=failing.url,
                                                   pins=PINS))
        code, output = run([sys.executable, "bootstrap.py", "--mirror",
                            pypi_mirror.url], isolated_env, buildout_dir)
    assert code == 0, output
    assert failing.connections == 0


def test_bootstrap_says_what_it_does_and_is_never_silent_for_long(
        buildout_dir, isolated_env, pypi_mirror):
    """A user must tell a slow machine from a hang: on a healthy mirror no
    gap between two lines is longer than 5 s; -q keeps the last line."""
    import subprocess
    import time
    shutil.copy(CHECKOUT / "bootstrap.py", buildout_dir)
    write_buildout(buildout_dir, CONFIG.format(mirrors=pypi_mirror.url,
                                               pins=PINS))
    started = time.monotonic()
    stamps, lines = [started], []
    with subprocess.Popen([sys.executable, "bootstrap.py"],
                          cwd=str(buildout_dir), env=isolated_env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True) as process:
        for line in process.stdout:
            stamps.append(time.monotonic())
            lines.append(line.rstrip())
    stamps.append(time.monotonic())
    output = "\n".join(lines)
    assert process.returncode == 0, output
    gaps = [later - earlier for earlier, later in zip(stamps, stamps[1:])]
    assert max(gaps) <= 5.0, (max(gaps), output)
    for doing in ("bootstrap: creating the virtual environment",
                  "bootstrap: installing zc.buildout",
                  "bootstrap: pip: Collecting zc.buildout",
                  "bootstrap: installing buildout_mirrors"):
        assert doing in output, output
    shutil.rmtree(buildout_dir / ".venv")
    code, quiet = run([sys.executable, "bootstrap.py", "-q"], isolated_env,
                      buildout_dir)
    assert code == 0, quiet
    assert "pip:" not in quiet and "still" not in quiet
    assert quiet.strip().splitlines()[-1] == \
        "bootstrap: done; now run bin/buildout"
