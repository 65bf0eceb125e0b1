"""XLSForm export and import: pyxform converts what we write, round trips keep everything."""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from support import SAMPLE_KB

from generator.cli import main
from generator.loader import load, load_or_raise
from generator.xlsform.export import ExportError, build_sheets, convert, export_xlsform, to_xlsx
from generator.xlsform.import_ import (
    FORM_FIELDS,
    FORM_TRANSLATION_FIELDS,
    ImportError_,
    import_xlsform,
)

EN, FR = "label::English (en)", "label::French (fr)"
HINT_EN, HINT_FR = "hint::English (en)", "hint::French (fr)"
MSG_EN, MSG_FR = "constraint_message::English (en)", "constraint_message::French (fr)"

# A realistic field form: meta rows, a group with skip logic, a cascading select with a choice
# filter, numbers with ranges and a special code, exclusive and other options, a calculation,
# a note, and a key-informant roster (repeat).
SURVEY = [
    {"type": "start", "name": "start"},
    {"type": "end", "name": "end"},
    {"type": "begin group", "name": "location", EN: "Location", FR: "Localité"},
    {"type": "note", "name": "intro", EN: "Read the consent statement.",
     FR: "Lisez la déclaration de consentement."},
    {"type": "select_one province", "name": "province", EN: "Province?", FR: "Province ?",
     "required": "yes", "sector": "wash"},
    {"type": "select_one district", "name": "district", EN: "District?", FR: "District ?",
     "choice_filter": "admin1 = ${province}", "required": "yes", "sector": "wash"},
    {"type": "select_one yes_no", "name": "idps_present", EN: "Are there IDPs here?",
     FR: "Y a-t-il des PDI ici ?", "required": "yes", "sector": "wash"},
    {"type": "integer", "name": "idp_households", EN: "How many IDP households?",
     FR: "Combien de ménages PDI ?", HINT_EN: "Best estimate.", HINT_FR: "Meilleure estimation.",
     "relevant": "${idps_present} = 'yes'", "required": "yes",
     "constraint": "(. >= 0 and . <= 5000) or . = -999", MSG_EN: "0 to 5000, or -999",
     MSG_FR: "0 à 5000, ou -999", "sector": "wash", "unit": "households",
     "special_codes": '[{"code": -999, "label": "Don\'t know", '
                      '"translations": {"fr": "Ne sait pas"}}]'},
    {"type": "integer", "name": "returnee_households", EN: "How many returnee households?",
     FR: "Combien de ménages rapatriés ?", "constraint": ". >= 0", "sector": "wash",
     MSG_EN: "Cannot be negative", MSG_FR: "Ne peut pas être négatif"},
    {"type": "calculate", "name": "total_households",
     "calculation": "coalesce(${idp_households}, 0) + coalesce(${returnee_households}, 0)"},
    {"type": "select_multiple water", "name": "water_sources", EN: "Main water sources?",
     FR: "Principales sources d'eau ?", "sector": "wash",
     "constraint": "not(selected(., 'none') and count-selected(.) > 1) and "
                   "count-selected(.) <= 2",
     "relevant": "${idps_present} = 'yes' and ${total_households} > 0"},
    {"type": "text", "name": "water_sources_other", EN: "Which other source?",
     FR: "Quelle autre source ?", "relevant": "selected(${water_sources}, 'other')"},
    {"type": "end group"},
    {"type": "begin repeat", "name": "informants", EN: "Key informants",
     FR: "Informateurs clés", "repeat_count": "3"},
    {"type": "select_one ki_type", "name": "ki_type", EN: "Type of key informant?",
     FR: "Type d'informateur clé ?", "sector": "protection"},
    {"type": "date", "name": "ki_date", EN: "Date of the interview?",
     FR: "Date de l'entretien ?", "sector": "protection", "appearance": "no-calendar",
     "media_note": "ask gently"},
    {"type": "end repeat"},
    {"type": "geopoint", "name": "gps", EN: "GPS point", FR: "Point GPS"},
]
CHOICES = [
    {"list_name": "province", "name": "vl01", EN: "Arvenna", FR: "Arvenna"},
    {"list_name": "province", "name": "vl02", EN: "Kessaro", FR: "Kessaro"},
    {"list_name": "district", "name": "vl0101", EN: "North Arvenna", FR: "Arvenna-Nord",
     "admin1": "vl01"},
    {"list_name": "district", "name": "vl0201", EN: "Kessaro Town", FR: "Ville de Kessaro",
     "admin1": "vl02"},
    {"list_name": "yes_no", "name": "yes", EN: "Yes", FR: "Oui"},
    {"list_name": "yes_no", "name": "no", EN: "No", FR: "Non"},
    {"list_name": "water", "name": "piped", EN: "Piped water", FR: "Eau courante"},
    {"list_name": "water", "name": "well", EN: "Protected well", FR: "Puits protégé"},
    {"list_name": "water", "name": "none", EN: "None", FR: "Aucune"},
    {"list_name": "water", "name": "other", EN: "Other", FR: "Autre"},
    {"list_name": "ki_type", "name": "leader", EN: "Community leader", FR: "Chef communautaire"},
    {"list_name": "ki_type", "name": "teacher", EN: "Teacher", FR: "Enseignant"},
]
SETTINGS = {"form_title": "Veloria MSLA", "form_id": "vlr_msla_test", "version": "7",
            "default_language": "English (en)"}


def workbook(survey: list[dict] = SURVEY, choices: list[dict] | None = CHOICES,
             settings: dict | None = SETTINGS, *, survey_sheet: str = "survey") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = survey_sheet
    for title, rows in ((None, survey), ("choices", choices),
                        ("settings", [settings] if settings else None)):
        if rows is None:
            continue
        sheet = ws if title is None else wb.create_sheet(title)
        columns = list(dict.fromkeys(k for r in rows for k in r))
        sheet.append(columns)
        for r in rows:
            sheet.append([r.get(c) for c in columns])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def form(tmp_path: Path) -> Path:
    path = tmp_path / "form.xlsx"
    path.write_bytes(workbook())
    return path


def test_the_fixture_form_is_valid_for_pyxform(form: Path) -> None:
    assert "<h:html" in convert(form.read_bytes())


def fill_todos(kb: Path) -> None:
    """What partners do after an import: document each question and agree it."""
    for path in (kb / "questions").glob("*/*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        sector = data["sector"]
        partner = "wash-cluster" if sector == "wash" else "protection-cluster"
        data.update(information_need="Need.", purpose="Purpose.", use="Use.",
                    requested_by=[partner], status="agreed", sharing={"modality": "public"})
        data["analysis"] = {"descriptive": "As agreed.", "analysed_by": [partner]}
        data["mockup"]["sentence"] = "{n_locations} locations."
        data["criteria"] = {k: "Documented." for k in data["criteria"]}
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")


def imported_kb(small_kb: Path, form: Path) -> Path:
    result = import_xlsform(form, small_kb)
    assert result.created
    fill_todos(small_kb)
    return small_kb


def form_fields(kb: Path) -> dict[str, dict]:
    """What a form holds of each question (a question's translations also hold the
    website's texts, generator/i18n/, which no form carries)."""
    loaded = load_or_raise(kb, internal=True)

    def form_part(f: str, value: object) -> object:
        if f != "translations":
            return value
        return {code: {k: getattr(t, k) for k in FORM_TRANSLATION_FIELDS}
                for code, t in value.items()}  # type: ignore[attr-defined]

    return {qid: {f: form_part(f, getattr(q, f)) for f in FORM_FIELDS} | {"sector": q.sector}
            for qid, q in loaded.questions.items()}


def test_import_creates_records_and_reports_every_row(small_kb: Path, form: Path) -> None:
    result = import_xlsform(form, small_kb)
    created = " ".join(result.created)
    for qid in ("province", "district", "idps-present", "idp-households", "water-sources",
                "ki-type", "ki-date"):
        assert f": {qid}" in created
    assert "water-sources-other" not in created  # folded into its select as 'other'
    assert result.raw_rows == ["survey row 2: start 'start'", "survey row 3: end 'end'",
                               "survey row 19: geopoint 'gps'"]
    assert result.unmapped == ["survey column 'media_note' (rows 17)"]
    text = result.report()
    assert "survey column 'media_note' (rows 17)" in text and "Kept as raw XLSForm rows" in text

    kb, report = load(small_kb)
    assert kb is None  # TODOs are errors until partners fill them in
    # Imported questions stay confidential until partners decide their sharing, so the
    # form's public calculation reading two of them is reported too.
    assert all("TODO" in p.message or "'todo'" in p.message
               or "is confidential: the public form" in p.message
               for p in report.errors), report.format()
    q = load_or_raise_after_fill(small_kb)["idp-households"]
    assert (q.min, q.max, q.unit, q.required) == (0, 5000, "households", True)
    assert q.special_codes[0].code == -999 and q.special_codes[0].translations["fr"] == \
        "Ne sait pas"
    assert q.constraint is None and q.constraint_message == "0 to 5000, or -999"
    assert q.translations["fr"].text == "Combien de ménages PDI ?"
    assert q.translations["fr"].constraint_message == "0 à 5000, ou -999"
    w = load_or_raise_after_fill(small_kb)["water-sources"]
    assert w.max_choices == 2 and w.constraint is None
    assert [(o.code, o.exclusive, o.other) for o in w.options] == [
        ("piped", False, False), ("well", False, False), ("none", True, False),
        ("other", False, True)]
    assert w.specify_label == "Which other source?"
    assert w.translations["fr"].specify_label == "Quelle autre source ?"
    d = load_or_raise_after_fill(small_kb)["district"]
    assert d.choice_filter == "admin1 = ${province}" and d.options[0].filters == {
        "admin1": "vl01"}
    assert load_or_raise_after_fill(small_kb)["idps-present"].type == "yes_no"
    structure = yaml.safe_load((small_kb / "questionnaire.yml").read_text(encoding="utf-8"))
    assert [s["id"] for s in structure["sections"]] == ["form-1", "location", "informants",
                                                        "form-4"]
    assert structure["sections"][2]["repeat"] is True
    assert structure["form_id"] == "vlr_msla_test"
    country = yaml.safe_load((small_kb / "country.yml").read_text(encoding="utf-8"))
    assert country["form_languages"] == [{"code": "en", "name": "English"},
                                         {"code": "fr", "name": "French"}]


def load_or_raise_after_fill(kb: Path) -> dict:
    copy = kb.parent / "filled"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(kb, copy)
    fill_todos(copy)
    return load_or_raise(copy, internal=True).questions


def test_import_export_import_gives_the_same_records(small_kb: Path, form: Path,
                                                     tmp_path: Path) -> None:
    kb = imported_kb(small_kb, form)
    first = form_fields(kb)
    exported = tmp_path / "export.xlsx"
    exported.write_bytes(export_xlsform(load_or_raise(kb)))
    again = tmp_path / "again"
    shutil.copytree(kb, again)
    for path in (again / "questions").glob("*/*.yml"):
        path.unlink()
    (again / "questionnaire.yml").unlink()
    import_xlsform(exported, again)
    fill_todos(again)
    assert form_fields(again) == first
    before = yaml.safe_load((kb / "questionnaire.yml").read_text(encoding="utf-8"))
    after = yaml.safe_load((again / "questionnaire.yml").read_text(encoding="utf-8"))
    n = len(before["sections"])
    assert after["sections"][:n] == before["sections"]
    # The fixture kb's own questions, not in the form, followed as one section per sector;
    # the export made them groups, which the second import lists explicitly.
    assert [s["id"] for s in after["sections"][n:]] == ["wash", "protection"]
    assert after["sections"][n]["items"] == ["wash-distance", "wash-water-source"]


def test_export_import_export_gives_the_same_form(small_kb: Path, form: Path,
                                                  tmp_path: Path) -> None:
    kb = imported_kb(small_kb, form)
    first = build_sheets(load_or_raise(kb))
    exported = tmp_path / "export.xlsx"
    exported.write_bytes(to_xlsx(first))
    again = tmp_path / "again"
    shutil.copytree(kb, again)
    for path in (again / "questions").glob("*/*.yml"):
        path.unlink()
    import_xlsform(exported, again)
    fill_todos(again)
    second = build_sheets(load_or_raise(again))
    assert second.survey == first.survey
    assert second.choices == first.choices
    assert second.settings == first.settings


def test_the_export_has_the_form_features(small_kb: Path, form: Path) -> None:
    sheets = build_sheets(load_or_raise(imported_kb(small_kb, form)))
    rows = {r.get("name"): r for r in sheets.survey}
    assert rows["idp_households"]["constraint"] == "(. >= 0 and . <= 5000) or . = -999"
    assert rows["water_sources"]["constraint"] == (
        "(not(selected(., 'none') and count-selected(.) > 1)) and (count-selected(.) <= 2)")
    assert rows["water_sources"][MSG_FR] == (
        "« Aucune » ne peut pas être combiné avec d'autres réponses. "
        "Sélectionnez au plus 2 réponses")
    assert rows["water_sources_other"]["relevant"] == "selected(${water_sources}, 'other')"
    assert rows["informants"]["type"] == "begin repeat"
    assert rows["total_households"]["type"] == "calculate"
    assert sheets.settings["default_language"] == "English (en)"
    assert {FR, EN, HINT_FR, MSG_EN} <= set(sheets.survey_columns)
    assert "admin1" in sheets.choices_columns


def test_a_merge_never_overwrites_hand_written_fields_without_force(small_kb: Path,
                                                                    form: Path) -> None:
    kb = imported_kb(small_kb, form)
    path = kb / "questions" / "wash" / "idp-households.yml"
    text = path.read_text(encoding="utf-8").replace("How many IDP households?",
                                                    "How many IDP families?")
    text = "# A comment partners wrote.\n" + text
    path.write_text(text, encoding="utf-8")
    result = import_xlsform(form, kb)
    assert path.read_text(encoding="utf-8") == text
    assert any("idp-households.text" in k for k in result.kept)
    result = import_xlsform(form, kb, force=True)
    after = path.read_text(encoding="utf-8")
    assert "How many IDP households?" in after and after.startswith("# A comment partners")
    assert any("idp-households (text)" in m for m in result.merged)


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(p.as_posix().encode() + p.read_bytes())
    return h.hexdigest()


def without(rows: list[dict], name: str) -> list[dict]:
    return [r for r in rows if r.get("name") != name]


@pytest.mark.parametrize("data, message", [
    (b"type,name\ntext,a\n", "not an .xlsx workbook"),
    (workbook(survey_sheet="questions"), "the workbook has no 'survey' sheet"),
    (workbook(survey=[{"type": "text", "label": "x"}]), "needs 'type' and 'name' columns"),
    (workbook(survey=SURVEY + [{"type": "text", "name": "province", EN: "Again",
                                "sector": "wash"}]),
     "survey rows 6 and 20: the name 'province' is used twice"),
    (workbook(survey=SURVEY + [{"type": "select_one colours", "name": "c", EN: "C",
                                "sector": "wash"}]),
     "survey row 20: 'select_one colours': the list 'colours' is not in the choices sheet"),
    (workbook(survey=SURVEY[:-4]), "group 'informants' is never ended"),
    (workbook(survey=[*SURVEY, {"type": "text", "name": "x", EN: "X"}]),
     "survey row 20: 'x' has no sector"),
    (workbook(survey=[*SURVEY, {"type": "text", "name": "x", EN: "X", "sector": "food"}]),
     "survey row 20: unknown sector 'food'"),
    (workbook(choices=[*CHOICES, {"list_name": "ki_type", "name": "Teacher", EN: "T"}]),
     "choices row 14: choice 'Teacher' of list 'ki_type' cannot be a kb option"),
    (workbook(choices=[*CHOICES, {"list_name": "ki_type", "name": "teacher", EN: "T"}]),
     "choices rows 13, 14: choice 'teacher' appears twice in list 'ki_type'"),
])
def test_bad_workbooks_are_refused_and_change_nothing(small_kb: Path, tmp_path: Path,
                                                      data: bytes, message: str) -> None:
    path = tmp_path / "bad.xlsx"
    path.write_bytes(data)
    before = digest(small_kb)
    with pytest.raises(ImportError_) as err:
        import_xlsform(path, small_kb)
    assert message in str(err.value)
    assert digest(small_kb) == before
    result = CliRunner().invoke(main, ["import", "xlsform", str(path), "--into", str(small_kb)])
    assert result.exit_code == 1 and message in result.output
    assert "Nothing was changed." in result.output and "Traceback" not in result.output


def test_sample_kb_export_converts_with_pyxform_and_keeps_confidential_out(
        tmp_path: Path) -> None:
    public = load_or_raise(SAMPLE_KB)
    internal = load_or_raise(SAMPLE_KB, internal=True)
    xform = convert(export_xlsform(public))
    assert "<h:html" in xform
    confidential = [q for q in internal.questions.values()
                    if q.is_confidential and q.status == "agreed"]
    assert confidential
    for q in confidential:
        assert f"<{q.var_name}" not in xform
        assert q.text not in xform
        assert f"<{q.var_name}" in convert(export_xlsform(internal))


def test_the_export_is_byte_identical_run_to_run() -> None:
    kb = load_or_raise(SAMPLE_KB)
    assert export_xlsform(kb) == export_xlsform(kb)


def test_a_form_pyxform_refuses_is_a_failed_export_with_the_reason(small_kb: Path) -> None:
    (small_kb / "questionnaire.yml").write_text(
        "sections:\n  - id: main\n    label: Main\n    items:\n"
        "      - xlsform: {type: 'select_one nowhere', name: broken, label: Broken}\n",
        encoding="utf-8")
    with pytest.raises(ExportError, match="pyxform refuses the form: .*nowhere"):
        export_xlsform(load_or_raise(small_kb))
    with pytest.raises(ExportError):  # refused again: a refusal is never remembered
        export_xlsform(load_or_raise(small_kb))
    result = CliRunner().invoke(main, ["export", "xlsform", str(small_kb), "--out",
                                       str(small_kb.parent / "f.xlsx")])
    assert result.exit_code == 1 and "export failed: pyxform refuses the form" in result.output
    assert not (small_kb.parent / "f.xlsx").exists()


def test_pyxform_checks_a_workbook_once_until_what_it_reads_changes(
        small_kb: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.xlsform.export as export

    calls: list[object] = []
    real = export.convert
    monkeypatch.setattr(export, "_ACCEPTED", set())
    monkeypatch.setattr(export, "convert", lambda data: calls.append(data) or real(data))
    kb = load_or_raise(small_kb)
    first = export_xlsform(kb)
    assert export_xlsform(kb) == first and len(calls) == 1  # serve rebuild, same form
    q = small_kb / "questions/wash/wash-water-source.yml"
    text = q.read_text(encoding="utf-8")
    assert "\ntext: " in text and "code: protected_well\n" in text
    q.write_text(text.replace("\ntext: ", "\ntext: Reworded - ", 1), encoding="utf-8")
    reworded = export_xlsform(load_or_raise(small_kb))
    assert reworded != first and len(calls) == 1  # only words changed (test_xlsform_rows.py)
    q.write_text(text.replace("code: protected_well\n", "code: protected_well_or_borehole\n",
                              1), encoding="utf-8")  # an option's name: the form changed
    changed = export_xlsform(load_or_raise(small_kb))
    assert changed != first and len(calls) == 2  # checked again


def test_export_command_writes_the_workbook(tmp_path: Path) -> None:
    out = tmp_path / "form.xlsx"
    result = CliRunner().invoke(main, ["export", "xlsform", str(SAMPLE_KB), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert re.search(r"Wrote .*form.xlsx: \d+ questions", result.output)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["survey", "choices", "settings"]
    assert "<h:html" in convert(out.read_bytes())


def test_no_cell_of_the_export_is_a_formula(small_kb: Path) -> None:
    path = small_kb / "questions" / "wash" / "wash-water-source.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "text: ", "text: \"=HYPERLINK(\\\"http://x\\\")\" # ", 1), encoding="utf-8")
    kb = load_or_raise(small_kb)
    wb = openpyxl.load_workbook(io.BytesIO(export_xlsform(kb)))
    cells = [c for row in wb["survey"].iter_rows() for c in row if c.value]
    assert any(str(c.value).startswith("=HYPERLINK") for c in cells)
    assert all(c.data_type == "s" for c in cells)


@pytest.mark.parametrize("internal", [False, True])
def test_the_sample_kb_export_imported_back_changes_nothing(tmp_path: Path,
                                                           internal: bool) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(SAMPLE_KB, kb)
    shutil.copytree(SAMPLE_KB.parent / "library", tmp_path / "library")  # what it adopts from
    form = tmp_path / "form.xlsx"
    form.write_bytes(export_xlsform(load_or_raise(kb, internal=internal)))
    before = digest(kb)
    result = import_xlsform(form, kb)
    assert (result.created, result.merged, result.kept, result.written) == ([], [], [], [])
    assert len(result.unchanged) == sum(
        1 for q in load_or_raise(kb, internal=True).questions.values()
        if q.status == "agreed" and (internal or not q.is_confidential))
    assert digest(kb) == before


def test_import_reads_language_names_without_codes_and_nested_groups(small_kb: Path,
                                                                    tmp_path: Path) -> None:
    survey = [
        {"type": "begin group", "name": "outer", "label::English": "Outer",
         "label::Français": "Extérieur"},
        {"type": "text", "name": "a", "label::English": "A?", "label::Français": "A ?",
         "cluster": "wash"},
        {"type": "begin group", "name": "inner", "label::English": "Inner",
         "label::Français": "Intérieur"},
        {"type": "select_one yn or_other", "name": "b", "label::English": "B?",
         "label::Français": "B ?", "cluster": "wash"},
        {"type": "end group"},
        {"type": "integer", "name": "c", "label::English": "C?", "label::Français": "C ?"},
        {"type": "end group"},
    ]
    choices = [{"list_name": "yn", "name": "x", "label::English": "X", "label::Français": "X"},
               {"list_name": "yn", "name": "y", "label::English": "Y", "label::Français": "Z"}]
    path = tmp_path / "nested.xlsx"
    path.write_bytes(workbook(survey, choices, {"default_language": "English"}))
    result = import_xlsform(path, small_kb, sector_column="cluster", default_sector="protection")
    assert "survey row 4: group 'inner' is nested in 'outer': imported as a section of its " \
        "own" in result.unmapped
    structure = yaml.safe_load((small_kb / "questionnaire.yml").read_text(encoding="utf-8"))
    assert [(s["id"], s["items"]) for s in structure["sections"]] == [
        ("outer", ["a"]), ("inner", ["b"]), ("outer-2", ["c"])]
    fill_todos(small_kb)
    kb = load_or_raise(small_kb)
    assert kb.questions["c"].sector == "protection"  # --sector for rows without one
    b = kb.questions["b"]
    assert [(o.code, o.other) for o in b.options] == [("x", False), ("y", False),
                                                      ("other", True)]
    assert b.options[1].translations == {"fr": "Z"}
    assert [lang.code for lang in kb.languages] == ["en", "fr"]
    assert "<h:html" in convert(export_xlsform(kb))


def test_an_unknown_language_column_is_refused(small_kb: Path, tmp_path: Path) -> None:
    path = tmp_path / "lang.xlsx"
    path.write_bytes(workbook([{"type": "text", "name": "a", "label::Klingon": "A",
                                "sector": "wash"}], None, None))
    before = digest(small_kb)
    with pytest.raises(ImportError_, match="language column 'Klingon': unknown language"):
        import_xlsform(path, small_kb)
    assert digest(small_kb) == before


def test_export_of_an_earlier_round_leaves_out_later_questions(small_kb: Path) -> None:
    path = small_kb / "questions" / "protection" / "protection-uasc.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^since_round: .*\n", "", text) + "since_round: 2\n",
                    encoding="utf-8")
    kb = load_or_raise(small_kb)
    later = [q for q in kb.questions.values() if q.status == "agreed"
             and (q.since_round or 0) > 1]
    assert later
    sheets = build_sheets(kb, 1)
    names = {r.get("name") for r in sheets.survey}
    assert not {q.var_name for q in later} & names
    assert sheets.settings["version"] == "round-1"


def test_import_command_prints_the_report(small_kb: Path, form: Path) -> None:
    result = CliRunner().invoke(main, ["import", "xlsform", str(form), "--into", str(small_kb)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Imported 8 new questions, merged 0")
    assert "survey column 'media_note' (rows 17)" in result.output
    assert "Run 'toolkit validate' to list the fields to fill in (TODO)." in result.output


def test_a_list_used_by_several_questions_becomes_a_shared_list(small_kb: Path,
                                                               tmp_path: Path) -> None:
    survey = [{"type": "select_one scale", "name": n, EN: f"{n}?", FR: f"{n} ?",
               "sector": "wash"} for n in ("children_school", "shelters_damaged")]
    choices = [{"list_name": "scale", "name": c, EN: c.title(), FR: c.upper()}
               for c in ("none", "some", "all")]
    path = tmp_path / "shared.xlsx"
    path.write_bytes(workbook(survey, choices, SETTINGS))
    result = import_xlsform(path, small_kb)
    assert "kb/choices/scale.yml (new)" in result.other_files
    shared = yaml.safe_load((small_kb / "choices" / "scale.yml").read_text(encoding="utf-8"))
    assert [o["code"] for o in shared["options"]] == ["none", "some", "all"]
    fill_todos(small_kb)
    kb = load_or_raise(small_kb)
    assert kb.questions["children-school"].choices == "scale"
    assert [o.label for o in kb.options(kb.questions["shelters-damaged"])] == [
        "None", "Some", "All"]
    sheets = build_sheets(kb)
    rows = {r["name"]: r for r in sheets.survey if "name" in r}
    assert rows["children_school"]["type"] == rows["shelters_damaged"]["type"] == \
        "select_one scale"
    assert [r["name"] for r in sheets.choices if r["list_name"] == "scale"] == [
        "none", "some", "all"]


def _bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"<" + b"a" * 60_000_000)
    return buf.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(small_kb: Path, tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(_bomb())
    before = digest(small_kb)
    with pytest.raises(ImportError_, match="the workbook is too large for a form"):
        import_xlsform(path, small_kb)
    assert digest(small_kb) == before
