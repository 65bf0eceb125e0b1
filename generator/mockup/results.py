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

from ..i18n.catalog import N_
from ..models import Country, Question
from .assessment import Answers, Dimension, FalseAssessment
from .palette import recolour, tones_for

Unit = Literal["pct", "count", "number", "text"]
ChartKind = Literal["bar", "stacked-bar", "table"]

# Beyond these a chart stops being readable and outgrows the 15 KB page budget.
MAX_GROUPS = 12
MAX_SEGMENTS = 5  # one per categorical colour (palette.py)
MAX_BARS = 12
# Dates spanning up to MAX_MONTHS months are counted by month, up to MAX_QUARTERS quarters by
# quarter, beyond by year: a bar per month of two years was unreadable, and the page no
# longer printed on one A4 sheet.
MAX_MONTHS = 18
MAX_QUARTERS = 20
THEMES = ("A", "B", "C", "D")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
STAT_WORDS = {"Median": N_("Median"), "Minimum": N_("Minimum"), "Maximum": N_("Maximum"),
              "Mean": N_("Mean"), "Total": N_("Total")}
# Per unit of analysis, whole phrases: in French "toutes les localités" but "tous les sites".
ALL_UNITS = {"location": N_("All locations"), "site": N_("All sites"),
             "key_informant": N_("All key informants"), "household": N_("All households"),
             "individual": N_("All people")}
ASSESSED = {"location": N_("assessed locations"), "site": N_("assessed sites"),
            "key_informant": N_("interviewed key informants"),
            "household": N_("assessed households"), "individual": N_("assessed people")}
PER_ASSESSED = {"location": N_("per assessed location"), "site": N_("per assessed site"),
                "key_informant": N_("per key informant"),
                "household": N_("per assessed household"),
                "individual": N_("per assessed person")}


def unit_noun(unit: str, n: int, ngettext: Callable[[str, str, int], str]) -> str:
    """'location' or 'locations' (the language's plural forms for n)."""
    if unit == "site":
        return ngettext("site", "sites", n)
    if unit == "key_informant":
        return ngettext("key informant", "key informants", n)
    if unit == "household":
        return ngettext("household", "households", n)
    if unit == "individual":
        return ngettext("person", "people", n)
    return ngettext("location", "locations", n)


def _english_plural(single: str, plural: str, n: int) -> str:
    return single if n == 1 else plural


@dataclass(frozen=True)
class Words:
    """The chart's words and number format in the page's language. The default is the
    source language as the mock-up always wrote it (byte-identical pages); pages.py gives
    other languages their gettext catalogue, number format and group names."""

    gettext: Callable[[str], str] = str
    ngettext: Callable[[str, str, int], str] = _english_plural
    # A value in the fixed format below ("79%", "1,240") the language's way ("79 %").
    localize: Callable[[str], str] = str
    month: Callable[[dt.date], str] = lambda d: f"{MONTHS[d.month - 1][:3]} {d.year}"
    quarter: Callable[[dt.date], str] = lambda d: f"Q{(d.month - 1) // 3 + 1} {d.year}"
    # Disaggregation key -> (title, group names) in the language, from the localized country.
    dimensions: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)

    def pct(self, value: float) -> str:
        return self.localize(pct(value))

    def number(self, value: float) -> str:
        return self.localize(number(value))

    def formatter(self, unit: Unit) -> Callable[[float], str]:
        return self.pct if unit == "pct" else self.number


ENGLISH = Words()


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
    distribution: bool = False  # a number's histogram under its summary (left off paper)


@dataclass(frozen=True)
class Results:
    placeholders: dict[str, str]
    chart: ChartData
    table: pd.DataFrame
    extra: tuple[ChartData, ...] = field(default=())
    words: Words = ENGLISH


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
    unit: str  # the unit of analysis: "location"
    words: Words = ENGLISH

    @property
    def n(self) -> int:
        return self.answers.n

    def _(self, message: str) -> str:
        return self.words.gettext(message)

    @property
    def plural(self) -> str:  # "locations"
        return unit_noun(self.unit, 2, self.words.ngettext)

    @property
    def assessed(self) -> str:  # "assessed locations"
        return self._(ASSESSED[self.unit])

    @property
    def assessed_title(self) -> str:  # "Assessed locations" (a column header)
        text = self.assessed
        return text[:1].upper() + text[1:]

    def count_text(self, n: int) -> str:
        return self._("n = {n} {units}").format(
            n=self.words.number(n), units=unit_noun(self.unit, n, self.words.ngettext))

    @property
    def n_text(self) -> str:
        return self.count_text(self.n)

    def then_n(self, n_text: str) -> str:
        """'; n = 300 locations.' closing a note, with the language's punctuation."""
        return self._("; {n}.").format(n=n_text)

    @property
    def group(self) -> str:  # "province"
        assert self.dim is not None
        return self.dim.title.lower()

    @property
    def by(self) -> str:
        return self._(", by {group}").format(group=self.group) if self.dim else ""


def context(question: Question, country: Country, assessment: FalseAssessment,
            words: Words = ENGLISH) -> Context:
    unit = question.unit_of_analysis or country.msla.unit_of_analysis
    dims = assessment.level_of(question).dimensions
    dim = None
    for key in question.analysis.disaggregation:
        dim = dims.get(key)
        if dim is not None:
            break  # one chart shows one breakdown; the first the level has
    if dim is None and question.analysis.disaggregation:
        # None the level has (validation says so): the province keeps {top_group} filled.
        dim = dims["admin1"]
    if dim is not None and dim.key in words.dimensions:
        title, names = words.dimensions[dim.key]
        if len(names) == len(dim.names):  # the same groups, named in the page's language
            dim = replace(dim, title=title, names=names)
    return Context(question, assessment.answers(question), dim, unit, words)


def shown_groups(ctx: Context) -> tuple[np.ndarray, np.ndarray, str]:
    """Indices of the groups to draw (the largest, in country order), sizes, note."""
    assert ctx.dim is not None
    sizes = np.bincount(ctx.dim.index[ctx.answers.asked], minlength=len(ctx.dim.names))
    count = len(ctx.dim.names)
    if count <= MAX_GROUPS:
        return np.arange(count), sizes, ""
    largest = np.sort(np.argsort(-sizes, kind="stable")[:MAX_GROUPS])
    return largest, sizes, " " + ctx._(
        "Showing the {shown} of {count} groups ({group}) with most {assessed}.").format(
        shown=ctx.words.number(MAX_GROUPS), count=ctx.words.number(count), group=ctx.group,
        assessed=ctx.assessed)


def frame(matrix: np.ndarray, rows: tuple[str, ...] | list[str], index_name: str,
          columns: list[str]) -> pd.DataFrame:
    # Object-dtype labels: inferring pandas' string dtype costs more than the whole analysis.
    return pd.DataFrame(matrix, index=pd.Index(list(rows), name=index_name, dtype=object),
                        columns=pd.Index(columns, dtype=object), copy=False)


def _share(counts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    return counts / np.maximum(sizes, 1)[:, None] * 100


def _all(ctx: Context) -> str:
    return ctx._(ALL_UNITS[ctx.unit])


def _other(ctx: Context, k: int) -> str:
    return ctx._("Other options ({k})").format(k=ctx.words.number(k))


def _share_of(ctx: Context, counting: bool) -> str:
    """'% of assessed locations' or 'Number of assessed locations'."""
    return (ctx._("Number of {assessed}") if counting else ctx._("% of {assessed}")).format(
        assessed=ctx.assessed)


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
    # The options in the page's language, by code (the answers come from the source record;
    # a shared list's options are on the question once loaded); a yes/no question without
    # options of its own: the generator's Yes and No.
    named = {o.code: o.label for o in ctx.question.options}
    labels = tuple(ctx._(label) if label in ("Yes", "No") and code == label.lower()
                   else named.get(code, label)
                   for code, label in zip(spec.codes, spec.labels, strict=True))
    k, n = len(labels), ctx.n
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
    if multiple:
        what = (ctx._("Number of {assessed} selecting each option (several replies possible, "
                      "so the bars do not add up to 100%)") if counting else
                ctx._("% of {assessed} selecting each option (several replies possible, so "
                      "the bars do not add up to 100%)")).format(assessed=ctx.assessed)
    else:
        what = (ctx._("Number of {assessed} by reply") if counting else
                ctx._("% of {assessed} by reply")).format(assessed=ctx.assessed)
    reply = ctx._("Reply")
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
    note_n = ctx.then_n(ctx.n_text)
    kind = ctx.question.mockup.chart
    full_needed = ctx.dim is not None or k > MAX_BARS
    if counting:
        # Counts are drawn; the sentence's percentages are in this table.
        pct_groups = _share(per_group, sizes)[shown].T if ctx.dim else group_matrix
        extra.append(_full(ctx, labels, share_all, group_cols, pct_groups, "pct", left_out))
    if kind == "table" and ctx.dim is not None:
        main = ChartData("table", reply, labels, (_all(ctx), *group_cols),
                         np.column_stack([fmt_all, group_matrix]), unit,
                         what + ctx.by + note_n + left_out)
        return Results(values, main, table, tuple(extra), ctx.words)
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
            segments.append(_other(ctx, len(rest)))
            seg_tones.append("g")
        main = ChartData("stacked-bar", ctx.dim.title, rows, tuple(segments), matrix, unit,
                         what + ctx.by + note_n + left_out, tones=recolour(seg_tones))
        if rest and not counting:
            extra.append(_full(ctx, labels, fmt_all, group_cols, group_matrix, unit))
        return Results(values, main, table, tuple(extra), ctx.words)
    drawn, rest = _top_rows(share_all, k, MAX_BARS)
    rows = [labels[i] for i in drawn]
    bar_values = list(fmt_all[drawn])
    bar_tones = [tones[i] for i in drawn]
    if rest:
        rows.append(_other(ctx, len(rest)))
        if multiple:
            # % of units selecting any of the options folded together, not a sum.
            any_rest = a.chosen[a.asked][:, rest].any(axis=1).sum()  # type: ignore[index]
            bar_values.append(any_rest if counting else any_rest / max(n, 1) * 100)
        else:
            bar_values.append(float(fmt_all[rest].sum()))
        bar_tones.append("g")
    header = ctx.assessed_title if counting else _share_of(ctx, False)
    cut = (" " + ctx._("{other}: the {k} least reported options together; every option is "
                       "in the table below.").format(other=_other(ctx, len(rest)),
                                                     k=ctx.words.number(len(rest)))
           if rest else "")
    if multiple and kind == "stacked-bar":
        cut += " " + ctx._("Drawn as bars, not stacked: units select several options.")
    main = ChartData("bar", reply, tuple(rows), (header,), np.array(bar_values)[:, None],
                     unit, what + note_n + cut, tones=tuple(bar_tones))
    if full_needed and not counting:
        extra.append(_full(ctx, labels, fmt_all, group_cols, group_matrix, unit, left_out))
    return Results(values, main, table, tuple(extra), ctx.words)


def _full(ctx: Context, labels: tuple[str, ...], overall: np.ndarray, group_cols: list[str],
          group_matrix: np.ndarray, unit: Unit, left_out: str = "") -> ChartData:
    caption = (ctx._("All {k} options").format(k=ctx.words.number(len(labels)))
               if unit == "count" or len(labels) > MAX_BARS else _share_of(ctx, False))
    if ctx.dim:
        caption = ctx._("{what} by {group}").format(what=caption, group=ctx.group)
    return ChartData("table", ctx._("Reply"), labels, (_all(ctx), *group_cols),
                     np.column_stack([overall, group_matrix]), unit,
                     f"{_share_of(ctx, unit == 'count')}{ctx.by}{ctx.then_n(ctx.n_text)}"
                     f"{left_out}",
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


def _histogram(x: np.ndarray, integer: bool,
               words: Words = ENGLISH) -> tuple[tuple[str, ...], np.ndarray]:
    number = words.number
    if x.size == 0:
        return (words.gettext("No answers"),), np.zeros(1)
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
        bins = tuple(words.gettext("{low} to <{high}").format(low=number(a), high=number(b))
                     for a, b in pairwise(edges))
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
            special_notes.append(ctx._("{n} answered {label} ({code})").format(
                n=ctx.words.number(int(hit.sum())), label=code.label,
                code=ctx.words.number(code.code)))
    special = (" " + ctx._("Not counted in the statistics: {answers}.").format(
        answers="; ".join(special_notes)) if special_notes else "")
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
    stat_rows = (*(ctx._(STAT_WORDS[s]) for s in names), f"{ctx.assessed_title} (n)")
    values_matrix = np.array(matrix, dtype=float).T
    # The mean is shown to one decimal everywhere, as in the sentence.
    mean_row = names.index("Mean")
    values_matrix[mean_row] = np.round(values_matrix[mean_row], 1)
    n_text = ctx.count_text(int(x.size))
    reported = ctx._("Reported value{unit} {per_assessed}").format(
        unit=unit_txt, per_assessed=ctx._(PER_ASSESSED[ctx.unit]))
    summary = ChartData("table", ctx._("Statistic"), stat_rows, tuple(columns), values_matrix,
                        "number", f"{reported}{ctx.by}{ctx.then_n(n_text)}{special}{left_out}",
                        caption=ctx._("Summary"))
    table = frame(np.array(every, dtype=float).T.round(2), list(stat_rows), "statistic",
                  [_all(ctx), *(ctx.dim.names if ctx.dim else ())])
    bins, counts = _histogram(x, integer, ctx.words)
    header = (ctx.question.unit[:1].upper() + ctx.question.unit[1:] if ctx.question.unit
              else ctx._("Reported value"))
    hist = ChartData("bar", header, bins, (ctx.assessed_title,), counts[:, None], "count",
                     ctx._("Number of {assessed} by reported value{unit}").format(
                         assessed=ctx.assessed, unit=unit_txt) + ctx.then_n(n_text) + special)
    if ctx.question.mockup.chart == "table" or ctx.dim is not None:
        # By group, the summary table is the comparison; the distribution comes second.
        return Results(values, summary, table, (replace(
            hist, caption=ctx._("Distribution"), distribution=True),), ctx.words)
    return Results(values, hist, table, (summary,), ctx.words)


# Free text and dates.

def text(ctx: Context) -> Results:
    a = ctx.answers
    theme = a.theme[a.asked]  # type: ignore[index]
    answered = theme >= 0
    counts = np.bincount(theme[answered], minlength=len(THEMES)).astype(float)
    n_responses = int(answered.sum())
    values = {"n_locations": number(ctx.n), "n_responses": number(n_responses),
              "units": ctx.plural}
    columns = [ctx._("Responses")]
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
    rows = (*(ctx._("Theme {letter}").format(letter=t) for t in THEMES),
            ctx._("All responses"))
    table = frame(m, rows, "theme", columns)
    # Free text has no chart: its analysis is coding answers into themes, shown as counts.
    return Results(values, ChartData(
        "table", ctx._("Theme (false category)"), rows, tuple(columns), m, "count",
        ctx._("Number of free-text responses by theme{by}; {n} responses from {n_units} {units} "
              "asked. Real themes come from coding the answers after collection.").format(
            by=ctx.by, n=ctx.words.number(n_responses), n_units=ctx.words.number(ctx.n),
            units=unit_noun(ctx.unit, ctx.n, ctx.words.ngettext)) + left_out), table,
        words=ctx.words)


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
    step_by = "month"
    if m > MAX_MONTHS:
        quarters = (days.astype("datetime64[M]").astype(np.int64) // 3
                    - first.astype(np.int64) // 3)
        if int(quarters.max()) + 1 <= MAX_QUARTERS:
            step_by = "quarter"
            start = first.astype(np.int64) // 3 * 3  # months since 1970 of the first quarter
            index = quarters
            m = int(index.max()) + 1
            month_names = tuple(
                ctx.words.quarter(np.datetime64(int(start + 3 * i), "M").astype(dt.date))
                for i in range(m))
        else:
            # Years of dates: a bar per month would be unreadable and over the page budget.
            step_by = "year"
            first = first_day.astype("datetime64[Y]")
            index = (days.astype("datetime64[Y]") - first).astype(np.int64)
            m = int(index.max()) + 1
            month_names = tuple(ctx.words.localize(str((first + i).astype(dt.date).year))
                                for i in range(m))
    else:
        month_names = tuple(ctx.words.month((first + i).astype(dt.date)) for i in range(m))
    counts = np.bincount(index, minlength=m).astype(float)
    table = frame(counts[:, None], month_names, step_by, [_all(ctx)])
    step = {"month": ctx._("Month"), "quarter": ctx._("Quarter"), "year": ctx._("Year")}[step_by]
    summary = ChartData("table", ctx._("Statistic"),
                        (ctx._("Earliest"), ctx._("Latest"), ctx.assessed_title),
                        (_all(ctx),), np.zeros((3, 1)), "text",
                        ctx._("Reported dates") + ctx.then_n(ctx.n_text),
                        texts=((ctx.words.localize(earliest),), (ctx.words.localize(latest),),
                               (ctx.words.number(ctx.n),)),
                        caption=ctx._("Summary"))

    def what(by: str) -> str:
        message = {
            "month": N_("Number of {assessed} by month of the reported date{by}"),
            "quarter": N_("Number of {assessed} by quarter of the reported date{by}"),
            "year": N_("Number of {assessed} by year of the reported date{by}"),
        }[step_by]
        return ctx._(message).format(assessed=ctx.assessed, by=by) + ctx.then_n(ctx.n_text)

    extra = [summary]
    if ctx.question.mockup.chart == "table" and ctx.dim is not None:
        shown, _, left_out = shown_groups(ctx)
        g = ctx.dim.index[a.asked]
        cols = [counts]
        for i in shown:
            cols.append(np.bincount(index[g == i], minlength=m).astype(float))
        main = ChartData("table", step, month_names,
                         (_all(ctx), *(ctx.dim.names[i] for i in shown)), np.column_stack(cols),
                         "count", what(ctx.by) + left_out)
        return Results(values, main, table, tuple(extra), ctx.words)
    main = ChartData("bar", step, month_names, (ctx.assessed_title,), counts[:, None],
                     "count", what(""))
    return Results(values, main, table, tuple(extra), ctx.words)


def compute(question: Question, country: Country,
            assessment: FalseAssessment | None = None, words: Words = ENGLISH) -> Results:
    if assessment is None:
        assessment = FalseAssessment(country, {question.id: question})
    ctx = context(question, country, assessment, words)
    if question.type in ("select_one", "select_multiple", "yes_no"):
        return choice(ctx)
    if question.type in ("integer", "decimal"):
        return numeric(ctx)
    if question.type == "text":
        return text(ctx)
    return date(ctx)
