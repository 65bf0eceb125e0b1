"""The joint Data Analysis Plan: one row per agreed question, exported as CSV and XLSX."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping

import pandas as pd

from .kb import KnowledgeBase
from .labels import LABELS
from .mockup import MOCKUP_LABEL
from .reproducible import zip_time

COLUMNS = [
    "ID", "Sector", "Question", "Type", "Reply options", "Information need", "Purpose", "Use",
    "Requested by", "Descriptive analysis", "Statistic", "Disaggregation", "Analysed by",
    "Frequency", "Mock-up sentence", "Chart", "Sharing", "Shared with", "Since round",
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
        ])
    return pd.DataFrame(rows, columns=COLUMNS)


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
    import datetime as dt

    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name="Data Analysis Plan", index=False)
        about = pd.DataFrame(
            [
                ["Country", kb.country.name],
                ["Plan", kb.plan.title],
                ["Version", kb.plan.version],
                ["Round", kb.plan.round],
                ["Status", kb.plan.status],
                ["Note", f"Mock-up sentences are labelled '{MOCKUP_LABEL}': they are made with "
                         "false data to check each question gives the information needed."],
            ],
            columns=["Field", "Value"],
        )
        about.to_excel(writer, sheet_name="About", index=False)
        for sheet in writer.book.worksheets:
            for row in sheet.iter_rows():
                for c in row:
                    if c.data_type == "f":  # openpyxl makes any "=..." string a formula
                        c.data_type = "s"
        props = writer.book.properties
        fixed = dt.datetime(*zip_time())
        props.created = props.modified = fixed
        props.creator = "country-toolkit"
    return _normalise_zip(buf.getvalue())


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps so the same plan gives byte-identical files."""
    out = io.BytesIO()
    stamp = zip_time()
    # openpyxl stamps "modified" with the current time whatever the workbook says.
    iso = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*stamp)
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*",
                                 lambda m: m.group(1) + iso.encode(), content)
            dst.writestr(fixed, content)
    return out.getvalue()
