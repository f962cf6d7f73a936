"""The core: candidates, probing, ranking, the choice and the state file.

Standard library only, and nothing here knows zc.buildout: bootstrap.py is
assembled from these modules (see buildout_mirrors.bootstrapping.assemble),
and the extension, the recipe and the ``buildout-mirrors`` command use them
as they are.
"""
