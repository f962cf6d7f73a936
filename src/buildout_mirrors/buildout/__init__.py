"""The buildout side: the only modules that import zc.buildout.

The extension and its switch, the recipes, the per-generation adapters,
the launcher that bootstrap.py writes as bin/buildout, and the guard on
remote ``extends``.
"""
