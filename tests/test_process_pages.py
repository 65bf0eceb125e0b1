"""Issue #11 pages: needs and coverage, use review, engagement dashboard, and what question,
partner and dataset pages and the DAP exports gain. Rendered from the sample kb and from the
small kb with the process records of tests/fixtures/kb-process."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from support import SAMPLE_KB, SMALL_KB, add_process_records

from generator.loader import load_or_raise
from generator.pages import Options, render_site

TODAY = dt.date(2026, 11, 25)


def render(kb_path: Path, internal: bool = False) -> dict[str, str]:
    kb = load_or_raise(kb_path, internal=internal)
    return {p.path: p.content for p in render_site(kb, Options(mockups=False, today=TODAY))
            if isinstance(p.content, str) or p.path.endswith(".csv")}


SAMPLE = render(SAMPLE_KB)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], dict[str, str]]:
    kb = tmp_path_factory.mktemp("process") / "kb"
    shutil.copytree(SMALL_KB, kb)
    add_process_records(kb)
    return render(kb), render(kb, internal=True)


def section(page: str, heading: str) -> str:
    """The text of a page from a heading to the next heading of the same level."""
    level = heading.split(" ")[0]
    after = page.split(heading + " ", 1)[1] if heading + " " in page else page.split(heading, 1)[1]
    return after.split("\n" + level + " ", 1)[0]


def test_needs_page_groups_needs_by_coverage() -> None:
    page = SAMPLE["needs.md"]
    for label in ("Covered", "Partly covered", "Unmet", "Out of scope for the MSLA"):
        assert f"## {label} {{" in page
    unmet = section(page, "## Unmet")
    assert "Road and bridge conditions" in unmet and "**Why it is unmet.**" in unmet
    out = section(page, "## Out of scope for the MSLA")
    assert "Household food consumption scores" in out
    assert "**Where to get it instead.** The WFP mVAM phone survey" in out
    partly = section(page, "## Partly covered")
    # Only proposed questions serve it; or the need's gaps say what is missing.
    assert "Only proposed questions serve it so far." in partly
    assert "not every rural village of Upper Mardel" in partly


def test_small_kb_coverage_and_secondary_data(small: tuple[dict[str, str], dict[str, str]]
                                               ) -> None:
    public, _ = small
    page = public["needs.md"]
    assert "| [Covered](#covered) | 1 |" in page  # child-arrivals
    assert "| [Partly covered](#partly) | 2 |" in page  # gaps; only a proposal
    assert "| [Unmet](#unmet) | 1 |" in page and "| [Out of scope for the MSLA]" in page
    assert "| WASH 4W, July 2026 | 2026-07-31 | Covers only sites with a WASH partner. |" in page


def test_partner_page_lists_its_needs_and_the_questions_serving_them() -> None:
    page = SAMPLE["partners/wash-cluster.md"]
    needs = section(page, "## Information needs")
    assert "[Main drinking water source of IDPs per location.](../needs.md#wash-water-source)" \
        in needs
    assert "(../questions/wash/wash-water-source.md)" in needs
    wfp = section(SAMPLE["partners/wfp.md"], "## Information needs")
    assert "Out of scope" in wfp and "WFP mVAM phone survey" in wfp


def test_question_page_shows_needs_served_and_who_verified_it() -> None:
    page = SAMPLE["questions/wash/wash-water-source.md"]
    assert "**Needs it serves:** [Main drinking water source" in page
    agreement = section(page, "## Agreement")
    assert "verified on 2026-" in agreement
    for label in ("Subject-matter expert", "Context expert", "Information management (IMO)"):
        assert f"| {label} |" in agreement


def test_planned_history_entry_is_marked() -> None:
    page = SAMPLE["questions/nutrition/nutrition-bms-distribution.md"]
    assert "| 7 (planned) | Proposed by the Nutrition Cluster for round 7" in page


def test_use_review_lists_questions_nobody_used_with_the_comparability_warning() -> None:
    page = SAMPLE["use-review.md"]
    assert '!!! warning "Dropping or rewording a question breaks comparability"' in page
    unused = section(page, "### Nobody reported using")
    agreed = [line for line in unused.splitlines() if "| Agreed |" in line]
    assert len(agreed) == 2
    assert "aap-other-languages" in agreed[0] and "shelter-nfi-last-distribution-date" in agreed[1]
    assert "Confidential questions are reviewed in the internal build only." in page


def test_use_review_leaves_out_confidential_questions_in_public(
        small: tuple[dict[str, str], dict[str, str]]) -> None:
    public, internal = small
    assert "SECRET" not in public["use-review.md"] and "SECRET" not in public["needs.md"]
    review = public["use-review.md"]
    assert "Confidential questions are reviewed in the internal build only." in review
    assert "SECRET-USEREVIEW" in internal["use-review.md"]
    assert "SECRET-NEED" in internal["needs.md"]
    # protection-uasc: reviewed, not used by its only reviewer.
    assert "Case management partners had their own lists." in public["use-review.md"]


def test_engagement_dashboard_shows_who_is_late_and_the_change_log() -> None:
    page = SAMPLE["engagement.md"]
    assert "as of 2026-11-25" in page
    late = section(page, '!!! warning "Late replies"').split("\n\n")[1]
    assert "NCDR (due 2026-10-30)" in late and "Nutrition" not in late
    rows = {line.split("](")[0].strip("| ["): line for line in page.splitlines()
            if line.startswith("| [")}
    assert "| **Late: reply due 26 days ago** (engaged) |" in rows["NCDR"]
    assert "Replied 8 days late" in rows["Nutrition Cluster"]
    assert "| Waiting for the reply (approached) |" in rows["Mardel Women's Forum"]
    log = section(page, "### Change log")
    assert "**Public dataset and round 6 report published**: 2026-12-07 → 2026-12-14, " \
           "notified to partners on 2026-11-20." in log


def test_datasets_page_shows_agreement_status() -> None:
    page = SAMPLE["datasets.md"]
    assert "**Agreement:** Signed on 2026-10-09" in page


def test_dap_export_holds_needs_served_and_verification() -> None:
    csv = SAMPLE["dap/data-analysis-plan.csv"]
    text = csv.decode("utf-8-sig") if isinstance(csv, bytes) else csv
    header = text.splitlines()[0]
    assert header.endswith(",Needs served,Verified")
    row = next(line for line in text.splitlines() if line.startswith("wash-water-source,"))
    assert "Main drinking water source of IDPs per location." in row
    assert "(Subject-matter expert)" in row and "(Information management (IMO))" in row


def test_feedback_log_per_round_and_on_question_and_dataset_pages() -> None:
    page = SAMPLE["feedback.md"]
    assert page.index("## Round 6") < page.index("## Round 5")
    assert "**What changed.** Round 6 datasets have a collection mode column" in page
    question = section(SAMPLE["questions/health/health-main-illnesses.md"], "## Feedback")
    assert "(../../feedback.md#r5-health-main-illnesses)" in question and "done" in question
    datasets = SAMPLE["datasets.md"]
    assert "(feedback.md#r6-sites-dataset-timing)" in datasets


def test_feedback_about_a_confidential_question_stays_internal(
        small: tuple[dict[str, str], dict[str, str]]) -> None:
    public, internal = small
    assert "SECRET" not in public["feedback.md"] and "r2-incidents" not in public["feedback.md"]
    assert "SECRET-FEEDBACK" in internal["feedback.md"]
    assert "Add an option for water trucking." in public["questions/wash/wash-water-source.md"]
    assert "(feedback.md#r2-dataset)" in public["datasets.md"]
    assert "gbv-unsafe-areas" not in SAMPLE["feedback.md"]


def test_products_page_shows_checklist_compliance() -> None:
    page = SAMPLE["products.md"]
    assert "| [Veloria MSLA round 5 report](#msla-r5-report) | Report | Published 2026-08-12 " \
           "| 13 of 13 | 0 |" in page
    assert "| 10 of 12 | **2** |" in page
    assert "| Limitations of the data | **Missing** | The note on phone-only districts" in page
    assert '!!! warning "Missing checklist items"' in page


def test_product_of_a_confidential_dataset_stays_internal(
        small: tuple[dict[str, str], dict[str, str]]) -> None:
    public, internal = small
    assert "SECRET" not in public["products.md"] and "r2-incidents" not in public["products.md"]
    assert "SECRET-PRODUCT" in internal["products.md"]
    assert "| Disclaimer | Not applicable | The report has no maps. |" in public["products.md"]
