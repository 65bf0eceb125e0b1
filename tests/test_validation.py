"""Each kind of bad input gets its own clear error: file:line, field, what is wrong, the fix."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.loader import load

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


def problems(kb: Path) -> list[str]:
    result, report = load(kb)
    assert result is None, "an invalid kb must not load"
    return [p.format() for p in report.sorted() if p.severity == "error"]


def only(kb: Path) -> str:
    found = problems(kb)
    assert len(found) == 1, found
    return found[0]


def test_small_kb_is_valid(small_kb: Path) -> None:
    kb, report = load(small_kb)
    assert kb is not None and report.ok, report.format()
    assert len(kb.questions) == 4


def test_yaml_syntax_error_names_line_and_fix(small_kb: Path) -> None:
    edit(small_kb, Q, "purpose: Identify", "purpose: [Identify")
    msg = only(small_kb)
    assert msg.startswith(f"kb/{Q}:{line_of(small_kb, Q, 'use:')}: YAML syntax error")
    assert "Fix: check indentation" in msg


def test_yaml_syntax_error_line_number(small_kb: Path) -> None:
    edit(small_kb, Q, "use: The WASH", "use:: : The WASH\n  - x")
    msg = only(small_kb)
    line = int(msg.split(":")[1])
    text = (small_kb / Q).read_text().splitlines()
    assert "use:" in "\n".join(text[line - 2 : line + 1]), (msg, line)


def test_unknown_key_suggests_the_right_one(small_kb: Path) -> None:
    edit(small_kb, Q, "purpose:", "purpse:")
    found = problems(small_kb)
    unknown = [m for m in found if "unknown field 'purpse'" in m]
    assert unknown and "did you mean 'purpose'?" in unknown[0]
    assert unknown[0].startswith(f"kb/{Q}:{line_of(small_kb, Q, 'purpse:')}: purpse:")
    # the real field is now missing: reported in the same run
    assert any("purpose: required field is missing" in m for m in found)


def test_missing_required_field_explains_what_to_add(small_kb: Path) -> None:
    edit(small_kb, Q, "use: The WASH Cluster prioritises water trucking and repairs.\n", "")
    msg = only(small_kb)
    assert f"kb/{Q}:" in msg and "use: required field is missing" in msg
    assert "Fix: add 'use:'" in msg


def test_wrong_enum_lists_allowed_values(small_kb: Path) -> None:
    edit(small_kb, Q, "status: agreed", "status: approved")
    msg = only(small_kb)
    line = line_of(small_kb, Q, "status:")
    assert msg.startswith(f"kb/{Q}:{line}: status: 'approved' is not allowed here")
    assert "'proposed'" in msg and "'agreed'" in msg and "'dropped'" in msg


def test_wrong_type(small_kb: Path) -> None:
    edit(small_kb, Q, "since_round: 1", "since_round: first")
    msg = only(small_kb)
    assert "since_round: expected a number, got 'first'" in msg


def test_nested_field_path_counts_items_from_one(small_kb: Path) -> None:
    edit(small_kb, Q, "code: protected_well", "code: Protected Well")
    msg = only(small_kb)
    line = line_of(small_kb, Q, "Protected Well")
    assert msg.startswith(
        f"kb/{Q}:{line}: options[2].code: 'Protected Well' is not a valid option code"
    )


def test_duplicate_ids_name_both_files(small_kb: Path) -> None:
    shutil.copy(small_kb / Q, small_kb / "questions/wash/copy.yml")
    found = problems(small_kb)
    dup = [m for m in found if "already used by" in m]
    assert dup and f"kb/{Q}" in dup[0] and "kb/questions/wash/copy.yml" in dup[0]
    assert any("does not match the file name 'copy.yml'" in m for m in found)


def test_unknown_partner_reference(small_kb: Path) -> None:
    edit(small_kb, Q, "requested_by: [wash-cluster]", "requested_by: [wash-clustr]")
    msg = only(small_kb)
    assert "requested_by[1]: unknown partner 'wash-clustr'" in msg
    assert "did you mean 'wash-cluster'?" in msg


def test_unknown_sector_and_folder_mismatch(small_kb: Path) -> None:
    edit(small_kb, Q, "sector: wash", "sector: water")
    found = problems(small_kb)
    assert any("sector: unknown sector 'water'" in m for m in found)
    assert any("does not match the folder 'questions/wash/'" in m for m in found)


def test_unknown_question_in_dataset(small_kb: Path) -> None:
    edit(small_kb, "datasets/location-public.yml", "[wash-water-source]", "[wash-missing]")
    assert "questions[1]: unknown question 'wash-missing'" in only(small_kb)


def test_confidential_question_in_public_dataset(small_kb: Path) -> None:
    edit(small_kb, "datasets/location-public.yml", "[wash-water-source]",
         "[wash-water-source, protection-incidents]")
    msg = only(small_kb)
    assert "'protection-incidents' is confidential but this dataset is public" in msg


def test_restricted_question_in_dataset_for_other_partners(small_kb: Path) -> None:
    edit(small_kb, "datasets/protection-confidential.yml", "  partners: [protection-cluster]",
         "  partners: [protection-cluster, wash-cluster]")
    msg = only(small_kb)
    assert "question 'protection-incidents' may be shared only with protection-cluster" in msg
    assert "this dataset also goes to wash-cluster" in msg


@pytest.mark.parametrize(
    ("old", "new", "expect"),
    [
        ("purpose: Identify locations where IDPs drink from unsafe sources.\n", "",
         "purpose: required field is missing"),
        ("use: The WASH Cluster prioritises water trucking and repairs.", "use: TBD",
         "use: 'TBD' does not document it: the question fails the minimum criteria"),
        ("analysed_by: [dtm, wash-cluster]", "analysed_by: []",
         "analysis.analysed_by: the list is empty or too short"),
        ("  analysis_capacity: The WASH Cluster IMO confirmed capacity.\n", "",
         "criteria.analysis_capacity: required field is missing"),
    ],
    ids=["no-purpose", "placeholder-use", "nobody-analyses", "no-capacity-evidence"],
)
def test_minimum_criteria(small_kb: Path, old: str, new: str, expect: str) -> None:
    edit(small_kb, Q, old, new)
    assert expect in only(small_kb)


def test_confidential_sharing_must_name_partners(small_kb: Path) -> None:
    edit(small_kb, "questions/protection/protection-incidents.yml",
         "  partners: [protection-cluster]\n", "")
    msg = only(small_kb)
    assert "sharing: 'confidential' data must name the partners it is shared with" in msg


def test_all_problems_reported_at_once(small_kb: Path) -> None:
    edit(small_kb, Q, "status: agreed", "status: approved")
    edit(small_kb, "partners/wash-cluster.yml", "type: cluster", "type: clustr")
    edit(small_kb, "country.yml", "iso3: TST", "iso3: tst")
    (small_kb / "questions/wash/broken.yml").write_text("id: [\n")
    found = problems(small_kb)
    files = {m.split(":")[0] for m in found}
    assert {f"kb/{Q}", "kb/partners/wash-cluster.yml", "kb/country.yml",
            "kb/questions/wash/broken.yml"} <= files


def test_missing_file_and_stray_file(small_kb: Path) -> None:
    (small_kb / "checklist.yml").unlink()
    (small_kb / "wash-latrines.yml").write_text("id: wash-latrines\n")
    found = problems(small_kb)
    assert any(m.startswith("kb/checklist.yml:1: file is missing") for m in found)
    assert any("'wash-latrines.yml' is not part of a kb" in m for m in found)


def test_yaml_extension_and_non_mapping(small_kb: Path) -> None:
    (small_kb / "partners/ngo.yaml").write_text("id: ngo\n")
    (small_kb / "partners/list.yml").write_text("- a\n- b\n")
    found = problems(small_kb)
    assert any("must end in .yml" in m and "ngo.yaml" in m for m in found)
    assert any("list.yml:1: the file must hold 'key: value' lines" in m for m in found)


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
    assert "3 error(s)" in bad.stderr
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


def test_question_text_is_one_line_however_the_yaml_wraps_it(small_kb: Path) -> None:
    old = next(line for line in (small_kb / Q).read_text().splitlines() if line.startswith("text:"))
    edit(small_kb, Q, old, "text: |\n  What is the main source\n  of drinking water?")
    kb, report = load(small_kb)
    assert kb is not None, report.format()
    assert kb.questions["wash-water-source"].text == "What is the main source of drinking water?"
