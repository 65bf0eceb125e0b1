"""Material's search parse without the parts it leaves out (generator/plugin/search_cut.py):
the same index, byte for byte, as the parse of whole pages."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from material.plugins.search.plugin import SearchIndex
from mkdocs.commands.build import build
from mkdocs.config import load_config
from support import ROOT, SAMPLE_KB

from generator.plugin import search_cut
from generator.plugin.cache import SearchCache

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic_kb import write_synthetic_kb  # noqa: E402


def entries(html: str) -> list[dict[str, Any]]:
    index = SearchIndex()
    index.add_entry_from_context(SimpleNamespace(meta={}, toc=[], url="p/", title="Page",
                                                 content=html))
    return index.entries


def same_entries(html: str) -> bool:
    """Whether the cut page gives the whole page's entries (True when it is not cut)."""
    short = search_cut.cut(html)
    return short is None or json.dumps(entries(short)) == json.dumps(entries(html))


# -- whole sites: one build each, both indexes from it --------------------------------------
def build_both(kb: Path, site: Path, monkeypatch: pytest.MonkeyPatch, language: str = "",
               cache: Path | None = None) -> dict[str, Any]:
    """Build the site; beside Material's index (made with the cut), an index of the same
    pages parsed whole by Material's own SearchIndex."""
    cfg = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site))
    plugin = cfg.plugins["country-toolkit"]
    plugin.config["kb"] = str(kb)
    plugin.config["language"] = language
    plugin.config["cache"] = cache is not None
    if cache is not None:
        plugin.config["cache_dir"] = str(cache)
    seen: dict[str, Any] = {}
    install = SearchCache.install

    def install_beside(self: SearchCache, search_plugin: Any, store: bool = True) -> None:
        install(self, search_plugin, store)
        index = search_plugin.search_index
        whole = SearchIndex(**index.config)
        cutting = index.add_entry_from_context

        def both(page: Any) -> None:
            whole.add_entry_from_context(page)
            cutting(page)

        index.add_entry_from_context = both
        seen.update(whole=whole, cache=self)

    monkeypatch.setattr(SearchCache, "install", install_beside)
    build(cfg)
    monkeypatch.undo()
    return {"file": (site / "search" / "search_index.json").read_bytes(),
            "whole": seen["whole"].generate_search_index(None).encode("utf-8"),
            "cut_pages": seen["cache"].cut_pages}


@pytest.fixture(scope="module")
def indexes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("search-cut")
    with pytest.MonkeyPatch.context() as mp:
        out = {
            # Without the cache, as a cold build: the wrapper is installed all the same.
            "sample-en": build_both(SAMPLE_KB, tmp / "en", mp),
            # With the cache (filled by this build): the entries it stores are the cut ones.
            "sample-fr": build_both(SAMPLE_KB, tmp / "fr", mp, "fr", cache=tmp / "cache"),
            "generated": build_both(write_synthetic_kb(tmp / "kb", 24), tmp / "gen", mp),
        }
    return out


@pytest.mark.parametrize("name", ["sample-en", "sample-fr", "generated"])
def test_site_index_is_byte_identical_with_and_without_the_cut(
        indexes: dict[str, dict[str, Any]], name: str) -> None:
    built = indexes[name]
    assert built["cut_pages"] > 20  # the cut was used, on most pages
    assert built["file"] == built["whole"]


def test_french_site_is_french(indexes: dict[str, dict[str, Any]]) -> None:
    docs = json.loads(indexes["sample-fr"]["file"])
    assert docs["config"]["lang"] == ["fr"]
    assert len(docs["docs"]) > 100


# -- what Material does with the mark, and the cut follows ----------------------------------
PAGE = ('<h1 id="t">Title</h1><p>Intro kept</p>'
        '<h2 data-search-exclude id="x">Left out</h2><p>false <strong>numbers</strong></p>'
        '<table><tr><td>cell</td></tr></table>'
        '<h2 id="k">Kept</h2><p>kept text</p>'
        '<div class="w" data-search-exclude><p>inside</p><span>more</span></div><p>after</p>')


def test_a_plain_page_is_cut_and_gives_the_same_entries() -> None:
    short = search_cut.cut(PAGE)
    assert short is not None and "false" not in short and "inside" not in short
    assert "after" in short and "kept text" in short
    assert entries(short) == entries(PAGE)


def test_text_after_an_element_holding_the_heading_goes_back_to_an_indexed_section() -> None:
    html = ('<h1 id="t">T</h1><div><h2 data-search-exclude id="x">X</h2><p>gone</p></div>'
            '<p>back in the first section</p>')
    short = search_cut.cut(html)
    assert short is not None and "gone" not in short
    assert "back in the first section" in json.dumps(entries(short))
    assert entries(short) == entries(html)


def test_an_inner_element_of_the_same_name_ends_materials_exclusion_and_is_not_cut() -> None:
    # Material compares elements by name: the inner </div> ends the exclusion.
    html = ('<h1 id="t">T</h1><div data-search-exclude><div>chart</div>'
            '<p>indexed by Material</p></div>')
    assert "indexed by Material" in json.dumps(entries(html))
    short = search_cut.cut(html)
    assert short is not None and "indexed by Material" in short
    assert entries(short) == entries(html)


def test_a_heading_inside_a_marked_element_is_not_cut() -> None:
    html = '<div data-search-exclude><h2 id="s">S</h2><p>text</p></div><p>after</p>'
    assert search_cut.cut(html) == html
    assert same_entries(html)


@pytest.mark.parametrize("html", [
    '<h2 data-search-exclude id="x">X</h2><script>var a = "<p>";</script>',
    '<h2 data-search-exclude id="x">X</h2><div><p>unclosed</div>',
    '<div data-search-exclude><p>a</p>',  # never closed
    '<p data-search-exclude>x</p><a title=x/>y</a>',  # unquoted value with a slash
    '<p data-search-exclude>x</p><a title="1 > 0">y</a>',
    '<!DOCTYPE html><p data-search-exclude>x</p>',
    '<p data-search-exclude>x</p><div class="linenodiv">1</div>',
    '<p data-search-exclude>x</p><!-- a <b> comment -->',
    '<p data-search-exclude>x</br></p>',
    '<p data-search-exclude>x</p> 1 < 2',
    '<p data-search-exclude>x</p><object>o</object>',
    # html.parser reads the tag's name up to the "\v": "div\vdata-search-exclude".
    '<div\vdata-search-exclude><p>x</p></div>',
])
def test_odd_or_hostile_structure_goes_whole(html: str) -> None:
    assert search_cut.cut(html) is None


@pytest.mark.parametrize("html", [
    # The mark as text, or in an attribute's value, is not an exclusion.
    '<h2 id="x">data-search-exclude</h2><p>kept</p>',
    '<h2 id="x" title="data-search-exclude">T</h2><p>kept</p>',
    '<h2 id="x" title=\'a data-search-exclude\'>T</h2><p>kept</p>',
    # On a void element Material ignores it.
    '<h1 id="t">T</h1><img data-search-exclude src="a.png"><p>kept</p>',
])
def test_the_mark_outside_an_attribute_name_cuts_nothing(html: str) -> None:
    assert search_cut.cut(html) == html


def test_upper_case_markup_is_read_as_materials_parser_reads_it() -> None:
    html = '<H1 ID="t">T</H1><H2 Data-Search-Exclude ID="x">X</H2><P>gone</P><H2 id="k">K</H2>'
    short = search_cut.cut(html)
    assert short is not None and "gone" not in short
    assert entries(short) == entries(html)


# Random pages from the tags Material's parser treats apart (headings with and without
# ids, kept tags, void tags, marked elements, nesting of the same name, stray end tags):
# every page the cut changes gives the same entries as the whole page.
TAGS = ["div", "p", "span", "ul", "li", "pre", "code", "table", "td", "h1", "h2", "h3", "a"]


def random_html(rng: random.Random, depth: int = 0) -> str:
    out = []
    for _ in range(rng.randint(1, 4)):
        roll = rng.random()
        if roll < 0.25 or depth > 3:
            out.append(rng.choice(["word", " ", "\n", "two words", "&amp; x"]))
        elif roll < 0.32:
            out.append(rng.choice(["<br>", "<img src=\"a\">", "<hr/>", "<br data-search-exclude>"]))
        elif roll < 0.35:
            out.append(rng.choice(["</p>", "</div>", "<p>", "<!-- c -->"]))  # stray or unclosed
        else:
            tag = rng.choice(TAGS)
            attrs = ""
            if rng.random() < 0.5:
                attrs += f' id="i{rng.randint(0, 99)}"'
            if rng.random() < 0.4:
                attrs += " data-search-exclude"
            if tag == "a" and rng.random() < 0.3:
                attrs += ' class="headerlink"'
            out.append(f"<{tag}{attrs}>{random_html(rng, depth + 1)}</{tag}>")
    return "".join(out)


def test_random_pages_give_the_same_entries_cut_or_whole() -> None:
    rng = random.Random(13)
    cut = whole = 0
    for _ in range(3000):
        html = random_html(rng)
        try:
            expected = json.dumps(entries(html))
        except Exception:  # noqa: BLE001 - Material itself fails on this page
            continue
        short = search_cut.cut(html)
        if short is None:
            whole += 1
            continue
        if short != html:
            cut += 1
        try:
            got = json.dumps(entries(short))
        except Exception:  # noqa: BLE001 - SearchCache parses the whole page again
            continue
        assert got == expected, html
    assert cut > 300 and whole > 100


# -- when the cut is used -------------------------------------------------------------------
def _plugin() -> SimpleNamespace:
    return SimpleNamespace(search_index=SearchIndex(lang=["en"]))


def _page(html: str) -> SimpleNamespace:
    return SimpleNamespace(meta={}, toc=[], url="p/", title="Page", content=html)


def test_the_cut_applies_to_the_installed_material() -> None:
    # A Material upgrade fails this test: read its search parser again (search_cut.py's
    # docstring), then update MATERIAL_SEARCH_SHA256.
    assert search_cut.applies(_plugin().search_index)


@pytest.mark.parametrize("store", [True, False])
def test_another_material_gets_whole_pages(monkeypatch: pytest.MonkeyPatch,
                                           store: bool) -> None:
    monkeypatch.setattr(search_cut, "MATERIAL_SEARCH_SHA256", "0" * 64)
    plugin, cache = _plugin(), SearchCache(None)
    assert not search_cut.applies(plugin.search_index)
    cache.install(plugin, store=store)
    calls: list[str] = []
    monkeypatch.setattr(search_cut, "cut", lambda html: calls.append(html) or html)
    plugin.search_index.add_entry_from_context(_page(PAGE))
    assert calls == [] and cache.cut_pages == 0
    assert plugin.search_index.entries == entries(PAGE)


def test_mkdocs_own_search_index_is_not_cut() -> None:
    from mkdocs.contrib.search.search_index import SearchIndex as MkDocsIndex
    assert not search_cut.applies(MkDocsIndex())


@pytest.mark.parametrize("store", [True, False])
def test_the_wrapper_cuts_and_leaves_the_page_as_it_was(store: bool) -> None:
    plugin, cache = _plugin(), SearchCache(None)
    cache.install(plugin, store=store)
    page = _page(PAGE)
    plugin.search_index.add_entry_from_context(page)
    assert cache.cut_pages == 1 and page.content == PAGE
    assert plugin.search_index.entries == entries(PAGE)


def test_a_cut_page_material_fails_on_is_parsed_again_whole(
        monkeypatch: pytest.MonkeyPatch) -> None:
    plugin, cache = _plugin(), SearchCache(None)
    cache.install(plugin, store=False)
    monkeypatch.setattr(search_cut, "cut", lambda html: "<p>partial</p>" + "<p></ul></p>")
    monkeypatch.setattr("material.plugins.search.plugin.Parser.feed",
                        _fail_on("partial"), raising=True)
    page = _page(PAGE)
    plugin.search_index.add_entry_from_context(page)
    assert cache.cut_pages == 0 and page.content == PAGE
    assert plugin.search_index.entries == entries(PAGE)


def _fail_on(text: str) -> Any:
    from html.parser import HTMLParser

    def feed(self: Any, data: str) -> None:
        if text in data:
            raise ValueError("substring not found")
        HTMLParser.feed(self, data)
    return feed
