"""Markdown pieces that hold any record text inertly (GitHub renders nothing inside them)."""

from __future__ import annotations

from typing import Any


def backtick_run(text: str) -> int:
    longest = run = 0
    for ch in text:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    return longest


def code_span(value: Any) -> str:
    """An inline code span that holds any text: GitHub renders nothing inside it."""
    text = " ".join(str("" if value is None else value).split())
    if len(text) > 120:
        text = text[:117] + "..."
    if not text:
        return "(empty)"
    fence = "`" * (backtick_run(text) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
