"""The library of recommended questions: its format, adoption by a country, overrides and
deviations, and every kind of bad input (file:line, codes)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from support import ROOT

from generator.loader import load, load_library
from generator.problems import Problem

LIBRARY = ROOT / "library"

ADOPTING = """\
id: wash-water-source
sector: wash
adopts: wash-water-source
requested_by: [wash-cluster]
key_informant: [site-manager, community-leader]
analysis:
  analysed_by: [dtm, wash-cluster]
sharing:
  modality: public
criteria:
  not_available_elsewhere: The water point mapping does not cover sites.
  methodology_adequate: The main source is common knowledge in a location.
  analysis_capacity: DTM and the WASH Cluster IMO.
  do_no_harm: Asks about the location as a whole, never about people.
status: agreed
since_round: 1
needs: [wash-water-source]
verification:
  date: "2026-09-24"
  verified_by:
    - {expertise: subject-matter, role: WASH Cluster Coordinator, organisation: UNICEF}
    - {expertise: context, role: District Focal Point, organisation: NCDR}
    - {expertise: imo, role: WASH Cluster IMO, organisation: UNICEF}
overrides:
  text:
    value: What is the main source of drinking water for most IDPs in this location?
    reason: Partners need the source IDPs use, which differs from the host community's.
  hint:
    value: Drinking water only, not water for washing.
    reason: Enumerators confused the two in round 5.
"""


def setup_country(tmp: Path, question: str = ADOPTING, library_decl: str | None = None) -> Path:
    """A copy of the sample country (without its own wash-water-source) adopting from a copy
    of the sample library."""
    shutil.copytree(ROOT / "kb", tmp / "kb")
    shutil.copytree(LIBRARY, tmp / "library")
    country = tmp / "kb" / "country.yml"
    text = country.read_text()
    lines = text.splitlines()
    if "library:" in lines:  # the sample declares its library: take that block out
        start = lines.index("library:")
        end = start + 1
        while end < len(lines) and lines[end].startswith(" "):
            end += 1
        text = "\n".join(lines[:start] + lines[end:]) + "\n"
    decl = library_decl or 'library:\n  path: ../library\n  version: "2026.1"\n'
    country.write_text(text.rstrip("\n") + "\n" + decl)
    (tmp / "kb" / "questions" / "wash" / "wash-water-source.yml").write_text(question)
    return tmp / "kb"


# When an adoption fails, the question is missing for the questionnaire's skip-logic check,
# which then reports the expressions that refer to it: a consequence, not the problem tested.
CASCADE = {"expression-reference"}


def errors(kb: Path) -> list[Problem]:
    result, report = load(kb)
    assert result is None, "an invalid kb must not load"
    return [p for p in report.sorted() if p.severity == "error" and p.code not in CASCADE]


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


# --- the library format -------------------------------------------------------------------

def test_sample_library_is_valid_and_large_enough() -> None:
    library, report = load_library(LIBRARY)
    assert report.ok, report.format()
    assert library is not None
    assert len(library.questions) >= 60
    assert len({q.sector for q in library.questions.values()}) >= 10
    assert library.info.version == "2026.1"
    q = library.questions["wash-water-source"]
    assert q.companion.tier == "core" and q.companion.labels["fr"].text.startswith("Quelle")
    assert all(q.companion.interested_sectors for q in library.questions.values())


def test_library_question_is_validated_like_a_country_record(tmp_path: Path) -> None:
    shutil.copytree(LIBRARY, tmp_path / "library")
    path = tmp_path / "library" / "questions" / "wash" / "wash-water-source.yml"
    text = path.read_text()
    path.write_text(text.replace("  tier: core", "  tier: essential").replace(
        "  visualisation:", "  visualization:"))
    library, report = load_library(tmp_path / "library")
    assert library is None
    found = {(p.code, p.field, p.line) for p in report.errors}
    assert ("unknown-enum", "companion.tier", line_of(path, "tier: essential")) in found
    assert ("unknown-key", "companion.visualization", line_of(path, "visualization")) in found
    assert all(p.path == "library/questions/wash/wash-water-source.yml" for p in report.errors)
    # What only a country can say has no place in the library.
    path.write_text(text.replace("companion:", "requested_by: [wash-cluster]\ncompanion:"))
    library, report = load_library(tmp_path / "library")
    assert ("record-rule", True) in [(p.code, "requested_by" in p.message)
                                     for p in report.errors]


# --- adoption -----------------------------------------------------------------------------

def test_adopted_question_is_library_question_plus_overrides(tmp_path: Path) -> None:
    kb, report = load(setup_country(tmp_path))
    assert kb is not None, report.format()
    q = kb.questions["wash-water-source"]
    library = kb.library.questions["wash-water-source"]
    assert q.text.endswith("for most IDPs in this location?")
    assert [(o.code, o.label) for o in q.options] == [(o.code, o.label)
                                                      for o in library.options]
    assert q.mockup == library.mockup
    # The library's Data Dictionary labels translate its options into the country's
    # languages (test_i18n_adoption).
    assert q.options[0].translations["fr"].startswith("Eau courante")
    assert q.requested_by == ["wash-cluster"] and q.analysis.analysed_by == ["dtm", "wash-cluster"]
    adopted = kb.adoptions["wash-water-source"]
    assert adopted.library_id == "wash-water-source" and adopted.library_version == "2026.1"
    by_field = {d.field: d for d in adopted.differences}
    assert set(by_field) == {"text", "hint"}
    assert by_field["text"].deviation and not by_field["hint"].deviation
    assert by_field["text"].library == library.text
    assert by_field["hint"].reason.startswith("Enumerators confused")
    assert not adopted.comparable


def test_unchanged_adoption_stays_comparable(tmp_path: Path) -> None:
    kb, report = load(setup_country(tmp_path, ADOPTING.split("overrides:")[0]))
    assert kb is not None, report.format()
    assert kb.adoptions["wash-water-source"].differences == ()
    assert kb.adoptions["wash-water-source"].comparable


def test_reordered_options_are_not_a_deviation(tmp_path: Path) -> None:
    library, _ = load_library(LIBRARY)
    assert library is not None
    options = [o.model_dump() for o in reversed(library.questions["wash-water-source"].options)]
    lines = "".join(f"      - code: {o['code']}\n        label: {o['label']}\n" for o in options)
    question = ADOPTING + f"  options:\n    value:\n{lines}    reason: Most common first.\n"
    kb, report = load(setup_country(tmp_path, question))
    assert kb is not None, report.format()
    options_diff = [d for d in kb.adoptions["wash-water-source"].differences
                    if d.field == "options"]
    assert options_diff and not options_diff[0].deviation


# --- bad input ----------------------------------------------------------------------------

def test_unknown_library_id(tmp_path: Path) -> None:
    kb = setup_country(tmp_path, ADOPTING.replace("adopts: wash-water-source",
                                                  "adopts: wash-water-sorce"))
    (p,) = errors(kb)
    path = kb / "questions/wash/wash-water-source.yml"
    assert (p.code, p.field, p.line) == ("library-unknown-question", "adopts",
                                         line_of(path, "adopts:"))
    assert "did you mean 'wash-water-source'" in p.fix
    assert p.path == "kb/questions/wash/wash-water-source.yml"


def test_override_of_a_field_that_does_not_exist(tmp_path: Path) -> None:
    kb = setup_country(tmp_path, ADOPTING.replace("  hint:\n", "  hnt:\n"))
    (p,) = errors(kb)
    assert p.code == "override-unknown-field" and p.field == "overrides.hnt"
    assert p.line == line_of(kb / "questions/wash/wash-water-source.yml", "hnt:")
    assert "did you mean 'hint'" in p.fix


def test_override_without_reason(tmp_path: Path) -> None:
    question = ADOPTING.replace(
        "    reason: Enumerators confused the two in round 5.\n", "    reason: TBD\n")
    kb = setup_country(tmp_path, question.replace(
        "    reason: Partners need the source IDPs use, which differs from the host "
        "community's.\n", ""))
    found = errors(kb)
    assert [(p.code, p.field) for p in found] == [
        ("override-without-reason", "overrides.text.reason"),
        ("override-without-reason", "overrides.hint.reason")]
    path = kb / "questions/wash/wash-water-source.yml"
    assert found[0].line == line_of(path, "  text:")
    assert found[1].line == line_of(path, "reason: TBD")


def test_library_field_changed_without_override(tmp_path: Path) -> None:
    kb = setup_country(tmp_path, ADOPTING.replace("status: agreed\n",
                                                  "status: agreed\ntext: Water source?\n"))
    (p,) = errors(kb)
    assert (p.code, p.field) == ("library-field-set", "text")
    assert p.line == line_of(kb / "questions/wash/wash-water-source.yml", "text: Water")


def test_library_value_restated_unchanged_is_accepted(tmp_path: Path) -> None:
    library, _ = load_library(LIBRARY)
    assert library is not None
    restated = ADOPTING + "".join([
        f"use: {library.questions['wash-water-source'].use}\n",
        "mockup:\n  chart: stacked-bar\n"])
    kb, report = load(setup_country(tmp_path, restated))
    assert kb is not None, report.format()


def test_bad_override_value_is_reported_at_the_override(tmp_path: Path) -> None:
    kb = setup_country(tmp_path, ADOPTING + "  type:\n    value: select_all\n"
                       "    reason: Several sources are common.\n")
    (p,) = errors(kb)
    assert p.code == "unknown-enum" and p.field == "type"
    assert p.line == line_of(kb / "questions/wash/wash-water-source.yml", "select_all")


def test_missing_country_field_is_reported_in_the_country_file(tmp_path: Path) -> None:
    kb = setup_country(tmp_path, ADOPTING.replace("requested_by: [wash-cluster]\n", ""))
    (p,) = errors(kb)
    assert (p.code, p.field, p.line) == ("missing-field", "requested_by", 1)


def test_library_version_not_found(tmp_path: Path) -> None:
    kb = setup_country(tmp_path, library_decl='library:\n  path: ../library\n'
                                              '  version: "2025.9"\n')
    found = errors(kb)
    assert [p.code for p in found] == ["library-version-not-found"]
    assert found[0].line == line_of(kb / "country.yml", 'version: "2025.9"')
    assert found[0].path == "kb/country.yml"


def test_library_path_not_found(tmp_path: Path) -> None:
    kb = setup_country(tmp_path, library_decl="library:\n  path: ../no-library\n")
    (p,) = errors(kb)
    assert (p.code, p.field) == ("library-not-found", "library.path")
    assert p.line == line_of(kb / "country.yml", "path: ../no-library")


def test_adopts_without_a_library(tmp_path: Path) -> None:
    kb = setup_country(tmp_path, library_decl="\n")
    found = errors(kb)
    assert {(p.code, p.field) for p in found} == {("library-not-found", "adopts")}
    assert "kb/questions/wash/wash-water-source.yml" in {p.path for p in found}


def test_invalid_library_reports_its_own_files(tmp_path: Path) -> None:
    kb = setup_country(tmp_path)
    path = tmp_path / "library/questions/wash/wash-water-source.yml"
    path.write_text(path.read_text().replace("  tier: core", "  tier: essential"))
    found = errors(kb)
    assert {p.code for p in found} == {"unknown-enum", "library-not-found"}
    assert any(p.path.endswith("library/questions/wash/wash-water-source.yml") for p in found)


# --- a library in a git repository, pinned by tag -----------------------------------------

def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                   cwd=repo, check=True, capture_output=True)


def git_library(tmp: Path) -> Path:
    """A repository with the library in library/, tagged v2026.1, then a 2026.2 commit."""
    repo = tmp / "msla-library"
    shutil.copytree(LIBRARY, repo / "library")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "2026.1")
    git(repo, "tag", "v2026.1")
    info = repo / "library" / "library.yml"
    info.write_text(info.read_text().replace('version: "2026.1"', 'version: "2026.2"'))
    q = repo / "library" / "questions" / "wash" / "wash-water-source.yml"
    q.write_text(q.read_text().replace("Water vendor (cart or tanker)",
                                       "Water vendor (cart, tanker or kiosk)"))
    git(repo, "commit", "-qam", "2026.2")
    git(repo, "tag", "v2026.2")
    return repo


def test_git_library_pinned_by_tag(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    git_library(tmp_path)
    decl = ("library:\n  git: ../msla-library\n  ref: v2026.1\n  folder: library\n"
            '  version: "2026.1"\n')
    kb, report = load(setup_country(tmp_path / "c", library_decl=decl.replace(
        "../msla-library", "../../msla-library")))
    assert kb is not None, report.format()
    # The pinned tag is read, not the repository's newer working tree.
    labels = [o.label for o in kb.library.questions["wash-water-source"].options]
    assert "Water vendor (cart or tanker)" in labels


def test_git_library_unknown_tag(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    git_library(tmp_path)
    decl = "library:\n  git: ../../msla-library\n  ref: v2027.1\n  folder: library\n"
    kb = setup_country(tmp_path / "c", library_decl=decl)
    (p,) = errors(kb)
    assert (p.code, p.field) == ("library-version-not-found", "library.ref")
    assert "v2026.2" in p.message and p.line == line_of(kb / "country.yml", "ref: v2027.1")


def test_committed_library_schemas_are_current() -> None:
    import json

    from generator.library.loading import library_schemas
    for name, schema in library_schemas().items():
        committed = json.loads((LIBRARY / "schemas" / name).read_text(encoding="utf-8"))
        assert committed == schema, f"library/schemas/{name} is stale: run toolkit library schema"


def test_question_schema_accepts_adoptions_and_rejects_typos() -> None:
    import json

    import jsonschema
    schema = json.loads((ROOT / "kb/schemas/question.schema.json").read_text())
    data = yaml.safe_load(ADOPTING)
    jsonschema.validate(data, schema)
    for bad in ({**data, "adopt": "x"}, {**data, "overrides": {"text": {"value": "x"}}}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, schema)


def test_restated_options_may_carry_the_countrys_translations(tmp_path: Path) -> None:
    library, _ = load_library(LIBRARY)
    assert library is not None
    options = library.questions["wash-water-source"].options
    lines = "".join(f"  - code: {o.code}\n    label: {o.label}\n"
                    f"    translations:\n      fr: Libellé {o.code}\n" for o in options)
    kb = setup_country(tmp_path, ADOPTING.replace("overrides:", f"options:\n{lines}overrides:"))
    loaded, report = load(kb)
    if loaded is None:
        # Before the questionnaire fields (branch q9), options have no translations.
        assert {p.code for p in report.errors} == {"unknown-key"}, report.format()
        return
    assert loaded.questions["wash-water-source"].options[0].translations == {
        "fr": f"Libellé {options[0].code}"}
    changed = lines.replace(f"label: {options[0].label}", "label: Tap water", 1)
    kb2 = setup_country(tmp_path / "2", ADOPTING.replace("overrides:",
                                                         f"options:\n{changed}overrides:"))
    assert [p.code for p in errors(kb2)] == ["library-field-set"]


# --- shared choice lists (kb/choices/) ----------------------------------------------------

def _with_list(tmp: Path, codes: list[tuple[str, str]], question: str) -> Path:
    kb = setup_country(tmp, question)
    lines = "".join(f"  - code: {c}\n    label: {label}\n" for c, label in codes)
    (kb / "choices" / "water-sources.yml").write_text(
        f"id: water-sources\noptions:\n{lines}", encoding="utf-8")
    return kb


def _library_codes() -> list[tuple[str, str]]:
    library, _ = load_library(LIBRARY)
    assert library is not None
    return [(o.code, o.label) for o in library.questions["wash-water-source"].options]


def test_shared_list_with_the_library_options_stays_comparable(tmp_path: Path) -> None:
    question = ADOPTING.split("overrides:")[0] + "choices: water-sources\n"
    kb, report = load(_with_list(tmp_path, _library_codes(), question))
    assert kb is not None, report.format()
    assert kb.adoptions["wash-water-source"].comparable
    assert kb.adoptions["wash-water-source"].differences == ()


def test_shared_list_with_other_options_is_a_deviation_that_needs_a_reason(
        tmp_path: Path) -> None:
    codes = [*_library_codes()[:-1], ("rainwater", "Rainwater collection")]
    question = ADOPTING.split("overrides:")[0] + "choices: water-sources\n"
    kb = _with_list(tmp_path, codes, question)
    found = errors(kb)
    path = kb / "questions" / "wash" / "wash-water-source.yml"
    assert [(p.code, p.field, p.line) for p in found] == [
        ("override-without-reason", "choices", line_of(path, "choices: water-sources"))]
    assert "rainwater" in found[0].message and "deviation" in found[0].message
    assert found[0].path == "kb/questions/wash/wash-water-source.yml"
    # With its reason, under overrides like inline options: a deviation on the page/compare.
    question = ADOPTING + ("  choices:\n    value: water-sources\n"
                           "    reason: Sites collect rainwater in the wet season.\n")
    kb2 = _with_list(tmp_path / "2", codes, question)
    loaded, report = load(kb2)
    assert loaded is not None, report.format()
    adopted = loaded.adoptions["wash-water-source"]
    by_field = {d.field: d for d in adopted.differences}
    assert by_field["options"].deviation and not adopted.comparable
    assert by_field["options"].reason.startswith("Sites collect")
    assert any("rainwater" in note for note in by_field["options"].notes)
    assert [o.code for o in loaded.questions["wash-water-source"].options][-1] == "rainwater"


def test_shared_list_in_another_order_needs_a_reason_but_stays_comparable(
        tmp_path: Path) -> None:
    codes = list(reversed(_library_codes()))
    kb = _with_list(tmp_path, codes, ADOPTING.split("overrides:")[0] + "choices: water-sources\n")
    found = errors(kb)
    assert [p.code for p in found] == ["override-without-reason"]
    assert "another order" in found[0].message and "deviation" not in found[0].message
    question = ADOPTING + ("  choices:\n    value: water-sources\n"
                           "    reason: Most common first.\n")
    loaded, report = load(_with_list(tmp_path / "2", codes, question))
    assert loaded is not None, report.format()
    options = [d for d in loaded.adoptions["wash-water-source"].differences
               if d.field == "options"]
    assert options and not options[0].deviation


def test_shared_list_override_without_reason(tmp_path: Path) -> None:
    codes = [*_library_codes()[:-1], ("rainwater", "Rainwater collection")]
    question = ADOPTING + "  choices:\n    value: water-sources\n"
    kb = _with_list(tmp_path, codes, question)
    assert [(p.code, p.field) for p in errors(kb)] == [
        ("override-without-reason", "overrides.choices.reason")]
