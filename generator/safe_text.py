"""Record text is untrusted: make it inert Markdown before it enters a page.

Every value printed by a page template passes through `escape_md` (Jinja's `finalize`),
so raw HTML, scripts, Markdown links/images (javascript: URLs, trackers), attribute lists
(`{: onclick=...}`) and table pipes show as text. Emphasis and paragraphs still work.
Only values marked `Markup` (our own generated HTML, such as charts) pass unchanged.
"""

from __future__ import annotations

import html
import re

from markupsafe import Markup

_TABLE = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        "[": "&#91;",
        "]": "&#93;",
        "{": "&#123;",
        "}": "&#125;",
        "|": "&#124;",
        "`": "&#96;",
        "\\": "&#92;",
    }
)
# Markdown block syntax at the start of a line (headings, quotes, html, lists that reorder).
_LINE_START = re.compile(r"^(\s*)([#=+:!-])", re.M)
_SPACE = re.compile(r"\s+")


def escape_md(value: object) -> Markup:
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    text = str(value).translate(_TABLE)
    text = _LINE_START.sub(lambda m: m.group(1) + f"&#{ord(m.group(2))};", text)
    return Markup(text)


def cell(value: object) -> Markup:
    """Escaped text on one line, safe inside a Markdown table cell."""
    if isinstance(value, Markup):
        return Markup(_SPACE.sub(" ", value).strip())
    return escape_md(_SPACE.sub(" ", "" if value is None else str(value)).strip())


def escape_html(value: object) -> str:
    """For values that Material prints as raw HTML (page titles, tags in front matter)."""
    return html.escape("" if value is None else str(value), quote=True)
