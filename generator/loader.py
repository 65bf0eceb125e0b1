"""Read kb/ into typed records, collecting every problem instead of stopping at the first."""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from .checks import TODO_RE, check_references
from .errors import InvalidKnowledgeBase
from .errors_text import explain, field_path
from .kb import KnowledgeBase
from .loaded import Loaded, Source
from .models import FOLDERS, OPTIONAL_FILES, SINGLE_FILES, Question
from .models.common import ID_RE
from .problems import Problem, Report, shown
from .yamlio import YamlDoc, YamlProblem, parse_yaml, read_bytes

if TYPE_CHECKING:
    from .library.adoption import Adoptions
    from .parse_memo import ParseMemo

__all__ = ["FOLDERS", "SINGLE_FILES", "Loaded", "Loader", "load", "load_or_raise"]

KNOWN_TOP = {p for p, _ in SINGLE_FILES.values()} | {"partners", "questions", "datasets", "schemas",
                                                     "needs", "use-reviews", "feedback",
                                                     "products"}
KNOWN_TOP |= {p for p, _ in OPTIONAL_FILES.values()} | {"choices"}
# Documentation may sit beside the records (kb/README.md, kb/SOURCES.md, partners/README.md,
# a LICENSE); the loader never reads it. Names starting with "." (.gitkeep) are skipped too.
DOC_SUFFIXES = {".md", ".markdown", ".rst", ".txt"}
DOC_NAMES = {"LICENSE", "LICENCE", "COPYING", "NOTICE", "AUTHORS", "CODEOWNERS"}
WHERE = {"partner": "kb/partners/<id>.yml", "question": "kb/questions/<sector>/<id>.yml",
         "dataset": "kb/datasets/<id>.yml", "need": "kb/needs/<id>.yml",
         "use-review": "kb/use-reviews/<id>.yml", "feedback": "kb/feedback/<id>.yml",
         "product": "kb/products/<id>.yml", "choices": "kb/choices/<id>.yml"}
# Errors a value still saying TODO also gets from the model: todo-left reports it once.
TODO_MASKS = {"wrong-type", "unknown-enum", "invalid-format", "invalid-id"}
# A model-level rule (pydantic loc ()) is shown at the field it is about, if the file has it.
RULE_FIELDS = {"options-mismatch": ("options", "type"), "duplicate-option": ("options",)}


def is_documentation(path: Path, is_dir: bool | None = None) -> bool:
    """is_dir: path.is_dir() if the caller knows it already."""
    if path.is_dir() if is_dir is None else is_dir:
        return False
    return path.suffix.lower() in DOC_SUFFIXES or path.name.split(".")[0].upper() in DOC_NAMES


class FolderScan:
    """The kb's folders, each listed once (os.scandir) for a load: what Path.glob gave the
    loader (a glob per kind of record, a pathlib object per step) at a fraction of the cost.
    The same paths in the same order, hidden files and links included; a link is a folder
    if it leads to one, as for Path.is_dir."""

    def __init__(self) -> None:
        self.scans: dict[Path, list[tuple[str, bool]] | OSError] = {}

    def entries(self, folder: Path) -> list[tuple[str, bool]]:
        """(name, is a folder) of each entry of folder, by name; raises OSError as
        os.scandir does (as Path.iterdir)."""
        kept = self.scans.get(folder)
        if kept is None:
            try:
                with os.scandir(folder) as it:
                    kept = sorted((e.name, _is_dir(e)) for e in it)
            except OSError as err:
                kept = err
            self.scans[folder] = kept
        if isinstance(kept, OSError):
            raise kept
        return kept

    def glob(self, root: Path, pattern: str) -> list[tuple[Path, bool]]:
        """sorted(root.glob(pattern)) with each path's is_dir(), for a FOLDERS pattern (a
        folder, then one or more '*')."""
        first, *stars = pattern.split("/")
        if not stars or any(s != "*" for s in stars) or "*" in first:
            raise ValueError(f"unsupported pattern {pattern!r}")
        top = root / first
        if not top.is_dir():
            return []
        level: list[tuple[Path, bool]] = [(top, True)]
        for depth in range(len(stars)):
            last = depth == len(stars) - 1
            # Sorted level by level: the same order as sorted() gives paths (part by part).
            level = [(folder / name, is_dir) for folder, _ in level
                     for name, is_dir in self._listed(folder) if last or is_dir]
        return level

    def _listed(self, folder: Path) -> list[tuple[str, bool]]:
        try:
            return self.entries(folder)
        except PermissionError:  # Path.glob skips a folder it may not read
            return []


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a link loop: Path.is_dir says False, and Path.glob skips it too
        return False


class Loader:
    # What a kb holds; a library kb (generator/library/) holds other files.
    single_files = SINGLE_FILES
    optional_files = OPTIONAL_FILES
    folders = FOLDERS
    known_top = KNOWN_TOP

    def __init__(self, root: Path, memo: ParseMemo | None = None) -> None:
        self.root = root
        # Files parsed by an earlier build of this process (mkdocs serve), by their bytes.
        self.memo = memo
        self.report = Report()
        # Paths in messages are relative to the kb's parent so they match the repo layout.
        self.base = root.parent
        self.base_prefix = self.base.as_posix().rstrip("/") + "/"
        # Real paths of the kb's folders, for this load only (a link may change between).
        self.realpath = functools.cache(os.path.realpath)
        # The country's library (country.yml `library:`), set once country.yml is read.
        self.adoptions: Adoptions | None = None

    def rel(self, path: Path) -> str:
        text = path.as_posix()
        if text.startswith(self.base_prefix):  # relative_to, without parsing both paths
            return text[len(self.base_prefix):]
        try:
            return path.relative_to(self.base).as_posix()
        except ValueError:
            return path.as_posix()

    def problem(self, path: Path, line: int, fld: str, message: str, fix: str = "", *,
                code: str) -> None:
        self.report.add(Problem(self.rel(path), line, fld, message, fix, code=code))

    def parse(self, path: Path, model: type[BaseModel]) -> tuple[BaseModel | None, YamlDoc | None]:
        """The typed record (None if the model refuses it) and the YAML, if it is a mapping."""
        try:
            raw = read_bytes(path, within=self.root, realpath=self.realpath)
        except YamlProblem as err:
            self.problem(path, err.line, "", err.message, err.fix, code=err.code)
            return None, None
        except OSError as err:
            self.problem(path, 1, "", f"cannot read the file ({err.strerror})", "",
                         code="unreadable-file")
            return None, None
        if self.memo is None:
            return self._parse(path, raw, model)
        kept = self.memo.get(path, model, raw)
        if kept is not None:
            self.report.extend(list(kept.problems))
            return kept.record, kept.doc
        start = len(self.report.problems)
        record, doc = self._parse(path, raw, model)
        doc = self.memo.put(path, model, raw, record, doc, self.report.problems[start:])
        return record, doc

    def _parse(self, path: Path, raw: bytes,
               model: type[BaseModel]) -> tuple[BaseModel | None, YamlDoc | None]:
        try:
            doc = parse_yaml(path, raw)
        except YamlProblem as err:
            self.problem(path, err.line, "", err.message, err.fix, code=err.code)
            return None, None
        if not isinstance(doc.data, dict):
            self.problem(
                path, 1, "", "the file must hold 'key: value' lines",
                "start from an existing record of the same kind", code="not-a-mapping",
            )
            return None, None
        if self.adoptions is not None and model is Question and "adopts" in doc.data:
            record, problems = self.adoptions.parse(self.rel(path), doc)
            self.report.extend(problems)
            return record, doc
        try:
            return model.model_validate(doc.data), doc
        except ValidationError as exc:
            for err in exc.errors():
                code, message, fix = explain(model, err)
                value = err.get("input")
                if code in TODO_MASKS and isinstance(value, str) and TODO_RE.match(value) \
                        and value != "todo":
                    continue
                loc = err["loc"] or next(
                    ((f,) for f in RULE_FIELDS.get(code, ()) if f in doc.data), ())
                self.problem(path, self.line(doc, loc, code), field_path(loc), message, fix,
                             code=code)
            return None, doc

    @staticmethod
    def line(doc: YamlDoc, loc: tuple[str | int, ...], code: str) -> int:
        """The line to show: a missing field is reported at its parent's line (the `analysis:`
        key for analysis.analysed_by), and a missing top-level field at the top of the file,
        not at whichever field happens to come first."""
        if code == "missing-field" and len(loc) == 1:
            return 1
        return doc.line(loc)

    def load_all(self) -> Loaded:
        records: dict[str, Any] = {}
        docs: dict[tuple[str, str], YamlDoc] = {}
        rel: dict[tuple[str, str], str] = {}
        names: dict[str, set[str]] = {}
        sources: list[Source] = []
        if not self.root.is_dir():
            self.problem(self.root, 1, "", "the knowledge base folder does not exist",
                         "pass the path of a kb/ folder", code="kb-missing")
            return Loaded(records, docs, rel, names, sources)
        scan = FolderScan()
        for name, is_dir in scan.entries(self.root):
            entry = self.root / name
            if name.startswith(".") or name in self.known_top \
                    or is_documentation(entry, is_dir):
                continue
            self.problem(entry, 1, "", f"'{shown(entry.name)}' is not part of a kb",
                         "move it elsewhere or rename it to one of: "
                         + ", ".join(sorted(self.known_top)) + " (documentation such as README.md "
                         "may stay)", code="stray-file")
        for kind, (name, model) in (self.single_files | self.optional_files).items():
            path = self.root / name
            if kind in self.optional_files and not path.exists():
                continue
            if not path.is_file():
                self.problem(path, 1, "", "file is missing", f"create {name} (see the sample kb)",
                             code="file-missing")
                continue
            record, doc = self.parse(path, model)
            if doc is not None:
                docs[(kind, "")] = doc
                rel[(kind, "")] = self.rel(path)
                sources.append(Source(kind, self.rel(path), doc, record))
            if record is not None:
                records[kind] = record
        if "country" in self.single_files:
            from .library.resolve import adoptions_for  # the library package uses the loader
            self.adoptions = adoptions_for(Loader, self.root, docs.get(("country", "")),
                                           self.report)
        for kind, (pattern, model) in self.folders.items():
            records[kind] = {}
            names[kind] = set()
            self._stray_in_questions(kind, scan)
            for path, is_dir in scan.glob(self.root, pattern):
                if path.name.startswith(".") or is_documentation(path, is_dir):
                    continue
                if is_dir:
                    self.problem(path, 1, "", f"folder '{shown(path.name)}' is not part of a kb",
                                 f"records go directly in {WHERE[kind]}", code="stray-file")
                    continue
                if path.suffix != ".yml":
                    fix = (f"rename it to {shown(path.stem)}.yml" if path.suffix == ".yaml"
                           else "records are .yml files; move other files out of the kb")
                    self.problem(path, 1, "", "kb records must end in .yml", fix,
                                 code="wrong-extension")
                    continue
                names[kind].add(path.stem)
                record, doc = self.parse(path, model)
                if doc is None:
                    continue
                where = self.rel(path)
                sources.append(Source(kind, where, doc, record))
                self._check_file_name(kind, path, doc)
                if record is None:
                    continue
                key = (kind, record.id)  # type: ignore[attr-defined]
                if key in docs:
                    first = rel[key]
                    self.problem(path, doc.line(["id"]), "id",
                                 f"id '{record.id}' is already used by {first}",  # type: ignore[attr-defined]
                                 "give each record its own id (and file name)",
                                 code="duplicate-id")
                    continue
                docs[key], rel[key] = doc, where
                records[kind][record.id] = record  # type: ignore[attr-defined]
        return Loaded(records, docs, rel, names, sources)

    def _stray_in_questions(self, kind: str, scan: FolderScan) -> None:
        """Files directly in kb/questions/ would be skipped silently: say where they go."""
        folder = self.root / "questions"
        if kind != "question" or not folder.is_dir():
            return
        for name, is_dir in scan.entries(folder):
            path = folder / name
            if name.startswith(".") or is_dir or is_documentation(path, is_dir):
                continue
            self.problem(path, 1, "", "question files belong in a sector folder",
                         "move it to kb/questions/<sector>/", code="stray-file")

    def _check_file_name(self, kind: str, path: Path, doc: YamlDoc) -> None:
        """Id against file name and sector against folder, read from the YAML so the checks
        run even when another field of the record is wrong."""
        stem_ok = ID_RE.match(path.stem) is not None
        rid = doc.data.get("id")
        rid = rid.strip() if isinstance(rid, str) else None
        if rid is not None and ID_RE.match(rid) and rid != path.stem:
            # Offer "set 'id: <file name>'" only when the file name is itself a valid id.
            also = f" or set 'id: {path.stem}'" if stem_ok else ""
            self.problem(path, doc.line(["id"]), "id",
                         f"id '{rid}' does not match the file name '{shown(path.name)}'",
                         f"rename the file to {rid}.yml{also}", code="id-mismatch")
        sector = doc.data.get("sector")
        sector = sector.strip() if isinstance(sector, str) else None
        if kind == "question" and sector and ID_RE.match(sector) \
                and path.parent.name != sector:
            self.problem(path, doc.line(["sector"]), "sector",
                         f"sector '{sector}' does not match the folder "
                         f"'questions/{shown(path.parent.name)}/'",
                         f"move the file to kb/questions/{sector}/ or fix 'sector'",
                         code="folder-mismatch")
        if not stem_ok:
            self.problem(path, 1, "", "file name is not a valid id",
                         "use lowercase letters, digits and dashes", code="invalid-file-name")


def load(root: Path, *, internal: bool = False,
         memo: ParseMemo | None = None) -> tuple[KnowledgeBase | None, Report]:
    """Load and validate a kb. Returns the kb (None if any error) and the full report.

    memo: files parsed by earlier builds of this process, reused while their bytes match.
    """
    if memo is not None:
        memo.start()
    loader = Loader(root.resolve(), memo)
    loaded = loader.load_all()
    report = loader.report
    singles = all(kind in loaded.records for kind in SINGLE_FILES)
    report.extend(check_references(loaded, memo))
    if loader.adoptions is not None:  # shared lists against the library options they replace
        report.extend(loader.adoptions.check_choices(loaded.records.get("choices", {})))
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
        needs=dict(sorted(r["need"].items())),
        use_reviews=dict(sorted(r["use-review"].items(), key=lambda kv: kv[1].round)),
        feedback=dict(sorted(r["feedback"].items(), key=lambda kv: (kv[1].round, kv[1].date))),
        products=dict(sorted(r["product"].items(), key=lambda kv: (kv[1].round, kv[0]))),
        sources={k: v for k, v in loaded.rel.items()},
        internal=internal,
        choices=dict(sorted(r["choices"].items())),
        questionnaire=r.get("questionnaire"),
        library=loader.adoptions.library if loader.adoptions else None,
        adoptions=dict(loader.adoptions.adopted) if loader.adoptions else {},
    )
    return kb, report


def load_or_raise(root: Path, *, internal: bool = False) -> KnowledgeBase:
    kb, report = load(root, internal=internal)
    if kb is None:
        raise InvalidKnowledgeBase(report)
    return kb


def load_library(root: Path, label: str | None = None) -> tuple[Any, Report]:
    """A library kb (generator/library/): (Library or None if it has errors, report)."""
    from .library.loading import load_library_with
    return load_library_with(Loader, root, label)
