"""Where this package keeps its files by default: a per-user cache
directory, where platformdirs would put it, or the temporary directory
when the home directory is read-only.  Standard library alone: every
rerun imports this module."""

from __future__ import annotations

import os
import stat
import sys
import tempfile

def user_cache_dir(name: str) -> str:
    """The per-user cache directory of *name*, where platformdirs puts it
    : ``$XDG_CACHE_HOME`` or ``~/.cache``
    on Linux, ``~/Library/Caches`` on macOS, ``%LOCALAPPDATA%`` on Windows.
    The standard library alone: every rerun imports this module."""
    home = os.path.expanduser("~")
    if sys.platform == "darwin":
        return os.path.join(home, "Library", "Caches", name)
    if os.name == "nt":
        return os.path.join(os.environ.get("LOCALAPPDATA", home), name,
                            "Cache")
    return os.path.join(os.environ.get("XDG_CACHE_HOME", "").strip()
                        or os.path.join(home, ".cache"), name)


def default_cache_path() -> str:
    """A per-user state file, or one in the temp directory if HOME is
    read-only (CI containers, service accounts).  Nothing is created here
    (reading options has no side effects): the state file's writer makes
    the directory."""
    for directory in (user_cache_dir("buildout-mirrors"),
                      os.path.join(_tempdir(), "buildout-mirrors-%s"
                                   % _user_id())):
        if _could_write(directory):
            return os.path.join(directory, "state.json")
    return ""


def _could_write(directory):
    """*directory* is writable, or its nearest existing ancestor is."""
    path = os.path.abspath(directory)
    while not os.path.exists(path):
        parent = os.path.dirname(path)
        if parent == path:
            return False
        path = parent
    return os.path.isdir(path) and os.access(path, os.W_OK)


def _tempdir():
    return tempfile.gettempdir()


def _user_id():
    return os.getuid() if hasattr(os, "getuid") else os.environ.get(
        "USERNAME", "user")


def not_private(directory: str) -> str | None:
    """Why *directory* cannot be trusted with the state, or ''.

    The state decides which mirrors are skipped: its folder must be ours,
    no link, and writable by nobody else.  A shared temporary directory is
    where another user could plant one first, with a forged state and a
    link for the lock file."""
    if not hasattr(os, "getuid"):
        return ""
    try:
        info = os.lstat(directory)
    except FileNotFoundError:
        return ""
    if stat.S_ISLNK(info.st_mode) or info.st_uid != os.getuid() or \
            info.st_mode & 0o002:
        return ("The mirrors state folder %s is not private (a link, another"
                " user's, or writable by everyone); it is not used. Remove "
                "it, or set mirrors-cache to a file in a folder of your own."
                % directory)
    return ""
