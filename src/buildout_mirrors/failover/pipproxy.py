"""A local simple index for pip subprocesses, served with failover.

zc.buildout runs pip for sdists and develop eggs; pip has no failover of
its own.  ``PIP_INDEX_URL`` points at this server on 127.0.0.1, which asks
:class:`~.failover.Failover` for every page and rewrites the file links of
each page to come back through it, so that pip's downloads fail over too,
and are checked against the hashes the page listed.

Any local user can reach 127.0.0.1, so the server trusts no request: its
paths start with a random token (everything else is a 404), and it serves
only the files that a page it served listed, by their number, fetched
with the credentials of the mirror that listed them and of no other.
"""

import html
import http.server
import json
import re
import secrets
import shutil
import threading
import urllib.parse

from buildout_mirrors.core import pages
from buildout_mirrors.failover.fetch import FetchError, IntegrityError

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
        self.token = secrets.token_urlsafe(24)
        self.root = "http://127.0.0.1:%d/%s" % (self._server.server_port,
                                                self.token)
        self.url = self.root + "/simple"
        # Pages kept for the run: pip asks the same page once per index
        # and the same build dependencies for every sdist.  Files are
        # streamed, never kept in memory.
        self._pages = {}
        self._files = []        # number -> absolute URL (with its hash)
        self._numbers = {}      # absolute URL -> number
        self.failures = []      # (what, why) pip was answered 502 for
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
        prefix = "/%s/" % self.token
        if not request.path.startswith(prefix):
            return request.send_error(404)
        path = request.path[len(prefix) - 1:]
        try:
            if path.startswith("/file/"):
                return self._send_file(request, path[len("/file/"):])
            if path == "/simple" or path.startswith("/simple/"):
                return self._send_page(request, path[len("/simple"):])
        except (FetchError, IntegrityError) as error:
            with self._lock:
                self.failures.append((urllib.parse.unquote(
                    path.rsplit("/", 1)[-1] or path), str(error)))
            return request.send_error(502, explain=str(error))
        request.send_error(404)

    def _send_page(self, request, relative):
        accept = request.headers.get("Accept", "text/html")
        key = (relative, accept)
        with self._lock:
            answer = self._pages.get(key)
        if answer is None:
            fetched = self.failover.fetch_page(self.index_url, relative,
                                               accept)
            with fetched.body:
                body = fetched.body.read()
            content_type = fetched.headers.get("Content-Type", "") or \
                "text/html"
            if fetched.status == 200:
                body = self._rewrite(body, content_type, fetched.url)
            answer = (fetched.status, content_type, body)
            if fetched.status == 200:
                with self._lock:
                    self._pages[key] = answer
        status, content_type, body = answer
        request.send_response(status)
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    def _send_file(self, request, rest):
        number = rest.split("/", 1)[0]
        with self._lock:
            known = number.isdigit() and int(number) < len(self._files)
            url = self._files[int(number)] if known else None
        if url is None:
            return request.send_error(404)
        fetched = self.failover.fetch_file(url)
        with fetched.body:
            fetched.body.seek(0, 2)
            size = fetched.body.tell()
            fetched.body.seek(0)
            request.send_response(200)
            request.send_header("Content-Type", "application/octet-stream")
            request.send_header("Content-Length", str(size))
            request.end_headers()
            shutil.copyfileobj(fetched.body, request.wfile, 1 << 16)

    def _number(self, url):
        with self._lock:
            if url not in self._numbers:
                self._numbers[url] = len(self._files)
                self._files.append(url)
            return self._numbers[url]

    def _proxied(self, url, base):
        absolute = urllib.parse.urljoin(base, html.unescape(url))
        plain, _, fragment = absolute.partition("#")
        name = urllib.parse.unquote(
            urllib.parse.urlsplit(plain).path.rsplit("/", 1)[-1])
        if not pages.is_safe_file_name(name):
            return url
        # The file name stays the last path segment: pip reads it there.
        # The URL kept has the listing mirror's credentials only when it
        # is on that mirror's host (urljoin keeps them on the same host).
        return "%s/file/%d/%s%s" % (
            self.root, self._number(absolute), urllib.parse.quote(name),
            "#" + fragment if fragment else "")

    def _rewrite(self, body, content_type, base):
        if pages.JSON_CONTENT_TYPE in content_type:
            try:
                data = json.loads(body)
                for entry in data.get("files", []):
                    entry["url"] = self._proxied(entry["url"], base)
            except (ValueError, TypeError, AttributeError, KeyError):
                return b'{"meta": {"api-version": "1.0"}, "files": []}'
            return json.dumps(data).encode("utf-8")
        text = body.decode("utf-8", "replace")
        return _HREF.sub(lambda match: match.group(1) + self._proxied(
            match.group(2), base) + match.group(3), text).encode("utf-8")
