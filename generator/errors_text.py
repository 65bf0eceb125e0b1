"""Turn pydantic errors into messages and fixes a non-developer can act on."""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from .models.common import ID_PATTERN
from .problems import KINDS, counted, shown

ID_FIX = "use lowercase letters, digits and dashes only, e.g. wash-water-source"


def field_path(loc: Sequence[str | int]) -> str:
    """Dotted path with 1-based list positions, as an editor counts items: options[2].code."""
    out = ""
    for part in loc:
        if part == "[key]":  # pydantic's marker for "the key itself" of a dict entry
            continue
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            # Keys come from the file (an unknown key, a roles key): cut them like values.
            out += ("." if out else "") + shown(part, 40)
    return out


def _unwrap(annotation: Any) -> Any:
    """The model class behind X | None, list[X] or dict[K, X], if any."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                return _unwrap(arg)
    if origin in (list, tuple):
        return _unwrap(typing.get_args(annotation)[0])
    if origin is dict:
        return _unwrap(typing.get_args(annotation)[1])
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    return annotation


def model_at(model: type[BaseModel], loc: Sequence[str | int]) -> type[BaseModel] | None:
    """The model that holds the field at loc (following nested models)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = _unwrap(info.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def describe(model: type[BaseModel], loc: Sequence[str | int]) -> str:
    names = [p for p in loc if isinstance(p, str)]
    if not names:
        return ""
    parent = model_at(model, loc[:-1] if loc and isinstance(loc[-1], str) else loc)
    if parent is None:
        return ""
    info = parent.model_fields.get(names[-1])
    return (info.description or "") if info else ""


def explain(model: type[BaseModel], err: ErrorDetails) -> tuple[str, str, str]:
    """(code, message, fix) for one pydantic error on a record of the given model.

    Every value echoed from the record goes through `shown`, so a huge or invisible value
    cannot blow up the report.
    """
    kind, loc, msg = err["type"], err["loc"], err["msg"]
    name = next((p for p in reversed(loc) if isinstance(p, str)), "")
    # The input of a whole-record error is the record itself: only scalars are echoed.
    value = err.get("input")
    got = "{...}" if isinstance(value, dict) else "[...]" if isinstance(value, list) \
        else shown(value)
    if kind in KINDS:  # a model validator's own rule (models.common.rule)
        return kind, msg, ""
    if kind == "missing":
        hint = describe(model, loc)
        return "missing-field", "required field is missing", \
            f"add '{name}:'" + (f" ({hint})" if hint else "")
    if kind == "extra_forbidden":
        parent = model_at(model, loc[:-1])
        allowed = sorted(parent.model_fields) if parent else []
        close = difflib.get_close_matches(str(name), allowed, n=1)
        fix = f"did you mean '{close[0]}'? " if close else ""
        return "unknown-key", f"unknown field '{shown(name)}'", \
            fix + "allowed fields: " + ", ".join(allowed)
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return "unknown-enum", f"'{got}' is not allowed here", f"use one of: {expected}"
    if kind == "string_pattern_mismatch":
        if name == "code":
            return "invalid-format", f"'{got}' is not a valid option code", (
                "use lowercase letters, digits and underscores only, e.g. piped_water"
            )
        if err.get("ctx", {}).get("pattern") == ID_PATTERN:  # an id or a reference to one
            return "invalid-id", f"'{got}' is not a valid id", ID_FIX
        return "invalid-format", f"'{got}' has the wrong format", msg
    if kind in ("string_too_short", "too_short"):
        if kind == "too_short":
            n = err.get("ctx", {}).get("min_length", 1)
            return ("empty-value", "the list is empty or too short",
                    f"give at least {counted(n, 'item')}")
        return "empty-value", "is empty", "write the text; an empty value is not enough"
    if kind == "string_too_long":
        n = err.get("ctx", {}).get("max_length")
        return "too-long", f"text is longer than {n} characters", "shorten it"
    if kind.startswith(("greater_than", "less_than")):
        return "out-of-range", f"{got} is out of range ({msg.lower()})", "use a value in range"
    if kind == "value_error":
        return "record-rule", msg.removeprefix("Value error, "), ""
    if kind in ("string_type", "str_type"):
        return "wrong-type", f"expected text, got {type(err.get('input')).__name__}", (
            "put the value on one line after the colon; quote it if it looks like a number "
            "or a date"
        )
    if kind in ("list_type",):
        return "wrong-type", "expected a list", (
            f"write each item on its own line starting with '- ' under '{shown(name)}:'"
        )
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "wrong-type", "expected a group of 'key: value' lines", \
            "indent the fields under this key"
    if kind.startswith(("int_", "float_")):
        return "wrong-type", f"expected a number, got '{got}'", "write a whole number, e.g. 3"
    if kind.startswith("date"):
        return "wrong-type", f"expected a date, got '{got}'", "write dates as YYYY-MM-DD"
    if kind.startswith("bool"):
        return "wrong-type", f"expected true or false, got '{got}'", "write true or false"
    return "record-rule", msg, ""
