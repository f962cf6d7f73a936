"""The pluggable parts provide the interfaces they declare."""

from zope.interface.verify import verifyClass, verifyObject

from buildout_mirrors import interfaces

from buildout_mirrors.selection import options, probe, ranking, selector
from buildout_mirrors.store import state


def test_declared_interfaces_hold():
    settings = options.parse({"mirrors": "https://a.example/simple",
                              "mirrors-cache": "none"}, environ={})
    assert verifyObject(interfaces.ICandidateSource,
                        selector.ConfiguredCandidates(settings))
    assert verifyObject(interfaces.IProber, probe.HttpProber())
    assert verifyClass(interfaces.IPolicy, ranking.OrderedPolicy)
    assert verifyClass(interfaces.IPolicy, ranking.FastestPolicy)
    assert verifyObject(interfaces.IStateStore, state.StateFile("/x"))
    assert verifyObject(interfaces.IStateStore, state.NoState())
    from buildout_mirrors.buildout import generations
    assert verifyObject(interfaces.IGeneration, generations.current())
