"""Faster than plain: keep-alive connections, and the look-ahead that
fetches the pinned requirements of each distribution while buildout
installs, against small servers on 127.0.0.1 that count every request."""

import hashlib
import io
import tarfile
import threading
import zipfile

import pytest

import servers
from buildout_mirrors.index import dist_requirements, pinned_file
from buildout_mirrors.store import state
from buildout_mirrors.index import transport
from buildout_mirrors.index.keepalive import ConnectionPool
from buildout_mirrors.failover.fetch import Failover
from buildout_mirrors.failover.lookahead import LookAhead

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def no_proxies(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)


def wheel(project, version, requires=()):
    """The bytes of a wheel of *project* that declares *requires*."""
    stem = "%s-%s" % (project.replace("-", "_"), version)
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr(stem + ".dist-info/METADATA", "".join(
            ["Metadata-Version: 2.1\nName: %s\nVersion: %s\n"
             % (project, version)] +
            ["Requires-Dist: %s\n" % line for line in requires]))
        archive.writestr(project.replace("-", "_") + "/__init__.py", "")
    return stem + "-py3-none-any.whl", data.getvalue()


class Index:
    """An index of wheels, served by servers.Answering: {project: [(file
    name, bytes)]}; a page's links carry each file's sha256, or
    *wrong_hash* for the names listed there."""

    def __init__(self, projects, wrong_hash=(), keep_alive=True):
        self.files = {name: data for files in projects.values()
                      for name, data in files}
        self.projects, self.wrong_hash = projects, set(wrong_hash)
        self.server = servers.Answering(self.answer, keep_alive=keep_alive)

    def answer(self, path):
        path = path.split("/", 2)[-1]  # after /simple or /packages
        if path.rstrip("/") in self.projects:
            links = "".join(
                '<a href="../../packages/%s#sha256=%s">%s</a>\n' % (
                    name, "0" * 64 if name in self.wrong_hash else
                    hashlib.sha256(data).hexdigest(), name)
                for name, data in self.projects[path.rstrip("/")])
            return 200, {"Content-Type": "text/html"}, links.encode()
        if path in self.files:
            return 200, {"Content-Type": "application/octet-stream"}, \
                self.files[path]
        return 404, {}, b"not here"

    def asked(self):
        return sorted(self.server.requests)


ROOT = wheel("root", "1.0", ["dep-a", "Dep.B>=1", "unpinned-c",
                            "dep-d; python_version < '3'",
                            "dep-x; extra == 'test'"])
PROJECTS = {
    "root": [ROOT],
    "dep-a": [wheel("dep-a", "1.0", ["dep-e"]), wheel("dep-a", "0.9")],
    "dep-b": [wheel("dep-b", "2.0")],
    "unpinned-c": [wheel("unpinned-c", "1.0")],
    "dep-d": [wheel("dep-d", "1.0")],
    "dep-e": [wheel("dep-e", "3.0")],
    "dep-x": [wheel("dep-x", "1.0")],
}
PINS = {"root": "1.0", "Dep_A": "1.0", "dep-b": "2.0", "dep-d": "1.0",
        "dep-e": "3.0", "dep-x": "1.0"}


def file_url(index, name, data):
    return "%s/packages/%s#sha256=%s" % (
        index.server.url.rsplit("/simple", 1)[0], name,
        hashlib.sha256(data).hexdigest())


def settle(look, names):
    """Wait until the look-ahead has fetched *names*' pages (and files)."""
    for name in names:
        future = look._pages.get(name)
        if future is not None:
            future.result(timeout=10)
    with look._lock:
        files = [future for _, future in look._files.values()]
    for future in files:
        future.result(timeout=10)


def test_a_distribution_brings_its_pinned_requirements_ahead():
    index = Index(PROJECTS)
    with index.server:
        failover = Failover([index.server.url], timeout=2.0)
        look = failover.lookahead = LookAhead(
            failover, index.server.url, PINS,
            have=lambda name, version: name.lower() == "dep.b")
        try:
            root = failover.fetch(file_url(index, *ROOT), "*/*")
            assert root.read_all() == ROOT[1]
            settle(look, ["dep-a"])
            settle(look, ["dep-e"])
            # Pinned and declared only: not dep-b (installed), not
            # unpinned-c, not dep-d (its marker is false here), not the
            # extra's dep-x; dep-e comes because dep-a's file declares it.
            assert index.asked() == sorted([
                "/packages/" + ROOT[0], "/simple/dep-a/",
                "/packages/" + PROJECTS["dep-a"][0][0], "/simple/dep-e/",
                "/packages/" + PROJECTS["dep-e"][0][0]])
            # buildout's own requests are answered from what came ahead,
            # by any spelling of the name, and ask nothing more.
            page = failover.fetch(index.server.url + "/Dep.A/", "text/html")
            assert PROJECTS["dep-a"][0][0].encode() in page.read_all()
            fetched = failover.fetch(file_url(index, *PROJECTS["dep-a"][0]),
                                     "*/*")
            assert fetched.read_all() == PROJECTS["dep-a"][0][1]
            assert len(index.server.requests) == 5
            assert (look.asked, look.served) == (2, 1)
            assert look.downloaded == {"root", "dep-a", "dep-e"}
        finally:
            failover.close()


def test_a_file_ahead_whose_hash_is_wrong_is_never_handed_over():
    projects = dict(PROJECTS, root=[wheel("root", "1.0", ["dep-e"])])
    index = Index(projects, wrong_hash={PROJECTS["dep-e"][0][0]})
    with index.server:
        failover = Failover([index.server.url], timeout=2.0)
        look = failover.lookahead = LookAhead(failover, index.server.url,
                                              PINS)
        try:
            failover.fetch(file_url(index, *projects["root"][0]), "*/*")
            settle(look, ["dep-e"])
            name, data = PROJECTS["dep-e"][0]
            wrong = "%s/packages/%s#sha256=%s" % (
                index.server.url.rsplit("/simple", 1)[0], name, "0" * 64)
            assert look.claim(wrong, "*/*") is None
            with pytest.raises(transport.FetchError, match="sha256"):
                failover.fetch(wrong, "*/*")
        finally:
            failover.close()


def test_a_page_still_queued_is_given_up_and_fetched_at_once():
    index = Index(PROJECTS)
    entered, release = threading.Event(), threading.Event()
    with index.server:
        failover = Failover([index.server.url], timeout=2.0)
        look = LookAhead(failover, index.server.url, PINS, workers=1)
        original = failover.fetch_page

        def held_page(first, relative, accept="text/html"):
            if relative == "/dep-a/":  # the one worker is held on dep-a
                entered.set()
                release.wait(20)
            return original(first, relative, accept)
        failover.fetch_page = held_page
        failover.lookahead = look
        try:
            look.want(["dep-a", "dep-e"])
            assert entered.wait(10)
            # dep-e is queued behind dep-a: buildout does not wait for it.
            page = failover.fetch(index.server.url + "/dep-e/", "text/html")
            assert page.status == 200
            # Answered while the worker still holds dep-a, not after it.
            assert index.asked() == ["/simple/dep-e/"]
            release.set()
            settle(look, ["dep-a"])
        finally:
            release.set()
            failover.close()


def test_keep_alive_uses_one_connection_per_host():
    index = Index(PROJECTS)
    with index.server:
        pool = ConnectionPool()
        for project in ("root", "dep-a", "dep-e"):
            assert transport.get(index.server.url + "/%s/" % project,
                                 pool=pool).status == 200
        pool.close()
        assert index.server.connections == 1 and pool.reused == 2
        for project in ("root", "dep-a"):
            transport.get(index.server.url + "/%s/" % project)
        assert index.server.connections == 3  # no pool: one each


@pytest.mark.parametrize("looks_alive", [False, True])
def test_a_connection_the_server_closed_costs_nothing(monkeypatch,
                                                      looks_alive):
    """HTTP/1.1 without "Connection: close", then the server hangs up (a
    keep-alive timeout of 0).  The pool sees it closed and opens a fresh
    one; and when the close arrives only as the connection is reused
    (*looks_alive*: the check is made to miss it), the request is sent
    again on a fresh connection, no failure."""
    import http.server
    from buildout_mirrors.index import keepalive
    if looks_alive:
        monkeypatch.setattr(keepalive, "_dropped", lambda connection: False)
    connections = []

    class ClosingHandler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self):
            super().setup()
            connections.append(1)

        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")
            self.close_connection = True

        def log_message(self, *args):
            pass
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             ClosingHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        pool = ConnectionPool()
        url = "http://127.0.0.1:%d/simple/" % server.server_port
        for _ in range(3):
            assert transport.get(url, pool=pool).read_all() == b"ok"
            threading.Event().wait(0.05)  # the server's close arrives
        assert len(connections) == 3
        assert pool.reused == (2 if looks_alive else 0)
    finally:
        server.shutdown()
        server.server_close()


def test_a_kept_connection_that_hangs_fails_within_the_first_byte_limit():
    answers = []

    def answer(path):
        answers.append(path)
        if len(answers) > 1:
            threading.Event().wait(5)
        return 200, {}, b"ok"
    with servers.Answering(answer, keep_alive=True) as server:
        pool = ConnectionPool()
        limits = transport.Limits(first_byte=0.5, stall=0.5)
        transport.get(server.url + "/a/", limits=limits, pool=pool)
        with pytest.raises(transport.FetchError) as caught:
            transport.get(server.url + "/b/", limits=limits, pool=pool)
        assert caught.value.kind == "silent" and pool.reused == 1
        pool.close()


def test_the_pinned_file_is_the_one_buildout_picks():
    files = {
        "six-1.16.0.tar.gz": "https://m/six-1.16.0.tar.gz",
        "six-1.16.0-py2.py3-none-any.whl":
            "https://m/six-1.16.0-py2.py3-none-any.whl#sha256=ab",
        "six-1.17.0-py2.py3-none-any.whl": "https://m/six-1.17.0.whl",
        "six-1.16.0-cp27-cp27m-win32.whl": "https://m/zz-win32.whl",
    }
    assert pinned_file.pick(files, "Six", "1.16") == \
        "https://m/six-1.16.0-py2.py3-none-any.whl#sha256=ab"
    only_sdist = {"docopt-0.6.2.tar.gz": "https://m/docopt-0.6.2.tar.gz",
                  "docopt-0.6.2-cp27-none-win32.whl": "https://m/w.whl"}
    assert pinned_file.pick(only_sdist, "docopt", "0.6.2") == \
        "https://m/docopt-0.6.2.tar.gz"
    # An egg of the version makes the guess unsure; none of it: nothing.
    assert pinned_file.pick(dict(files, **{
        "six-1.16.0-py3.11.egg": "https://m/e.egg"}), "six", "1.16.0") \
        is None
    assert pinned_file.pick(files, "six", "2.0") is None
    assert pinned_file.pick(files, "six", "not a version") is None


def test_requirements_are_read_from_wheels_and_sdists():
    name, data = wheel("a", "1", ["b>=1", "c; python_version < '3'",
                                  "d; extra == 'test'", "E[x]"])
    assert dist_requirements.requirements(io.BytesIO(data), name) == \
        ["b", "E"]
    sdist = io.BytesIO()
    with tarfile.open(fileobj=sdist, mode="w:gz") as archive:
        for member, text in (
                ("a-1/PKG-INFO", "Metadata-Version: 1.1\nName: a\n"),
                ("a-1/a.egg-info/requires.txt",
                 "b\n[:python_version < '3']\nc\n[test]\nd\n")):
            info = tarfile.TarInfo(member)
            info.size = len(text)
            archive.addfile(info, io.BytesIO(text.encode()))
    sdist.seek(0)
    assert dist_requirements.requirements(sdist, "a-1.tar.gz") == ["b"]
    assert dist_requirements.requirements(io.BytesIO(b"PK\x03\x04junk"),
                                          "a-1-py3-none-any.whl") == []


def test_the_downloads_of_a_buildout_are_remembered_newest_first():
    stored = state.empty()
    state.remember_downloads(stored, "/srv/site", ["six", "zope-interface"])
    state.remember_downloads(stored, "/srv/site", ["docopt", "six"])
    state.remember_downloads(stored, "/srv/other", ["lxml"])
    assert state.downloads(stored, "/srv/site") == [
        "docopt", "six", "zope-interface"]
    assert state.downloads(stored, "/srv/nowhere") == []
    kept, dropped = state.validated(dict(stored, downloads={
        "k": ["../etc"], "ok": ["six"]}))
    assert kept["downloads"] == {"ok": ["six"]} and dropped
