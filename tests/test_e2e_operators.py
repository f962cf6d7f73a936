"""End to end, for operators: the status and explain commands against real
mirrors and dead endpoints, the wheelhouse, and a rebuild with no server."""

import json
import os
import re
import time
import shutil
import sys

import pytest

import servers
from conftest import (CHECKOUT, buildout_command, make_index, run,
                      write_buildout)
from faulty import FaultyMirror
from deployments import PINS

STATUS = [os.path.join(os.path.dirname(sys.executable), "buildout-mirrors")]
ONE_PART = """
[buildout]
extensions = buildout_mirrors
mirrors = %s
mirrors-cache = ${buildout:directory}/state.json
parts = py

[py]
recipe = zc.recipe.egg
eggs = %s
"""


@pytest.fixture
def config(buildout_dir, pypi_mirror, devpi_mirror, hanging):
    with servers.refused_port() as refused:
        write_buildout(buildout_dir, """
[buildout]
mirrors = %s %s %s %s
mirrors-timeout = 1
mirrors-grace = 2
mirrors-cache = ${buildout:directory}/state.json
parts =
""" % (hanging.url, refused, devpi_mirror.url, pypi_mirror.url))
        yield buildout_dir, refused


def test_status_table(config, isolated_env, pypi_mirror, devpi_mirror,
                      hanging):
    directory, refused = config
    code, output = run(STATUS + ["status"], isolated_env, directory)
    assert code == 0, output
    lines = {line.split()[0]: line for line in output.splitlines()
             if line.startswith("http")}
    assert " chosen " in lines[devpi_mirror.url]
    assert lines[devpi_mirror.url].split()[2:4] != ["-", "-"]
    assert " live " in lines[pypi_mirror.url] or \
        " behind " in lines[pypi_mirror.url]
    assert "timed out after 1.0 s" in lines[hanging.url]
    assert "connection refused" in lines[refused]
    assert "\033[" not in output  # no colour off a terminal


def test_status_json_and_exit_codes(config, isolated_env, devpi_mirror):
    directory, refused = config
    code, output = run(STATUS + ["status", "--json"], isolated_env, directory)
    document = json.loads(output)
    assert code == document["status"] == 0
    assert document["chosen"] == devpi_mirror.url
    verdicts = {row["mirror"]: row["verdict"] for row in document["mirrors"]}
    assert verdicts[refused] == "dead"
    # Only dead mirrors: exit status 2, a usable monitoring check.
    code, output = run(STATUS + ["status", "--json", "--mirror", refused],
                       isolated_env, directory)
    assert code == 2 and json.loads(output)["chosen"] is None


def test_status_freshness_bands(buildout_dir, isolated_env, tmp_path):
    stale = make_index(tmp_path / "stale", "zc-buildout",
                       ["zc.buildout-5.0.tar.gz"])
    fresh = make_index(tmp_path / "fresh", "zc-buildout",
                       ["zc.buildout-5.0.tar.gz", "zc.buildout-6.0.tar.gz"])
    code, output = run(STATUS + ["status", "--mirror", str(stale)],
                       isolated_env, buildout_dir)
    assert code == 0, output  # alone, it is the freshest there is
    code, output = run(STATUS + ["status", "--json", "--mirror", str(stale),
                                 "--mirror", str(fresh)], isolated_env,
                       buildout_dir)
    document = json.loads(output)
    assert code == 0 and document["chosen"] == "file://" + str(fresh)
    assert [row["freshness"] for row in document["mirrors"]] == [
        "aging", "fresh"]


def test_status_exit_1_when_the_best_mirror_last_synced_days_ago(
        buildout_dir, isolated_env, pypi_mirror):
    # bandersnatch's /last-modified says three days: exit 1, "old".
    with FaultyMirror(pypi_mirror.url, "old-sync") as old:
        code, output = run(STATUS + ["status", "--json", "--mirror", old.url],
                           isolated_env, buildout_dir)
    document = json.loads(output)
    assert code == document["status"] == 1, output
    assert document["mirrors"][0]["freshness"] == "old"
    assert document["mirrors"][0]["last_sync_age_s"] > 2 * 86400
    # The same mirror without that signal: exit 0.
    code, output = run(STATUS + ["status", "--json", "--mirror",
                                 pypi_mirror.url], isolated_env, buildout_dir)
    assert code == 0, output


def test_explain_after_a_buildout(config, isolated_env, devpi_mirror,
                                  hanging):
    directory, refused = config
    code, output = run(STATUS + ["explain"], isolated_env, directory)
    assert "No selection recorded" in output
    (directory / "buildout.cfg").write_text(
        (directory / "buildout.cfg").read_text().replace(
            "[buildout]", "[buildout]\nextensions = buildout_mirrors"))
    code, output = run(buildout_command(), isolated_env, directory)
    assert code == 0, output
    code, output = run(STATUS + ["explain"], isolated_env, directory)
    assert code == 0, output
    assert output.startswith("Chose %s" % devpi_mirror.url)
    assert "%s: dead when checked" % refused in output
    assert "connection refused" in output
    # The hanging one listed first: the true reason, not a guess.
    line = [line for line in output.splitlines()
            if line.startswith("- %s: " % hanging.url)]
    assert line and ("timed out after" in line[0]
                     or "not waited for" in line[0]), output
    # A status probe afterwards is no buildout run: explain still tells
    # about the run (chosen seconds before the probe), not the probe.
    time.sleep(2.5)
    code, output = run(STATUS + ["status"], isolated_env, directory)
    assert code == 0, output
    code, output = run(STATUS + ["explain"], isolated_env, directory)
    chosen_ago = int(re.match(r"Chose \S+ (\d+) s ago", output).group(1))
    assert chosen_ago >= 2, output


def test_status_bad_config_is_one_line(buildout_dir, isolated_env):
    write_buildout(buildout_dir, "[buildout]\nmirrors = ftp://x/simple\n"
                   "parts =\n")
    code, output = run(STATUS + ["status"], isolated_env, buildout_dir)
    assert code == 2
    assert output.strip().splitlines()[-1].startswith(
        "buildout-mirrors: error: mirrors: 'ftp://x/simple' has the unknown")
    assert "Traceback" not in output


WHEELHOUSE = """
[buildout]
extensions = buildout_mirrors
mirrors = {mirror} ${{buildout:directory}}/wheelhouse
mirrors-cache = ${{buildout:directory}}/state.json
parts = py wheelhouse

[versions]
{pins}

[py]
recipe = zc.recipe.egg
eggs =
    six
    docopt
interpreter = py

[wheelhouse]
recipe = buildout_mirrors:wheelhouse
"""


def test_rebuild_from_the_wheelhouse_with_no_server(
        buildout_dir, isolated_env, packages, tmp_path):
    shutil.copy(CHECKOUT / "bootstrap.py", buildout_dir)
    with servers.pypiserver(packages, tmp_path / "mirror.log") as mirror:
        write_buildout(buildout_dir, WHEELHOUSE.format(mirror=mirror,
                                                       pins=PINS))
        for command in ([sys.executable, "bootstrap.py"],
                        [buildout_dir / "bin" / "buildout"]):
            code, output = run(command, isolated_env, buildout_dir)
            assert code == 0, output
    wheelhouse = buildout_dir / "wheelhouse"
    collected = sorted(os.listdir(wheelhouse))
    for project in ("buildout-mirrors", "docopt", "pip", "packaging",
                    "setuptools", "six", "wheel", "zc-buildout",
                    "zc-recipe-egg", "zope-interface"):
        assert project in collected
    assert "#sha256=" in (wheelhouse / "six" / "index.html").read_text()
    assert sorted(os.listdir(wheelhouse / "docopt")) == [
        "docopt-0.6.2.tar.gz", "index.html"]

    # Every server is gone now.  Start again from nothing but the config,
    # bootstrap.py and the wheelhouse.
    for name in ("eggs", "bin", "develop-eggs", "parts", ".venv"):
        shutil.rmtree(buildout_dir / name)
    code, output = run([sys.executable, "bootstrap.py"], isolated_env,
                       buildout_dir)
    assert code == 0, output
    assert "using mirror file://%s" % wheelhouse in output
    assert "connection refused" in output
    code, output = run([buildout_dir / "bin" / "buildout"], isolated_env,
                       buildout_dir)
    assert code == 0, output
    code, output = run([buildout_dir / "bin" / "py", "-c",
                        "import six, docopt"], isolated_env, buildout_dir)
    assert code == 0, output


def test_a_mirror_that_died_after_the_choice(buildout_dir, isolated_env,
                                             packages, pypi_mirror, tmp_path):
    config = """
[buildout]
extensions = buildout_mirrors
mirrors = {first} {second}
mirrors-grace = 2
mirrors-cache = ${{buildout:directory}}/state.json
parts = py

[py]
recipe = zc.recipe.egg
eggs = {eggs}
"""
    with servers.pypiserver(packages, tmp_path / "first.log") as first:
        write_buildout(buildout_dir, config.format(
            first=first, second=pypi_mirror.url, eggs="six"))
        code, output = run(buildout_command(), isolated_env, buildout_dir)
        assert code == 0 and "Using mirror %s" % first in output, output
    # The chosen mirror died.  Within mirrors-ttl the choice is reused
    # without probing, and the run fails over to the next mirror.
    write_buildout(buildout_dir, config.format(
        first=first, second=pypi_mirror.url, eggs="six\n    docopt"))
    code, output = run(buildout_command(), isolated_env, buildout_dir)
    assert code == 0, output
    assert "healthy at the last check" in output
    assert "Mirror %s failed (connection refused); %s took over." % (
        first, pypi_mirror.url) in output


def test_a_failed_run_makes_the_next_one_probe_again(buildout_dir,
                                                     isolated_env,
                                                     pypi_mirror):
    config = ONE_PART
    write_buildout(buildout_dir, config % (pypi_mirror.url, "six"))
    code, output = run(buildout_command(), isolated_env, buildout_dir)
    assert code == 0, output
    write_buildout(buildout_dir, config % (pypi_mirror.url,
                                           "no-such-project"))
    code, output = run(buildout_command(), isolated_env, buildout_dir)
    assert code != 0 and "healthy at the last check" in output, output
    # Whatever made it fail, the next run does not trust the old choice.
    write_buildout(buildout_dir, config % (pypi_mirror.url, "six"))
    code, output = run(buildout_command(), isolated_env, buildout_dir)
    assert code == 0, output
    assert "Using mirror %s (" % pypi_mirror.url in output
    assert "healthy at the last check" not in output


def test_a_typod_option_stops_the_run_with_a_suggestion(buildout_dir,
                                                        isolated_env):
    """``mirror =`` for ``mirrors =`` used to fall back silently to the
    built-in public list, exit 0.  Now bin/buildout and bootstrap.py stop
    before anything is probed (no server listens here: a probe would
    fail differently), with one line that names the right option."""
    write_buildout(buildout_dir, """
[buildout]
extensions = buildout_mirrors
mirror = https://company.example/simple
parts =
""")
    shutil.copy(CHECKOUT / "bootstrap.py", buildout_dir / "bootstrap.py")
    for command in (buildout_command(), [sys.executable, "bootstrap.py"]):
        started = time.monotonic()
        code, output = run(command, isolated_env, buildout_dir, timeout=30,
                           promise="a typo'd option stops the run at once")
        assert code != 0, output
        assert "mirror: unknown option; did you mean mirrors?" in output, \
            output
        assert "Traceback" not in output
        assert time.monotonic() - started < 15, output


def test_a_wrong_mirror_url_and_a_new_egg_leave_the_site_as_it_was(
        buildout_dir, isolated_env, devpi_mirror):
    """The URL loses its /+simple and an egg is added: no mirror answers,
    and switching the index would uninstall bin/py with nothing to
    rebuild it from.  One error with the fix; nothing touched."""
    config = ONE_PART + "interpreter = py\n"
    write_buildout(buildout_dir, config % (devpi_mirror.url, "six"))
    code, output = run(buildout_command(), isolated_env, buildout_dir)
    assert code == 0, output
    script = (buildout_dir / "bin" / "py").read_bytes()
    installed = (buildout_dir / ".installed.cfg").read_bytes()
    wrong = devpi_mirror.url[:-len("/+simple")]
    write_buildout(buildout_dir, config % (wrong, "six\n    docopt"))
    code, output = run(buildout_command(), isolated_env, buildout_dir,
                       timeout=60, promise="a wrong URL stops at once")
    assert code != 0
    assert "did you mean %s/+simple?" % wrong in output, output
    assert "nothing was changed" in output
    assert "Traceback" not in output
    assert (buildout_dir / "bin" / "py").read_bytes() == script
    assert (buildout_dir / ".installed.cfg").read_bytes() == installed
