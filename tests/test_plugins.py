"""Extension points: a company's candidate source and policy, installed as
a distribution with entry points, and checked as configuration is."""

import textwrap

import pytest

from buildout_mirrors import plugins
from buildout_mirrors.selection import options
from buildout_mirrors.index.errors import ConfigError
from buildout_mirrors.selection.selector import MirrorSelector

PLUGIN = '''
from zope.interface import implementer
from buildout_mirrors.interfaces import (ICandidateSource, IPolicy, IProber,
                                         IStateStore)
from buildout_mirrors.selection.ranking import OrderedPolicy
from buildout_mirrors.selection.result import ProbeResult
from buildout_mirrors.store.state import empty

@implementer(ICandidateSource)
class RegionCandidates:
    """The region's devpi replica first, then what the buildout lists."""
    def __init__(self, settings):
        self.settings = settings
    def candidates(self):
        return ["https://devpi.eu.example.com/root/pypi/+simple/"] + list(
            self.settings.candidates)
    def find_links(self):
        return ["https://wheels.eu.example.com/"]

class Undeclared:
    def __init__(self, settings):
        pass

@implementer(ICandidateSource)
class PlainHttp(RegionCandidates):
    def candidates(self):
        return ["http://mirror.example.com/simple"]

@implementer(ICandidateSource)
class Broken(RegionCandidates):
    def candidates(self):
        raise RuntimeError("the registry is down")

@implementer(IPolicy)
class Reversed(OrderedPolicy):
    name = "reversed"
    def rank(self, order, results, lags, sticky=None):
        return list(reversed(super().rank(order, results, lags, sticky)))

@implementer(IProber)
class HealthService:
    """The company's health service says which mirror is up."""
    UP = ("https://devpi.eu.example.com/root/pypi/+simple",)
    def __init__(self, settings):
        self.settings = settings
    def probe_index(self, url, projects, deadline):
        return ProbeResult(url, url in self.UP, 0.01,
                           "" if url in self.UP else "down (health service)")
    def probe_link(self, url, deadline):
        return ProbeResult(url, True, 0.01)

@implementer(IStateStore)
class Shared:
    """A fleet's shared store (here: one dict a process)."""
    STORE = {}
    def __init__(self, settings):
        pass
    def load(self):
        return self.STORE.get("state") or empty()
    def update(self, change):
        state = self.load()
        change(state)
        self.STORE["state"] = state
        return True

@implementer(IStateStore)
class Careless:
    """A store that keeps whatever it is given, and starts with {}."""
    STORE = {}
    def __init__(self, settings):
        pass
    def load(self):
        return self.STORE.get("state", {})
    def update(self, change):
        state = self.STORE.setdefault("state", {})
        change(state)
        return True

@implementer(IStateStore)
class Unreachable(Shared):
    def __init__(self, settings):
        raise ConnectionError("the store is down")
'''

ENTRY_POINTS = """
[buildout_mirrors.candidates]
region = company_mirrors:RegionCandidates
undeclared = company_mirrors:Undeclared
plain-http = company_mirrors:PlainHttp
broken = company_mirrors:Broken
missing = company_mirrors:NoSuchThing

[buildout_mirrors.policies]
reversed = company_mirrors:Reversed

[buildout_mirrors.probers]
health = company_mirrors:HealthService
undeclared = company_mirrors:Undeclared

[buildout_mirrors.state_stores]
shared = company_mirrors:Shared
careless = company_mirrors:Careless
unreachable = company_mirrors:Unreachable
"""


@pytest.fixture
def company_plugin(tmp_path, monkeypatch):
    """A distribution as pip would install it: a module and its
    dist-info with entry points."""
    (tmp_path / "company_mirrors.py").write_text(PLUGIN)
    info = tmp_path / "company_mirrors-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: company-mirrors\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(textwrap.dedent(ENTRY_POINTS))
    monkeypatch.syspath_prepend(str(tmp_path))


def parse(environ=None, **raw):
    raw = {name.replace("_", "-"): value for name, value in raw.items()}
    raw.setdefault("mirrors-cache", "none")
    return options.parse(raw, environ=environ or {}, base_directory="/srv",
                         plugins=plugins)


def test_a_candidate_source_plug_in_gives_the_candidates(company_plugin):
    settings = parse(mirrors="https://pypi.org/simple",
                     mirrors_candidates="region")
    assert settings.candidates == (
        "https://devpi.eu.example.com/root/pypi/+simple",
        "https://pypi.org/simple")
    assert settings.find_links == ("https://wheels.eu.example.com/",)
    assert settings.candidates_from == "mirrors-candidates = region"


def test_the_outage_override_beats_the_plug_in(company_plugin):
    settings = parse({"BUILDOUT_MIRRORS": "https://other.example/simple"},
                     mirrors_candidates="region")
    assert settings.candidates == ("https://other.example/simple",)


@pytest.mark.parametrize("name, message", [
    ("undeclared", "does not declare ICandidateSource"),
    ("plain-http", "uses plain http"),
    ("broken", "the plug-in failed (RuntimeError: the registry is down)"),
    ("missing", "does not load (AttributeError"),
    ("nope", "no such plug-in is installed (entry point group "
             "buildout_mirrors.candidates has: broken, missing, plain-http, "
             "region, undeclared)"),
])
def test_what_a_candidate_plug_in_gives_is_checked(company_plugin, name,
                                                   message):
    with pytest.raises(ConfigError, match="mirrors-candidates") as error:
        parse(mirrors_candidates=name)
    assert message in str(error.value)


def test_a_policy_plug_in(company_plugin):
    settings = parse(mirrors_policy="reversed")
    assert settings.policy == "reversed"
    assert type(MirrorSelector(settings).policy).__name__ == "Reversed"
    with pytest.raises(ConfigError, match="use one of: ordered, fastest, "
                       "reversed"):
        parse(mirrors_policy="random")


def test_prober_and_state_store_plug_ins(company_plugin):
    import company_mirrors
    settings = parse(mirrors="https://pypi.org/simple "
                     "https://devpi.eu.example.com/root/pypi/+simple",
                     mirrors_prober="health", mirrors_state_store="shared")
    selection = MirrorSelector(settings).select()
    assert selection.chosen == "https://devpi.eu.example.com/root/pypi/+simple"
    assert "down (health service)" in selection.summary()
    stored = company_mirrors.Shared.STORE["state"]
    assert stored["mirrors"]["https://pypi.org/simple"]["ok"] is False
    assert MirrorSelector(settings).select().from_state


def test_a_state_store_that_returns_an_empty_dict_works(company_plugin):
    """A plug-in store need not know the state file's schema: {} (or
    anything else) is read as no state, and what the run records is
    kept in the store's dict, in the right shape."""
    import company_mirrors
    settings = parse(mirrors="https://pypi.org/simple "
                     "https://devpi.eu.example.com/root/pypi/+simple",
                     mirrors_prober="health", mirrors_state_store="careless")
    selection = MirrorSelector(settings).select()
    assert selection.chosen == "https://devpi.eu.example.com/root/pypi/+simple"
    stored = company_mirrors.Careless.STORE["state"]
    assert stored["format"] == 1 and stored["choices"]
    assert MirrorSelector(settings).select().from_state


@pytest.mark.parametrize("option, name, message", [
    ("mirrors-prober", "undeclared", "does not declare IProber"),
    ("mirrors-prober", "nope", "no such plug-in is installed"),
    ("mirrors-state-store", "unreachable",
     "the plug-in failed (ConnectionError: the store is down)"),
])
def test_a_prober_or_state_store_plug_in_is_checked(company_plugin, option,
                                                    name, message):
    with pytest.raises(ConfigError, match=option) as error:
        MirrorSelector(parse(**{option.replace("-", "_"): name}))
    assert message in str(error.value)
