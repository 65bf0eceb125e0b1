"""Each kind of bad input gets its own clear error: file:line, field, what is wrong, the fix."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT, SMALL_KB

from generator.checks import suggest
from generator.loader import load
from generator.problems import KINDS, Problem, listed, shown

Q = "questions/wash/wash-water-source.yml"


def edit(kb: Path, rel: str, old: str, new: str) -> None:
    path = kb / rel
    text = path.read_text()
    assert old in text, f"fixture text {old!r} not found in {rel}"
    path.write_text(text.replace(old, new, 1))


def line_of(kb: Path, rel: str, text: str) -> int:
    """1-based line of the first line containing text, read from the file itself."""
    lines = (kb / rel).read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def problems(kb: Path) -> list[Problem]:
    result, report = load(kb)
    assert result is None, "an invalid kb must not load"
    return [p for p in report.sorted() if p.severity == "error"]


def only(kb: Path) -> Problem:
    found = problems(kb)
    assert len(found) == 1, [p.format() for p in found]
    return found[0]


def where(p: Problem) -> tuple[str, str, int, str]:
    """What tests compare: the stable code, the file, the line and the field."""
    return (p.code, p.path, p.line, p.field)


def test_small_kb_is_valid(small_kb: Path) -> None:
    kb, report = load(small_kb)
    assert kb is not None and report.ok, report.format()
    assert len(kb.questions) == 4


def test_problem_reads_as_path_line_field_message_fix(small_kb: Path) -> None:
    """The one test of the text layout; the others compare codes, files, lines and fields."""
    edit(small_kb, Q, "status: agreed", "status: approved")
    p = only(small_kb)
    assert p.format() == (f"kb/{Q}:{line_of(small_kb, Q, 'status:')}: status: {p.message} "
                          f"Fix: {p.fix}")
    assert "'approved'" in p.message
    assert all(f"'{v}'" in p.fix for v in ("proposed", "agreed", "dropped"))


def test_yaml_syntax_error_names_line(small_kb: Path) -> None:
    edit(small_kb, Q, "purpose: Identify", "purpose: [Identify")
    assert where(only(small_kb)) == ("yaml-syntax", f"kb/{Q}", line_of(small_kb, Q, "use:"), "")


def test_yaml_syntax_error_line_number(small_kb: Path) -> None:
    edit(small_kb, Q, "use: The WASH", "use:: : The WASH\n  - x")
    p = only(small_kb)
    assert p.code == "yaml-syntax"
    text = (small_kb / Q).read_text().splitlines()
    assert "use:" in "\n".join(text[p.line - 2 : p.line + 1]), p.format()


def test_unknown_key_suggests_the_right_one(small_kb: Path) -> None:
    edit(small_kb, Q, "purpose:", "purpse:")
    found = {p.code: p for p in problems(small_kb)}
    assert where(found["unknown-key"]) == ("unknown-key", f"kb/{Q}",
                                           line_of(small_kb, Q, "purpse:"), "purpse")
    assert "'purpose'" in found["unknown-key"].fix
    # the real field is now missing: reported in the same run
    assert found["missing-field"].field == "purpose"


def test_missing_required_field_names_the_field_to_add(small_kb: Path) -> None:
    edit(small_kb, Q, "use: The WASH Cluster prioritises water trucking and repairs.\n", "")
    p = only(small_kb)
    # A top-level field has no parent key: the top of the file, not whichever key is first.
    assert where(p) == ("missing-field", f"kb/{Q}", 1, "use")
    assert "'use:'" in p.fix


def test_missing_nested_field_is_reported_at_its_parent(small_kb: Path) -> None:
    edit(small_kb, Q, "  analysed_by: [dtm, wash-cluster]\n", "")
    assert where(only(small_kb)) == ("missing-field", f"kb/{Q}", line_of(small_kb, Q, "analysis:"),
                                     "analysis.analysed_by")


def test_missing_field_of_a_list_item_is_reported_at_the_item(small_kb: Path) -> None:
    edit(small_kb, Q, "    label: Protected well\n", "")
    assert where(only(small_kb)) == ("missing-field", f"kb/{Q}",
                                     line_of(small_kb, Q, "code: protected_well"),
                                     "options[2].label")


def test_wrong_enum(small_kb: Path) -> None:
    edit(small_kb, Q, "status: agreed", "status: approved")
    assert where(only(small_kb)) == ("unknown-enum", f"kb/{Q}", line_of(small_kb, Q, "status:"),
                                     "status")


def test_wrong_type(small_kb: Path) -> None:
    edit(small_kb, Q, "since_round: 1", "since_round: first")
    assert where(only(small_kb)) == ("wrong-type", f"kb/{Q}",
                                     line_of(small_kb, Q, "since_round:"), "since_round")


def test_out_of_range(small_kb: Path) -> None:
    edit(small_kb, Q, "since_round: 1", "since_round: 0")
    assert only(small_kb).code == "out-of-range"


def test_nested_field_path_counts_items_from_one(small_kb: Path) -> None:
    edit(small_kb, Q, "code: protected_well", "code: Protected Well")
    assert where(only(small_kb)) == ("invalid-format", f"kb/{Q}",
                                     line_of(small_kb, Q, "Protected Well"), "options[2].code")


def test_duplicate_option_code_is_reported_at_the_options(small_kb: Path) -> None:
    edit(small_kb, Q, "code: protected_well", "code: piped_water")
    assert where(only(small_kb)) == ("duplicate-option", f"kb/{Q}",
                                     line_of(small_kb, Q, "options:"), "options")


@pytest.mark.parametrize(("old", "new"), [
    ("type: select_one", "type: integer"),
    ("  - code: protected_well\n    label: Protected well\n"
     "    translations: {fr: Puits protégé}\n    filters: {zone: rural}\n"
     "  - code: surface_water\n    label: Surface water (river, pond)\n"
     '    translations: {fr: "Eau de surface (rivière, mare)"}\n    filters: {zone: rural}\n',
     ""),
], ids=["options-on-a-number", "one-option"])
def test_options_that_do_not_fit_the_type_are_reported_at_the_options(
        small_kb: Path, old: str, new: str) -> None:
    edit(small_kb, Q, old, new)
    assert where(only(small_kb)) == ("options-mismatch", f"kb/{Q}",
                                     line_of(small_kb, Q, "options:"), "options")


def test_duplicate_ids_name_both_files(small_kb: Path) -> None:
    shutil.copy(small_kb / Q, small_kb / "questions/wash/copy.yml")
    found = {p.code: p for p in problems(small_kb)}
    # Files load in name order: copy.yml first, so the original is the one named twice.
    dup = found["duplicate-id"]
    assert dup.path == f"kb/{Q}" and "kb/questions/wash/copy.yml" in dup.message
    assert found["id-mismatch"].path == "kb/questions/wash/copy.yml"


def test_unknown_partner_reference(small_kb: Path) -> None:
    edit(small_kb, Q, "requested_by: [wash-cluster]", "requested_by: [wash-clustr]")
    p = only(small_kb)
    assert where(p) == ("unknown-reference", f"kb/{Q}", line_of(small_kb, Q, "requested_by:"),
                        "requested_by[1]")
    assert "did you mean 'wash-cluster'?" in p.fix


def test_unknown_sector_and_folder_mismatch(small_kb: Path) -> None:
    edit(small_kb, Q, "sector: wash", "sector: water")
    found = {(p.code, p.field) for p in problems(small_kb)}
    assert found == {("unknown-reference", "sector"), ("folder-mismatch", "sector")}


def test_unknown_question_in_dataset(small_kb: Path) -> None:
    edit(small_kb, "datasets/location-public.yml", "[wash-water-source]", "[wash-missing]")
    p = only(small_kb)
    assert (p.code, p.field) == ("unknown-reference", "questions[1]")


def test_unknown_step_in_partner_roles(small_kb: Path) -> None:
    rel = "partners/wash-cluster.yml"
    edit(small_kb, rel, "  identify-needs:", "  identify-neds:")
    p = only(small_kb)
    assert where(p) == ("unknown-reference", f"kb/{rel}", line_of(small_kb, rel, "identify-neds:"),
                        "roles.identify-neds")
    assert "did you mean 'identify-needs'?" in p.fix


def test_confidential_question_in_public_dataset(small_kb: Path) -> None:
    edit(small_kb, "datasets/location-public.yml", "[wash-water-source]",
         "[wash-water-source, protection-incidents]")
    p = only(small_kb)
    assert (p.code, p.field) == ("sharing-conflict", "questions[2]")


def test_restricted_question_in_dataset_for_other_partners(small_kb: Path) -> None:
    edit(small_kb, "datasets/protection-confidential.yml", "  partners: [protection-cluster]",
         "  partners: [protection-cluster, wash-cluster]")
    p = only(small_kb)
    assert (p.code, p.path) == ("sharing-conflict", "kb/datasets/protection-confidential.yml")
    assert "wash-cluster" in p.message


@pytest.mark.parametrize(
    ("old", "new", "expect"),
    [
        ("purpose: Identify locations where IDPs drink from unsafe sources.\n", "",
         ("missing-field", "purpose")),
        ("use: The WASH Cluster prioritises water trucking and repairs.", "use: TBD",
         ("criteria-missing", "use")),
        ("analysed_by: [dtm, wash-cluster]", "analysed_by: []",
         ("empty-value", "analysis.analysed_by")),
        ("  analysis_capacity: The WASH Cluster IMO confirmed capacity.\n", "",
         ("missing-field", "criteria.analysis_capacity")),
    ],
    ids=["no-purpose", "placeholder-use", "nobody-analyses", "no-capacity-evidence"],
)
def test_minimum_criteria(small_kb: Path, old: str, new: str, expect: tuple[str, str]) -> None:
    edit(small_kb, Q, old, new)
    p = only(small_kb)
    assert (p.code, p.field) == expect


def test_confidential_sharing_must_name_partners(small_kb: Path) -> None:
    rel = "questions/protection/protection-incidents.yml"
    edit(small_kb, rel, "  partners: [protection-cluster]\n", "")
    assert where(only(small_kb)) == ("sharing-incomplete", f"kb/{rel}",
                                     line_of(small_kb, rel, "sharing:"), "sharing")


def test_all_problems_reported_at_once(small_kb: Path) -> None:
    edit(small_kb, Q, "status: agreed", "status: approved")
    edit(small_kb, "partners/wash-cluster.yml", "type: cluster", "type: clustr")
    edit(small_kb, "country.yml", "iso3: TST", "iso3: tst")
    (small_kb / "questions/wash/broken.yml").write_text("id: [\n")
    found = {(p.path, p.code) for p in problems(small_kb)}
    assert {(f"kb/{Q}", "unknown-enum"), ("kb/partners/wash-cluster.yml", "unknown-enum"),
            ("kb/country.yml", "invalid-format"),
            ("kb/questions/wash/broken.yml", "yaml-syntax")} <= found


def test_schema_error_does_not_hide_a_misspelt_partner(small_kb: Path) -> None:
    """A wrong `type` used to make the record None, and its references went unchecked."""
    edit(small_kb, Q, "type: select_one", "type: select_on")
    edit(small_kb, Q, "requested_by: [wash-cluster]", "requested_by: [wash-clustr]")
    found = {(p.code, p.field) for p in problems(small_kb)}
    assert found == {("unknown-enum", "type"), ("unknown-reference", "requested_by[1]")}


def test_duplicate_option_does_not_hide_a_misspelt_key_informant(small_kb: Path) -> None:
    edit(small_kb, Q, "code: protected_well", "code: piped_water")
    edit(small_kb, Q, "key_informant: [community-leader]", "key_informant: [comunity-leader]")
    found = {(p.code, p.field): p for p in problems(small_kb)}
    assert set(found) == {("duplicate-option", "options"),
                          ("unknown-reference", "key_informant[1]")}
    assert "did you mean 'community-leader'?" in found["unknown-reference", "key_informant[1]"].fix


def test_schema_error_does_not_hide_todos_criteria_or_file_name(small_kb: Path) -> None:
    edit(small_kb, Q, "status: agreed", "status: approved")
    edit(small_kb, Q, "use: The WASH Cluster prioritises water trucking and repairs.", "use: TBD")
    edit(small_kb, Q, "id: wash-water-source", "id: wash-water")
    edit(small_kb, Q, "label: Piped water", 'label: "TODO: a label"')
    found = {(p.code, p.field) for p in problems(small_kb)}
    assert found == {("unknown-enum", "status"), ("criteria-missing", "use"),
                     ("id-mismatch", "id"), ("todo-left", "options[1].label")}


def test_reference_checks_survive_a_broken_definition_file(small_kb: Path) -> None:
    """sectors.yml with one bad sector still defines the other sector ids."""
    edit(small_kb, "sectors.yml", "kind: cluster", "kind: clustr")
    edit(small_kb, Q, "sector: wash", "sector: wsah")
    found = {(p.path, p.code, p.field) for p in problems(small_kb)}
    assert ("kb/sectors.yml", "unknown-enum", "sectors[2].kind") in found
    assert (f"kb/{Q}", "unknown-reference", "sector") in found


def test_missing_file_and_stray_file(small_kb: Path) -> None:
    (small_kb / "checklist.yml").unlink()
    (small_kb / "wash-latrines.yml").write_text("id: wash-latrines\n")
    (small_kb / "questions" / "wash-showers.yml").write_text("id: wash-showers\n")
    (small_kb / "partners" / "old").mkdir()
    found = {(p.code, p.path, p.line) for p in problems(small_kb)}
    assert found == {("file-missing", "kb/checklist.yml", 1),
                     ("stray-file", "kb/wash-latrines.yml", 1),
                     ("stray-file", "kb/questions/wash-showers.yml", 1),
                     ("stray-file", "kb/partners/old", 1)}


def test_documentation_files_are_allowed(small_kb: Path) -> None:
    for rel in ("README.md", "SOURCES.md", "LICENSE", "NOTICE.txt", ".gitkeep", "notes.txt",
                "partners/README.md", "questions/README.md", "questions/wash/NOTES.md",
                "datasets/.gitkeep"):
        (small_kb / rel).write_text("# About this kb\n", encoding="utf-8")
    kb, report = load(small_kb)
    assert kb is not None and report.problems == [], report.format()


def test_yaml_extension_and_non_mapping(small_kb: Path) -> None:
    (small_kb / "partners/ngo.yaml").write_text("id: ngo\n")
    (small_kb / "partners/list.yml").write_text("- a\n- b\n")
    (small_kb / "partners/logo.png").write_bytes(b"\x89PNG")
    found = {(p.code, p.path, p.line) for p in problems(small_kb)}
    assert found == {("wrong-extension", "kb/partners/ngo.yaml", 1),
                     ("wrong-extension", "kb/partners/logo.png", 1),
                     ("not-a-mapping", "kb/partners/list.yml", 1)}


def test_yes_no_are_not_booleans(small_kb: Path) -> None:
    """YAML 1.1 would read the code `no` as false; kb files keep it as text."""
    edit(small_kb, Q, "code: piped_water", "code: no")
    kb, report = load(small_kb)
    assert kb is not None, report.format()
    assert kb.questions["wash-water-source"].options[0].code == "no"


def test_cli_validate_exit_codes_and_no_traceback(small_kb: Path) -> None:
    ok = subprocess.run([sys.executable, "-m", "generator.cli", "validate", str(small_kb)],
                        capture_output=True, text=True)
    assert ok.returncode == 0 and "valid" in ok.stdout
    edit(small_kb, Q, "status: agreed", "status: approved")
    edit(small_kb, Q, "purpose:", "purpse:")
    bad = subprocess.run([sys.executable, "-m", "generator.cli", "validate", str(small_kb)],
                         capture_output=True, text=True)
    assert bad.returncode == 1
    assert "Traceback" not in bad.stderr + bad.stdout
    assert "3 errors, " in bad.stderr
    assert bad.stderr.count(f"kb/{Q}:") == 3


def test_cli_github_annotations(small_kb: Path) -> None:
    edit(small_kb, Q, "status: agreed", "status: approved")
    out = subprocess.run(
        [sys.executable, "-m", "generator.cli", "validate", "--format", "github", str(small_kb)],
        capture_output=True, text=True,
    )
    assert out.returncode == 1
    line = line_of(small_kb, Q, "status:")
    assert f"::error file=kb/{Q},line={line},title=unknown-enum status::" in out.stdout


def test_cli_json_report(small_kb: Path) -> None:
    edit(small_kb, Q, "status: agreed", "status: approved")
    edit(small_kb, Q, "requested_by: [wash-cluster]", "requested_by: [wash-clustr]")
    out = subprocess.run(
        [sys.executable, "-m", "generator.cli", "validate", "--format", "json", str(small_kb)],
        capture_output=True, text=True,
    )
    assert out.returncode == 1 and out.stderr == ""
    report = json.loads(out.stdout)
    assert [(p["code"], p["path"], p["line"], p["field"]) for p in report] == [
        ("unknown-reference", f"kb/{Q}", line_of(small_kb, Q, "requested_by:"),
         "requested_by[1]"),
        ("unknown-enum", f"kb/{Q}", line_of(small_kb, Q, "status:"), "status"),
    ]
    assert all(set(p) == {"code", "path", "line", "field", "message", "fix", "severity"}
               for p in report)
    assert all(p["severity"] == "error" and p["message"] and p["fix"] for p in report)
    valid = subprocess.run(
        [sys.executable, "-m", "generator.cli", "validate", "--format", "json", str(SMALL_KB)],
        capture_output=True, text=True,
    )
    assert valid.returncode == 0 and json.loads(valid.stdout) == []


def test_question_text_is_one_line_however_the_yaml_wraps_it(small_kb: Path) -> None:
    old = next(line for line in (small_kb / Q).read_text().splitlines() if line.startswith("text:"))
    edit(small_kb, Q, old, "text: |\n  What is the main source\n  of drinking water?")
    kb, report = load(small_kb)
    assert kb is not None, report.format()
    assert kb.questions["wash-water-source"].text == "What is the main source of drinking water?"


# --- what messages echo back -------------------------------------------------------------

HUGE = "a" * 200_000


@pytest.mark.parametrize(("old", "new", "code"), [
    ("id: wash-water-source", f"id: {HUGE}", "invalid-id"),
    ("requested_by: [wash-cluster]", f"requested_by: [wash-cluster, {HUGE}]", "invalid-id"),
    ("status: agreed", f"status: {HUGE}", "unknown-enum"),
    ("status: agreed", f"status: agreed\n? {HUGE}\n: 1", "unknown-key"),
    ("status: agreed", f"status: agreed\nhxl: !{HUGE} x", "yaml-tag"),
    ("status: agreed", "status: agreed\nstatus: " + HUGE, "duplicate-key"),
    ("since_round: 1", "since_round: " + "9" * 100_000, "unreadable-value"),
], ids=["id", "reference", "enum", "key", "tag", "duplicate-key", "number"])
def test_huge_values_are_cut_in_every_format(small_kb: Path, old: str, new: str,
                                             code: str) -> None:
    edit(small_kb, Q, old, new)
    found = problems(small_kb)
    assert code in {p.code for p in found}, [p.format()[:200] for p in found]
    for p in found:
        assert len(p.format()) < 1200 and len(p.github()) < 1500, p.format()[:300]
        assert "a" * 61 not in p.format()
    result = subprocess.run(
        [sys.executable, "-m", "generator.cli", "validate", "--format", "github", str(small_kb)],
        capture_output=True, text=True,
    )
    assert result.returncode == 1 and len(result.stdout) + len(result.stderr) < 10_000


def test_many_problems_in_one_file_are_counted_not_all_printed(small_kb: Path) -> None:
    edit(small_kb, Q, "requested_by: [wash-cluster]",
         "requested_by: [" + ", ".join(["Bad-Id"] * 5000) + "]")
    _, report = load(small_kb)
    assert report.codes().count("invalid-id") == 5000  # all kept as data
    text = report.format()
    assert text.count("\n") < 60 and f"kb/{Q}: 4,950 more problems in this file" in text
    out = subprocess.run(
        [sys.executable, "-m", "generator.cli", "validate", "--format", "github", str(small_kb)],
        capture_output=True, text=True,
    )
    assert out.stdout.count("::error ") == 50
    assert f"::notice file=kb/{Q}::4,950 more problems" in out.stdout
    assert "5,000 errors, " in out.stderr


def test_invisible_characters_are_shown_escaped(small_kb: Path) -> None:
    edit(small_kb, Q, "requested_by: [wash-cluster]", 'requested_by: ["wash\\u200bcluster"]')
    p = only(small_kb)
    assert p.code == "invalid-id" and "wash\\u200bcluster" in p.message
    assert "\u200b" not in p.format()


def test_long_valid_lists_are_cut(small_kb: Path) -> None:
    assert listed([f"p{i}" for i in range(50)]) == "p0, p1, p2, p3, p4 and 45 more"
    assert shown("x" * 100) == "x" * 59 + "…" and shown("a\nb") == "a\\nb"


def test_fix_never_suggests_an_invalid_file_name_as_id(small_kb: Path) -> None:
    shutil.move(small_kb / Q, small_kb / "questions/wash/with space.yml")
    found = {p.code: p for p in problems(small_kb)}
    assert set(found) == {"id-mismatch", "invalid-file-name"}
    assert "set 'id:" not in found["id-mismatch"].fix
    assert "wash-water-source.yml" in found["id-mismatch"].fix


def test_fix_suggests_a_valid_file_name_as_id(small_kb: Path) -> None:
    shutil.move(small_kb / Q, small_kb / "questions/wash/wash-water.yml")
    p = only(small_kb)
    assert p.code == "id-mismatch" and "set 'id: wash-water'" in p.fix


@pytest.mark.parametrize("name", ["h\u0435alth-clustr", "health clustr"],
                         ids=["cyrillic-e", "space"])
def test_did_you_mean_never_offers_an_invalid_file_name(small_kb: Path, name: str) -> None:
    """Partner files whose names are not valid ids (a Cyrillic "е", a space) are never
    suggested, though they are the closest match."""
    (small_kb / f"partners/{name}.yml").write_text("id: dtm\n", encoding="utf-8")
    edit(small_kb, Q, "requested_by: [wash-cluster]", "requested_by: [health-clustr]")
    ref = next(p for p in problems(small_kb) if p.code == "unknown-reference")
    assert name not in ref.fix, ref.fix


def test_did_you_mean_still_offers_the_valid_id(small_kb: Path) -> None:
    (small_kb / "partners/w\u0430sh-clustr.yml").write_text("id: dtm\n", encoding="utf-8")
    edit(small_kb, Q, "requested_by: [wash-cluster]", "requested_by: [wash-clustr]")
    ref = next(p for p in problems(small_kb) if p.code == "unknown-reference")
    assert "did you mean 'wash-cluster'?" in ref.fix


def test_did_you_mean_never_offers_a_lookalike(small_kb: Path) -> None:
    """With wash-cluster and a planted wash-c1uster, a typo gets no suggestion at all."""
    (small_kb / "partners/wash-c1uster.yml").write_text(
        "id: wash-c1uster\nname: Look-alike\ntype: ngo\n", encoding="utf-8")
    edit(small_kb, Q, "requested_by: [wash-cluster]", "requested_by: [wash-clustr]")
    p = only(small_kb)
    assert p.code == "unknown-reference" and "did you mean" not in p.fix


@pytest.mark.parametrize(("ref", "known", "expect"), [
    ("wash-clustr", {"wash-cluster"}, "wash-cluster"),
    ("wash-clustr", {"wash-cluster", "wash-c1uster"}, None),  # two look-alikes
    ("wash-c1uster", {"wash-cluster"}, None),  # looks the same as what was typed
    ("wash-rn", {"wash-m"}, None),
    ("wash-clustr", {"wash cluster", "w\u0430sh-clustr", "Wash-clustr"}, None),  # invalid ids
    ("Wash", {"wash"}, None),  # the reference itself is invalid (reported as invalid-id)
])
def test_suggest(ref: str, known: set[str], expect: str | None) -> None:
    assert suggest(ref, known) == (f"did you mean '{expect}'? " if expect else "")


# --- codes ---------------------------------------------------------------------------------

def test_problem_codes_are_registered() -> None:
    with pytest.raises(ValueError, match="unknown problem code"):
        Problem("kb/x.yml", 1, "", "message", code="no-such-code")
    assert all(re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", code) and kind.title
               for code, kind in KINDS.items())


def test_every_problem_code_is_documented() -> None:
    """CONTRIBUTING.md's table lists exactly the codes of problems.KINDS."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    text = text.split("<summary>Problem codes</summary>", 1)[1].split("</details>", 1)[0]
    documented = re.findall(r"(?m)^\| `([a-z0-9-]+)` \|", text)
    assert sorted(documented) == sorted(KINDS)


def test_counts_agree_with_their_number() -> None:
    """The command line's English counts: "1 error", "2 errors", never "error(s)"."""
    from generator.problems import counted

    assert [counted(n, "error") for n in (0, 1, 2, 5000)] == [
        "0 errors", "1 error", "2 errors", "5,000 errors"]
    assert counted(1, "more problem") == "1 more problem"
    assert counted(3, "entry", "entries") == "3 entries"
