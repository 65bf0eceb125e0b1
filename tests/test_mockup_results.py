"""The descriptive analysis computed from the false data: right statistic, groups, caps."""

from __future__ import annotations

import re

import pytest
from factories import make_country, make_question

from generator.mockup import build_mockup
from generator.mockup.results import MAX_GROUPS, MAX_SEGMENTS, OTHER

COUNTRY = make_country()
N_LOCATIONS = re.compile(r"n = (\d+) locations")


def n_locations(html: str) -> int:
    match = N_LOCATIONS.search(html)
    assert match, html
    return int(match.group(1))


def test_select_one_shares_add_up_to_100_in_every_group() -> None:
    result = build_mockup(make_question(disaggregation=["admin1"]), COUNTRY)
    table = result.table
    assert list(table.index) == ["Piped water", "Protected well", "Unprotected well",
                                 "Surface water", "Water trucking"]
    assert list(table.columns) == ["All locations", *(a.name for a in COUNTRY.admin1)]
    for column in table.columns:
        assert table[column].sum() == pytest.approx(100, abs=0.3)


def test_select_multiple_gives_percent_of_locations_selecting_each_option() -> None:
    result = build_mockup(make_question(qtype="select_multiple"), COUNTRY)
    shares = result.table["All locations"]
    assert shares.between(0, 100).all()
    # Several options per location: the shares do not add up to 100.
    assert shares.sum() > 100
    assert "several replies possible" in result.chart_html


def test_count_statistic_counts_locations() -> None:
    result = build_mockup(make_question(statistic="count"), COUNTRY)
    counts = result.table["All locations"]
    assert (counts == counts.round()).all()
    assert counts.sum() == n_locations(result.chart_html)
    assert "Number of assessed locations" in result.chart_html


@pytest.mark.parametrize(
    ("dimension", "names"),
    [
        ("admin1", [a.name for a in COUNTRY.admin1]),
        ("population_group", list(COUNTRY.msla.target_population)),
        ("key_informant_type", [k.label for k in COUNTRY.msla.key_informant_types]),
    ],
)
def test_groups_come_from_the_country(dimension: str, names: list[str]) -> None:
    result = build_mockup(make_question(disaggregation=[dimension], chart="stacked-bar"),
                          COUNTRY)
    assert list(result.table.columns) == ["All locations", *names]
    for name in names:
        assert f'<th scope="row" role="rowheader">{name}</th>' in result.chart_html


def test_first_disaggregation_is_drawn() -> None:
    q = make_question(disaggregation=["population_group", "admin1"], chart="stacked-bar")
    table = build_mockup(q, COUNTRY).table
    assert list(table.columns)[1:] == list(COUNTRY.msla.target_population)


def test_many_groups_are_capped_in_the_chart_but_kept_in_the_table() -> None:
    country = make_country(admin1=[f"Province {i}" for i in range(40)])
    for chart in ("stacked-bar", "table"):
        result = build_mockup(make_question(disaggregation=["admin1"], chart=chart), country)
        assert len(result.table.columns) == 41
        assert f"Showing the {MAX_GROUPS} of 40 groups" in result.chart_html
        drawn = re.findall(r"Province \d+", result.chart_html)
        assert len(set(drawn)) == MAX_GROUPS


def test_many_options_stack_into_top_options_and_other() -> None:
    q = make_question(options=[f"Option {i}" for i in range(15)], chart="stacked-bar",
                      disaggregation=["admin1"])
    result = build_mockup(q, COUNTRY)
    chart = result.chart_html
    rows = chart.split('<tr role="row">')[2:]  # the first row is the legend (header)
    assert rows and all(row.count("<td ") == MAX_SEGMENTS + 1 for row in rows)
    assert f'<th scope="col" role="columnheader">{OTHER}</th></tr></thead>' in chart
    assert "ctk-other" in chart
    assert len(result.table) == 15  # the full results keep every option


def test_stacked_bar_without_disaggregation_falls_back_to_bar() -> None:
    result = build_mockup(make_question(chart="stacked-bar"), COUNTRY)
    assert result.chart_html.startswith('<figure class="ctk-mockup ctk-mockup--bar"')


def test_redacted_choice_question_without_options_still_renders() -> None:
    """The public view of a confidential question drops its options (kb.redact_question)."""
    q = make_question().model_copy(update={"options": []})
    result = build_mockup(q, COUNTRY)
    assert len(result.table) == 3 and result.chart_html.count("--w:") == 3


def test_number_without_groups_is_a_histogram_of_all_locations() -> None:
    result = build_mockup(make_question(qtype="integer"), COUNTRY)
    counts = [int(v) for v in re.findall(r'%">([\d,]+)</td>', result.chart_html)]
    assert len(counts) >= 3
    assert sum(counts) == n_locations(result.chart_html) == result.table.loc[
        "All locations", "n_locations"]


@pytest.mark.parametrize("statistic", ["mean", "median", "sum"])
def test_number_by_group_shows_the_declared_statistic(statistic: str) -> None:
    q = make_question(qtype="decimal", statistic=statistic, disaggregation=["admin1"])
    result = build_mockup(q, COUNTRY)
    column = {"mean": "mean", "median": "median", "sum": "total"}[statistic]
    title = {"mean": "Mean", "median": "Median", "sum": "Total"}[statistic]
    assert f'<th scope="col">{title}</th>' in result.chart_html
    first = result.table[column].iloc[0]
    value = re.search(r'%">([\d,.]+)</td>', result.chart_html).group(1)
    assert float(value.replace(",", "")) == pytest.approx(first, abs=0.051)


def test_text_counts_themes_of_the_responses() -> None:
    q = make_question(qtype="text", sentence="{n_responses}", disaggregation=["admin1"])
    result = build_mockup(q, COUNTRY)
    assert list(result.table.index) == ["Theme A", "Theme B", "Theme C", "Other themes"]
    assert result.table["All locations"].sum() == int(result.sentence)
    assert result.chart_html.startswith('<figure class="ctk-mockup ctk-mockup--table"')


def test_dates_are_counted_by_month() -> None:
    result = build_mockup(make_question(qtype="date"), COUNTRY)
    months = list(result.table.index)
    assert months[-1] == "Nov 2026" and len(months) in (12, 13)
    assert result.table["All locations"].sum() == n_locations(result.chart_html)
