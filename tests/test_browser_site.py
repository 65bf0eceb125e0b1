"""The published site in real headless Chromium: open a question page, find it by search."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from support import SAMPLE_KB, serve_folder

from generator.loader import load_or_raise

pytestmark = pytest.mark.browser



def heading(page) -> str:
    return page.locator("h1").inner_text().replace("¶", "").strip()


@pytest.fixture(scope="module")
def server(sample_site: Path) -> Iterator[str]:
    with serve_folder(sample_site) as url:
        yield url


def words(text: str) -> list[str]:
    return [w.strip(".,;:()?!\"'").lower() for w in text.split() if len(w) > 3]


def distinctive(text: str, kb) -> str:
    """The three words of text that the fewest questions use: what a reader would type."""
    freq: dict[str, int] = {}
    for other in kb.questions.values():
        for w in set(words(f"{other.text} {other.purpose} {other.use}")):
            freq[w] = freq.get(w, 0) + 1
    return " ".join(sorted(set(words(text)), key=lambda w: (freq.get(w, 0), w))[:3])


def search(page, server: str, query: str) -> None:
    """Type query into Material's search box as a person would, once the index is loaded."""
    page.goto(server)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.wait_for_function(
        "!document.querySelector('.md-search-result__meta').textContent.includes('Initializing')"
    )
    box = page.locator("input.md-search__input")
    box.fill(query)
    box.press("End")  # Material searches on key events: one, with the whole query typed


def top_results(page, n: int = 10) -> list[str]:
    """Paths of the first n result pages, in Material's order."""
    page.wait_for_function(
        "/matching|No matching/.test(document.querySelector('.md-search-result__meta').textContent)"
    )
    hrefs = page.eval_on_selector_all(
        ".md-search-result__item > .md-search-result__link", "els => els.map(e => e.href)"
    )
    return [h.split("?")[0].split("#")[0] for h in hrefs][:n]


@pytest.fixture(scope="module")
def question():
    kb = load_or_raise(SAMPLE_KB)
    q = next(q for q in kb.questions.values() if q.type == "select_one" and not q.is_confidential)
    return kb, q


def test_question_page_shows_purpose_use_and_mockup(server: str, browser, question) -> None:
    _, q = question
    page = browser.new_page()
    try:
        page.goto(f"{server}questions/{q.sector}/{q.id}/")
        assert heading(page) == q.text
        assert page.locator("figure.ctk-mockup").is_visible()
        assert page.get_by_text("MOCK-UP: illustrative false data").first.is_visible()
        body = page.locator("article").inner_text()
        assert " ".join(q.purpose.split()) in " ".join(body.split())
        assert " ".join(q.use.split()) in " ".join(body.split())
    finally:
        page.close()


@pytest.mark.parametrize("field", ["text", "purpose", "option"])
def test_search_finds_the_question(server: str, browser, question, field: str) -> None:
    kb, q = question
    source = {"text": q.text, "purpose": q.purpose, "option": q.options[-1].label}[field]
    page = browser.new_page()
    try:
        search(page, server, distinctive(source, kb) if field != "option" else source)
        target = f"{server}questions/{q.sector}/{q.id}/"
        query = page.locator("input.md-search__input").input_value()
        assert target in top_results(page), (field, query)
        page.locator(f'.md-search-result__link[href^="{target}"]').first.click()
        page.wait_for_url(f"**/questions/{q.sector}/{q.id}/**")
        assert heading(page) == q.text
    finally:
        page.close()
