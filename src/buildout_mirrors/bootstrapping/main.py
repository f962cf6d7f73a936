"""bootstrap.py's command: choose a mirror as the extension does, make the
buildout's environment from it alone, and write bin/buildout.

The choice is the extension's own (selection.options, selection.selector,
the state file), so the first bin/buildout reuses it instead of probing again.
"""

import argparse
import os
import sys
import tempfile

from buildout_mirrors.bootstrapping import config, guarded, install
from buildout_mirrors.bootstrapping.console import BootstrapError, say, \
    set_quiet
from buildout_mirrors.bootstrapping.environment import Environment
from buildout_mirrors.selection import (candidates, option_names, options,
                                        ranking)
from buildout_mirrors.index import urls, versions
from buildout_mirrors.index.errors import ConfigError
from buildout_mirrors.selection.selector import MirrorSelector
from buildout_mirrors.store.state import NoState


def parser():
    parser = argparse.ArgumentParser(
        description="Bootstrap zc.buildout from a live package index mirror.")
    parser.add_argument("-c", "--config", default="buildout.cfg",
                        help="the buildout configuration (buildout.cfg)")
    parser.add_argument("--mirror", action="append", default=[],
                        metavar="URL", help="a candidate simple-index URL, "
                        "in order of preference (repeatable)")
    parser.add_argument("--find-links", action="append", default=[],
                        metavar="PATH_OR_URL", help="a directory or page of "
                        "distributions (repeatable)")
    parser.add_argument("--timeout", type=float, default=None,
                        help="deadline for choosing a mirror, in seconds")
    parser.add_argument("--buildout-version", help="zc.buildout version")
    parser.add_argument("--setuptools-version", help="setuptools version")
    parser.add_argument("--venv", default=".venv", help="the virtual "
                        "environment to create, relative to the buildout "
                        "(.venv)")
    parser.add_argument("--unpack", metavar="DIR", help="write out the "
                        "modules bootstrap.py runs (it carries them as "
                        "plain text), to be read, and stop")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="no progress lines: errors, warnings and the "
                        "last line only")
    return parser


def main(argv=None):
    args = parser().parse_args(argv)
    set_quiet(args.quiet)
    try:
        bootstrap(args)
    except (BootstrapError, ConfigError) as error:
        print("bootstrap: error: %s" % error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


def bootstrap(args):
    check_python(None)
    path = os.path.abspath(args.config)
    buildout, pins, directory = config.read_config(path)
    check_python(args.buildout_version or pins.get("zc-buildout", ""))
    settings = read_settings(args, buildout, directory)
    for warning in settings.warnings:
        say(warning)
    selector = MirrorSelector(settings, state=NoState() if args.mirror
                              else None)  # --mirror is not the config's list
    selection = selector.select(fresh=True)
    ca_bundle = settings.verify if isinstance(settings.verify, str) else None
    with tempfile.TemporaryDirectory() as scratch, \
            guarded.pip_index(selection, settings) as (index, pip_environ):
        index_args = index_arguments(selection, directory, index)
        environment = Environment(os.path.join(directory, args.venv), scratch,
                                  ca_bundle=ca_bundle,
                                  pip_environ=pip_environ)
        pip_args = ["--isolated", "--disable-pip-version-check"] + [
            environment.pip_url(arg) for arg in index_args] + (
            ["--cert", ca_bundle] if ca_bundle else [])
        python = environment.create(selection.chosen)
        install.install(environment, python, pip_args, pins, {
            "zc.buildout": args.buildout_version,
            "setuptools": args.setuptools_version}, directory)
        # The launcher, as bin/buildout will be: extends under a deadline.
        environment.run([python, "-m", "buildout_mirrors.buildout.launcher",
                         "-c", path, "bootstrap"], "buildout bootstrap",
                        echo=not args.quiet)
    if os.name != "nt":
        install.write_launcher(os.path.join(directory, os.path.expanduser(
            buildout.get("bin-directory", "").strip() or "bin"), "buildout"),
            python)
    say("done; now run bin/buildout")


def check_python(buildout_version):
    """Python 3.9 for buildout_mirrors; 3.10 for zc.buildout 6."""
    if sys.version_info < (3, 9):
        raise BootstrapError(
            "buildout_mirrors needs Python 3.9 or newer; this is %d.%d. Run "
            "bootstrap.py with a newer python3." % sys.version_info[:2])
    if buildout_version and sys.version_info < (3, 10) and \
            versions.key(buildout_version) >= versions.key("6"):
        raise BootstrapError(
            "zc.buildout %s needs Python 3.10 or newer; this is %d.%d. Run "
            "bootstrap.py with a newer python3, or pin zc.buildout 5 or "
            "older." % ((buildout_version,) + sys.version_info[:2]))


def read_settings(args, buildout, directory):
    """The extension's settings, from the configuration and the command
    line (``--mirror`` first, as BUILDOUT_MIRRORS is for the extension).
    Plug-ins live in the buildout's environment, which does not exist yet:
    bootstrap.py chooses with the built-in parts."""
    raw = option_names.raw_options(buildout)
    raw["find-links"] = " ".join(args.find_links + (
        raw["find-links"] or "").split())
    if args.timeout is not None:
        raw["mirrors-timeout"] = str(args.timeout)
    if (raw["mirrors-policy"] or "").strip() not in ("",) + tuple(
            ranking.POLICIES):
        say("mirrors-policy = %s is a plug-in; bootstrap.py chooses by the "
            "ordered policy" % (raw["mirrors-policy"] or "").strip())
        raw["mirrors-policy"] = "ordered"
    for option, instead in (
            ("mirrors-candidates", "takes the candidates from mirrors and "
             "index"), ("mirrors-prober", "probes over HTTP"),
            ("mirrors-state-store", "keeps the state file")):
        if (raw[option] or "").strip():
            say("%s = %s is a plug-in; bootstrap.py %s" % (
                option, (raw[option] or "").strip(), instead))
            raw[option] = ""
    environ = dict(os.environ)
    if args.mirror:
        environ[candidates.ENVIRONMENT_OVERRIDE] = " ".join(args.mirror)
    return options.parse(raw, environ, directory)


def index_arguments(selection, directory, guarded=None):
    """pip's index options: the chosen mirror only, through *guarded*
    (the local failover index) when given (pip runs --isolated: no
    pip.conf or PIP_* adds pypi.org behind its back), and find-links."""
    failed = ["%s (%s)" % (result.label, result.reason)
              for result in selection.results if not result.ok]
    links = [urls.to_file_url(link, directory) if "://" not in link and
             not link.startswith("file:") else link
             for link in selection.find_links]
    if selection.chosen:
        # Lower case after the "bootstrap:" prefix, as every line here.
        summary = selection.summary()
        say(summary[:1].lower() + summary[1:])
        index = ["--index-url", guarded or selection.chosen]
    elif any(link.startswith("file:") for link in links):
        say("no mirror is reachable (%s); installing from find-links only"
            % ", ".join(failed))
        index = ["--no-index"]
    else:
        raise BootstrapError(
            "no mirror is reachable: %s. Name a live one with --mirror URL, "
            "or a directory of distributions with --find-links PATH."
            % ", ".join(failed))
    return index + [arg for link in links for arg in ("--find-links", link)]
