"""One Markdown instance per build (generator/plugin/shared_markdown.py): the same HTML as
MkDocs' instance per page, each page's state cleared, and MkDocs' own rendering wherever
that is not known."""

from __future__ import annotations

import hashlib
from pathlib import Path

import markdown
import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from support import SAMPLE_KB, copy_project

from generator.build import build_site
from generator.plugin import shared_markdown
from generator.plugin.shared_markdown import SharedMarkdown

EPOCH = "1767225600"


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


class Counting:
    """Counts the Markdown instances made (and so the pages converted each with its own)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.made = 0
        original = markdown.Markdown.__init__

        def init(md: markdown.Markdown, *args: object, **kwargs: object) -> None:
            self.made += 1
            original(md, *args, **kwargs)

        monkeypatch.setattr(markdown.Markdown, "__init__", init)


def test_the_sample_site_is_byte_identical_with_one_instance_or_one_per_page(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample kb and the project's docs/ (every construct the pages use: admonitions,
    details, tables, Markdown in HTML, attribute lists, headings with ids, links to
    anchors), without the page cache so that every page is converted."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    project = copy_project(tmp_path / "project", SAMPLE_KB)
    counting = Counting(monkeypatch)
    build_site(project / "kb", tmp_path / "shared", project=project, cache=False)
    shared_made = counting.made
    monkeypatch.setattr(shared_markdown, "extensions_known", lambda config: False)
    counting.made = 0
    build_site(project / "kb", tmp_path / "each", project=project, cache=False)
    pages = len(list((tmp_path / "each").rglob("index.html")))
    assert pages > 150
    assert counting.made >= pages  # MkDocs' way: one per page
    assert shared_made <= 3  # the build's own (and any a plugin makes for itself)
    shared, each = tree(tmp_path / "shared"), tree(tmp_path / "each")
    assert sorted(k for k in shared.keys() | each.keys() if shared.get(k) != each.get(k)) == []


def _project(tmp_path: Path, extensions: str, pages: dict[str, str]) -> tuple:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in pages.items():
        (docs / name).write_text(text, encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        f"site_name: t\nmarkdown_extensions:\n{extensions}", encoding="utf-8")
    config = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    files = Files([File(name, str(docs), str(tmp_path / "site"), True) for name in pages])
    out = []
    for f in files:
        page = Page(None, f, config)
        page.read_source(config)
        out.append(page)
    return config, files, out


KNOWN = "".join(f"  - {e}\n" for e in ("toc", "tables", "attr_list", "md_in_html",
                                         "admonition", "def_list", "pymdownx.details",
                                         "pymdownx.superfences", "pymdownx.magiclink"))

FIRST = """# First

[ref]: https://example.org/first

Link to [a reference][ref] and [the second](b.md#later).

## Only on the first { #only-first }

!!! note "An admonition"

    Its text.

??? info "Details"
    Inside.

```python
code = 1
```

<div id="raw-first" markdown>
**Bold** in HTML.
</div>
"""

SECOND = """# Second

A [reference defined on the first page][ref] stays text here.

## Later

Term
:   Definition.

| a | b |
|---|---|
| 1 | 2 |
"""


def test_each_page_starts_from_a_clean_instance(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """References, table of contents, anchors, links, stashed HTML and code: nothing of the
    first page reaches the second, and each page's HTML is what MkDocs itself makes."""
    config, files, pages = _project(tmp_path, KNOWN, {"a.md": FIRST, "b.md": SECOND})
    expected = []
    for page in pages:
        page.render(config, files)  # MkDocs' own
        expected.append((page.content, [i.title for i in page.toc.items[0].children],
                         page.title, page.present_anchor_ids, page.links_to_anchors))
    counting = Counting(monkeypatch)
    shared = SharedMarkdown()
    shared.start()
    for _round in range(2):  # the same instance, pages in turn
        got = []
        for page in pages:
            shared.wrap(page, config)
            assert "render" in vars(page)
            page.render(config, files)
            got.append((page.content, [i.title for i in page.toc.items[0].children],
                        page.title, page.present_anchor_ids, page.links_to_anchors))
            del page.render
        assert got == expected
    assert counting.made == 1
    assert "https://example.org/first" not in pages[1].content
    assert "[reference defined on the first page][ref]" in pages[1].content
    assert pages[1].present_anchor_ids == {"second", "later"}


def test_an_unknown_extension_gets_mkdocs_own_rendering(tmp_path: Path) -> None:
    config, files, pages = _project(tmp_path, KNOWN + "  - footnotes\n", {"a.md": FIRST})
    shared = SharedMarkdown()
    shared.start()
    shared.wrap(pages[0], config)
    assert "render" not in vars(pages[0])


def test_another_plugins_render_is_kept(tmp_path: Path) -> None:
    config, files, pages = _project(tmp_path, KNOWN, {"a.md": FIRST})

    def theirs(config: object, files: object) -> None:
        pages[0].content = "theirs"

    pages[0].render = theirs  # type: ignore[method-assign]
    shared = SharedMarkdown()
    shared.start()
    shared.wrap(pages[0], config)
    assert pages[0].render is theirs


def test_another_mkdocs_render_gets_its_own_rendering(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config, files, pages = _project(tmp_path, KNOWN, {"a.md": FIRST})
    monkeypatch.setattr(shared_markdown, "UPSTREAM_RENDER", "0" * 16)
    shared_markdown.upstream_render_known.cache_clear()
    try:
        shared = SharedMarkdown()
        shared.start()
        shared.wrap(pages[0], config)
        assert "render" not in vars(pages[0])
    finally:
        monkeypatch.undo()
        shared_markdown.upstream_render_known.cache_clear()


def test_the_installed_mkdocs_render_is_the_one_copied() -> None:
    """Fails on a MkDocs upgrade, on purpose: read the new Page.render, update the copy in
    shared_markdown.py and its digest."""
    assert shared_markdown.upstream_render_known()
