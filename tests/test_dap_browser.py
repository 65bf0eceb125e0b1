"""The Data Analysis Plan page in real headless Chromium: its filter, over http and from
file://, without JavaScript, under Material's instant navigation, and on a phone screen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from support import ROOT, SAMPLE_KB, SMALL_KB, copy_project, free_port, serve_folder

from generator.loader import load_or_raise

pytestmark = pytest.mark.browser

KB = load_or_raise(SAMPLE_KB).public_view()
LISTED = [q for q in KB.questions.values() if q.status in ("agreed", "proposed")]

VISIBLE_ENTRIES = """() => [...document.querySelectorAll('.ctk-dap-q')]
  .filter(e => e.offsetParent !== null)
  .map(e => ({sector: e.dataset.sector, partners: e.dataset.partners.split(' '),
              status: e.dataset.status, sharing: e.dataset.sharing}))"""


def serve(directory: Path, port: int = 0) -> Iterator[str]:
    with serve_folder(directory, port) as url:
        yield url


@pytest.fixture(scope="module")
def server(sample_site: Path) -> Iterator[str]:
    yield from serve(sample_site)


@pytest.fixture
def page(browser):
    tab = browser.new_page(viewport={"width": 1366, "height": 900})
    tab.errors = []
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    yield tab
    try:
        assert tab.errors == []
    finally:
        tab.close()


def visible(page) -> list[dict]:
    return page.evaluate(VISIBLE_ENTRIES)


def check_sector_filter(page, sector: str) -> None:
    expected = [q for q in LISTED if q.sector == sector]
    assert expected
    page.locator("form.ctk-filter").wait_for(state="visible")
    assert len(visible(page)) == len(LISTED)
    page.select_option("select[name=sector]", sector)
    shown = visible(page)
    assert len(shown) == len(expected)
    assert {e["sector"] for e in shown} == {sector}
    # Other sectors' headings go with their questions.
    headings = page.locator("section.ctk-dap-sector h3:visible").all_inner_texts()
    assert [h.replace("¶", "").strip() for h in headings] == [KB.sectors[sector].name]
    # The table of contents lists that sector only (and the plan's other sections).
    toc = page.locator(".md-sidebar--secondary .md-nav__link:visible").all_inner_texts()
    sectors = {s.name for s in KB.sectors.values()}
    assert [t.strip() for t in toc if t.strip() in sectors] == [KB.sectors[sector].name]
    count = page.locator(".ctk-filter__count").inner_text()
    assert count == f"{len(expected)} of {len(LISTED)} questions"


def test_filter_by_sector_shows_only_that_sectors_questions(server: str, page) -> None:
    page.goto(server + "dap/")
    check_sector_filter(page, "wash")
    assert page.url.endswith("dap/?sector=wash")  # a filtered plan can be shared as a link
    page.locator(".ctk-filter button[type=reset]").click()
    page.wait_for_function(f"document.querySelectorAll('.ctk-dap-q:not([hidden])').length"
                           f" === {len(LISTED)}")
    assert page.url.endswith("dap/")


def test_filter_by_partner_status_and_sharing(server: str, page) -> None:
    partner = "wash-cluster"
    page.goto(server + "dap/")
    page.select_option("select[name=partner]", partner)
    shown = visible(page)
    expected = [q for q in LISTED
                if partner in [*q.requested_by, *q.analysis.analysed_by]
                or (q.is_confidential and partner in q.sharing.partners)]
    assert len(shown) == len(expected) and all(partner in e["partners"] for e in shown)
    page.select_option("select[name=partner]", "")
    page.select_option("select[name=status]", "proposed")
    assert len(visible(page)) == len([q for q in LISTED if q.status == "proposed"]) > 0
    page.select_option("select[name=status]", "")
    page.select_option("select[name=sharing]", "urgent-action")
    shown = visible(page)
    assert shown and {e["sharing"] for e in shown} == {"urgent-action"}
    assert page.locator(".ctk-filter__empty").is_hidden()


def test_a_filter_nothing_matches_says_so(server: str, page) -> None:
    sector = next(s for s in KB.sectors
                  if not any(q.sector == s and q.sharing.modality == "confidential"
                             for q in LISTED) and any(q.sector == s for q in LISTED))
    page.goto(f"{server}dap/?sector={sector}&sharing=confidential")
    page.locator("form.ctk-filter").wait_for(state="visible")
    assert page.locator("select[name=sector]").input_value() == sector
    assert visible(page) == []
    assert page.locator(".ctk-filter__empty").is_visible()
    assert page.locator(".ctk-filter__count").inner_text() == f"0 of {len(LISTED)} questions"


def test_open_all_details_opens_the_shown_questions(server: str, page) -> None:
    page.goto(server + "dap/?sector=wash")
    page.locator("[data-ctk-expand]").click()
    opened = page.evaluate("[...document.querySelectorAll('.ctk-dap-q details')]"
                           ".filter(d => d.open).map(d => d.closest('.ctk-dap-q').dataset.sector)")
    assert opened and set(opened) == {"wash"}
    purpose = page.locator(".ctk-dap-q:not([hidden]) details strong", has_text="Purpose.")
    assert purpose.first.is_visible()


def test_filter_works_from_file(sample_site: Path, page) -> None:
    page.goto((sample_site / "dap" / "index.html").as_uri())
    check_sector_filter(page, "health")
    # This build is for a web server: from file:// only its search index cannot load (the
    # offline bundle inlines it, see test_bundle_browser.py). Any other error still fails.
    page.errors[:] = [e for e in page.errors if not e.endswith("search/search_index.js")]


def test_without_javascript_every_question_is_listed_and_no_filter_shows(
        server: str, browser) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(server + "dap/")
        assert tab.locator("form.ctk-filter").is_hidden()
        entries = tab.locator(".ctk-dap-q")
        assert entries.count() == len(LISTED)
        assert all(entries.nth(i).is_visible() for i in range(0, len(LISTED), 7))
        summary = tab.locator(".ctk-dap-q details summary").first
        summary.click()  # details open without any script
        assert tab.locator(".ctk-dap-q details").first.get_attribute("open") is not None
    finally:
        context.close()


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("path", ["dap/", "partners/wash-cluster/", "questions/wash/",
                                  "questions/by-partner/"])
def test_pages_fit_the_screen(server: str, browser, path: str, width: int) -> None:
    assert_fits_the_screen(browser, server + path, width)


def assert_fits_the_screen(browser, url: str, width: int) -> None:
    """Nothing wider than the screen: no column pushed off to the right."""
    tab = browser.new_page(viewport={"width": width, "height": 844})
    try:
        tab.goto(url)
        overflow = tab.evaluate("""() => {
          const article = document.querySelector('article').getBoundingClientRect();
          return [...document.querySelectorAll('article td, article .ctk-dap-q')]
            .filter(e => e.getBoundingClientRect().right > article.right + 1)
            .map(e => e.textContent.slice(0, 40));
        }""")
        assert overflow == []
        assert tab.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        tab.close()


@pytest.fixture(scope="module")
def instant_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The small kb built with Material's instant navigation on (pages swapped, not loaded)."""
    root = tmp_path_factory.mktemp("instant")
    project = copy_project(root / "project", SMALL_KB)
    # Material navigates instantly only to the pages its sitemap lists: the sitemap's URLs
    # (site_url) must have the test server's port and path.
    port = free_port()
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(root / "site"),
                         site_url=f"http://127.0.0.1:{port}/")
    config.plugins["country-toolkit"].config["kb"] = str(project / "kb")
    config.theme["features"].append("navigation.instant")
    build(config)
    yield from serve(root / "site", port)


def test_filter_works_under_instant_navigation(instant_site: str, page) -> None:
    page.goto(instant_site, wait_until="networkidle")  # Material has read the sitemap
    page.evaluate("window.ctkNotReloaded = true")
    page.locator(".md-nav--primary a", has_text="Data Analysis Plan").first.click()
    page.wait_for_url("**/dap/")
    page.locator("form.ctk-filter").wait_for(state="visible")
    assert page.evaluate("window.ctkNotReloaded") is True  # swapped in, not reloaded
    page.select_option("select[name=sector]", "protection")
    assert {e["sector"] for e in visible(page)} == {"protection"}
    # Away and back again: the new copy of the page gets its filter too.
    page.locator(".md-nav--primary a", has_text="Partners").first.click()
    page.wait_for_url("**/partners/")
    page.locator(".md-nav--primary a", has_text="Data Analysis Plan").first.click()
    page.wait_for_url("**/dap/**")
    page.locator("form.ctk-filter").wait_for(state="visible")
    assert page.evaluate("window.ctkNotReloaded") is True
    page.select_option("select[name=sector]", "wash")
    assert {e["sector"] for e in visible(page)} == {"wash"}


# --- A large plan: one page per sector -------------------------------------------------

@pytest.fixture(scope="module")
def split_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample kb built with the on-screen plan split per sector, as a kb of more than
    DAP_WHOLE_MAX listed questions is (the one page was 5.6 MB at 5,000 questions)."""
    import generator.pages as pages_module
    from generator.build import build_site

    site = tmp_path_factory.mktemp("split-site")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pages_module, "DAP_WHOLE_MAX", 0)
        build_site(SAMPLE_KB, site, project=ROOT, cache=False)
    return site


@pytest.fixture(scope="module")
def split_server(split_site: Path) -> Iterator[str]:
    yield from serve(split_site)


def sector_listed(sector: str) -> list:
    return [q for q in LISTED if q.sector == sector]


def test_split_plan_index_links_every_sector_page_and_lists_no_question(
        split_server: str, page) -> None:
    page.goto(split_server + "dap/")
    assert page.locator(".ctk-dap-q").count() == 0
    links = page.locator("article table a[href^='sector/']")
    sectors = [s for s in KB.sectors if sector_listed(s)]
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [
        f"sector/{s}/" for s in sectors]
    links.nth(sectors.index("wash")).click()
    page.wait_for_url("**/dap/sector/wash/")
    page.locator("form.ctk-filter").wait_for(state="visible")
    assert len(visible(page)) == len(sector_listed("wash"))


def test_split_plan_sector_page_filters_by_partner_status_and_sharing(
        split_server: str, page) -> None:
    sector = "protection"
    expected = sector_listed(sector)
    page.goto(f"{split_server}dap/sector/{sector}/")
    page.locator("form.ctk-filter").wait_for(state="visible")
    assert page.locator("select[name=sector]").count() == 0  # the page is one sector
    assert len(visible(page)) == len(expected)
    assert page.locator(".ctk-filter__count").inner_text() == f"All {len(expected)} questions"
    def involving(partner: str) -> list:
        return [q for q in expected
                if (q.sharing.partners if q.is_confidential
                    else [*q.requested_by, *q.analysis.analysed_by]).count(partner)]

    # A partner in some of the sector's questions but not all.
    partner = next(p for p in KB.partners if 0 < len(involving(p)) < len(expected))
    page.select_option("select[name=partner]", partner)
    assert len(visible(page)) == len(involving(partner))
    assert page.url.endswith(f"dap/sector/{sector}/?partner={partner}")
    page.select_option("select[name=partner]", "")
    modality = expected[0].sharing.modality
    page.select_option("select[name=sharing]", modality)
    shown = visible(page)
    assert {e["sharing"] for e in shown} == {modality}
    assert len(shown) == len([q for q in expected if q.sharing.modality == modality])


def test_split_plan_sector_page_works_from_file_and_without_javascript(
        split_site: Path, page, browser) -> None:
    sector = "wash"
    expected = sector_listed(sector)
    page.goto((split_site / "dap" / "sector" / sector / "index.html").as_uri())
    page.locator("form.ctk-filter").wait_for(state="visible")
    page.select_option("select[name=status]", "agreed")
    assert len(visible(page)) == len([q for q in expected if q.status == "agreed"])
    page.errors[:] = [e for e in page.errors if not e.endswith("search/search_index.js")]
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto((split_site / "dap" / "sector" / sector / "index.html").as_uri())
        assert tab.locator("form.ctk-filter").is_hidden()
        assert tab.locator(".ctk-dap-q").count() == len(expected)
        tab.locator(".ctk-dap-q details summary").first.click()
        assert tab.locator(".ctk-dap-q details").first.get_attribute("open") is not None
    finally:
        context.close()


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("path", ["dap/", "dap/sector/wash/"])
def test_split_plan_pages_fit_the_screen(split_server: str, browser, path: str,
                                         width: int) -> None:
    assert_fits_the_screen(browser, split_server + path, width)
