"""Every language shows the same false results, named in its own words.

The false answers are drawn from the source records whatever the page's language (option
labels steer the draw: "do not know" stays small), and the page names each option in its
language by its code, shared reply lists (kb/choices/) included."""

from __future__ import annotations

import re
from functools import cache

from support import SAMPLE_KB

from generator.loader import load_or_raise
from generator.pages import Options, SiteRenderer


@cache
def renderers() -> tuple[SiteRenderer, SiteRenderer]:
    kb = load_or_raise(SAMPLE_KB)
    return SiteRenderer(kb, Options()), SiteRenderer(kb, Options(language="fr"))


def numbers(value: object) -> str:
    """The digits of a placeholder value, whatever the locale's separators."""
    return re.sub(r"\D", "", str(value))


def test_french_mockups_have_the_english_numbers() -> None:
    en, fr = renderers()
    assert en.mockups.keys() == fr.mockups.keys()
    differ = []
    for qid, result in en.mockups.items():
        other = fr.mockups[qid].placeholders
        for key, value in result.placeholders.items():
            if key.endswith(("_option", "_group")) or key in ("earliest", "latest", "units"):
                continue  # words, names and dates: in the page's language
            if numbers(value) != numbers(other.get(key)):
                differ.append((qid, key, value, other.get(key)))
    assert not differ


def test_a_shared_reply_list_is_named_in_the_pages_language() -> None:
    en, fr = renderers()
    qid = "education-attendance-level"  # options from kb/choices/proportion-scale.yml
    assert en.kb.questions[qid].choices
    french = {o.label for o in fr.kb.questions[qid].options}
    english = {o.label for o in en.kb.questions[qid].options}
    result = fr.mockups[qid]
    assert result.placeholders["top_option"] in french
    assert not any(label in result.sentence for label in english - french)
    assert not any(f">{label}<" in result.chart_html for label in english - french)


def test_dates_over_two_years_are_counted_by_quarter_in_each_language() -> None:
    # The sample's first arrivals span February 2025 to November 2026 (mockup.period): a bar
    # per month was 22 rows and the page no longer printed on one A4 sheet.
    en, fr = renderers()
    qid = "population-mobility-first-arrival-date"
    quarters = [f"Q{q} {y}" for y in (2025, 2026) for q in (1, 2, 3, 4)]
    assert list(en.mockups[qid].table.index) == quarters
    assert list(fr.mockups[qid].table.index) == [q.replace("Q", "T") for q in quarters]
    # the same counts in both languages, every bar shown in the chart
    assert (en.mockups[qid].table.to_numpy() == fr.mockups[qid].table.to_numpy()).all()
    assert all(q in en.mockups[qid].chart_html for q in quarters)
    assert "Feb 2025" not in en.mockups[qid].chart_html
