"""The wheelhouse as a directory: fetch the missing files (hashes
checked, names that stay one path segment) and write the PEP 503 pages
that pip and zc.buildout read from it."""

import hashlib
import html
import logging
import os
import re

import zc.buildout
from packaging.tags import sys_tags
from packaging.utils import (InvalidSdistFilename, InvalidWheelFilename,
                             canonicalize_version, parse_sdist_filename,
                             parse_wheel_filename)

from buildout_mirrors.index import (connection, index_client, pages,
                                    transport, urls)
from buildout_mirrors.store.files import atomic_write

logger = logging.getLogger("buildout_mirrors")
# A wheelhouse is filled once, with no hurry: zc.buildout's own patience.
PATIENCE = transport.Limits(first_byte=15.0, stall=15.0)


class Wheelhouse:
    """``Wheelhouse(directory, verify=True)``: a PEP 503 directory of
    distributions; *verify* is a CA bundle path or True."""

    def __init__(self, directory, verify=True):
        self.directory, self.verify = directory, verify

    def collect(self, distributions, sources):
        """Fetch the files of each (project, version) not present yet from
        the first of *sources* (index URLs, then find-links) that has
        them; rewrite the index pages."""
        os.makedirs(self.directory, exist_ok=True)
        local = "file://" + os.path.abspath(self.directory)
        sources = [source for source in sources
                   if source.rstrip("/") != local]
        added = 0
        for project, version in sorted(distributions.items()):
            if self.has(project, version):
                continue
            files = self._find(project, version, sources)
            if not files:
                logger.warning(
                    "Wheelhouse: no file of %s %s on %s (a develop egg?); "
                    "not collected.", project, version,
                    ", ".join(urls.redact(source) for source in sources))
                continue
            for name, url in files.items():
                self._download(project, name, url)
                added += 1
        self.write_indexes()
        logger.info("Wheelhouse %s: %d distribution(s), %d file(s) added.",
                    self.directory, len(distributions), added)

    def has(self, project, version):
        folder = os.path.join(self.directory, project)
        if not os.path.isdir(folder):
            return False
        return any(file_version(name) == canonicalize_version(version)
                   for name in os.listdir(folder))

    def _find(self, project, version, sources):
        for source in sources:
            try:
                page = read_page(source, project, self.verify)
            except Exception as error:  # try the next source
                logger.debug("Wheelhouse: %s on %s: %s", project,
                             urls.redact(source), error)
                continue
            files = pick_files(page.files, version)
            if files:
                return files
        return {}

    def _download(self, project, name, url):
        """Fetch *url* into ``project/name``: only a safe one-segment
        name, only after its hash matched, never half a file."""
        if not pages.is_safe_file_name(name):
            raise zc.buildout.UserError(
                "Wheelhouse: %r from %s is not a plain distribution file "
                "name; refused" % (name, urls.redact(url.split("#")[0])))
        plain, _, fragment = url.partition("#")
        try:
            response = transport.get(plain, "*/*", PATIENCE,
                                     connection.ssl_context(self.verify))
        except transport.FetchError as error:
            raise zc.buildout.UserError("Wheelhouse: cannot fetch %s from %s"
                                        " (%s)" % (name, urls.redact(plain),
                                                   error)) from None
        with response.body:
            if response.status != 200:
                raise zc.buildout.UserError(
                    "Wheelhouse: cannot fetch %s from %s (HTTP %d)"
                    % (name, urls.redact(plain), response.status))
            expected = pages.fragment_hashes(url)
            try:
                index_client.check_hashes(response.body, expected)
            except transport.FetchError:
                raise zc.buildout.UserError(
                    "%s from %s does not match its %s hash; not added to "
                    "the wheelhouse" % (name, urls.redact(plain),
                                        min(expected))) from None
            content = response.body.read()
        folder = os.path.join(self.directory, pages.normalize_project(project))
        os.makedirs(folder, exist_ok=True)
        atomic_write(os.path.join(folder, name), content)

    def write_indexes(self):
        """``index.html`` for the root and each project, as pip wants for
        a ``file:`` index."""
        projects = sorted(
            name for name in os.listdir(self.directory)
            if os.path.isdir(os.path.join(self.directory, name))
            and not os.path.islink(os.path.join(self.directory, name)))
        for project in projects:
            folder = os.path.join(self.directory, project)
            links = []
            for name in sorted(os.listdir(folder)):
                if not name.lower().endswith(pages.DIST_SUFFIXES):
                    continue
                self._alias(project, name)
                with open(os.path.join(folder, name), "rb") as stream:
                    digest = hashlib.sha256(stream.read()).hexdigest()
                links.append('<a href="%s#sha256=%s">%s</a><br>' % (
                    html.escape(name), digest, html.escape(name)))
            atomic_write(os.path.join(folder, "index.html"), page(links))
        atomic_write(os.path.join(self.directory, "index.html"), page(
            ['<a href="%s/">%s</a><br>' % (project, project)
             for project in projects]))


    def _alias(self, project, file_name):
        """setuptools before 71 (zc.buildout 3, Plone 6.0) asks a ``file:``
        index for a project as its requirement spells it
        (``zc.recipe.egg/``), not normalised: link that spelling, as the
        project's files give it, to the project's folder."""
        if file_name.endswith((".whl", ".egg")):  # "-" escaped in names
            spelled = file_name.split("-", 1)[0]
        else:  # name-version.tar.gz: the version has no "-"
            spelled = file_name.rpartition("-")[0]
        for alias in {spelled, spelled.replace("_", "."),
                      spelled.replace("_", "-")} - {project}:
            path = os.path.join(self.directory, alias)
            if SPELLING.match(alias) and not os.path.lexists(path):
                try:
                    os.symlink(project, path)
                except OSError:  # no symbolic links here (Windows)
                    return


SPELLING = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")


def page(links):
    return ("<!DOCTYPE html>\n<html><body>\n%s\n</body></html>\n"
            % "\n".join(links))


def read_page(source, project, verify=True):
    """The project page of an index URL, or a find-links page."""
    if source.startswith("file:") or "://" not in source:
        from buildout_mirrors.selection.probe import read_local_project
        return read_local_project(source if "://" in source
                                  else "file://" + os.path.abspath(source),
                                  project)
    return index_client.read_project(source, project, PATIENCE,
                                     connection.ssl_context(verify))


def file_version(name):
    try:
        if name.endswith(".whl"):
            return canonicalize_version(parse_wheel_filename(name)[1])
        return canonicalize_version(parse_sdist_filename(name)[1])
    except (InvalidWheelFilename, InvalidSdistFilename, ValueError):
        return None


def pick_files(files, version):
    """The wheels of *version* this interpreter can install; the sdist
    when there is none."""
    wanted = canonicalize_version(version)
    supported = set(sys_tags())
    wheels, sdists = {}, {}
    for name, url in files.items():
        if file_version(name) != wanted:
            continue
        if name.endswith(".whl"):
            if supported & set(parse_wheel_filename(name)[3]):
                wheels[name] = url
        else:
            sdists[name] = url
    return wheels or dict(sorted(sdists.items())[:1])
