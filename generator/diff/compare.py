"""`toolkit diff BASE`: what a pull request changes in the questions, field by field.

The kb at BASE is read from git (`git archive`, no checkout) and both sides go through the
loader. Changes to the wording, type or reply options of a question already asked in
earlier rounds are flagged: results are then no longer comparable across rounds, and the
change belongs in the question's `history`.

The report is Markdown meant for a pull-request comment. Record text is untrusted, so every
value is printed inside a code span or a fenced block, where GitHub renders no links,
images, HTML or @mentions. Values of confidential questions are not printed at all.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import click

from ..loader import Loader
from ..models import Question

# Fields whose change makes answers incomparable with earlier rounds.
BREAKING = ("text", "type", "options")
REORDERED = "options reordered"
# GitHub refuses comments over 65,536 characters; leave room for the workflow's header.
MAX_CHARS = 60_000


class DiffError(click.ClickException):
    """The comparison could not be made (not a git repository, unknown ref...)."""


# --- reading both sides -----------------------------------------------------------------

@dataclass
class Snapshot:
    label: str
    questions: dict[str, Question]
    unreadable: dict[str, str]  # question id (file name) -> file, for files that failed
    files: dict[str, bytes]  # every other kb file (kb-relative path) -> content
    round: int | None


def snapshot(root: Path, label: str) -> Snapshot:
    if not root.is_dir():
        return Snapshot(label, {}, {}, {}, None)
    loaded = Loader(root.resolve()).load_all()
    questions: dict[str, Question] = loaded.records.get("question", {})
    unreadable = {}
    for path in sorted(root.glob("questions/*/*.yml")):
        if path.stem not in questions:
            unreadable[path.stem] = path.relative_to(root.parent).as_posix()
    files = {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
        and path.relative_to(root).parts[0] not in ("questions", "schemas")
    }
    country = loaded.records.get("country")
    return Snapshot(label, questions, unreadable, files, country.round.number if country else None)


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)


def repo_root(kb: Path) -> Path:
    start = kb if kb.is_dir() else Path.cwd()
    done = _git(["rev-parse", "--show-toplevel"], start)
    if done.returncode != 0:
        raise DiffError(f"{kb} is not inside a git repository: toolkit diff compares git refs")
    return Path(done.stdout.decode().strip()).resolve()


def resolve_ref(ref: str, top: Path) -> str:
    done = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"],
                top)
    if done.returncode != 0:
        raise DiffError(f"unknown git ref '{ref}': use a branch, tag or commit, e.g. origin/main")
    return done.stdout.decode().strip()


def extract_kb(sha: str, kb_rel: PurePosixPath, top: Path, dest: Path) -> Path:
    """Write the kb folder as it is at commit sha under dest; return its path there."""
    target = dest / kb_rel
    if _git(["cat-file", "-e", f"{sha}:{kb_rel.as_posix()}"], top).returncode != 0:
        return target  # no kb at that commit: everything is new
    done = _git(["archive", "--format=tar", sha, "--", kb_rel.as_posix()], top)
    if done.returncode != 0:
        raise DiffError(f"git archive failed: {done.stderr.decode(errors='replace').strip()}")
    with tarfile.open(fileobj=io.BytesIO(done.stdout)) as archive:
        # The "data" filter refuses absolute paths, ../ and links out of dest.
        archive.extractall(dest, filter="data")
    return target


# --- comparing ----------------------------------------------------------------------------

@dataclass
class FieldChange:
    name: str  # dotted field path
    before: Any
    after: Any
    notes: list[str] = field(default_factory=list)  # item-level detail (options, lists)

    @property
    def breaking(self) -> bool:
        # Options only in a new order are the same options: answers stay comparable.
        return self.name in BREAKING and self.notes != [REORDERED]


@dataclass
class QuestionChange:
    id: str
    kind: str  # added, removed, changed, unreadable
    before: Question | None = None
    after: Question | None = None
    fields: list[FieldChange] = field(default_factory=list)
    asked_before: bool = False
    history_added: bool = False
    where: str = ""

    @property
    def confidential(self) -> bool:
        return any(q is not None and q.sharing.modality == "confidential"
                   for q in (self.before, self.after))

    @property
    def breaks_comparability(self) -> bool:
        return self.asked_before and any(f.breaking for f in self.fields)

    @property
    def question(self) -> Question:
        q = self.after or self.before
        assert q is not None
        return q


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
        notes.append(f"added option {_code(code)} {_code(new[code])}")
    for code in old.keys() - new.keys():
        notes.append(f"removed option {_code(code)} {_code(old[code])}")
    for code in old.keys() & new.keys():
        if old[code] != new[code]:
            notes.append(f"option {_code(code)} relabelled {_code(old[code])} → "
                         f"{_code(new[code])}")
    return sorted(notes)


def _list_notes(before: list[Any], after: list[Any]) -> list[str]:
    if all(isinstance(x, str) for x in before + after):
        added = [x for x in after if x not in before]
        removed = [x for x in before if x not in after]
        notes = [f"added {_code(x)}" for x in added] + [f"removed {_code(x)}" for x in removed]
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
            change.notes = _option_notes(a or [], b or [])
            if not change.notes:
                change.notes = [REORDERED]
        elif name == "history":
            change.notes = [f"added round {h['round']}: {_code(h['change'])}"
                            for h in b or [] if h not in (a or [])]
            change.notes += [f"removed round {h['round']}: {_code(h['change'])}"
                             for h in a or [] if h not in (b or [])]
        elif isinstance(a, list) and isinstance(b, list):
            change.notes = _list_notes(a, b)
        changes.append(change)
    return changes


def _asked_before(q: Question, current_round: int | None) -> bool:
    if q.status == "agreed":
        return True
    return q.since_round is not None and current_round is not None and q.since_round < current_round


def compare(base: Snapshot, head: Snapshot) -> list[QuestionChange]:
    current = head.round or base.round
    out = []
    ids = sorted(base.questions.keys() | head.questions.keys()
                 | base.unreadable.keys() | head.unreadable.keys())
    for qid in ids:
        if qid in base.unreadable or qid in head.unreadable:
            side = head if qid in head.unreadable else base
            out.append(QuestionChange(qid, "unreadable", where=f"{side.unreadable[qid]} "
                                      f"({side.label})"))
            continue
        old, new = base.questions.get(qid), head.questions.get(qid)
        if old is None:
            out.append(QuestionChange(qid, "added", after=new))
        elif new is None:
            out.append(QuestionChange(qid, "removed", before=old,
                                      asked_before=_asked_before(old, current)))
        else:
            fields = compare_question(old, new)
            if fields:
                history = next((f for f in fields if f.name == "history"), None)
                added = history is not None and any(
                    h not in old.history for h in new.history)
                out.append(QuestionChange(qid, "changed", old, new, fields,
                                          _asked_before(old, current), added))
    return out


def file_changes(base: Snapshot, head: Snapshot) -> list[tuple[str, str]]:
    out = []
    for path in sorted(base.files.keys() | head.files.keys()):
        a, b = base.files.get(path), head.files.get(path)
        if a != b:
            out.append(("added" if a is None else "removed" if b is None else "changed", path))
    return out


# --- Markdown -----------------------------------------------------------------------------

def _backtick_run(text: str) -> int:
    longest = run = 0
    for ch in text:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    return longest


def _code(value: Any) -> str:
    """An inline code span that holds any text: GitHub renders nothing inside it."""
    text = " ".join(str("" if value is None else value).split())
    if len(text) > 120:
        text = text[:117] + "..."
    if not text:
        return "(empty)"
    fence = "`" * (_backtick_run(text) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _block(before: Any, after: Any) -> list[str]:
    """A fenced diff block: - before / + after, each line of a multi-line value prefixed."""
    lines = []
    for sign, value in (("-", before), ("+", after)):
        if value is None:
            continue
        for line in str(value).splitlines() or [""]:
            lines.append(f"{sign} {line}")
    fence = "`" * max(3, max((_backtick_run(line) for line in lines), default=0) + 1)
    return [f"{fence}diff", *lines, fence]


def _value_lines(change: FieldChange) -> list[str]:
    if change.notes:
        return [f"  - {note}" for note in change.notes]
    a, b = change.before, change.after
    short = all(v is None or (len(str(v)) <= 80 and "\n" not in str(v)) for v in (a, b))
    # The question's wording is the change reviewers must read closely: always a diff.
    scalar = not isinstance(a, list | dict) and not isinstance(b, list | dict)
    if change.name != "text" and short and scalar:
        return [f"  - {_code(a) if a is not None else '(none)'} → "
                f"{_code(b) if b is not None else '(none)'}"]
    return ["", *("  " + line for line in _block(a, b))]


def _title(change: QuestionChange) -> str:
    q = change.question
    if change.confidential:
        return f"`{change.id}` ({q.sector}, confidential)"
    return f"`{change.id}` ({q.sector}): {_code(q.text)}"


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
    head = [f"## Knowledge base changes: {_code(base_label)} → {_code(head_label)}", ""]
    if not changes and not files:
        return "\n".join([*head, "No changes to the knowledge base.", ""])
    head += [f"Questions: {counts}.", ""]
    if breaking:
        head.append(f"**{len(breaking)} change(s) break comparability with earlier rounds** "
                    "(marked ⚠️ below).")
    head.append("")
    body: list[str] = []
    if by_kind.get("unreadable"):
        body += ["### Could not be compared", "",
                 "These files have errors; run `toolkit validate` and fix them first:", ""]
        body += [f"- {_code(c.id)}: {_code(c.where)}" for c in by_kind["unreadable"]]
        body.append("")
    if breaking:
        body += ["### ⚠️ Breaks comparability with earlier rounds", ""]
        body += [f"- {_title(c)}: " + ", ".join(f.name for f in c.fields if f.breaking)
                 + ("" if c.history_added else " (not yet in `history`)") for c in breaking]
        body.append("")
    if by_kind.get("added"):
        body += ["### Added", ""]
        body += [f"- {_title(c)}, status {_code(c.question.status)}" for c in by_kind["added"]]
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
        body += [f"- {kind}: {_code('kb/' + path)}" for kind, path in files]
        body.append("")
    text = "\n".join(head + body)
    if len(text) > max_chars:
        cut = text.rfind("\n", 0, max_chars - 200)
        text = (text[:cut] + "\n\n*… the report is too long for a comment and was cut here: "
                "run `toolkit diff` locally for all of it.*\n")
    return text


# --- the command --------------------------------------------------------------------------

@dataclass
class DiffResult:
    markdown: str
    changes: list[QuestionChange]
    complete: bool


def diff_kb(base: str, kb: Path, head: str | None = None) -> DiffResult:
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


@click.command("diff")
@click.argument("base")
@click.argument("kb", type=click.Path(file_okay=False, path_type=Path), default=Path("kb"),
                required=False)
@click.option("--head", help="Compare with this git ref instead of the working tree.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the report to this file (e.g. for a pull-request comment).")
def diff_command(base: str, kb: Path, head: str | None, output: Path | None) -> None:
    """Questions added, removed or changed in KB since the git ref BASE, field by field.

    Flags changes that break comparability with earlier rounds. Prints Markdown (fit for a
    pull-request comment). Exits 0 whatever the differences; 1 if the comparison could not
    be made or some question files could not be read.
    """
    result = diff_kb(base, kb, head)
    click.echo(result.markdown, nl=False)
    if output is not None:
        output.write_text(result.markdown, encoding="utf-8")
    if not result.complete:
        click.echo("Some question files could not be read: run 'toolkit validate'.", err=True)
        raise SystemExit(1)
