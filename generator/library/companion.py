"""Field Companion exports: one workbook row per question, one printable page per question.

For a library, the guidance is the library's. For a country, adopted questions carry their
library question's guidance with the country's wording, options and deviations; questions of
the country's own get the same columns from their record. A country export is made from the
public view: a confidential question is one row and one page saying only what the public site
says (its neutral handle, sector and whom to ask).
"""

from __future__ import annotations

import datetime as dt
import html
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..kb import KnowledgeBase
from ..labels import LABELS
from ..models import Question
from ..models.library import LibraryQuestion
from ..reproducible import rezip, zip_time
from ..xlsx_text import write_text
from .loading import Library

COLUMNS = (
    "Sector", "Question id", "Question", "Type", "Reply options", "Information provided",
    "Suggested use of results", "Suggested descriptive analysis", "Suggested visualisation",
    "How to share", "Interested sectors and organisations", "Preconditions",
    "Recommended key informant", "Reply options and instructions", "Data Dictionary tier",
    "HXL", "Mock-up sentence (false data)", "Library question", "Deviations",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Entry:
    """One question as the Field Companion shows it."""

    sector: str
    id: str
    text: str
    type: str
    options: str
    values: dict[str, str]  # column -> text, for the guidance columns
    labels: dict[str, str]  # language -> question label

    def row(self, languages: list[str]) -> list[str]:
        return [self.sector, self.id, self.text, self.type, self.options,
                *(self.values.get(c, "") for c in COLUMNS[5:]),
                *(self.labels.get(lang, "") for lang in languages)]


def _options(q: Question) -> str:
    return "; ".join(f"{o.label} ({o.code})" for o in q.options)


def _guidance(q: LibraryQuestion) -> dict[str, str]:
    c = q.companion
    return {
        "Information provided": c.information_provided,
        "Suggested use of results": c.suggested_use,
        "Suggested descriptive analysis": c.descriptive_analysis,
        "Suggested visualisation": c.visualisation,
        "How to share": c.sharing,
        "Interested sectors and organisations": "; ".join(c.interested_sectors),
        "Preconditions": c.preconditions,
        "Recommended key informant": c.key_informant,
        "Reply options and instructions": c.instructions,
        "Data Dictionary tier": LABELS.get(f"tier:{c.tier}", c.tier),
        "HXL": q.hxl or "",
        "Mock-up sentence (false data)": q.mockup.sentence,
    }


def library_entries(library: Library) -> list[Entry]:
    out = []
    for q in library.questions.values():
        sector = library.sectors[q.sector].name if q.sector in library.sectors else q.sector
        labels = {lang: lab.text for lang, lab in q.companion.labels.items()}
        out.append(Entry(sector, q.id, q.text, LABELS.get(q.type, q.type), _options(q),
                         _guidance(q), labels))
    return out


def country_entries(kb: KnowledgeBase) -> list[Entry]:
    view = kb.public_view()
    library = view.library
    partners = {p.id: p.name for p in view.partners.values()}
    ki = {k.id: k.label for k in view.country.msla.key_informant_types}
    out = []
    for key, q in view.questions.items():
        sector = view.sectors[q.sector].name
        restricted = view.is_restricted(q)
        adopted = None if restricted else view.adoptions.get(key)
        values: dict[str, str]
        labels: dict[str, str] = {}
        if adopted is not None and library is not None:
            lib_q = library.questions[adopted.library_id]
            values = _guidance(lib_q)
            values["Library question"] = f"{adopted.library_id} ({adopted.library_version})"
            values["Deviations"] = "; ".join(
                f"{d.field}: {d.reason}" for d in adopted.deviations)
            if not adopted.deviations:
                labels = {lang: lab.text for lang, lab in lib_q.companion.labels.items()}
        elif restricted:
            contact = q.sharing.contact or view.country.dtm.contact_email
            values = {"How to share": f"{LABELS.get(q.sharing.modality, q.sharing.modality)}: "
                                      f"ask {contact}"}
        else:
            values = {
                "Information provided": q.information_need,
                "Suggested use of results": q.use,
                "Suggested descriptive analysis": q.analysis.descriptive,
                "Suggested visualisation": LABELS.get(q.mockup.chart, q.mockup.chart),
                "How to share": LABELS.get(q.sharing.modality, q.sharing.modality),
                "Interested sectors and organisations": "; ".join(
                    partners.get(p, p) for p in q.requested_by),
                "Recommended key informant": "; ".join(ki.get(k, k) for k in q.key_informant),
                "Reply options and instructions": " ".join(
                    filter(None, [q.hint, q.enumerator_notes])),
                "HXL": q.hxl or "",
                "Mock-up sentence (false data)": q.mockup.sentence,
                "Library question": "(country question)",
            }
        out.append(Entry(sector, q.id, q.text,
                         "Restricted" if restricted else LABELS.get(q.type, q.type),
                         "" if restricted else _options(q), values, labels))
    return out


def _inert(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def workbook(entries: Iterable[Entry], title: str, languages: list[str]) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    # Record text is data: never a formula, a link or a number.
    book = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False,
                                     "strings_to_urls": False, "strings_to_numbers": False})
    book.set_properties({"created": dt.datetime(*zip_time()), "author": "country-toolkit",
                         "title": title})
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    plain = book.add_format()
    sheet = book.add_worksheet("Field Companion")
    header = [*COLUMNS, *(f"Question ({lang})" for lang in languages)]
    sheet.write_row(0, 0, header, bold)
    sheet.freeze_panes(1, 3)
    sheet.set_column(0, len(header) - 1, 30, wrap)
    for r, entry in enumerate(entries, start=1):
        for col, value in enumerate(entry.row(languages)):
            if value:
                write_text(sheet, r, col, _inert(value), plain, wrap)
    book.close()
    return rezip(buf.getvalue())


PAGE_CSS = """
body{font-family:system-ui,sans-serif;max-width:48rem;margin:1.5rem auto;padding:0 1rem;
line-height:1.4;color:#111}h1{font-size:1.35rem}dt{font-weight:bold;margin-top:.6rem}
dd{margin:0}nav{margin-bottom:1rem}.meta{color:#444}.mockup{border-left:4px solid #888;
padding-left:.6rem}@page{size:A4;margin:14mm}@media print{nav{display:none}body{margin:0;
font-size:10pt}}
"""


def _page(title: str, body: str) -> str:
    return (f"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title><style>{PAGE_CSS}</style></head>"
            f"<body>{body}</body></html>\n")


def question_page(entry: Entry, title: str) -> str:
    e = html.escape
    items = [("Type", entry.type), ("Reply options", entry.options),
             *((c, entry.values.get(c, "")) for c in COLUMNS[5:]),
             *((f"Question ({lang})", text) for lang, text in entry.labels.items())]
    body = (f"<nav><a href=\"index.html\">{e(title)}</a></nav>"
            f"<p class=\"meta\">{e(entry.sector)} · <code>{e(entry.id)}</code></p>"
            f"<h1>{e(entry.text)}</h1><dl>")
    for name, value in items:
        if not value:
            continue
        cls = " class=\"mockup\"" if name.startswith("Mock-up") else ""
        body += f"<dt>{e(name)}</dt><dd{cls}>{e(value)}</dd>"
    return _page(f"{entry.text} · {title}", body + "</dl>")


def write_companion(entries: list[Entry], out: Path, title: str, languages: list[str],
                    ) -> list[Path]:
    """field-companion.xlsx, index.html and one page per question in `out`."""
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "field-companion.xlsx"]
    written[0].write_bytes(workbook(entries, title, languages))
    index = [f"<h1>{html.escape(title)}</h1><p>One page per question: print any of them, "
             "or save it as PDF from the browser's print dialog.</p><ul>"]
    for entry in entries:
        name = f"{entry.id}.html"
        (out / name).write_text(question_page(entry, title), encoding="utf-8")
        written.append(out / name)
        index.append(f"<li>{html.escape(entry.sector)}: <a href=\"{html.escape(name)}\">"
                     f"{html.escape(entry.text)}</a></li>")
    (out / "index.html").write_text(_page(title, "".join(index) + "</ul>"), encoding="utf-8")
    written.append(out / "index.html")
    return written


def library_languages(library: Library | None) -> list[str]:
    return [lang for lang in (library.info.languages if library else []) if lang != "en"]


def companion_title(what: Any) -> str:
    return f"Field Companion: {what}"
