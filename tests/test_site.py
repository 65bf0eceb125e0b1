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
    page = (sample_site / "dap" / "index.html").read_text(encoding="utf-8")
    assert len(re.findall(r"<tr>", page.split("Questions and analysis")[-1])) == len(agreed) + 1


def test_search_index_holds_question_pages(sample_site: Path) -> None:
    index = json.loads((sample_site / "search" / "search_index.json").read_text())
    locations = {d["location"].split("#")[0] for d in index["docs"]}
    q = next(q for q in SAMPLE.questions.values() if not q.is_confidential)
    assert f"questions/{q.sector}/{q.id}/" in locations


def test_tags_for_sector_and_partner(sample_site: Path) -> None:
    q = next(q for q in SAMPLE.questions.values() if not q.is_confidential)
    page = (sample_site / "questions" / q.sector / q.id / "index.html").read_text()
    assert html.escape(SAMPLE.sectors[q.sector].name) in page.split('class="md-tags"')[1][:4000]
    tags = (sample_site / "tags" / "index.html").read_text()
    assert html.escape(SAMPLE.partners[q.requested_by[0]].name) in tags


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
