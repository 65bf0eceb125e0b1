"""The descriptive analysis of a question's false data: sentence values, chart data, table.

One function per question family. Each turns the false data into
  - the placeholder values of the mock-up sentence (already formatted),
  - `ChartData`: exactly the table the chart is drawn from (capped to stay readable and
    within the page-size budget),
  - a DataFrame of the full results (every option and group) for exports and tests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

import numpy as np
import pandas as pd

from ..models import Country, Question
from . import falsedata
from .groups import Groups, groups_for

Unit = Literal["pct", "count", "number"]
ChartKind = Literal["bar", "stacked-bar", "table"]

ALL = "All locations"
# Beyond these a chart stops being readable and outgrows the 15 KB page budget.
MAX_GROUPS = 12
MAX_SEGMENTS = 6
OTHER = "Other options"
MAX_BARS = 20
THEMES = ("Theme A", "Theme B", "Theme C", "Other themes")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
STAT_TITLES = {"mean": "Mean", "median": "Median", "sum": "Total", "count": "Locations"}


@dataclass(frozen=True)
class ChartData:
    kind: ChartKind
    row_header: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    values: np.ndarray  # shape (rows, columns), in `unit`
    unit: Unit
    note: str  # what the values are, n, and anything left out


@dataclass(frozen=True)
class Results:
    placeholders: dict[str, str]
    chart: ChartData
    table: pd.DataFrame


# Formatting. Fixed formats, never locale: output must be byte-identical everywhere.

def pct(value: float) -> str:
    return f"{value:.0f}%"


def number(value: float) -> str:
    text = f"{value:,.1f}"
    return text[:-2] if text.endswith(".0") else text


def formatter(unit: Unit) -> Callable[[float], str]:
    return pct if unit == "pct" else number


def _date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


# Helpers shared by the families.

def _shown_groups(n_per_group: np.ndarray, groups: Groups) -> tuple[np.ndarray, str]:
    """Indices of the groups to draw (largest first chosen, shown in country order)."""
    count = len(groups.names)
    if count <= MAX_GROUPS:
        return np.arange(count), ""
    largest = np.argsort(-n_per_group, kind="stable")[:MAX_GROUPS]
    return np.sort(largest), (
        f" Showing the {MAX_GROUPS} of {count} groups ({groups.title}) with most assessed "
        "locations."
    )


def _by(groups: Groups) -> str:
    return f", by {groups.title.lower()}" if groups.names else ""


def _with_groups(overall: np.ndarray, per_group: np.ndarray, groups: Groups,
                 shown: np.ndarray | None = None) -> np.ndarray:
    """Columns: all locations, then each (shown) group; per_group is (groups, rows)."""
    if not groups.names:
        return overall[:, None]
    return np.column_stack([overall, (per_group if shown is None else per_group[shown]).T])


def _frame(matrix: np.ndarray, rows: tuple[str, ...] | list[str], index_name: str,
           columns: list[str]) -> pd.DataFrame:
    # Object-dtype labels: inferring pandas' string dtype costs more than the whole analysis.
    return pd.DataFrame(matrix, index=pd.Index(list(rows), name=index_name, dtype=object),
                        columns=pd.Index(columns, dtype=object), copy=False)


def _setup(question: Question, country: Country) -> tuple[np.random.Generator, Groups,
                                                          np.ndarray]:
    groups = groups_for(question, country)
    rng = falsedata.rng_for(question.id)
    return rng, groups, falsedata.group_sizes(rng, max(len(groups.names), 1))


def option_labels(question: Question) -> tuple[str, ...]:
    if question.options:
        return tuple(o.label for o in question.options)
    if question.type == "yes_no":
        return ("Yes", "No")
    # A redacted (confidential) choice question has lost its options: keep a generic shape.
    return ("Option A", "Option B", "Option C")


# Families.

def choice(question: Question, country: Country) -> Results:
    labels = option_labels(question)
    k = len(labels)
    rng, groups, sizes = _setup(question, country)
    n = int(sizes.sum())
    multiple = question.type == "select_multiple"
    draw = falsedata.multiple_choice if multiple else falsedata.single_choice
    counts = draw(rng, sizes, k).astype(float)
    overall = counts.sum(axis=0)
    share_all = overall / n * 100
    share_group = counts / sizes[:, None] * 100

    order = np.argsort(-share_all, kind="stable")
    top, second, least = order[0], order[1 if k > 1 else 0], order[-1]
    values = {
        "top_option": labels[top], "top_pct": pct(share_all[top]),
        "second_option": labels[second], "second_pct": pct(share_all[second]),
        "least_option": labels[least], "least_pct": pct(share_all[least]),
        "n_locations": str(n),
    }
    if groups.names:
        peak = int(np.argmax(share_group[:, top]))
        values["top_group"] = groups.names[peak]
        values["top_group_pct"] = pct(share_group[peak, top])

    counting = question.statistic == "count"
    unit: Unit = "count" if counting else "pct"
    all_values, group_values = (overall, counts) if counting else (share_all, share_group)
    table = _frame(_with_groups(all_values, group_values, groups).round(1), labels, "option",
                   [ALL, *groups.names])

    what = "Number" if counting else "%"
    if multiple:
        what += " of assessed locations selecting each option (several replies possible)"
    else:
        what += " of assessed locations by reply"
    count = f"; n = {n} locations."
    kind = question.mockup.chart
    if kind == "stacked-bar" and groups.names:
        shown, left_out = _shown_groups(sizes, groups)
        rows = (ALL, *(groups.names[i] for i in shown))
        if counting:
            matrix = np.vstack([overall, counts[shown]])
        elif multiple:
            # Locations pick several options, so % of locations overlap and cannot stack:
            # segments show each option's share of all replies given instead.
            matrix = np.vstack([overall, counts[shown]])
            matrix = matrix / matrix.sum(axis=1, keepdims=True) * 100
            what = "Share of all replies given (locations could select several options)"
        else:
            matrix = np.vstack([share_all, share_group[shown]])
        segments = list(labels)
        if k > MAX_SEGMENTS + 1:
            keep = np.sort(order[:MAX_SEGMENTS])
            rest = np.setdiff1d(np.arange(k), keep)
            matrix = np.column_stack([matrix[:, keep], matrix[:, rest].sum(axis=1)])
            segments = [labels[i] for i in keep] + [OTHER]
        return Results(values, ChartData("stacked-bar", groups.title, rows, tuple(segments),
                                         matrix, unit, what + _by(groups) + count + left_out),
                       table)
    bars, cut = np.arange(k), ""
    if k > MAX_BARS:
        bars = np.sort(order[:MAX_BARS])
        cut = f" The {k - MAX_BARS} options with the lowest values are not shown."
    rows = tuple(labels[i] for i in bars)
    if kind == "table":
        shown, left_out = _shown_groups(sizes, groups)
        matrix = _with_groups(all_values[bars], group_values[:, bars], groups, shown)
        columns = [ALL, *(groups.names[i] for i in shown)]
        return Results(values, ChartData("table", "Reply", rows, tuple(columns), matrix, unit,
                                         what + _by(groups) + count + left_out + cut), table)
    header = "Assessed locations" if counting else "% of assessed locations"
    return Results(values, ChartData("bar", "Reply", rows, (header,), all_values[bars, None],
                                     unit, what + count + cut), table)


def _group_stats(x: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Columns n, mean, median, min, max, total per group of consecutive values, no loop."""
    group = np.repeat(np.arange(sizes.size), sizes)
    ordered = x[np.lexsort((x, group))]
    start = np.cumsum(sizes) - sizes
    total = np.add.reduceat(x, start)
    median = (ordered[start + (sizes - 1) // 2] + ordered[start + sizes // 2]) / 2
    return np.column_stack([sizes, total / sizes, median, ordered[start],
                            ordered[start + sizes - 1], total])


def _nice_step(span: float, bins: int, integer: bool) -> float:
    raw = max(span / bins, 1.0 if integer else 0.1)
    magnitude = 10 ** np.floor(np.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return float(np.ceil(step)) if integer else float(step)


def numeric(question: Question, country: Country) -> Results:
    rng, groups, sizes = _setup(question, country)
    integer = question.type == "integer"
    x = falsedata.numbers(rng, sizes, integer)
    n = x.size
    per_group = _group_stats(x, sizes)
    overall = _group_stats(x, np.array([n]))[0] if groups.names else per_group[0]
    values = {
        "mean": number(overall[1]), "median": number(overall[2]), "min": number(overall[3]),
        "max": number(overall[4]), "total": number(overall[5]), "n_locations": str(n),
    }
    stat = question.statistic if question.statistic in STAT_TITLES else "mean"
    stats = np.vstack([overall, per_group]) if groups.names else overall[None, :]
    row_names = [ALL, *groups.names]
    table = _frame(stats.round(2), row_names, groups.title or "group",
                   ["n_locations", "mean", "median", "min", "max", "total"])
    shown, left_out = _shown_groups(per_group[:, 0], groups)
    rows = (ALL, *(groups.names[i] for i in shown)) if groups.names else (ALL,)
    picked = np.concatenate([[0], shown + 1]) if groups.names else np.array([0])
    kind = question.mockup.chart
    if kind == "table":
        return Results(values, ChartData(
            "table", groups.title or "Locations", rows,
            ("Locations", "Mean", "Median", "Min", "Max", "Total"), stats[picked], "number",
            f"Reported value per assessed location{_by(groups)}; n = {n} locations."
            + left_out), table)
    if groups.names:
        column = {"mean": 1, "median": 2, "sum": 5, "count": 0}[stat]
        return Results(values, ChartData(
            "bar", groups.title, rows, (STAT_TITLES[stat],), stats[picked][:, [column]],
            "number",
            f"{STAT_TITLES[stat]} of the reported value per assessed location{_by(groups)}; "
            f"n = {n} locations." + left_out), table)
    # No groups to compare: show the distribution instead, in round-numbered bins.
    step = _nice_step(overall[4] - overall[3], 6, integer)
    low = np.floor(overall[3] / step) * step
    index = ((x - low) // step).astype(np.int64)
    counts = np.bincount(index)
    edges = low + step * np.arange(counts.size + 1)
    if integer:
        bins = tuple(f"{number(a)}–{number(b - 1)}" for a, b in pairwise(edges))
    else:
        bins = tuple(f"{number(a)} to <{number(b)}" for a, b in pairwise(edges))
    return Results(values, ChartData(
        "bar", "Reported value", bins, ("Locations",), counts[:, None].astype(float), "count",
        f"Number of assessed locations by reported value; n = {n} locations."), table)


def text(question: Question, country: Country) -> Results:
    rng, groups, sizes = _setup(question, country)
    counts = falsedata.themes(rng, sizes).astype(float)
    n = int(sizes.sum())
    n_responses = int(counts.sum())
    values = {"n_locations": str(n), "n_responses": str(n_responses)}
    overall = counts.sum(axis=0)
    table = _frame(_with_groups(overall, counts, groups), THEMES, "theme", [ALL, *groups.names])
    shown, left_out = _shown_groups(sizes, groups)
    matrix = _with_groups(overall, counts, groups, shown)
    # Free text has no chart: its analysis is coding answers into themes, shown as counts.
    return Results(values, ChartData(
        "table", "Theme (false category)", THEMES,
        ("Responses", *(groups.names[i] for i in shown)) if groups.names else ("Responses",),
        matrix, "count",
        f"Number of free-text responses by theme{_by(groups)}; {n_responses} responses from "
        f"{n} locations. Real themes come from coding the answers after collection."
        + left_out), table)


def date(question: Question, country: Country) -> Results:
    rng, groups, sizes = _setup(question, country)
    n = int(sizes.sum())
    days = falsedata.dates(rng, n, country.round.start)
    group = np.repeat(np.arange(sizes.size), sizes)
    first_day, last_day = days.min(), days.max()
    values = {
        "earliest": _date(first_day.astype(dt.date)), "latest": _date(last_day.astype(dt.date)),
        "n_locations": str(n),
    }
    months = days.astype("datetime64[M]")
    first = first_day.astype("datetime64[M]")
    index = (months - first).astype(np.int64)
    m = int(index.max()) + 1
    counts = np.bincount(group * m + index, minlength=sizes.size * m).reshape(sizes.size, m)
    counts = counts.astype(float)
    month_names = []
    for i in range(m):
        month = (first + i).astype(dt.date)
        month_names.append(f"{MONTHS[month.month - 1][:3]} {month.year}")
    overall = counts.sum(axis=0)
    table = _frame(_with_groups(overall, counts, groups), month_names, "month",
                   [ALL, *groups.names])
    what = "Number of assessed locations by month of the reported date"
    count = f"; n = {n} locations."
    if question.mockup.chart == "table":
        shown, left_out = _shown_groups(sizes, groups)
        matrix = _with_groups(overall, counts, groups, shown)
        return Results(values, ChartData(
            "table", "Month", tuple(month_names), (ALL, *(groups.names[i] for i in shown)),
            matrix, "count", what + _by(groups) + count + left_out), table)
    return Results(values, ChartData("bar", "Month", tuple(month_names), ("Locations",),
                                     overall[:, None], "count", what + count), table)


def compute(question: Question, country: Country) -> Results:
    if question.type in ("select_one", "select_multiple", "yes_no"):
        return choice(question, country)
    if question.type in ("integer", "decimal"):
        return numeric(question, country)
    if question.type == "text":
        return text(question, country)
    return date(question, country)
