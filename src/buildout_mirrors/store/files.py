"""Write files so that a crash never leaves half of one behind, and lock
them against parallel buildouts."""

from __future__ import annotations

import contextlib
import os
import tempfile
import typing

from buildout_mirrors.store import paths

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; the rename stays atomic
    fcntl = None  # type: ignore[assignment]


def atomic_write(path: str, content: str | bytes, mode: int = 0o644
                 ) -> None:
    """Replace *path* with *content* (str or bytes): write a temporary file
    beside it, fsync, rename over the target, then fsync the directory."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        prefix="." + os.path.basename(path) + ".", suffix=".tmp",
        dir=directory)
    try:
        binary = isinstance(content, bytes)
        with os.fdopen(handle, "wb" if binary else "w",
                       encoding=None if binary else "utf-8") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    with contextlib.suppress(OSError):  # not every OS can open a directory
        directory_handle = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(directory_handle)
        finally:
            os.close(directory_handle)


def check_folder(path: str, not_private: type[Exception]) -> None:
    """Raise *not_private* when another user could change *path*'s
    folder (and so swap the file)."""
    problem = paths.not_private(os.path.dirname(os.path.abspath(path)))
    if problem:
        raise not_private(problem)


@contextlib.contextmanager
def locked(path: str, not_private: type[Exception]) -> typing.Iterator[None]:
    """Hold an exclusive lock on *path* (its ``.lock`` beside it) for the
    block; raise *not_private* when its folder could be changed by another
    user.  Without advisory locks (Windows) the rename stays atomic."""
    if fcntl is None:
        yield
        return
    os.makedirs(os.path.dirname(os.path.abspath(path)), mode=0o700,
                exist_ok=True)
    check_folder(path, not_private)
    # Never through a symbolic link: another user who planted one would
    # have us create or truncate a file of their choosing.
    descriptor = os.open(path + ".lock", os.O_WRONLY | os.O_CREAT
                         | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)
