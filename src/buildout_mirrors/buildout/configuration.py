"""A buildout configuration's options, read by zc.buildout itself, for
the ``buildout-mirrors`` command (so ``extends``, ``+=`` and ``${...}``
mean what they mean to bin/buildout)."""

import contextlib
import logging
import os
import sys
import tempfile

import zc.buildout
import zc.buildout.buildout

from buildout_mirrors.selection import option_names
from buildout_mirrors.index.errors import ConfigError


def read_buildout_section(config):
    """The ``[buildout]`` options of *config*, read by zc.buildout itself.

    Constructing a Buildout creates its eggs directory and logs to stdout:
    here the eggs directory is a temporary one, and the log goes to stderr
    so that ``--json`` output stays clean."""
    cwd, root = os.getcwd(), logging.getLogger()
    handlers = list(root.handlers)
    try:
        with tempfile.TemporaryDirectory() as eggs, \
                contextlib.redirect_stdout(sys.stderr):
            buildout = zc.buildout.buildout.Buildout(
                os.path.abspath(config), [
                    ("buildout", "offline", "true"),
                    ("buildout", "eggs-directory", eggs),
                    ("buildout", "log-level", "WARNING")])
            section = buildout["buildout"]
            return option_names.raw_options(section), section["directory"]
    except zc.buildout.UserError as error:
        raise ConfigError(str(error)) from None
    finally:
        os.chdir(cwd)
        root.handlers[:] = handlers
