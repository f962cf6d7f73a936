"""Unit tests: freshness and the two policies."""

import pytest

from buildout_mirrors.result import ProbeResult
from buildout_mirrors.ranking import (GRACE_SECONDS, FastestPolicy,
                                      OrderedPolicy, lags)

A, B, C = "https://a/simple", "https://b/simple", "https://c/simple"
FILES = frozenset({"x-1.whl", "x-2.whl"})


def ok(url, elapsed=0.05, serial=None, files=FILES):
    return ProbeResult(url, True, elapsed, serial=serial, files=files)


def dead(url):
    return ProbeResult(url, False, 2.0, "connection refused")


def test_serial_lag():
    verdict = lags([ok(A, serial=100), ok(B, serial=97), dead(C)])
    assert verdict == {A: "", B: "behind by 3 serial(s)"}


def test_file_list_lag_without_serials():
    verdict = lags([ok(A), ok(B, files=frozenset({"x-1.whl"}))])
    assert verdict == {A: "", B: "missing 1 file(s) other mirrors have"}


def test_behind_is_ranked_after_up_to_date_but_before_nothing():
    results = [ok(A, serial=1), ok(B, serial=5), dead(C)]
    ranked = OrderedPolicy().rank([A, B, C], results, lags(results))
    assert [result.url for result in ranked] == [B, A]


@pytest.mark.parametrize("policy", [OrderedPolicy(), FastestPolicy()])
def test_waits_for_silent_candidates_only_for_the_grace(policy):
    assert not policy.done([A, B], [ok(B)], 0.0)
    assert policy.done([A, B], [ok(B)], GRACE_SECONDS)
    assert policy.done([A, B], [dead(A), ok(B)], 0.0)
    assert not policy.done([A, B], [dead(A)], 5.0)


@pytest.mark.parametrize("policy", [OrderedPolicy(), FastestPolicy()])
def test_healthy_previous_choice_ends_the_wait(policy):
    assert policy.done([A, B], [ok(B)], 0.0, sticky=B)
    assert not policy.done([A, B], [dead(B)], 0.0, sticky=B)


def test_ordered_treats_the_previous_choice_as_preferred():
    results = [ok(A), ok(B)]
    assert OrderedPolicy().rank([A, B], results, lags(results),
                                sticky=B)[0].url == B


def test_fastest_prefers_quickest_up_to_date():
    results = [ok(A, 0.09), ok(B, 0.01), ok(C, 0.001,
                                           files=frozenset({"x-1.whl"}))]
    ranked = FastestPolicy().rank([A, B, C], results, lags(results))
    assert [result.url for result in ranked] == [B, A, C]


def test_fastest_keeps_the_previous_choice():
    results = [ok(A, 0.09), ok(B, 0.01)]
    assert FastestPolicy().rank([A, B], results, lags(results),
                                sticky=A)[0].url == A
