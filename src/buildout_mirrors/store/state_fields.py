"""What each record of the state file may hold: name -> check.  Values
are checked one by one, for type and for size: the file is JSON that any
process of the user (or a crash) may have left in any shape."""

from __future__ import annotations

import math
import re
import typing

from buildout_mirrors.index import urls

FORMAT = 1
MAX_PRIVATE_NAMES = 100000  # a company's whole catalogue, and no more
_NAME = re.compile(r"[a-z0-9]([a-z0-9-]{0,198}[a-z0-9])?\Z")

LARGEST = 1e12  # seconds and times: anything larger is not ours


def _number(value):
    """A finite number of a sane size: ``1e400``, NaN and a 400-digit
    integer are valid JSON, and each would break arithmetic later."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if isinstance(value, int):
        return -LARGEST <= value <= LARGEST
    return math.isfinite(value) and -LARGEST <= value <= LARGEST


# What each record holds: name -> check.  Anything else is dropped.
MIRROR_FIELDS = {
    "checked": _number, "ok": lambda value: isinstance(value, bool),
    "elapsed": _number, "reason": lambda value: isinstance(value, str),
    "serial": lambda value: value is None or (
        isinstance(value, int) and not isinstance(value, bool)
        and 0 <= value < 1 << 63),
    "lag": lambda value: isinstance(value, str),
}
CHOICE_FIELDS = {
    "mirror": lambda value: isinstance(value, str), "at": _number,
    "candidates": lambda value: isinstance(value, list) and all(
        isinstance(item, str) for item in value),
}
OPTIONAL_CHOICE_FIELDS = {
    "suspect": lambda value: isinstance(value, bool),
    "mirrors": lambda value: isinstance(value, dict) and all(
        valid(record, MIRROR_FIELDS) for record in value.values()),
    "silent": lambda value: isinstance(value, dict) and all(
        isinstance(reason, str) for reason in value.values()),
}


def valid(record: object, fields: dict[str, typing.Callable],
          optional: dict[str, typing.Callable] | None = None) -> bool:
    return isinstance(record, dict) and all(
        name in record and check(record[name])
        for name, check in fields.items()) and all(
        check(record[name]) for name, check in (optional or {}).items()
        if name in record)


def private_names(value: object) -> bool:
    """The project names an index served: normalised, no more than
    MAX_PRIVATE_NAMES."""
    return isinstance(value, list) and len(value) <= MAX_PRIVATE_NAMES and \
        all(isinstance(name, str) and _NAME.match(name) for name in value)


def validated(state: object) -> tuple[dict | None, typing.Sequence[str]]:
    """(state, names of the entries dropped), or (None, ()) when *state*
    is no format-1 state at all.  Entries are checked one by one: one bad
    entry costs that entry, not the file."""
    if not isinstance(state, dict) or state.get("format") != FORMAT or \
            not isinstance(state.get("mirrors"), dict) or \
            not isinstance(state.get("choices"), dict):
        return None, ()
    dropped = []
    kept: dict = {"format": FORMAT}
    # "private" and "downloads" came later: older states have none.
    for section, check in (
            ("mirrors", lambda record: valid(record, MIRROR_FIELDS)),
            ("choices", lambda record: valid(record, CHOICE_FIELDS,
                                             OPTIONAL_CHOICE_FIELDS)),
            ("private", private_names), ("downloads", private_names)):
        records = state.get(section, {})
        kept[section] = {}
        for label, record in (records.items() if isinstance(records, dict)
                              else ()):
            if check(record):
                kept[section][label] = record
            else:
                dropped.append("%s: %s" % (section, urls.redact(str(label))))
    return kept, dropped


def empty() -> dict[str, typing.Any]:
    return {"format": FORMAT, "mirrors": {}, "choices": {}, "private": {},
            "downloads": {}}


class ValidatedStore:
    """A plug-in's IStateStore, seen through :func:`validated`: whatever
    shape it returns (``{}``, an older format, bad entries), the selector
    and the failover get a valid state, and *change* functions a valid
    one to change."""

    def __init__(self, store):
        self.store = store

    def load(self):
        return validated(self.store.load())[0] or empty()

    def update(self, change):
        def valid_change(stored):
            fixed = validated(stored)[0] or empty()
            stored.clear()
            stored.update(fixed)
            change(stored)
        return self.store.update(valid_change)
