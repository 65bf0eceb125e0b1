"""The false assessment as a dataset partners can download (CSV and XLSX), labelled false.

One row per assessed unit, one column per question (its XLSForm name), values as ODK
exports them: option codes, select_multiple codes separated by spaces, empty where the
question was skipped. Partners can run their own analysis scripts on it before
collection. Every row says FALSE DATA, and so do the file names and the workbook.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

from ..models import Question
from ..reproducible import zip_bytes, zip_time
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
            missing = np.isnan(a.value)
            return pd.arrays.IntegerArray(np.where(missing, 0, a.value).astype(np.int64),
                                          missing)
        return a.value
    if a.day is not None:
        text = np.datetime_as_string(a.day, unit="D")
        return np.where(a.asked, text, "").tolist()
    if a.theme is not None:
        # Free text stays free: the false answer names its false theme.
        labels = np.array([f"(false answer, theme {t})" for t in "ABCD"] + [""], dtype=object)
        return labels[np.where(a.theme >= 0, a.theme, 4)].tolist()
    assert a.spec is not None
    codes = np.array([*a.spec.codes, ""], dtype=object)
    if a.choice is not None:
        return codes[np.where(a.choice >= 0, a.choice, len(a.spec.codes))].tolist()
    assert a.chosen is not None
    # Few distinct combinations: join the codes once per combination, not once per unit.
    if a.chosen.shape[1] <= 62:
        keys = a.chosen.astype(np.int64) @ (np.int64(1) << np.arange(a.chosen.shape[1]))
        _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        patterns = a.chosen[first]
    else:
        patterns, inverse = np.unique(a.chosen, axis=0, return_inverse=True)
    joined = np.array([" ".join(c for c, on in zip(a.spec.codes, row, strict=True) if on)
                       for row in patterns.tolist()], dtype=object)
    return joined[inverse.reshape(-1)].tolist()


def _plain(value: object) -> object:
    """None for a missing value, Python scalars for numpy ones."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, np.generic):
        value = value.item()
        if isinstance(value, float) and np.isnan(value):
            return None
    return value


def _csv_value(value: object) -> str:
    value = _plain(value)
    if value is None:
        return ""
    text = repr(value) if isinstance(value, float) else str(value)
    if any(ch in text for ch in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _cells(series: pd.Series, render: Callable[[object], str],
           number: Callable[[str], str] | None = None) -> list[str]:
    """Each distinct value rendered once (answers repeat a lot), then spread by index.

    Numbers, nearly all distinct, go through `number` on numpy's own text instead.
    """
    if number is not None and series.dtype.kind == "f":
        text = np.round(series.to_numpy(), 6).astype(str)
        return [number(t) if t != "nan" else render(None) for t in text.tolist()]
    index, uniques = pd.factorize(series, use_na_sentinel=True)
    rendered = np.array([render(u) for u in uniques] + [render(None)], dtype=object)
    return rendered[index].tolist()  # the sentinel -1 picks the last: the missing value


def false_csv(frame: pd.DataFrame) -> bytes:
    """CSV (UTF-8, LF). Written by hand: pandas' writer is the slow part on a big kb."""
    columns = [_cells(frame[c], _csv_value, str) for c in frame.columns]
    header = ",".join(_csv_value(str(c)) for c in frame.columns)
    lines = [header, *(",".join(row) for row in zip(*columns, strict=True))]
    return ("\n".join(lines) + "\n").encode("utf-8")


class _Strings:
    """The workbook's shared strings: each distinct text stored once, cells point to it."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def cell(self, value: object) -> str:
        value = _plain(value)
        if value is None:
            return "<c/>"
        if isinstance(value, int | float) and not isinstance(value, bool):
            return f"<c><v>{value!r}</v></c>"
        # Shared strings, never formulas: record text is untrusted.
        text = _XML_BAD.sub("", str(value))
        i = self.index.setdefault(text, len(self.index))
        return f'<c t="s"><v>{i}</v></c>'

    def xml(self) -> str:
        items = "".join(f'<si><t xml:space="preserve">{escape(t)}</t></si>' for t in self.index)
        return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<sst xmlns="{_NS}" count="{len(self.index)}" uniqueCount="{len(self.index)}">'
                f"{items}</sst>")


def _sheet(rows: Iterable[str]) -> str:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{_NS}"><sheetData>' + "".join(rows) + "</sheetData></worksheet>")


def false_xlsx(frame: pd.DataFrame, assessment: FalseAssessment) -> bytes:
    """A workbook whose first sheet says, before anything else, that the data is false.

    Written directly as SpreadsheetML with shared strings: openpyxl takes half a minute for
    the 1.2 million cells of a 1,000-question kb, this a few seconds.
    """
    c = assessment.country
    about = [
        ["FALSE DATA"],
        [f"Every value in this workbook is invented: an illustrative false assessment of "
         f"{c.name}, round {c.round.number}, made to test analysis scripts before "
         "collection. Do not use, cite or share it as data."],
        ["Units", assessment.units.n],
        ["Columns", "One per question (its XLSForm name); select_multiple answers are option "
                    "codes separated by spaces; empty cells are questions skipped by their "
                    "relevance rule."],
    ]
    strings = _Strings()
    readme = _sheet("<row>" + "".join(strings.cell(v) for v in row) + "</row>" for row in about)
    header = "<row>" + "".join(strings.cell(str(col)) for col in frame.columns) + "</row>"
    columns = [_cells(frame[col], strings.cell, lambda t: f"<c><v>{t}</v></c>")
               for col in frame.columns]
    data = _sheet([header, *("<row>" + "".join(row) + "</row>"
                             for row in zip(*columns, strict=True))])
    stamp = zip_time()
    iso = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*stamp)
    parts = {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": _RELS,
        "docProps/core.xml": _CORE.format(created=iso),
        "xl/workbook.xml": _WORKBOOK,
        "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS,
        "xl/styles.xml": _STYLES,
        "xl/sharedStrings.xml": strings.xml(),
        "xl/worksheets/sheet1.xml": readme,
        "xl/worksheets/sheet2.xml": data,
    }
    # The project's one zip writer: same dates and permissions as the other downloads.
    return zip_bytes((name, text.encode("utf-8")) for name, text in parts.items())


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML 1.0
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Types xmlns="{_PKG}/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
    'package.core-properties+xml"/></Types>')
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Relationships xmlns="{_PKG}/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
    'relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>')
_CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>FALSE DATA</dc:title><dc:creator>country-toolkit</dc:creator>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">{created}</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">{created}</dcterms:modified>'
    "</cp:coreProperties>")
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<workbook xmlns="{_NS}" xmlns:r="{_R}"><sheets>'
    '<sheet name="READ ME - FALSE DATA" sheetId="1" r:id="rId1"/>'
    '<sheet name="false_data" sheetId="2" r:id="rId2"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_R}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_R}/worksheet" Target="worksheets/sheet2.xml"/>'
    f'<Relationship Id="rId3" Type="{_R}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId4" Type="{_R}/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>")
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<styleSheet xmlns="{_NS}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/>'
    '</font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill>'
    '<patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/>'
    '<right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf '
    'numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="1">'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '</styleSheet>')
