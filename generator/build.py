"""Build a whole site from a kb programmatically (tests, benchmarks, bundles)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.commands.build import build
from mkdocs.config import load_config

PLUGIN = "country-toolkit"


def build_site(
    kb: Path,
    site_dir: Path,
    *,
    project: Path,
    internal: bool = False,
    mockups: bool = True,
    language: str = "",
    cache: bool = True,
    **overrides: Any,
) -> None:
    """Run `mkdocs build` of project's mkdocs.yml against another kb folder.

    Raises mkdocs' Abort/PluginError exactly as the command line build would.
    """
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir), **overrides)
    plugin = config.plugins[PLUGIN]
    plugin.config["kb"] = str(kb.resolve())  # an absolute path wins over the project's folder
    plugin.config["internal"] = internal
    plugin.config["mockups"] = mockups
    plugin.config["language"] = language  # "": the kb's source language
    plugin.config["cache"] = cache
    build(config)
