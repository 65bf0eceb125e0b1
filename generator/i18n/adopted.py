"""An adopted question's texts as its page shows them, for the translation checks.

A question that adopts a library question (generator/library/adoption.py) writes only some
of its texts itself: the others come from the library, and what the country changed sits
under `overrides: {field: {value, reason}}`. Its page shows the effective texts, translated
by the country's `translations:` block like any question's, so the translation checks read
the same effective texts: an override's value (fingerprinted like any source text, so
changing it makes its translation stale) and a library text the country did not restate.
Each is reported at the line where it is written: the override's `value:`, or `adopts:`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from ..loaded import Source

Loc = tuple[str | int, ...]


def _merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _written(data: Any, loc: Loc) -> bool:
    for part in loc:
        found = (part in data) if isinstance(data, dict) else (
            isinstance(data, list) and isinstance(part, int) and part < len(data))
        if not found:
            return False
        data = data[part]
    return True


def adopted_view(source: Source) -> tuple[dict[str, Any], Callable[[Loc], Loc]]:
    """(the question's effective values, where a value of them is written in the file)."""
    data: dict[str, Any] = source.doc.data
    view: dict[str, Any] = {}
    if source.record is not None:
        # The effective question (library + country fields + overrides), without defaults:
        # a default is the generator's word (the catalogue translates it), not record text.
        view = source.record.model_dump(mode="json", exclude_unset=True)
    view = _merge(view, {k: v for k, v in data.items() if k != "overrides"})
    overrides = data.get("overrides")
    paths: list[tuple[str, ...]] = []
    for path, entry in (overrides.items() if isinstance(overrides, dict) else ()):
        if not (isinstance(path, str) and isinstance(entry, dict) and "value" in entry):
            continue  # reported by the adoption checks
        parts = tuple(path.split("."))
        target = view
        for part in parts[:-1]:
            if not isinstance(target.get(part), dict):
                target[part] = {}
            target = target[part]
        target[parts[-1]] = copy.deepcopy(entry["value"])
        paths.append(parts)

    def where(loc: Loc) -> Loc:
        for parts in paths:
            if tuple(loc[: len(parts)]) == parts:
                return ("overrides", ".".join(parts), "value", *loc[len(parts):])
        return loc if _written(data, loc) else ("adopts",)

    return view, where
