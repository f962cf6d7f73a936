"""Keep-alive: one connection per mirror host, not one per file.

zc.buildout and urllib open a fresh connection for every page and file: a
TCP (and TLS) handshake each time, which a mirror across an ocean makes
cost more than the answer.  :class:`ConnectionPool` keeps the connections
whose answers said they may stay open, per (scheme, host and port), for
the next request to the same host; index.transport takes one before it
connects and gives it back once the whole body is read.

A kept connection is only reused while it is young and quiet: one the
server has closed (it reads as ready: EOF) or one idle for longer than
``MAX_IDLE`` (a firewall may have dropped it silently, and a silent
connection would read as a hanging mirror) is closed instead, as
urllib3's pool does.
"""

from __future__ import annotations

import http.client
import select
import threading
import time

MAX_IDLE = 10.0     # seconds; servers keep idle connections 5 s to 75 s
PER_HOST = 8        # the look-ahead's concurrency


class ConnectionPool:
    """``ConnectionPool()``: ``take(key)`` an idle connection or None,
    ``give(key, connection)`` it back, ``close()`` them all."""

    def __init__(self, per_host=PER_HOST, max_idle=MAX_IDLE,
                 clock=time.monotonic):
        self.per_host, self.max_idle, self.clock = per_host, max_idle, clock
        # key -> [(connection, idle since)]
        self._idle: dict[tuple, list[tuple[http.client.HTTPConnection,
                                           float]]] = {}
        self._lock = threading.Lock()
        self.reused = 0  # for tests and benchmarks

    def take(self, key: tuple) -> http.client.HTTPConnection | None:
        """An idle connection to *key* that still looks usable, or None."""
        while True:
            with self._lock:
                idle = self._idle.get(key)
                if not idle:
                    return None
                connection, since = idle.pop()
            if self.clock() - since <= self.max_idle and \
                    not _dropped(connection):
                with self._lock:
                    self.reused += 1
                return connection
            connection.close()

    def give(self, key: tuple, connection: http.client.HTTPConnection
             ) -> None:
        """Keep *connection* (its answer read to the end) for *key*."""
        if connection.sock is None:  # the answer closed it
            return
        with self._lock:
            idle = self._idle.setdefault(key, [])
            if len(idle) < self.per_host:
                idle.append((connection, self.clock()))
                return
        connection.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, {}
        for connections in idle.values():
            for connection, _ in connections:
                connection.close()


def _dropped(connection: http.client.HTTPConnection) -> bool:
    """True when an idle connection can be read: the server closed it (or
    sent something unasked), either way it is not reusable."""
    sock = connection.sock
    if sock is None:
        return True
    try:
        return bool(select.select([sock], [], [], 0)[0])
    except (OSError, ValueError):
        return True
