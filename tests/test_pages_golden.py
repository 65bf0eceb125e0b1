"""Golden tests: the Markdown generated from the small fixture kb, page by page.

Run with UPDATE_GOLDEN=1 to rewrite the golden files after an intended change, then review
the diff like any other code change.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from support import SMALL_KB

from generator.loader import load_or_raise
from generator.pages import Options, render_site

GOLDEN = Path(__file__).parent / "golden" / "pages"
# A fixed "today" for the engagement dashboard (who is late).
OPTIONS = Options(edit_url="https://github.com/example/toolkit/edit/main/",
                  today=dt.date(2026, 11, 25))


def rendered() -> dict[str, str | bytes]:
    kb = load_or_raise(SMALL_KB)
    return {p.path: p.content for p in render_site(kb, OPTIONS)}


PAGES = rendered()
TEXT_PAGES = sorted(p for p, c in PAGES.items() if isinstance(c, str) or p.endswith(".csv"))


@pytest.mark.parametrize("path", TEXT_PAGES)
def test_page_matches_golden(path: str) -> None:
    content = PAGES[path]
    text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
    golden = GOLDEN / path
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no golden file for {path}: run with UPDATE_GOLDEN=1"
    assert text == golden.read_text(encoding="utf-8")


def test_no_stale_golden_files() -> None:
    on_disk = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file()}
    assert on_disk == set(TEXT_PAGES)


def test_question_page_shows_purpose_use_and_mockup() -> None:
    page = PAGES["questions/wash/wash-water-source.md"]
    assert isinstance(page, str)
    for expected in (
        "**Purpose.** Identify locations where IDPs drink from unsafe sources.",
        "**Use.** The WASH Cluster prioritises water trucking and repairs.",
        '!!! example "MOCK-UP: illustrative false data"',
        '<figure class="ctk-mockup',
        "[Edit this record](https://github.com/example/toolkit/edit/main/"
        "kb-small/questions/wash/wash-water-source.yml)",
        "| `piped_water` | Piped water |",
        "[WASH](../../partners/wash-cluster.md)",
    ):
        assert expected in page
    # no template placeholder is left unfilled in the mock-up sentence
    sentence = page.split('!!! example "MOCK-UP: illustrative false data"')[1].split("<figure")[0]
    assert "{" not in sentence and "%" in sentence


def test_confidential_question_page_only_says_it_exists_and_who_to_ask() -> None:
    assert "questions/protection/protection-incidents.md" not in PAGES  # the id names its topic
    page = PAGES["questions/protection/restricted-1.md"]
    assert isinstance(page, str)
    assert "SECRET" not in page and "protection-incidents" not in page
    assert "# Restricted question 1 (Protection)" in page
    assert "protection-imo@example.org" in page
    assert "ctk-mockup" not in page
