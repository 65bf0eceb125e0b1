"""Material's sidebar from the nav memo (generator/plugin/nav_memo.py) and the partials kept
once per build (static_partials.py) are the theme's own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from support import ROOT, SMALL_KB

from generator.build import build_site
from generator.plugin import nav_memo, static_partials


def pages(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html")}


def test_every_page_is_the_same_with_the_memo(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    memos: list[nav_memo.Memo | None] = []
    install = nav_memo.install

    def recording(*args: Any) -> nav_memo.Memo | None:
        memos.append(install(*args))
        return memos[-1]

    kept: list[static_partials.Memo] = []
    install_kept = static_partials.install

    def recording_kept(env: Any) -> static_partials.Memo:
        kept.append(install_kept(env))
        return kept[-1]

    monkeypatch.setattr(nav_memo, "install", recording)
    monkeypatch.setattr(static_partials, "install", recording_kept)
    build_site(SMALL_KB, tmp_path / "memo", project=ROOT, cache=False)
    monkeypatch.setattr(nav_memo, "install", lambda *args: None)
    monkeypatch.setattr(static_partials, "install", lambda env: {})
    build_site(SMALL_KB, tmp_path / "plain", project=ROOT, cache=False)

    with_memo, without = pages(tmp_path / "memo"), pages(tmp_path / "plain")
    assert with_memo.keys() == without.keys()
    assert [name for name in with_memo if with_memo[name] != without[name]] == []
    # The memo served the pages outside the nav from a few renderings: question pages in
    # several sectors share one, though their links are relative to different folders.
    (memo,) = memos
    assert memo is not None
    outside = [n for n in with_memo if n.split("/")[0] in ("questions", "partners", "tags")
               and n.count("/") >= 2]
    assert len(outside) > 10
    assert 0 < len(memo) < len(outside), (len(memo), len(outside))
    # The search box and the palette toggle, rendered once for every page.
    (partials,) = kept
    assert {"partials/search.html", "partials/palette.html"} <= partials.keys()


def test_a_partial_that_reads_the_page_is_not_kept() -> None:
    from jinja2 import DictLoader, Environment

    env = Environment(loader=DictLoader({
        "partials/search.html": "{{ config.x }} {{ lang }}",
        "partials/palette.html": "{{ config.x }} {{ page.url }}",
        "base.html": "{% include 'partials/search.html' %}|{% include 'partials/palette.html' %}",
    }))
    memo = static_partials.install(env)
    base = env.get_template("base.html")
    first = base.render(config={"x": 1}, lang="en", page={"url": "a/"})
    second = base.render(config={"x": 1}, lang="en", page={"url": "b/"})
    assert (first, second) == ("1 en|1 a/", "1 en|1 b/")
    assert list(memo) == ["partials/search.html"]


def _kept(templates: dict[str, str]) -> tuple[list[str], list[str]]:
    """What install keeps of partials/search.html and partials/palette.html, and what two
    pages with different URLs show."""
    from jinja2 import DictLoader, Environment

    env = Environment(loader=DictLoader({
        "base.html": "{% include 'partials/search.html' %}|{% include 'partials/palette.html' %}",
        **templates}))

    def url(context: Any, value: str) -> str:  # as MkDocs' url filter: relative to the page
        return f"{context['page']['url']}{value}"

    from jinja2 import pass_context
    env.filters["url"] = pass_context(url)
    memo = static_partials.install(env)
    base = env.get_template("base.html")
    shown = [base.render(config={"x": 1}, lang={"t": str.upper}, page={"url": u})
             for u in ("a/", "b/")]
    return list(memo), shown


def test_a_partial_using_a_filter_that_reads_the_page_is_not_kept() -> None:
    # jinja2.meta sees only `config` here; the url filter reads the page from the context.
    kept, shown = _kept({"partials/search.html": "{{ config.x }}",
                         "partials/palette.html": "{{ 'img.png' | url }}"})
    assert kept == ["partials/search.html"]
    assert shown == ["1|a/img.png", "1|b/img.png"]


@pytest.mark.parametrize("palette", [
    "{{ config.x | default(2) | replace('1', '3') }}",  # pure filters: kept
    "{{ config.x is defined }}",
    "{{ lang.t('x') }}",
    "{% include 'icon.html' %}",
])
def test_pure_filters_tests_and_translations_keep_a_partial(palette: str) -> None:
    kept, _ = _kept({"partials/search.html": "s", "partials/palette.html": palette,
                     "icon.html": "{{ config.x | d(0) }}"})
    assert kept == ["partials/search.html", "partials/palette.html"]


@pytest.mark.parametrize("palette, included", [
    ("{{ config.x | urlencode }}", {}),  # a filter outside the allow-list
    ("{{ config.x is sameas 1 }}", {}),  # a test outside the allow-list
    ("{{ config.get('x') }}", {}),  # a call other than the translations'
    ("{% include 'icon.html' %}", {"icon.html": "{{ 'i.svg' | url }}"}),  # what it includes
    ("{% include 'icon.html' %}", {"icon.html": "{{ page.url }}"}),
    ("{% import 'm.html' as m %}{{ m.x() }}", {"m.html": "{% macro x() %}{% endmacro %}"}),
])
def test_a_partial_using_anything_else_is_not_kept(palette: str,
                                                   included: dict[str, str]) -> None:
    kept, _ = _kept({"partials/search.html": "s", "partials/palette.html": palette,
                     **included})
    assert kept == ["partials/search.html"]


def test_an_icon_named_from_the_configuration_that_reads_the_page_is_not_kept() -> None:
    # The included name is made at render time: checked when the partial includes it.
    kept, shown = _kept({
        "partials/search.html": "{% include 'ok' ~ '.svg' %}",
        "partials/palette.html": "{% include 'icon' ~ '.svg' %}",
        "ok.svg": "<svg/>", "icon.svg": "{{ 'x' | url }}"})
    assert kept == ["partials/search.html"]
    assert shown == ["<svg/>|a/x", "<svg/>|b/x"]
