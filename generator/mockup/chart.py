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

from .results import OTHER, ChartData, formatter

LABEL = "MOCK-UP: illustrative false data"
MAX_LABEL = 60
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


def _summary(data: ChartData, title: str) -> str:
    """The table caption screen readers announce first: what the chart shows."""
    title = title.rstrip(" .")
    if not title.endswith(("?", "!")):
        title += "."
    shape = {"bar": "Bar chart", "stacked-bar": "Stacked bar chart", "table": "Table"}
    per = f", one bar per {data.row_header.lower()}" if data.kind == "stacked-bar" else ""
    return f"{shape[data.kind]} of illustrative false data{per}: {title} {data.note}"


def _open(data: ChartData, title: str, css: str, roles: bool = False) -> str:
    """Table start: caption for screen readers, then the header row, up to <tbody>."""
    row, cell = (_ROW, ' role="columnheader"') if roles else ("", "")
    cells = "".join(f'<th scope="col"{cell}>{esc(c, MAX_LABEL)}</th>' for c in data.columns)
    return (f'<table class="{css}"><caption class="ctk-sr">{esc(_summary(data, title))}'
            f'</caption><thead><tr{row}><th scope="col"{cell}>{esc(data.row_header)}</th>'
            f"{cells}</tr></thead><tbody>")


def _table(data: ChartData, title: str) -> list[str]:
    fmt = formatter(data.unit)
    lines = [_open(data, title, "ctk-table")]
    for name, row in zip(data.rows, data.values.tolist(), strict=True):
        cells = "".join(f"<td>{fmt(v)}</td>" for v in row)
        lines.append(f'<tr><th scope="row">{esc(name, MAX_LABEL)}</th>{cells}</tr>')
    return lines


def _bars(data: ChartData, title: str) -> list[str]:
    values = data.values[:, 0].tolist()
    # Percentages keep their true length; other units are scaled to the largest bar.
    scale = 1.0 if data.unit == "pct" else 100.0 / max(max(values), 1e-9)
    fmt = formatter(data.unit)
    lines = [_open(data, title, "ctk-chart ctk-chart--bar")]
    lines.extend(
        f'<tr><th scope="row">{esc(name, MAX_LABEL)}</th>'
        f'<td style="--w:{max(v * scale, 0.0):.1f}%">{fmt(v)}</td></tr>'
        for name, v in zip(data.rows, values, strict=True)
    )
    return lines


def _stacks(data: ChartData, title: str) -> list[str]:
    totals = data.values.sum(axis=1, keepdims=True)
    shares = (data.values / (totals + (totals == 0)) * 100).tolist()
    fmt = formatter(data.unit)
    # The last column takes the grey of "Other options" (colours follow column order).
    other = " ctk-other" if data.columns[-1] == OTHER else ""
    lines = [_open(data, title, f"ctk-chart ctk-chart--stacked-bar{other}", roles=True)]
    for name, row, share in zip(data.rows, data.values.tolist(), shares, strict=True):
        cells = "".join(
            f'<td{_CELL}{"" if s >= MIN_SEGMENT_LABEL else _NARROW} style="--w:{s:.1f}%">'
            f"{fmt(v)}</td>"
            for v, s in zip(row, share, strict=True)
        )
        lines.append(f'<tr{_ROW}><th scope="row"{_HEAD}>{esc(name, MAX_LABEL)}</th>{cells}</tr>')
    return lines


_RENDER = {"table": _table, "bar": _bars, "stacked-bar": _stacks}


def render(question_id: str, title: str, data: ChartData) -> str:
    # data-search-exclude: Material's search must not index false numbers as content.
    lines = [
        f'<figure class="ctk-mockup ctk-mockup--{data.kind}" data-question="{esc(question_id)}"'
        " data-search-exclude>",
        f'<figcaption class="ctk-mockup__caption">{label_html()} '
        f'<span class="ctk-mockup__title">{esc(title)}</span></figcaption>',
        *_RENDER[data.kind](data, title),
        "</tbody></table>",
        f'<p class="ctk-mockup__note">{esc(data.note)}</p>',
        "</figure>",
    ]
    return "\n".join(lines)
