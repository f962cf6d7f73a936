"""The one HTTP layer, against real servers on 127.0.0.1."""

import http.server
import ssl
import threading

import pytest
import trustme

from buildout_mirrors.index import connection, transport
from servers import FaultServer


@pytest.fixture
def tls_redirecting(tmp_path):
    """An HTTPS server on localhost that redirects to plain http on the
    same host, with a CA only this test trusts."""
    authority = trustme.CA()
    authority.cert_pem.write_to_path(str(tmp_path / "ca.pem"))

    class Redirect(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(302)
            self.send_header("Location", "http://localhost:%d/simple/six/"
                             % self.server.server_port)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    authority.issue_cert("localhost").configure_cert(context)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield "https://localhost:%d/simple/six/" % server.server_port, \
        str(tmp_path / "ca.pem")
    server.shutdown()
    server.server_close()


def test_https_never_redirects_down_to_http(tls_redirecting, monkeypatch):
    for name in ("https_proxy", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    url, ca = tls_redirecting
    with pytest.raises(transport.FetchError, match="from https to http"):
        transport.get(url, limits=transport.Limits(2, 2),
                      context=connection.ssl_context(ca))


def test_a_server_that_accepts_and_never_answers_is_slow_not_dead(
        monkeypatch):
    monkeypatch.delenv("http_proxy", raising=False)
    monkeypatch.delenv("HTTP_PROXY", raising=False)
    with FaultServer("hang") as hanging:
        with pytest.raises(transport.FetchError) as raised:
            transport.get(hanging.url, limits=transport.Limits(0.5, 0.5))
    assert raised.value.slow
    assert str(raised.value) == "no answer within 0.5 s"


def test_header_names_are_case_insensitive(pypi_mirror):
    response = transport.get(pypi_mirror.url + "/six/")
    assert response.headers.get("content-type") == \
        response.headers.get("Content-Type")
    assert response.status == 200


@pytest.mark.parametrize("version", ["3.9", "3.10", "3.11", "3.12", "3.13"])
def test_a_server_that_closes_after_each_answer_on_every_python(
        tmp_path, version):
    """http.server speaks HTTP/1.0: the answer closes the connection, and
    from Python 3.13 its socket refuses settimeout once the body is read
    (a release host serving versions.cfg, a plain find-links directory)."""
    import subprocess

    import stacks
    from conftest import CHECKOUT
    python = stacks.interpreter(version)
    if python is None:
        pytest.skip("no Python %s here" % version)
    (tmp_path / "versions.cfg").write_text("[versions]\nsix = 1.17.0\n")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass
    handler = lambda *args: Quiet(*args, directory=str(tmp_path))  # noqa
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    script = ("import sys; sys.path.insert(0, sys.argv[1]); "
              "from buildout_mirrors.index import transport; "
              "print(transport.get(sys.argv[2]).body.read().decode())")
    try:
        result = subprocess.run(
            [python, "-I", "-c", script, str(CHECKOUT / "src"),
             "http://127.0.0.1:%d/versions.cfg" % server.server_port],
            capture_output=True, text=True, timeout=60)
    finally:
        server.shutdown()
        server.server_close()
    assert result.stdout == "[versions]\nsix = 1.17.0\n\n", result.stderr


def test_a_failure_says_which_bound_ran_out():
    """Code decides by ``kind``, never by searching the message."""
    import servers
    with servers.FaultServer("hang") as hanging:
        with pytest.raises(transport.FetchError) as silent:
            transport.get(hanging.url, limits=transport.Limits(
                first_byte=0.3))
    assert silent.value.kind == "silent" and silent.value.slow
    with servers.FaultServer("trickle") as trickling:
        with pytest.raises(transport.FetchError) as stalled:
            transport.get(trickling.url, limits=transport.Limits(
                first_byte=2, stall=0.3))
    assert stalled.value.kind == "stall"
    with servers.reserved_port() as port:
        with pytest.raises(transport.FetchError) as refused:
            transport.get("http://127.0.0.1:%d/" % port)
    assert refused.value.kind == "failed"
