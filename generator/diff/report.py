"""The diff report: Markdown meant for a pull-request comment.

Record text is untrusted, so every value is printed inside a code span or a fenced block,
where GitHub renders no links, images, HTML or @mentions. Values of confidential questions
are not printed at all.
"""

from __future__ import annotations

from typing import Any

from ..problems import counted
from .compare import FieldChange, QuestionChange
from .markdown import backtick_run, code_span

# GitHub refuses comments over 65,536 characters; leave room for the workflow's header.
MAX_CHARS = 60_000


def _block(before: Any, after: Any) -> list[str]:
    """A fenced diff block: - before / + after, each line of a multi-line value prefixed."""
    lines = []
    for sign, value in (("-", before), ("+", after)):
        if value is None:
            continue
        for line in str(value).splitlines() or [""]:
            lines.append(f"{sign} {line}")
    fence = "`" * max(3, max((backtick_run(line) for line in lines), default=0) + 1)
    return [f"{fence}diff", *lines, fence]


def _value_lines(change: FieldChange) -> list[str]:
    if change.notes:
        return [f"  - {note}" for note in change.notes]
    a, b = change.before, change.after
    short = all(v is None or (len(str(v)) <= 80 and "\n" not in str(v)) for v in (a, b))
    # The question's wording is the change reviewers must read closely: always a diff.
    scalar = not isinstance(a, list | dict) and not isinstance(b, list | dict)
    if change.name != "text" and short and scalar:
        return [f"  - {code_span(a) if a is not None else '(none)'} → "
                f"{code_span(b) if b is not None else '(none)'}"]
    return ["", *("  " + line for line in _block(a, b))]


def _title(change: QuestionChange) -> str:
    q = change.question
    if change.confidential:
        return f"`{change.id}` ({q.sector}, confidential)"
    return f"`{change.id}` ({q.sector}): {code_span(q.text)}"


def _changed_section(change: QuestionChange, round_: int | None) -> list[str]:
    lines = [f"#### {_title(change)}", ""]
    if change.breaks_comparability:
        names = [f.name for f in change.fields if f.breaking]
        what = " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
        lines.append(f"> [!WARNING]\n> **Breaks comparability with earlier rounds**: the "
                     f"{what} of a question already asked changed.")
        if change.history_added:
            lines.append("> The change is recorded in `history`.")
        else:
            r = round_ or "N"
            lines.append(f"> Record it in `history` (e.g. `- round: {r}` / `change: ...`), or "
                         "keep the old wording and add a new question instead.")
        lines.append("")
    for f in change.fields:
        flag = " ⚠️" if change.asked_before and f.breaking else ""
        lines.append(f"- **{f.name}**{flag}")
        if change.confidential:
            lines.append("  - changed (values of confidential questions are not shown here; "
                         "see the file diff)")
        else:
            lines.extend(_value_lines(f))
    lines.append("")
    return lines


def to_markdown(base_label: str, head_label: str, changes: list[QuestionChange],
                files: list[tuple[str, str]], round_: int | None,
                max_chars: int = MAX_CHARS) -> str:
    by_kind: dict[str, list[QuestionChange]] = {}
    for c in changes:
        by_kind.setdefault(c.kind, []).append(c)
    breaking = [c for c in changes if c.breaks_comparability]
    counts = ", ".join(f"{len(by_kind.get(k, []))} {k}"
                       for k in ("added", "removed", "changed"))
    head = [f"## Knowledge base changes: {code_span(base_label)} → {code_span(head_label)}", ""]
    if not changes and not files:
        return "\n".join([*head, "No changes to the knowledge base.", ""])
    head += [f"Questions: {counts}.", ""]
    if breaking:
        verb = "breaks" if len(breaking) == 1 else "break"
        head.append(f"**{counted(len(breaking), 'change')} {verb} comparability with earlier "
                    "rounds** "
                    "(marked ⚠️ below).")
    head.append("")
    body: list[str] = []
    if by_kind.get("unreadable"):
        body += ["### Could not be compared", "",
                 "These files have errors; run `toolkit validate` and fix them first:", ""]
        body += [f"- {code_span(c.id)}: {code_span(c.where)}" for c in by_kind["unreadable"]]
        body.append("")
    if breaking:
        body += ["### ⚠️ Breaks comparability with earlier rounds", ""]
        body += [f"- {_title(c)}: " + ", ".join(f.name for f in c.fields if f.breaking)
                 + ("" if c.history_added else " (not yet in `history`)") for c in breaking]
        body.append("")
    if by_kind.get("added"):
        body += ["### Added", ""]
        body += [f"- {_title(c)}, status {code_span(c.question.status)}" for c in by_kind["added"]]
        body.append("")
    if by_kind.get("removed"):
        body += ["### Removed", ""]
        for c in by_kind["removed"]:
            line = f"- {_title(c)}"
            if c.asked_before:
                line += (" — asked in earlier rounds: prefer `status: dropped` and keep the "
                         "file, so earlier rounds can still be read")
            body.append(line)
        body.append("")
    if by_kind.get("changed"):
        body += ["### Changed", ""]
        for c in by_kind["changed"]:
            body += _changed_section(c, round_)
    if files:
        body += ["### Other kb files", ""]
        body += [f"- {kind}: {code_span('kb/' + path)}" for kind, path in files]
        body.append("")
    text = "\n".join(head + body)
    if len(text) > max_chars:
        cut = text.rfind("\n", 0, max_chars - 200)
        text = (text[:cut] + "\n\n*… the report is too long for a comment and was cut here: "
                "run `toolkit diff` locally for all of it.*\n")
    return text
