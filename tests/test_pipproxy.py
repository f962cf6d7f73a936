"""pip's local failover index trusts no local process: a random token as
Basic credentials from a private netrc (never in a URL), only the paths
pip asks for, only files a served page listed, credentials only for the
mirror that listed the file, and hash checks that fail over."""

import netrc
import os
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from buildout_mirrors.index import urls
from buildout_mirrors.failover.fetch import Failover
from buildout_mirrors.failover.pipproxy import PipProxy
from faulty import FaultyMirror

NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def get(url, token=None, proxy=None):
    """GET *url*; with *proxy*, as pip does: its token from its netrc."""
    request = urllib.request.Request(url)
    if proxy is not None:
        request.add_header("Authorization", urls.basic_auth(
            "buildout-mirrors", proxy.token if token is None else token))
    try:
        with NO_PROXY.open(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@pytest.fixture
def proxy_for():
    started = []

    def start(candidates):
        proxy = PipProxy(Failover(candidates, timeout=2.0), candidates[0])
        proxy.start()
        started.append(proxy)
        return proxy
    yield start
    for proxy in started:
        proxy.stop()


def file_links(page):
    return re.findall(r'href="([^"]+)"', page.decode())


def test_requests_without_the_token_are_not_found(pypi_mirror, proxy_for):
    proxy = proxy_for([pypi_mirror.url])
    assert len(proxy.token) >= 24 and proxy.token not in proxy.url
    assert get(proxy.url + "/six/", proxy=proxy)[0] == 200
    before = pypi_mirror.log_size()
    wrong = "x" * len(proxy.token)  # the right length, the wrong token
    assert wrong != proxy.token
    for token in (None, wrong, proxy.token[:-1]):
        status = get(proxy.url + "/docopt/", token=token,
                     proxy=proxy if token is not None else None)[0]
        assert status == 404, token
    assert "docopt" not in pypi_mirror.requests_since(before)


def test_only_the_paths_pip_asks_for_are_answered(pypi_mirror, proxy_for):
    proxy = proxy_for([pypi_mirror.url])
    before = pypi_mirror.log_size()
    for path in ("/simple/../../private/admin", "/simple/six/../../x/",
                 "/simple/Six/", "/simple/six", "/simple/six/?x=1",
                 "/simple/six/extra/", "/elsewhere", "/file/0",
                 "/file/0/x.whl/more", "/%2e%2e/simple/six/"):
        assert get(proxy.root + path, proxy=proxy)[0] == 404, path
    assert pypi_mirror.requests_since(before) == ""


def test_the_token_comes_from_a_private_netrc_after_the_users_own(
        pypi_mirror, proxy_for, tmp_path, monkeypatch):
    users = tmp_path / "users-netrc"
    users.write_text("machine mirror.example login me password mine\n")
    monkeypatch.setenv("NETRC", str(users))
    proxy = proxy_for([pypi_mirror.url])
    path = proxy.environ()["NETRC"]
    assert os.stat(path).st_mode & 0o077 == 0
    parsed = netrc.netrc(path)
    login, _, password = parsed.authenticators("127.0.0.1")
    assert (login, password) == ("buildout-mirrors", proxy.token)
    assert parsed.authenticators("mirror.example")[2] == "mine"
    proxy.stop()
    assert not os.path.exists(path)


def test_only_files_a_served_page_listed(pypi_mirror, proxy_for):
    proxy = proxy_for([pypi_mirror.url])
    # Nothing listed yet: no file, whatever is asked.
    assert get(proxy.root + "/file/0/six-1.16.0-py2.py3-none-any.whl",
               proxy=proxy)[0] == 404
    # The old way, a quoted URL of the caller's choosing, is gone.
    private = urllib.parse.quote(pypi_mirror.url.rsplit("/simple")[0]
                                 + "/private", safe="")
    assert get(proxy.root + "/file/%s/x.whl" % private, proxy=proxy)[0] \
        == 404
    status, page = get(proxy.url + "/six/", proxy=proxy)
    links = file_links(page)
    assert links and all(link.startswith(proxy.root + "/file/")
                         for link in links)
    status, body = get(links[0].split("#")[0], proxy=proxy)
    assert status == 200 and len(body) > 1000
    assert get(proxy.root + "/file/%d/x.whl" % 99, proxy=proxy)[0] == 404


def test_credentials_go_only_to_the_mirror_that_listed_the_file(
        pypi_mirror, proxy_for):
    # The private mirror's page links its files absolutely to another
    # host (here, a second relay): that host must not get the password.
    with FaultyMirror(pypi_mirror.url, "passthrough") as files_host, \
            FaultyMirror(pypi_mirror.url, "auth-required",
                         credentials="deployer:s3cr3t") as private:
        private_url = private.url.replace("http://", "http://deployer:s3cr3t@")
        proxy = proxy_for([private_url])
        status, page = get(proxy.url + "/six/", proxy=proxy)
        assert status == 200
        # Rewrite what the proxy was given: files on another host.
        number = len(proxy._files)
        proxy._files.append(files_host.url.rsplit("/simple")[0]
                            + "/packages/six-1.16.0-py2.py3-none-any.whl")
        assert get(proxy.root + "/file/%d/six.whl" % number,
                   proxy=proxy)[0] == 200
    assert private.authorizations[-1].startswith("Basic ")
    assert files_host.authorizations == [""]


def test_a_tampered_file_fails_over_on_the_pip_path(pypi_mirror, proxy_for):
    with FaultyMirror(pypi_mirror.url, "corrupt-downloads") as corrupt:
        proxy = proxy_for([corrupt.url, pypi_mirror.url])
        status, page = get(proxy.url + "/six/", proxy=proxy)
        link = [link for link in file_links(page) if ".whl" in link][0]
        status, body = get(link.split("#")[0], proxy=proxy)
        assert corrupt.downloads()
    import hashlib
    assert status == 200
    assert hashlib.sha256(body).hexdigest() == link.split("#sha256=")[1]


def test_a_link_that_is_no_url_is_dropped_and_the_page_still_served(
        proxy_for):
    """``href="http://[x/..."`` used to raise in the proxy's thread: a
    traceback for each of pip's retries, and a failed build."""
    import servers
    page = (b'<a href="http://[x/y-1.0.tar.gz">y-1.0.tar.gz</a>\n'
            b'<a href="/files/y-2.0.tar.gz#sha256=' + b"a" * 64 +
            b'">y-2.0.tar.gz</a>')
    with servers.Answering(lambda path: (200, {"Content-Type": "text/html"},
                                         page)) as index:
        proxy = proxy_for([index.url])
        status, body = get(proxy.url + "/y/", proxy=proxy)
    assert status == 200
    assert b'href=""' in body
    assert [link for link in file_links(body)
            if link.startswith(proxy.root + "/file/")]


def test_a_page_redirected_off_the_mirror_is_not_here_and_no_failure(
        proxy_for):
    """pypiserver's default fallback answers a project it lacks with a
    redirect to pypi.org: pip gets a 404 from the mirror (or the page of
    the next mirror that has it), nothing leaves, nobody is ejected."""
    import servers

    def fallback(path):
        return 303, {"Location": "https://pypi.org" + path}, b""

    def has_six(path):
        if path == "/simple/six/":
            return 200, {"Content-Type": "text/html"}, \
                b'<a href="/f/six-1.0.tar.gz">six-1.0.tar.gz</a>'
        return 404, {}, b""
    with servers.Answering(fallback) as first, \
            servers.Answering(has_six) as second:
        alone = proxy_for([first.url])
        for _ in range(3):  # more than MAX_FAILURES
            assert get(alone.url + "/unknown/", proxy=alone)[0] == 404
        assert not alone.failover.dropped
        assert alone.failover.live() == [first.url]
        both = proxy_for([first.url, second.url])
        status, body = get(both.url + "/six/", proxy=both)
        assert status == 200 and b"six-1.0.tar.gz" in body
        assert both.failover.live() == [first.url, second.url]
