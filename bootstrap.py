#!/usr/bin/env python3
"""Bootstrap a zc.buildout from whichever package index mirror is alive.

    python3 bootstrap.py [-c buildout.cfg] [--mirror URL]... \\
        [--find-links PATH_OR_URL]... [--timeout S] \\
        [--buildout-version V] [--setuptools-version V] [--venv DIR]

Standard library only (Python 3.9+).  It reads ``mirrors``, ``index``,
``find-links`` and the ``[versions]`` pins from the configuration (after
``~/.buildout/default.cfg`` and ``extends``, local and remote, so that
Plone's and Zope's pinned zc.buildout, setuptools, wheel and pip are the
ones installed; ``BUILDOUT_MIRRORS`` and
``--mirror`` win), probes the candidates in parallel under one deadline the
way the buildout_mirrors extension does, creates a virtual environment (so
a distribution's "externally managed" Python is never touched, PEP 668),
installs pip, setuptools, wheel, zc.buildout and buildout_mirrors into it
from the chosen mirror only, and runs ``buildout bootstrap`` to write
``bin/buildout``.  Because buildout_mirrors is then installed beside
zc.buildout, the first ``bin/buildout`` needs no index for the extension
itself.  In a checkout of buildout_mirrors it installs the checkout.
Running it again is harmless.
"""

import argparse
import configparser
import ipaddress
import json
import os
import queue
import re
import hashlib
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

# Keep in step with src/buildout_mirrors/data/public-mirrors.txt (a test
# checks that they agree).
BUILTIN_MIRRORS = (
    "https://pypi.org/simple",
    "https://mirrors.aliyun.com/pypi/simple",
    "https://pypi.tuna.tsinghua.edu.cn/simple",
    "https://mirrors.cloud.tencent.com/pypi/simple",
    "https://mirror.sjtu.edu.cn/pypi/web/simple",
)
PROBE_PROJECT = "zc-buildout"
GRACE_SECONDS = 0.1  # as the extension's policies (mirrors-grace)
JSON_TYPE = "application/vnd.pypi.simple.v1+json"
DIST_SUFFIXES = (".whl", ".tar.gz", ".zip", ".tar.bz2", ".tgz", ".egg")
PROJECT = "buildout_mirrors"


class BootstrapError(Exception):
    """Something the user can fix; printed as one line, no traceback."""


def redact(url):
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urllib.parse.urlunsplit(
        parts._replace(netloc="***@" + parts.netloc.rsplit("@", 1)[1]))


def say(message):
    print("bootstrap: " + message, flush=True)


# -- configuration ---------------------------------------------------------

EXTENDS_TIMEOUT = 15.0  # zc.buildout's own patience for one read
EXTENDS_TIMEOUT_WITH_COPY = 5.0  # as bin/buildout's, extends_guard


def _read_cfg(location, seen):
    """[buildout] and [versions]-like sections of *location* (a path or a
    URL) after its ``extends``, local and remote, as {section: {option:
    value}}.  Plone and Zope buildouts take their pins from remote
    versions.cfg files: those are read with a bound on every wait."""
    remote = "://" in location
    location = location if remote else os.path.abspath(location)
    if location in seen:
        return {}
    seen.add(location)
    parser = configparser.RawConfigParser(strict=False,
                                          inline_comment_prefixes=None)
    parser.optionxform = str
    try:
        parser.read_string(fetch_config(location) if remote else
                           open(location, encoding="utf-8").read(),
                           source=redact(location))
    except configparser.Error as error:
        raise BootstrapError("cannot parse %s: %s"
                             % (redact(location), str(error).splitlines()[0]))
    result = {}
    for parent in parser.get("buildout", "extends", fallback="").split():
        if "://" in parent:
            target = parent
        elif remote:
            target = urllib.parse.urljoin(location, parent)
        else:
            target = os.path.join(os.path.dirname(location), parent)
        _merge(result, _read_cfg(target, seen))
    _merge(result, {section: dict(parser.items(section))
                    for section in parser.sections()})
    return result


def saved_copy(url):
    """Where bin/buildout (buildout_mirrors.extends_guard) keeps the copy
    of a remote extends that it read last."""
    return os.path.join(user_cache_dir(), "extends", hashlib.sha256(
        url.encode("utf-8")).hexdigest()[:32] + ".cfg")


def fetch_config(url):
    """The text of a remote configuration, or of the copy an earlier run
    saved when its host is down or hangs; a one-line error when there is
    none."""
    if url.startswith("file:"):
        with open(urllib.request.url2pathname(urllib.parse.urlsplit(
                url).path), encoding="utf-8") as stream:
            return stream.read()
    handlers = [urllib.request.HTTPSHandler(context=ssl_context()),
                NoDowngrade()]
    copy = saved_copy(url)
    wait = EXTENDS_TIMEOUT_WITH_COPY if os.path.isfile(copy) else \
        EXTENDS_TIMEOUT
    try:
        with urllib.request.build_opener(*handlers).open(
                authorized(url, {"User-Agent": "buildout_mirrors bootstrap"}),
                timeout=wait) as response:
            return response.read(8 * 1024 * 1024).decode("utf-8", "replace")
    except Exception as error:
        if os.path.isfile(copy):
            say("%s: %s; using the copy saved by an earlier run: %s"
                % (redact(url), why(error, wait), copy))
            with open(copy, encoding="utf-8", errors="replace") as stream:
                return stream.read()
        raise BootstrapError(
            "cannot read the extended configuration %s (%s); bootstrap.py "
            "needs its [versions] pins. Try again when its host answers, or "
            "extend a local copy." % (redact(url), why(error,
                                                      EXTENDS_TIMEOUT)))


class NoDowngrade(urllib.request.HTTPRedirectHandler):
    """Configuration hosts may redirect (to a CDN, say), never from https
    down to http."""

    def redirect_request(self, request, fp, code, message, headers, new_url):
        if request.full_url.startswith("https:") and \
                not new_url.startswith("https:"):
            raise urllib.error.URLError("redirect from https to http refused")
        return super().redirect_request(request, fp, code, message, headers,
                                        new_url)


def _merge(into, sections):
    """Apply buildout's ``option +=`` / ``option -=`` and plain overrides."""
    for section, options in sections.items():
        target = into.setdefault(section, {})
        for key, value in options.items():
            value = re.sub(r"\s+[#;].*$", "", value, flags=re.M).strip()
            name = key.rstrip(" +-")
            if key.endswith("+"):
                target[name] = (target.get(name, "") + "\n" + value).strip()
            elif key.endswith("-"):
                removed = set(value.split())
                target[name] = "\n".join(
                    item for item in target.get(name, "").split()
                    if item not in removed)
            else:
                target[name] = value


def read_config(config_path):
    sections = {}
    default = os.path.join(os.path.expanduser("~"), ".buildout", "default.cfg")
    if os.path.isfile(default):
        _merge(sections, _read_cfg(default, set()))
    if not os.path.isfile(config_path):
        raise BootstrapError("%s not found; name the configuration with -c"
                             % config_path)
    _merge(sections, _read_cfg(config_path, set()))
    buildout = sections.get("buildout", {})
    directory = os.path.dirname(os.path.abspath(config_path))
    for section in sections.values():
        for key, value in section.items():
            section[key] = value.replace("${buildout:directory}", directory)
    versions = sections.get(buildout.get("versions", "versions"), {})
    return buildout, {normalize(name): pin for name, pin in versions.items()}


def normalize(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def is_loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_url(text, where, allow_http, base):
    """Normalise one candidate; None (after a warning) when unusable."""
    if "://" not in text and not text.startswith("file:"):
        path = os.path.abspath(os.path.join(base, os.path.expanduser(text)))
        return "file://" + urllib.request.pathname2url(path)
    parts = urllib.parse.urlsplit(text)
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme not in ("https", "http", "file") or (
            scheme != "file" and not host):
        say("ignoring %s %r: not an http(s) or file URL" % (where, redact(text)))
        return None
    if scheme == "http" and not is_loopback(host) and host not in allow_http:
        say("ignoring %s %r: plain http; use https or mirrors-allow-http"
            % (where, redact(text)))
        return None
    return text.rstrip("/")


def candidates(args, buildout, base):
    allow_http = buildout.get("mirrors-allow-http", "").lower().split()
    if args.mirror:
        raw, where = args.mirror, "--mirror"
    elif os.environ.get("BUILDOUT_MIRRORS", "").strip():
        raw, where = os.environ["BUILDOUT_MIRRORS"].split(), "BUILDOUT_MIRRORS"
    elif buildout.get("mirrors", "").strip():
        raw, where = buildout["mirrors"].split(), "mirrors"
    else:
        raw = buildout.get("index", "").split() + list(BUILTIN_MIRRORS)
        where = "index"
    found = []
    for item in raw:
        url = check_url(item, where, allow_http, base)
        if url and url not in found:
            found.append(url)
    if not found:
        raise BootstrapError("no usable mirror URL in %s" % where)
    return found


# -- probing ---------------------------------------------------------------

CA_BUNDLE = []  # mirrors-ca-bundle from the configuration, once read


def ca_bundle():
    """mirrors-ca-bundle, else pip's and requests' settings, else None: the
    system trust store (which honours SSL_CERT_FILE and SSL_CERT_DIR)."""
    for value in CA_BUNDLE + [os.environ.get(name) for name in (
            "PIP_CERT", "REQUESTS_CA_BUNDLE")]:
        if value:
            return value
    return None


def ssl_context():
    """Verification stays on; a company CA bundle is honoured."""
    return ssl.create_default_context(cafile=ca_bundle())


class SafeRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only on the same host, and never from https down
    to http: a mirror page must not send us elsewhere."""

    def redirect_request(self, request, fp, code, message, headers, new_url):
        old, new = (urllib.parse.urlsplit(request.full_url),
                    urllib.parse.urlsplit(new_url))
        if old.scheme == "https" and new.scheme != "https":
            raise urllib.error.URLError("redirect from https to http refused")
        if (old.hostname, old.port) != (new.hostname, new.port):
            raise urllib.error.URLError("redirect to %s refused (not this "
                                        "mirror)" % new.hostname)
        return super().redirect_request(request, fp, code, message, headers,
                                        new_url)


def opener():
    handlers = [urllib.request.HTTPSHandler(context=ssl_context()),
                SafeRedirects()]
    return urllib.request.build_opener(*handlers)


def authorized(url, headers):
    """A request for *url* whose credentials travel as a Basic header."""
    parts = urllib.parse.urlsplit(url)
    headers = dict(headers)
    if parts.username is not None:
        import base64
        headers["Authorization"] = "Basic " + base64.b64encode((
            "%s:%s" % (urllib.parse.unquote(parts.username),
                       urllib.parse.unquote(parts.password or ""))).encode(
            "utf-8")).decode("ascii")
    return urllib.request.Request(without_auth(url.split("#", 1)[0]),
                                  headers=headers)


def read_page(url, deadline):
    """GET a project page and return (files, serial); raise on failure.
    The body is read in slices so that a trickling server meets the same
    deadline as one that hangs."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError()
    if url.startswith("file:"):
        return read_local_page(url)
    request = authorized(url, {"Accept": JSON_TYPE + ", text/html;q=0.2",
                               "User-Agent": "buildout_mirrors bootstrap"})
    with opener().open(request, timeout=remaining) as response:
        chunks = []
        while True:
            if time.monotonic() > deadline:
                raise TimeoutError()
            chunk = response.read1(65536)
            if not chunk:
                break
            chunks.append(chunk)
        body = b"".join(chunks).decode("utf-8", "replace")
        header_serial = response.headers.get("X-PyPI-Last-Serial", "")
        content_type = response.headers.get("Content-Type", "")
    if JSON_TYPE in content_type:
        data = json.loads(body)
        files = {}
        for entry in data["files"]:
            if not safe_file_name(entry["filename"]):
                continue
            hashes = sorted(entry.get("hashes", {}).items())
            files[entry["filename"]] = urllib.parse.urljoin(url, entry["url"]) \
                + ("#%s=%s" % hashes[0] if hashes else "")
        serial = data.get("meta", {}).get("_last-serial")
        # Some servers send it as a string of digits.
        serial = int(serial) if str(serial).isdigit() else None
    else:
        files = {}
        for href, label in re.findall(
                r"<a\s[^>]*?href\s*=\s*[\"']([^\"']+)[\"'][^>]*>(.*?)</a>",
                body, re.I | re.S):
            href = urllib.parse.urljoin(url, href.replace("&amp;", "&"))
            name = label.strip()
            if not safe_file_name(name):  # the link's own last segment
                name = urllib.parse.unquote(href.split("#")[0].rsplit("/", 1)[-1])
            if safe_file_name(name):
                files[name] = href
        match = re.search(r"<!--\s*SERIAL\s+(\d+)\s*-->", body)
        serial = int(match.group(1)) if match else None
    if header_serial.isdigit():
        serial = int(header_serial)
    return files, serial


def safe_file_name(name):
    """One path segment that names a distribution: a mirror page must not
    name ``../../x`` or an absolute path."""
    return isinstance(name, str) and name == name.strip() and \
        "/" not in name and "\\" not in name and "\x00" not in name and \
        not name.startswith(".") and name.lower().endswith(DIST_SUFFIXES)


def version_key(text):
    """A PEP 440 sort key for the common forms (1.2.10 > 1.2.9, 2.0rc1 <
    2.0 < 2.0.post1), from the standard library alone."""
    match = re.match(r"^v?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|c|rc|alpha|beta|pre"
                     r"|preview)[-_.]?(\d*))?(?:[-_.]?(post|rev|r)[-_.]?"
                     r"(\d*))?(?:[-_.]?(dev)[-_.]?(\d*))?", text.lower())
    if not match:
        return ((-1,), 0, 0, 0)
    release = tuple(int(part) for part in match.group(1).split("."))
    while len(release) > 1 and release[-1] == 0:
        release = release[:-1]
    pre = (-1 if match.group(6) and not match.group(2) else
           ({"a": 0, "alpha": 0, "b": 1, "beta": 1}.get(match.group(2), 2)
            if match.group(2) else 3))
    return (release, pre, int(match.group(3) or 0) if match.group(2) else 0,
            int(match.group(5) or 0) if match.group(4) else -1)


def file_version(name):
    """The version in a distribution file name, or None."""
    if name.endswith(".whl"):
        parts = name.split("-")
        return parts[1] if len(parts) >= 5 else None
    stem = re.sub(r"\.(tar\.gz|tar\.bz2|tgz|zip|egg)$", "", name)
    if name.endswith(".egg"):
        parts = stem.split("-")
        return parts[1] if len(parts) > 1 else None
    return stem.rsplit("-", 1)[1] if "-" in stem else None


def newest_version(files):
    versions = [version for version in map(file_version, files) if version]
    return max(versions, key=version_key) if versions else None


def read_local_page(url):
    folder = urllib.request.url2pathname(urllib.parse.urlsplit(url).path)
    if not os.path.isdir(folder):
        raise FileNotFoundError("no such directory")
    return {name: urllib.parse.urljoin(url, urllib.request.pathname2url(name))
            for name in os.listdir(folder) if safe_file_name(name)}, None


def why(error, timeout):
    """One short phrase for a failed probe, with no URL in it."""
    if isinstance(error, urllib.error.HTTPError):
        return "HTTP %d" % error.code
    reason = getattr(error, "reason", error)
    if isinstance(reason, (TimeoutError, socket.timeout)) or \
            "timed out" in str(reason):
        return "timed out after %.1f s" % timeout
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, ssl.SSLError):
        return "TLS error (certificate not trusted?)"
    if isinstance(reason, socket.gaierror):
        return "host name not found"
    return "failed (%s)" % type(reason).__name__


def probe(mirrors, timeout, grace=GRACE_SECONDS):
    """Probe every mirror at once; return (chosen or None, results).
    Like the extension's ordered policy: wait for every answer, but no more
    than *grace* seconds after the first healthy one; then take the first
    up-to-date mirror in list order."""
    deadline = time.monotonic() + timeout
    answers = queue.Queue()

    def run(url):
        started = time.monotonic()
        page = "%s/%s/" % (url, PROBE_PROJECT)
        try:
            files, serial = read_page(page, deadline)
            result = (True, "", files, serial) if files else (
                False, "no distributions of zc.buildout", files, serial)
        except Exception as error:  # a probe reports, it never raises
            result = (False, why(error, timeout), {}, None)
        answers.put((url, time.monotonic() - started) + result)

    for url in mirrors:
        threading.Thread(target=run, args=(url,), daemon=True).start()
    results, first_healthy = {}, None
    while len(results) < len(mirrors):
        now = time.monotonic()
        if first_healthy is not None and now - first_healthy >= grace:
            break
        limit = deadline if first_healthy is None else min(
            deadline, first_healthy + grace)
        try:
            url, elapsed, ok, reason, files, serial = answers.get(
                timeout=max(limit - now, 0.001))
        except queue.Empty:
            if time.monotonic() >= deadline:
                break
            continue
        results[url] = (elapsed, ok, reason, files, serial)
        if ok and first_healthy is None:
            first_healthy = time.monotonic()
    for url in mirrors:
        results.setdefault(url, (timeout, False, "timed out after %.1f s"
                                 % timeout if time.monotonic() >= deadline
                                 else "not waited for", {}, None))
    healthy = [url for url in mirrors if results[url][1]]
    # Behind beats dead: a mirror whose serial is lower, or whose newest
    # release is older, comes last.  Lacking old files is no lag.
    serials = [results[url][4] for url in healthy
               if results[url][4] is not None]
    newest_serial = max(serials) if serials else None
    newest = [newest_version(results[url][3]) for url in healthy]
    newest = max((version for version in newest if version),
                 key=version_key, default=None)

    def behind(url):
        serial = results[url][4]
        if serial is not None and len(serials) > 1 and serial < newest_serial:
            return True
        mine = newest_version(results[url][3])
        return bool(mine and newest) and version_key(mine) < \
            version_key(newest)

    healthy.sort(key=behind)
    return (healthy[0] if healthy else None), results


# -- sharing the result with the extension --------------------------------

def user_cache_dir():
    """buildout_mirrors.options.user_cache_dir("buildout-mirrors")."""
    home = os.path.expanduser("~")
    if sys.platform == "darwin":
        return os.path.join(home, "Library", "Caches", "buildout-mirrors")
    if os.name == "nt":
        return os.path.join(os.environ.get("LOCALAPPDATA", home),
                            "buildout-mirrors", "Cache")
    return os.path.join(os.environ.get("XDG_CACHE_HOME", "").strip()
                        or os.path.join(home, ".cache"), "buildout-mirrors")


def state_path(buildout, directory):
    """Where the extension keeps its state (see buildout_mirrors.options:
    mirrors-cache, else platformdirs' user cache directory, else the
    temporary directory), or None for ``mirrors-cache = none``."""
    cache = buildout.get("mirrors-cache", "").strip()
    if cache.lower() in ("none", "off", "false"):
        return None
    if cache:
        return os.path.join(directory, os.path.expanduser(cache))
    user_cache = user_cache_dir()
    user = os.getuid() if hasattr(os, "getuid") else os.environ.get(
        "USERNAME", "user")
    for folder in (user_cache, os.path.join(tempfile.gettempdir(),
                                            "buildout-mirrors-%s" % user)):
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError:
            continue
        if os.access(folder, os.W_OK):
            return os.path.join(folder, "state.json")
    return None


def record_choice(path, mirrors, results, chosen):
    """Write this probe into the extension's state file (same format,
    locked, atomic, no credentials), so that the first bin/buildout reuses
    the choice instead of probing again.  Best effort: a failure here only
    costs the extension one probe."""
    now = time.time()
    key = hashlib.sha256("\n".join(redact(url) for url in mirrors)
                         .encode("utf-8")).hexdigest()[:16]
    try:
        import fcntl
    except ImportError:
        fcntl = None
    try:
        with open(path + ".lock", "a") as lock:
            if fcntl:
                fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            try:
                with open(path, encoding="utf-8") as stream:
                    state = json.load(stream)
            except (OSError, ValueError):
                state = None
            if isinstance(state, dict) and isinstance(
                    state.get("format"), int) and state["format"] > 1:
                say("%s has a newer format (%s); left as it is"
                    % (path, state["format"]))
                return
            if not isinstance(state, dict) or state.get("format") != 1 or \
                    not isinstance(state.get("mirrors"), dict) or \
                    not isinstance(state.get("choices"), dict):
                state = {"format": 1, "mirrors": {}, "choices": {}}
            for url in mirrors:
                elapsed, ok, reason, files, serial = results[url]
                if reason == "not waited for":
                    continue
                state["mirrors"][redact(url)] = {
                    "checked": now, "ok": ok, "elapsed": round(elapsed, 4),
                    "reason": reason, "serial": serial, "lag": ""}
            state["choices"][key] = {
                "mirror": redact(chosen), "at": now,
                "candidates": [redact(url) for url in mirrors]}
            handle, temporary = tempfile.mkstemp(
                prefix="." + os.path.basename(path) + ".", suffix=".tmp",
                dir=os.path.dirname(path))
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as stream:
                    json.dump(state, stream, indent=1, sort_keys=True)
                    stream.flush()
                    os.fsync(stream.fileno())
                os.replace(temporary, path)
            except BaseException:
                if os.path.exists(temporary):
                    os.unlink(temporary)
                raise
    except OSError as error:
        say("could not record the choice in %s (%s)" % (path, error))


# -- installing ------------------------------------------------------------

def venv_python(venv):
    return os.path.join(venv, "Scripts" if os.name == "nt" else "bin",
                        "python.exe" if os.name == "nt" else "python")


def make_venv(venv, mirror):
    python = venv_python(venv)
    if os.path.exists(python):
        return python
    say("creating the virtual environment %s" % venv)
    import venv as venv_module
    try:
        venv_module.EnvBuilder(with_pip=True).create(venv)
    except (subprocess.CalledProcessError, OSError) as error:
        # Debian's python3 without python3-venv has no ensurepip: make the
        # environment without pip and bring pip in from the mirror.
        say("ensurepip is not available (%s); fetching pip from the mirror"
            % type(error).__name__)
        shutil.rmtree(venv, ignore_errors=True)
        venv_module.EnvBuilder(with_pip=False).create(venv)
        install_pip_from_mirror(python, mirror)
    return python


def install_pip_from_mirror(python, mirror):
    """Download the newest pip wheel from *mirror*, check its hash, and run
    pip straight from it (a wheel is an importable zip) to install itself."""
    if not mirror:
        raise BootstrapError("this Python has no ensurepip and no mirror is "
                             "reachable; install python3-venv")
    files, _ = read_page("%s/pip/" % mirror, time.monotonic() + 60)
    wheels = sorted((name for name in files if name.endswith(
        "-py3-none-any.whl")), key=lambda name: version_key(
        file_version(name) or ""))
    if not wheels:
        raise BootstrapError("the mirror has no pip wheel")
    url = files[wheels[-1]]
    with tempfile.TemporaryDirectory() as scratch:
        wheel = os.path.join(scratch, wheels[-1])
        with opener().open(authorized(url, {}), timeout=60) as response, \
                open(wheel, "wb") as stream:
            shutil.copyfileobj(response, stream)
        fragment = urllib.parse.urlsplit(url).fragment
        if "=" in fragment:
            algorithm, expected = fragment.split("=", 1)
            with open(wheel, "rb") as stream:
                actual = hashlib.new(algorithm, stream.read()).hexdigest()
            if actual != expected:
                raise BootstrapError("%s does not match its %s hash"
                                     % (wheels[-1], algorithm))
        run([python, os.path.join(wheel, "pip"), "install", "--no-index",
             "-q", wheel], "installing pip")


def without_auth(url):
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urllib.parse.urlunsplit(
        parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


NETRC = []  # a private netrc for pip, when the mirror has credentials


def hand_credentials_to_pip(url, scratch):
    """*url* without credentials; they go to a 0600 netrc file that pip
    reads (through NETRC), never to pip's command line, where ``ps`` shows
    them."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None:
        return url
    path = os.path.join(scratch, "netrc")
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(handle, "w") as stream:
        stream.write("machine %s\nlogin %s\npassword %s\n" % (
            parts.hostname, urllib.parse.unquote(parts.username),
            urllib.parse.unquote(parts.password or "")))
    NETRC[:] = [path]
    return without_auth(url)


def run(command, doing):
    env = dict(os.environ)
    if NETRC:
        env["NETRC"] = NETRC[0]
    if ca_bundle():
        # requests lets these variables override pip's --cert.
        env.update(REQUESTS_CA_BUNDLE=ca_bundle(), CURL_CA_BUNDLE=ca_bundle())
    result = subprocess.run(command, stdout=subprocess.PIPE, env=env,
                            stderr=subprocess.STDOUT, universal_newlines=True)
    if result.returncode:
        tail = "\n".join(result.stdout.strip().splitlines()[-15:])
        raise BootstrapError("%s failed:\n%s" % (doing, tail))
    if result.stdout.strip():
        print(result.stdout.rstrip())
    return result


def requirement(name, pins, override=None):
    pin = override or pins.get(normalize(name))
    return "%s==%s" % (name, pin) if pin else name


def checkout_of_this_project(directory):
    setup_py = os.path.join(directory, "setup.py")
    if not os.path.isfile(setup_py):
        return False
    with open(setup_py, encoding="utf-8") as stream:
        return re.search(r"name\s*=\s*[\"']%s[\"']" % PROJECT,
                         stream.read()) is not None


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Bootstrap zc.buildout from a live package index mirror.")
    parser.add_argument("-c", "--config", default="buildout.cfg",
                        help="the buildout configuration (buildout.cfg)")
    parser.add_argument("--mirror", action="append", default=[],
                        metavar="URL", help="a candidate simple-index URL, "
                        "in order of preference (repeatable)")
    parser.add_argument("--find-links", action="append", default=[],
                        metavar="PATH_OR_URL", help="a directory or page of "
                        "distributions (repeatable)")
    parser.add_argument("--timeout", type=float, default=None,
                        help="deadline for choosing a mirror, in seconds")
    parser.add_argument("--buildout-version", help="zc.buildout version")
    parser.add_argument("--setuptools-version", help="setuptools version")
    parser.add_argument("--venv", default=".venv", help="the virtual "
                        "environment to create, relative to the buildout "
                        "(.venv)")
    args = parser.parse_args(argv)
    try:
        bootstrap(args)
    except BootstrapError as error:
        print("bootstrap: error: %s" % error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


def bootstrap(args):
    if sys.version_info < (3, 9):
        raise BootstrapError(
            "buildout_mirrors needs Python 3.9 or newer; this is %d.%d. Run "
            "bootstrap.py with a newer python3." % sys.version_info[:2])
    config = os.path.abspath(args.config)
    directory = os.path.dirname(config)
    buildout, pins = read_config(config)
    wanted = args.buildout_version or pins.get("zc-buildout", "")
    if sys.version_info < (3, 10) and version_key(wanted) >= ((6,), 3, 0, -1):
        raise BootstrapError(
            "zc.buildout %s needs Python 3.10 or newer; this is %d.%d. Run "
            "bootstrap.py with a newer python3, or pin zc.buildout 5 or "
            "older." % ((wanted,) + sys.version_info[:2]))
    timeout = args.timeout
    if timeout is None:
        try:
            timeout = float(buildout.get("mirrors-timeout") or 2)
        except ValueError:
            raise BootstrapError("mirrors-timeout = %r is not a number"
                                 % buildout["mirrors-timeout"])
    if not timeout > 0:
        raise BootstrapError("the timeout must be a number of seconds > 0")
    if buildout.get("mirrors-ca-bundle", "").strip():
        CA_BUNDLE.append(os.path.join(directory, os.path.expanduser(
            buildout["mirrors-ca-bundle"].strip())))
    mirrors = candidates(args, buildout, directory)
    links = [check_url(link, "find-links", (), directory)
             for link in args.find_links + buildout.get("find-links", "").split()]
    links = [link for link in links if link]

    try:
        grace = float(buildout.get("mirrors-grace") or GRACE_SECONDS)
    except ValueError:
        raise BootstrapError("mirrors-grace = %r is not a number"
                             % buildout["mirrors-grace"])
    chosen, results = probe(mirrors, timeout, grace)
    failed = ["%s (%s)" % (redact(url), results[url][2])
              for url in mirrors if not results[url][1]]
    local_links = [link for link in links if link.startswith("file:")]
    if chosen:
        path = state_path(buildout, directory)
        if path and not args.mirror:  # --mirror is not the config's list
            record_choice(path, mirrors, results, chosen)
        say("using mirror %s (%d ms)%s" % (
            redact(chosen), results[chosen][0] * 1000,
            "; skipped: " + ", ".join(failed) if failed else ""))
        index_args = ["--index-url", chosen]
    elif local_links:
        say("no mirror is reachable (%s); installing from find-links only"
            % ", ".join(failed))
        index_args = ["--no-index"]
    else:
        raise BootstrapError(
            "no mirror is reachable: %s. Name a live one with --mirror URL, "
            "or a directory of distributions with --find-links PATH."
            % ", ".join(failed))
    for link in links:
        index_args += ["--find-links", link]
    # --isolated (below): no pip.conf or PIP_* may add pypi.org (or
    # anything else) behind the chosen mirror's back.

    with tempfile.TemporaryDirectory() as scratch:
        index_args = [hand_credentials_to_pip(arg, scratch)
                      for arg in index_args]
        pip_args = ["--isolated", "--disable-pip-version-check"] + \
            index_args + (["--cert", ca_bundle()] if ca_bundle() else [])
        pins_file = write_constraints(pins, os.path.join(scratch, "pins.txt"))
        install(args, directory, config, buildout, pins, chosen,
                pip_args, pins_file)
    say("done; now run bin/buildout")


PINNED_BY_NAME = ("pip", "setuptools", "wheel", "zc-buildout",
                  "buildout-mirrors")
PIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+!-]*\Z")


def write_constraints(pins, path):
    """The buildout's other [versions] pins as a pip constraints file, so
    that the extension's own dependencies (zope.interface, packaging) land
    at the versions the first bin/buildout will want: a mismatch would send
    zc.buildout to its index for them before the extension loads.  Pins
    pip could not read (${...} substitutions, odd text) are left out."""
    with open(path, "w") as stream:
        for name, version in sorted(pins.items()):
            if name not in PINNED_BY_NAME and PIN.match(name) and \
                    PIN.match(version.strip()):
                stream.write("%s==%s\n" % (name, version.strip()))
    return path


def install(args, directory, config, buildout, pins, chosen, pip_args,
            pins_file):
    venv = os.path.join(directory, args.venv)
    python = make_venv(venv, chosen)
    pip = [python, "-m", "pip", "install", "-q"] + pip_args
    run(pip + [requirement("pip", pins)], "installing pip")
    # zc.buildout 6 imports pkg_resources, which setuptools 82 removed.
    setuptools = requirement("setuptools", pins, args.setuptools_version)
    if setuptools == "setuptools":
        setuptools = "setuptools<82"
    run(pip + [requirement("wheel", pins), setuptools,
               requirement("zc.buildout", pins, args.buildout_version)],
        "installing zc.buildout")
    if checkout_of_this_project(directory):
        say("installing buildout_mirrors from the checkout %s" % directory)
        run(pip + ["-c", pins_file, "--no-build-isolation", "-e", directory],
            "installing buildout_mirrors from the checkout")
    else:
        run(pip + ["-c", pins_file, requirement(PROJECT, pins)],
            "installing buildout_mirrors")
    # The launcher, as bin/buildout will be: extends read under a deadline.
    run([python, "-m", "buildout_mirrors.buildout.launcher", "-c", config,
         "bootstrap"], "buildout bootstrap")
    if os.name != "nt":
        write_launcher(os.path.join(directory, os.path.expanduser(
            buildout.get("bin-directory", "").strip() or "bin"),
            "buildout"), python)


LAUNCHER = """#!%s
# bin/buildout as bootstrap.py (buildout_mirrors) writes it: zc.buildout's
# own main, with remote extends read under a deadline and a saved copy to
# fall back on.  zc.buildout puts its plain script back when it upgrades
# itself; run bootstrap.py again to get this one back.
import sys

try:
    from buildout_mirrors.buildout.launcher import main
except ImportError:  # buildout_mirrors left this environment
    from zc.buildout.buildout import main

if __name__ == "__main__":
    sys.exit(main())
"""


def write_launcher(path, python):
    """Replace zc.buildout's bin/buildout by the launcher, atomically."""
    temporary = path + ".tmp"
    with open(temporary, "w") as stream:
        stream.write(LAUNCHER % python)
    os.chmod(temporary, 0o755)
    os.replace(temporary, path)


if __name__ == "__main__":
    sys.exit(main())
