"""Exceptions of buildout_mirrors.

The core raises :class:`ConfigError`; the buildout hooks turn it into a
``zc.buildout.UserError`` so that buildout prints one line, no traceback.
"""


class ConfigError(ValueError):
    """An option has a value the user must fix; the message says how."""


# The one way out when no listed mirror works, named in every such message.
OVERRIDE_HINT = ("Name a reachable mirror in the BUILDOUT_MIRRORS environment "
                 "variable or the mirrors option.")
