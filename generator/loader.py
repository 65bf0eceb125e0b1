"""Read kb/ into typed records, collecting every problem instead of stopping at the first."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .checks import check_references
from .errors_text import explain, field_path
from .kb import KnowledgeBase
from .models import (
    AnalysisPlan,
    Checklist,
    ChoiceList,
    Country,
    Dataset,
    Partner,
    Process,
    Question,
    Questionnaire,
    SectorList,
)
from .models.common import ID_RE
from .problems import InvalidKnowledgeBase, Problem, Report
from .yamlio import YamlDoc, YamlProblem, read_yaml

# kind -> (relative path, model); the single-file records of a kb.
SINGLE_FILES: dict[str, tuple[str, type[BaseModel]]] = {
    "country": ("country.yml", Country),
    "sectors": ("sectors.yml", SectorList),
    "process": ("process.yml", Process),
    "checklist": ("checklist.yml", Checklist),
    "analysis-plan": ("analysis-plan.yml", AnalysisPlan),
}
# kind -> (relative path, model); single files a kb may leave out.
OPTIONAL_FILES: dict[str, tuple[str, type[BaseModel]]] = {
    "questionnaire": ("questionnaire.yml", Questionnaire),
}
# kind -> (folder glob, model); records kept one per file.
FOLDERS: dict[str, tuple[str, type[BaseModel]]] = {
    "partner": ("partners/*", Partner),
    "question": ("questions/*/*", Question),
    "dataset": ("datasets/*", Dataset),
    "choices": ("choices/*", ChoiceList),
}
KNOWN_TOP = {p for p, _ in SINGLE_FILES.values()} | {"partners", "questions", "datasets", "schemas"}
KNOWN_TOP |= {p for p, _ in OPTIONAL_FILES.values()} | {"choices"}


@dataclass
class Loaded:
    """Records that parsed, with the YAML they came from (for line numbers in later checks)."""

    records: dict[str, Any]
    docs: dict[tuple[str, str], YamlDoc]
    rel: dict[tuple[str, str], str]
    # File names per folder kind, valid or not: a reference to a record whose file has its
    # own errors is not reported a second time as "unknown".
    names: dict[str, set[str]] = field(default_factory=dict)


class Loader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.report = Report()
        # Paths in messages are relative to the kb's parent so they match the repo layout.
        self.base = root.parent

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.base).as_posix()
        except ValueError:
            return path.as_posix()

    def problem(self, path: Path, line: int, fld: str, message: str, fix: str = "") -> None:
        self.report.add(Problem(self.rel(path), line, fld, message, fix))

    def parse(self, path: Path, model: type[BaseModel]) -> tuple[BaseModel | None, YamlDoc | None]:
        try:
            doc = read_yaml(path, within=self.root)
        except YamlProblem as err:
            self.problem(path, err.line, "", err.message, err.fix)
            return None, None
        except OSError as err:
            self.problem(path, 1, "", f"cannot read the file ({err.strerror})", "")
            return None, None
        if not isinstance(doc.data, dict):
            self.problem(
                path, 1, "", "the file must hold 'key: value' lines",
                "start from an existing record of the same kind",
            )
            return None, doc
        try:
            return model.model_validate(doc.data), doc
        except ValidationError as exc:
            for err in exc.errors():
                message, fix = explain(model, err)
                self.problem(path, doc.line(err["loc"]), field_path(err["loc"]), message, fix)
            return None, doc

    def load_all(self) -> Loaded:
        records: dict[str, Any] = {}
        docs: dict[tuple[str, str], YamlDoc] = {}
        rel: dict[tuple[str, str], str] = {}
        names: dict[str, set[str]] = {}
        if not self.root.is_dir():
            self.problem(self.root, 1, "", "the knowledge base folder does not exist",
                         "pass the path of a kb/ folder")
            return Loaded(records, docs, rel, names)
        for entry in sorted(self.root.iterdir()):
            if entry.name.startswith(".") or entry.name in KNOWN_TOP:
                continue
            self.problem(entry, 1, "", f"'{entry.name}' is not part of a kb",
                         "move it elsewhere or rename it to one of: "
                         + ", ".join(sorted(KNOWN_TOP)))
        for kind, (name, model) in (SINGLE_FILES | OPTIONAL_FILES).items():
            path = self.root / name
            if kind in OPTIONAL_FILES and not path.exists():
                continue
            if not path.is_file():
                self.problem(path, 1, "", "file is missing", f"create {name} (see the sample kb)")
                continue
            record, doc = self.parse(path, model)
            if doc is not None:
                docs[(kind, "")] = doc
                rel[(kind, "")] = self.rel(path)
            if record is not None:
                records[kind] = record
        for kind, (pattern, model) in FOLDERS.items():
            records[kind] = {}
            names[kind] = set()
            for path in sorted(self.root.glob(pattern)):
                if path.is_dir() or path.name.startswith("."):
                    continue
                if path.suffix != ".yml":
                    self.problem(path, 1, "", "kb records must end in .yml",
                                 f"rename it to {path.stem}.yml")
                    continue
                names[kind].add(path.stem)
                record, doc = self.parse(path, model)
                if record is None or doc is None:
                    continue
                self._check_file_name(kind, path, record, doc)
                key = (kind, record.id)  # type: ignore[attr-defined]
                if key in docs:
                    first = rel[key]
                    self.problem(path, doc.line(["id"]), "id",
                                 f"id '{record.id}' is already used by {first}",  # type: ignore[attr-defined]
                                 "give each record its own id (and file name)")
                    continue
                docs[key], rel[key] = doc, self.rel(path)
                records[kind][record.id] = record  # type: ignore[attr-defined]
        return Loaded(records, docs, rel, names)

    def _check_file_name(self, kind: str, path: Path, record: Any, doc: YamlDoc) -> None:
        if path.stem != record.id:
            self.problem(path, doc.line(["id"]), "id",
                         f"id '{record.id}' does not match the file name '{path.name}'",
                         f"rename the file to {record.id}.yml or set 'id: {path.stem}'")
        if kind == "question" and path.parent.name != record.sector:
            self.problem(path, doc.line(["sector"]), "sector",
                         f"sector '{record.sector}' does not match the folder "
                         f"'questions/{path.parent.name}/'",
                         f"move the file to kb/questions/{record.sector}/ or fix 'sector'")
        if not ID_RE.match(path.stem):
            self.problem(path, 1, "", "file name is not a valid id",
                         "use lowercase letters, digits and dashes")


def load(root: Path, *, internal: bool = False) -> tuple[KnowledgeBase | None, Report]:
    """Load and validate a kb. Returns the kb (None if any error) and the full report."""
    loader = Loader(root.resolve())
    loaded = loader.load_all()
    report = loader.report
    singles = all(kind in loaded.records for kind in SINGLE_FILES)
    report.extend(check_references(loaded))
    if not report.ok or not singles:
        return None, report
    r = loaded.records
    # Questions using a shared list carry its options too, so every page, the mock-ups, the
    # DAP and `toolkit diff` read one place.
    for qid, q in r["question"].items():
        if q.choices and q.choices in r["choices"]:
            r["question"][qid] = q.model_copy(update={"options": r["choices"][q.choices].options})
    kb = KnowledgeBase(
        root=root,
        country=r["country"],
        sectors={s.id: s for s in r["sectors"].sectors},
        partners=dict(sorted(r["partner"].items())),
        questions=dict(sorted(r["question"].items(), key=lambda kv: (kv[1].sector, kv[0]))),
        datasets=dict(sorted(r["dataset"].items())),
        process=r["process"],
        checklist=r["checklist"],
        plan=r["analysis-plan"],
        sources={k: v for k, v in loaded.rel.items()},
        internal=internal,
        choices=dict(sorted(r["choices"].items())),
        questionnaire=r.get("questionnaire"),
    )
    return kb, report


def load_or_raise(root: Path, *, internal: bool = False) -> KnowledgeBase:
    kb, report = load(root, internal=internal)
    if kb is None:
        raise InvalidKnowledgeBase(report)
    return kb
