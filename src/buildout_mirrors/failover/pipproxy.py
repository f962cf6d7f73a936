"""A local simple index for pip subprocesses, served with failover.

zc.buildout runs pip for sdists and develop eggs; pip has no failover of
its own.  ``PIP_INDEX_URL`` points at this server on 127.0.0.1, which asks
:class:`~.failover.Failover` for every page and rewrites the file links of
each page to come back through it, so that pip's downloads fail over too,
and are checked against the hashes the page listed.

Any local user can reach 127.0.0.1, and every command line is readable
in ``/proc``, so the server trusts no request and its secret is on no
command line: every request must carry a random token as Basic
credentials, which pip finds in a private netrc file (``NETRC``, in the
environment of the user's own processes only); the URLs buildout puts on
pip's command line, and pip on its build subprocesses', carry none.
Without the token, and for any path but ``/simple/``, a normalised
project's page and the files that a page it served listed (by their
number), the answer is a 404 and nothing is forwarded.
"""

import hmac
import html
import http.server
import json
import netrc
import os
import re
import secrets
import shutil
import tempfile
import threading
import urllib.parse

from buildout_mirrors.index import pages, urls
from buildout_mirrors.index.transport import FetchError
from buildout_mirrors.failover.private_route import PrivateIndexDown
from buildout_mirrors.failover.second_opinion import IntegrityError

_HREF = re.compile(r"""(href\s*=\s*["'])([^"']+)(["'])""", re.IGNORECASE)
_PROJECT_PAGE = re.compile(r"/simple/([a-z0-9]+(?:-[a-z0-9]+)*)/\Z")
_FILE = re.compile(r"/file/([0-9]{1,9})/[^/]+\Z")
USER = "buildout-mirrors"


class PipProxy:
    """``PipProxy(failover, index_url)``: ``start()`` returns the URL to
    give pip, ``environ()`` what pip's environment needs besides (the
    netrc that holds the token), ``stop()`` ends the server."""

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
        self._expected = urls.basic_auth(USER, self.token).encode("ascii")
        self.root = "http://127.0.0.1:%d" % self._server.server_port
        self.url = self.root + "/simple"
        self._netrc_directory = None
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

    def environ(self):
        """``{"NETRC": path}``: a private netrc with the token for this
        server, after the user's own entries (pip finds those there too).
        pip and its build subprocesses inherit it; no command line holds
        it."""
        if self._netrc_directory is None:
            self._netrc_directory = tempfile.mkdtemp(
                prefix="buildout-mirrors-pip-")
            path = os.path.join(self._netrc_directory, "netrc")
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL,
                                 0o600)
            with os.fdopen(descriptor, "w") as stream:
                stream.write(_users_netrc())
                for link in self.failover.links:  # credentialed find-links
                    stream.write(_netrc_entry(link))
                stream.write("\nmachine 127.0.0.1 login %s password %s\n"
                             % (USER, self.token))
        return {"NETRC": os.path.join(self._netrc_directory, "netrc")}

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
        if self._netrc_directory is not None:
            shutil.rmtree(self._netrc_directory, ignore_errors=True)

    def authorized(self, header):
        """The request's Authorization header is ours (compared in
        constant time: a wrong token of the right length learns nothing)."""
        return hmac.compare_digest((header or "").encode("utf-8", "replace"),
                                   self._expected)

    def _answer(self, request):
        path = request.path
        if not self.authorized(request.headers.get("Authorization")):
            return request.send_error(404)
        try:
            match = _FILE.match(path)
            if match:
                return self._send_file(request, match.group(1))
            if path == "/simple/":
                return self._send_page(request, "/")
            match = _PROJECT_PAGE.match(path)
            if match:
                return self._send_page(request, path[len("/simple"):])
        except (FetchError, IntegrityError, PrivateIndexDown) as error:
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

    def _send_file(self, request, number):
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
        try:
            absolute = urllib.parse.urljoin(base, html.unescape(url))
            plain, _, fragment = absolute.partition("#")
            name = urllib.parse.unquote(
                urllib.parse.urlsplit(plain).path.rsplit("/", 1)[-1])
        except ValueError:  # href="http://[x/...": no URL, not passed on
            return ""
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


def _users_netrc():
    """The user's own netrc (``NETRC`` or ``~/.netrc``), if it parses: a
    file that does not would hide the token's entry from pip too."""
    path = os.environ.get("NETRC") or os.path.expanduser("~/.netrc")
    try:
        netrc.netrc(path)
        with open(path, encoding="utf-8") as stream:
            return stream.read()
    except (OSError, netrc.NetrcParseError, UnicodeDecodeError):
        return ""


def _netrc_entry(url):
    """A netrc line with *url*'s credentials, or '' when netrc cannot
    hold them: white space or quotes, or the host of the local index
    itself (netrc keys on the host alone, and the token needs that one)."""
    found = urls.credentials(url)
    if found is None:
        return ""
    user, password = found
    host = urls.host_of(url)
    if host == "127.0.0.1" or any(char.isspace() or char in "\"'"
                                  for char in user + password):
        return ""
    return "\nmachine %s login %s password %s\n" % (host, user, password)
