"""A page's HTML for Material's search parser, without the parts it would leave out anyway.

Material's search plugin parses every page (html.parser, a tenth of a cold build) and then
drops what is marked `data-search-exclude`; on question pages two thirds of that parse is
spent inside those parts (mock-up analysis, data sharing, agreement tables...). `cut` hands
the parser the page without the inside of those parts, so that it makes exactly the same
entries. The parts are found by string search; wherever the cut could change an entry
(a tag it does not know, unbalanced tags, a structure the rules below do not cover) the page
is handed over whole.

What the parser of `material/plugins/search/plugin.py` (9.8.2, pinned by its digest below)
does with the mark, and so what may be cut:

- A heading h1-h6 with an id starts a section; with the mark, the section is left out of
  the index. The section lasts until the next heading with an id, or until an element that
  holds the heading closes: the text after that goes back to an earlier section, which may
  be indexed. Cut: after the heading's end tag, the elements that follow it, up to (not
  including) the first heading, the first element with the mark, or the first end tag of an
  element that holds the heading. The heading itself stays, so the section and its depth
  are the same.
- Any other element with the mark puts its tag *name* in a skip set until an element of that
  name closes (Material compares elements by name: a <div> closing inside an excluded <div>
  ends the exclusion, and the text after it is indexed). Cut: the element's inside, if no
  element inside has its name, or the name of a marked element around it, and none is a
  heading (a heading with an id inside still starts a section).
- A marked void element (<img>, <br>...) is ignored by the parser: not an exclusion.

Everything else the parser keeps (open elements, sections, their depths, the skip set) is
the same after a cut part as before it: the part is balanced (each end tag closes the
element opened last, as the parser requires before it pops one), holds no heading, and
neither opens nor closes an element whose name is in the skip set. The only state that
differs is the text of sections that are left out. A heading's section could in principle
come back later (Material returns to the latest earlier section not deeper than the element
that closes), and its list of kept tags then differs; Material could raise on that where it
would not have on the whole page, so a parse of a cut page that raises is done again on the
whole page (SearchCache).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

# The digest of the search plugin whose parser the rules above describe. Another version
# (or any change to that file) gets the whole page: slower, never different.
MATERIAL_SEARCH_SHA256 = "cc8a3ac0a8862662d11e87fefcdaa4a42d9ebd70a7943fa921c1c80e2661730b"

VOID = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "param", "source", "track", "wbr"))
HEADINGS = frozenset(f"h{n}" for n in range(1, 7))
MARK = "data-search-exclude"

_NAME = r"[a-zA-Z][a-zA-Z0-9-]*"
# An attribute as Python-Markdown writes them: a name, then maybe a quoted value without
# "<" or ">", or an unquoted one without quotes, "=", "<", ">", "`" or "/" and followed by a
# space or the tag's end (html.parser reads <a b=c/> as b="c/", not as a self-closing tag).
_VALUE = r"""\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'=<>`/]+(?![^\s>]))"""
_ATTR = rf"""\s+[^\s"'<>/=]+(?:{_VALUE})?"""
_ATTR_NAMES = re.compile(rf"""\s+([^\s"'<>/=]+)(?:{_VALUE})?""")
_COMMENT = r"<!--[^<>]*-->"
# The whole page as a run of text without "<" or ">" and tags of that plain form: then
# every "<" starts a tag (or comment) and html.parser cuts the page at the same places.
# html.parser ends a start tag's name only at one of " \t\n\r\f/>" (not at any space).
_PAGE = re.compile(rf"[^<>]*+(?:(?:{_COMMENT}|<{_NAME}(?=[ \t\n\r\f/>])(?:{_ATTR})*\s*/?>"
                   rf"|</{_NAME}\s*>)[^<>]*+)*+")
_TAG = re.compile(rf"{_COMMENT}|<(/?)({_NAME})((?:{_ATTR})*)\s*(/?)>")
# Elements whose inside html.parser does not read as tags (in some Python version), what the
# parser also skips, and markup this cut does not model: the page goes whole.
UNSURE_NAMES = frozenset(("script", "style", "textarea", "title", "xmp", "iframe", "noembed",
                          "noframes", "noscript", "plaintext", "object"))
_NAMES = re.compile(r"</?([a-zA-Z][a-zA-Z0-9-]*)")
_MARK = re.compile(MARK, re.IGNORECASE)
# Once _PAGE has matched, every "<" followed by a letter starts a tag with no ">" inside.
_FAST = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*>")
_HEADING = re.compile(r"<[hH][1-6][\s/>]")


class Unsure(Exception):
    """The cut could change an entry: the page goes whole."""


def material_digest() -> str | None:
    try:
        from material.plugins.search import plugin
    except ImportError:
        return None
    return hashlib.sha256(Path(plugin.__file__).read_bytes()).hexdigest()


def applies(index: Any) -> bool:
    """Whether `cut` may be used for this search index: Material's own, the version read."""
    try:
        from material.plugins.search.plugin import SearchIndex
    except ImportError:
        return False
    return (type(index) is SearchIndex
            and getattr(index.add_entry_from_context, "__func__", None)
            is SearchIndex.add_entry_from_context
            and material_digest() == MATERIAL_SEARCH_SHA256)


class _Anchor:
    """An element with the mark: where its tags are and what its inside holds."""

    __slots__ = ("start", "open_end", "name", "section", "inner_end", "end", "names",
                 "named_inside", "outer")

    def __init__(self, start: int, open_end: int, name: str, section: bool) -> None:
        self.start, self.open_end, self.name, self.section = start, open_end, name, section
        self.inner_end = self.end = open_end
        self.names: set[str] = set()  # element names opened or closed inside
        self.named_inside = False  # a marked element inside has its own name inside
        self.outer: set[str] = set()  # names of marked elements around it


def _marks(html: str) -> list[int]:
    """Where the mark is written, in any case (a case-blind regex is slow: lower the page
    when that keeps every character where it was)."""
    low = html.lower()
    if len(low) != len(html):
        return [m.start() for m in _MARK.finditer(html)]
    out, at = [], low.find(MARK)
    while at >= 0:
        out.append(at)
        at = low.find(MARK, at + len(MARK))
    return out


def _anchors(html: str) -> list[_Anchor]:
    found: dict[int, _Anchor] = {}
    for mark in _marks(html):
        lt = html.rfind("<", 0, mark)
        if lt < 0 or html.rfind(">", 0, mark) > lt or lt in found:
            continue  # in text, or a tag already seen
        tag = _TAG.match(html, lt)
        if tag is None or tag.group(2) is None or tag.group(1):
            continue  # in a comment (an end tag with attributes is refused by _PAGE)
        names = {n.lower() for n in _ATTR_NAMES.findall(tag.group(3))}
        name = tag.group(2).lower()
        if MARK not in names or name in VOID:
            continue  # in an attribute's value; on a void element the parser ignores it
        anchor = _Anchor(lt, tag.end(), name, name in HEADINGS and "id" in names)
        if not tag.group(4):  # <x/> opens and closes at once
            _close(html, anchor)
        found[lt] = anchor
    return sorted(found.values(), key=lambda a: a.start)


def _close(html: str, anchor: _Anchor) -> None:
    """Find the element's end tag; what its inside opens and closes."""
    stack: list[str] = []
    names = anchor.names
    for m in _FAST.finditer(html, anchor.open_end):
        slash, name = m.groups()
        name = name.lower()
        if slash:
            if name in VOID:
                raise Unsure  # the parser ignores it only while no void element is open
            if not stack:
                if name != anchor.name:
                    raise Unsure
                anchor.inner_end, anchor.end = m.span()
                return
            if stack.pop() != name:
                raise Unsure
        elif name not in VOID:
            names.add(name)
            if html[m.end() - 2] != "/":  # <x/> opens and closes at once
                stack.append(name)
    raise Unsure  # never closed


def _section_end(html: str, anchor: _Anchor, bound: int) -> int:
    """Where the cut after a marked heading ends: before the first heading or marked element
    (bound), element named as a marked element around it, or end tag of an element that
    holds the heading."""
    stack: list[str] = []
    last = anchor.end
    outer = anchor.outer
    for m in _FAST.finditer(html, anchor.end, bound):
        slash, name = m.groups()
        name = name.lower()
        if slash:
            if name in VOID:
                raise Unsure
            if not stack:
                return m.start()  # the text before it is the left-out section's
            if stack.pop() != name:
                raise Unsure
        elif name in VOID:
            continue
        elif name in outer:
            return m.start() if not stack else last
        elif html[m.end() - 2] != "/":
            stack.append(name)
        if not stack:
            last = m.end()
    return bound if not stack else last


def _nest(anchors: list[_Anchor]) -> None:
    """Each anchor's outer names, and whether a marked element inside it has its own name
    inside (spans nest or are apart: each was closed by a balanced walk)."""
    stack: list[_Anchor] = []
    for anchor in anchors:
        while stack and stack[-1].end <= anchor.start:
            stack.pop()
        anchor.outer = {a.name for a in stack}
        if anchor.name in anchor.names:
            for a in stack:
                a.named_inside = True
        stack.append(anchor)


def cuts(html: str) -> list[tuple[int, int]]:
    """The parts of html that may be left out, in order; raises Unsure."""
    if MARK not in html and _MARK.search(html) is None:
        return []
    if "linenodiv" in html or _PAGE.fullmatch(html) is None:
        raise Unsure
    if not UNSURE_NAMES.isdisjoint(n.lower() for n in set(_NAMES.findall(html))):
        raise Unsure
    anchors = _anchors(html)
    _nest(anchors)
    parts: list[tuple[int, int]] = []
    for i, anchor in enumerate(anchors):
        if parts and anchor.start < parts[-1][1]:
            continue  # inside a part already left out
        if not HEADINGS.isdisjoint(anchor.names):
            continue  # a heading with an id inside starts a section of its own
        if anchor.section:
            # The first marked element after the heading (one inside it starts earlier).
            bound = next((a.start for a in anchors[i + 1:] if a.start >= anchor.end),
                         len(html))
            heading = _HEADING.search(html, anchor.end, bound)
            part = (anchor.end, _section_end(html, anchor, heading.start() if heading
                                             else bound))
        elif anchor.name in anchor.names or anchor.named_inside or anchor.names & anchor.outer:
            continue
        else:
            part = (anchor.open_end, anchor.inner_end)
        if part[1] > part[0]:
            parts.append(part)
    return parts


def cut(html: str) -> str | None:
    """html without the parts Material's search parser would leave out; None: use it whole."""
    try:
        parts = cuts(html)
    except Unsure:
        return None
    if not parts:
        return html
    pieces, at = [], 0
    for start, end in parts:
        pieces.append(html[at:start])
        at = end
    pieces.append(html[at:])
    return "".join(pieces)
