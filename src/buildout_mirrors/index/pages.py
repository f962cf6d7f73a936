"""Read a PEP 503 / PEP 691 project page: its files and its serial.

Serials are PyPI's change counters.  pypi.org and devpi's PyPI mirrors send
``X-PyPI-Last-Serial``; bandersnatch ends its HTML pages with
``<!--SERIAL n-->``; PEP 691 JSON pages carry ``meta._last-serial``.
On a project page all three are that project's serial, so two mirrors'
values are directly comparable.  devpi's own ``X-Devpi-Serial`` counts
devpi's database and is not.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import json
import posixpath
import re
import typing
import urllib.parse

from buildout_mirrors.index import versions

JSON_CONTENT_TYPE = "application/vnd.pypi.simple.v1+json"
ACCEPT = "%s, text/html;q=0.2, */*;q=0.1" % JSON_CONTENT_TYPE
DIST_SUFFIXES = (".whl", ".tar.gz", ".zip", ".tar.bz2", ".tgz", ".egg")
DIST_SUFFIXES_RE = re.compile(r"\.(whl|tar\.gz|zip|tar\.bz2|tgz|egg)$", re.I)

# The HTML is scanned, not matched: every search starts where the last one
# ended, so a hostile page (thousands of unclosed anchors) costs time in
# proportion to its size, never to its size squared.
_ANCHOR_START = re.compile(r"<a[\s/]", re.IGNORECASE)
_HREF = re.compile(r"""href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""",
                   re.IGNORECASE)
_SERIAL_COMMENT = re.compile(r"<!--\s*SERIAL\s+([0-9]{1,20})\s*-->")
_TAG = re.compile(r"<[^<>]*>")
_SERIAL_TEXT = re.compile(r"\s*([0-9]{1,20})\s*\Z")


MAX_FILE_NAME = 255  # bytes: a longer name cannot be saved (ENAMETOOLONG)


class PageError(ValueError):
    """The page is not a simple-index project page."""


@dataclasses.dataclass(frozen=True)
class ProjectPage:
    files: dict          # file name -> absolute URL (with hash fragment)
    serial: object = None  # int, or None when the mirror gives none
    devpi: tuple = ()  # (its primary's uuid, its serial) from devpi-server


def normalize_project(name: str) -> str:
    """PEP 503 normalisation: ``zc.buildout`` -> ``zc-buildout``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def project_url(index_url: str, project: str) -> str:
    return "%s/%s/" % (index_url.rstrip("/"), normalize_project(project))


def newest_version(files: typing.Iterable[str]) -> str | None:
    """The newest release among *files* (file names), as a string, or
    None.  PEP 440 order: 6.0.10 is newer than 6.0.9."""
    return versions.newest(files)


def file_name(url: str) -> str:
    """The distribution file name at the end of *url*."""
    path = urllib.parse.urlsplit(url).path
    return urllib.parse.unquote(posixpath.basename(path))


def project_of(name: str) -> str:
    """The project a distribution file belongs to, from its name."""
    if name.endswith(".whl"):
        return name.split("-")[0]
    stem = re.sub(r"\.(tar\.gz|tar\.bz2|tgz|zip|egg)$", "", name)
    return stem.rsplit("-", 1)[0]


def fragment_hashes(url: str) -> dict[str, str]:
    """{algorithm: hex digest} from a link's ``#sha256=...`` fragment."""
    fragment = urllib.parse.urlsplit(url).fragment
    result = {}
    for part in fragment.split("&"):
        algorithm, _, digest = part.partition("=")
        if algorithm in hashlib.algorithms_guaranteed and digest:
            result[algorithm] = digest.lower()
    return result


def is_safe_file_name(name: str) -> bool:
    """A distribution file name that is one path segment a file system
    can hold: a mirror page must not be able to name ``../../x``, an
    absolute path, or 330 characters."""
    return bool(name) and len(name.encode("utf-8", "replace")) <= \
        MAX_FILE_NAME and name == name.strip() and "/" not in name and \
        "\\" not in name and name not in (".", "..") and \
        not name.startswith(".") and "\x00" not in name and \
        DIST_SUFFIXES_RE.search(name) is not None


def header_serial(headers: typing.Any) -> int | None:
    return as_serial(headers.get("X-PyPI-Last-Serial"))


def parse(body: bytes, content_type: str | None, page_url: str,
          headers: typing.Any = None) -> ProjectPage:
    """The :class:`ProjectPage` in *body* (bytes), or PageError."""
    headers = headers or {}
    text = body.decode("utf-8", errors="replace")
    if JSON_CONTENT_TYPE in (content_type or ""):
        files, serial = _parse_json(text, page_url)
    else:
        files, serial = _parse_html(text, page_url)
    header = header_serial(headers)
    return ProjectPage(files=files, serial=header if header is not None
                       else serial, devpi=devpi_position(headers))


_UUID = re.compile(r"[0-9a-f]{32}\Z")


def devpi_position(headers: typing.Any) -> tuple:
    """devpi-server sends on every answer its serial and the uuid of its
    primary (its own, on a primary): the members of one replica set count
    the same serials, so they compare.  () from anything else, and from a
    replica that has not reached its primary yet (empty uuid)."""
    primary = (headers.get("X-Devpi-Primary-Uuid") or "").strip().lower()
    serial = as_serial(headers.get("X-Devpi-Serial"))
    if serial is None or not _UUID.match(primary):
        return ()
    return (primary, serial)


def _parse_json(text, page_url):
    try:
        data = json.loads(text)
        entries = data["files"]
        files = {entry["filename"]: _with_hashes(
            urllib.parse.urljoin(page_url, entry["url"]), entry.get("hashes"))
            for entry in entries if is_safe_file_name(entry["filename"])}
    except (ValueError, KeyError, TypeError, AttributeError,
            RecursionError):  # "[" * 100000 is valid JSON's worst case
        raise PageError("invalid PEP 691 JSON page") from None
    serial = data.get("meta", {}).get("_last-serial") if isinstance(
        data.get("meta"), dict) else None
    return files, as_serial(serial)


def as_serial(value: object) -> int | None:
    """An int serial from an int or a string of digits (some servers and
    gateways send ``"_last-serial": "42859575"``), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        # ASCII digits only: "²".isdigit() is True and int("²") fails.
        match = _SERIAL_TEXT.match(value)
        return int(match.group(1)) if match else None
    return None


def _with_hashes(url, hashes):
    if hashes and "#" not in url and isinstance(hashes, dict):
        name, value = sorted(hashes.items())[0]
        url = "%s#%s=%s" % (url, name, value)
    return url


def _parse_html(text, page_url):
    if "<" not in text:
        raise PageError("not an HTML page")
    files = {}
    for href, label in anchors(text):
        try:
            url = urllib.parse.urljoin(page_url, html.unescape(href))
            name = html.unescape(_TAG.sub("", label)).strip()
            if not is_safe_file_name(name):  # the link's own last segment
                name = urllib.parse.unquote(
                    urllib.parse.urlsplit(url).path.rsplit("/", 1)[-1])
        except ValueError:  # href="http://[x/..." and the like: skipped
            continue
        if is_safe_file_name(name):
            files[name] = url
    match = _SERIAL_COMMENT.search(text)
    return files, int(match.group(1)) if match else None


def anchors(text: str) -> typing.Iterator[tuple[str, str]]:
    """(href, label) of each ``<a href=...>label</a>`` of *text*, in one
    pass.  A label is the text up to the next tag; an anchor with no
    closing ``>`` ends the scan."""
    position, size = 0, len(text)
    while position < size:
        start = _ANCHOR_START.search(text, position)
        if start is None:
            return
        end = text.find(">", start.end())
        if end < 0:
            return
        attributes = text[start.end():end]
        # The label runs to the next tag: a search that stops at the first
        # "<" can never rescan the rest of the page.
        label_end = text.find("<", end + 1)
        if label_end < 0:
            label_end = size
        position = label_end
        found = _HREF.search(attributes)
        if found is not None:
            href = next(group for group in found.groups() if group is not None)
            yield href, text[end + 1:label_end]


def lists_projects(text: str, root_url: str) -> bool:
    """True when *text*, the page at *root_url*, reads as a simple index's
    root: a PEP 691 ``projects`` list, or a link to a page right beneath
    the root whose label names it (``<a href="acme-tools/">acme.tools</a>``)
    -- not a server's home page, which links its ``simple`` index."""
    try:
        data = json.loads(text)
        return isinstance(data, dict) and isinstance(data.get("projects"),
                                                     list)
    except (ValueError, RecursionError):
        pass
    root = root_url.rstrip("/") + "/"
    for href, label in anchors(text):
        try:
            target = urllib.parse.urljoin(root, html.unescape(href))
        except ValueError:
            continue
        target = target.split("#", 1)[0].split("?", 1)[0]
        segment = target[len(root):].rstrip("/")
        if target.startswith(root) and segment and "/" not in segment and \
                segment not in ("simple", "+simple", "packages") and \
                normalize_project(segment) == normalize_project(
                    label.strip()):
            return True
    return False
