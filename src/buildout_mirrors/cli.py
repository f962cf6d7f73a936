"""The ``buildout-mirrors`` command: ``status`` and ``explain``.

``status`` probes the candidates the way the extension does and prints a
table (or ``--json``); its exit status makes it a monitoring check:
0 when the chosen mirror is up to date, 1 when only stale mirrors are live
(behind another, or last synced more than a day ago), 2 when none is.
``explain`` reads the state file and tells what was chosen, when, and why
the others were not.
"""

import argparse
import datetime
import json
import os
import sys
import time

from buildout_mirrors import plugins
from buildout_mirrors.index import errors, urls
from buildout_mirrors.selection import candidates, freshness, options, selector
from buildout_mirrors.store import state

EXIT_FRESH, EXIT_STALE, EXIT_DEAD = 0, 1, 2
COLOURS = {"chosen": "32", "live": "32", "behind": "33", "dead": "31",
           "fresh": "32", "aging": "33", "old": "31"}


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="buildout-mirrors",
        description="Which package index mirrors are alive and current.")
    commands = parser.add_subparsers(dest="command", required=True)
    status = commands.add_parser("status", help="probe the mirrors now")
    status.add_argument("-c", "--config", default="buildout.cfg")
    status.add_argument("--mirror", action="append", default=[],
                        metavar="URL", help="probe this mirror instead of "
                        "the configured ones (repeatable)")
    status.add_argument("--json", action="store_true",
                        help="print one JSON document")
    explain = commands.add_parser("explain",
                                  help="why the last choice was made")
    explain.add_argument("-c", "--config", default="buildout.cfg")
    args = parser.parse_args(argv)
    try:
        settings = load_settings(args.config, getattr(args, "mirror", []))
        if args.command == "status":
            return run_status(settings, args.json)
        return run_explain(settings)
    except errors.ConfigError as error:
        print("buildout-mirrors: error: %s" % error, file=sys.stderr)
        return EXIT_DEAD


def load_settings(config, mirrors):
    """Settings from the ``[buildout]`` section of *config* (read with
    zc.buildout itself, so ``extends``, ``+=`` and ``${...}`` work), or
    from the defaults when the file does not exist."""
    raw, directory = {}, os.getcwd()
    if os.path.exists(config):
        from buildout_mirrors.buildout.configuration import \
            read_buildout_section
        raw, directory = read_buildout_section(config)
    elif config != "buildout.cfg":
        raise errors.ConfigError("-c: %s does not exist" % config)
    if mirrors:
        raw["mirrors"] = " ".join(mirrors)
        os.environ.pop(candidates.ENVIRONMENT_OVERRIDE, None)
    return options.parse(raw, base_directory=directory, plugins=plugins)


def colour(text, name, enabled):
    if not enabled or name not in COLOURS:
        return text
    return "\033[%sm%s\033[0m" % (COLOURS[name], text)


def run_status(settings, as_json):
    terminal = sys.stderr.isatty()
    if not as_json:
        print("Probing %d mirror(s), deadline %.1f s ..."
              % (len(settings.candidates), settings.timeout),
              file=sys.stderr, end="" if terminal else "\n", flush=True)

    def progress(result):
        if terminal and not as_json:
            print("." if result.ok else "x", end="", file=sys.stderr,
                  flush=True)
    selection = selector.MirrorSelector(settings, progress=progress).select(
        thorough=True)
    if terminal and not as_json:
        print(file=sys.stderr)
    known = private_indexes(settings)
    rows = [status_row(settings, selection, url, known)
            for url in settings.candidates + settings.private]
    code = exit_status(selection, rows)
    if as_json:
        print(json.dumps({
            "checked": datetime.datetime.now(datetime.timezone.utc)
            .isoformat(timespec="seconds"),
            "chosen": urls.redact(selection.chosen)
            if selection.chosen else None,
            "status": code, "mirrors": rows}, indent=2))
    else:
        print_table(rows, sys.stdout.isatty() and not os.environ.get(
            "NO_COLOR"))
    return code


def private_indexes(settings):
    """{index label: project names} of the state file, or {}."""
    if not settings.cache_path:
        return {}
    return state.private_indexes(state.StateFile(settings.cache_path).load())


def status_row(settings, selection, url, known=None):
    result = selection.result_for(url)
    label = urls.redact(url)
    row: dict[str, object] = dict(
        mirror=label, verdict="dead", rtt_ms=None, serial=None, lag="",
        freshness=None, last_sync_age_s=None, reason="", role="mirror")
    if url in settings.private or (result and result.curated) or (
            label in (known or {}) and not (result and result.ok)):
        names = (known or {}).get(label, [])
        row.update(role="private", private_projects=names, reason=(
            "private: its projects come from it only; %d known (%s)%s" % (
                len(names), ", ".join(names[:5]) or "none yet",
                "; declared: " + " ".join(settings.private_projects)
                if settings.private_projects else "")))
        row["verdict"] = "private" if url in settings.private or (
            result and result.curated) else "dead"
        return row
    if result is None or not result.ok:
        row["reason"] = result.reason if result else "not probed"
        return row
    lag = str(selection.lags.get(url, ""))
    age = freshness.last_sync_age(url, settings.timeout, settings.verify)
    row.update(verdict="chosen" if url == selection.chosen else (
        "behind" if lag else "live"), rtt_ms=round(result.elapsed * 1000),
        serial=result.serial, lag=lag, last_sync_age_s=age,
        freshness=freshness.band(lag, age))
    return row


def exit_status(selection, rows=()):
    """2 when no mirror is live; 1 when the best live one lags another, or
    last synced more than a day ago (freshness.OLD_AFTER, from
    bandersnatch's /last-modified); else 0."""
    if selection.chosen is None:
        return EXIT_DEAD
    chosen = [row for row in rows if row["verdict"] == "chosen"]
    if selection.lags.get(selection.chosen) or any(
            row["freshness"] == "old" for row in chosen):
        return EXIT_STALE
    return EXIT_FRESH


def print_table(rows, use_colour):
    header = ("MIRROR", "VERDICT", "RTT", "FRESHNESS", "REASON")
    cells = [header] + [(
        row["mirror"], row["verdict"],
        "%d ms" % row["rtt_ms"] if row["rtt_ms"] is not None else "-",
        freshness.describe(row), row["reason"]) for row in rows]
    widths = [max(len(cell[i]) for cell in cells) for i in range(4)]
    for index, cell in enumerate(cells):
        verdict = cell[1].ljust(widths[1])
        fresh_text = cell[3].ljust(widths[3])
        if index:
            verdict = colour(verdict, cell[1], use_colour)
            fresh_text = colour(fresh_text, (rows[index - 1]["freshness"]
                                             or ""), use_colour)
        print("  ".join((cell[0].ljust(widths[0]), verdict,
                         cell[2].rjust(widths[2]), fresh_text,
                         cell[4])).rstrip())


def run_explain(settings):
    if not settings.cache_path:
        print("mirrors-cache is none: no selection is kept to explain.")
        return EXIT_DEAD
    stored = state.StateFile(settings.cache_path).load()
    choice = state.choice_for(stored, settings.candidates)
    now = time.time()
    if not choice:
        print("No selection recorded in %s for these %d candidate(s) yet; "
              "run bin/buildout or 'buildout-mirrors status'."
              % (settings.cache_path, len(settings.candidates)))
        return EXIT_DEAD
    print("Chose %s %s (state file %s)." % (
        choice["mirror"], ago(now - choice["at"]), settings.cache_path))
    reuse = settings.ttl - (now - choice["at"])
    print("It is reused without probing for another %d s." % reuse
          if reuse > 0 else "The next run probes again (mirrors-ttl %d s "
          "passed) and keeps it while it stays healthy." % settings.ttl)
    answers = choice.get("mirrors")
    known = explain_private(settings, stored)
    for url in settings.candidates:
        label = urls.redact(url)
        if label == choice["mirror"] or label in known:
            continue
        record = answers.get(label) if answers is not None else \
            state.record_of(stored, url)
        silent = choice.get("silent", {}).get(label)
        if record is None and silent:
            print("- %s: no answer in time, when checked %s: %s." % (
                label, ago(now - choice["at"]), silent))
        elif record is None:
            print("- %s: never probed (dead at an earlier check, or added "
                  "to the list since)." % label)
        elif not record.get("ok"):
            print("- %s: dead when checked %s: %s." % (
                label, ago(now - record["checked"]), record.get("reason")))
        elif record.get("lag"):
            print("- %s: live but %s when checked %s." % (
                label, record["lag"], ago(now - record["checked"])))
        else:
            print("- %s: live and up to date when checked %s (%d ms), but "
                  "ranked after the choice by mirrors-policy = %s." % (
                      label, ago(now - record["checked"]),
                      record.get("elapsed", 0) * 1000, settings.policy))
    return EXIT_FRESH


def explain_private(settings, stored):
    """Print each private index and its projects; return them by label."""
    known = state.private_indexes(stored)
    for url in settings.private + tuple(
            url for url in settings.candidates
            if urls.redact(url) in known):
        names = known.get(urls.redact(url), [])
        print("- %s: a private index; the %d project(s) it served come "
              "from it only: %s." % (urls.redact(url), len(names),
                                     ", ".join(names) or "none yet"))
    if settings.private_projects:
        print("- Declared private (mirrors-private-projects): %s."
              % " ".join(settings.private_projects))
    return known


def ago(seconds):
    seconds = max(seconds, 0)
    if seconds < 120:
        return "%d s ago" % seconds
    if seconds < 7200:
        return "%d min ago" % (seconds // 60)
    return "%.1f h ago" % (seconds / 3600)


if __name__ == "__main__":
    sys.exit(main())
