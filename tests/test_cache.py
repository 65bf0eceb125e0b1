"""The page cache never shows stale content.

Each step edits one input (a question, a template, a sector name, a hand-written page),
rebuilds with the cache as `mkdocs serve` does (the plugin object and its in-memory cache
kept, the kb memo on), and checks that the edit shows and that the whole site is
byte-identical to a build without any cache. Speed is measured in benchmarks/, not here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from support import SAMPLE_KB, copy_project

from generator.build import build_site

EPOCH = "1767225600"
# A question of its own (not adopting its text from the library).
QUESTION = "kb/questions/aap/aap-other-languages.yml"
QUESTION_PAGE = "questions/aap/aap-other-languages/index.html"


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def serve_build(project: Path, site: Path) -> tuple[int, int]:
    """A rebuild as `mkdocs serve` runs it; returns (pages reused, pages) of the HTML cache."""
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    plugin = config.plugins["country-toolkit"]
    plugin.serving = True
    try:
        build(config)
    finally:
        plugin.serving = False
    assert plugin.html_cache is not None
    return plugin.html_cache.store.last


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def html(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return copy_project(tmp_path / "project", SAMPLE_KB)


def same_as_uncached(project: Path, site: Path, tmp_path: Path, name: str) -> None:
    fresh = tmp_path / f"fresh-{name}"
    build_site(project / "kb", fresh, project=project, cache=False)
    one, two = tree(site), tree(fresh)
    assert sorted(k for k in one.keys() | two.keys() if one.get(k) != two.get(k)) == []


def test_edits_show_and_match_an_uncached_build(project: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    serve_build(project, site)
    reused, total = serve_build(project, site)
    assert reused == total > 100  # nothing changed: every page's HTML reused

    def question() -> None:
        edit(project / QUESTION, "which language or dialect is it?",
             "which language or dialect is it (edited)?")

    def question_shows() -> None:
        assert "which language or dialect is it (edited)?" in html(site, QUESTION_PAGE)

    def template() -> None:
        edit(project / "overrides/main.html", "{% block announce %}",
             "{% block announce %}<span id=\"ctk-template-edit\"></span>")

    def template_shows() -> None:
        pages = sorted(site.rglob("*.html"))
        assert len(pages) > 100
        assert all('id="ctk-template-edit"' in p.read_text(encoding="utf-8") for p in pages)

    def sector() -> None:
        edit(project / "kb/sectors.yml", "name: Water, Sanitation and Hygiene",
             "name: Water and Hygiene Renamed")

    def sector_shows() -> None:
        for page in sorted((site / "questions/wash").rglob("index.html")):
            assert "Water and Hygiene Renamed" in page.read_text(encoding="utf-8"), page

    def docs_page() -> None:
        edit(project / "docs/about.md", "\n", "\nA sentence added by the cache test.\n")

    def docs_shows() -> None:
        assert "A sentence added by the cache test." in html(site, "about/index.html")

    steps: list[tuple[str, Callable[[], None], Callable[[], None]]] = [
        ("question", question, question_shows), ("template", template, template_shows),
        ("sector", sector, sector_shows), ("docs", docs_page, docs_shows)]
    for name, change, shows in steps:
        change()
        reused, total = serve_build(project, site)
        shows()
        same_as_uncached(project, site, tmp_path, name)
        if name == "question":
            # Only pages that show the question are converted again.
            assert 0 < total - reused < 20


def test_cache_lives_outside_the_site_and_can_be_deleted(project: Path,
                                                         tmp_path: Path) -> None:
    build_site(project / "kb", tmp_path / "one", project=project)
    cache = project / ".cache" / "country-toolkit"
    assert sorted(p.name for p in cache.iterdir()) == [
        "html-v1.json", "markdown-v1.json", "pages-v1.json", "search-v1.json"]
    assert not any(".cache" in p.parts for p in (tmp_path / "one").rglob("*"))
    (cache / "html-v1.json").write_text("{not json", encoding="utf-8")  # damaged
    (cache / "pages-v1.json").unlink()
    # A new process: the plugin object MkDocs keeps (and its in-memory cache) starts afresh.
    load_config(str(project / "mkdocs.yml")).plugins["country-toolkit"].html_cache = None
    build_site(project / "kb", tmp_path / "two", project=project)
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
