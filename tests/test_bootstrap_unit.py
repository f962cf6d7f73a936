"""bootstrap.py is made from the package, and its own parts (reading the
configuration, the pins pip gets, the pip wheel from a mirror) hold."""

import subprocess
import sys

from buildout_mirrors.bootstrapping import assemble, config, environment, install
from buildout_mirrors.features import extends_guard
from buildout_mirrors.store import extends_copies
from buildout_mirrors.index import versions
from conftest import CHECKOUT


def test_the_committed_bootstrap_py_is_what_the_package_makes():
    assert (CHECKOUT / "bootstrap.py").read_text() == \
        assemble.bootstrap_script(str(CHECKOUT)), (
            "run: python -m buildout_mirrors.bootstrapping.assemble")


def test_it_carries_the_core_and_no_hand_kept_copy():
    package = str(CHECKOUT / "src" / "buildout_mirrors")
    names = assemble.carried(package)
    assert "selection/selector.py" in names and "failover/pipproxy.py" in names
    assert "data/public-mirrors.txt" in names
    assert not [name for name in names if name.startswith("buildout/") or
                name.endswith(("assemble.py", "interfaces.py"))]
    # Code first, data last: the code a reviewer reads is short.
    code = (CHECKOUT / "bootstrap.py").read_text().split("\n# ---- ", 1)[0]
    assert len(code.splitlines()) < 100


def test_a_one_line_change_in_the_core_is_a_one_line_change_in_its_diff(
        tmp_path):
    import difflib
    import shutil
    copy = tmp_path / "checkout"
    shutil.copytree(CHECKOUT / "src", copy / "src", ignore=shutil.
                    ignore_patterns("__pycache__", "*.egg-info"))
    shutil.copy(CHECKOUT / "setup.py", copy)
    before = assemble.bootstrap_script(str(copy))
    urls = copy / "src" / "buildout_mirrors" / "index" / "urls.py"
    urls.write_text(urls.read_text().replace(
        "def redact(url: str) -> str:",
        "def redact(url: str) -> str:  # changed", 1))
    after = assemble.bootstrap_script(str(copy))
    changed = [line for line in difflib.unified_diff(
        before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == ["-#|def redact(url: str) -> str:",
                       "+#|def redact(url: str) -> str:  # changed"]
    assert assemble.digest(str(copy / "src" / "buildout_mirrors")) != \
        assemble.digest(str(CHECKOUT / "src" / "buildout_mirrors"))


def test_the_carried_built_in_mirrors_are_readable_once_unpacked(tmp_path):
    """importlib.resources from the unpacked modules, as bootstrap.py
    runs them."""
    subprocess.run([sys.executable, str(CHECKOUT / "bootstrap.py"),
                    "--unpack", str(tmp_path)], check=True,
                   capture_output=True)
    script = ("import sys; sys.path.insert(0, sys.argv[1]); "
              "from buildout_mirrors.selection import candidates; "
              "print(candidates.builtin_mirrors()[0])")
    output = subprocess.run([sys.executable, "-I", "-c", script,
                             str(tmp_path)], capture_output=True, text=True)
    assert output.stdout.strip() == "https://pypi.org/simple", output.stderr


def test_help_names_unpack():
    result = subprocess.run([sys.executable, str(CHECKOUT / "bootstrap.py"),
                             "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "--unpack DIR" in result.stdout


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
    buildout, pins, directory = config.read_config(
        str(tmp_path / "buildout.cfg"))
    assert buildout["mirrors"].split() == ["https://a.example/simple",
                                           "https://b.example/simple"]
    assert buildout["find-links"] == str(tmp_path / "wheels")
    assert pins == {"zc-buildout": "6.0.1", "setuptools": "80.9.0"}
    assert directory == str(tmp_path)


def test_names_from_a_malicious_page_are_one_segment(pypi_mirror):
    from faulty import FaultyMirror
    from buildout_mirrors.index import connection
    with FaultyMirror(pypi_mirror.url, "malicious-names") as malicious:
        files = environment._project_files(malicious.url, "pip",
                                           connection.LazyContext())
    assert files and all("/" not in name and not name.startswith(".")
                         for name in files)


def test_without_packaging_versions_still_sort_as_pep_440(monkeypatch):
    monkeypatch.setattr(versions, "Version", None)
    key = versions.key
    assert key("6.0.10") > key("6.0.9") > key("6.0rc1") > key("6.0b2")
    assert key("1.0.post1") > key("1.0") == key("1.0.0") > key("1.0.dev1")
    assert versions.newest(["zc.buildout-6.0.0.tar.gz",
                            "zc_buildout-6.0.1-py3-none-any.whl"]) == "6.0.1"


def test_the_pins_pip_gets_leave_out_what_it_cannot_read(tmp_path):
    path = install.write_constraints({
        "zope-interface": "7.2", "packaging": " 24.2 ",
        "zc-buildout": "4.2.0", "buildout-mirrors": "1.0.0",
        "plone": "${versions:plone}", "odd": "1.0 ; rm -rf"},
        str(tmp_path / "pins.txt"))
    assert open(path).read() == "packaging==24.2\nzope-interface==7.2\n"


def test_bootstrap_reads_the_extends_copies_bin_buildout_saves():
    url = "https://dist.plone.org/release/6.1.5/versions.cfg"
    assert extends_copies.copy_path(url) == extends_guard.ExtendsGuard(
        ).copy_of(url)


def test_no_six_line_stretch_of_bootstrap_py_repeats_the_package():
    def stretches(text, size=6):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        return {tuple(lines[start:start + size])
                for start in range(len(lines) - size + 1)}

    # The code part: the modules it carries after it are data.
    script = stretches((CHECKOUT / "bootstrap.py").read_text().split(
        "\n# ---- ", 1)[0])
    package = set()
    for path in (CHECKOUT / "src" / "buildout_mirrors").rglob("*.py"):
        if path.name != "assemble.py":  # it holds the stub's template
            package |= stretches(path.read_text())
    assert not script & package


def test_unpack_writes_out_the_modules_it_runs(tmp_path):
    """What an operator reads before running it is the package's code."""
    result = subprocess.run([sys.executable, str(CHECKOUT / "bootstrap.py"),
                             "--unpack", str(tmp_path)], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    for module in ("selection/selector.py", "bootstrapping/main.py"):
        assert (tmp_path / "buildout_mirrors" / module).read_text() == (
            CHECKOUT / "src" / "buildout_mirrors" / module).read_text()
