"""bootstrap.py's pure parts: it must agree with the package."""

import importlib.util

from buildout_mirrors import options
from conftest import CHECKOUT


def load_bootstrap():
    spec = importlib.util.spec_from_file_location(
        "bootstrap", CHECKOUT / "bootstrap.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_builtin_mirrors_agree_with_the_package():
    assert load_bootstrap().BUILTIN_MIRRORS == options.builtin_mirrors()


def test_config_reading_follows_extends_and_plus_equals(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "base.cfg").write_text(
        "[buildout]\nmirrors = https://a.example/simple\n"
        "[versions]\nzc.buildout = 6.0.1\n")
    (tmp_path / "buildout.cfg").write_text(
        "[buildout]\nextends = base.cfg\n"
        "mirrors += https://b.example/simple  # the company devpi\n"
        "find-links = ${buildout:directory}/wheels\n"
        "[versions]\nSetupTools = 80.9.0\n")
    buildout, pins = load_bootstrap().read_config(str(tmp_path / "buildout.cfg"))
    assert buildout["mirrors"].split() == ["https://a.example/simple",
                                           "https://b.example/simple"]
    assert buildout["find-links"] == str(tmp_path / "wheels")
    assert pins == {"zc-buildout": "6.0.1", "setuptools": "80.9.0"}


def test_redact():
    assert load_bootstrap().redact("https://u:p@h/simple") == "https://***@h/simple"
