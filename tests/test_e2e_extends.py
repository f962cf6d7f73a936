"""Remote extends whose host hangs (Plone's dist.plone.org, Zope's
versions.cfg): zc.buildout reads them before any extension loads, with no
timeout of its own.  What works today, and is the README's runbook: an
``extends-cache`` (set once, machine-wide, in ~/.buildout/default.cfg)
and ``bin/buildout -N``, which reads the cached copy without asking the
host."""

import http.server
import threading
import time

import servers
from conftest import buildout_command, run, write_buildout
from test_e2e_extension import EGGS


def test_a_hanging_extends_host_with_the_cache_and_minus_n(
        buildout_dir, isolated_env, pypi_mirror, tmp_path):
    release = tmp_path / "release"
    release.mkdir()
    (release / "versions.cfg").write_text("[versions]\nsix = 1.16.0\n")
    handler = lambda *args: http.server.SimpleHTTPRequestHandler(  # noqa
        *args, directory=str(release))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    defaults = isolated_env["HOME"] + "/.buildout"
    import os
    os.makedirs(defaults)
    with open(defaults + "/default.cfg", "w") as stream:
        stream.write("[buildout]\nextends-cache = %s/extends-cache\n"
                     % defaults)
    os.makedirs(defaults + "/extends-cache")
    try:
        with servers.LatencyProxy(("127.0.0.1", server.server_port),
                                  0) as host:
            write_buildout(buildout_dir, EGGS.format(
                mirrors=pypi_mirror.url,
                extra="extends = http://127.0.0.1:%d/versions.cfg"
                % host.port))
            code, output = run(buildout_command(), isolated_env,
                               buildout_dir)
            assert code == 0, output
            host.hang = True  # the extends host now accepts and hangs
            started = time.monotonic()
            code, output = run(buildout_command() + ["-N"], isolated_env,
                               buildout_dir, timeout=120)
            elapsed = time.monotonic() - started
    finally:
        server.shutdown()
        server.server_close()
    assert code == 0, output
    assert elapsed < 10, (elapsed, output)
