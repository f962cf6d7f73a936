#!/usr/bin/env python3
"""Bootstrap a zc.buildout from whichever package index mirror is alive.

    python3 bootstrap.py [-c buildout.cfg] [--mirror URL]... \\
        [--find-links PATH_OR_URL]... [--timeout S] \\
        [--buildout-version V] [--setuptools-version V] [--venv DIR] [-q]
    python3 bootstrap.py --unpack DIR

Standard library only (Python 3.9+).  It reads the mirrors, index,
find-links and [versions] pins of the configuration (after
~/.buildout/default.cfg and extends, local and remote), probes the
candidates in parallel under one deadline as the buildout_mirrors
extension does, makes a virtual environment (a distribution's "externally
managed" Python is never touched, PEP 668), installs pip, setuptools,
wheel, zc.buildout and buildout_mirrors into it from the listed mirrors
only, and writes bin/buildout.  Running it again is harmless.

Generated from buildout_mirrors 1.0.0 by
``python -m buildout_mirrors.bootstrapping.assemble``; do not edit.  After
the code below, it carries buildout_mirrors/index, store, selection,
failover and bootstrapping of that release as plain text, each line after
``#|``, as get-pip.py carries pip; ``--unpack DIR`` writes them out, and
the sha256 of what it carries (``python -m
buildout_mirrors.bootstrapping.assemble --digest``) is published in
CHANGES.rst with each release.
"""

import os
import sys
import tempfile

HEADER, LINE = "# ---- ", "#|"


def carried(path):
    """{relative path: text} of the modules carried after the code."""
    found, current = {}, None
    with open(path, encoding="utf-8") as stream:
        for line in stream:
            if line.startswith(HEADER):
                current = found.setdefault(line[len(HEADER):].strip(), [])
            elif current is not None and line.startswith(LINE):
                current.append(line[len(LINE):])
    return {name: "".join(lines) for name, lines in found.items()}


def unpack(directory):
    for name, text in carried(os.path.abspath(__file__)).items():
        target = os.path.join(directory, *name.split("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)


def main():
    if sys.version_info < (3, 9):
        sys.stderr.write("bootstrap: error: buildout_mirrors needs Python "
                         "3.9 or newer; run bootstrap.py with a newer "
                         "python3.\n")
        return 1
    if len(sys.argv) == 3 and sys.argv[1] == "--unpack":
        unpack(sys.argv[2])
        print("bootstrap: the modules it runs are in %s" % sys.argv[2])
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        unpack(scratch)
        sys.path.insert(0, scratch)
        from buildout_mirrors.bootstrapping.main import main as bootstrap
        return bootstrap()


if __name__ == "__main__":
    sys.exit(main())


# The modules it runs, as plain text (data, never executed as it stands):
# ---- buildout_mirrors/__init__.py
#|"""Pick a live, up-to-date package index for zc.buildout and fail over.
#|
#|The entry point is :mod:`buildout_mirrors.buildout.extension`.  Which
#|modules may import zc.buildout, and which alone handle credentials and
#|the state file, is in README.rst's Architecture section.
#|"""
# ---- buildout_mirrors/bootstrapping/__init__.py
#|"""bootstrap.py, as a package: standard library only, and built on the
#|index client, the store, the selection and the failover.  ``assemble``
#|writes bootstrap.py as a short script that carries these modules and
#|those folders as plain text, the way get-pip.py carries pip."""
# ---- buildout_mirrors/bootstrapping/config.py
#|"""The buildout configuration as bootstrap.py needs it, before zc.buildout
#|exists: ``[buildout]`` and the ``[versions]`` pins, after
#|``~/.buildout/default.cfg`` and ``extends`` (local and remote, with
#|buildout's ``+=`` and ``-=``).
#|
#|Plone and Zope buildouts take their pins from remote versions.cfg files:
#|each is read with a bounded wait, and when its host is down the copy that
#|an earlier run saved (store.extends_copies) is used.
#|"""
#|
#|from __future__ import annotations
#|
#|import configparser
#|import os
#|import re
#|import urllib.parse
#|import urllib.request
#|
#|from buildout_mirrors.bootstrapping.console import BootstrapError, say
#|from buildout_mirrors.store import extends_copies
#|from buildout_mirrors.index import pages, transport, urls
#|
#|MAX_CONFIG_BYTES = 8 * 1024 * 1024
#|_COMMENT = re.compile(r"\s+[#;].*$", re.M)
#|
#|
#|def read_config(config_path):
#|    """({[buildout] option: value}, {normalised project: pin}, directory)."""
#|    sections: dict[str, dict[str, str]] = {}
#|    default = os.path.join(os.path.expanduser("~"), ".buildout", "default.cfg")
#|    if os.path.isfile(default):
#|        _merge(sections, _read(default, set()))
#|    if not os.path.isfile(config_path):
#|        raise BootstrapError("%s not found; name the configuration with -c"
#|                             % config_path)
#|    _merge(sections, _read(config_path, set()))
#|    directory = os.path.dirname(os.path.abspath(config_path))
#|    for section in sections.values():
#|        for key, value in section.items():
#|            section[key] = value.replace("${buildout:directory}", directory)
#|    buildout = sections.get("buildout", {})
#|    versions = sections.get(buildout.get("versions", "versions"), {})
#|    pins = {pages.normalize_project(name): pin
#|            for name, pin in versions.items()}
#|    return buildout, pins, directory
#|
#|
#|def _read(location, seen):
#|    """The sections of *location* (a path or a URL) over those of its
#|    ``extends``, as {section: {option: value}}."""
#|    remote = "://" in location
#|    location = location if remote else os.path.abspath(location)
#|    if location in seen:
#|        return {}
#|    seen.add(location)
#|    parser = configparser.RawConfigParser(strict=False,
#|                                          inline_comment_prefixes=None)
#|    parser.optionxform = str  # type: ignore[assignment, method-assign]
#|    try:
#|        parser.read_string(_fetch(location) if remote else
#|                           _read_local(location),
#|                           source=urls.redact(location))
#|    except configparser.Error as error:
#|        raise BootstrapError("cannot parse %s: %s" % (
#|            urls.redact(location), str(error).splitlines()[0]))
#|    result: dict[str, dict[str, str]] = {}
#|    for parent in parser.get("buildout", "extends", fallback="").split():
#|        if "://" in parent:
#|            target = parent
#|        elif remote:
#|            target = urllib.parse.urljoin(location, parent)
#|        else:
#|            target = os.path.join(os.path.dirname(location), parent)
#|        _merge(result, _read(target, seen))
#|    _merge(result, {section: dict(parser.items(section))
#|                    for section in parser.sections()})
#|    return result
#|
#|
#|def _read_local(path):
#|    """The text of a local configuration, or one BootstrapError that says
#|    what is wrong with the file."""
#|    try:
#|        with open(path, "rb") as stream:
#|            data = stream.read(MAX_CONFIG_BYTES + 1)
#|    except OSError as error:
#|        raise BootstrapError("cannot read the configuration %s (%s); fix "
#|                             "the path in extends, or the file's "
#|                             "permissions" % (path, error.strerror or error))
#|    if len(data) > MAX_CONFIG_BYTES:
#|        raise BootstrapError("%s is larger than %d bytes: not a buildout "
#|                             "configuration" % (path, MAX_CONFIG_BYTES))
#|    try:
#|        text = data.decode("utf-8")
#|    except UnicodeDecodeError as error:
#|        raise BootstrapError("%s is not UTF-8 text (byte %d); save it as "
#|                             "UTF-8" % (path, error.start)) from None
#|    if "\x00" in text:
#|        raise BootstrapError("%s holds a NUL character (line %d); remove it"
#|                             % (path, text[:text.index("\x00")].count("\n")
#|                                + 1))
#|    return text
#|
#|
#|def _merge(into, sections):
#|    """Apply buildout's ``option +=``, ``option -=`` and plain overrides."""
#|    for section, options in sections.items():
#|        target = into.setdefault(section, {})
#|        for key, value in options.items():
#|            value = _COMMENT.sub("", value).strip()
#|            name = key.rstrip(" +-")
#|            if key.endswith("+"):
#|                target[name] = (target.get(name, "") + "\n" + value).strip()
#|            elif key.endswith("-"):
#|                removed = set(value.split())
#|                target[name] = "\n".join(
#|                    item for item in target.get(name, "").split()
#|                    if item not in removed)
#|            else:
#|                target[name] = value
#|
#|
#|def _fetch(url):
#|    """The text of a remote configuration, or of its saved copy when the
#|    host fails; one error when there is none."""
#|    if url.startswith("file:"):
#|        return _read_local(urllib.request.url2pathname(
#|            urllib.parse.urlsplit(url).path))
#|    copy = extends_copies.copy_path(url)
#|    has_copy = os.path.isfile(copy)
#|    wait = extends_copies.WAIT_WITH_COPY if has_copy else \
#|        extends_copies.WAIT_WITHOUT_COPY
#|    try:
#|        # Configuration hosts may redirect (to a CDN), never down to http.
#|        response = transport.get(
#|            url, limits=transport.Limits(first_byte=wait, stall=wait,
#|                                         max_bytes=MAX_CONFIG_BYTES),
#|            redirect_ok=lambda source, target: True)
#|        with response.body:
#|            if response.status >= 400:
#|                raise transport.FetchError("HTTP %d" % response.status)
#|            return response.body.read().decode("utf-8", "replace").replace(
#|                "\x00", "")
#|    except transport.FetchError as error:
#|        if has_copy:
#|            say("%s: %s; using the copy saved by an earlier run (%s): %s" % (
#|                urls.redact(url), error, extends_copies.saved_at(copy), copy))
#|            with open(copy, encoding="utf-8", errors="replace") as stream:
#|                return stream.read()
#|        raise BootstrapError(
#|            "cannot read the extended configuration %s (%s); bootstrap.py "
#|            "needs its [versions] pins. Try again when its host answers, or "
#|            "extend a local copy." % (urls.redact(url), error))
# ---- buildout_mirrors/bootstrapping/console.py
#|"""How bootstrap.py talks: one ``bootstrap:`` line at a time, never
#|silent for long (a user cannot tell a slow machine from a hang), and one
#|error a user can act on, never a traceback.  ``-q`` keeps only what
#|matters at the end: errors, warnings and the last line."""
#|
#|import contextlib
#|import threading
#|import time
#|
#|SILENCE = 3.0  # seconds without a line before "still ..." is said
#|
#|
#|class BootstrapError(Exception):
#|    """Something the user can fix; printed as one line, no traceback."""
#|
#|
#|class _Console:
#|    quiet = False
#|    last = time.monotonic()
#|
#|
#|def set_quiet(quiet):
#|    _Console.quiet = quiet
#|
#|
#|def say(message, progress=False):
#|    """One ``bootstrap:`` line; a *progress* line is dropped with -q."""
#|    _Console.last = time.monotonic()
#|    if not (progress and _Console.quiet):
#|        print("bootstrap: " + message, flush=True)
#|
#|
#|@contextlib.contextmanager
#|def heartbeat(doing):
#|    """While the block runs, say "still *doing* (N s)" after each
#|    SILENCE seconds in which nothing else was said."""
#|    started, done = time.monotonic(), threading.Event()
#|
#|    def beat():
#|        while not done.wait(0.25):
#|            if time.monotonic() - _Console.last >= SILENCE:
#|                say("still %s (%d s)" % (doing, time.monotonic() - started),
#|                    progress=True)
#|    thread = threading.Thread(target=beat, daemon=True)
#|    thread.start()
#|    try:
#|        yield
#|    finally:
#|        done.set()
#|        thread.join()
# ---- buildout_mirrors/bootstrapping/environment.py
#|"""The buildout's own virtual environment, and pip run in it.
#|
#|A venv, so that a distribution's "externally managed" Python (PEP 668) is
#|never touched.  Where the Python has no ensurepip (Debian's python3
#|without python3-venv), pip comes from the chosen mirror, its hash checked.
#|pip gets the mirror's credentials through a private netrc file, never on
#|its command line, where ``ps`` shows them.
#|"""
#|
#|import os
#|import shutil
#|import subprocess
#|import time
#|import urllib.parse
#|import urllib.request
#|
#|from buildout_mirrors.bootstrapping.console import BootstrapError, \
#|    heartbeat, say
#|from buildout_mirrors.index import (connection, index_client, pages,
#|                                    transport, urls, versions)
#|from buildout_mirrors.selection import probe
#|
#|PIP_WHEEL_TIMEOUT = 60.0
#|# pip's lines worth passing on: what it fetches, builds and installs.
#|PIP_PROGRESS = ("Collecting", "Building wheel", "Installing collected",
#|                "Successfully installed", "Obtaining", "WARNING")
#|
#|
#|class Environment:
#|    """``Environment(venv, scratch, ca_bundle=None, pip_environ=None)``:
#|    *scratch* is a private temporary directory that lives as long as the
#|    bootstrap; *pip_environ* what pip's environment needs for the guarded
#|    index (its netrc, which also holds find-links' credentials)."""
#|
#|    def __init__(self, venv, scratch, *, ca_bundle=None, pip_environ=None):
#|        self.venv, self.scratch, self.ca_bundle = venv, scratch, ca_bundle
#|        self.pip_environ = dict(pip_environ or {})
#|        self.netrc = None
#|
#|    @property
#|    def python(self):
#|        return os.path.join(self.venv, "Scripts" if os.name == "nt" else "bin",
#|                            "python.exe" if os.name == "nt" else "python")
#|
#|    def create(self, mirror):
#|        """Make the venv (unless it exists) and return its python."""
#|        if os.path.exists(self.python):
#|            return self.python
#|        say("creating the virtual environment %s" % self.venv)
#|        import venv
#|        try:
#|            with heartbeat("creating the virtual environment"):
#|                venv.EnvBuilder(with_pip=True).create(self.venv)
#|        except (subprocess.CalledProcessError, OSError) as error:
#|            say("ensurepip is not available (%s); fetching pip from the "
#|                "mirror" % type(error).__name__)
#|            shutil.rmtree(self.venv, ignore_errors=True)
#|            venv.EnvBuilder(with_pip=False).create(self.venv)
#|            self._pip_from(mirror)
#|        return self.python
#|
#|    def _pip_from(self, mirror):
#|        """Install the newest pip wheel of *mirror* by running pip from
#|        the wheel itself (a wheel is an importable zip)."""
#|        if not mirror:
#|            raise BootstrapError("this Python has no ensurepip and no mirror "
#|                                 "is reachable; install python3-venv")
#|        context = connection.LazyContext(self.ca_bundle or True)
#|        files = _project_files(mirror, "pip", context)
#|        wheels = sorted((name for name in files
#|                         if name.endswith("-py3-none-any.whl")),
#|                        key=lambda name: versions.key(
#|                            versions.file_version(name) or "0"))
#|        if not wheels:
#|            raise BootstrapError("the mirror has no pip wheel")
#|        wheel = os.path.join(self.scratch, wheels[-1])
#|        _download(files[wheels[-1]], wheel, context)
#|        self.run([self.python, os.path.join(wheel, "pip"), "install",
#|                  "--no-index", "-q", wheel], "installing pip")
#|
#|    def pip_url(self, url):
#|        """*url* as pip gets it: its credentials go to the netrc file (the
#|        guarded index's, when there is one: it holds them already)."""
#|        if not urls.credentials(url):
#|            return url
#|        if self.pip_environ:
#|            return urls.without_auth(url)
#|        self.netrc = os.path.join(self.scratch, "netrc")
#|        handle = os.open(self.netrc, os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
#|                         0o600)
#|        user, password = urls.credentials(url) or ("", "")
#|        with os.fdopen(handle, "w") as stream:
#|            stream.write("machine %s\nlogin %s\npassword %s\n" % (
#|                urls.host_of(url), user, password))
#|        return urls.without_auth(url)
#|
#|    def run(self, command, doing, echo=False):
#|        """Run *command*, saying what it does as it goes (pip's own
#|        progress lines; all its lines with *echo*); its last lines become
#|        the error if it fails."""
#|        env = dict(os.environ)
#|        if self.netrc:
#|            env["NETRC"] = self.netrc
#|        env.update(self.pip_environ)
#|        if self.ca_bundle:
#|            # requests lets these variables override pip's --cert.
#|            env.update(REQUESTS_CA_BUNDLE=self.ca_bundle,
#|                       CURL_CA_BUNDLE=self.ca_bundle)
#|        say(doing, progress=True)
#|        lines = []
#|        with heartbeat(doing), subprocess.Popen(
#|                command, stdout=subprocess.PIPE, env=env,
#|                stderr=subprocess.STDOUT, universal_newlines=True,
#|                errors="replace") as process:
#|            for line in process.stdout or ():
#|                lines.append(line.rstrip())
#|                if echo:
#|                    print(line.rstrip(), flush=True)
#|                elif line.startswith(PIP_PROGRESS):
#|                    say("pip: " + line.strip(), progress=True)
#|        if process.returncode:
#|            tail = "\n".join(line for line in lines[-15:] if line)
#|            raise BootstrapError("%s failed:\n%s" % (doing, tail))
#|        return "\n".join(lines)
#|
#|
#|def _project_files(mirror, project, context):
#|    """{file name: URL} of *project* on *mirror* (an index or a folder)."""
#|    if mirror.startswith("file:"):
#|        return probe.read_local_project(mirror, project).files
#|    limits = transport.Limits(deadline=time.monotonic() + PIP_WHEEL_TIMEOUT)
#|    try:
#|        return index_client.read_project(mirror, project, limits,
#|                                         context).files
#|    except index_client.BadAnswer as error:
#|        raise BootstrapError("the mirror answered %s for %s"
#|                             % (error, project)) from None
#|
#|
#|def _download(url, path, context):
#|    """Save *url* at *path* after checking the hash its link names."""
#|    if url.startswith("file:"):
#|        shutil.copyfile(urllib.request.url2pathname(
#|            urllib.parse.urlsplit(url).path), path)
#|    else:
#|        response = transport.get(url, limits=transport.Limits(
#|            deadline=time.monotonic() + PIP_WHEEL_TIMEOUT), context=context)
#|        with response.body, open(path, "wb") as stream:
#|            if response.status >= 400:
#|                raise BootstrapError("the mirror answered HTTP %d for %s"
#|                                     % (response.status, pages.file_name(url)))
#|            shutil.copyfileobj(response.body, stream)
#|    with open(path, "rb") as stream:
#|        try:
#|            index_client.check_hashes(stream, pages.fragment_hashes(url))
#|        except transport.FetchError as error:
#|            raise BootstrapError("%s does not match its hash (%s)" % (
#|                pages.file_name(url), error)) from None
# ---- buildout_mirrors/bootstrapping/guarded.py
#|"""pip's index during bootstrap: the extension's guarded path.
#|
#|bootstrap.py's pip never talks to a mirror itself.  A mirror may send it
#|elsewhere: pypiserver's default answers an unknown project with a redirect
#|to pypi.org, which pip follows (during an outage it waits there, and a
#|project someone else registered on PyPI would be offered).  pip is given
#|the local failover index of :mod:`buildout_mirrors.failover.pipproxy`
#|instead: it serves only what the listed mirrors serve, refuses redirects
#|off them, checks every file against its page's hash, and fails over to
#|the next mirror as the extension's pip does.
#|"""
#|
#|import contextlib
#|
#|from buildout_mirrors.index import urls
#|from buildout_mirrors.failover.fetch import Failover
#|from buildout_mirrors.failover.pipproxy import PipProxy
#|
#|
#|@contextlib.contextmanager
#|def pip_index(selection, settings):
#|    """Yield (index URL, environment) for pip: the local guarded index
#|    over the chosen mirror and its backups, or (None, {}) when the chosen
#|    one is a local directory (nothing to guard, nothing to fail over to).
#|    The server stops on leaving."""
#|    if not selection.chosen or not urls.is_remote(selection.chosen):
#|        yield None, {}
#|        return
#|    failover = Failover(
#|        [selection.chosen] + [url for url in selection.backups
#|                              if urls.is_remote(url)],
#|        timeout=settings.timeout, verify=settings.verify,
#|        stall=settings.stall, answered=selection.answered,
#|        link_credentials=selection.find_links)
#|    proxy = PipProxy(failover, selection.chosen)
#|    proxy.start()
#|    try:
#|        yield proxy.url, proxy.environ()
#|    finally:
#|        proxy.stop()
# ---- buildout_mirrors/bootstrapping/install.py
#|"""What bootstrap.py installs, at which versions, and the bin/buildout it
#|leaves: pip, setuptools, wheel and zc.buildout at the buildout's own
#|``[versions]`` pins (Plone's and Zope's), buildout_mirrors beside them so
#|that the first bin/buildout needs no index for the extension itself, and
#|the launcher as bin/buildout."""
#|
#|import os
#|import re
#|
#|from buildout_mirrors.store.files import atomic_write
#|
#|PROJECT = "buildout_mirrors"
#|# Installed by name, at their pins; every other pin constrains the rest.
#|PINNED_BY_NAME = ("pip", "setuptools", "wheel", "zc-buildout",
#|                  "buildout-mirrors")
#|PIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+!-]*\Z")
#|
#|LAUNCHER = """#!%s
#|# bin/buildout as bootstrap.py (buildout_mirrors) writes it: zc.buildout's
#|# own main, with remote extends read under a deadline and a saved copy to
#|# fall back on.  zc.buildout puts its plain script back when it upgrades
#|# itself; run bootstrap.py again to get this one back.
#|import sys
#|
#|try:
#|    from buildout_mirrors.buildout.launcher import main
#|except ImportError:  # buildout_mirrors left this environment
#|    from zc.buildout.buildout import main
#|
#|if __name__ == "__main__":
#|    sys.exit(main())
#|"""
#|
#|
#|def requirement(name, pins, override=None):
#|    from buildout_mirrors.index.pages import normalize_project
#|    pin = override or pins.get(normalize_project(name))
#|    return "%s==%s" % (name, pin) if pin else name
#|
#|
#|def write_constraints(pins, path):
#|    """The buildout's other [versions] pins as a pip constraints file, so
#|    that the extension's own dependencies (zope.interface, packaging) land
#|    at the versions the first bin/buildout will want: a mismatch would send
#|    zc.buildout to its index for them before the extension loads.  Pins
#|    pip could not read (${...} substitutions, odd text) are left out."""
#|    with open(path, "w") as stream:
#|        for name, version in sorted(pins.items()):
#|            if name not in PINNED_BY_NAME and PIN.match(name) and \
#|                    PIN.match(version.strip()):
#|                stream.write("%s==%s\n" % (name, version.strip()))
#|    return path
#|
#|
#|def is_checkout_of_this_project(directory):
#|    setup_py = os.path.join(directory, "setup.py")
#|    if not os.path.isfile(setup_py):
#|        return False
#|    with open(setup_py, encoding="utf-8") as stream:
#|        return re.search(r"name\s*=\s*[\"']%s[\"']" % PROJECT,
#|                         stream.read()) is not None
#|
#|
#|def install(environment, python, pip_args, pins, versions, directory):
#|    """Install into *python*'s environment with ``pip install *pip_args*``;
#|    *versions* holds the command line's zc.buildout and setuptools."""
#|    pip = [python, "-m", "pip", "install"] + pip_args
#|    run = environment.run
#|    run(pip + [requirement("pip", pins)], "installing pip")
#|    # zc.buildout 6 imports pkg_resources, which setuptools 82 removed.
#|    setuptools = requirement("setuptools", pins, versions.get("setuptools"))
#|    if setuptools == "setuptools":
#|        setuptools = "setuptools<82"
#|    run(pip + [requirement("wheel", pins), setuptools, requirement(
#|        "zc.buildout", pins, versions.get("zc.buildout"))],
#|        "installing zc.buildout")
#|    constraints = write_constraints(pins, os.path.join(
#|        environment.scratch, "pins.txt"))
#|    if is_checkout_of_this_project(directory):
#|        run(pip + ["-c", constraints, "--no-build-isolation", "-e",
#|                   directory], "installing buildout_mirrors from the checkout")
#|    else:
#|        run(pip + ["-c", constraints, requirement(PROJECT, pins)],
#|            "installing buildout_mirrors")
#|
#|
#|COMMAND = """#!%s
#|# bin/buildout-mirrors as bootstrap.py (buildout_mirrors) writes it: the
#|# outage runbook's command (status, explain), in every bootstrapped site.
#|import sys
#|
#|from buildout_mirrors.cli import main
#|
#|if __name__ == "__main__":
#|    sys.exit(main())
#|"""
#|
#|
#|def write_launcher(path, python):
#|    """Replace zc.buildout's bin/buildout by the launcher, atomically, and
#|    put bin/buildout-mirrors beside it."""
#|    atomic_write(path, LAUNCHER % python, mode=0o755)
#|    atomic_write(os.path.join(os.path.dirname(path), "buildout-mirrors"),
#|                 COMMAND % python, mode=0o755)
# ---- buildout_mirrors/bootstrapping/main.py
#|"""bootstrap.py's command: choose a mirror as the extension does, make the
#|buildout's environment from it alone, and write bin/buildout.
#|
#|The choice is the extension's own (selection.options, selection.selector,
#|the state file), so the first bin/buildout reuses it instead of probing again.
#|"""
#|
#|import argparse
#|import os
#|import sys
#|import tempfile
#|
#|from buildout_mirrors.bootstrapping import config, guarded, install
#|from buildout_mirrors.bootstrapping.console import BootstrapError, say, \
#|    set_quiet
#|from buildout_mirrors.bootstrapping.environment import Environment
#|from buildout_mirrors.selection import (candidates, option_names, options,
#|                                        ranking)
#|from buildout_mirrors.index import urls, versions
#|from buildout_mirrors.index.errors import ConfigError
#|from buildout_mirrors.selection.selector import MirrorSelector
#|from buildout_mirrors.store.state import NoState
#|
#|
#|def parser():
#|    parser = argparse.ArgumentParser(
#|        description="Bootstrap zc.buildout from a live package index mirror.")
#|    parser.add_argument("-c", "--config", default="buildout.cfg",
#|                        help="the buildout configuration (buildout.cfg)")
#|    parser.add_argument("--mirror", action="append", default=[],
#|                        metavar="URL", help="a candidate simple-index URL, "
#|                        "in order of preference (repeatable)")
#|    parser.add_argument("--find-links", action="append", default=[],
#|                        metavar="PATH_OR_URL", help="a directory or page of "
#|                        "distributions (repeatable)")
#|    parser.add_argument("--timeout", type=float, default=None,
#|                        help="deadline for choosing a mirror, in seconds")
#|    parser.add_argument("--buildout-version", help="zc.buildout version")
#|    parser.add_argument("--setuptools-version", help="setuptools version")
#|    parser.add_argument("--venv", default=".venv", help="the virtual "
#|                        "environment to create, relative to the buildout "
#|                        "(.venv)")
#|    parser.add_argument("--unpack", metavar="DIR", help="write out the "
#|                        "modules bootstrap.py runs (it carries them as "
#|                        "plain text), to be read, and stop")
#|    parser.add_argument("-q", "--quiet", action="store_true",
#|                        help="no progress lines: errors, warnings and the "
#|                        "last line only")
#|    return parser
#|
#|
#|def main(argv=None):
#|    args = parser().parse_args(argv)
#|    set_quiet(args.quiet)
#|    try:
#|        bootstrap(args)
#|    except (BootstrapError, ConfigError) as error:
#|        print("bootstrap: error: %s" % error, file=sys.stderr)
#|        return 1
#|    except KeyboardInterrupt:
#|        return 130
#|    return 0
#|
#|
#|def bootstrap(args):
#|    check_python(None)
#|    path = os.path.abspath(args.config)
#|    buildout, pins, directory = config.read_config(path)
#|    check_python(args.buildout_version or pins.get("zc-buildout", ""))
#|    settings = read_settings(args, buildout, directory)
#|    for warning in settings.warnings:
#|        say(warning)
#|    selector = MirrorSelector(settings, state=NoState() if args.mirror
#|                              else None)  # --mirror is not the config's list
#|    selection = selector.select(fresh=True)
#|    ca_bundle = settings.verify if isinstance(settings.verify, str) else None
#|    with tempfile.TemporaryDirectory() as scratch, \
#|            guarded.pip_index(selection, settings) as (index, pip_environ):
#|        index_args = index_arguments(selection, directory, index)
#|        environment = Environment(os.path.join(directory, args.venv), scratch,
#|                                  ca_bundle=ca_bundle,
#|                                  pip_environ=pip_environ)
#|        pip_args = ["--isolated", "--disable-pip-version-check"] + [
#|            environment.pip_url(arg) for arg in index_args] + (
#|            ["--cert", ca_bundle] if ca_bundle else [])
#|        python = environment.create(selection.chosen)
#|        install.install(environment, python, pip_args, pins, {
#|            "zc.buildout": args.buildout_version,
#|            "setuptools": args.setuptools_version}, directory)
#|        # The launcher, as bin/buildout will be: extends under a deadline.
#|        environment.run([python, "-m", "buildout_mirrors.buildout.launcher",
#|                         "-c", path, "bootstrap"], "buildout bootstrap",
#|                        echo=not args.quiet)
#|    if os.name != "nt":
#|        install.write_launcher(os.path.join(directory, os.path.expanduser(
#|            buildout.get("bin-directory", "").strip() or "bin"), "buildout"),
#|            python)
#|    say("done; now run bin/buildout")
#|
#|
#|def check_python(buildout_version):
#|    """Python 3.9 for buildout_mirrors; 3.10 for zc.buildout 6."""
#|    if sys.version_info < (3, 9):
#|        raise BootstrapError(
#|            "buildout_mirrors needs Python 3.9 or newer; this is %d.%d. Run "
#|            "bootstrap.py with a newer python3." % sys.version_info[:2])
#|    if buildout_version and sys.version_info < (3, 10) and \
#|            versions.key(buildout_version) >= versions.key("6"):
#|        raise BootstrapError(
#|            "zc.buildout %s needs Python 3.10 or newer; this is %d.%d. Run "
#|            "bootstrap.py with a newer python3, or pin zc.buildout 5 or "
#|            "older." % ((buildout_version,) + sys.version_info[:2]))
#|
#|
#|def read_settings(args, buildout, directory):
#|    """The extension's settings, from the configuration and the command
#|    line (``--mirror`` first, as BUILDOUT_MIRRORS is for the extension).
#|    Plug-ins live in the buildout's environment, which does not exist yet:
#|    bootstrap.py chooses with the built-in parts."""
#|    raw = option_names.raw_options(buildout)
#|    raw["find-links"] = " ".join(args.find_links + (
#|        raw["find-links"] or "").split())
#|    if args.timeout is not None:
#|        raw["mirrors-timeout"] = str(args.timeout)
#|    if (raw["mirrors-policy"] or "").strip() not in ("",) + tuple(
#|            ranking.POLICIES):
#|        say("mirrors-policy = %s is a plug-in; bootstrap.py chooses by the "
#|            "ordered policy" % (raw["mirrors-policy"] or "").strip())
#|        raw["mirrors-policy"] = "ordered"
#|    for option, instead in (
#|            ("mirrors-candidates", "takes the candidates from mirrors and "
#|             "index"), ("mirrors-prober", "probes over HTTP"),
#|            ("mirrors-state-store", "keeps the state file")):
#|        if (raw[option] or "").strip():
#|            say("%s = %s is a plug-in; bootstrap.py %s" % (
#|                option, (raw[option] or "").strip(), instead))
#|            raw[option] = ""
#|    environ = dict(os.environ)
#|    if args.mirror:
#|        environ[candidates.ENVIRONMENT_OVERRIDE] = " ".join(args.mirror)
#|    return options.parse(raw, environ, directory)
#|
#|
#|def index_arguments(selection, directory, guarded=None):
#|    """pip's index options: the chosen mirror only, through *guarded*
#|    (the local failover index) when given (pip runs --isolated: no
#|    pip.conf or PIP_* adds pypi.org behind its back), and find-links."""
#|    failed = ["%s (%s)" % (result.label, result.reason)
#|              for result in selection.results if not result.ok]
#|    links = [urls.to_file_url(link, directory) if "://" not in link and
#|             not link.startswith("file:") else link
#|             for link in selection.find_links]
#|    if selection.chosen:
#|        # Lower case after the "bootstrap:" prefix, as every line here.
#|        summary = selection.summary()
#|        say(summary[:1].lower() + summary[1:])
#|        index = ["--index-url", guarded or selection.chosen]
#|    elif any(link.startswith("file:") for link in links):
#|        say("no mirror is reachable (%s); installing from find-links only"
#|            % ", ".join(failed))
#|        index = ["--no-index"]
#|    else:
#|        raise BootstrapError(
#|            "no mirror is reachable: %s. Name a live one with --mirror URL, "
#|            "or a directory of distributions with --find-links PATH."
#|            % ", ".join(failed))
#|    return index + [arg for link in links for arg in ("--find-links", link)]
# ---- buildout_mirrors/data/public-mirrors.txt
#|# Built-in candidates, used when neither `mirrors` nor `index` is set.
#|# One PEP 503 simple-index URL a line, in order of preference.  pypi.org
#|# comes first; the others are long-running public mirrors that follow it.
#|https://pypi.org/simple
#|https://mirrors.aliyun.com/pypi/simple
#|https://pypi.tuna.tsinghua.edu.cn/simple
#|https://mirrors.cloud.tencent.com/pypi/simple
#|https://mirror.sjtu.edu.cn/pypi/web/simple
# ---- buildout_mirrors/failover/__init__.py
#|"""Failing over mid-run: which mirror next (mirror_book), one bounded
#|exchange with a mirror (exchange), fetching through them (fetch), and
#|pip's door, a local index on 127.0.0.1 (pipproxy).  Buildout's door, the
#|urllib handler, is buildout_mirrors.buildout.hook_urllib."""
# ---- buildout_mirrors/failover/exchange.py
#|"""One bounded HTTP exchange with a mirror, for the failover: how long to
#|wait, where a redirect may go, and ~/.netrc credentials."""
#|
#|from __future__ import annotations
#|
#|import fnmatch
#|import http.client
#|import io
#|import threading
#|
#|from buildout_mirrors.index import connection, pages, transport, urls
#|from buildout_mirrors.index.keepalive import ConnectionPool
#|from buildout_mirrors.index.transport import FetchError
#|
#|MIN_BYTES_PER_SECOND = 8 * 1024  # below this, after the stall limit: a tarpit
#|DEFAULT_STALL = 15.0             # zc.buildout's own socket timeout
#|
#|
#|class Exchange:
#|    """``Exchange(candidates, *, timeout, stall, verify, allowed_hosts)``;
#|    ``get(url, accept, patient)`` returns a transport Response or raises
#|    :class:`FetchError` (5xx included).  Connections are kept alive per
#|    host until ``close()``."""
#|
#|    def __init__(self, candidates, *, timeout=2.0, stall=DEFAULT_STALL,
#|                 verify=True, allowed_hosts=()):
#|        self.candidates = candidates
#|        self.timeout, self.stall = timeout, max(stall, timeout)
#|        self.context = connection.LazyContext(verify)
#|        self.allowed_hosts = tuple(allowed_hosts)
#|        self.pool = ConnectionPool()
#|
#|    def close(self):
#|        self.pool.close()
#|
#|    def limits(self, patient, first_byte=None):
#|        """Impatient while another mirror could serve: the first byte
#|        within *first_byte* (learned) or the selection timeout, and a rate
#|        floor after the stall limit.  Patient for the last one: what
#|        zc.buildout itself waits."""
#|        if patient:
#|            return transport.Limits(first_byte=self.stall, stall=self.stall)
#|        return transport.Limits(first_byte=first_byte or self.timeout,
#|                                stall=self.stall, floor=MIN_BYTES_PER_SECOND)
#|
#|    def get(self, url, accept, patient=False, files_elsewhere=False,
#|            first_byte=None):
#|        """GET *url* within bounds; follow redirects only to candidate or
#|        allowed hosts (with *files_elsewhere*, to any https host: a file
#|        whose hash is known); 5xx is a failure."""
#|        try:
#|            fetched = transport.get(url.split("#", 1)[0], accept,
#|                                    self.limits(patient, first_byte),
#|                                    self.context,
#|                                    headers=_netrc_header(url),
#|                                    redirect_ok=self._file_redirect_ok
#|                                    if files_elsewhere else self._redirect_ok,
#|                                    pool=self.pool)
#|        except transport.RedirectRefused:
#|            if accept == "*/*":  # a file: the next mirror may serve it
#|                raise
#|            # A page sent elsewhere (pypiserver's fallback to pypi.org for
#|            # a project it lacks) is "not here": no failure of the mirror.
#|            return _not_here(url)
#|        if fetched.status >= 500:
#|            fetched.close()
#|            raise FetchError("HTTP %d" % fetched.status)
#|        return fetched
#|
#|    def _file_redirect_ok(self, source, target):
#|        return target.startswith("https://") or \
#|            self._redirect_ok(source, target)
#|
#|    def _redirect_ok(self, source, target):
#|        host = urls.host_of(target)
#|        netloc = urls.hostport(target)
#|        if any(urls.host_of(mirror) == host for mirror in self.candidates):
#|            return True
#|        if any(fnmatch.fnmatch(netloc, pattern) or
#|               fnmatch.fnmatch(host, pattern)
#|               for pattern in self.allowed_hosts if pattern != "*"):
#|            return True
#|        raise transport.RedirectRefused(
#|            "redirect to %s refused (not a mirror and not in allow-hosts)"
#|            % host)
#|
#|
#|def _not_here(url):
#|    """A 404 of *url*, as the mirror meant it."""
#|    return transport.Response(url.split("#", 1)[0], 404,
#|                              http.client.HTTPMessage(), io.BytesIO(b""))
#|
#|
#|_NETRC: list = []
#|
#|
#|def _netrc_header(url):
#|    """A Basic header from ~/.netrc for a URL without credentials (read
#|    once a run, like requests does once a session)."""
#|    if urls.credentials(url):
#|        return {}
#|    if not _NETRC:
#|        import netrc
#|        try:
#|            _NETRC.append(netrc.netrc())
#|        except (OSError, netrc.NetrcParseError):
#|            _NETRC.append(None)
#|    found = _NETRC[0].authenticators(urls.host_of(url)) \
#|        if _NETRC[0] else None
#|    if not found:
#|        return {}
#|    return {"Authorization": urls.basic_auth(found[0], found[2])}
#|
#|
#|def recheck_in_background(exchange, book, mirror, path):
#|    """Ask ejected *mirror* for *path* (the last page served) in a daemon
#|    thread, impatiently: it is back in the *book*'s rotation once it
#|    answers; silence or a 5xx keeps it out for longer."""
#|    def recheck():
#|        try:
#|            exchange.get(mirror + path, pages.ACCEPT, False).close()
#|        except FetchError as error:
#|            book.recheck_failed(mirror, str(error), error.slow)
#|        else:
#|            book.answered(mirror)
#|    threading.Thread(target=recheck, daemon=True,
#|                     name="buildout_mirrors re-check").start()
# ---- buildout_mirrors/failover/fetch.py
#|"""Fail over during the run: the same page or file from the next mirror.
#|
#|After the choice, every index page and distribution file is fetched here
#|with bounded timeouts.  When a mirror fails (refused, reset, silent, a
#|stall or a trickle, 5xx, a truncated body, a hash mismatch, a redirect to
#|a foreign host) the same page is asked of the next mirror in the
#|policy's order (:mod:`~buildout_mirrors.failover.mirror_book`, which also
#|decides who is ejected for a while), and a file is looked up by its name
#|on that mirror's project page.  Like Envoy and dnf/librepo, not like
#|zc.buildout (15 s per URL, then failure).
#|
#|Plain code: the buildout hooks install it as a urllib handler
#|(:mod:`buildout_mirrors.buildout.hook_urllib`) and serve it to pip
#|through a local index (:mod:`buildout_mirrors.failover.pipproxy`).
#|"""
#|
#|from __future__ import annotations
#|
#|import time
#|
#|from buildout_mirrors.index import pages, urls
#|from buildout_mirrors.failover.exchange import DEFAULT_STALL, Exchange, \
#|    recheck_in_background
#|from buildout_mirrors.failover import patience
#|from buildout_mirrors.failover.latency import Latencies
#|from buildout_mirrors.failover.mirror_book import MirrorBook
#|from buildout_mirrors.failover.private_route import PrivateRoute
#|from buildout_mirrors.failover.routes import Routes
#|from buildout_mirrors.index.transport import FetchError
#|from buildout_mirrors.failover.second_opinion import SecondOpinion
#|from buildout_mirrors.failover.verified import VerifiedFiles
#|
#|__all__ = ["Failover"]
#|
#|
#|class Failover:
#|    """``Failover(candidates, timeout=2.0, ...)``: *answered* are
#|    candidates known to answer (at the probe, or by the state); *private*
#|    a PrivateProjects (selection.private_projects), or None.
#|
#|    *candidates* are index URLs, the chosen one first.  ``fetch(url)``
#|    returns a :class:`~buildout_mirrors.index.transport.Response` or raises
#|    :class:`FetchError` (no mirror could serve it), :class:`NoMirrorLeft`
#|    or :class:`IntegrityError` (two mirrors disagree on a hash).  Slow is
#|    not dead: while another mirror could serve, a mirror gets *timeout*
#|    seconds for its first byte; the last one left gets *stall* seconds,
#|    like zc.buildout's own socket timeout, and no rate floor.
#|    """
#|
#|    def __init__(self, candidates, *, timeout=2.0, verify=True,
#|                 allowed_hosts=(), on_takeover=None, on_drop=None,
#|                 stall=DEFAULT_STALL, silent=(), clock=time.monotonic,
#|                 link_credentials=(), answered=(), private=None):
#|        self.book = MirrorBook(candidates, silent=silent,
#|                               on_takeover=on_takeover, on_drop=on_drop,
#|                               clock=clock)
#|        self.candidates = self.book.candidates
#|        self.exchange = Exchange(self.candidates, timeout=timeout,
#|                                 stall=stall, verify=verify,
#|                                 allowed_hosts=allowed_hosts)
#|        self.book.known_live.update(answered)  # may give second opinions
#|        self.latencies = Latencies()
#|        self.routes = Routes(self.book, link_credentials)
#|        self.links = self.routes.links
#|        self._recheck_path = "/"  # the last page a mirror served
#|        self.opinion = SecondOpinion(self.book, lambda url, accept: self.get(
#|            url, accept, False), wait=timeout)
#|        self.files = VerifiedFiles(self.get, self.opinion)
#|        self.conflicts = self.files.conflicts  # file name -> message
#|        self.on_missing = lambda project, asked: None  # every mirror: 404
#|        self.lookahead = None  # a failover.lookahead.LookAhead, if any
#|        # A company's projects: asked of its index first, never of the
#|        # pool once known (selection.private_projects).
#|        self.private = PrivateRoute(private, Exchange(
#|            private.indexes, timeout=timeout, stall=stall,
#|            verify=verify)) if private else None
#|
#|    # The book's state, read by the session and the tests.
#|    dropped = property(lambda self: self.book.dropped)
#|    reasons = property(lambda self: self.book.reasons)
#|    failures = property(lambda self: self.book.failures)
#|    silent = property(lambda self: self.book.silent)
#|
#|    owner = property(lambda self: self.book.owner)
#|
#|    def with_auth(self, url):
#|        return self.routes.with_auth(url)
#|
#|    def handles(self, url):
#|        return self.routes.handles(url)
#|
#|    def live(self):
#|        """The candidates not dropped, in order."""
#|        return self.book.order()
#|
#|    def none_left(self):
#|        return self.book.none_left()
#|
#|    def fetch(self, url, accept="text/html"):
#|        """*url* for buildout: from what the look-ahead fetched, if it
#|        did, else from the mirrors now."""
#|        if self.lookahead is not None:
#|            ahead = self.lookahead.claim(url, accept)
#|            if ahead is not None:
#|                return ahead
#|        fetched = self._fetch(url, accept)
#|        if self.lookahead is not None:
#|            self.lookahead.arrived(url, fetched)
#|        return fetched
#|
#|    def close(self):
#|        """Stop fetching ahead; close the connections kept alive."""
#|        if self.lookahead is not None:
#|            self.lookahead.close()
#|        self.exchange.close()
#|        if self.private is not None:
#|            self.private.exchange.close()
#|
#|    def _fetch(self, url, accept):
#|        mirror = self.owner(url)
#|        plain = urls.without_auth(url.split("#", 1)[0])
#|        if mirror is not None and not pages.DIST_SUFFIXES_RE.search(plain):
#|            return self.fetch_page(
#|                mirror, plain[len(urls.without_auth(mirror)):], accept)
#|        return self.fetch_file(self.with_auth(url))
#|
#|    def fetch_page(self, first, relative, accept="text/html"):
#|        """*relative* (``/six/``) from *first*, else from the next mirror;
#|        a private project's from its private index only."""
#|        private = self.private and relative.count("/") == 2 and \
#|            self.private.page(relative.strip("/"), relative, accept)
#|        if private:
#|            return private
#|        order = self.book.order(first)
#|        if not order:
#|            raise self.none_left()
#|        errors, reasons, slow = [], [], []  # type: list, list, list[str]
#|        not_found = None
#|        for position, mirror in enumerate(order):
#|            patient = position == len(order) - 1 and not slow
#|            started = self.book.clock()
#|            try:
#|                fetched = self.get(mirror + relative, accept, patient)
#|            except FetchError as error:
#|                if not patient and (error.slow or self.book.clock() - started
#|                                    > self.exchange.timeout):
#|                    # Silent, or failed after costing more than the timeout
#|                    # (a trickle, a stall), while others could serve.
#|                    self.book.stalled(mirror, str(error))
#|                    slow += [mirror] if error.slow else []
#|                else:
#|                    self.book.failed(mirror, str(error), patient)
#|                reasons.append(str(error))
#|                errors.append("%s: %s" % (urls.redact(mirror), error))
#|                continue
#|            if fetched.status == 404:
#|                not_found = not_found or (fetched, mirror, self.book.clock()
#|                                          - started > self.exchange.timeout)
#|                continue
#|            if mirror != first and reasons:
#|                self.book.took_over(first, mirror, reasons[0])
#|            if fetched.status == 200 and relative.count("/") == 2:
#|                self._served_project(relative, mirror)
#|            return fetched
#|        if not_found is not None:
#|            return patience.final_404(self, relative, accept, order,
#|                                      *not_found)
#|        if slow:  # every mirror that answered nothing was slow: wait
#|            fetched = patience.wait_for_slow(self, first, relative, accept,
#|                                             slow, reasons[0], errors)
#|            if fetched is not None:
#|                return fetched
#|        if not self.book.order():
#|            raise self.none_left()
#|        raise FetchError("no mirror could serve %s (%s)"
#|                         % (relative, "; ".join(errors)))
#|
#|    def _served_project(self, relative, mirror):
#|        """A project page came: the next re-check asks for it, and another
#|        mirror is asked for its opinion on the project's hashes."""
#|        self._recheck_path = relative
#|        self.opinion.ask(relative.strip("/"), mirror)
#|
#|    def fetch_file(self, url):
#|        """*url*, else the file of the same name from the next mirror;
#|        every answer is checked against the hashes the pages gave."""
#|        name = pages.file_name(url)
#|        if self.private and self.private.projects.owns_file(url):
#|            return self.private.file(url, pages.fragment_hashes(url))
#|        self.files.refuse_known_conflict(name)
#|        origin, project = self.book.on_host_of(url), pages.project_of(name)
#|        expected = pages.fragment_hashes(url)
#|        errors, reasons = [], []
#|        others = [mirror for mirror in self.book.order() if mirror != origin]
#|        if origin not in self.dropped:
#|            try:
#|                return self.files.agreed(self.files.get_verified(
#|                    url, expected, patient=not others), name, expected,
#|                    origin)
#|            except FetchError as error:
#|                if origin and error.slow and others:
#|                    self.book.stalled(origin, str(error))
#|                elif origin:
#|                    self.book.failed(origin, str(error), not others)
#|                reasons.append(str(error))
#|                errors.append("%s: %s" % (urls.redact(url.split("#")[0]),
#|                                          error))
#|        for position, mirror in enumerate(others):
#|            patient = position == len(others) - 1
#|            try:
#|                alternative = self.files.locate(mirror, project, name,
#|                                                expected, patient)
#|                if alternative is None:
#|                    continue
#|                fetched = self.files.get_verified(alternative, expected,
#|                                                  patient)
#|            except FetchError as error:
#|                self.book.failed(mirror, str(error), patient)
#|                reasons.append(str(error))
#|                errors.append("%s: %s" % (urls.redact(mirror), error))
#|                continue
#|            self.book.took_over(origin or url.split("#")[0], mirror,
#|                       reasons[0] if reasons else "failed")
#|            return self.files.agreed(fetched, name, expected, mirror)
#|        if not self.book.order():
#|            raise self.none_left()
#|        raise FetchError("no mirror could serve %s (%s)"
#|                         % (name, "; ".join(errors) or "not listed"))
#|
#|    def recheck(self):
#|        """Re-check, in the background, each ejected mirror whose time is
#|        up (builds never wait for a re-check)."""
#|        for mirror in self.book.due():
#|            recheck_in_background(self.exchange, self.book, mirror,
#|                                  self._recheck_path)
#|
#|    def get(self, url, accept, patient=False, files_elsewhere=False):
#|        self.recheck()  # on every request, buildout's and pip's
#|        mirror = self.book.on_host_of(url)
#|        started = time.monotonic()
#|        fetched = self.exchange.get(
#|            url, accept, patient, files_elsewhere, first_byte=None
#|            if mirror is None else self.latencies.first_byte(
#|                mirror, self.exchange.timeout))
#|        if mirror is not None:
#|            self.book.answered(mirror)
#|            if accept != "*/*":  # pages: small, their time is the wait
#|                self.latencies.record(mirror, time.monotonic() - started)
#|        return fetched
# ---- buildout_mirrors/failover/latency.py
#|"""How long to wait for a mirror's first byte, learned from its answers.
#|
#|A fixed first-byte limit (the selection timeout, 2 s by default) is what a
#|mirror that hangs after accepting costs every request until it is
#|ejected.  "The Tail at Scale" (Dean and Barroso) waits instead a few
#|times what the mirror usually takes: once a mirror has answered a few
#|pages, it gets ``FACTOR`` times its usual answer time (a moving average),
#|never less than ``FLOOR``, never more than the timeout.  Only while
#|another mirror could serve: the last one left is waited for patiently, and
#|a mirror that misses a learned limit is asked again after its ejection.
#|"""
#|
#|import threading
#|
#|FACTOR = 10        # times the usual answer time
#|FLOOR = 0.25       # seconds: never less (a busy machine, a GC pause)
#|SAMPLES = 3        # answers (the probe's included) before it is learned
#|WEIGHT = 0.2       # of each new answer in the moving average
#|
#|
#|class Latencies:
#|    """``Latencies()``: ``record(mirror, seconds)`` after each page it
#|    answered (and its probe's time, which the extension hands on);
#|    ``first_byte(mirror, timeout)`` the limit to use."""
#|
#|    def __init__(self):
#|        self._average, self._count = {}, {}
#|        self._lock = threading.Lock()
#|
#|    def record(self, mirror, seconds):
#|        with self._lock:
#|            count = self._count.get(mirror, 0) + 1
#|            self._count[mirror] = count
#|            before = self._average.get(mirror, seconds)
#|            self._average[mirror] = before + WEIGHT * (seconds - before) \
#|                if count > 1 else seconds
#|
#|    def first_byte(self, mirror, timeout):
#|        with self._lock:
#|            if self._count.get(mirror, 0) < SAMPLES:
#|                return timeout
#|            return min(timeout, max(FLOOR, FACTOR * self._average[mirror]))
# ---- buildout_mirrors/failover/lookahead.py
#|"""Look-ahead: fetch what buildout will ask next while it installs.
#|
#|zc.buildout asks for one page or file at a time and waits for each, so a
#|mirror 100 ms away costs 100 ms per request, ~460 times for a Plone site.
#|But once a distribution's file has come, what buildout will ask next is
#|known: the requirements it declares, at the versions ``[versions]`` pins.
#|:class:`LookAhead` fetches those pages and the files buildout will pick
#|(index.pinned_file) in a few threads, through the same
#|:class:`~buildout_mirrors.failover.fetch.Failover` as buildout's own
#|requests (failover, hash checks and credentials rules alike), into bodies
#|on disk (index.bodies: private to the user, gone with the process).
#|Buildout's request is then answered from what came, or waits for what is
#|on its way; one still queued is given up and fetched at once.
#|
#|Only pinned versions of declared requirements are fetched, and only of
#|projects not installed already: nothing the build will not use.
#|"""
#|
#|from __future__ import annotations
#|
#|import logging
#|import queue
#|import re
#|import threading
#|import time
#|
#|from buildout_mirrors.index import bodies, pages, pinned_file, urls
#|from buildout_mirrors.index.dist_requirements import requirements
#|
#|logger = logging.getLogger("buildout_mirrors")
#|WORKERS = 8
#|BUILDOUT_ACCEPT = "text/html"  # what buildout's urllib requests ask for
#|_PAGE_PATH = re.compile(r"/([A-Za-z0-9][A-Za-z0-9._-]*)/\Z")
#|
#|
#|class Pending:
#|    """One fetch ahead: queued, under way, or come (with a Response, or
#|    None when it failed).  ``concurrent.futures.Future``'s protocol, in
#|    the part used here: that module costs a rerun 20 ms to import."""
#|
#|    def __init__(self):
#|        self._come = threading.Event()
#|        self._lock = threading.Lock()
#|        self.state, self.value = "queued", None
#|
#|    def start(self):
#|        """Under way now; False when it was given up while queued."""
#|        return self._leave_queue("running")
#|
#|    def cancel(self):
#|        """Give it up if still queued; False when under way or come."""
#|        return self._leave_queue("cancelled")
#|
#|    def _leave_queue(self, state):
#|        with self._lock:
#|            if self.state != "queued":
#|                return False
#|            self.state = state
#|            return True
#|
#|    def finish(self, value):
#|        self.state, self.value = "done", value
#|        self._come.set()
#|
#|    def done(self):
#|        return self._come.is_set()
#|
#|    def result(self, timeout=None):
#|        self._come.wait(timeout)
#|        return self.value
#|
#|
#|class LookAhead:
#|    """``LookAhead(failover, index, pins, have)``: *pins* maps project
#|    names to the versions buildout will install; ``have(project,
#|    version)`` is True when buildout will not download it (installed)."""
#|
#|    def __init__(self, failover, index, pins, have=lambda name, version:
#|                 False, workers=WORKERS):
#|        self.canonical = pages.normalize_project
#|        self.failover, self.index = failover, index
#|        self.prefix = urls.without_auth(index).rstrip("/")
#|        self.pins = {self.canonical(name): version for name, version in
#|                     pins.items()}
#|        self.have = have
#|        self.workers = workers
#|        self.downloaded = set()  # projects whose file came this run
#|        self.asked = self.served = 0  # buildout's files; those come ahead
#|        self.waited = 0.0  # seconds buildout waited for what was on its way
#|        self._pages = {}  # project -> Pending of the page's Response
#|        self._files = {}  # URL, no fragment -> (fragment, Pending)
#|        self._seen, self._threads = set(), []
#|        self._queue: queue.Queue = queue.Queue()
#|        self._lock = threading.Lock()
#|        self._closed = False
#|
#|    def want(self, names):
#|        """Fetch ahead the pinned pages and files of *names*."""
#|        for name in names:
#|            key = self.canonical(name)
#|            with self._lock:
#|                if self._closed or key in self._seen or key not in self.pins:
#|                    continue
#|                self._seen.add(key)
#|            if self.have(name, self.pins[key]):
#|                continue
#|            with self._lock:
#|                future = self._pages[key] = Pending()
#|                if len(self._threads) < self.workers:
#|                    self._start_worker()
#|            self._queue.put((name, key, future))
#|
#|    def claim(self, url, accept):
#|        """What came ahead for buildout's request of *url* (a Response),
#|        or None: buildout's request then goes out as usual."""
#|        plain, _, fragment = urls.without_auth(url).partition("#")
#|        is_file = pages.DIST_SUFFIXES_RE.search(plain) is not None
#|        with self._lock:
#|            self.asked += is_file
#|            entry = self._files.pop(plain, None)
#|            page = None
#|            if entry is None and not is_file and \
#|                    accept == BUILDOUT_ACCEPT and \
#|                    plain.startswith(self.prefix):
#|                match = _PAGE_PATH.match(plain[len(self.prefix):])
#|                page = match and self._pages.pop(
#|                    self.canonical(match.group(1)), None)
#|        if entry is not None:
#|            if fragment and fragment != entry[0]:
#|                return None  # another hash expected: fetched as asked
#|            return self._served(entry[1], True)
#|        if page and not page.cancel():  # under way or done: wait for it
#|            return self._served(page)
#|        return None
#|
#|    def arrived(self, url, fetched):
#|        """Buildout fetched *url* itself: read what the file requires."""
#|        name = pages.file_name(url.split("#", 1)[0])
#|        if fetched.status == 200 and pages.DIST_SUFFIXES_RE.search(name):
#|            self.downloaded.add(self.canonical(pages.project_of(name)))
#|            self.want(requirements(fetched.body, name))
#|
#|    def close(self):
#|        """Stop fetching ahead; what came and was not asked is dropped."""
#|        with self._lock:
#|            self._closed = True
#|            left = list(self._pages.values()) + [
#|                future for _, future in self._files.values()]
#|            self._pages, self._files = {}, {}
#|        for future in left:
#|            if not future.cancel() and future.done() and future.value:
#|                future.value.close()
#|        for _ in self._threads:
#|            self._queue.put(None)
#|
#|    def _served(self, future, is_file=False):
#|        started = time.monotonic()
#|        fetched = future.result()  # None when the fetch ahead failed
#|        self.waited += time.monotonic() - started
#|        with self._lock:
#|            self.served += is_file and fetched is not None
#|        return fetched
#|
#|    def _start_worker(self):
#|        thread = threading.Thread(target=self._work, daemon=True,
#|                                  name="buildout_mirrors look-ahead")
#|        self._threads.append(thread)
#|        thread.start()
#|
#|    def _work(self):
#|        while True:
#|            job = self._queue.get()
#|            if job is None:
#|                return
#|            name, key, future = job
#|            if not future.start():
#|                continue  # buildout asked first: it fetched the page itself
#|            try:
#|                with bodies.on_disk():
#|                    self._fetch_ahead(name, key, future)
#|            except Exception as error:  # the fetch ahead is a guess
#|                logger.debug("Look-ahead for %s failed: %s", name, error)
#|                if not future.done():
#|                    future.finish(None)
#|
#|    def _fetch_ahead(self, name, key, page_future):
#|        # The normalised name (PEP 503): the one page URL no index
#|        # redirects, whichever spelling buildout asks by.
#|        page = self.failover.fetch_page(self.index, "/%s/" % key,
#|                                        BUILDOUT_ACCEPT)
#|        chosen = None
#|        if page.status == 200:
#|            try:
#|                listed = pages.parse(page.read_all(), page.headers.get(
#|                    "Content-Type", ""), urls.without_auth(page.url)).files
#|            except pages.PageError:  # buildout will say what it makes of it
#|                listed = {}
#|            chosen = pinned_file.pick(listed, name, self.pins[key])
#|        file_future = Pending()
#|        if chosen is not None:
#|            plain, _, fragment = chosen.partition("#")
#|            with self._lock:
#|                if not self._closed:
#|                    self._files[plain] = (fragment, file_future)
#|            file_future.start()
#|        # The page is handed over only now: the file buildout will ask
#|        # next is already known to be under way.
#|        page_future.finish(page)
#|        if chosen is None:
#|            return
#|        try:
#|            fetched = self.failover.fetch_file(
#|                self.failover.with_auth(chosen))
#|        except Exception:
#|            file_future.finish(None)
#|            raise
#|        self.downloaded.add(key)
#|        wanted = requirements(fetched.body, pages.file_name(plain))
#|        file_future.finish(fetched)
#|        self.want(wanted)
# ---- buildout_mirrors/failover/mirror_book.py
#|"""The failover's policy: which mirrors are asked, in which order, and
#|which are left out for a while.  No network here, and a clock that tests
#|can turn: :class:`~buildout_mirrors.failover.fetch.Failover` executes what
#|this plans.
#|
#|The model is Envoy's outlier detection:
#|
#|- a mirror that was silent (no first byte within the timeout) while
#|  another mirror served is *ejected*: not asked while the ejection lasts;
#|- so is one that failed ``MAX_FAILURES`` times within ``FAILURE_WINDOW``
#|  seconds (refused, reset, 5xx, a truncated or corrupt file);
#|- an ejection lasts ``EJECTION_BASE`` seconds times the number of the
#|  mirror's ejections so far; then the mirror is due for a cheap re-check,
#|  and comes back (first, if it is preferred) once it answers;
#|- slow is not dead: the last mirror left is never ejected for silence,
#|  and when every mirror is ejected, those ejected only for silence are
#|  still asked, patiently (Envoy's panic threshold).
#|"""
#|
#|from __future__ import annotations
#|
#|import collections
#|import threading
#|import time
#|
#|from buildout_mirrors.index import urls
#|from buildout_mirrors.index.transport import FetchError
#|
#|MAX_FAILURES = 2
#|FAILURE_WINDOW = 60.0   # seconds: failures older than this are forgotten
#|EJECTION_BASE = 30.0    # seconds, times the mirror's ejections so far
#|
#|
#|class NoMirrorLeft(FetchError):
#|    """Every candidate failed or was dropped: nothing can be fetched."""
#|
#|
#|class _Health:
#|    """What one mirror did in this run."""
#|
#|    def __init__(self):
#|        self.failures: collections.deque = collections.deque()  # times
#|        self.ejections = 0
#|        self.ejected_until = None    # None: in rotation
#|        self.silent_only = True      # every ejection was for silence
#|        self.checking = False        # a re-check is under way
#|
#|
#|class MirrorBook:
#|    """``MirrorBook(candidates, silent=(), on_takeover=None, on_drop=None,
#|    clock=time.monotonic)``.
#|
#|    *silent* are candidates that never answered the probe: one silence
#|    asked patiently ejects them as hanging.  *on_takeover(failed, mirror,
#|    reason)* is told once per pair, *on_drop(mirror, reason, hung)* at
#|    each ejection.
#|    """
#|
#|    def __init__(self, candidates, *, silent=(), on_takeover=None,
#|                 on_drop=None, clock=time.monotonic):
#|        self.candidates = list(candidates)
#|        self.silent = set(silent)
#|        self.on_takeover = on_takeover or (lambda *args: None)
#|        self.on_drop = on_drop or (lambda *args: None)
#|        self.on_back = lambda mirror: None  # an ejected mirror answered
#|        self.clock = clock
#|        self.health = {mirror: _Health() for mirror in self.candidates}
#|        self.reasons = {}     # mirror -> its last failure
#|        self.known_live = set()  # answered: here, at the probe or before
#|        self.dead = set()     # found dead by the selection: never asked
#|        self._told = set()
#|        self._lock = threading.RLock()
#|
#|    # -- who is who ---------------------------------------------------------
#|
#|    def owner(self, url):
#|        """The candidate whose index holds *url*, or None.  Compared
#|        without credentials: buildout moves them into a header."""
#|        plain = urls.without_auth(url.split("#", 1)[0])
#|        for mirror in self.candidates:
#|            index = urls.without_auth(mirror)
#|            if plain == index or plain.startswith(index + "/"):
#|                return mirror
#|        return None
#|
#|    def on_host_of(self, url):
#|        """The candidate on *url*'s host (a file's mirror), or None."""
#|        host = urls.hostport(url)
#|        for mirror in self.candidates:
#|            if urls.hostport(mirror) == host:
#|                return mirror
#|        return None
#|
#|    # -- the plan -----------------------------------------------------------
#|
#|    @property
#|    def dropped(self):
#|        """The mirrors not asked now: dead, or ejected."""
#|        with self._lock:
#|            return {mirror for mirror in self.candidates
#|                    if not self._in_rotation(mirror)}
#|
#|    @property
#|    def failures(self):
#|        """Failures within the window, per mirror."""
#|        with self._lock:
#|            now = self.clock()
#|            return collections.Counter({
#|                mirror: len(self._recent(mirror, now))
#|                for mirror in self.candidates})
#|
#|    def order(self, first=None):
#|        """The mirrors to ask, *first* first: those in rotation in the
#|        order of preference; when there are none, those ejected only for
#|        silence (slow is not dead), soonest back first."""
#|        with self._lock:
#|            ordered = ([first] if first in self.health else []) + [
#|                mirror for mirror in self.candidates if mirror != first]
#|            live = [mirror for mirror in ordered if self._in_rotation(mirror)]
#|            if live:
#|                return live
#|            return sorted(
#|                (mirror for mirror in ordered if mirror not in self.dead
#|                 and self.health[mirror].silent_only),
#|                key=lambda mirror: self.health[mirror].ejected_until or 0)
#|
#|    def due(self):
#|        """Ejected mirrors whose time is up and that no re-check is
#|        asking yet; they are marked as being checked."""
#|        with self._lock:
#|            now, found = self.clock(), []
#|            for mirror in self.candidates:
#|                health = self.health[mirror]
#|                due = health.ejected_until is not None and \
#|                    now >= health.ejected_until
#|                if mirror not in self.dead and due and not health.checking:
#|                    health.checking = True
#|                    found.append(mirror)
#|            return found
#|
#|    def _in_rotation(self, mirror):
#|        return mirror not in self.dead and \
#|            self.health[mirror].ejected_until is None
#|
#|    def _recent(self, mirror, now):
#|        failures = self.health[mirror].failures
#|        while failures and now - failures[0] > FAILURE_WINDOW:
#|            failures.popleft()
#|        return failures
#|
#|    # -- what happened ------------------------------------------------------
#|
#|    def drop(self, mirror, reason):
#|        """Never ask *mirror* in this run (the selection found it dead)."""
#|        with self._lock:
#|            self.dead.add(mirror)
#|            self.reasons[mirror] = reason
#|
#|    def failed(self, mirror, reason, patient=False):
#|        """*mirror* failed a request: refused, reset, 5xx, a bad file, or,
#|        asked patiently, silent."""
#|        with self._lock:
#|            if mirror not in self.health:
#|                return
#|            now = self.clock()
#|            self.reasons[mirror] = reason
#|            failures = self._recent(mirror, now)
#|            failures.append(now)
#|            # A mirror silent at the probe and silent again, however
#|            # patiently asked, is not slow: it hangs, and is not asked
#|            # even in a panic.
#|            hung = patient and mirror in self.silent
#|            if len(failures) >= MAX_FAILURES or hung:
#|                self._eject(mirror, reason, silent_only=False)
#|
#|    def stalled(self, mirror, reason):
#|        """*mirror* gave no first byte within the timeout while another
#|        mirror could serve: eject it, unless it is the last one left."""
#|        with self._lock:
#|            if mirror not in self.health:
#|                return
#|            self.reasons[mirror] = reason
#|            if any(other != mirror and self._in_rotation(other)
#|                   for other in self.candidates):
#|                self._eject(mirror, reason, silent_only=True)
#|
#|    def _eject(self, mirror, reason, silent_only):
#|        health = self.health[mirror]
#|        if health.ejected_until is not None and not health.checking:
#|            return  # already out
#|        health.ejections += 1
#|        health.silent_only = health.silent_only and silent_only
#|        health.ejected_until = self.clock() + EJECTION_BASE * health.ejections
#|        health.checking = False
#|        self.on_drop(mirror, reason, silent_only)
#|
#|    def answered(self, mirror):
#|        """*mirror* answered a request or a re-check: back in rotation."""
#|        with self._lock:
#|            self.silent.discard(mirror)
#|            self.known_live.add(mirror)
#|            health = self.health.get(mirror)
#|            back = health is not None and mirror not in self.dead and \
#|                health.ejected_until is not None
#|            if health is not None and back:
#|                health.ejected_until = None
#|                health.checking = False
#|        if back:
#|            self.on_back(mirror)
#|
#|    def recheck_failed(self, mirror, reason, silent):
#|        """A re-check of an ejected mirror failed (*silent*: it gave no
#|        first byte): out for longer."""
#|        with self._lock:
#|            self.reasons[mirror] = reason
#|            self._eject(mirror, reason, silent_only=silent)
#|
#|    def took_over(self, failed, mirror, reason):
#|        key = (failed, mirror)
#|        with self._lock:
#|            self.silent.discard(mirror)
#|            if key in self._told:
#|                return
#|            self._told.add(key)
#|        self.on_takeover(failed, mirror, reason)
#|
#|    def none_left(self):
#|        """A :class:`NoMirrorLeft` naming every mirror and why it failed."""
#|        return NoMirrorLeft("no listed mirror is reachable: %s" % ", ".join(
#|            "%s (%s)" % (urls.redact(mirror), self.reasons.get(
#|                mirror, "dropped")) for mirror in self.candidates))
# ---- buildout_mirrors/failover/patience.py
#|"""Patience with a slow mirror, for the failover: slow is not dead.
#|
#|A 404 that was slow may come from a caching proxy still loading its
#|project list (a cold devpi-server): it is asked again.  When every mirror
#|that could serve was silent, the first of them is asked again with
#|zc.buildout's own patience.
#|"""
#|
#|from buildout_mirrors.index import urls
#|from buildout_mirrors.index.transport import FetchError
#|
#|WARMING_RETRIES = 3  # slow 404s from a cache still loading
#|
#|
#|def final_404(failover, relative, accept, asked, fetched, mirror, slow):
#|    """A 404 that took longer than the timeout may come from a caching
#|    proxy still loading its project list (a cold devpi): it is asked
#|    again, patiently, while its 404s stay slow.  A project page that
#|    every mirror in *asked* lacks is told to ``failover.on_missing``."""
#|    for _ in range(WARMING_RETRIES if slow else 0):
#|        started = failover.book.clock()
#|        try:
#|            again = failover.get(mirror + relative, accept, True)
#|        except FetchError:
#|            break
#|        fetched.close()
#|        fetched = again
#|        if again.status != 404 or \
#|                failover.book.clock() - started <= failover.exchange.timeout:
#|            break  # an answer, or a quick 404: the project is missing
#|    if fetched.status == 404 and relative.count("/") == 2:
#|        failover.on_missing(relative.strip("/"), asked)
#|    return fetched
#|
#|
#|def wait_for_slow(failover, first, relative, accept, slow, reason, errors):
#|    """Ask a slow mirror again, patiently; None if it fails too."""
#|    mirror = ([one for one in slow if one not in failover.dropped]
#|              or slow)[0]
#|    try:
#|        fetched = failover.get(mirror + relative, accept, True)
#|    except FetchError as error:
#|        failover.book.failed(mirror, str(error), True)
#|        errors.append("%s: %s" % (urls.redact(mirror), error))
#|        return None
#|    if mirror != first:
#|        failover.book.took_over(first, mirror, reason)
#|    return fetched
# ---- buildout_mirrors/failover/pipproxy.py
#|"""A local simple index for pip subprocesses, served with failover.
#|
#|zc.buildout runs pip for sdists and develop eggs; pip has no failover of
#|its own.  ``PIP_INDEX_URL`` points at this server on 127.0.0.1, which asks
#|:class:`~.failover.Failover` for every page and rewrites the file links of
#|each page to come back through it, so that pip's downloads fail over too,
#|and are checked against the hashes the page listed.
#|
#|Any local user can reach 127.0.0.1, and every command line is readable
#|in ``/proc``, so the server trusts no request and its secret is on no
#|command line: every request must carry a random token as Basic
#|credentials, which pip finds in a private netrc file (``NETRC``, in the
#|environment of the user's own processes only); the URLs buildout puts on
#|pip's command line, and pip on its build subprocesses', carry none.
#|Without the token, and for any path but ``/simple/``, a normalised
#|project's page and the files that a page it served listed (by their
#|number), the answer is a 404 and nothing is forwarded.
#|"""
#|
#|import hmac
#|import html
#|import http.server
#|import json
#|import netrc
#|import os
#|import re
#|import secrets
#|import shutil
#|import tempfile
#|import threading
#|import urllib.parse
#|
#|from buildout_mirrors.index import pages, urls
#|from buildout_mirrors.index.transport import FetchError
#|from buildout_mirrors.failover.private_route import PrivateIndexDown
#|from buildout_mirrors.failover.second_opinion import IntegrityError
#|
#|_HREF = re.compile(r"""(href\s*=\s*["'])([^"']+)(["'])""", re.IGNORECASE)
#|_PROJECT_PAGE = re.compile(r"/simple/([a-z0-9]+(?:-[a-z0-9]+)*)/\Z")
#|_FILE = re.compile(r"/file/([0-9]{1,9})/[^/]+\Z")
#|USER = "buildout-mirrors"
#|
#|
#|class PipProxy:
#|    """``PipProxy(failover, index_url)``: ``start()`` returns the URL to
#|    give pip, ``environ()`` what pip's environment needs besides (the
#|    netrc that holds the token), ``stop()`` ends the server."""
#|
#|    def __init__(self, failover, index_url):
#|        self.failover, self.index_url = failover, index_url.rstrip("/")
#|        owner = self
#|
#|        class Handler(http.server.BaseHTTPRequestHandler):
#|            protocol_version = "HTTP/1.1"  # keep-alive: pip reuses it
#|
#|            def do_GET(self):
#|                owner._answer(self)
#|
#|            def log_message(self, *args):  # quiet: pip reports what matters
#|                pass
#|
#|        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
#|                                                       Handler)
#|        self._server.daemon_threads = True
#|        self.token = secrets.token_urlsafe(24)
#|        self._expected = urls.basic_auth(USER, self.token).encode("ascii")
#|        self.root = "http://127.0.0.1:%d" % self._server.server_port
#|        self.url = self.root + "/simple"
#|        self._netrc_directory = None
#|        # Pages kept for the run: pip asks the same page once per index
#|        # and the same build dependencies for every sdist.  Files are
#|        # streamed, never kept in memory.
#|        self._pages = {}
#|        self._files = []        # number -> absolute URL (with its hash)
#|        self._numbers = {}      # absolute URL -> number
#|        self.failures = []      # (what, why) pip was answered 502 for
#|        self._lock = threading.Lock()
#|
#|    def start(self):
#|        # A short poll: shutdown() waits for the loop to notice, and the
#|        # default half second would be paid at the end of every run.
#|        threading.Thread(target=self._server.serve_forever, daemon=True,
#|                         kwargs={"poll_interval": 0.01},
#|                         name="buildout_mirrors pip index").start()
#|        return self.url
#|
#|    def environ(self):
#|        """``{"NETRC": path}``: a private netrc with the token for this
#|        server, after the user's own entries (pip finds those there too).
#|        pip and its build subprocesses inherit it; no command line holds
#|        it."""
#|        if self._netrc_directory is None:
#|            self._netrc_directory = tempfile.mkdtemp(
#|                prefix="buildout-mirrors-pip-")
#|            path = os.path.join(self._netrc_directory, "netrc")
#|            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL,
#|                                 0o600)
#|            with os.fdopen(descriptor, "w") as stream:
#|                stream.write(_users_netrc())
#|                for link in self.failover.links:  # credentialed find-links
#|                    stream.write(_netrc_entry(link))
#|                stream.write("\nmachine 127.0.0.1 login %s password %s\n"
#|                             % (USER, self.token))
#|        return {"NETRC": os.path.join(self._netrc_directory, "netrc")}
#|
#|    def stop(self):
#|        self._server.shutdown()
#|        self._server.server_close()
#|        if self._netrc_directory is not None:
#|            shutil.rmtree(self._netrc_directory, ignore_errors=True)
#|
#|    def authorized(self, header):
#|        """The request's Authorization header is ours (compared in
#|        constant time: a wrong token of the right length learns nothing)."""
#|        return hmac.compare_digest((header or "").encode("utf-8", "replace"),
#|                                   self._expected)
#|
#|    def _answer(self, request):
#|        path = request.path
#|        if not self.authorized(request.headers.get("Authorization")):
#|            return request.send_error(404)
#|        try:
#|            match = _FILE.match(path)
#|            if match:
#|                return self._send_file(request, match.group(1))
#|            if path == "/simple/":
#|                return self._send_page(request, "/")
#|            match = _PROJECT_PAGE.match(path)
#|            if match:
#|                return self._send_page(request, path[len("/simple"):])
#|        except (FetchError, IntegrityError, PrivateIndexDown) as error:
#|            with self._lock:
#|                self.failures.append((urllib.parse.unquote(
#|                    path.rsplit("/", 1)[-1] or path), str(error)))
#|            return request.send_error(502, explain=str(error))
#|        request.send_error(404)
#|
#|    def _send_page(self, request, relative):
#|        accept = request.headers.get("Accept", "text/html")
#|        key = (relative, accept)
#|        with self._lock:
#|            answer = self._pages.get(key)
#|        if answer is None:
#|            fetched = self.failover.fetch_page(self.index_url, relative,
#|                                               accept)
#|            with fetched.body:
#|                body = fetched.body.read()
#|            content_type = fetched.headers.get("Content-Type", "") or \
#|                "text/html"
#|            if fetched.status == 200:
#|                body = self._rewrite(body, content_type, fetched.url)
#|            answer = (fetched.status, content_type, body)
#|            if fetched.status == 200:
#|                with self._lock:
#|                    self._pages[key] = answer
#|        status, content_type, body = answer
#|        request.send_response(status)
#|        request.send_header("Content-Type", content_type)
#|        request.send_header("Content-Length", str(len(body)))
#|        request.end_headers()
#|        request.wfile.write(body)
#|
#|    def _send_file(self, request, number):
#|        with self._lock:
#|            known = number.isdigit() and int(number) < len(self._files)
#|            url = self._files[int(number)] if known else None
#|        if url is None:
#|            return request.send_error(404)
#|        fetched = self.failover.fetch_file(url)
#|        with fetched.body:
#|            fetched.body.seek(0, 2)
#|            size = fetched.body.tell()
#|            fetched.body.seek(0)
#|            request.send_response(200)
#|            request.send_header("Content-Type", "application/octet-stream")
#|            request.send_header("Content-Length", str(size))
#|            request.end_headers()
#|            shutil.copyfileobj(fetched.body, request.wfile, 1 << 16)
#|
#|    def _number(self, url):
#|        with self._lock:
#|            if url not in self._numbers:
#|                self._numbers[url] = len(self._files)
#|                self._files.append(url)
#|            return self._numbers[url]
#|
#|    def _proxied(self, url, base):
#|        try:
#|            absolute = urllib.parse.urljoin(base, html.unescape(url))
#|            plain, _, fragment = absolute.partition("#")
#|            name = urllib.parse.unquote(
#|                urllib.parse.urlsplit(plain).path.rsplit("/", 1)[-1])
#|        except ValueError:  # href="http://[x/...": no URL, not passed on
#|            return ""
#|        if not pages.is_safe_file_name(name):
#|            return url
#|        # The file name stays the last path segment: pip reads it there.
#|        # The URL kept has the listing mirror's credentials only when it
#|        # is on that mirror's host (urljoin keeps them on the same host).
#|        return "%s/file/%d/%s%s" % (
#|            self.root, self._number(absolute), urllib.parse.quote(name),
#|            "#" + fragment if fragment else "")
#|
#|    def _rewrite(self, body, content_type, base):
#|        if pages.JSON_CONTENT_TYPE in content_type:
#|            try:
#|                data = json.loads(body)
#|                for entry in data.get("files", []):
#|                    entry["url"] = self._proxied(entry["url"], base)
#|            except (ValueError, TypeError, AttributeError, KeyError):
#|                return b'{"meta": {"api-version": "1.0"}, "files": []}'
#|            return json.dumps(data).encode("utf-8")
#|        text = body.decode("utf-8", "replace")
#|        return _HREF.sub(lambda match: match.group(1) + self._proxied(
#|            match.group(2), base) + match.group(3), text).encode("utf-8")
#|
#|
#|def _users_netrc():
#|    """The user's own netrc (``NETRC`` or ``~/.netrc``), if it parses: a
#|    file that does not would hide the token's entry from pip too."""
#|    path = os.environ.get("NETRC") or os.path.expanduser("~/.netrc")
#|    try:
#|        netrc.netrc(path)
#|        with open(path, encoding="utf-8") as stream:
#|            return stream.read()
#|    except (OSError, netrc.NetrcParseError, UnicodeDecodeError):
#|        return ""
#|
#|
#|def _netrc_entry(url):
#|    """A netrc line with *url*'s credentials, or '' when netrc cannot
#|    hold them: white space or quotes, or the host of the local index
#|    itself (netrc keys on the host alone, and the token needs that one)."""
#|    found = urls.credentials(url)
#|    if found is None:
#|        return ""
#|    user, password = found
#|    host = urls.host_of(url)
#|    if host == "127.0.0.1" or any(char.isspace() or char in "\"'"
#|                                  for char in user + password):
#|        return ""
#|    return "\nmachine %s login %s password %s\n" % (host, user, password)
# ---- buildout_mirrors/failover/private_route.py
#|"""Pages and files of projects private to a company's index.
#|
#|Asked before the pool of public mirrors for every project page (uv's
#|``first-index``): a page a private index serves comes from there, and its
#|name is private from then on
#|(:mod:`buildout_mirrors.selection.private_projects`).
#|A project known private never goes to a public mirror: when its index is
#|down the run stops with one error naming that index.  Its files come from
#|where its page listed them, with no failover, no redirect off the private
#|hosts and no second opinion (a public mirror never hears a private name).
#|"""
#|
#|from buildout_mirrors.index import index_client, urls
#|from buildout_mirrors.index.transport import FetchError
#|from buildout_mirrors.failover.verified import VerifiedFiles
#|
#|
#|class PrivateIndexDown(Exception):
#|    """A private project that its index cannot serve now."""
#|
#|
#|class PrivateRoute:
#|    """``PrivateRoute(projects, exchange, on_learned=None, on_down=None)``:
#|    *projects* is a PrivateProjects, *exchange* an Exchange over the
#|    private indexes (redirects stay on their hosts)."""
#|
#|    def __init__(self, projects, exchange, on_learned=None, on_down=None):
#|        self.projects, self.exchange = projects, exchange
#|        self.on_learned = on_learned or (lambda index, name: None)
#|        self.on_down = on_down or (lambda index, reason: None)
#|        self.files = VerifiedFiles(self._get, None)
#|
#|    def page(self, project, relative, accept):
#|        """The page of *project* from a private index, or None: the
#|        project is not private, ask the pool."""
#|        owners = self.projects.owners(project)
#|        if owners is not None:
#|            return self._from_owners(project, relative, accept, owners)
#|        for index in self.projects.to_ask(project):
#|            try:
#|                fetched = self._ask(index, relative, accept)
#|                if fetched.status == 200:
#|                    return self._served(index, project, fetched)
#|            except FetchError as error:
#|                if self.projects.failed(index, str(error)):
#|                    self.on_down(index, str(error))
#|                continue
#|            fetched.close()
#|            self.projects.missing(index, project)
#|        return None
#|
#|    def _from_owners(self, project, relative, accept, owners):
#|        if not owners:
#|            raise PrivateIndexDown(
#|                "%s is declared private (mirrors-private-projects = %s), "
#|                "but no private index is known to serve it; it is never "
#|                "taken from a public mirror. Name the company's index in "
#|                "mirrors-private." % (project, " ".join(
#|                    self.projects.declared)))
#|        reasons, not_found = [], None
#|        for index in owners:
#|            try:
#|                fetched = self._ask(index, relative, accept)
#|                if fetched.status == 200:
#|                    return self._served(index, project, fetched)
#|            except FetchError as error:
#|                self.projects.failed(index, str(error))
#|                reasons.append("%s: %s" % (urls.redact(index), error))
#|                continue
#|            if not_found is not None:
#|                not_found.close()
#|            not_found = fetched
#|        if reasons:
#|            if not_found is not None:
#|                not_found.close()
#|            raise PrivateIndexDown(
#|                "%s is private to %s, which cannot serve it now (%s); it is "
#|                "never taken from a public mirror. Start the build again "
#|                "once that index answers." % (
#|                    project, " or ".join(urls.redact(index)
#|                                         for index in owners),
#|                    "; ".join(reasons)))
#|        return not_found  # the private index has no such project
#|
#|    def _ask(self, index, relative, accept):
#|        """The answer of *index*: a page, or a 404 (it has no such
#|        project); anything else (401, 403, 5xx) is a failure."""
#|        fetched = self._get(index + relative, accept, True)
#|        if fetched.status not in (200, 404, 410):
#|            fetched.close()
#|            raise FetchError("HTTP %d" % fetched.status)
#|        return fetched
#|
#|    def _served(self, index, project, fetched):
#|        """Learn *project* (and its files) as private to *index*."""
#|        try:
#|            listed = index_client.project_page(fetched).files
#|        except FetchError:
#|            fetched.close()
#|            raise
#|        self.projects.listed(listed.values())
#|        if self.projects.served(index, project):
#|            self.on_learned(index, project)
#|        return fetched
#|
#|    def file(self, url, expected):
#|        """A file a private page listed, from there only."""
#|        try:
#|            return self.files.get_verified(url, expected, True)
#|        except FetchError as error:
#|            raise PrivateIndexDown(
#|                "%s, listed by a private index, could not be fetched from "
#|                "it (%s); it is never taken from a public mirror" % (
#|                    urls.redact(url.split("#", 1)[0]), error)) from None
#|
#|    def _get(self, url, accept, patient=True, files_elsewhere=False):
#|        # Never elsewhere: a company's files come from the company.
#|        return self.exchange.get(
#|            urls.with_auth_of(url, self.projects.indexes), accept, patient)
# ---- buildout_mirrors/failover/routes.py
#|"""Which URLs the failover answers, and with whose credentials.
#|
#|Buildout and pip are handed URLs without credentials (they print them,
#|store them in ``.installed.cfg`` and put them on command lines); the
#|failover adds them back, for the origin (scheme, host and port) they were
#|given for only: the candidates' and those of find-links that carry
#|credentials.
#|"""
#|
#|import urllib.parse
#|
#|from buildout_mirrors.index import pages, urls
#|
#|
#|class Routes:
#|    """``Routes(book, link_credentials)``: *book* knows the candidates;
#|    *link_credentials* are find-links, those with credentials kept."""
#|
#|    def __init__(self, book, link_credentials=()):
#|        self.book = book
#|        self.links = [link for link in link_credentials
#|                      if urls.credentials(link)]
#|
#|    def handles(self, url):
#|        """Pages of the candidates, distribution files from anywhere
#|        (pypi.org's pages point at another host for files), and anything
#|        on the origin of a find-links with credentials."""
#|        if not url.startswith(("http://", "https://")):
#|            return False
#|        try:
#|            return self.book.owner(url) is not None or \
#|                pages.DIST_SUFFIXES_RE.search(
#|                    urllib.parse.urlsplit(url).path) is not None or any(
#|                    urls.origin(url) == urls.origin(link)
#|                    for link in self.links)
#|        except ValueError:  # no URL (http://[x/...): urllib's own error
#|            return False
#|
#|    def with_auth(self, url):
#|        """*url* with the credentials of the candidate (or find-links) of
#|        its origin."""
#|        return urls.with_auth_of(url, self.book.candidates + self.links)
# ---- buildout_mirrors/failover/second_opinion.py
#|"""A second opinion on every file installed.
#|
#|A mirror that lies on its page *and* serves the file that matches the lie
#|passes every hash check of its own.  So while two or more mirrors are
#|live, the page of each project read from one mirror is also read from
#|another, in the background as soon as the first page arrives (off the
#|critical path: the file downloads meanwhile), and every file must be
#|listed there with the same hash.  When the other mirror does not answer
#|in time, or does not list the file, there is nothing to compare and the
#|file is taken (a curated index lacks files on purpose).
#|"""
#|
#|import threading
#|import time
#|
#|from buildout_mirrors.index import index_client, pages, urls
#|from buildout_mirrors.index.transport import FetchError
#|
#|
#|class IntegrityError(Exception):
#|    """Mirrors disagree about a file's content: refuse it."""
#|
#|
#|class _Opinion:
#|    def __init__(self, mirror, wait):
#|        self.mirror = mirror
#|        self.done = threading.Event()
#|        self.files = {}
#|        # Waited for from when it was asked, not from when a file needs
#|        # it: the file's own download runs meanwhile.
#|        self.deadline = time.monotonic() + wait
#|
#|
#|class SecondOpinion:
#|    """``SecondOpinion(book, get, wait)``: *get(url, accept)* is the
#|    failover's bounded GET; *wait* is how long a file waits, at most, for
#|    an opinion still under way."""
#|
#|    def __init__(self, book, get, wait):
#|        self.book, self.get, self.wait = book, get, wait
#|        self._opinions = {}
#|        self._lock = threading.Lock()
#|
#|    def ask(self, project, first):
#|        """Read *project*'s page from a live mirror other than *first*, in
#|        the background (once a run)."""
#|        # Only one known to answer: a file would wait for a hanging one.
#|        others = [mirror for mirror in self.book.order()
#|                  if mirror != first and mirror in self.book.known_live]
#|        key = pages.normalize_project(project)
#|        with self._lock:
#|            if not others or key in self._opinions:
#|                return
#|            opinion = self._opinions[key] = _Opinion(others[0], self.wait)
#|        threading.Thread(target=self._read, args=(opinion, project),
#|                         daemon=True, name="buildout_mirrors opinion").start()
#|
#|    def _read(self, opinion, project):
#|        try:
#|            opinion.files = index_client.read_project(
#|                opinion.mirror, project, None, get=self.get).files
#|        except FetchError as error:  # no answer is no opinion
#|            if error.slow:  # and a silent mirror is not asked again soon
#|                self.book.stalled(opinion.mirror, str(error))
#|        finally:
#|            opinion.done.set()
#|
#|    def check(self, name, expected, served_by):
#|        """Raise :class:`IntegrityError` when another mirror lists *name*
#|        with another hash than *expected* ({algorithm: digest})."""
#|        with self._lock:
#|            opinion = self._opinions.get(pages.normalize_project(
#|                pages.project_of(name)))
#|        if opinion is None or opinion.mirror == served_by or \
#|                not opinion.done.wait(max(opinion.deadline - time.monotonic(),
#|                                          0)):
#|            return
#|        disagree(name, opinion.files.get(name, ""), expected,
#|                 opinion.mirror, served_by)
#|
#|
#|def disagree(name, listed, expected, mirror, other=None):
#|    """Raise :class:`IntegrityError` when the link *listed* by *mirror*
#|    names another hash for *name* than *expected*, which *other* (or the
#|    mirror first asked) gave."""
#|    for algorithm, digest in sorted(pages.fragment_hashes(listed).items()):
#|        if algorithm in expected and expected[algorithm] != digest:
#|            raise IntegrityError(
#|                "%s is listed with different %s hashes by %s and %s: the"
#|                " file was corrupted or tampered with; not installing it"
#|                % (name, algorithm, urls.redact(mirror),
#|                   urls.redact(other) if other else "the mirror first asked"))
# ---- buildout_mirrors/failover/verified.py
#|"""Files checked against every hash known for them: the hash the page
#|gave, the one another mirror lists (the second opinion), and the verdicts
#|already reached in this run (a file two mirrors disagreed on stays
#|refused)."""
#|
#|import threading
#|
#|from buildout_mirrors.index import index_client
#|from buildout_mirrors.index.transport import FetchError
#|from buildout_mirrors.failover.second_opinion import IntegrityError, disagree
#|
#|
#|class VerifiedFiles:
#|    """``VerifiedFiles(get, opinion)``: *get(url, accept, patient,
#|    files_elsewhere=False)* is the failover's bounded GET."""
#|
#|    def __init__(self, get, opinion):
#|        self.get, self.opinion = get, opinion
#|        self.conflicts = {}   # file name -> message
#|        self._lock = threading.Lock()
#|
#|    def refuse_known_conflict(self, name):
#|        with self._lock:
#|            if name in self.conflicts:
#|                raise IntegrityError(self.conflicts[name])
#|
#|    def locate(self, mirror, project, name, expected, patient):
#|        """The URL of file *name* on *mirror*'s page, after checking that
#|        the page's hash agrees with what is expected."""
#|        try:
#|            parsed = index_client.read_project(
#|                mirror, project, None, get=lambda url, accept: self.get(
#|                    url, accept, patient))
#|        except index_client.NotListed:
#|            return None
#|        if name not in parsed.files:
#|            return None
#|        alternative = parsed.files[name]
#|        try:
#|            disagree(name, alternative, expected, mirror)
#|        except IntegrityError as error:
#|            with self._lock:
#|                self.conflicts[name] = str(error)
#|            raise
#|        return alternative
#|
#|    def agreed(self, fetched, name, expected, served_by):
#|        """*fetched*, once a second mirror's page agrees on its hash."""
#|        try:
#|            self.opinion.check(name, expected, served_by)
#|        except IntegrityError as error:
#|            fetched.close()
#|            with self._lock:
#|                self.conflicts[name] = str(error)
#|            raise
#|        return fetched
#|
#|    def get_verified(self, url, expected, patient):
#|        # A file whose hash the page gave may be redirected to another
#|        # https host (proxpi sends what it has not cached yet upstream):
#|        # the hash, not the host, makes it trustworthy.
#|        fetched = self.get(url, "*/*", patient, files_elsewhere=bool(
#|            expected))
#|        try:
#|            if fetched.status != 200:
#|                raise FetchError("HTTP %d" % fetched.status)
#|            index_client.check_hashes(fetched.body, expected)
#|        except FetchError:
#|            fetched.close()
#|            raise
#|        return fetched
# ---- buildout_mirrors/index/__init__.py
#|"""The index client: one bounded HTTP GET (kept alive per host), project
#|pages (PEP 503 and 691) read in one pass, files checked against their
#|hashes, URLs and the credentials in them, what a distribution requires.
#|
#|Standard library only; the lowest layer: it imports nothing else of this
#|package.  bootstrap.py carries it.
#|"""
# ---- buildout_mirrors/index/bodies.py
#|"""Where an answer's body is kept while buildout reads it, and reading it
#|in within the bounds of a index.transport Limits.
#|
#|Bodies are kept in memory up to ``SPOOL_BYTES``, on disk beyond.  The
#|look-ahead (failover.lookahead) fetches files long before buildout reads
#|them, so in its threads (:func:`on_disk`) every body goes straight to an
#|unnamed temporary file: private to the user (mode 0600, no name another
#|process could open) and gone with the process, whatever ends it.
#|"""
#|
#|from __future__ import annotations
#|
#|import contextlib
#|import http.client
#|import socket
#|import tempfile
#|import threading
#|import time
#|import typing
#|
#|from buildout_mirrors.index.errors import FetchError
#|
#|SPOOL_BYTES = 8 * 1024 * 1024  # bodies larger than this go to disk
#|_THREAD = threading.local()
#|
#|
#|@contextlib.contextmanager
#|def on_disk() -> typing.Iterator[None]:
#|    """Bodies read by this thread within the block go to disk at once."""
#|    _THREAD.on_disk = True
#|    try:
#|        yield
#|    finally:
#|        _THREAD.on_disk = False
#|
#|
#|def _new_body() -> typing.IO[bytes]:
#|    if getattr(_THREAD, "on_disk", False):
#|        return tempfile.TemporaryFile()
#|    return tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
#|
#|
#|def read_body(response: http.client.HTTPResponse, sock: socket.socket,
#|              limits: typing.Any, remaining: typing.Callable[
#|                  [float, float | None], float]) -> typing.IO[bytes]:
#|    """Read the whole body within the stall, floor and deadline limits;
#|    fail on a body shorter than its Content-Length."""
#|    body = _new_body()
#|    started, size = time.monotonic(), 0
#|    read = getattr(response, "read1", None) or response.read
#|    try:
#|        # A response that closes its connection (HTTP/1.0, "Connection:
#|        # close") closes it, socket included, once its body is read; from
#|        # Python 3.13 the socket then refuses settimeout (EBADF).
#|        while not response.isclosed():
#|            sock.settimeout(remaining(limits.stall, limits.deadline))
#|            try:
#|                chunk = read(65536)
#|            except http.client.IncompleteRead:
#|                raise FetchError("truncated: the connection closed after "
#|                                 "%d bytes" % size) from None
#|            if not chunk:
#|                break
#|            body.write(chunk)
#|            size += len(chunk)
#|            if limits.max_bytes is not None and size > limits.max_bytes:
#|                raise FetchError("answer larger than %d bytes"
#|                                 % limits.max_bytes)
#|            elapsed = time.monotonic() - started
#|            if limits.floor and elapsed > limits.stall and \
#|                    size / elapsed < limits.floor:
#|                raise FetchError("too slow (%d bytes in %.1f s)"
#|                                 % (size, elapsed))
#|        expected = response.msg.get("Content-Length", "")
#|        if expected.strip().isdigit() and size < int(expected):
#|            raise FetchError("truncated: %d of %s bytes" % (size, expected))
#|    except BaseException:
#|        body.close()
#|        raise
#|    body.seek(0)
#|    return body
# ---- buildout_mirrors/index/connection.py
#|"""Connections for index.transport: TLS that stays verified, proxies from
#|the environment (as urllib and pip take them), credentials as Basic
#|headers, and what a failed connection is called in a log line."""
#|
#|from __future__ import annotations
#|
#|import http.client
#|import socket
#|import ssl
#|import threading
#|import typing
#|import urllib.error
#|import urllib.parse
#|import urllib.request
#|
#|from buildout_mirrors.index import urls
#|
#|_CONTEXTS: dict = {}
#|_CONTEXTS_LOCK = threading.Lock()
#|
#|
#|def ssl_context(verify: bool | str = True) -> ssl.SSLContext:
#|    """The system trust store (OpenSSL's default paths, which honour
#|    ``SSL_CERT_FILE`` and ``SSL_CERT_DIR``), or the CA bundle *verify*
#|    names.  Verification is never switched off.
#|
#|    Made once a process for each bundle: loading a trust store costs tens
#|    of milliseconds, and parallel probes must not each pay it."""
#|    key = verify if isinstance(verify, str) else True
#|    with _CONTEXTS_LOCK:
#|        if key not in _CONTEXTS:
#|            _CONTEXTS[key] = ssl.create_default_context(
#|                cafile=key if isinstance(key, str) else None)
#|        return _CONTEXTS[key]
#|
#|
#|class LazyContext:
#|    """``ssl_context(verify)``, made only when an https URL is asked:
#|    plain-http and local mirrors never load a trust store."""
#|
#|    def __init__(self, verify=True):
#|        self.verify = verify
#|
#|    def get(self) -> ssl.SSLContext:
#|        return ssl_context(self.verify)
#|
#|
#|def connect(parts: urllib.parse.SplitResult, path: str, timeout: float,
#|            context: typing.Any, request_headers: dict[str, str]
#|            ) -> tuple[http.client.HTTPConnection, str]:
#|    """An unopened connection for the URL *parts*, through the
#|    environment's proxy if one applies, and the path to ask for (a plain
#|    http proxy wants the whole URL).  Proxy credentials are added to
#|    *request_headers* or to the tunnel."""
#|    host, port, proxy = parts.hostname or "", parts.port, _proxy_for(parts)
#|    connection: http.client.HTTPConnection
#|    if parts.scheme == "https":
#|        context = context.get() if isinstance(context, LazyContext) else (
#|            context or ssl_context())
#|        if proxy:
#|            connection = http.client.HTTPSConnection(
#|                proxy.hostname or "", proxy.port or 80, timeout=timeout,
#|                context=context)
#|            tunnel_headers = {}
#|            proxy_auth = urls.auth_header(proxy)
#|            if proxy_auth:
#|                tunnel_headers["Proxy-Authorization"] = proxy_auth
#|            connection.set_tunnel(host, port or 443, tunnel_headers)
#|        else:
#|            connection = http.client.HTTPSConnection(
#|                host, port or 443, timeout=timeout, context=context)
#|    elif proxy:
#|        connection = http.client.HTTPConnection(
#|            proxy.hostname or "", proxy.port or 80, timeout=timeout)
#|        path = urllib.parse.urlunsplit(parts._replace(
#|            netloc=urls.hostport(parts), fragment=""))
#|        proxy_auth = urls.auth_header(proxy)
#|        if proxy_auth:
#|            request_headers["Proxy-Authorization"] = proxy_auth
#|    else:
#|        connection = http.client.HTTPConnection(host, port or 80,
#|                                                timeout=timeout)
#|    return connection, path
#|
#|
#|def _proxy_for(parts):
#|    proxy = urllib.request.getproxies().get(parts.scheme)
#|    if not proxy or urllib.request.proxy_bypass(parts.hostname or ""):
#|        return None
#|    if "://" not in proxy:
#|        proxy = "http://" + proxy
#|    return urllib.parse.urlsplit(proxy)
#|
#|
#|def describe(error: BaseException, limits: typing.Any = None) -> str:
#|    """One short phrase for a failed exchange, with no URL in it, classified
#|    the way pip's ``network/utils.py`` does."""
#|    reason = error.reason if isinstance(error, urllib.error.URLError) \
#|        else error
#|    text = repr(reason)
#|    if isinstance(reason, (socket.timeout, TimeoutError)) or \
#|            "timed out" in text:
#|        return "timed out"
#|    if isinstance(reason, ConnectionRefusedError):
#|        return "connection refused"
#|    if isinstance(reason, ssl.SSLCertVerificationError):
#|        return "TLS error (certificate not trusted: %s)" % (
#|            getattr(reason, "verify_message", "") or "verification failed")
#|    if isinstance(reason, ssl.SSLError):
#|        return "TLS error (handshake failed)"
#|    if isinstance(reason, socket.gaierror):
#|        return "host name not found"
#|    if isinstance(reason, ConnectionResetError):
#|        return "connection reset"
#|    if isinstance(reason, (http.client.RemoteDisconnected,
#|                           http.client.BadStatusLine,
#|                           http.client.LineTooLong)):
#|        return "not an HTTP answer (connection closed or garbage)"
#|    if isinstance(reason, OSError) and "Tunnel connection failed" in text:
#|        return "proxy error"
#|    if isinstance(reason, http.client.HTTPException):
#|        return "not an HTTP answer (%s)" % type(reason).__name__
#|    if isinstance(reason, OSError):
#|        return "cannot read (%s)" % (reason.strerror or type(reason).__name__)
#|    return "failed (%s)" % type(reason).__name__
# ---- buildout_mirrors/index/dist_requirements.py
#|"""What a distribution file needs: its requirements, read from the file
#|itself (a wheel's ``METADATA``; an sdist's ``PKG-INFO`` or its
#|``*.egg-info/requires.txt``), with their environment markers evaluated
#|for this interpreter, as pkg_resources does for zc.buildout.
#|
#|Only the look-ahead (failover.lookahead) asks, and only to guess what
#|buildout will ask next: a file it cannot read needs nothing.  Members are
#|read up to ``MAX_METADATA`` bytes, so a hostile archive costs no more.
#|
#|``packaging`` is imported when first needed, from wherever the running
#|buildout has it (itself, pip's or setuptools' copy): the index client
#|imports on the standard library alone (bootstrap.py carries it).
#|"""
#|
#|from __future__ import annotations
#|
#|import email.parser
#|import io
#|import tarfile
#|import types
#|import typing
#|import zipfile
#|
#|MAX_METADATA = 1024 * 1024
#|MAX_MEMBERS = 5000  # an sdist's files looked at for its metadata
#|
#|
#|def packaging(module: str) -> types.ModuleType:
#|    """``packaging.<module>``, from the first place that has it."""
#|    import importlib
#|    for prefix in ("", "pip._vendor.", "setuptools._vendor."):
#|        try:
#|            return importlib.import_module(prefix + "packaging." + module)
#|        except ImportError:
#|            continue
#|    raise ImportError("packaging." + module)
#|
#|
#|def requirements(fileobj: typing.IO[bytes], filename: str) -> list[str]:
#|    """The names (as written) this distribution requires here, extras
#|    left out; [] for a file that cannot be read."""
#|    try:
#|        lines = _requirement_lines(fileobj, filename)
#|        return _applicable(lines)
#|    except Exception:  # any archive, any metadata: a guess, never an error
#|        return []
#|    finally:
#|        fileobj.seek(0)
#|
#|
#|def _requirement_lines(fileobj, filename):
#|    if filename.endswith(".whl"):
#|        with zipfile.ZipFile(fileobj) as archive:
#|            member = next(name for name in archive.namelist()
#|                          if name.count("/") == 1 and
#|                          name.endswith(".dist-info/METADATA"))
#|            return _requires_dist(_read_zip(archive, member))
#|    if filename.endswith(".zip"):
#|        with zipfile.ZipFile(fileobj) as archive:
#|            names = archive.namelist()[:MAX_MEMBERS]
#|            return _from_sdist(names, lambda name: _read_zip(archive, name))
#|    with tarfile.open(fileobj=fileobj, mode="r:*") as archive:
#|        members: dict[str, tarfile.TarInfo] = {}
#|        for number, info in enumerate(archive):
#|            if number >= MAX_MEMBERS:
#|                break
#|            if info.isfile() and info.size <= MAX_METADATA:
#|                members[info.name] = info
#|        return _from_sdist(list(members), lambda name: _read_tar(
#|            archive, members[name]))
#|
#|
#|def _read_tar(archive: tarfile.TarFile, info: tarfile.TarInfo) -> bytes:
#|    stream = archive.extractfile(info)
#|    return stream.read() if stream is not None else b""
#|
#|
#|def _read_zip(archive, name):
#|    if archive.getinfo(name).file_size > MAX_METADATA:
#|        raise ValueError("metadata too large")
#|    return archive.read(name)
#|
#|
#|def _from_sdist(names, read):
#|    """PKG-INFO's Requires-Dist (metadata 2.2 and later sdists), else the
#|    egg-info's requires.txt (what setuptools wrote before)."""
#|    info = [name for name in names if name.count("/") == 1 and
#|            name.endswith("/PKG-INFO")]
#|    if info:
#|        found = _requires_dist(read(info[0]))
#|        if found:
#|            return found
#|    requires = [name for name in names if name.count("/") == 2 and
#|                name.endswith(".egg-info/requires.txt")]
#|    return _requires_txt(read(requires[0])) if requires else []
#|
#|
#|def _requires_dist(data: bytes) -> list[str]:
#|    message = email.parser.Parser().parsestr(
#|        data.decode("utf-8", "replace"), headersonly=True)
#|    return message.get_all("Requires-Dist") or []
#|
#|
#|def _requires_txt(data: bytes) -> list[str]:
#|    """requires.txt's lines as Requires-Dist lines: ``[:marker]`` sections
#|    carry a marker, ``[extra]`` sections are extras (left out)."""
#|    lines, marker = [], None
#|    for line in io.StringIO(data.decode("utf-8", "replace")):
#|        line = line.strip()
#|        if not line or line.startswith("#"):
#|            continue
#|        if line.startswith("["):
#|            section = line.strip("[]")
#|            marker = section[1:] if section.startswith(":") else (
#|                "extra" if section else None)
#|            continue
#|        if marker == "extra":
#|            continue
#|        lines.append(line + ("; " + marker if marker else ""))
#|    return lines
#|
#|
#|def _applicable(lines: list[str]) -> list[str]:
#|    requirement_class = packaging("requirements").Requirement
#|    names = []
#|    for line in lines:
#|        try:
#|            requirement = requirement_class(line)
#|        except Exception:
#|            continue
#|        if requirement.marker is None or requirement.marker.evaluate(
#|                {"extra": ""}):
#|            names.append(requirement.name)
#|    return names
# ---- buildout_mirrors/index/errors.py
#|"""Exceptions of buildout_mirrors.
#|
#|The selection raises :class:`ConfigError`; the buildout hooks turn it into a
#|``zc.buildout.UserError`` so that buildout prints one line, no traceback.
#|"""
#|
#|
#|class ConfigError(ValueError):
#|    """An option has a value the user must fix; the message says how."""
#|
#|
#|# The one way out when no listed mirror works, named in every such message.
#|OVERRIDE_HINT = ("Name a reachable mirror in the BUILDOUT_MIRRORS environment "
#|                 "variable or the mirrors option.")
#|
#|
#|class FetchError(Exception):
#|    """This URL could not be fetched; the message says why, with no URL
#|    in it (so no credentials).  ``slow`` is True when the server was only
#|    slow to start answering, which is no verdict on its health.  ``kind``
#|    says which bound ran out, for code that decides by it (the message is
#|    for people): ``timeout`` (connecting), ``silent`` (the first byte),
#|    ``stall`` (the next byte), or ``failed``."""
#|
#|    def __init__(self, reason, slow=False, kind="failed"):
#|        super().__init__(reason)
#|        self.slow, self.kind = slow, kind
# ---- buildout_mirrors/index/index_client.py
#|"""The one index client: read a project page, and check a file against
#|the hashes its page listed.  The probe, the failover, pip's local index,
#|the wheelhouse and bootstrap.py all read pages and check files here, so
#|that a hostile page or file is met by one piece of code.
#|
#|Every GET is :func:`buildout_mirrors.index.transport.get`, bounded by the
#|caller's :class:`~buildout_mirrors.index.transport.Limits`; parsing is
#|:func:`buildout_mirrors.index.pages.parse`, linear in the page's size.
#|"""
#|
#|from __future__ import annotations
#|
#|import hashlib
#|import typing
#|
#|from buildout_mirrors.index import pages, transport
#|from buildout_mirrors.index.transport import FetchError
#|
#|
#|class BadAnswer(FetchError):
#|    """The index answered, but not with a usable page (a status other
#|    than 200, or a page that does not parse): no verdict on its health."""
#|
#|
#|class NotListed(BadAnswer):
#|    """The index answered 404: it does not have this project."""
#|
#|
#|def project_page(response: transport.Response) -> pages.ProjectPage:
#|    """The :class:`~buildout_mirrors.index.pages.ProjectPage` in
#|    *response* (a complete transport Response), or FetchError."""
#|    try:
#|        return pages.parse(response.read_all(), response.headers.get(
#|            "Content-Type", ""), response.url, response.headers)
#|    except pages.PageError as error:
#|        raise BadAnswer("invalid page: %s" % error) from None
#|
#|
#|def read_project(index_url, project, limits, context=None, accept=None,
#|                 get=None):
#|    """The page of *project* on the index at *index_url*.  Raises
#|    :class:`NotListed` for a 404, :class:`BadAnswer` for another status or
#|    an invalid page, FetchError when the exchange failed.
#|    *get(url, accept)* replaces the plain bounded GET (the failover
#|    passes its own)."""
#|    url = pages.project_url(index_url, project)
#|    if get is None:
#|        response = transport.get(url, accept or pages.ACCEPT, limits,
#|                                 context)
#|    else:
#|        response = get(url, accept or pages.ACCEPT)
#|    with response.body:
#|        if response.status == 404:
#|            raise NotListed("HTTP 404 (%s not found)" % project)
#|        if response.status != 200:
#|            raise BadAnswer("HTTP %d" % response.status)
#|        return project_page(response)
#|
#|
#|def check_hashes(body: typing.IO[bytes], expected: dict[str, str]) -> None:
#|    """Read *body* (a file) once and compare it with *expected*
#|    ({algorithm: hex digest}, as a link's fragment gives it); rewind it.
#|    One strong hash is enough.  Raises FetchError on a mismatch."""
#|    for algorithm, digest in sorted(expected.items()):
#|        actual = hashlib.new(algorithm)
#|        for block in iter(lambda: body.read(1 << 16), b""):
#|            actual.update(block)
#|        body.seek(0)
#|        if actual.hexdigest() != digest:
#|            raise FetchError("%s mismatch (the file differs from the index "
#|                             "page)" % algorithm)
#|        return
# ---- buildout_mirrors/index/keepalive.py
#|"""Keep-alive: one connection per mirror host, not one per file.
#|
#|zc.buildout and urllib open a fresh connection for every page and file: a
#|TCP (and TLS) handshake each time, which a mirror across an ocean makes
#|cost more than the answer.  :class:`ConnectionPool` keeps the connections
#|whose answers said they may stay open, per (scheme, host and port), for
#|the next request to the same host; index.transport takes one before it
#|connects and gives it back once the whole body is read.
#|
#|A kept connection is only reused while it is young and quiet: one the
#|server has closed (it reads as ready: EOF) or one idle for longer than
#|``MAX_IDLE`` (a firewall may have dropped it silently, and a silent
#|connection would read as a hanging mirror) is closed instead, as
#|urllib3's pool does.
#|"""
#|
#|from __future__ import annotations
#|
#|import http.client
#|import select
#|import threading
#|import time
#|
#|MAX_IDLE = 10.0     # seconds; servers keep idle connections 5 s to 75 s
#|PER_HOST = 8        # the look-ahead's concurrency
#|
#|
#|class ConnectionPool:
#|    """``ConnectionPool()``: ``take(key)`` an idle connection or None,
#|    ``give(key, connection)`` it back, ``close()`` them all."""
#|
#|    def __init__(self, per_host=PER_HOST, max_idle=MAX_IDLE,
#|                 clock=time.monotonic):
#|        self.per_host, self.max_idle, self.clock = per_host, max_idle, clock
#|        # key -> [(connection, idle since)]
#|        self._idle: dict[tuple, list[tuple[http.client.HTTPConnection,
#|                                           float]]] = {}
#|        self._lock = threading.Lock()
#|        self.reused = 0  # for tests and benchmarks
#|
#|    def take(self, key: tuple) -> http.client.HTTPConnection | None:
#|        """An idle connection to *key* that still looks usable, or None."""
#|        while True:
#|            with self._lock:
#|                idle = self._idle.get(key)
#|                if not idle:
#|                    return None
#|                connection, since = idle.pop()
#|            if self.clock() - since <= self.max_idle and \
#|                    not _dropped(connection):
#|                with self._lock:
#|                    self.reused += 1
#|                return connection
#|            connection.close()
#|
#|    def give(self, key: tuple, connection: http.client.HTTPConnection
#|             ) -> None:
#|        """Keep *connection* (its answer read to the end) for *key*."""
#|        if connection.sock is None:  # the answer closed it
#|            return
#|        with self._lock:
#|            idle = self._idle.setdefault(key, [])
#|            if len(idle) < self.per_host:
#|                idle.append((connection, self.clock()))
#|                return
#|        connection.close()
#|
#|    def close(self) -> None:
#|        with self._lock:
#|            idle, self._idle = self._idle, {}
#|        for connections in idle.values():
#|            for connection, _ in connections:
#|                connection.close()
#|
#|
#|def _dropped(connection: http.client.HTTPConnection) -> bool:
#|    """True when an idle connection can be read: the server closed it (or
#|    sent something unasked), either way it is not reusable."""
#|    sock = connection.sock
#|    if sock is None:
#|        return True
#|    try:
#|        return bool(select.select([sock], [], [], 0)[0])
#|    except (OSError, ValueError):
#|        return True
# ---- buildout_mirrors/index/pages.py
#|"""Read a PEP 503 / PEP 691 project page: its files and its serial.
#|
#|Serials are PyPI's change counters.  pypi.org and devpi's PyPI mirrors send
#|``X-PyPI-Last-Serial``; bandersnatch ends its HTML pages with
#|``<!--SERIAL n-->``; PEP 691 JSON pages carry ``meta._last-serial``.
#|On a project page all three are that project's serial, so two mirrors'
#|values are directly comparable.  devpi's own ``X-Devpi-Serial`` counts
#|devpi's database and is not.
#|"""
#|
#|from __future__ import annotations
#|
#|import dataclasses
#|import hashlib
#|import html
#|import json
#|import posixpath
#|import re
#|import typing
#|import urllib.parse
#|
#|from buildout_mirrors.index import versions
#|
#|JSON_CONTENT_TYPE = "application/vnd.pypi.simple.v1+json"
#|ACCEPT = "%s, text/html;q=0.2, */*;q=0.1" % JSON_CONTENT_TYPE
#|DIST_SUFFIXES = (".whl", ".tar.gz", ".zip", ".tar.bz2", ".tgz", ".egg")
#|DIST_SUFFIXES_RE = re.compile(r"\.(whl|tar\.gz|zip|tar\.bz2|tgz|egg)$", re.I)
#|
#|# The HTML is scanned, not matched: every search starts where the last one
#|# ended, so a hostile page (thousands of unclosed anchors) costs time in
#|# proportion to its size, never to its size squared.
#|_ANCHOR_START = re.compile(r"<a[\s/]", re.IGNORECASE)
#|_HREF = re.compile(r"""href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""",
#|                   re.IGNORECASE)
#|_SERIAL_COMMENT = re.compile(r"<!--\s*SERIAL\s+([0-9]{1,20})\s*-->")
#|_TAG = re.compile(r"<[^<>]*>")
#|_SERIAL_TEXT = re.compile(r"\s*([0-9]{1,20})\s*\Z")
#|
#|
#|MAX_FILE_NAME = 255  # bytes: a longer name cannot be saved (ENAMETOOLONG)
#|
#|
#|class PageError(ValueError):
#|    """The page is not a simple-index project page."""
#|
#|
#|@dataclasses.dataclass(frozen=True)
#|class ProjectPage:
#|    files: dict          # file name -> absolute URL (with hash fragment)
#|    serial: object = None  # int, or None when the mirror gives none
#|    devpi: tuple = ()  # (its primary's uuid, its serial) from devpi-server
#|
#|
#|def normalize_project(name: str) -> str:
#|    """PEP 503 normalisation: ``zc.buildout`` -> ``zc-buildout``."""
#|    return re.sub(r"[-_.]+", "-", name).lower()
#|
#|
#|def project_url(index_url: str, project: str) -> str:
#|    return "%s/%s/" % (index_url.rstrip("/"), normalize_project(project))
#|
#|
#|def newest_version(files: typing.Iterable[str]) -> str | None:
#|    """The newest release among *files* (file names), as a string, or
#|    None.  PEP 440 order: 6.0.10 is newer than 6.0.9."""
#|    return versions.newest(files)
#|
#|
#|def file_name(url: str) -> str:
#|    """The distribution file name at the end of *url*."""
#|    path = urllib.parse.urlsplit(url).path
#|    return urllib.parse.unquote(posixpath.basename(path))
#|
#|
#|def project_of(name: str) -> str:
#|    """The project a distribution file belongs to, from its name."""
#|    if name.endswith(".whl"):
#|        return name.split("-")[0]
#|    stem = re.sub(r"\.(tar\.gz|tar\.bz2|tgz|zip|egg)$", "", name)
#|    return stem.rsplit("-", 1)[0]
#|
#|
#|def fragment_hashes(url: str) -> dict[str, str]:
#|    """{algorithm: hex digest} from a link's ``#sha256=...`` fragment."""
#|    fragment = urllib.parse.urlsplit(url).fragment
#|    result = {}
#|    for part in fragment.split("&"):
#|        algorithm, _, digest = part.partition("=")
#|        if algorithm in hashlib.algorithms_guaranteed and digest:
#|            result[algorithm] = digest.lower()
#|    return result
#|
#|
#|def is_safe_file_name(name: str) -> bool:
#|    """A distribution file name that is one path segment a file system
#|    can hold: a mirror page must not be able to name ``../../x``, an
#|    absolute path, or 330 characters."""
#|    return bool(name) and len(name.encode("utf-8", "replace")) <= \
#|        MAX_FILE_NAME and name == name.strip() and "/" not in name and \
#|        "\\" not in name and name not in (".", "..") and \
#|        not name.startswith(".") and "\x00" not in name and \
#|        DIST_SUFFIXES_RE.search(name) is not None
#|
#|
#|def header_serial(headers: typing.Any) -> int | None:
#|    return as_serial(headers.get("X-PyPI-Last-Serial"))
#|
#|
#|def parse(body: bytes, content_type: str | None, page_url: str,
#|          headers: typing.Any = None) -> ProjectPage:
#|    """The :class:`ProjectPage` in *body* (bytes), or PageError."""
#|    headers = headers or {}
#|    text = body.decode("utf-8", errors="replace")
#|    if JSON_CONTENT_TYPE in (content_type or ""):
#|        files, serial = _parse_json(text, page_url)
#|    else:
#|        files, serial = _parse_html(text, page_url)
#|    header = header_serial(headers)
#|    return ProjectPage(files=files, serial=header if header is not None
#|                       else serial, devpi=devpi_position(headers))
#|
#|
#|_UUID = re.compile(r"[0-9a-f]{32}\Z")
#|
#|
#|def devpi_position(headers: typing.Any) -> tuple:
#|    """devpi-server sends on every answer its serial and the uuid of its
#|    primary (its own, on a primary): the members of one replica set count
#|    the same serials, so they compare.  () from anything else, and from a
#|    replica that has not reached its primary yet (empty uuid)."""
#|    primary = (headers.get("X-Devpi-Primary-Uuid") or "").strip().lower()
#|    serial = as_serial(headers.get("X-Devpi-Serial"))
#|    if serial is None or not _UUID.match(primary):
#|        return ()
#|    return (primary, serial)
#|
#|
#|def _parse_json(text, page_url):
#|    try:
#|        data = json.loads(text)
#|        entries = data["files"]
#|        files = {entry["filename"]: _with_hashes(
#|            urllib.parse.urljoin(page_url, entry["url"]), entry.get("hashes"))
#|            for entry in entries if is_safe_file_name(entry["filename"])}
#|    except (ValueError, KeyError, TypeError, AttributeError,
#|            RecursionError):  # "[" * 100000 is valid JSON's worst case
#|        raise PageError("invalid PEP 691 JSON page") from None
#|    serial = data.get("meta", {}).get("_last-serial") if isinstance(
#|        data.get("meta"), dict) else None
#|    return files, as_serial(serial)
#|
#|
#|def as_serial(value: object) -> int | None:
#|    """An int serial from an int or a string of digits (some servers and
#|    gateways send ``"_last-serial": "42859575"``), else None."""
#|    if isinstance(value, bool):
#|        return None
#|    if isinstance(value, int):
#|        return value
#|    if isinstance(value, str):
#|        # ASCII digits only: "²".isdigit() is True and int("²") fails.
#|        match = _SERIAL_TEXT.match(value)
#|        return int(match.group(1)) if match else None
#|    return None
#|
#|
#|def _with_hashes(url, hashes):
#|    if hashes and "#" not in url and isinstance(hashes, dict):
#|        name, value = sorted(hashes.items())[0]
#|        url = "%s#%s=%s" % (url, name, value)
#|    return url
#|
#|
#|def _parse_html(text, page_url):
#|    if "<" not in text:
#|        raise PageError("not an HTML page")
#|    files = {}
#|    for href, label in anchors(text):
#|        try:
#|            url = urllib.parse.urljoin(page_url, html.unescape(href))
#|            name = html.unescape(_TAG.sub("", label)).strip()
#|            if not is_safe_file_name(name):  # the link's own last segment
#|                name = urllib.parse.unquote(
#|                    urllib.parse.urlsplit(url).path.rsplit("/", 1)[-1])
#|        except ValueError:  # href="http://[x/..." and the like: skipped
#|            continue
#|        if is_safe_file_name(name):
#|            files[name] = url
#|    match = _SERIAL_COMMENT.search(text)
#|    return files, int(match.group(1)) if match else None
#|
#|
#|def anchors(text: str) -> typing.Iterator[tuple[str, str]]:
#|    """(href, label) of each ``<a href=...>label</a>`` of *text*, in one
#|    pass.  A label is the text up to the next tag; an anchor with no
#|    closing ``>`` ends the scan."""
#|    position, size = 0, len(text)
#|    while position < size:
#|        start = _ANCHOR_START.search(text, position)
#|        if start is None:
#|            return
#|        end = text.find(">", start.end())
#|        if end < 0:
#|            return
#|        attributes = text[start.end():end]
#|        # The label runs to the next tag: a search that stops at the first
#|        # "<" can never rescan the rest of the page.
#|        label_end = text.find("<", end + 1)
#|        if label_end < 0:
#|            label_end = size
#|        position = label_end
#|        found = _HREF.search(attributes)
#|        if found is not None:
#|            href = next(group for group in found.groups() if group is not None)
#|            yield href, text[end + 1:label_end]
#|
#|
#|def lists_projects(text: str, root_url: str) -> bool:
#|    """True when *text*, the page at *root_url*, reads as a simple index's
#|    root: a PEP 691 ``projects`` list, or a link to a page right beneath
#|    the root whose label names it (``<a href="acme-tools/">acme.tools</a>``)
#|    -- not a server's home page, which links its ``simple`` index."""
#|    try:
#|        data = json.loads(text)
#|        return isinstance(data, dict) and isinstance(data.get("projects"),
#|                                                     list)
#|    except (ValueError, RecursionError):
#|        pass
#|    root = root_url.rstrip("/") + "/"
#|    for href, label in anchors(text):
#|        try:
#|            target = urllib.parse.urljoin(root, html.unescape(href))
#|        except ValueError:
#|            continue
#|        target = target.split("#", 1)[0].split("?", 1)[0]
#|        segment = target[len(root):].rstrip("/")
#|        if target.startswith(root) and segment and "/" not in segment and \
#|                segment not in ("simple", "+simple", "packages") and \
#|                normalize_project(segment) == normalize_project(
#|                    label.strip()):
#|            return True
#|    return False
# ---- buildout_mirrors/index/pinned_file.py
#|"""Which file of a project page zc.buildout will download for a pinned
#|version, so that the look-ahead fetches that one and no other.
#|
#|zc.buildout (``easy_install.Installer._obtain``) keeps the distributions
#|of the best version that setuptools' package index found on the page,
#|then takes the last of them in pkg_resources' order: by precedence (a
#|wheel, then an egg, then an sdist) and then by location, the link's URL.
#|setuptools lists a wheel only when one of its tags is supported here.
#|An ``.egg`` on the page makes the guess unsure: nothing is picked.
#|"""
#|
#|from __future__ import annotations
#|
#|
#|from buildout_mirrors.index.dist_requirements import packaging
#|from buildout_mirrors.index.pages import DIST_SUFFIXES
#|
#|# The index's one list of distribution suffixes, less wheels and eggs.
#|SDIST_SUFFIXES = tuple(suffix for suffix in DIST_SUFFIXES
#|                       if suffix not in (".whl", ".egg"))
#|WHEEL, SDIST = 4, 1  # pkg_resources: EGG_DIST + 1 for wheels, SOURCE_DIST
#|
#|
#|def pick(files: dict[str, str], project: str, version: str) -> str | None:
#|    """The URL of *files* ({file name: URL}) that buildout downloads for
#|    *project* at *version*, or None when it cannot be told."""
#|    utils = packaging("utils")
#|    wanted_name = utils.canonicalize_name(project)
#|    try:
#|        wanted = packaging("version").Version(version)
#|    except ValueError:  # a pin that is no version: buildout's to judge
#|        return None
#|    supported = _supported_tags()
#|    found = []
#|    for name, url in files.items():
#|        lowered = name.lower()
#|        try:
#|            if lowered.endswith(".whl"):
#|                parsed = utils.parse_wheel_filename(name)
#|                if supported.isdisjoint(parsed[3]):
#|                    continue
#|                project_name, found_version, precedence = \
#|                    parsed[0], parsed[1], WHEEL
#|            elif lowered.endswith(SDIST_SUFFIXES):
#|                stem = name[:-len(next(suffix for suffix in SDIST_SUFFIXES
#|                                       if lowered.endswith(suffix)))]
#|                project_name, text = stem.rsplit("-", 1)
#|                found_version, precedence = packaging("version").Version(
#|                    text), SDIST
#|            elif lowered.endswith(".egg"):
#|                if utils.canonicalize_name(name.split("-")[0]) == \
#|                        wanted_name:
#|                    return None
#|                continue
#|            else:
#|                continue
#|        except (ValueError, TypeError, StopIteration):  # not a dist name
#|            continue
#|        if utils.canonicalize_name(project_name) == wanted_name and \
#|                found_version == wanted:
#|            found.append((precedence, url))
#|    return max(found)[1] if found else None
#|
#|
#|_TAGS: list[frozenset] = []
#|
#|
#|def _supported_tags() -> frozenset:
#|    if not _TAGS:
#|        _TAGS.append(frozenset(packaging("tags").sys_tags()))
#|    return _TAGS[0]
# ---- buildout_mirrors/index/transport.py
#|"""The one bounded HTTP GET: probes, failover, the wheelhouse, freshness.
#|
#|Standard library only (``http.client``), so that a rerun imports nothing
#|heavy and so that bootstrap.py can do the same.  What it promises:
#|
#|- header names are looked up case-insensitively (``http.client``'s
#|  message): proxies and HTTP/2 gateways send them in lower case;
#|- every wait is bounded, and the bounds say what they are for
#|  (:class:`Limits`): connecting, the first byte, a stall, a rate floor,
#|  and an absolute deadline for probes;
#|- TLS is verified against the system trust store (``SSL_CERT_FILE`` and
#|  ``SSL_CERT_DIR`` included), or against the CA bundle the user named, and
#|  proxies come from the environment, as for urllib and pip (both in
#|  index.connection);
#|- redirects are handed to a check: same host (or one the caller allows),
#|  and never from https down to http.
#|"""
#|
#|from __future__ import annotations
#|
#|import dataclasses
#|import http.client
#|import socket
#|import time
#|import typing
#|import urllib.error
#|import urllib.parse
#|
#|from buildout_mirrors.index.bodies import read_body
#|from buildout_mirrors.index.errors import FetchError
#|from buildout_mirrors.index.connection import connect, describe
#|from buildout_mirrors.index.keepalive import ConnectionPool
#|from buildout_mirrors.index import urls
#|
#|MAX_REDIRECTS = 5
#|USER_AGENT = "buildout_mirrors"
#|
#|
#|class RedirectRefused(FetchError):
#|    """The answer was a redirect this request may not follow."""
#|
#|
#|@dataclasses.dataclass(frozen=True)
#|class Limits:
#|    """How long one GET may wait, and for what.
#|
#|    *first_byte* bounds connecting and the wait for the status line;
#|    *stall* bounds any wait for the next bytes of the body; after *stall*
#|    seconds a body arriving slower than *floor* bytes a second fails (a
#|    tarpit), unless *floor* is 0.  *deadline* (a ``time.monotonic()``
#|    value) bounds everything, for probes.  *max_bytes* caps the body.
#|    """
#|
#|    first_byte: float = 15.0
#|    stall: float = 15.0
#|    floor: int = 0
#|    deadline: float | None = None
#|    max_bytes: int | None = None
#|
#|
#|@dataclasses.dataclass
#|class Response:
#|    """A complete answer: ``url`` (after redirects, as asked, credentials
#|    included), ``status``, ``headers`` (case-insensitive), ``body`` (a
#|    file at offset 0)."""
#|
#|    url: str
#|    status: int
#|    headers: http.client.HTTPMessage
#|    body: typing.IO[bytes]
#|
#|    def read_all(self) -> bytes:
#|        data = self.body.read()
#|        self.body.seek(0)
#|        return data
#|
#|    def close(self) -> None:
#|        self.body.close()
#|
#|
#|def same_host_redirects(source: str, target: str) -> bool:
#|    """The default redirect check: same host and port."""
#|    return urls.hostport(source) == urls.hostport(target)
#|
#|
#|def get(url: str, accept: str = "*/*", limits: Limits = Limits(),
#|        context: typing.Any = None, headers: dict[str, str] | None = None,
#|        redirect_ok: typing.Callable[[str, str], bool] = same_host_redirects,
#|        pool: ConnectionPool | None = None) -> Response:
#|    """GET *url* within *limits*; return a complete :class:`Response` (any
#|    status) or raise :class:`FetchError`.  Credentials in the URL become a
#|    Basic header; *headers* add to the request.  *redirect_ok(source,
#|    target)* decides which redirects to follow (never https to http).
#|    With a index.keepalive *pool*, connections are kept and reused."""
#|    for _ in range(MAX_REDIRECTS + 1):
#|        parts = urllib.parse.urlsplit(url)
#|        if parts.scheme not in ("http", "https"):
#|            raise FetchError("not an http(s) URL")
#|        try:
#|            status, message, body = _exchange(parts, accept, limits,
#|                                              context, headers or {}, pool)
#|        except FetchError:
#|            raise
#|        except Exception as error:
#|            reason = describe(error, limits)
#|            raise FetchError(reason, kind="timeout" if reason == "timed out"
#|                             else "failed") from None
#|        if status in (301, 302, 303, 307, 308):
#|            target = urllib.parse.urljoin(url, message.get("Location", ""))
#|            if not target.startswith(("http://", "https://")):
#|                raise RedirectRefused("redirect to a non-http URL refused")
#|            if parts.scheme == "https" and target.startswith("http://"):
#|                raise RedirectRefused("redirect from https to http refused")
#|            if not redirect_ok(url, target):
#|                raise RedirectRefused(
#|                    "redirects to %s (refused: not this mirror)"
#|                    % (urllib.parse.urlsplit(target).hostname or "?"))
#|            if urls.origin(url) == urls.origin(target):
#|                target = urls.with_auth_of(target, [url])
#|            else:  # credentials stay with the origin they were meant for
#|                headers = {name: value for name, value in
#|                           (headers or {}).items()
#|                           if name.lower() != "authorization"}
#|            url = target
#|            continue
#|        return Response(url, status, message, body)
#|    raise FetchError("too many redirects")
#|
#|
#|def _remaining(limit: float, deadline: float | None) -> float:
#|    if deadline is None:
#|        return limit
#|    left = deadline - time.monotonic()
#|    if left <= 0:
#|        raise socket.timeout("deadline")
#|    return min(limit, left)
#|
#|
#|def _exchange(parts, accept, limits, context, extra_headers, pool):
#|    """One request, on a kept connection from *pool* or a fresh one:
#|    (status, headers, body)."""
#|    request_headers = _request_headers(parts, accept, extra_headers)
#|    path = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query,
#|                                    ""))
#|    timeout = _remaining(limits.first_byte, limits.deadline)
#|    fresh, path = connect(parts, path, timeout, context, request_headers)
#|    key = (parts.scheme, urls.hostport(parts))
#|    connection = pool.take(key) if pool is not None else None
#|    kept = False
#|    try:
#|        if connection is not None:
#|            try:
#|                response, sock = _ask(connection, path, request_headers,
#|                                      limits, timeout)
#|            except _STALE:
#|                # The server closed the kept connection as we reused it:
#|                # no verdict on the mirror, ask again on a fresh one.
#|                connection.close()
#|                connection = None
#|        if connection is None:
#|            connection = fresh
#|            try:
#|                connection.connect()
#|            except (socket.timeout, TimeoutError):
#|                raise FetchError("connection timed out after %.1f s"
#|                                 % timeout, kind="timeout") from None
#|            response, sock = _ask(connection, path, request_headers, limits,
#|                                  timeout)
#|        if response.status in (301, 302, 303, 307, 308):
#|            return response.status, response.msg, None
#|        try:
#|            body = read_body(response, sock, limits, _remaining)
#|        except (socket.timeout, TimeoutError):
#|            raise FetchError("stalled: no byte for %.1f s" % _waited(
#|                limits.stall, limits.deadline, limits.stall),
#|                kind="stall") from None
#|        # Read to its Content-Length, the answer is not closed yet; the
#|        # connection takes no next request until it is.
#|        response.close()
#|        kept = pool is not None and not response.will_close
#|        return response.status, response.msg, body
#|    finally:
#|        if kept:
#|            pool.give(key, connection)
#|        else:
#|            (connection or fresh).close()
#|
#|
#|def _request_headers(parts, accept, extra_headers):
#|    headers = {"Accept": accept, "User-Agent": USER_AGENT,
#|               "Accept-Encoding": "identity"}
#|    authorization = urls.auth_header(parts)
#|    if authorization:
#|        headers["Authorization"] = authorization
#|    headers.update(extra_headers)
#|    return headers
#|
#|
#|# What a server's closing of an idle kept connection looks like.
#|_STALE = (http.client.RemoteDisconnected, ConnectionResetError,
#|          BrokenPipeError, ConnectionAbortedError)
#|
#|
#|def _ask(connection, path, request_headers, limits, timeout):
#|    """Send the GET; (response, socket) once the status line is in."""
#|    try:
#|        # Kept: the connection forgets its socket when the answer says it
#|        # will close, and the body is still read from it.
#|        sock = connection.sock
#|        sock.settimeout(_remaining(limits.first_byte, limits.deadline))
#|        connection.request("GET", path, headers=request_headers)
#|        return connection.getresponse(), sock
#|    except (socket.timeout, TimeoutError):
#|        # Connected, but no answer yet: slow, or hanging.
#|        raise FetchError("no answer within %.1f s" % _waited(
#|            limits.first_byte, limits.deadline, timeout), slow=True,
#|            kind="silent") from None
#|
#|
#|def _waited(limit, deadline, fallback):
#|    """The bound that ran out, for the message."""
#|    return limit if deadline is None else min(limit, fallback)
#|
# ---- buildout_mirrors/index/urls.py
#|"""Mirror URLs: validate and normalise them, and handle the credentials
#|they carry.  This module alone reads, strips, redacts or re-attaches a
#|``user:password@``; everything else asks it."""
#|
#|from __future__ import annotations
#|
#|import base64
#|import ipaddress
#|import os
#|import typing
#|import urllib.parse
#|import urllib.request
#|
#|from buildout_mirrors.index.errors import ConfigError
#|
#|SCHEMES = ("https", "http", "file")
#|
#|
#|def _authority_split(url: str) -> tuple[str, str | None, str]:
#|    """(scheme + "://", userinfo or None, the rest) of *url*.
#|
#|    The userinfo is everything between ``://`` and the last ``@`` before
#|    the host: a password with a raw ``/``, ``?`` or ``#`` (which
#|    ``urlsplit`` takes for the start of the path) is still userinfo here,
#|    so that it is never shown."""
#|    head, separator, rest = url.partition("://")
#|    if not separator:
#|        return url, None, ""
#|    at = rest.rfind("@")
#|    if at < 0:
#|        return head + "://", None, rest
#|    return head + "://", rest[:at], rest[at + 1:]
#|
#|
#|def redact(url: str) -> str:
#|    """Return *url* with any ``user:password@`` replaced by ``***@``.
#|
#|    Every URL that reaches a log line, an error or the state file goes
#|    through here first, the way pip's ``redact_auth_from_url`` does.
#|    Everything between ``://`` and the last ``@`` goes, whatever it holds.
#|    """
#|    if not isinstance(url, str):
#|        return "<not a URL>"
#|    head, userinfo, rest = _authority_split(url)
#|    if userinfo is None:
#|        return url
#|    return head + "***@" + rest
#|
#|
#|def without_auth(url: str) -> str:
#|    """*url* without its ``user:password@``: what is shown, compared, or
#|    handed to a tool that must not see the credentials."""
#|    head, userinfo, rest = _authority_split(url)
#|    if userinfo is None:
#|        return url
#|    return head + rest
#|
#|
#|def hostport(url: str | urllib.parse.SplitResult) -> str:
#|    """``host:port`` of *url* (a string or a split URL), lower-case and
#|    without credentials: what a same-server comparison compares."""
#|    parts = url if isinstance(url, urllib.parse.SplitResult) else \
#|        urllib.parse.urlsplit(without_auth(url))
#|    return parts.netloc.rsplit("@", 1)[-1].lower()
#|
#|
#|def origin(url: str) -> tuple[str, str]:
#|    """(scheme, ``host:port``) of *url*, the default port made explicit:
#|    credentials belong to one origin, as browsers and pip's keyring see
#|    it."""
#|    parts = urllib.parse.urlsplit(without_auth(url))
#|    try:
#|        port = parts.port
#|    except ValueError:
#|        port = None
#|    scheme = parts.scheme.lower()
#|    port = port or {"http": 80, "https": 443}.get(scheme)
#|    return scheme, "%s:%s" % ((parts.hostname or "").lower(), port)
#|
#|
#|def credentials(url: str | urllib.parse.SplitResult
#|                ) -> tuple[str, str] | None:
#|    """(user, password) of *url* (a string or a split URL), unquoted, or
#|    None when it has none."""
#|    parts = url if isinstance(url, urllib.parse.SplitResult) else \
#|        urllib.parse.urlsplit(url)
#|    if parts.username is None:
#|        return None
#|    return (urllib.parse.unquote(parts.username),
#|            urllib.parse.unquote(parts.password or ""))
#|
#|
#|def basic_auth(user: str, password: str) -> str:
#|    """The ``Authorization`` (or ``Proxy-Authorization``) header value."""
#|    return "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode(
#|        "utf-8")).decode("ascii")
#|
#|
#|def auth_header(url: str | urllib.parse.SplitResult) -> str | None:
#|    """The Basic header value for *url*'s credentials, or None."""
#|    found = credentials(url)
#|    return basic_auth(*found) if found is not None else None
#|
#|
#|def with_auth_of(url: str, mirrors: typing.Iterable[str]) -> str:
#|    """*url* with the credentials of the mirror of the same origin
#|    (scheme, host and port): buildout and pip move credentials out of
#|    URLs, and requests to that mirror need them.  Never over another
#|    scheme: an ``http://`` link on the host of an ``https://`` mirror
#|    gets nothing."""
#|    if "@" in urllib.parse.urlsplit(url).netloc:
#|        return url
#|    wanted = origin(url)
#|    for mirror in mirrors:
#|        head, userinfo, _ = _authority_split(mirror)
#|        if userinfo is not None and origin(mirror) == wanted:
#|            url_head, _, url_rest = _authority_split(url)
#|            return url_head + userinfo + "@" + url_rest
#|    return url
#|
#|
#|def host_of(url: str) -> str:
#|    """The host name of *url*, lower-case, or '' for ``file:`` URLs."""
#|    return (urllib.parse.urlsplit(url).hostname or "").lower()
#|
#|
#|def is_loopback(host: str) -> bool:
#|    if host == "localhost" or host.endswith(".localhost"):
#|        return True
#|    try:
#|        return ipaddress.ip_address(host.strip("[]")).is_loopback
#|    except ValueError:
#|        return False
#|
#|
#|def is_remote(url: str) -> bool:
#|    """True for http(s) URLs, False for local paths and ``file:`` URLs."""
#|    return urllib.parse.urlsplit(url).scheme in ("http", "https")
#|
#|
#|def to_file_url(path: str, base_directory: str) -> str:
#|    """A local directory as a ``file:`` URL, relative to the buildout."""
#|    path = os.path.join(base_directory, os.path.expanduser(path))
#|    return "file://" + urllib.request.pathname2url(os.path.abspath(path))
#|
#|
#|def check_url(url: str, option: str, allow_http: tuple[str, ...] = (),
#|              base_directory: str = ".") -> str:
#|    """Return *url* normalised (no trailing slash), or raise ConfigError.
#|
#|    Plain ``http://`` is refused for anything but loopback hosts and the
#|    hosts named in ``allow_http``: a mirror reached without TLS can hand
#|    out any code (the reason pip removed ``--use-mirrors``).  A bare path
#|    is accepted and turned into a ``file:`` URL.
#|    """
#|    text = url.strip()
#|    if any(ord(char) < 32 or ord(char) == 127 for char in text):
#|        raise ConfigError("%s: %r holds a control character; remove it"
#|                          % (option, redact(text)))
#|    if "://" not in text and not text.startswith("file:"):
#|        if text.startswith(("/", ".", "~")):
#|            return to_file_url(text, base_directory)
#|        raise ConfigError(
#|            "%s: %r is not a URL; write it as https://host/path/simple "
#|            "(or a local directory path)" % (option, redact(text)))
#|    _, userinfo, _ = _authority_split(text)
#|    if userinfo is not None and any(char in userinfo for char in "/?#"):
#|        raise ConfigError(
#|            "%s: %r has a '/', '?' or '#' in its user name or password; "
#|            "percent-encode them (%%2F, %%3F, %%23)" % (option, redact(text)))
#|    try:
#|        parts = urllib.parse.urlsplit(text)
#|        parts.port  # raises ValueError on a bad port
#|    except ValueError as error:
#|        raise ConfigError("%s: %r is not a valid URL (%s)"
#|                          % (option, redact(text), error)) from None
#|    scheme = parts.scheme.lower()
#|    if scheme not in SCHEMES:
#|        raise ConfigError(
#|            "%s: %r has the unknown scheme %r; use one of %s"
#|            % (option, redact(text), scheme, ", ".join(SCHEMES)))
#|    if scheme == "file":
#|        return text.rstrip("/")
#|    host = (parts.hostname or "").lower()
#|    if not host:
#|        raise ConfigError("%s: %r has no host name" % (option, redact(text)))
#|    if scheme == "http" and not (is_loopback(host) or host in allow_http):
#|        raise ConfigError(
#|            "%s: %r uses plain http; use https, or name the host in "
#|            "mirrors-allow-http if you trust the network"
#|            % (option, redact(text)))
#|    return text.rstrip("/")
# ---- buildout_mirrors/index/versions.py
#|"""Versions in distribution file names, in PEP 440 order.
#|
#|packaging does this right, and the package depends on it.  bootstrap.py
#|runs on the standard library alone (it has no packaging before it has an
#|environment), so where packaging cannot be imported the common forms are
#|compared by :func:`_approximate_key`: 1.2.10 > 1.2.9, 2.0rc1 < 2.0 <
#|2.0.post1.  One process always uses one of the two.
#|"""
#|
#|from __future__ import annotations
#|
#|import re
#|import typing
#|
#|try:
#|    from packaging.utils import (InvalidSdistFilename, InvalidWheelFilename,
#|                                 parse_sdist_filename, parse_wheel_filename)
#|    from packaging.version import InvalidVersion, Version
#|except ImportError:  # bootstrap.py, before any environment exists
#|    Version = None  # type: ignore[misc, assignment]
#|
#|_ARCHIVE = re.compile(r"\.(tar\.gz|tar\.bz2|tgz|zip|egg)$")
#|_PEP440ISH = re.compile(
#|    r"^v?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?"
#|    r"(\d*))?(?:[-_.]?(post|rev|r)[-_.]?(\d*))?(?:[-_.]?(dev)[-_.]?(\d*))?")
#|
#|
#|def key(text: str) -> typing.Any:
#|    """A sort key for the version *text*; unreadable versions sort first."""
#|    if Version is None:
#|        return _approximate_key(text)
#|    try:
#|        return Version(text)
#|    except (InvalidVersion, ValueError):  # ValueError: 5000-digit parts
#|        return Version("0")
#|
#|
#|def file_version(name: str) -> str | None:
#|    """The version in a distribution file name, as text, or None."""
#|    if Version is None:
#|        return _approximate_file_version(name)
#|    try:
#|        if name.endswith(".whl"):
#|            return str(parse_wheel_filename(name)[1])
#|        if name.endswith(".egg"):
#|            return str(Version(name.split("-")[1]))
#|        return str(parse_sdist_filename(name)[1])
#|    except (InvalidWheelFilename, InvalidSdistFilename, InvalidVersion,
#|            ValueError, IndexError):
#|        return None
#|
#|
#|def newest(names: typing.Iterable[str]) -> str | None:
#|    """The newest version among the file *names*, as text, or None."""
#|    found = [version for version in map(file_version, names) if version]
#|    return max(found, key=key) if found else None
#|
#|
#|UNREADABLE = ((-1,), 0, 0, 0)
#|MAX_DIGITS = 40  # a longer number in a version is a hostile page's
#|
#|
#|def _approximate_key(text):
#|    match = _PEP440ISH.match(text.lower())
#|    if not match or any(len(number) > MAX_DIGITS for number in
#|                        re.findall(r"\d+", match.group(0))):
#|        return UNREADABLE
#|    release = tuple(int(part) for part in match.group(1).split("."))
#|    while len(release) > 1 and release[-1] == 0:
#|        release = release[:-1]
#|    if match.group(2):
#|        pre = {"a": 0, "alpha": 0, "b": 1, "beta": 1}.get(match.group(2), 2)
#|    else:
#|        pre = -1 if match.group(6) else 3  # a bare .devN comes before all
#|    return (release, pre, int(match.group(3) or 0) if match.group(2) else 0,
#|            int(match.group(5) or 0) if match.group(4) else -1)
#|
#|
#|def _approximate_file_version(name):
#|    if name.endswith(".whl"):
#|        parts = name.split("-")
#|        return parts[1] if len(parts) >= 5 else None
#|    stem = _ARCHIVE.sub("", name)
#|    if name.endswith(".egg"):
#|        parts = stem.split("-")
#|        return parts[1] if len(parts) > 1 else None
#|    return stem.rsplit("-", 1)[1] if "-" in stem else None
# ---- buildout_mirrors/selection/__init__.py
#|"""The selection pipeline: options -> candidates -> parallel probes under
#|one deadline -> ranking -> the choice, kept in the state file; and which
#|projects belong to a company's index.
#|
#|Standard library only, and nothing here knows zc.buildout: bootstrap.py
#|carries it, and the extension and the ``buildout-mirrors`` command use it
#|as it is.
#|"""
# ---- buildout_mirrors/selection/candidates.py
#|"""Where the candidate mirrors and find-links come from, in order of
#|precedence: ``BUILDOUT_MIRRORS``, else ``mirrors``, else ``index`` before
#|the built-in public mirrors (``data/public-mirrors.txt``); or a
#|``mirrors-candidates`` plug-in.  Every URL is checked by index.urls."""
#|
#|from __future__ import annotations
#|
#|import dataclasses
#|import importlib.resources
#|import os
#|import re
#|import typing
#|
#|from buildout_mirrors.index import urls
#|from buildout_mirrors.index.errors import ConfigError
#|
#|ENVIRONMENT_OVERRIDE = "BUILDOUT_MIRRORS"
#|
#|
#|def builtin_mirrors() -> tuple[str, ...]:
#|    """The public mirrors shipped in ``data/public-mirrors.txt``."""
#|    # One segment a call: Python 3.9's zip reader (bootstrap.py) takes one.
#|    text = importlib.resources.files("buildout_mirrors").joinpath(
#|        "data").joinpath("public-mirrors.txt").read_text(encoding="utf-8")
#|    return tuple(line.strip() for line in text.splitlines()
#|                 if line.strip() and not line.lstrip().startswith("#"))
#|
#|
#|def options(get: typing.Callable[[str], str], environ: typing.Mapping,
#|            allow_http: tuple[str, ...], base_directory: str
#|            ) -> tuple[tuple[str, ...], str]:
#|    """(candidate URLs, the option they came from): BUILDOUT_MIRRORS, else
#|    mirrors, else index before the built-in public mirrors."""
#|    override = environ.get(ENVIRONMENT_OVERRIDE, "").strip()
#|    if override:
#|        return _urls(override, ENVIRONMENT_OVERRIDE + " (environment)",
#|                     allow_http, base_directory), ENVIRONMENT_OVERRIDE
#|    if get("mirrors").strip():
#|        return _urls(get("mirrors"), "mirrors", allow_http,
#|                     base_directory), "mirrors"
#|    index = get("index").strip()
#|    given = (urls.check_url(index, "index", allow_http, base_directory),
#|             ) if index else ()
#|    return tuple(_dedupe(given + builtin_mirrors())), (
#|        "index and built-in mirrors" if index else "built-in mirrors")
#|
#|
#|def _urls(raw, option, allow_http, base_directory):
#|    return tuple(_dedupe(
#|        urls.check_url(item, option, allow_http, base_directory)
#|        for item in raw.split()))
#|
#|
#|def private(raw: str, allow_http: tuple[str, ...], base_directory: str
#|            ) -> tuple[str, ...]:
#|    """The ``mirrors-private`` indexes, checked like ``mirrors``; served
#|    over http(s), as the failover asks them."""
#|    indexes = _urls(raw, "mirrors-private", allow_http, base_directory)
#|    for index in indexes:
#|        if not urls.is_remote(index):
#|            raise ConfigError("mirrors-private = %s: a private index is "
#|                              "asked over https; serve the folder (devpi, "
#|                              "pypiserver) or list it in mirrors"
#|                              % urls.redact(index))
#|    return indexes
#|
#|
#|_PATTERN = re.compile(r"^[A-Za-z0-9*?\[\]][A-Za-z0-9._*?\[\]!-]*$")
#|
#|
#|def private_projects(raw: str) -> tuple[str, ...]:
#|    """``mirrors-private-projects``: project names or globs."""
#|    patterns = tuple(raw.split())
#|    for pattern in patterns:
#|        if not _PATTERN.match(pattern):
#|            raise ConfigError("mirrors-private-projects: %r is neither a "
#|                              "project name nor a glob (acme.*, acme-?)"
#|                              % pattern)
#|    return patterns
#|
#|
#|def find_links(raw: str, allow_http: tuple[str, ...], base_directory: str
#|               ) -> tuple[tuple[str, ...], tuple[str, ...]]:
#|    """find-links entries as given (buildout reads paths itself), checked:
#|    a URL must be https (or allowed http, or file:); a path that does not
#|    exist is left out with a warning."""
#|    kept, warnings = [], []
#|    for item in raw.split():
#|        if "://" in item or item.startswith("file:"):
#|            urls.check_url(item, "find-links", allow_http, base_directory)
#|            kept.append(item)
#|        elif os.path.exists(os.path.join(base_directory,
#|                                         os.path.expanduser(item))):
#|            kept.append(item)
#|        else:
#|            warnings.append(
#|                "find-links: %r is neither a URL nor an existing path; it "
#|                "is left out. Write https://host/path or a directory that "
#|                "exists." % urls.redact(item))
#|    return tuple(_dedupe(kept)), tuple(warnings)
#|
#|
#|def _dedupe(items):
#|    seen = []
#|    for item in items:
#|        if item not in seen:
#|            seen.append(item)
#|    return seen
#|
#|
#|def plug_in(settings: typing.Any, name: str, plugins: typing.Any,
#|            allow_http: tuple[str, ...], base_directory: str) -> typing.Any:
#|    """*settings* with the candidates and find-links of the
#|    ``mirrors-candidates`` plug-in *name*, validated as ``mirrors`` is."""
#|    option = "mirrors-candidates = %s" % " ".join(name.split())
#|    if plugins is None:
#|        raise ConfigError("%s: plug-ins are read by bin/buildout, not here"
#|                          % option)
#|    given, links = plugins.candidates(settings, name)
#|    candidates = tuple(_dedupe(urls.check_url(url, option, allow_http,
#|                                              base_directory)
#|                               for url in given))
#|    if not candidates:
#|        raise ConfigError("%s: the plug-in gave no candidate" % option)
#|    for link in links:
#|        urls.check_url(link, option + " (find-links)", allow_http,
#|                       base_directory)
#|    return dataclasses.replace(settings, candidates=candidates,
#|                               find_links=tuple(links), candidates_from=option)
# ---- buildout_mirrors/selection/freshness.py
#|"""How current a live mirror is, for people: fresh, aging or old.
#|
#|bandersnatch writes ``/last-modified`` at its web root after every
#|successful sync (``%Y%m%dT%H:%M:%S``, UTC); other mirrors only tell how
#|they compare with each other (serial lag or missing files).  The bands
#|follow the old pypi-mirrors.org: fresh under an hour, aging under a day,
#|old beyond.
#|"""
#|
#|from __future__ import annotations
#|
#|import datetime
#|import typing
#|import urllib.parse
#|
#|AGING_AFTER = 3600.0
#|OLD_AFTER = 86400.0
#|
#|
#|def last_modified_url(index_url: str) -> str:
#|    """bandersnatch serves ``/simple`` beside ``/last-modified``."""
#|    parts = urllib.parse.urlsplit(index_url)
#|    path = parts.path.rstrip("/")
#|    if path.endswith("/simple"):
#|        path = path[:-len("simple")]
#|    else:
#|        path = path.rsplit("/", 1)[0] + "/"
#|    return urllib.parse.urlunsplit(parts._replace(path=path + "last-modified",
#|                                                  query="", fragment=""))
#|
#|
#|def parse_last_modified(text: str,
#|                        now: datetime.datetime | None = None
#|                        ) -> float | None:
#|    """Seconds since the sync stamped in *text*, or None."""
#|    try:
#|        synced = datetime.datetime.strptime(text.strip(), "%Y%m%dT%H:%M:%S")
#|    except ValueError:
#|        return None
#|    now = now or datetime.datetime.now(datetime.timezone.utc).replace(
#|        tzinfo=None)
#|    return max((now - synced).total_seconds(), 0.0)  # type: ignore
#|
#|
#|def last_sync_age(index_url: str, timeout: float,
#|                  verify: bool | str = True) -> float | None:
#|    """Age in seconds of a bandersnatch mirror's last sync, or None."""
#|    if not index_url.startswith(("http://", "https://")):
#|        return None
#|    from buildout_mirrors.index import connection, transport
#|    bound = min(timeout, 2.0)
#|    try:
#|        response = transport.get(
#|            last_modified_url(index_url), "text/plain",
#|            transport.Limits(first_byte=bound, stall=bound, max_bytes=64),
#|            connection.ssl_context(verify))
#|    except transport.FetchError:
#|        return None
#|    with response.body:
#|        if response.status != 200:
#|            return None
#|        return parse_last_modified(response.body.read().decode(
#|            "ascii", "replace"))
#|
#|
#|def band(lag: typing.Any, age: float | None) -> str:
#|    if age is not None:
#|        return ("fresh" if age < AGING_AFTER else
#|                "aging" if age < OLD_AFTER else "old")
#|    return "aging" if lag else "fresh"
#|
#|
#|def describe(row: typing.Any) -> str:
#|    """The FRESHNESS cell of the status table."""
#|    if not row["freshness"]:
#|        return "-"
#|    details = []
#|    if row["last_sync_age_s"] is not None:
#|        details.append("synced %s ago" % span(row["last_sync_age_s"]))
#|    if row["lag"]:
#|        details.append(row["lag"])
#|    elif row["serial"] is not None:
#|        details.append("serial %s" % row["serial"])
#|    return "%s (%s)" % (row["freshness"], ", ".join(details)) if details \
#|        else row["freshness"]
#|
#|
#|def span(seconds: float) -> str:
#|    if seconds < 120:
#|        return "%d s" % seconds
#|    if seconds < 7200:
#|        return "%d min" % (seconds // 60)
#|    if seconds < 172800:
#|        return "%.1f h" % (seconds / 3600)
#|    return "%d days" % (seconds // 86400)
# ---- buildout_mirrors/selection/option_names.py
#|"""The names of this package's options, and the check that stops a name
#|that looks like one of them but is not (``mirror =`` would otherwise
#|silently fall back to the built-in public list).  selection.options types
#|their values."""
#|
#|from __future__ import annotations
#|
#|import difflib
#|import typing
#|
#|from buildout_mirrors.index.errors import ConfigError
#|
#|# Every option this package understands, so that the hooks can mark them
#|# as used and buildout does not warn about them.
#|OPTION_NAMES = (
#|    "mirrors", "mirrors-timeout", "mirrors-policy", "mirrors-probe",
#|    "mirrors-cache", "mirrors-ttl", "mirrors-allow-http", "mirrors-ca-bundle",
#|    "mirrors-grace", "mirrors-stall-limit", "mirrors-fallback",
#|    "mirrors-candidates", "mirrors-prober", "mirrors-state-store",
#|    "mirrors-private", "mirrors-private-projects", "mirrors-lookahead",
#|)
#|
#|
#|def raw_options(section: typing.Mapping[str, str]
#|                ) -> dict[str, str | None]:
#|    """This package's options, and ``index`` and ``find-links``, from a
#|    ``[buildout]``-like mapping; ConfigError for a name that looks like
#|    one of ours but is not (``mirror =`` would otherwise silently fall
#|    back to the built-in public list)."""
#|    check_names(section.keys())
#|    return {name: section.get(name)
#|            for name in OPTION_NAMES + ("index", "find-links")}
#|
#|
#|def check_names(names: typing.Iterable[str]) -> None:
#|    """ConfigError naming the first option in *names* that looks like one
#|    of this package's (a typo, ``_`` for ``-``, ``mirror`` for
#|    ``mirrors``) and the name it should be."""
#|    known = OPTION_NAMES + ("index", "find-links")
#|    for name in names:
#|        if name in known:
#|            continue
#|        spelled = name.strip().lower().replace("_", "-")
#|        if spelled.startswith("mirror-"):
#|            spelled = "mirrors-" + spelled[len("mirror-"):]
#|        close = [spelled] if spelled in known else difflib.get_close_matches(
#|            spelled, OPTION_NAMES + ("mirror",), n=1, cutoff=0.85)
#|        if close or spelled.startswith(("mirror", "mirrors-")):
#|            suggestion = "mirrors" if close == ["mirror"] else (
#|                close[0] if close else None)
#|            raise ConfigError(
#|                "[buildout] %s: unknown option%s" % (
#|                    " ".join(name.split()),
#|                    "; did you mean %s?" % suggestion if suggestion else
#|                    "; this package's options are: %s" % ", ".join(
#|                        OPTION_NAMES)))
# ---- buildout_mirrors/selection/options.py
#|"""The one place that reads, validates and types every option.
#|
#|Modelled on bandersnatch's ``configuration.py``: raw strings go in (from
#|``[buildout]``, a part, or bootstrap's command line), a frozen
#|:class:`Settings` comes out, and every message names the option and what
#|is allowed.
#|"""
#|
#|from __future__ import annotations
#|
#|import dataclasses
#|import math
#|import os
#|import re
#|import typing
#|
#|from buildout_mirrors.selection import candidates as candidates_from
#|from buildout_mirrors.store import paths
#|from buildout_mirrors.selection import ranking
#|from buildout_mirrors.selection.candidates import ENVIRONMENT_OVERRIDE
#|from buildout_mirrors.index.errors import ConfigError
#|from buildout_mirrors.selection.ranking import GRACE_SECONDS as DEFAULT_GRACE
#|
#|DEFAULT_TIMEOUT = 2.0
#|DEFAULT_TTL = 600.0
#|DEFAULT_PROBE = ("zc.buildout",)
#|DEFAULT_STALL = 15.0  # zc.buildout's own socket timeout
#|DEFAULT_LOOKAHEAD = 8
#|MAX_LOOKAHEAD = 32
#|FALLBACKS = ("none", "pypi")
#|PYPI = "https://pypi.org/simple"
#|
#|_PROJECT_NAME = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$")
#|
#|
#|@dataclasses.dataclass(frozen=True)
#|class Settings:
#|    """Typed, validated options of one selection."""
#|
#|    candidates: tuple        # index URLs, in order of preference
#|    find_links: tuple        # find-links entries, as given (URLs or paths)
#|    timeout: float = DEFAULT_TIMEOUT
#|    policy: str = "ordered"
#|    policy_factory: object = None  # IPolicy class; None: ranking.POLICIES
#|    prober_factory: object = None  # plug-in IProber factory, or None
#|    state_factory: object = None   # plug-in IStateStore factory, or None
#|    probe_projects: tuple = DEFAULT_PROBE
#|    cache_path: str = ""     # '' means: keep no state
#|    ttl: float = DEFAULT_TTL
#|    candidates_from: str = "mirrors"  # which option gave the candidates
#|    verify: object = True    # True, or the path of a CA bundle
#|    grace: float = DEFAULT_GRACE  # see ranking.GRACE_SECONDS
#|    stall: float = DEFAULT_STALL  # patience for a slow mirror, per read
#|    fallback: str = "none"   # "pypi": the 1.0 behaviour when all are dead
#|    private: tuple = ()      # a company's indexes: its projects from there
#|    private_projects: tuple = ()  # names or globs declared private
#|    lookahead: int = DEFAULT_LOOKAHEAD  # downloads ahead at once; 0: none
#|    warnings: tuple = ()     # one-line warnings about ignored input
#|
#|
#|def _number(raw, option, default, strictly_positive=True):
#|    if raw is None or not raw.strip():
#|        return default
#|    try:
#|        value = float(raw)
#|    except ValueError:
#|        value = math.nan
#|    if not math.isfinite(value) or value < 0 or (
#|            strictly_positive and value == 0):
#|        allowed = ("a number of seconds greater than 0" if strictly_positive
#|                   else "a number of seconds, 0 or more")
#|        raise ConfigError("%s = %r is not %s" % (option, raw.strip(), allowed))
#|    return value
#|
#|
#|def _ca_bundle(option, environ, base_directory):
#|    """TLS verification always stays on.  The CA bundle is
#|    mirrors-ca-bundle, else the one the user gave pip or requests, else
#|    (True) the system trust store, which honours SSL_CERT_FILE/DIR."""
#|    if option:
#|        path = _path("mirrors-ca-bundle", option, base_directory)
#|        if not os.path.isfile(path):
#|            raise ConfigError("mirrors-ca-bundle = %r: no such file; name a "
#|                              "PEM file of trusted CA certificates" % option)
#|        return path
#|    for name in ("PIP_CERT", "REQUESTS_CA_BUNDLE"):
#|        if environ.get(name, "").strip():
#|            return environ[name].strip()
#|    return True
#|
#|
#|def parse(options: typing.Mapping[str, str | None],
#|          environ: typing.Mapping[str, str] | None = None,
#|          base_directory: str = ".", plugins: typing.Any = None) -> Settings:
#|    """Return :class:`Settings` from a mapping of raw option strings.
#|
#|    *options* holds ``[buildout]``-style names (``mirrors``, ``index``,
#|    ``find-links``, ``mirrors-timeout`` ...).  *environ* defaults to
#|    ``os.environ``; its ``BUILDOUT_MIRRORS`` replaces ``mirrors``.
#|    *plugins* (:mod:`buildout_mirrors.plugins`, from callers that may read
#|    entry points) resolves plug-in names of ``mirrors-policy`` and
#|    ``mirrors-candidates``; without it only the built-in ones exist.
#|    """
#|    environ = os.environ if environ is None else environ
#|    get = lambda name: options.get(name) or ""  # noqa: E731
#|    allow_http = tuple(host.lower()
#|                       for host in get("mirrors-allow-http").split())
#|    candidates, source = candidates_from.options(get, environ, allow_http,
#|                                                 base_directory)
#|    policy, policy_factory = _policy(
#|        get("mirrors-policy").strip() or "ordered", plugins)
#|    find_links, warnings = candidates_from.find_links(
#|        get("find-links"), allow_http, base_directory)
#|    settings = Settings(
#|        candidates=candidates, candidates_from=source,
#|        find_links=find_links, warnings=warnings,
#|        timeout=_number(get("mirrors-timeout"), "mirrors-timeout",
#|                        DEFAULT_TIMEOUT),
#|        policy=policy, policy_factory=policy_factory,
#|        probe_projects=_probe_projects(get("mirrors-probe")),
#|        cache_path=_cache_path(get("mirrors-cache").strip(), base_directory),
#|        ttl=_number(get("mirrors-ttl"), "mirrors-ttl", DEFAULT_TTL,
#|                    strictly_positive=False),
#|        verify=_ca_bundle(get("mirrors-ca-bundle").strip(), environ,
#|                          base_directory),
#|        grace=_number(get("mirrors-grace"), "mirrors-grace", DEFAULT_GRACE,
#|                      strictly_positive=False),
#|        stall=_number(get("mirrors-stall-limit"), "mirrors-stall-limit",
#|                      DEFAULT_STALL),
#|        fallback=_fallback(get("mirrors-fallback").strip().lower() or "none"),
#|        prober_factory=_plug_in("mirrors-prober", get, plugins),
#|        state_factory=_plug_in("mirrors-state-store", get, plugins),
#|        lookahead=_lookahead(get("mirrors-lookahead").strip()),
#|    )
#|    settings = _with_private(settings, get, allow_http, base_directory)
#|    plugged = get("mirrors-candidates").strip()
#|    if plugged and source != ENVIRONMENT_OVERRIDE:  # the override wins
#|        settings = candidates_from.plug_in(settings, plugged, plugins,
#|                                           allow_http, base_directory)
#|    return settings
#|
#|
#|def _plug_in(option, get, plugins):
#|    """The factory of the plug-in *option* names, or None for the
#|    built-in part."""
#|    name = " ".join(get(option).split())  # shown on one line
#|    if not name:
#|        return None
#|    if plugins is None:
#|        raise ConfigError("%s = %s: plug-ins are read by bin/buildout, not "
#|                          "here" % (option, name))
#|    return plugins.factory(option, name)
#|
#|
#|def _policy(name, plugins):
#|    """(name, factory) of the policy *name*: a built-in one, or one that
#|    *plugins* (the entry-point registry, where the caller reads it) has."""
#|    if name in ranking.POLICIES:
#|        return name, ranking.POLICIES[name]
#|    installed = plugins.policy_names() if plugins else ()
#|    if name not in installed:
#|        known = tuple(ranking.POLICIES) + tuple(
#|            other for other in installed if other not in ranking.POLICIES)
#|        raise ConfigError("mirrors-policy = %r is unknown; use one of: %s"
#|                          % (name, ", ".join(known)))
#|    return name, plugins.policy(name)
#|
#|
#|def _probe_projects(raw):
#|    projects = tuple(raw.split()) or DEFAULT_PROBE
#|    for project in projects:
#|        if not _PROJECT_NAME.match(project):
#|            raise ConfigError("mirrors-probe: %r is not a project name"
#|                              % project)
#|    return projects
#|
#|
#|def _with_private(settings, get, allow_http, base_directory):
#|    """*settings* with the private indexes (out of the candidates: they
#|    are no mirrors) and the projects declared private."""
#|    private = candidates_from.private(get("mirrors-private"), allow_http,
#|                                      base_directory)
#|    return dataclasses.replace(
#|        settings, private=private, candidates=tuple(
#|            url for url in settings.candidates if url not in private),
#|        private_projects=candidates_from.private_projects(
#|            get("mirrors-private-projects")))
#|
#|
#|def _cache_path(cache, base_directory):
#|    if cache.lower() in ("none", "off", "false"):
#|        return ""
#|    if cache:
#|        return _path("mirrors-cache", cache, base_directory)
#|    return paths.default_cache_path()
#|
#|
#|def _path(option, value, base_directory):
#|    """*value* as a path under *base_directory*, ``~`` expanded."""
#|    if "\x00" in value:  # no file system takes it; expanduser raises
#|        raise ConfigError("%s = %r is not a path" % (option, value))
#|    return os.path.join(base_directory, os.path.expanduser(value))
#|
#|
#|def _lookahead(raw):
#|    if not raw:
#|        return DEFAULT_LOOKAHEAD
#|    if not re.match(r"[0-9]{1,2}\Z", raw) or int(raw) > MAX_LOOKAHEAD:
#|        raise ConfigError("mirrors-lookahead = %r is not a number from 0 "
#|                          "(no downloads ahead) to %d" % (raw, MAX_LOOKAHEAD))
#|    return int(raw)
#|
#|
#|def _fallback(fallback):
#|    if fallback not in FALLBACKS:
#|        raise ConfigError("mirrors-fallback = %r is unknown; use none (the "
#|                          "default: never an index nobody listed) or pypi"
#|                          % fallback)
#|    return fallback
# ---- buildout_mirrors/selection/private_projects.py
#|"""Which projects belong to a company's (authoritative) index.
#|
#|uv's ``first-index`` rule, kept across runs: a project that a private
#|index served is taken from it only, never from a public mirror, whatever
#|versions the mirror lists (dependency confusion).  A private index is one
#|named in ``mirrors-private``, or one listed in ``mirrors`` that answers
#|but carries no zc.buildout (a curated index, not a mirror of PyPI).  Its
#|projects are learned from what it served, remembered in the state file
#|(so that it protects them on a later run while it is down), and may be
#|declared, names or globs, in ``mirrors-private-projects`` for the first
#|run on a new machine.
#|"""
#|
#|from __future__ import annotations
#|
#|import fnmatch
#|import threading
#|import typing
#|
#|from buildout_mirrors.index import pages, urls
#|
#|if typing.TYPE_CHECKING:
#|    from buildout_mirrors.selection.result import ProbeResult
#|
#|
#|class PrivateProjects:
#|    """``PrivateProjects(indexes, declared=(), learned=None)``: *indexes*
#|    are URLs (credentials kept), *declared* names or globs, *learned*
#|    ``{index label: names}`` from the state file."""
#|
#|    def __init__(self, indexes, declared=(), learned=None):
#|        self.indexes = tuple(indexes)
#|        self.declared = tuple(pages.normalize_project(pattern)
#|                              for pattern in declared)
#|        by_label = {urls.redact(index): index for index in self.indexes}
#|        self.learned: dict[str, set[str]] = {
#|            index: set() for index in self.indexes}
#|        for label, names in (learned or {}).items():
#|            if label in by_label:
#|                self.learned[by_label[label]].update(names)
#|        self.down = {}        # index -> why it failed in this run
#|        self.not_there = set()  # (index, project) answered 404 in this run
#|        self._files = set()   # file URLs that private pages listed
#|        self._lock = threading.Lock()
#|
#|    def __bool__(self):
#|        return bool(self.indexes or self.declared)
#|
#|    def owners(self, project: str) -> tuple[str, ...] | None:
#|        """The private indexes *project* must come from, or None when it
#|        is not known private: the one that served it before, else all of
#|        them (maybe none) when a declared pattern matches it."""
#|        name = pages.normalize_project(project)
#|        with self._lock:
#|            learned = [index for index in self.indexes
#|                       if name in self.learned[index]]
#|        if learned:
#|            return tuple(learned)
#|        if any(fnmatch.fnmatchcase(name, pattern)
#|               for pattern in self.declared):
#|            return self.indexes
#|        return None
#|
#|    def to_ask(self, project: str) -> tuple[str, ...]:
#|        """Private indexes to ask first for a project not known private:
#|        those not down and not already found without it in this run."""
#|        name = pages.normalize_project(project)
#|        with self._lock:
#|            return tuple(index for index in self.indexes
#|                         if index not in self.down
#|                         and (index, name) not in self.not_there)
#|
#|    def served(self, index: str, project: str) -> bool:
#|        """*index* served *project*: it is private from now on.  True
#|        when this is news (the state file should learn it)."""
#|        name = pages.normalize_project(project)
#|        with self._lock:
#|            news = name not in self.learned[index]
#|            self.learned[index].add(name)
#|            return news
#|
#|    def missing(self, index: str, project: str) -> None:
#|        with self._lock:
#|            self.not_there.add((index, pages.normalize_project(project)))
#|
#|    def failed(self, index: str, reason: str) -> bool:
#|        """*index* did not answer: True the first time in this run."""
#|        with self._lock:
#|            first = index not in self.down
#|            self.down.setdefault(index, reason)
#|            return first
#|
#|    def listed(self, file_urls: typing.Iterable[str]) -> None:
#|        """A private page listed these files: they come from there only
#|        (by URL, not by host: one devpi-server may hold a company index
#|        and a PyPI mirror side by side)."""
#|        with self._lock:
#|            self._files.update(_plain(url) for url in file_urls)
#|
#|    def owns_file(self, url: str) -> bool:
#|        with self._lock:
#|            return _plain(url) in self._files
#|
#|    def names(self, index: str) -> list[str]:
#|        with self._lock:
#|            return sorted(self.learned.get(index, ()))
#|
#|
#|def _plain(url):
#|    return urls.without_auth(url.split("#", 1)[0])
#|
#|
#|def for_run(settings: typing.Any, results: typing.Iterable[ProbeResult],
#|            known: typing.Mapping[str, list[str]]) -> PrivateProjects | None:
#|    """The PrivateProjects of one run: ``mirrors-private``, the candidates
#|    the probe found curated (*results*), and the candidates an earlier
#|    run found curated, unless this run's probe found them a mirror
#|    after all.  *known* is ``{index label: names}`` from the state."""
#|    probed_ok = {result.url for result in results if result.ok}
#|    indexes = list(settings.private)
#|    for url in [result.url for result in results if result.curated] + [
#|            url for url in settings.candidates
#|            if urls.redact(url) in known and url not in probed_ok]:
#|        if url not in indexes:
#|            indexes.append(url)
#|    return PrivateProjects(indexes, settings.private_projects, known)
# ---- buildout_mirrors/selection/probe.py
#|"""Probe one mirror over HTTP, bounded by an absolute deadline.
#|
#|Every probe returns a :class:`ProbeResult`, never raises; failures are
#|classified by :func:`buildout_mirrors.index.connection.describe`
#|(refused, timed out, TLS, proxy ...) so that the log line says why a
#|mirror was skipped.
#|A mirror that accepted the connection but had not answered by the deadline
#|is marked ``slow``: slow is not dead.
#|"""
#|
#|from __future__ import annotations
#|
#|import dataclasses
#|import os
#|import time
#|import typing
#|import urllib.parse
#|import urllib.request
#|
#|from buildout_mirrors.index import (connection, index_client, pages,
#|                                    transport, urls)
#|from buildout_mirrors.selection.result import ProbeResult, Status
#|
#|MAX_PAGE_BYTES = 32 * 1024 * 1024  # a garbage stream must not eat memory
#|ROOT_PEEK_BYTES = 1024 * 1024  # of a /simple/ root: it answers, enough
#|
#|
#|class HttpProber:
#|    """Probe mirrors over HTTP; local ``file:`` indexes are read directly.
#|
#|    ``HttpProber(verify=True)``: *verify* is True for the system trust
#|    store, or the path of a CA bundle.
#|    """
#|
#|    def __init__(self, verify=True):
#|        self.context = connection.LazyContext(verify)
#|
#|    def probe_index(self, url: str, projects: typing.Sequence[str],
#|                    deadline: float) -> ProbeResult:
#|        started = time.monotonic()
#|        budget = max(deadline - started, 0.0)
#|        files, serials, newest, devpi = set(), [], {}, ()
#|        try:
#|            for project in projects:
#|                page = self._read_project(url, project, deadline)
#|                if not page.files:
#|                    return self._failed(url, started, "no distributions of %s"
#|                                        % project)
#|                files.update(page.files)
#|                serials.append(page.serial)
#|                devpi = max(devpi, page.devpi)
#|                newest[pages.normalize_project(project)] = \
#|                    pages.newest_version(page.files)
#|        except _HttpStatus as status:  # 404, 415 (devpi's web root) ...
#|            return self._not_listed(url, started, project, status, deadline)
#|        except pages.PageError as error:
#|            return self._failed(url, started, "invalid page: %s" % error)
#|        except transport.FetchError as error:
#|            return self._failed(url, started, _reason(error, deadline,
#|                                                      budget),
#|                                slow=error.slow)
#|        except OSError as error:
#|            return self._failed(url, started, connection.describe(error))
#|        serial = serials[0] if len(serials) == 1 else (
#|            sum(serials) if None not in serials else None)
#|        return ProbeResult(url, Status.HEALTHY, time.monotonic() - started,
#|                           serial=serial, files=frozenset(files),
#|                           newest=tuple(sorted(newest.items())),
#|                           devpi=devpi)
#|
#|    def probe_link(self, url: str, deadline: float) -> ProbeResult:
#|        started = time.monotonic()
#|        budget = max(deadline - started, 0.0)
#|        try:
#|            response = transport.get(url, "text/html", self._limits(deadline),
#|                                     self.context)
#|            response.close()
#|            if response.status >= 400:
#|                raise _HttpStatus("HTTP %d" % response.status)
#|        except _HttpStatus as status:
#|            return self._failed(url, started, str(status))
#|        except transport.FetchError as error:
#|            return self._failed(url, started, _reason(error, deadline,
#|                                                      budget),
#|                                slow=error.slow)
#|        return ProbeResult(url, Status.HEALTHY, time.monotonic() - started)
#|
#|    @staticmethod
#|    def _limits(deadline):
#|        budget = max(deadline - time.monotonic(), 0.001)
#|        return transport.Limits(first_byte=budget, stall=budget,
#|                                deadline=deadline, max_bytes=MAX_PAGE_BYTES)
#|
#|    @staticmethod
#|    def _failed(url, started, reason, slow=False):
#|        return ProbeResult(url, Status.SLOW if slow else Status.FAILED,
#|                           time.monotonic() - started, reason)
#|
#|    def _read_project(self, index_url, project, deadline):
#|        if index_url.startswith("file:"):
#|            return read_local_project(index_url, project)
#|        try:
#|            return index_client.read_project(
#|                index_url, project, self._limits(deadline), self.context)
#|        except index_client.NotListed as error:
#|            raise _NotListed(str(error)) from None
#|        except index_client.BadAnswer as error:
#|            raise _HttpStatus(str(error)) from None
#|
#|    def _not_listed(self, url, started, project, status, deadline):
#|        """The probe project's page is not there: a URL without its
#|        ``/simple`` (say so), a live curated index (a company's: private),
#|        or dead."""
#|        if not urls.is_remote(url):
#|            return self._failed(url, started, str(status))
#|        base = url.rstrip("/")
#|        for suffix in ("/simple", "/+simple") if not base.endswith(
#|                "simple") else ():  # pypiserver's and devpi's
#|            if self._get(pages.project_url(base + suffix, project),
#|                         deadline) is not None:
#|                return self._failed(url, started, "%s; did you mean %s%s?"
#|                                    % (status, urls.redact(base), suffix))
#|        root = self._get(base + "/", deadline) if isinstance(
#|            status, _NotListed) else None
#|        if root is not None and pages.lists_projects(root, base):
#|            return ProbeResult(
#|                url, Status.CURATED, time.monotonic() - started,
#|                reason="a curated index (%s): private, asked first for "
#|                "its own projects" % status)
#|        return self._failed(url, started, str(status))
#|
#|    def _get(self, url, deadline):
#|        """The text of *url* if it answers 200 (the first MiB), or None."""
#|        limits = dataclasses.replace(self._limits(deadline),
#|                                     max_bytes=ROOT_PEEK_BYTES)
#|        try:
#|            response = transport.get(url, "text/html", limits, self.context)
#|        except transport.FetchError:
#|            return None
#|        with response.body:
#|            if response.status != 200:
#|                return None
#|            return response.body.read().decode("utf-8", "replace")
#|
#|
#|def _reason(error, deadline, budget):
#|    """A deadline that ran out is reported as the selection's deadline."""
#|    if time.monotonic() >= deadline - 0.01 and (
#|            error.slow or error.kind in ("timeout", "stall")):
#|        return "timed out after %.1f s" % budget
#|    return str(error)
#|
#|
#|class _HttpStatus(Exception):
#|    pass
#|
#|
#|class _NotListed(_HttpStatus):
#|    """A 404 for the probe project."""
#|
#|
#|def read_local_project(index_url: str, project: str) -> pages.ProjectPage:
#|    """Read a project from a local directory index (PEP 503 layout: one
#|    folder a project, holding the files or an ``index.html``)."""
#|    root = urllib.request.url2pathname(urllib.parse.urlsplit(index_url).path)
#|    folder = os.path.join(root, pages.normalize_project(project))
#|    index_html = os.path.join(folder, "index.html")
#|    if os.path.isfile(index_html):
#|        with open(index_html, "rb") as stream:
#|            page = pages.parse(stream.read(), "text/html",
#|                               urls.to_file_url(folder, "/") + "/")
#|        if page.files and not any(os.path.isfile(os.path.join(folder, name))
#|                                  for name in page.files):
#|            # bandersnatch keeps files under web/packages/; zc.buildout
#|            # reads a file: index as a listing of each project's folder.
#|            raise _HttpStatus(
#|                "its project pages link files kept elsewhere (a bandersnatch"
#|                " tree?); zc.buildout looks for them in each project's "
#|                "folder: serve the tree over http(s) instead")
#|        return page
#|    if not os.path.isdir(folder):
#|        raise _HttpStatus("%s not found in the directory" % project)
#|    return pages.ProjectPage(files={
#|        name: urls.to_file_url(os.path.join(folder, name), "/")
#|        for name in os.listdir(folder)
#|        if name.lower().endswith(pages.DIST_SUFFIXES)})
# ---- buildout_mirrors/selection/ranking.py
#|"""Judge freshness and choose among probe results.
#|
#|Behind beats dead: a mirror that lags is ranked after the up-to-date ones,
#|never dropped.
#|"""
#|
#|from __future__ import annotations
#|
#|import typing
#|
#|from buildout_mirrors.index.versions import key as _version
#|from buildout_mirrors.selection.result import Lag
#|
#|if typing.TYPE_CHECKING:
#|    from buildout_mirrors.selection.result import ProbeResult
#|
#|# How long a selection waits for the candidates still silent once one has
#|# answered healthy.  Healthy mirrors of one region answer within tens of
#|# milliseconds of each other, so this is enough to compare their freshness
#|# and to let a preferred one win; a preferred mirror more than 100 ms
#|# slower than a healthy one is not worth waiting for (the previous choice
#|# keeps it, if it was chosen before).  It bounds what a hanging candidate
#|# costs: a cold selection takes the fastest healthy round trip + 100 ms.
#|# Both policies use it; mirrors-grace changes it.
#|GRACE_SECONDS = 0.1
#|
#|# A devpi replica applies its primary's changes within a second, one
#|# serial per transaction (an upload takes one or two).  More than this
#|# behind another member of its replica set (the primary, or a replica in
#|# sync) it is cut off or stuck: behind, as a stale mirror.
#|DEVPI_LAG_SERIALS = 2
#|
#|
#|def lags(results: typing.Sequence[ProbeResult]) -> dict[str, Lag]:
#|    """Map each healthy result's URL to its :class:`Lag` (false when up to
#|    date).
#|
#|    A mirror is behind when its serial is lower than another's, or, where
#|    mirrors give no serial, when its newest release of a probe project is
#|    older (PEP 440 order) than another mirror's newest.  Lacking an old
#|    file is no lag: company indexes and wheelhouses are curated.
#|    """
#|    healthy = [result for result in results if result.ok]
#|    serials = [result.serial for result in healthy
#|               if result.serial is not None]
#|    newest_serial = max(serials) if serials else None
#|    newest = _newest_releases(healthy)
#|    devpi = _devpi_lags(healthy)
#|    verdict = {}
#|    for result in healthy:
#|        if devpi.get(result.url, 0) > DEVPI_LAG_SERIALS:
#|            verdict[result.url] = Lag(devpi_serials=devpi[result.url])
#|            continue
#|        if result.serial is not None and newest_serial is not None and \
#|                len(serials) > 1:
#|            behind = newest_serial - result.serial
#|            if behind:
#|                verdict[result.url] = Lag(serials=behind)
#|                continue
#|        verdict[result.url] = Lag(older=tuple(
#|            "%s %s < %s" % (project, version, newest[project])
#|            for project, version in result.newest
#|            if version and newest.get(project) and
#|            _version(version) < _version(newest[project])))
#|    return verdict
#|
#|
#|def _devpi_lags(results):
#|    """How many serials each devpi mirror is behind the most advanced
#|    member of its replica set (the mirrors that name the same primary)."""
#|    ahead: dict[str, int] = {}
#|    for result in results:
#|        if result.devpi:
#|            primary, serial = result.devpi
#|            ahead[primary] = max(serial, ahead.get(primary, serial))
#|    return {result.url: ahead[result.devpi[0]] - result.devpi[1]
#|            for result in results if result.devpi}
#|
#|
#|def _newest_releases(results):
#|    newest: dict[str, str] = {}
#|    for result in results:
#|        for project, version in result.newest:
#|            if version and (project not in newest or
#|                            _version(version) > _version(newest[project])):
#|                newest[project] = version
#|    return newest
#|
#|
#|def _sticky_first(order, sticky):
#|    if sticky in order:
#|        return [sticky] + [url for url in order if url != sticky]
#|    return list(order)
#|
#|
#|class _GraceWindow:
#|    """Done once every candidate answered, once the previous choice
#|    answered healthy (it is kept while it stays healthy), or once *grace*
#|    seconds have passed since the first healthy answer."""
#|
#|    def __init__(self, grace=GRACE_SECONDS):
#|        self.grace = grace
#|
#|    def done(self, order: typing.Sequence[str],
#|             results: typing.Sequence[ProbeResult],
#|             waited_since_first_healthy: float | None,
#|             sticky: str | None = None) -> bool:
#|        if len({result.url for result in results}) == len(order):
#|            return True
#|        if any(result.ok and result.url == sticky for result in results):
#|            return True
#|        return any(result.ok for result in results) and \
#|            waited_since_first_healthy >= self.grace
#|
#|
#|class OrderedPolicy(_GraceWindow):
#|    """Prefer the list order among the up-to-date mirrors.
#|
#|    The previous choice (*sticky*) counts as the most preferred: changing
#|    mirrors makes zc.recipe.egg reinstall every part.
#|    """
#|
#|    name = "ordered"
#|
#|    def rank(self, order, results, lags, sticky=None):
#|        position = {url: index
#|                    for index, url in enumerate(_sticky_first(order, sticky))}
#|        return sorted((result for result in results if result.ok),
#|                      key=lambda result: (
#|                          bool(lags.get(result.url)),
#|                          position.get(result.url, len(order))))
#|
#|
#|class FastestPolicy(_GraceWindow):
#|    """Prefer the quickest answer among the up-to-date mirrors (the
#|    previous choice while it stays healthy and up to date)."""
#|
#|    name = "fastest"
#|
#|    def rank(self, order, results, lags, sticky=None):
#|        return sorted((result for result in results if result.ok),
#|                      key=lambda result: (bool(lags.get(result.url)),
#|                                          result.url != sticky,
#|                                          result.elapsed))
#|
#|
#|POLICIES = {policy.name: policy for policy in (OrderedPolicy, FastestPolicy)}
# ---- buildout_mirrors/selection/result.py
#|"""What one probe found out about one mirror, and how far a mirror lags."""
#|
#|from __future__ import annotations
#|
#|import dataclasses
#|import enum
#|
#|from buildout_mirrors.index import urls
#|
#|
#|class Status(enum.Enum):
#|    """What a probe's answer says of a mirror: one value, where 1.0 had
#|    the booleans ok, answered, slow and curated."""
#|
#|    HEALTHY = "healthy"        # served the probe projects
#|    CURATED = "curated"        # answers, without a probe project: private
#|    SLOW = "slow"              # connected, no answer in time: no verdict
#|    NOT_WAITED = "not waited"  # another answered first: no verdict
#|    FAILED = "failed"          # refused, an error, a wrong answer
#|
#|
#|@dataclasses.dataclass(frozen=True)
#|class ProbeResult:
#|    """*status* is a :class:`Status`; True and False still mean HEALTHY
#|    and FAILED, as 1.0's ``ok`` did (a prober plug-in's results)."""
#|
#|    url: str
#|    status: Status
#|    elapsed: float = 0.0          # seconds until the answer (or the failure)
#|    reason: str = ""              # why it failed, '' when ok
#|    serial: int | None = None     # the project's PyPI serial, if given
#|    files: frozenset = frozenset()
#|    newest: tuple = ()            # ((project, newest version), ...)
#|    devpi: tuple = ()             # (primary's uuid, serial) on devpi-server
#|
#|    def __post_init__(self):
#|        if isinstance(self.status, bool):
#|            object.__setattr__(self, "status", Status.HEALTHY
#|                               if self.status else Status.FAILED)
#|
#|    ok = property(lambda self: self.status is Status.HEALTHY)
#|    answered = property(lambda self: self.status is not Status.NOT_WAITED)
#|    slow = property(lambda self: self.status is Status.SLOW)
#|    curated = property(lambda self: self.status is Status.CURATED)
#|
#|    @property
#|    def label(self) -> str:
#|        return urls.redact(self.url)
#|
#|
#|@dataclasses.dataclass(frozen=True)
#|class Lag:
#|    """How far a healthy mirror is behind another; false when it is not.
#|    ``str()`` says it as the log line and the state file do."""
#|
#|    serials: int = 0          # behind the newest serial
#|    devpi_serials: int = 0    # behind its devpi replica set's newest
#|    older: tuple = ()         # ("project 1.0 < 1.1", ...): newest releases
#|
#|    def __bool__(self):
#|        return bool(self.serials or self.devpi_serials or self.older)
#|
#|    def __str__(self):
#|        if self.devpi_serials:
#|            return "behind its devpi primary by %d serial(s)" % \
#|                self.devpi_serials
#|        if self.serials:
#|            return "behind by %d serial(s)" % self.serials
#|        if self.older:
#|            return "newest release older than another mirror's (%s)" % \
#|                ", ".join(self.older)
#|        return ""
#|
#|
#|UP_TO_DATE = Lag()
# ---- buildout_mirrors/selection/selection.py
#|"""The outcome of one selection, and how it is told: one INFO line, and
#|one line a candidate for ``-v``."""
#|
#|from __future__ import annotations
#|
#|import dataclasses
#|import typing
#|
#|from buildout_mirrors.index import urls
#|
#|if typing.TYPE_CHECKING:
#|    from buildout_mirrors.selection.result import ProbeResult
#|
#|
#|@dataclasses.dataclass(frozen=True)
#|class Selection:
#|    """The outcome of one selection; ``chosen`` is None when nothing lives."""
#|
#|    chosen: str | None
#|    results: tuple = ()          # ProbeResults of the index candidates
#|    lags: dict = dataclasses.field(default_factory=dict)
#|    find_links: tuple = ()       # find-links entries to keep
#|    dead_links: tuple = ()       # ProbeResults of dropped find-links
#|    skipped: tuple = ()          # (url, reason) not probed: dead last time
#|    from_state: bool = False     # reused from the state file, not probed
#|    elapsed: float = 0.0
#|    backups: tuple = ()          # where to fail over to, best first
#|    answered: tuple = ()         # backups known to answer (probe or state)
#|
#|    def result_for(self, url: str) -> ProbeResult | None:
#|        for result in self.results:
#|            if result.url == url:
#|                return result
#|        return None
#|
#|    def summary(self) -> str:
#|        """The one INFO line: the choice and why the others were not."""
#|        others = ["%s (%s)" % (result.label, result.reason)
#|                  for result in self.results if not result.ok]
#|        others += ["%s (%s)" % (urls.redact(url), reason)
#|                   for url, reason in self.skipped]
#|        skipped = "; skipped: " + ", ".join(others) if others else ""
#|        if self.chosen is None:
#|            return "No mirror is reachable: " + ", ".join(others)
#|        if self.from_state:
#|            return "Using mirror %s (healthy at the last check, not probed " \
#|                   "again yet)%s" % (urls.redact(self.chosen), skipped)
#|        result = self.result_for(self.chosen)
#|        elapsed = result.elapsed if result is not None else 0.0
#|        freshness = self.lags.get(self.chosen) or "up to date"
#|        return "Using mirror %s (%d ms, %s)%s" % (
#|            urls.redact(self.chosen), elapsed * 1000, freshness,
#|            skipped)
#|
#|    def detail_lines(self) -> typing.Iterator[str]:
#|        """One line a candidate, for ``-v``."""
#|        for result in self.results:
#|            if result.ok:
#|                yield "Mirror %s answered in %d ms (serial %s, %d " \
#|                    "file(s)%s)" % (
#|                    result.label, result.elapsed * 1000, result.serial,
#|                    len(result.files),
#|                    ", %s" % self.lags[result.url]
#|                    if self.lags.get(result.url) else "")
#|            else:
#|                yield "Mirror %s failed: %s" % (result.label, result.reason)
#|        for result in self.dead_links:
#|            yield "find-links %s failed: %s" % (result.label, result.reason)
# ---- buildout_mirrors/selection/selector.py
#|"""Choose one mirror: probe the candidates in parallel under one deadline.
#|
#|Plain code: it knows nothing of buildout, so the extension, the recipe and
#|the ``status`` command all select the same way.
#|"""
#|
#|from __future__ import annotations
#|
#|import queue
#|import threading
#|import time
#|
#|from buildout_mirrors.selection import ranking
#|from buildout_mirrors.store import state as records
#|from buildout_mirrors.index import urls
#|from buildout_mirrors.selection.result import ProbeResult, Status
#|from buildout_mirrors.selection.selection import Selection  # noqa: F401 (its result)
#|from buildout_mirrors.store.state import NoState, StateFile, ValidatedStore
#|
#|
#|class ConfiguredCandidates:
#|    """Candidates as the validated settings
#|    (:class:`~buildout_mirrors.selection.options.Settings`) give them."""
#|
#|    def __init__(self, settings):
#|        self.settings = settings
#|
#|    def candidates(self):
#|        return self.settings.candidates
#|
#|    def find_links(self):
#|        return self.settings.find_links
#|
#|
#|def _policy(settings):
#|    """The policy *settings* name (a plug-in's was resolved by options)."""
#|    factory = settings.policy_factory or ranking.POLICIES[settings.policy]
#|    return factory(settings.grace)
#|
#|
#|def _state_store(settings):
#|    if settings.state_factory:  # a plug-in's (mirrors-state-store)
#|        return ValidatedStore(settings.state_factory(settings))
#|    return StateFile(settings.cache_path) if settings.cache_path else \
#|        NoState()
#|
#|
#|class MirrorSelector:
#|    """``MirrorSelector(settings, prober=None, state=None, policy=None,
#|    source=None, progress=None)``.
#|
#|    ``select()`` returns a :class:`Selection`.  Within ``settings.ttl`` of
#|    a healthy choice it reuses that choice without probing; mirrors found
#|    dead within the ttl are not probed again.
#|    """
#|
#|    def __init__(self, settings, prober=None, state=None, policy=None,
#|                 source=None, progress=None):
#|        self.settings = settings
#|        self.progress = progress  # called with each ProbeResult as it comes
#|        self.source = source or ConfiguredCandidates(settings)
#|        self._prober = prober
#|        if prober is None and settings.prober_factory:  # a plug-in's
#|            self._prober = settings.prober_factory(settings)
#|        self.state = state or _state_store(settings)
#|        self.policy = policy or _policy(settings)
#|
#|    @property
#|    def prober(self):
#|        # Imported on first use: a rerun within mirrors-ttl never probes.
#|        if self._prober is None:
#|            from buildout_mirrors.selection.probe import HttpProber
#|            self._prober = HttpProber(verify=self.settings.verify)
#|        return self._prober
#|
#|    def select(self, thorough: bool = False, fresh: bool = False
#|               ) -> Selection:
#|        """Choose a mirror.  ``thorough=True`` (the status command) probes
#|        every candidate, recently dead or not, and waits for every answer
#|        up to the deadline instead of stopping once the choice is clear.
#|        ``fresh=True`` (bootstrap.py, which has no failover behind it)
#|        probes every candidate even within the ttl, and records its choice
#|        for the first bin/buildout."""
#|        recall = not (thorough or fresh)
#|        started, now = time.monotonic(), time.time()
#|        candidates = tuple(self.source.candidates())
#|        stored = self.state.load()
#|        sticky = self._previous_choice(stored, candidates)
#|
#|        def dead_recently(url):
#|            record = records.record_of(stored, url)
#|            return recall and record is not None and not record.get("ok") \
#|                and now - record.get("checked", 0) < self.settings.ttl
#|
#|        links = tuple(link for link in self.source.find_links() if not (
#|            urls.is_remote(link) and dead_recently(link)))
#|        choice = records.choice_for(stored, candidates)
#|        if sticky and recall and not dead_recently(sticky) and \
#|                not choice.get("suspect") and \
#|                now - choice.get("at", 0) < self.settings.ttl:
#|            backups = tuple(url for url in candidates
#|                            if url != sticky and not dead_recently(url))
#|            return Selection(
#|                sticky, find_links=links, from_state=True,
#|                elapsed=time.monotonic() - started, backups=backups,
#|                answered=tuple(url for url in backups if (records.record_of(
#|                    stored, url) or {}).get("ok")))
#|        skipped = tuple((url, "dead at the last check, %d s ago" % (
#|            now - (records.record_of(stored, url) or {})["checked"]))
#|            for url in candidates if dead_recently(url))
#|        to_probe = [url for url in candidates if not dead_recently(url)]
#|        if not to_probe:  # all dead last time: they may be back
#|            to_probe, skipped = list(candidates), ()
#|        return self._choose(candidates, to_probe, links, skipped, sticky,
#|                            thorough, started, now)
#|
#|    def _choose(self, candidates, to_probe, links, skipped, sticky, thorough,
#|                started, now):
#|        """Probe *to_probe* (and the remote find-links), rank, record."""
#|        results, link_results = self._probe(to_probe, [
#|            link for link in links if urls.is_remote(link)], sticky,
#|            wait_for_all=thorough)
#|        lags = ranking.lags(results)
#|        ranked = self.policy.rank(to_probe, results, lags, sticky)
#|        dead_links = tuple(result for result in link_results if not result.ok)
#|        dead_urls = {result.url for result in dead_links}
#|        selection = Selection(
#|            ranked[0].url if ranked else None, tuple(results), lags,
#|            tuple(link for link in links if link not in dead_urls),
#|            dead_links, skipped, False, time.monotonic() - started,
#|            backups=tuple(result.url for result in ranked[1:]) + tuple(
#|                result.url for result in results if not result.answered),
#|            answered=tuple(result.url for result in ranked[1:]))
#|
#|        def record(stored):
#|            answers = records.record_probes(
#|                stored, tuple(results) + tuple(link_results), lags, now)
#|            if selection.chosen and not thorough:  # status is no run
#|                records.record_choice(stored, candidates, selection.chosen,
#|                                      answers, now, silent={
#|                                          result.url: result.reason
#|                                          for result in results
#|                                          if not result.answered})
#|        self.state.update(record)
#|        return selection
#|
#|    @staticmethod
#|    def _previous_choice(stored, candidates):
#|        mirror = records.choice_for(stored, candidates).get("mirror")
#|        for url in candidates:
#|            if urls.redact(url) == mirror:
#|                return url
#|        return None
#|
#|    def _probe(self, index_urls, link_urls, sticky, wait_for_all=False):
#|        """Run every probe in its own daemon thread and collect results
#|        until the policy is satisfied or the deadline passes.  Threads
#|        still running then are abandoned: a tarpit cannot hold us up."""
#|        deadline = time.monotonic() + self.settings.timeout
#|        self.prober  # made here, once, not by the first threads in a race
#|        answers: queue.Queue = queue.Queue()
#|        jobs = [("index", url) for url in index_urls] + \
#|               [("link", url) for url in link_urls]
#|        for kind, url in jobs:
#|            threading.Thread(target=self._run_probe,
#|                             args=(answers, kind, url, deadline),
#|                             name="buildout_mirrors probe",
#|                             daemon=True).start()
#|        index_results: list[ProbeResult] = []
#|        link_results: list[ProbeResult] = []
#|        first_healthy_at = None
#|        while len(index_results) + len(link_results) < len(jobs):
#|            now = time.monotonic()
#|            waited = now - first_healthy_at if first_healthy_at else 0.0
#|            if first_healthy_at and len(link_results) == len(link_urls) and \
#|                    not wait_for_all and self.policy.done(
#|                        index_urls, index_results, waited, sticky):
#|                break
#|            wait = deadline - now
#|            if first_healthy_at and not wait_for_all:
#|                wait = min(wait, first_healthy_at + self.policy.grace - now)
#|            try:
#|                kind, result = answers.get(timeout=max(wait, 0.001))
#|            except queue.Empty:
#|                if time.monotonic() >= deadline:
#|                    break
#|                continue
#|            if self.progress:
#|                self.progress(result)
#|            if kind == "index":
#|                index_results.append(result)
#|                if result.ok and first_healthy_at is None:
#|                    first_healthy_at = time.monotonic()
#|            else:
#|                link_results.append(result)
#|        return self._with_the_silent(index_urls, link_urls, index_results,
#|                                     link_results, deadline)
#|
#|    def _with_the_silent(self, index_urls, link_urls, index_results,
#|                         link_results, deadline):
#|        """Add a result for each candidate that had not answered."""
#|        answered = {result.url for result in index_results + link_results}
#|        elapsed = time.monotonic() - (deadline - self.settings.timeout)
#|        if time.monotonic() >= deadline:
#|            # Still waiting at the deadline: slow or hanging, no verdict
#|            # on which (slow is not dead).
#|            status, reason = Status.SLOW, "timed out after %.1f s" % \
#|                self.settings.timeout
#|        else:  # the policy was satisfied first: not a verdict on the mirror
#|            status, reason = Status.NOT_WAITED, (
#|                "not waited for: another mirror answered first (none from "
#|                "this one within %d ms)" % (elapsed * 1000))
#|        index_results += [ProbeResult(url, status, elapsed, reason)
#|                          for url in index_urls if url not in answered]
#|        link_results += [ProbeResult(url, status, elapsed, reason)
#|                         for url in link_urls if url not in answered]
#|        # In the listed order, not the order of the answers: what the
#|        # user reads (the "skipped:" list) stays the same from run to run.
#|        order = {url: position for position, url in enumerate(
#|            list(index_urls) + list(link_urls))}
#|        for results in (index_results, link_results):
#|            results.sort(key=lambda result: order.get(result.url, 0))
#|        return index_results, link_results
#|
#|    def _run_probe(self, answers, kind, url, deadline):
#|        if kind == "index":
#|            result = self.prober.probe_index(
#|                url, self.settings.probe_projects, deadline)
#|        else:
#|            result = self.prober.probe_link(url, deadline)
#|        answers.put((kind, result))
# ---- buildout_mirrors/store/__init__.py
#|"""What runs keep between them: the state file (validated, locked,
#|written atomically), its folders, and the saved copies of remote extends.
#|
#|Standard library only; it stands on the index client (URLs) alone.
#|bootstrap.py carries it.
#|"""
# ---- buildout_mirrors/store/extends_copies.py
#|"""Where the copies of remote ``extends`` files are kept, and how long a
#|host is waited for: shared by bin/buildout (features.extends_guard) and
#|bootstrap.py, so that either can fall back on what the other saved."""
#|
#|from __future__ import annotations
#|
#|import datetime
#|import hashlib
#|import os
#|
#|from buildout_mirrors.store.paths import user_cache_dir
#|
#|WAIT_WITH_COPY = 5.0      # a copy to fall back on: do not wait long
#|WAIT_WITHOUT_COPY = 15.0  # zc.buildout's own limit for index pages
#|
#|
#|def default_directory() -> str:
#|    return os.path.join(user_cache_dir("buildout-mirrors"), "extends")
#|
#|
#|def copy_path(url: str, directory: str | None = None) -> str:
#|    """The saved copy of *url* (which may not exist).  The name is a hash:
#|    a URL may hold credentials, and no name may escape the directory."""
#|    name = hashlib.sha256(url.encode("utf-8")).hexdigest()[:32] + ".cfg"
#|    return os.path.join(directory or default_directory(), name)
#|
#|
#|def saved_at(path: str) -> str:
#|    """When the copy at *path* was saved, for the warning that uses it."""
#|    stamp = datetime.datetime.fromtimestamp(
#|        os.path.getmtime(path), tz=datetime.timezone.utc)
#|    return stamp.strftime("%Y-%m-%d %H:%M UTC")
# ---- buildout_mirrors/store/files.py
#|"""Write files so that a crash never leaves half of one behind, and lock
#|them against parallel buildouts."""
#|
#|from __future__ import annotations
#|
#|import contextlib
#|import os
#|import tempfile
#|import typing
#|
#|from buildout_mirrors.store import paths
#|
#|try:
#|    import fcntl
#|except ImportError:  # Windows: no advisory locks; the rename stays atomic
#|    fcntl = None  # type: ignore[assignment]
#|
#|
#|def atomic_write(path: str, content: str | bytes, mode: int = 0o644
#|                 ) -> None:
#|    """Replace *path* with *content* (str or bytes): write a temporary file
#|    beside it, fsync, rename over the target, then fsync the directory."""
#|    directory = os.path.dirname(os.path.abspath(path))
#|    os.makedirs(directory, exist_ok=True)
#|    handle, temporary = tempfile.mkstemp(
#|        prefix="." + os.path.basename(path) + ".", suffix=".tmp",
#|        dir=directory)
#|    try:
#|        binary = isinstance(content, bytes)
#|        with os.fdopen(handle, "wb" if binary else "w",
#|                       encoding=None if binary else "utf-8") as stream:
#|            stream.write(content)
#|            stream.flush()
#|            os.fsync(stream.fileno())
#|        os.chmod(temporary, mode)
#|        os.replace(temporary, path)
#|    except BaseException:
#|        with contextlib.suppress(OSError):
#|            os.unlink(temporary)
#|        raise
#|    with contextlib.suppress(OSError):  # not every OS can open a directory
#|        directory_handle = os.open(directory, os.O_RDONLY)
#|        try:
#|            os.fsync(directory_handle)
#|        finally:
#|            os.close(directory_handle)
#|
#|
#|def check_folder(path: str, not_private: type[Exception]) -> None:
#|    """Raise *not_private* when another user could change *path*'s
#|    folder (and so swap the file)."""
#|    problem = paths.not_private(os.path.dirname(os.path.abspath(path)))
#|    if problem:
#|        raise not_private(problem)
#|
#|
#|@contextlib.contextmanager
#|def locked(path: str, not_private: type[Exception]) -> typing.Iterator[None]:
#|    """Hold an exclusive lock on *path* (its ``.lock`` beside it) for the
#|    block; raise *not_private* when its folder could be changed by another
#|    user.  Without advisory locks (Windows) the rename stays atomic."""
#|    if fcntl is None:
#|        yield
#|        return
#|    os.makedirs(os.path.dirname(os.path.abspath(path)), mode=0o700,
#|                exist_ok=True)
#|    check_folder(path, not_private)
#|    # Never through a symbolic link: another user who planted one would
#|    # have us create or truncate a file of their choosing.
#|    descriptor = os.open(path + ".lock", os.O_WRONLY | os.O_CREAT
#|                         | getattr(os, "O_NOFOLLOW", 0), 0o600)
#|    try:
#|        fcntl.flock(descriptor, fcntl.LOCK_EX)
#|        try:
#|            yield
#|        finally:
#|            fcntl.flock(descriptor, fcntl.LOCK_UN)
#|    finally:
#|        os.close(descriptor)
# ---- buildout_mirrors/store/paths.py
#|"""Where this package keeps its files by default: a per-user cache
#|directory, where platformdirs would put it, or the temporary directory
#|when the home directory is read-only.  Standard library alone: every
#|rerun imports this module."""
#|
#|from __future__ import annotations
#|
#|import os
#|import stat
#|import sys
#|import tempfile
#|
#|def user_cache_dir(name: str) -> str:
#|    """The per-user cache directory of *name*, where platformdirs puts it
#|    : ``$XDG_CACHE_HOME`` or ``~/.cache``
#|    on Linux, ``~/Library/Caches`` on macOS, ``%LOCALAPPDATA%`` on Windows.
#|    The standard library alone: every rerun imports this module."""
#|    home = os.path.expanduser("~")
#|    if sys.platform == "darwin":
#|        return os.path.join(home, "Library", "Caches", name)
#|    if os.name == "nt":
#|        return os.path.join(os.environ.get("LOCALAPPDATA", home), name,
#|                            "Cache")
#|    return os.path.join(os.environ.get("XDG_CACHE_HOME", "").strip()
#|                        or os.path.join(home, ".cache"), name)
#|
#|
#|def default_cache_path() -> str:
#|    """A per-user state file, or one in the temp directory if HOME is
#|    read-only (CI containers, service accounts).  Nothing is created here
#|    (reading options has no side effects): the state file's writer makes
#|    the directory."""
#|    for directory in (user_cache_dir("buildout-mirrors"),
#|                      os.path.join(_tempdir(), "buildout-mirrors-%s"
#|                                   % _user_id())):
#|        if _could_write(directory):
#|            return os.path.join(directory, "state.json")
#|    return ""
#|
#|
#|def _could_write(directory):
#|    """*directory* is writable, or its nearest existing ancestor is."""
#|    path = os.path.abspath(directory)
#|    while not os.path.exists(path):
#|        parent = os.path.dirname(path)
#|        if parent == path:
#|            return False
#|        path = parent
#|    return os.path.isdir(path) and os.access(path, os.W_OK)
#|
#|
#|def _tempdir():
#|    return tempfile.gettempdir()
#|
#|
#|def _user_id():
#|    return os.getuid() if hasattr(os, "getuid") else os.environ.get(
#|        "USERNAME", "user")
#|
#|
#|def not_private(directory: str) -> str | None:
#|    """Why *directory* cannot be trusted with the state, or ''.
#|
#|    The state decides which mirrors are skipped: its folder must be ours,
#|    no link, and writable by nobody else.  A shared temporary directory is
#|    where another user could plant one first, with a forged state and a
#|    link for the lock file."""
#|    if not hasattr(os, "getuid"):
#|        return ""
#|    try:
#|        info = os.lstat(directory)
#|    except FileNotFoundError:
#|        return ""
#|    if stat.S_ISLNK(info.st_mode) or info.st_uid != os.getuid() or \
#|            info.st_mode & 0o002:
#|        return ("The mirrors state folder %s is not private (a link, another"
#|                " user's, or writable by everyone); it is not used. Remove "
#|                "it, or set mirrors-cache to a file in a folder of your own."
#|                % directory)
#|    return ""
# ---- buildout_mirrors/store/state.py
#|"""The state file: what the last selections found, shared between runs.
#|
#|JSON, one format version, no credentials (URLs are redacted).  This module
#|alone knows the schema: the functions after the stores are the only ones
#|that read or change a record.  Updates happen under an exclusive lock and
#|by atomic rename, so parallel buildouts sharing one file never corrupt it
#|or lose each other's results.  A broken file is reported and replaced.
#|"""
#|
#|from __future__ import annotations
#|
#|import hashlib
#|import json
#|import logging
#|import typing
#|
#|from buildout_mirrors.index import urls
#|from buildout_mirrors.store import files
#|from buildout_mirrors.store.files import atomic_write
#|# empty and validated are part of what state offers.
#|from buildout_mirrors.store.state_fields import (  # noqa: F401
#|    FORMAT, MAX_PRIVATE_NAMES, ValidatedStore, empty, validated)
#|
#|logger = logging.getLogger("buildout_mirrors")
#|State = typing.Dict[str, typing.Any]  # a validated state (state_fields)
#|Urls = typing.Sequence[str]
#|Names = typing.Iterable[str]
#|_WARNED: set[tuple] = set()
#|
#|
#|class NewerFormat(Exception):
#|    """Written by a newer buildout_mirrors: neither used nor overwritten."""
#|
#|
#|class NotPrivate(OSError):
#|    """The state's folder could be changed by another user."""
#|
#|
#|def candidates_key(candidates: typing.Iterable[str]) -> str:
#|    """A stable key for one ordered candidate list, free of credentials."""
#|    text = "\n".join(urls.redact(url) for url in candidates)
#|    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
#|
#|
#|class StateFile:
#|    """``StateFile(path)``: the JSON state kept at *path*."""
#|
#|    def __init__(self, path):
#|        self.path = path
#|
#|    def load(self):
#|        """The state, validated; empty when there is none (or when it is
#|        of a newer format)."""
#|        try:
#|            return self._read()
#|        except NewerFormat:
#|            return empty()
#|
#|    def _read(self):
#|        try:
#|            files.check_folder(self.path, NotPrivate)
#|            with open(self.path, "rb") as stream:
#|                text = stream.read().decode("utf-8", "replace")
#|        except FileNotFoundError:
#|            return empty()
#|        except NotPrivate as error:
#|            self._warn_once(str(error))
#|            return empty()
#|        except OSError as error:
#|            self._warn_once("Cannot read the mirrors state file %s (%s); "
#|                            "probing without it. Fix its permissions or set "
#|                            "mirrors-cache." % (self.path, error.strerror))
#|            return empty()
#|        return self._parse(text)
#|
#|    def _warn_once(self, message):
#|        """One warning a file and process, however often it is read."""
#|        if (self.path, message) not in _WARNED:
#|            _WARNED.add((self.path, message))
#|            logger.warning("%s", message)
#|
#|    def _parse(self, text):
#|        try:
#|            state = json.loads(text)
#|        except (ValueError, RecursionError):
#|            state = None
#|        if isinstance(state, dict) and isinstance(state.get("format"), int) \
#|                and not isinstance(state.get("format"), bool) and \
#|                state["format"] > FORMAT:
#|            self._warn_once(
#|                "The mirrors state file %s has format %d, newer than this "
#|                "buildout_mirrors (%d); it is left as it is and not used. "
#|                "Upgrade buildout_mirrors, or set mirrors-cache to another "
#|                "file." % (self.path, state["format"], FORMAT))
#|            raise NewerFormat()
#|        valid, dropped = validated(state)
#|        if valid is None:
#|            self._warn_once("The mirrors state file %s is corrupt; it will "
#|                            "be replaced." % self.path)
#|            return empty()
#|        if dropped:
#|            self._warn_once("The mirrors state file %s had %d invalid "
#|                            "entr%s (%s); %s left out and rewritten." % (
#|                                self.path, len(dropped),
#|                                "y" if len(dropped) == 1 else "ies",
#|                                ", ".join(dropped[:3]),
#|                                "it is" if len(dropped) == 1 else "they are"))
#|        return valid
#|
#|    def update(self, change):
#|        """Re-read the file under the lock, apply *change*, write it back.
#|        Returns False (after one warning) when the file cannot be written,
#|        or when a newer buildout_mirrors wrote it."""
#|        try:
#|            with files.locked(self.path, NotPrivate):
#|                state = self._read()
#|                change(state)
#|                atomic_write(self.path, json.dumps(state, indent=1,
#|                                                   sort_keys=True) + "\n")
#|        except NewerFormat:
#|            return False
#|        except NotPrivate as error:
#|            self._warn_once(str(error))
#|            return False
#|        except OSError as error:
#|            self._warn_once("Cannot write the mirrors state file %s (%s); "
#|                            "results are not kept. Set mirrors-cache to a "
#|                            "writable path." % (self.path,
#|                                                error.strerror or error))
#|            return False
#|        return True
#|
#|
#|class NoState:
#|    """Keeps nothing (``mirrors-cache = none``)."""
#|
#|    path = ""
#|
#|    def load(self):
#|        return empty()
#|
#|    def update(self, change):
#|        return True
#|
#|
#|def choice_for(state: State, candidates: Urls) -> dict:
#|    """The choice recorded for this ordered candidate list, or {}."""
#|    return state["choices"].get(candidates_key(candidates), {})
#|
#|
#|def record_of(state: State, url: str) -> dict | None:
#|    """What the last check of *url* found, or None."""
#|    return state["mirrors"].get(urls.redact(url))
#|
#|
#|def record_probes(state: State, results: typing.Iterable, lags: dict,
#|                  now: float) -> dict:
#|    """Each answered ProbeResult under ``mirrors``; returns the records."""
#|    records = {urls.redact(result.url): _mirror(
#|        now, result.ok, result.elapsed, result.reason, result.serial,
#|        str(lags.get(result.url, ""))) for result in results
#|        if result.answered}
#|    state["mirrors"].update(records)
#|    return records
#|
#|
#|def record_choice(state: State, candidates: Urls, chosen: str, records: dict,
#|                  now: float, silent: dict[str, str] | None = None) -> None:
#|    """A run's choice among *candidates*, with the answers that made it,
#|    and why the *silent* ones ({url: reason}) gave none."""
#|    state["choices"][candidates_key(candidates)] = {
#|        "mirror": urls.redact(chosen), "at": now,
#|        "candidates": [urls.redact(url) for url in candidates],
#|        "mirrors": records, "silent": {
#|            urls.redact(url): reason
#|            for url, reason in (silent or {}).items()}}
#|
#|
#|def mark_dropped(state: State, mirror: str, reason: str, now: float):
#|    """*mirror* failed again and again during a run: dead until the ttl."""
#|    state["mirrors"][urls.redact(mirror)] = _mirror(
#|        now, False, 0.0, "dropped during a run: %s" % reason)
#|
#|
#|def mark_back(state: State, mirror: str, now: float) -> None:
#|    """*mirror*, ejected during a run, answered again."""
#|    state["mirrors"][urls.redact(mirror)] = _mirror(
#|        now, True, 0.0, "answered again during a run")
#|
#|
#|def _mirror(now, ok, elapsed, reason, serial=None, lag=""):
#|    return {"checked": now, "ok": ok, "elapsed": round(elapsed, 4),
#|            "reason": reason, "serial": serial, "lag": lag}
#|
#|
#|def mark_suspect(state: State, candidates: Urls) -> None:
#|    """A run that reused the choice failed: probe again next time."""
#|    choice = state["choices"].get(candidates_key(candidates))
#|    if choice is not None:
#|        choice["suspect"] = True
#|
#|
#|def private_indexes(state: State) -> dict[str, list[str]]:
#|    """{index label: [projects]}: the private indexes, what each served."""
#|    return state["private"]
#|
#|
#|def learn_private(state: State, index: str, names: Names = ()) -> None:
#|    """*index* is private and served *names*."""
#|    known = state["private"].setdefault(urls.redact(index), [])
#|    known.extend(sorted(set(names) - set(known)))
#|
#|
#|def downloads(state: State, place: str) -> list[str]:
#|    """The projects the buildout at *place* downloaded before."""
#|    return state["downloads"].get(candidates_key([place]), [])
#|
#|
#|def remember_downloads(state: State, place: str, names: Names) -> None:
#|    """*names* (normalised) first, then the older ones, up to a bound."""
#|    key, names = candidates_key([place]), sorted(set(names))
#|    older = state["downloads"].get(key, [])
#|    state["downloads"][key] = (names + [name for name in older if name not
#|                                        in names])[:MAX_PRIVATE_NAMES]
# ---- buildout_mirrors/store/state_fields.py
#|"""What each record of the state file may hold: name -> check.  Values
#|are checked one by one, for type and for size: the file is JSON that any
#|process of the user (or a crash) may have left in any shape."""
#|
#|from __future__ import annotations
#|
#|import math
#|import re
#|import typing
#|
#|from buildout_mirrors.index import urls
#|
#|FORMAT = 1
#|MAX_PRIVATE_NAMES = 100000  # a company's whole catalogue, and no more
#|_NAME = re.compile(r"[a-z0-9]([a-z0-9-]{0,198}[a-z0-9])?\Z")
#|
#|LARGEST = 1e12  # seconds and times: anything larger is not ours
#|
#|
#|def _number(value):
#|    """A finite number of a sane size: ``1e400``, NaN and a 400-digit
#|    integer are valid JSON, and each would break arithmetic later."""
#|    if isinstance(value, bool) or not isinstance(value, (int, float)):
#|        return False
#|    if isinstance(value, int):
#|        return -LARGEST <= value <= LARGEST
#|    return math.isfinite(value) and -LARGEST <= value <= LARGEST
#|
#|
#|# What each record holds: name -> check.  Anything else is dropped.
#|MIRROR_FIELDS = {
#|    "checked": _number, "ok": lambda value: isinstance(value, bool),
#|    "elapsed": _number, "reason": lambda value: isinstance(value, str),
#|    "serial": lambda value: value is None or (
#|        isinstance(value, int) and not isinstance(value, bool)
#|        and 0 <= value < 1 << 63),
#|    "lag": lambda value: isinstance(value, str),
#|}
#|CHOICE_FIELDS = {
#|    "mirror": lambda value: isinstance(value, str), "at": _number,
#|    "candidates": lambda value: isinstance(value, list) and all(
#|        isinstance(item, str) for item in value),
#|}
#|OPTIONAL_CHOICE_FIELDS = {
#|    "suspect": lambda value: isinstance(value, bool),
#|    "mirrors": lambda value: isinstance(value, dict) and all(
#|        valid(record, MIRROR_FIELDS) for record in value.values()),
#|    "silent": lambda value: isinstance(value, dict) and all(
#|        isinstance(reason, str) for reason in value.values()),
#|}
#|
#|
#|def valid(record: object, fields: dict[str, typing.Callable],
#|          optional: dict[str, typing.Callable] | None = None) -> bool:
#|    return isinstance(record, dict) and all(
#|        name in record and check(record[name])
#|        for name, check in fields.items()) and all(
#|        check(record[name]) for name, check in (optional or {}).items()
#|        if name in record)
#|
#|
#|def private_names(value: object) -> bool:
#|    """The project names an index served: normalised, no more than
#|    MAX_PRIVATE_NAMES."""
#|    return isinstance(value, list) and len(value) <= MAX_PRIVATE_NAMES and \
#|        all(isinstance(name, str) and _NAME.match(name) for name in value)
#|
#|
#|def validated(state: object) -> tuple[dict | None, typing.Sequence[str]]:
#|    """(state, names of the entries dropped), or (None, ()) when *state*
#|    is no format-1 state at all.  Entries are checked one by one: one bad
#|    entry costs that entry, not the file."""
#|    if not isinstance(state, dict) or state.get("format") != FORMAT or \
#|            not isinstance(state.get("mirrors"), dict) or \
#|            not isinstance(state.get("choices"), dict):
#|        return None, ()
#|    dropped = []
#|    kept: dict = {"format": FORMAT}
#|    # "private" and "downloads" came later: older states have none.
#|    for section, check in (
#|            ("mirrors", lambda record: valid(record, MIRROR_FIELDS)),
#|            ("choices", lambda record: valid(record, CHOICE_FIELDS,
#|                                             OPTIONAL_CHOICE_FIELDS)),
#|            ("private", private_names), ("downloads", private_names)):
#|        records = state.get(section, {})
#|        kept[section] = {}
#|        for label, record in (records.items() if isinstance(records, dict)
#|                              else ()):
#|            if check(record):
#|                kept[section][label] = record
#|            else:
#|                dropped.append("%s: %s" % (section, urls.redact(str(label))))
#|    return kept, dropped
#|
#|
#|def empty() -> dict[str, typing.Any]:
#|    return {"format": FORMAT, "mirrors": {}, "choices": {}, "private": {},
#|            "downloads": {}}
#|
#|
#|class ValidatedStore:
#|    """A plug-in's IStateStore, seen through :func:`validated`: whatever
#|    shape it returns (``{}``, an older format, bad entries), the selector
#|    and the failover get a valid state, and *change* functions a valid
#|    one to change."""
#|
#|    def __init__(self, store):
#|        self.store = store
#|
#|    def load(self):
#|        return validated(self.store.load())[0] or empty()
#|
#|    def update(self, change):
#|        def valid_change(stored):
#|            fixed = validated(stored)[0] or empty()
#|            stored.clear()
#|            stored.update(fixed)
#|            change(stored)
#|        return self.store.update(valid_change)
