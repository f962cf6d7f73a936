"""Faster than plain on a healthy day: the Plone-sized build behind a
latency relay (tests/latency_relay.py) at 0 ms and at 100 ms a request (plus
100 ms for each new connection), plain zc.buildout against the
extension.  Rounds are interleaved so that drift hits each kind alike.
Reported: wall time (fastest, median), the requests and connections the
mirror saw, and the peak RSS of the buildout process tree; every build
must install the same eggs as plain's.
"""

import statistics

import plone
import servers
from latency_relay import LatencyRelay
from report import Spread

DELAYS = (0.0, 0.1)


def bench_faster(table, env, rounds, scratch):
    served = plone.packages()
    pinned = plone.pins(served)
    print("10. Faster than plain: a Plone-sized fresh build at 0 and 100 ms "
          "a request, %d rounds" % rounds)
    runs = {}  # (kind, delay) -> [(seconds, rss, requests, connections)]
    eggs = {}  # (kind, delay) -> the eggs installed, by name
    with servers.pypiserver(served, scratch / "faster.log") as mirror:
        port = int(mirror.rsplit(":", 1)[1].split("/")[0])
        for round_ in range(rounds):
            kinds = [(kind, delay) for delay in DELAYS
                     for kind in ("plain", "extension")]
            shift = round_ % len(kinds)
            for kind, delay in kinds[shift:] + kinds[:shift]:
                with LatencyRelay(port, delay, delay) as relay:
                    directory = scratch / ("faster-%s-%d" % (kind, delay * 1000))
                    if kind == "plain":
                        plone.write_config(directory, pinned, index=relay.url)
                        run_env = dict(env, PIP_INDEX_URL=relay.url,
                                       PIP_DISABLE_PIP_VERSION_CHECK="1")
                    else:
                        plone.write_config(directory, pinned,
                                           mirrors=relay.url)
                        run_env = env
                    seconds, rss = plone.build(directory, run_env)
                    runs.setdefault((kind, delay), []).append(
                        (seconds, rss, relay.requests, relay.connections))
                    eggs[(kind, delay)] = sorted(
                        path.name for path in (directory / "eggs").rglob(
                            "*.egg"))
                print("   %s at %d ms: %.1f s, %d requests, %d connections"
                      % (kind, delay * 1000, seconds, relay.requests,
                         relay.connections))
    report(table, runs, eggs, rounds)


def report(table, runs, eggs, rounds):
    def fastest(key):
        return min(seconds for seconds, *_ in runs[key])

    def median(key):
        return statistics.median(seconds for seconds, *_ in runs[key])

    def times(key):
        return [seconds for seconds, *_ in runs[key]]
    same = all(eggs[key] == eggs[("plain", 0.0)] for key in eggs)
    for delay in DELAYS:
        plain = ("plain", delay)
        ours = ("extension", delay)
        table.add("Plone-sized fresh build at %d ms a request, plain "
                  "zc.buildout (baseline; fastest of %d, median %.1f s)"
                  % (delay * 1000, rounds, median(plain)), fastest(plain))
        table.add("Plone-sized fresh build at %d ms a request, extension "
                  "(fastest of %d, median %.1f s)"
                  % (delay * 1000, rounds, median(ours)), fastest(ours),
                  fastest(plain), "<= 0.80 x" if delay else "",
                  fastest(ours) <= 0.80 * fastest(plain) if delay else None,
                  spread=Spread(times(ours), times(plain),
                                lambda base: 0.80 * base,
                                "more rounds") if delay else None)
    far, near = ("extension", DELAYS[-1]), ("extension", 0.0)
    table.add("Plone-sized fresh build, extension at %d ms against its own "
              "at 0 ms" % (DELAYS[-1] * 1000), fastest(far), fastest(near),
              "<= 1.10 x", fastest(far) <= 1.10 * fastest(near))
    for delay in DELAYS:
        plain_requests = max(run[2] for run in runs[("plain", delay)])
        ours_requests = max(run[2] for run in runs[("extension", delay)])
        table.add("requests the mirror saw at %d ms, extension (plain: "
                  "baseline; connections: plain %d, extension %d)"
                  % (delay * 1000, max(run[3] for run in runs[
                      ("plain", delay)]), max(run[3] for run in runs[
                          ("extension", delay)])),
                  ours_requests, plain_requests, "<= 1.1 x",
                  ours_requests <= 1.1 * plain_requests, "requests")
        plain_rss = max(run[1] for run in runs[("plain", delay)])
        ours_rss = max(run[1] for run in runs[("extension", delay)])
        table.add("peak RSS of the tree at %d ms, extension" % (delay * 1000),
                  round(ours_rss), round(plain_rss), "<= plain + 50 MiB",
                  ours_rss <= plain_rss + 50, "MiB")
    table.add("every build installed the same eggs as plain's",
              "yes" if same else "no", None, "yes", same)
