"""The selection pipeline: options -> candidates -> parallel probes under
one deadline -> ranking -> the choice, kept in the state file; and which
projects belong to a company's index.

Standard library only, and nothing here knows zc.buildout: bootstrap.py
carries it, and the extension and the ``buildout-mirrors`` command use it
as it is.
"""
