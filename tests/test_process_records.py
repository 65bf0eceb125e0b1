"""Issue #11: information needs traced to questions, governed agreement, use reviews, schedule
changes and data sharing agreements: validation (codes, files, lines) and `toolkit migrate`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import ROOT, SAMPLE_KB

from generator.cli import main
from generator.loader import load
from generator.migrate import migrate
from generator.problems import Problem

V1_KB = ROOT / "tests" / "fixtures" / "kb-v1"  # the sample kb as it was before issue #11
Q = "questions/wash/wash-water-source.yml"
NEED = """id: {id}
need: Main drinking water source.
raised_by: [wash-cluster]
decision: Where to send water trucking.
"""


def edit(kb: Path, rel: str, old: str, new: str) -> None:
    path = kb / rel
    text = path.read_text()
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1))


def line_of(kb: Path, rel: str, text: str) -> int:
    lines = (kb / rel).read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def found(kb: Path, severity: str = "error") -> list[tuple[str, str, int, str]]:
    _, report = load(kb)
    return [(p.code, p.path, p.line, p.field) for p in report.sorted()
            if p.severity == severity]


def codes(kb: Path) -> list[Problem]:
    return load(kb)[1].sorted()


@pytest.fixture
def v2_kb(small_kb: Path) -> Path:
    """kb-small at schema version 2, where the rules of an agreement apply. (kb-small itself
    stays at version 1, so tests elsewhere that add agreed questions to it stay short.)"""
    edit(small_kb, "country.yml", "name: Testland", "schema_version: 2\nname: Testland")
    return small_kb


def write_need(kb: Path, nid: str, extra: str = "") -> None:
    (kb / "needs").mkdir(exist_ok=True)
    (kb / "needs" / f"{nid}.yml").write_text(NEED.format(id=nid) + extra)


# --- information needs ---------------------------------------------------------------------

def test_kb_without_needs_does_not_require_them(small_kb: Path) -> None:
    kb, report = load(small_kb)
    assert kb is not None and report.problems == [], report.format()
    assert kb.needs == {}


def test_once_a_kb_has_needs_every_question_must_serve_one(small_kb: Path) -> None:
    write_need(small_kb, "water-source")
    edit(small_kb, Q, "status: agreed", "needs: [water-source]\nstatus: agreed")
    errors = found(small_kb)
    assert {e[0] for e in errors} == {"question-without-need"}
    # The other three questions (wash-distance is proposed, so it counts too).
    assert sorted(e[1] for e in errors) == [
        "kb/questions/protection/protection-incidents.yml",
        "kb/questions/protection/protection-uasc.yml",
        "kb/questions/wash/wash-distance.yml"]


def test_dtm_core_and_dropped_questions_need_no_need(small_kb: Path) -> None:
    write_need(small_kb, "water-source")
    edit(small_kb, Q, "status: agreed", "needs: [water-source]\nstatus: agreed")
    edit(small_kb, "questions/wash/wash-distance.yml", "status: proposed", "status: dropped")
    for rel in ("questions/protection/protection-uasc.yml",
                "questions/protection/protection-incidents.yml"):
        edit(small_kb, rel, "requested_by: [protection-cluster]",
             "requested_by: [protection-cluster, dtm]")
    assert found(small_kb) == []


def test_need_served_by_no_question_is_a_warning_unless_out_of_scope(small_kb: Path) -> None:
    write_need(small_kb, "unmet-need")
    write_need(small_kb, "oos-need", "out_of_scope:\n  reason: Household level.\n"
               "  instead: The household survey.\n")
    warnings = [w for w in found(small_kb, "warning") if w[0] == "need-unserved"]
    assert warnings == [("need-unserved", "kb/needs/unmet-need.yml", 1, "id")]


def test_unknown_need_reference_is_reported_at_its_line(small_kb: Path) -> None:
    write_need(small_kb, "water-source")
    edit(small_kb, Q, "status: agreed", "needs: [water-sorce]\nstatus: agreed")
    assert ("unknown-reference", f"kb/{Q}", line_of(small_kb, Q, "needs:"), "needs[1]") \
        in found(small_kb)


def test_need_served_by_a_confidential_question_must_be_restricted(small_kb: Path) -> None:
    write_need(small_kb, "incidents")
    edit(small_kb, "questions/protection/protection-incidents.yml", "status: agreed",
         "needs: [incidents]\nstatus: agreed")
    assert ("need-not-restricted", "kb/needs/incidents.yml", 1, "restricted") in found(small_kb)
    (small_kb / "needs" / "incidents.yml").write_text(
        NEED.format(id="incidents") + "restricted: true\n")
    assert not [e for e in found(small_kb) if e[0] == "need-not-restricted"]


def test_sample_kb_has_needs_for_every_partner_some_unmet_some_out_of_scope() -> None:
    kb, report = load(SAMPLE_KB)
    assert kb is not None, report.format()
    raised = {p for n in kb.needs.values() for p in n.raised_by}
    assert raised == set(kb.partners)
    assert [n.id for n in kb.needs.values() if n.out_of_scope]
    # Unmet needs say why (unmet_reason), so the strict build of the sample has no warning.
    served = {n for q in kb.questions.values() if q.status != "dropped" for n in q.needs}
    unmet = [n.id for n in kb.needs.values() if n.id not in served and not n.out_of_scope]
    assert len(unmet) >= 2 and all(kb.needs[n].unmet_reason for n in unmet)
    assert report.problems == [], report.format()


# --- governed agreement ---------------------------------------------------------------------

def test_agreed_question_needs_verification_at_schema_version_2(v2_kb: Path) -> None:
    text = (v2_kb / Q).read_text()
    (v2_kb / Q).write_text(text[: text.index("verification:")])
    assert found(v2_kb) == [
        ("agreement-unverified", f"kb/{Q}", line_of(v2_kb, Q, "status: agreed"),
         "verification")]


def test_verification_names_all_three_kinds_of_expertise(v2_kb: Path) -> None:
    edit(v2_kb, Q, "    - expertise: context\n      role: Water engineer\n"
         "      organisation: Testland Water Board\n", "")
    [problem] = [p for p in codes(v2_kb) if p.severity == "error"]
    assert (problem.code, problem.field) == ("verification-incomplete",
                                             "verification.verified_by")
    assert "context expert" in problem.message


@pytest.mark.parametrize(("old", "new", "fld"), [
    ("key_informant: [community-leader]\n", "", "key_informant"),
    ("since_round: 1\n", "", "since_round"),
    ("  do_no_harm: Asks about the location's water source, never about a household.\n", "",
     "criteria.do_no_harm"),
])
def test_agreed_question_needs_key_informants_round_and_do_no_harm(
        v2_kb: Path, old: str, new: str, fld: str) -> None:
    edit(v2_kb, Q, old, new)
    assert [(c, f) for c, _, _, f in found(v2_kb)] == [("agreement-incomplete", fld)]


def test_a_kb_at_schema_version_1_stays_valid_and_is_told_about_migrate() -> None:
    """Existing kbs were written before the agreement rules: they load without a problem
    (a warning would fail their strict builds), and `validate` says once how to upgrade."""
    kb, report = load(V1_KB)
    assert kb is not None and report.problems == [], report.format()
    result = CliRunner().invoke(main, ["validate", str(V1_KB)])
    assert result.exit_code == 0
    assert "schema version 1" in result.output and "toolkit migrate" in result.output
    result = CliRunner().invoke(main, ["validate", str(SAMPLE_KB)])
    assert "toolkit migrate" not in result.output


def test_agreement_status_not_signed_before_collection_is_a_warning(v2_kb: Path) -> None:
    rel = "datasets/protection-confidential.yml"
    edit(v2_kb, rel, "signed: 2026-08-25", "signed: 2026-09-03")
    assert found(v2_kb, "warning") == [
        ("agreement-unsigned", f"kb/{rel}", line_of(v2_kb, rel, "agreement_status"),
         "agreement_status")]
    edit(v2_kb, rel, "agreement_status: signed\nsigned: 2026-09-03",
         "agreement_status: under-review")
    assert [w[0] for w in found(v2_kb, "warning")] == ["agreement-unsigned"]
    edit(v2_kb, rel, "agreement_status: under-review", "")
    assert [w[0] for w in found(v2_kb, "warning")] == ["agreement-unsigned"]


def test_timeline_change_log_must_end_at_the_milestone_date(small_kb: Path) -> None:
    edit(small_kb, "analysis-plan.yml", "        new: 2026-08-01", "        new: 2026-08-02")
    assert [(c, f) for c, _, _, f in found(small_kb)] == [
        ("timeline-inconsistent", "timeline[1].date")]


def test_use_review_entry_says_what_it_was_used_for_or_why_not(small_kb: Path) -> None:
    (small_kb / "use-reviews").mkdir()
    (small_kb / "use-reviews" / "round-1.yml").write_text(
        "id: round-1\nround: 1\nentries:\n  - question: wash-water-source\n"
        "    partner: wash-cluster\n    used: false\n"
        "  - question: wash-water-sorce\n    partner: wash-cluster\n    used: true\n"
        "    used_for: Trucking plan.\n")
    assert found(small_kb) == [
        ("use-review-incomplete", "kb/use-reviews/round-1.yml", 4, "entries[1]"),
        ("unknown-reference", "kb/use-reviews/round-1.yml", 7, "entries[2].question")]


def test_planned_history_may_name_a_future_round(small_kb: Path) -> None:
    edit(small_kb, Q, '    change: Added the option "protected well".\n',
         '    change: Added the option "protected well".\n'
         "  - round: 9\n    status: planned\n    change: Add bottled water.\n")
    assert found(small_kb) == []
    edit(small_kb, Q, "    status: planned\n", "")
    assert [c for c, *_ in found(small_kb)] == ["round-in-future"]


# --- migrate --------------------------------------------------------------------------------

@pytest.fixture
def v1_kb(tmp_path: Path) -> Path:
    dest = tmp_path / "kb"
    shutil.copytree(V1_KB, dest)
    return dest


def test_migrate_upgrades_a_version_1_kb_with_todo_verifications(v1_kb: Path) -> None:
    result = CliRunner().invoke(main, ["migrate", str(v1_kb)])
    assert result.exit_code == 0, result.output
    assert "from schema version 1 to 2" in result.output
    country = (v1_kb / "country.yml").read_text().splitlines()
    assert country[0].startswith("# yaml-language-server") and country[1] == "schema_version: 2"
    _, report = load(v1_kb)
    errors = {p.code for p in report.errors}
    # Only TODOs to fill in: no wrong-type for `date: TODO`, and the rules are now errors
    # only where the migration could not write a TODO.
    assert errors == {"todo-left"}, report.format()
    todo = [p for p in report.errors if p.path.endswith("wash/wash-water-source.yml")]
    fields = {p.field for p in todo}
    assert {"verification.date", "verification.verified_by[1].role",
            "criteria.do_no_harm"} <= fields
    # The comments and layout of the file are kept.
    text = (v1_kb / "questions/wash/wash-water-source.yml").read_text()
    assert text.startswith((V1_KB / "questions/wash/wash-water-source.yml").read_text()
                           .split("criteria:")[0])
    # Running it again changes nothing.
    again = CliRunner().invoke(main, ["migrate", str(v1_kb)])
    assert "already at schema version 2" in again.output


def test_migrate_dry_run_writes_nothing(v1_kb: Path) -> None:
    before = {p: p.read_bytes() for p in v1_kb.rglob("*.yml")}
    result = CliRunner().invoke(main, ["migrate", "--dry-run", str(v1_kb)])
    assert result.exit_code == 0 and "Would update" in result.output
    assert before == {p: p.read_bytes() for p in v1_kb.rglob("*.yml")}


def test_migrate_refuses_an_unreadable_kb_and_writes_nothing(v1_kb: Path) -> None:
    (v1_kb / Q).write_text("id: [unclosed\n")
    before = (v1_kb / "country.yml").read_bytes()
    result = CliRunner().invoke(main, ["migrate", str(v1_kb)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "wash-water-source.yml cannot be read" in result.output
    assert (v1_kb / "country.yml").read_bytes() == before


def test_migrated_kb_with_verifications_filled_in_is_valid(v1_kb: Path) -> None:
    migrate(v1_kb)
    for path in (v1_kb / "questions").glob("*/*.yml"):
        text = path.read_text()
        text = text.replace("do_no_harm: TODO why this is safe to ask a key informant",
                            "do_no_harm: Asks about the location only.")
        text = text.replace("date: TODO (YYYY-MM-DD)", "date: 2026-09-30")
        for todo in ("TODO (e.g. WASH Cluster Coordinator)", "TODO (e.g. local NGO focal point)",
                     "TODO (e.g. Cluster Information Management Officer)", "TODO"):
            text = text.replace(f"role: {todo}", "role: Coordinator")
        text = text.replace("organisation: TODO", "organisation: UNICEF")
        path.write_text(text)
    kb, report = load(v1_kb)
    assert kb is not None, report.format()
    assert not [p for p in report.problems if p.code.startswith("agreement-un")
                and p.code != "agreement-unsigned"]


@pytest.mark.parametrize(("record", "message"), [
    ("about: question\nasked: x\n", "names it"),
    ("about: dataset\nasked: x\n", "names it"),
    ("about: use\nasked: x\nstatus: answered\n", "response"),
    ("about: use\nasked: x\nstatus: done\nresponse: ok\n", "changed"),
])
def test_feedback_says_what_it_is_about_and_how_dtm_responded(
        small_kb: Path, record: str, message: str) -> None:
    (small_kb / "feedback").mkdir()
    (small_kb / "feedback" / "f1.yml").write_text(
        "id: f1\nround: 2\ndate: 2026-07-01\nby: [wash-cluster]\n" + record)
    [problem] = [p for p in codes(small_kb) if p.severity == "error"]
    assert (problem.code, problem.path) == ("feedback-incomplete", "kb/feedback/f1.yml")
    assert message in problem.message


def test_feedback_references_are_checked(small_kb: Path) -> None:
    (small_kb / "feedback").mkdir()
    (small_kb / "feedback" / "f1.yml").write_text(
        "id: f1\nround: 9\ndate: 2026-07-01\nby: [wash-clustr]\nabout: dataset\n"
        "dataset: location-publik\nasked: x\n")
    assert [(c, f) for c, _, _, f in found(small_kb)] == [
        ("round-in-future", "round"), ("unknown-reference", "by[1]"),
        ("unknown-reference", "dataset")]


PRODUCT = """id: p1
title: Round 2 report
kind: report
round: 2
status: published
published: 2026-07-10
link: https://example.org/r2
checklist:
  - item: questionnaire
    state: done
  - item: disclaimer
    state: {state}
"""


def write_product(kb: Path, state: str = "done", text: str = PRODUCT) -> str:
    (kb / "products").mkdir(exist_ok=True)
    (kb / "products" / "p1.yml").write_text(text.format(state=state))
    return "kb/products/p1.yml"


def test_published_product_with_every_item_done_is_valid(small_kb: Path) -> None:
    write_product(small_kb)
    kb, report = load(small_kb)
    assert kb is not None and report.problems == [], report.format()


def test_published_product_missing_an_item_is_a_warning(small_kb: Path) -> None:
    rel = write_product(small_kb, "missing")
    assert found(small_kb, "warning") == [("product-checklist-missing", rel, 11,
                                           "checklist[2]")]
    # The required item (questionnaire) not stated at all.
    rel = write_product(small_kb, text=PRODUCT.replace(
        "  - item: questionnaire\n    state: done\n", ""))
    [(code, path, _, fld)] = found(small_kb, "warning")
    assert (code, path, fld) == ("product-checklist-missing", rel, "checklist")
    draft = PRODUCT.replace("status: published", "status: draft").format(state="missing")
    write_product(small_kb, text=draft.replace("{", "{{").replace("}", "}}"))
    assert found(small_kb, "warning") == []


def test_product_rules_are_errors_with_lines(small_kb: Path) -> None:
    rel = write_product(small_kb, "not-applicable")
    assert [(c, p) for c, p, _, _ in found(small_kb)] == [("product-incomplete", rel)]
    rel = write_product(small_kb, text=PRODUCT.replace("link: https://example.org/r2\n", "")
                        .replace("item: questionnaire", "item: questionaire"))
    assert sorted((c, f) for c, _, _, f in found(small_kb)) == [
        ("product-incomplete", ""), ("unknown-reference", "checklist[1].item")]
