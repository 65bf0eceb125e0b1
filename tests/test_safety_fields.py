"""Every string field of every record kind, filled with a script payload, stays inert text.

The fields come from the models' JSON Schemas (`hostile.rewrite_kb`), so a field added to a
model later is filled, built and checked here without editing this file. Each payload names
its field (`pwned-f12`), so a failure says which field leaked and where.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hostile import RECORD_FILES, free_text_paths, make_xss_filler, rewrite_kb
from support import ROOT, SMALL_KB, add_process_records, serve_folder

from generator.build import build_site

PWNED = re.compile(r"pwned-(f\d+)")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], set[str]]:
    """The small kb with every free-text field of every record replaced, built (public)."""
    root = tmp_path_factory.mktemp("every-field")
    kb = root / "kb"
    shutil.copytree(SMALL_KB, kb)
    add_process_records(kb)
    fill, tags = make_xss_filler()
    filled = rewrite_kb(kb, fill)
    build_site(kb, root / "site", project=ROOT)
    return root / "site", tags, filled


def test_every_free_text_field_of_every_kind_is_filled(
    hostile: tuple[Path, dict[str, str], set[str]]
) -> None:
    """If a new nested record is absent from the fixture kb, add one there."""
    _, _, filled = hostile
    every = set().union(*(free_text_paths(m, k) for k, m in RECORD_FILES.values()))
    assert {k for k, _ in RECORD_FILES.values()} == {f.split(".")[0] for f in every}
    assert every - filled == set(), "fields the fixture kb never fills"
    assert len(every) >= 70


class Elements(HTMLParser):
    """Elements, attributes and script text a payload could have created."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.title: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in = tag
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") or value.strip().lower().startswith("javascript:") \
                    or (name == "id" and value.startswith("pwned")):
                self.found.append(f"<{tag} {name}={value[:60]!r}>")
        if tag in ("img", "svg", "iframe", "object", "embed") and "pwned" in str(attrs):
            self.found.append(f"<{tag} {attrs}>")

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script" and "pwned" in data:
            self.found.append(f"<script>{data[:60]}")
        if self._in == "title":
            self.title.append(data)


def fields(text: str, tags: dict[str, str]) -> set[str]:
    return {tags[t] for t in PWNED.findall(text) if t in tags}


def parse(markup: str) -> Elements:
    parsed = Elements()
    parsed.feed(markup)
    parsed.close()
    return parsed


def test_no_page_gets_markup_from_any_field(
    hostile: tuple[Path, dict[str, str], set[str]]
) -> None:
    site, tags, _ = hostile
    leaks: dict[str, list[str]] = {}
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        found = parse(page.read_text(encoding="utf-8")).found
        if found:
            leaks[str(page.relative_to(site))] = [f"{f} from {fields(f, tags)}" for f in found]
    assert leaks == {}


def test_titles_show_the_record_text_verbatim(
    hostile: tuple[Path, dict[str, str], set[str]]
) -> None:
    """<title> holds the text once escaped: the reader sees the payload, the browser no tag."""
    site, tags, _ = hostile
    owner = {v: k for k, v in tags.items()}
    for page, field in (("index.html", "country.name"), ("questions/wash/index.html",
                        "sectors.sectors[].name"), ("dap/index.html", "analysis-plan.title"),
                        ("dap/print/index.html", "analysis-plan.title")):
        raw = (site / page).read_text(encoding="utf-8")
        title = "".join(parse(raw).title)
        assert "</title><script>alert('pwned-" in title, (page, title)
        tag = owner[field] if field != "sectors.sectors[].name" else PWNED.search(title)[1]
        assert tags[tag] == field, (page, title)
        assert "&lt;" not in title, f"{page}: escaped twice: {title}"


def test_search_index_entries_are_inert(hostile: tuple[Path, dict[str, str], set[str]]) -> None:
    """Material shows search titles and text as HTML: they must hold no payload markup."""
    site, tags, _ = hostile
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    leaks = []
    for doc in docs:
        for key in ("title", "text"):
            found = parse(doc[key]).found
            if found or re.search(r"<(script|img|svg|iframe)\b", doc[key]):
                leaks.append((doc["location"], key, fields(doc[key], tags)))
    assert leaks == []
    assert any("pwned-" in d["title"] for d in docs)  # the payloads are in the index, as text


def test_dap_downloads_hold_no_formula(hostile: tuple[Path, dict[str, str], set[str]]) -> None:
    from openpyxl import load_workbook

    site, tags, _ = hostile
    text = (site / "dap" / "data-analysis-plan.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    cells = [c for row in rows[1:] for c in row]
    assert any("pwned-" in c for c in cells)
    assert [c for c in cells if c.startswith(("=", "+", "-", "@"))] == []
    book = load_workbook(site / "dap" / "data-analysis-plan.xlsx")
    formulas = [(ws.title, c.coordinate) for ws in book.worksheets for row in ws.iter_rows()
                for c in row if c.data_type == "f"]
    assert formulas == []
    about = {r[0].value: r[1].value for r in book["About"].iter_rows(min_row=2)}
    assert html.unescape(str(about["Country"])).startswith("=1+1 ")  # text, not a formula


def test_offline_bundle_pages_are_inert(tmp_path: Path) -> None:
    """The field bundle is the same site built for file://: the same fields, the same check."""
    import zipfile

    from generator.bundle import bundle

    kb = tmp_path / "kb"
    shutil.copytree(SMALL_KB, kb)
    fill, tags = make_xss_filler()
    rewrite_kb(kb, fill)
    result = bundle(kb, tmp_path / "offline.zip", ROOT, language="en")  # pages at the root
    leaks = {}
    with zipfile.ZipFile(result.path) as zf:
        pages = [n for n in zf.namelist() if n.endswith(".html")]
        assert len(pages) > 20
        for name in pages:
            found = parse(zf.read(name).decode("utf-8")).found
            if found:
                leaks[name] = [f"{f} from {fields(f, tags)}" for f in found]
        title = "".join(parse(zf.read("index.html").decode("utf-8")).title)
    assert leaks == {}
    assert "</title><script>alert('pwned-" in title


@pytest.fixture(scope="module")
def served(hostile: tuple[Path, dict[str, str], set[str]]):
    with serve_folder(hostile[0]) as url:
        yield url


@pytest.mark.browser
@pytest.mark.parametrize("path", [
    "", "questions/wash/", "questions/protection/", "dap/", "dap/print/",
    "questions/wash/wash-water-source/", "partners/wash-cluster/", "datasets/", "country/",
    "process/", "checklist/", "partners/", "questions/", "questions/by-partner/", "tags/",
])
def test_no_field_runs_script_in_the_browser(browser, served: str, path: str,
                                             hostile: tuple[Path, dict[str, str], set[str]]
                                             ) -> None:
    from test_safety_browser import FIND_INJECTED

    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto(served + path, wait_until="load")
        page.wait_for_timeout(300)  # time for any onload/onerror handler to fire
        injected = page.evaluate(FIND_INJECTED)
        title = page.title()
    finally:
        context.close()
    tags = hostile[1]
    assert dialogs == [], f"{path}: fields that ran: {fields(' '.join(dialogs), tags)}"
    assert injected == [], path
    if path in RECORD_TITLED:
        assert "<script>alert('pwned-" in title, title  # shown, as text


# Pages whose title is record text.
RECORD_TITLED = {"", "questions/wash/", "questions/protection/", "dap/", "dap/print/",
                 "questions/wash/wash-water-source/", "partners/wash-cluster/"}
