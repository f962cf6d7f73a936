"""A mirror that fronts a real one and fails on purpose, mid-run.

``with FaultyMirror(upstream_url, "die-after", after=3) as mirror:`` serves
the real mirror's pages and files through 127.0.0.1 until the fault:

- ``die-after``: answers *after* requests, then stops listening (refused);
- ``hang-after``: answers *after* requests, then accepts every request
  and never answers (an overloaded or black-holed host); ``hung`` counts
  the requests it swallowed;
- ``reset-after``: answers *after* requests, then resets each connection;
- ``error-after``: answers *after* requests, then answers 503;
- ``trickle-after``: answers *after* requests, then trickles each answer
  at one byte a second;
- ``cut-downloads``: files stop half-way (the connection closes);
- ``corrupt-downloads``: files arrive whole but altered (a hash mismatch);
- ``tarpit-downloads``: files trickle at one byte a second;
- ``redirect-downloads``: files redirect to a host that is no mirror;
- ``redirect-downloads-to``: files redirect to the same path on
  *redirect_to* (an https host that is no mirror, as proxpi sends a file
  it has not cached yet to files.pythonhosted.org);
- ``warming``: the first *after* requests for pages answer 404 after
  *delay* seconds, as a cold devpi does while it loads its project list;
- ``altered-pages``: pages list every file with another sha256, and serve
  altered files that match it (a tampering mirror);
- ``dead-file-host``: pages link their files absolutely to another host,
  which is down (as pypi.org's pages point at files.pythonhosted.org);
- ``lower-case-headers``: every header name in lower case, as HTTP/2
  gateways and many corporate proxies send them;
- ``auth-required``: 401 without the Basic credentials *credentials*
  (``user:password``);
- ``old-sync``: a bandersnatch ``/last-modified`` three days old;
- ``slow``: every answer after the first *after* starts after *delay*
  seconds;
- ``malicious-names``: pages name each file ``../../../escaped/<name>``;
- ``passthrough``: no fault; every request's User-Agent is recorded.

``agents`` and ``authorizations`` record each request's User-Agent and
Authorization header, for tests that must see who asked and with what.
"""

import base64
import hashlib
import http.server
import re
import socket
import threading
import time

import requests

from servers import InBackground

DIST = re.compile(r"\.(whl|tar\.gz|zip)$")


class FaultyMirror(InBackground):

    def __init__(self, upstream, mode, after=0, credentials="", delay=0.0,
                 only="", redirect_to=""):
        self.redirect_to = redirect_to
        self.upstream = upstream.rsplit("/simple", 1)[0]
        self.only = only  # download faults only for files whose path has it
        self.mode, self.after = mode, after
        self.credentials, self.delay = credentials, delay
        self.agents, self.authorizations = [], []
        # The files host of dead-file-host: bound, never listening.
        self._dead = socket.socket()
        self._dead.bind(("127.0.0.1", 0))
        self.dead_port = self._dead.getsockname()[1]
        self.requests = []
        self.hung = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # TCP_NODELAY, as mirror servers set it: without it a kept
            # connection waits for the client's delayed ACK (40 ms) on
            # every answer whose headers and body are written apart.
            disable_nagle_algorithm = True

            def do_GET(self):
                owner._answer(self)

            def log_message(self, *args):
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                                       Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_port
        self.url = "http://127.0.0.1:%d/simple" % self.port
        self._session = requests.Session()
        self._session.trust_env = False

    def __exit__(self, *exc):
        super().__exit__(*exc)
        self._dead.close()

    def _die(self):
        try:
            self._server.shutdown()
        except Exception:
            pass
        self._server.server_close()

    def _die_mid_run(self, request):
        kind = self.mode[:-len("-after")]
        if kind == "hang":
            with self._lock:
                self.hung += 1
            self._stop.wait(120)
        elif kind == "reset":
            request.connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00"
                b"\x00\x00\x00\x00")
            request.close_connection = True
            request.connection.close()
        elif kind == "error":
            self._send(request, 503, b"overloaded", "text/plain")
        elif kind == "trickle":
            self._trickle(request, b"<html>" + b" " * 100000, "text/html")
        request.close_connection = True

    def downloads(self):
        return [path for path in self.requests if DIST.search(path)]

    def _answer(self, request):
        with self._lock:
            self.requests.append(request.path)
            self.agents.append(request.headers.get("User-Agent", ""))
            self.authorizations.append(request.headers.get(
                "Authorization", ""))
            count = len(self.requests)
        if self.mode == "auth-required" and request.headers.get(
                "Authorization", "") != "Basic " + base64.b64encode(
                self.credentials.encode()).decode():
            return self._send(request, 401, b"who are you?", "text/plain")
        if self.mode == "old-sync" and request.path == "/last-modified":
            return self._send(request, 200, time.strftime(
                "%Y%m%dT%H:%M:%S", time.gmtime(time.time() - 3 * 86400))
                .encode(), "text/plain")
        if self.mode == "slow" and count > self.after and \
                self._stop.wait(self.delay):
            return
        if self.mode == "warming" and count <= self.after and \
                not DIST.search(request.path):
            if self._stop.wait(self.delay):
                return
            return self._send(request, 404, b"loading", "text/plain")
        if self.mode.endswith("-after") and self.mode != "die-after" and \
                count > self.after:
            return self._die_mid_run(request)
        if self.mode == "die-after" and count > self.after:
            request.close_connection = True
            threading.Thread(target=self._die, daemon=True).start()
            return
        upstream = self._session.get(self.upstream + request.path,
                                     headers={"Accept": "text/html"})
        body = upstream.content
        is_file = DIST.search(request.path.split("?")[0]) is not None
        content_type = upstream.headers.get("Content-Type", "text/html")
        if is_file and upstream.status_code == 200 and \
                self.only in request.path:
            if self.mode == "cut-downloads":
                return self._send(request, 200, body[:len(body) // 2],
                                  content_type, length=len(body))
            if self.mode in ("corrupt-downloads", "altered-pages"):
                body = altered(body)
            if self.mode == "tarpit-downloads":
                return self._trickle(request, body, content_type)
            if self.mode == "redirect-downloads-to":
                request.send_response(302)
                request.send_header("Location",
                                    self.redirect_to + request.path)
                request.send_header("Content-Length", "0")
                request.end_headers()
                return
            if self.mode == "redirect-downloads":
                request.send_response(302)
                request.send_header("Location",
                                    "http://foreign.example/stolen.whl")
                request.send_header("Content-Length", "0")
                request.end_headers()
                return
        elif self.mode == "altered-pages" and upstream.status_code == 200:
            body = self._alter_page(body)
        elif self.mode == "malicious-names" and upstream.status_code == 200:
            body = re.sub(rb'>([^<>/]+\.(?:whl|tar\.gz|zip))</a>',
                          rb'>../../../escaped/\1</a>', body)
        elif self.mode == "dead-file-host" and upstream.status_code == 200:
            body = re.sub(rb'href="(?:\.\./)*/?packages/',
                          b'href="http://127.0.0.1:%d/packages/'
                          % self.dead_port, body)
        self._send(request, upstream.status_code, body, content_type)

    def _alter_page(self, body):
        """Relist every file with the sha256 of its altered content."""
        text = body.decode("utf-8")

        def relist(match):
            url = match.group(1)
            plain = url.split("#", 1)[0]
            content = self._session.get(requests.compat.urljoin(
                self.upstream + "/simple/x/", plain)).content
            return 'href="%s#sha256=%s"' % (
                plain, hashlib.sha256(altered(content)).hexdigest())
        return re.sub(r'href="([^"]+)"', relist, text).encode("utf-8")

    def _send(self, request, status, body, content_type, length=None):
        request.send_response(status)
        lower = self.mode == "lower-case-headers"
        request.send_header("content-type" if lower else "Content-Type",
                            content_type)
        request.send_header("content-length" if lower else "Content-Length",
                            str(length or len(body)))
        if length:
            request.send_header("Connection", "close")
        request.end_headers()
        request.wfile.write(body)
        if length:
            request.close_connection = True

    def _trickle(self, request, body, content_type):
        request.send_response(200)
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        for index in range(len(body)):
            if self._stop.wait(1.0):
                break
            try:
                request.wfile.write(body[index:index + 1])
                request.wfile.flush()
            except OSError:
                break
        request.close_connection = True


def altered(content):
    """The same length, other bytes."""
    return bytes([content[0] ^ 0xFF]) + content[1:] if content else b"x"

