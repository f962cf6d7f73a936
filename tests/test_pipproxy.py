"""pip's local failover index trusts no local process: a random token in
every path, only files a served page listed, credentials only for the
mirror that listed the file, and hash checks that fail over."""

import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from buildout_mirrors.failover.fetch import Failover
from buildout_mirrors.failover.pipproxy import PipProxy
from faulty import FaultyMirror

NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def get(url):
    try:
        with NO_PROXY.open(url, timeout=10) as response:
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


def test_paths_without_the_token_are_not_found(pypi_mirror, proxy_for):
    proxy = proxy_for([pypi_mirror.url])
    root = proxy.url.rsplit("/", 2)[0]
    assert len(proxy.token) >= 24
    assert get(proxy.url + "/six/")[0] == 200
    for path in ("/simple/six/", "/file/0/six-1.16.0-py2.py3-none-any.whl",
                 "/x/simple/six/", "/%s/elsewhere" % proxy.token):
        assert get(root + path)[0] == 404, path


def test_only_files_a_served_page_listed(pypi_mirror, proxy_for):
    proxy = proxy_for([pypi_mirror.url])
    # Nothing listed yet: no file, whatever is asked.
    assert get(proxy.root + "/file/0/six-1.16.0-py2.py3-none-any.whl")[0] \
        == 404
    # The old way, a quoted URL of the caller's choosing, is gone.
    private = urllib.parse.quote(pypi_mirror.url.rsplit("/simple")[0]
                                 + "/private", safe="")
    assert get(proxy.root + "/file/%s/x.whl" % private)[0] == 404
    status, page = get(proxy.url + "/six/")
    links = file_links(page)
    assert links and all(link.startswith(proxy.root + "/file/")
                         for link in links)
    status, body = get(links[0].split("#")[0])
    assert status == 200 and len(body) > 1000
    assert get(proxy.root + "/file/%d/x.whl" % 99)[0] == 404


def test_credentials_go_only_to_the_mirror_that_listed_the_file(
        pypi_mirror, proxy_for):
    # The private mirror's page links its files absolutely to another
    # host (here, a second relay): that host must not get the password.
    with FaultyMirror(pypi_mirror.url, "passthrough") as files_host, \
            FaultyMirror(pypi_mirror.url, "auth-required",
                         credentials="deployer:s3cr3t") as private:
        private_url = private.url.replace("http://", "http://deployer:s3cr3t@")
        proxy = proxy_for([private_url])
        status, page = get(proxy.url + "/six/")
        assert status == 200
        # Rewrite what the proxy was given: files on another host.
        number = len(proxy._files)
        proxy._files.append(files_host.url.rsplit("/simple")[0]
                            + "/packages/six-1.16.0-py2.py3-none-any.whl")
        assert get(proxy.root + "/file/%d/six.whl" % number)[0] == 200
    assert private.authorizations[-1].startswith("Basic ")
    assert files_host.authorizations == [""]


def test_a_tampered_file_fails_over_on_the_pip_path(pypi_mirror, proxy_for):
    with FaultyMirror(pypi_mirror.url, "corrupt-downloads") as corrupt:
        proxy = proxy_for([corrupt.url, pypi_mirror.url])
        status, page = get(proxy.url + "/six/")
        link = [link for link in file_links(page) if ".whl" in link][0]
        status, body = get(link.split("#")[0])
        assert corrupt.downloads()
    import hashlib
    assert status == 200
    assert hashlib.sha256(body).hexdigest() == link.split("#sha256=")[1]
