"""How current a live mirror is, for people: fresh, aging or old.

bandersnatch writes ``/last-modified`` at its web root after every
successful sync (``%Y%m%dT%H:%M:%S``, UTC); other mirrors only tell how
they compare with each other (serial lag or missing files).  The bands
follow the old pypi-mirrors.org: fresh under an hour, aging under a day,
old beyond.
"""

from __future__ import annotations

import datetime
import typing
import urllib.parse

AGING_AFTER = 3600.0
OLD_AFTER = 86400.0


def last_modified_url(index_url: str) -> str:
    """bandersnatch serves ``/simple`` beside ``/last-modified``."""
    parts = urllib.parse.urlsplit(index_url)
    path = parts.path.rstrip("/")
    if path.endswith("/simple"):
        path = path[:-len("simple")]
    else:
        path = path.rsplit("/", 1)[0] + "/"
    return urllib.parse.urlunsplit(parts._replace(path=path + "last-modified",
                                                  query="", fragment=""))


def parse_last_modified(text: str,
                        now: datetime.datetime | None = None
                        ) -> float | None:
    """Seconds since the sync stamped in *text*, or None."""
    try:
        synced = datetime.datetime.strptime(text.strip(), "%Y%m%dT%H:%M:%S")
    except ValueError:
        return None
    now = now or datetime.datetime.now(datetime.timezone.utc).replace(
        tzinfo=None)
    return max((now - synced).total_seconds(), 0.0)  # type: ignore


def last_sync_age(index_url: str, timeout: float,
                  verify: bool | str = True) -> float | None:
    """Age in seconds of a bandersnatch mirror's last sync, or None."""
    if not index_url.startswith(("http://", "https://")):
        return None
    from buildout_mirrors.index import connection, transport
    bound = min(timeout, 2.0)
    try:
        response = transport.get(
            last_modified_url(index_url), "text/plain",
            transport.Limits(first_byte=bound, stall=bound, max_bytes=64),
            connection.ssl_context(verify))
    except transport.FetchError:
        return None
    with response.body:
        if response.status != 200:
            return None
        return parse_last_modified(response.body.read().decode(
            "ascii", "replace"))


def band(lag: typing.Any, age: float | None) -> str:
    if age is not None:
        return ("fresh" if age < AGING_AFTER else
                "aging" if age < OLD_AFTER else "old")
    return "aging" if lag else "fresh"


def describe(row: typing.Any) -> str:
    """The FRESHNESS cell of the status table."""
    if not row["freshness"]:
        return "-"
    details = []
    if row["last_sync_age_s"] is not None:
        details.append("synced %s ago" % span(row["last_sync_age_s"]))
    if row["lag"]:
        details.append(row["lag"])
    elif row["serial"] is not None:
        details.append("serial %s" % row["serial"])
    return "%s (%s)" % (row["freshness"], ", ".join(details)) if details \
        else row["freshness"]


def span(seconds: float) -> str:
    if seconds < 120:
        return "%d s" % seconds
    if seconds < 7200:
        return "%d min" % (seconds // 60)
    if seconds < 172800:
        return "%.1f h" % (seconds / 3600)
    return "%d days" % (seconds // 86400)
