"""The benchmarks' table, and the words for a target a run missed."""

import statistics


class Table:
    """Rows of (measurement, value, baseline, ratio, target, verdict)."""

    def __init__(self):
        self.rows = []
        self.spreads = {}  # row index -> Spread, for "Targets missed"

    def add(self, what, value, baseline=None, target="", met=None,
            unit="s", spread=None):
        if spread is not None:
            self.spreads[len(self.rows)] = spread
        ratio = value / baseline if baseline else None
        self.rows.append((what, _fmt(value, unit), _fmt(baseline, unit),
                          "%.2f x" % ratio if ratio is not None else "",
                          target, {True: "yes", False: "NO", None: ""}[met]))
        print("  %-58s %10s %10s %9s  %s %s" % self.rows[-1], flush=True)

    def rst(self):
        # "value": a median, or the fastest of rounds where the row says so.
        header = ("measurement", "value", "baseline", "ratio", "target",
                  "met")
        rows = [header] + self.rows
        widths = [max(len(str(row[i])) for row in rows) for i in range(6)]
        rule = "  ".join("=" * width for width in widths)
        lines = [rule, "  ".join(h.ljust(w) for h, w in zip(header, widths)),
                 rule]
        lines += ["  ".join(str(cell).ljust(w) for cell, w in zip(row, widths))
                  for row in self.rows]
        return "\n".join(lines + [rule])


class Spread:
    """The rounds behind a targeted row: the fastest and the median of the
    measured kind and of its baseline, and *allowed(baseline)*, the most
    the target lets the kind take against a baseline."""

    def __init__(self, measured, baseline, allowed, knob="more rounds"):
        self.knob = knob  # what would take more rounds, for the words
        self.fastest, self.median = min(measured), statistics.median(measured)
        self.base_fastest = min(baseline)
        self.base_median = statistics.median(baseline)
        self.allowed = allowed

    def explain(self, what, target):
        """Why the target was missed, and what it would take, in words
        built from the figures of this run."""
        limit = self.allowed(self.base_fastest)
        over = self.fastest - limit
        noise = max(self.median - self.fastest,
                    self.base_median - self.base_fastest)
        medians_met = self.median <= self.allowed(self.base_median)
        text = ("- %s: fastest %.0f ms; the target (%s, against plain's "
                "fastest, %.0f ms) allows %.0f ms: %.0f ms over.  The "
                "medians (%.0f ms against plain's %.0f ms) %s the target.  "
                "The rounds spread by up to %.0f ms (median minus fastest), "
                % (what, self.fastest * 1000, target,
                   self.base_fastest * 1000, limit * 1000, over * 1000,
                   self.median * 1000, self.base_median * 1000,
                   "meet" if medians_met else "miss", noise * 1000))
        if noise >= over:
            return text + (
                "more than the miss: this run cannot tell the extension's "
                "cost from the machine's noise.  %s or a quieter machine "
                "would settle it." % (self.knob[:1].upper() + self.knob[1:]))
        return text + (
            "less than the miss: the cost is the extension's own.  The "
            "profile above and the selection rows say where it goes.")


def missed_targets(table):
    """The "Targets missed" section's text."""
    lines = []
    for index, row in enumerate(table.rows):
        if row[5] != "NO":
            continue
        what = row[0].split(" (")[0]
        spread = table.spreads.get(index)
        lines.append(spread.explain(what, row[4]) if spread else
                     "- %s: %s against %s (target %s)." % (
                         what, row[1], row[2], row[4]))
    return "\n".join(lines) or "Every target was met in this run."


def _fmt(value, unit):
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if unit == "s":
        return "%.0f ms" % (value * 1000) if value < 10 else "%.1f s" % value
    return "%s %s" % (value, unit)
