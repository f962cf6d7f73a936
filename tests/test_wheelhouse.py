"""The wheelhouse writes only verified files, under safe names."""

import pytest
import zc.buildout

from buildout_mirrors.features.wheelhouse_index import Wheelhouse
from faulty import FaultyMirror


def test_a_corrupt_download_is_refused_and_nothing_written(tmp_path,
                                                          pypi_mirror):
    house = tmp_path / "wheelhouse"
    with FaultyMirror(pypi_mirror.url, "corrupt-downloads") as corrupt:
        with pytest.raises(zc.buildout.UserError, match="does not match its "
                           "sha256 hash"):
            Wheelhouse(str(house)).collect({"six": "1.16.0"}, [corrupt.url])
    assert [path for path in house.rglob("*") if path.is_file()] == []


def test_names_from_a_malicious_page_never_leave_the_directory(
        tmp_path, pypi_mirror):
    house = tmp_path / "deep" / "er" / "wheelhouse"
    with FaultyMirror(pypi_mirror.url, "malicious-names") as malicious:
        Wheelhouse(str(house)).collect({"six": "1.16.0"}, [malicious.url])
    assert not list(tmp_path.rglob("escaped"))
    written = sorted(path.relative_to(house).as_posix()
                     for path in house.rglob("*.whl"))
    assert written == ["six/six-1.16.0-py2.py3-none-any.whl"]


def test_projects_answer_to_the_spelling_older_setuptools_asks_for(
        tmp_path):
    # setuptools < 71 (zc.buildout 3.0.1, Plone 6.0) asks a file: index
    # for "zc.recipe.egg/", not the normalised "zc-recipe-egg/".
    house = tmp_path / "wheelhouse"
    for folder, name in (("zc-recipe-egg", "zc_recipe_egg-3.0.0-py3-none-"
                          "any.whl"), ("zope", "Zope-5.13-py3-none-any.whl"),
                         ("docopt", "docopt-0.6.2.tar.gz")):
        (house / folder).mkdir(parents=True)
        (house / folder / name).write_bytes(b"")
    Wheelhouse(str(house)).write_indexes()
    for alias, project in (("zc.recipe.egg", "zc-recipe-egg"),
                           ("zc_recipe_egg", "zc-recipe-egg"),
                           ("Zope", "zope")):
        assert (house / alias).is_symlink()
        assert (house / alias / "index.html").read_text() == (
            house / project / "index.html").read_text()
    root = (house / "index.html").read_text()
    assert "zc.recipe.egg" not in root and "zc-recipe-egg/" in root
    assert sorted(path.name for path in house.iterdir()
                  if not path.is_symlink()) == [
        "docopt", "index.html", "zc-recipe-egg", "zope"]
    Wheelhouse(str(house)).write_indexes()  # again: nothing breaks
