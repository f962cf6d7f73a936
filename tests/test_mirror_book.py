"""Unit tests of the failover policy, with a clock the tests turn: no
server, no sleep.  Each rule of mirror_book.py's docstring has its test."""

import pytest

from buildout_mirrors.failover import mirror_book
from buildout_mirrors.failover.mirror_book import (
    EJECTION_BASE, FAILURE_WINDOW, MAX_FAILURES, MirrorBook)

A, B, C = ("https://a.example/simple", "https://b.example/simple",
           "https://c.example/simple")


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def drops():
    return []


@pytest.fixture
def book(clock, drops):
    return MirrorBook([A, B, C], clock=clock,
                      on_drop=lambda *event: drops.append(event))


def test_a_mirror_silent_while_another_serves_is_ejected_at_once(book,
                                                                   drops):
    book.stalled(A, "no answer within 2.0 s")
    assert book.order() == [B, C] and book.order(A) == [B, C]
    assert drops == [(A, "no answer within 2.0 s", True)]
    assert A in book.dropped


def test_the_last_mirror_is_never_ejected_for_silence(clock):
    book = MirrorBook([A], clock=clock)
    for _ in range(5):
        book.stalled(A, "no answer")
    assert book.order() == [A]
    two = MirrorBook([A, B], clock=clock)
    two.stalled(A, "no answer")
    two.stalled(B, "no answer")  # B is the last in rotation now
    assert two.order() == [B]


def test_when_all_are_ejected_for_silence_they_are_still_asked(book):
    """Slow is not dead: the panic threshold."""
    book.stalled(A, "no answer")
    book.stalled(B, "no answer")
    book.failed(C, "HTTP 503")
    book.failed(C, "HTTP 503")
    assert book.order() == [A, B]  # C failed hard: not asked in a panic


def test_hard_failures_count_only_within_the_window(book, clock, drops):
    for _ in range(MAX_FAILURES - 1):
        book.failed(A, "connection reset")
    clock.advance(FAILURE_WINDOW + 1)
    book.failed(A, "connection reset")
    assert A in book.order() and drops == []
    book.failed(A, "connection reset")
    assert A not in book.order()
    assert drops == [(A, "connection reset", False)]


def test_an_ejection_grows_with_each_repeat_and_ends_in_a_recheck(book,
                                                                   clock):
    book.stalled(A, "no answer")
    clock.advance(EJECTION_BASE - 1)
    assert book.due() == []
    clock.advance(1)
    assert book.due() == [A]
    assert book.due() == []  # one re-check at a time
    assert A not in book.order()  # not back before it answered
    book.recheck_failed(A, "no answer", silent=True)
    clock.advance(EJECTION_BASE * 2 - 1)
    assert book.due() == []
    clock.advance(1)
    assert book.due() == [A]


def test_a_preferred_mirror_that_answers_again_is_preferred_again(book,
                                                                    clock):
    book.stalled(A, "no answer")
    assert book.order() == [B, C]
    clock.advance(EJECTION_BASE)
    assert book.due() == [A]
    book.answered(A)
    assert book.order() == [A, B, C]


def test_a_mirror_silent_at_the_probe_and_silent_when_waited_for_hangs(
        clock, drops):
    book = MirrorBook([A, B], silent=[A], clock=clock,
                      on_drop=lambda *event: drops.append(event))
    book.failed(A, "no answer within 15.0 s", patient=True)
    assert book.order() == [B]
    assert drops == [(A, "no answer within 15.0 s", False)]
    book.stalled(B, "no answer")  # the last one: kept
    assert book.order() == [B]
    alone = MirrorBook([A], silent=[A], clock=clock)
    alone.failed(A, "no answer within 15.0 s", patient=True)
    assert alone.order() == []  # hung: not asked even in a panic


def test_the_selections_dead_are_never_asked(book):
    book.drop(A, "connection refused")
    book.stalled(B, "no answer")
    book.failed(C, "reset")
    book.failed(C, "reset")
    assert book.order() == [B]  # B: silent only; A: dead; C: failed hard
    assert "connection refused" in str(book.none_left())


def test_failures_of_parallel_requests_in_a_burst_are_one_event_per_call(
        book):
    """Two pip downloads seeing one blip count twice: MAX_FAILURES is
    reached, the mirror is ejected for a while, not for the run."""
    book.failed(A, "reset")
    book.failed(A, "reset")
    assert A not in book.order()
    assert book.health[A].ejected_until is not None


def test_the_policy_runs_in_milliseconds(clock):
    """A thousand decisions, no server and no sleep."""
    import time
    started = time.perf_counter()
    book = MirrorBook([A, B, C], clock=clock)
    for step in range(1000):
        book.stalled(A, "x")
        book.order(A)
        clock.advance(7)
        for mirror in book.due():
            book.answered(mirror)
    assert time.perf_counter() - started < 2.0
    assert mirror_book.MAX_FAILURES == MAX_FAILURES


def test_the_first_byte_limit_is_learned_from_a_mirrors_answers():
    from buildout_mirrors.failover.latency import FLOOR, SAMPLES, Latencies
    latencies = Latencies()
    assert latencies.first_byte(A, 2.0) == 2.0  # nothing learned yet
    for _ in range(SAMPLES):
        latencies.record(A, 0.005)
    assert latencies.first_byte(A, 2.0) == FLOOR  # a fast, local mirror
    for _ in range(SAMPLES):
        latencies.record(B, 0.1)
    assert 0.9 < latencies.first_byte(B, 2.0) <= 1.0  # ten times 100 ms
    for _ in range(50):
        latencies.record(B, 5.0)
    assert latencies.first_byte(B, 2.0) == 2.0  # never past the timeout
