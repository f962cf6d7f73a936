"""How bootstrap.py talks: one ``bootstrap:`` line at a time, and one
error a user can act on, never a traceback."""


class BootstrapError(Exception):
    """Something the user can fix; printed as one line, no traceback."""


def say(message):
    print("bootstrap: " + message, flush=True)
