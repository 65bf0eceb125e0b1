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


def serve_build(project: Path, site: Path, *, cache: bool = True) -> object:
    """One rebuild as `mkdocs serve` runs it (dirty=False, serve_url set, serving on)."""
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=False)
    plugin = config.plugins[PLUGIN]
    plugin.config["cache"] = cache
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


# Whole pages at most this large (in questions, rows or sheet entries): the sample's DAP,
# DTM's page, the questionnaire and the workshop pack are then split as a 1,000-question
# kb's are, into the listings the page memo keeps by their slice of the kb.
SPLIT = {"DAP_WHOLE_MAX": 10, "PARTNER_QUESTIONS_MAX": 10, "QUESTIONNAIRE_WHOLE_MAX": 10,
         "WORKSHOP_WHOLE_MAX": 10, "WORKSHOP_PART_MAX": 4}
# Pages listing every question that the memo does not keep (rendered on every build).
UNKEPT = {"questions/by-partner.md", "questions/by-status.md", "dap/print.md", "needs.md",
          "use-review.md"}
# Agreed, early in the form, on several review sheets: made a proposal, it leaves the form
# (later sections are numbered again) and the sheets' parts (their bounds move).
PROPOSED = "kb/questions/population-mobility/population-mobility-return-intentions.yml"


def test_served_and_warm_builds_match_a_cold_build_after_each_edit(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import pages as pages_module

    for name, value in SPLIT.items():
        monkeypatch.setattr(pages_module, name, value)
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

        steps: list[tuple[str, Callable[[], object], Callable[[Path], object]]] = [
            ("question text", lambda: edit(
                project / "kb/questions/aap/aap-other-languages.yml",
                "which language or dialect is it?", "which language or dialect is it (edited)?"),
             page_shows(QUESTION, "which language or dialect is it (edited)?")),
            # The home page's title (the country's name) is in the navigation of every page.
            ("title in the nav", lambda: edit(
                project / "kb/country.yml", "name: Republic of Veloria",
                "name: Republic of Veloria Renamed"),
             shows_everywhere("Republic of Veloria Renamed")),
            ("sector name", lambda: edit(
                project / "kb/sectors.yml", "name: Water, Sanitation and Hygiene",
                "name: Water and Hygiene Renamed"),
             page_shows("questions/wash/index.html", "Water and Hygiene Renamed")),
            ("partner name", lambda: edit(
                project / "kb/partners/cash-wg.yml", "name: Cash Working Group",
                "name: Cash Working Group Renamed"),
             page_shows("questions/by-partner/index.html", "Cash Working Group Renamed")),
            ("template", lambda: edit(
                project / "overrides/main.html", "{% block announce %}",
                "{% block announce %}<span id=\"ctk-edit-loop\"></span>"),
             shows_everywhere('id="ctk-edit-loop"')),
            # The adopting question takes its `use` from the library.
            ("library question", lambda: edit(
                project / "library/questions/aap/aap-feedback-channels.yml",
                "use: The AAP/PSEA Network updates the common feedback mechanism",
                "use: The AAP/PSEA Network updates the shared feedback mechanism"),
             page_shows(ADOPTED, "updates the shared feedback mechanism")),
            # The dependent's "Asked only if" names the parent's option (set in the kb). And
            # a question made a proposal leaves the form: the questionnaire's later sections
            # are numbered again and the review sheets' parts move, listings whose own
            # questions did not change (in the same step: no more builds).
            ("skip-logic parent, question proposed", lambda: (
                edit(project / PARENT, "label: Another language",
                     "label: Another language (edited)"),
                edit(project / PROPOSED, "status: agreed", "status: proposed")),
             lambda site: (
                 page_shows(QUESTION, "includes Another language (edited)")(site),
                 "return-intentions" not in read(
                     site, "questionnaire/section/population-mobility/index.html")
                 or pytest.fail("the proposal is still in the questionnaire"))),
        ]
        for name, change, shows in steps:
            before = {p.path: p.content for p in plugin.pages}  # type: ignore[attr-defined]
            change()
            plugin = serve_build(project, served)
            shows(served)
            if name == "question text":
                # Rendered again: exactly the kept pages whose Markdown changed (the
                # question's own, its parent's listing its dependents, the listings holding
                # it); the other listings are reused.
                changed = {p.path for p in plugin.pages  # type: ignore[attr-defined]
                           if p.path.endswith(".md") and before.get(p.path) != p.content}
                hits, looked_up = plugin.markdown_memo.last  # type: ignore[attr-defined]
                assert looked_up - hits == len(changed - UNKEPT), " ".join(sorted(changed - UNKEPT))
                assert {"dap/sector/aap.md", "questionnaire/section/aap/index.md"} <= changed
                assert looked_up - hits < looked_up / 4
                assert plugin.parse_memo.misses == adopting + 1  # type: ignore[attr-defined]
            cold = tmp_path / f"cold-{len(name)}-{name.replace(' ', '-')}"
            warm = tmp_path / f"warm-{name.replace(' ', '-')}"
            with fresh_plugin():
                serve_build(project, cold, cache=False)
            with fresh_plugin():
                serve_build(project, warm)
            expected = tree(cold)
            for site in (served, warm):
                got = tree(site)
                assert sorted(k for k in got.keys() | expected.keys()
                              if got.get(k) != expected.get(k)) == [], (name, site.name)
