"""What the false data of one question should look like, from its record.

Authors steer the false data in the question's `mockup:` block (typical range, expected
shares, ordered options, rare event); everything they leave out gets a default that reads
like a real assessment: "don't know" and "other" stay small, alerts are rare, numbers stay
inside `min`/`max`. `spec_problems` reports a spec that no data could satisfy.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ..models import Country, Question
from ..models.question import Option

OptionRole = Literal["answer", "dont_know", "other", "none"]

# Reply options people rarely give; matched on code or label, whatever the kb calls them.
_DONT_KNOW = re.compile(
    r"\b(dk|dont_know|do_not_know|don.?t know|do not know|not sure|unknown|prefer not|"
    r"refuse[ds]?|no answer|no_answer|prefer_not|pnta)\b", re.IGNORECASE)
_OTHER = re.compile(r"^other\b", re.IGNORECASE)
# "None of these", "No income", "No difficulty": the absence of what the question asks about.
_NONE = re.compile(r"^(none|no|nothing)\b", re.IGNORECASE)

DEFAULT_UNITS = 300
DEFAULT_TYPICAL = {"integer": (1.0, 50.0), "decimal": (0.5, 20.0)}
# A rare event (urgent-action trigger, alert) happens in this % of units unless told.
RARE_SHARE = 4.0


@dataclass(frozen=True)
class ChoiceSpec:
    labels: tuple[str, ...]
    codes: tuple[str, ...]
    roles: tuple[OptionRole, ...]
    exclusive: tuple[bool, ...]
    shares: dict[int, float]  # option index -> expected % of units
    ordered: bool
    rare: bool
    expected_share: float | None
    max_choices: int | None


def option_role(option: Option) -> OptionRole:
    text = f"{option.code} {option.label}"
    if _DONT_KNOW.search(text.replace("_", " ")) or _DONT_KNOW.search(option.code):
        return "dont_know"
    if option.other or _OTHER.match(option.label) or option.code == "other":
        return "other"
    if _NONE.match(option.label) or option.code == "none":
        return "none"
    return "answer"


def is_rare(question: Question) -> bool:
    if question.mockup.rare is not None:
        return question.mockup.rare
    return question.sharing.modality == "urgent-action"


def yes_no_options(question: Question, options: Sequence[Option]) -> list[Option]:
    if options:
        return list(options)
    return [Option(code="yes", label="Yes"), Option(code="no", label="No")]


def choice_spec(question: Question, options: Sequence[Option]) -> ChoiceSpec:
    if question.type == "yes_no":
        options = yes_no_options(question, options)
    elif not options:
        # A redacted (confidential) choice question has lost its options: a generic shape.
        options = [Option(code=c, label=f"Option {c.upper()}") for c in ("a", "b", "c")]
    roles = tuple(option_role(o) for o in options)
    if question.type == "yes_no":
        # "No" is the absence of the event, whatever it is called.
        roles = tuple("none" if o.code in ("no", "0") else r for o, r in zip(options, roles,
                                                                              strict=True))
    codes = tuple(o.code for o in options)
    shares = {codes.index(c): v for c, v in question.mockup.shares.items() if c in codes}
    exclusive = tuple(
        o.exclusive or (question.type == "select_multiple" and r in ("dont_know", "none"))
        for o, r in zip(options, roles, strict=True))
    return ChoiceSpec(
        labels=tuple(o.label for o in options), codes=codes, roles=roles, exclusive=exclusive,
        shares=shares, ordered=question.mockup.ordered, rare=is_rare(question),
        expected_share=question.mockup.expected_share, max_choices=question.max_choices,
    )


@dataclass(frozen=True)
class NumberSpec:
    low: float  # hard limits: no answer outside
    high: float
    typical: tuple[float, float]
    integer: bool
    nonzero: float | None = None  # % of units with a value above 0 (the rest report 0)


def number_spec(question: Question) -> NumberSpec:
    integer = question.type == "integer"
    hard_high = question.max if question.max is not None else float("inf")
    # Without a min, answers are counts or measures: not negative, unless max says so.
    hard_low = question.min if question.min is not None else min(0.0, hard_high)
    if question.mockup.typical:
        a, b = question.mockup.typical.min, question.mockup.typical.max
    else:
        a, b = DEFAULT_TYPICAL["integer" if integer else "decimal"]
        a, b = max(a, hard_low), min(b, hard_high)
        if a > b:  # the defaults miss the allowed range: use the allowed range itself
            a = hard_low
            b = hard_high if hard_high != float("inf") else hard_low + max(abs(hard_low), 50.0)
    nonzero = question.mockup.expected_share
    if nonzero is None and is_rare(question):
        nonzero = RARE_SHARE
    if hard_low > 0:
        nonzero = None  # 0 is not an answer here
    return NumberSpec(hard_low, hard_high, (a, b), integer, nonzero)


# Without an author's period, a date falls in the year before the round starts: before
# every interview of the round, recent enough to be remembered.
DEFAULT_PERIOD_DAYS = 365


def date_period(question: Question, country: Country) -> tuple[dt.date, dt.date]:
    """First and last day the false answers of a date question may fall on."""
    if question.mockup.period is not None:
        return question.mockup.period.start, question.mockup.period.end
    end = country.round.start
    return end - dt.timedelta(days=DEFAULT_PERIOD_DAYS), end


def period_problems(question: Question, country: Country
                    ) -> list[tuple[list[str | int], str, str, str]]:
    """A date period that cannot hold the answers of this round's interviews."""
    period = question.mockup.period
    if period is None or question.type != "date":
        return []  # a period on another type is reported by spec_problems
    last = country.round.end
    if period.end > last:
        return [(["mockup", "period", "end"], "mockup.period.end",
                 f"{period.end} is after the round's last interview day ({last}): no key "
                 "informant can report it yet",
                 f"end the period on or before {last} (round.end in kb/country.yml)")]
    return []


def spec_problems(question: Question) -> list[tuple[list[str | int], str, str, str]]:
    """(location, field, message, fix) for every spec no false data can satisfy."""
    # min > max itself is reported by the questionnaire checks (checks.py).
    problems: list[tuple[list[str | int], str, str, str]] = []
    m = question.mockup
    if m.typical is not None:
        if question.type not in ("integer", "decimal"):
            problems.append((["mockup", "typical"], "mockup.typical",
                             f"a typical range is for numbers, not {question.type} questions",
                             "remove it, or use mockup.shares for options"))
        else:
            for end in ("min", "max"):
                value = getattr(m.typical, end)
                if question.min is not None and value < question.min:
                    problems.append((["mockup", "typical", end], f"mockup.typical.{end}",
                                     f"{value:g} is below the question's min {question.min:g}",
                                     "keep the typical range inside min and max"))
                if question.max is not None and value > question.max:
                    problems.append((["mockup", "typical", end], f"mockup.typical.{end}",
                                     f"{value:g} is above the question's max {question.max:g}",
                                     "keep the typical range inside min and max"))
    codes = [o.code for o in question.options] + (
        ["yes", "no"] if question.type == "yes_no" and not question.options else [])
    for code, share in m.shares.items():
        if not 0 <= share <= 100:
            problems.append((["mockup", "shares", code], f"mockup.shares.{code}",
                             f"an expected share of {share:g}% is not between 0 and 100",
                             "give a percentage of units from 0 to 100"))
        if codes and code not in codes:
            problems.append((["mockup", "shares", code], f"mockup.shares.{code}",
                             f"'{code}' is not an option code of this question",
                             "use one of " + ", ".join(codes)))
        if question.type not in ("select_one", "select_multiple", "yes_no"):
            problems.append((["mockup", "shares"], "mockup.shares",
                             f"expected shares are for options, not {question.type} questions",
                             "remove them, or use mockup.typical for numbers"))
            break
    single = question.type in ("select_one", "yes_no")
    total = sum(v for v in m.shares.values() if 0 <= v <= 100)
    if single and total > 100.0001:
        problems.append((["mockup", "shares"], "mockup.shares",
                         f"the expected shares add up to {total:g}% but a unit gives one reply",
                         "lower them so they add up to 100 or less"))
    if m.period is not None and question.type != "date":
        problems.append((["mockup", "period"], "mockup.period",
                         f"a period is for dates, not {question.type} questions",
                         "remove it, or use mockup.typical for numbers"))
    if m.ordered and question.type not in ("select_one", "select_multiple"):
        problems.append((["mockup", "ordered"], "mockup.ordered",
                         "only options can be ordered", "remove 'ordered'"))
    return problems


def disaggregation_problems(question: Question, country: Country
                            ) -> list[tuple[list[str | int], str, str, str]]:
    """Disaggregations the country record gives no groups for."""
    declared = {
        "admin2": any(a.admin2 for a in country.admin1),
        "location_type": bool(country.msla.location_types),
    }
    where = {"admin2": "admin2 areas under admin1 in kb/country.yml",
             "location_type": "msla.location_types in kb/country.yml"}
    problems = [
        (["analysis", "disaggregation", i], f"analysis.disaggregation[{i + 1}]",
         f"the country declares no groups for '{d}'",
         f"declare {where[d]} or disaggregate by what it declares")
        for i, d in enumerate(question.analysis.disaggregation) if declared.get(d) is False
    ]
    unit = question.unit_of_analysis or country.msla.unit_of_analysis
    if unit in ("household", "individual") and "key_informant_type" in \
            question.analysis.disaggregation:
        i = question.analysis.disaggregation.index("key_informant_type")
        problems.append((["analysis", "disaggregation", i], f"analysis.disaggregation[{i + 1}]",
                         f"a {unit.replace('individual', 'person')} question has no key "
                         "informant type: its answers come from the household",
                         "disaggregate by admin1, admin2, population_group or location_type"))
    return problems
