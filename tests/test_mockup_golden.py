"""Golden mock-ups: the exact HTML and sentence of representative questions.

A change in false data, layout or escaping shows up here as a reviewable diff. After an
intended change (or a numpy upgrade that changes a distribution's stream), rewrite them
with `UPDATE_GOLDEN=1 pytest tests/test_mockup_golden.py` and read the diff before
committing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from factories import make_country, make_question

from generator.mockup import build_mockup

GOLDEN = Path(__file__).parent / "golden" / "mockup"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
COUNTRY = make_country()

# name -> (type, chart, disaggregation, extra factory arguments): one or more per type.
CASES: dict[str, tuple[str, str, list[str], dict]] = {
    "select-one-bar": ("select_one", "bar", [], {}),
    "select-one-stacked-admin1": ("select_one", "stacked-bar", ["admin1"], {}),
    "select-one-table-admin1": ("select_one", "table", ["admin1"], {}),
    "select-one-count": ("select_one", "bar", [], {"statistic": "count"}),
    "select-one-ordered-stacked": (
        "select_one", "stacked-bar", ["population_group"],
        {"options": ["Under 15 minutes", "15 to 30 minutes", "30 to 60 minutes",
                     "Over an hour", "Do not know"], "spec": {"ordered": True}}),
    "select-one-many-options-stacked": (
        "select_one", "stacked-bar", ["admin1"],
        {"options": [f"Option {i}" for i in range(10)], "title": "Ten options, stacked"}),
    "select-multiple-bar": ("select_multiple", "bar", [], {}),
    "select-multiple-by-population": (
        "select_multiple", "stacked-bar", ["population_group"], {}),
    "select-multiple-24-options": (
        "select_multiple", "bar", [],
        {"options": [f"Need {i}" for i in range(22)] + ["Other (specify)", "None of these"]}),
    "yes-no-bar": ("yes_no", "bar", [], {}),
    "yes-no-by-admin1": ("yes_no", "bar", ["admin1"], {}),
    "yes-no-alert-sites": (
        "yes_no", "bar", [],
        {"unit_of_analysis": "site",
         "sharing": {"modality": "urgent-action", "partners": ["wash-cluster"],
                     "trigger": "Any yes."}}),
    "integer-histogram": (
        "integer", "bar", [], {"spec": {"typical": {"min": 1, "max": 3}}, "unit": "meals"}),
    "integer-median-admin1": ("integer", "bar", ["admin1"], {"statistic": "median"}),
    "decimal-table-ki-type": ("decimal", "table", ["key_informant_type"], {"statistic": "mean"}),
    "text-table": ("text", "table", [], {}),
    "date-bar": ("date", "bar", [], {}),
    "date-table-admin1": ("date", "table", ["admin1"], {}),
    "escaping": ("select_one", "stacked-bar", ["admin1"],
                 {"options": ['<script>alert("x")</script>', "Tom & Jerry's"]}),
}


def build(name: str):
    qtype, chart, disaggregation, extra = CASES[name]
    q = make_question(f"golden-{name}", qtype, chart=chart, disaggregation=disaggregation,
                      **extra)
    return build_mockup(q, COUNTRY)


@pytest.mark.parametrize("name", sorted(CASES))
def test_chart_matches_golden(name: str) -> None:
    path = GOLDEN / f"{name}.html"
    html = build(name).chart_html + "\n"
    if UPDATE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8", newline="\n")
    assert path.exists(), f"missing {path}: run with UPDATE_GOLDEN=1 to create it"
    assert html == path.read_text(encoding="utf-8"), f"{name}: chart differs from {path}"


def test_sentences_match_golden() -> None:
    path = GOLDEN / "sentences.json"
    sentences = {name: build(name).sentence for name in sorted(CASES)}
    if UPDATE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(sentences, indent=2, ensure_ascii=False) + "\n",
                        encoding="utf-8", newline="\n")
    assert sentences == json.loads(path.read_text(encoding="utf-8"))


def test_no_stale_golden_files() -> None:
    expected = {f"{name}.html" for name in CASES} | {"sentences.json"}
    assert {p.name for p in GOLDEN.iterdir()} == expected
