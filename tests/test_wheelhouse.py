"""The wheelhouse writes only verified files, under safe names."""

import pytest
import zc.buildout

from buildout_mirrors.wheelhouse import Wheelhouse
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
