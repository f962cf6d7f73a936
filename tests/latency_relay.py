"""A mirror further away: an HTTP relay on 127.0.0.1 in front of a local
mirror that adds a fixed delay to every request and another to every new
connection (the handshakes of a far host), and counts both.

It speaks HTTP/1.1 and keeps a connection open unless the client asks to
close it (urllib, and so plain zc.buildout, always does), as a CDN-backed
index does.  Bodies are relayed whole, with their Content-Length.

``with LatencyRelay(upstream_port, 0.1, 0.1) as relay: relay.url``
"""

import http.client
import http.server
import threading
import time

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding",
              "content-length", "proxy-connection", "te", "trailer",
              "upgrade"}


class LatencyRelay:
    """``LatencyRelay(upstream_port, per_request, per_connection)``;
    ``.url`` is the relayed ``/simple``, ``.requests`` and
    ``.connections`` count what came in."""

    def __init__(self, upstream_port, per_request, per_connection):
        self.upstream_port = upstream_port
        self.per_request, self.per_connection = per_request, per_connection
        self.requests = self.connections = 0
        self._lock = threading.Lock()
        relay = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            timeout = 30  # an idle kept connection, at most
            disable_nagle_algorithm = True  # as a CDN's edge does

            def setup(self):
                super().setup()
                relay._count("connections")
                time.sleep(relay.per_connection)

            def do_GET(self):
                relay._count("requests")
                time.sleep(relay.per_request)
                relay._forward(self)

            def log_message(self, *args):
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                                       Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.url = "http://127.0.0.1:%d/simple" % self.port

    def _count(self, what):
        with self._lock:
            setattr(self, what, getattr(self, what) + 1)

    def _forward(self, handler):
        upstream = http.client.HTTPConnection("127.0.0.1", self.upstream_port,
                                              timeout=60)
        try:
            headers = {name: value for name, value in handler.headers.items()
                       if name.lower() not in HOP_BY_HOP}
            upstream.request("GET", handler.path, headers=headers)
            answer = upstream.getresponse()
            body = answer.read()
        except (OSError, http.client.HTTPException):
            handler.send_error(502)
            return
        finally:
            upstream.close()
        handler.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in HOP_BY_HOP:
                handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        try:
            handler.wfile.write(body)
        except OSError:  # the client went away (a timeout): its choice
            handler.close_connection = True

    def __enter__(self):
        threading.Thread(target=self._server.serve_forever, daemon=True,
                         name="latency relay").start()
        return self

    def __exit__(self, *exc_info):
        self._server.shutdown()
        self._server.server_close()
