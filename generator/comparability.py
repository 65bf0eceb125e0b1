"""Which changes to a question keep its answers comparable, field by field.

Shared by `toolkit diff` (a question across rounds) and the library (a country question
against the library question it adopts): a change to the wording, type or reply options
breaks comparability; options only in a new order do not.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .models import Question


def code_span(value: object) -> str:
    # Imported when called: generator.diff's package imports diff.compare, which imports
    # this module, so a top-level import would start a cycle while the loader imports it.
    from .diff.markdown import code_span as span
    return span(value)

# Fields whose change makes answers incomparable with earlier rounds.
BREAKING = ("text", "type", "options")
REORDERED = "options reordered"



@dataclass
class FieldChange:
    name: str  # dotted field path
    before: Any
    after: Any
    # Item-level detail (options, lists), already as report text: every value inside a
    # code span, where GitHub renders nothing (markdown.code_span).
    notes: list[str] = field(default_factory=list)

    @property
    def breaking(self) -> bool:
        # Options only in a new order are the same options: answers stay comparable.
        return self.name in BREAKING and self.notes != [REORDERED]


def _flatten(data: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _flatten(value, f"{prefix}.{key}" if prefix else key)
    else:
        yield prefix, data


def _option_notes(before: list[dict[str, str]], after: list[dict[str, str]]) -> list[str]:
    old = {o["code"]: o["label"] for o in before}
    new = {o["code"]: o["label"] for o in after}
    notes = []
    for code in new.keys() - old.keys():
        notes.append(f"added option {code_span(code)} {code_span(new[code])}")
    for code in old.keys() - new.keys():
        notes.append(f"removed option {code_span(code)} {code_span(old[code])}")
    for code in old.keys() & new.keys():
        if old[code] != new[code]:
            notes.append(f"option {code_span(code)} relabelled {code_span(old[code])} → "
                         f"{code_span(new[code])}")
    return sorted(notes)


def options_change(before: list[dict[str, Any]], after: list[dict[str, Any]],
                   name: str = "options") -> FieldChange | None:
    """The change between two reply-option lists (code and label each), or None if they are
    the same: a shared choice list (kb/choices/) is compared with the rules of inline options."""
    if before == after:
        return None
    return FieldChange(name, before, after, _option_notes(before, after) or [REORDERED])


def _list_notes(before: list[Any], after: list[Any]) -> list[str]:
    if all(isinstance(x, str) for x in before + after):
        added = [x for x in after if x not in before]
        removed = [x for x in before if x not in after]
        notes = [f"added {code_span(x)}" for x in added]
        notes += [f"removed {code_span(x)}" for x in removed]
        return notes or ["order changed"]
    return []


def compare_question(before: Question, after: Question) -> list[FieldChange]:
    old = dict(_flatten(before.model_dump(mode="json")))
    new = dict(_flatten(after.model_dump(mode="json")))
    changes = []
    for name in [*old, *(k for k in new if k not in old)]:
        a, b = old.get(name), new.get(name)
        if a == b:
            continue
        change = FieldChange(name, a, b)
        if name == "options":
            change.notes = _option_notes(a or [], b or []) or [REORDERED]
        elif name == "history":
            change.notes = [f"added round {h['round']}: {code_span(h['change'])}"
                            for h in b or [] if h not in (a or [])]
            change.notes += [f"removed round {h['round']}: {code_span(h['change'])}"
                             for h in a or [] if h not in (b or [])]
        elif isinstance(a, list) and isinstance(b, list):
            change.notes = _list_notes(a, b)
        changes.append(change)
    return changes
