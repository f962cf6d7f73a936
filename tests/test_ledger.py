"""The switch's ledger puts a process back as it found it."""

import os
import types
import urllib.request

from buildout_mirrors.buildout.ledger import Ledger


def test_undo_restores_values_and_removes_what_was_not_there(monkeypatch):
    monkeypatch.delenv("BUILDOUT_MIRRORS_LEDGER_TEST", raising=False)
    target = types.SimpleNamespace(kept="before")
    mapping = {"index": "https://pypi.org/simple"}
    previous_opener = urllib.request._opener
    calls = []
    ledger = Ledger()
    ledger.set_attribute(target, "kept", "first")
    ledger.set_attribute(target, "kept", "second")  # the first old value wins
    ledger.set_attribute(target, "added", "new")
    ledger.set_item(mapping, "index", "https://mirror.example/simple")
    ledger.set_item(mapping, "find-links", "/srv/wheels")
    ledger.set_environ("BUILDOUT_MIRRORS_LEDGER_TEST", "1")
    ledger.set_attribute(urllib.request, "_opener", object())
    ledger.on_undo(lambda: calls.append("undone"))
    ledger.undo()
    assert target.kept == "before" and not hasattr(target, "added")
    assert mapping == {"index": "https://pypi.org/simple"}
    assert "BUILDOUT_MIRRORS_LEDGER_TEST" not in os.environ
    assert urllib.request._opener is previous_opener
    assert calls == ["undone"]
    ledger.undo()  # twice is harmless
    assert calls == ["undone"]
