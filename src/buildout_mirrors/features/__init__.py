"""What a deployment builds on the choice, each feature in its own
modules: the recipe (``${part:index}``, pip.conf, uv.toml, env files:
recipe.py, clientconfig.py), the wheelhouse (wheelhouse.py,
wheelhouse_index.py) and the guard on remote extends (extends_guard.py).
They use zc.buildout and the run registry of the buildout adapter.
"""
