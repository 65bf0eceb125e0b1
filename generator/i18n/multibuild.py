"""`toolkit build --all-languages`: one MkDocs build per site language into site/<lang>/,
plus a root page that sends the browser to the source language.

Each language is a full, ordinary build of the same mkdocs.yml with the plugin's `language`
option set, so everything a single build does (search, tags, charts) works per language.
The whole folder is swapped into place only once every language is built.
"""

from __future__ import annotations

import html
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from ..build import PLUGIN as PLUGIN_NAME
from ..internal_mark import MARK_FILE, META_TAG, write_mark
from ..sitebuild import BUILDING, remove_leftovers, swap_into_place
from .languages import Language
from .site import declared


def redirect_page(languages: list[Language], label: str = "", internal: bool = False) -> str:
    """The site root: straight to the source language, with a link to every language for
    browsers that do not follow the refresh. An offline copy's `label` (its round, and
    INTERNAL for an internal one) and the internal mark are here too, as on every page."""
    first = html.escape(languages[0].code)
    links = "\n".join(
        f'<li><a href="{html.escape(x.code)}/index.html" hreflang="{html.escape(x.code)}" '
        f'lang="{html.escape(x.code)}" dir="{x.direction}">{html.escape(x.name)}</a></li>'
        for x in languages)
    meta = f"{META_TAG}\n" if internal else ""
    note = f"<p><strong>{html.escape(label)}</strong></p>\n" if label else ""
    return (f'<!doctype html>\n<html lang="{first}">\n<head>\n<meta charset="utf-8">\n'
            f"{meta}"
            f'<meta http-equiv="refresh" content="0; url={first}/index.html">\n'
            f'<title>{html.escape(languages[0].name)}</title>\n</head>\n<body>\n{note}'
            f"<ul>\n{links}\n</ul>\n</body>\n</html>\n")


def build_languages(make_config: Callable[[Language, Path], MkDocsConfig],
                    languages: list[Language], site_dir: Path) -> None:
    """Build every language into site_dir/<code>/ and write the root page."""
    site_dir.mkdir(parents=True, exist_ok=True)
    for lang in languages:
        build(make_config(lang, site_dir / lang.code))
    write_root(site_dir, languages, internal=any(
        (site_dir / lang.code / MARK_FILE).exists() for lang in languages))


def write_root(site_dir: Path, languages: list[Language], label: str = "",
               internal: bool = False) -> None:
    """The root page; an internal build's root carries the internal mark file too, so a
    check of the root folder alone refuses it."""
    (site_dir / "index.html").write_text(redirect_page(languages, label, internal),
                                         encoding="utf-8")
    if internal:
        write_mark(site_dir)


def kb_of(config_file: Path) -> Path:
    config = load_config(str(config_file))
    plugin = config.plugins.get(PLUGIN_NAME)
    if plugin is None:
        raise OSError(f"{config_file} does not use the {PLUGIN_NAME} plugin")
    return Path(plugin.config["kb"])


def build_all_languages_atomically(config_file: Path, site_dir: Path | None = None) -> Path:
    """Like sitebuild.build_site_atomically, for every site language of the kb."""
    config = load_config(str(config_file))
    dest = Path(site_dir or config.site_dir).resolve()
    languages = declared(kb_of(config_file))

    def make(lang: Language, where: Path) -> MkDocsConfig:
        cfg = load_config(str(config_file), site_dir=str(where))
        cfg.plugins[PLUGIN_NAME].config["language"] = lang.code
        if cfg.site_url:  # canonical URLs and the sitemap name the language's folder
            cfg.site_url = cfg.site_url.rstrip("/") + f"/{lang.code}/"
        return cfg

    dest.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(dest)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}{BUILDING}", dir=dest.parent))
    try:
        build_languages(make, languages, tmp)
        os.chmod(tmp, 0o755)
        swap_into_place(tmp, dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return dest
