"""End to end: real caching proxies from PyPI on a cold cache, as the only
mirror, complete the build (issue 18).

The upstream is a pypiserver behind a relay that adds a second to every
request (a far, busy PyPI): devpi-server's mirror index fetches each page
on first use; proxpi fetches pages, and redirects a file it cannot fetch
within its download timeout (0.9 s) to the upstream's URL, which the
extension follows because the page gave the file's hash.
"""

import urllib.parse

import pytest

import servers
from conftest import buildout_command, run, write_buildout
from deployments import EGGS, check_eggs_work

SLOW = 1.0  # seconds the relay adds to each request


@pytest.fixture
def slow_upstream(pypi_mirror, private_ca):
    """(https URL, CA file): the pypiserver behind a slow TLS relay."""
    ca_file, context = private_ca
    root = pypi_mirror.url.rsplit("/simple", 1)[0]
    with servers.SlowUpstream(root, SLOW, context) as upstream:
        yield upstream.url, ca_file


def test_a_cold_devpi_mirror_index_as_the_only_mirror(
        tmp_path, buildout_dir, isolated_env, pypi_mirror):
    port = urllib.parse.urlsplit(pypi_mirror.url).port
    with servers.LatencyProxy(("127.0.0.1", port), SLOW) as relay, \
            servers.devpi_cold_mirror(
                tmp_path / "devpi", "http://127.0.0.1:%d/simple" % relay.port,
                tmp_path / "devpi.log") as cold:
        write_buildout(buildout_dir, EGGS.format(mirrors=cold, extra=""))
        code, output = run(buildout_command(), isolated_env, buildout_dir)
    assert code == 0, output
    assert "Traceback" not in output
    check_eggs_work(buildout_dir, isolated_env)


def test_a_cold_proxpi_as_the_only_mirror(tmp_path, buildout_dir,
                                          isolated_env, slow_upstream):
    upstream, ca_file = slow_upstream
    with servers.proxpi(upstream, ca_file, tmp_path / "proxpi.log") as cold:
        write_buildout(buildout_dir, EGGS.format(
            mirrors=cold, extra="mirrors-ca-bundle = %s" % ca_file))
        code, output = run(buildout_command(), isolated_env, buildout_dir)
    assert code == 0, output
    assert "Traceback" not in output
    log = (tmp_path / "proxpi.log").read_text()
    assert " 302 " in log, log[-2000:]  # it did redirect files upstream
    check_eggs_work(buildout_dir, isolated_env)
