"""End to end: the real ``buildout`` with ``extensions = buildout_mirrors``
against real mirror servers on 127.0.0.1, pypi.org unreachable."""

import json
import re

import pytest

import servers
from conftest import buildout_command, run, write_buildout
from deployments import EGGS, check_eggs_work

def test_dead_first_mirror_live_pypiserver(buildout_dir, isolated_env,
                                           pypi_mirror, hanging):
    write_buildout(buildout_dir, EGGS.format(
        mirrors="%s %s" % (hanging.url, pypi_mirror.url), extra=""))
    offset = pypi_mirror.log_size()
    code, output = run(buildout_command(), isolated_env, buildout_dir)
    assert code == 0, output
    assert "Using mirror %s" % pypi_mirror.url in output
    assert "skipped: %s" % hanging.url in output
    # The hanging mirror was asked once, by the probe, and never again:
    # buildout did not spend its 15 s per page on it.
    assert hanging.connections == 1
    check_eggs_work(buildout_dir, isolated_env)
    served = pypi_mirror.requests_since(offset)
    # docopt is an sdist: pip built it, and took its build dependency
    # (setuptools) from the mirror, not from pypi.org.
    assert "/simple/setuptools/" in served
    assert "/simple/docopt/" in served


def test_live_devpi_server(buildout_dir, isolated_env, devpi_mirror, hanging):
    with servers.FaultServer("error") as failing:
        # A long grace: the 500 is always waited for and reported.
        write_buildout(buildout_dir, EGGS.format(
            mirrors="%s %s %s" % (failing.url, hanging.url, devpi_mirror.url),
            extra="mirrors-grace = 2"))
        code, output = run(buildout_command(), isolated_env, buildout_dir)
    assert code == 0, output
    assert "Using mirror %s" % devpi_mirror.url in output
    assert "%s (HTTP 500)" % failing.url in output
    check_eggs_work(buildout_dir, isolated_env)


def test_choice_is_kept_in_state_file_and_reused(buildout_dir, isolated_env,
                                                 pypi_mirror):
    write_buildout(buildout_dir, EGGS.format(mirrors=pypi_mirror.url,
                                             extra=""))
    code, output = run(buildout_command(), isolated_env, buildout_dir)
    assert code == 0, output
    state = json.loads((buildout_dir / "mirrors-state.json").read_text())
    assert [choice["mirror"] for choice in state["choices"].values()] == [
        pypi_mirror.url]
    code, output = run(buildout_command(), isolated_env, buildout_dir)
    assert code == 0, output
    assert "healthy at the last check, not probed again" in output


def test_environment_override_replaces_mirrors(buildout_dir, isolated_env,
                                               pypi_mirror):
    with servers.FaultServer("error") as failing:
        write_buildout(buildout_dir, EGGS.format(mirrors=failing.url,
                                                 extra=""))
        env = dict(isolated_env, BUILDOUT_MIRRORS=pypi_mirror.url)
        code, output = run(buildout_command(), env, buildout_dir)
    assert code == 0, output
    assert "Using mirror %s" % pypi_mirror.url in output
    assert failing.connections == 0


def test_no_live_mirror_does_not_fail_a_buildout_that_needs_nothing(
        buildout_dir, isolated_env, hanging):
    with servers.refused_port() as refused:
        write_buildout(buildout_dir, """
[buildout]
extensions = buildout_mirrors
mirrors = %s %s
mirrors-timeout = 0.5
mirrors-cache = none
parts =
""" % (refused, hanging.url))
        code, output = run(buildout_command(), isolated_env, buildout_dir)
    assert code == 0, output
    assert re.search(r"No mirror is reachable: .*connection refused.*"
                     r"timed out after 0.5 s.* \(candidates from mirrors\)",
                     output), output
    assert "newest = false" in output


def test_no_live_mirror_warns_above_buildouts_own_error(
        buildout_dir, isolated_env):
    with servers.refused_port() as refused:
        write_buildout(buildout_dir, EGGS.format(
            mirrors=refused, extra="index = %s" % refused))
        code, output = run(buildout_command(), isolated_env, buildout_dir)
    assert code != 0
    # One warning up front, then one error at the first download that
    # names the mirror, why it failed, and the way out.
    warning = output.index("No mirror is reachable")
    assert warning < output.index(
        "Error: This buildout must download six, but no listed mirror is "
        "reachable: %s (connection refused). Name a reachable mirror in the "
        "BUILDOUT_MIRRORS environment variable" % refused)
    assert "Couldn't find a distribution" not in output
    assert "Traceback" not in output


def test_offline_probes_nothing(buildout_dir, isolated_env, hanging):
    write_buildout(buildout_dir, """
[buildout]
extensions = buildout_mirrors
mirrors = %s
parts =
""" % hanging.url)
    code, output = run(buildout_command() + ["-o"], isolated_env,
                       buildout_dir)
    assert code == 0, output
    assert hanging.connections == 0
    assert "Using mirror" not in output


@pytest.mark.parametrize("option, value, message", [
    ("mirrors", "ftp://mirror.example/simple", "unknown scheme 'ftp'"),
    ("mirrors", "http://mirror.example/simple", "uses plain http"),
    ("mirrors-timeout", "soon", "mirrors-timeout = 'soon' is not a number"),
    ("mirrors-policy", "random", "mirrors-policy = 'random' is unknown"),
])
def test_bad_configuration_is_one_clear_error(buildout_dir, isolated_env,
                                              option, value, message):
    write_buildout(buildout_dir, """
[buildout]
extensions = buildout_mirrors
%s = %s
parts =
""" % (option, value))
    code, output = run(buildout_command(), isolated_env, buildout_dir)
    assert code != 0
    assert "Error: " in output and message in output, output
    assert "Traceback" not in output


def test_credentials_never_printed(buildout_dir, isolated_env):
    with servers.refused_port() as refused:
        secret_url = refused.replace("http://", "http://deployer:s3cr3t@")
        write_buildout(buildout_dir, """
[buildout]
extensions = buildout_mirrors
mirrors = %s
mirrors-timeout = 0.5
mirrors-cache = ${buildout:directory}/state.json
parts =
""" % secret_url)
        code, output = run(buildout_command() + ["-v"], isolated_env,
                           buildout_dir)
    assert code == 0, output
    assert "***@127.0.0.1" in output
    assert "s3cr3t" not in output
    assert "s3cr3t" not in (buildout_dir / "state.json").read_text()


def test_unlisted_extension_does_nothing(buildout_dir, isolated_env, hanging):
    # buildout calls every installed extension entry point; ours must stay
    # quiet unless the buildout lists it.
    write_buildout(buildout_dir, """
[buildout]
extensions = zc.recipe.egg
mirrors = %s
parts =
""" % hanging.url)
    code, output = run(buildout_command(), isolated_env, buildout_dir)
    assert code == 0, output
    assert hanging.connections == 0
    assert "Using mirror" not in output


def test_restarted_child_reuses_the_parents_choice(buildout_dir, isolated_env,
                                                   pypi_mirror, hanging):
    # zc.buildout re-executes itself after upgrading; the child must not
    # probe again (BUILDOUT_RESTART_AFTER_UPGRADE is what buildout sets).
    write_buildout(buildout_dir, EGGS.format(mirrors=hanging.url, extra=""))
    env = dict(isolated_env, BUILDOUT_RESTART_AFTER_UPGRADE="1",
               BUILDOUT_MIRRORS_CHOICE=json.dumps(
                   {"index": pypi_mirror.url, "backups": [],
                    "find-links": []}))
    code, output = run(buildout_command(), env, buildout_dir)
    assert code == 0, output
    assert "Using mirror %s, as chosen before the upgrade" % pypi_mirror.url \
        in output
    assert hanging.connections == 0
    check_eggs_work(buildout_dir, isolated_env)


def test_dead_find_links_are_dropped_with_a_warning(buildout_dir,
                                                    isolated_env, pypi_mirror,
                                                    packages):
    with servers.refused_port() as refused:
        dead_link = refused.replace("/simple", "/dists/")
        write_buildout(buildout_dir, EGGS.format(
            mirrors=pypi_mirror.url,
            extra="find-links = %s %s" % (dead_link, packages)))
        code, output = run(buildout_command(), isolated_env, buildout_dir)
    assert code == 0, output
    assert "Dropped find-links %s for this run: connection refused" \
        % dead_link in output, output
    assert "Download error on %s" % dead_link not in output
    check_eggs_work(buildout_dir, isolated_env)
