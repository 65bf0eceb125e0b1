"""Units below the location: key informants, households and people are drawn once per round,
inside the locations; every question of a level counts the same units (n and wording agree
across pages), skip logic reaches them through their location, and the false dataset has a
table per level."""

from __future__ import annotations

import io
import re
from typing import Any

import numpy as np
import pandas as pd
import pytest
from factories import make_country, make_question
from hypothesis import given, settings
from hypothesis import strategies as st
from support import ROOT

from generator.loader import load_or_raise
from generator.mockup import FalseAssessment, assessment_for, build_mockup
from generator.mockup.dataset import (
    false_csv,
    false_files,
    false_frames,
    false_xlsx,
    unit_ids,
)
from generator.models import Country

BASE = make_country()


def country(**msla: Any) -> Country:
    data = BASE.model_dump(mode="json")
    data["msla"] = {**data["msla"], **msla}
    return Country.model_validate(data)


def n_note(html: str) -> str:
    """'n = 1,240 locations' from the chart's note (free text says 'from 1,240 ... asked')."""
    note = re.findall(r'<p class="ctk-mockup__note">(.*?)</p>', html)[0]
    found = re.search(r"(?:n =|from) ([0-9,]+) (key informants?|[a-z]+)", note)
    assert found, note
    return f"n = {found.group(1)} {found.group(2)}"


def test_sample_key_informant_questions_count_the_key_informants() -> None:
    """Before: "n = 1,240 key informants", the location count, on both roster questions."""
    kb = load_or_raise(ROOT / "kb")
    assessment = assessment_for(kb)
    kis = assessment.level("key_informant")
    per_location = np.bincount(kis.location, minlength=1240)
    assert per_location.min() == 3 and per_location.max() == 5  # country.yml: 3 to 5
    assert kis.n == per_location.sum() > 3 * 1240
    notes = set()
    for qid in ("population-mobility-ki-type", "population-mobility-ki-sex"):
        q = kb.questions[qid]
        result = build_mockup(q, kb.country, assessment)
        assert assessment.answers(q).n == kis.n
        assert result.placeholders["n_locations"] == f"{kis.n:,}"
        assert "% of interviewed key informants by reply" in result.chart_html
        assert "assessed key informants" not in result.chart_html
        notes.add(n_note(result.chart_html))
    assert notes == {f"n = {kis.n:,} key informants"}
    # Location questions keep counting locations.
    water = build_mockup(kb.questions["wash-water-source"], kb.country, assessment)
    assert n_note(water.chart_html) == "n = 1,240 locations"


def test_informant_type_question_answers_the_drawn_informant_types() -> None:
    kb = load_or_raise(ROOT / "kb")
    assessment = assessment_for(kb)
    q = kb.questions["population-mobility-ki-type"]
    a = assessment.answers(q)
    kinds = assessment.level("key_informant").dimensions["key_informant_type"]
    codes = [a.spec.codes[c] for c in a.choice]
    ids = [kb.country.msla.key_informant_types[k].id.replace("-", "_") for k in kinds.index]
    assert codes == ids
    # Each location's informants are of different types, its main informant among them.
    kis = assessment.level("key_informant")
    pairs = set(zip(kis.location.tolist(), kinds.index.tolist(), strict=True))
    assert len(pairs) == kis.n
    main = assessment.units.dimensions["key_informant_type"].index
    assert all((loc, int(main[loc])) in pairs for loc in range(assessment.units.n))


def test_household_questions_share_households_drawn_once_per_location() -> None:
    c = country(households_per_location={"min": 6, "max": 10})
    a_q = make_question("hh-water", unit_of_analysis="household", disaggregation=["admin1"])
    b_q = make_question("hh-income", "integer", unit_of_analysis="household")
    loc_q = make_question("loc-q")
    assessment = FalseAssessment(c, {q.id: q for q in (a_q, b_q, loc_q)})
    households = assessment.level("household")
    per_location = np.bincount(households.location, minlength=assessment.units.n)
    assert per_location.min() >= 6 and per_location.max() <= 10
    a, b = build_mockup(a_q, c, assessment), build_mockup(b_q, c, assessment)
    expected = f"n = {households.n:,} households"
    assert n_note(a.chart_html) == n_note(b.chart_html) == expected
    assert "% of assessed households by reply" in a.chart_html
    assert "Assessed households (n)" in b.chart_html
    assert n_note(build_mockup(loc_q, c, assessment).chart_html) == "n = 300 locations"
    # A household lies in its location's province.
    region = households.dimensions["admin1"].index
    assert (region == assessment.units.dimensions["admin1"].index[households.location]).all()


def test_skip_logic_reaches_households_and_people_through_their_location() -> None:
    parent = make_question("groups", "select_multiple", options=["IDPs", "Returnees", "Host"])
    hh = make_question("hh-returned", "yes_no", unit_of_analysis="household",
                       relevant="selected(${groups}, 'opt_1')")
    person = make_question("child-school", "yes_no", unit_of_analysis="individual",
                           relevant="${hh_returned} = 'yes'")
    qs = {q.id: q for q in (parent, hh, person)}
    assessment = FalseAssessment(BASE, qs)
    returnees = assessment.answers(parent).chosen[:, 1]
    households = assessment.level("household")
    asked = assessment.answers(hh).asked
    assert (asked == returnees[households.location]).all()
    assert 0 < asked.sum() < households.n
    people = assessment.level("individual")
    yes = assessment.answers(hh).choice == 0
    assert (assessment.answers(person).asked == yes[people.parent]).all()
    result = build_mockup(person, BASE, assessment)
    n = int(yes[people.parent].sum())
    assert n_note(result.chart_html) == f"n = {n:,} people"


def test_false_dataset_has_a_table_per_level() -> None:
    kb = load_or_raise(ROOT / "kb")
    assessment = assessment_for(kb)
    public = [q for q in kb.questions.values() if not q.is_confidential]
    frames = false_frames(assessment, public)
    assert list(frames) == ["location", "key_informant"]
    locations, kis = frames["location"], frames["key_informant"]
    assert len(locations) == 1240 and len(kis) == assessment.level("key_informant").n
    assert "population_mobility_ki_sex" in kis and "population_mobility_ki_sex" not in locations
    assert "wash_water_source" in locations and "wash_water_source" not in kis
    assert set(kis["location_id"]) == set(locations["unit_id"])
    assert kis["unit_id"].iloc[0] == "VLR-R6-00001-KI1"
    # A key informant's place is its location's.
    joined = kis.merge(locations[["unit_id", "admin2_pcode"]], left_on="location_id",
                       right_on="unit_id", suffixes=("", "_loc"))
    assert (joined["admin2_pcode"] == joined["admin2_pcode_loc"]).all()
    back = pd.read_csv(io.BytesIO(false_csv(kis)), keep_default_na=False)
    assert back.shape == kis.shape
    book = pd.read_excel(io.BytesIO(false_xlsx(frames, assessment)), sheet_name=None)
    assert list(book) == ["READ ME - FALSE DATA", "false_data", "key_informants"]
    assert book["key_informants"].shape == kis.shape
    # What the build writes: each column's distinct values found once for both files, the
    # same bytes as each file made alone.
    csvs, xlsx = false_files(frames, assessment)
    assert csvs == {level: false_csv(frame) for level, frame in frames.items()}
    assert xlsx == false_xlsx(frames, assessment)


def test_question_page_links_the_file_of_its_level() -> None:
    from generator.pages import render_site

    kb = load_or_raise(ROOT / "kb")
    pages = {p.path: p.content for p in render_site(kb)}
    ki = pages["questions/population-mobility/population-mobility-ki-sex.md"]
    assert "../../false-data/FALSE-DATA-vlr-round-6-key-informants.csv" in ki
    loc = pages["questions/wash/wash-water-source.md"]
    assert "../../false-data/FALSE-DATA-vlr-round-6.csv" in loc


def test_people_ids_name_their_household() -> None:
    q = make_question("p", unit_of_analysis="individual")
    assessment = FalseAssessment(BASE, {q.id: q})
    people = unit_ids(assessment, assessment.level("individual"))
    assert people[0] == "TST-R6-00001-HH01-P1"
    assert len(set(people)) == len(people)


LEVELS = {"key_informant": ("key_informants_per_location", "key informants", "location"),
          "household": ("households_per_location", "households", "location"),
          "individual": ("people_per_household", "people", "household")}


@settings(max_examples=25, deadline=None)
@given(level=st.sampled_from(sorted(LEVELS)), low=st.integers(1, 6), extra=st.integers(0, 4),
       qtypes=st.lists(st.sampled_from(["select_one", "select_multiple", "yes_no", "integer",
                                        "decimal", "date", "text"]), min_size=2, max_size=3))
def test_every_question_of_a_level_counts_the_same_units(
        level: str, low: int, extra: int, qtypes: list[str]) -> None:
    field, plural, parent = LEVELS[level]
    c = country(**{field: {"min": low, "max": low + extra}})
    qs = [make_question(f"q-{i}", t, unit_of_analysis=level) for i, t in enumerate(qtypes)]
    assessment = FalseAssessment(c, {q.id: q for q in qs})
    units = assessment.level(level)
    parents = assessment.level(parent).n
    assert low * parents <= units.n <= (low + extra) * parents
    counts = np.bincount(units.parent, minlength=parents)
    assert counts.min() >= low and counts.max() <= low + extra
    notes = set()
    for q in qs:
        assert assessment.answers(q).n == units.n
        notes.add(n_note(build_mockup(q, c, assessment).chart_html))
    assert notes == {f"n = {units.n:,} {plural}"}


def test_household_questions_cannot_be_split_by_informant_type() -> None:
    from generator.mockup.spec import disaggregation_problems

    q = make_question("hh", unit_of_analysis="household", disaggregation=["key_informant_type"])
    (where, fld, message, fix), = disaggregation_problems(q, BASE)
    assert fld == "analysis.disaggregation[1]" and "key informant type" in message
    # Drawn anyway (by province), so a page never fails on {top_group}.
    result = build_mockup(q, BASE, FalseAssessment(BASE, {q.id: q}))
    assert result.placeholders["top_group"] in [a.name for a in BASE.admin1]
    ki = make_question("ki", unit_of_analysis="key_informant",
                       disaggregation=["key_informant_type"])
    assert disaggregation_problems(ki, BASE) == []
    assert "by key informant type" in build_mockup(ki, BASE).chart_html


def test_a_province_without_districts_names_none() -> None:
    """Before: its locations carried the first district of another province."""
    c = make_country(admin1=["North", "South"])
    data = c.model_dump(mode="json")
    data["admin1"][0]["admin2"] = [{"pcode": "TS0101", "name": "North Hills"}]
    c = Country.model_validate(data)
    q = make_question("q")
    frame = false_frames(FalseAssessment(c, {q.id: q}), [q])["location"]
    south = frame[frame["admin1"] == "South"]
    assert len(south) and (south["admin2"] == "").all() and (south["admin2_pcode"] == "").all()
    north = frame[frame["admin1"] == "North"]
    assert (north["admin2"] == "North Hills").all()


def test_false_downloads_kept_in_memory_follow_source_date_epoch(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The process memo of the FALSE DATA files must not hand a workbook dated by one
    SOURCE_DATE_EPOCH to a build under another (its zip entries carry the date)."""
    import zipfile

    from generator.page_memo import false_downloads

    c = make_country()
    q = make_question(options=["yes", "no"])
    assessment = FalseAssessment(c, {q.id: q})
    dates = []
    for epoch in ("1700000000", "1800000000", "1700000000"):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
        _csvs, xlsx = false_downloads(false_frames(assessment, [q]), assessment)
        dates.append(zipfile.ZipFile(io.BytesIO(xlsx)).infolist()[0].date_time)
    assert dates[0] == dates[2] != dates[1]
    assert dates[1][:3] == (2027, 1, 15)
