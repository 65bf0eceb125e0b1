"""One false assessment per round: the same units everywhere, skip logic applied, plausible
defaults (rare alerts, small don't know), downloadable as FALSE DATA; bad specs refused."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
from factories import make_country, make_question
from support import ROOT

from generator.loader import load, load_or_raise
from generator.mockup import FalseAssessment, assessment_for, build_mockup
from generator.mockup.dataset import FALSE, false_csv, false_frame, false_xlsx
from generator.pages import render_site

COUNTRY = make_country()


def test_units_follow_the_country_and_are_drawn_once() -> None:
    kb = load_or_raise(ROOT / "kb")
    a, b = assessment_for(kb), assessment_for(kb)
    assert a.units is b.units  # drawn once per country and round
    units = a.units
    assert units.n == kb.country.round.planned_units == 1240
    admin1 = units.dimensions["admin1"]
    assert set(np.unique(admin1.index)) == set(range(len(kb.country.admin1)))
    # Every unit's district lies in its province.
    for pcode1, pcode2 in zip(units.admin1_pcode, units.admin2_pcode, strict=True):
        assert pcode2.startswith(pcode1)
    site_share = units.site.mean()
    assert 0.28 <= site_share <= 0.42  # the country says about 35% are sites


def test_answers_do_not_depend_on_other_questions() -> None:
    q = make_question("water-source")
    alone = FalseAssessment(COUNTRY, {q.id: q}).answers(q).choice
    others = {f"other-{i}": make_question(f"other-{i}") for i in range(5)}
    together = FalseAssessment(COUNTRY, {**others, q.id: q}).answers(q).choice
    assert (alone == together).all()


def test_skip_logic_shrinks_n_to_the_units_that_satisfy_it() -> None:
    parent = make_question("groups-present", "select_multiple",
                           options=["IDPs", "Returnees", "Host community"])
    child = make_question("returnee-houses", relevant="selected(${groups_present}, 'opt_1')",
                          sentence="{n_locations}")
    assessment = FalseAssessment(COUNTRY, {q.id: q for q in (parent, child)})
    returnees = assessment.answers(parent).chosen[:, 1]
    assert 0 < returnees.sum() < 300
    child_answers = assessment.answers(child)
    assert (child_answers.asked == returnees).all()
    assert (child_answers.choice[~returnees] == -1).all()
    result = build_mockup(child, COUNTRY, assessment)
    assert result.sentence == str(int(returnees.sum()))
    assert f"n = {int(returnees.sum())} locations" in result.chart_html


def test_sample_returnee_questions_are_answered_where_returnees_live() -> None:
    kb = load_or_raise(ROOT / "kb")
    assessment = assessment_for(kb)
    groups = assessment.answers(kb.questions["population-mobility-groups-present"])
    returnees = groups.chosen[:, list(groups.spec.codes).index("returnees")]
    debris = assessment.answers(kb.questions["early-recovery-debris"])
    assert (debris.asked == returnees).all()
    assert 200 < returnees.sum() < 600


def test_rare_events_are_rare_and_dont_know_small_by_default() -> None:
    alert = make_question("alert", "yes_no", sharing={"modality": "urgent-action",
                                                      "partners": ["wash-cluster"],
                                                      "trigger": "Any yes."})
    yes = build_mockup(alert, COUNTRY).table.loc["Yes", "All locations"]
    assert yes <= 10
    q = make_question(options=["Piped", "Well", "River", "Do not know",
                               "Prefer not to answer"])
    table = build_mockup(q, COUNTRY).table["All locations"]
    assert table["Do not know"] <= 8 and table["Prefer not to answer"] <= 8


def test_author_shares_and_typical_ranges_are_followed() -> None:
    q = make_question("yes-share", "yes_no", spec={"expected_share": 20})
    yes = build_mockup(q, COUNTRY).table.loc["Yes", "All locations"]
    assert 12 <= yes <= 28
    meals = make_question("meals", "integer", spec={"typical": {"min": 1, "max": 3}})
    column = build_mockup(meals, COUNTRY).table["All locations"]
    assert column["Minimum"] >= 0 and column["Maximum"] <= 4 and 1 <= column["Median"] <= 3


def test_false_dataset_is_labelled_and_matches_the_answers() -> None:
    kb = load_or_raise(ROOT / "kb")
    assessment = assessment_for(kb)
    public = [q for q in kb.questions.values() if not q.is_confidential]
    frame = false_frame(assessment, public)
    assert len(frame) == 1240
    assert (frame["false_data"] == FALSE).all()
    assert "FALSE DATA" in FALSE
    meals = kb.questions["food-security-meals-per-day"]
    assert frame[meals.var_name].dtype == "Int64"
    assert (frame[meals.var_name].to_numpy(dtype=float) == assessment.answers(meals).value).all()
    needs = kb.questions["cccm-priority-needs"]
    assert frame[needs.var_name].str.split().str.len().max() <= 3
    debris = kb.questions["early-recovery-debris"]
    assert (frame[debris.var_name] == "").sum() == (~assessment.answers(debris).asked).sum()
    # Round trip: what partners download is what the mock-ups count.
    back = pd.read_csv(io.BytesIO(false_csv(frame)), keep_default_na=False)
    assert back.shape == frame.shape
    book = pd.read_excel(io.BytesIO(false_xlsx(frame, assessment)), sheet_name=None)
    assert list(book) == ["READ ME - FALSE DATA", "false_data"]
    assert book["false_data"].shape == frame.shape


def test_site_offers_the_false_dataset_without_confidential_questions() -> None:
    kb = load_or_raise(ROOT / "kb")
    pages = {p.path: p for p in render_site(kb)}
    header = ""
    for level in ("", "-key-informants"):  # a file per unit of analysis the kb uses
        csv = pages[f"false-data/FALSE-DATA-vlr-round-6{level}.csv"].content
        header += csv.split(b"\n")[0].decode() + ","
    assert "false-data/FALSE-DATA-vlr-round-6.xlsx" in pages
    for q in kb.questions.values():
        assert (q.var_name in header.split(",")) == (not q.is_confidential), q.id
    page = pages["questions/food-security/food-security-meals-per-day.md"].content
    assert "../../false-data/FALSE-DATA-vlr-round-6.csv" in page
    assert "false-data/FALSE-DATA-vlr-round-6.csv" in pages["dap/index.md"].content


def test_impossible_specs_are_validation_errors_with_file_and_line(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "kb", tmp_path / "kb")
    shutil.copytree(ROOT / "library", tmp_path / "library")  # the sample adopts from it
    meals = tmp_path / "kb" / "questions" / "food-security" / "food-security-meals-per-day.yml"
    text = meals.read_text(encoding="utf-8")
    assert "\nmax: 6\n" in text  # the question allows 0 to 6 meals
    meals.write_text(text.replace("  typical: {min: 1, max: 3}",
                                  "  typical: {min: 1, max: 8}\n  shares: {x: 20}"),
                     encoding="utf-8")
    flood = tmp_path / "kb" / "questions" / "cccm" / "cccm-site-flooding.yml"
    flood.write_text(flood.read_text(encoding="utf-8").replace(
        "mockup:\n", "mockup:\n  expected_share: 140\n  typical:\n    min: 5\n    max: 2\n", 1),
        encoding="utf-8")
    source = tmp_path / "kb" / "questions" / "wash" / "wash-water-source.yml"
    source.write_text(source.read_text(encoding="utf-8").replace(
        "mockup:\n", "mockup:\n  shares: {piped_water: 70, unprotected_well: 50}\n", 1),
        encoding="utf-8")
    kb, report = load(tmp_path / "kb")
    assert kb is None
    found = {(p.path.rsplit("/", 1)[-1], p.field) for p in report.errors}
    assert ("food-security-meals-per-day.yml", "mockup.typical.max") in found
    assert ("food-security-meals-per-day.yml", "mockup.shares") in found
    assert ("cccm-site-flooding.yml", "mockup.expected_share") in found
    assert found & {("cccm-site-flooding.yml", "mockup.typical"),
                    ("cccm-site-flooding.yml", "mockup.typical.max")}
    assert ("wash-water-source.yml", "mockup.shares") in found
    lines = {p.field: p.line for p in report.errors if p.path.endswith("meals-per-day.yml")}
    assert text.split("\n")[lines["mockup.typical.max"] - 1].strip().startswith("typical")


def test_public_view_drops_the_false_data_spec_of_confidential_questions() -> None:
    kb = load_or_raise(ROOT / "kb")
    full = kb.questions["population-mobility-access-constraints"]
    assert full.is_confidential and full.mockup.shares  # option codes in the spec
    # The public view files restricted questions under neutral handles: check them all.
    restricted = [q for q in kb.public_view().questions.values() if q.is_confidential]
    assert restricted
    for q in restricted:
        spec = q.mockup
        assert spec.shares == {} and spec.typical is None and spec.expected_share is None
        assert "insecurity" not in spec.model_dump_json()


def test_far_off_numbers_do_not_pile_up_on_one_maximum() -> None:
    """Before: far draws were clipped, so several provinces shared one maximum (74, 74, 74)."""
    q = make_question("count", "integer", disaggregation=["admin1"])
    table = build_mockup(q, COUNTRY).table
    maxima = table.loc["Maximum"].iloc[1:]
    assert maxima.value_counts().max() == 1, maxima.tolist()
    values = FalseAssessment(COUNTRY, {q.id: q}).answers(q).value
    assert (values == values.max()).sum() <= 3
