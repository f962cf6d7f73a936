"""The launcher loads buildout_mirrors straight from its environment only
when zc.buildout would load exactly that; otherwise zc.buildout's way."""

import importlib.metadata

import pytest
import zc.buildout.easy_install

from buildout_mirrors.buildout.launcher import loads_directly

VERSION = importlib.metadata.version("buildout_mirrors")


@pytest.fixture
def pins():
    before = zc.buildout.easy_install.default_versions({})
    yield lambda versions: zc.buildout.easy_install.default_versions(
        versions)
    zc.buildout.easy_install.default_versions(before)


def config(tmp_path, extensions):
    develop = tmp_path / "develop-eggs"
    develop.mkdir(exist_ok=True)
    return {"buildout": {"extensions": extensions,
                         "develop-eggs-directory": str(develop)}}


@pytest.mark.parametrize("extensions", ["buildout_mirrors",
                                        "buildout-mirrors",
                                        "Buildout_Mirrors"])
def test_the_only_extension_unpinned_loads_directly(tmp_path, pins,
                                                    extensions):
    assert loads_directly(config(tmp_path, extensions))


def test_the_pinned_version_loads_directly(tmp_path, pins):
    pins({"buildout-mirrors": VERSION})
    assert loads_directly(config(tmp_path, "buildout_mirrors"))


def test_another_pin_goes_zc_buildouts_way(tmp_path, pins):
    pins({"buildout-mirrors": "0.1"})
    assert not loads_directly(config(tmp_path, "buildout_mirrors"))


def test_another_extension_goes_zc_buildouts_way(tmp_path, pins):
    assert not loads_directly(config(tmp_path,
                                     "buildout_mirrors mr.developer"))
    assert not loads_directly(config(tmp_path, ""))


def test_a_develop_egg_of_it_goes_zc_buildouts_way(tmp_path, pins):
    settings = config(tmp_path, "buildout_mirrors")
    (tmp_path / "develop-eggs" / "buildout-mirrors.egg-link").write_text(
        "/src/buildout_mirrors\n.")
    assert not loads_directly(settings)
