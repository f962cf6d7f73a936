"""Extension points a company plugs into without forking.

Two entry-point groups name zope.interface implementations (see
:mod:`buildout_mirrors.interfaces`):

``buildout_mirrors.candidates``
    An :class:`~buildout_mirrors.interfaces.ICandidateSource` factory,
    called with the validated
    :class:`~buildout_mirrors.selection.options.Settings`; chosen with
    ``mirrors-candidates = NAME``.  Where the mirror list comes from a
    service registry, a region file or a CMDB.
``buildout_mirrors.policies``
    An :class:`~buildout_mirrors.interfaces.IPolicy` class, called with the
    grace; chosen with ``mirrors-policy = NAME`` (``ordered`` and
    ``fastest`` are built in).
``buildout_mirrors.probers``
    An :class:`~buildout_mirrors.interfaces.IProber` factory, called with
    the settings; chosen with ``mirrors-prober = NAME``.  Where a company's
    health service already knows which mirror is up.
``buildout_mirrors.state_stores``
    An :class:`~buildout_mirrors.interfaces.IStateStore` factory, called
    with the settings; chosen with ``mirrors-state-store = NAME``.  Where a
    fleet shares its verdicts (a key-value store, say).

What a plug-in gives back is checked as the configuration is: its class
must declare the interface, and its candidate URLs go through the same
validation as ``mirrors``.
"""

from buildout_mirrors.index.errors import ConfigError

CANDIDATES = "buildout_mirrors.candidates"
POLICIES = "buildout_mirrors.policies"
# option -> (entry-point group, the interface's name in .interfaces)
FACTORIES = {
    "mirrors-prober": ("buildout_mirrors.probers", "IProber"),
    "mirrors-state-store": ("buildout_mirrors.state_stores", "IStateStore"),
}


def names(group):
    """The entry-point names installed in *group*, sorted."""
    return sorted({entry_point.name for entry_point in _entry_points(group)})


def load(group, name, interface, option):
    """The object entry point *name* of *group* names, which must declare
    *interface*; one ConfigError naming *option* otherwise."""
    found = [entry_point for entry_point in _entry_points(group)
             if entry_point.name == name]
    if not found:
        raise ConfigError("%s = %r: no such plug-in is installed (entry "
                          "point group %s has: %s)" % (
                              option, name, group,
                              ", ".join(names(group)) or "none"))
    try:
        implementation = found[0].load()
    except Exception as error:  # a broken plug-in is the user's to fix
        raise ConfigError("%s = %r: the plug-in %s does not load (%s: %s)"
                          % (option, name, found[0].value,
                             type(error).__name__, error)) from None
    if not interface.implementedBy(implementation):
        raise ConfigError("%s = %r: %s does not declare %s (use "
                          "@zope.interface.implementer(%s))" % (
                              option, name, found[0].value,
                              interface.__name__, interface.__name__))
    return implementation


def policy_names():
    return names(POLICIES)


def policy(name):
    """The ``IPolicy`` class the ``mirrors-policy`` plug-in *name* names."""
    from buildout_mirrors.interfaces import IPolicy
    return load(POLICIES, name, IPolicy, "mirrors-policy")


def factory(option, name):
    """The factory the plug-in *name* of *option* (``mirrors-prober`` or
    ``mirrors-state-store``) names; it must declare the interface."""
    from buildout_mirrors import interfaces
    group, interface = FACTORIES[option]
    implementation = load(group, name, getattr(interfaces, interface), option)

    def make(settings):
        try:
            return implementation(settings)
        except Exception as error:  # the user's plug-in: one clear line
            raise ConfigError("%s = %s: the plug-in failed (%s: %s)" % (
                option, name, type(error).__name__, error)) from None
    return make


def candidates(settings, name):
    """(candidate URLs, find-links) from the ``mirrors-candidates`` plug-in
    *name*, unchecked: the caller validates them as configuration."""
    from buildout_mirrors.interfaces import ICandidateSource
    source = load(CANDIDATES, name, ICandidateSource,
                  "mirrors-candidates")(settings)
    try:
        return list(source.candidates()), list(source.find_links())
    except Exception as error:
        raise ConfigError("mirrors-candidates = %s: the plug-in failed "
                          "(%s: %s)" % (name, type(error).__name__, error)
                          ) from None


def _entry_points(group):
    import importlib.metadata  # only when a plug-in is named: reruns skip it
    entry_points = importlib.metadata.entry_points()
    if hasattr(entry_points, "select"):  # Python 3.10 and later
        return entry_points.select(group=group)
    return entry_points.get(group, ())  # Python 3.9
