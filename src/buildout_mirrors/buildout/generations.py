"""What differs between the generations of zc.buildout that users run.

Plone and Zope pin zc.buildout exactly, so the extension meets every
generation from 3.0.1 on.  Where each keeps "the index", and how it runs
pip (read from each release's ``easy_install.py``):

=============  =================================  ==================  ===========================  ===============================
zc.buildout    package index                      ``index_url()``     pip is given the index        a failed pip run
=============  =================================  ==================  ===========================  ===============================
3.0.x, 4.0-1   ``setuptools.package_index``       none                only through ``PIP_*`` env    pip prints, ``sys.exit(1)``
4.2-4.x        vendored ``_package_index``        none                only through ``PIP_*`` env    pip prints, ``sys.exit(1)``;
                                                                                                   ``develop`` (setup.py, which
                                                                                                   runs pip from setuptools 80)
                                                                                                   ``get_subprocess_output``
5.x, 6.x       vendored ``_package_index``        class attribute     ``--extra-index-url``         ``get_subprocess_output``
                                                                      ``index_url()`` + ``PIP_*``   raises a bare ``Exception``
=============  =================================  ==================  ===========================  ===============================

Common to all: the ``index``, ``find-links`` and ``allow-hosts`` options,
``Buildout._links`` and ``Buildout._allow_hosts``, ``default_index_url``,
``clear_index_cache()``, ``call_pip_install(spec, dest, ...)``, and both
package indexes open URLs through urllib's installed opener.

:func:`current` returns the adapter for the running zc.buildout; nothing
else in the package asks which version it runs on.  Both adapters provide
:class:`buildout_mirrors.interfaces.IGeneration` (declared there: a rerun
imports this module and need not pay for zope.interface).
"""

import subprocess

import zc.buildout.easy_install


class PipFailed(Exception):
    """pip exited non-zero; ``output`` is what it printed, if captured."""

    def __init__(self, output=""):
        super().__init__("pip failed")
        self.output = output


class _Generation:

    def run_pip(self, call, *args, **kwargs):
        """Run *call* (buildout's ``call_pip_install`` or ``develop``);
        raise :class:`PipFailed` when the pip (or setup.py) it runs fails.

        From 4.2 on buildout runs its subprocesses through
        ``get_subprocess_output``, which prints their output and raises a
        bare ``Exception``: it is swapped for the call, so that the output
        is kept for one clear error.  Older ones exit the process."""
        module = zc.buildout.easy_install
        original = getattr(module, "get_subprocess_output", None)
        captured = []

        def quiet(command, **options):
            result = subprocess.run(command, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, **options)
            output = result.stdout.decode("utf-8", "replace")
            if result.returncode:
                captured.append(output)
                raise PipFailed(output)
            return output

        if original is not None:
            module.get_subprocess_output = quiet
        try:
            return call(*args, **kwargs)
        except SystemExit:
            raise PipFailed(captured[-1] if captured else "") from None
        finally:
            if original is not None:
                module.get_subprocess_output = original


class WithIndexUrl(_Generation):
    """zc.buildout 5 and 6."""

    name = "zc.buildout >= 5"

    def index_url(self, url=None):
        module = zc.buildout.easy_install
        previous = module.index_url()
        if url is not None:
            module.index_url(url)
        return previous


class WithoutIndexUrl(_Generation):
    """zc.buildout 3.x and 4.x: pip reads the index from the environment
    only."""

    name = "zc.buildout < 5"

    def index_url(self, url=None):
        return None


def current():
    """The adapter for the zc.buildout that is running."""
    if hasattr(zc.buildout.easy_install, "index_url"):
        return WithIndexUrl()
    return WithoutIndexUrl()
