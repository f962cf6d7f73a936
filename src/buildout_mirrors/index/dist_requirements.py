"""What a distribution file needs: its requirements, read from the file
itself (a wheel's ``METADATA``; an sdist's ``PKG-INFO`` or its
``*.egg-info/requires.txt``), with their environment markers evaluated
for this interpreter, as pkg_resources does for zc.buildout.

Only the look-ahead (failover.lookahead) asks, and only to guess what
buildout will ask next: a file it cannot read needs nothing.  Members are
read up to ``MAX_METADATA`` bytes, so a hostile archive costs no more.

``packaging`` is imported when first needed, from wherever the running
buildout has it (itself, pip's or setuptools' copy): the index client
imports on the standard library alone (bootstrap.py carries it).
"""

from __future__ import annotations

import email.parser
import io
import tarfile
import types
import typing
import zipfile

MAX_METADATA = 1024 * 1024
MAX_MEMBERS = 5000  # an sdist's files looked at for its metadata


def packaging(module: str) -> types.ModuleType:
    """``packaging.<module>``, from the first place that has it."""
    import importlib
    for prefix in ("", "pip._vendor.", "setuptools._vendor."):
        try:
            return importlib.import_module(prefix + "packaging." + module)
        except ImportError:
            continue
    raise ImportError("packaging." + module)


def requirements(fileobj: typing.IO[bytes], filename: str) -> list[str]:
    """The names (as written) this distribution requires here, extras
    left out; [] for a file that cannot be read."""
    try:
        lines = _requirement_lines(fileobj, filename)
        return _applicable(lines)
    except Exception:  # any archive, any metadata: a guess, never an error
        return []
    finally:
        fileobj.seek(0)


def _requirement_lines(fileobj, filename):
    if filename.endswith(".whl"):
        with zipfile.ZipFile(fileobj) as archive:
            member = next(name for name in archive.namelist()
                          if name.count("/") == 1 and
                          name.endswith(".dist-info/METADATA"))
            return _requires_dist(_read_zip(archive, member))
    if filename.endswith(".zip"):
        with zipfile.ZipFile(fileobj) as archive:
            names = archive.namelist()[:MAX_MEMBERS]
            return _from_sdist(names, lambda name: _read_zip(archive, name))
    with tarfile.open(fileobj=fileobj, mode="r:*") as archive:
        members: dict[str, tarfile.TarInfo] = {}
        for number, info in enumerate(archive):
            if number >= MAX_MEMBERS:
                break
            if info.isfile() and info.size <= MAX_METADATA:
                members[info.name] = info
        return _from_sdist(list(members), lambda name: _read_tar(
            archive, members[name]))


def _read_tar(archive: tarfile.TarFile, info: tarfile.TarInfo) -> bytes:
    stream = archive.extractfile(info)
    return stream.read() if stream is not None else b""


def _read_zip(archive, name):
    if archive.getinfo(name).file_size > MAX_METADATA:
        raise ValueError("metadata too large")
    return archive.read(name)


def _from_sdist(names, read):
    """PKG-INFO's Requires-Dist (metadata 2.2 and later sdists), else the
    egg-info's requires.txt (what setuptools wrote before)."""
    info = [name for name in names if name.count("/") == 1 and
            name.endswith("/PKG-INFO")]
    if info:
        found = _requires_dist(read(info[0]))
        if found:
            return found
    requires = [name for name in names if name.count("/") == 2 and
                name.endswith(".egg-info/requires.txt")]
    return _requires_txt(read(requires[0])) if requires else []


def _requires_dist(data: bytes) -> list[str]:
    message = email.parser.Parser().parsestr(
        data.decode("utf-8", "replace"), headersonly=True)
    return message.get_all("Requires-Dist") or []


def _requires_txt(data: bytes) -> list[str]:
    """requires.txt's lines as Requires-Dist lines: ``[:marker]`` sections
    carry a marker, ``[extra]`` sections are extras (left out)."""
    lines, marker = [], None
    for line in io.StringIO(data.decode("utf-8", "replace")):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            marker = section[1:] if section.startswith(":") else (
                "extra" if section else None)
            continue
        if marker == "extra":
            continue
        lines.append(line + ("; " + marker if marker else ""))
    return lines


def _applicable(lines: list[str]) -> list[str]:
    requirement_class = packaging("requirements").Requirement
    names = []
    for line in lines:
        try:
            requirement = requirement_class(line)
        except Exception:
            continue
        if requirement.marker is None or requirement.marker.evaluate(
                {"extra": ""}):
            names.append(requirement.name)
    return names
