"""Turn a failed pip run into one clear ``UserError``.

zc.buildout runs pip through ``get_subprocess_output``, which prints pip's
output and raises a bare ``Exception``; buildout then prints its "internal
error ... bug in either zc.buildout or in a recipe" traceback, which points
the user at the wrong culprit.  Here pip's output is captured for the one
call, and its failure becomes an error that names what pip was installing,
what the failover index could not serve and why, and pip's own key lines.
"""

import zc.buildout
import zc.buildout.easy_install

KEY_LINES = 8


def run_pip(call_pip_install, spec, args, kwargs, failures=lambda: ()):
    """``call_pip_install(spec, *args, **kwargs)``; *failures()* gives the
    (what, why) pairs the local failover index could not serve."""
    module = zc.buildout.easy_install
    original = getattr(module, "get_subprocess_output", None)
    captured = []
    if original is None:  # older zc.buildout: nothing to capture
        return call_pip_install(spec, *args, **kwargs)

    def quiet(command, **options):
        import subprocess
        result = subprocess.run(command, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, **options)
        output = result.stdout.decode("utf-8", "replace")
        if result.returncode:
            captured.append(output)
            raise _PipFailed()
        return output

    module.get_subprocess_output = quiet
    try:
        return call_pip_install(spec, *args, **kwargs)
    except _PipFailed:
        raise zc.buildout.UserError(message(
            spec, captured[-1] if captured else "", failures())) from None
    finally:
        module.get_subprocess_output = original


class _PipFailed(Exception):
    pass


def message(spec, output, failures=()):
    """The error text: what failed, the index's reasons, pip's key lines."""
    lines = [line.rstrip() for line in output.splitlines() if line.strip()]
    key = [line for line in lines if line.lstrip().startswith(
        ("ERROR", "error:"))] or lines
    served = "".join("\n  %s: %s" % failure
                     for failure in list(failures)[-KEY_LINES:])
    return ("pip could not install %s.%s\npip said:\n  %s" % (
        spec, ("\nThe mirrors could not serve:" + served) if served else "",
        "\n  ".join(key[-KEY_LINES:]) or "(nothing)"))
