"""End to end: the recipe hands the choice to pip, uv and the shell."""

import os
import sys

import pytest

import servers
from conftest import buildout_command, run, write_buildout

RECIPE = """
[buildout]
{extension}
mirrors = {mirrors}
mirrors-cache = ${{buildout:directory}}/state.json
parts = mirror consumer

[mirror]
recipe = buildout_mirrors
pip-conf = ${{buildout:directory}}/etc/pip.conf
uv-toml = ${{buildout:directory}}/etc/uv.toml
pydistutils-cfg = ${{buildout:directory}}/etc/pydistutils.cfg
env-file = ${{buildout:directory}}/etc/mirror.env

[consumer]
recipe = zc.recipe.egg
index = ${{mirror:index}}
eggs = six
interpreter = py
"""


def test_recipe_writes_files_that_pip_really_uses(
        buildout_dir, isolated_env, pypi_mirror, hanging, tmp_path):
    write_buildout(buildout_dir, RECIPE.format(
        extension="extensions = buildout_mirrors",
        mirrors="%s %s" % (hanging.url, pypi_mirror.url)))
    code, output = run(buildout_command(), isolated_env, buildout_dir)
    assert code == 0, output
    etc = buildout_dir / "etc"
    assert "index-url = %s" % pypi_mirror.url in (etc / "pip.conf").read_text()
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    assert tomllib.loads((etc / "uv.toml").read_text())["index"][0] == {
        "url": pypi_mirror.url, "default": True}
    assert "index_url = %s" % pypi_mirror.url in (
        etc / "pydistutils.cfg").read_text()
    assert "PIP_INDEX_URL=%s\n" % pypi_mirror.url in (
        etc / "mirror.env").read_text()
    # A real pip, configured only by the written pip.conf, downloads from
    # the mirror (proxies refuse everything else).
    env = dict(isolated_env, PIP_CONFIG_FILE=str(etc / "pip.conf"))
    offset = pypi_mirror.log_size()
    code, output = run([sys.executable, "-m", "pip", "download", "--no-deps",
                        "-d", tmp_path / "dl", "six==1.16.0"], env, tmp_path)
    assert code == 0, output
    assert "/simple/six/" in pypi_mirror.requests_since(offset)
    # And one configured only by the env file, through a shell.
    code, output = run(["sh", "-c", "set -a; . %s; exec %s -m pip download "
                        "--no-deps -d %s docopt==0.6.2 --no-build-isolation"
                        % (etc / "mirror.env", sys.executable, tmp_path / "dl")],
                       isolated_env, tmp_path)
    assert code == 0, output


def test_recipe_without_extension_selects_by_itself(
        buildout_dir, isolated_env, pypi_mirror):
    # Without the extension buildout's upgrade check still asks its own
    # index, and pip asks pypi.org for its own version: newest = false and
    # PIP_DISABLE_PIP_VERSION_CHECK keep this run on 127.0.0.1.
    env = dict(isolated_env, PIP_DISABLE_PIP_VERSION_CHECK="1")
    with servers.FaultServer("error") as failing:
        write_buildout(buildout_dir, RECIPE.format(
            extension="newest = false",
            mirrors="%s %s" % (failing.url, pypi_mirror.url)))
        code, output = run(buildout_command(), env, buildout_dir)
    assert code == 0, output
    assert "Using mirror %s" % pypi_mirror.url in output
    assert "index-url = %s" % pypi_mirror.url in (
        buildout_dir / "etc" / "pip.conf").read_text()


def test_change_of_mirror_rewrites_the_files(buildout_dir, isolated_env,
                                             pypi_mirror, devpi_mirror):
    write_buildout(buildout_dir, RECIPE.format(
        extension="extensions = buildout_mirrors", mirrors=pypi_mirror.url))
    code, output = run(buildout_command(), isolated_env, buildout_dir)
    assert code == 0, output
    env = dict(isolated_env, BUILDOUT_MIRRORS=devpi_mirror.url)
    code, output = run(buildout_command(), env, buildout_dir)
    assert code == 0, output
    assert "index-url = %s" % devpi_mirror.url in (
        buildout_dir / "etc" / "pip.conf").read_text()


def test_foreign_file_is_never_overwritten(buildout_dir, isolated_env,
                                           pypi_mirror):
    etc = buildout_dir / "etc"
    etc.mkdir()
    (etc / "pip.conf").write_text("[global]\nindex-url = https://mine/\n")
    write_buildout(buildout_dir, RECIPE.format(
        extension="extensions = buildout_mirrors", mirrors=pypi_mirror.url))
    code, output = run(buildout_command(), isolated_env, buildout_dir)
    assert code != 0
    assert "was not written by buildout_mirrors" in output
    assert "Traceback" not in output
    assert (etc / "pip.conf").read_text() == \
        "[global]\nindex-url = https://mine/\n"
    assert not os.path.exists(etc / "uv.toml")


# Without the extension, newest = false and no pip self-check keep the
# run on 127.0.0.1 (see the test above).
@pytest.mark.parametrize("extension", ["extensions = buildout_mirrors",
                                       "newest = false"],
                         ids=["with the extension", "recipe alone"])
def test_credentials_reach_the_files_and_nothing_else(
        buildout_dir, isolated_env, pypi_mirror, extension):
    secret = pypi_mirror.url.replace("http://", "http://deployer:s3cr3t@")
    write_buildout(buildout_dir, RECIPE.format(
        extension=extension, mirrors=secret))
    code, output = run(buildout_command() + ["-vv"], dict(
        isolated_env, PIP_DISABLE_PIP_VERSION_CHECK="1"), buildout_dir)
    assert code == 0, output
    etc = buildout_dir / "etc"
    pip_conf = etc / "pip.conf"
    assert "index-url = %s" % secret in pip_conf.read_text()
    assert oct(pip_conf.stat().st_mode & 0o777) == "0o600"
    for text in (output, (buildout_dir / ".installed.cfg").read_text(),
                 (buildout_dir / "state.json").read_text()):
        assert "s3cr3t" not in text
