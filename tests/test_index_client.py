"""The index client and its users, against a small index of our own on
127.0.0.1 that answers as real gateways do: PEP 691 JSON with header
names in lower case, files whose hashes may lie.  Each test here kills a
mutant that the rest of the suite let live (issue 24)."""

import hashlib
import json
import time
import urllib.request

import pytest

import servers
from buildout_mirrors.bootstrapping import environment
from buildout_mirrors.bootstrapping.console import BootstrapError
from buildout_mirrors.index import connection, pages, urls
from buildout_mirrors.selection.probe import HttpProber
from buildout_mirrors.failover.fetch import Failover
from buildout_mirrors.failover.pipproxy import PipProxy

WHEEL = b"not really a wheel, but bytes with a hash"
WHEEL_NAME = "six-1.16.0-py2.py3-none-any.whl"


class JsonIndex(servers.Answering):
    """``/simple/six/`` as PEP 691 JSON, sent with ``content-type`` in
    lower case; ``/files/<name>`` serves WHEEL.  *listed_hash* is what the
    page claims; ``requests`` records every path asked."""

    def __init__(self, listed_hash=None):
        listed_hash = listed_hash or hashlib.sha256(WHEEL).hexdigest()

        def answer(path):
            if path.startswith("/simple/six/"):
                return 200, {"content-type": pages.JSON_CONTENT_TYPE}, \
                    json.dumps({"meta": {"api-version": "1.0"},
                                "name": "six",
                                "files": [{"filename": WHEEL_NAME,
                                           "url": "/files/" + WHEEL_NAME,
                                           "hashes": {"sha256": listed_hash}}]
                                }).encode()
            if path == "/files/" + WHEEL_NAME:
                return 200, {"content-type": "application/octet-stream"}, \
                    WHEEL
            return 404, {}, b""
        super().__init__(answer)


@pytest.fixture(autouse=True)
def no_proxies(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)


def test_the_probe_reads_json_sent_with_a_lower_case_content_type():
    with JsonIndex() as index:
        result = HttpProber().probe_index(index.url, ["six"],
                                          time.monotonic() + 10)
    assert result.ok, result.reason
    assert result.files == {WHEEL_NAME}


def test_pips_index_passes_json_on_with_its_content_type_and_own_links():
    with JsonIndex() as index:
        proxy = PipProxy(Failover([index.url], timeout=2.0), index.url)
        proxy.start()
        try:
            request = urllib.request.Request(
                proxy.url + "/six/", headers={
                    "Accept": pages.JSON_CONTENT_TYPE,
                    "Authorization": urls.basic_auth("buildout-mirrors",
                                                     proxy.token)})
            opener = urllib.request.build_opener(
                urllib.request.ProxyHandler({}))
            with opener.open(request, timeout=10) as response:
                kind = response.headers["Content-Type"]
                data = json.loads(response.read())
        finally:
            proxy.stop()
    assert kind == pages.JSON_CONTENT_TYPE
    assert data["files"][0]["url"].startswith(proxy.root + "/file/")


def test_a_file_whose_listing_mirror_was_dropped_comes_from_another():
    with JsonIndex() as dropped, JsonIndex() as other:
        failover = Failover([dropped.url, other.url], timeout=2.0)
        page = failover.fetch_page(dropped.url, "/six/",
                                   pages.JSON_CONTENT_TYPE)
        link = pages.parse(page.read_all(), pages.JSON_CONTENT_TYPE,
                           page.url).files[WHEEL_NAME]
        failover.book.drop(dropped.url, "dropped for the test")
        asked = len(dropped.requests)
        fetched = failover.fetch_file(link)
    assert fetched.read_all() == WHEEL
    assert len(dropped.requests) == asked  # not asked again
    assert any(path.startswith("/files/") for path in other.requests)


def test_bootstraps_pip_wheel_with_a_wrong_hash_is_refused(tmp_path):
    with JsonIndex(listed_hash="0" * 64) as index:
        context = connection.LazyContext()
        files = environment._project_files(index.url, "six", context)
        with pytest.raises(BootstrapError) as error:
            environment._download(files[WHEEL_NAME],
                                  str(tmp_path / WHEEL_NAME), context)
    assert "does not match its hash" in str(error.value)


def test_bootstraps_pip_wheel_with_the_right_hash_is_saved(tmp_path):
    with JsonIndex() as index:
        context = connection.LazyContext()
        files = environment._project_files(index.url, "six", context)
        environment._download(files[WHEEL_NAME], str(tmp_path / WHEEL_NAME),
                              context)
    assert (tmp_path / WHEEL_NAME).read_bytes() == WHEEL
