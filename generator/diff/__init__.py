"""`toolkit diff BASE`: what a pull request changes in the questions, field by field.

The kb at BASE is read from git (git_access), both sides go through the loader and are
compared question by question (compare), and the result is written as Markdown for a
pull-request comment (report).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .compare import QuestionChange, compare, file_changes, snapshot
from .git_access import DiffError, extract_kb, repo_root, resolve_ref
from .report import to_markdown

__all__ = ["DiffError", "DiffResult", "diff_kb", "to_markdown"]


@dataclass
class DiffResult:
    markdown: str
    changes: list[QuestionChange]
    complete: bool  # False when some question files could not be read


def diff_kb(base: str, kb: Path, head: str | None = None) -> DiffResult:
    """Compare kb at the git ref base with head (a ref, or the working tree if None)."""
    top = repo_root(kb)
    try:
        kb_rel = PurePosixPath(kb.resolve().relative_to(top).as_posix())
    except ValueError:
        raise DiffError(f"{kb} is not inside the git repository at {top}") from None
    base_sha = resolve_ref(base, top)
    with tempfile.TemporaryDirectory(prefix="toolkit-diff-") as tmp:
        base_snap = snapshot(extract_kb(base_sha, kb_rel, top, Path(tmp) / "base"), base)
        if head is None:
            head_snap = snapshot(kb, "working tree")
        else:
            head_sha = resolve_ref(head, top)
            head_snap = snapshot(extract_kb(head_sha, kb_rel, top, Path(tmp) / "head"), head)
    changes = compare(base_snap, head_snap)
    markdown = to_markdown(base, head or "working tree", changes,
                           file_changes(base_snap, head_snap), head_snap.round or base_snap.round)
    return DiffResult(markdown, changes, not any(c.kind == "unreadable" for c in changes))
