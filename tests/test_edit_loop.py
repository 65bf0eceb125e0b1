"""The edit loop never serves stale content.

`mkdocs serve` keeps the plugin object between rebuilds: parsed kb files (by their bytes),
question pages' Markdown (by a hash of their slice of the kb), zips of unchanged downloads
and the page caches are reused. Each step edits one input and rebuilds as serve does; the
served site must show the edit and be byte-identical to a cold build without any cache (a
fresh plugin, as a new process has), and so must a warm build (a fresh plugin reading the
cache folder back). Speed is measured in benchmarks/edit_loop.py, not here.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from support import SAMPLE_KB, copy_project

EPOCH = "1767225600"
SERVE_URL = "http://127.0.0.1:8000/"
PLUGIN = "country-toolkit"
CACHE = ".cache/country-toolkit"  # the plugin's cache_dir (default), in the project


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@contextmanager
def fresh_plugin() -> Iterator[None]:
    """A plugin object of its own (as in a new process), the served one put back after."""
    kept = MkDocsConfig.plugins.plugin_cache  # type: ignore[attr-defined]
    saved = dict(kept)
    kept.clear()
    try:
        yield
    finally:
        kept.clear()
        kept.update(saved)


def serve_build(project: Path, site: Path, *, cache: bool = True,
                cache_dir: Path | None = None) -> object:
    """One rebuild as `mkdocs serve` runs it (dirty=False, serve_url set, serving on)."""
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=False)
    plugin = config.plugins[PLUGIN]
    plugin.config["cache"] = cache
    if cache_dir is not None:
        plugin.config["cache_dir"] = str(cache_dir)
    build(config, serve_url=SERVE_URL)
    return plugin


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def read(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    project = copy_project(tmp_path / "project", SAMPLE_KB)
    # The home page under its own title in the nav: a kb edit then changes every page.
    edit(project / "mkdocs.yml", "  - Home: index.md", "  - index.md")
    return project


QUESTION = "questions/aap/aap-other-languages/index.html"
PARENT = "kb/questions/aap/aap-languages-spoken.yml"  # aap-other-languages' skip logic reads it
ADOPTED = "questions/aap/aap-feedback-channels/index.html"


def test_served_and_warm_builds_match_a_cold_build_after_each_edit(
        project: Path, tmp_path: Path) -> None:
    served = tmp_path / "served"
    with fresh_plugin():
        serve_build(project, served)
        plugin = serve_build(project, served)  # nothing changed: everything reused
        # A question adopting from the library depends on more than its file: read again.
        adopting = sum("\nadopts:" in p.read_text(encoding="utf-8")
                       for p in (project / "kb/questions").rglob("*.yml"))
        assert plugin.parse_memo.misses == adopting > 0  # type: ignore[attr-defined]
        hits, looked_up = plugin.markdown_memo.last  # type: ignore[attr-defined]
        assert hits == looked_up > 50  # every question page
        reused, converted = plugin.html_cache.store.last  # type: ignore[attr-defined]
        assert reused == converted > 100  # every page's HTML

        def shows_everywhere(text: str) -> Callable[[Path], None]:
            def check(site: Path) -> None:
                pages = sorted(site.rglob("*.html"))
                assert len(pages) > 100
                missing = [p for p in pages if text not in p.read_text(encoding="utf-8")]
                assert missing == []
            return check

        def page_shows(page: str, text: str) -> Callable[[Path], None]:
            return lambda site: None if text in read(site, page) else pytest.fail(
                f"{page} does not show {text!r}")

        Step = tuple[str, Callable[[], None], Callable[[Path], None]]

        def together(*parts: Step) -> Step:
            """Edits whose pages do not overlap, made and checked in one rebuild (a build
            less per edit): a stale page of any of them still differs from the cold build."""
            def change() -> None:
                for _name, part_change, _shows in parts:
                    part_change()

            def shows(site: Path) -> None:
                for _name, _change, part_shows in parts:
                    part_shows(site)
            return " + ".join(name for name, _c, _s in parts), change, shows

        question_text: Step = ("question text", lambda: edit(
            project / "kb/questions/aap/aap-other-languages.yml",
            "which language or dialect is it?", "which language or dialect is it (edited)?"),
            page_shows(QUESTION, "which language or dialect is it (edited)?"))
        # The home page's title (the country's name) is in the navigation of every page.
        title_in_nav: Step = ("title in the nav", lambda: edit(
            project / "kb/country.yml", "name: Republic of Veloria",
            "name: Republic of Veloria Renamed"),
            shows_everywhere("Republic of Veloria Renamed"))
        sector_name: Step = ("sector name", lambda: edit(
            project / "kb/sectors.yml", "name: Water, Sanitation and Hygiene",
            "name: Water and Hygiene Renamed"),
            page_shows("questions/wash/index.html", "Water and Hygiene Renamed"))
        partner_name: Step = ("partner name", lambda: edit(
            project / "kb/partners/cash-wg.yml", "name: Cash Working Group",
            "name: Cash Working Group Renamed"),
            page_shows("questions/by-partner/index.html", "Cash Working Group Renamed"))
        template: Step = ("template", lambda: edit(
            project / "overrides/main.html", "{% block announce %}",
            "{% block announce %}<span id=\"ctk-edit-loop\"></span>"),
            shows_everywhere('id="ctk-edit-loop"'))
        # The adopting question takes its `use` from the library.
        library_question: Step = ("library question", lambda: edit(
            project / "library/questions/aap/aap-feedback-channels.yml",
            "use: The AAP/PSEA Network updates the common feedback mechanism",
            "use: The AAP/PSEA Network updates the shared feedback mechanism"),
            page_shows(ADOPTED, "updates the shared feedback mechanism"))
        # The dependent's "Asked only if" names the parent's option (set in the kb).
        skip_logic_parent: Step = ("skip-logic parent", lambda: edit(
            project / PARENT, "label: Another language", "label: Another language (edited)"),
            page_shows(QUESTION, "includes Another language (edited)"))
        hand_written_page: Step = ("hand-written page", lambda: edit(
            project / "docs/about.md", "\n", "\nA sentence added by the edit-loop test.\n"),
            page_shows("about/index.html", "A sentence added by the edit-loop test."))

        # The question-text step stands alone: its counts of reused pages are checked below.
        # Edits that change every page (title, template) stand alone too: any other edit
        # made with them would be hidden in pages rebuilt anyway.
        steps: list[Step] = [
            question_text, title_in_nav, together(sector_name, hand_written_page),
            together(partner_name, library_question), template, skip_logic_parent,
        ]
        for name, change, shows in steps:
            # The cache folder as the last build left it: the warm build below starts from
            # it, as `mkdocs build` after an edit does (the served rebuild rewrites the folder,
            # so a warm build after it could not show a stale entry on disk).
            slug = name.replace(" ", "-").replace("+", "and")
            before = tmp_path / f"cache-before-{slug}"
            if (project / CACHE).is_dir():
                shutil.copytree(project / CACHE, before)
            change()
            plugin = serve_build(project, served)
            shows(served)
            if name == "question text":
                hits, looked_up = plugin.markdown_memo.last  # type: ignore[attr-defined]
                assert looked_up - hits == 2  # its own, and its parent's listing dependents
                assert plugin.parse_memo.misses == adopting + 1  # type: ignore[attr-defined]
                # Only the pages that show the question are converted again.
                reused, converted = plugin.html_cache.store.last  # type: ignore[attr-defined]
                assert 0 < converted - reused < 20
            cold, warm = tmp_path / f"cold-{slug}", tmp_path / f"warm-{slug}"
            with fresh_plugin():
                serve_build(project, cold, cache=False)
            with fresh_plugin():
                serve_build(project, warm, cache_dir=before)
            expected = tree(cold)
            for site in (served, warm):
                got = tree(site)
                assert sorted(k for k in got.keys() | expected.keys()
                              if got.get(k) != expected.get(k)) == [], (name, site.name)
