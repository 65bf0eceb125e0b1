"""axe-core on every page type of the sample site, light and dark: no serious violations.

WCAG 2.2 AA is the bar (issue 12): axe runs the wcag2a/aa, wcag21a/aa, wcag22aa and
best-practice rules, and any critical or serious violation fails with its rule, elements
and message. Wider builds (one per language) join by adding to `builds` below.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from a11y_pages import page_types, serve
from support import SAMPLE_KB

from generator.loader import load_or_raise

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
BLOCKING = {"critical", "serious"}
SCHEMES = {"light": "default", "dark": "slate"}
# Desktop, and a phone: tables scroll and targets shrink on a narrow screen.
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
# comparison: the page mkdocs.yml's compare_with adds to the sample site.
PAGES = {**page_types(load_or_raise(SAMPLE_KB)), "comparison": "comparison/", "search-open": ""}


@pytest.fixture(scope="module")
def builds(sample_site: Path) -> Iterator[dict[str, str]]:
    """Build name -> base URL. A per-language build adds its entry (e.g. its /fr/ root)."""
    with serve(sample_site) as base:
        yield {"sample": base}


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def blocking(results: dict) -> list[str]:
    out = []
    for v in results["violations"]:
        if v["impact"] in BLOCKING:
            for node in v["nodes"][:5]:
                checks = node.get("any") or node.get("all") or node.get("none") or [{}]
                out.append(f"{v['id']} ({v['impact']}) {node['target']}: "
                           f"{checks[0].get('message', '')}")
    return out


def open_search(page) -> None:
    """Open the search dialog as a keyboard user does (Material's "/" shortcut)."""
    page.keyboard.press("/")
    page.wait_for_function("document.getElementById('__search').checked")
    page.wait_for_function(
        "!document.querySelector('.md-search-result__meta').textContent.includes('Initializing')"
    )


# The dark palette changes colours only: its audit runs the rules about colour.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
# The print view of the plan repeats one sheet per question (question pages of each type are
# audited whole): its intro and first sheets are audited, the rest would only multiply the
# time colour-contrast takes (18 s for 76 sheets).
PRINT_SHEETS_AUDITED = 5


def audit(browser, axe, url: str, scheme: str, viewport: dict, search: bool) -> list[str]:
    context = browser.new_context(color_scheme=scheme, viewport=viewport)
    try:
        page = context.new_page()
        # "load": the page's scripts have run; the search index is fetched only when the
        # search is opened (open_search waits for it).
        page.goto(url, wait_until="load")
        # Material picks the palette whose media query matches the reader's preference.
        shown = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        assert shown == SCHEMES[scheme], f"{url}: palette {shown}, expected {SCHEMES[scheme]}"
        if search:
            open_search(page)
            page.locator("input.md-search__input").fill("water")
            page.locator("input.md-search__input").press("End")
            page.wait_for_selector(".md-search-result__item")
        sheets = page.locator(".ctk-print-break").count()
        if sheets > PRINT_SHEETS_AUDITED:
            page.evaluate("""n => {
                const cut = document.querySelectorAll('.ctk-print-break')[n];
                while (cut.nextSibling) cut.nextSibling.remove();
            }""", PRINT_SHEETS_AUDITED)
        return run_axe(axe, page, scheme)
    finally:
        context.close()


# Colours are checked on both palettes at desktop size (dark in test_a11y_dark.py, so the
# two halves of the suite run them side by side); the phone run is for what a narrow screen
# changes (scrolling tables, charts, target sizes), so light only, on the page types with
# wide tables, charts or filters.
PHONE_PAGES = ("home", "checklist", "datasets", "question-select_one",
               "question-select_multiple", "partner", "by-partner", "by-status", "dap",
               "questionnaire", "comparison", "search-open")


def test_no_serious_axe_violations_on_any_page_type(browser, axe, builds) -> None:
    check_page_types(browser, axe, builds, "light", "desktop")


def check_page_types(browser, axe, builds, scheme: str, viewport: str) -> None:
    found = []
    for build, base in builds.items():
        for name, path in PAGES.items():
            if viewport == "phone" and name not in PHONE_PAGES:
                continue
            for problem in audit(browser, axe, base + path, scheme, VIEWPORTS[viewport],
                                 search=name == "search-open"):
                found.append(f"{build} {name} ({scheme}, {viewport}): {problem}")
    assert found == [], "\n".join(found)


def run_axe(axe, page, scheme: str) -> list[str]:
    run_only = ({"type": "rule", "values": COLOUR_RULES} if scheme == "dark"
                else {"type": "tag", "values": TAGS})
    results = axe.run(page, options={"resultTypes": ["violations"], "runOnly": run_only})
    return blocking(results.response)


def test_every_page_type_is_found_in_the_sample() -> None:
    """The audit covers each page type the issue names, restricted questions included."""
    expected = {"home", "country", "process", "checklist", "datasets", "questions-index",
                "sector", "question-select_one", "question-select_multiple", "question-number",
                "question-yes_no", "question-restricted", "partners-index", "partner",
                "by-partner", "by-status", "dap", "dap-print", "tags", "questionnaire",
                "questionnaire-print", "comparison", "search-open"}
    assert set(PAGES) == expected
    assert set(PHONE_PAGES) <= set(PAGES)


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_axe_finds_what_it_should(browser, axe, builds, scheme) -> None:
    """The check can fail: a page with a low-contrast, unlabelled control is reported (in
    dark, where only the colour rules run, the low contrast)."""
    context = browser.new_context(color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(builds["sample"])
        page.evaluate("""() => {
            const p = document.createElement('p');
            p.innerHTML = '<span style="color:#ccc;background:#fff">faint</span>'
                        + '<input type="text">';
            document.querySelector('.md-content').append(p);
        }""")
        problems = run_axe(axe, page, scheme)
    finally:
        context.close()
    assert any(p.startswith("color-contrast") for p in problems)
    assert any(p.startswith("label") for p in problems) == (scheme == "light")
