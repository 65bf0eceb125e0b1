"""The unzipped offline bundle in real headless Chromium, opened from file://.

Every test records each request the page makes and fails on any that is not file:, so
together they show that navigation, search and mock-up charts work with no network.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import SAMPLE_KB
from test_bundle import sample_bundle

from generator.loader import load_or_raise
from generator.models import Question

pytestmark = pytest.mark.browser

KB = load_or_raise(SAMPLE_KB).public_view()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample_bundle(tmp_path_factory.getbasetemp())[1]


class Visit:
    """A browser page that remembers every request and script error."""

    def __init__(self, browser) -> None:
        # Wide enough for Material's desktop layout, where the nav sidebar is visible.
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def offline_problems(self) -> list[str]:
        return [u for u in self.requests if not u.startswith("file:")] + self.errors


@pytest.fixture
def visit(browser) -> Iterator[Visit]:
    v = Visit(browser)
    yield v
    try:
        assert v.requests, "the page made no request at all: did it load?"
        assert v.offline_problems() == []
    finally:
        v.page.close()


def url(site: Path, path: str) -> str:
    return (site / path).as_uri()


def heading(page) -> str:
    return page.locator("h1").first.inner_text().replace("¶", "").strip()


def words(text: str) -> list[str]:
    stripped = (w.strip(".,;:()?!\"'").lower() for w in text.split())
    return [w for w in stripped if len(w) > 4]


def _frequencies() -> dict[str, int]:
    """In how many public questions each word occurs (text, purpose, use, options)."""
    freq: dict[str, int] = {}
    for q in KB.questions.values():
        if not q.is_confidential:
            blob = " ".join([q.text, q.purpose, q.use, *(o.label for o in q.options)])
            for w in set(words(blob)):
                freq[w] = freq.get(w, 0) + 1
    return freq


FREQ = _frequencies()


def rare_words(text: str, n: int = 2) -> str:
    """Up to n words of text used by no other question: what a reader would type."""
    return " ".join(sorted(w for w in set(words(text)) if FREQ.get(w, 0) == 1)[:n])


def search(v: Visit, site: Path, query: str) -> None:
    v.page.goto(url(site, "index.html"))
    box = v.page.locator("input.md-search__input")
    box.click()
    # Typed key by key: Material reads the query on keyup, so fill() (input events only)
    # is lost whenever the search worker is ready before the text arrives.
    box.press_sequentially(query, delay=10)


def result_for(v: Visit, q: Question):
    return v.page.locator(f'.md-search-result__link[href*="questions/{q.sector}/{q.id}.html"]')


# A question that a reader can find both by words of its purpose and of an option label.
QUESTION = next(
    q for q in KB.questions.values()
    if q.options and not q.is_confidential and rare_words(q.purpose)
    and any(rare_words(o.label) for o in q.options)
)


def test_home_navigation_to_a_question(site: Path, visit: Visit) -> None:
    page = visit.page
    page.goto(url(site, "index.html"))
    assert heading(page).startswith(KB.country.name)
    page.locator(".md-nav--primary a", has_text="Data Analysis Plan").first.click()
    page.wait_for_url("**/dap/index.html")
    assert heading(page) == KB.plan.title
    page.locator(f'a[href$="questions/{QUESTION.sector}/{QUESTION.id}.html"]').first.click()
    page.wait_for_url(f"**/questions/{QUESTION.sector}/{QUESTION.id}.html")
    assert heading(page) == QUESTION.text
    page.locator(".md-nav--primary a", has_text="Questions").first.click()
    page.wait_for_url("**/questions/index.html")


def test_search_finds_a_question_by_words_of_its_purpose(site: Path, visit: Visit) -> None:
    search(visit, site, rare_words(QUESTION.purpose))
    hit = result_for(visit, QUESTION)
    hit.first.wait_for(state="visible", timeout=15000)
    hit.first.click()
    visit.page.wait_for_url(re.compile(rf".*/questions/{QUESTION.sector}/{QUESTION.id}\.html.*"))
    assert heading(visit.page) == QUESTION.text


def test_search_finds_a_question_by_an_option_label(site: Path, visit: Visit) -> None:
    query = next(rare_words(o.label) for o in QUESTION.options if rare_words(o.label))
    search(visit, site, query)
    result_for(visit, QUESTION).first.wait_for(state="visible", timeout=15000)


def test_question_page_shows_its_mockup_chart(site: Path, visit: Visit) -> None:
    page = visit.page
    page.goto(url(site, f"questions/{QUESTION.sector}/{QUESTION.id}.html"))
    chart = page.locator("figure.ctk-mockup")
    assert chart.is_visible()
    assert chart.locator(".ctk-mockup-label").inner_text() == "MOCK-UP: illustrative false data"
    box = chart.locator("table.ctk-chart, table.ctk-table").first.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 40  # styled, not collapsed


PAGES = ["index.html", "questions/index.html", "questions/by-partner.html",
         "questions/by-status.html", "dap/index.html", "dap/print.html", "partners/index.html",
         "datasets.html", "process.html", "checklist.html", "country.html", "tags.html",
         "about.html", "404.html",
         f"questions/{QUESTION.sector}/index.html",
         f"partners/{QUESTION.requested_by[0]}.html"]
CONFIDENTIAL = next((q for q in KB.questions.values() if q.is_confidential), None)
if CONFIDENTIAL is not None:
    PAGES.append(f"questions/{CONFIDENTIAL.sector}/{CONFIDENTIAL.id}.html")


def test_every_kind_of_page_loads_without_the_network(site: Path, visit: Visit) -> None:
    """One page of each template; the static check in test_bundle.py covers all pages."""
    for path in PAGES:
        assert (site / path).is_file(), path
        # "load", not "networkidle": after load only the favicon is asked for, and a run on a
        # loaded CI machine once waited 30 s for an idle network that never came. Requests
        # made after load are still recorded while the next page loads.
        visit.page.goto(url(site, path), wait_until="load")
        assert visit.page.locator("h1").count() >= 1 or path == "404.html", path


def test_dap_filter_works_offline(site: Path, visit: Visit) -> None:
    """The Data Analysis Plan filter is a local script: it runs from file:// with no network."""
    page = visit.page
    page.goto(url(site, "dap/index.html"))
    page.locator("form.ctk-filter").wait_for(state="visible")
    page.select_option("select[name=sector]", QUESTION.sector)
    shown = page.eval_on_selector_all(
        ".ctk-dap-q", "els => els.filter(e => !e.hidden).map(e => e.dataset.sector)")
    listed = [q for q in KB.questions.values()
              if q.sector == QUESTION.sector and q.status in ("agreed", "proposed")]
    assert shown == [QUESTION.sector] * len(listed)
