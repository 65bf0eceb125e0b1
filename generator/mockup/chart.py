"""Chart HTML: bars drawn with HTML and CSS (docs/assets/css/mockup.css), no script.

The output is pasted into a Markdown page, so it is one block-level element with no
blank line inside (Python-Markdown then passes it through untouched). Plain HTML bars
wrap long labels, follow the Material palette in light and dark mode through CSS
variables, and still read as "label value" rows if the stylesheet is missing.
Record text (option labels, admin names) is untrusted and always escaped.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

import numpy as np

from .results import OTHER, ChartData, formatter

LABEL = "MOCK-UP: illustrative false data"
MAX_LABEL = 60
# Segments narrower than this would overflow with their value printed inside.
MIN_SEGMENT_LABEL = 12.0
# Segment colours are classes ctk-c0..ctk-c6 in mockup.css (Okabe-Ito, colour-blind safe);
# results.MAX_SEGMENTS keeps a stack within them, and "Other options" is always grey.
OTHER_COLOUR = 7
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


def _width(value: float) -> str:
    return f"{max(value, 0.0):.1f}%"


def _table(data: ChartData) -> str:
    head = "".join(f'<th scope="col">{esc(c, MAX_LABEL)}</th>' for c in data.columns)
    lines = [f'<div class="ctk-table-wrap"><table class="ctk-table"><thead><tr><th scope="col">'
             f"{esc(data.row_header)}</th>{head}</tr></thead><tbody>"]
    fmt = formatter(data.unit)
    for name, row in zip(data.rows, data.values.tolist(), strict=True):
        cells = "".join(f"<td>{fmt(v)}</td>" for v in row)
        lines.append(f'<tr><th scope="row">{esc(name, MAX_LABEL)}</th>{cells}</tr>')
    lines.append("</tbody></table></div>")
    return "\n".join(lines)


def _summary(data: ChartData, title: str) -> str:
    """The chart's text alternative: what it shows and its extremes; the table has the rest."""
    title = title.rstrip(" .")
    if not title.endswith(("?", "!")):
        title += "."
    if data.kind == "stacked-bar":
        shape = (f"Stacked bar chart, one bar per {data.row_header.lower()}, one segment per "
                 f"{'main option' if data.columns[-1] == OTHER else 'option'}")
        return f"{shape} (illustrative false data): {title} {data.note}"
    values = data.values[:, 0].tolist()
    high, low = values.index(max(values)), values.index(min(values))
    fmt = formatter(data.unit)
    return (f"Bar chart (illustrative false data): {title} {data.note} "
            f"Highest: {data.rows[high]}, {fmt(values[high])}; "
            f"lowest: {data.rows[low]}, {fmt(values[low])}. "
            "Values are in the data table.")


def _bars(data: ChartData) -> list[str]:
    values = data.values[:, 0].tolist()
    # Percentages keep their true length; other units are scaled to the largest bar.
    scale = 1.0 if data.unit == "pct" else 100.0 / max(max(values), 1e-9)
    fmt = formatter(data.unit)
    return [
        f'<div class="ctk-row"><span class="ctk-row__label">{esc(name, MAX_LABEL)}</span>'
        f'<span class="ctk-row__track"><span class="ctk-bar" style="width:{_width(v * scale)}">'
        f'</span></span><span class="ctk-row__value">{fmt(v)}</span></div>'
        for name, v in zip(data.rows, values, strict=True)
    ]


def _colours(data: ChartData) -> list[int]:
    colours = list(range(len(data.columns)))
    if data.columns[-1] == OTHER:
        colours[-1] = OTHER_COLOUR
    return colours


def _stacks(data: ChartData) -> list[str]:
    totals = data.values.sum(axis=1, keepdims=True)
    shares = data.values / np.where(totals > 0, totals, 1.0) * 100
    colours = _colours(data)
    fmt = formatter(data.unit)
    lines = []
    for name, row, share in zip(data.rows, data.values.tolist(), shares.tolist(), strict=True):
        segments = []
        for v, s, colour in zip(row, share, colours, strict=True):
            text = fmt(v) if s >= MIN_SEGMENT_LABEL else ""
            segments.append(f'<span class="ctk-seg ctk-c{colour}" '
                            f'style="width:{_width(s)}">{text}</span>')
        lines.append(f'<div class="ctk-row"><span class="ctk-row__label">{esc(name, MAX_LABEL)}'
                     f'</span><span class="ctk-row__track">{"".join(segments)}</span></div>')
    return lines


def _legend(data: ChartData) -> str:
    items = "".join(
        f'<li><span class="ctk-key ctk-c{colour}"></span>{esc(name, MAX_LABEL)}</li>'
        for name, colour in zip(data.columns, _colours(data), strict=True)
    )
    # The data table carries the same names for screen readers.
    return f'<ul class="ctk-legend" aria-hidden="true">{items}</ul>'


def render(question_id: str, title: str, data: ChartData) -> str:
    kind = data.kind
    lines = [
        f'<figure class="ctk-mockup ctk-mockup--{kind}" data-question="{esc(question_id)}">',
        f'<figcaption class="ctk-mockup__caption">{label_html()} '
        f'<span class="ctk-mockup__title">{esc(title)}</span></figcaption>',
    ]
    if kind == "table":
        lines.append(_table(data))
    else:
        lines.append(f'<div class="ctk-chart ctk-chart--{kind}" role="img" '
                     f'aria-label="{esc(_summary(data, title))}">')
        lines.extend(_bars(data) if kind == "bar" else _stacks(data))
        lines.append("</div>")
        if kind == "stacked-bar":
            lines.append(_legend(data))
    lines.append(f'<p class="ctk-mockup__note">{esc(data.note)}</p>')
    if kind != "table":
        lines.append('<details class="ctk-mockup__data"><summary>Data table (false data)'
                     "</summary>")
        lines.append(_table(data))
        lines.append("</details>")
    lines.append("</figure>")
    return "\n".join(lines)
