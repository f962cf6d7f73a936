"""Failing over mid-run: which mirror next (mirror_book), one bounded
exchange with a mirror (exchange), fetching through them (fetch), and
pip's door, a local index on 127.0.0.1 (pipproxy).  Buildout's door, the
urllib handler, is buildout_mirrors.buildout.hook_urllib."""
