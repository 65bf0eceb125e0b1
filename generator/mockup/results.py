"""The descriptive analysis of a question's false answers: sentence values, charts, table.

The statistic follows the question type, as a Data Analysis Plan would:
  - select_one: % of units by reply (bars, or a stacked bar per group adding up to 100%);
  - select_multiple: % of units selecting each option (bars only: shares overlap);
  - yes_no: % yes (and no...) overall and by group;
  - numbers: median and range (mean or total where declared), with a histogram;
  - dates: units by month; free text: answers by (false) theme.
Everything a sentence can say is in the chart or in the tables under it: the sentence
values and the chart cells are formatted by the same functions from the same numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Literal

import numpy as np
import pandas as pd

from ..models import Country, Question
from .assessment import Answers, Dimension, FalseAssessment
from .palette import recolour, tones_for

Unit = Literal["pct", "count", "number", "text"]
ChartKind = Literal["bar", "stacked-bar", "table"]

# Beyond these a chart stops being readable and outgrows the 15 KB page budget.
MAX_GROUPS = 12
MAX_SEGMENTS = 5  # one per categorical colour (palette.py)
MAX_BARS = 12
MAX_MONTHS = 36  # dates spanning more are counted by year
OTHER = "Other options"
DISTRIBUTION = "Distribution"
THEMES = ("Theme A", "Theme B", "Theme C", "Theme D")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
UNIT_WORDS = {
    "location": ("location", "locations"), "site": ("site", "sites"),
    "key_informant": ("key informant", "key informants"),
    "household": ("household", "households"), "individual": ("person", "people"),
}


@dataclass(frozen=True)
class ChartData:
    kind: ChartKind
    row_header: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    values: np.ndarray  # shape (rows, columns), in `unit`
    unit: Unit
    note: str  # what the values are, n, and anything left out
    tones: tuple[str, ...] = ()  # colour class per column (stacked) or row (bars)
    texts: tuple[tuple[str, ...], ...] = ()  # preformatted cells (unit "text")
    caption: str = ""  # for tables under the chart: what they hold
    collapsed: bool = False  # shown on demand (<details>), e.g. the table of every option


@dataclass(frozen=True)
class Results:
    placeholders: dict[str, str]
    chart: ChartData
    table: pd.DataFrame
    extra: tuple[ChartData, ...] = field(default=())


# Formatting. Fixed formats, never locale: output must be byte-identical everywhere.

def pct(value: float) -> str:
    return f"{value:.0f}%"


def number(value: float) -> str:
    text = f"{value + 0.0:,.1f}"  # + 0.0: never "-0"
    if text == "-0.0":
        text = "0.0"
    return text[:-2] if text.endswith(".0") else text


def formatter(unit: Unit) -> Callable[[float], str]:
    return pct if unit == "pct" else number


def long_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


# Shared helpers.

@dataclass(frozen=True)
class Context:
    question: Question
    answers: Answers
    dim: Dimension | None
    single: str  # "location"
    plural: str  # "locations"
    level: str  # the unit of analysis: location, site, key_informant, household, individual

    @property
    def assessed(self) -> str:
        """How the units are named in notes: locations are assessed, people are not."""
        return f"assessed {self.plural}" if self.level in ("location", "site") else self.plural

    @property
    def assessed_one(self) -> str:
        return f"assessed {self.single}" if self.level in ("location", "site") else self.single

    @property
    def n(self) -> int:
        return self.answers.n

    @property
    def n_text(self) -> str:
        return f"n = {number(self.n)} {self.single if self.n == 1 else self.plural}"

    @property
    def by(self) -> str:
        return f", by {self.dim.title.lower()}" if self.dim else ""


def context(question: Question, country: Country, assessment: FalseAssessment) -> Context:
    unit = question.unit_of_analysis or country.msla.unit_of_analysis
    single, plural = UNIT_WORDS[unit]
    dims = assessment.level_of(question).dimensions
    dim = None
    for key in question.analysis.disaggregation:
        dim = dims.get(key)
        if dim is not None:
            break  # one chart shows one breakdown; the first the level has
    if dim is None and question.analysis.disaggregation:
        # None the level has (validation says so): the province keeps {top_group} filled.
        dim = dims["admin1"]
    return Context(question, assessment.answers(question), dim, single, plural, unit)


def shown_groups(ctx: Context) -> tuple[np.ndarray, np.ndarray, str]:
    """Indices of the groups to draw (the largest, in country order), sizes, note."""
    assert ctx.dim is not None
    sizes = np.bincount(ctx.dim.index[ctx.answers.asked], minlength=len(ctx.dim.names))
    count = len(ctx.dim.names)
    if count <= MAX_GROUPS:
        return np.arange(count), sizes, ""
    largest = np.sort(np.argsort(-sizes, kind="stable")[:MAX_GROUPS])
    return largest, sizes, (f" Showing the {MAX_GROUPS} of {count} groups "
                            f"({ctx.dim.title.lower()}) with most {ctx.assessed}.")


def frame(matrix: np.ndarray, rows: tuple[str, ...] | list[str], index_name: str,
          columns: list[str]) -> pd.DataFrame:
    # Object-dtype labels: inferring pandas' string dtype costs more than the whole analysis.
    return pd.DataFrame(matrix, index=pd.Index(list(rows), name=index_name, dtype=object),
                        columns=pd.Index(columns, dtype=object), copy=False)


def _share(counts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    return counts / np.maximum(sizes, 1)[:, None] * 100


def _all(ctx: Context) -> str:
    return f"All {ctx.plural}"


# Choices.

def _choice_counts(ctx: Context) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(overall counts (k,), per-group counts (G, k), group sizes (G,))."""
    a = ctx.answers
    assert a.spec is not None
    k = len(a.spec.labels)
    asked = a.asked
    g = ctx.dim.index[asked] if ctx.dim else np.zeros(int(asked.sum()), dtype=np.int64)
    n_groups = len(ctx.dim.names) if ctx.dim else 1
    if a.chosen is not None:
        chosen = a.chosen[asked].astype(np.int64)
        per_group = np.zeros((n_groups, k))
        np.add.at(per_group, g, chosen)
    else:
        c = a.choice[asked]  # type: ignore[index]
        per_group = np.bincount(g * k + c, minlength=n_groups * k).reshape(n_groups, k)
    sizes = np.bincount(g, minlength=n_groups)
    return per_group.sum(axis=0).astype(float), per_group.astype(float), sizes


def _top_rows(share: np.ndarray, k: int, keep: int) -> tuple[list[int], list[int]]:
    """Options drawn (in list order) and the rest, folded into "Other options (k)"."""
    if k <= keep:
        return list(range(k)), []
    top = sorted(np.argsort(-share, kind="stable")[: keep - 1].tolist())
    return top, [i for i in range(k) if i not in top]


def choice(ctx: Context) -> Results:
    a = ctx.answers
    spec = a.spec
    assert spec is not None
    labels, k, n = spec.labels, len(spec.labels), ctx.n
    multiple = a.chosen is not None
    overall, per_group, sizes = _choice_counts(ctx)
    share_all = overall / max(n, 1) * 100
    order = np.argsort(-share_all, kind="stable")
    top, second, least = order[0], order[1 if k > 1 else 0], order[-1]
    values = {
        "top_option": labels[top], "top_pct": pct(share_all[top]),
        "second_option": labels[second], "second_pct": pct(share_all[second]),
        "least_option": labels[least], "least_pct": pct(share_all[least]),
        "n_locations": number(n), "units": ctx.plural,
    }
    yes = [i for i, c in enumerate(spec.codes) if c == "yes"]
    if ctx.question.type == "yes_no":
        values["yes_pct"] = pct(share_all[yes[0]]) if yes else values["top_pct"]
    counting = ctx.question.statistic == "count"
    unit: Unit = "count" if counting else "pct"
    fmt_all = overall if counting else share_all
    what = "Number" if counting else "%"
    what += (f" of {ctx.assessed} selecting each option (several replies possible, so "
             "the bars do not add up to 100%)" if multiple else
             f" of {ctx.assessed} by reply")
    tones = tones_for(spec)
    extra: list[ChartData] = []
    group_cols: list[str] = []
    shown = np.array([], dtype=np.int64)
    left_out = ""
    group_matrix = np.zeros((k, 0))
    if ctx.dim is not None:
        shown, _, left_out = shown_groups(ctx)
        share_group = _share(per_group, sizes)
        peak = shown[int(np.argmax(share_group[shown, top]))]
        values["top_group"] = ctx.dim.names[peak]
        values["top_group_pct"] = pct(share_group[peak, top])
        group_cols = [ctx.dim.names[i] for i in shown]
        group_matrix = (per_group if counting else share_group)[shown].T
    # The table keeps every group; the charts show the largest MAX_GROUPS.
    every = (per_group if counting else _share(per_group, sizes)).T if ctx.dim else group_matrix
    table = frame(np.column_stack([fmt_all, every]).round(1), labels, "option",
                  [_all(ctx), *(ctx.dim.names if ctx.dim else ())])
    note_n = f"; {ctx.n_text}."
    kind = ctx.question.mockup.chart
    full_needed = ctx.dim is not None or k > MAX_BARS
    if counting:
        # Counts are drawn; the sentence's percentages are in this table.
        pct_groups = _share(per_group, sizes)[shown].T if ctx.dim else group_matrix
        extra.append(_full(ctx, labels, share_all, group_cols, pct_groups, "pct", left_out))
    if kind == "table" and ctx.dim is not None:
        main = ChartData("table", "Reply", labels, (_all(ctx), *group_cols),
                         np.column_stack([fmt_all, group_matrix]), unit,
                         what + ctx.by + note_n + left_out)
        return Results(values, main, table, tuple(extra))
    stack = ctx.dim is not None and not multiple and (
        kind == "stacked-bar" or ctx.question.type == "yes_no")
    if stack:
        assert ctx.dim is not None
        rows = (_all(ctx), *group_cols)
        matrix = np.vstack([fmt_all, (per_group if counting else _share(per_group, sizes))
                            [shown]])
        coloured = sum(1 for t in tones if t != "g")  # greys need no colour of their own
        drawn, rest = (list(range(k)), []) if coloured <= MAX_SEGMENTS else _top_rows(
            share_all, k, MAX_SEGMENTS)
        segments = [labels[i] for i in drawn]
        seg_tones = [tones[i] for i in drawn]
        if rest:
            matrix = np.column_stack([matrix[:, drawn], matrix[:, rest].sum(axis=1)])
            segments.append(f"{OTHER} ({len(rest)})")
            seg_tones.append("g")
        main = ChartData("stacked-bar", ctx.dim.title, rows, tuple(segments), matrix, unit,
                         what + ctx.by + note_n + left_out, tones=recolour(seg_tones))
        if rest and not counting:
            extra.append(_full(ctx, labels, fmt_all, group_cols, group_matrix, unit))
        return Results(values, main, table, tuple(extra))
    drawn, rest = _top_rows(share_all, k, MAX_BARS)
    rows = [labels[i] for i in drawn]
    bar_values = list(fmt_all[drawn])
    bar_tones = [tones[i] for i in drawn]
    if rest:
        rows.append(f"{OTHER} ({len(rest)})")
        if multiple:
            # % of units selecting any of the options folded together, not a sum.
            any_rest = a.chosen[a.asked][:, rest].any(axis=1).sum()  # type: ignore[index]
            bar_values.append(any_rest if counting else any_rest / max(n, 1) * 100)
        else:
            bar_values.append(float(fmt_all[rest].sum()))
        bar_tones.append("g")
    header = ctx.assessed.capitalize() if counting else f"% of {ctx.assessed}"
    cut = (f" {OTHER} ({len(rest)}): the {len(rest)} least reported options together; "
           "every option is in the table below." if rest else "")
    if multiple and kind == "stacked-bar":
        cut += " Drawn as bars, not stacked: units select several options."
    main = ChartData("bar", "Reply", tuple(rows), (header,), np.array(bar_values)[:, None],
                     unit, what + note_n + cut, tones=tuple(bar_tones))
    if full_needed and not counting:
        extra.append(_full(ctx, labels, fmt_all, group_cols, group_matrix, unit, left_out))
    return Results(values, main, table, tuple(extra))


def _full(ctx: Context, labels: tuple[str, ...], overall: np.ndarray, group_cols: list[str],
          group_matrix: np.ndarray, unit: Unit, left_out: str = "") -> ChartData:
    what = "Number" if unit == "count" else "%"
    caption = (f"All {len(labels)} options" if unit == "count" or len(labels) > MAX_BARS
               else f"% of {ctx.assessed}")
    caption += f" by {ctx.dim.title.lower()}" if ctx.dim else ""
    return ChartData("table", "Reply", labels, (_all(ctx), *group_cols),
                     np.column_stack([overall, group_matrix]), unit,
                     f"{what} of {ctx.assessed}{ctx.by}; {ctx.n_text}.{left_out}",
                     caption=caption, collapsed=True)


# Numbers.

STATS = {
    "median": ("Median", "Minimum", "Maximum", "Mean", "Total"),
    "mean": ("Mean", "Median", "Minimum", "Maximum", "Total"),
    "sum": ("Total", "Median", "Minimum", "Maximum", "Mean"),
}


def _stats(x: np.ndarray) -> dict[str, float]:
    if x.size == 0:
        return dict.fromkeys(("Median", "Minimum", "Maximum", "Mean", "Total"), 0.0)
    return {"Median": float(np.median(x)), "Minimum": float(x.min()), "Maximum": float(x.max()),
            "Mean": float(x.mean()), "Total": float(x.sum())}


def _nice_step(span: float, bins: int, integer: bool) -> float:
    raw = max(span / bins, 1.0 if integer else 0.1)
    magnitude = 10 ** np.floor(np.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return float(np.ceil(step)) if integer else float(step)


def _histogram(x: np.ndarray, integer: bool) -> tuple[tuple[str, ...], np.ndarray]:
    if x.size == 0:
        return ("No answers",), np.zeros(1)
    low_v, high_v = float(x.min()), float(x.max())
    if integer and high_v - low_v <= 10:
        values = np.arange(low_v, high_v + 1)
        counts = np.bincount((x - low_v).astype(np.int64), minlength=values.size)
        return tuple(number(v) for v in values), counts.astype(float)
    step = _nice_step(high_v - low_v, 8, integer)
    low = np.floor(low_v / step) * step
    # The small epsilon and the clip guard against float error at bin edges (425.3 / 0.1).
    index = np.clip(np.floor((x - low) / step + 1e-9), 0, None).astype(np.int64)
    counts = np.bincount(index).astype(float)
    edges = low + step * np.arange(counts.size + 1)
    if integer:
        bins = tuple(f"{number(a)}–{number(b - 1)}" for a, b in pairwise(edges))
    else:
        bins = tuple(f"{number(a)} to <{number(b)}" for a, b in pairwise(edges))
    return bins, counts


def numeric(ctx: Context) -> Results:
    a = ctx.answers
    x = a.value[a.asked]  # type: ignore[index]
    # Reserved answers (-999 = don't know) are counted, never averaged.
    special_notes = []
    keep = np.ones(x.size, dtype=bool)
    for code in ctx.question.special_codes:
        hit = x == code.code
        keep &= ~hit
        if hit.any():
            special_notes.append(f"{number(int(hit.sum()))} answered {code.label} ({code.code})")
    special = (" Not counted in the statistics: " + "; ".join(special_notes) + "."
               if special_notes else "")
    in_stats = keep
    x = x[keep]
    integer = ctx.question.type == "integer"
    overall = _stats(x)
    values = {
        "mean": number(float(np.round(overall["Mean"], 1))), "median": number(overall["Median"]),
        "min": number(overall["Minimum"]), "max": number(overall["Maximum"]),
        "total": number(overall["Total"]), "n_locations": number(int(x.size)),
        "units": ctx.plural,
        "unit": ctx.question.unit or "",
    }
    stat = ctx.question.statistic if ctx.question.statistic in STATS else "median"
    names = STATS[stat]
    unit_txt = f" ({ctx.question.unit})" if ctx.question.unit else ""
    columns = [_all(ctx)]
    matrix = [[overall[s] for s in names] + [int(x.size)]]
    left_out = ""
    every = list(matrix)
    if ctx.dim is not None:
        shown, _, left_out = shown_groups(ctx)
        g = ctx.dim.index[a.asked][in_stats]
        for i in range(len(ctx.dim.names)):
            st = _stats(x[g == i])
            every.append([st[s] for s in names] + [int((g == i).sum())])
        for i in shown:
            columns.append(ctx.dim.names[i])
            matrix.append(every[i + 1])
    stat_rows = (*names, f"{ctx.assessed.capitalize()} (n)")
    values_matrix = np.array(matrix, dtype=float).T
    # The mean is shown to one decimal everywhere, as in the sentence.
    mean_row = stat_rows.index("Mean")
    values_matrix[mean_row] = np.round(values_matrix[mean_row], 1)
    n_text = f"n = {number(x.size)} {ctx.single if x.size == 1 else ctx.plural}"
    summary = ChartData("table", "Statistic", stat_rows, tuple(columns), values_matrix,
                        "number", f"Reported value{unit_txt} per {ctx.assessed_one}{ctx.by};"
                        f" {n_text}.{special}{left_out}", caption="Summary")
    table = frame(np.array(every, dtype=float).T.round(2), list(stat_rows), "statistic",
                  [_all(ctx), *(ctx.dim.names if ctx.dim else ())])
    bins, counts = _histogram(x, integer)
    header = ctx.question.unit.capitalize() if ctx.question.unit else "Reported value"
    hist = ChartData("bar", header, bins, (ctx.assessed.capitalize(),), counts[:, None], "count",
                     f"Number of {ctx.assessed} by reported value{unit_txt}; "
                     f"{n_text}.{special}")
    if ctx.question.mockup.chart == "table" or ctx.dim is not None:
        # By group, the summary table is the comparison; the distribution comes second.
        return Results(values, summary, table, (replace(hist, caption=DISTRIBUTION),))
    return Results(values, hist, table, (summary,))


# Free text and dates.

def text(ctx: Context) -> Results:
    a = ctx.answers
    theme = a.theme[a.asked]  # type: ignore[index]
    answered = theme >= 0
    counts = np.bincount(theme[answered], minlength=len(THEMES)).astype(float)
    n_responses = int(answered.sum())
    values = {"n_locations": number(ctx.n), "n_responses": number(n_responses),
              "units": ctx.plural}
    columns = ["Responses"]
    matrix = [counts]
    left_out = ""
    if ctx.dim is not None:
        shown, _, left_out = shown_groups(ctx)
        g = ctx.dim.index[a.asked][answered]
        for i in shown:
            columns.append(ctx.dim.names[i])
            matrix.append(np.bincount(theme[answered][g == i], minlength=len(THEMES)))
    m = np.column_stack(matrix).astype(float)
    m = np.vstack([m, m.sum(axis=0)])
    rows = (*THEMES, "All responses")
    table = frame(m, rows, "theme", columns)
    # Free text has no chart: its analysis is coding answers into themes, shown as counts.
    return Results(values, ChartData(
        "table", "Theme (false category)", rows, tuple(columns), m, "count",
        f"Number of free-text responses by theme{ctx.by}; {number(n_responses)} responses, "
        f"{ctx.n_text} asked. Real themes come from coding the answers after collection."
        + left_out), table)


def date(ctx: Context) -> Results:
    a = ctx.answers
    days = a.day[a.asked]  # type: ignore[index]
    first_day = days.min() if days.size else np.datetime64("2000-01-01", "D")
    last_day = days.max() if days.size else first_day
    earliest = long_date(first_day.astype(dt.date))
    latest = long_date(last_day.astype(dt.date))
    values = {"earliest": earliest, "latest": latest, "n_locations": number(ctx.n),
              "units": ctx.plural}
    months = days.astype("datetime64[M]")
    first = first_day.astype("datetime64[M]")
    index = (months - first).astype(np.int64)
    m = int(index.max()) + 1 if index.size else 1
    step = "month"
    if m > MAX_MONTHS:
        # Years of dates: a bar per month would be unreadable and over the page budget.
        step = "year"
        years = days.astype("datetime64[Y]")
        first = first_day.astype("datetime64[Y]")
        index = (years - first).astype(np.int64)
        m = int(index.max()) + 1
        month_names = tuple(str((first + i).astype(dt.date).year) for i in range(m))
    else:
        month_names = tuple(
            f"{MONTHS[(first + i).astype(dt.date).month - 1][:3]} "
            f"{(first + i).astype(dt.date).year}" for i in range(m))
    counts = np.bincount(index, minlength=m).astype(float)
    table = frame(counts[:, None], month_names, step, [_all(ctx)])
    summary = ChartData("table", "Statistic", ("Earliest", "Latest", ctx.assessed.capitalize()),
                        (_all(ctx),), np.zeros((3, 1)), "text",
                        f"Reported dates; {ctx.n_text}.", texts=((earliest,), (latest,),
                                                                   (number(ctx.n),)),
                        caption="Summary")
    what = f"Number of {ctx.assessed} by {step} of the reported date; {ctx.n_text}."
    extra = [summary]
    if ctx.question.mockup.chart == "table" and ctx.dim is not None:
        shown, _, left_out = shown_groups(ctx)
        g = ctx.dim.index[a.asked]
        cols = [counts]
        for i in shown:
            cols.append(np.bincount(index[g == i], minlength=m).astype(float))
        main = ChartData("table", step.capitalize(), month_names,
                         (_all(ctx), *(ctx.dim.names[i] for i in shown)), np.column_stack(cols),
                         "count", what[:-1].replace(";", ctx.by + ";") + "." + left_out)
        return Results(values, main, table, tuple(extra))
    main = ChartData("bar", step.capitalize(), month_names, (ctx.assessed.capitalize(),),
                     counts[:, None],
                     "count", what)
    return Results(values, main, table, tuple(extra))


def compute(question: Question, country: Country,
            assessment: FalseAssessment | None = None) -> Results:
    if assessment is None:
        assessment = FalseAssessment(country, {question.id: question})
    ctx = context(question, country, assessment)
    if question.type in ("select_one", "select_multiple", "yes_no"):
        return choice(ctx)
    if question.type in ("integer", "decimal"):
        return numeric(ctx)
    if question.type == "text":
        return text(ctx)
    return date(ctx)
