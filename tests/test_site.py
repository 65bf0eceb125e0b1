"""Full builds of the sample site and of the small fixture kb (public and internal)."""

from __future__ import annotations

import gzip
import html
import io
import json
import logging
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from mkdocs.exceptions import Abort, PluginError
from support import ROOT, SAMPLE_KB, SMALL_KB, copy_project

from generator.build import build_site
from generator.loader import load_or_raise

SAMPLE = load_or_raise(SAMPLE_KB)


def test_sample_kb_is_big_enough() -> None:
    assert len(SAMPLE.questions) >= 60
    assert len({q.sector for q in SAMPLE.questions.values()}) >= 10
    assert len(SAMPLE.partners) >= 15
    modalities = {d.sharing.modality for d in SAMPLE.datasets.values()}
    assert modalities == {"public", "confidential", "urgent-action"}


def test_every_question_has_a_page(sample_site: Path) -> None:
    public = SAMPLE.public_view()
    for q in public.questions.values():
        page = sample_site / "questions" / q.sector / q.id / "index.html"
        assert page.is_file(), page
        text = page.read_text(encoding="utf-8")
        if not q.is_confidential:
            assert html.escape(q.text, quote=False) in text, q.id
            assert "MOCK-UP: illustrative false data" in text, q.id
            assert 'class="ctk-mockup' in text, q.id
        assert "<!-- ctk-mockup:" not in text, f"{q.id}: chart marker left unfilled"


def test_question_pages_are_not_in_every_page_nav(sample_site: Path) -> None:
    """At 1,000 questions a nav listing them all makes every page huge: keep them out."""
    home = (sample_site / "index.html").read_text(encoding="utf-8")
    checklist = (sample_site / "checklist" / "index.html").read_text(encoding="utf-8")
    for q in SAMPLE.questions.values():
        assert f"questions/{q.sector}/{q.id}/" not in checklist
        assert f"questions/{q.sector}/{q.id}/" not in home
    sector = next(iter(SAMPLE.sectors))
    index = (sample_site / "questions" / sector / "index.html").read_text(encoding="utf-8")
    for q in SAMPLE.public_view().questions_in(sector):  # confidential: under their handle
        assert f'href="{q.id}/"' in index


def test_dap_rows_are_the_agreed_questions(sample_site: Path) -> None:
    # confidential questions under their handles (restricted-1 in several sectors)
    agreed = [q.id for q in SAMPLE.public_view().agreed()]
    csv = pd.read_csv(sample_site / "dap" / "data-analysis-plan.csv", encoding="utf-8-sig")
    assert sorted(csv["ID"]) == sorted(agreed)
    xlsx = pd.read_excel(sample_site / "dap" / "data-analysis-plan.xlsx",
                         sheet_name="Data Analysis Plan")
    assert sorted(xlsx["ID"]) == sorted(agreed)
    public = csv[~csv["ID"].str.startswith("restricted-")]
    assert public["Mock-up sentence"].str.startswith("MOCK-UP: illustrative false data").all()
    # The page lists the agreed questions and, marked as such, the proposals: one entry each.
    page = (sample_site / "dap" / "index.html").read_text(encoding="utf-8")
    entries = re.findall(r'<div class="ctk-dap-q" [^>]*data-status="([a-z]+)"', page)
    proposed = [q for q in SAMPLE.questions.values() if q.status == "proposed"]
    assert sorted(entries) == sorted(["agreed"] * len(agreed) + ["proposed"] * len(proposed))
    assert page.count("Proposal, not agreed</span>") == len(proposed)


def test_search_index_holds_question_pages(sample_site: Path) -> None:
    index = json.loads((sample_site / "search" / "search_index.json").read_text())
    locations = {d["location"].split("#")[0] for d in index["docs"]}
    q = next(q for q in SAMPLE.questions.values() if not q.is_confidential)
    assert f"questions/{q.sector}/{q.id}/" in locations


def test_sector_is_a_tag_partner_names_are_not(sample_site: Path) -> None:
    """A search hit shows the question's sector; partner names no longer repeat on each."""
    q = next(q for q in SAMPLE.questions.values()
             if not q.is_confidential and q.status == "agreed")
    page = (sample_site / "questions" / q.sector / q.id / "index.html").read_text()
    chips = page.split('class="md-tags"')[1].split("</nav>")[0]
    assert re.findall(r'class="md-tag[ "][^>]*>([^<]*)<', chips) == [
        html.escape(SAMPLE.sectors[q.sector].name)]
    tags = (sample_site / "tags" / "index.html").read_text()
    for sector in SAMPLE.sectors.values():
        if SAMPLE.questions_in(sector.id):
            assert html.escape(sector.name) in tags
    assert html.escape(SAMPLE.partners[q.requested_by[0]].name) not in tags
    partner = (sample_site / "partners" / q.requested_by[0] / "index.html").read_text()
    assert 'class="md-tags"' not in partner


def test_search_index_leaves_out_edit_links_and_shows_proposals(sample_site: Path) -> None:
    index = json.loads((sample_site / "search" / "search_index.json").read_text())
    assert not [d["location"] for d in index["docs"] if "Edit this record" in d["text"]]
    # The tags index repeats every question title: a search lands on the question instead.
    assert not [d["location"] for d in index["docs"] if d["location"].startswith("tags/")]
    for q in SAMPLE.questions.values():
        if q.status != "proposed" or q.is_confidential:
            continue
        page = next(d for d in index["docs"] if d["location"] == f"questions/{q.sector}/{q.id}/")
        # The banner opens the page's text; the tag shows on every search hit for the page.
        assert page["text"].startswith("<p>Proposal, not agreed</p>"), page["text"][:80]
        assert "Proposal, not agreed" in page["tags"]


def all_text(site: Path) -> str:
    """Every byte a reader could get from the site, decompressed where needed."""
    parts = []
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                data = b"".join(z.read(n) for n in z.namelist())
        parts.append(html.unescape(data.decode("utf-8", errors="replace")))
    return "\n".join(parts)


def test_no_confidential_text_in_public_build(small_public_site: Path) -> None:
    everything = all_text(small_public_site)
    assert "SECRET" not in everything
    # the question still exists and says who to ask
    page = small_public_site / "questions/protection/restricted-1/index.html"
    # (e-mail addresses are entity-encoded against harvesting)
    assert "protection-imo@example.org" in html.unescape(page.read_text())


def test_internal_build_shows_confidential_fields(tmp_path: Path) -> None:
    build_site(SMALL_KB, tmp_path / "site", project=ROOT, internal=True)
    page = (tmp_path / "site/questions/protection/protection-incidents/index.html").read_text()
    for marker in ("SECRET-WORDING", "SECRET-PURPOSE", "SECRET-USE", "SECRET-OPTION",
                   "SECRET-CRITERIA", "SECRET-NOTES"):
        assert marker in page


def test_build_refuses_invalid_kb_with_the_report(
    small_kb: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    q = small_kb / "questions/wash/wash-water-source.yml"
    q.write_text(q.read_text().replace("status: agreed", "status: approved"))
    caplog.set_level(logging.ERROR)
    with pytest.raises((PluginError, Abort)):
        build_site(small_kb, tmp_path / "site", project=ROOT)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "questions/wash/wash-water-source.yml:" in logged
    assert "status: 'approved' is not allowed here" in logged


def test_internal_banner_only_in_internal_builds(small_public_site: Path, tmp_path: Path) -> None:
    public = (small_public_site / "index.html").read_text()
    assert "Internal build" not in public
    build_site(SMALL_KB, tmp_path / "site", project=ROOT, internal=True)
    internal = (tmp_path / "site" / "index.html").read_text()
    assert "Internal build: it includes confidential content" in internal


def test_a_docs_page_that_clashes_with_a_generated_one_is_refused(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    project = copy_project(tmp_path / "project", SMALL_KB)
    (project / "docs" / "checklist.md").write_text("# My own checklist\n")
    caplog.set_level(logging.ERROR)
    with pytest.raises((PluginError, Abort)):
        build_site(project / "kb", tmp_path / "site", project=project)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "docs/checklist.md clashes with a page generated from the kb: rename it" in logged
    assert not (tmp_path / "site").exists()


def test_search_indexes_what_people_search_for_once(sample_site: Path) -> None:
    """A question is found on its own page by its text, options, need, purpose, use, sector
    and partners; listings (sectors, partners) do not repeat it, and the page's mock-up,
    analysis and criteria stay out of the index."""
    index = json.loads((sample_site / "search" / "search_index.json").read_text())
    docs = index["docs"]
    questions = [q for q in SAMPLE.questions.values() if not q.is_confidential]
    for q in questions:
        where = f"questions/{q.sector}/{q.id}/"
        own = [d for d in docs if d["location"].split("#")[0] == where]
        text = html.unescape(" ".join(d["title"] + " " + d["text"] for d in own))
        for wanted in (q.text, q.information_need, q.purpose, q.use,
                       SAMPLE.sectors[q.sector].name,
                       *(o.label for o in q.options),
                       *(SAMPLE.partners[p].label for p in q.requested_by)):
            assert " ".join(wanted.split()) in " ".join(text.split()), (q.id, wanted)
        assert " ".join(q.criteria.not_available_elsewhere.split()) not in text, q.id
        # Another question's page may name it (skip logic: "asked if ..."); the question
        # listings (sector pages, a partner's questions, by partner/status, the plan) not.
        elsewhere = [d["location"] for d in docs if q.text in d["text"] and (
            (d["location"].startswith("questions/")
             and d["location"].split("#")[0].count("/") < 3)
            or d["location"].startswith(("dap/", "tags/"))
            or (d["location"].startswith("partners/") and "#questions" in d["location"]))]
        assert elsewhere == [], (q.id, elsewhere)
    on_questions = sum(len(json.dumps(d, separators=(",", ":"))) for d in docs
                       if d["location"].count("/") == 3 and d["location"].startswith("questions/"))
    # The budget is 1.2 KB a question at 1,000 questions (benchmarks/build.py measures it);
    # the sample's questions are much longer than most (skip logic, needs, long options),
    # and with every section indexed they took over 5 KB each.
    assert on_questions / len(SAMPLE.questions) < 2500
