"""Mock-up sentences: placeholders filled from the false results, bad templates reported."""

from __future__ import annotations

import re

import pytest
from factories import make_country, make_question

from generator.mockup import (
    PLACEHOLDERS,
    MockupError,
    build_mockup,
    template_problems,
)

COUNTRY = make_country()
TYPES = ("select_one", "select_multiple", "yes_no", "integer", "decimal", "text", "date")


def test_placeholders_contract() -> None:
    choice = {"top_option", "top_pct", "second_option", "second_pct", "least_option",
              "least_pct", "n_locations", "units", "top_group", "top_group_pct"}
    number = {"mean", "median", "min", "max", "total", "n_locations", "units", "unit"}
    assert set(PLACEHOLDERS) == set(TYPES)
    for qtype in ("select_one", "select_multiple"):
        assert set(PLACEHOLDERS[qtype]) == choice
    assert set(PLACEHOLDERS["yes_no"]) == choice | {"yes_pct"}
    assert set(PLACEHOLDERS["integer"]) == set(PLACEHOLDERS["decimal"]) == number
    assert set(PLACEHOLDERS["text"]) == {"n_locations", "n_responses", "units"}
    assert set(PLACEHOLDERS["date"]) == {"earliest", "latest", "n_locations", "units"}


@pytest.mark.parametrize("qtype", TYPES)
def test_every_allowed_placeholder_is_filled(qtype: str) -> None:
    names = PLACEHOLDERS[qtype]
    sentence = " ".join(f"{n}=<{{{n}}}>" for n in names)
    # A unit is given so that {unit} has a value to show.
    q = make_question(qtype=qtype, sentence=sentence, disaggregation=["admin1"],
                      **({"unit": "km"} if qtype in ("integer", "decimal") else {}))
    assert template_problems(q) == []
    filled = build_mockup(q, COUNTRY).sentence
    values = dict(re.findall(r"(\w+)=<([^>]*)>", filled))
    assert set(values) == set(names)
    assert all(values.values()), values
    assert "{" not in filled and "}" not in filled


def test_choice_values_are_consistent() -> None:
    q = make_question(sentence="{top_option}|{top_pct}|{second_option}|{second_pct}|"
                               "{least_option}|{least_pct}|{n_locations}|{top_group}|"
                               "{top_group_pct}", disaggregation=["admin1"])
    result = build_mockup(q, COUNTRY)
    top, top_pct, second, second_pct, least, least_pct, n, group, group_pct = (
        result.sentence.split("|"))
    shares = result.table["All locations"]
    assert top == shares.idxmax() and least == shares.idxmin()
    assert top_pct == f"{shares.max():.0f}%" and least_pct == f"{shares.min():.0f}%"
    assert second == shares.sort_values(ascending=False, kind="stable").index[1]
    assert int(top_pct[:-1]) >= int(second_pct[:-1]) >= int(least_pct[:-1])
    assert int(n) == 300  # the default number of assessed units
    assert group in {a.name for a in COUNTRY.admin1}
    assert group_pct == f"{result.table.loc[top].drop('All locations').max():.0f}%"


def test_yes_no_without_options_reports_yes_or_no() -> None:
    q = make_question(qtype="yes_no", sentence="{top_option}/{least_option}")
    assert sorted(build_mockup(q, COUNTRY).sentence.split("/")) == ["No", "Yes"]


def test_number_values_match_the_table() -> None:
    q = make_question(qtype="integer", chart="table",
                      sentence="{mean}|{median}|{min}|{max}|{total}|{n_locations}")
    result = build_mockup(q, COUNTRY)
    mean, median, low, high, total, n = (float(v.replace(",", ""))
                                         for v in result.sentence.split("|"))
    column = result.table["All locations"]
    assert low <= median <= high
    assert (low, median, high) == (column["Minimum"], column["Median"], column["Maximum"])
    assert total == column["Total"]
    assert n == column["Assessed locations (n)"] == 300
    assert abs(mean - column["Mean"]) < 0.06


def test_date_values_are_within_the_year_before_the_round() -> None:
    q = make_question(qtype="date", sentence="{earliest}|{latest}")
    earliest, latest = build_mockup(q, COUNTRY).sentence.split("|")
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ 20\d\d", earliest)
    assert latest.endswith("2026")


def test_sentence_is_plain_text_and_one_line() -> None:
    q = make_question(options=["<b>Piped</b> & co", "Other"],
                      sentence="Reported:\n  {top_option}\n\nand {least_option}.")
    sentence = build_mockup(q, COUNTRY).sentence
    assert "\n" not in sentence
    assert "<b>Piped</b> & co" in sentence  # escaping is the page's job, not the export's


@pytest.mark.parametrize(
    ("sentence", "qtype", "disaggregation", "names"),
    [
        ("In {top_pct} of locations, {top_optoin}.", "select_one", [], ["{top_optoin}",
                                                                       "{top_option}"]),
        ("The mean was {mean}.", "select_one", [], ["{mean}", "integer"]),
        ("{top_pct} in {top_group}", "select_one", [], ["{top_group}", "disaggregation"]),
        ("{top_option.__class__}", "select_one", [], ["{top_option.__class__}",
                                                      "{top_option}"]),
        ("{top_pct:.1f}", "select_one", [], ["{top_pct:.1f}", "{top_pct}"]),
        ("{ mean }", "integer", [], ["{ mean }", "{mean}"]),
        ("{0} and {}", "text", [], ["{0}", "empty"]),
        ("{{top_pct}}", "select_one", [], ["unmatched", "{top_pct}"]),
        ("In {top_pct of locations", "select_one", [], ["unmatched '{'"]),
        ("In top_pct} of locations", "select_one", [], ["unmatched '}'"]),
        ("{earliest} to {top_pct}", "date", [], ["{top_pct}", "select_one"]),
        ("{n_responses}", "integer", [], ["{n_responses}", "text"]),
    ],
)
def test_bad_templates_name_the_placeholder_and_the_fix(
        sentence: str, qtype: str, disaggregation: list[str], names: list[str]) -> None:
    q = make_question(qtype=qtype, sentence=sentence, disaggregation=disaggregation)
    problems = template_problems(q)
    assert problems, sentence
    assert {field for field, _ in problems} == {"mockup.sentence"}
    text = " ".join(message for _, message in problems)
    for name in names:
        assert name in text, (name, text)
    # Every message lists what is allowed for this question, so the author can fix it.
    assert all("{n_locations}" in message for _, message in problems)


def test_valid_sentence_has_no_problems() -> None:
    for qtype in TYPES:
        assert template_problems(make_question(qtype=qtype)) == []
        assert template_problems(make_question(qtype=qtype, disaggregation=["admin1"])) == []


def test_build_raises_naming_the_file_field_and_placeholder() -> None:
    q = make_question("wash-water-source", sentence="In {top_pct}, {bogus}.")
    with pytest.raises(MockupError) as info:
        build_mockup(q, COUNTRY)
    message = str(info.value)
    assert "kb/questions/wash/wash-water-source.yml" in message
    assert "mockup.sentence" in message and "{bogus}" in message
    assert info.value.question_id == "wash-water-source"


def test_sentence_is_never_evaluated() -> None:
    """str.format would walk attributes; the regex substitution must not even try."""
    q = make_question(sentence="{top_option.__init__.__globals__}")
    assert template_problems(q)
    with pytest.raises(MockupError):
        build_mockup(q, COUNTRY)
    # Text that merely looks like a format/Jinja expression but has no braces stays as is.
    q = make_question(sentence="50 %s of %(x)d, {top_pct}")
    assert build_mockup(q, COUNTRY).sentence.startswith("50 %s of %(x)d, ")
