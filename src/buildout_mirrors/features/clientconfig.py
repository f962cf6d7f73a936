"""Render the configuration files other installers read.

Plain functions from (index, find-links) to file text, so the recipe only
decides where they go.
"""

import shlex

HEADER = "Written by buildout_mirrors"


def _comment(part):
    return "# %s (part %s); changes are overwritten.\n" % (HEADER, part)


def pip_conf(part, index, find_links):
    lines = ["[global]", "index-url = %s" % index]
    if find_links:
        lines.append("find-links =\n" + "".join(
            "    %s\n" % link for link in find_links).rstrip("\n"))
    return _comment(part) + "\n".join(lines) + "\n"


def uv_toml(part, index, find_links):
    def quoted(text):
        return '"%s"' % text.replace("\\", "\\\\").replace('"', '\\"')
    lines = ["[[index]]", "url = %s" % quoted(index), "default = true"]
    for link in find_links:
        lines += ["", "[[index]]", "url = %s" % quoted(link),
                  'format = "flat"']
    return _comment(part) + "\n".join(lines) + "\n"


def pydistutils_cfg(part, index, find_links):
    lines = ["[easy_install]", "index_url = %s" % index]
    if find_links:
        lines.append("find_links = %s" % " ".join(find_links))
    return _comment(part) + "\n".join(lines) + "\n"


def env_file(part, index, find_links):
    """``KEY=value`` lines, quoted for sh; ``set -a; . file`` exports them
    and systemd's EnvironmentFile reads them too."""
    values = [("PIP_INDEX_URL", index), ("UV_DEFAULT_INDEX", index)]
    if find_links:
        values += [("PIP_FIND_LINKS", " ".join(find_links)),
                   ("UV_FIND_LINKS", ",".join(find_links))]
    return _comment(part) + "".join(
        "%s=%s\n" % (name, shlex.quote(value)) for name, value in values)


RENDERERS = {
    "pip-conf": pip_conf,
    "uv-toml": uv_toml,
    "pydistutils-cfg": pydistutils_cfg,
    "env-file": env_file,
}
