"""Exceptions of buildout_mirrors.

The core raises :class:`ConfigError`; the buildout hooks turn it into a
``zc.buildout.UserError`` so that buildout prints one line, no traceback.
"""


class ConfigError(ValueError):
    """An option has a value the user must fix; the message says how."""
