"""Fixtures: distributions for the mirrors, real mirror servers, an
isolated environment in which pypi.org is unreachable, and a runner for
real ``buildout`` and ``bootstrap.py`` subprocesses."""

import importlib.metadata
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import servers

HERE = Path(__file__).resolve().parent
CHECKOUT = HERE.parent
DIST_CACHE = HERE / ".dists"

# What a realistic buildout and bootstrap.py need from a mirror: buildout's
# own tool chain at the versions this environment runs, the extension's
# dependencies, one wheel-only egg (six) and one sdist-only egg (docopt,
# which pip must build: its build dependencies come from the index too).
TOOLCHAIN = ("zc.buildout", "setuptools", "pip", "wheel", "zc.recipe.egg",
             "requests", "zope.interface", "platformdirs", "packaging")
EXTRA = ("six==1.16.0", "docopt==0.6.2")


def mirror_requirements():
    return ["%s==%s" % (name, importlib.metadata.version(name))
            for name in TOOLCHAIN] + list(EXTRA)


def _download_dists():
    """``pip download`` what the mirrors serve, once; kept in tests/.dists."""
    wanted = "\n".join(mirror_requirements())
    stamp = DIST_CACHE / "requirements.txt"
    if stamp.exists() and stamp.read_text() == wanted:
        return DIST_CACHE
    shutil.rmtree(DIST_CACHE, ignore_errors=True)
    DIST_CACHE.mkdir()
    subprocess.run([sys.executable, "-m", "pip", "download", "-q",
                    "--disable-pip-version-check", "-d", str(DIST_CACHE)]
                   + mirror_requirements(), check=True)
    stamp.write_text(wanted)
    return DIST_CACHE


@pytest.fixture(scope="session")
def packages(tmp_path_factory):
    """A directory of distributions: the downloaded ones plus a wheel of
    this checkout, built fresh for the session."""
    directory = tmp_path_factory.mktemp("packages")
    for dist in _download_dists().iterdir():
        if dist.name != "requirements.txt":
            shutil.copy(dist, directory)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "--no-build-isolation", "--disable-pip-version-check",
                    "-w", str(directory), str(CHECKOUT)], check=True,
                   capture_output=True)
    return directory


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
    """os.environ without PIP_*/BUILDOUT_* settings or the machine's pip
    configuration, with a private HOME, and proxies that refuse."""
    home = tmp_path / "home"
    home.mkdir()
    env = {name: value for name, value in os.environ.items()
           if not name.upper().startswith(("PIP_", "BUILDOUT_"))
           and name.lower() not in ("http_proxy", "https_proxy", "all_proxy",
                                    "no_proxy")}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"),
               PIP_CONFIG_FILE=os.devnull, PYTHONDONTWRITEBYTECODE="1",
               NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy",
                 "ALL_PROXY"):
        env[name] = leak_proxy.proxy_url
    return env


def run(command, env, cwd, timeout=600):
    """Run a real subprocess; return (exit code, combined output)."""
    result = subprocess.run([str(part) for part in command], env=env,
                            cwd=str(cwd), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, timeout=timeout,
                            universal_newlines=True)
    return result.returncode, result.stdout


def buildout_command():
    return [os.path.join(os.path.dirname(sys.executable), "buildout")]


@pytest.fixture
def buildout_dir(tmp_path):
    directory = tmp_path / "deployment"
    directory.mkdir()
    return directory


def write_buildout(directory, body):
    (directory / "buildout.cfg").write_text(body)
