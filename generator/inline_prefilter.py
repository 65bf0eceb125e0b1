"""Python-Markdown's inline pass, without trying patterns that cannot match.

Python-Markdown tries each of its ~16 inline patterns (links, code, emphasis, magiclink's
URLs and e-mail addresses...) on every piece of text, table cells included: at 1,000
questions that was 2.2 million regular-expression searches, a fifth of a cold build, and
almost all of them on text like "Agreed" or "Tools" that holds no Markdown at all. Each
pattern below can only match a text holding certain characters (a link needs "[", an
e-mail address "@" and "."), so a text without them is passed over for that pattern: the
same HTML, decided by the text's set of characters instead of a regular expression.
Patterns not listed here (another extension's, or a future version's) are always tried.
"""

from __future__ import annotations

import functools
import hashlib
import inspect
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from typing import Any

from markdown import Markdown, inlinepatterns, util
from markdown.extensions import Extension
from markdown.treeprocessors import InlineProcessor
from pymdownx import magiclink

# A pattern's condition: every one of the character sets must meet the text (at least one
# character of each set in it), and then the optional test must be true.
Needs = tuple[frozenset[str], ...]
Test = Callable[[str], bool]


def _needs(*groups: str) -> Needs:
    return tuple(frozenset(group) for group in groups)


_WEB = re.compile(r"://|www\.", re.IGNORECASE).search
# (pattern class, its regular expression's source when the condition was written for it):
# a pattern changed by a new version has another source and is tried as before.
CONDITIONS: dict[tuple[type, str], tuple[Needs, Test | None]] = {
    (inlinepatterns.BacktickInlineProcessor,
     r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)"): (_needs("`"), None),
    (inlinepatterns.EscapeInlineProcessor, r"\\(.)"): (_needs("\\"), None),
    (inlinepatterns.ReferenceInlineProcessor, r"(?<!\!)\["): (_needs("["), None),
    (inlinepatterns.LinkInlineProcessor, r"(?<!\!)\["): (_needs("["), None),
    (inlinepatterns.ShortReferenceInlineProcessor, r"(?<!\!)\["): (_needs("["), None),
    (inlinepatterns.ImageInlineProcessor, r"\!\["): (_needs("!", "["), None),
    (inlinepatterns.ImageReferenceInlineProcessor, r"\!\["): (_needs("!", "["), None),
    (inlinepatterns.ShortImageReferenceInlineProcessor, r"\!\["): (_needs("!", "["), None),
    (inlinepatterns.AutomailInlineProcessor, r"<([^<> !]+@[^@<> ]+)>"): (_needs("<", "@"), None),
    (inlinepatterns.SubstituteTagInlineProcessor, r"  \n"): (_needs(" ", "\n"), None),
    (inlinepatterns.HtmlInlineProcessor,
     r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)"): (_needs("&", ";"), None),
    (inlinepatterns.DelimiterProcessor, r"\*|_"): (_needs("*_"), None),
    (magiclink.MagiclinkAutoPattern, r"(?i)<((?:ht|f)tps?://[^<>]*)>"): (_needs("<", ":"), None),
    (magiclink.MagiclinkPattern, magiclink.RE_LINK):
        (_needs(":.", "/wW"), lambda text: _WEB(text) is not None),
    (magiclink.MagiclinkMailPattern, magiclink.RE_MAIL): (_needs("@", "."), None),
}
ALWAYS: tuple[Needs, Test | None] = ((), None)


def condition(pattern: inlinepatterns.Pattern) -> tuple[Needs, Test | None]:
    """What a text must hold for `pattern` to be tried on it (ALWAYS: no condition)."""
    source = pattern.compiled_re.pattern
    known = CONDITIONS.get((type(pattern), source))
    if known is not None:
        return known
    if type(pattern) is inlinepatterns.HtmlInlineProcessor and source.startswith("(<"):
        # Raw inline HTML always opens with "<" (tags, comments, CDATA, instructions).
        return _needs("<"), None
    return ALWAYS


# Pattern conditions, characters of a text that occur in any of them -> per pattern:
# False (skip), True (try) or the test still to run on the text.
_PLANS: dict[tuple[int, frozenset[str]], tuple[bool | Test, ...]] = {}
_SETS: dict[tuple[tuple[Needs, Test | None], ...], int] = {}  # conditions -> a short key


class PrefilteredInlineProcessor(InlineProcessor):
    """InlineProcessor whose pattern loop skips the patterns a text cannot match."""

    def run(self, tree: etree.Element, ancestors: list[str] | None = None) -> etree.Element:
        # The registry is final once the document is being converted; a plain list also
        # spares the registry's sort check on each of the millions of lookups.
        self._patterns = list(self.inlinePatterns)
        self._conditions = tuple(condition(p) for p in self._patterns)
        self._set = _SETS.setdefault(self._conditions, len(_SETS))
        self._chars = frozenset().union(*(g for needs, _ in self._conditions for g in needs))
        return super().run(tree, ancestors)

    def _plan(self, data: str) -> tuple[bool | Test, ...]:
        key = (self._set, self._chars.intersection(data))
        plan = _PLANS.get(key)
        if plan is None:
            present = key[1]
            plan = tuple(
                test if test is not None and ok else ok
                for needs, test in self._conditions
                for ok in [all(not group.isdisjoint(present) for group in needs)])
            _PLANS[key] = plan
        return plan

    # Overrides InlineProcessor.__handleInline (name-mangled): the upstream loop, with the
    # plan's verdict in front of each pattern. Unmatched, upstream restarts at 0 too.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if isinstance(data, util.AtomicString):
            return data
        patterns = self._patterns
        apply = self._InlineProcessor__applyPattern
        plan = self._plan(data)
        start = 0
        count = len(patterns)
        while patternIndex < count:
            verdict = plan[patternIndex]
            if verdict is False or (verdict is not True and not verdict(data)):
                patternIndex += 1
                start = 0
                continue
            data, matched, start = apply(patterns[patternIndex], data, patternIndex, start)
            if matched:
                plan = self._plan(data)
            else:
                patternIndex += 1
        return data


# The upstream pattern loop the override above copies (Python-Markdown 3.11.3): a
# version whose loop reads otherwise keeps its own, so the override never runs on code it
# was not written against.
UPSTREAM_LOOP = "fe27babc114aed0a"


@functools.cache
def upstream_loop_known() -> bool:
    source = inspect.getsource(InlineProcessor._InlineProcessor__handleInline)
    return hashlib.sha256(source.encode()).hexdigest()[:16] == UPSTREAM_LOOP


class InlinePrefilter(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # Only in place of Python-Markdown's own: another extension's replacement is kept.
        if type(md.treeprocessors["inline"]) is InlineProcessor and upstream_loop_known():
            md.treeprocessors.register(PrefilteredInlineProcessor(md), "inline", 20)

    def __repr__(self) -> str:
        # Stable across processes: the page cache keys on the extensions' names.
        return "generator.inline_prefilter"

    __str__ = __repr__


def makeExtension(**kwargs: Any) -> InlinePrefilter:  # noqa: N802 (Markdown's API)
    return InlinePrefilter(**kwargs)
