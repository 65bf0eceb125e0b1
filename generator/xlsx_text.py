"""Record text into XlsxWriter cells, always as text.

XlsxWriter writes a string that starts with "<r>" and ends with "</r>" into the workbook's
shared strings as it is, unescaped: it takes it for a rich string of its own making
(xlsxwriter/sharedstrings.py). Record text is untrusted, so such a text could forge the
cells after it or make the file unreadable. Handed to XlsxWriter as a rich string of two
plain fragments instead, each fragment is escaped, and the cell reads back as the text.
"""

from __future__ import annotations

from typing import Any


def raw_to_xlsxwriter(text: str) -> bool:
    """Whether XlsxWriter would write `text` into the file unescaped."""
    return text.startswith("<r>") and text.endswith("</r>")


def write_text(sheet: Any, row: int, col: int, text: str, plain: Any,
               cell_format: Any = None) -> None:
    """Write `text` as text. plain: an empty format of the workbook (book.add_format())."""
    if raw_to_xlsxwriter(text):
        args = [plain, text[:1], plain, text[1:]]
        if cell_format is not None:
            args.append(cell_format)
        if sheet.write_rich_string(row, col, *args) != 0:
            raise ValueError(f"XlsxWriter refused the text of cell ({row}, {col})")
    else:
        sheet.write_string(row, col, text, cell_format)
