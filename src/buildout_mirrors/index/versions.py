"""Versions in distribution file names, in PEP 440 order.

packaging does this right, and the package depends on it.  bootstrap.py
runs on the standard library alone (it has no packaging before it has an
environment), so where packaging cannot be imported the common forms are
compared by :func:`_approximate_key`: 1.2.10 > 1.2.9, 2.0rc1 < 2.0 <
2.0.post1.  One process always uses one of the two.
"""

from __future__ import annotations

import re
import typing

try:
    from packaging.utils import (InvalidSdistFilename, InvalidWheelFilename,
                                 parse_sdist_filename, parse_wheel_filename)
    from packaging.version import InvalidVersion, Version
except ImportError:  # bootstrap.py, before any environment exists
    Version = None  # type: ignore[misc, assignment]

_ARCHIVE = re.compile(r"\.(tar\.gz|tar\.bz2|tgz|zip|egg)$")
_PEP440ISH = re.compile(
    r"^v?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?"
    r"(\d*))?(?:[-_.]?(post|rev|r)[-_.]?(\d*))?(?:[-_.]?(dev)[-_.]?(\d*))?")


def key(text: str) -> typing.Any:
    """A sort key for the version *text*; unreadable versions sort first."""
    if Version is None:
        return _approximate_key(text)
    try:
        return Version(text)
    except (InvalidVersion, ValueError):  # ValueError: 5000-digit parts
        return Version("0")


def file_version(name: str) -> str | None:
    """The version in a distribution file name, as text, or None."""
    if Version is None:
        return _approximate_file_version(name)
    try:
        if name.endswith(".whl"):
            return str(parse_wheel_filename(name)[1])
        if name.endswith(".egg"):
            return str(Version(name.split("-")[1]))
        return str(parse_sdist_filename(name)[1])
    except (InvalidWheelFilename, InvalidSdistFilename, InvalidVersion,
            ValueError, IndexError):
        return None


def newest(names: typing.Iterable[str]) -> str | None:
    """The newest version among the file *names*, as text, or None."""
    found = [version for version in map(file_version, names) if version]
    return max(found, key=key) if found else None


UNREADABLE = ((-1,), 0, 0, 0)
MAX_DIGITS = 40  # a longer number in a version is a hostile page's


def _approximate_key(text):
    match = _PEP440ISH.match(text.lower())
    if not match or any(len(number) > MAX_DIGITS for number in
                        re.findall(r"\d+", match.group(0))):
        return UNREADABLE
    release = tuple(int(part) for part in match.group(1).split("."))
    while len(release) > 1 and release[-1] == 0:
        release = release[:-1]
    if match.group(2):
        pre = {"a": 0, "alpha": 0, "b": 1, "beta": 1}.get(match.group(2), 2)
    else:
        pre = -1 if match.group(6) else 3  # a bare .devN comes before all
    return (release, pre, int(match.group(3) or 0) if match.group(2) else 0,
            int(match.group(5) or 0) if match.group(4) else -1)


def _approximate_file_version(name):
    if name.endswith(".whl"):
        parts = name.split("-")
        return parts[1] if len(parts) >= 5 else None
    stem = _ARCHIVE.sub("", name)
    if name.endswith(".egg"):
        parts = stem.split("-")
        return parts[1] if len(parts) > 1 else None
    return stem.rsplit("-", 1)[1] if "-" in stem else None
