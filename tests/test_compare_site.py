"""The comparison across countries as a page of the site (plugin option compare_with): the
same Comparison as `toolkit compare`, in the nav and the search, revealing nothing of a
confidential question, with every record text inert."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from support import ROOT, SAMPLE_KB, copy_project
from test_library_safety import SECRETS
from test_safety_confidential import all_text
from test_safety_fields import parse

from generator.build import build_site
from generator.cli import main
from generator.errors import ToolkitError
from generator.library.compare import compare_kbs, compare_with
from generator.loader import load_or_raise
from generator.pages import Options, SiteRenderer

CASMARIA = ROOT / "examples" / "casmaria" / "kb"
# Library questions that only confidential country questions adopt in the two samples.
CONFIDENTIAL_ADOPTIONS = ("gbv-unsafe-areas", "hlp-land-disputes",
                          "protection-movement-restrictions", "protection-social-tensions")


def comparison_page(kb_path: Path, *others: Path, language: str | None = None) -> str:
    kb = load_or_raise(kb_path)
    options = Options(mockups=False, comparison=compare_with(kb, others), language=language)
    pages = {p.path: p.content for p in SiteRenderer(kb, options).pages()}
    return str(pages["comparison.md"])


def row(page: str, first_cell: str) -> list[str]:
    line = next(x for x in page.splitlines() if x.startswith(f"| {first_cell} |"))
    return [c.strip() for c in line.strip("|").split("|")][1:]


@pytest.fixture(scope="module")
def sample_page() -> str:
    return comparison_page(SAMPLE_KB, CASMARIA)


def test_page_holds_the_matrix_of_toolkit_compare(sample_page: str) -> None:
    kb, other = load_or_raise(SAMPLE_KB), load_or_raise(CASMARIA)
    c = compare_kbs([kb, other])
    assert c.countries == ["Republic of Veloria", "Republic of Casmaria"]
    assert f"| Sector | {c.countries[0]} | {c.countries[1]} |" in sample_page
    shown = 0
    for sid, name in c.sectors.items():
        cells = [c.cells.get((sid, country)) for country in c.countries]
        if not any(cells):
            assert f"| {name} |" not in sample_page
            continue
        for text, cell in zip(row(sample_page, name), cells, strict=True):
            if cell is None:
                assert text == "–"
                continue
            expected = f"{cell.asked} asked, {cell.deviations} deviating, {cell.country_only} own"
            assert text == expected + (f", {cell.restricted} restricted"
                                       if cell.restricted else ""), (name, text)
            shown += 1
    assert shown >= 20
    # Each library question: its state in each country, as compare_kbs says.
    for lid, by in c.questions.items():
        cells = row(sample_page, f"`{lid}` {c.question_text[lid]}")
        # Under its sector's heading.
        heading = sample_page.index(f"\n### {c.sectors[c.question_sector[lid]]}\n")
        before = sample_page[:sample_page.index(f"| `{lid}` ")]
        assert before.rindex("\n### ") == heading, lid
        for country, text in zip(c.countries, cells, strict=True):
            state = by.get(country)
            assert text == {None: "–", "as-is": "● asked as the library words it",
                            "contextualised": "◐ contextualised, comparable",
                            "deviation": "▲ deviation: not comparable"}[state], (lid, text)
    # Casmaria rewords its school question: a deviation there, comparable in Veloria.
    assert row(sample_page, "`education-school-functioning` " + c.question_text[
        "education-school-functioning"])[1] == "▲ deviation: not comparable"
    everywhere = len(c.comparable_everywhere())
    assert f"Library questions asked comparably in every country: **{everywhere}**" in sample_page
    # The CLI prints the same matrix.
    out = CliRunner().invoke(main, ["compare", str(SAMPLE_KB), str(CASMARIA)]).output
    assert f"Library questions every country asks comparably: {everywhere}" in out


def test_sample_site_has_the_page_in_the_nav_and_the_search(sample_site: Path) -> None:
    page = (sample_site / "comparison" / "index.html").read_text(encoding="utf-8")
    assert "<h1 id=\"comparison-across-countries\">Comparison across countries" in page
    assert "Republic of Casmaria" in page and "<table>" in page
    home = (sample_site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="comparison/"[^>]*>\s*(<span[^>]*>)?\s*Across countries', home)
    docs = json.loads((sample_site / "search" / "search_index.json").read_text())["docs"]
    hits = [d for d in docs if d["location"].startswith("comparison/")]
    assert hits and any("Republic of Casmaria" in d["text"] for d in hits)


def test_confidential_adoptions_reveal_nothing(sample_page: str) -> None:
    kb = load_or_raise(SAMPLE_KB)
    assert kb.library is not None
    for lid in CONFIDENTIAL_ADOPTIONS:
        assert lid not in sample_page, lid
        assert kb.library.questions[lid].text not in sample_page, lid
    for secret in SECRETS:
        assert secret not in sample_page, secret
    # They count as restricted in their sector only (Protection: 2 in Veloria, 1 in Casmaria).
    assert row(sample_page, "Protection")[0].endswith(", 2 restricted")
    assert row(sample_page, "Protection")[1].endswith(", 1 restricted")


def _marked_project(tmp: Path, modality: str) -> Path:
    """The sample project with markers in the fields of a confidential adopted question."""
    project = copy_project(tmp, SAMPLE_KB)
    path = project / "kb" / "questions" / "gbv" / "gbv-unsafe-areas.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("Safety audits have been done in 12 sites only.", "zzmarkcriterion")
    text = text.replace("MSLA confidential data sharing agreement", "zzmarkagreement")
    assert "\noverrides:\n" in text
    text = text.replace("\noverrides:\n", "\noverrides:\n  mockup.title:\n    value: zzmarktitle\n"
                        "    reason: zzmarkreason2\n  information_need:\n    value: zzmarkneed\n"
                        "    reason: zzmarkreason3\n")
    if modality == "public":
        text = re.sub(r"(?ms)^sharing:\n.*?(?=^criteria:)", "sharing:\n  modality: public\n",
                      text)
    path.write_text(text, encoding="utf-8")
    return project


def test_markers_of_a_confidential_adoption_stay_out_of_the_built_page(
        tmp_path: Path) -> None:
    project = _marked_project(tmp_path / "p", "confidential")
    build_site(project / "kb", tmp_path / "site", project=project, mockups=False, cache=False)
    page = all_text(tmp_path / "site" / "comparison")
    assert "republic of casmaria" in page  # the page is there, and read
    assert "zzmark" not in page and "gbv-unsafe-areas" not in page
    search = (tmp_path / "site" / "search" / "search_index.json").read_text(encoding="utf-8")
    comparison = [d for d in json.loads(search)["docs"] if d["location"].startswith("comparison/")]
    assert comparison and "gbv-unsafe-areas" not in json.dumps(comparison)
    # Made public, the same question is compared: the check above can fail.
    public = comparison_page(_marked_project(tmp_path / "q", "public") / "kb", CASMARIA)
    assert "`gbv-unsafe-areas`" in public and "◐ contextualised, comparable" in public


HOSTILE = "<script>alert('pwned-{}')</script><img src=x onerror=alert('pwned-{}')>"


def _rewrite(path: Path, change) -> None:  # noqa: ANN001 - a callable on the record
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def test_record_text_on_the_page_is_inert(tmp_path: Path) -> None:
    """Country and sector names and library question texts are record text: escaped."""
    project = copy_project(tmp_path / "p", SAMPLE_KB)
    _rewrite(project / "examples" / "casmaria" / "kb" / "country.yml",
             lambda d: d.update(name=HOSTILE.format("c", "c2")))
    _rewrite(project / "library" / "questions" / "wash" / "wash-water-source.yml",
             lambda d: d.update(text=HOSTILE.format("t", "t2") + " | [x](javascript:alert(1))"))

    def sector(d: dict) -> None:
        for s in d["sectors"]:
            if s["id"] == "wash":
                s["name"] = "WASH " + HOSTILE.format("s", "s2")

    _rewrite(project / "kb" / "sectors.yml", sector)  # the page names sectors as the kb does
    build_site(project / "kb", tmp_path / "site", project=project, mockups=False, cache=False)
    html = (tmp_path / "site" / "comparison" / "index.html").read_text(encoding="utf-8")
    for tag in ("pwned-c", "pwned-t", "pwned-s"):
        assert tag in html, tag  # the values reached the page
    assert parse(html).found == []
    assert 'href="javascript' not in html  # no link made of it
    # The pipe in the text broke no table: the sector matrix, then one table per sector.
    assert html.count("<table>") == 1 + html.count("<h3 ") > 5


def test_a_compared_kb_with_errors_is_refused_with_its_report(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    shutil.copytree(ROOT / "library", tmp_path / "library")
    other = tmp_path / "examples" / "casmaria" / "kb"
    broken = other / "questions" / "health" / "health-main-illnesses.yml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("sector: health",
                                                                 "sector: helth"))
    with pytest.raises(ToolkitError) as err:
        compare_with(load_or_raise(SAMPLE_KB), [other])
    message = str(err.value)
    assert message.startswith(f"compare_with: the kb {other} has ")
    assert "kb/questions/health/health-main-illnesses.yml:" in message
    assert "toolkit validate" in message


def test_page_in_another_site_language() -> None:
    page = comparison_page(SAMPLE_KB, CASMARIA, language="fr")
    assert "# Comparaison entre pays" in page and "Par secteur" in page
    assert "◐ contextualisée, comparable" in page
    # Sector names as this country's kb words them in French.
    kb = load_or_raise(SAMPLE_KB)
    fr = kb.sectors["wash"].translations["fr"]["name"]
    assert f"\n### {fr}\n" in page and f"| {fr} |" in page


def test_no_page_without_compare_with() -> None:
    kb = load_or_raise(SAMPLE_KB)
    paths = {p.path for p in SiteRenderer(kb, Options(mockups=False)).pages()}
    assert "comparison.md" not in paths and "index.md" in paths
