"""A record full of script payloads, built into the real site and opened in headless Chromium.

Passes only if no dialog ever opens, no element or attribute from a payload exists, no
request goes to the payload's host and the payload text is visible on the page, verbatim.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile import VISIBLE, add_hostile_records
from support import ROOT, SAMPLE_KB, serve_folder

from generator.build import build_site

pytestmark = pytest.mark.browser

# Any element or attribute a payload could have created, found in the live DOM.
FIND_INJECTED = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (a.name.startsWith('on')) bad.push(`${el.tagName} ${a.name}`);
      if (/^\\s*javascript:/i.test(a.value)) bad.push(`${el.tagName} ${a.name}=${a.value}`);
    }
    if (el.id && el.id.startsWith('pwned')) bad.push(`#${el.id}`);
  }
  for (const s of document.querySelectorAll('script, style'))
    if (s.textContent.includes('pwned') || s.textContent.includes('display:none'))
      bad.push(s.tagName);
  for (const tag of ['iframe', 'object', 'embed', 'svg[onload]', 'img[onerror]'])
    if (document.querySelector(tag)) bad.push(tag);
  if (getComputedStyle(document.body).display === 'none') bad.push('body hidden');
  return bad;
}"""



@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    kb = root / "kb"
    shutil.copytree(SAMPLE_KB, kb)
    shutil.copytree(SAMPLE_KB.parent / "library", root / "library")  # what it adopts from
    add_hostile_records(kb, sector="wash")
    build_site(kb, root / "site", project=ROOT)
    return root / "site"


@pytest.fixture(scope="module")
def server(hostile_site: Path) -> Iterator[str]:
    with serve_folder(hostile_site) as url:
        yield url


@pytest.fixture
def page(browser):  # `browser` is the session's Chromium from tests/conftest.py
    context = browser.new_context()
    tab = context.new_page()
    tab.dialogs = []
    tab.stray = []
    # A dialog is the proof of execution; dismiss it so the page does not block.
    tab.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
    tab.on("request", lambda r: tab.stray.append(r.url) if "pwned" in r.url.split("?")[0]
           and "127.0.0.1" not in r.url else None)
    yield tab
    context.close()


def open_page(page, url: str) -> None:
    page.goto(url, wait_until="load")
    page.wait_for_timeout(300)  # give any onload/onerror handler the time to fire


@pytest.mark.parametrize("path", [
    "questions/wash/hostile-question/",
    "partners/hostile-partner/",
    "questions/wash/",
    "questions/by-partner/",
    "dap/",
    "tags/",
    "needs/",  # the hostile need (issue #11)
    "workshop/",
])
def test_payload_page_runs_nothing(page, server: str, path: str) -> None:
    open_page(page, server + path)
    assert page.dialogs == [], f"a payload executed on {path}: {page.dialogs}"
    assert page.evaluate(FIND_INJECTED) == [], path
    assert page.stray == [], page.stray


def test_payload_text_is_visible_verbatim(page, server: str) -> None:
    open_page(page, server + "questions/wash/hostile-question/")
    article = page.locator("article").inner_text()
    for text in VISIBLE:
        assert text in article, text
    # The page still has its own structure after every payload (nothing swallowed it).
    headings = page.locator("article h2").all_inner_texts()
    assert any("Minimum criteria" in h for h in headings), headings
    assert page.locator("article .ctk-mockup").count() == 1
    assert page.dialogs == []


def search(page, query: str) -> None:
    """Type a query, key by key, until results show: Material searches on key events (a
    programmatic fill is ignored once the index is ready) and drops keys typed before its
    worker has loaded the index."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.locator("label.md-search__icon, .md-search__input").first.click()
    box = page.locator("input.md-search__input")
    for _ in range(20):
        box.fill("")
        box.press_sequentially(query)
        try:
            page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=750)
            return
        except PlaywrightTimeout:
            continue
    raise AssertionError(f"search for {query!r} never showed results")


def test_search_results_for_the_payload_run_nothing(page, server: str) -> None:
    open_page(page, server)
    search(page, "pwned script onerror")
    page.wait_for_timeout(300)
    assert page.dialogs == []
    assert page.evaluate(FIND_INJECTED) == []
    assert "<script>" in page.locator(".md-search-result").inner_text()
