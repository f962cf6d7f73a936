"""Turn a failed pip run into one clear ``UserError``.

zc.buildout 5 and 6 run pip through ``get_subprocess_output``, which prints
pip's output and raises a bare ``Exception``; buildout then prints its
"internal error ... bug in either zc.buildout or in a recipe" traceback,
which points the user at the wrong culprit (older generations exit the
process).  Here the failure becomes one error that names what pip was
installing, what the failover index could not serve and why, and pip's
own key lines where they can be captured.
"""

import zc.buildout

from buildout_mirrors.buildout.generations import PipFailed

KEY_LINES = 8


def run_pip(generation, call, spec, args, kwargs, failures=lambda: ()):
    """``call(spec, *args, **kwargs)`` (buildout's ``call_pip_install`` or
    ``develop``) through *generation*
    (:mod:`buildout_mirrors.buildout.generations`);
    *failures()* gives the (what, why) pairs the local failover index could
    not serve."""
    try:
        return generation.run_pip(call, spec, *args, **kwargs)
    except PipFailed as error:
        raise zc.buildout.UserError(message(
            spec, error.output, failures())) from None


def message(spec, output, failures=()):
    """The error text: what failed, the index's reasons, pip's key lines."""
    lines = [line.rstrip() for line in output.splitlines() if line.strip()]
    key = [line for line in lines if line.lstrip().startswith(
        ("ERROR", "error:"))] or lines
    served = "".join("\n  %s: %s" % failure
                     for failure in list(failures)[-KEY_LINES:])
    said = ("\npip said:\n  " + "\n  ".join(key[-KEY_LINES:])) if key \
        else " (pip's own output is above)"
    return "pip could not install %s.%s%s" % (
        spec, ("\nThe mirrors could not serve:" + served) if served else "",
        said)
