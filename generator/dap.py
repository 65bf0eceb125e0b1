"""The joint Data Analysis Plan: one row per agreed question, exported as CSV and XLSX."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from .kb import KnowledgeBase
from .labels import LABELS
from .mockup import MOCKUP_LABEL
from .reproducible import rezip, zip_time
from .xlsx_text import raw_to_xlsxwriter, write_text

COLUMNS = [
    "ID", "Sector", "Question", "Type", "Reply options", "Information need", "Purpose", "Use",
    "Requested by", "Descriptive analysis", "Statistic", "Disaggregation", "Analysed by",
    "Frequency", "Mock-up sentence", "Chart", "Sharing", "Shared with", "Since round",
    "Needs served", "Verified",
]


def dap_frame(kb: KnowledgeBase, sentences: Mapping[str, str]) -> pd.DataFrame:
    """The plan as a table. Pass the public view of the kb: rows hold no restricted text."""
    def label(ids: list[str]) -> str:
        return ", ".join(kb.partners[i].label for i in ids)

    rows = []
    for q in kb.agreed():
        if kb.is_restricted(q):
            # Only what the public view of a confidential question holds (kb.QUESTION_PUBLIC).
            row = dict.fromkeys(COLUMNS, "")
            row.update({"ID": q.id, "Sector": kb.sectors[q.sector].name, "Question": q.text,
                        "Sharing": LABELS[q.sharing.modality],
                        "Shared with": label(q.sharing.partners)})
            rows.append(list(row.values()))
            continue
        sentence = sentences.get(q.id)
        rows.append([
            q.id, kb.sectors[q.sector].name, q.text, LABELS[q.type],
            "; ".join(f"{o.code} = {o.label}" for o in q.options), q.information_need,
            q.purpose, q.use, label(q.requested_by), q.analysis.descriptive, q.statistic,
            ", ".join(LABELS[d] for d in q.analysis.disaggregation), label(q.analysis.analysed_by),
            q.analysis.frequency, f"{MOCKUP_LABEL}: {sentence}" if sentence else "",
            q.mockup.chart, LABELS[q.sharing.modality], label(q.sharing.partners),
            q.since_round or "",
            "; ".join(kb.needs[n].need for n in q.needs if n in kb.needs),
            _verified(q),
        ])
    return pd.DataFrame(rows, columns=COLUMNS)


def _verified(q: Any) -> str:
    """Who verified the phrasing and mock-up, and when, as one cell."""
    v = q.verification
    if v is None:
        return ""
    people = "; ".join(f"{p.role}, {p.organisation} ({LABELS[p.expertise]})"
                       for p in v.verified_by)
    return f"{v.date}: {people}"


# Spreadsheet programs run a cell that starts with one of these as a formula
# (=HYPERLINK(...), =cmd|...): record text must never become one.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def dap_csv(frame: pd.DataFrame) -> bytes:
    # utf-8-sig: Excel opens accented partner names correctly only with the BOM.
    safe = frame.map(_inert_cell)
    return safe.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def dap_xlsx(frame: pd.DataFrame, kb: KnowledgeBase) -> bytes:
    """The plan as a workbook: the table, and an "About" sheet saying what it is."""
    import xlsxwriter

    about = [
        ("Country", kb.country.name),
        ("Plan", kb.plan.title),
        ("Version", kb.plan.version),
        ("Round", kb.plan.round),
        ("Status", kb.plan.status),
        ("Note", f"Mock-up sentences are labelled '{MOCKUP_LABEL}': they are made with "
                 "false data to check each question gives the information needed."),
    ]
    buf = io.BytesIO()
    # Record text is data: never a formula ("=HYPERLINK(...)"), a link or a number.
    book = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False,
                                     "strings_to_urls": False, "strings_to_numbers": False})
    # The only date XlsxWriter writes (created and modified): the build's, not the clock's.
    book.set_properties({"created": dt.datetime(*zip_time()), "author": "country-toolkit"})
    bold, plain = book.add_format({"bold": True}), book.add_format()
    _sheet(book.add_worksheet("Data Analysis Plan"), list(frame.columns),
           frame.itertuples(index=False), bold, plain)
    _sheet(book.add_worksheet("About"), ["Field", "Value"], about, bold, plain)
    book.close()
    # XlsxWriter dates its zip entries 1980-01-01; the bundle's zip uses SOURCE_DATE_EPOCH.
    return rezip(buf.getvalue())


def _sheet(sheet: Any, header: list[str], rows: Iterable[Sequence[object]], bold: Any,
           plain: Any) -> None:
    sheet.write_row(0, 0, header, bold)
    sheet.freeze_panes(1, 0)
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if isinstance(value, str) and raw_to_xlsxwriter(value):
                write_text(sheet, r, col, value, plain)  # else written unescaped
            elif value is not None and value != "":
                sheet.write(r, col, value)
