"""Which URLs the failover answers, and with whose credentials.

Buildout and pip are handed URLs without credentials (they print them,
store them in ``.installed.cfg`` and put them on command lines); the
failover adds them back, for the origin (scheme, host and port) they were
given for only: the candidates' and those of find-links that carry
credentials.
"""

import urllib.parse

from buildout_mirrors.index import pages, urls


class Routes:
    """``Routes(book, link_credentials)``: *book* knows the candidates;
    *link_credentials* are find-links, those with credentials kept."""

    def __init__(self, book, link_credentials=()):
        self.book = book
        self.links = [link for link in link_credentials
                      if urls.credentials(link)]

    def handles(self, url):
        """Pages of the candidates, distribution files from anywhere
        (pypi.org's pages point at another host for files), and anything
        on the origin of a find-links with credentials."""
        if not url.startswith(("http://", "https://")):
            return False
        try:
            return self.book.owner(url) is not None or \
                pages.DIST_SUFFIXES_RE.search(
                    urllib.parse.urlsplit(url).path) is not None or any(
                    urls.origin(url) == urls.origin(link)
                    for link in self.links)
        except ValueError:  # no URL (http://[x/...): urllib's own error
            return False

    def with_auth(self, url):
        """*url* with the credentials of the candidate (or find-links) of
        its origin."""
        return urls.with_auth_of(url, self.book.candidates + self.links)
