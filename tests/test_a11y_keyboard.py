"""Keyboard alone (issue 12): Tab reaches search, the DAP filters and downloads, and each
stop shows a visible focus indicator; the filter and search work from the keyboard."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from a11y_pages import serve

pytestmark = pytest.mark.browser

# What the focused element is and whether it shows focus (an outline or a box shadow that
# differs from its look without focus is what a sighted keyboard user follows).
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
            || (s.boxShadow && s.boxShadow !== 'none');
  return {tag: el.tagName.toLowerCase(), name: el.getAttribute('name') || '',
          cls: el.className && el.className.baseVal === undefined ? el.className : '',
          href: el.getAttribute('href') || '', type: el.getAttribute('type') || '',
          label: (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 60),
          ring: ring, visible: el.getClientRects().length > 0};
}"""


@pytest.fixture(scope="module")
def base(sample_site: Path) -> Iterator[str]:
    with serve(sample_site) as url:
        yield url


def tab_through(page, limit: int = 400) -> list[dict]:
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stop is None:
            break
        if stops and stop == stops[0]:
            break
        stops.append(stop)
    return stops


def test_tab_reaches_search_filters_and_downloads_with_visible_focus(browser, base) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(base + "dap/")
        page.wait_for_selector("form[data-ctk-filter]:not([hidden])")
        stops = tab_through(page)
    finally:
        context.close()
    assert any("md-search__input" in s["cls"] for s in stops), "search not reached"
    filters = {s["name"] for s in stops if s["tag"] == "select"}
    assert filters >= {"sector", "partner", "status", "sharing"}, filters
    assert any(s["tag"] == "button" and s["type"] == "reset" for s in stops)
    for ending in ("data-analysis-plan.csv", "data-analysis-plan.xlsx", "print/"):
        assert any(s["href"].endswith(ending) for s in stops), f"{ending} not reached"
    unseen = [s for s in stops if s["visible"] and not s["ring"]]
    assert unseen == [], f"no visible focus on: {unseen[:5]}"


def test_dap_filter_and_search_work_from_the_keyboard(browser, base) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(base + "dap/")
        page.wait_for_selector("form[data-ctk-filter]:not([hidden])")
        total = page.locator(".ctk-dap-q").count()
        page.focus("select[name=status]")
        page.keyboard.press("ArrowDown")  # Chromium changes a closed select with arrows
        shown = page.locator(".ctk-dap-q:not([hidden])").count()
        assert 0 < shown < total, (shown, total)
        # Search: the "/" shortcut, type, arrow to the first result, Enter opens it.
        # Shortcuts do not fire while a form field has focus: leave the field first.
        page.evaluate("document.activeElement.blur()")
        page.keyboard.press("/")
        page.wait_for_function("!document.querySelector('.md-search-result__meta')"
                               ".textContent.includes('Initializing')")
        page.keyboard.type("water")
        page.wait_for_selector(".md-search-result__item")
        page.keyboard.press("ArrowDown")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert "/dap/" not in page.url
    finally:
        context.close()


def test_every_page_type_starts_with_a_skip_link_or_search(browser, base) -> None:
    """The first Tab stop on a content page is Material's "Skip to content" link."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(base + "country/")
        page.keyboard.press("Tab")
        first = page.evaluate(FOCUSED)
    finally:
        context.close()
    assert first and "md-skip" in first["cls"], first
