"""Compare the questions of two kb snapshots field by field.

Changes to the wording, type or reply options of a question already asked in earlier rounds
break comparability: results are then no longer comparable across rounds, and the change
belongs in the question's `history`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# The comparability rules live in generator/comparability.py (the library uses them too).
from ..comparability import BREAKING, REORDERED, FieldChange, compare_question  # noqa: F401
from ..loader import Loader
from ..models import Question


@dataclass
class Snapshot:
    label: str
    questions: dict[str, Question]
    unreadable: dict[str, str]  # question id (file name) -> file, for files that failed
    files: dict[str, bytes]  # every other kb file (kb-relative path) -> content
    round: int | None
    # Adopting questions: question id -> overridden field -> its reason. The reason is not
    # part of the question as asked, yet reviewers must see it change (same value, new why).
    reasons: dict[str, dict[str, str]] = field(default_factory=dict)


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
    reasons = {qid: _override_reasons(loaded.docs[("question", qid)].data)
               for qid in questions if ("question", qid) in loaded.docs}
    return Snapshot(label, questions, unreadable, files,
                    country.round.number if country else None,
                    {qid: r for qid, r in reasons.items() if r})


def _override_reasons(data: object) -> dict[str, str]:
    overrides = data.get("overrides") if isinstance(data, dict) else None
    if not isinstance(overrides, dict):
        return {}
    return {str(path): entry["reason"] for path, entry in overrides.items()
            if isinstance(entry, dict) and isinstance(entry.get("reason"), str)}


def _reason_changes(before: dict[str, str], after: dict[str, str]) -> list[FieldChange]:
    return [FieldChange(f"overrides.{path}.reason", before.get(path), after.get(path))
            for path in [*before, *(p for p in after if p not in before)]
            if before.get(path) != after.get(path)]


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
            fields = compare_question(old, new) + _reason_changes(
                base.reasons.get(qid, {}), head.reasons.get(qid, {}))
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
