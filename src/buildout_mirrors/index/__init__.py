"""The index client: one bounded HTTP GET (kept alive per host), project
pages (PEP 503 and 691) read in one pass, files checked against their
hashes, URLs and the credentials in them, what a distribution requires.

Standard library only; the lowest layer: it imports nothing else of this
package.  bootstrap.py carries it.
"""
