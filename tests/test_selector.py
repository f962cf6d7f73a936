"""The selector against real servers on 127.0.0.1: every way a candidate
can fail before the choice, the deadline, the state file and stickiness."""

import json
import os
import time

import pytest

import servers
from conftest import make_index
from buildout_mirrors.selection import options
from buildout_mirrors.selection.selector import MirrorSelector


def settings_for(mirrors, tmp_path=None, **extra):
    raw = {"mirrors": " ".join(mirrors), "mirrors-timeout": "1",
           "mirrors-cache": str(tmp_path / "state.json") if tmp_path
           else "none"}
    raw.update({name.replace("_", "-"): value for name, value in extra.items()})
    return options.parse(raw, environ={})


@pytest.fixture(autouse=True)
def no_proxies(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize("mode, reason", [
    ("hang", "timed out after 1.0 s"),
    ("trickle", "timed out after 1.0 s"),
    ("error", "HTTP 500"),
    ("garbage", "not an HTTP answer"),
    ("empty", "no distributions of zc.buildout"),
])
def test_each_fault_is_skipped_with_its_reason(pypi_mirror, mode, reason):
    with servers.FaultServer(mode) as faulty:
        # thorough (as the status command): every answer is waited for, up
        # to the deadline, so that each fault's reason is seen.
        selection = MirrorSelector(settings_for(
            [faulty.url, pypi_mirror.url], mirrors_policy="fastest",
            mirrors_grace="2")).select(thorough=True)
    assert selection.chosen == pypi_mirror.url
    assert selection.result_for(faulty.url).reason.startswith(reason)


@pytest.mark.parametrize("mode, reason", [
    ("hang", "timed out after 1.0 s"),
    ("trickle", "timed out after 1.0 s"),
])
def test_deadline_holds_for_servers_that_never_finish(mode, reason):
    with servers.FaultServer(mode) as faulty, servers.refused_port() as refused:
        started = time.monotonic()
        selection = MirrorSelector(settings_for([faulty.url, refused])).select()
        elapsed = time.monotonic() - started
    # The deadline is a contract (mirrors-timeout = 1): asserted with a
    # generous margin, whatever the candidates do.
    assert elapsed < 1.0 + 1.0, elapsed
    assert selection.chosen is None
    assert selection.result_for(faulty.url).reason == reason
    assert selection.result_for(refused).reason == "connection refused"
    assert "No mirror is reachable" in selection.summary()


def test_ordered_prefers_list_order(pypi_mirror, devpi_mirror):
    # A long grace: the order must win whatever the load on this machine.
    selection = MirrorSelector(settings_for(
        [devpi_mirror.url, pypi_mirror.url], mirrors_grace="2")).select()
    assert selection.chosen == devpi_mirror.url


def test_state_reuse_sticky_and_dead_skipping(tmp_path, pypi_mirror,
                                              devpi_mirror):
    with servers.FaultServer("error") as failing:
        mirrors = [failing.url, devpi_mirror.url, pypi_mirror.url]
        first = MirrorSelector(settings_for(mirrors, tmp_path,
                                            mirrors_grace="2")).select()
        assert first.chosen == devpi_mirror.url and not first.from_state
        # Within the ttl: no probing at all.
        second = MirrorSelector(settings_for(mirrors, tmp_path)).select()
        assert second.chosen == devpi_mirror.url and second.from_state
        assert failing.connections == 1
        # After the ttl the dead one is probed again, and the choice stays
        # on the healthy previous mirror even if the policy now prefers
        # another: switching would reinstall every egg part.
        third = MirrorSelector(settings_for(mirrors, tmp_path,
                                            mirrors_ttl="0",
                                            mirrors_policy="fastest")).select()
        assert third.chosen == devpi_mirror.url and not third.from_state
        # The healthy previous choice ends the wait, maybe before the
        # server has counted the other probe's connection.
        for _ in range(100):
            if failing.connections == 2:
                break
            time.sleep(0.02)
        assert failing.connections == 2
    stored = json.loads((tmp_path / "state.json").read_text())
    assert stored["mirrors"][failing.url]["reason"] == "HTTP 500"


def test_dead_within_ttl_is_not_probed_again(tmp_path, pypi_mirror):
    with servers.FaultServer("error") as failing:
        settings = settings_for([failing.url, pypi_mirror.url], tmp_path,
                                mirrors_policy="fastest")
        MirrorSelector(settings).select()
        # Forget the choice, keep the verdicts: the dead one is skipped.
        path = tmp_path / "state.json"
        stored = json.loads(path.read_text())
        stored["choices"] = {}
        path.write_text(json.dumps(stored))
        selection = MirrorSelector(settings).select()
    assert failing.connections == 1
    assert selection.chosen == pypi_mirror.url
    assert "dead at the last check" in selection.summary()


def test_dead_remote_find_links_are_dropped(pypi_mirror, tmp_path):
    local = str(tmp_path)
    with servers.refused_port() as refused:
        link = refused.replace("/simple", "/links")
        selection = MirrorSelector(settings_for(
            [pypi_mirror.url], find_links="%s %s %s/packages/" % (
                link, local, pypi_mirror.url.rsplit("/", 1)[0]))).select()
    assert selection.find_links == (local, pypi_mirror.url.rsplit(
        "/", 1)[0] + "/packages/")
    assert [result.url for result in selection.dead_links] == [link]


def test_local_directory_index(tmp_path):
    project = tmp_path / "zc-buildout"
    project.mkdir()
    (project / "zc_buildout-6.0.1-py3-none-any.whl").write_bytes(b"")
    selection = MirrorSelector(settings_for([str(tmp_path)])).select()
    assert selection.chosen == "file://" + str(tmp_path)


@pytest.mark.parametrize("policy", ["ordered", "fastest"])
def test_stale_mirror_ranks_after_fresh(tmp_path, policy):
    # Two PEP 503 directories; the preferred one lacks a release the other
    # has: it is behind, and ranked after.
    stale = make_index(tmp_path / "stale", "zc-buildout",
                       ["zc.buildout-5.0.tar.gz"])
    fresh = make_index(tmp_path / "fresh", "zc-buildout",
                       ["zc.buildout-5.0.tar.gz", "zc.buildout-6.0.tar.gz"])
    selection = MirrorSelector(settings_for(
        [str(stale), str(fresh)], mirrors_policy=policy)).select()
    assert selection.chosen == "file://" + str(fresh)
    assert str(selection.lags["file://" + str(stale)]) == \
        "newest release older than another mirror's (zc-buildout 5.0 < 6.0)"


def test_redirect_to_another_host_is_refused(pypi_mirror):
    with FaultyRedirect() as redirecting:
        selection = MirrorSelector(settings_for(
            [redirecting.url, pypi_mirror.url], mirrors_grace="2")).select()
    assert selection.chosen == pypi_mirror.url
    assert selection.result_for(redirecting.url).reason == \
        "redirects to pypi.org (refused: not this mirror)"


class FaultyRedirect(servers.FaultServer):
    """pypiserver's fallback: every project redirects to pypi.org."""

    def __init__(self):
        super().__init__("redirect")

    def _handle(self, connection):
        connection.recv(65536)
        connection.sendall(b"HTTP/1.1 303 See Other\r\nLocation: "
                           b"https://pypi.org/simple/zc-buildout/\r\n"
                           b"Content-Length: 0\r\n\r\n")


def test_selection_deadline_is_a_contract(pypi_mirror):
    """With every kind of bad candidate at once, and a healthy one listed
    last, the selection ends within mirrors-timeout + 1 s."""
    with servers.FaultServer("hang") as hang, \
            servers.FaultServer("trickle") as trickle, \
            servers.FaultServer("garbage") as garbage:
        for thorough in (False, True):
            started = time.monotonic()
            selection = MirrorSelector(settings_for(
                [hang.url, trickle.url, garbage.url, pypi_mirror.url],
                mirrors_timeout="1.5", mirrors_grace="5")).select(thorough)
            elapsed = time.monotonic() - started
            assert elapsed < 1.5 + 1.0, (thorough, elapsed)
            assert selection.chosen == pypi_mirror.url


def test_curated_fresh_mirror_beats_a_stale_complete_one(tmp_path, packages):
    """Two real pypiserver mirrors.  The stale one stopped syncing: its
    newest probe release is 1.0, and it keeps the old 0.9.  The fresh one
    is curated: it has 1.1, and lacks the old file.  Listed first, the
    stale one must still lose."""
    import shutil
    stale_files, fresh_files = tmp_path / "stale", tmp_path / "fresh"
    for directory, versions in ((stale_files, ("0.9", "1.0")),
                                (fresh_files, ("1.1",))):
        directory.mkdir()
        for name in os.listdir(packages):
            shutil.copy(os.path.join(packages, name), directory)
        for version in versions:
            (directory / ("probe_project-%s.tar.gz" % version)).write_bytes(
                b"not a real sdist: only its listing is probed")
    with servers.pypiserver(stale_files, tmp_path / "stale.log") as stale, \
            servers.pypiserver(fresh_files, tmp_path / "fresh.log") as fresh:
        selection = MirrorSelector(settings_for(
            [stale, fresh], mirrors_probe="probe-project",
            mirrors_grace="2")).select()
    assert selection.chosen == fresh
    assert not selection.lags[fresh]
    assert "probe-project 1.0 < 1.1" in str(selection.lags[stale])


def test_fresh_probes_within_the_ttl_and_records_for_the_next_run(
        tmp_path, pypi_mirror):
    """bootstrap.py has no failover behind it: it never trusts a recorded
    choice or verdict, and the first bin/buildout then reuses its own."""
    with servers.FaultServer("error") as failing:
        mirrors = [failing.url, pypi_mirror.url]
        MirrorSelector(settings_for(mirrors, tmp_path)).select()
        fresh = MirrorSelector(settings_for(mirrors, tmp_path)).select(
            fresh=True)
        assert fresh.chosen == pypi_mirror.url and not fresh.from_state
        assert failing.connections == 2  # dead last time, asked again
        reused = MirrorSelector(settings_for(mirrors, tmp_path)).select()
        assert reused.chosen == pypi_mirror.url and reused.from_state
        assert failing.connections == 2


def test_the_skipped_list_keeps_the_listed_order(pypi_mirror):
    """Answers come in any order; what the user reads does not change
    from run to run: the refused one answers first, the 500 later, the
    hanging one never, and the line lists them as the configuration
    does."""
    with servers.FaultServer("hang") as hanging, \
            servers.FaultServer("error") as failing, \
            servers.refused_port() as refused:
        mirrors = [hanging.url, failing.url, refused, pypi_mirror.url]
        summaries = [MirrorSelector(settings_for(mirrors)).select().summary()
                     for _ in range(3)]
    for summary in summaries:
        positions = [summary.index(url) for url in mirrors[:3]]
        assert positions == sorted(positions), summary
