"""Pick a live, up-to-date package index for zc.buildout and fail over.

The buildout hooks live in :mod:`buildout_mirrors.extension`; everything else
is plain code that knows nothing of buildout.
"""
