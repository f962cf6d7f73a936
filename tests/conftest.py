"""Fixtures: distributions for the mirrors, real mirror servers, an
isolated environment in which pypi.org is unreachable, and a runner for
real ``buildout`` and ``bootstrap.py`` subprocesses."""

import os
import ssl
import sys
from pathlib import Path

import pytest

import dists
import isolation
import servers
from isolation import run  # noqa: F401 (the tests import it from here)

CHECKOUT = dists.CHECKOUT


@pytest.fixture(scope="session")
def packages(tmp_path_factory):
    """A directory of distributions: the downloaded ones plus a wheel of
    this checkout, built fresh for the session."""
    return dists.packages_directory(tmp_path_factory.mktemp("packages"))


@pytest.fixture(scope="session")
def pypi_mirror(packages, tmp_path_factory):
    """A live pypiserver; ``.url``, ``.log`` (its access log)."""
    log = tmp_path_factory.mktemp("pypiserver") / "access.log"
    with servers.pypiserver(packages, log) as url:
        yield Mirror(url, log)


@pytest.fixture(scope="session")
def devpi_mirror(packages, tmp_path_factory):
    base = tmp_path_factory.mktemp("devpi")
    with servers.devpi_server(base / "server", packages,
                              base / "server.log") as url:
        yield Mirror(url, base / "server.log")


class Mirror:
    def __init__(self, url, log):
        self.url, self.log = url, Path(log)

    def requests_since(self, offset):
        """Request lines logged after byte *offset* of the log."""
        with open(self.log, "rb") as stream:
            stream.seek(offset)
            return stream.read().decode("utf-8", "replace")

    def log_size(self):
        return self.log.stat().st_size if self.log.exists() else 0


@pytest.fixture
def hanging():
    with servers.FaultServer("hang") as server:
        yield server


@pytest.fixture
def leak_proxy():
    """Every proxy variable points here: a request that tries to leave
    127.0.0.1 (to pypi.org, say) is recorded and refused."""
    with servers.FaultServer("proxy") as proxy:
        yield proxy
        assert proxy.requests == [], "traffic left 127.0.0.1: %r" % (
            proxy.requests,)


@pytest.fixture
def isolated_env(tmp_path, leak_proxy):
    home = tmp_path / "home"
    home.mkdir()
    return isolation.isolated_environ(home, leak_proxy.proxy_url)


def buildout_command():
    return [os.path.join(os.path.dirname(sys.executable), "buildout")]


@pytest.fixture
def buildout_dir(tmp_path):
    directory = tmp_path / "deployment"
    directory.mkdir()
    return directory


def write_buildout(directory, body):
    (directory / "buildout.cfg").write_text(body)


def make_index(directory, project, names):
    """A PEP 503 directory index holding empty files *names* of *project*."""
    folder = directory / project
    folder.mkdir(parents=True)
    for name in names:
        (folder / name).write_bytes(b"")
    return directory


@pytest.fixture(scope="session")
def private_ca(tmp_path_factory):
    """(the PEM file of a CA nobody trusts by default, a server SSL
    context for localhost and 127.0.0.1 signed by it)."""
    import trustme
    authority = trustme.CA()
    directory = tmp_path_factory.mktemp("ca")
    authority.cert_pem.write_to_path(str(directory / "ca.pem"))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    authority.issue_cert("localhost", "127.0.0.1").configure_cert(context)
    return directory / "ca.pem", context


# ``pytest -m unit``: pure logic, in seconds.  ``-m e2e``: what starts
# servers, builds the test wheel or runs buildout and bootstrap.py.
HEAVY_FIXTURES = {"packages", "pypi_mirror", "devpi_mirror", "isolated_env",
                  "private_ca", "hanging", "leak_proxy"}


def pytest_collection_modifyitems(items):
    for item in items:
        heavy = item.module.__name__.startswith(("test_e2e", "test_release"))
        if heavy or HEAVY_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.e2e)
        else:
            item.add_marker(pytest.mark.unit)
