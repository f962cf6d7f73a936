"""Where an answer's body is kept while buildout reads it, and reading it
in within the bounds of a index.transport Limits.

Bodies are kept in memory up to ``SPOOL_BYTES``, on disk beyond.  The
look-ahead (failover.lookahead) fetches files long before buildout reads
them, so in its threads (:func:`on_disk`) every body goes straight to an
unnamed temporary file: private to the user (mode 0600, no name another
process could open) and gone with the process, whatever ends it.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import tempfile
import threading
import time
import typing

from buildout_mirrors.index.errors import FetchError

SPOOL_BYTES = 8 * 1024 * 1024  # bodies larger than this go to disk
_THREAD = threading.local()


@contextlib.contextmanager
def on_disk() -> typing.Iterator[None]:
    """Bodies read by this thread within the block go to disk at once."""
    _THREAD.on_disk = True
    try:
        yield
    finally:
        _THREAD.on_disk = False


def _new_body() -> typing.IO[bytes]:
    if getattr(_THREAD, "on_disk", False):
        return tempfile.TemporaryFile()
    return tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)


def read_body(response: http.client.HTTPResponse, sock: socket.socket,
              limits: typing.Any, remaining: typing.Callable[
                  [float, float | None], float]) -> typing.IO[bytes]:
    """Read the whole body within the stall, floor and deadline limits;
    fail on a body shorter than its Content-Length."""
    body = _new_body()
    started, size = time.monotonic(), 0
    read = getattr(response, "read1", None) or response.read
    try:
        # A response that closes its connection (HTTP/1.0, "Connection:
        # close") closes it, socket included, once its body is read; from
        # Python 3.13 the socket then refuses settimeout (EBADF).
        while not response.isclosed():
            sock.settimeout(remaining(limits.stall, limits.deadline))
            try:
                chunk = read(65536)
            except http.client.IncompleteRead:
                raise FetchError("truncated: the connection closed after "
                                 "%d bytes" % size) from None
            if not chunk:
                break
            body.write(chunk)
            size += len(chunk)
            if limits.max_bytes is not None and size > limits.max_bytes:
                raise FetchError("answer larger than %d bytes"
                                 % limits.max_bytes)
            elapsed = time.monotonic() - started
            if limits.floor and elapsed > limits.stall and \
                    size / elapsed < limits.floor:
                raise FetchError("too slow (%d bytes in %.1f s)"
                                 % (size, elapsed))
        expected = response.msg.get("Content-Length", "")
        if expected.strip().isdigit() and size < int(expected):
            raise FetchError("truncated: %d of %s bytes" % (size, expected))
    except BaseException:
        body.close()
        raise
    body.seek(0)
    return body
