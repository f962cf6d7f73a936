"""A local simple index for pip subprocesses, served with failover.

zc.buildout runs pip for sdists and develop eggs; pip has no failover of
its own.  ``PIP_INDEX_URL`` points at this server on 127.0.0.1, which asks
:class:`~.failover.Failover` for every page and rewrites the file links of
each page to come back through it, so that pip's downloads fail over too.
"""

import http.server
import json
import re
import threading
import urllib.parse

from buildout_mirrors import pages
from buildout_mirrors.failover import FetchError, IntegrityError, without_auth

_HREF = re.compile(r"""(href\s*=\s*["'])([^"']+)(["'])""", re.IGNORECASE)


class PipProxy:
    """``PipProxy(failover, index_url)``: ``start()`` returns the URL to
    give pip, ``stop()`` ends the server."""

    def __init__(self, failover, index_url):
        self.failover, self.index_url = failover, index_url.rstrip("/")
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive: pip reuses it

            def do_GET(self):
                owner._answer(self)

            def log_message(self, *args):  # quiet: pip reports what matters
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                                       Handler)
        self._server.daemon_threads = True
        self.url = "http://127.0.0.1:%d/simple" % self._server.server_port
        # Answers kept for the run: pip asks the same page once per index
        # (buildout gives it this index twice) and the same build
        # dependencies for every sdist.
        self._answers = {}
        self._lock = threading.Lock()

    def start(self):
        # A short poll: shutdown() waits for the loop to notice, and the
        # default half second would be paid at the end of every run.
        threading.Thread(target=self._server.serve_forever, daemon=True,
                         kwargs={"poll_interval": 0.01},
                         name="buildout_mirrors pip index").start()
        return self.url

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    def _answer(self, request):
        key = (request.path, request.headers.get("Accept", ""))
        with self._lock:
            answer = self._answers.get(key)
        if answer is None:
            answer = self._fetch(request)
            if answer is None:
                return
            if answer[0] == 200:
                with self._lock:
                    self._answers[key] = answer
        status, content_type, body = answer
        request.send_response(status)
        request.send_header("Content-Type", content_type or
                            "application/octet-stream")
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    def _fetch(self, request):
        """(status, content type, body) for *request*, or None after an
        error was sent."""
        path = request.path
        try:
            if path.startswith("/file/"):
                # /file/<quoted original URL>/<file name>
                quoted = path[len("/file/"):].rsplit("/", 1)[0]
                fetched = self.failover.fetch_file(self.failover.with_auth(
                    urllib.parse.unquote(quoted)))
                body, rewrite = fetched.read_all(), False
            elif path.startswith("/simple"):
                fetched = self.failover.fetch_page(
                    self.index_url, path[len("/simple"):],
                    request.headers.get("Accept", "text/html"))
                body, rewrite = fetched.read_all(), True
            else:
                request.send_error(404)
                return None
        except (FetchError, IntegrityError) as error:
            request.send_error(502, explain=str(error))
            return None
        content_type = fetched.headers.get("Content-Type", "")
        if rewrite and fetched.status == 200:
            body = self._rewrite(body, content_type, fetched.url)
        return fetched.status, content_type, body

    def _proxied(self, url, base):
        # Without credentials: pip prints the URLs it downloads.
        absolute = without_auth(urllib.parse.urljoin(base, url))
        plain, _, fragment = absolute.partition("#")
        if not pages.DIST_SUFFIXES_RE.search(
                urllib.parse.urlsplit(plain).path):
            return url
        # The file name stays the last path segment: pip reads it there.
        return "%s/file/%s/%s%s" % (
            self.url.rsplit("/simple", 1)[0],
            urllib.parse.quote(plain, safe=""),
            urllib.parse.urlsplit(plain).path.rsplit("/", 1)[-1],
            "#" + fragment if fragment else "")

    def _rewrite(self, body, content_type, base):
        if pages.JSON_CONTENT_TYPE in content_type:
            data = json.loads(body)
            for entry in data.get("files", []):
                entry["url"] = self._proxied(entry["url"], base)
            return json.dumps(data).encode("utf-8")
        text = body.decode("utf-8", "replace")
        return _HREF.sub(lambda match: match.group(1) + self._proxied(
            match.group(2), base) + match.group(3), text).encode("utf-8")
