"""With the real thresholds, listings of every question are split per sector at large scale
(600 questions here; issue #13: a one-question edit under `mkdocs serve` then converts only
pages of about one sector again), while the sample kb keeps its whole pages. Rendered, not built:
the browser and strict-build checks of each split run on the small kb with lowered
thresholds (test_pages_scale.py, test_pages_ux.py, test_edit_loop.py)."""

from __future__ import annotations

import posixpath
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from support import ROOT

import generator.pages as pages_module
from generator.loader import load_or_raise
from generator.pages import Options, render_site

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic_kb import write_synthetic_kb  # noqa: E402

LINK = re.compile(r"\]\(([^)\s#]+\.md)(?:#[^)]*)?\)")
SPLIT_FAMILIES = ("dap/sector/", "dap/print/", "questionnaire/section/", "partners/dtm/",
                  "workshop/", "tags/")


def markdown(kb_path: Path) -> dict[str, str]:
    kb = load_or_raise(kb_path)
    return {p.path: p.content for p in render_site(kb, Options(mockups=False))
            if isinstance(p.content, str)}


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], object]:
    path = write_synthetic_kb(tmp_path_factory.mktemp("large") / "kb", 600)
    return markdown(path), load_or_raise(path).public_view()


def question_ids(path: str, text: str) -> list[str]:
    """The questions a page links, as <sector>/<id> (a restricted question's id, its
    handle, is unique within its sector only)."""
    out = []
    for target in LINK.findall(text):
        parts = posixpath.normpath(posixpath.join(posixpath.dirname(path), target)).split("/")
        if len(parts) == 3 and parts[0] == "questions" and parts[2] != "index.md":
            out.append(f"{parts[1]}/{parts[2].removesuffix('.md')}")
    return out


def test_the_sample_keeps_its_whole_pages() -> None:
    pages = markdown(ROOT / "kb")
    assert not [p for p in pages if p.startswith(SPLIT_FAMILIES) and p != "workshop/"
                and not p.startswith("dap/print/")]  # the DAP prints per sector at any size
    for path in ("questions/by-status.md", "questions/by-partner.md", "partners/dtm.md",
                 "questionnaire/index.md", "questionnaire/print.md", "dap/index.md"):
        assert "too many" not in pages[path], path
    assert "dap/print.md" in pages


def test_a_large_kb_is_split_into_pages_of_about_one_sector(large) -> None:
    pages, kb = large
    # A review sheet's part may hold a little more than a sector (WORKSHOP_PART_MAX).
    per_sector = max(*Counter(q.sector for q in kb.questions.values()).values(),
                     pages_module.WORKSHOP_PART_MAX)
    for family in SPLIT_FAMILIES:
        assert any(p.startswith(family) for p in pages), family
    for path in ("questions/by-status.md", "questions/by-partner.md", "partners/dtm.md",
                 "questionnaire/index.md", "questionnaire/print.md", "dap/index.md",
                 "workshop.md"):
        assert len(set(question_ids(path, pages[path]))) == 0, path  # tables of the parts only
    for path, text in pages.items():
        if path.startswith("questions/") and not path.endswith("index.md"):
            continue  # a question page links the questions around it
        if path in ("needs.md", "use-review.md"):
            continue  # the synthetic questions serve no need and have no review
        assert len(set(question_ids(path, text))) <= per_sector, path
    # Every listed question once across the DAP's sector pages, every numbered one once
    # across the questionnaire's sections, each of DTM's once across its sector pages.
    def listed(prefix: str, suffix: str = ".md") -> Counter[str]:
        return Counter(i for p, t in pages.items() if p.startswith(prefix) and
                       p.endswith(suffix) for i in dict.fromkeys(question_ids(p, t)))

    dap = listed("dap/sector/")
    assert set(dap.values()) == {1}
    assert set(dap) == {f"{q.sector}/{q.id}" for q in kb.questions.values()
                        if q.status in ("agreed", "proposed")}
    form = listed("questionnaire/section/", "/index.md")
    assert set(form.values()) == {1}
    assert set(form) == {f"{q.sector}/{q.id}" for q in kb.questions.values()
                         if q.status == "agreed" and not q.is_confidential
                         and (q.since_round or 0) <= kb.country.round.number}
    assert Counter(listed("questionnaire/section/", "/print.md")) == form
    dtm = listed("partners/dtm/sectors/")
    assert set(dtm.values()) == {1}
    assert set(dtm) == {f"{q.sector}/{q.id}" for q in kb.questions.values()
                        if "dtm" in (*q.requested_by, *q.analysis.analysed_by)}


def test_the_questionnaire_sections_lead_from_one_to_the_next(large) -> None:
    pages, _kb = large
    sections = [p for p in pages if p.startswith("questionnaire/section/")
                and p.endswith("/index.md")]
    order = re.findall(r"\]\(section/([^/]+)/index\.md\)", pages["questionnaire/index.md"])
    assert sorted(f"questionnaire/section/{s}/index.md" for s in order) == sorted(sections)
    for i, sid in enumerate(order):
        text = pages[f"questionnaire/section/{sid}/index.md"]
        links = re.findall(r"\[(Previous|Next) section: [^]]+\]\(\.\./([^/]+)/index\.md\)", text)
        expected = ([("Previous", order[i - 1])] if i else []) + (
            [("Next", order[i + 1])] if i + 1 < len(order) else [])
        assert links == expected * 2, sid  # at the top and at the bottom


def test_the_split_pages_link_pages_that_exist(large) -> None:
    pages, _kb = large
    docs = {p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md")}
    broken = []
    for path, text in pages.items():
        if not path.startswith(SPLIT_FAMILIES) and path not in (
                "dap/index.md", "questionnaire/index.md", "questionnaire/print.md",
                "partners/dtm.md", "workshop.md"):
            continue
        for target in LINK.findall(text):
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
            if resolved not in pages and resolved not in docs:
                broken.append((path, target))
    assert broken == []
