"""Listing pages of a large kb split or summarised (issue #13: no page over 1 MB at 5,000
questions): Questions by status, a partner's questions, the questionnaire and its print view,
and the tags page. The thresholds are lowered on the small fixture kb instead of building
thousands of questions; with the real thresholds its pages stay whole (the goldens)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from support import SMALL_KB, copy_project
from test_pages_ux import KB, OPTIONS, PAGES, PUBLIC, pages, to_html

import generator.pages as pages_module
from generator.pages import listing_directive

IDS = re.compile(r'<code class="ctk-id">([^<]+)</code>')


def test_small_kb_pages_stay_whole() -> None:
    for path in ("questions/by-status.md", "partners/dtm.md", "questionnaire/index.md",
                 "questionnaire/print.md"):
        assert "too many" not in PAGES[path], path
    assert not [p for p in PAGES if p.startswith(("tags/", "questionnaire/section/"))
                or "/sectors/" in p]


def test_questions_by_status_becomes_a_sector_table(monkeypatch) -> None:
    monkeypatch.setattr(pages_module, "BY_STATUS_MAX", 1)
    page = to_html("questions/by-status.md", pages())
    rows = re.findall(r'<tr>\s*<td><a href="([a-z-]+)/index.md">[^<]+</a></td>\s*'
                      r'<td style="text-align: right;">(\d+)</td>\s*'
                      r'<td style="text-align: right;">(\d+)</td>\s*'
                      r'<td style="text-align: right;">(\d+)</td>', page)
    expected = [(s, *(str(sum(q.sector == s and q.status == st
                                  for q in PUBLIC.questions.values()))
                      for st in ("agreed", "proposed", "dropped")))
                for s in PUBLIC.sectors]
    assert rows == expected
    assert "ctk-id" not in page  # no question rows


def test_a_partner_with_many_questions_has_a_page_per_sector(monkeypatch) -> None:
    whole = {p: IDS.findall(to_html(f"partners/{p}.md")) for p in PUBLIC.partners}
    monkeypatch.setattr(pages_module, "PARTNER_QUESTIONS_MAX", 1)
    rendered = pages()
    split = [p for p, ids in whole.items() if len(ids) > 1]
    assert split  # the fixture has a partner above the lowered threshold
    for p, ids in whole.items():
        page = to_html(f"partners/{p}.md", rendered)
        subpages = sorted(k for k in rendered if k.startswith(f"partners/{p}/sectors/"))
        if p not in split:
            assert IDS.findall(page) == ids and not subpages
            continue
        assert not IDS.findall(page)
        listed = []
        for sector, n in re.findall(rf'<a href="{p}/sectors/([a-z-]+)\.md">[^<]+</a></td>\s*'
                                    r'<td style="text-align: right;">(\d+)</td>', page):
            sub = to_html(f"partners/{p}/sectors/{sector}.md", rendered)
            sub_ids = IDS.findall(sub)
            assert len(sub_ids) == int(n)
            assert {PUBLIC.questions[q].sector for q in sub_ids} == {sector}
            assert f'href="../../{p}.md"' in sub  # back to the partner
            listed += sub_ids
        assert sorted(listed) == sorted(ids)  # each question once, none added (public view)
        assert len(subpages) == len({PUBLIC.questions[q].sector for q in ids})


def numbered(page: str) -> list[str]:
    return re.findall(r"^\*\*(\d+)\.\*\* \[", page, flags=re.M)


def test_the_questionnaire_has_a_page_and_a_print_page_per_section(monkeypatch) -> None:
    whole, whole_print = numbered(PAGES["questionnaire/index.md"]), numbered(
        PAGES["questionnaire/print.md"])
    assert whole and whole == whole_print
    monkeypatch.setattr(pages_module, "QUESTIONNAIRE_WHOLE_MAX", 1)
    rendered = pages()
    index, printed = rendered["questionnaire/index.md"], rendered["questionnaire/print.md"]
    assert not numbered(index) and not numbered(printed)
    sections = re.findall(r"\| \[[^]]+\]\(section/([a-z0-9_-]+)/index\.md\) \| (\d+) \|", index)
    assert [s for s, _n in sections] == re.findall(
        r"\| \[[^]]+\]\(section/([a-z0-9_-]+)/print\.md\) \| \d+ \|", printed)
    on_screen, on_paper = [], []
    for s, n in sections:
        page = rendered[f"questionnaire/section/{s}/index.md"]
        paper = rendered[f"questionnaire/section/{s}/print.md"]
        assert len(numbered(page)) == int(n) == len(numbered(paper))
        assert "](../../index.md)" in page and "](print.md)" in page
        on_screen += numbered(page)
        on_paper += numbered(paper)
    # Interview order and numbers as on the one page, every question once.
    assert on_screen == whole == on_paper


def test_the_tags_page_becomes_a_table_of_tag_pages(monkeypatch) -> None:
    monkeypatch.setattr(pages_module, "TAGS_WHOLE_MAX", 1)
    renderer = pages_module.SiteRenderer(KB, OPTIONS)
    rendered = {p.path: p.content for p in renderer.pages()}
    tagged: dict[str, int] = {}
    for path, content in rendered.items():
        if path.startswith("questions/") and isinstance(content, str) and "\ntags:" in content:
            for tag in yaml.safe_load(content.split("---")[1])["tags"]:
                tagged[tag] = tagged.get(tag, 0) + 1
    assert renderer.tags_index is not None
    rows = re.findall(r"\| \[([^]]+)\]\((tags/[a-z/-]+\.md)\) \| (\d+) \|", renderer.tags_index)
    assert sorted((t, int(n)) for t, _p, n in rows) == sorted(tagged.items())
    for tag, path, _n in rows:
        assert listing_directive(html.escape(tag)) in rendered[path]


@pytest.mark.parametrize("tag", ['WASH', 'a --> b', 'x"]} , exclude: [y', 'É <b>é</b>'])
def test_a_tag_listing_directive_holds_the_name_whatever_it_is(tag: str) -> None:
    """Material reads `<!-- material/tags OPTIONS -->` up to the first `-->` and parses
    OPTIONS as YAML: a sector name must not end it early, add an option or change."""
    directive = listing_directive(tag)
    match = re.fullmatch(r"<!--\s*?material/tags(.*?)\s*-->", directive, flags=re.S)
    assert match is not None
    assert yaml.safe_load(match.group(1)) == {"include": [tag]}
    assert "<b>" not in directive


def test_a_built_site_links_tags_to_their_own_pages(tmp_path: Path, monkeypatch) -> None:
    """Through MkDocs and Material's tags plugin: the tags page shows the table instead of
    every listing, each tag page lists its pages, and a question's tag links to its page."""
    monkeypatch.setattr(pages_module, "TAGS_WHOLE_MAX", 1)
    monkeypatch.setenv("TOOLKIT_MOCKUPS", "0")
    project = copy_project(tmp_path / "project", SMALL_KB)
    # A sector name that is escaped in the pages' front matter: the listing must match it.
    sectors = project / "kb/sectors.yml"
    text = sectors.read_text(encoding="utf-8")
    assert "    name: WASH\n" in text
    sectors.write_text(text.replace("    name: WASH\n", "    name: 'WASH & <b>hygiene</b>'\n", 1),
                       encoding="utf-8")
    site = tmp_path / "site"
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    config.plugins["country-toolkit"].config.cache = False
    build(config)
    tags = (site / "tags/index.html").read_text(encoding="utf-8")
    assert 'href="sector/wash/"' in tags or 'href="../tags/sector/wash/"' in tags \
        or 'href="./sector/wash/"' in tags
    assert "wash-water-source" not in tags  # no listing of the questions themselves
    assert ">WASH &amp; &lt;b&gt;hygiene&lt;/b&gt;</a>" in tags and "<b>hygiene" not in tags
    wash = (site / "tags/sector/wash/index.html").read_text(encoding="utf-8")
    assert "wash-water-source" in wash
    assert "<b>hygiene" not in wash
    assert "protection" not in re.sub(r"<head>.*?</head>|<nav.*?</nav>", "", wash,
                                      flags=re.S).split('<article')[1].lower()
    question = (site / "questions/wash/wash-water-source/index.html").read_text(
        encoding="utf-8")
    assert re.search(r'href="[./]*tags/sector/wash/#tag:wash[^"]*"', question), re.findall(
        r'href="[^"]*tag[^"]*"', question)


def test_the_exported_source_has_the_same_tags_page(tmp_path: Path, monkeypatch) -> None:
    """`toolkit render` (the source for other engines) writes the table into tags.md too."""
    from support import ROOT

    from generator.export import write_source

    monkeypatch.setattr(pages_module, "TAGS_WHOLE_MAX", 1)
    write_source(KB, ROOT, tmp_path / "src", OPTIONS)
    tags = (tmp_path / "src/docs/tags.md").read_text(encoding="utf-8")
    assert "<!-- material/tags -->" not in tags
    assert "| [WASH](tags/sector/wash.md) | 2 |" in tags
    assert listing_directive("WASH") in (tmp_path / "src/docs/tags/sector/wash.md").read_text(
        encoding="utf-8")
