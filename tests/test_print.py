"""Print layouts, printed to PDF by headless Chromium from the offline bundle.

- Every public question page fits one A4 sheet.
- dap/print.html prints the whole Data Analysis Plan: a cover sheet, then one sheet per
  agreed question.
- On paper the site's chrome is gone and the mock-up label stays.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support import SAMPLE_KB
from test_bundle import sample_bundle

from generator.loader import load_or_raise
from generator.mockup import MOCKUP_LABEL

pytestmark = pytest.mark.browser

KB = load_or_raise(SAMPLE_KB).public_view()
# Page objects of a PDF. Chromium (Skia) writes plain objects, no object streams.
PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def pdf_pages(pdf: bytes) -> int:
    assert pdf.startswith(b"%PDF-")
    return len(PAGE_OBJECT.findall(pdf))


def test_pdf_page_counter() -> None:
    pdf = (b"%PDF-1.4\n1 0 obj <</Type /Pages /Kids [2 0 R 3 0 R] /Count 2>> endobj\n"
           b"2 0 obj <</Type /Page /Parent 1 0 R>> endobj\n"
           b"3 0 obj <</Type/Page/Parent 1 0 R>> endobj\n")
    assert pdf_pages(pdf) == 2


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample_bundle(tmp_path_factory.getbasetemp())[1]


@pytest.fixture(scope="module")
def page(browser):
    p = browser.new_page()
    yield p
    p.close()


def test_every_question_page_prints_on_one_a4_sheet(site: Path, page) -> None:
    too_long = {}
    for q in KB.questions.values():
        page.goto((site / "questions" / q.sector / f"{q.id}.html").as_uri())
        n = pdf_pages(page.pdf(format="A4", print_background=True))
        if n != 1:
            too_long[q.id] = n
    assert too_long == {}, "question pages that print on more than one A4 sheet"


def test_dap_print_page_has_one_sheet_per_agreed_question(site: Path, page) -> None:
    page.goto((site / "dap" / "print.html").as_uri())
    n = pdf_pages(page.pdf(format="A4", print_background=True))
    assert n == 1 + len(KB.agreed())  # the cover sheet, then each question on its own


AGREED = next(q for q in KB.agreed() if not q.is_confidential)


@pytest.mark.parametrize("path", ["dap/print.html", f"questions/{AGREED.sector}/{AGREED.id}.html"])
def test_on_paper_only_content_and_the_mockup_label(site: Path, page, path: str) -> None:
    page.emulate_media(media="print")
    try:
        page.goto((site / path).as_uri())
        for chrome in (".md-header", ".md-sidebar--primary", ".md-search", ".md-footer",
                       "a.md-button"):
            assert not page.locator(chrome).first.is_visible(), chrome
        label = page.locator(".ctk-mockup .ctk-mockup-label").first
        assert label.is_visible() and label.inner_text() == MOCKUP_LABEL
        assert page.locator(".admonition-title", has_text=MOCKUP_LABEL).first.is_visible()
        assert page.locator("figure.ctk-mockup").first.is_visible()
    finally:
        page.emulate_media(media="screen")
