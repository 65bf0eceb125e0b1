"""Checks across records: references resolve, every question meets the minimum criteria, no
value still says TODO.

References, TODOs and minimum-criteria texts are checked on each file's YAML values, not on
its typed record: a schema error elsewhere in a file (a wrong `type`, a repeated option code)
makes the record None, and must not hide a misspelt partner id in the same file.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from .errors_text import describe, field_path
from .i18n.validate import translation_problems
from .loaded import Loaded, Source
from .mockup.sentence import template_problems
from .models import MODELS, SINGLE_FILES, Dataset, Question
from .models.common import ID_RE
from .problems import Problem, listed, shown

# Words people type when they have not yet documented something.
PLACEHOLDER_TEXTS = {"tbd", "tbc", "todo", "n/a", "na", "-", "?", "...", "xxx", "to be defined"}
# A question is not collected unless these say something ("each dataset is either
# consistently analysed or not collected").
CRITERIA_FIELDS = (
    "purpose", "use", "criteria.not_available_elsewhere", "criteria.methodology_adequate",
    "criteria.analysis_capacity", "analysis.descriptive",
)
# A value still to fill in: "TODO", "TODO: ...", or a placeholder code such as todo_1
# (what `toolkit new` writes).
TODO_RE = re.compile(r"^\s*todo(?![a-z])", re.I)

Loc = tuple[str | int, ...]
EACH = "*"  # every item of a list
KEYS = "<keys>"  # every key of a mapping

# kind -> where its records refer to other records: (path in the file, target kind).
REFERENCES: dict[str, list[tuple[tuple[str, ...], str]]] = {
    "question": [
        (("sector",), "sector"),
        (("requested_by", EACH), "partner"),
        (("analysis", "analysed_by", EACH), "partner"),
        (("sharing", "partners", EACH), "partner"),
        (("key_informant", EACH), "key-informant"),
    ],
    "dataset": [(("questions", EACH), "question"), (("sharing", "partners", EACH), "partner")],
    "partner": [(("roles", KEYS), "step")],
    "sectors": [(("sectors", EACH, "coordinated_by", EACH), "partner")],
    "analysis-plan": [(("sign_off", EACH, "partner"), "partner")],
}
# target kind -> (what it is called, where its ids are)
TARGETS = {
    "partner": ("partner", "kb/partners/ (file names)"),
    "question": ("question", "kb/questions/ (file names)"),
    "sector": ("sector", "kb/sectors.yml"),
    "step": ("process step", "kb/process.yml"),
    "key-informant": ("key informant type", "msla.key_informant_types in kb/country.yml"),
}
# Where the ids of the targets defined inside single files are: (kind, path).
DEFINED_IN = {
    "sector": ("sectors", ("sectors", EACH, "id")),
    "step": ("process", ("steps", EACH, "id")),
    "key-informant": ("country", ("msla", "key_informant_types", EACH, "id")),
}


def values_at(data: Any, pattern: Sequence[str], loc: Loc = ()) -> Iterator[tuple[Loc, Any]]:
    """(location, value) of every value of `data` along `pattern` (EACH/KEYS for wildcards).

    Parts of the wrong shape are skipped: the schema check reports them.
    """
    if not pattern:
        yield loc, data
        return
    head, rest = pattern[0], pattern[1:]
    if head == EACH:
        if isinstance(data, list):
            for i, item in enumerate(data):
                yield from values_at(item, rest, (*loc, i))
    elif head == KEYS:
        if isinstance(data, dict):
            for key in data:
                yield (*loc, str(key)), key
    elif isinstance(data, dict) and head in data:
        yield from values_at(data[head], rest, (*loc, head))


def _id(value: Any) -> str | None:
    """The value as the model reads an id (whitespace stripped), None if it is not one."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value if ID_RE.match(value) else None


# Lowercase letters and digits that read alike in many fonts ("wash-c1uster" for
# "wash-cluster"). Ids are ASCII slugs, so this short list covers them.
# Single characters first, so "c1" becomes "cl" before pairs such as "cl" -> "d" are read.
_LOOKALIKES = (("1", "l"), ("0", "o"), ("rn", "m"), ("vv", "w"), ("cl", "d"))


def _skeleton(text: str) -> str:
    for pair, single in _LOOKALIKES:
        text = text.replace(pair, single)
    return text


def suggest(ref: str, known: Iterable[str]) -> str:
    """A "did you mean" for a misspelt id, or "" when none is safe to offer.

    Only valid ids that exist are offered. None is offered when it looks the same as what was
    typed (the person would see two identical ids) or as another known id: a look-alike
    record planted by someone else must never be the one the message steers a contributor to.
    """
    valid = sorted({k for k in known if ID_RE.match(k)})
    if not ID_RE.match(ref):
        return ""
    close = difflib.get_close_matches(ref, valid, n=1)
    if not close:
        return ""
    best, look = close[0], _skeleton(close[0])
    if _skeleton(ref) == look or any(_skeleton(k) == look for k in valid if k != best):
        return ""
    return f"did you mean '{best}'? "


def _strings(data: Any, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*loc, str(key)))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _strings(value, (*loc, i))
    elif isinstance(data, str):
        yield loc, data


class Checker:
    def __init__(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.problems: list[Problem] = []
        r = loaded.records
        self.questions: dict[str, Question] = r.get("question", {})
        self.datasets: dict[str, Dataset] = r.get("dataset", {})
        self.singles = {s.kind: s for s in loaded.sources if s.kind in SINGLE_FILES}
        country = self.singles.get("country")
        number = _get(country.doc.data, ("round", "number")) if country else None
        self.round = number if type(number) is int else None
        self.known = {target: self._known(target) for target in TARGETS}

    def _known(self, target: str) -> set[str] | None:
        """Ids a reference to `target` may use; None when the file defining them is unreadable
        or lists none (reported there already, so its references are not reported again)."""
        if target in ("partner", "question"):
            typed = set(self.loaded.records.get(target, {}))
            return typed | self.loaded.names.get(target, set())
        kind, pattern = DEFINED_IN[target]
        source = self.singles.get(kind)
        if source is None:
            return None
        ids = {i for _, v in values_at(source.doc.data, pattern) if (i := _id(v))}
        return ids or None

    def add(self, source: Source, loc: Sequence[str | int], fld: str, msg: str, fix: str,
            *, code: str, severity: str = "error") -> None:
        self.problems.append(Problem(source.rel, source.doc.line(loc), fld, msg, fix,
                                     severity, code=code))  # type: ignore[arg-type]

    def at(self, kind: str, rid: str, loc: Sequence[str | int], fld: str, msg: str,
           fix: str, severity: str = "error", *, code: str) -> None:
        doc = self.loaded.docs.get((kind, rid))
        path = self.loaded.rel.get((kind, rid), kind)
        line = doc.line(loc) if doc else 1
        self.problems.append(Problem(path, line, fld, msg, fix, severity,  # type: ignore[arg-type]
                                     code=code))

    def run(self) -> list[Problem]:
        for source in self.loaded.sources:
            self.references(source)
            self.todos(source)
            if source.kind == "question":
                self.question_values(source)
        for q in self.questions.values():
            self.question(q)
        for d in self.datasets.values():
            self.dataset(d)
        self.problems.extend(translation_problems(self.loaded))
        return self.problems

    def references(self, source: Source) -> None:
        for pattern, target in REFERENCES.get(source.kind, ()):
            known = self.known[target]
            if known is None:
                continue
            what, where = TARGETS[target]
            for loc, value in values_at(source.doc.data, pattern):
                ref = _id(value)
                # Not an id at all: the schema check reports it (as invalid-id or wrong-type).
                if ref is None or ref in known:
                    continue
                self.add(source, loc, field_path(loc), f"unknown {what} '{shown(ref)}'",
                         suggest(ref, known) + f"use an id from {where}",
                         code="unknown-reference")

    def todos(self, source: Source) -> None:
        """Every value that still says TODO, with its line: the to-do list of `toolkit new`."""
        model = MODELS.get(source.kind)
        for loc, value in _strings(source.doc.data):
            if not TODO_RE.match(value) or value == "todo":
                # A bare lowercase "todo" is an id reference: reported as an unknown id.
                continue
            fld = field_path(loc)
            if (source.kind == "question" and fld in CRITERIA_FIELDS
                    and value.strip().lower() in PLACEHOLDER_TEXTS):
                continue  # reported as criteria-missing
            hint = describe(model, loc) if model else ""
            what = f" ({hint.rstrip('.')})" if hint else " (the comment above it says what)"
            self.add(source, loc, fld, "not filled in yet (still says TODO)",
                     f"write the real value instead{what}", code="todo-left")

    def question_values(self, source: Source) -> None:
        data = source.doc.data
        for fld in CRITERIA_FIELDS:
            loc = tuple(fld.split("."))
            value = _get(data, loc)
            if isinstance(value, str) and value.strip().lower() in PLACEHOLDER_TEXTS:
                self.add(source, loc, fld,
                         f"'{shown(value.strip())}' does not document it: the question fails "
                         "the minimum criteria",
                         "write what partners agreed, or set 'status: proposed' until they do",
                         code="criteria-missing")
        if self.round is None:
            return
        since = _get(data, ("since_round",))
        if type(since) is int and since > self.round:
            self.add(source, ("since_round",), "since_round",
                     f"round {shown(since)} is after the current round {self.round}",
                     "use the round the question was first asked in", code="round-in-future")
        for loc, value in values_at(data, ("history", EACH, "round")):
            if type(value) is int and value > self.round:
                self.add(source, loc, field_path(loc),
                         f"round {shown(value)} is after the current round {self.round}",
                         "use a past or the current round", code="round-in-future")

    def question(self, q: Question) -> None:
        """Checks that need the whole typed question."""
        k = "question"
        if q.mockup.chart == "stacked-bar" and not q.analysis.disaggregation:
            self.at(k, q.id, ["mockup", "chart"], "mockup.chart",
                    "a stacked bar needs a disaggregation; a plain bar will be drawn",
                    "add 'disaggregation: [admin1]' under analysis or use 'chart: bar'",
                    severity="warning", code="chart-needs-disaggregation")
        for fld, message in template_problems(q):
            self.at(k, q.id, fld.split("."), fld, message, "", code="placeholder-unknown")

    def dataset(self, d: Dataset) -> None:
        k = "dataset"
        for i, qid in enumerate(d.questions):
            q = self.questions.get(qid)
            if q is None or q.sharing.modality == "public":
                continue
            if d.sharing.modality == "public":
                self.at(k, d.id, ["questions", i], f"questions[{i + 1}]",
                        f"question '{qid}' is {q.sharing.modality} but this dataset is public",
                        f"remove the question from this dataset or share the dataset as "
                        f"{q.sharing.modality}", code="sharing-conflict")
                continue
            # Restricted data may only reach the partners its question's agreement names.
            extra = [p for p in d.sharing.partners if p not in q.sharing.partners]
            if extra:
                self.at(k, d.id, ["questions", i], f"questions[{i + 1}]",
                        f"question '{qid}' may be shared only with "
                        f"{listed(q.sharing.partners)}, but this dataset also goes to "
                        f"{listed(extra)}",
                        "remove those partners from the dataset or add them to the "
                        "question's sharing.partners once they have signed the agreement",
                        code="sharing-conflict")
        if d.link and d.sharing.modality != "public":
            self.at(k, d.id, ["link"], "link", "only public datasets have a public link",
                    "remove 'link' or make the dataset public", code="sharing-conflict")


def _get(data: Any, loc: Sequence[str]) -> Any:
    for part in loc:
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def check_references(loaded: Loaded) -> list[Problem]:
    return Checker(loaded).run()
