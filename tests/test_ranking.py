"""Unit tests: freshness and the two policies."""

import pytest

from buildout_mirrors.index.pages import newest_version
from buildout_mirrors.selection.result import ProbeResult, Status
from buildout_mirrors.selection.ranking import (GRACE_SECONDS, FastestPolicy,
                                      OrderedPolicy, lags)

A, B, C = "https://a/simple", "https://b/simple", "https://c/simple"
FILES = frozenset({"x-1-py3-none-any.whl", "x-2-py3-none-any.whl"})


def ok(url, elapsed=0.05, serial=None, files=FILES, project="x"):
    return ProbeResult(url, Status.HEALTHY, elapsed, serial=serial, files=files,
                       newest=((project, newest_version(files)),))


def dead(url):
    return ProbeResult(url, Status.FAILED, 2.0, "connection refused")


def said(verdict):
    """The lags as the log line and the state file say them."""
    return {url: str(lag) for url, lag in verdict.items()}


def test_serial_lag():
    verdict = lags([ok(A, serial=100), ok(B, serial=97), dead(C)])
    assert said(verdict) == {A: "", B: "behind by 3 serial(s)"}
    assert not verdict[A] and verdict[B] and verdict[B].serials == 3


def test_newest_release_lag_without_serials():
    verdict = lags([ok(A), ok(B, files=frozenset({"x-1-py3-none-any.whl"}))])
    assert said(verdict) == {A: "", B: "newest release older than another "
                             "mirror's (x 1 < 2)"}


def test_a_curated_mirror_lacking_old_files_is_not_behind():
    # A stopped syncing at zc.buildout 6.0.0; B is current but curated
    # (a company index, a wheelhouse): it lacks the old 6.0.0 file.
    stale = ProbeResult(A, True, 0.01, files=frozenset({
        "zc.buildout-6.0.0.tar.gz", "six-1.16.0-py2.py3-none-any.whl"}),
        newest=(("zc-buildout", "6.0.0"), ("six", "1.16.0")))
    fresh = ProbeResult(B, True, 0.01, files=frozenset({
        "zc_buildout-6.0.1.tar.gz", "six-1.17.0-py2.py3-none-any.whl"}),
        newest=(("zc-buildout", "6.0.1"), ("six", "1.17.0")))
    verdict = lags([stale, fresh])
    assert not verdict[B]
    assert "zc-buildout 6.0.0 < 6.0.1" in str(verdict[A])
    assert [result.url for result in OrderedPolicy().rank(
        [A, B], [stale, fresh], verdict)] == [B, A]


def test_versions_compare_in_pep440_order_not_as_text():
    old = ok(A, files=frozenset({"x-6.0.9-py3-none-any.whl"}))
    new = ok(B, files=frozenset({"x-6.0.10-py3-none-any.whl"}))
    assert said(lags([old, new])) == {
        A: "newest release older than another mirror's (x 6.0.9 < 6.0.10)",
        B: ""}


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
    results = [ok(A, 0.09), ok(B, 0.01), ok(
        C, 0.001, files=frozenset({"x-1-py3-none-any.whl"}))]
    ranked = FastestPolicy().rank([A, B, C], results, lags(results))
    assert [result.url for result in ranked] == [B, A, C]


def test_fastest_keeps_the_previous_choice():
    results = [ok(A, 0.09), ok(B, 0.01)]
    assert FastestPolicy().rank([A, B], results, lags(results),
                                sticky=A)[0].url == A


def test_devpi_replica_behind_its_primary_by_serials():
    primary = "a" * 32
    results = [
        ProbeResult("https://replica/+simple", True, 0.01,
                    devpi=(primary, 100)),
        ProbeResult("https://other-replica/+simple", True, 0.02,
                    devpi=(primary, 108)),
        ProbeResult("https://primary/+simple", True, 0.05,
                    devpi=(primary, 110)),
        # Another replica set counts other serials: not compared.
        ProbeResult("https://elsewhere/+simple", True, 0.03,
                    devpi=("b" * 32, 7)),
    ]
    verdict = said(lags(results))
    assert verdict["https://replica/+simple"] == \
        "behind its devpi primary by 10 serial(s)"
    assert verdict["https://other-replica/+simple"] == ""  # 2: in sync
    assert verdict["https://primary/+simple"] == ""
    assert verdict["https://elsewhere/+simple"] == ""


def test_a_probe_result_has_one_status():
    """One value where 1.0 had four booleans; a plug-in's True and False
    still mean healthy and failed."""
    assert ProbeResult(A, True).status is Status.HEALTHY
    assert ProbeResult(A, False).status is Status.FAILED
    for status, flags in (
            (Status.HEALTHY, (True, True, False, False)),
            (Status.CURATED, (False, True, False, True)),
            (Status.SLOW, (False, True, True, False)),
            (Status.NOT_WAITED, (False, False, False, False)),
            (Status.FAILED, (False, True, False, False))):
        result = ProbeResult(A, status)
        assert (result.ok, result.answered, result.slow,
                result.curated) == flags
