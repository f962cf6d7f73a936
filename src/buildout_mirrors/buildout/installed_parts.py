"""What the installed parts were built with, read from ``.installed.cfg``.

zc.recipe.egg records the ``index`` in each part it installs, and
zc.buildout reinstalls a part whose options changed: uninstalls first,
then downloads.  When no listed mirror answers, switching the index would
destroy working parts with nothing to rebuild them from; the extension
reads here which index they were built with before it decides.
"""

import configparser
import re


def read(installed_path):
    """{part: (index, the project names of its eggs)} of the installed
    parts that recorded an index; {} without a readable .installed.cfg."""
    if not installed_path:
        return {}
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    # Option names as zc.buildout writes them.
    parser.optionxform = str  # type: ignore[assignment, method-assign]
    try:
        parser.read(installed_path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError, OSError):
        return {}
    return {part: (parser.get(part, "index").strip().rstrip("/"),
                   project_names(parser.get(part, "eggs", fallback="")))
            for part in parser.sections()
            if part != "buildout" and parser.has_option(part, "index")}


def project_names(eggs):
    """The project names an ``eggs`` option asks for, normalised."""
    return {re.sub(r"[-_.]+", "-", re.split(r"[\[<>=!~;( ]", line.strip(),
                                              maxsplit=1)[0]).lower()
            for line in eggs.splitlines() if line.strip()}
