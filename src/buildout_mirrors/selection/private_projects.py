"""Which projects belong to a company's (authoritative) index.

uv's ``first-index`` rule, kept across runs: a project that a private
index served is taken from it only, never from a public mirror, whatever
versions the mirror lists (dependency confusion).  A private index is one
named in ``mirrors-private``, or one listed in ``mirrors`` that answers
but carries no zc.buildout (a curated index, not a mirror of PyPI).  Its
projects are learned from what it served, remembered in the state file
(so that it protects them on a later run while it is down), and may be
declared, names or globs, in ``mirrors-private-projects`` for the first
run on a new machine.
"""

from __future__ import annotations

import fnmatch
import threading
import typing

from buildout_mirrors.index import pages, urls

if typing.TYPE_CHECKING:
    from buildout_mirrors.selection.result import ProbeResult


class PrivateProjects:
    """``PrivateProjects(indexes, declared=(), learned=None)``: *indexes*
    are URLs (credentials kept), *declared* names or globs, *learned*
    ``{index label: names}`` from the state file."""

    def __init__(self, indexes, declared=(), learned=None):
        self.indexes = tuple(indexes)
        self.declared = tuple(pages.normalize_project(pattern)
                              for pattern in declared)
        by_label = {urls.redact(index): index for index in self.indexes}
        self.learned: dict[str, set[str]] = {
            index: set() for index in self.indexes}
        for label, names in (learned or {}).items():
            if label in by_label:
                self.learned[by_label[label]].update(names)
        self.down = {}        # index -> why it failed in this run
        self.not_there = set()  # (index, project) answered 404 in this run
        self._files = set()   # file URLs that private pages listed
        self._lock = threading.Lock()

    def __bool__(self):
        return bool(self.indexes or self.declared)

    def owners(self, project: str) -> tuple[str, ...] | None:
        """The private indexes *project* must come from, or None when it
        is not known private: the one that served it before, else all of
        them (maybe none) when a declared pattern matches it."""
        name = pages.normalize_project(project)
        with self._lock:
            learned = [index for index in self.indexes
                       if name in self.learned[index]]
        if learned:
            return tuple(learned)
        if any(fnmatch.fnmatchcase(name, pattern)
               for pattern in self.declared):
            return self.indexes
        return None

    def to_ask(self, project: str) -> tuple[str, ...]:
        """Private indexes to ask first for a project not known private:
        those not down and not already found without it in this run."""
        name = pages.normalize_project(project)
        with self._lock:
            return tuple(index for index in self.indexes
                         if index not in self.down
                         and (index, name) not in self.not_there)

    def served(self, index: str, project: str) -> bool:
        """*index* served *project*: it is private from now on.  True
        when this is news (the state file should learn it)."""
        name = pages.normalize_project(project)
        with self._lock:
            news = name not in self.learned[index]
            self.learned[index].add(name)
            return news

    def missing(self, index: str, project: str) -> None:
        with self._lock:
            self.not_there.add((index, pages.normalize_project(project)))

    def failed(self, index: str, reason: str) -> bool:
        """*index* did not answer: True the first time in this run."""
        with self._lock:
            first = index not in self.down
            self.down.setdefault(index, reason)
            return first

    def listed(self, file_urls: typing.Iterable[str]) -> None:
        """A private page listed these files: they come from there only
        (by URL, not by host: one devpi-server may hold a company index
        and a PyPI mirror side by side)."""
        with self._lock:
            self._files.update(_plain(url) for url in file_urls)

    def owns_file(self, url: str) -> bool:
        with self._lock:
            return _plain(url) in self._files

    def names(self, index: str) -> list[str]:
        with self._lock:
            return sorted(self.learned.get(index, ()))


def _plain(url):
    return urls.without_auth(url.split("#", 1)[0])


def for_run(settings: typing.Any, results: typing.Iterable[ProbeResult],
            known: typing.Mapping[str, list[str]]) -> PrivateProjects | None:
    """The PrivateProjects of one run: ``mirrors-private``, the candidates
    the probe found curated (*results*), and the candidates an earlier
    run found curated, unless this run's probe found them a mirror
    after all.  *known* is ``{index label: names}`` from the state."""
    probed_ok = {result.url for result in results if result.ok}
    indexes = list(settings.private)
    for url in [result.url for result in results if result.curated] + [
            url for url in settings.candidates
            if urls.redact(url) in known and url not in probed_ok]:
        if url not in indexes:
            indexes.append(url)
    return PrivateProjects(indexes, settings.private_projects, known)
