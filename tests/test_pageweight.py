"""Light on a poor connection (issue 12): page-weight budgets on the sample site.

- a question page's HTML is at most 60 KB;
- everything a browser downloads to show a question page on a cold cache (HTML, CSS, JS,
  fonts, images) is at most 500 KB, measured from the requests Chromium makes;
- no web fonts (theme.font is false) and the search index is not downloaded until the
  reader opens search (assets/js/search-on-demand.js), then it is.

Figures for a 1,000-question kb: benchmarks/pageweight.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from a11y_pages import downloads, page_types, serve
from support import ROOT, SAMPLE_KB

from generator.loader import load_or_raise

HTML_BUDGET = 60 * 1024
COLD_BUDGET = 500 * 1024
QUESTION_PAGES = {k: v for k, v in page_types(load_or_raise(SAMPLE_KB)).items()
                  if k.startswith("question-")}


@pytest.fixture(scope="module")
def base(sample_site: Path) -> Iterator[str]:
    with serve(sample_site) as url:
        yield url


def test_theme_uses_no_web_fonts() -> None:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"),
                       Loader=yaml.BaseLoader)
    assert config["theme"]["font"] == "false"


@pytest.mark.parametrize("kind", sorted(QUESTION_PAGES))
def test_question_page_html_within_budget(sample_site: Path, kind: str) -> None:
    html = sample_site / QUESTION_PAGES[kind] / "index.html"
    assert html.stat().st_size <= HTML_BUDGET, f"{html}: {html.stat().st_size} bytes"


@pytest.mark.browser
@pytest.mark.parametrize("kind", ["question-select_one", "question-number"])
def test_question_page_cold_load_within_budget(browser, sample_site: Path, base: str,
                                               kind: str) -> None:
    sizes = downloads(browser, sample_site, base, QUESTION_PAGES[kind])
    assert not [u for u in sizes if u.endswith((".woff", ".woff2", ".ttf"))
                or "fonts.g" in u], "web fonts downloaded"
    total = sum(sizes.values())
    listing = "\n".join(f"{n:>8} {u}" for u, n in sorted(sizes.items(), key=lambda x: -x[1]))
    assert total <= COLD_BUDGET, f"{total} bytes:\n{listing}"
    # Sanity: the measure counts what it should (the page, Material's CSS and bundle).
    assert any(u.endswith(".css") for u in sizes) and any(u.endswith(".js") for u in sizes)
    assert any("/workers/search" in u for u in sizes)
    assert not [u for u, n in sizes.items() if n == 0 and u.startswith(base)], sizes
    assert sizes[base + QUESTION_PAGES[kind]] > 1000


@pytest.mark.browser
def test_search_index_waits_until_search_is_opened(browser, base: str) -> None:
    context = browser.new_context()
    requested: list[str] = []
    try:
        page = context.new_page()
        page.on("request", lambda r: requested.append(r.url))
        page.goto(base + QUESTION_PAGES["question-select_one"])
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)
        assert not [u for u in requested if "search_index" in u], requested
        # Opening search (keyboard shortcut) fetches it and search works.
        page.keyboard.press("/")
        page.wait_for_function(
            "!document.querySelector('.md-search-result__meta').textContent"
            ".includes('Initializing')")
        assert [u for u in requested if u.endswith("search/search_index.json")]
        box = page.locator("input.md-search__input")
        box.fill("water")
        box.press("End")
        page.wait_for_selector(".md-search-result__item")
    finally:
        context.close()


@pytest.mark.browser
def test_search_index_is_fetched_on_a_click_in_the_search_box(browser, base: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    requested: list[str] = []
    try:
        page = context.new_page()
        page.on("request", lambda r: requested.append(r.url))
        page.goto(base)
        page.wait_for_load_state("networkidle")
        assert not [u for u in requested if "search_index" in u]
        page.locator(".md-search__input").click()
        page.wait_for_function(
            "!document.querySelector('.md-search-result__meta').textContent"
            ".includes('Initializing')")
    finally:
        context.close()
