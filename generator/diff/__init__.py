"""`toolkit diff` (moved here from generator/diff.py)."""

from .compare import diff_command, diff_kb, to_markdown  # noqa: F401
