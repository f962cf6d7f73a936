"""Pick a live, up-to-date package index for zc.buildout and fail over.

The entry point is :mod:`buildout_mirrors.buildout.extension`.  Which
modules may import zc.buildout, and which alone handle credentials and
the state file, is in README.rst's Architecture section.
"""
