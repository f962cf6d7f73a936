"""What the installed parts were built with, read from ``.installed.cfg``.

zc.recipe.egg records the ``index`` in each part it installs, and
zc.buildout reinstalls a part whose options changed: uninstalls first,
then downloads.  When no listed mirror answers, switching the index would
destroy working parts with nothing to rebuild them from; the extension
reads here which index they were built with before it decides.
"""

import configparser


def indexes(installed_path):
    """{part: index} of the installed parts that recorded one; {} when
    there is no readable ``.installed.cfg``."""
    if not installed_path:
        return {}
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # option names as zc.buildout writes them
    try:
        parser.read(installed_path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError, OSError):
        return {}
    return {part: parser.get(part, "index").strip().rstrip("/")
            for part in parser.sections()
            if part != "buildout" and parser.has_option(part, "index")}
