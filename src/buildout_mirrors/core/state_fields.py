"""What each record of the state file may hold: name -> check.  Values
are checked one by one, for type and for size: the file is JSON that any
process of the user (or a crash) may have left in any shape."""

import math

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
}


def valid(record, fields, optional=None):
    return isinstance(record, dict) and all(
        name in record and check(record[name])
        for name, check in fields.items()) and all(
        check(record[name]) for name, check in (optional or {}).items()
        if name in record)
