"""Run real subprocesses in an environment where pypi.org is unreachable."""

import os
import subprocess


def isolated_environ(home, proxy_url):
    """os.environ without PIP_*/BUILDOUT_* settings or the machine's pip
    configuration, with a private HOME, and every proxy variable pointing
    at *proxy_url* (a local server that refuses): anything that tries to
    leave 127.0.0.1 fails, and is seen."""
    env = {name: value for name, value in os.environ.items()
           if not name.upper().startswith(("PIP_", "BUILDOUT_"))
           and name.lower() not in ("http_proxy", "https_proxy", "all_proxy",
                                    "no_proxy")}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"),
               PIP_CONFIG_FILE=os.devnull, PYTHONDONTWRITEBYTECODE="1",
               NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy",
                 "ALL_PROXY"):
        env[name] = proxy_url
    return env


def run(command, env, cwd, timeout=600, promise=None):
    """Run a real subprocess; return (exit code, combined output).  With
    *promise*, *timeout* is that promise's bound plus a margin: running
    past it fails the test at once, naming the promise that broke."""
    try:
        result = subprocess.run([str(part) for part in command], env=env,
                                cwd=str(cwd), stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, timeout=timeout,
                                universal_newlines=True)
    except subprocess.TimeoutExpired as expired:
        if promise is None:
            raise
        import pytest
        output = expired.output or ""
        if isinstance(output, bytes):
            output = output.decode("utf-8", "replace")
        pytest.fail("broken promise: %s (still running after %d s)\n%s"
                    % (promise, timeout, output[-3000:]))
    return result.returncode, result.stdout
