"""`toolkit workshop` and the site's workshop page (issue #11, joint workshop a-e)."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from support import ROOT, SAMPLE_KB, SMALL_KB, add_process_records

from generator.cli import main
from generator.loader import load_or_raise
from generator.pages import Options, render_site


def test_workshop_pack_has_the_five_parts_and_a_sheet_per_partner(tmp_path: Path) -> None:
    out = tmp_path / "pack.html"
    result = CliRunner().invoke(main, ["workshop", str(SAMPLE_KB), "--out", str(out),
                                       "--project", str(ROOT)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    for part in ("a. The structured approach", "b. Roles of DTM and partners",
                 "c. The agreed analysis plan", "d. Steps done and to come",
                 "e. Feedback"):
        assert part in html
    assert 'id="sheet-wash-cluster"' in html and "Review sheet: Water, Sanitation" in html
    assert html.count("Review sheet:") >= 15
    assert "MOCK-UP: illustrative false data" in html and "ctk-chart" in html
    assert "within four weeks of the report" in html  # the agreed feedback modalities
    assert 'href="partners/' not in html  # site links are plain text in a file of its own
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org", "")
    kb = load_or_raise(SAMPLE_KB)
    assert not [q.id for q in kb.questions.values() if q.is_confidential and q.id in html]


def test_workshop_leaves_out_confidential_questions(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(SMALL_KB, kb)
    add_process_records(kb)
    out = tmp_path / "pack.html"
    result = CliRunner().invoke(main, ["workshop", str(kb), "--out", str(out),
                                       "--project", str(ROOT)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "SECRET" not in html and "protection-incidents" not in html
    assert "Are there unaccompanied or separated children" in html


def test_workshop_refuses_an_invalid_kb_and_writes_nothing(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(SMALL_KB, kb)
    (kb / "questions/wash/wash-water-source.yml").write_text("id: [\n")
    out = tmp_path / "pack.html"
    result = CliRunner().invoke(main, ["workshop", str(kb), "--out", str(out)])
    assert result.exit_code == 1 and "wash-water-source.yml" in result.output
    assert not out.exists() and list(tmp_path.glob(".pack*")) == []


def test_site_has_the_workshop_page_out_of_search() -> None:
    pages = {p.path: p.content for p in render_site(load_or_raise(SAMPLE_KB),
                                                    Options(mockups=False))}
    page = pages["workshop.md"]
    assert "search:\n  exclude: true" in page
    assert "## Review sheet: Health Cluster { #sheet-health-cluster }" in page


def test_large_workshop_pack_puts_each_review_sheet_on_pages_of_its_own(monkeypatch) -> None:
    """Beyond WORKSHOP_WHOLE_MAX questions the pack links one page per review sheet, a long
    sheet in parts of WORKSHOP_PART_MAX (the one page was 6.7 MB at 1,000 questions); every
    question of every sheet is on exactly one part, and `toolkit workshop` keeps the file
    whole."""
    import generator.pages as pages_module
    from generator.process_pages import workshop_context

    kb = load_or_raise(SAMPLE_KB)
    sheets = workshop_context(kb.public_view())["sheets"]
    longest = max(len(qs) for _, qs in sheets)
    assert longest > 2
    monkeypatch.setattr(pages_module, "WORKSHOP_WHOLE_MAX", 1)
    monkeypatch.setattr(pages_module, "WORKSHOP_PART_MAX", 2)
    pages = {p.path: p.content for p in render_site(kb, Options(mockups=False))}
    pack = pages["workshop.md"]
    assert isinstance(pack, str)
    assert "## Review sheets" in pack and "Review sheet:" not in pack.split("## Review sheets")[1]
    assert "## a. The structured approach" in pack and "## e. Feedback" in pack
    for p, qs in sheets:
        n_parts = -(-len(qs) // 2)
        paths = [f"workshop/{p.id}.md"] + [f"workshop/{p.id}/{n}.md" for n in range(2, n_parts + 1)]
        assert all(f"]({path})" in pack for path in paths)
        assert not [x for x in pages if x.startswith(f"workshop/{p.id}/")
                    and x not in paths]
        listed = []
        for n, path in enumerate(paths, start=1):
            text = pages[path]
            assert isinstance(text, str) and "search:\n  exclude: true" in text
            assert f"Reviewed for {p.label}" in text  # each part is signed off
            if n_parts > 1:
                assert f"part {n} of {n_parts}" in text
            listed += [q.id for q in qs if f"`{q.id}`" in text]
        assert listed == [q.id for q in qs]
    result_kb = load_or_raise(SAMPLE_KB)
    from generator.workshop import workshop_html

    html = workshop_html(result_kb)  # the file keeps every sheet whatever the size
    assert html.count("Review sheet:") == len(sheets)
