"""The buildout's own virtual environment, and pip run in it.

A venv, so that a distribution's "externally managed" Python (PEP 668) is
never touched.  Where the Python has no ensurepip (Debian's python3
without python3-venv), pip comes from the chosen mirror, its hash checked.
pip gets the mirror's credentials through a private netrc file, never on
its command line, where ``ps`` shows them.
"""

import os
import shutil
import subprocess
import time
import urllib.parse
import urllib.request

from buildout_mirrors.bootstrapping.console import BootstrapError, \
    heartbeat, say
from buildout_mirrors.index import (connection, index_client, pages,
                                    transport, urls, versions)
from buildout_mirrors.selection import probe

PIP_WHEEL_TIMEOUT = 60.0
# pip's lines worth passing on: what it fetches, builds and installs.
PIP_PROGRESS = ("Collecting", "Building wheel", "Installing collected",
                "Successfully installed", "Obtaining", "WARNING")


class Environment:
    """``Environment(venv, scratch, ca_bundle=None, pip_environ=None)``:
    *scratch* is a private temporary directory that lives as long as the
    bootstrap; *pip_environ* what pip's environment needs for the guarded
    index (its netrc, which also holds find-links' credentials)."""

    def __init__(self, venv, scratch, *, ca_bundle=None, pip_environ=None):
        self.venv, self.scratch, self.ca_bundle = venv, scratch, ca_bundle
        self.pip_environ = dict(pip_environ or {})
        self.netrc = None

    @property
    def python(self):
        return os.path.join(self.venv, "Scripts" if os.name == "nt" else "bin",
                            "python.exe" if os.name == "nt" else "python")

    def create(self, mirror):
        """Make the venv (unless it exists) and return its python."""
        if os.path.exists(self.python):
            return self.python
        say("creating the virtual environment %s" % self.venv)
        import venv
        try:
            with heartbeat("creating the virtual environment"):
                venv.EnvBuilder(with_pip=True).create(self.venv)
        except (subprocess.CalledProcessError, OSError) as error:
            say("ensurepip is not available (%s); fetching pip from the "
                "mirror" % type(error).__name__)
            shutil.rmtree(self.venv, ignore_errors=True)
            venv.EnvBuilder(with_pip=False).create(self.venv)
            self._pip_from(mirror)
        return self.python

    def _pip_from(self, mirror):
        """Install the newest pip wheel of *mirror* by running pip from
        the wheel itself (a wheel is an importable zip)."""
        if not mirror:
            raise BootstrapError("this Python has no ensurepip and no mirror "
                                 "is reachable; install python3-venv")
        context = connection.LazyContext(self.ca_bundle or True)
        files = _project_files(mirror, "pip", context)
        wheels = sorted((name for name in files
                         if name.endswith("-py3-none-any.whl")),
                        key=lambda name: versions.key(
                            versions.file_version(name) or "0"))
        if not wheels:
            raise BootstrapError("the mirror has no pip wheel")
        wheel = os.path.join(self.scratch, wheels[-1])
        _download(files[wheels[-1]], wheel, context)
        self.run([self.python, os.path.join(wheel, "pip"), "install",
                  "--no-index", "-q", wheel], "installing pip")

    def pip_url(self, url):
        """*url* as pip gets it: its credentials go to the netrc file (the
        guarded index's, when there is one: it holds them already)."""
        if not urls.credentials(url):
            return url
        if self.pip_environ:
            return urls.without_auth(url)
        self.netrc = os.path.join(self.scratch, "netrc")
        handle = os.open(self.netrc, os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
                         0o600)
        user, password = urls.credentials(url) or ("", "")
        with os.fdopen(handle, "w") as stream:
            stream.write("machine %s\nlogin %s\npassword %s\n" % (
                urls.host_of(url), user, password))
        return urls.without_auth(url)

    def run(self, command, doing, echo=False):
        """Run *command*, saying what it does as it goes (pip's own
        progress lines; all its lines with *echo*); its last lines become
        the error if it fails."""
        env = dict(os.environ)
        if self.netrc:
            env["NETRC"] = self.netrc
        env.update(self.pip_environ)
        if self.ca_bundle:
            # requests lets these variables override pip's --cert.
            env.update(REQUESTS_CA_BUNDLE=self.ca_bundle,
                       CURL_CA_BUNDLE=self.ca_bundle)
        say(doing, progress=True)
        lines = []
        with heartbeat(doing), subprocess.Popen(
                command, stdout=subprocess.PIPE, env=env,
                stderr=subprocess.STDOUT, universal_newlines=True,
                errors="replace") as process:
            for line in process.stdout or ():
                lines.append(line.rstrip())
                if echo:
                    print(line.rstrip(), flush=True)
                elif line.startswith(PIP_PROGRESS):
                    say("pip: " + line.strip(), progress=True)
        if process.returncode:
            tail = "\n".join(line for line in lines[-15:] if line)
            raise BootstrapError("%s failed:\n%s" % (doing, tail))
        return "\n".join(lines)


def _project_files(mirror, project, context):
    """{file name: URL} of *project* on *mirror* (an index or a folder)."""
    if mirror.startswith("file:"):
        return probe.read_local_project(mirror, project).files
    limits = transport.Limits(deadline=time.monotonic() + PIP_WHEEL_TIMEOUT)
    try:
        return index_client.read_project(mirror, project, limits,
                                         context).files
    except index_client.BadAnswer as error:
        raise BootstrapError("the mirror answered %s for %s"
                             % (error, project)) from None


def _download(url, path, context):
    """Save *url* at *path* after checking the hash its link names."""
    if url.startswith("file:"):
        shutil.copyfile(urllib.request.url2pathname(
            urllib.parse.urlsplit(url).path), path)
    else:
        response = transport.get(url, limits=transport.Limits(
            deadline=time.monotonic() + PIP_WHEEL_TIMEOUT), context=context)
        with response.body, open(path, "wb") as stream:
            if response.status >= 400:
                raise BootstrapError("the mirror answered HTTP %d for %s"
                                     % (response.status, pages.file_name(url)))
            shutil.copyfileobj(response.body, stream)
    with open(path, "rb") as stream:
        try:
            index_client.check_hashes(stream, pages.fragment_hashes(url))
        except transport.FetchError as error:
            raise BootstrapError("%s does not match its hash (%s)" % (
                pages.file_name(url), error)) from None
