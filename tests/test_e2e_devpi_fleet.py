"""A devpi fleet: a real devpi-server primary and a real replica of it
(devpi's own replication, a shared secret file) on 127.0.0.1, as deploy
hosts see them: the replica near, the primary further."""

import json
import threading
import time

import pytest

import servers
from conftest import buildout_command, run, write_buildout

EGGS = """
[buildout]
extensions = buildout_mirrors
mirrors = {mirrors}
mirrors-cache = ${{buildout:directory}}/state.json
mirrors-grace = 2
parts = py

[py]
recipe = zc.recipe.egg
eggs =
    six
    zope.interface
    docopt
interpreter = py
"""

STATUS = [servers.tool("buildout-mirrors"), "status", "--json"]


@pytest.fixture
def cluster(packages, tmp_path):
    with servers.DevpiCluster(tmp_path / "devpi", packages) as cluster:
        yield cluster


def stop_after_downloads(cluster, count):
    """Stop the primary's process once it has served *count* files (its
    log names each request): a real primary going down mid-run."""
    log = cluster.base / "primary.log"
    start = log.stat().st_size  # the replica fetched files before
    done = threading.Event()

    def watch():
        while not done.is_set():
            with open(log, "rb") as stream:
                stream.seek(start)
                text = stream.read().decode("utf-8", "replace")
            if text.count("GET /root/dev/+f/") >= count:
                cluster.stop_primary()
                return
            time.sleep(0.05)
    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return done


def test_the_primary_stops_mid_run_and_the_replica_completes_the_build(
        cluster, buildout_dir, isolated_env):
    write_buildout(buildout_dir, EGGS.format(
        mirrors="%s %s" % (cluster.primary, cluster.replica)))
    watching = stop_after_downloads(cluster, 1)
    try:
        code, output = run(buildout_command(), isolated_env, buildout_dir)
    finally:
        watching.set()
    assert code == 0, output
    assert "Using mirror %s" % cluster.primary in output, output
    assert cluster.primary_process.poll() is not None, "never stopped"
    assert "%s took over." % cluster.replica in output, output
    code, output = run([buildout_dir / "bin" / "py", "-c",
                        "import six, zope.interface, docopt"], isolated_env,
                       buildout_dir)
    assert code == 0, output


def verdicts(directory, env, mirrors):
    code, output = run(STATUS + ["--mirror", mirrors[0], "--mirror",
                                 mirrors[1]], env, directory)
    document = json.loads(output)
    return document["chosen"], {row["mirror"]: row for row in
                                document["mirrors"]}


def test_a_replica_cut_off_from_its_primary_ranks_behind(
        cluster, buildout_dir, isolated_env):
    # The replica is listed first (it is the near one): in sync, it wins.
    mirrors = (cluster.replica, cluster.primary)
    write_buildout(buildout_dir, "[buildout]\nmirrors-cache = none\n"
                   "mirrors-grace = 2\nparts =\n")
    chosen, rows = verdicts(buildout_dir, isolated_env, mirrors)
    assert chosen == cluster.replica, rows
    # Cut off while the primary moves on: uploads to other projects leave
    # the probe project's page as it was; only devpi's serials tell.
    cluster.link.hang = True
    for version in ("1.0", "1.1", "1.2", "1.3"):
        cluster.upload_release("moved-on", version)
    chosen, rows = verdicts(buildout_dir, isolated_env, mirrors)
    assert chosen == cluster.primary, rows
    assert rows[cluster.replica]["verdict"] == "behind", rows
    assert "behind its devpi primary" in rows[cluster.replica]["lag"], \
        rows
