"""Sentence and chart agree: every number a mock-up sentence states is in its chart or in
the tables under it, for every sample question and a generated 1,000-question kb; and n
is the same on every page (the round's planned number of units, less skipped units)."""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

import pytest
from support import ROOT

from generator.kb import KnowledgeBase
from generator.loader import load_or_raise
from generator.mockup import MockupResult, assessment_for, build_mockup
from generator.mockup.sentence import TOKEN

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic_kb import write_synthetic_kb  # noqa: E402

TAG = re.compile(r"<[^>]+>")


def stated_numbers(template: str, result: MockupResult) -> dict[str, str]:
    """Placeholder -> value, for the placeholders the sentence uses whose value has digits."""
    used = {m.group(1) for m in TOKEN.finditer(template)}
    return {name: value for name, value in result.placeholders.items()
            if name in used and re.search(r"\d", value)}


def chart_text(result: MockupResult) -> str:
    return html.unescape(TAG.sub(" | ", result.chart_html))


def shown(value: str, text: str) -> bool:
    """`value` appears as a whole number in `text` ("5%" is not found in "45%")."""
    return re.search(rf"(?<![\d.,]){re.escape(value)}(?![\d%]|[.,]\d)", text) is not None


def disagreements(kb: KnowledgeBase) -> list[str]:
    assessment = assessment_for(kb)
    problems = []
    for q in kb.questions.values():
        result = build_mockup(q, kb.country, assessment)
        text = chart_text(result)
        for name, value in stated_numbers(q.mockup.sentence, result).items():
            if not shown(value, text):
                problems.append(f"{q.id}: {{{name}}} = {value} is not in the chart")
        top = result.placeholders.get("top_option")
        if top and "{top_option}" in q.mockup.sentence and html.unescape(top)[:40] not in text:
            problems.append(f"{q.id}: {{top_option}} = {top} is not in the chart")
    return problems


def test_shown_matches_whole_numbers_only() -> None:
    assert shown("5%", "| 5% |") and not shown("5%", "| 45% |")
    assert shown("1,240", "n = 1,240 locations.") and not shown("1,240", "11,240")
    assert not shown("2", "2.5") and shown("2.5", "| 2.5 |") and not shown("24", "24%")


def test_every_sample_sentence_agrees_with_its_chart() -> None:
    kb = load_or_raise(ROOT / "kb", internal=True)
    assert len(kb.questions) == len(list((ROOT / "kb" / "questions").rglob("*.yml")))
    assert disagreements(kb) == []


def test_every_sentence_of_a_1000_question_kb_agrees_with_its_chart(tmp_path: Path) -> None:
    kb = load_or_raise(write_synthetic_kb(tmp_path / "kb", 1000), internal=True)
    assert len(kb.questions) == 1000
    assert disagreements(kb) == []


def test_n_is_the_planned_number_on_every_page_without_skip_logic() -> None:
    kb = load_or_raise(ROOT / "kb", internal=True)
    assessment = assessment_for(kb)
    planned = kb.country.round.planned_units
    assert planned == 1240
    sites = int(assessment.units.site.sum())
    assert 0 < sites < planned
    informants = assessment.level("key_informant").n  # 3 to 5 in each location
    assert 3 * planned <= informants <= 5 * planned
    for q in kb.questions.values():
        n = build_mockup(q, kb.country, assessment).placeholders["n_locations"]
        level = informants if q.unit_of_analysis == "key_informant" else planned
        # Skip logic and reserved answers (-999 = don't know) leave fewer units counted.
        expected = level if not (q.relevant or q.special_codes) else None
        if q.unit_of_analysis == "site" and not q.relevant:
            expected = sites
        if expected is not None:
            assert n == f"{expected:,}", q.id
        else:
            assert int(n.replace(",", "")) <= level, q.id


@pytest.mark.parametrize("qid", ["food-security-meals-per-day",
                                 "education-schools-used-as-shelter",
                                 "population-mobility-idp-households"])
def test_sample_numbers_are_plausible(qid: str) -> None:
    """The issue's examples: 104.8 meals a day, 13,646 schools used as shelter..."""
    kb = load_or_raise(ROOT / "kb", internal=True)
    result = build_mockup(kb.questions[qid], kb.country, assessment_for(kb))
    column = result.table["All locations"]
    limits = {"food-security-meals-per-day": (1, 5, 1, 3),
              "education-schools-used-as-shelter": (0, 10, 0, 1),
              # 410,000 IDPs, about 5 people a household, in 1,240 locations.
              "population-mobility-idp-households": (0, 2000, 20, 150)}[qid]
    low, high, median_low, median_high = limits
    assert low <= column["Minimum"] and column["Maximum"] <= high
    assert median_low <= column["Median"] <= median_high
    if qid == "population-mobility-idp-households":
        assert 40_000 <= column["Total"] <= 150_000
