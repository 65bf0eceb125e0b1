"""Converted HTML of each page, reused while nothing that shapes it has changed.

Python-Markdown is about half of a build. A page's HTML, table of contents and anchors are
a function of its Markdown, its path, the Markdown configuration, the set of files its links
resolve against and the versions of the packages that convert it: the key hashes all of
them, so a change of any one is a miss and the page is converted again (never stale).
The cache is kept in memory across `mkdocs serve` rebuilds and in one JSON file outside the
site (default `.cache/country-toolkit/`), safe to delete at any time. A render that logged a
warning is never stored, so strict mode still sees every warning.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

# Bump when the stored entry's layout changes.
FORMAT = 1
FILE_NAME = f"html-v{FORMAT}.json"
PACKAGES = ("mkdocs", "markdown", "pymdown-extensions", "mkdocs-material", "country-toolkit")


def versions() -> list[str]:
    out = []
    for name in PACKAGES:
        try:
            out.append(f"{name}=={version(name)}")
        except PackageNotFoundError:
            out.append(f"{name}==?")
    return out


def signature(config: MkDocsConfig, files: Files) -> str:
    """Everything outside a page's own Markdown that its HTML depends on."""
    parts = {
        "format": FORMAT,
        "versions": versions(),
        "extensions": [str(e) for e in config.markdown_extensions],
        # repr: a callable option (a slugify function) has an address in it, so it misses in
        # every new process rather than ever matching something different.
        "mdx": repr(sorted((config.mdx_configs or {}).items())),
        "directory_urls": config.use_directory_urls,
        "validation": repr(config.validation),
        # Links resolve against every file of the site (and their URLs).
        "files": sorted(f"{f.src_uri}>{f.url}" for f in files),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _toc_out(items: list[AnchorLink]) -> list[dict[str, Any]]:
    return [{"t": i.title, "i": i.id, "l": i.level, "c": _toc_out(i.children)} for i in items]


def _toc_in(items: list[dict[str, Any]]) -> list[AnchorLink]:
    out = []
    for d in items:
        link = AnchorLink(d["t"], d["i"], d["l"])
        link.children = _toc_in(d["c"])
        out.append(link)
    return out


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class HtmlCache:
    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.entries: dict[str, dict[str, Any]] = {}
        self.used: set[str] = set()
        self.added = 0
        self.hits = 0
        self.signature = ""
        self.loaded = False

    # -- persistence --------------------------------------------------------------------
    def load(self) -> None:
        """Read the stored cache once (a serve session keeps the in-memory one)."""
        if self.loaded or self.folder is None:
            self.loaded = True
            return
        self.loaded = True
        try:
            data = json.loads((self.folder / FILE_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return  # missing or damaged: start empty, it is only a cache
        if isinstance(data, dict) and data.get("format") == FORMAT:
            self.entries = data.get("entries", {})

    def save(self) -> None:
        """Keep only this build's entries; write atomically (concurrent builds may race)."""
        stale = self.entries.keys() - self.used
        for key in stale:
            del self.entries[key]
        changed, self.added = bool(stale or self.added), 0
        self.used = set()
        if self.folder is None or not changed:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".html-", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump({"format": FORMAT, "entries": self.entries}, out,
                          separators=(",", ":"))
            os.replace(tmp, self.folder / FILE_NAME)
        except OSError as err:
            logging.getLogger("mkdocs.plugins.country-toolkit").info(
                "page cache not written (%s): the next build converts every page again", err)

    # -- use ----------------------------------------------------------------------------
    def start(self, config: MkDocsConfig, files: Files) -> None:
        self.signature = signature(config, files)
        self.hits = 0

    def key(self, page: Page, markdown: str) -> str:
        h = hashlib.sha256()
        for part in (self.signature, page.file.src_uri, markdown):
            h.update(part.encode("utf-8", "surrogatepass"))
            h.update(b"\0")
        return h.hexdigest()

    def wrap(self, page: Page, markdown: str) -> None:
        """Make page.render use the cache: MkDocs calls it right after on_page_markdown."""
        key = self.key(page, markdown)
        original: Callable[[MkDocsConfig, Files], None] = page.render

        def render(config: MkDocsConfig, files: Files) -> None:
            self.used.add(key)
            entry = self.entries.get(key)
            if entry is not None:
                self.hits += 1
                self._restore(page, entry, files)
                return
            counter = _Warnings()
            logger = logging.getLogger("mkdocs")
            logger.addHandler(counter)
            try:
                original(config, files)
            finally:
                logger.removeHandler(counter)
            if counter.count == 0:
                self.entries[key] = self._entry(page)
                self.added += 1

        page.render = render  # type: ignore[method-assign]

    @staticmethod
    def _entry(page: Page) -> dict[str, Any]:
        links = page.links_to_anchors or {}
        return {
            "content": page.content,
            "toc": _toc_out(list(page.toc)),
            "title": page._title_from_render,
            "anchors": sorted(page.present_anchor_ids or ()),
            "links": {f.src_uri: dict(v) for f, v in links.items()},
        }

    @staticmethod
    def _restore(page: Page, entry: dict[str, Any], files: Files) -> None:
        page.content = entry["content"]
        toc = _toc_in(entry["toc"])
        if toc:  # as mkdocs.structure.toc.get_toc does
            toc[0].active = True  # type: ignore[attr-defined]
        page.toc = TableOfContents(toc)
        page._title_from_render = entry["title"]
        page.present_anchor_ids = set(entry["anchors"])
        links = {}
        for src, anchors in entry["links"].items():
            target = files.get_file_from_path(src)
            if target is not None:  # the file set is in the key, so it is there
                links[target] = dict(anchors)
        page.links_to_anchors = links
