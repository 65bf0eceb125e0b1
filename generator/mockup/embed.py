"""Put charts into finished pages instead of into their Markdown.

A chart pasted into a page's Markdown is parsed tag by tag by Python-Markdown and again
by the search plugin: measured on a 1,000-question kb, that costs several times more than
computing the mock-ups. A page can carry `chart_marker(id)` (an HTML comment, one token
for both parsers) and the plugin swap the markers for the charts in `on_post_page`, after
Markdown and search are done (charts are excluded from search anyway).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_MARKER = re.compile(r"<!-- ctk-mockup:([a-z0-9][a-z0-9-]{0,63}) -->")


def chart_marker(question_id: str) -> str:
    return f"<!-- ctk-mockup:{question_id} -->"


def embed_charts(html: str, charts: Mapping[str, str]) -> str:
    """`html` with every marker replaced by its chart; markers of unknown ids stay comments."""
    if "<!-- ctk-mockup:" not in html:
        return html
    return _MARKER.sub(lambda m: charts.get(m.group(1), m.group(0)), html)
