from buildout_mirrors.core import urls


def test_redact():
    assert urls.redact("https://u:p@h.example:8443/simple") == \
        "https://***@h.example:8443/simple"
    assert urls.redact("https://token@h.example/simple") == \
        "https://***@h.example/simple"
    assert urls.redact("https://h.example/simple") == "https://h.example/simple"


def test_loopback():
    assert urls.is_loopback("127.0.0.1") and urls.is_loopback("::1")
    assert urls.is_loopback("localhost")
    assert not urls.is_loopback("10.0.0.1") and not urls.is_loopback("pypi.org")
