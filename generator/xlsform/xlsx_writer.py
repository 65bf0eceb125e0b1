"""The export's xlsx bytes: openpyxl's workbook, its worksheets written straight from the rows.

openpyxl made a cell object per value and serialised each through an XML element: most of
the export's cost at 1,000 questions, paid again on every `mkdocs serve` rebuild that
changes the form. The worksheets hold text cells only, so their XML is written here as
openpyxl writes it (inline strings, its escaping and whitespace rule, its dimension and
page set-up), and everything else in the file (styles, theme, workbook, properties) still
comes from openpyxl. tests/test_xlsform_rows.py keeps the bytes the same as openpyxl's.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import zipfile
from collections.abc import Sequence

from ..reproducible import ZipTime, zip_bytes, zip_time

# openpyxl cuts a text at Excel's limit of 32,767 characters (Cell.check_string).
MAX_TEXT = 32767
_HEAD = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
         '<sheetPr><outlinePr summaryBelow="1" summaryRight="1" /><pageSetUpPr /></sheetPr>'
         '<dimension ref="A1:{last}" /><sheetViews><sheetView workbookViewId="0">'
         '<selection activeCell="A1" sqref="A1" /></sheetView></sheetViews>'
         '<sheetFormatPr baseColWidth="8" defaultRowHeight="15" /><sheetData>')
_TAIL = ('</sheetData><pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" '
         'footer="0.5" /></worksheet>')


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[str], Sequence[dict[str, str]]]]) -> bytes:
    """The workbook of (title, columns, rows) sheets: a header row of the column names, then
    a row per dict; every cell is text (so nothing in a record can become a formula) and an
    empty value is no cell."""
    entries = []
    for name, content in _skeleton(tuple(title for title, _, _ in sheets), zip_time()):
        match = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", name)
        if match:
            _, columns, rows = sheets[int(match.group(1)) - 1]
            content = sheet_xml(columns, rows)
        entries.append((name, content))
    return zip_bytes(entries)


def sheet_xml(columns: Sequence[str], rows: Sequence[dict[str, str]]) -> bytes:
    from openpyxl.utils import get_column_letter

    letters = [get_column_letter(i) for i in range(1, len(columns) + 1)]
    out = [_HEAD.format(last=f"{letters[-1]}{len(rows) + 1}")]
    # The header keeps an empty name as an empty cell; a row leaves out empty values.
    lines: list[list[str | None]] = [list(columns)]
    lines += [[row.get(c, "") or None for c in columns] for row in rows]
    for n, values in enumerate(lines, 1):
        out.append(f'<row r="{n}">')
        for letter, value in zip(letters, values, strict=True):
            if value is None:
                continue
            if not isinstance(value, str):
                raise TypeError(f"the XLSForm holds text only, not {value!r}")
            if value == "":
                out.append(f'<c r="{letter}{n}" t="inlineStr" />')
                continue
            out.append(f'<c r="{letter}{n}" t="inlineStr"><is>{_text(value)}</is></c>')
        out.append("</row>")
    out.append(_TAIL)
    return "".join(out).encode("utf-8")


def _text(value: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.utils.exceptions import IllegalCharacterError

    value = value[:MAX_TEXT]
    if ILLEGAL_CHARACTERS_RE.search(value):
        raise IllegalCharacterError(f"{value} cannot be used in worksheets.")
    stripped = value.strip()
    space = ' xml:space="preserve"' if stripped and stripped != value else ""
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    return f"<t{space}>{value}</t>"


@functools.lru_cache(maxsize=4)
def _skeleton(titles: tuple[str, ...], when: ZipTime) -> tuple[tuple[str, bytes], ...]:
    """The entries openpyxl writes for a workbook of empty sheets with these titles, dated
    `when` (it stamps "modified" with the current time whatever the workbook says)."""
    from openpyxl import Workbook

    wb = Workbook()
    for i, title in enumerate(titles):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = title
    wb.properties.created = wb.properties.modified = dt.datetime(*when)
    wb.properties.creator = "country-toolkit"
    buf = io.BytesIO()
    wb.save(buf)
    iso = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*when).encode()
    entries = []
    with zipfile.ZipFile(buf) as zf:
        for info in zf.infolist():
            content = zf.read(info)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*",
                                 lambda m: m.group(1) + iso, content)
            entries.append((info.filename, content))
    return tuple(entries)
