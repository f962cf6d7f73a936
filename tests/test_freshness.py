import datetime

from buildout_mirrors.selection import freshness


def test_last_modified_url_beside_simple():
    assert freshness.last_modified_url("https://m.example/pypi/simple") == \
        "https://m.example/pypi/last-modified"
    assert freshness.last_modified_url("https://m.example/simple/") == \
        "https://m.example/last-modified"


def test_parse_last_modified_and_bands():
    now = datetime.datetime(2026, 11, 25, 12, 0, 0)
    assert freshness.parse_last_modified("20261125T11:30:00", now) == 1800
    assert freshness.parse_last_modified("garbage", now) is None
    assert freshness.band("", 1800) == "fresh"
    assert freshness.band("", 7200) == "aging"
    assert freshness.band("", 2 * 86400) == "old"
    assert freshness.band("behind by 3 serial(s)", None) == "aging"
    assert freshness.band("", None) == "fresh"


def test_describe():
    row = {"freshness": "aging", "last_sync_age_s": 7200.0,
           "lag": "behind by 2 serial(s)", "serial": 5}
    assert freshness.describe(row) == \
        "aging (synced 2.0 h ago, behind by 2 serial(s))"
