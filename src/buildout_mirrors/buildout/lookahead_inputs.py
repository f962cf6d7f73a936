"""What the look-ahead (failover.lookahead) needs to know of a buildout:
the versions it pins, and whether a project is there already (then
buildout downloads nothing for it).  Both are read lazily: a rerun that
downloads nothing pays for neither."""

import importlib.metadata
import os

from buildout_mirrors.index.pages import normalize_project
from buildout_mirrors.store import state


def pins(buildout):
    """{project: version} of ``[versions]`` (or the section ``versions``
    names), as written: index.pinned_file skips what is no version."""
    section = buildout["buildout"].get("versions", "versions")
    try:
        return {name: value.strip() for name, value in
                dict(buildout[section]).items() if value.strip()}
    except KeyError:
        return {}


class Installed:
    """``Installed(buildout)(project, version)``: True when buildout finds
    *project* at *version* without downloading it: an egg in
    eggs-directory, a develop egg, or a distribution beside zc.buildout
    itself (its own environment is on the path of every working set)."""

    def __init__(self, buildout):
        section = buildout["buildout"]
        self.eggs_directory = section.get("eggs-directory", "")
        self.develop_directory = section.get("develop-eggs-directory", "")
        self._eggs = None

    def __call__(self, project, version):
        if self._eggs is None:
            self._eggs = self._read()
        key = normalize_project(project)
        if key in self._eggs["develop"] or \
                (key, _plain(version)) in self._eggs["eggs"]:
            return True
        try:
            return _plain(importlib.metadata.version(project)) == \
                _plain(version)
        except (importlib.metadata.PackageNotFoundError, ValueError,
                TypeError):
            return False

    def _read(self):
        eggs, develop = set(), set()
        for entry in _listing(self.eggs_directory):
            if entry.endswith(".egg") and entry.count("-") >= 2:
                name, version = entry.split("-")[:2]
                eggs.add((normalize_project(name), _plain(version)))
        for entry in _listing(self.develop_directory):
            if entry.endswith((".egg-link", ".egg")):
                develop.add(normalize_project(
                    entry.split("-")[0].rsplit(".egg", 1)[0]))
        return {"eggs": eggs, "develop": develop}


def _plain(version):
    """A version to compare by text: egg names write ``-`` as ``_``."""
    return (version or "").strip().lower().replace("_", "-")


def _listing(directory):
    try:
        return os.listdir(directory) if directory else []
    except OSError:
        return []


class Inputs:
    """``Inputs(buildout, stored)``: ``pins``, ``have``, ``place`` (the
    buildout's directory, under which the state remembers downloads) and
    ``missing``: what it downloaded before, pinned, and not there now."""

    def __init__(self, buildout, stored):
        self.pins = pins(buildout)
        self.have = Installed(buildout)
        self.place = buildout["buildout"].get("directory", "")
        self.stored = stored

    def missing(self):
        remembered = state.downloads(self.stored, self.place)
        if not remembered:  # a first run: no pins to normalise
            return []
        pinned = {normalize_project(name): version
                  for name, version in self.pins.items()}
        return [name for name in remembered
                if name in pinned and not self.have(name, pinned[name])]
