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


# Free texts in every column the export writes them in (FREE_TEXT): a note, a hinted text
# question, a number with a constraint message, a select with its choices' labels.
LABEL_EN, LABEL_FR = "label::English (en)", "label::French (fr)"
TEXTS = [LABEL_EN, LABEL_FR, "hint::English (en)", "constraint_message::English (en)"]


def text_sheets(**texts: str) -> Sheets:
    """A small bilingual form; texts: cell overrides, "<row name>:<column>" -> text."""
    survey = [
        {"type": "note", "name": "intro", LABEL_EN: "Read the consent.", LABEL_FR: "Lisez."},
        {"type": "text", "name": "village", LABEL_EN: "Village?", LABEL_FR: "Village ?",
         "hint::English (en)": "Its usual name."},
        {"type": "integer", "name": "n", LABEL_EN: "How many?", LABEL_FR: "Combien ?",
         "constraint": ". >= 0", "constraint_message::English (en)": "Not negative"},
        {"type": "select_one yn", "name": "ok", LABEL_EN: "OK?", LABEL_FR: "OK ?"},
    ]
    choices = [{"list_name": "yn", "name": "yes", LABEL_EN: "Yes", LABEL_FR: "Oui"},
               {"list_name": "yn", "name": "no", LABEL_EN: "No", LABEL_FR: "Non"}]
    for where, text in texts.items():
        name, column = where.split(":", 1)
        row = next(r for r in survey + choices if r["name"] == name)
        row[column] = text
    return Sheets(survey=survey, choices=choices,
                  settings={"form_id": "f", "default_language": "English (en)"},
                  survey_columns=["type", "name", *TEXTS, "constraint"],
                  choices_columns=["list_name", "name", LABEL_EN, LABEL_FR])


def counting_convert(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    calls: list[object] = []
    real = export.convert
    monkeypatch.setattr(export, "_ACCEPTED", set())
    monkeypatch.setattr(export, "convert", lambda data: calls.append(data) or real(data))
    return calls


def test_a_reworded_text_keeps_pyxforms_verdict(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = counting_convert(monkeypatch)
    check(text_sheets())
    assert len(calls) == 1
    reworded = text_sheets(**{
        f"intro:{LABEL_EN}": "Read the consent statement aloud (twice), then ask: 'OK?'",
        f"intro:{LABEL_FR}": "Lisez\u00a0la déclaration\nà voix haute.",
        "village:hint::English (en)": "  Its name — as people say it. 100% & <sure>  ",
        "n:constraint_message::English (en)": "0 or more, e.g. 3; \"none\" is 0",
        f"yes:{LABEL_FR}": "Oui, d’accord", f"no:{LABEL_EN}": "Nope"})
    check(reworded)
    assert len(calls) == 1  # only the words changed: pyxform's verdict stands
    convert(workbook_dict(reworded))  # ...and it is the verdict pyxform gives


def test_the_same_rows_accepted_before_need_no_pyxform(monkeypatch: pytest.MonkeyPatch) -> None:
    """An unchanged form (a warm build after a purpose edit) is known good by its exact
    rows: not even the skeleton, which needs pyxform imported, is made."""
    calls = counting_convert(monkeypatch)
    check(text_sheets())
    assert len(calls) == 1

    def no_skeleton(sheets: Sheets) -> str:
        raise AssertionError("the skeleton was made")

    monkeypatch.setattr(export, "_rows_digest", no_skeleton)
    check(text_sheets())
    with pytest.raises(AssertionError, match="skeleton"):  # other words: the skeleton decides
        check(text_sheets(**{f"yes:{LABEL_EN}": "Nope"}))
    assert len(calls) == 1


@pytest.mark.parametrize(("where", "text", "refused"), [
    (f"village:{LABEL_EN}", "Village of ${nowhere}?", "nowhere"),  # unknown name
    (f"village:{LABEL_FR}", "Village de ${n n}?", "Reference variables must"),  # malformed
    (f"village:{LABEL_EN}", "Village of ${n", "Reference variables must"),  # unclosed
    ("village:hint::English (en)", "See ${nowhere}", "nowhere"),
    ("n:constraint_message::English (en)", "Not ${nowhere}", "nowhere"),
    (f"yes:{LABEL_EN}", "Yes, ${nowhere}", "nowhere"),  # a choice's label
    (f"intro:{LABEL_EN}", "   ", None),  # emptied: the note keeps its French label
    ("village:hint::English (en)", "", None),  # a hint gone
    (f"village:{LABEL_EN}", "Village of ${n}?", None),  # a reference: dynamic text
    (f"village:{LABEL_EN}", "instance('yn')/root/item[name='yes']/label", None),
    (f"village:{LABEL_EN}", "-", None),
    (f"village:{LABEL_EN}", "{braces}", None),
    (f"village:{LABEL_EN}", "bell \x07", None),  # not printable: kept whole
])
def test_a_text_edit_pyxform_reads_is_checked_again(
        monkeypatch: pytest.MonkeyPatch, where: str, text: str, refused: str | None) -> None:
    calls = counting_convert(monkeypatch)
    check(text_sheets())
    edited = text_sheets(**{where: text})
    if refused is None:
        check(edited)
        assert len(calls) == 2  # checked again
        return
    with pytest.raises(ExportError, match=refused) as memo:
        check(edited)
    assert len(calls) == 2
    with pytest.raises(ExportError) as fresh:  # the same message as without any verdict kept
        convert(workbook_dict(edited))
    assert str(memo.value) == str(fresh.value)
    with pytest.raises(ExportError):  # and again: a refusal is never kept
        check(edited)


def test_a_note_without_any_label_is_refused_after_an_accepted_form(
        monkeypatch: pytest.MonkeyPatch) -> None:
    counting_convert(monkeypatch)
    check(text_sheets())
    with pytest.raises(ExportError, match="has no label or hint"):
        check(text_sheets(**{f"intro:{LABEL_EN}": "", f"intro:{LABEL_FR}": " "}))


def test_the_skeleton_is_the_one_read_for_the_installed_pyxform() -> None:
    """export.FREE_TEXT lists what pyxform reads in a text, read in its source: a new
    pyxform must be read again (then its version added to READ_PYXFORM)."""
    from importlib.metadata import version

    assert version("pyxform").startswith(export.READ_PYXFORM)


def test_another_pyxform_checks_every_text_edit(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = counting_convert(monkeypatch)
    monkeypatch.setattr(export, "_skeleton_applies", lambda: False)
    check(text_sheets())
    check(text_sheets(**{f"no:{LABEL_EN}": "Nope"}))
    assert len(calls) == 2
