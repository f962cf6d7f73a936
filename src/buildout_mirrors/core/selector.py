"""Choose one mirror: probe the candidates in parallel under one deadline.

Plain code: it knows nothing of buildout, so the extension, the recipe and
the ``status`` command all select the same way.
"""

import dataclasses
import queue
import threading
import time

from buildout_mirrors.core import ranking, urls
from buildout_mirrors.core.result import ProbeResult
from buildout_mirrors.core.state import NoState, StateFile, candidates_key


class ConfiguredCandidates:
    """Candidates as the validated :class:`~buildout_mirrors.core.options.Settings`
    give them."""

    def __init__(self, settings):
        self.settings = settings

    def candidates(self):
        return self.settings.candidates

    def find_links(self):
        return self.settings.find_links


def _policy(settings):
    """The built-in policy *settings* name, or a plug-in's."""
    if settings.policy in ranking.POLICIES:
        return ranking.POLICIES[settings.policy](settings.grace)
    from buildout_mirrors import plugins
    from buildout_mirrors.interfaces import IPolicy
    return plugins.load(plugins.POLICIES, settings.policy, IPolicy,
                        "mirrors-policy")(settings.grace)


@dataclasses.dataclass(frozen=True)
class Selection:
    """The outcome of one selection; ``chosen`` is None when nothing lives."""

    chosen: object
    results: tuple = ()          # ProbeResults of the index candidates
    lags: dict = dataclasses.field(default_factory=dict)
    find_links: tuple = ()       # find-links entries to keep
    dead_links: tuple = ()       # ProbeResults of dropped find-links
    skipped: tuple = ()          # (url, reason) not probed: dead last time
    from_state: bool = False     # reused from the state file, not probed
    elapsed: float = 0.0
    backups: tuple = ()          # where to fail over to, best first

    def result_for(self, url):
        for result in self.results:
            if result.url == url:
                return result
        return None

    def summary(self):
        """The one INFO line: the choice and why the others were not."""
        others = ["%s (%s)" % (result.label, result.reason)
                  for result in self.results if not result.ok]
        others += ["%s (%s)" % (urls.redact(url), reason)
                   for url, reason in self.skipped]
        skipped = "; skipped: " + ", ".join(others) if others else ""
        if self.chosen is None:
            return "No mirror is reachable: " + ", ".join(others)
        if self.from_state:
            return "Using mirror %s (healthy at the last check, not probed " \
                   "again yet)%s" % (urls.redact(self.chosen), skipped)
        result = self.result_for(self.chosen)
        freshness = self.lags.get(self.chosen) or "up to date"
        return "Using mirror %s (%d ms, %s)%s" % (
            urls.redact(self.chosen), result.elapsed * 1000, freshness,
            skipped)

    def detail_lines(self):
        """One line a candidate, for ``-v``."""
        for result in self.results:
            if result.ok:
                yield "Mirror %s answered in %d ms (serial %s, %d file(s)%s)" % (
                    result.label, result.elapsed * 1000, result.serial,
                    len(result.files),
                    ", " + self.lags[result.url] if self.lags.get(result.url)
                    else "")
            else:
                yield "Mirror %s failed: %s" % (result.label, result.reason)
        for result in self.dead_links:
            yield "find-links %s failed: %s" % (result.label, result.reason)


class MirrorSelector:
    """``MirrorSelector(settings, prober=None, state=None, policy=None,
    source=None, progress=None)``.

    ``select()`` returns a :class:`Selection`.  Within ``settings.ttl`` of
    a healthy choice it reuses that choice without probing; mirrors found
    dead within the ttl are not probed again.
    """

    def __init__(self, settings, prober=None, state=None, policy=None,
                 source=None, progress=None):
        self.settings = settings
        self.progress = progress  # called with each ProbeResult as it comes
        self.source = source or ConfiguredCandidates(settings)
        self._prober = prober
        self.state = state or (StateFile(settings.cache_path)
                               if settings.cache_path else NoState())
        self.policy = policy or _policy(settings)

    @property
    def prober(self):
        # Imported on first use: a rerun within mirrors-ttl never probes.
        if self._prober is None:
            from buildout_mirrors.core.probe import HttpProber
            self._prober = HttpProber(verify=self.settings.verify)
        return self._prober

    def select(self, thorough=False):
        """Choose a mirror.  ``thorough=True`` (the status command) probes
        every candidate, recently dead or not, and waits for every answer
        up to the deadline instead of stopping once the choice is clear."""
        started = time.monotonic()
        now = time.time()
        candidates = tuple(self.source.candidates())
        links = tuple(self.source.find_links())
        stored = self.state.load()
        key = candidates_key(candidates)
        sticky = self._previous_choice(stored, key, candidates)
        records = stored["mirrors"]

        def dead_recently(url):
            record = records.get(urls.redact(url))
            return bool(record) and not record.get("ok") and \
                now - record.get("checked", 0) < self.settings.ttl

        if thorough:
            records = {}
        kept_links = tuple(link for link in links if not (
            urls.is_remote(link) and dead_recently(link)))
        choice = stored["choices"].get(key, {})
        if sticky and not thorough and not dead_recently(sticky) and \
                not choice.get("suspect") and \
                now - choice.get("at", 0) < self.settings.ttl:
            return Selection(
                sticky, find_links=kept_links, from_state=True,
                elapsed=time.monotonic() - started,
                backups=tuple(url for url in candidates
                              if url != sticky and not dead_recently(url)))

        skipped = tuple((url, "dead at the last check, %d s ago"
                         % (now - records[urls.redact(url)]["checked"]))
                        for url in candidates if dead_recently(url))
        to_probe = [url for url in candidates if not dead_recently(url)]
        if not to_probe:  # all dead last time: they may be back
            to_probe, skipped = list(candidates), ()
        results, link_results = self._probe(to_probe, [
            link for link in kept_links if urls.is_remote(link)], sticky,
            wait_for_all=thorough)
        lags = ranking.lags(results)
        ranked = self.policy.rank(to_probe, results, lags, sticky)
        chosen = ranked[0].url if ranked else None
        dead_links = tuple(result for result in link_results if not result.ok)
        dead_urls = {result.url for result in dead_links}
        selection = Selection(
            chosen, tuple(results), lags,
            tuple(link for link in kept_links if link not in dead_urls),
            dead_links, skipped, False, time.monotonic() - started,
            backups=tuple(result.url for result in ranked[1:]) + tuple(
                result.url for result in results if not result.answered))
        self.state.update(lambda state: self._record(
            state, key, candidates, selection, link_results, now,
            run=not thorough))
        return selection

    @staticmethod
    def _previous_choice(stored, key, candidates):
        mirror = stored["choices"].get(key, {}).get("mirror")
        for url in candidates:
            if urls.redact(url) == mirror:
                return url
        return None

    def _probe(self, index_urls, link_urls, sticky, wait_for_all=False):
        """Run every probe in its own daemon thread and collect results
        until the policy is satisfied or the deadline passes.  Threads
        still running then are abandoned: a tarpit cannot hold us up."""
        deadline = time.monotonic() + self.settings.timeout
        self.prober  # made here, once, not by the first threads in a race
        answers = queue.Queue()
        jobs = [("index", url) for url in index_urls] + \
               [("link", url) for url in link_urls]
        for kind, url in jobs:
            threading.Thread(target=self._run_probe,
                             args=(answers, kind, url, deadline),
                             name="buildout_mirrors probe", daemon=True).start()
        index_results, link_results = [], []
        first_healthy_at = None
        while len(index_results) + len(link_results) < len(jobs):
            now = time.monotonic()
            waited = now - first_healthy_at if first_healthy_at else 0.0
            if first_healthy_at and len(link_results) == len(link_urls) and \
                    not wait_for_all and \
                    self.policy.done(index_urls, index_results, waited, sticky):
                break
            wait = deadline - now
            if first_healthy_at and not wait_for_all:
                wait = min(wait, first_healthy_at + self.policy.grace - now)
            try:
                kind, result = answers.get(timeout=max(wait, 0.001))
            except queue.Empty:
                if time.monotonic() >= deadline:
                    break
                continue
            if self.progress:
                self.progress(result)
            if kind == "index":
                index_results.append(result)
                if result.ok and first_healthy_at is None:
                    first_healthy_at = time.monotonic()
            else:
                link_results.append(result)
        answered = {result.url for result in index_results + link_results}
        elapsed = time.monotonic() - (deadline - self.settings.timeout)
        if time.monotonic() >= deadline:
            # Still waiting at the deadline: slow or hanging, no verdict
            # on which (slow is not dead).
            unanswered = dict(reason="timed out after %.1f s"
                              % self.settings.timeout, slow=True)
        else:  # the policy was satisfied first: not a verdict on the mirror
            unanswered = dict(reason="no answer within %d ms, not waited for"
                              % (elapsed * 1000), answered=False)
        index_results += [ProbeResult(url, False, elapsed, **unanswered)
                          for url in index_urls if url not in answered]
        link_results += [ProbeResult(url, False, elapsed, **unanswered)
                         for url in link_urls if url not in answered]
        return index_results, link_results

    def _run_probe(self, answers, kind, url, deadline):
        if kind == "index":
            result = self.prober.probe_index(
                url, self.settings.probe_projects, deadline)
        else:
            result = self.prober.probe_link(url, deadline)
        answers.put((kind, result))

    @staticmethod
    def _record(state, key, candidates, selection, link_results, now,
                run=True):
        """Each answer under ``mirrors``; a run's choice, with the answers
        that made it, under ``choices`` (``status`` probes are no run:
        ``explain`` keeps telling about the last buildout)."""
        records = {}
        for result in tuple(selection.results) + tuple(link_results):
            if not result.answered:
                continue
            records[result.label] = {
                "checked": now, "ok": result.ok,
                "elapsed": round(result.elapsed, 4),
                "reason": result.reason, "serial": result.serial,
                "lag": selection.lags.get(result.url, "")}
        state["mirrors"].update(records)
        if selection.chosen and run:
            state["choices"][key] = {
                "mirror": urls.redact(selection.chosen), "at": now,
                "candidates": [urls.redact(url) for url in candidates],
                "mirrors": records}
