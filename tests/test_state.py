"""Unit tests: the state file survives bad content and parallel writers."""

import json
import multiprocessing
import os

import pytest

from buildout_mirrors import state


def test_missing_file_is_empty(tmp_path):
    assert state.StateFile(str(tmp_path / "none.json")).load() == state.empty()


@pytest.mark.parametrize("content", [
    "{not json", '{"format": 1, "mirrors": {', "[]", '{"format": 1}', ""])
def test_corrupt_or_truncated_file_warns_once_and_is_replaced(
        tmp_path, caplog, content):
    path = tmp_path / "state.json"
    path.write_text(content)
    store = state.StateFile(str(path))
    assert store.load() == state.empty()
    assert [record.levelname for record in caplog.records] == ["WARNING"]
    assert "corrupt" in caplog.text
    assert store.update(lambda data: data["choices"].update(k={"at": 1}))
    assert json.loads(path.read_text())["choices"] == {"k": {"at": 1}}


def test_other_format_version(tmp_path, caplog):
    path = tmp_path / "state.json"
    path.write_text(json.dumps({"format": 99, "mirrors": {}, "choices": {}}))
    assert state.StateFile(str(path)).load() == state.empty()
    assert "format 99" in caplog.text


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(tmp_path, caplog):
    path = tmp_path / "state.json"
    path.write_text("{}")
    path.chmod(0)
    assert state.StateFile(str(path)).load() == state.empty()
    assert "Cannot read" in caplog.text


def test_unwritable_location_warns_and_goes_on(tmp_path, caplog):
    blocker = tmp_path / "file"
    blocker.write_text("")
    store = state.StateFile(str(blocker / "sub" / "state.json"))
    assert store.update(lambda data: None) is False
    assert "Cannot write the mirrors state file" in caplog.text
    assert "mirrors-cache" in caplog.text


def test_write_is_atomic_and_leaves_no_temporary_files(tmp_path):
    path = tmp_path / "state.json"
    store = state.StateFile(str(path))
    store.update(lambda data: data["mirrors"].update(a={"ok": True}))

    def explode(data):
        data["mirrors"]["b"] = {"ok": True}
        raise OSError("disk full")
    assert store.update(explode) is False
    assert json.loads(path.read_text())["mirrors"] == {"a": {"ok": True}}
    assert sorted(os.listdir(tmp_path)) == ["state.json", "state.json.lock"]


RECORD = {"checked": 1.0, "ok": True, "elapsed": 0.1, "reason": "",
          "serial": None, "lag": ""}


def _add_entries(path, worker, count):
    store = state.StateFile(path)
    for number in range(count):
        store.update(lambda data: data["mirrors"].update(
            {"w%d-%d" % (worker, number): RECORD}))


def test_parallel_writers_lose_nothing(tmp_path):
    path = str(tmp_path / "state.json")
    workers = [multiprocessing.Process(target=_add_entries, args=(path, n, 25))
               for n in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    assert len(state.StateFile(path).load()["mirrors"]) == 100


def test_key_has_no_credentials():
    with_password = state.candidates_key(["https://u:pw@a.example/simple"])
    assert with_password == state.candidates_key(
        ["https://other:secret@a.example/simple"])
