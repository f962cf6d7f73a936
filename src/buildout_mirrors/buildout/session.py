"""One run's failover: the engine, buildout's urllib opener, pip's index.

``FailoverSession(candidates, settings, store)`` starts everything;
``close()`` stops it.  Takeovers are logged once each; a mirror ejected
(it hung while another served, or failed again and again) is marked dead
in the state file, so the next run does not wait on it again.
"""

import logging
import time

from buildout_mirrors.store import state
from buildout_mirrors.index import urls
from buildout_mirrors.index.pages import DIST_SUFFIXES_RE
from buildout_mirrors.failover.fetch import Failover
from buildout_mirrors.failover.mirror_book import FAILURE_WINDOW, MAX_FAILURES
from buildout_mirrors.buildout.hook_urllib import failover_opener

logger = logging.getLogger("buildout_mirrors")


class FailoverSession:

    def __init__(self, candidates, settings, store, *, allowed_hosts=(),
                 silent=(), dead=(), link_credentials=(), answered=(),
                 private=None, ahead=None):
        self.store = store
        self.failover = Failover(
            candidates, timeout=settings.timeout, verify=settings.verify,
            allowed_hosts=allowed_hosts, on_takeover=self._took_over,
            on_drop=self._dropped, stall=settings.stall, silent=silent,
            link_credentials=link_credentials, answered=answered,
            private=private)
        self.failover.book.on_back = self._back
        self.failover.on_missing = self._missing
        self._said_missing = set()
        if self.failover.private is not None:
            self._private_indexes(private)
        # Candidates the selection found dead (refused, errors): not asked
        # again in this run, but named when nothing is left.
        for url, reason in dead:
            self.failover.book.drop(url, reason)
        self.opener = failover_opener(self.failover)
        self.index = candidates[0]
        self.proxy = None
        self.ahead = ahead
        if ahead is not None and settings.lookahead:
            self._look_ahead(settings.lookahead)

    def _look_ahead(self, workers):
        """Fetch ahead what buildout will ask next, from the first file
        that comes; at once, what this buildout downloaded last time and
        does not have (a changed pin)."""
        def start():
            from buildout_mirrors.failover.lookahead import LookAhead
            return LookAhead(self.failover, self.index, self.ahead.pins,
                             self.ahead.have, workers=workers)
        on_demand = self.failover.lookahead = OnDemand(start)
        missing = self.ahead.missing()
        if missing:
            on_demand.started().want(missing)

    def pip_index(self):
        """(URL, environment) of the local failover index for pip,
        started on first use: most reruns build nothing and never need
        it."""
        if not self.failover.live():
            raise self.failover.none_left()
        if self.proxy is None:
            from buildout_mirrors.failover.pipproxy import PipProxy
            self.proxy = PipProxy(self.failover, self.index)
            self.proxy.start()
        return self.proxy.url, self.proxy.environ()

    def pip_failures(self):
        return list(self.proxy.failures) if self.proxy is not None else []

    def close(self):
        if self.proxy is not None:
            self.proxy.stop()
        look = getattr(self.failover.lookahead, "real", None)
        self.failover.close()
        if look is not None and look.downloaded:
            logger.info("Fetched ahead: %d of the %d files buildout "
                        "downloaded (it waited %.1f s for them).",
                        look.served, look.asked, look.waited)
            self.store.update(lambda stored: state.remember_downloads(
                stored, self.ahead.place, look.downloaded))

    def _missing(self, project, asked):
        """Every mirror answered 404: one line, once, before buildout's
        own "Couldn't find index page" and "Couldn't find a distribution"."""
        if project not in self._said_missing:
            self._said_missing.add(project)
            logger.warning("No mirror has %s: asked %s (each answered 404).",
                           project, ", ".join(urls.redact(url)
                                              for url in asked))

    @staticmethod
    def _took_over(failed, mirror, reason):
        logger.warning("Mirror %s failed (%s); %s took over.",
                       urls.redact(failed), reason, urls.redact(mirror))

    def _dropped(self, mirror, reason, silent):
        if not self.failover.live():
            logger.warning("Mirror %s failed (%s); no mirror is left.",
                           urls.redact(mirror), reason)
        elif silent:
            logger.warning("Mirror %s stopped answering (%s) while another "
                           "mirror served; it is left out and re-checked in "
                           "the background.", urls.redact(mirror), reason)
        else:
            logger.warning("Mirror %s failed %d times within %.0f s (last: "
                           "%s); it is left out and re-checked in the "
                           "background.", urls.redact(mirror), MAX_FAILURES,
                           FAILURE_WINDOW, reason)
        self._mark_dead(mirror, reason)

    def _back(self, mirror):
        """An ejected mirror answered its re-check: a blip, not a death;
        the next run may use it again."""
        logger.info("Mirror %s answers again.", urls.redact(mirror))
        now = time.time()
        self.store.update(lambda stored: state.mark_back(stored, mirror,
                                                         now))

    def _private_indexes(self, private):
        """Say which indexes are private; learn what they serve."""
        route = self.failover.private
        assert route is not None  # called only with private indexes
        route.on_learned = lambda index, name: self.store.update(
            lambda stored: state.learn_private(stored, index, [name]))
        route.on_down = lambda index, reason: logger.warning(
            "Private index %s does not answer (%s): the projects it served "
            "before%s stop the build if it must download them; other "
            "projects come from the mirrors.", urls.redact(index), reason,
            " and those of mirrors-private-projects" if private.declared
            else "")
        for index in private.indexes:
            names = private.names(index)
            logger.info("Private index %s: asked first for every project; "
                        "%d known private (%s)%s.", urls.redact(index),
                        len(names), ", ".join(names[:5]) + (
                            ", ..." if len(names) > 5 else "") or "none yet",
                        "; declared: " + " ".join(private.declared)
                        if private.declared else "")
        known = state.private_indexes(self.store.load())
        if any(urls.redact(index) not in known for index in private.indexes):
            def learn(stored):
                for index in private.indexes:
                    state.learn_private(stored, index)
            self.store.update(learn)

    def _mark_dead(self, mirror, reason):
        now = time.time()
        self.store.update(lambda stored: state.mark_dropped(
            stored, mirror, reason, now))


class OnDemand:
    """The failover's look-ahead, made when the first file comes: a rerun
    that downloads nothing imports none of it."""

    def __init__(self, make):
        self.make, self.real = make, None
        self.early = 0  # files buildout asked for before it was made

    def started(self):
        if self.real is None:
            self.real = self.make()
            self.real.asked += self.early
        return self.real

    def claim(self, url, accept):
        if self.real is not None:
            return self.real.claim(url, accept)
        self.early += DIST_SUFFIXES_RE.search(url.split("#", 1)[0]) \
            is not None
        return None

    def arrived(self, url, fetched):
        if self.real is not None or (fetched.status == 200 and
                                     DIST_SUFFIXES_RE.search(url.split(
                                         "#", 1)[0])):
            self.started().arrived(url, fetched)

    def close(self):
        if self.real is not None:
            self.real.close()
