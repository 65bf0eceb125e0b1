"""The offline bundle in every language (default) or one (--language), search per language
from file://."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from i18n_kb import FR_WORD, multilingual_kb
from support import ROOT

from generator.bundle import bundle
from generator.errors import BundleError


@pytest.fixture(scope="module")
def unzipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("i18n-bundle")
    result = bundle(multilingual_kb(tmp / "kb"), tmp / "all.zip", ROOT)
    with zipfile.ZipFile(result.path) as zf:
        zf.extractall(tmp / "site")
    return tmp / "site"


def test_bundle_holds_every_language_with_its_own_search(unzipped: Path) -> None:
    assert (unzipped / "index.html").is_file()
    for lang in ("en", "fr", "ar"):
        page = unzipped / lang / "questions" / "wash" / "wash-water-source.html"
        assert f'<html lang="{lang}"' in page.read_text(encoding="utf-8")
        assert (unzipped / lang / "search" / "search_index.js").is_file()
    fr = (unzipped / "fr" / "search" / "search_index.js").read_text(encoding="utf-8")
    en = (unzipped / "en" / "search" / "search_index.js").read_text(encoding="utf-8")
    assert FR_WORD in fr and FR_WORD not in en
    # The selector links to the same page in each language, as files.
    page = (unzipped / "fr" / "questions" / "wash" / "wash-water-source.html").read_text("utf-8")
    assert 'href="../../../ar/questions/wash/wash-water-source.html"' in page


def test_one_language_bundle_has_no_selector(tmp_path: Path) -> None:
    kb = multilingual_kb(tmp_path / "kb")
    out = bundle(kb, tmp_path / "fr.zip", ROOT, language="fr").path
    with zipfile.ZipFile(out) as zf:
        page = zf.read("questions/wash/wash-water-source.html").decode("utf-8")
    assert '<html lang="fr"' in page and "md-select__link" not in page
    with pytest.raises(BundleError, match="not one of the site languages"):
        bundle(kb, tmp_path / "xx.zip", ROOT, language="xx")


@pytest.mark.browser
def test_french_search_works_from_file(unzipped: Path, browser) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((unzipped / "fr" / "index.html").as_uri())
    page.locator("label.md-search__icon, .md-search__input").first.click()
    meta = "document.querySelector('.md-search-result__meta').textContent"
    page.wait_for_function(f"!/Initiali/.test({meta})")
    box = page.locator("input.md-search__input")
    box.fill(FR_WORD)
    box.press("End")
    page.wait_for_function(f"/trouvé/.test({meta})")
    hrefs = page.eval_on_selector_all(".md-search-result__item > .md-search-result__link",
                                      "els => els.map(e => e.href)")
    assert hrefs and hrefs[0].split("?")[0].endswith("/fr/questions/wash/wash-water-source.html")
    assert errors == []
    page.close()
