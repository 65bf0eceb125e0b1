"""The false assessment as a dataset partners can download (CSV and XLSX), labelled false.

One row per assessed unit, one column per question (its XLSForm name), values as ODK
exports them: option codes, select_multiple codes separated by spaces, empty where the
question was skipped. Questions about key informants, households or people are in a table
of their own (a CSV file and a sheet per level), one row per such unit, each pointing to
its location (and a person to their household), as a form's repeat groups export.
Partners can run their own analysis scripts on it before collection. Every row says FALSE
DATA, and so do the file names and the workbook.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import chain
from xml.sax.saxutils import escape

import numpy as np
import pandas as pd

from ..models import Question
from ..reproducible import write_zip, zip_time
from .assessment import ID_PREFIX, FalseAssessment, Level, level_name

FALSE = "FALSE DATA: illustrative only, not real"
UNIT_COLUMNS = ("false_data", "unit_id", "admin1_pcode", "admin1", "admin2_pcode", "admin2",
                "location_type", "population_group", "key_informant_type")


# Per level: the end of its CSV file name and its workbook sheet (locations come first).
LEVEL_FILES = {"location": ("", "false_data"),
               "key_informant": ("-key-informants", "key_informants"),
               "household": ("-households", "households"),
               "individual": ("-people", "people")}
LEVEL_WORDS = {"location": "Locations", "key_informant": "Key informants",
               "household": "Households", "individual": "People"}


def file_stem(assessment: FalseAssessment) -> str:
    c = assessment.country
    return f"FALSE-DATA-{c.iso3.lower()}-round-{c.round.number}"


def level_suffix(assessment: FalseAssessment, question: Question) -> str:
    """What the file of a question's level adds to file_stem: '' for locations."""
    return LEVEL_FILES[level_name(question, assessment.country)][0]


def unit_ids(assessment: FalseAssessment, level: Level) -> list[str]:
    """VLR-R6-00012 for a location, VLR-R6-00012-KI2 for its second key informant,
    VLR-R6-00012-HH03-P4 for the fourth member of its third household."""
    c = assessment.country
    if level.name == "location":
        return [f"{c.iso3}-R{c.round.number}-{i:05d}" for i in range(1, level.n + 1)]
    if level.name == "individual":
        households = unit_ids(assessment, assessment.level("household"))
        parents = [households[i] for i in level.parent.tolist()]
    else:
        locations = unit_ids(assessment, assessment.level("location"))
        parents = [locations[i] for i in level.parent.tolist()]
    width = 2 if level.name == "household" else 1
    prefix = ID_PREFIX[level.name]
    return [f"{p}-{prefix}{o:0{width}d}" for p, o in zip(parents, level.ordinal.tolist(),
                                                       strict=True)]


def false_frames(assessment: FalseAssessment,
                 questions: Iterable[Question]) -> dict[str, pd.DataFrame]:
    """One table per level the questions are at, locations first (always present)."""
    by_level: dict[str, list[Question]] = {name: [] for name in LEVEL_FILES}
    for q in questions:
        by_level[level_name(q, assessment.country)].append(q)
    return {name: false_frame(assessment, qs, name) for name, qs in by_level.items()
            if qs or name == "location"}


def false_frame(assessment: FalseAssessment, questions: Iterable[Question],
                level: str = "location") -> pd.DataFrame:
    """The units of one level, then one column per question of that level, in order."""
    lv = assessment.level(level)
    u = assessment.units
    dims = lv.dimensions
    ids = unit_ids(assessment, lv)
    columns: dict[str, object] = {"false_data": [FALSE] * lv.n, "unit_id": ids}
    if level != "location":
        locations = unit_ids(assessment, assessment.level("location"))
        columns["location_id"] = [locations[i] for i in lv.location.tolist()]
    if level == "individual":
        columns["household_id"] = [i.rsplit("-", 1)[0] for i in ids]
    at = lv.location.tolist()
    columns.update({
        "admin1_pcode": [u.admin1_pcode[i] for i in at],
        "admin1": _names(dims["admin1"].names, dims["admin1"].index),
        "admin2_pcode": [u.admin2_pcode[i] for i in at],
        # A province without districts leaves both empty (not another province's district).
        "admin2": ([name if u.admin2_pcode[i] else "" for name, i in
                    zip(_names(dims["admin2"].names, dims["admin2"].index), at, strict=True)]
                   if "admin2" in dims else [""] * lv.n),
        "location_type": (_names(dims["location_type"].names, dims["location_type"].index)
                          if "location_type" in dims else [""] * lv.n),
        "population_group": _names(dims["population_group"].names,
                                   dims["population_group"].index),
    })
    if "key_informant_type" in dims:
        # Locations: the main key informant; key informants: their own type.
        columns["key_informant_type"] = _names(dims["key_informant_type"].names,
                                               dims["key_informant_type"].index)
    for q in questions:
        if level_name(q, assessment.country) == level:
            columns[q.var_name] = _column(assessment, q)
    return pd.DataFrame(columns)


def _names(names: tuple[str, ...], index: np.ndarray) -> list[str]:
    return [names[i] for i in index.tolist()]


def _column(assessment: FalseAssessment, q: Question) -> object:
    # Kept with the answers between serve rebuilds (pandas copies it into each frame).
    return assessment.derived(q, "column", lambda: _make_column(assessment, q))


def _make_column(assessment: FalseAssessment, q: Question) -> object:
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
    if type(value) is not str:
        value = _plain(value)
    if value is None:
        return ""
    text = repr(value) if isinstance(value, float) else str(value)
    if "," in text or '"' in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


# A column's distinct values and where each one is (pd.factorize), None for a column of
# floats (written from numpy's text of each number instead).
Distinct = tuple[np.ndarray, list[object]] | None


def _distinct(series: pd.Series) -> Distinct:
    if series.dtype.kind == "f":
        return None
    index, uniques = pd.factorize(series, use_na_sentinel=True)
    # tolist: Python scalars in one call, not an element lookup per value (100,000 distinct
    # texts at 1,000 questions: unit ids, dates, combinations of options). int32: the
    # index of every cell of a frame is kept while its CSV and its sheet are written.
    return index.astype(np.int32), uniques.tolist()


def _cells(series: pd.Series, render: Callable[[object], str], number: Callable[[str], str],
           distinct: Distinct = None) -> list[str]:
    """Each distinct value rendered once (answers repeat a lot), then spread by index.

    Numbers, nearly all distinct, go through `number` on numpy's own text instead.
    distinct: _distinct(series), if found already (the CSV and the workbook share it).
    """
    if series.dtype.kind == "f":
        text = np.round(series.to_numpy(), 6).astype(str)
        return [number(t) if t != "nan" else render(None) for t in text.tolist()]
    index, uniques = distinct if distinct is not None else _distinct(series)
    rendered = np.array([render(u) for u in uniques] + [render(None)], dtype=object)
    return rendered[index].tolist()  # the sentinel -1 picks the last: the missing value


def false_csv(frame: pd.DataFrame, distinct: Sequence[Distinct] | None = None) -> bytes:
    """CSV (UTF-8, LF). Written by hand: pandas' writer is the slow part on a big kb.
    distinct: _distinct of each column, if found already."""
    columns = [_cells(frame[c], _csv_value, str, distinct[i] if distinct is not None else None)
               for i, c in enumerate(frame.columns)]
    header = ",".join(_csv_value(str(c)) for c in frame.columns)
    lines = [header, *(",".join(row) for row in zip(*columns, strict=True))]
    return ("\n".join(lines) + "\n").encode("utf-8")


def false_files(frames: Mapping[str, pd.DataFrame],
                assessment: FalseAssessment) -> tuple[dict[str, bytes], bytes]:
    """false_csv of each level's frame and false_xlsx of them all (the same bytes), each
    column's distinct values found once for both: a frame at a time, its CSV, then its
    sheet."""
    csvs: dict[str, bytes] = {}

    def distinct(level: str, frame: pd.DataFrame) -> list[Distinct]:
        found = [_distinct(frame[c]) for c in frame.columns]
        csvs[level] = false_csv(frame, found)
        return found

    return csvs, _xlsx(frames, assessment, distinct)


class _Strings:
    """The workbook's shared strings: each distinct text stored once, cells point to it."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def cell(self, value: object) -> str:
        if type(value) is not str:  # most cells are text: nothing for _plain to do
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


_ROW_BLOCK = 256  # rows encoded together


def _sheet(rows: Iterable[str]) -> bytearray:
    """A worksheet's XML, encoded a block of rows at a time into one buffer: the rows,
    their text joined, the sheet around it and its bytes were four copies of a 130 MB
    sheet at 5,000 questions (most of the build's peak memory). The zip writer takes the
    buffer as it is."""
    sheet = bytearray(('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                       f'<worksheet xmlns="{_NS}"><sheetData>').encode())
    block: list[str] = []
    for row in rows:
        block.append(row)
        if len(block) == _ROW_BLOCK:
            sheet += "".join(block).encode()
            block = []
    sheet += ("".join(block) + "</sheetData></worksheet>").encode()
    return sheet


def false_xlsx(frames: Mapping[str, pd.DataFrame] | pd.DataFrame,
               assessment: FalseAssessment) -> bytes:
    """A workbook whose first sheet says, before anything else, that the data is false,
    then one sheet per level (false_frames).

    Written directly as SpreadsheetML with shared strings: openpyxl takes half a minute for
    the 1.2 million cells of a 1,000-question kb, this a few seconds.
    """
    return _xlsx(frames, assessment, None)


def _xlsx(frames: Mapping[str, pd.DataFrame] | pd.DataFrame, assessment: FalseAssessment,
          distinct: Callable[[str, pd.DataFrame], list[Distinct]] | None) -> bytes:
    """false_xlsx; distinct(level, frame), if given, gives _distinct of each column of a
    frame just before its sheet is written."""
    if isinstance(frames, pd.DataFrame):
        frames = {"location": frames}
    c = assessment.country
    about = [
        ["FALSE DATA"],
        [f"Every value in this workbook is invented: an illustrative false assessment of "
         f"{c.name}, round {c.round.number}, made to test analysis scripts before "
         "collection. Do not use, cite or share it as data."],
        *([f"{LEVEL_WORDS[name]} (sheet {LEVEL_FILES[name][1]})", len(frame)]
          for name, frame in frames.items()),
        ["Columns", "One per question (its XLSForm name), on the sheet of its unit of "
                    "analysis; location_id links a key informant or household to its "
                    "location. select_multiple answers are option codes separated by spaces; "
                    "empty cells are questions skipped by their relevance rule."],
    ]
    strings = _Strings()
    readme = _sheet("<row>" + "".join(strings.cell(v) for v in row) + "</row>" for row in about)
    sheets = [readme]
    for level, frame in frames.items():
        found = distinct(level, frame) if distinct is not None else None
        header = "<row>" + "".join(strings.cell(str(col)) for col in frame.columns) + "</row>"
        columns = [_cells(frame[col], strings.cell, lambda t: f"<c><v>{t}</v></c>",
                          found[i] if found is not None else None)
                   for i, col in enumerate(frame.columns)]
        del found
        sheets.append(_sheet(chain([header], ("<row>" + "".join(row) + "</row>"
                                              for row in zip(*columns, strict=True)))))
    names = ["READ ME - FALSE DATA", *(LEVEL_FILES[name][1] for name in frames)]
    stamp = zip_time()
    iso = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*stamp)
    parts = {
        "[Content_Types].xml": _content_types(len(sheets)),
        "_rels/.rels": _RELS,
        "docProps/core.xml": _CORE.format(created=iso),
        "xl/workbook.xml": _workbook(names),
        "xl/_rels/workbook.xml.rels": _workbook_rels(len(sheets)),
        "xl/styles.xml": _STYLES,
        "xl/sharedStrings.xml": strings.xml(),
        **{f"xl/worksheets/sheet{i}.xml": sheet for i, sheet in enumerate(sheets, 1)},
    }
    # The project's one zip writer: same dates and permissions as the other downloads.
    # Deflate level 6: level 9 took 2.1 s on the 26 MB of sheets of a 1,000-question kb
    # (a tenth of the build) for a file 11% smaller; level 6 takes 0.3 s.
    # write_zip, not zip_bytes: that one hashes every byte to find a zip it made before, and
    # these bytes are kept by what they are made of already (page_memo.false_downloads).
    out = io.BytesIO()
    write_zip(out, ((name, text if isinstance(text, bytearray) else text.encode("utf-8"))
                    for name, text in parts.items()), level=6)
    return out.getvalue()


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML 1.0
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_SHEET_TYPE = ("application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet"
               "+xml")


def _content_types(sheets: int) -> str:
    return (
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
        + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
                  f'ContentType="{_SHEET_TYPE}"/>' for i in range(1, sheets + 1))
        + '<Override PartName="/docProps/core.xml" ContentType="application/vnd.'
        'openxmlformats-package.core-properties+xml"/></Types>')


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
def _workbook(names: list[str]) -> str:
    sheets = "".join(f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
                     for i, name in enumerate(names, 1))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<workbook xmlns="{_NS}" xmlns:r="{_R}"><sheets>{sheets}</sheets></workbook>')


def _workbook_rels(sheets: int) -> str:
    rels = "".join(f'<Relationship Id="rId{i}" Type="{_R}/worksheet" '
                   f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, sheets + 1))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{_PKG}/relationships">{rels}'
            f'<Relationship Id="rId{sheets + 1}" Type="{_R}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId{sheets + 2}" Type="{_R}/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>')


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
