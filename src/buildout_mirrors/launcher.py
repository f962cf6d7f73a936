"""``bin/buildout`` as bootstrap.py writes it: zc.buildout's own ``main``,
with remote extends read under a deadline (see ``extends_guard``).

Also runnable as ``python -m buildout_mirrors.launcher [buildout args]``
where ``buildout`` comes from pip (Plone's requirements.txt venvs).
"""

import sys


def main(args=None):
    from buildout_mirrors.extends_guard import ExtendsGuard
    ExtendsGuard().install()
    import zc.buildout.buildout
    return zc.buildout.buildout.main(args)


if __name__ == "__main__":
    sys.exit(main())
