"""The parts of a selection that are meant to be swapped.

The selection (buildout_mirrors.selection) is standard library only,
because bootstrap.py is made of it; so its classes are declared here,
once, rather than with ``@implementer`` in their modules.  Whoever
checks a part against an interface imports this module, and with it the
declarations.

The defaults are :class:`buildout_mirrors.selection.probe.HttpProber`,
:class:`buildout_mirrors.selection.ranking.OrderedPolicy` /
:class:`~buildout_mirrors.selection.ranking.FastestPolicy` and
:class:`buildout_mirrors.store.state.StateFile`; candidates come from
:class:`buildout_mirrors.selection.selector.ConfiguredCandidates`.
"""

from zope.interface import Attribute, Interface, classImplements


class ICandidateSource(Interface):
    """Where the candidate mirrors come from."""

    def candidates():
        """Index URLs, in order of preference (credentials included)."""

    def find_links():
        """find-links entries (URLs or local paths), in order."""


class IProber(Interface):
    """How one mirror is checked."""

    def probe_index(url, projects, deadline):
        """Fetch each project page of index *url* before *deadline*
        (a ``time.monotonic()`` value); return a ProbeResult
        (``buildout_mirrors.selection.result``: the URL, a ``Status``, the
        seconds it took, the reason), never raise."""

    def probe_link(url, deadline):
        """Check that find-links *url* answers; return a ProbeResult."""


class IPolicy(Interface):
    """How the choice is made among the probe results."""

    name = Attribute("The mirrors-policy value that selects this policy.")
    grace = Attribute("Seconds to wait for silent candidates after the "
                      "first healthy answer.")

    def done(order, results, waited_since_first_healthy, sticky=None):
        """True when waiting longer cannot change the choice enough.
        *sticky* is the previous choice, kept while it stays healthy."""

    def rank(order, results, lags, sticky=None):
        """Healthy results, best first: up-to-date ones before those that
        are behind (``lags[url]``, a ``Lag``, is false when up to date;
        ``str()`` of it says how far behind)."""


class IStateStore(Interface):
    """Where results are kept between runs."""

    def load():
        """The stored state as a dict (empty when there is none)."""

    def update(change):
        """Apply ``change(state)`` to the stored state under a lock and
        write it atomically."""


class IGeneration(Interface):
    """One generation of zc.buildout, seen from the index switch."""

    def index_url(url=None):
        """Set the index buildout passes to pip (when it passes one);
        return the previous one."""

    def run_pip(call, *args, **kwargs):
        """Run buildout's ``call_pip_install`` or ``develop``; raise
        ``generations.PipFailed`` (with the output where it can be
        captured) when the pip or setup.py it runs fails."""


def _declare_the_built_in_parts():
    from buildout_mirrors.selection import probe, ranking, selector
    from buildout_mirrors.store import state
    classImplements(selector.ConfiguredCandidates, ICandidateSource)
    classImplements(probe.HttpProber, IProber)
    classImplements(ranking.OrderedPolicy, IPolicy)
    classImplements(ranking.FastestPolicy, IPolicy)
    classImplements(state.StateFile, IStateStore)
    classImplements(state.NoState, IStateStore)
    from buildout_mirrors.buildout import generations
    classImplements(generations.WithIndexUrl, IGeneration)
    classImplements(generations.WithoutIndexUrl, IGeneration)


_declare_the_built_in_parts()
