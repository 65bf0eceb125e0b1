"""One Markdown converter for all the pages of a build, instead of one per page.

MkDocs' Page.render makes a new markdown.Markdown for every page, so each page loads and
configures every extension again: 1,186 times at 1,000 questions, 3% of a cold build.
Python-Markdown supports converting many documents with one instance: Markdown.reset()
between them clears the instance's and its extensions' state (its documented use). The
per-page processors MkDocs adds (links, anchors, title) are made for each page as
MkDocs makes them, and replace the last page's in the instance's registries.

Used only where that is known to give the same HTML:
- on the MkDocs Page.render this copies (its source's digest): another version renders
  each page as before;
- with the Markdown extensions below, whose state between documents was read (reset()
  where they keep any); a site with another extension renders each page as before;
- on a page whose render no other plugin has replaced.
The sample site builds byte-identical either way (tests/test_shared_markdown.py, which also
checks that nothing of one page reaches the next); so did a 1,000-question generated kb,
compared by hand with the code before.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import logging
from collections.abc import Callable

import markdown
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure import pages
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from ..inline_prefilter import InlinePrefilter

# Page.render of MkDocs 1.6.1, which render() below copies.
UPSTREAM_RENDER = "320529348f7a8af1"

# Extensions whose state across documents was read in the installed versions: toc,
# pymdownx.details, pymdownx.superfences and the pymdownx.highlight it adds clear theirs in
# reset(); md_in_html makes its parser anew for each document; the others keep none from
# one document to the next (admonition's and details' processors hold a sibling only from
# their test() to their run() on the same block; fenced_code and tables keep only what
# their configuration decides).
KNOWN = frozenset({
    "toc", "tables", "fenced_code", "attr_list", "md_in_html", "admonition", "def_list",
    "pymdownx.details", "pymdownx.superfences", "pymdownx.magiclink",
})


@functools.cache
def upstream_render_known() -> bool:
    source = inspect.getsource(Page.render)
    return hashlib.sha256(source.encode()).hexdigest()[:16] == UPSTREAM_RENDER


def extensions_known(config: MkDocsConfig) -> bool:
    return all(e in KNOWN if isinstance(e, str) else isinstance(e, InlinePrefilter)
               for e in config.markdown_extensions)


class SharedMarkdown:
    """The Markdown instance of one build (start() begins the next)."""

    def __init__(self) -> None:
        self.md: markdown.Markdown | None = None
        self.usable: bool | None = None

    def start(self) -> None:
        # A new instance per build: a build that failed half-way through a page leaves no
        # state behind for the next.
        self.md = None
        self.usable = None

    def wrap(self, page: Page, config: MkDocsConfig) -> None:
        """Make page.render convert with the build's instance, when that is known to give
        the same HTML (module docstring). MkDocs calls it right after on_page_markdown."""
        if self.usable is None:
            self.usable = upstream_render_known() and extensions_known(config)
        if not self.usable or "render" in vars(page):  # another plugin's render: kept
            return
        page.render = self._render(page)  # type: ignore[method-assign]

    def _converter(self, config: MkDocsConfig) -> markdown.Markdown:
        if self.md is None:
            self.md = markdown.Markdown(extensions=config["markdown_extensions"],
                                        extension_configs=config["mdx_configs"] or {})
        else:
            self.md.reset()
        return self.md

    def _render(self, page: Page) -> Callable[[MkDocsConfig, Files], None]:
        def render(config: MkDocsConfig, files: Files) -> None:
            # MkDocs 1.6.1's Page.render with the build's instance in place of a new one.
            if page.markdown is None:
                raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
            md = self._converter(config)
            raw_html_ext = pages._RawHTMLPreprocessor()
            raw_html_ext._register(md)
            extract_anchors_ext = pages._ExtractAnchorsTreeprocessor(page.file, files, config)
            extract_anchors_ext._register(md)
            relative_path_ext = pages._RelativePathTreeprocessor(page.file, files, config)
            relative_path_ext._register(md)
            extract_title_ext = pages._ExtractTitleTreeprocessor()
            extract_title_ext._register(md)
            page.content = md.convert(page.markdown)
            page.toc = get_toc(getattr(md, "toc_tokens", []))
            page._title_from_render = extract_title_ext.title
            page.present_anchor_ids = (
                extract_anchors_ext.present_anchor_ids | raw_html_ext.present_anchor_ids
            )
            if pages.log.getEffectiveLevel() > logging.DEBUG:
                page.links_to_anchors = relative_path_ext.links_to_anchors

        return render
