"""Remote extends whose host hangs (Plone's dist.plone.org, Zope's
versions.cfg): zc.buildout reads them before any extension loads, with no
timeout of its own.  The launcher that bootstrap.py makes bin/buildout
bounds that read and falls back on a copy saved by an earlier run; an
``extends-cache`` with ``-N`` works without it."""

import os
import sys
import time

import servers
from conftest import buildout_command, run, write_buildout
from deployments import EGGS

from buildout_mirrors.features.extends_guard import WAIT_WITH_COPY, WAIT_WITHOUT_COPY

LAUNCHER = [sys.executable, "-m", "buildout_mirrors.buildout.launcher"]


def extends_host(tmp_path):
    return servers.extends_host(tmp_path / "release",
                                "[versions]\nsix = 1.16.0\n")


def extends_cache(env):
    """zc.buildout's own extends-cache, set machine-wide in default.cfg."""
    defaults = os.path.join(env["HOME"], ".buildout")
    os.makedirs(defaults + "/extends-cache")
    with open(defaults + "/default.cfg", "w") as stream:
        stream.write("[buildout]\nextends-cache = %s/extends-cache\n"
                     % defaults)
    return defaults + "/extends-cache"


def timed_run(command, env, directory, bound, promise):
    """Run, cut off at *bound* seconds (the promise's wait plus a margin
    for buildout's own run): a broken guard fails in seconds, naming
    *promise*, instead of hanging to a far cut-off."""
    started = time.monotonic()
    code, output = run(command, env, directory, timeout=bound,
                       promise=promise)
    return code, output, time.monotonic() - started


def test_a_hanging_extends_host_with_the_cache_and_minus_n(
        buildout_dir, isolated_env, pypi_mirror, tmp_path):
    extends_cache(isolated_env)
    with extends_host(tmp_path) as host:
        write_buildout(buildout_dir, EGGS.format(
            mirrors=pypi_mirror.url, extra="extends = " + host.url))
        code, output = run(buildout_command(), isolated_env, buildout_dir)
        assert code == 0, output
        host.hang = True  # the extends host now accepts and hangs
        code, output, elapsed = timed_run(
            buildout_command() + ["-N"], isolated_env, buildout_dir, 20,
            "a hanging extends host does not hang -N with an extends-cache")
    assert code == 0, output
    assert elapsed < 10, (elapsed, output)


def test_the_launcher_reads_a_saved_copy_when_the_host_hangs(
        buildout_dir, isolated_env, pypi_mirror, tmp_path):
    """No extends-cache, no -N: what a Plone operator types."""
    with extends_host(tmp_path) as host:
        write_buildout(buildout_dir, EGGS.format(
            mirrors=pypi_mirror.url, extra="extends = " + host.url))
        code, output = run(LAUNCHER, isolated_env, buildout_dir)
        assert code == 0, output
        assert "using the copy saved" not in output
        host.hang = True
        code, output, elapsed = timed_run(
            LAUNCHER, isolated_env, buildout_dir, WAIT_WITH_COPY + 10,
            "the launcher uses its saved copy when the extends host hangs")
    assert code == 0, output
    saved = os.path.join(isolated_env["XDG_CACHE_HOME"], "buildout-mirrors",
                         "extends")
    assert "Extends %s: no answer in %d s; using the copy saved" % (
        host.url, WAIT_WITH_COPY) in output, output
    assert saved in output, output
    for copy in os.listdir(saved):  # a private file, as the state file
        assert os.stat(os.path.join(saved, copy)).st_mode & 0o077 == 0
    # The promise is "within a few seconds": the wait plus buildout's own
    # run, with a generous margin for a loaded machine.
    assert elapsed < WAIT_WITH_COPY + 10, (elapsed, output)


def test_the_launcher_names_the_extends_cache_copy_it_used(
        buildout_dir, isolated_env, pypi_mirror, tmp_path):
    cache = extends_cache(isolated_env)
    with extends_host(tmp_path) as host:
        write_buildout(buildout_dir, EGGS.format(
            mirrors=pypi_mirror.url, extra="extends = " + host.url))
        code, output = run(LAUNCHER, isolated_env, buildout_dir)
        assert code == 0, output
        host.hang = True
        code, output, elapsed = timed_run(
            LAUNCHER, isolated_env, buildout_dir, WAIT_WITH_COPY + 10,
            "the launcher uses the extends-cache copy when the host hangs")
    assert code == 0, output
    assert "using the copy saved" in output and cache in output, output
    assert elapsed < WAIT_WITH_COPY + 10, (elapsed, output)


def test_a_first_run_against_a_hanging_extends_host_fails_fast(
        buildout_dir, isolated_env, pypi_mirror, tmp_path):
    with extends_host(tmp_path) as host:
        host.hang = True
        write_buildout(buildout_dir, EGGS.format(
            mirrors=pypi_mirror.url, extra="extends = " + host.url))
        code, output, elapsed = timed_run(
            LAUNCHER, isolated_env, buildout_dir, WAIT_WITHOUT_COPY + 8,
            "a first run against a hanging extends host fails in 15 s")
    assert code != 0, output
    assert "Could not read extends %s: no answer in %d s. No copy of it " \
        "is saved" % (host.url, WAIT_WITHOUT_COPY) in output, output
    assert "Traceback" not in output, output
    assert elapsed < WAIT_WITHOUT_COPY + 8, (elapsed, output)
