"""The false assessment as a dataset partners can download (CSV and XLSX), labelled false.

One row per assessed unit, one column per question (its XLSForm name), values as ODK
exports them: option codes, select_multiple codes separated by spaces, empty where the
question was skipped. Partners can run their own analysis scripts on it before
collection. Every row says FALSE DATA, and so do the file names and the workbook.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..models import Question
from .assessment import FalseAssessment

FALSE = "FALSE DATA: illustrative only, not real"
UNIT_COLUMNS = ("false_data", "unit_id", "admin1_pcode", "admin1", "admin2_pcode", "admin2",
                "location_type", "population_group", "key_informant_type")


def file_stem(assessment: FalseAssessment) -> str:
    c = assessment.country
    return f"FALSE-DATA-{c.iso3.lower()}-round-{c.round.number}"


def false_frame(assessment: FalseAssessment, questions: Iterable[Question]) -> pd.DataFrame:
    """Units, then one column per question, in the order given."""
    u = assessment.units
    c = assessment.country
    dims = u.dimensions
    columns: dict[str, object] = {
        "false_data": [FALSE] * u.n,
        "unit_id": [f"{c.iso3}-R{c.round.number}-{i:05d}" for i in range(1, u.n + 1)],
        "admin1_pcode": list(u.admin1_pcode),
        "admin1": _names(dims["admin1"].names, dims["admin1"].index),
        "admin2_pcode": list(u.admin2_pcode),
        "admin2": (_names(dims["admin2"].names, dims["admin2"].index) if "admin2" in dims
                   else [""] * u.n),
        "location_type": (_names(dims["location_type"].names, dims["location_type"].index)
                          if "location_type" in dims else [""] * u.n),
        "population_group": _names(dims["population_group"].names,
                                   dims["population_group"].index),
        "key_informant_type": _names(dims["key_informant_type"].names,
                                     dims["key_informant_type"].index),
    }
    for q in questions:
        columns[q.var_name] = _column(assessment, q)
    return pd.DataFrame(columns)


def _names(names: tuple[str, ...], index: np.ndarray) -> list[str]:
    return [names[i] for i in index.tolist()]


def _column(assessment: FalseAssessment, q: Question) -> object:
    a = assessment.answers(q)
    if a.value is not None:
        if q.type == "integer":
            return pd.array([None if np.isnan(v) else int(v) for v in a.value.tolist()],
                            dtype="Int64")
        return a.value
    if a.day is not None:
        return [str(d) if ok else "" for d, ok in zip(a.day, a.asked.tolist(), strict=True)]
    if a.theme is not None:
        # Free text stays free: the false answer names its false theme.
        return [f"(false answer, theme {'ABCD'[t]})" if t >= 0 else ""
                for t in a.theme.tolist()]
    return [v if isinstance(v, str) else "" for v in a.odk()]


def false_csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def false_xlsx(frame: pd.DataFrame, assessment: FalseAssessment) -> bytes:
    """A workbook whose first sheet says, before anything else, that the data is false."""
    import datetime as dt

    from openpyxl import Workbook

    from ..dap import _normalise_zip
    from ..reproducible import zip_time

    c = assessment.country
    # write_only streams rows: several times faster than cell-by-cell for a large kb.
    book = Workbook(write_only=True)
    about = book.create_sheet("READ ME - FALSE DATA")
    for row in (
        ["FALSE DATA"],
        [f"Every value in this workbook is invented: an illustrative false assessment of "
         f"{c.name}, round {c.round.number}, made to test analysis scripts before "
         "collection. Do not use, cite or share it as data."],
        ["Units", assessment.units.n],
        ["Columns", "One per question (its XLSForm name); select_multiple answers are option "
                    "codes separated by spaces; empty cells are questions skipped by their "
                    "relevance rule."],
    ):
        about.append(row)
    sheet = book.create_sheet("false_data")
    sheet.append(list(frame.columns))
    for row in frame.itertuples(index=False, name=None):
        sheet.append([_cell(sheet, v) for v in row])
    book.properties.created = book.properties.modified = dt.datetime(*zip_time())
    book.properties.creator = "country-toolkit"
    book.properties.title = "FALSE DATA"
    buf = io.BytesIO()
    book.save(buf)
    return _normalise_zip(buf.getvalue())


def _cell(sheet: object, value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, str) and value.startswith("="):
        from openpyxl.cell import WriteOnlyCell

        # openpyxl makes any "=..." string a formula; record text is untrusted.
        cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]
        cell.data_type = "s"
        return cell
    return value
