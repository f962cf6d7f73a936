"""Where the copies of remote ``extends`` files are kept, and how long a
host is waited for: shared by bin/buildout (features.extends_guard) and
bootstrap.py, so that either can fall back on what the other saved."""

from __future__ import annotations

import datetime
import hashlib
import os

from buildout_mirrors.store.paths import user_cache_dir

WAIT_WITH_COPY = 5.0      # a copy to fall back on: do not wait long
WAIT_WITHOUT_COPY = 15.0  # zc.buildout's own limit for index pages


def default_directory() -> str:
    return os.path.join(user_cache_dir("buildout-mirrors"), "extends")


def copy_path(url: str, directory: str | None = None) -> str:
    """The saved copy of *url* (which may not exist).  The name is a hash:
    a URL may hold credentials, and no name may escape the directory."""
    name = hashlib.sha256(url.encode("utf-8")).hexdigest()[:32] + ".cfg"
    return os.path.join(directory or default_directory(), name)


def saved_at(path: str) -> str:
    """When the copy at *path* was saved, for the warning that uses it."""
    stamp = datetime.datetime.fromtimestamp(
        os.path.getmtime(path), tz=datetime.timezone.utc)
    return stamp.strftime("%Y-%m-%d %H:%M UTC")
