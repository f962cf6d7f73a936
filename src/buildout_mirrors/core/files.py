"""Write files so that a crash never leaves half of one behind."""

import contextlib
import os
import tempfile


def atomic_write(path, content, mode=0o644):
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
