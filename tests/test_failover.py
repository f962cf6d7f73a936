"""Failover, against real servers on 127.0.0.1: a mirror that dies,
cuts, corrupts, trickles or redirects, and a healthy pypiserver behind it."""

import hashlib
import re
import urllib.parse

import pytest

import servers
from buildout_mirrors.index.transport import FetchError
from buildout_mirrors.failover.fetch import Failover
from buildout_mirrors.failover.second_opinion import IntegrityError
from faulty import FaultyMirror


@pytest.fixture(autouse=True)
def no_proxies(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)


def wheel_link(failover, mirror_url):
    """The absolute link of six's wheel on *mirror_url*'s page."""
    page = failover.fetch_page(mirror_url, "/six/")
    href = [href for href in re.findall(r'href="([^"]+)"',
                                        page.read_all().decode())
            if href.split("#")[0].endswith(".whl")][0]
    return urllib.parse.urljoin(page.url, href)


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def test_page_from_the_next_mirror_when_the_first_dies(pypi_mirror):
    events = []
    with FaultyMirror(pypi_mirror.url, "die-after", after=1) as dying:
        failover = Failover([dying.url, pypi_mirror.url], timeout=1.0,
                            on_takeover=lambda *event: events.append(event))
        assert failover.fetch_page(dying.url, "/six/").status == 200
        page = failover.fetch_page(dying.url, "/docopt/")
    assert page.status == 200 and page.url.startswith(pypi_mirror.url)
    assert b"docopt-0.6.2.tar.gz" in page.read_all()
    assert events == [(dying.url, pypi_mirror.url, events[0][2])]
    assert "refused" in events[0][2] or "closed" in events[0][2] or \
        "reset" in events[0][2]


@pytest.mark.parametrize("mode, reason", [
    ("cut-downloads", "truncated"),
    ("corrupt-downloads", "sha256 mismatch"),
    ("tarpit-downloads", "too slow"),
    ("redirect-downloads", "redirect to foreign.example refused"),
])
def test_file_from_the_next_mirror(pypi_mirror, mode, reason):
    events = []
    with FaultyMirror(pypi_mirror.url, mode) as faulty:
        # timeout 2 s: the tarpit's byte a second never stalls a read, so
        # it must be caught by the rate floor, which applies after the
        # stall limit (3 s here: the rule, not zc.buildout's 15 s, is the
        # contract under test).
        failover = Failover([faulty.url, pypi_mirror.url], timeout=2.0,
                            stall=3.0,
                            on_takeover=lambda *event: events.append(event))
        link = wheel_link(failover, faulty.url)
        assert link.startswith("http://127.0.0.1:%d/" % faulty.port)
        fetched = failover.fetch_file(link)
        data = fetched.read_all()
    assert fetched.url.startswith(pypi_mirror.url.rsplit("/simple", 1)[0])
    assert link.split("#sha256=")[1] == sha256(data)
    assert reason in events[0][2]


def test_a_mirror_failing_repeatedly_is_dropped(pypi_mirror):
    dropped = []
    with servers.refused_port() as refused:
        failover = Failover([refused, pypi_mirror.url], timeout=1.0,
                            on_drop=lambda *event: dropped.append(event))
        for project in ("six", "docopt", "six", "docopt"):
            assert failover.fetch_page(refused, "/%s/" % project).status == 200
    assert [event[0] for event in dropped] == [refused]
    assert failover.failures[refused] == 2  # not asked after the drop


def test_mirrors_listing_different_hashes_refuse_the_file(pypi_mirror):
    with FaultyMirror(pypi_mirror.url, "altered-pages") as tampering, \
            FaultyMirror(pypi_mirror.url, "die-after", after=1) as dying:
        failover = Failover([dying.url, tampering.url], timeout=1.0)
        link = wheel_link(failover, dying.url)  # the honest page
        with pytest.raises(IntegrityError, match="different sha256 hashes"):
            failover.fetch_file(link)
        assert tampering.downloads() == []  # refused before downloading


def test_a_tampering_mirror_is_caught_while_an_honest_one_is_live(
        pypi_mirror):
    """The tampering mirror is asked first, lists its altered wheel's
    hash and serves that wheel: its own checks pass.  The honest mirror's
    page, read in the background, disagrees (issue 20)."""
    with FaultyMirror(pypi_mirror.url, "altered-pages") as tampering:
        failover = Failover([tampering.url, pypi_mirror.url], timeout=2.0,
                            answered=[pypi_mirror.url])
        link = wheel_link(failover, tampering.url)
        with pytest.raises(IntegrityError, match="different sha256 hashes"):
            failover.fetch_file(link)
        with pytest.raises(IntegrityError):  # and it stays refused
            failover.fetch_file(link)


def test_a_backup_not_known_to_answer_gives_no_opinion(pypi_mirror):
    """A file never waits on a backup that may hang: only mirrors that
    answered (here, at the probe, or by the state) are asked."""
    with servers.FaultServer("hang") as hanging:
        failover = Failover([pypi_mirror.url, hanging.url], timeout=2.0)
        failover.fetch_file(wheel_link(failover, pypi_mirror.url))
        assert hanging.connections == 0


def test_honest_mirrors_agree_and_the_file_comes(pypi_mirror, devpi_mirror):
    failover = Failover([devpi_mirror.url, pypi_mirror.url], timeout=2.0,
                        answered=[pypi_mirror.url])
    fetched = failover.fetch_file(wheel_link(failover, devpi_mirror.url))
    assert fetched.status == 200 and len(fetched.read_all()) > 1000


def test_a_cold_cache_answering_slow_404s_is_asked_again(pypi_mirror):
    """A cold devpi answers 404 after seconds while it loads its project
    list: a slow 404 is asked again, patiently; a quick one is final."""
    with FaultyMirror(pypi_mirror.url, "warming", after=2,
                      delay=1.5) as warming:
        failover = Failover([warming.url], timeout=1.0)
        page = failover.fetch_page(warming.url, "/six/")
        assert page.status == 200 and warming.requests == ["/simple/six/"] * 3
        missing = failover.fetch_page(warming.url, "/no-such-project/")
        assert missing.status == 404
        assert warming.requests.count("/simple/no-such-project/") == 1


def test_a_file_with_a_known_hash_follows_a_redirect_to_another_https_host(
        pypi_mirror, private_ca):
    """proxpi sends a file it has not cached yet upstream: followed, as
    the page's hash makes the file trustworthy; never to plain http."""
    ca_file, context = private_ca
    port = urllib.parse.urlsplit(pypi_mirror.url).port
    with servers.LatencyProxy(("127.0.0.1", port), 0, context) as front, \
            FaultyMirror(pypi_mirror.url, "redirect-downloads-to",
                         redirect_to="https://localhost:%d" % front.port) \
            as proxpi:
        failover = Failover([proxpi.url], timeout=2.0, verify=str(ca_file))
        link = wheel_link(failover, proxpi.url)
        fetched = failover.fetch_file(link)
        assert sha256(fetched.read_all()) == link.split("#sha256=")[1]
        with pytest.raises(FetchError, match="refused"):
            failover.fetch_file(link.split("#")[0])  # no hash: not followed


def test_nothing_left_is_a_fetch_error(pypi_mirror):
    with servers.refused_port() as refused, servers.FaultServer(
            "error") as failing:
        failover = Failover([refused, failing.url], timeout=0.5)
        with pytest.raises(FetchError, match="no mirror could serve /six/"):
            failover.fetch_page(refused, "/six/")


def test_credentials_are_used_and_never_shown(pypi_mirror):
    with servers.refused_port() as refused:
        secret = refused.replace("http://", "http://bob:s3cr3t@")
        with servers.refused_port() as other:
            failover = Failover([secret, other.replace(
                "http://", "http://bob:s3cr3t@")], timeout=0.5)
            with pytest.raises(FetchError) as error:
                failover.fetch_page(secret, "/six/")
    assert "s3cr3t" not in str(error.value)
    assert "***@127.0.0.1" in str(error.value)
    assert failover.owner(refused + "/six/") == secret
