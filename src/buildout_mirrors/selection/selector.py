"""Choose one mirror: probe the candidates in parallel under one deadline.

Plain code: it knows nothing of buildout, so the extension, the recipe and
the ``status`` command all select the same way.
"""

from __future__ import annotations

import queue
import threading
import time

from buildout_mirrors.selection import ranking
from buildout_mirrors.store import state as records
from buildout_mirrors.index import urls
from buildout_mirrors.selection.result import ProbeResult, Status
from buildout_mirrors.selection.selection import Selection  # noqa: F401 (its result)
from buildout_mirrors.store.state import NoState, StateFile, ValidatedStore


class ConfiguredCandidates:
    """Candidates as the validated settings
    (:class:`~buildout_mirrors.selection.options.Settings`) give them."""

    def __init__(self, settings):
        self.settings = settings

    def candidates(self):
        return self.settings.candidates

    def find_links(self):
        return self.settings.find_links


def _policy(settings):
    """The policy *settings* name (a plug-in's was resolved by options)."""
    factory = settings.policy_factory or ranking.POLICIES[settings.policy]
    return factory(settings.grace)


def _state_store(settings):
    if settings.state_factory:  # a plug-in's (mirrors-state-store)
        return ValidatedStore(settings.state_factory(settings))
    return StateFile(settings.cache_path) if settings.cache_path else \
        NoState()


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
        if prober is None and settings.prober_factory:  # a plug-in's
            self._prober = settings.prober_factory(settings)
        self.state = state or _state_store(settings)
        self.policy = policy or _policy(settings)

    @property
    def prober(self):
        # Imported on first use: a rerun within mirrors-ttl never probes.
        if self._prober is None:
            from buildout_mirrors.selection.probe import HttpProber
            self._prober = HttpProber(verify=self.settings.verify)
        return self._prober

    def select(self, thorough: bool = False, fresh: bool = False
               ) -> Selection:
        """Choose a mirror.  ``thorough=True`` (the status command) probes
        every candidate, recently dead or not, and waits for every answer
        up to the deadline instead of stopping once the choice is clear.
        ``fresh=True`` (bootstrap.py, which has no failover behind it)
        probes every candidate even within the ttl, and records its choice
        for the first bin/buildout."""
        recall = not (thorough or fresh)
        started, now = time.monotonic(), time.time()
        candidates = tuple(self.source.candidates())
        stored = self.state.load()
        sticky = self._previous_choice(stored, candidates)

        def dead_recently(url):
            record = records.record_of(stored, url)
            return recall and record is not None and not record.get("ok") \
                and now - record.get("checked", 0) < self.settings.ttl

        links = tuple(link for link in self.source.find_links() if not (
            urls.is_remote(link) and dead_recently(link)))
        choice = records.choice_for(stored, candidates)
        if sticky and recall and not dead_recently(sticky) and \
                not choice.get("suspect") and \
                now - choice.get("at", 0) < self.settings.ttl:
            backups = tuple(url for url in candidates
                            if url != sticky and not dead_recently(url))
            return Selection(
                sticky, find_links=links, from_state=True,
                elapsed=time.monotonic() - started, backups=backups,
                answered=tuple(url for url in backups if (records.record_of(
                    stored, url) or {}).get("ok")))
        skipped = tuple((url, "dead at the last check, %d s ago" % (
            now - (records.record_of(stored, url) or {})["checked"]))
            for url in candidates if dead_recently(url))
        to_probe = [url for url in candidates if not dead_recently(url)]
        if not to_probe:  # all dead last time: they may be back
            to_probe, skipped = list(candidates), ()
        return self._choose(candidates, to_probe, links, skipped, sticky,
                            thorough, started, now)

    def _choose(self, candidates, to_probe, links, skipped, sticky, thorough,
                started, now):
        """Probe *to_probe* (and the remote find-links), rank, record."""
        results, link_results = self._probe(to_probe, [
            link for link in links if urls.is_remote(link)], sticky,
            wait_for_all=thorough)
        lags = ranking.lags(results)
        ranked = self.policy.rank(to_probe, results, lags, sticky)
        dead_links = tuple(result for result in link_results if not result.ok)
        dead_urls = {result.url for result in dead_links}
        selection = Selection(
            ranked[0].url if ranked else None, tuple(results), lags,
            tuple(link for link in links if link not in dead_urls),
            dead_links, skipped, False, time.monotonic() - started,
            backups=tuple(result.url for result in ranked[1:]) + tuple(
                result.url for result in results if not result.answered),
            answered=tuple(result.url for result in ranked[1:]))

        def record(stored):
            answers = records.record_probes(
                stored, tuple(results) + tuple(link_results), lags, now)
            if selection.chosen and not thorough:  # status is no run
                records.record_choice(stored, candidates, selection.chosen,
                                      answers, now, silent={
                                          result.url: result.reason
                                          for result in results
                                          if not result.answered})
        self.state.update(record)
        return selection

    @staticmethod
    def _previous_choice(stored, candidates):
        mirror = records.choice_for(stored, candidates).get("mirror")
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
        answers: queue.Queue = queue.Queue()
        jobs = [("index", url) for url in index_urls] + \
               [("link", url) for url in link_urls]
        for kind, url in jobs:
            threading.Thread(target=self._run_probe,
                             args=(answers, kind, url, deadline),
                             name="buildout_mirrors probe",
                             daemon=True).start()
        index_results: list[ProbeResult] = []
        link_results: list[ProbeResult] = []
        first_healthy_at = None
        while len(index_results) + len(link_results) < len(jobs):
            now = time.monotonic()
            waited = now - first_healthy_at if first_healthy_at else 0.0
            if first_healthy_at and len(link_results) == len(link_urls) and \
                    not wait_for_all and self.policy.done(
                        index_urls, index_results, waited, sticky):
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
        return self._with_the_silent(index_urls, link_urls, index_results,
                                     link_results, deadline)

    def _with_the_silent(self, index_urls, link_urls, index_results,
                         link_results, deadline):
        """Add a result for each candidate that had not answered."""
        answered = {result.url for result in index_results + link_results}
        elapsed = time.monotonic() - (deadline - self.settings.timeout)
        if time.monotonic() >= deadline:
            # Still waiting at the deadline: slow or hanging, no verdict
            # on which (slow is not dead).
            status, reason = Status.SLOW, "timed out after %.1f s" % \
                self.settings.timeout
        else:  # the policy was satisfied first: not a verdict on the mirror
            status, reason = Status.NOT_WAITED, (
                "not waited for: another mirror answered first (none from "
                "this one within %d ms)" % (elapsed * 1000))
        index_results += [ProbeResult(url, status, elapsed, reason)
                          for url in index_urls if url not in answered]
        link_results += [ProbeResult(url, status, elapsed, reason)
                         for url in link_urls if url not in answered]
        # In the listed order, not the order of the answers: what the
        # user reads (the "skipped:" list) stays the same from run to run.
        order = {url: position for position, url in enumerate(
            list(index_urls) + list(link_urls))}
        for results in (index_results, link_results):
            results.sort(key=lambda result: order.get(result.url, 0))
        return index_results, link_results

    def _run_probe(self, answers, kind, url, deadline):
        if kind == "index":
            result = self.prober.probe_index(
                url, self.settings.probe_projects, deadline)
        else:
            result = self.prober.probe_link(url, deadline)
        answers.put((kind, result))
