"""The site in each language: built per language, selector, search per language, Arabic rtl."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from i18n_kb import FR_WORD
from support import serve_folder

from generator.i18n.languages import Language
from generator.i18n.multibuild import redirect_page

QUESTION = "questions/wash/wash-water-source/index.html"


@pytest.fixture(scope="module")
def site(multilingual_site: Path) -> Path:
    """The small kb in en, fr and ar, built as `toolkit build --all-languages` does."""
    return multilingual_site


def test_one_build_per_language_and_a_root_page(site: Path) -> None:
    assert {p.name for p in site.iterdir()} == {"en", "fr", "ar", "index.html"}
    root = (site / "index.html").read_text(encoding="utf-8")
    assert 'url=en/index.html' in root and 'href="ar/index.html"' in root
    for lang in ("en", "fr", "ar"):
        assert f'<html lang="{lang}"' in (site / lang / QUESTION).read_text(encoding="utf-8")


def test_language_selector_links_to_the_same_page(site: Path) -> None:
    page = (site / "fr" / QUESTION).read_text(encoding="utf-8")
    for lang in ("en", "fr", "ar"):
        href = f'href="../../../../{lang}/questions/wash/wash-water-source/"'
        assert href in page, lang
        assert (site / lang / QUESTION).is_file()
    assert 'hreflang="fr" lang="fr" class="md-select__link" aria-current="true"' in page
    assert '<link rel="alternate"' not in page  # see the click test below


def test_search_index_per_language(site: Path) -> None:
    def index(lang: str) -> dict:  # type: ignore[type-arg]
        return json.loads((site / lang / "search" / "search_index.json").read_text("utf-8"))

    assert index("fr")["config"]["lang"] == ["fr"]
    assert index("ar")["config"]["lang"] == ["ar"]
    assert index("en")["config"]["lang"] == ["en"]
    assert FR_WORD in json.dumps(index("fr"), ensure_ascii=False)
    assert FR_WORD not in json.dumps(index("en"), ensure_ascii=False)


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    with serve_folder(site) as url:
        yield url


def search(page, url: str, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Material's search as a person uses it; the result pages' paths. The status line is in
    the page's language: 'Initializing'/'Initialisation', 'matching'/'trouvé'."""
    page.goto(url)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    meta = "document.querySelector('.md-search-result__meta').textContent"
    page.wait_for_function(f"!/Initiali/.test({meta})")
    box = page.locator("input.md-search__input")
    box.fill(query)
    box.press("End")
    page.wait_for_function(f"/matching|trouvé/.test({meta})")
    hrefs = page.eval_on_selector_all(
        ".md-search-result__item > .md-search-result__link", "els => els.map(e => e.href)")
    return [h.split("?")[0].split("#")[0] for h in hrefs]


@pytest.mark.browser
def test_french_search_finds_the_french_page_only(server: str, browser) -> None:
    page = browser.new_page()
    # A French word of a French translation; the English build's search does not know it.
    results = search(page, server + "fr/", FR_WORD)
    assert results and results[0].endswith("/fr/questions/wash/wash-water-source/")
    assert all("/fr/" in r for r in results)
    assert search(page, server + "en/", FR_WORD) == []
    page.close()


@pytest.mark.browser
def test_selector_click_opens_the_same_page_without_fetching_sitemaps(server: str,
                                                                      browser) -> None:
    """Material's script, given <link rel="alternate">, fetched every language's sitemap.xml
    on each page load and re-routed selector clicks through it (to the language's home page
    when the sitemap lists no page): the partial's own links must be followed as they are."""
    page = browser.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(server + "fr/" + QUESTION.removesuffix("index.html"), wait_until="networkidle")
    assert not [u for u in requested if "sitemap" in u], requested
    page.locator(".md-header .md-select button").hover()
    page.locator('a.md-select__link[hreflang="en"]').click()
    page.wait_for_load_state("load")
    assert page.url == server + "en/" + QUESTION.removesuffix("index.html")
    page.close()


@pytest.mark.browser
def test_arabic_page_is_right_to_left(server: str, browser) -> None:
    page = browser.new_page()
    page.goto(server + "ar/" + QUESTION.removesuffix("index.html"))
    assert page.locator("body").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    direction = "el => getComputedStyle(el).direction"
    assert page.locator("article table").first.evaluate(direction) == "rtl"
    assert page.locator("article h1").evaluate(direction) == "rtl"
    # A title still in English keeps its own direction in the header ("?About..." else).
    bidi = "el => getComputedStyle(el).unicodeBidi"
    assert page.locator(".md-header__topic .md-ellipsis").first.evaluate(bidi) == "plaintext"
    # An English text standing in for a missing Arabic one keeps its own direction.
    untranslated = page.locator("article .ctk-untranslated").first
    assert untranslated.evaluate(direction) == "ltr"
    assert untranslated.get_attribute("lang") == "en"
    # The mock-up sentence (still English here, marked) from the same false results, with
    # Arabic-Indic digits as the fixture country prefers.
    sentence = page.locator("article .admonition.example").first.inner_text()
    assert "لم يُترجم بعد" in sentence
    assert any(d in sentence for d in "٠١٢٣٤٥٦٧٨٩"), sentence
    page.close()


def test_redirect_page_escapes_names() -> None:
    page = redirect_page([Language("en", "<b>English</b>", "ltr")])
    assert "<b>" not in page and "&lt;b&gt;English" in page
