"""False dates: in the period the author sets (e.g. the period the question asks about), by
default the year before the round; counted by month inside it; impossible periods refused
with file and line."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import numpy as np
import pytest
from factories import make_country, make_question
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from support import ROOT

from generator.loader import load, load_or_raise
from generator.mockup import FalseAssessment, assessment_for, build_mockup
from generator.mockup.spec import period_problems, spec_problems

COUNTRY = make_country()  # round 6: 2 to 27 November 2026


def days_of(question, country=COUNTRY) -> np.ndarray:  # type: ignore[no-untyped-def]
    a = FalseAssessment(country, {question.id: question}).answers(question)
    return a.day[a.asked].astype(dt.date)


def test_default_dates_fall_in_the_year_before_the_round() -> None:
    days = days_of(make_question("d", "date"))
    assert days.max() <= dt.date(2026, 11, 2)
    assert days.min() >= dt.date(2025, 11, 2)


def test_author_period_is_followed_and_counted_by_quarter_beyond_18_months() -> None:
    """Before: every date fell in the 12 months before the round, whatever was asked."""
    q = make_question("arrived", "date", spec={"period": {"start": "2025-02-01",
                                                          "end": "2026-10-31"}})
    days = days_of(q)
    assert days.min() >= dt.date(2025, 2, 1) and days.max() <= dt.date(2026, 10, 31)
    assert days.min() < dt.date(2025, 6, 1)  # the whole period is used, not its last year
    result = build_mockup(q, COUNTRY)
    quarters = list(result.table.index)
    assert quarters[0] == "Q1 2025" and quarters[-1] == "Q4 2026"
    assert len(quarters) == 8 and result.table.index.name == "quarter"
    assert result.table.iloc[:, 0].sum() == len(days)


def test_a_period_of_a_year_is_counted_by_month() -> None:
    q = make_question("arrived", "date", spec={"period": {"start": "2025-07-01",
                                                          "end": "2026-06-30"}})
    result = build_mockup(q, COUNTRY)
    months = list(result.table.index)
    assert months[0] == "Jul 2025" and months[-1] == "Jun 2026"
    assert result.table.index.name == "month"


def test_sample_first_arrivals_follow_the_displacement_period() -> None:
    kb = load_or_raise(ROOT / "kb")
    q = kb.questions["population-mobility-first-arrival-date"]
    assert q.mockup.period is not None
    result = build_mockup(q, kb.country, assessment_for(kb))
    assert "2025" in result.placeholders["earliest"]
    assert result.placeholders["earliest"].split()[1] in ("February", "March", "April")


def test_long_periods_are_counted_by_year() -> None:
    q = make_question("built", "date", spec={"period": {"start": "2001-01-01",
                                                        "end": "2026-06-30"}})
    result = build_mockup(q, COUNTRY)
    assert result.table.index.name == "year"
    assert list(result.table.index)[-1] == "2026" and len(result.table) <= 26
    assert len(result.chart_html.encode()) <= 15 * 1024


def test_start_after_end_is_refused() -> None:
    with pytest.raises(ValidationError, match="start 2026-05-01 is after end 2026-01-01"):
        make_question("d", "date", spec={"period": {"start": "2026-05-01", "end": "2026-01-01"}})


def test_period_rules() -> None:
    late = make_question("d", "date", spec={"period": {"start": "2026-01-01",
                                                       "end": "2026-12-31"}})
    (where, fld, message, fix), = period_problems(late, COUNTRY)
    assert fld == "mockup.period.end" and "2026-11-27" in message and "2026-11-27" in fix
    number = make_question("n", "integer", spec={"period": {"start": "2026-01-01",
                                                            "end": "2026-02-01"}})
    assert [p[1] for p in spec_problems(number)] == ["mockup.period"]


def test_bad_periods_are_errors_with_file_and_line(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "kb", tmp_path / "kb")
    shutil.copytree(ROOT / "library", tmp_path / "library")
    path = tmp_path / "kb" / "questions" / "health" / "health-last-vaccination-date.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("mockup:\n", "mockup:\n  period: {start: 2026-06-01, "
                                 "end: 2026-01-01}\n", 1), encoding="utf-8")
    other = (tmp_path / "kb" / "questions" / "population-mobility"
             / "population-mobility-first-arrival-date.yml")
    other_text = other.read_text(encoding="utf-8")
    assert "end: 2026-11-02}" in other_text  # the sample's period, set as an override
    other.write_text(other_text.replace("end: 2026-11-02}", "end: 2027-03-01}"),
                     encoding="utf-8")
    kb, report = load(tmp_path / "kb")
    assert kb is None
    found = {(p.path.rsplit("/", 1)[-1], p.line) for p in report.errors}
    line = text.splitlines().index("mockup:") + 2
    assert ("health-last-vaccination-date.yml", line) in found
    late = [p for p in report.errors if p.path.endswith("first-arrival-date.yml")]
    assert [(p.field, bool(p.line), bool(p.fix)) for p in late] == [
        ("mockup.period.end", True, True)]


@settings(max_examples=40, deadline=None)
@given(start=st.dates(dt.date(1990, 1, 1), dt.date(2026, 11, 27)),
       days=st.integers(0, 20 * 365))
def test_dates_stay_in_any_valid_period(start: dt.date, days: int) -> None:
    end = min(start + dt.timedelta(days=days), dt.date(2026, 11, 27))
    q = make_question("d", "date", spec={"period": {"start": start.isoformat(),
                                                    "end": end.isoformat()}},
                      sentence="{earliest} {latest} {n_locations}")
    assert period_problems(q, COUNTRY) == [] and spec_problems(q) == []
    found = days_of(q)
    assert found.min() >= start and found.max() <= end
    result = build_mockup(q, COUNTRY)
    assert int(result.table.iloc[:, 0].sum()) == 300
    assert len(result.chart_html.encode()) <= 15 * 1024
