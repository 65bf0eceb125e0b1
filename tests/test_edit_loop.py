"""The edit loop never serves stale content.

`mkdocs serve` keeps the plugin object between rebuilds: parsed kb files (by their bytes),
question pages' Markdown (by a hash of their slice of the kb), zips of unchanged downloads
and the page caches are reused, and a kb edit rebuilds only the pages it changed
(plugin/incremental.py). Each step edits one input and rebuilds as serve does; the served
site must show the edit and be byte-identical to a cold build without any cache (a fresh
plugin, as a new process has), and so must a warm build (a fresh plugin reading the cache
folder back). Speed is measured in benchmarks/edit_loop.py, not here.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from support import SAMPLE_KB, copy_project, without_process_memos

from generator.i18n.coverage import fingerprint

EPOCH = "1767225600"
SERVE_URL = "http://127.0.0.1:8000/"
PLUGIN = "country-toolkit"
CACHE = ".cache/country-toolkit"  # the plugin's cache_dir (default), in the project


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


class Logged(logging.Handler):
    """What the plugin logs (the kb's problems: stale translations are only logged)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def _full_build(project: Path, site: Path, *, cache: bool = True,
                cache_dir: Path | None = None) -> object:
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=False)
    plugin = config.plugins[PLUGIN]
    plugin.config["cache"] = cache
    if cache_dir is not None:
        plugin.config["cache_dir"] = str(cache_dir)
    build(config, serve_url=SERVE_URL)
    return plugin


@contextlib.contextmanager
def _logged(logged: list[str] | None) -> Iterator[None]:
    handler, logger = Logged(), logging.getLogger("mkdocs.plugins.country-toolkit")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    if logged is not None:
        logged[:] = handler.lines


def serve_build(project: Path, site: Path, *, cache: bool = True,
                cache_dir: Path | None = None, logged: list[str] | None = None) -> object:
    """One full build as `mkdocs serve` runs it (dirty=False, serve_url set, serving on)."""
    with _logged(logged):
        return _full_build(project, site, cache=cache, cache_dir=cache_dir)


def serve_rebuild(project: Path, site: Path, plugin: object,
                  logged: list[str] | None = None) -> object:
    """A rebuild as `mkdocs serve` makes it after a save: the plugin's (only the pages the
    edit changed, plugin/incremental.py), or a full build when it cannot."""
    with _logged(logged):
        plugin.rebuild(lambda: _full_build(project, site))  # type: ignore[attr-defined]
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
QUESTION_FILE = "kb/questions/aap/aap-other-languages.yml"
PARENT = "kb/questions/aap/aap-languages-spoken.yml"  # aap-other-languages' skip logic reads it
ADOPTED = "questions/aap/aap-feedback-channels/index.html"
PURPOSE = "Find small language groups at risk of being left out of communication."
# Its mock-up sentence: how many locations were asked (the parent's false answers decide).
ASKED = re.compile(r"named another language in (\S+) locations")


def stale_purpose(lines: list[str]) -> list[str]:
    return [line for line in lines if "aap-other-languages.yml" in line
            and "translations.fr.source_hash.purpose" in line]


def cache_files(project: Path) -> dict[str, bytes]:
    folder = project / CACHE
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.sqlite"))}


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


# Edits a serve rebuild cannot follow page by page (plugin/incremental.py): a full build.
FULL_REBUILDS = {
    "title in the nav",  # the home page's title is in every page's navigation
    "template + hand-written page",  # overrides/ and docs/
    "skip-logic parent",  # a proposal leaves the questionnaire: its pages move
}


def test_served_and_warm_builds_match_a_cold_build_after_each_edit(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import pages as pages_module

    for name, value in SPLIT.items():
        monkeypatch.setattr(pages_module, name, value)
    served = tmp_path / "served"
    with without_process_memos():
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

        def question_text() -> None:
            edit(project / QUESTION_FILE, "which language or dialect is it?",
                 "which language or dialect is it (edited)?")
            # Its French purpose was translated from the old text: now stale (a warning).
            edit(project / QUESTION_FILE, PURPOSE, PURPOSE + " Edited.")

        def sector_name() -> None:
            edit(project / "kb/sectors.yml", "name: Water, Sanitation and Hygiene",
                 "name: Water and Hygiene Renamed")
            # The translator reviewed the purpose: the stale warning goes.
            edit(project / QUESTION_FILE, "purpose: vjkjsshq",
                 f"purpose: {fingerprint(PURPOSE + ' Edited.')}")

        def skip_logic_parent() -> None:
            edit(project / PARENT, "label: Another language", "label: Another language (edited)")
            # More "another language" answers: more locations are asked the dependent question.
            edit(project / PARENT, "      other: 8\n", "      other: 60\n")
            # A question made a proposal leaves the form: the questionnaire's later sections
            # are numbered again and the review sheets' parts move, listings whose own
            # questions did not change.
            edit(project / PROPOSED, "status: agreed", "status: proposed")

        def skip_logic_parent_shows(site: Path) -> None:
            page_shows(QUESTION, "includes Another language (edited)")(site)
            if "return-intentions" in read(
                    site, "questionnaire/section/population-mobility/index.html"):
                pytest.fail("the proposal is still in the questionnaire")

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

        # The home page's title (the country's name) is in the navigation of every page.
        title_in_nav: Step = ("title in the nav", lambda: edit(
            project / "kb/country.yml", "name: Republic of Veloria",
            "name: Republic of Veloria Renamed"),
            shows_everywhere("Republic of Veloria Renamed"))
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
        hand_written_page: Step = ("hand-written page", lambda: edit(
            project / "docs/about.md", "\n", "\nA sentence added by the edit-loop test.\n"),
            page_shows("about/index.html", "A sentence added by the edit-loop test."))

        # The question-text step stands alone: its counts of reused pages are checked below.
        # Edits that change every page (title, template) stand alone too: any other edit
        # made with them would be hidden in pages rebuilt anyway.
        steps: list[Step] = [
            ("question text", question_text,
             page_shows(QUESTION, "which language or dialect is it (edited)?")),
            title_in_nav,
            # A sector's name is the tag of its questions: their pages, the tag listings and
            # the tags page's index change (rebuilt page by page).
            together(("sector name", sector_name,
                      page_shows("questions/wash/index.html", "Water and Hygiene Renamed")),
                     partner_name, library_question),
            together(template, hand_written_page),
            # The dependent's "Asked only if" names the parent's option (set in the kb).
            ("skip-logic parent", skip_logic_parent, skip_logic_parent_shows),
        ]
        logged: list[str] = []
        for name, change, shows in steps:
            # The cache folder as the last build left it: the warm build below starts from
            # it, as `mkdocs build` after an edit does (the served rebuild may rewrite the
            # folder, and a warm build after that could not show a stale entry on disk).
            slug = name.replace(" ", "-").replace("+", "and")
            before = tmp_path / f"cache-before-{slug}"
            if (project / CACHE).is_dir():
                shutil.copytree(project / CACHE, before)
            before_pages = {p.path: p.content for p in plugin.pages}  # type: ignore[attr-defined]
            change()
            asked = ASKED.findall(read(served, QUESTION))
            stored = cache_files(project)
            plugin = serve_rebuild(project, served, plugin, logged=logged)
            shows(served)
            # The rebuild was the plugin's, of the changed pages only, where it can be; a
            # change it cannot follow page by page got a full build.
            incremental = plugin.incremental  # type: ignore[attr-defined]
            assert bool(incremental.fallbacks) == (name in FULL_REBUILDS), (
                name, incremental.fallbacks)
            if name not in FULL_REBUILDS:
                assert 0 < len(incremental.rebuilt) < 60, incremental.rebuilt
            incremental.fallbacks.clear()
            memo = plugin.rebuild_memo  # type: ignore[attr-defined]
            if name == "question text":
                assert {"questions/aap/aap-other-languages.md", "tags.md",
                        "questionnaire/vlr_msla.xlsx"} <= set(incremental.rebuilt)
                assert "about.md" not in incremental.rebuilt
                hits, looked_up = plugin.markdown_memo.last  # type: ignore[attr-defined]
                # Rendered again: exactly the kept pages whose Markdown changed (the
                # question's own, its parent's listing its dependents, the listings holding
                # it); the other listings are reused.
                changed = {p.path for p in plugin.pages  # type: ignore[attr-defined]
                           if p.path.endswith(".md") and before_pages.get(p.path) != p.content}
                assert looked_up - hits == len(changed - UNKEPT), " ".join(sorted(changed - UNKEPT))
                assert {"dap/sector/aap.md", "questionnaire/section/aap/index.md"} <= changed
                assert looked_up - hits < looked_up / 4
                assert plugin.parse_memo.misses == adopting + 1  # type: ignore[attr-defined]
                # Only the pages that show the question are converted again.
                reused, converted = plugin.html_cache.store.last  # type: ignore[attr-defined]
                assert 0 < converted - reused < 20
                # Its own mock-up is made again, the others' are reused; its label changed
                # the questionnaire workbook.
                assert memo.mockup_misses == 1 and memo.mockup_hits > 50
                assert not memo.xlsform_hit
                assert len(stale_purpose(logged)) == 1
                # Serve rewrites its cache files only when it stops.
                assert cache_files(project) == stored
                plugin.on_shutdown()  # type: ignore[attr-defined]
                written = cache_files(project)
                assert written.keys() == stored.keys() and written != stored
            if name.startswith("sector name"):
                assert stale_purpose(logged) == []
            if name.startswith("template"):  # the kb is unchanged: so is its questionnaire
                assert memo.xlsform_hit
            if name == "skip-logic parent":
                assert ASKED.findall(read(served, QUESTION)) != asked != []
            cold, warm = tmp_path / f"cold-{slug}", tmp_path / f"warm-{slug}"
            cold_logged: list[str] = []
            with without_process_memos():
                serve_build(project, cold, cache=False, logged=cold_logged)
            assert logged == cold_logged, name  # the same problems (translations too)
            warm_logged: list[str] = []
            with without_process_memos():
                serve_build(project, warm, cache_dir=before, logged=warm_logged)
            # The same problems at the same lines: files read back from the cache folder
            # parse their line numbers again for a message.
            assert warm_logged == cold_logged, name
            expected = tree(cold)
            for site in (served, warm):
                got = tree(site)
                assert sorted(k for k in got.keys() | expected.keys()
                              if got.get(k) != expected.get(k)) == [], (name, site.name)


def test_checks_kept_between_loads_see_every_edit(tmp_path: Path) -> None:
    """Serve keeps each file's check results (todos, translations...) with its parse: after
    each edit, a load with the memo reports exactly what a load without one does, files the
    edit did not touch included (their checks read the country's round and languages)."""
    from generator.loader import load
    from generator.parse_memo import ParseMemo

    project = copy_project(tmp_path / "project", SAMPLE_KB)
    kb, memo = project / "kb", ParseMemo()

    def codes(file: str) -> set[str]:
        _, with_memo = load(kb, memo=memo)
        assert memo.hits > 50
        assert with_memo.problems == load(kb)[1].problems
        return {p.code for p in with_memo.problems if p.path.endswith(file)}

    load(kb, memo=memo)
    assert "translation-stale" not in codes(QUESTION_FILE)
    edit(project / QUESTION_FILE, PURPOSE, PURPOSE + " Edited.")
    assert "translation-stale" in codes(QUESTION_FILE)
    # French is no longer a site language: its stale translations are no one's concern.
    edit(kb / "country.yml", "  - code: fr\n    name: Français\n", "")
    assert "translation-stale" not in codes(QUESTION_FILE)
    # An earlier round: questions first asked later are now in the future (unchanged files).
    assert "round-in-future" not in codes("")
    edit(kb / "country.yml", "  number: 6\n", "  number: 2\n")
    assert "round-in-future" in codes("")
    edit(kb / "country.yml", "  number: 2\n", "  number: 6\n")
    edit(project / QUESTION_FILE, "status: agreed", "status: TODO")
    assert "todo-left" in codes(QUESTION_FILE)
    edit(project / QUESTION_FILE, "status: TODO", "status: agreed")
    assert "todo-left" not in codes(QUESTION_FILE)


def test_mockups_kept_between_renders_follow_every_input(tmp_path: Path) -> None:
    """Serve keeps false answers and mock-ups by keys of what they read: in another
    language the page's own translation of the question, and the false answers of the
    question its skip logic reads. After each edit every mock-up equals a fresh one."""
    from generator.loader import load
    from generator.page_memo import Digests
    from generator.pages import Options, SiteRenderer
    from generator.parse_memo import ParseMemo
    from generator.rebuild_memo import RebuildMemo

    project = copy_project(tmp_path / "project", SAMPLE_KB)
    memo = RebuildMemo()
    digests = Digests()  # the records' digests, kept across renders as the plugin does
    parsed = ParseMemo()  # unchanged records stay the same objects (Digests reuses them)

    def mockups() -> dict[str, tuple[str, str]]:
        kb, _report = load(project / "kb", memo=parsed)
        assert kb is not None
        memo.start()
        kept = SiteRenderer(kb, Options(language="fr", rebuild=memo, digests=digests)).mockups
        assert memo.mockup_hits + memo.mockup_misses == len(kept) > 50
        fresh = SiteRenderer(kb, Options(language="fr")).mockups
        got = {q: (m.sentence, m.chart_html) for q, m in kept.items()}
        assert got == {q: (m.sentence, m.chart_html) for q, m in fresh.items()}
        return got

    before = mockups()
    # The French sentence alone changes: the English record and its false answers do not.
    edit(project / QUESTION_FILE, "dans {n_locations} localités ;",
         "dans {n_locations} localités (modifié) ;")
    after = mockups()
    assert memo.mockup_misses == 1
    assert "(modifié)" in after["aap-other-languages"][0]
    # More "another language" answers in the parent: more locations asked the dependent.
    edit(project / PARENT, "      other: 8\n", "      other: 60\n")
    child = mockups()["aap-other-languages"]
    assert child != after["aap-other-languages"] and before != after
