"""End to end: never fall back to an index nobody listed (issue 13).

A company lists only its private mirror.  When it is dead, buildout must
neither reach pypi.org (dependency confusion) nor wait: every proxy
variable points at a local server that counts the requests that try to
leave, and the count must stay 0.
"""

import time

import pytest

import servers
from conftest import buildout_command, run, write_buildout
from deployments import EGGS, check_eggs_work

PRIVATE_ONLY = """
[buildout]
extensions = buildout_mirrors
mirrors = {mirror}
mirrors-timeout = 1
mirrors-stall-limit = 2
mirrors-cache = none
parts = py

[py]
recipe = zc.recipe.egg
eggs = six
"""


@pytest.fixture(params=["refused", "error", "hang"])
def dead_private_mirror(request):
    if request.param == "refused":
        with servers.refused_port() as url:
            yield url, "connection refused"
    else:
        with servers.FaultServer(request.param) as server:
            yield server.url, ("HTTP 500" if request.param == "error"
                               else "no answer within 2.0 s")


def test_a_dead_private_mirror_fails_fast_and_goes_nowhere_else(
        buildout_dir, isolated_env, leak_proxy, dead_private_mirror):
    url, reason = dead_private_mirror
    write_buildout(buildout_dir, PRIVATE_ONLY.format(mirror=url))
    started = time.monotonic()
    code, output = run(buildout_command(), isolated_env, buildout_dir)
    elapsed = time.monotonic() - started
    assert code != 0
    assert leak_proxy.requests == []
    assert "Error: This buildout must download six, but no listed mirror " \
        "is reachable: %s (%s)" % (url, reason) in output, output
    assert "BUILDOUT_MIRRORS" in output
    assert "pypi.org" not in output
    assert "Traceback" not in output
    # The selection deadline (1 s), the stall limit (2 s) for a mirror
    # that might only be slow, and buildout's own start-up: a contract,
    # with a generous margin.
    assert elapsed < 1 + 2 + 10, elapsed


def test_a_built_buildout_with_its_only_mirror_dead_still_succeeds(
        buildout_dir, isolated_env, leak_proxy, pypi_mirror):
    write_buildout(buildout_dir, EGGS.format(
        mirrors=pypi_mirror.url, extra="mirrors-ttl = 0"))
    code, output = run(buildout_command(), isolated_env, buildout_dir)
    assert code == 0, output
    with servers.FaultServer("hang") as hanging:
        write_buildout(buildout_dir, EGGS.format(
            mirrors=hanging.url, extra="mirrors-timeout = 1\n"
            "mirrors-stall-limit = 2"))
        code, output = run(buildout_command(), isolated_env, buildout_dir)
    assert code == 0, output
    assert "newest = false" in output
    assert leak_proxy.requests == []
    check_eggs_work(buildout_dir, isolated_env)


def test_fallback_to_pypi_is_opt_in(buildout_dir, isolated_env, leak_proxy):
    # mirrors-fallback = pypi restores the old behaviour: pypi.org is then
    # asked (here it is unreachable, so the leak proxy sees the attempt).
    with servers.refused_port() as refused:
        write_buildout(buildout_dir, PRIVATE_ONLY.format(mirror=refused)
                       .replace("mirrors-cache = none",
                                "mirrors-cache = none\n"
                                "mirrors-fallback = pypi"))
        code, output = run(buildout_command(), isolated_env, buildout_dir,
                           timeout=300)
    assert code != 0
    assert "mirrors-fallback = pypi" in output
    assert any("pypi.org" in line for line in leak_proxy.requests)
    leak_proxy.requests.clear()  # seen, and expected here
