"""A question adopting a library question shows, in each site language, the library's
translation of every text it takes from the library unchanged (the library's `translations`
and its Data Dictionary labels), the country's own over them, and nothing of the library's
for a text the country overrides."""

from __future__ import annotations

from pathlib import Path

import yaml
from markdown import markdown
from test_library import ADOPTING, setup_country

from generator.loader import load
from generator.pages import Options, render_site

PAGE = "questions/wash/wash-water-source.md"
LIBRARY_FILE = Path("library/questions/wash/wash-water-source.yml")

# The sample's adopting question without its wording override: text and options come from
# the library. The hint is still overridden; the country translates the use.
QUESTION = ADOPTING.split("overrides:")[0] + """\
translations:
  fr:
    use: Le cluster WASH priorise le transport d'eau par camion.
overrides:
  hint:
    value: Drinking water only, not water for washing.
    reason: Enumerators confused the two in round 5.
"""


def _country(tmp: Path, question: str = QUESTION) -> Path:
    kb = setup_country(tmp, question)
    path = tmp / LIBRARY_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["hint"] = "Only the source for drinking."
    data["translations"] = {"fr": {
        "purpose": "Repérer les localités dont la population boit une eau non sûre.",
        "hint": "Seulement la source d'eau de boisson.",
        "analysis": {"descriptive": "Part des localités selon la source principale."},
        "source_hash": {"purpose": "bbbbbbbb"},
    }}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return kb


def _page(kb_dir: Path, lang: str) -> str:
    kb, report = load(kb_dir)
    assert kb is not None, report.format()
    page = next(p.content for p in render_site(kb, Options(language=lang, mockups=False))
                if p.path == PAGE)
    return markdown(str(page), extensions=["tables", "attr_list", "md_in_html", "admonition"])


def test_french_page_of_an_adopted_question_uses_the_librarys_french(tmp_path: Path) -> None:
    page = _page(_country(tmp_path), "fr")
    # The wording from the library's Data Dictionary label, its options' labels too.
    assert "Quelle est la principale source d'eau de boisson de la plupart des personnes" in page
    assert "Puits protégé ou forage avec pompe à main" in page
    # The library's translations of the texts it provides, beside the country's own.
    assert "Repérer les localités dont la population boit une eau non sûre." in page
    assert "Part des localités selon la source principale." in page
    assert "Le cluster WASH priorise le transport d&#39;eau par camion." in page.replace(
        "'", "&#39;")
    # The hint is the country's: the library's French translates another text.
    assert "Seulement la source d" not in page
    assert ('<span class="ctk-untranslated" lang="en" dir="ltr">Drinking water only, not '
            "water for washing.</span>") in page


def test_overridden_wording_is_never_shown_in_the_librarys_translation(tmp_path: Path) -> None:
    page = _page(_country(tmp_path, ADOPTING), "fr")
    assert "de la plupart des personnes dans ce lieu" not in page
    assert ('<span class="ctk-untranslated" lang="en" dir="ltr">What is the main source of '
            "drinking water for most IDPs in this location?</span>") in page
    # A library text the country leaves alone still comes in French.
    assert "Repérer les localités dont la population boit une eau non sûre." in page


def test_a_library_text_without_translation_is_marked(tmp_path: Path) -> None:
    kb = setup_country(tmp_path, QUESTION)  # the sample library: no translations
    page = _page(kb, "fr")
    purpose = yaml.safe_load((tmp_path / LIBRARY_FILE).read_text("utf-8"))["purpose"]
    assert f'<span class="ctk-untranslated" lang="en" dir="ltr">{purpose}' in page.replace(
        "&#39;", "'")
    # Spanish labels of the library are no language of this country: never a translation.
    kb_q, _ = load(kb)
    assert kb_q is not None
    assert set(kb_q.questions["wash-water-source"].translations) == {"fr", "ar"}
