"""The state file: what the last selections found, shared between runs.

JSON, one format version, no credentials (URLs are redacted).  This module
alone knows the schema: the functions after the stores are the only ones
that read or change a record.  Updates happen under an exclusive lock and
by atomic rename, so parallel buildouts sharing one file never corrupt it
or lose each other's results.  A broken file is reported and replaced.
"""

from __future__ import annotations

import hashlib
import json
import logging
import typing

from buildout_mirrors.index import urls
from buildout_mirrors.store import files
from buildout_mirrors.store.files import atomic_write
# empty and validated are part of what state offers.
from buildout_mirrors.store.state_fields import (  # noqa: F401
    FORMAT, MAX_PRIVATE_NAMES, ValidatedStore, empty, validated)

logger = logging.getLogger("buildout_mirrors")
State = typing.Dict[str, typing.Any]  # a validated state (state_fields)
Urls = typing.Sequence[str]
Names = typing.Iterable[str]
_WARNED: set[tuple] = set()


class NewerFormat(Exception):
    """Written by a newer buildout_mirrors: neither used nor overwritten."""


class NotPrivate(OSError):
    """The state's folder could be changed by another user."""


def candidates_key(candidates: typing.Iterable[str]) -> str:
    """A stable key for one ordered candidate list, free of credentials."""
    text = "\n".join(urls.redact(url) for url in candidates)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class StateFile:
    """``StateFile(path)``: the JSON state kept at *path*."""

    def __init__(self, path):
        self.path = path

    def load(self):
        """The state, validated; empty when there is none (or when it is
        of a newer format)."""
        try:
            return self._read()
        except NewerFormat:
            return empty()

    def _read(self):
        try:
            files.check_folder(self.path, NotPrivate)
            with open(self.path, "rb") as stream:
                text = stream.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return empty()
        except NotPrivate as error:
            self._warn_once(str(error))
            return empty()
        except OSError as error:
            self._warn_once("Cannot read the mirrors state file %s (%s); "
                            "probing without it. Fix its permissions or set "
                            "mirrors-cache." % (self.path, error.strerror))
            return empty()
        return self._parse(text)

    def _warn_once(self, message):
        """One warning a file and process, however often it is read."""
        if (self.path, message) not in _WARNED:
            _WARNED.add((self.path, message))
            logger.warning("%s", message)

    def _parse(self, text):
        try:
            state = json.loads(text)
        except (ValueError, RecursionError):
            state = None
        if isinstance(state, dict) and isinstance(state.get("format"), int) \
                and not isinstance(state.get("format"), bool) and \
                state["format"] > FORMAT:
            self._warn_once(
                "The mirrors state file %s has format %d, newer than this "
                "buildout_mirrors (%d); it is left as it is and not used. "
                "Upgrade buildout_mirrors, or set mirrors-cache to another "
                "file." % (self.path, state["format"], FORMAT))
            raise NewerFormat()
        valid, dropped = validated(state)
        if valid is None:
            self._warn_once("The mirrors state file %s is corrupt; it will "
                            "be replaced." % self.path)
            return empty()
        if dropped:
            self._warn_once("The mirrors state file %s had %d invalid "
                            "entr%s (%s); %s left out and rewritten." % (
                                self.path, len(dropped),
                                "y" if len(dropped) == 1 else "ies",
                                ", ".join(dropped[:3]),
                                "it is" if len(dropped) == 1 else "they are"))
        return valid

    def update(self, change):
        """Re-read the file under the lock, apply *change*, write it back.
        Returns False (after one warning) when the file cannot be written,
        or when a newer buildout_mirrors wrote it."""
        try:
            with files.locked(self.path, NotPrivate):
                state = self._read()
                change(state)
                atomic_write(self.path, json.dumps(state, indent=1,
                                                   sort_keys=True) + "\n")
        except NewerFormat:
            return False
        except NotPrivate as error:
            self._warn_once(str(error))
            return False
        except OSError as error:
            self._warn_once("Cannot write the mirrors state file %s (%s); "
                            "results are not kept. Set mirrors-cache to a "
                            "writable path." % (self.path,
                                                error.strerror or error))
            return False
        return True


class NoState:
    """Keeps nothing (``mirrors-cache = none``)."""

    path = ""

    def load(self):
        return empty()

    def update(self, change):
        return True


def choice_for(state: State, candidates: Urls) -> dict:
    """The choice recorded for this ordered candidate list, or {}."""
    return state["choices"].get(candidates_key(candidates), {})


def record_of(state: State, url: str) -> dict | None:
    """What the last check of *url* found, or None."""
    return state["mirrors"].get(urls.redact(url))


def record_probes(state: State, results: typing.Iterable, lags: dict,
                  now: float) -> dict:
    """Each answered ProbeResult under ``mirrors``; returns the records."""
    records = {urls.redact(result.url): _mirror(
        now, result.ok, result.elapsed, result.reason, result.serial,
        str(lags.get(result.url, ""))) for result in results
        if result.answered}
    state["mirrors"].update(records)
    return records


def record_choice(state: State, candidates: Urls, chosen: str, records: dict,
                  now: float, silent: dict[str, str] | None = None) -> None:
    """A run's choice among *candidates*, with the answers that made it,
    and why the *silent* ones ({url: reason}) gave none."""
    state["choices"][candidates_key(candidates)] = {
        "mirror": urls.redact(chosen), "at": now,
        "candidates": [urls.redact(url) for url in candidates],
        "mirrors": records, "silent": {
            urls.redact(url): reason
            for url, reason in (silent or {}).items()}}


def mark_dropped(state: State, mirror: str, reason: str, now: float):
    """*mirror* failed again and again during a run: dead until the ttl."""
    state["mirrors"][urls.redact(mirror)] = _mirror(
        now, False, 0.0, "dropped during a run: %s" % reason)


def mark_back(state: State, mirror: str, now: float) -> None:
    """*mirror*, ejected during a run, answered again."""
    state["mirrors"][urls.redact(mirror)] = _mirror(
        now, True, 0.0, "answered again during a run")


def _mirror(now, ok, elapsed, reason, serial=None, lag=""):
    return {"checked": now, "ok": ok, "elapsed": round(elapsed, 4),
            "reason": reason, "serial": serial, "lag": lag}


def mark_suspect(state: State, candidates: Urls) -> None:
    """A run that reused the choice failed: probe again next time."""
    choice = state["choices"].get(candidates_key(candidates))
    if choice is not None:
        choice["suspect"] = True


def private_indexes(state: State) -> dict[str, list[str]]:
    """{index label: [projects]}: the private indexes, what each served."""
    return state["private"]


def learn_private(state: State, index: str, names: Names = ()) -> None:
    """*index* is private and served *names*."""
    known = state["private"].setdefault(urls.redact(index), [])
    known.extend(sorted(set(names) - set(known)))


def downloads(state: State, place: str) -> list[str]:
    """The projects the buildout at *place* downloaded before."""
    return state["downloads"].get(candidates_key([place]), [])


def remember_downloads(state: State, place: str, names: Names) -> None:
    """*names* (normalised) first, then the older ones, up to a bound."""
    key, names = candidates_key([place]), sorted(set(names))
    older = state["downloads"].get(key, [])
    state["downloads"][key] = (names + [name for name in older if name not
                                        in names])[:MAX_PRIVATE_NAMES]
