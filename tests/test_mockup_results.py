"""The descriptive analysis computed from the false data: right statistic per type, groups,
unit of analysis, caps that never drop an option silently."""

from __future__ import annotations

import re

import pytest
from factories import make_country, make_question

from generator.mockup import build_mockup
from generator.mockup.results import MAX_BARS, MAX_GROUPS, MAX_SEGMENTS
from generator.models import Country

COUNTRY = make_country()
OTHER = "Other options"  # the English chart's word for the options folded together
N_UNITS = re.compile(r"n = ([\d,]+) (\w+)")


def n_units(html: str) -> int:
    match = N_UNITS.search(html)
    assert match, html
    return int(match.group(1).replace(",", ""))


def bar_values(html: str) -> dict[str, str]:
    """Bar label -> value text, from the first (chart) table only."""
    chart = html.split("</table>")[0]
    return dict(re.findall(r'<th scope="row">([^<]+)</th><td[^>]*style="--w:[^"]+">([^<]+)<',
                           chart))


def test_select_one_shares_add_up_to_100_in_every_group() -> None:
    result = build_mockup(make_question(disaggregation=["admin1"]), COUNTRY)
    table = result.table
    assert list(table.index) == ["Piped water", "Protected well", "Unprotected well",
                                 "Surface water", "Water trucking"]
    assert list(table.columns) == ["All locations", *(a.name for a in COUNTRY.admin1)]
    for column in table.columns:
        assert table[column].sum() == pytest.approx(100, abs=0.3)


def test_select_one_stacked_rows_add_up_to_100() -> None:
    q = make_question(chart="stacked-bar", disaggregation=["admin1"])
    html = build_mockup(q, COUNTRY).chart_html
    for row in html.split('<tr role="row">')[2:]:
        widths = [float(w) for w in re.findall(r"--w:([\d.]+)%", row)]
        assert sum(widths) == pytest.approx(100, abs=0.3)


@pytest.mark.parametrize("chart", ["bar", "stacked-bar"])
def test_select_multiple_is_percent_of_units_selecting_each_option(chart: str) -> None:
    """The regression: the sentence said 79% while a stacked share of replies showed 21%."""
    q = make_question(qtype="select_multiple", chart=chart, disaggregation=["admin1"],
                      sentence="{top_option} in {top_pct} of {n_locations} {units}")
    result = build_mockup(q, COUNTRY)
    html = result.chart_html
    assert html.startswith('<figure class="ctk-mockup ctk-mockup--bar"')
    assert "ctk-chart--stacked-bar" not in html
    assert "several replies possible, so the bars do not add up to 100%" in html
    shares = result.table["All locations"]
    assert shares.between(0, 100).all() and shares.sum() > 100
    top = result.placeholders["top_option"]
    assert bar_values(html)[top] == result.placeholders["top_pct"]


def test_yes_no_by_group_is_a_share_of_yes_in_each_group() -> None:
    q = make_question(qtype="yes_no", disaggregation=["population_group"],
                      sentence="{yes_pct}")
    result = build_mockup(q, COUNTRY)
    html = result.chart_html
    assert html.startswith('<figure class="ctk-mockup ctk-mockup--stacked-bar"')
    for group in COUNTRY.msla.target_population:
        assert f'role="rowheader">{group}</th>' in html
    assert result.sentence == f"{result.table.loc['Yes', 'All locations']:.0f}%"


def test_count_statistic_counts_units() -> None:
    result = build_mockup(make_question(statistic="count"), COUNTRY)
    counts = result.table["All locations"]
    assert (counts == counts.round()).all()
    assert counts.sum() == n_units(result.chart_html) == 300
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


def test_admin2_and_location_type_groups_when_the_country_declares_them() -> None:
    admin1 = [{"pcode": "TS01", "name": "North", "admin2": [
        {"pcode": "TS0101", "name": "North A"}, {"pcode": "TS0102", "name": "North B"}]},
        {"pcode": "TS02", "name": "South", "admin2": [{"pcode": "TS0201", "name": "South A"}]}]
    data = make_country().model_dump(mode="json")
    data["admin1"] = admin1
    data["msla"]["location_types"] = [
        {"id": "site", "label": "Displacement site", "site": True, "share": 40},
        {"id": "village", "label": "Village"}]
    country = Country.model_validate(data)
    by_admin2 = build_mockup(make_question(disaggregation=["admin2"], chart="table"), country)
    assert list(by_admin2.table.columns) == ["All locations", "North A", "North B", "South A"]
    by_type = build_mockup(make_question(disaggregation=["location_type"], chart="table"),
                           country)
    assert list(by_type.table.columns) == ["All locations", "Displacement site", "Village"]
    assert "by location type" in by_type.chart_html


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
        drawn = re.findall(r"Province \d+", result.chart_html.split("</table>")[0])
        assert len(set(drawn)) == MAX_GROUPS


def test_many_options_stack_into_top_options_and_other_with_the_full_table() -> None:
    q = make_question(options=[f"Option {i}" for i in range(15)], chart="stacked-bar",
                      disaggregation=["admin1"])
    result = build_mockup(q, COUNTRY)
    chart, _, rest = result.chart_html.partition("</table>")
    rows = chart.split('<tr role="row">')[2:]  # the first row is the legend (header)
    assert rows and all(row.count("<td ") == MAX_SEGMENTS for row in rows)
    k = 15 - (MAX_SEGMENTS - 1)
    assert f'class="ctk-k-g">{OTHER} ({k})</th></tr></thead>' in chart
    # Never silently dropped: every option is in the table under the chart.
    assert "<details" in rest and "All 15 options by province" in rest
    for i in range(15):
        assert f'<th scope="row">Option {i}</th>' in rest
    assert len(result.table) == 15


def test_long_select_multiple_folds_options_into_one_bar_of_units_selecting_any() -> None:
    q = make_question(qtype="select_multiple", options=[f"Option {i}" for i in range(24)])
    result = build_mockup(q, COUNTRY)
    bars = bar_values(result.chart_html)
    folded = f"{OTHER} ({24 - MAX_BARS + 1})"
    assert len(bars) == MAX_BARS and folded in bars
    # % of units selecting any of them: at least the largest folded option, at most 100%.
    shares = result.table["All locations"]
    drawn = [label for label in bars if label != folded]
    rest = shares.drop(drawn)
    assert rest.max() - 0.5 <= float(bars[folded][:-1]) <= min(rest.sum(), 100) + 0.5


def test_stacked_bar_without_disaggregation_falls_back_to_bar() -> None:
    result = build_mockup(make_question(chart="stacked-bar"), COUNTRY)
    assert result.chart_html.startswith('<figure class="ctk-mockup ctk-mockup--bar"')


def test_redacted_choice_question_without_options_still_renders() -> None:
    """The public view of a confidential question drops its options (kb.redact_question)."""
    q = make_question().model_copy(update={"options": []})
    result = build_mockup(q, COUNTRY)
    assert len(result.table) == 3 and result.chart_html.count("--w:") == 3


def test_number_is_a_histogram_of_all_units_with_a_summary() -> None:
    result = build_mockup(make_question(qtype="integer"), COUNTRY)
    counts = [int(v.replace(",", "")) for v in bar_values(result.chart_html).values()]
    assert len(counts) >= 3
    assert sum(counts) == n_units(result.chart_html) == 300
    assert "<p class=\"ctk-mockup__sub\">Summary</p>" in result.chart_html


@pytest.mark.parametrize(("statistic", "first"),
                         [(None, "Median"), ("mean", "Mean"), ("sum", "Total")])
def test_number_summary_leads_with_the_declared_statistic(statistic: str | None,
                                                          first: str) -> None:
    q = make_question(qtype="decimal", statistic=statistic, disaggregation=["admin1"])
    result = build_mockup(q, COUNTRY)
    assert result.table.index[0] == first
    # By group the summary leads the figure; the distribution follows it.
    assert result.chart_html.startswith('<figure class="ctk-mockup ctk-mockup--table"')
    summary = result.chart_html.split("Summary, illustrative false data")[1]
    assert re.search(rf'<tbody>\s*<tr><th scope="row">{first}</th>', summary)


def test_integers_stay_integers_and_inside_min_max() -> None:
    q = make_question(qtype="integer", min=1, max=5, spec={"typical": {"min": 1, "max": 3}})
    result = build_mockup(q, COUNTRY)
    column = result.table["All locations"]
    assert 1 <= column["Minimum"] <= column["Median"] <= column["Maximum"] <= 5
    bins = list(bar_values(result.chart_html))
    assert all(re.fullmatch(r"\d", b) for b in bins), bins


def test_text_counts_themes_of_the_responses() -> None:
    q = make_question(qtype="text", sentence="{n_responses}", disaggregation=["admin1"])
    result = build_mockup(q, COUNTRY)
    assert list(result.table.index) == ["Theme A", "Theme B", "Theme C", "Theme D",
                                        "All responses"]
    assert result.table.loc["All responses", "Responses"] == int(result.sentence)
    assert result.chart_html.startswith('<figure class="ctk-mockup ctk-mockup--table"')


def test_dates_are_counted_by_month() -> None:
    result = build_mockup(make_question(qtype="date"), COUNTRY)
    months = list(result.table.index)
    assert months[-1] == "Nov 2026" and len(months) in (12, 13)
    assert result.table["All locations"].sum() == n_units(result.chart_html)


@pytest.mark.parametrize(("unit", "words"), [
    ("site", ("% of assessed sites", "n = 300 sites")),
    ("household", ("% of assessed households", "n = 300 households")),
    ("location", ("% of assessed locations", "n = 300 locations")),
])
def test_unit_of_analysis_drives_the_wording(unit: str, words: tuple[str, str]) -> None:
    q = make_question(unit_of_analysis=unit, sentence="{n_locations} {units}")
    result = build_mockup(q, COUNTRY)
    for text in words:
        assert text in result.chart_html
    assert result.sentence == f"300 {words[1].split()[-1]}"


def test_country_default_unit_of_analysis() -> None:
    country = make_country()
    msla = country.msla.model_copy(update={"unit_of_analysis": "site"})
    result = build_mockup(make_question(), country.model_copy(update={"msla": msla}))
    assert "% of assessed sites" in result.chart_html
