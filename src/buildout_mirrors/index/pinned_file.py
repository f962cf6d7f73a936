"""Which file of a project page zc.buildout will download for a pinned
version, so that the look-ahead fetches that one and no other.

zc.buildout (``easy_install.Installer._obtain``) keeps the distributions
of the best version that setuptools' package index found on the page,
then takes the last of them in pkg_resources' order: by precedence (a
wheel, then an egg, then an sdist) and then by location, the link's URL.
setuptools lists a wheel only when one of its tags is supported here.
An ``.egg`` on the page makes the guess unsure: nothing is picked.
"""

from __future__ import annotations


from buildout_mirrors.index.dist_requirements import packaging
from buildout_mirrors.index.pages import DIST_SUFFIXES

# The index's one list of distribution suffixes, less wheels and eggs.
SDIST_SUFFIXES = tuple(suffix for suffix in DIST_SUFFIXES
                       if suffix not in (".whl", ".egg"))
WHEEL, SDIST = 4, 1  # pkg_resources: EGG_DIST + 1 for wheels, SOURCE_DIST


def pick(files: dict[str, str], project: str, version: str) -> str | None:
    """The URL of *files* ({file name: URL}) that buildout downloads for
    *project* at *version*, or None when it cannot be told."""
    utils = packaging("utils")
    wanted_name = utils.canonicalize_name(project)
    try:
        wanted = packaging("version").Version(version)
    except ValueError:  # a pin that is no version: buildout's to judge
        return None
    supported = _supported_tags()
    found = []
    for name, url in files.items():
        lowered = name.lower()
        try:
            if lowered.endswith(".whl"):
                parsed = utils.parse_wheel_filename(name)
                if supported.isdisjoint(parsed[3]):
                    continue
                project_name, found_version, precedence = \
                    parsed[0], parsed[1], WHEEL
            elif lowered.endswith(SDIST_SUFFIXES):
                stem = name[:-len(next(suffix for suffix in SDIST_SUFFIXES
                                       if lowered.endswith(suffix)))]
                project_name, text = stem.rsplit("-", 1)
                found_version, precedence = packaging("version").Version(
                    text), SDIST
            elif lowered.endswith(".egg"):
                if utils.canonicalize_name(name.split("-")[0]) == \
                        wanted_name:
                    return None
                continue
            else:
                continue
        except (ValueError, TypeError, StopIteration):  # not a dist name
            continue
        if utils.canonicalize_name(project_name) == wanted_name and \
                found_version == wanted:
            found.append((precedence, url))
    return max(found)[1] if found else None


_TAGS: list[frozenset] = []


def _supported_tags() -> frozenset:
    if not _TAGS:
        _TAGS.append(frozenset(packaging("tags").sys_tags()))
    return _TAGS[0]
