"""Under `mkdocs serve`, a kb edit rebuilds only the pages it changed.

MkDocs answers every save with a full build: it empties the site folder and runs every page
through Markdown, the theme, the search indexer and the tags plugin again, then writes all
of them (1,189 pages, 47 MB at 1,000 questions), although one question's edit changes a
dozen. After a full build under serve, `Incremental` keeps what that build made (its
configuration, files, navigation, Jinja environment; the search and tags plugins keep their
index and listings). On the next change it runs the generator as every build does (the kb
is loaded and checked whole), compares the pages it makes with the last build's, and, when
only the content of existing pages changed, runs MkDocs' own steps for a page
(`_populate_page`, `_build_page`) for those pages only, and for the tag listings that show
one of them; their search entries replace the old ones in place, and the index is written
again. Everything else is left as the full build wrote it.

Any other change gets a full build, as before: a file outside the kb (docs/, overrides/,
mkdocs.yml, watched paths), a page added or removed, a changed title of a page in the
navigation, a page gaining or losing tags or leaving search, a plugin other than search,
tags and this one, a kb whose problems stop a build, any warning (strict mode), any error.
The rebuilt site is byte-identical to a full build (tests/test_edit_loop.py compares them
after each kind of edit).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment
from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkPage
from mkdocs.utils import CountHandler
from mkdocs.utils.meta import get_data

from ..mockup.embed import chart_marker

log = logging.getLogger("mkdocs.plugins.country-toolkit")

# Plugins whose per-build state this module knows how to carry over (entry point names
# and the names MkDocs gives them). Any other plugin or hook: a full build.
KNOWN_PLUGINS = frozenset({"search", "material/search", "tags", "material/tags",
                           "country-toolkit"})


# The versions whose internals this module was read against and tested with: MkDocs'
# `_populate_page` and `_build_page`, Material's search index entries and its tags plugin's
# mappings, listings and export. Another version gets full builds until someone reads its
# source again and adds it here (tests/test_incremental.py fails on an upgrade to say so).
VERIFIED = {"mkdocs": ("1.6.1",), "mkdocs-material": ("9.8.2",)}


def verified() -> bool:
    return all(importlib.metadata.version(name) in versions
               for name, versions in VERIFIED.items())


class Fallback(Exception):
    """This change needs a full build (the reason is logged at debug level)."""


# Every input outside the kb that shapes the site, by path: the sha256 of its bytes (a
# time stamp can miss two saves within its granularity).
Stamps = dict[str, str]


def roots(config: MkDocsConfig) -> tuple[str, ...]:
    return tuple(os.path.abspath(r) for r in (
        config.docs_dir, config.config_file_path, config.theme.custom_dir, *config.watch)
        if r)


def stamps(folders: tuple[str, ...]) -> Stamps:
    """The digest of every file under the given files and folders."""
    out: Stamps = {}
    for root in folders:
        if os.path.isfile(root):
            out[root] = _digest(root)
            continue
        for folder, _dirs, names in os.walk(root):
            for name in names:
                path = os.path.join(folder, name)
                out[path] = _digest(path)
    return out


def _digest(path: str) -> str:
    try:
        with open(path, "rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError as err:  # gone or unreadable meanwhile: a change all the same
        return f"unreadable: {err}"


@dataclass
class Built:
    """What a full (or incremental) build under serve left, for the next rebuild."""

    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: Environment
    pages: dict[str, str | bytes]  # generated path -> content, in the generator's order
    charts: dict[str, str]
    tags_page: str | None  # tags.md with the generator's index of the tag pages
    stamps: Stamps = field(default_factory=dict)


@dataclass
class Generated:
    """The generator's output for one build (from the plugin)."""

    pages: dict[str, str | bytes]
    charts: dict[str, str]
    tags_page: str | None  # tags.md with the index of the tag pages (None: as written)


class _Held(logging.Filter):
    """Holds the plugin's log records back until the rebuild is known not to fall back (a
    full build then logs them itself: they would be printed twice)."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def filter(self, record: logging.LogRecord) -> bool:
        self.records.append(record)
        return False


class Incremental:
    def __init__(self) -> None:
        self.built: Built | None = None
        self.started: Stamps | None = None  # stamps taken when the running build started
        # Stamps taken before serve's full build loads mkdocs.yml, and the inputs stamped:
        # a save made while it loads is then seen by the next rebuild.
        self.before: tuple[tuple[str, ...], Stamps] | None = None
        self.config: MkDocsConfig | None = None  # the last build's configuration
        self.rebuilt: list[str] = []  # pages the last incremental rebuild built (tests)
        self.fallbacks: list[str] = []  # why the last rebuilds were full (tests, benchmarks)

    # -- full builds ----------------------------------------------------------------------
    def stamp_before_full_build(self) -> None:
        """Serve is about to make a full build: stamp the inputs before it reads any."""
        if self.config is not None:
            folders = roots(self.config)
            self.before = (folders, stamps(folders))

    def start(self, config: MkDocsConfig) -> None:
        """A full build starts: its inputs outside the kb are stamped before it reads them
        (docs/ and overrides/; mkdocs.yml was read already, so its stamp from before the
        build is used when there is one), so an edit made while it runs is seen as a change
        by the next rebuild."""
        self.built = None
        self.config = config
        folders = roots(config)
        if self.before is not None and self.before[0] == folders:
            self.started = self.before[1]
        else:
            self.started = stamps(folders)
        self.before = None

    def finish(self, config: MkDocsConfig, files: Files | None, nav: Navigation | None,
               env: Environment | None, generated: Generated | None) -> None:
        """A full build under serve succeeded: keep what the next rebuild starts from."""
        if any(part is None for part in (files, nav, env, generated, self.started)):
            self.built = None
            return
        assert files is not None and nav is not None and env is not None
        assert generated is not None and self.started is not None
        self.built = Built(config, files, nav, env, dict(generated.pages),
                           dict(generated.charts), generated.tags_page, self.started)
        self.started = None

    def forget(self) -> None:
        self.built = None
        self.started = None

    # -- rebuilds -------------------------------------------------------------------------
    def rebuild(self, generate: Callable[[MkDocsConfig], Generated | None],
                finish: Callable[[MkDocsConfig], None]) -> bool:
        """Rebuild the pages that changed; False when a full build is needed instead.

        generate(config) runs the generator as a build does (what it logs is held back until
        the rebuild cannot fall back any more) and returns its pages, or None when the kb's
        problems stop a build. finish(config) is the plugin's end of a build."""
        built = self.built
        if built is None:
            self.fallbacks.append("no earlier build to start from")
            return False
        self.built = None  # a rebuild that fails leaves nothing to start from
        self.rebuilt = []
        started = time.monotonic()
        counter = CountHandler()
        counter.setLevel(logging.WARNING)
        mkdocs_log = logging.getLogger("mkdocs")
        mkdocs_log.addHandler(counter)
        held = _Held()
        log.addFilter(held)
        try:
            try:
                pages = self._rebuild(built, generate, finish, counter, held)
            finally:
                if held in log.filters:
                    log.removeFilter(held)
        except Fallback as why:
            self.fallbacks.append(str(why))
            log.debug("full build: %s", why)
            return False
        except Exception as err:  # the full build reports it as a build does
            self.fallbacks.append(f"error: {err!r}")
            log.debug("full build after an error in the incremental rebuild", exc_info=True)
            return False
        finally:
            mkdocs_log.removeHandler(counter)
        self.built = built
        self.rebuilt = pages
        logging.getLogger("mkdocs.commands.build").info(
            "Rebuilt %d changed page(s) of %d in %.2f seconds", len(pages),
            len(built.files.documentation_pages()), time.monotonic() - started)
        return True

    def _rebuild(self, built: Built, generate: Callable[[MkDocsConfig], Generated | None],
                 finish: Callable[[MkDocsConfig], None], counter: CountHandler,
                 held: _Held) -> list[str]:
        config = built.config
        if not verified():
            raise Fallback("MkDocs or Material is not a version this rebuild was verified with")
        unknown = sorted(set(config.plugins) - KNOWN_PLUGINS)
        if unknown:
            raise Fallback(f"plugins this rebuild does not know: {', '.join(unknown)}")
        if config.hooks:
            raise Fallback("hooks")
        if stamps(roots(config)) != built.stamps:
            raise Fallback("a file outside the kb changed")
        generated = generate(config)
        if generated is None:
            raise Fallback("the kb cannot be built as it is")
        if list(generated.pages) != list(built.pages):
            raise Fallback("pages were added, removed or moved")
        changed = {path for path, content in generated.pages.items()
                   if content != built.pages[path]}
        contents = dict(generated.pages)
        if generated.tags_page != built.tags_page:  # its index of the tag pages changed
            if generated.tags_page is None or built.tags_page is None:
                raise Fallback("the tags page changed")
            changed.add("tags.md")
            contents["tags.md"] = generated.tags_page
        charts = {key for key in generated.charts.keys() | built.charts.keys()
                  if generated.charts.get(key) != built.charts.get(key)}
        if charts:  # charts are filled in after Markdown: the pages showing them change too
            markers = [chart_marker(key) for key in charts]
            changed |= {path for path, content in generated.pages.items()
                        if isinstance(content, str) and any(m in content for m in markers)}

        search, tags = _plugin_with(config, "search_index"), _plugin_with(config, "listings")
        files = built.files
        docs: list[File] = []
        statics: list[tuple[File, str | bytes]] = []
        for path in changed:
            file = files.get_file_from_path(path)
            if file is None:
                raise Fallback(f"{path} is not in the last build")
            content = contents[path]
            if file.is_documentation_page():
                if not isinstance(content, str) or file.page is None:
                    raise Fallback(f"{path} is not a page as before")
                _check_meta(file.page, content, tags)
                docs.append(file)
            else:
                statics.append((file, content))

        # Read and convert the changed pages, as MkDocs does before any page is built.
        in_order = [f.page for f in files.documentation_pages() if f.page is not None]
        in_nav = {id(page) for page in built.nav.pages}
        before = {id(f.page): (f.page.title, _mapping(tags, f.page)) for f in docs
                  if f.page is not None}
        for file, content in statics:
            _set_content(file, content)
        for file in docs:
            _set_content(file, contents[file.src_uri])
        redo = [page for page in in_order if id(page) in before]
        redone = set(before)
        listing_pages = _listing_pages(tags, redone)
        for page in redo:
            _forget_listings(tags, page)
            _populate(page, config, files)
        for page in redo:
            title, mapping = before[id(page)]
            if id(page) in in_nav and page.title != title:
                raise Fallback(f"the title of {page.file.src_uri} in the navigation changed")
            if tags is not None and mapping is not None and (
                    page.title != title or _tag_names(mapping) != _tag_names(
                        _mapping(tags, page))):
                # Listings showing it (its title, its tags) are rendered again.
                listing_pages |= _listing_pages_showing(tags, [mapping, _mapping(tags, page)])
        listed = [page for page in in_order
                  if id(page) in listing_pages and id(page) not in redone]
        for page in listed:
            _forget_listings(tags, page)
            _populate(page, config, files)
        redone |= listing_pages
        if tags is not None:
            _populate_listings(tags, config, built.env, redone)
        # Links to anchors, as a build checks them after writing the pages: a page may have
        # dropped an anchor another one links to. Before anything is written here.
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        anchors = config.validation.links.anchors
        for file in doc_files:
            if file.page is not None:
                file.page.validate_anchor_links(files=files, log_level=anchors)
        if config.strict and (counter.get_counts() or any(
                r.levelno >= logging.WARNING for r in held.records)):
            raise Fallback("a warning was logged (strict mode counts it)")
        build = [page for page in in_order if id(page) in redone]
        urls = {page.url: i for i, page in enumerate(in_order)}
        if search is not None:
            for page in build:
                _search_slice(search.search_index.entries, page, urls)

        # Nothing falls back from here on: the held records are logged, and pages written.
        log.removeFilter(held)
        for record in held.records:
            log.handle(record)
        for page in build:
            _build_with_search(page, config, doc_files, built.nav, built.env, search, urls)
        for file, _content in statics:
            file.copy_file()
        if tags is not None and tags.config.export and any(
                _mapping(tags, page) is not None for page in redo):
            _export_tags(tags, config)  # the tagged pages' titles and tags, as on_env does
        if search is not None:
            search.on_post_build(config=config)
        finish(config)
        built.pages = dict(generated.pages)
        built.charts = dict(generated.charts)
        built.tags_page = generated.tags_page
        return [p.file.src_uri for p in build] + [f.src_uri for f, _c in statics]


# -- MkDocs and Material steps, for one page ----------------------------------------------
def _set_content(file: File, content: str | bytes) -> None:
    if isinstance(content, bytes):
        file.content_bytes = content
    else:
        file.content_string = content


def _populate(page: MkPage, config: MkDocsConfig, files: Files) -> None:
    # The last build's cache wrapper (an instance attribute) would answer with the old HTML.
    page.__dict__.pop("render", None)
    _populate_page(page, config, files)


def _plugin_with(config: MkDocsConfig, attribute: str) -> Any:
    for plugin in config.plugins.values():
        if hasattr(plugin, attribute) and getattr(plugin, "config", {}).get("enabled", True):
            return plugin
    return None


def _check_meta(page: MkPage, content: str, tags: Any) -> None:
    """Refuse front-matter changes whose effects reach other pages than this one."""
    _markdown, meta = get_data(content)
    if meta.get("search") != page.meta.get("search"):
        raise Fallback(f"{page.file.src_uri} entered or left search")
    if tags is not None:
        name = tags.config.tags_name_property
        if bool(meta.get(name)) != (tags.mappings.get(page) is not None):
            raise Fallback(f"{page.file.src_uri} gained or lost its tags")


def _mapping(tags: Any, page: MkPage) -> Any:
    return None if tags is None else tags.mappings.get(page)


def _tag_names(mapping: Any) -> list[str]:
    return [] if mapping is None else sorted(t.name for t in mapping.tags)


def _listing_pages(tags: Any, pages: set[int]) -> set[int]:
    """The pages among `pages` that hold a tag listing."""
    if tags is None:
        return set()
    return {id(listing.page) for listing in tags.listings.data if id(listing.page) in pages}


def _listing_pages_showing(tags: Any, mappings: list[Any]) -> set[int]:
    return {id(listing.page) for listing in tags.listings.data
            if any(m is not None and any(listing & m) for m in mappings)}


def _forget_listings(tags: Any, page: MkPage) -> None:
    """Drop the page's listings: reading it again makes them anew (Material adds them)."""
    if tags is not None:
        tags.listings.data = {listing for listing in tags.listings.data
                              if listing.page is not page}


def _populate_listings(tags: Any, config: MkDocsConfig, env: Environment,
                       pages: set[int]) -> None:
    """Fill the listings of the pages read again, as the tags plugin's on_env does."""
    from material.plugins.tags.renderer import Renderer

    renderer = Renderer(env, config)
    for listing in list(tags.listings.data):
        if id(listing.page) in pages:
            tags.listings.populate(listing, tags.mappings, renderer)


def _search_slice(entries: list[dict[str, Any]], page: MkPage,
                  order: dict[str, int]) -> tuple[int, int]:
    """Where the page's search entries are, or go (Material adds a page's entries together,
    pages in the order of the files; a page left out of search has none)."""
    def base(entry: dict[str, Any]) -> str:
        return str(entry.get("location", "")).split("#", 1)[0]

    found = [i for i, e in enumerate(entries) if base(e) == page.url]
    if found:
        if found != list(range(found[0], found[-1] + 1)):
            raise Fallback(f"the search entries of {page.file.src_uri} are not together")
        return found[0], found[-1] + 1
    mine = order[page.url]
    at = next((i for i, e in enumerate(entries) if order.get(base(e), -1) > mine),
              len(entries))
    return at, at


def _export_tags(tags: Any, config: MkDocsConfig) -> None:
    from material.plugins.tags.structure.mapping.storage import MappingStorage

    path = os.path.normpath(os.path.join(config.site_dir, tags.config.export_file))
    MappingStorage(tags.config).save(path, tags.mappings)


def _build_with_search(page: MkPage, config: MkDocsConfig, doc_files: Any, nav: Navigation,
                       env: Environment, search: Any, order: dict[str, int]) -> None:
    """MkDocs' _build_page; the page's new search entries take the place of its old ones."""
    entries = search.search_index.entries if search is not None else None
    if entries is not None:
        start, end = _search_slice(entries, page, order)
        count = len(entries)
    _build_page(page, config, doc_files, nav, env, excluded=page.file.inclusion.is_excluded())
    if entries is not None:
        new = entries[count:]
        del entries[count:]
        entries[start:end] = new
