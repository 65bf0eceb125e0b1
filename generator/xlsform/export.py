"""The kb's agreed questions as an XLSForm workbook, checked by pyxform before it is written."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..kb import KnowledgeBase
from ..models import Question
from ..models.country import FormLanguage
from ..models.question import CHOICE_TYPES, Option
from ..models.questionnaire import Calculate, Note, RawRow
from ..questionnaire import FormSection, build_form, selected_questions
from .columns import KB_COLUMNS, SETTINGS, SURVEY, TRANSLATED, column, language_label

YES_NO_LIST = "yes_no"
# Texts the export writes itself, in the languages DTM forms commonly use; others get English.
YES_NO = {"en": ("Yes", "No"), "fr": ("Oui", "Non"), "es": ("Sí", "No"), "pt": ("Sim", "Não"),
          "ar": ("نعم", "لا")}
SPECIFY = {"en": "Please specify", "fr": "Veuillez préciser", "es": "Especifique",
           "pt": "Especifique", "ar": "يرجى التحديد"}
_PHRASES = {
    "en": {"between": "The answer must be between {a} and {b}", "min": "The answer must be at "
           "least {a}", "max": "The answer must be at most {a}", "or": "or", "exclusive":
           "'{a}' cannot be combined with other answers", "max_choices":
           "Select at most {a} answers"},
    "fr": {"between": "La réponse doit être comprise entre {a} et {b}", "min": "La réponse doit "
           "être au moins {a}", "max": "La réponse doit être au plus {a}", "or": "ou",
           "exclusive": "« {a} » ne peut pas être combiné avec d'autres réponses",
           "max_choices": "Sélectionnez au plus {a} réponses"},
}


class ExportError(Exception):
    """The form cannot be exported; the message says why (pyxform's reason included)."""


@dataclass
class Sheets:
    """The workbook as rows of column -> value, with the column order of each sheet."""

    survey: list[dict[str, str]] = field(default_factory=list)
    choices: list[dict[str, str]] = field(default_factory=list)
    settings: dict[str, str] = field(default_factory=dict)
    survey_columns: list[str] = field(default_factory=list)
    choices_columns: list[str] = field(default_factory=list)


def num(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)


def _lang_text(table: dict[str, str] | dict[str, tuple[str, str]], lang: FormLanguage):  # type: ignore[no-untyped-def]
    return table.get(lang.code.split("-")[0], table["en"])


def exclusive_constraint(code: str) -> str:
    return f"not(selected(., '{code}') and count-selected(.) > 1)"


def constraint_parts(q: Question, options: Sequence[Option]) -> list[str]:
    """The conjuncts the export joins into the constraint: the question's own first."""
    parts: list[str] = []
    if q.constraint:
        parts.append(q.constraint)
    bounds = []
    if q.min is not None:
        bounds.append(f". >= {num(q.min)}")
    if q.max is not None:
        bounds.append(f". <= {num(q.max)}")
    if bounds:
        rng = " and ".join(bounds)
        if q.special_codes:
            rng = (f"({rng})" if len(bounds) > 1 else rng) + "".join(
                f" or . = {s.code}" for s in q.special_codes)
        parts.append(rng)
    if q.type == "select_multiple":
        parts += [exclusive_constraint(o.code) for o in options if o.exclusive]
        if q.max_choices:
            parts.append(f"count-selected(.) <= {q.max_choices}")
    return parts


def join_constraint(parts: Sequence[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    return " and ".join(f"({p})" for p in parts)


def auto_message(q: Question, options: Sequence[Option], lang: FormLanguage,
                 source: FormLanguage) -> str:
    """The constraint message written for min/max, special codes, exclusive options and
    max_choices when the question has none of its own."""
    words = _lang_text(_PHRASES, lang)
    out = []
    if q.min is not None or q.max is not None:
        if q.min is not None and q.max is not None:
            text = words["between"].format(a=num(q.min), b=num(q.max))
        elif q.min is not None:
            text = words["min"].format(a=num(q.min))
        else:
            text = words["max"].format(a=num(q.max))  # type: ignore[arg-type]
        if q.special_codes:
            codes = ", ".join(f"{s.code} ({_tr(s.label, s.translations, lang, source)})"
                              for s in q.special_codes)
            text += f" {words['or']} {codes}"
        out.append(text)
    if q.type == "select_multiple":
        out += [words["exclusive"].format(a=_tr(o.label, o.translations, lang, source))
                for o in options if o.exclusive]
        if q.max_choices:
            out.append(words["max_choices"].format(a=q.max_choices))
    return ". ".join(out)


def _tr(text: str, translations: dict[str, str], lang: FormLanguage,
        source: FormLanguage) -> str:
    if lang.code == source.code:
        return text
    return translations.get(lang.code) or text


def question_texts(q: Question, lang: FormLanguage, source: FormLanguage) -> dict[str, str]:
    """label/hint/constraint_message/specify_label of a question in one language."""
    if lang.code == source.code:
        return {"label": q.text, "hint": q.hint or "", "constraint_message":
                q.constraint_message or "", "specify_label": q.specify_label or ""}
    tr = q.translations.get(lang.code)
    # An untranslated text falls back to the source: a '-' in the field helps nobody.
    return {
        "label": (tr and tr.text) or q.text,
        "hint": (tr and tr.hint) or q.hint or "",
        "constraint_message": (tr and tr.constraint_message) or q.constraint_message or "",
        "specify_label": (tr and tr.specify_label) or q.specify_label or "",
    }


class _Builder:
    def __init__(self, kb: KnowledgeBase, form: list[FormSection]) -> None:
        self.kb = kb
        self.form = form
        self.langs = kb.languages
        self.source = self.langs[0]
        self.sheets = Sheets()
        self.lists: dict[str, list[Option]] = {}
        self.extra_choice_columns: list[str] = []
        self.extra_survey_columns: list[str] = []

    def row(self, **values: str) -> None:
        self.sheets.survey.append({k: v for k, v in values.items() if v})

    def labels(self, base: str, source_text: str, translations: dict[str, str]) -> dict[str, str]:
        return {column(base, lang): _tr(source_text, translations, lang, self.source)
                for lang in self.langs} if source_text else {}

    def add_list(self, name: str, options: Sequence[Option]) -> None:
        if name in self.lists:
            if [o.code for o in self.lists[name]] != [o.code for o in options]:
                raise ExportError(f"two different choice lists are both named '{name}': set "
                                  "'list_name' on one of the questions")
            return
        self.lists[name] = list(options)

    def build(self) -> Sheets:
        for section in self.form:
            s = section.section
            grouped = s.group or section.implicit
            if grouped:
                kind = "repeat" if s.repeat else "group"
                self.row(type=f"begin {kind}", name=s.var_name,
                         relevant=s.relevant or "", appearance=s.appearance or "",
                         repeat_count=s.repeat_count or "",
                         **self.labels("label", s.label, dict(s.translations)))
            for entry in section.entries:
                if isinstance(entry, Question):
                    self.question(entry)
                elif isinstance(entry, Note):
                    self.row(type="note", name=entry.note, relevant=entry.relevant or "",
                             **self.labels("label", entry.text, dict(entry.translations)))
                elif isinstance(entry, Calculate):
                    self.row(type="calculate", name=entry.calculate,
                             calculation=entry.calculation)
                elif isinstance(entry, RawRow):
                    self.sheets.survey.append(dict(entry.xlsform))
            if grouped:
                self.row(type=f"end {'repeat' if s.repeat else 'group'}")
        self.choices()
        self.columns()
        return self.sheets

    def question(self, q: Question) -> None:
        options = self.kb.options(q)
        qtype = q.type
        if q.type in CHOICE_TYPES or q.type == "yes_no":
            if q.type == "yes_no" and not options:
                list_name = YES_NO_LIST
                options = [Option(code="yes", label="Yes"), Option(code="no", label="No")]
                self.add_list(YES_NO_LIST, [])  # labels per language: see choices()
            elif q.choices:
                shared = self.kb.choices[q.choices]
                list_name = shared.list_name
                self.add_list(list_name, options)
            else:
                list_name = q.list_name or q.var_name
                self.add_list(list_name, options)
            kind = "select_multiple" if q.type == "select_multiple" else "select_one"
            qtype = f"{kind} {list_name}"
        texts = {lang.code: question_texts(q, lang, self.source) for lang in self.langs}
        values: dict[str, str] = {}
        for lang in self.langs:
            t = texts[lang.code]
            values[column("label", lang)] = t["label"]
            values[column("hint", lang)] = t["hint"]
        parts = constraint_parts(q, options)
        if parts:
            for lang in self.langs:
                own = texts[lang.code]["constraint_message"]
                values[column("constraint_message", lang)] = own or auto_message(
                    q, options, lang, self.source)
        extra = {
            "kb_id": q.id, "sector": q.sector, "unit": q.unit or "",
            "unit_of_analysis": q.unit_of_analysis or "", "tier": q.tier or "",
            "indicator": q.indicator or "",
            "special_codes": json.dumps(
                [s.model_dump(exclude_defaults=True) for s in q.special_codes],
                ensure_ascii=False) if q.special_codes else "",
        }
        self.row(type=qtype, name=q.var_name, required="yes" if q.required else "",
                 relevant=q.relevant or "", constraint=join_constraint(parts) if parts else "",
                 appearance=q.appearance or "", default=q.default or "",
                 choice_filter=q.choice_filter or "", calculation=q.calculation or "",
                 **values, **extra)
        for o in options:
            if o.other:
                specify = {column("label", lang): texts[lang.code]["specify_label"]
                           or _lang_text(SPECIFY, lang) for lang in self.langs}
                self.row(type="text", name=f"{q.var_name}_{o.code}",
                         required="yes" if q.required else "",
                         relevant=f"selected(${{{q.var_name}}}, '{o.code}')", **specify)

    def choices(self) -> None:
        for name, options in self.lists.items():
            if name == YES_NO_LIST and not options:
                for i, code in enumerate(("yes", "no")):
                    row = {"list_name": name, "name": code}
                    for lang in self.langs:
                        row[column("label", lang)] = _lang_text(YES_NO, lang)[i]
                    self.sheets.choices.append(row)
                continue
            for o in options:
                row = {"list_name": name, "name": o.code,
                       **self.labels("label", o.label, dict(o.translations))}
                for key, value in o.filters.items():
                    row[key] = value
                    if key not in self.extra_choice_columns:
                        self.extra_choice_columns.append(key)
                self.sheets.choices.append(row)

    def columns(self) -> None:
        langs = self.langs
        order: list[str] = []
        for base in SURVEY:
            if base in TRANSLATED:
                order += [column(base, lang) for lang in langs]
            else:
                order.append(base)
        order += list(KB_COLUMNS)
        seen = {k for row in self.sheets.survey for k in row}
        cols = [c for c in order if c in seen or c in ("type", "name")]
        cols += sorted(seen - set(cols))
        self.sheets.survey_columns = cols
        self.sheets.choices_columns = (
            ["list_name", "name"] + [column("label", lang) for lang in langs]
            + self.extra_choice_columns)


def build_sheets(kb: KnowledgeBase, round_number: int | None = None) -> Sheets:
    """The XLSForm sheets of the questions asked in the round, in interview order."""
    n = round_number or kb.country.round.number
    questions = selected_questions(kb, n)
    if not questions:
        raise ExportError(f"no agreed question is asked in round {n}: nothing to export")
    sectors = [(s.id, s.name) for s in kb.sectors.values()]
    form = build_form(questions, sectors, kb.questionnaire)
    sheets = _Builder(kb, form).build()
    qn = kb.questionnaire
    sheets.settings = {
        "form_title": (qn.title if qn and qn.title else
                       f"{kb.country.name}: Multi-Sectoral Location Assessment, round {n}"),
        "form_id": qn.form_id if qn and qn.form_id else f"{kb.country.iso3.lower()}_msla",
        "version": qn.version if qn and qn.version else f"round-{n}",
        "default_language": language_label(kb.languages[0]),
    }
    return sheets


def sheet_rows(sheets: Sheets) -> list[tuple[str, list[str], list[dict[str, str]]]]:
    """(sheet name, columns, rows) in the workbook's order: what to_xlsx writes and
    workbook_dict hands pyxform, from one place so the two cannot drift apart."""
    return [("survey", sheets.survey_columns, sheets.survey),
            ("choices", sheets.choices_columns, sheets.choices),
            ("settings", list(SETTINGS), [sheets.settings])]


def to_xlsx(sheets: Sheets) -> bytes:
    """The workbook; every cell is text, so nothing in a record can become a formula."""
    from openpyxl import Workbook

    from ..reproducible import rezip, zip_time

    wb = Workbook()
    ws = wb.active
    for i, (title, columns, rows) in enumerate(sheet_rows(sheets)):
        if i:
            ws = wb.create_sheet(title)
        ws.title = title
        _fill(ws, columns, rows)
    fixed = dt.datetime(*zip_time())
    wb.properties.created = wb.properties.modified = fixed
    wb.properties.creator = "country-toolkit"
    buf = io.BytesIO()
    wb.save(buf)
    # Byte-identical builds: openpyxl stamps "modified" with the current time whatever the
    # workbook says, and its zip entries with today's date.
    iso = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*zip_time()).encode()

    def fix_date(name: str, content: bytes) -> bytes:
        if name != "docProps/core.xml":
            return content
        return re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", lambda m: m.group(1) + iso, content)

    return rezip(buf.getvalue(), edit=fix_date)


def _fill(ws, columns: Sequence[str], rows: Sequence[dict[str, str]]) -> None:  # type: ignore[no-untyped-def]
    ws.append(list(columns))
    for row in rows:
        values = [row.get(c, "") or None for c in columns]
        # The check reads the rows as text (workbook_dict): a number here would be written
        # as a number, and the file would no longer be the form that was checked.
        if not all(v is None or isinstance(v, str) for v in values):
            raise TypeError(f"the XLSForm holds text only, not {values!r}")
        ws.append(values)
    for cells in ws.iter_rows():
        for c in cells:
            if isinstance(c.value, str):
                c.data_type = "s"  # openpyxl would make any "=..." string a formula


class _Cell:
    """A cell as pyxform's xlsx reader sees it (only .value is read)."""

    __slots__ = ("value",)

    def __init__(self, value: str | None) -> None:
        self.value = value


# Excel's (and so openpyxl's reading back) limit of a cell's text.
MAX_TEXT = 32767


def _read_back(value: str | None) -> str | None:
    """The text of a cell to_xlsx writes, as reading the xlsx gives it back: an empty value
    is no cell, a text is cut at Excel's 32,767 characters, and XML reads a carriage
    return (alone or before a newline) as a newline."""
    if not value:
        return None
    if not isinstance(value, str):
        raise TypeError(f"the XLSForm holds text only, not {value!r}")
    value = value[:MAX_TEXT]
    if "\r" in value:
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def workbook_dict(sheets: Sheets) -> dict[str, Any]:
    """What pyxform reads from to_xlsx(sheets) (xls2json_backends.xlsx_to_dict), made from
    the rows: the cells' text as the file gives it back, through pyxform's own rules for
    headers (whitespace, duplicates) and rows (empty runs). Reading the file back costs
    pyxform more than checking it (openpyxl parses every cell); tests keep the two the
    same, and so the XForm."""
    from pyxform.xls2json_backends import (
        get_excel_column_headers,
        get_excel_rows,
        is_empty,
        xlsx_value_to_str,
    )

    def clean(cell: _Cell, row_n: int, col_key: str) -> str | None:
        # pyxform's xlsx_clean_cell (local to xlsx_to_dict), for the text cells of to_xlsx.
        value = cell.value.strip() if cell.value is not None else None
        return None if is_empty(value) else xlsx_value_to_str(value)

    parts = sheet_rows(sheets)
    book: dict[str, Any] = {"sheet_names": [name for name, _, _ in parts]}
    for name, columns, rows in parts:
        headers = get_excel_column_headers(_read_back(c) for c in columns)
        cells = ([_Cell(_read_back(row.get(c))) for c in columns] for row in rows)
        book[name] = get_excel_rows(headers=headers, rows=cells, cell_func=clean)
        named = [h for h in headers if h is not None]
        book[f"{name}_header"] = [dict.fromkeys(named)] if named else []
    return book


def convert(xlsx: bytes | dict[str, Any]) -> str:
    """The XForm pyxform makes of the workbook (its bytes, or workbook_dict of its sheets);
    ExportError with pyxform's reason if it cannot."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert as pyxform_convert

    warnings: list[str] = []
    try:
        if isinstance(xlsx, dict):
            result = pyxform_convert(xlsform=xlsx, warnings=warnings)
        else:
            result = pyxform_convert(xlsform=io.BytesIO(xlsx), warnings=warnings,
                                     file_type=".xlsx")
    except PyXFormError as err:
        raise ExportError(f"pyxform refuses the form: {err}") from err
    return result.xform


# Forms pyxform has accepted in this process, by a digest of their rows' skeleton (below).
# `mkdocs serve` exports the form on every rebuild and most edits (a purpose, a mock-up, a
# question's wording) leave its skeleton unchanged, so the check (a second of CPU at 1,000
# questions) reruns only when something pyxform reads changed. A refused form is never
# recorded: it is refused every time.
_ACCEPTED: set[str] = set()

# The free-text columns, by sheet, as the export names them (a base, or base::Language (xx)):
# what pyxform does with their text (4.x, read in its source) is, for each cell,
# - read it as workbook_dict gives it: cut at 32,767 characters, carriage returns as
#   newlines, stripped, and whitespace only is no cell (presence is what xls2json and
#   SurveyElement.xml_label_and_hint check: "has no label or hint", a row without name or
#   label, a choice without label, the translations it generates for empty cells);
#   smart quotes and runs of whitespace are tidied (parsing/sheet_headers.clean_text_values),
#   a no-break space made a space (xlsx_value_to_str);
# - look for `${...}` references (validators/pyxform/pyxform_reference.py: a malformed or
#   unknown or ambiguous name refuses the form; question.py and survey_element.py make a
#   text holding one dynamic (itext, <output/>), parsed back as XML);
# - look for `instance(` expressions (parsing/instance_expression.replace_with_output,
#   made into <output/> elements, parsed back as XML);
# - treat the text "-" apart (survey.insert_output_values, itext media);
# - otherwise escape the text into an XML text node and write the XForm as UTF-8 (a lone
#   surrogate cannot be written).
# So a text without `$`, `{`, `}`, `instance(`, other than "-" and of printable characters
# (and ordinary spaces) only is used by pyxform for being there and nothing else: the
# skeleton keeps such a text as a mark that it is there, and every other cell, column,
# sheet and setting as it is. Two workbooks with the same skeleton get the same verdict.
# Another pyxform may read more of a text: with it the skeleton keeps every text whole
# (read its source again before adding its version here).
READ_PYXFORM = ("4.5.",)
FREE_TEXT = {"survey": ("label", "hint", "guidance_hint", "constraint_message",
                        "required_message"),
             "choices": ("label",)}
_SPACES = frozenset(" \t\n\u00a0\u202f")
_READ = re.compile(r"[${}]|instance\(")


@functools.cache
def _skeleton_applies() -> bool:
    from importlib.metadata import version

    return version("pyxform").startswith(READ_PYXFORM)


def _free_text(sheet: str, header: str) -> bool:
    if not _skeleton_applies():
        return False
    bases = FREE_TEXT.get(sheet, ())
    base, sep, language = header.partition("::")
    return base in bases and (not sep or bool(language) and ":" not in language
                              and language == language.strip())


def _skeleton_cell(value: str | None) -> Any:
    """A free-text cell as pyxform uses it: absent (None), there ([]) or its text (str)."""
    from pyxform.xls2json_backends import is_empty, xlsx_value_to_str

    text = _read_back(value)
    text = text.strip() if text is not None else None
    if is_empty(text):
        return None
    text = xlsx_value_to_str(text)
    if (text == "-" or _READ.search(text) or not (
            text.isprintable() or all(c.isprintable() or c in _SPACES for c in text))):
        return text
    return []


def exact_digest(sheets: Sheets) -> str:
    """The digest of the rows as they are: found among the accepted, the workbook is known
    good without pyxform (not even imported: 0.15 s of a warm build whose form is unchanged);
    the workbook written from them is kept by it too (rebuild_memo.RebuildMemo.workbook)."""
    text = json.dumps(["exact", sheet_rows(sheets)], ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"), default=repr)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _rows_digest(sheets: Sheets) -> str:
    """The digest of the rows' skeleton (FREE_TEXT): what pyxform's verdict depends on."""
    parts = []
    for name, columns, rows in sheet_rows(sheets):
        free = {c for c in columns if _free_text(name, c)}
        parts.append([name, columns, [
            {c: _skeleton_cell(v) if c in free else v for c, v in row.items()}
            for row in rows]])
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"), default=repr)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """pyxform builds the XForm as a DOM of hundreds of thousands of linked nodes, all alive
    until it returns. Each time they outnumber the garbage collector's thresholds it scans
    them, and in a `mkdocs serve` process holding a built site they set off full
    collections of everything the process holds (0.6 s each at 1,000 questions). Nothing
    is freed earlier with the collector on (the peak is the same); it collects the DOM
    once, young, afterwards."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def check(sheets: Sheets, exact: str | None = None) -> None:
    """Raise ExportError with pyxform's reason unless pyxform converts the workbook
    to_xlsx(sheets) writes, handed over as its rows (workbook_dict). exact: exact_digest of
    the sheets, if made already."""
    exact = exact or exact_digest(sheets)
    if exact in _ACCEPTED:
        return
    digest = _rows_digest(sheets)
    if digest in _ACCEPTED:
        _ACCEPTED.add(exact)
        return
    from pyxform.errors import PyXFormError

    try:  # pyxform's header rules can refuse a sheet (a duplicate column) as it reads it
        book = workbook_dict(sheets)
    except PyXFormError as err:
        raise ExportError(f"pyxform refuses the form: {err}") from err
    with _no_cycle_collection():
        convert(book)
    if len(_ACCEPTED) >= 128:
        _ACCEPTED.clear()
    _ACCEPTED.update((digest, exact))


def export_xlsform(kb: KnowledgeBase, round_number: int | None = None,
                   workbook: Callable[[Callable[[], bytes], str], bytes] | None = None
                   ) -> bytes:
    """The XLSForm workbook of the round; raises ExportError if pyxform would refuse it.

    workbook(write, exact): the file written from the sheets, by write() or from a memo of it
    by their exact_digest (rebuild_memo.RebuildMemo.workbook)."""
    sheets = build_sheets(kb, round_number)
    exact = exact_digest(sheets)  # the rows serialised once, for the check and the memo
    data = (to_xlsx(sheets) if workbook is None
            else workbook(lambda: to_xlsx(sheets), exact))
    check(sheets, exact)
    return data
