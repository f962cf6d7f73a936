"""A company's projects from the company only: the rule, in milliseconds.

PrivateProjects is plain logic; the failover's private route is driven
through small local servers (``servers.Answering``): a company index and a
public mirror, each answering what the test says, every request counted.
"""

import hashlib
import json
import types

import pytest

import servers
from buildout_mirrors.selection import options, private_projects
from buildout_mirrors.store import state
from buildout_mirrors.index.errors import ConfigError
from buildout_mirrors.selection.private_projects import PrivateProjects
from buildout_mirrors.selection.probe import HttpProber
from buildout_mirrors.failover.fetch import Failover
from buildout_mirrors.failover.private_route import PrivateIndexDown

COMPANY_FILE = b"the company's acme.tools 1.0.0"
PUBLIC_FILE = b"an attacker's acme.tools 2.0.0"


def page(*names_and_bodies):
    links = "".join('<a href="/files/%s#sha256=%s">%s</a>' % (
        name, hashlib.sha256(body).hexdigest(), name)
        for name, body in names_and_bodies)
    return "<html><body>%s</body></html>" % links


def index(projects, files=None, down=False):
    """An answer function: *projects* {normalised name: page HTML}."""
    def answer(path):
        if down:
            return 503, {}, b"down"
        if path in ("/simple/", "/simple"):
            return 200, {"Content-Type": "text/html"}, "".join(
                '<a href="/simple/%s/">%s</a>' % (name, name)
                for name in projects).encode()
        name = path[len("/simple/"):].strip("/")
        if path.startswith("/files/"):
            body = (files or {}).get(path[len("/files/"):])
            return (200, {}, body) if body is not None else (404, {}, b"")
        if name in projects:
            return 200, {"Content-Type": "text/html"}, \
                projects[name].encode()
        return 404, {}, b"not here"
    return answer


@pytest.fixture
def company():
    with servers.Answering(index(
            {"acme-tools": page(("acme.tools-1.0.0.tar.gz", COMPANY_FILE))},
            {"acme.tools-1.0.0.tar.gz": COMPANY_FILE})) as server:
        yield server


@pytest.fixture
def public():
    with servers.Answering(index(
            {"acme-tools": page(("acme.tools-2.0.0.tar.gz", PUBLIC_FILE)),
             "six": page(("six-1.16.0.tar.gz", b"six"))},
            {"acme.tools-2.0.0.tar.gz": PUBLIC_FILE,
             "six-1.16.0.tar.gz": b"six"})) as server:
        yield server


def failover(public, private, learned=None):
    learned_now = []
    engine = Failover([public.url], timeout=1.0, stall=2.0,
                      private=private)
    engine.private.on_learned = lambda index, name: learned_now.append(
        (index, name))
    return engine, learned_now


def body_of(response):
    with response.body:
        return response.body.read()


def test_a_project_the_company_serves_comes_from_the_company(company,
                                                             public):
    projects = PrivateProjects([company.url])
    engine, learned = failover(public, projects)
    answer = engine.fetch_page(public.url, "/acme-tools/")
    assert b"acme.tools-1.0.0" in body_of(answer)
    assert learned == [(company.url, "acme-tools")]
    assert not any("acme" in path for path in public.requests)
    # Its file too, from the company, never looked up publicly.
    link = company.url.replace("/simple", "") + \
        "/files/acme.tools-1.0.0.tar.gz#sha256=" + \
        hashlib.sha256(COMPANY_FILE).hexdigest()
    assert body_of(engine.fetch(link, "*/*")) == COMPANY_FILE
    assert not any("acme" in path for path in public.requests)


def test_a_project_the_company_lacks_comes_from_the_pool(company, public):
    projects = PrivateProjects([company.url])
    engine, learned = failover(public, projects)
    assert b"six-1.16.0" in body_of(engine.fetch_page(public.url, "/six/"))
    assert learned == []
    # Asked once a run: the 404 is remembered.
    body_of(engine.fetch_page(public.url, "/six/"))
    assert company.requests.count("/simple/six/") == 1


def test_a_learned_project_never_goes_public_while_its_index_is_down(
        public):
    with servers.Answering(index({}, down=True)) as company:
        projects = PrivateProjects([company.url], learned={
            company.url: ["acme-tools"]})
        engine, _ = failover(public, projects)
        with pytest.raises(PrivateIndexDown) as caught:
            engine.fetch_page(public.url, "/acme-tools/")
        assert company.url in str(caught.value)
        assert "\n" not in str(caught.value)
        # Another project still comes from the pool.
        assert b"six" in body_of(engine.fetch_page(public.url, "/six/"))
    assert not any("acme" in path for path in public.requests)


def test_a_declared_project_with_no_private_index_is_refused(public):
    projects = PrivateProjects([], declared=["acme.*"])
    engine, _ = failover(public, projects)
    with pytest.raises(PrivateIndexDown, match="mirrors-private"):
        engine.fetch_page(public.url, "/acme-tools/")
    assert public.requests == []


def test_a_declared_project_the_company_lacks_is_a_404_not_a_public_page(
        company, public):
    projects = PrivateProjects([company.url], declared=["acme-*"])
    engine, _ = failover(public, projects)
    answer = engine.fetch_page(public.url, "/acme-other/")
    assert answer.status == 404
    assert public.requests == []


def test_an_unknown_project_while_the_company_is_down_comes_from_the_pool(
        public):
    downs = []
    with servers.Answering(index({}, down=True)) as company:
        projects = PrivateProjects([company.url])
        engine, _ = failover(public, projects)
        engine.private.on_down = lambda index, reason: downs.append(index)
        body_of(engine.fetch_page(public.url, "/six/"))
        body_of(engine.fetch_page(public.url, "/six/"))
    assert downs == [company.url]  # said once, asked once
    assert company.requests == ["/simple/six/"]


def test_a_refusing_company_index_is_a_failure_not_a_missing_project(
        public):
    def answer(path):
        return 401, {}, b"who are you?"
    with servers.Answering(answer) as company:
        projects = PrivateProjects([company.url], learned={
            company.url: ["acme-tools"]})
        engine, _ = failover(public, projects)
        with pytest.raises(PrivateIndexDown, match="HTTP 401"):
            engine.fetch_page(public.url, "/acme-tools/")


def test_names_globs_and_labels():
    projects = PrivateProjects(
        ["https://u:secret@acme.example/simple"], declared=["Acme.*"],
        learned={"https://***@acme.example/simple": ["acme-internal"],
                 "https://other.example/simple": ["ignored"]})
    index_url = projects.indexes[0]
    assert projects.owners("ACME_internal") == (index_url,)
    assert projects.owners("acme.web") == (index_url,)
    assert projects.owners("ignored") is None
    assert projects.owners("six") is None
    assert projects.served(index_url, "Zc.Thing") is True
    assert projects.served(index_url, "zc-thing") is False
    projects.failed(index_url, "refused")
    assert projects.to_ask("six") == ()


def test_for_run_takes_declared_curated_and_remembered_indexes():
    company = "https://acme.example/simple"
    public = "https://mirror.example/simple"
    settings = types.SimpleNamespace(private=(), private_projects=(),
                                     candidates=(company, public))
    curated = types.SimpleNamespace(url=company, ok=False, curated=True)
    assert private_projects.for_run(settings, [curated], {}).indexes == (
        company,)
    # Remembered from an earlier run, while it is down now.
    down = types.SimpleNamespace(url=company, ok=False, curated=False)
    assert private_projects.for_run(settings, [down], {
        company: []}).indexes == (company,)
    # Remembered, but the probe found a mirror there this time.
    mirror = types.SimpleNamespace(url=company, ok=True, curated=False)
    assert private_projects.for_run(settings, [mirror], {
        company: []}).indexes == ()


def test_options_private_indexes_leave_the_pool():
    settings = options.parse({
        "mirrors": "https://acme.example/simple https://m.example/simple",
        "mirrors-private": "https://acme.example/simple",
        "mirrors-private-projects": "acme.* acme-?"}, environ={})
    assert settings.candidates == ("https://m.example/simple",)
    assert settings.private == ("https://acme.example/simple",)
    assert settings.private_projects == ("acme.*", "acme-?")


@pytest.mark.parametrize("raw, message", [
    ({"mirrors-private": "file:///srv/acme"}, "asked over https"),
    ({"mirrors-private-projects": "acme tools/x"}, "neither a project"),
    ({"mirrors-private": "http://acme.example/simple"}, "http"),
])
def test_bad_private_options_are_one_clear_error(raw, message):
    raw = dict(raw, mirrors="https://m.example/simple")
    with pytest.raises(ConfigError, match=message) as caught:
        options.parse(raw, environ={})
    assert "\n" not in str(caught.value)


def test_the_state_keeps_names_only():
    stored = state.empty()
    state.learn_private(stored, "https://u:pw@acme.example/simple",
                        ["acme-tools"])
    state.learn_private(stored, "https://u:pw@acme.example/simple",
                        ["acme-tools", "acme-web"])
    assert stored["private"] == {"https://***@acme.example/simple": [
        "acme-tools", "acme-web"]}
    text = json.dumps(stored)
    assert "pw" not in text
    kept, dropped = state.validated(dict(stored, private={
        "x": ["acme-tools"], "y": ["Not Normalised"], "z": "acme"}))
    assert kept["private"] == {"x": ["acme-tools"]}
    assert len(dropped) == 2


def test_the_probe_calls_a_live_index_without_zc_buildout_curated(company):
    import time
    result = HttpProber().probe_index(company.url, ("zc.buildout",),
                                      time.monotonic() + 5)
    assert not result.ok and result.curated
    assert "curated" in result.reason
    with servers.Answering(lambda path: (404, {}, b"")) as nothing:
        result = HttpProber().probe_index(nothing.url, ("zc.buildout",),
                                          time.monotonic() + 5)
    assert not result.ok and not result.curated


def test_a_server_home_page_is_no_curated_index_and_a_missing_simple_is_named(
        ):
    import time

    def home(path):
        if path == "/simple/zc-buildout/":
            return 200, {"Content-Type": "text/html"}, \
                b'<a href="/f/zc.buildout-6.0.tar.gz">zc.buildout-6.0.tar.gz</a>'
        if path == "/":
            return 200, {"Content-Type": "text/html"}, \
                b'<a href="/simple/">the simple index</a> <a href="/packages/">'
        return 404, {}, b""
    with servers.Answering(home) as server:
        root = server.url[:-len("/simple")]
        result = HttpProber().probe_index(root, ("zc.buildout",),
                                          time.monotonic() + 5)
    assert not result.ok and not result.curated
    assert result.reason.endswith("did you mean %s/simple?" % root)


@pytest.mark.parametrize("root, text, lists", [
    ("http://h/simple", '<a href="/simple/acme-tools/">acme.tools</a>',
     True),
    ("http://h/acme/dev/+simple", '<a href="acme_tools/">Acme-Tools</a>',
     True),
    ("http://h/simple", '{"meta": {"api-version": "1.0"}, "projects": []}',
     True),
    # pypiserver's home page, when "/simple" was left out of the URL:
    ("http://h", 'all packages <a href="/packages/">here</a> or via the '
     '<a href="/simple/">simple</a> index; <a href="https://pypi.org/'
     'project/pypiserver/">pypiserver</a>', False),
    ("http://h/simple", '<a href="/elsewhere/acme-tools/">acme-tools</a>',
     False),
    ("http://h", "<html>Welcome to pypiserver!</html>", False),
    ("http://h", '{"result": {}}', False),
])
def test_what_reads_as_an_index_root(root, text, lists):
    from buildout_mirrors.index import pages
    assert pages.lists_projects(text, root) is lists


def test_a_private_file_that_fails_is_never_looked_up_publicly(public):
    """The company lists its file but cannot send it: one error, and the
    public mirror never hears the name (it would look the file up on
    its own page)."""
    serve = index(
        {"acme-tools": page(("acme.tools-1.0.0.tar.gz", COMPANY_FILE))},
        files={})  # listed, never served: 404
    with servers.Answering(serve) as company:
        engine, _ = failover(public, PrivateProjects([company.url]))
        body_of(engine.fetch_page(public.url, "/acme-tools/"))
        link = company.url.replace("/simple", "") + \
            "/files/acme.tools-1.0.0.tar.gz#sha256=" + \
            hashlib.sha256(COMPANY_FILE).hexdigest()
        with pytest.raises(PrivateIndexDown, match="never taken from a "
                           "public mirror"):
            engine.fetch(link, "*/*")
    assert not any("acme" in path for path in public.requests)


def test_the_look_ahead_keeps_the_first_index_rule(company, public):
    """A page fetched ahead goes the way buildout's own request goes: a
    project the company serves is asked of the company, and the public
    mirror never hears its name, ahead of time or not."""
    from buildout_mirrors.failover.lookahead import LookAhead
    projects = PrivateProjects([company.url])
    engine, learned = failover(public, projects)
    look = engine.lookahead = LookAhead(
        engine, public.url, {"acme.tools": "1.0.0", "six": "1.16.0"})
    try:
        look.want(["acme.tools", "six"])
        for name in ("acme-tools", "six"):
            look._pages[name].result(timeout=10)
        with look._lock:
            files = [future for _, future in look._files.values()]
        for future in files:
            future.result(timeout=10)
        answer = engine.fetch(public.url + "/acme.tools/", "text/html")
        assert b"acme.tools-1.0.0" in body_of(answer)
        link = company.url.replace("/simple", "") + \
            "/files/acme.tools-1.0.0.tar.gz#sha256=" + \
            hashlib.sha256(COMPANY_FILE).hexdigest()
        assert body_of(engine.fetch(link, "*/*")) == COMPANY_FILE
        assert look.served == 1
        assert not any("acme" in path for path in public.requests)
        assert "/simple/six/" in public.requests
    finally:
        engine.close()
