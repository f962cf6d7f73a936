"""bootstrap.py, as a package: standard library only, and built on the
core.  ``assemble`` writes bootstrap.py as a short script that carries
these modules and the core as a zip, the way get-pip.py carries pip."""
