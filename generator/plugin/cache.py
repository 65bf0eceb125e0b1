"""Converted HTML of each page, reused while nothing that shapes it has changed.

Python-Markdown is about half of a build. A page's HTML, table of contents and anchors are
a function of its Markdown, its path, the Markdown configuration, the set of files its links
resolve against and the versions of the packages that convert it: the key hashes all of
them, so a change of any one is a miss and the page is converted again (never stale).
The cache is kept in memory across `mkdocs serve` rebuilds and in an SQLite file outside the
site (default `.cache/country-toolkit/`), safe to delete at any time. A render that logged a
warning is never stored, so strict mode still sees every warning.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
import re
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from ..page_memo import package_versions
from . import search_cut

# Bump when the stored entry's layout changes.
FORMAT = 1
# Seconds to wait for another build's lock on a cache file.
TIMEOUT = 10.0
BULK_MAX = 32 * 1024 * 1024  # a Store file read whole when opened (Store)
PACKAGES = ("mkdocs", "markdown", "pymdown-extensions", "mkdocs-material", "country-toolkit")


def versions() -> list[str]:
    return package_versions(PACKAGES)


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


class Store:
    """One cache table: key -> value (text, or JSON data), in an SQLite file of the cache
    folder.

    A build asks for a few thousand keys and makes a few new ones, so it reads only the
    entries it asks for and writes only the new ones, in one transaction: reading and
    writing a whole JSON file of every entry was a sixth of a warm build at 1,000 questions.
    The values are data only, never pickles: UTF-8 text for a text value (a page's HTML,
    most of the bytes, read back without undoing JSON's escapes), JSON for the others, each
    stored with the sha256 of its key and bytes; an entry whose checksum fails (damaged, or
    moved under another key), a file that is not this table (damaged, foreign) is a miss,
    and a broken file is made again. Entries not used by the last build are deleted when it
    saves, so the file holds what the last build used (SQLite reuses the freed pages, and
    gives them back when a quarter of the file is free). Concurrent builds are serialised
    by SQLite's lock; a build that cannot write leaves the file as it was.

    A file of at most BULK_MAX bytes is read whole when opened, in one query: a warm build
    asks for nearly every entry, and a query per key cost its lock and lookup each time
    (4,153 small entries of the kb's files: 0.09 s; 1,186 search entries: 0.08 s). Its
    rows are kept as read until a build asks for them; those none asked for are dropped
    when it saves. The large files (each page's HTML) are read a key at a time."""

    def __init__(self, folder: Path | None, name: str) -> None:
        self.folder = folder
        self.name = f"{name}-v{FORMAT}.sqlite"
        self.legacy = f"{name}-v{FORMAT}.json"  # the whole-file store it replaces
        self.entries: dict[str, Any] = {}  # read or made by this process
        self.pending: set[str] = set()  # made, not written yet
        self.used: set[str] = set()
        self.kept: set[str] | None = None  # the keys the last saved build used
        self.added = 0
        self.hits = 0
        self.loaded = False
        self.last = (0, 0)
        self.db: sqlite3.Connection | None = None
        self.broken = False  # the file is not a readable table of ours: written afresh
        self.carrying = False
        # The key each page last used here, and the keys a page used before its current one
        # (a page edited under serve): those are not carried over (see carry).
        self.owners: dict[str, str] = {}
        self.replaced: set[str] = set()
        # Read whole when opened: key -> (sum, value) not asked for yet; and whether the
        # file's entries are all known since (None: it is asked a key at a time).
        self.rows: dict[str, tuple[bytes, bytes]] | None = None

    def load(self) -> None:
        """Open the stored cache once (a serve session keeps the in-memory entries)."""
        if self.loaded or self.folder is None:
            self.loaded = True
            return
        self.loaded = True
        path = self.folder / self.name
        if not path.is_file():
            return
        try:
            self.db = _connect(path)
            if path.stat().st_size <= BULK_MAX:
                self.rows = {key: (sum_, value) for key, sum_, value
                             in self.db.execute("SELECT key, sum, value FROM entry")}
            else:
                self.db.execute("SELECT key, sum, value FROM entry LIMIT 0").fetchall()
        except (sqlite3.Error, OSError) as err:
            self.rows = None
            self._broke(err)

    def _broke(self, err: Exception | None = None) -> None:
        """Stop reading the file; written afresh by the next flush, unless another build
        only held its lock for too long (the file is sound: this build leaves it alone)."""
        if getattr(err, "sqlite_errorname", "") in ("SQLITE_BUSY", "SQLITE_LOCKED"):
            if self.db is not None:
                with contextlib.suppress(sqlite3.Error):
                    self.db.close()
            self.db = None  # the next flush connects again and writes what is pending
            return
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error):
                self.db.close()
        self.db, self.broken = None, True

    def own(self, owner: str, key: str) -> None:
        """Note that `owner` (a page) now uses `key` instead of the key it used before."""
        old = self.owners.get(owner)
        if old != key:
            if old is not None:
                self.replaced.add(old)
            self.owners[owner] = key

    def get(self, key: str) -> Any:
        self.used.add(key)
        entry = self.entries.get(key)
        if entry is None and self.rows is not None:
            row: Any = self.rows.pop(key, None)  # read with the others: not asked again
        elif entry is None and self.db is not None:
            try:
                row = self.db.execute("SELECT sum, value FROM entry WHERE key = ?",
                                      (key,)).fetchone()
            except sqlite3.Error as err:
                self._broke(err)
                row = None
        else:
            row = None
        if (row is not None and isinstance(row[0], bytes) and isinstance(row[1], bytes)
                and row[0] == _sum(key, row[1])):
            with contextlib.suppress(ValueError):  # UnicodeDecodeError is one
                entry = _decode(row[1])
                if entry is not None:
                    self.entries[key] = entry
        if entry is not None:
            self.hits += 1
        return entry

    def put(self, key: str, value: Any) -> None:
        self.used.add(key)
        self.entries[key] = value
        self.pending.add(key)
        self.added += 1

    def carry(self) -> None:
        """Have the next save keep the entries the last saved build used as well as this
        build's, but for those of the pages it made again (their older versions): a rebuild
        of the few pages an edit changed looks up only theirs (plugin/incremental.py), and
        a serve session of many edits keeps one version of each page."""
        self.carrying = True

    def save(self, write: bool = True) -> None:
        """Keep only this build's entries; write the new ones.

        write=False (a `mkdocs serve` rebuild) only drops the unused entries from memory:
        the plugin writes what changed once, when serve stops (flush)."""
        self.last = (self.hits, len(self.used))  # reused, looked up: for benchmarks and tests
        if self.carrying and self.kept is not None:
            self.used |= self.kept - self.replaced
        self.carrying = False
        self.replaced = set()
        for key in self.entries.keys() - self.used:
            del self.entries[key]
        self.pending &= self.entries.keys()
        if self.rows:  # read whole, not asked for: not used by this build either
            self.rows = {}
        self.kept = self.used
        self.added, self.hits = 0, 0
        self.used = set()
        if write:
            self.flush()

    def flush(self) -> None:
        """Write the new entries and delete those the last saved build did not use."""
        if self.folder is None or (self.kept is None and not self.pending):
            return
        path = self.folder / self.name
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(OSError):
                (self.folder / self.legacy).unlink()
            if self.db is not None and not path.is_file():
                self._broke()  # the folder was deleted while serve ran: written afresh
            if self.broken or self.db is None:
                if self.broken:  # made again from what this process holds
                    for name in (self.name, f"{self.name}-journal"):
                        with contextlib.suppress(FileNotFoundError):
                            (self.folder / name).unlink()
                    self.pending = set(self.entries)
                self.db = _connect(path)
                # Set before the table exists (a new file): freed pages can be given back.
                self.db.execute("PRAGMA auto_vacuum = INCREMENTAL")
                self.db.execute("CREATE TABLE IF NOT EXISTS entry (key TEXT PRIMARY KEY, "
                                "sum BLOB NOT NULL, value BLOB NOT NULL)")
                self.broken = False
            with self.db:  # one transaction (commits, or rolls back on an error)
                self.db.execute("BEGIN IMMEDIATE")
                if self.kept is not None:
                    stored = {k for (k,) in self.db.execute("SELECT key FROM entry")}
                    self.db.executemany("DELETE FROM entry WHERE key = ?",
                                        [(k,) for k in sorted(stored - self.kept)])
                self.db.executemany("INSERT OR REPLACE INTO entry VALUES (?, ?, ?)",
                                    self._rows(sorted(self.pending)))
            self.pending = set()
            # SQLite reuses freed pages; a file more than a quarter free (the kb shrank, or
            # the pages changed a lot) gives them back to the disk.
            (free,) = self.db.execute("PRAGMA freelist_count").fetchone()
            (total,) = self.db.execute("PRAGMA page_count").fetchone()
            if free * 4 > total:
                # A script: each step of the statement frees one page only.
                self.db.executescript("PRAGMA incremental_vacuum;")
        except (OSError, sqlite3.Error) as err:
            self._broke(err)
            logging.getLogger("mkdocs.plugins.country-toolkit").info(
                "cache %s not written (%s): the next build does that work again", self.name, err)

    def _rows(self, keys: list[str]) -> Iterator[tuple[str, bytes, bytes]]:
        for key in keys:  # one at a time: the values of a first build are tens of MB
            data = _encode(self.entries[key])
            yield key, _sum(key, data), data


def _connect(path: Path) -> sqlite3.Connection:
    # isolation_level=None: no transaction is held open between reads, so another build
    # can write. synchronous OFF: a crash may damage the file, which every read checks.
    # check_same_thread: `mkdocs serve` rebuilds in another thread than its first build.
    db = sqlite3.connect(path, timeout=TIMEOUT, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA synchronous = OFF")
    return db


# A value's bytes: "=" and the text for a text value, else its JSON (which never starts
# with "="). surrogatepass: record text may hold a lone surrogate; it comes back as it was.
def _encode(value: Any) -> bytes:
    text = "=" + value if isinstance(value, str) else json.dumps(
        value, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8", "surrogatepass")


def _decode(data: bytes) -> Any:
    text = data.decode("utf-8", "surrogatepass")
    return text[1:] if text.startswith("=") else json.loads(text)


def _sum(key: str, data: bytes) -> bytes:
    """An entry's checksum: its bytes, under its own key."""
    h = hashlib.sha256(key.encode("utf-8", "surrogatepass"))
    h.update(b"\0")
    h.update(data)
    return h.digest()


def digest(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


class HtmlCache:
    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.store = Store(folder, "html")
        self.signature = ""

    def load(self) -> None:
        self.store.load()

    def save(self, write: bool = True) -> None:
        self.store.save(write)

    def flush(self) -> None:
        self.store.flush()

    # -- use ----------------------------------------------------------------------------
    def start(self, config: MkDocsConfig, files: Files) -> None:
        self.signature = signature(config, files)

    def key(self, page: Page, markdown: str) -> str:
        return digest(self.signature, page.file.src_uri, markdown)

    def wrap(self, page: Page, markdown: str) -> None:
        """Make page.render use the cache: MkDocs calls it right after on_page_markdown."""
        key = self.key(page, markdown)
        original: Callable[[MkDocsConfig, Files], None] = page.render

        def render(config: MkDocsConfig, files: Files) -> None:
            self.store.own(page.file.src_uri, key)
            entry = self.store.get(key)
            if entry is not None:
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
                self.store.put(key, self._entry(page))

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


# -- whole pages and search entries ------------------------------------------------------
# What MkDocs puts in every page's template context (mkdocs.commands.build.get_context):
# the page-specific parts are fingerprinted from the page itself, the rest per build.
STANDARD_CONTEXT = {"nav", "pages", "base_url", "extra_css", "extra_javascript",
                    "mkdocs_version", "build_date_utc", "config", "page"}


ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def fingerprint(value: Any, depth: int = 0) -> Any:
    """A JSON-able stand-in for a template value. An object without a stable repr (one with
    an address in it) makes the key differ in every build: a miss, never a wrong hit."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if depth > 6:
        return repr(value)
    if isinstance(value, dict):
        return {str(k): fingerprint(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [fingerprint(v, depth + 1) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    code = getattr(value, "__code__", None)
    if code is not None:  # a function in the configuration (a sort key): its code, not address
        return [getattr(value, "__module__", None), getattr(value, "__qualname__", None),
                hashlib.sha256(code.co_code + ADDRESS.sub("", repr(code.co_consts)).encode()
                               ).hexdigest()]
    if isinstance(value, functools.partial):
        return ["partial", fingerprint(value.func, depth + 1), fingerprint(value.args, depth + 1),
                fingerprint(value.keywords, depth + 1)]
    links = getattr(value, "links", None)  # Material's tag references
    if isinstance(links, list):
        return [repr(value), [(getattr(x, "title", None), getattr(x, "url", None))
                              for x in links]]
    return repr(value)


def _nav(items: Any) -> list[Any]:
    out = []
    for item in items or ():
        out.append([type(item).__name__, getattr(item, "title", None),
                    getattr(item, "url", None), _nav(getattr(item, "children", None))])
    return out


def _link(page: Any) -> Any:
    return None if page is None else [page.title, page.url]


def _folder_digest(folder: str | None) -> str:
    h = hashlib.sha256()
    if folder and os.path.isdir(folder):
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                h.update(path.relative_to(folder).as_posix().encode())
                h.update(path.read_bytes())
    return h.hexdigest()


def _mentioned(dirs: list[str], words: tuple[str, ...]) -> set[str]:
    """Which of words some template of the theme names."""
    found: set[str] = set()
    for folder in dirs:
        for path in Path(folder).rglob("*.html"):
            text = path.read_text(encoding="utf-8", errors="replace")
            found.update(w for w in words if w in text)
    return found


# Options no template of the theme names do not shape a page: left out of the key when
# unnamed. A build into another folder (site_dir) rendered every page again.
UNREAD = ("site_dir",)


def config_fingerprint(config: MkDocsConfig, unread: tuple[str, ...] = ()) -> Any:
    out = {k: fingerprint(v) for k, v in config.items()
           if k not in ("plugins", "theme") and k not in unread}
    theme = config.theme
    out["theme"] = [theme.name, list(theme.dirs), sorted(theme.static_templates),
                    fingerprint(dict(theme.items()))]
    out["plugins"] = {name: _plugin_state(p) for name, p in config.plugins.items()}
    return out


def _plugin_state(plugin: Any) -> Any:
    options = getattr(plugin, "config", None)
    if options is not None:
        return fingerprint(dict(options))
    # A hook (a module listed under `hooks:` in mkdocs.yml) has no options: its code is what
    # can change the pages.
    source = getattr(plugin, "__file__", None)
    if source and Path(source).is_file():
        return hashlib.sha256(Path(source).read_bytes()).hexdigest()
    return repr(plugin)


class OutputCache:
    """The theme's rendering of each page (Material's templates are a fifth of a build).

    The key holds everything the template reads: the page's HTML, TOC, title, meta, URLs,
    neighbours and ancestors and any extra context plugins add; per build, the navigation,
    the configuration (with every plugin's options), the custom_dir templates byte for byte
    and the package versions. build_date_utc is in it only if a template uses it.
    """

    def __init__(self, folder: Path | None) -> None:
        self.store = Store(folder, "pages")
        self.signature: str | None = None
        self.build_date: bool | None = None
        self.unread: tuple[str, ...] = ()

    def install(self, env: Any, config: MkDocsConfig, nav: Any) -> None:
        self.signature = None
        original = env.get_template

        def get_template(name: Any, parent: Any = None, globals: Any = None) -> Any:
            template = original(name, parent, globals)
            page = getattr(config, "_current_page", None)
            if parent is None and isinstance(page, Page) and isinstance(name, str):
                return _CachedTemplate(self, template, name, config, nav)
            return template

        env.get_template = get_template

    def build_signature(self, config: MkDocsConfig, nav: Any) -> str:
        if self.signature is None:
            if self.build_date is None:
                named = _mentioned(list(config.theme.dirs), ("build_date_utc", *UNREAD))
                self.build_date = "build_date_utc" in named
                self.unread = tuple(w for w in UNREAD if w not in named)
            self.signature = digest(json.dumps({
                "format": FORMAT, "versions": versions(),
                "config": config_fingerprint(config, self.unread),
                "templates": _folder_digest(config.theme.custom_dir),
                "nav": _nav(nav.items if nav is not None else None),
            }, sort_keys=True))
        return self.signature

    def key(self, name: str, context: Any, config: MkDocsConfig, nav: Any) -> str:
        page = context["page"]
        extra = {k: fingerprint(v) for k, v in context.items() if k not in STANDARD_CONTEXT}
        if self.build_date:
            extra["build_date_utc"] = str(context.get("build_date_utc"))
        parts = {
            "template": name, "src": page.file.src_uri, "url": page.url,
            "abs_url": page.abs_url, "canonical": page.canonical_url,
            "edit": page.edit_url, "home": page.is_homepage, "title": page.title,
            "meta": fingerprint(page.meta), "toc": _toc_out(list(page.toc)),
            "prev": _link(page.previous_page), "next": _link(page.next_page),
            "ancestors": [getattr(a, "title", None) for a in page.ancestors],
            "base_url": context.get("base_url"), "extra": extra,
        }
        return digest(self.build_signature(config, nav), json.dumps(parts, sort_keys=True),
                      page.content or "")


class _CachedTemplate:
    def __init__(self, cache: OutputCache, template: Any, name: str,
                 config: MkDocsConfig, nav: Any) -> None:
        self.cache, self.template, self.name = cache, template, name
        self.config, self.nav = config, nav

    def render(self, context: Any) -> str:
        key = self.cache.key(self.name, context, self.config, self.nav)
        self.cache.store.own(f"{self.name}:{context['page'].file.src_uri}", key)
        hit = self.cache.store.get(key)
        if hit is not None:
            return str(hit)
        output = self.template.render(context)
        self.cache.store.put(key, output)
        return output

    def __getattr__(self, attr: str) -> Any:
        return getattr(self.template, attr)


class SearchCache:
    """Material's search entries for each page (its HTML parse is a seventh of a build).

    The wrapper is installed with or without the cache (store=False: nothing is kept): it
    also hands Material's parser the page without the parts it leaves out of the index
    (search_cut.py), which is the same entries for a third of the parse."""

    def __init__(self, folder: Path | None) -> None:
        self.store = Store(folder, "search")
        self.cut_pages = 0  # pages parsed without their left-out parts (tests, benchmarks)

    def install(self, search_plugin: Any, store: bool = True) -> None:
        index = getattr(search_plugin, "search_index", None)
        if index is None or not hasattr(index, "add_entry_from_context"):
            return
        original = index.add_entry_from_context
        cutting = search_cut.applies(index)
        signature = digest(json.dumps({"versions": versions(),
                                       "config": repr(sorted(index.config.items()))}))

        def parse(page: Page) -> None:
            html = page.content
            short = search_cut.cut(html) if cutting and html else None
            if short is None or short == html:
                original(page)
                return
            before = len(index.entries)
            page.content = short
            try:
                original(page)
                self.cut_pages += 1
            except Exception:  # Material could raise where the whole page would not
                del index.entries[before:]
                page.content = html
                original(page)
            finally:
                page.content = html

        def add_entry_from_context(page: Page) -> None:
            if not store:
                parse(page)
                return
            key = digest(signature, json.dumps({
                "url": page.url, "title": page.title, "meta": fingerprint(page.meta),
                "toc": _toc_out(list(page.toc)),
            }, sort_keys=True), page.content or "")
            self.store.own(page.url, key)
            hit = self.store.get(key)
            if hit is not None:
                index.entries.extend(json.loads(json.dumps(hit)))  # a copy
                return
            before = len(index.entries)
            parse(page)
            self.store.put(key, json.loads(json.dumps(index.entries[before:], default=str)))

        index.add_entry_from_context = add_entry_from_context
