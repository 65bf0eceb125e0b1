"""Serve rebuilds of the changed pages only (generator/plugin/incremental.py): when they
give way to a full build. tests/test_edit_loop.py compares the rebuilt site with a cold
build after each kind of edit; these check the cases it does not make."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import SMALL_KB, copy_project, without_process_memos
from test_edit_loop import _full_build, edit, serve_build, serve_rebuild, tree

from generator.plugin import incremental

Q = "kb/questions/wash/wash-water-source.yml"
PAGE = "questions/wash/wash-water-source/index.html"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    return copy_project(tmp_path / "project", SMALL_KB)


def purpose_edit(project: Path, words: str) -> None:
    edit(project / Q, "purpose: Identify locations", f"purpose: {words} Identify locations")


def matches_cold_build(project: Path, served: Path, tmp_path: Path) -> None:
    cold = tmp_path / "cold"
    with without_process_memos():
        serve_build(project, cold, cache=False)
    got, expected = tree(served), tree(cold)
    assert sorted(k for k in got.keys() | expected.keys() if got.get(k) != expected.get(k)) == []


def test_a_kb_edit_rebuilds_its_pages_only(project: Path, tmp_path: Path) -> None:
    served = tmp_path / "served"
    with without_process_memos():
        plugin = serve_build(project, served)
        untouched = served / "about" / "index.html"
        stamp = untouched.stat().st_mtime_ns
        purpose_edit(project, "Edited purpose.")
        serve_rebuild(project, served, plugin)
        state = plugin.incremental  # type: ignore[attr-defined]
        assert state.fallbacks == [] and "questions/wash/wash-water-source.md" in state.rebuilt
        assert "Edited purpose. Identify locations" in (served / PAGE).read_text("utf-8")
        assert untouched.stat().st_mtime_ns == stamp  # not written again
        matches_cold_build(project, served, tmp_path)


def test_a_plugin_it_does_not_know_gets_full_builds(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(incremental, "KNOWN_PLUGINS",
                        incremental.KNOWN_PLUGINS - {"material/tags", "tags"})
    served = tmp_path / "served"
    with without_process_memos():
        plugin = serve_build(project, served)
        purpose_edit(project, "Edited purpose.")
        serve_rebuild(project, served, plugin)
        state = plugin.incremental  # type: ignore[attr-defined]
        assert state.fallbacks and "tags" in state.fallbacks[-1] and state.rebuilt == []
        assert "Edited purpose. Identify locations" in (served / PAGE).read_text("utf-8")


def test_a_save_while_a_full_build_loads_is_seen(project: Path, tmp_path: Path) -> None:
    """mkdocs.yml saved after serve's full build started loading it (the build used the
    old one): the next rebuild is full, and shows the change."""
    served = tmp_path / "served"
    with without_process_memos():
        plugin = serve_build(project, served)
        state = plugin.incremental  # type: ignore[attr-defined]
        state.stamp_before_full_build()  # as plugin.rebuild does before a full build
        config = project / "mkdocs.yml"
        text = config.read_text("utf-8")
        # The build below has loaded the old configuration when the save lands, before
        # the plugin's first step.
        original_start = state.start

        def save_then_start(config_obj: object) -> None:
            config.write_text(text.replace("site_name: ", "site_name: Saved "), "utf-8")
            original_start(config_obj)

        state.start = save_then_start
        _full_build(project, served)
        state.start = original_start
        assert "Saved " not in (served / PAGE).read_text("utf-8")
        purpose_edit(project, "Edited purpose.")
        serve_rebuild(project, served, plugin)
        assert state.fallbacks == ["a file outside the kb changed"]
        page = (served / PAGE).read_text("utf-8")
        assert "Saved " in page and "Edited purpose. Identify locations" in page


def test_after_a_broken_kb_the_fixed_kb_gets_a_full_build(project: Path,
                                                         tmp_path: Path) -> None:
    served = tmp_path / "served"
    record = project / Q
    good = record.read_text("utf-8")
    with without_process_memos():
        plugin = serve_build(project, served)
        state = plugin.incremental  # type: ignore[attr-defined]
        record.write_text(good + "\nstatus: [unclosed\n", "utf-8")
        serve_rebuild(project, served, plugin)
        assert state.fallbacks == ["the kb cannot be built as it is"]
        assert not (served / PAGE).exists()  # the report is served instead
        record.write_text(good.replace("purpose: Identify", "purpose: Fixed. Identify"),
                          "utf-8")
        serve_rebuild(project, served, plugin)
        assert state.fallbacks[-1] == "no earlier build to start from"
        assert "Fixed. Identify" in (served / PAGE).read_text("utf-8")
        edit(record, "purpose: Fixed.", "purpose: Then edited.")
        state.fallbacks.clear()
        serve_rebuild(project, served, plugin)
        assert state.fallbacks == [] and state.rebuilt
        assert "Then edited. Identify" in (served / PAGE).read_text("utf-8")
        matches_cold_build(project, served, tmp_path)


def test_many_edits_keep_one_version_of_each_page(project: Path, tmp_path: Path) -> None:
    """The caches carry the pages a rebuild did not make, not the older versions of those
    it made: a long serve session does not grow with every save."""
    served = tmp_path / "served"
    with without_process_memos():
        plugin = serve_build(project, served)
        stores = [plugin.html_cache.store, plugin.output_cache.store,  # type: ignore[attr-defined]
                  plugin.search_cache.store]  # type: ignore[attr-defined]
        sizes = []
        purpose_edit(project, "E0.")
        for n in range(3):
            edit(project / Q, f"purpose: E{n}.", f"purpose: E{n + 1}.")
            serve_rebuild(project, served, plugin)
            assert plugin.incremental.fallbacks == []  # type: ignore[attr-defined]
            sizes.append([len(s.entries) for s in stores])
        assert sizes[0] == sizes[1] == sizes[2]
        matches_cold_build(project, served, tmp_path)


def test_a_warning_gets_a_full_build_which_strict_mode_stops(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild page by page would not stop on a warning as strict mode does: it leaves
    the rebuild to a full build, which stops (MkDocs then serves the last site)."""
    import logging

    from mkdocs.exceptions import Abort

    from generator.plugin import plugin as plugin_module

    served = tmp_path / "served"
    with without_process_memos():
        plugin = serve_build(project, served)
        purpose_edit(project, "Edited purpose.")

        class Warns(plugin_module.SiteRenderer):
            def pages(self):  # type: ignore[no-untyped-def]
                logging.getLogger("mkdocs.plugins.country-toolkit").warning("a warning")
                return super().pages()

        monkeypatch.setattr(plugin_module, "SiteRenderer", Warns)
        with pytest.raises(Abort, match="strict mode"):
            serve_rebuild(project, served, plugin)
        assert plugin.incremental.fallbacks == [  # type: ignore[attr-defined]
            "a warning was logged (strict mode counts it)"]


def test_the_installed_mkdocs_and_material_are_the_verified_ones() -> None:
    """Fails on an upgrade, on purpose: read the new version's `_populate_page`,
    `_build_page`, search index and tags plugin again (incremental.py says what it relies
    on), run this file and tests/test_edit_loop.py, then add the version to VERIFIED."""
    assert incremental.verified()


def test_another_version_gets_full_builds(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(incremental, "VERIFIED", {"mkdocs": ("0.0",)})
    served = tmp_path / "served"
    with without_process_memos():
        plugin = serve_build(project, served)
        purpose_edit(project, "Edited purpose.")
        serve_rebuild(project, served, plugin)
        assert "verified" in plugin.incremental.fallbacks[-1]  # type: ignore[attr-defined]
        assert "Edited purpose. Identify locations" in (served / PAGE).read_text("utf-8")
