"""Pages and files of projects private to a company's index.

Asked before the pool of public mirrors for every project page (uv's
``first-index``): a page a private index serves comes from there, and its
name is private from then on
(:mod:`buildout_mirrors.selection.private_projects`).
A project known private never goes to a public mirror: when its index is
down the run stops with one error naming that index.  Its files come from
where its page listed them, with no failover, no redirect off the private
hosts and no second opinion (a public mirror never hears a private name).
"""

from buildout_mirrors.index import index_client, urls
from buildout_mirrors.index.transport import FetchError
from buildout_mirrors.failover.verified import VerifiedFiles


class PrivateIndexDown(Exception):
    """A private project that its index cannot serve now."""


class PrivateRoute:
    """``PrivateRoute(projects, exchange, on_learned=None, on_down=None)``:
    *projects* is a PrivateProjects, *exchange* an Exchange over the
    private indexes (redirects stay on their hosts)."""

    def __init__(self, projects, exchange, on_learned=None, on_down=None):
        self.projects, self.exchange = projects, exchange
        self.on_learned = on_learned or (lambda index, name: None)
        self.on_down = on_down or (lambda index, reason: None)
        self.files = VerifiedFiles(self._get, None)

    def page(self, project, relative, accept):
        """The page of *project* from a private index, or None: the
        project is not private, ask the pool."""
        owners = self.projects.owners(project)
        if owners is not None:
            return self._from_owners(project, relative, accept, owners)
        for index in self.projects.to_ask(project):
            try:
                fetched = self._ask(index, relative, accept)
                if fetched.status == 200:
                    return self._served(index, project, fetched)
            except FetchError as error:
                if self.projects.failed(index, str(error)):
                    self.on_down(index, str(error))
                continue
            fetched.close()
            self.projects.missing(index, project)
        return None

    def _from_owners(self, project, relative, accept, owners):
        if not owners:
            raise PrivateIndexDown(
                "%s is declared private (mirrors-private-projects = %s), "
                "but no private index is known to serve it; it is never "
                "taken from a public mirror. Name the company's index in "
                "mirrors-private." % (project, " ".join(
                    self.projects.declared)))
        reasons, not_found = [], None
        for index in owners:
            try:
                fetched = self._ask(index, relative, accept)
                if fetched.status == 200:
                    return self._served(index, project, fetched)
            except FetchError as error:
                self.projects.failed(index, str(error))
                reasons.append("%s: %s" % (urls.redact(index), error))
                continue
            if not_found is not None:
                not_found.close()
            not_found = fetched
        if reasons:
            if not_found is not None:
                not_found.close()
            raise PrivateIndexDown(
                "%s is private to %s, which cannot serve it now (%s); it is "
                "never taken from a public mirror. Start the build again "
                "once that index answers." % (
                    project, " or ".join(urls.redact(index)
                                         for index in owners),
                    "; ".join(reasons)))
        return not_found  # the private index has no such project

    def _ask(self, index, relative, accept):
        """The answer of *index*: a page, or a 404 (it has no such
        project); anything else (401, 403, 5xx) is a failure."""
        fetched = self._get(index + relative, accept, True)
        if fetched.status not in (200, 404, 410):
            fetched.close()
            raise FetchError("HTTP %d" % fetched.status)
        return fetched

    def _served(self, index, project, fetched):
        """Learn *project* (and its files) as private to *index*."""
        try:
            listed = index_client.project_page(fetched).files
        except FetchError:
            fetched.close()
            raise
        self.projects.listed(listed.values())
        if self.projects.served(index, project):
            self.on_learned(index, project)
        return fetched

    def file(self, url, expected):
        """A file a private page listed, from there only."""
        try:
            return self.files.get_verified(url, expected, True)
        except FetchError as error:
            raise PrivateIndexDown(
                "%s, listed by a private index, could not be fetched from "
                "it (%s); it is never taken from a public mirror" % (
                    urls.redact(url.split("#", 1)[0]), error)) from None

    def _get(self, url, accept, patient=True, files_elsewhere=False):
        # Never elsewhere: a company's files come from the company.
        return self.exchange.get(
            urls.with_auth_of(url, self.projects.indexes), accept, patient)
