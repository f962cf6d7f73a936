"""An emergency local mirror: the exact distributions this buildout uses.

``recipe = buildout_mirrors:wheelhouse`` (put the part last in ``parts``)
collects, after the eggs are resolved, the distribution files of every
egg the buildout runs (all parts, the extensions, and zc.buildout,
setuptools, pip and wheel themselves) into ``directory``, laid out as a
PEP 503 simple index with ``#sha256=`` fragments.  Files already there are
kept; only what is missing is fetched.  List the directory last in
``mirrors`` (and pass it to bootstrap.py with ``--mirror``): it is used only
when every other mirror is dead.
"""

import logging
import os

import pkg_resources
from packaging.utils import canonicalize_name

from buildout_mirrors.buildout.extension import settings_for
from buildout_mirrors.buildout.run import RUNS
from buildout_mirrors.features.wheelhouse_index import Wheelhouse

logger = logging.getLogger("buildout_mirrors")
TOOLCHAIN = ("zc.buildout", "setuptools", "pip", "wheel")


class Recipe:
    """``Recipe(buildout, name, options)``; option ``directory`` (default
    ``${buildout:directory}/wheelhouse``)."""

    def __init__(self, buildout, name, options):
        self.buildout, self.name, self.options = buildout, name, options
        options.setdefault("directory", os.path.join(
            buildout["buildout"]["directory"], "wheelhouse"))

    def install(self):
        """Collect what is missing.  Returns no paths on purpose: buildout
        deletes what a part returns when the part changes, and a
        wheelhouse is worth keeping."""
        wheelhouse = Wheelhouse(self.options["directory"],
                                verify=settings_for(self.buildout).verify)
        # RUNS.chosen: the index option has no credentials when the
        # extension chose it.
        sources = [RUNS.chosen(self.buildout)
                   or self.buildout["buildout"].get("index")
                   or "https://pypi.org/simple"]
        sources += self.buildout["buildout"].get("find-links", "").split()
        wheelhouse.collect(self.used_distributions(), sources)
        return []

    update = install

    def used_distributions(self):
        """(project, version) of every distribution the buildout runs."""
        found = {}

        def add(requirements, working_set=pkg_resources.working_set):
            try:
                for dist in working_set.resolve(
                        [pkg_resources.Requirement.parse(text)
                         for text in requirements]):
                    found[canonicalize_name(dist.project_name)] = dist.version
            except (pkg_resources.ResolutionError, ValueError) as error:
                logger.warning("Wheelhouse %s: cannot resolve %s (%s).",
                               self.name, ", ".join(requirements), error)

        add(TOOLCHAIN)
        add(self.buildout["buildout"].get("extensions", "").split())
        for part in self.buildout["buildout"].get("parts", "").split():
            if part == self.name:
                continue
            section = self.buildout[part]
            recipe = section.get("recipe", "")
            add([recipe.split(":")[0]] if recipe else [])
            if section.get("eggs", "").strip() and \
                    recipe.startswith("zc.recipe.egg"):
                import zc.recipe.egg
                _, working_set = zc.recipe.egg.Egg(
                    self.buildout, part, section).working_set()
                for dist in working_set:
                    found[canonicalize_name(dist.project_name)] = dist.version
        return found
