from buildout_mirrors.index import urls


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


def test_credentials_are_unquoted_and_become_one_basic_header():
    assert urls.credentials("https://mirror.example/simple") is None
    assert urls.credentials("https://u%40corp:p%3Ass@mirror.example/simple") \
        == ("u@corp", "p:ss")
    assert urls.basic_auth("u@corp", "p:ss") == "Basic dUBjb3JwOnA6c3M="
