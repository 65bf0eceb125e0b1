"""Mock-up sentence templates: which placeholders exist, checking them, filling them.

A sentence comes from an untrusted pull request. It is never passed to str.format, %
or Jinja (str.format alone allows "{top_option.__class__}" attribute walks): known
`{name}` tokens are replaced by a regex and anything else is reported.
"""

from __future__ import annotations

import difflib
import re

from ..models import Question
from ..problems import shown

_CHOICE = (
    "top_option", "top_pct", "second_option", "second_pct", "least_option", "least_pct",
    "n_locations", "units",
)
# Only valid when the analysis is disaggregated: the group where the top option peaks.
GROUP_PLACEHOLDERS = ("top_group", "top_group_pct")
_NUMBER = ("mean", "median", "min", "max", "total", "n_locations", "units", "unit")

PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "select_one": _CHOICE + GROUP_PLACEHOLDERS,
    "select_multiple": _CHOICE + GROUP_PLACEHOLDERS,
    "yes_no": (*_CHOICE, "yes_pct", *GROUP_PLACEHOLDERS),
    "integer": _NUMBER,
    "decimal": _NUMBER,
    "text": ("n_locations", "n_responses", "units"),
    "date": ("earliest", "latest", "n_locations", "units"),
}

FIELD = "mockup.sentence"
TOKEN = re.compile(r"\{([^{}]*)\}")
_NAME = re.compile(r"[a-z_]+")
_SPACE = re.compile(r"\s+")


def allowed_placeholders(question: Question) -> tuple[str, ...]:
    names = PLACEHOLDERS[question.type]
    if not question.analysis.disaggregation:
        names = tuple(n for n in names if n not in GROUP_PLACEHOLDERS)
    return names


def _a(word: str) -> str:
    return f"an {word}" if word[0] in "aeiou" else f"a {word}"


def _types_with(name: str) -> list[str]:
    return [t for t, names in PLACEHOLDERS.items() if name in names]


def template_problems(question: Question) -> list[tuple[str, str]]:
    """Every problem of the question's mock-up sentence, as (field, message with the fix)."""
    template = question.mockup.sentence
    allowed = allowed_placeholders(question)
    listing = ", ".join("{" + n + "}" for n in allowed)
    qtype = question.type
    problems: list[str] = []
    for token in TOKEN.finditer(template):
        name = token.group(1)
        if name in allowed:
            continue
        raw = shown(token.group(0))
        bare = _NAME.match(name.strip())
        base = bare.group(0) if bare else ""
        if not name.strip():
            problems.append(
                f"empty placeholder '{raw}': write a name inside the braces, one of {listing}"
            )
        elif base in allowed:
            problems.append(
                f"'{raw}' is not a placeholder: write '{{{base}}}' exactly, without spaces, "
                "formats, indexes or attributes (allowed: " + listing + ")"
            )
        elif base in GROUP_PLACEHOLDERS and base in PLACEHOLDERS[qtype]:
            problems.append(
                f"placeholder '{{{base}}}' needs a disaggregation: add e.g. "
                "'disaggregation: [admin1]' under analysis, or remove it (allowed now: "
                + listing + ")"
            )
        elif _types_with(base):
            problems.append(
                f"placeholder '{{{base}}}' does not exist for {_a(qtype)} question (it is for "
                f"{'/'.join(_types_with(base))} questions): use one of {listing}"
            )
        else:
            close = difflib.get_close_matches(name.strip().lower(), allowed, n=1)
            hint = f"did you mean '{{{close[0]}}}'? " if close else ""
            problems.append(
                f"unknown placeholder '{raw}': {hint}check the spelling or remove it; "
                f"{_a(qtype)} question allows {listing}"
            )
    stray = TOKEN.sub("", template)
    if "{" in stray or "}" in stray:
        brace = "{" if "{" in stray else "}"
        problems.append(
            f"unmatched '{brace}': braces are only for placeholders such as "
            f"'{{{allowed[0]}}}' (single braces, no '{{{{ }}}}' or nesting); remove the stray "
            f"brace (allowed: {listing})"
        )
    return [(FIELD, p) for p in problems]


def fill(template: str, values: dict[str, str]) -> str:
    """The sentence with its placeholders replaced; call only once template_problems is empty.

    Whitespace is collapsed so the sentence stays one line in tables and CSV exports.
    """
    filled = TOKEN.sub(lambda m: values[m.group(1)], template)
    return _SPACE.sub(" ", filled).strip()
