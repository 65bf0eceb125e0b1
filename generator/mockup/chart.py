"""Chart HTML: the data table *is* the chart; CSS (docs/assets/css/mockup.css) draws bars.

Every chart is a semantic <table> of the false results (row headers, one cell per
value), so screen readers get the data itself, and the stylesheet turns the cells into
bars: a bar chart draws each value cell's bar in a pseudo-element sized by an inline
`--w` custom property; a stacked bar lays each row's cells side by side as segments
and shows the column headers as the legend. No script, no image, no network.

Few elements matter for speed: every page goes through Python-Markdown's and the search
plugin's HTML parsers, which cost per tag, far more than computing the mock-up. A table
that doubles as chart needs about half the tags of a chart plus a separate data table.

The output is pasted into a Markdown page, so it is one block-level element with no blank
line inside (Python-Markdown then passes it through untouched). Record text (option
labels, admin names) is untrusted and always escaped.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from ..i18n.catalog import N_
from .results import ENGLISH, ChartData, Results, Words

LABEL = "MOCK-UP: illustrative false data"
MAX_LABEL = 60
MAX_LABEL_FULL = 40
# Values in segments narrower than this (% of the bar) would not fit over the colour: they
# are made transparent (class "n") but stay in the table for screen readers.
MIN_SEGMENT_LABEL = 12.0
# Stacked tables are laid out as flex rows, which makes some browsers drop the table
# semantics: explicit roles keep them.
_ROW, _CELL, _HEAD = ' role="row"', ' role="cell"', ' role="rowheader"'
_NARROW = ' class="n"'
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=4096)
def esc(text: str, limit: int = 0) -> str:
    """Escaped, on one line (a newline pair would end the HTML block), optionally shortened.

    Cached: the same option labels and admin names recur across a chart and across pages.
    """
    text = _SPACE.sub(" ", text).strip()
    if limit and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return html.escape(text, quote=True)


def label_html() -> str:
    return f'<span class="ctk-mockup-label">{LABEL}</span>'


SHAPES = {"bar": N_("Bar chart of illustrative false data"),
          "stacked-bar": N_("Stacked bar chart of illustrative false data, one bar per {group}"),
          "table": N_("Table of illustrative false data")}


def _summary(data: ChartData, title: str, words: Words) -> str:
    """The table caption screen readers announce first: what the chart shows."""
    _ = words.gettext
    if data.caption:
        return _("{caption}, illustrative false data: {note}").format(caption=data.caption,
                                                                      note=data.note)
    title = title.rstrip(" .")
    if not title.endswith(("?", "!", "؟")):
        title += "."
    shape = _(SHAPES[data.kind]).format(group=data.row_header.lower())
    return _("{chart}: {title} {note}").format(chart=shape, title=title, note=data.note)


def _open(data: ChartData, title: str, css: str, roles: bool = False,
          limit: int = MAX_LABEL, words: Words = ENGLISH) -> str:
    """Table start: caption for screen readers, then the header row, up to <tbody>."""
    row, cell = (_ROW, ' role="columnheader"') if roles else ("", "")
    cells = "".join(f'<th scope="col"{cell}>{esc(c, limit)}</th>' for c in data.columns)
    return (f'<table class="{css}"><caption class="ctk-sr">'
            f"{esc(_summary(data, title, words))}"
            f'</caption><thead><tr{row}><th scope="col"{cell}>{esc(data.row_header)}</th>'
            f"{cells}</tr></thead><tbody>")


def _table(data: ChartData, title: str, words: Words) -> list[str]:
    # The table of every option repeats the chart's labels: shorter ones keep it in budget.
    limit = MAX_LABEL_FULL if data.collapsed else MAX_LABEL
    lines = [_open(data, title, "ctk-table", limit=limit, words=words)]
    if data.texts:
        rows = [[esc(t) for t in row] for row in data.texts]
    else:
        fmt = words.formatter(data.unit)
        rows = [[fmt(v) for v in row] for row in data.values.tolist()]
    for name, row in zip(data.rows, rows, strict=True):
        cells = "".join(f"<td>{v}</td>" for v in row)
        lines.append(f'<tr><th scope="row">{esc(name, limit)}</th>{cells}</tr>')
    return lines




def _bars(data: ChartData, title: str, words: Words) -> list[str]:
    values = data.values[:, 0].tolist()
    # Percentages keep their true length; other units are scaled to the largest bar.
    scale = 1.0 if data.unit == "pct" else 100.0 / max(max(values), 1e-9)
    fmt = words.formatter(data.unit)
    lines = [_open(data, title, "ctk-chart ctk-chart--bar", words=words)]
    # Bars of one series share one colour; only grey (don't know, other) and ordered
    # options (sequential) change it.
    lines.extend(
        f'<tr><th scope="row">{esc(name, MAX_LABEL)}</th>'
        f'<td{_bar_tone(data, i)} style="--w:{max(v * scale, 0.0):.1f}%">{fmt(v)}</td></tr>'
        for i, (name, v) in enumerate(zip(data.rows, values, strict=True))
    )
    return lines


def _bar_tone(data: ChartData, i: int) -> str:
    tone = data.tones[i] if data.tones else ""
    return f' class="ctk-k-{tone}"' if tone and not tone.startswith("c") else ""


def _stacks(data: ChartData, title: str, words: Words) -> list[str]:
    totals = data.values.sum(axis=1, keepdims=True)
    shares = (data.values / (totals + (totals == 0)) * 100).tolist()
    fmt = words.formatter(data.unit)
    lines = [_open(data, title, "ctk-chart ctk-chart--stacked-bar", roles=True, words=words)]
    # Colour classes go on the legend (header) cells and on every segment.
    lines[0] = _keyed_header(lines[0], data)
    for name, row, share in zip(data.rows, data.values.tolist(), shares, strict=True):
        cells = "".join(
            f'<td{_CELL} class="{"n " if s < MIN_SEGMENT_LABEL else ""}ctk-k-{data.tones[i]}"'
            f' style="--w:{s:.1f}%">{fmt(v)}</td>'
            for i, (v, s) in enumerate(zip(row, share, strict=True))
        )
        lines.append(f'<tr{_ROW}><th scope="row"{_HEAD}>{esc(name, MAX_LABEL)}</th>{cells}</tr>')
    return lines


def _keyed_header(opening: str, data: ChartData) -> str:
    head, sep, rest = opening.partition("</th>")  # the row-name header keeps no colour
    for i in range(len(data.columns)):
        rest = rest.replace('<th scope="col" role="columnheader">',
                            f'<th scope="col" role="columnheader" class="ctk-k-{data.tones[i]}">',
                            1)
    return head + sep + rest


_RENDER = {"table": _table, "bar": _bars, "stacked-bar": _stacks}


def _block(data: ChartData, title: str, words: Words) -> list[str]:
    lines = [*_RENDER[data.kind](data, title, words), "</tbody></table>"]
    if data.caption:
        lines.insert(0, f'<p class="ctk-mockup__sub">{esc(data.caption)}</p>')
    return lines


def render(question_id: str, title: str, results: Results | ChartData) -> str:
    """One <figure>: the chart, its note, then the tables that hold every other number."""
    main = results.chart if isinstance(results, Results) else results
    extra = results.extra if isinstance(results, Results) else ()
    words = results.words if isinstance(results, Results) else ENGLISH
    # data-search-exclude: Material's search must not index false numbers as content.
    lines = [
        f'<figure class="ctk-mockup ctk-mockup--{main.kind}" data-question="{esc(question_id)}"'
        " data-search-exclude>",
        f'<figcaption class="ctk-mockup__caption">{label_html()} '
        f'<span class="ctk-mockup__title">{esc(title)}</span></figcaption>',
        *_RENDER[main.kind](main, title, words),
        "</tbody></table>",
        f'<p class="ctk-mockup__note">{esc(main.note)}</p>',
    ]
    for data in extra:
        if data.collapsed:
            lines.append(f'<details class="ctk-mockup__more"><summary>{esc(data.caption)}'
                         "</summary>")
            lines.extend([*_RENDER[data.kind](data, title, words), "</tbody></table>",
                          "</details>"])
        elif data.distribution:
            # Second to the summary by group: left off paper so a question fits one sheet.
            lines.extend(['<div class="ctk-mockup__dist">', *_block(data, title, words),
                          "</div>"])
        else:
            lines.extend(_block(data, title, words))
    lines.append("</figure>")
    return "\n".join(lines)
