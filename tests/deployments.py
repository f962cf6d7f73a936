"""The buildouts the end-to-end tests build, and how they check them."""

import importlib.metadata

from isolation import run

# The tool chain at the versions this environment runs (and the mirrors
# serve), pinned as a deployment pins them.
PINS = "\n".join("%s = %s" % (name, importlib.metadata.version(name))
                 for name in ("zc.buildout", "setuptools", "pip", "wheel",
                              "zc.recipe.egg"))

# A small buildout: a wheel-only egg (six) and an sdist-only one (docopt,
# which pip builds).
EGGS = """
[buildout]
extensions = buildout_mirrors
mirrors = {mirrors}
mirrors-cache = ${{buildout:directory}}/mirrors-state.json
parts = py
{extra}

[py]
recipe = zc.recipe.egg
eggs =
    six
    docopt
interpreter = py
"""


def check_eggs_work(directory, env):
    code, output = run([directory / "bin" / "py", "-c",
                        "import six, docopt; print(six.__version__, "
                        "docopt.__version__)"], env, directory)
    assert code == 0, output
    assert output.split() == ["1.16.0", "0.6.2"]
