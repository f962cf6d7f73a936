"""Route buildout's own downloads through :class:`~.failover.Failover`.

zc.buildout's package index and ``zc.buildout.download`` open every URL
with ``urllib.request.urlopen``, that is through the installed opener.  A
handler placed first answers the URLs of the candidate mirrors (and of the
files their pages list) itself, with failover; it leaves the rest alone.
"""

import http.client
import urllib.error
import urllib.request
import urllib.response

import zc.buildout

from buildout_mirrors.index.errors import OVERRIDE_HINT
from buildout_mirrors.index.transport import FetchError
from buildout_mirrors.failover.mirror_book import NoMirrorLeft
from buildout_mirrors.failover.private_route import PrivateIndexDown
from buildout_mirrors.failover.second_opinion import IntegrityError
from buildout_mirrors.index.pages import file_name
from buildout_mirrors.index.urls import without_auth


class FailoverHandler(urllib.request.BaseHandler):
    """``FailoverHandler(failover)``, a urllib handler."""

    handler_order = 100  # before every standard handler

    def __init__(self, failover):
        self.failover = failover

    def default_open(self, request):
        url = request.full_url
        if not self.failover.handles(url):
            return None
        try:
            fetched = self.failover.fetch(
                url, accept=request.get_header("Accept", "text/html"))
        except NoMirrorLeft as error:
            # Nothing listed is alive: fail now, with the reasons, rather
            # than go on to "Couldn't find a distribution" (or elsewhere).
            # What was wanted: a project page's name, or a file's.
            wanted = file_name(url.split("#", 1)[0].rstrip("/"))
            raise zc.buildout.UserError(
                "This buildout must download %s, but %s. %s"
                % (wanted, error, OVERRIDE_HINT)) from None
        except FetchError as error:
            # buildout reports a URLError as "Download error on ..." and
            # goes on with what the other pages give.
            raise urllib.error.URLError(str(error)) from None
        except (IntegrityError, PrivateIndexDown) as error:
            raise zc.buildout.UserError(str(error)) from None
        # Credentials stay out of the URL buildout sees, prints and joins
        # relative links to; the handler adds them back by host.
        final_url = without_auth(fetched.url)
        headers = fetched.headers  # case-insensitive, as urllib's own
        if fetched.status >= 400:
            raise urllib.error.HTTPError(final_url, fetched.status,
                                         http.client.responses.get(
                                             fetched.status, ""),
                                         headers, fetched.body)
        response = urllib.response.addinfourl(fetched.body, headers,
                                              final_url, fetched.status)
        # urllib's own responses carry the reason phrase as .msg.
        response.msg = http.client.responses.get(  # type: ignore
            fetched.status, "")
        return response


def failover_opener(failover):
    """A urllib opener whose http(s) requests go through *failover*; the
    switch installs it, and its ledger puts the previous one back."""
    return urllib.request.build_opener(FailoverHandler(failover))
