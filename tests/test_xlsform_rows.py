"""pyxform checks the export from its rows: the same verdict and XForm as from the file.

The check hands pyxform the rows (export.workbook_dict) instead of the xlsx bytes, which
pyxform would read back cell by cell with openpyxl; these tests keep the two the same, so
the check stays a check of the file people download.
"""

from __future__ import annotations

import io

import pytest
from pyxform.xls2json_backends import xlsx_to_dict
from support import SAMPLE_KB

from generator.loader import load_or_raise
from generator.xlsform import export
from generator.xlsform.export import (
    ExportError,
    Sheets,
    build_sheets,
    check,
    convert,
    to_xlsx,
    workbook_dict,
)

# Text that does not come back from an xlsx as it went in: stripped, cut, carriage returns
# read as newlines, no-break spaces, whitespace only, and text that must stay text.
AWKWARD = [" lead", "trail ", "a\r\nb", "a\rb", "\r\r\n", "a\u00a0b", "   ", "\u2028", "\tt",
           "x\u0085y", "_x000D_", "=1+1", "#N/A", "&<>\"'", "0012", "1.0", "TRUE", "é😀",
           "w" * 40000]


def awkward_sheets() -> Sheets:
    survey = [{"type": "text", "name": f"q{i}", "label": v, " odd  header ": v}
              for i, v in enumerate(AWKWARD)]
    survey[3:3] = [{}, {"type": "", "name": ""}]  # empty rows amid the form
    survey += [{}] * 61 + [{"type": "text", "name": "after_the_gap", "label": "Lost"}]
    return Sheets(survey=survey, choices=[{"list_name": "l", "name": " a ", "label": "A\r"}],
                  settings={"form_title": " Title ", "form_id": "f"},
                  survey_columns=["type", "name", "label", " odd  header ", "", ""] + [""] * 22
                  + ["hint"], choices_columns=["list_name", "name", "label"])


def test_pyxform_reads_the_written_file_as_the_rows_say() -> None:
    sheets = awkward_sheets()
    assert workbook_dict(sheets) == xlsx_to_dict(io.BytesIO(to_xlsx(sheets)))


@pytest.mark.parametrize("internal", [False, True])
def test_the_file_and_its_rows_give_the_same_xform(internal: bool) -> None:
    sheets = build_sheets(load_or_raise(SAMPLE_KB, internal=internal))
    book = workbook_dict(sheets)
    assert book is not None
    xform = convert(to_xlsx(sheets))
    assert "<h:html" in xform and convert(book) == xform


def test_a_form_refused_from_its_rows_is_refused_from_its_file() -> None:
    sheets = Sheets(survey=[{"type": "select_one nowhere", "name": "broken", "label": "B"}],
                    choices=[{"list_name": "elsewhere", "name": "x", "label": "X"}],
                    settings={"form_id": "f"}, survey_columns=["type", "name", "label"],
                    choices_columns=["list_name", "name", "label"])
    with pytest.raises(ExportError, match="nowhere") as from_file:
        convert(to_xlsx(sheets))
    with pytest.raises(ExportError, match="nowhere") as from_rows:
        check(sheets)
    assert str(from_rows.value) == str(from_file.value)
    sheets.survey_columns = ["type", "name", "label", "label"]  # refused as it is read
    with pytest.raises(ExportError, match="Duplicate column header: label"):
        convert(to_xlsx(sheets))
    with pytest.raises(ExportError, match="Duplicate column header: label"):
        check(sheets)


def test_a_cell_that_is_not_text_is_refused() -> None:
    sheets = Sheets(survey=[{"type": "integer", "name": "n", "label": "N", "default": 7}],  # type: ignore[dict-item]
                    settings={"form_id": "f"},
                    survey_columns=["type", "name", "label", "default"],
                    choices_columns=["list_name", "name", "label"])
    with pytest.raises(TypeError, match="text only"):
        to_xlsx(sheets)
    with pytest.raises(TypeError, match="text only"):
        workbook_dict(sheets)


def test_a_control_character_is_refused() -> None:
    from openpyxl.utils.exceptions import IllegalCharacterError

    sheets = awkward_sheets()
    sheets.survey[0]["label"] = "bell \x07"
    with pytest.raises(IllegalCharacterError):
        to_xlsx(sheets)


def test_the_export_checks_the_rows_it_wrote(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[object] = []
    real = export.convert
    monkeypatch.setattr(export, "_ACCEPTED", set())
    monkeypatch.setattr(export, "convert", lambda data: seen.append(data) or real(data))
    kb = load_or_raise(SAMPLE_KB)
    export.export_xlsform(kb)
    assert seen == [workbook_dict(build_sheets(kb))]


def test_the_check_leaves_the_garbage_collector_as_it_found_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    monkeypatch.setattr(export, "_ACCEPTED", set())
    during: list[bool] = []
    real = export.convert
    monkeypatch.setattr(export, "convert", lambda data: during.append(gc.isenabled())
                        or real(data))
    sheets = Sheets(survey=[{"type": "select_one nowhere", "name": "broken", "label": "B"}],
                    choices=[{"list_name": "elsewhere", "name": "x", "label": "X"}],
                    settings={"form_id": "f"}, survey_columns=["type", "name", "label"],
                    choices_columns=["list_name", "name", "label"])
    assert gc.isenabled()
    with pytest.raises(ExportError):
        check(sheets)
    assert during == [False] and gc.isenabled()
    gc.disable()
    try:
        with pytest.raises(ExportError):
            check(sheets)
        assert not gc.isenabled()
    finally:
        gc.enable()
