"""The house rules that keep the layout honest (README, Architecture)."""

import ast
import subprocess
import sys

from conftest import CHECKOUT

PACKAGE = CHECKOUT / "src" / "buildout_mirrors"
MAX_MODULE_LINES = 250
MAX_FUNCTION_LINES = 50


def modules():
    return sorted(PACKAGE.rglob("*.py"))


def imported_names(path):
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


# The folders by role, lowest first (README, Architecture): a module may
# import from its own layer and those below, never from one above.
LAYERS = ["index", "store", "selection", "failover", "bootstrapping",
          "buildout", "features", "entry points"]
# The package's own faces: the extension points sit with the buildout
# adapter that reads them; bin/buildout's launcher stays in buildout/
# (the scripts bootstrap.py wrote name it) but is an entry point, as the
# command line is.
PLACED = {"interfaces.py": "buildout", "plugins.py": "buildout",
          "__init__.py": "index", "cli.py": "entry points",
          "buildout/launcher.py": "entry points"}


def imported_modules(path):
    """imported_names, with ``from buildout_mirrors import x`` as
    ``buildout_mirrors.x``."""
    names = imported_names(path)
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and \
                node.module == "buildout_mirrors":
            names.update("buildout_mirrors." + alias.name
                         for alias in node.names)
    return names


def layer_of(relative):
    """The layer of a module path relative to the package."""
    return PLACED.get(relative) or relative.split("/")[0]


def test_no_module_imports_from_a_layer_above_its_own():
    upward = []
    for path in modules():
        relative = str(path.relative_to(PACKAGE))
        own = LAYERS.index(layer_of(relative))
        for name in imported_modules(path):
            if not name.startswith("buildout_mirrors."):
                continue
            parts = name.split(".")[1:]
            target = "/".join(parts) + ".py"
            if not (PACKAGE / target).exists():
                target = parts[0] if (PACKAGE / parts[0]).is_dir() \
                    else parts[0] + ".py"
            if LAYERS.index(layer_of(target)) > own:
                upward.append((relative, name))
    assert upward == []


def test_each_folder_is_a_layer():
    folders = sorted(path.name for path in PACKAGE.iterdir()
                     if path.is_dir() and (path / "__init__.py").exists())
    assert folders == sorted(LAYERS[:-1])


def test_only_the_buildout_side_imports_zc_buildout():
    outside = [str(path.relative_to(PACKAGE)) for path in modules()
               if path.parent.name not in ("buildout", "features") and any(
                   name.startswith("zc.") for name in imported_names(path))]
    assert outside == []


def test_the_core_and_bootstrapping_run_on_the_standard_library_alone():
    """What bootstrap.py is made of imports with zope, packaging, zc and
    pkg_resources made unimportable, as on a bare system Python."""
    script = """
import importlib, pkgutil, sys
class Refuse:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("zope", "packaging", "zc", "pkg_resources",
                                  "setuptools"):
            raise ImportError("not in the standard library: " + name)
sys.meta_path.insert(0, Refuse())
sys.path.insert(0, sys.argv[1])
for package in ("buildout_mirrors.index", "buildout_mirrors.store",
                "buildout_mirrors.selection", "buildout_mirrors.failover",
                "buildout_mirrors.bootstrapping"):
    for module in pkgutil.iter_modules(importlib.import_module(
            package).__path__):
        importlib.import_module(package + "." + module.name)
print("ok")
"""
    result = subprocess.run([sys.executable, "-I", "-c", script,
                             str(CHECKOUT / "src")], capture_output=True,
                            text=True)
    assert result.stdout.strip() == "ok", result.stderr


def test_modules_and_functions_stay_small():
    long_modules, long_functions = [], []
    for path in modules():
        text = path.read_text()
        name = str(path.relative_to(PACKAGE))
        if len(text.splitlines()) > MAX_MODULE_LINES:
            long_modules.append((name, len(text.splitlines())))
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long_functions.append((name, node.name, length))
    assert long_modules == [] and long_functions == []


def test_only_urls_reads_the_credentials_in_a_url():
    readers = [str(path.relative_to(PACKAGE)) for path in modules()
               if (".username" in path.read_text() or
                   ".password" in path.read_text())]
    assert readers == ["index/urls.py"]
