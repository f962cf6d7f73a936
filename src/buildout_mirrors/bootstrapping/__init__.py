"""bootstrap.py, as a package: standard library only, and built on the
index client, the store, the selection and the failover.  ``assemble``
writes bootstrap.py as a short script that carries these modules and
those folders as plain text, the way get-pip.py carries pip."""
