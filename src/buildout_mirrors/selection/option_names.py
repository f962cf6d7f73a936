"""The names of this package's options, and the check that stops a name
that looks like one of them but is not (``mirror =`` would otherwise
silently fall back to the built-in public list).  selection.options types
their values."""

from __future__ import annotations

import difflib
import typing

from buildout_mirrors.index.errors import ConfigError

# Every option this package understands, so that the hooks can mark them
# as used and buildout does not warn about them.
OPTION_NAMES = (
    "mirrors", "mirrors-timeout", "mirrors-policy", "mirrors-probe",
    "mirrors-cache", "mirrors-ttl", "mirrors-allow-http", "mirrors-ca-bundle",
    "mirrors-grace", "mirrors-stall-limit", "mirrors-fallback",
    "mirrors-candidates", "mirrors-prober", "mirrors-state-store",
    "mirrors-private", "mirrors-private-projects", "mirrors-lookahead",
)


def raw_options(section: typing.Mapping[str, str]
                ) -> dict[str, str | None]:
    """This package's options, and ``index`` and ``find-links``, from a
    ``[buildout]``-like mapping; ConfigError for a name that looks like
    one of ours but is not (``mirror =`` would otherwise silently fall
    back to the built-in public list)."""
    check_names(section.keys())
    return {name: section.get(name)
            for name in OPTION_NAMES + ("index", "find-links")}


def check_names(names: typing.Iterable[str]) -> None:
    """ConfigError naming the first option in *names* that looks like one
    of this package's (a typo, ``_`` for ``-``, ``mirror`` for
    ``mirrors``) and the name it should be."""
    known = OPTION_NAMES + ("index", "find-links")
    for name in names:
        if name in known:
            continue
        spelled = name.strip().lower().replace("_", "-")
        if spelled.startswith("mirror-"):
            spelled = "mirrors-" + spelled[len("mirror-"):]
        close = [spelled] if spelled in known else difflib.get_close_matches(
            spelled, OPTION_NAMES + ("mirror",), n=1, cutoff=0.85)
        if close or spelled.startswith(("mirror", "mirrors-")):
            suggestion = "mirrors" if close == ["mirror"] else (
                close[0] if close else None)
            raise ConfigError(
                "[buildout] %s: unknown option%s" % (
                    " ".join(name.split()),
                    "; did you mean %s?" % suggestion if suggestion else
                    "; this package's options are: %s" % ", ".join(
                        OPTION_NAMES)))
