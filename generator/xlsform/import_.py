"""`toolkit import xlsform`: question records (and the questionnaire's structure) from a form.

Everything is read and checked first; files are written only when the whole workbook can be
imported, so a bad workbook changes nothing. Every row and column is accounted for in the
report: imported, merged, kept as a raw row, or listed as not mapped.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..expressions import Binary, Call, Current, Expr, ExpressionError, Literal, Unary, parse
from ..expressions import to_text as expr_text
from ..models import ChoiceList, Question, Questionnaire
from ..models.common import CODE_PATTERN, ID_RE, XML_NAME_PATTERN
from ..models.country import FormLanguage
from ..models.question import Option
from ..problems import counted
from ..yamlio import YamlProblem, read_yaml
from .columns import KB_COLUMNS, SURVEY, parse_language, split_header
from .export import YES_NO, auto_message, exclusive_constraint

# Names people give languages in label::Name columns without a code.
KNOWN_LANGUAGES = {"english": "en", "french": "fr", "français": "fr", "francais": "fr",
                   "spanish": "es", "español": "es", "arabic": "ar", "portuguese": "pt",
                   "swahili": "sw", "hausa": "ha", "somali": "so", "amharic": "am"}
QUESTION_TYPES = {"integer", "decimal", "text", "date"}
STRUCTURE = {"begin group", "begin_group", "end group", "end_group", "begin repeat",
             "begin_repeat", "end repeat", "end_repeat"}
# Fields of a question that the form holds; the others (purpose, use...) are the kb's own.
FORM_FIELDS = ("text", "type", "options", "choices", "list_name", "hint", "required",
               "relevant", "constraint", "constraint_message", "appearance", "default",
               "choice_filter", "calculation", "min", "max", "unit", "special_codes",
               "max_choices", "specify_label", "unit_of_analysis", "tier", "indicator",
               "translations", "name")
TODO = "TODO: not in the XLSForm; write it"
MAX_BYTES = 20_000_000
MAX_UNPACKED = 50_000_000
_CODE_RE = re.compile(CODE_PATTERN)
_XML_RE = re.compile(XML_NAME_PATTERN)


class ImportError_(Exception):  # noqa: N801 - "ImportError" is a builtin
    """The workbook cannot be imported; nothing was written."""


@dataclass
class Cell:
    sheet: str
    row: int  # 1-based spreadsheet row


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)  # hand-written values left as they are
    raw_rows: list[str] = field(default_factory=list)
    other_files: list[str] = field(default_factory=list)  # choices, questionnaire, country
    unmapped: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)

    def report(self) -> str:
        lines = [f"Imported {counted(len(self.created), 'new question')}, merged "
                 f"{len(self.merged)} into existing records, {len(self.unchanged)} unchanged."]
        for title, items in (
            ("New records", self.created), ("Merged", self.merged),
            ("Other files", self.other_files),
            ("Kept as written in the kb (use --force to overwrite)", self.kept),
            ("Kept as raw XLSForm rows in kb/questionnaire.yml (not kb questions)",
             self.raw_rows),
            ("Not mapped (not imported)", self.unmapped),
        ):
            if items:
                lines.append(f"{title}:")
                lines += [f"  {item}" for item in items]
        lines.append(f"Wrote {counted(len(self.written), 'file')}. Run 'toolkit validate' to "
                     "list the fields to fill in (TODO).")
        return "\n".join(lines)


# --- reading the workbook -------------------------------------------------------------------

@dataclass
class Sheet:
    name: str
    headers: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (row number, header -> text), blank rows left out


def read_workbook(path: Path) -> dict[str, Sheet]:
    from openpyxl import load_workbook

    if not path.is_file():
        raise ImportError_("file not found.")
    if not zipfile.is_zipfile(path):
        raise ImportError_("not an .xlsx workbook (save the form as Excel .xlsx).")
    # A form is a few hundred rows: refuse what would only exhaust memory (zip bombs).
    with zipfile.ZipFile(path) as zf:
        unpacked = sum(info.file_size for info in zf.infolist())
    if path.stat().st_size > MAX_BYTES or unpacked > MAX_UNPACKED:
        raise ImportError_(f"the workbook is too large for a form ({unpacked:,} bytes "
                           f"unpacked; at most {MAX_UNPACKED:,}).")
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a damaged file
        raise ImportError_(f"cannot read the workbook ({type(err).__name__}: {err}).") from err
    sheets: dict[str, Sheet] = {}
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        if not rows:
            sheets[ws.title.strip().lower()] = Sheet(ws.title, [], [])
            continue
        headers = [_cell(h) for h in rows[0]]
        body = []
        for i, row in enumerate(rows[1:], start=2):
            values = {h: _cell(v) for h, v in zip(headers, row, strict=False) if h}
            values = {h: v for h, v in values.items() if v}
            if values:
                body.append((i, values))
        sheets[ws.title.strip().lower()] = Sheet(ws.title, headers, body)
    wb.close()
    return sheets


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value).strip()


# --- languages --------------------------------------------------------------------------------

class Languages:
    """Maps the form's language columns to the kb's language codes."""

    def __init__(self, sheets: dict[str, Sheet], kb_langs: list[FormLanguage],
                 default_language: str, problems: list[str]) -> None:
        self.kb_langs = kb_langs
        self.source = kb_langs[0].code if kb_langs else "en"
        self.by_label: dict[str, str] = {}
        self.found: list[FormLanguage] = []
        labels = {lang for sheet in sheets.values() for h in sheet.headers
                  if h for _, lang in [split_header(h)] if lang}
        for label in sorted(labels):
            name, code = parse_language(label)
            if code is None:
                known = {lang.name.lower(): lang.code for lang in kb_langs}
                code = known.get(name.lower()) or KNOWN_LANGUAGES.get(name.lower())
            if code is None:
                problems.append(f"language column '{label}': unknown language; name it "
                                "'Name (code)', e.g. 'French (fr)'")
                continue
            self.by_label[label] = code
            if code not in [lang.code for lang in self.found]:
                self.found.append(FormLanguage(code=code, name=name))
        # Columns without a language (label, hint) are in the form's default language.
        _, code = parse_language(default_language) if default_language else ("", None)
        self.default = self.by_label.get(default_language, code) or self.source
        if not kb_langs and self.found:
            # A kb without form languages takes the form's: its default is the source.
            codes = [lang.code for lang in self.found]
            self.source = self.default if self.default in codes else codes[0]

    def code(self, lang_label: str | None) -> str | None:
        return self.default if lang_label is None else self.by_label.get(lang_label)


def texts(values: dict[str, str], base: str, langs: Languages) -> dict[str, str]:
    """Code -> text of a translated column (label, hint...)."""
    out: dict[str, str] = {}
    for header, value in values.items():
        b, lang_label = split_header(header)
        if b != base:
            continue
        code = langs.code(lang_label)
        if code and (code not in out or lang_label is not None):
            out[code] = value
    return out


# --- constraints ------------------------------------------------------------------------------

def _conjuncts(expr: Expr) -> list[Expr]:
    if isinstance(expr, Binary) and expr.op == "and":
        return _conjuncts(expr.left) + _conjuncts(expr.right)
    return [expr]


def _disjuncts(expr: Expr) -> list[Expr]:
    if isinstance(expr, Binary) and expr.op == "or":
        return _disjuncts(expr.left) + _disjuncts(expr.right)
    return [expr]


def _number(expr: Expr) -> float | None:
    if isinstance(expr, Literal) and isinstance(expr.value, float):
        return expr.value
    if isinstance(expr, Unary) and isinstance(expr.operand, Literal) and isinstance(
            expr.operand.value, float):
        return -expr.operand.value
    return None


def _bound(expr: Expr) -> tuple[str, float] | None:
    if isinstance(expr, Binary) and isinstance(expr.left, Current) and not expr.left.parent:
        value = _number(expr.right)
        if value is not None and expr.op in (">=", "<="):
            return ("min" if expr.op == ">=" else "max", value)
    return None


def split_constraint(text: str, qtype: str) -> tuple[dict[str, Any], str | None]:
    """The parts the export composes (min/max, special codes, exclusive options,
    max_choices) as fields, and what is left as the question's own constraint."""
    try:
        tree = parse(text)
    except ExpressionError:
        return {}, text
    found: dict[str, Any] = {}
    rest: list[Expr] = []
    numeric = qtype in ("integer", "decimal")
    for part in _conjuncts(tree):
        bound = _bound(part)
        if numeric and bound and bound[0] not in found:
            found[bound[0]] = bound[1]
            continue
        alts = _disjuncts(part)
        if numeric and len(alts) > 1:
            bounds = [_bound(c) for c in _conjuncts(alts[0])]
            codes = [_number(a.right) for a in alts[1:] if isinstance(a, Binary)
                     and a.op == "=" and isinstance(a.left, Current)]
            if (all(bounds) and codes and len(codes) == len(alts) - 1
                    and None not in codes and "min" not in found and "max" not in found):
                for b in bounds:
                    found[b[0]] = b[1]  # type: ignore[index]
                found["special"] = [int(c) for c in codes]  # type: ignore[arg-type]
                continue
        if qtype == "select_multiple":
            exclusive = _exclusive(part)
            if exclusive:
                found.setdefault("exclusive", []).append(exclusive)
                continue
            if (isinstance(part, Binary) and part.op == "<=" and isinstance(part.left, Call)
                    and part.left.name == "count-selected" and isinstance(part.left.args[0],
                                                                           Current)):
                limit = _number(part.right)
                if limit is not None and limit >= 1 and "max_choices" not in found:
                    found["max_choices"] = int(limit)
                    continue
        rest.append(part)
    if not found:
        return {}, text
    if len(rest) == 1:
        own = expr_text(rest[0])
    else:
        own = " and ".join(_wrap_and(p) for p in rest) if rest else None
    return found, own


def _wrap_and(expr: Expr) -> str:
    text = expr_text(expr)
    return f"({text})" if isinstance(expr, Binary) and expr.op == "or" else text


def _exclusive(expr: Expr) -> str | None:
    if not (isinstance(expr, Call) and expr.name == "not"):
        return None
    for code in re.findall(r"selected\(\., '([^']*)'\)", expr_text(expr)):
        if expr_text(expr) == exclusive_constraint(code):
            return code
    return None


# --- the import ----------------------------------------------------------------------------

@dataclass
class Draft:
    """A question read from the survey sheet, before it is compared with the kb."""

    data: dict[str, Any]
    cell: Cell
    list_name: str | None = None


class Importer:
    def __init__(self, form: Path, kb: Path, sector_column: str, default_sector: str | None,
                 force: bool) -> None:
        self.form = form
        self.kb = kb
        self.sector_column = sector_column
        self.default_sector = default_sector
        self.force = force
        self.fatal: list[str] = []
        self.result = ImportResult()
        self.files: dict[Path, str] = {}  # what to write, once everything is checked
        self.shared: dict[str, list[Option]] = {}  # choice lists several questions use

    # kb context, read leniently (the kb may have TODOs of an earlier import)
    def read_kb(self) -> None:
        kb = self.kb
        if not (kb / "sectors.yml").is_file() or not (kb / "country.yml").is_file():
            raise ImportError_(f"{kb} is not a kb folder (no sectors.yml/country.yml): pass "
                               "the kb with --into.")
        sectors = _read(kb / "sectors.yml") or {}
        self.sector_ids = [s.get("id") for s in sectors.get("sectors") or []
                           if isinstance(s, dict)]
        self.country_text = (kb / "country.yml").read_text(encoding="utf-8")
        country = _read(kb / "country.yml") or {}
        self.kb_langs = [FormLanguage.model_validate(x)
                         for x in country.get("form_languages") or []]
        number = (country.get("round") or {}).get("number")
        self.round = number if isinstance(number, int) else None
        self.existing: dict[str, tuple[Path, dict[str, Any]]] = {}
        for path in sorted((kb / "questions").glob("*/*.yml")):
            data = _read(path)
            if isinstance(data, dict) and isinstance(data.get("id"), str):
                self.existing[data["id"]] = (path, data)
        self._adopted_as_effective()
        self.by_name = {
            (d.get("name") or qid.replace("-", "_")): qid for qid, (_, d) in self.existing.items()
        }

    def _adopted_as_effective(self) -> None:
        """A question that adopts a library question holds only its country fields and
        overrides: compare the form with the question as asked (library + overrides)."""
        if not any("adopts" in d for _, d in self.existing.values()):
            return
        from ..loader import load  # the loader reads this package's kb as a whole

        kb, _ = load(self.kb, internal=True)
        if kb is None:
            return  # the kb has errors: `toolkit validate` reports them
        for qid in kb.adoptions:
            path, raw = self.existing[qid]
            effective = kb.questions[qid].model_dump(mode="json", exclude_defaults=True)
            if effective.get("choices"):
                effective.pop("options", None)  # resolved from the shared list at load
            self.existing[qid] = (path, {**effective, "adopts": raw["adopts"]})

    def run(self) -> ImportResult:
        self.read_kb()
        sheets = read_workbook(self.form)
        if "survey" not in sheets:
            raise ImportError_("the workbook has no 'survey' sheet; an XLSForm needs one.")
        survey = sheets["survey"]
        lowered = [h.strip().lower() for h in survey.headers if h]
        if "type" not in lowered or "name" not in lowered:
            raise ImportError_("the survey sheet needs 'type' and 'name' columns in row 1.")
        settings = sheets.get("settings")
        self.settings = settings.rows[0][1] if settings and settings.rows else {}
        problems: list[str] = []
        self.langs = Languages(sheets, self.kb_langs, self.settings.get("default_language", ""),
                               problems)
        self.fatal += problems
        self.lists = self.read_choices(sheets.get("choices"))
        self.read_survey(survey)
        if self.fatal:
            raise ImportError_("the form cannot be imported:\n  " + "\n  ".join(self.fatal))
        self.plan_files()
        if self.fatal:
            raise ImportError_("the form cannot be imported:\n  " + "\n  ".join(self.fatal))
        for path, text in self.files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            self.result.written.append(path)
        return self.result

    # choices sheet
    def read_choices(self, sheet: Sheet | None) -> dict[str, list[tuple[Option, Cell]]]:
        lists: dict[str, list[tuple[Option, Cell]]] = {}
        if sheet is None:
            return lists
        self.report_columns(sheet, {"list_name", "list name", "name", "label"}, filters=True)
        for row, values in sheet.rows:
            cell = Cell(sheet.name, row)
            list_name = values.get("list_name") or values.get("list name")
            code = values.get("name", "")
            if not list_name or not code:
                self.fatal.append(f"{sheet.name} row {row}: a choice needs list_name and name")
                continue
            labels = texts(values, "label", self.langs)
            source = self.langs.source
            label = labels.get(source) or labels.get(self.langs.default) or code
            filters = {h: v for h, v in values.items()
                       if split_header(h)[0] not in ("list_name", "list name", "name", "label")
                       and split_header(h)[1] is None}
            try:
                option = Option(code=code, label=label, translations={
                    c: t for c, t in labels.items() if c != source and t != label},
                    filters=filters)
            except ValidationError as err:
                msg = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                                for e in err.errors())
                self.fatal.append(f"{sheet.name} row {row}: choice '{code}' of list "
                                  f"'{list_name}' cannot be a kb option ({msg}). Fix: use "
                                  "lowercase letters, digits and _ for choice names")
                continue
            lists.setdefault(list_name, []).append((option, cell))
        for name, options in lists.items():
            codes = [o.code for o, _ in options]
            for code in sorted({c for c in codes if codes.count(c) > 1}):
                rows = [str(c.row) for o, c in options if o.code == code]
                self.fatal.append(f"{sheet.name} rows {', '.join(rows)}: choice '{code}' "
                                  f"appears twice in list '{name}'")
        return lists

    def report_columns(self, sheet: Sheet, known: set[str], filters: bool = False) -> None:
        for header in sheet.headers:
            if not header:
                continue
            base, lang = split_header(header)
            if lang is not None:
                if base in ("label", "hint", "constraint_message"):
                    continue
            elif base in known or (filters and _XML_RE.match(header)):
                continue
            rows = [r for r, v in sheet.rows if v.get(header)]
            where = f"rows {_ranges(rows)}" if rows else "no values"
            self.result.unmapped.append(f"{sheet.name} column '{header}' ({where})")

    # survey sheet
    def read_survey(self, sheet: Sheet) -> None:
        known = set(SURVEY) | set(KB_COLUMNS) | {self.sector_column}
        self.report_columns(sheet, known)
        sections: list[dict[str, Any]] = []
        stack: list[dict[str, Any]] = []
        top: dict[str, Any] | None = None
        self.drafts: list[Draft] = []
        names: dict[str, int] = {}
        list_use: dict[str, int] = {}
        previous: Draft | None = None

        def current() -> dict[str, Any]:
            nonlocal top
            if stack:
                return stack[-1]
            if top is None:
                top = {"id": f"form-{len(sections) + 1}", "label": "Form", "group": False,
                       "items": []}
                sections.append(top)
            return top

        for row, values in sheet.rows:
            cell = Cell(sheet.name, row)
            rtype = " ".join(values.get("type", "").split())
            name = values.get("name", "")
            lowered = rtype.lower()
            if name and lowered not in ("end group", "end_group", "end repeat", "end_repeat"):
                if name in names:
                    self.fatal.append(f"{sheet.name} rows {names[name]} and {row}: the name "
                                      f"'{name}' is used twice")
                names[name] = row
            if not rtype:
                self.fatal.append(f"{sheet.name} row {row}: no type")
                continue
            if lowered in STRUCTURE:
                previous = None
                if lowered.startswith("begin"):
                    if stack:
                        self.result.unmapped.append(
                            f"{sheet.name} row {row}: group '{name}' is nested in "
                            f"'{stack[-1]['name']}': imported as a section of its own")
                    section = self.section(values, lowered.endswith("repeat"), cell)
                    sections.append(section)
                    stack.append(section)
                    top = None
                else:
                    if not stack:
                        self.fatal.append(f"{sheet.name} row {row}: '{rtype}' without a begin")
                        continue
                    stack.pop()
                    if stack:  # the outer group goes on after the nested one
                        outer = dict(stack[-1])
                        n = sum(1 for s in sections if s["id"].startswith(outer["id"]))
                        outer.update(id=f"{outer['id']}-{n + 1}", items=[], continued=True,
                                     name=f"{outer['name']}_{n + 1}")
                        sections.append(outer)
                        stack[-1] = outer
                continue
            head = lowered.split()[0]
            if previous and self.is_specify(previous, values):
                previous = None
                continue
            if head in ("select_one", "select_multiple") or head in QUESTION_TYPES:
                draft = self.question(values, rtype, cell, list_use)
                if draft is None:
                    continue
                self.drafts.append(draft)
                current()["items"].append(draft)
                previous = draft if head in ("select_one", "select_multiple") else None
                continue
            previous = None
            if head == "note":
                note: dict[str, Any] = {"note": name or f"note_{row}"}
                labels = texts(values, "label", self.langs)
                note["text"] = labels.get(self.langs.source) or labels.get(
                    self.langs.default) or TODO
                tr = {c: t for c, t in labels.items() if c != self.langs.source}
                if tr:
                    note["translations"] = tr
                if values.get("relevant"):
                    note["relevant"] = values["relevant"]
                current()["items"].append(note)
                continue
            if head == "calculate" and not values.get("kb_id"):
                if not values.get("calculation"):
                    self.fatal.append(f"{sheet.name} row {row}: calculate '{name}' has no "
                                      "calculation")
                    continue
                current()["items"].append({"calculate": name,
                                           "calculation": values["calculation"]})
                continue
            # Anything else (start, end, geopoint, image...): kept verbatim.
            current()["items"].append({"xlsform": dict(values)})
            self.result.raw_rows.append(f"{sheet.name} row {row}: {rtype} '{name}'")
        if stack:
            self.fatal.append(f"{sheet.name}: group '{stack[-1]['name']}' is never ended")
        for draft in self.drafts:
            self.attach_options(draft, list_use)
        self.sections = [s for s in sections if s["items"] or not s.get("continued")]

    def section(self, values: dict[str, str], repeat: bool, cell: Cell) -> dict[str, Any]:
        name = values.get("name", "") or f"group_{cell.row}"
        sid = _to_id(name)
        labels = texts(values, "label", self.langs)
        label = labels.get(self.langs.source) or labels.get(self.langs.default) or name
        section: dict[str, Any] = {"id": sid, "name": name, "label": label}
        tr = {c: t for c, t in labels.items() if c != self.langs.source}
        if tr:
            section["translations"] = tr
        if repeat:
            section["repeat"] = True
        for key in ("repeat_count", "relevant", "appearance"):
            if values.get(key):
                section[key] = values[key]
        section["items"] = []
        return section

    def question(self, values: dict[str, str], rtype: str, cell: Cell,
                 list_use: dict[str, int]) -> Draft | None:
        parts = rtype.split()
        head = parts[0].lower()
        name = values.get("name", "")
        where = f"{cell.sheet} row {cell.row}"
        if not _XML_RE.match(name):
            self.fatal.append(f"{where}: '{name}' is not a valid XLSForm name")
            return None
        data: dict[str, Any] = {}
        list_name = None
        if head in ("select_one", "select_multiple"):
            if len(parts) < 2:
                self.fatal.append(f"{where}: '{rtype}' names no choice list")
                return None
            list_name = parts[1]
            if list_name not in self.lists:
                self.fatal.append(f"{where}: '{rtype}': the list '{list_name}' is not in the "
                                  "choices sheet")
                return None
            if len(parts) > 2 and parts[2] != "or_other":
                self.fatal.append(f"{where}: '{rtype}': unknown type")
                return None
            list_use[list_name] = list_use.get(list_name, 0) + 1
        data["type"] = head
        qid = values.get("kb_id") or _to_id(name)
        if not ID_RE.match(qid):
            self.fatal.append(f"{where}: cannot make a kb id from '{name}': add a kb_id column")
            return None
        data["id"] = qid
        if name != qid.replace("-", "_"):
            data["name"] = name
        sector = values.get(self.sector_column) or self.default_sector
        existing = self.existing.get(qid) or self.existing.get(self.by_name.get(name, ""), None)
        if existing:
            data["id"] = existing[1]["id"]
            sector = sector or existing[1].get("sector")
        if not sector:
            self.fatal.append(f"{where}: '{name}' has no sector: fill the '{self.sector_column}'"
                              " column or pass --sector")
            return None
        if sector not in self.sector_ids:
            self.fatal.append(f"{where}: unknown sector '{sector}' (kb/sectors.yml has "
                              f"{', '.join(str(s) for s in self.sector_ids)})")
            return None
        data["sector"] = sector
        src, langs = self.langs.source, self.langs
        labels = texts(values, "label", langs)
        data["text"] = labels.get(src) or labels.get(langs.default) or TODO
        hints = texts(values, "hint", langs)
        messages = texts(values, "constraint_message", langs)
        if hints.get(src) or hints.get(langs.default):
            data["hint"] = hints.get(src) or hints.get(langs.default)
        if values.get("required", "").lower() in ("yes", "true", "1", "true()"):
            data["required"] = True
        for key in ("relevant", "appearance", "default", "choice_filter", "calculation"):
            if values.get(key):
                data[key] = values[key]
        for key in ("unit", "unit_of_analysis", "tier", "indicator"):
            if values.get(key):
                data[key] = values[key]
        if values.get("special_codes"):
            try:
                data["special_codes"] = json.loads(values["special_codes"])
            except json.JSONDecodeError as err:
                self.fatal.append(f"{where}: special_codes is not the JSON the export writes "
                                  f"({err.msg})")
        if values.get("constraint"):
            found, own = split_constraint(values["constraint"], head)
            if "min" in found:
                data["min"] = found["min"]
            if "max" in found:
                data["max"] = found["max"]
            if "max_choices" in found:
                data["max_choices"] = found["max_choices"]
            if own:
                data["constraint"] = own
            data["_exclusive"] = found.get("exclusive", [])
            data["_special"] = found.get("special", [])
            data["_messages"] = messages
        tr: dict[str, dict[str, str]] = {}
        for code in {c for c in [*labels, *hints] if c != src}:
            entry = {}
            # A translation equal to the source is what the export writes for a missing one.
            if labels.get(code) and labels[code] != data["text"]:
                entry["text"] = labels[code]
            if hints.get(code) and hints[code] != data.get("hint"):
                entry["hint"] = hints[code]
            if entry:
                tr[code] = entry
        data["translations"] = tr
        if len(parts) > 2:
            data["_or_other"] = True
        return Draft(data, cell, list_name)

    def is_specify(self, select: Draft, values: dict[str, str]) -> bool:
        """A text row right after a select, asked only if its 'other' option is selected."""
        var = select.data.get("name") or select.data["id"].replace("-", "_")
        m = re.fullmatch(rf"selected\(\$\{{{re.escape(var)}\}}, '([a-z0-9_]+)'\)",
                         values.get("relevant", ""))
        if (" ".join(values.get("type", "").split()) != "text" or not m or values.get("kb_id")
                or values.get("name") != f"{var}_{m.group(1)}" or select.list_name is None):
            return False
        if m.group(1) not in [o.code for o, _ in self.lists[select.list_name]]:
            return False
        select.data["_other"] = m.group(1)
        labels = texts(values, "label", self.langs)
        src = self.langs.source
        label = labels.get(src) or labels.get(self.langs.default)
        if label and label != SPECIFY_DEFAULT.get(src, "Please specify"):
            select.data["specify_label"] = label
        for code, text in labels.items():
            if code != src and text != SPECIFY_DEFAULT.get(code):
                select.data["translations"].setdefault(code, {})["specify_label"] = text
        return True

    def attach_options(self, draft: Draft, list_use: dict[str, int]) -> None:
        data = draft.data
        where = f"{draft.cell.sheet} row {draft.cell.row}"
        exclusive = set(data.pop("_exclusive", []))
        special = data.pop("_special", [])
        other = data.pop("_other", None)
        or_other = data.pop("_or_other", False)
        messages = data.pop("_messages", {})
        codes_given = {s.get("code") for s in data.get("special_codes", [])}
        if special and set(special) != codes_given:
            data["special_codes"] = [*data.get("special_codes", []), *[
                {"code": c, "label": str(c)} for c in special if c not in codes_given]]
        if draft.list_name is not None:
            options = [o for o, _ in self.lists[draft.list_name]]
            options = [o.model_copy(update={"exclusive": o.code in exclusive,
                                            "other": o.code == other}) for o in options]
            if or_other and "other" not in [o.code for o in options]:
                options.append(Option(code="other", label="Other", other=True))
            var = data.get("name") or data["id"].replace("-", "_")
            if (data["type"] == "select_one" and [o.code for o in options] == ["yes", "no"]
                    and _builtin_yes_no(options, self.langs.source)):
                data["type"] = "yes_no"
            elif list_use.get(draft.list_name, 0) > 1:
                data["choices"] = _to_id(draft.list_name)
                self.shared[draft.list_name] = [o.model_copy(update={"other": False})
                                                for o in options]
                if other or exclusive:
                    self.result.unmapped.append(
                        f"{where}: exclusive/other flags of the shared list "
                        f"'{draft.list_name}' are per question in the form; kept in the "
                        "constraint")
                    if exclusive:
                        data["constraint"] = " and ".join(
                            [*([data["constraint"]] if data.get("constraint") else []),
                             *[exclusive_constraint(c) for c in sorted(exclusive)]])
            else:
                data["options"] = [o.model_dump(exclude_defaults=True) for o in options]
                if draft.list_name != var:
                    data["list_name"] = draft.list_name
        # A constraint message that is what the export would write is not the question's own.
        if messages:
            try:
                q = Question.model_validate(_complete(data))
            except ValidationError:
                q = None
            langs = self.langs.found or [FormLanguage(code=self.langs.source, name="")]
            source = next((lg for lg in langs if lg.code == self.langs.source), langs[0])
            for lang in langs:
                msg = messages.get(lang.code)
                if not msg and lang.code == self.langs.source:
                    msg = messages.get(self.langs.default)
                if not msg:
                    continue
                auto = auto_message(q, self._options_of(q, data), lang, source) if q else ""
                if msg == auto:
                    continue
                if lang.code == self.langs.source:
                    data["constraint_message"] = msg
                else:
                    data["translations"].setdefault(lang.code, {})["constraint_message"] = msg

    def _options_of(self, q: Question, data: dict[str, Any]) -> list[Option]:
        if q.choices:
            return [o for o, _ in self.lists.get(self._list_of(q.choices), [])]
        return list(q.options)

    def _list_of(self, choices_id: str) -> str:
        return next((n for n in self.lists if _to_id(n) == choices_id), choices_id)

    # --- writing -------------------------------------------------------------------------

    def plan_files(self) -> None:
        langs_missing = [lg for lg in self.langs.found
                         if lg.code not in [k.code for k in self.kb_langs]]
        if langs_missing and self.kb_langs:
            self.fatal.append(
                "kb/country.yml form_languages lacks "
                + ", ".join(f"{lg.name} ({lg.code})" for lg in langs_missing)
                + ": add them, then import again")
        elif langs_missing:
            source = next((lg for lg in self.langs.found if lg.code == self.langs.default),
                          self.langs.found[0])
            ordered = [source] + [lg for lg in self.langs.found if lg is not source]
            block = _yaml({"form_languages": [lg.model_dump() for lg in ordered]})
            text = self.country_text
            self.files[self.kb / "country.yml"] = text + ("" if text.endswith("\n") else
                                                          "\n") + block
            self.result.other_files.append("kb/country.yml: form_languages "
                                      + ", ".join(lg.code for lg in ordered))
        for list_name, options in self.shared.items():
            lid = _to_id(list_name)
            data: dict[str, Any] = {"id": lid}
            if list_name != lid.replace("-", "_"):
                data["name"] = list_name
            data["options"] = [o.model_dump(exclude_defaults=True) for o in options]
            try:
                ChoiceList.model_validate(data)
            except ValidationError as err:
                self.fatal.append(f"choices list '{list_name}': {err.errors()[0]['msg']}")
                continue
            path = self.kb / "choices" / f"{lid}.yml"
            self.write_record(path, data, "choices", f"kb/choices/{lid}.yml",
                              list_name=True)
        for draft in self.drafts:
            self.plan_question(draft)
        self.plan_questionnaire()

    def plan_question(self, draft: Draft) -> None:
        data = {k: v for k, v in draft.data.items() if not k.startswith("_")}
        if not data.get("translations"):
            data.pop("translations", None)
        where = f"{draft.cell.sheet} row {draft.cell.row}"
        qid = data["id"]
        existing = self.existing.get(qid)
        if existing is None:
            record = _complete(data)
            try:
                Question.model_validate(record)
            except ValidationError as err:
                for e in err.errors():
                    loc = ".".join(str(x) for x in e["loc"])
                    self.fatal.append(f"{where}: {loc}: {e['msg']}")
                return
            path = self.kb / "questions" / data["sector"] / f"{qid}.yml"
            self.files[path] = _dump_record(record, "../../schemas/question.schema.json")
            self.result.created.append(f"{where}: {qid}")
            return
        path, old = existing
        text = path.read_text(encoding="utf-8")
        changed: list[str] = []
        merged = dict(old)
        for key in FORM_FIELDS:
            new = data.get(key)
            cur = old.get(key)
            if _same(key, _plain(key, new, data), _plain(key, _form_part(key, cur, new), old)):
                continue
            if "adopts" in old:
                # Never written into an adopted question: a change to a library value is an
                # override, which needs its reason (CONTRIBUTING.md).
                self.result.kept.append(f"{where}: {qid}.{key} (adopted from library question "
                                        f"{old['adopts']}: the form has {_short(new)}; to "
                                        "change it, add an override with its reason)")
            elif cur in (None, [], {}, False) or _is_todo(cur) or self.force:
                text = set_top_level(text, key, new)
                merged[key] = new
                changed.append(key)
            else:
                self.result.kept.append(f"{where}: {qid}.{key} (the form has "
                                        f"{_short(new)}, the kb {_short(cur)})")
        if changed:
            try:
                Question.model_validate({k: v for k, v in merged.items() if v is not None})
            except ValidationError as err:
                e = err.errors()[0]
                self.fatal.append(f"{where}: merging into {qid} gives an invalid record: "
                                  f"{'.'.join(map(str, e['loc']))}: {e['msg']}")
                return
            self.files[path] = text
            self.result.merged.append(f"{where}: {qid} ({', '.join(changed)})")
        else:
            self.result.unchanged.append(qid)

    def write_record(self, path: Path, data: dict[str, Any], kind: str, rel: str,
                     list_name: bool = False) -> None:
        header = "../schemas/choices.schema.json" if kind == "choices" else \
            "schemas/questionnaire.schema.json"
        if path.exists():
            old = _read(path)
            if isinstance(old, dict):
                data = {**old, **data}  # keep what only the kb says (a list's title)
            if old == data:
                return
            if not self.force:
                self.result.kept.append(f"{rel}: differs from the form (use --force)")
                return
        self.files[path] = _dump_record(data, header)
        self.result.other_files.append(f"{rel} ({'updated' if path.exists() else 'new'})")

    def plan_questionnaire(self) -> None:
        sections = []
        for s in self.sections:
            items = []
            for item in s["items"]:
                items.append(item.data["id"] if isinstance(item, Draft) else item)
            section = {k: v for k, v in s.items() if k not in ("items", "continued")}
            if section.get("name") == section["id"].replace("-", "_") or not s.get("group",
                                                                                  True):
                section.pop("name", None)
            section["items"] = items
            sections.append(section)
        # Rows outside groups have no name in a form: keep what the kb calls those sections.
        before = _read(self.kb / "questionnaire.yml") or {}
        loose = [s for s in before.get("sections") or [] if isinstance(s, dict)
                 and s.get("group") is False]
        for section in sections:
            if section.get("group") is False:
                same = next((s for s in loose if s.get("items") == section["items"]), None)
                if same is not None:
                    section.clear()
                    section.update(same)
                    loose.remove(same)
        # Questions the form does not carry (dropped, proposed, confidential in a public
        # export) keep their place in the kb's order.
        present = {i for s in sections for i in s["items"] if isinstance(i, str)}
        old_sections = {s.get("id"): s for s in before.get("sections") or []
                        if isinstance(s, dict)}
        for section in sections:
            old_items = (old_sections.get(section["id"]) or {}).get("items") or []
            items = section["items"]
            for n, item in enumerate(old_items):
                if not isinstance(item, str) or item in present or item not in self.existing:
                    continue
                prior = [o for o in old_items[:n] if o in items]
                at = items.index(prior[-1]) + 1 if prior else 0
                items.insert(at, item)
                present.add(item)
        data: dict[str, Any] = {}
        st = self.settings
        for key, src in (("form_id", "form_id"), ("title", "form_title"),
                         ("version", "version")):
            if st.get(src):
                data[key] = st[src]
        if data.get("version") == f"round-{self.round}":
            del data["version"]  # what the export writes for the current round
        data["sections"] = sections
        try:
            Questionnaire.model_validate(data)
        except ValidationError as err:
            e = err.errors()[0]
            self.fatal.append(f"questionnaire structure: {'.'.join(map(str, e['loc']))}: "
                              f"{e['msg']}")
            return
        self.write_record(self.kb / "questionnaire.yml", data, "questionnaire",
                          "kb/questionnaire.yml")


SPECIFY_DEFAULT = {"en": "Please specify", "fr": "Veuillez préciser"}


def _builtin_yes_no(options: list[Option], source: str) -> bool:
    yes, no = options
    if (yes.label, no.label) != YES_NO.get(source, YES_NO["en"]):
        return False
    return all(YES_NO.get(code, YES_NO["en"])[i] == text
               for i, o in enumerate(options) for code, text in o.translations.items())


def _complete(data: dict[str, Any]) -> dict[str, Any]:
    """A new record: the form's fields plus TODOs for what only partners can write."""
    out = {k: v for k, v in data.items() if not k.startswith("_")}
    if not out.get("translations"):
        out.pop("translations", None)
    todo = {
        "information_need": "TODO: the information need", "purpose": "TODO: what the "
        "results will show", "use": "TODO: who uses the results and for what decision",
        "requested_by": ["todo"],
        "analysis": {"descriptive": "TODO: the descriptive analysis", "analysed_by": ["todo"]},
        "mockup": {"sentence": "TODO: the mock-up sentence", "chart": "table" if
                   out.get("type") in ("text", "date") else "bar"},
        # Confidential until partners decide: nothing imported reaches the public site.
        "sharing": {"modality": "confidential", "partners": ["todo"],
                    "agreement": "TODO: the agreement, or make it public"},
        "criteria": {"not_available_elsewhere": "TODO: why no other source gives this",
                     "methodology_adequate": "TODO: why key informants know this",
                     "analysis_capacity": "TODO: who confirmed capacity to analyse it"},
        "status": "proposed",
    }
    order = ["id", "sector", "name", "text", "type", "options", "choices", "list_name", "hint"]
    record = {k: out[k] for k in order if k in out}
    record.update({k: v for k, v in out.items() if k not in record})
    for k, v in todo.items():
        record.setdefault(k, v)
    return record


class _NoAliases(yaml.SafeDumper):
    """kb files refuse YAML aliases: repeated values are written out in full."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=_NoAliases, allow_unicode=True, sort_keys=False, width=92)


def _dump_record(data: dict[str, Any], schema: str) -> str:
    body = _yaml(data)
    return f"# yaml-language-server: $schema={schema}\n{body}"


def set_top_level(text: str, key: str, value: Any) -> str:
    """Replace (or append) one top-level key of a YAML record, leaving other lines as they
    are so comments and layout of hand-written records survive."""
    block = _yaml({key: value}) if value not in (None, [], {}) else ""
    lines = text.splitlines(keepends=True)
    start = next((i for i, ln in enumerate(lines) if re.match(rf"{re.escape(key)}\s*:", ln)),
                 None)
    if start is None:
        if not block:
            return text
        return text + ("" if text.endswith("\n") or not text else "\n") + block
    end = start + 1
    while end < len(lines) and (lines[end].startswith((" ", "\t", "-")) or
                                not lines[end].strip() or lines[end].startswith("#")):
        end += 1
    while end - 1 > start and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1
    return "".join(lines[:start]) + block + "".join(lines[end:])


# What a form holds of a question's translations; the rest (purpose, use... and languages
# that are only the website's, generator/i18n/) is never in a form, so never a difference.
FORM_TRANSLATION_FIELDS = ("text", "hint", "constraint_message", "specify_label")


def _form_part(key: str, cur: Any, new: Any) -> Any:
    if key == "translations" and isinstance(cur, dict):
        langs = set(new) if isinstance(new, dict) else set()
        part = {c: {f: v for f, v in e.items() if f in FORM_TRANSLATION_FIELDS}
                if isinstance(e, dict) else e for c, e in cur.items() if c in langs}
        return {c: e for c, e in part.items() if e}
    if key in ("options", "special_codes") and isinstance(cur, list):
        langs = {c for o in (new or []) if isinstance(o, dict)
                 for c in (o.get("translations") or {})}
        out = []
        for o in cur:
            if isinstance(o, dict) and isinstance(o.get("translations"), dict):
                tr = {c: t for c, t in o["translations"].items() if c in langs}
                o = {**o, "translations": tr} if tr else {
                    k: v for k, v in o.items() if k != "translations"}
            out.append(o)
        return out
    return cur


def _plain(key: str, value: Any, record: dict[str, Any]) -> Any:
    """A form field without translations equal to their source text: the export writes the
    source text where a translation is missing, so such a translation cannot be told apart
    from a missing one."""
    if key in ("options", "special_codes") and isinstance(value, list):
        out = []
        for o in value:
            if isinstance(o, dict) and isinstance(o.get("translations"), dict):
                tr = {c: t for c, t in o["translations"].items() if t != o.get("label")}
                o = {**o, "translations": tr} if tr else {
                    k: v for k, v in o.items() if k != "translations"}
            out.append(o)
        return out
    if key == "translations" and isinstance(value, dict):
        out_tr = {}
        for code, entry in value.items():
            if isinstance(entry, dict):
                entry = {f: t for f, t in entry.items() if t != record.get(f)}
            if entry:
                out_tr[code] = entry
        return out_tr
    return value


def _same(key: str, new: Any, cur: Any) -> bool:
    if new in (None, [], {}, False) and cur in (None, [], {}, False):
        return True
    if isinstance(new, float | int) and isinstance(cur, float | int):
        return float(new) == float(cur)
    if key == "options" and isinstance(new, list) and isinstance(cur, list):
        return [Option.model_validate(o) for o in new] == [Option.model_validate(o)
                                                          for o in cur if isinstance(o, dict)]
    if isinstance(new, str) and isinstance(cur, str):
        return " ".join(new.split()) == " ".join(cur.split())
    return new == cur


def _is_todo(value: Any) -> bool:
    return isinstance(value, str) and value.strip().lower().startswith("todo")


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _to_id(name: str) -> str:
    return re.sub(r"-+", "-", re.sub(r"[^a-z0-9-]", "-", name.lower().replace("_", "-"))).strip(
        "-")[:64]


def _ranges(rows: Iterable[int]) -> str:
    rows = list(rows)
    text = ", ".join(str(r) for r in rows[:8])
    return text + (f" and {len(rows) - 8} more" if len(rows) > 8 else "")


def _read(path: Path) -> Any:
    try:
        return read_yaml(path).data
    except (OSError, YamlProblem):
        return None


def import_xlsform(form: Path, kb: Path, *, sector_column: str = "sector",
                   default_sector: str | None = None, force: bool = False) -> ImportResult:
    return Importer(form, kb, sector_column, default_sector, force).run()
