"""Files checked against every hash known for them: the hash the page
gave, the one another mirror lists (the second opinion), and the verdicts
already reached in this run (a file two mirrors disagreed on stays
refused)."""

import threading

from buildout_mirrors.index import index_client
from buildout_mirrors.index.transport import FetchError
from buildout_mirrors.failover.second_opinion import IntegrityError, disagree


class VerifiedFiles:
    """``VerifiedFiles(get, opinion)``: *get(url, accept, patient,
    files_elsewhere=False)* is the failover's bounded GET."""

    def __init__(self, get, opinion):
        self.get, self.opinion = get, opinion
        self.conflicts = {}   # file name -> message
        self._lock = threading.Lock()

    def refuse_known_conflict(self, name):
        with self._lock:
            if name in self.conflicts:
                raise IntegrityError(self.conflicts[name])

    def locate(self, mirror, project, name, expected, patient):
        """The URL of file *name* on *mirror*'s page, after checking that
        the page's hash agrees with what is expected."""
        try:
            parsed = index_client.read_project(
                mirror, project, None, get=lambda url, accept: self.get(
                    url, accept, patient))
        except index_client.NotListed:
            return None
        if name not in parsed.files:
            return None
        alternative = parsed.files[name]
        try:
            disagree(name, alternative, expected, mirror)
        except IntegrityError as error:
            with self._lock:
                self.conflicts[name] = str(error)
            raise
        return alternative

    def agreed(self, fetched, name, expected, served_by):
        """*fetched*, once a second mirror's page agrees on its hash."""
        try:
            self.opinion.check(name, expected, served_by)
        except IntegrityError as error:
            fetched.close()
            with self._lock:
                self.conflicts[name] = str(error)
            raise
        return fetched

    def get_verified(self, url, expected, patient):
        # A file whose hash the page gave may be redirected to another
        # https host (proxpi sends what it has not cached yet upstream):
        # the hash, not the host, makes it trustworthy.
        fetched = self.get(url, "*/*", patient, files_elsewhere=bool(
            expected))
        try:
            if fetched.status != 200:
                raise FetchError("HTTP %d" % fetched.status)
            index_client.check_hashes(fetched.body, expected)
        except FetchError:
            fetched.close()
            raise
        return fetched
