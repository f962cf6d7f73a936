"""Exceptions of buildout_mirrors.

The selection raises :class:`ConfigError`; the buildout hooks turn it into a
``zc.buildout.UserError`` so that buildout prints one line, no traceback.
"""


class ConfigError(ValueError):
    """An option has a value the user must fix; the message says how."""


# The one way out when no listed mirror works, named in every such message.
OVERRIDE_HINT = ("Name a reachable mirror in the BUILDOUT_MIRRORS environment "
                 "variable or the mirrors option.")


class FetchError(Exception):
    """This URL could not be fetched; the message says why, with no URL
    in it (so no credentials).  ``slow`` is True when the server was only
    slow to start answering, which is no verdict on its health.  ``kind``
    says which bound ran out, for code that decides by it (the message is
    for people): ``timeout`` (connecting), ``silent`` (the first byte),
    ``stall`` (the next byte), or ``failed``."""

    def __init__(self, reason, slow=False, kind="failed"):
        super().__init__(reason)
        self.slow, self.kind = slow, kind
