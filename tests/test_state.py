"""Unit tests: the state file survives bad content and parallel writers."""

import json
import multiprocessing
import os
import time

import pytest

from buildout_mirrors.store import files, state


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


def test_a_write_failing_part_way_keeps_the_old_file(tmp_path, monkeypatch):
    """The disk fills up half-way through the write itself: the old file
    stays whole, and no temporary file is left behind."""
    path = tmp_path / "state.json"
    store = state.StateFile(str(path))
    store.update(lambda data: data["mirrors"].update(a=RECORD))
    before = path.read_text()
    real_fdopen = os.fdopen

    class HalfWriter:
        def __init__(self, stream):
            self.stream = stream

        def write(self, data):
            self.stream.write(data[:len(data) // 2])
            self.stream.flush()
            raise OSError(28, "No space left on device")

        def __getattr__(self, name):
            return getattr(self.stream, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.stream.close()

    monkeypatch.setattr(files.os, "fdopen",
                        lambda *args, **kwargs: HalfWriter(
                            real_fdopen(*args, **kwargs)))
    assert store.update(lambda data: data["mirrors"].update(
        b=dict(RECORD, reason="x" * 100000))) is False
    monkeypatch.undo()
    assert path.read_text() == before
    assert sorted(os.listdir(tmp_path)) == ["state.json", "state.json.lock"]


def _rewrite_forever(path, stop_after):
    store = state.StateFile(path)
    deadline = time.monotonic() + stop_after
    number = 0
    while time.monotonic() < deadline:
        number += 1
        size = 2000 if number % 2 else 10
        store.update(lambda data: data.update(mirrors={
            "m%d" % index: RECORD for index in range(size)}))


def test_a_reader_without_the_lock_never_sees_half_a_file(tmp_path):
    path = str(tmp_path / "state.json")
    state.StateFile(path).update(lambda data: None)
    writer = multiprocessing.Process(target=_rewrite_forever,
                                     args=(path, 3.0))
    writer.start()
    reads = 0
    try:
        while writer.is_alive():
            with open(path, encoding="utf-8") as stream:
                json.loads(stream.read())  # never a partial document
            reads += 1
    finally:
        writer.join(30)
    assert writer.exitcode == 0
    assert reads > 10


def test_bad_entries_are_dropped_one_by_one_with_one_warning(tmp_path,
                                                           caplog):
    path = tmp_path / "state.json"
    path.write_text(json.dumps({"format": 1, "mirrors": {
        "https://good/simple": RECORD, "https://bad/simple": "x",
        "https://worse/simple": dict(RECORD, checked="yesterday")},
        "choices": {"k1": {"mirror": "https://good/simple",
                           "candidates": []},  # no "at"
                    "k2": {"mirror": "https://good/simple", "at": 1.0,
                           "candidates": ["https://good/simple"]}}}))
    store = state.StateFile(str(path))
    for _ in range(3):
        loaded = store.load()
    assert list(loaded["mirrors"]) == ["https://good/simple"]
    assert list(loaded["choices"]) == ["k2"]
    assert caplog.text.count("invalid entr") == 1
    store.update(lambda data: None)
    assert json.loads(path.read_text()) == loaded


def test_a_newer_format_is_left_untouched(tmp_path, caplog):
    path = tmp_path / "state.json"
    text = json.dumps({"format": 2, "anything": ["new"]})
    path.write_text(text)
    store = state.StateFile(str(path))
    assert store.load() == state.empty()
    assert store.update(lambda data: data["mirrors"].update(a=RECORD)) \
        is False
    assert path.read_text() == text
    assert "newer than this buildout_mirrors" in caplog.text
    assert "corrupt" not in caplog.text


@pytest.mark.parametrize("text", ["[]", "null", '"x"', "{", "{}",
                                  '{"format": 1, "mirrors": [], '
                                  '"choices": {}}'])
def test_corrupt_files_are_one_warning(tmp_path, caplog, text):
    path = tmp_path / "state.json"
    path.write_text(text)
    store = state.StateFile(str(path))
    assert store.load() == state.empty()
    assert store.load() == state.empty()
    assert caplog.text.count("is corrupt") == 1
