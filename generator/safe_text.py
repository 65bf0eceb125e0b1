"""Record text is untrusted: make it inert Markdown before it enters a page.

Every value printed by a page template passes through `escape_md` (Jinja's `finalize`),
so raw HTML, scripts, Markdown links/images (javascript: URLs, trackers), attribute lists
(`{: onclick=...}`) and table pipes show as text. Emphasis and paragraphs still work.
Only values marked `Markup` (our own generated HTML, such as charts) pass unchanged.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable

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
# Markdown block syntax at the start of a line: headings (# and setext = -), lists that
# reorder (+ -), definition lists (:), admonitions (!!!), collapsible blocks (???), tilde code
# fences (~~~, which would swallow the rest of the page) and pymdownx blocks (///).
# Backtick fences, quotes (>) and raw HTML are already entities from _TABLE.
_LINE_START = re.compile(r"^([ \t]*)([#=+:!?~/-])", re.M)
# Markdown treats a lone CR as a line break too: without this, "x\r~~~" would open a fence
# that the line-start escape above never saw. Other control characters have no business in
# record text (STX/ETX are Python-Markdown's own placeholder delimiters).
_NEWLINES = re.compile(r"\r\n?|[\x0b\x0c\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
# Whitespace folded in table cells, except no-break spaces, which languages need ("79 %").
_SPACE = re.compile(r"[^\S\u00a0\u202f]+")


# French typography: a space before ; : ? ! » and after «. Written as ordinary spaces, they
# let the browser break the line there, leaving "?" or ";" alone at the start of the next
# one. The French pages make those spaces non-breaking when they print a text: narrow
# (U+202F) before ; ? !, full (U+00A0) before : and inside « ». Only spaces and tabs that
# are already there, or one line break (a wrapped YAML line): never a blank line between
# two paragraphs, and never a space at the start of a line (Markdown's indentation).
_FR_BEFORE = re.compile(r"(?<=\S)(?:[ \t]+|[ \t]*\n[ \t]*)(?=([;:?!»]))")
_FR_AFTER = re.compile(r"«(?:[ \t]+|[ \t]*\n[ \t]*)(?=\S)")
_FR_SPACE = {";": "\u202f", "?": "\u202f", "!": "\u202f", ":": "\u00a0", "»": "\u00a0"}

Typography = Callable[[str], str]


def french_spaces(text: str) -> str:
    """text with the spaces French puts around ; : ? ! « » made non-breaking."""
    text = _FR_BEFORE.sub(lambda m: _FR_SPACE[m.group(1)], text)
    return _FR_AFTER.sub("«\u00a0", text)


def plain(value: object) -> str:
    """Record text with one kind of newline and no control characters."""
    return _CONTROL.sub("", _NEWLINES.sub("\n", str(value)))


def escape_md(value: object, typography: Typography | None = None) -> Markup:
    """value as inert Markdown; typography (the page language's spacing, e.g. french_spaces)
    applies to texts in that language, not to a source text standing in for one."""
    if type(value) is str:
        return _escaped(value, typography)
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    mark = getattr(value, "mark", None)
    text = _inert(plain(value), typography if mark is None else None)
    if mark is not None:  # i18n.localize.Untranslated: the source text, marked
        return _untranslated(text, value)
    return Markup(text)


def _inert(text: str, typography: Typography | None) -> str:
    if typography is not None:
        text = typography(text)
    text = text.translate(_TABLE)
    return _LINE_START.sub(lambda m: m.group(1) + f"&#{ord(m.group(2))};", text)


# Pages print the same few thousand texts again and again (labels, statuses, partner names,
# links: 185,000 values, 13,000 distinct, at 1,000 questions): a plain str is escaped once
# per typography. Only exact str: a subclass may carry a mark (i18n.localize.Untranslated).
@functools.lru_cache(maxsize=16384)
def _escaped(value: str, typography: Typography | None) -> Markup:
    return Markup(_inert(plain(value), typography))


def _untranslated(text: str, value: object) -> Markup:
    """An escaped source-language text standing in for a translation, with a visible mark.

    One paragraph is wrapped in a span carrying its language and direction; a span cannot
    cross Markdown paragraphs, so longer texts get the mark after them only.
    """
    lang, direction, mark = (escape_html(getattr(value, k)) for k in ("lang", "direction", "mark"))
    badge = f'<small class="ctk-untranslated-mark">{mark}</small>'
    if "\n\n" in text.strip():
        return Markup(f"{text} {badge}")
    return Markup(f'<span class="ctk-untranslated" lang="{lang}" dir="{direction}">{text}</span> '
                  f"{badge}")


def cell(value: object, typography: Typography | None = None) -> Markup:
    """Escaped text on one line, safe inside a Markdown table cell."""
    if isinstance(value, Markup):
        return Markup(_SPACE.sub(" ", value).strip())
    flat = _SPACE.sub(" ", "" if value is None else str(value)).strip()
    same = getattr(value, "same", None)  # keep an untranslated text's mark
    return escape_md(same(flat) if same else flat, typography)


def escape_html(value: object) -> str:
    """For values that Material prints as raw HTML (page titles, tags in front matter)."""
    return html.escape("" if value is None else plain(value), quote=True)
