"""End to end: another local user, watching /proc while a run builds an
sdist through pip from a credentialed mirror, can fetch nothing through
the local failover index, and never sees its token (issue 20).

Every command line on the machine is readable by every user; a process's
environment only by its own user and root.  The watcher reads, as root,
what the attacker could read (command lines) and, to know the secret it
is looking for, what only the user could (the NETRC file named in pip's
environment).  The attacker's fetches run as ``nobody`` when the test has
the rights to switch users, else as this user with no token.
"""

import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path


from conftest import buildout_command, write_buildout
from deployments import EGGS
from faulty import FaultyMirror

LOCAL_INDEX = re.compile(rb"http://127\.0\.0\.1:(\d+)/[^\s\x00]*")
ATTACK = """
import sys, urllib.request
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
for url in sys.argv[1:]:
    try:
        status = opener.open(url, timeout=5).status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError as error:
        status = type(error).__name__
    print(url, status)
"""


def attacker_command():
    """Python as ``nobody`` (a system interpreter: the test environment's
    may lie under a folder nobody can enter), or as this user."""
    if os.geteuid() == 0 and shutil.which("runuser") and \
            os.path.exists("/usr/bin/python3"):
        return ["runuser", "-u", "nobody", "--", "/usr/bin/python3"]
    return [sys.executable]


class Watcher(threading.Thread):
    """Collects, while the run lasts, every command line and every NETRC
    file named in a process environment."""

    def __init__(self, process):
        super().__init__(daemon=True)
        self.process = process
        self.cmdlines, self.netrcs, self.tokens = set(), set(), set()

    def run(self):
        own = os.getpid()
        while self.process.poll() is None:
            for entry in Path("/proc").iterdir():
                if not entry.name.isdigit() or int(entry.name) == own:
                    continue
                try:
                    self.cmdlines.add((entry / "cmdline").read_bytes())
                    environ = (entry / "environ").read_bytes()
                except OSError:
                    continue
                for item in environ.split(b"\0"):
                    if item.startswith(b"NETRC=") and item not in self.netrcs:
                        self.netrcs.add(item)
                        self.tokens.update(tokens(item[6:].decode()))
            time.sleep(0.02)


def tokens(netrc_path):
    try:
        text = Path(netrc_path).read_text()
    except OSError:  # removed when the run ended
        return set()
    return set(re.findall(
        r"machine 127\.0\.0\.1 login buildout-mirrors password (\S+)", text))


def test_another_user_can_fetch_nothing_through_the_local_index(
        buildout_dir, isolated_env, pypi_mirror):
    with FaultyMirror(pypi_mirror.url, "auth-required",
                      credentials="deployer:s3cr3t") as private:
        secret = private.url.replace("http://", "http://deployer:s3cr3t@")
        # docopt is an sdist: pip builds it, in a build subprocess of its
        # own, through the local index.
        write_buildout(buildout_dir, EGGS.format(mirrors=secret, extra=""))
        process = subprocess.Popen(
            [str(part) for part in buildout_command()], env=isolated_env,
            cwd=buildout_dir, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True)
        watcher = Watcher(process)
        watcher.start()
        attempts = []
        attacker = attacker_command() + ["-c", ATTACK]
        # The attacker acts while the run lasts: whatever local index URL
        # shows on a command line, it asks for a private page, the root
        # and a path out of the index.
        while process.poll() is None:
            for cmdline in list(watcher.cmdlines):
                for match in LOCAL_INDEX.finditer(cmdline):
                    base = "http://127.0.0.1:%s" % match.group(1).decode()
                    urls = [match.group(0).decode(), base + "/simple/six/",
                            base + "/simple/", base + "/simple/../../admin"]
                    if base in {url for url, _ in attempts}:
                        continue
                    result = subprocess.run(attacker + urls, text=True,
                                            capture_output=True, timeout=30)
                    attempts.append((base, result.stdout + result.stderr))
            time.sleep(0.05)
        output = process.communicate(timeout=600)[0]
        watcher.join(5)
        private_pages = [request for request in private.requests
                         if "/six/" in request or "admin" in request]
    assert process.returncode == 0, output
    # pip ran with the local index on its command line, and the attacker
    # tried it: nothing but 404s, and the mirror got no request of theirs
    # (the run itself asked for six once, through buildout).
    assert attempts, "no local index URL was seen on a command line"
    for base, answers in attempts:
        assert answers.count(" 404") == 4, answers
    assert len(private_pages) <= 2, private_pages
    found = watcher.tokens
    assert found, "pip got no netrc with the token"
    for token in found:
        assert not any(token.encode() in cmdline
                       for cmdline in watcher.cmdlines)
        assert token not in output
    assert "s3cr3t" not in output
