"""Write the generated site source to a folder that any MkDocs-compatible engine can build."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml

from .kb import KnowledgeBase
from .pages import Options, render_site

PLUGIN_NAME = "country-toolkit"


def engine_config(mkdocs_yml: Path) -> dict[str, Any]:
    """mkdocs.yml without our plugin: the pages it would generate are written out instead."""
    config = yaml.safe_load(mkdocs_yml.read_text(encoding="utf-8")) or {}
    plugins = []
    for entry in config.get("plugins", []):
        name = next(iter(entry)) if isinstance(entry, dict) else entry
        if name != PLUGIN_NAME:
            plugins.append(entry)
    config["plugins"] = plugins
    config["docs_dir"] = "docs"
    if config.get("theme", {}).get("custom_dir"):
        config["theme"]["custom_dir"] = "overrides"
    return config


def plugin_settings(config: dict[str, Any]) -> dict[str, Any]:
    for entry in config.get("plugins", []):
        if isinstance(entry, dict) and PLUGIN_NAME in entry:
            return entry[PLUGIN_NAME] or {}
    return {}


def default_edit_url(config: dict[str, Any]) -> str | None:
    repo = config.get("repo_url")
    if not repo:
        return None
    parts = str(config.get("edit_uri", "edit/main/docs/")).strip("/").split("/")
    is_branch = len(parts) >= 2 and parts[0] in ("edit", "blob")
    prefix = "/".join(parts[:2]) if is_branch else "edit/main"
    return repo.rstrip("/") + "/" + prefix + "/"


def write_source(kb: KnowledgeBase, project: Path, out: Path, options: Options) -> int:
    """Write docs/ (hand-written + generated), overrides/ and mkdocs.yml into out.

    Written to a temporary folder first and swapped in at the end, so a failure leaves any
    previous output untouched. Returns the number of generated pages.
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".toolkit-", dir=out.parent))
    try:
        config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8")) or {}
        docs_src = project / config.get("docs_dir", "docs")
        if docs_src.is_dir():
            shutil.copytree(docs_src, tmp / "docs")
        overrides = project / "overrides"
        if overrides.is_dir():
            shutil.copytree(overrides, tmp / "overrides")
        pages = render_site(kb, options)
        for page in pages:
            target = tmp / "docs" / page.path
            if target.exists():
                raise FileExistsError(f"docs/{page.path} clashes with a generated page")
            target.parent.mkdir(parents=True, exist_ok=True)
            data = page.content.encode("utf-8") if isinstance(page.content, str) else page.content
            target.write_bytes(data)
        (tmp / "mkdocs.yml").write_text(
            yaml.safe_dump(engine_config(project / "mkdocs.yml"), sort_keys=False,
                           allow_unicode=True),
            encoding="utf-8",
        )
        if out.exists():
            old = out.with_name(out.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(out)
        return len(pages)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
