"""The pages users read most: the Data Analysis Plan entries, partner pages, tags, page
descriptions, hints, the proposal banner and the edit link kept out of search.

The generated Markdown of the small fixture kb is converted with the project's own Markdown
extensions (as in test_safety_text) and the HTML is read as a browser would get it.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import yaml
from mkdocs.utils.meta import get_data
from support import SMALL_KB
from test_safety_text import MD

from generator.loader import load_or_raise
from generator.pages import Options, environment, render_site, summary

OPTIONS = Options(edit_url="https://github.com/example/toolkit/edit/main/")
KB = load_or_raise(SMALL_KB)
# What the public site shows: confidential questions under their neutral handles.
PUBLIC = KB.public_view()


def pages(kb_path: Path = SMALL_KB) -> dict[str, str]:
    return {p.path: p.content for p in render_site(load_or_raise(kb_path), OPTIONS)
            if isinstance(p.content, str)}


PAGES = pages()


def meta(path: str, rendered: dict[str, str] = PAGES) -> dict:
    return get_data(rendered[path])[1]


def to_html(path: str, rendered: dict[str, str] = PAGES) -> str:
    MD.reset()
    return MD.convert(get_data(rendered[path])[0])


class Elements(HTMLParser):
    """Every element with its attributes, and the text inside each element of a class."""

    def __init__(self, text_of: str = "") -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text_of = text_of
        self.depth = 0
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.elements.append((tag, a))
        if self.depth:
            self.depth += 1
        elif self.text_of and self.text_of in (a.get("class") or "").split():
            self.depth = 1
            self.texts.append("")

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.texts[-1] += data

    def with_class(self, name: str) -> list[dict[str, str | None]]:
        return [a for _, a in self.elements if name in (a.get("class") or "").split()]


def parse(markup: str, text_of: str = "") -> Elements:
    parsed = Elements(text_of)
    parsed.feed(markup)
    return parsed


# --- Data Analysis Plan ---------------------------------------------------------------

def test_dap_lists_each_agreed_and_proposed_question_once_with_its_filter_values() -> None:
    parsed = parse(to_html("dap/index.md"), text_of="ctk-dap-q")
    entries = parsed.with_class("ctk-dap-q")
    listed = [q for q in KB.questions.values() if q.status in ("agreed", "proposed")]
    assert len(entries) == len(listed) == 4
    by_text = dict(zip(parsed.texts, entries, strict=True))
    public = KB.public_view()
    for q in public.questions.values():
        matching = [e for t, e in by_text.items() if q.text in t]
        if q.status == "dropped":
            assert matching == []
            continue
        assert len(matching) == 1, q.id
        entry = matching[0]
        assert (entry["data-sector"], entry["data-status"], entry["data-sharing"]) == (
            q.sector, q.status, q.sharing.modality)
    assert by_text and all("data-partners" in e for e in entries)
    water = next(e for t, e in by_text.items() if "main source of drinking water" in t)
    assert water["data-partners"] == "wash-cluster dtm"  # requested by, then analysed by


def test_dap_confidential_entry_says_only_who_it_is_shared_with() -> None:
    parsed = parse(to_html("dap/index.md"), text_of="ctk-dap-q")
    text = next(t for t in parsed.texts if "Restricted question 1 (Protection)" in t)
    assert "Shared only with Protection" in text
    assert "Requested by" not in text and "Purpose" not in text and "Restricted:" not in text
    entry = next(e for e in parsed.with_class("ctk-dap-q") if e["data-sharing"] == "confidential")
    assert entry["data-partners"] == "protection-cluster"  # its sharing partners only


def test_dap_entry_details_hold_purpose_use_analysis_and_mockup() -> None:
    parsed = parse(to_html("dap/index.md"), text_of="ctk-dap-q__more")
    water = next(t for t in parsed.texts if "unsafe sources" in t)
    for label in ("Purpose, use, analysis and mock-up", "Purpose.", "Use.", "Analysis.",
                  "Mock-up sentence (MOCK-UP: illustrative false data)."):
        assert label in water
    assert "Percentage of assessed locations by main water source" in water


def test_dap_proposals_are_marked_and_counted_apart_from_the_agreed_plan() -> None:
    page = PAGES["dap/index.md"]
    assert "· 3 agreed questions · 1 proposal under discussion" in page
    parsed = parse(to_html("dap/index.md"), text_of="ctk-dap-q")
    proposed = [t for t, e in zip(parsed.texts, parsed.with_class("ctk-dap-q"), strict=True)
                if e["data-status"] == "proposed"]
    assert len(proposed) == 1 and "Proposal, not agreed" in proposed[0]
    # The downloads stay the agreed plan.
    csv = next(p.content for p in render_site(KB, OPTIONS)
               if p.path == "dap/data-analysis-plan.csv")
    assert isinstance(csv, bytes) and b"wash-water-source" in csv
    assert b"wash-distance" not in csv


def test_dap_filter_is_hidden_until_the_script_runs_and_offers_what_is_listed() -> None:
    parsed = parse(to_html("dap/index.md"))
    form = parsed.with_class("ctk-filter")
    assert len(form) == 1 and "hidden" in form[0] and "data-ctk-filter" in form[0]
    empty = parsed.with_class("ctk-filter__empty")
    assert len(empty) == 1 and "hidden" in empty[0]
    options = [a.get("value") for t, a in parsed.elements if t == "option"]
    assert options == ["", "wash", "protection",
                       "", "dtm", "protection-cluster", "wash-cluster",
                       "", "agreed", "proposed",
                       "", "public", "confidential", "urgent-action"]


def test_attribute_values_are_escaped_quotes_included() -> None:
    attr = environment().filters["attr"]
    assert attr('x" onmouseover="alert(1)') == "x&quot; onmouseover=&quot;alert(1)"
    assert attr("<b>&</b>") == "&lt;b&gt;&amp;&lt;/b&gt;"


def test_dap_ids_are_small_and_never_a_table_column() -> None:
    parsed = parse(to_html("dap/index.md"))
    questions_part = PAGES["dap/index.md"].split("## Questions and analysis")[1]
    assert "| ID |" not in questions_part
    ids = [a for t, a in parsed.elements if t == "code" and a.get("class") == "ctk-id"]
    assert len(ids) == 4


def split_pages(monkeypatch) -> dict[str, str]:
    """The small kb's pages with the on-screen plan split per sector (as a kb of more than
    DAP_WHOLE_MAX listed questions is: the one page was 5.6 MB at 5,000 questions)."""
    import generator.pages as pages_module

    monkeypatch.setattr(pages_module, "DAP_WHOLE_MAX", 3)  # the small kb lists 4
    return pages()


def test_small_plan_is_one_page_and_has_no_sector_pages() -> None:
    assert not [p for p in PAGES if p.startswith("dap/sector/")]
    assert "ctk-dap-q" in PAGES["dap/index.md"]


def test_large_plan_has_one_page_per_sector_with_each_question_once(monkeypatch) -> None:
    rendered = split_pages(monkeypatch)
    listed = [q for q in PUBLIC.questions.values() if q.status in ("agreed", "proposed")]
    sectors = list(dict.fromkeys(q.sector for q in listed))
    assert {p for p in rendered if p.startswith("dap/sector/")} == {
        f"dap/sector/{s}.md" for s in sectors}
    seen: list[str] = []
    for s in sectors:
        parsed = parse(to_html(f"dap/sector/{s}.md", rendered), text_of="ctk-dap-q")
        entries = parsed.with_class("ctk-dap-q")
        expected = [q for q in listed if q.sector == s]
        assert [e["data-sector"] for e in entries] == [s] * len(expected)
        for q in expected:
            (entry,) = [e for t, e in zip(parsed.texts, entries, strict=True) if q.text in t]
            assert (entry["data-status"], entry["data-sharing"]) == (q.status,
                                                                     q.sharing.modality)
            seen.append(q.id)
        # The filter: partner, status and sharing (the page is one sector), hidden until
        # the script runs, offering what this sector lists.
        form = parsed.with_class("ctk-filter")
        assert len(form) == 1 and "hidden" in form[0]
        selects = [a["name"] for tag, a in parsed.elements if tag == "select"]
        assert selects == ["partner", "status", "sharing"]
        options = {a.get("value") for tag, a in parsed.elements if tag == "option"}
        assert {q.sharing.modality for q in expected} <= options
        assert not ({"public", "confidential", "urgent-action"}
                    - {q.sharing.modality for q in expected}) & options
        assert meta(f"dap/sector/{s}.md", rendered)["search"] == {"exclude": True}
    assert sorted(seen) == sorted(q.id for q in listed)  # every question once, on its sector


def test_large_plan_index_is_a_sector_table_with_counts_and_no_entries(monkeypatch) -> None:
    rendered = split_pages(monkeypatch)
    index = to_html("dap/index.md", rendered)
    assert "ctk-dap-q" not in index and "ctk-filter" not in index
    rows = re.findall(r'<tr>\s*<td><a href="sector/([a-z-]+)\.md">[^<]+</a></td>\s*'
                      r'<td>([^<]*)</td>\s*<td>([^<]*)</td>', index)
    listed = [q for q in PUBLIC.questions.values() if q.status in ("agreed", "proposed")]
    labels = {"agreed": "Agreed", "proposed": "Proposals", "public": "Public",
              "confidential": "Confidential (MoU)", "urgent-action": "Urgent action (protocol)"}
    expected = []
    for s in [s for s in PUBLIC.sectors if any(q.sector == s for q in listed)]:
        qs = [q for q in listed if q.sector == s]
        cells = []
        for keys in (("agreed", "proposed"), ("public", "confidential", "urgent-action")):
            counts = [(k, sum(1 for q in qs if k in (q.status, q.sharing.modality)))
                      for k in keys]
            cells.append(" · ".join(f"{labels[k]}: {n}" for k, n in counts if n))
        expected.append((s, *cells))
    assert rows == expected
    # Downloads, print views and the plan's timeline and sign-off stay on the index.
    page = rendered["dap/index.md"]
    for kept in ("(data-analysis-plan.csv)", "(data-analysis-plan.xlsx)", "(print/wash.md)",
                 "## Timeline", "## Sign-off"):
        assert kept in page
    sector = rendered["dap/sector/wash.md"]
    assert "[The whole plan](../index.md)" in sector and "(../print/wash.md)" in sector


def test_large_plan_sector_page_keeps_confidential_entries_redacted(monkeypatch) -> None:
    rendered = split_pages(monkeypatch)
    parsed = parse(to_html("dap/sector/protection.md", rendered), text_of="ctk-dap-q")
    text = next(t for t in parsed.texts if "Restricted question 1 (Protection)" in t)
    assert "Shared only with Protection" in text
    assert "Requested by" not in text and "Purpose" not in text and "Restricted:" not in text
    entry = next(e for e in parsed.with_class("ctk-dap-q") if e["data-sharing"] == "confidential")
    assert entry["data-partners"] == "protection-cluster"


# --- Partner pages ----------------------------------------------------------------------

def question_rows(path: str) -> dict[str, list[str]]:
    """Question id -> the row's other cells, from the page's question table."""
    rows: dict[str, list[str]] = {}
    for line in PAGES[path].splitlines():
        found = re.search(r'<code class="ctk-id">([a-z0-9-]+)</code>', line)
        if found and line.startswith("| "):
            assert found.group(1) not in rows, f"{found.group(1)} listed twice on {path}"
            rows[found.group(1)] = [c.strip() for c in line.strip("|").split("|")[1:]]
    return rows


def test_partner_page_lists_each_question_once_with_the_partners_role() -> None:
    for path in ("partners/protection-cluster.md", "partners/dtm.md",
                 "partners/wash-cluster.md"):
        page = PAGES[path]
        assert "Questions requested" not in page and "Questions analysed" not in page
        assert page.count('<div class="ctk-qtable" markdown data-search-exclude>') == 1
    assert question_rows("partners/protection-cluster.md") == {
        # The confidential question is not listed: who requested it is not public.
        "protection-uasc": ["Requested", "Protection", "Agreed", "Urgent action (protocol)"],
    }
    assert {k: v[0] for k, v in question_rows("partners/dtm.md").items()} == {
        "protection-uasc": "Analyses", "wash-water-source": "Analyses"}


def test_question_tables_show_the_id_under_the_question_text() -> None:
    table = PAGES["questions/wash/index.md"]
    assert "| Question | Type | Status | Sharing |" in table
    assert ('[How many minutes does it take to walk to the main water source?](wash-distance.md)'
            '<br><code class="ctk-id">wash-distance</code> |') in table


# --- Tags and descriptions ----------------------------------------------------------------

def test_tags_are_the_sector_and_whether_it_is_a_proposal() -> None:
    for q in PUBLIC.questions.values():
        expected = [KB.sectors[q.sector].name]
        if q.status == "proposed":
            expected.append("Proposal, not agreed")  # search hits always show their tags
        assert meta(f"questions/{q.sector}/{q.id}.md")["tags"] == expected
    for pid in KB.partners:
        assert "tags" not in meta(f"partners/{pid}.md")


def test_summary_cuts_at_a_word_boundary_with_an_ellipsis() -> None:
    assert summary("Short   text\nkept.") == "Short text kept."
    assert summary("x" * 160) == "x" * 160
    words = "Identify locations where displaced families drink from unsafe sources, " * 5
    cut = summary(words)
    assert len(cut) <= 160 and cut.endswith("…")
    kept = cut[:-1]
    flat = " ".join(words.split())
    assert flat.startswith(kept) and flat[len(kept)] in " ,", cut  # ends with a whole word
    assert not kept.endswith((",", " "))
    # A word that ends right before the room for the ellipsis is kept whole.
    assert summary("a" * 158 + " bc d", limit=162) == "a" * 158 + " bc…"
    # One word longer than the limit is cut inside it: there is no boundary to cut at.
    assert summary("y" * 400) == "y" * 159 + "…"


def edit_question(kb: Path, qid: str, **changes: object) -> None:
    path = next(kb.glob(f"questions/*/{qid}.yml"))
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    record.update(changes)
    path.write_text(yaml.safe_dump(record, sort_keys=False, allow_unicode=True),
                    encoding="utf-8")


def test_long_description_is_cut_at_a_word_with_an_ellipsis(small_kb: Path) -> None:
    purpose = ("Identify the locations where displaced families rely on unprotected wells, "
               "rivers or ponds for drinking water, so that the WASH Cluster can plan water "
               "trucking and repairs before the dry season starts.")
    edit_question(small_kb, "wash-water-source", purpose=purpose)
    description = meta("questions/wash/wash-water-source.md", pages(small_kb))["description"]
    assert description.endswith("…") and len(description) <= 160
    assert purpose.startswith(description[:-1])
    assert purpose[len(description) - 1] == " "  # cut between two words
    assert description == summary(purpose)


# --- Question pages ------------------------------------------------------------------------

def test_multi_paragraph_hint_renders_paragraphs_and_emphasis(small_kb: Path) -> None:
    hint = "Ask for the *main* source only.\n\nIf there are several, the one used **most**."
    edit_question(small_kb, "wash-water-source", hint=hint)
    rendered = pages(small_kb)
    body = to_html("questions/wash/wash-water-source.md", rendered)
    hint_html = body.split('<div class="ctk-hint">')[1].split("</div>")[0]
    assert "<p>Ask for the <em>main</em> source only.</p>" in hint_html
    assert "<p>If there are several, the one used <strong>most</strong>.</p>" in hint_html
    text = html.unescape(re.sub(r"<[^>]+>", "", hint_html))
    assert "*" not in text


def test_proposed_question_page_opens_with_a_proposal_banner() -> None:
    body = to_html("questions/wash/wash-distance.md")
    first = body.split("</h1>", 1)[1].lstrip()
    assert first.startswith('<div class="admonition warning">\n'
                            '<p class="admonition-title">Proposal, not agreed</p>')
    assert meta("questions/wash/wash-distance.md")["description"].startswith(
        "Proposal, not agreed. ")
    for q in PUBLIC.questions.values():
        if q.status != "proposed":
            assert "Proposal, not agreed" not in PAGES[f"questions/{q.sector}/{q.id}.md"]


def test_edit_link_is_marked_out_of_search() -> None:
    for path, page in PAGES.items():
        if "Edit this record" not in page:
            continue
        parsed = parse(to_html(path))
        links = [a for t, a in parsed.elements if t == "a" and "md-button" in (a.get("class") or "")
                 and "/edit/" in (a.get("href") or "")]
        assert links, path
        paragraphs = [a for t, a in parsed.elements if t == "p" and "data-search-exclude" in a]
        assert len(paragraphs) == len(links), path


def test_mockup_sentence_stays_under_its_label_when_charts_are_off(small_kb: Path) -> None:
    """Without mock-ups the kb's sentence is printed as written: a blank line in it must not
    end the "MOCK-UP: illustrative false data" box and leave false data unlabelled."""
    path = small_kb / "questions" / "wash" / "wash-water-source.yml"
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    record["mockup"]["sentence"] = "In {top_pct} of locations, {top_option}.\n\nSecond part."
    path.write_text(yaml.safe_dump(record, sort_keys=False), encoding="utf-8")
    rendered = {p.path: p.content for p in render_site(load_or_raise(small_kb),
                                                       Options(mockups=False))}
    body = to_html("questions/wash/wash-water-source.md", rendered)  # type: ignore[arg-type]
    box = body.split('<div class="admonition example">')[1].split("</div>")[0]
    assert "MOCK-UP: illustrative false data" in box and "Second part." in box


def test_dap_prints_per_sector_and_whole_only_for_small_kbs(monkeypatch) -> None:
    """One print page per sector always; the whole plan on one page only up to
    PRINT_WHOLE_MAX agreed questions (a 5,000-question plan would be a 12 MB page)."""
    import generator.pages as pages_module
    from generator.pages import render_site

    kb = load_or_raise(SMALL_KB)
    agreed = kb.agreed()
    sectors = {q.sector for q in agreed}
    for limit, whole in ((len(agreed), True), (len(agreed) - 1, False)):
        monkeypatch.setattr(pages_module, "PRINT_WHOLE_MAX", limit)
        pages = {p.path: p.content for p in render_site(kb)}
        assert ("dap/print.md" in pages) is whole
        assert {p for p in pages if p.startswith("dap/print/")} == {
            f"dap/print/{s}.md" for s in sectors}
        for s in sectors:
            printed = pages[f"dap/print/{s}.md"]
            assert isinstance(printed, str)
            assert printed.count('<div class="ctk-print-break"></div>') == len(
                [q for q in agreed if q.sector == s])
        dap = pages["dap/index.md"]
        assert isinstance(dap, str)
        assert ("[Print the whole plan](print.md)" in dap) is whole
        assert all(f"(print/{s}.md)" in dap for s in sectors)


def test_a_long_sector_prints_in_parts_each_question_once(monkeypatch) -> None:
    """A sector with more than PRINT_PART_MAX agreed questions prints in parts (at 5,000
    questions one sector's print page passed 1 MB); the plan and the sector page link them."""
    import generator.pages as pages_module

    monkeypatch.setattr(pages_module, "PRINT_PART_MAX", 1)
    monkeypatch.setattr(pages_module, "DAP_WHOLE_MAX", 3)
    rendered = pages()
    agreed = [q for q in PUBLIC.questions.values() if q.status == "agreed"]
    for s in dict.fromkeys(q.sector for q in agreed):
        qs = [q for q in agreed if q.sector == s]
        paths = [f"dap/print/{s}.md"] + [f"dap/print/{s}/{n}.md" for n in range(2, len(qs) + 1)]
        assert sorted(p for p in rendered if p.startswith((f"dap/print/{s}.md",
                                                           f"dap/print/{s}/"))) == sorted(paths)
        printed = []
        for n, path in enumerate(paths, start=1):
            page = rendered[path]
            assert page.count('<div class="ctk-print-break"></div>') == 1
            printed += [q.id for q in qs if f"`{q.id}`" in page]
            if len(paths) > 1:
                assert f"Part {n} of {len(paths)}: questions {n} to {n}." in page
                assert f"**{n}**" in page  # this part, not linked
        assert printed == [q.id for q in qs]
        for page, prefix in ((rendered["dap/index.md"], "print/"),
                             (rendered[f"dap/sector/{s}.md"], "../print/")):
            for path in paths:
                assert f"({prefix}{path.removeprefix('dap/print/')})" in page


def test_questions_by_partner_becomes_a_partner_table_in_a_large_kb(monkeypatch) -> None:
    """Beyond BY_PARTNER_MAX rows the page links each partner's page with its count instead
    of listing every question under every partner (2 MB at 5,000 questions)."""
    import generator.pages as pages_module

    assert "ctk-qtable" in PAGES["questions/by-partner.md"]
    assert "There are too many" not in PAGES["questions/by-partner.md"]
    monkeypatch.setattr(pages_module, "BY_PARTNER_MAX", 1)
    index = to_html("questions/by-partner.md", pages())
    rows = re.findall(r'<tr>\s*<td><a href="../partners/([a-z-]+)\.md">[^<]+</a></td>\s*'
                      r'<td style="text-align: right;">(\d+)</td>', index)
    expected = [(p, str(sum(p in q.requested_by for q in PUBLIC.questions.values())))
                for p in PUBLIC.partners]
    assert rows == [(p, n) for p, n in expected if n != "0"]
    assert "ctk-id" not in index  # no question rows
