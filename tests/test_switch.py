"""IndexSwitch on a real zc.buildout Buildout object: every place that
holds the index is changed, and restore() puts each one back."""

import os

import pytest
import zc.buildout.buildout
import zc.buildout.easy_install

from buildout_mirrors.buildout import extension
from buildout_mirrors.buildout.switch import IndexSwitch

MIRROR = "https://u:p@mirror.example:8443/simple"


@pytest.fixture
def buildout(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("PIP_INDEX_URL", "PIP_FIND_LINKS",
                 "PIP_DISABLE_PIP_VERSION_CHECK"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "buildout.cfg").write_text(
        "[buildout]\nparts =\nindex = https://pypi.org/simple\n"
        "find-links = https://links.example/dists\n"
        "allow-hosts =\n    *.pypi.org\n    pypi.org\n")
    saved = (zc.buildout.easy_install.index_url(),
             zc.buildout.easy_install.default_index_url)
    yield zc.buildout.buildout.Buildout(str(tmp_path / "buildout.cfg"), [])
    zc.buildout.easy_install.index_url(saved[0])
    zc.buildout.easy_install.default_index_url = saved[1]


def test_apply_and_restore(buildout):
    switch = IndexSwitch(buildout)
    switch.apply(MIRROR, ["/srv/wheels"])
    options = buildout["buildout"]
    assert options["index"] == MIRROR
    assert options["find-links"] == "/srv/wheels"
    assert list(buildout._links) == ["/srv/wheels"]
    assert buildout._allow_hosts == ("*.pypi.org", "pypi.org",
                                     "mirror.example:8443")
    assert zc.buildout.easy_install.index_url() == MIRROR
    assert zc.buildout.easy_install.default_index_url == MIRROR
    assert os.environ["PIP_INDEX_URL"] == MIRROR
    assert os.environ["PIP_FIND_LINKS"] == "/srv/wheels"
    assert os.environ["PIP_DISABLE_PIP_VERSION_CHECK"] == "1"

    switch.restore()
    assert options["index"] == "https://pypi.org/simple"
    assert options["find-links"] == "https://links.example/dists"
    assert list(buildout._links) == ["https://links.example/dists"]
    assert buildout._allow_hosts == ("*.pypi.org", "pypi.org")
    assert zc.buildout.easy_install.index_url() == "https://pypi.org/simple"
    assert "PIP_INDEX_URL" not in os.environ
    assert "PIP_DISABLE_PIP_VERSION_CHECK" not in os.environ


def test_listed_extension_names(buildout):
    for spec, listed in (("buildout_mirrors", True),
                         ("buildout-mirrors==1.0", True),
                         ("mr.developer buildout_mirrors", True),
                         ("mr.developer", False),
                         ("buildout_mirrors_plus", False)):
        buildout["buildout"]["extensions"] = spec
        assert extension.is_listed(buildout) is listed, spec
