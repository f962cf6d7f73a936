"""Servers the tests start on 127.0.0.1, and stop.

Real mirrors (pypiserver, devpi-server) run as subprocesses; the faulty
ones are small threads of our own: a port that refuses, one that accepts
and never answers, one that answers 500, one that sends garbage, one that
trickles a byte a second, and a proxy that records and refuses every
request (so that any attempt to reach pypi.org shows up).
"""

import base64
import contextlib
import os
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

HOST = "127.0.0.1"


def listening_port(process, timeout=120.0):
    """The TCP port *process* listens on, once it does.  Servers start
    on port 0 and the kernel picks: no port number is chosen, closed and
    reused, so no other process can take it in between.  Read from the
    kernel's socket table: the inodes of the process's sockets, matched
    with the LISTEN lines (state 0A) of /proc/<pid>/net/tcp."""
    deadline = time.monotonic() + timeout
    proc = Path("/proc") / str(process.pid)
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("server exited with %s" % process.returncode)
        inodes = set()
        for fd in (proc / "fd").iterdir():
            with contextlib.suppress(OSError):
                target = os.readlink(str(fd))
                if target.startswith("socket:["):
                    inodes.add(target[len("socket:["):-1])
        for line in (proc / "net" / "tcp").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:
                return int(fields[1].rsplit(":", 1)[1], 16)
        time.sleep(0.1)
    raise RuntimeError("server did not listen within %s s" % timeout)


def wait_for(url, process, timeout=60.0):
    """Poll *url* until it answers; fail early if *process* died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("server exited with %s" % process.returncode)
        try:
            requests.get(url, timeout=1, proxies={"http": None, "https": None})
            return
        except requests.RequestException:
            time.sleep(0.1)
    raise RuntimeError("%s did not answer within %s s" % (url, timeout))


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def tool(name):
    """A console script of the test environment."""
    return os.path.join(os.path.dirname(sys.executable), name)


@contextlib.contextmanager
def pypiserver(packages, log_path, fallback=False):
    """pypiserver over *packages*; yields its simple-index URL.  Every
    request lands in *log_path*, so tests can see what pip and buildout
    fetched.  Unless *fallback* (pypiserver's own default, as users run
    it), ``--disable-fallback``: unknown projects get a 404, not a
    redirect to pypi.org."""
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [tool("pypi-server"), "run", "-p", "0", "-i", HOST] + (
                [] if fallback else ["--disable-fallback"]) + [
             "-a", ".", "-P", ".", "-v",
             "--log-file", str(log_path), "--log-stream", "none",
             "--backend", "simple-dir", str(packages)],
            stdout=log, stderr=subprocess.STDOUT)
    try:
        port = listening_port(process)
        wait_for("http://%s:%d/simple/" % (HOST, port), process)
        yield "http://%s:%d/simple" % (HOST, port)
    finally:
        stop(process)


@contextlib.contextmanager
def _fresh_devpi(serverdir, log_path):
    """A new devpi-server with no PyPI mirror (``--no-root-pypi``);
    yields its root URL, stops it after."""
    subprocess.run([tool("devpi-init"), "--serverdir", str(serverdir),
                    "--no-root-pypi", "--root-passwd", DEVPI_PASSWORD],
                   check=True, capture_output=True)
    process, port = _start_devpi(serverdir, log_path)
    try:
        yield "http://%s:%d" % (HOST, port)
    finally:
        stop(process)


@contextlib.contextmanager
def devpi_server(serverdir, packages, log_path):
    """devpi-server with one index, ``root/dev``, with no bases, holding
    *packages*; yields its simple URL."""
    with _fresh_devpi(serverdir, log_path) as root:
        _dev_index(root, packages).close()
        yield root + "/root/dev/+simple"


DEVPI_PASSWORD = "test-root-password"


@contextlib.contextmanager
def devpi_cold_mirror(serverdir, upstream, log_path):
    """devpi-server with one mirror index, ``root/cold``, of *upstream*
    (a simple index URL), nothing cached yet: a company's devpi
    root/pypi on its first day.  Yields its simple URL."""
    with _fresh_devpi(serverdir, log_path) as root:
        session = _login(root)
        session.put(root + "/root/cold", json={
            "type": "mirror", "mirror_url": upstream.rstrip("/") + "/",
            "mirror_cache_expiry": 1800}).raise_for_status()
        session.close()
        yield root + "/root/cold/+simple"


@contextlib.contextmanager
def proxpi(upstream, ca_file, log_path):
    """proxpi (from PyPI) in front of *upstream*, trusting *ca_file*, cold:
    a file it cannot fetch within its download timeout (0.9 s) is
    redirected to the upstream's URL.  Yields its simple URL."""
    env = dict(os.environ, PROXPI_INDEX_URL=upstream.rstrip("/") + "/",
               REQUESTS_CA_BUNDLE=str(ca_file), NO_PROXY="127.0.0.1,localhost",
               no_proxy="127.0.0.1,localhost")
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        env.pop(name, None)
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "proxpi.server", "run",
             "--host", HOST, "--port", "0", "--no-reload", "--with-threads"],
            stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        port = listening_port(process)
        wait_for("http://%s:%d/health" % (HOST, port), process)
        yield "http://%s:%d/index" % (HOST, port)
    finally:
        stop(process)


def _start_devpi(serverdir, log_path, *options):
    """(process, port) of a devpi-server on a port the kernel picked."""
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [tool("devpi-server"), "--serverdir", str(serverdir),
             "--host", HOST, "--port", "0"] + list(options),
            stdout=log, stderr=subprocess.STDOUT)
    try:
        port = listening_port(process)
        wait_for("http://%s:%d/+api" % (HOST, port), process, timeout=120)
    except BaseException:
        stop(process)
        raise
    return process, port


def _login(root):
    """A requests session logged in as devpi's root."""
    session = requests.Session()
    session.trust_env = False
    session.headers["Accept"] = "application/json"
    login = session.post(root + "/+login",
                         json={"user": "root", "password": DEVPI_PASSWORD})
    login.raise_for_status()
    token = login.json()["result"]["password"]
    session.headers["X-Devpi-Auth"] = base64.b64encode(
        ("root:%s" % token).encode()).decode()
    return session


def _dev_index(root, packages):
    """Log in as root, make ``root/dev`` and upload *packages*; return the
    logged-in session (for more uploads)."""
    session = _login(root)
    session.put(root + "/root/dev", json={
        "type": "stage", "bases": [], "volatile": True}).raise_for_status()
    for name in sorted(os.listdir(packages)):
        upload(session, root + "/root/dev/", os.path.join(packages, name))
    return session


class DevpiCluster:
    """A devpi-server primary holding *packages* in ``root/dev`` and one
    replica of it, sharing a secret file, on 127.0.0.1, as a fleet runs
    them.  The replica reaches its primary through ``link``, a
    LatencyProxy: ``link.hang = True`` cuts it off.

    ``.primary`` and ``.replica`` are the simple URLs; ``.session`` is
    logged in on the primary; ``stop_primary()`` stops its process."""

    def __init__(self, base, packages):
        self.base, self.packages = Path(base), packages
        self.processes = []

    def __enter__(self):
        base = self.base
        base.mkdir(parents=True, exist_ok=True)
        secret = base / "secret"
        subprocess.run([tool("devpi-gen-secret"), "--secretfile",
                        str(secret)], check=True, capture_output=True)
        subprocess.run([tool("devpi-init"), "--serverdir", str(base / "p"),
                        "--no-root-pypi", "--root-passwd", DEVPI_PASSWORD,
                        "--role", "primary"], check=True, capture_output=True)
        try:
            self.primary_process, port = _start_devpi(
                base / "p", base / "primary.log", "--role", "primary",
                "--secretfile", str(secret))
            self.primary_root = "http://%s:%d" % (HOST, port)
            self.processes.append(self.primary_process)
            self.session = _dev_index(self.primary_root, self.packages)
            self.link = LatencyProxy((HOST, port), 0).__enter__()
            link_url = "http://%s:%d" % (HOST, self.link.port)
            subprocess.run([tool("devpi-init"), "--serverdir",
                            str(base / "r"), "--primary-url", link_url],
                           check=True, capture_output=True)
            replica, port = _start_devpi(
                base / "r", base / "replica.log", "--primary-url",
                link_url, "--secretfile", str(secret))
            self.processes.append(replica)
            self.replica_root = "http://%s:%d" % (HOST, port)
            self.wait_in_sync()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        self.primary = self.primary_root + "/root/dev/+simple"
        self.replica = self.replica_root + "/root/dev/+simple"
        return self

    def serial(self, root):
        return int(self.session.get(root + "/+api").headers["X-Devpi-Serial"])

    def wait_in_sync(self, timeout=60):
        """Until the replica has the primary's serial and every file."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.session.get(self.replica_root + "/+status").json()
            status = status.get("result", status)
            if status.get("serial") == self.serial(self.primary_root) and \
                    status.get("replica-files-in-sync-at"):
                return
            time.sleep(0.2)
        raise RuntimeError("the devpi replica did not catch up in %d s"
                           % timeout)

    def upload_release(self, name, version):
        """A new (tiny) release on the primary: its serial moves on."""
        path = self.base / ("%s-%s.tar.gz" % (name, version))
        path.write_bytes(b"not really an sdist")
        upload(self.session, self.primary_root + "/root/dev/", str(path))

    def stop_primary(self):
        stop(self.primary_process)

    def __exit__(self, *exc):
        if getattr(self, "link", None) is not None:
            self.link.__exit__(None, None, None)
        for process in reversed(self.processes):
            stop(process)
        if getattr(self, "session", None) is not None:
            self.session.close()


def upload(session, index_url, path):
    name, version = dist_name_version(os.path.basename(path))
    with open(path, "rb") as stream:
        response = session.post(index_url, data={
            ":action": "file_upload", "name": name, "version": version},
            files={"content": (os.path.basename(path), stream)})
    response.raise_for_status()


def dist_name_version(filename):
    if filename.endswith(".whl"):
        name, version = filename.split("-")[:2]
    else:
        stem = filename.rsplit(".tar.gz", 1)[0].rsplit(".zip", 1)[0]
        name, version = stem.rsplit("-", 1)
    return name, version


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class InBackground:
    """Serve ``self._server`` from a daemon thread inside ``with``; on exit
    set ``self._stop`` (which wakes handlers that wait on it), then stop
    and close the server."""

    def __enter__(self):
        threading.Thread(target=self._server.serve_forever, daemon=True,
                         kwargs={"poll_interval": 0.05}).start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()


class FaultServer(InBackground):
    """A TCP server on 127.0.0.1 whose handler misbehaves on purpose.

    ``with FaultServer("hang") as server: server.url`` -- modes: ``hang``
    (accept, read, never answer), ``error`` (HTTP 500), ``garbage`` (bytes
    that are not HTTP), ``trickle`` (a valid status line, then one byte a
    second), ``empty`` (HTTP 200 page with no distributions), ``proxy``
    (record the request line, answer 502).

    Other processes on a shared machine reach these ports too (port
    scanners, health checks, another copy of the suite).  Only the test's
    own traffic counts: its URLs carry a per-server secret, as the first
    path segment of ``url`` and ``root``, and as the user of ``proxy_url``
    (clients send it as Proxy-Authorization).  ``connections`` counts the
    connections whose request is the test's own, ``requests`` keeps their
    first lines, ``foreign`` the first lines of the others: a request to
    another path, or in origin form (``GET / HTTP/1.1``) or with someone
    else's credentials at the proxy, which no client of ours sends there.
    """

    def __init__(self, mode):
        import secrets
        self.mode = mode
        self.secret = secrets.token_hex(8)
        self.connections = 0
        self.requests = []
        self.foreign = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        owner = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                owner._handle(self.request)

        self._server = _Server((HOST, 0), Handler)
        self.port = self._server.server_address[1]
        self.root = "http://%s:%d/%s" % (HOST, self.port, self.secret)
        self.url = self.root + "/simple"
        self.proxy_url = "http://%s:x@%s:%d" % (self.secret, HOST, self.port)
        self._auth = "basic " + base64.b64encode(
            ("%s:x" % self.secret).encode()).decode().lower()

    def _ours(self, head):
        """Whether the request *head* (its first bytes) is the test's."""
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ")
        target = parts[1] if len(parts) > 1 else ""
        if target.startswith("/"):  # origin form: asked of us as a server
            return target.startswith("/%s/" % self.secret)
        if self.mode != "proxy":
            return False
        # CONNECT host:port or GET http://...: proxy traffic.  Without
        # credentials it may still be ours (counted: a leak is never
        # hidden); with someone else's it is not.
        auth = [line.split(":", 1)[1].strip().lower() for line in lines[1:]
                if line.lower().startswith("proxy-authorization:")]
        return not auth or auth[0] == self._auth

    def _handle(self, connection):
        connection.settimeout(1.0)
        try:
            head = connection.recv(65536)
            first = head.split(b"\r\n", 1)[0].decode("latin-1")
            ours = self._ours(head)
            with self._lock:
                (self.requests if ours else self.foreign).append(first)
                self.connections += 1 if ours else 0
            if not ours:
                connection.sendall(b"HTTP/1.1 404 Not Found\r\n"
                                   b"Content-Length: 0\r\n\r\n")
                return
            if self.mode == "hang":
                self._stop.wait(120)
            elif self.mode == "error":
                connection.sendall(b"HTTP/1.1 500 Internal Server Error\r\n"
                                   b"Content-Length: 5\r\n\r\noops!")
            elif self.mode == "garbage":
                connection.sendall(b"\x00\xffthis is not HTTP at all\r\n\r\n")
            elif self.mode == "empty":
                body = b"<html><body>no files here</body></html>"
                connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html"
                                   b"\r\nContent-Length: %d\r\n\r\n%s"
                                   % (len(body), body))
            elif self.mode == "trickle":
                connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: "
                                   b"text/html\r\nContent-Length: 100000\r\n\r\n")
                while not self._stop.wait(1.0):
                    connection.sendall(b"<")
            elif self.mode == "proxy":
                connection.sendall(b"HTTP/1.1 502 Bad Gateway\r\n"
                                   b"Content-Length: 0\r\n\r\n")
        except OSError:
            pass



@contextlib.contextmanager
def refused_port():
    """A URL on a port nothing listens on: connections are refused.  The
    port stays bound (not listening) meanwhile, so no server started later
    can be given it."""
    with reserved_port() as port:
        yield "http://%s:%d/simple" % (HOST, port)


@contextlib.contextmanager
def reserved_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        yield sock.getsockname()[1]


class LatencyProxy(InBackground):
    """Forward 127.0.0.1:port to *upstream* (host, port), delaying every
    chunk the client sends by *delay* seconds: each request pays one
    extra round trip, as from a mirror further away.  With ``hang`` set it
    accepts connections and never answers: the same mirror, now down.

    ``with LatencyProxy(("127.0.0.1", 8080), 0.05) as proxy: proxy.port``
    """

    def __init__(self, upstream, delay, ssl_context=None):
        self.upstream, self.delay = upstream, delay
        self.ssl_context = ssl_context  # serve HTTPS with it
        self.hang = False  # set it to make the "mirror" accept and hang
        self._stop = threading.Event()
        owner = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                owner._forward(self.request)

        self._server = _Server((HOST, 0), Handler)
        self.port = self._server.server_address[1]

    def _forward(self, client):
        if self.hang:
            self._stop.wait(600)
            return
        try:
            if self.ssl_context is not None:
                client = self.ssl_context.wrap_socket(client,
                                                      server_side=True)
            upstream = socket.create_connection(self.upstream, timeout=30)
            # A relay forwards each chunk as it comes: with Nagle on, a
            # kept connection would wait for a delayed ACK (40 ms) on
            # every answer.  TCP relays (HAProxy, nginx) set TCP_NODELAY.
            for end in (client, upstream):
                end.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            return
        done = threading.Event()

        def pump(source, target, delay):
            try:
                while not done.is_set():
                    data = source.recv(65536)
                    if not data:
                        break
                    if delay:
                        time.sleep(delay)
                    target.sendall(data)
            except OSError:
                pass
            finally:
                done.set()
                for end in (source, target):
                    with contextlib.suppress(OSError):
                        end.shutdown(socket.SHUT_RDWR)

        back = threading.Thread(target=pump, args=(upstream, client, 0),
                                daemon=True)
        back.start()
        pump(client, upstream, self.delay)
        back.join(30)
        upstream.close()


@contextlib.contextmanager
def extends_host(directory, text=None):
    """A release host (dist.plone.org, say) serving *directory* (with
    *text* as its versions.cfg, when given), behind a LatencyProxy whose ``hang``
    makes it accept connections and never answer; ``.url`` is the file's
    URL."""
    import http.server
    directory.mkdir(exist_ok=True)
    if text is not None:
        (directory / "versions.cfg").write_text(text)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass
    handler = lambda *args: Quiet(*args, directory=str(directory))  # noqa
    server = http.server.ThreadingHTTPServer((HOST, 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with LatencyProxy((HOST, server.server_port), 0) as host:
            host.url = "http://%s:%d/versions.cfg" % (HOST, host.port)
            yield host
    finally:
        server.shutdown()
        server.server_close()


class Answering(InBackground):
    """A small HTTP server on 127.0.0.1 whose answers a function gives:
    ``with Answering(answer) as server: server.url`` (``/simple``).
    *answer(path)* returns (status, {header: value}, body); header names
    are sent as given (lower case, if a test wants a gateway's).
    ``requests`` records each path asked, ``connections`` counts them.
    With *keep_alive*, it speaks HTTP/1.1 and keeps connections open."""

    def __init__(self, answer, keep_alive=False):
        import http.server
        self.requests = []
        self.connections = 0
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1" if keep_alive else "HTTP/1.0"
            timeout = 30
            disable_nagle_algorithm = True  # as mirror servers do

            def setup(self):
                super().setup()
                owner.connections += 1

            def do_GET(self):
                owner.requests.append(self.path)
                status, headers, body = answer(self.path)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self._stop = threading.Event()
        self._server = http.server.ThreadingHTTPServer((HOST, 0), Handler)
        self.url = "http://%s:%d/simple" % (HOST, self._server.server_port)


class SlowUpstream(InBackground):
    """*upstream* (a pypiserver's root URL) as a far, busy PyPI: over
    https with *ssl_context*, *delay* seconds before each answer, its own
    redirects kept on https.  ``url`` is its simple index."""

    def __init__(self, upstream, delay, ssl_context):
        import http.server
        self._stop = threading.Event()
        owner = self
        session = requests.Session()
        session.trust_env = False

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                if owner._stop.wait(delay):
                    return
                answer = session.get(
                    upstream + self.path, allow_redirects=False, headers={
                        "Host": self.headers.get("Host", ""),
                        "Accept": self.headers.get("Accept", "*/*")})
                self.send_response(answer.status_code)
                if "Content-Type" in answer.headers:
                    self.send_header("Content-Type",
                                     answer.headers["Content-Type"])
                if "Location" in answer.headers:  # its own, over https
                    self.send_header("Location", answer.headers[
                        "Location"].replace("http://", "https://", 1))
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            def log_message(self, *args):
                pass

        self._server = http.server.ThreadingHTTPServer((HOST, 0), Handler)
        self._server.daemon_threads = True
        self._server.socket = ssl_context.wrap_socket(self._server.socket,
                                                      server_side=True)
        self.url = "https://localhost:%d/simple" % self._server.server_port
