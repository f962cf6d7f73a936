"""Every change the extension makes to a running buildout, in one place,
so that one ``undo()`` puts the process back as it found it: options,
attributes of the Buildout object and of zc.buildout's modules,
environment variables, and anything else that registers its own undo
(the urllib opener, a temporary directory).  What did not exist before is
removed again, not left behind with a new value."""

import os

_MISSING = object()


class Ledger:
    """``Ledger()``: ``set_item``, ``set_attribute``, ``set_environ``,
    ``on_undo``; ``undo()`` reverses them all, newest first."""

    def __init__(self):
        self._undo = []
        self._seen = set()

    def set_item(self, mapping, key, value):
        """``mapping[key] = value`` (a buildout section, say)."""
        self._remember(("item", id(mapping), key), lambda: self._put_back(
            mapping.__setitem__, mapping.pop, key,
            mapping.get(key, _MISSING)))
        mapping[key] = value

    def set_attribute(self, target, name, value):
        """``setattr(target, name, value)`` (an object or a module)."""
        self._remember(("attribute", id(target), name),
                       lambda: self._put_back(
                           lambda key, old: setattr(target, key, old),
                           lambda key, default: _delete(target, key), name,
                           getattr(target, name, _MISSING)))
        setattr(target, name, value)

    def set_environ(self, name, value):
        self.set_item(os.environ, name, value)

    def on_undo(self, undo):
        """Call *undo()* when the ledger is undone, in order with the rest."""
        self._undo.append(undo)

    def undo(self):
        while self._undo:
            self._undo.pop()()
        self._seen.clear()

    def _remember(self, key, make_undo):
        """Only the first change of one thing is undone: that restores the
        value from before any change."""
        if key not in self._seen:
            self._seen.add(key)
            self._undo.append(make_undo())

    @staticmethod
    def _put_back(put, remove, key, old):
        if old is _MISSING:
            return lambda: remove(key, None)
        return lambda: put(key, old)


def _delete(target, name):
    if hasattr(target, name):
        delattr(target, name)
