"""Reproducible builds (same kb -> same bytes) and failed builds that leave the last site.

A partner's pull request that breaks the kb must not take the published site (or the
`mkdocs serve` preview) down: the kb is validated and rendered in on_pre_build, before
mkdocs empties site_dir.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import re
import shutil
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError
from support import ROOT, SAMPLE_KB, SMALL_KB, copy_project

from generator.build import build_site
from generator.cli import main

EPOCH = 1767225600  # 2026-01-01T00:00:00Z
Q = "questions/wash/wash-water-source.yml"


def tree(root: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under root."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def differences(a: dict[str, str], b: dict[str, str]) -> list[str]:
    return sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A frozen copy of the project with the sample kb: nothing may change between builds
    (an edit saved to docs/ or kb/ in the working tree meanwhile would look like a diff)."""
    return copy_project(tmp_path / "project", SAMPLE_KB)


def test_source_date_epoch_is_the_date_everywhere(project: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    site = tmp_path / "site"
    # Without a site_url the sitemap lists no pages, and so no dates.
    build_site(project / "kb", site, project=project, site_url="https://toolkit.example.org/")
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert set(re.findall(r"<lastmod>([^<]*)</lastmod>", sitemap)) == {"2026-01-01"}
    with gzip.open(site / "sitemap.xml.gz") as packed:
        assert packed.read().decode("utf-8") == sitemap
    assert int.from_bytes((site / "sitemap.xml.gz").read_bytes()[4:8], "little") == EPOCH
    xlsx = zipfile.ZipFile(io.BytesIO((site / "dap/data-analysis-plan.xlsx").read_bytes()))
    assert {info.date_time for info in xlsx.infolist()} == {(2026, 1, 1, 0, 0, 0)}
    core = xlsx.read("docProps/core.xml").decode("utf-8")
    stamps = re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]*)<", core)
    assert stamps == ["2026-01-01T00:00:00Z"] * 2, core


def test_render_output_is_byte_identical(project: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    runner = CliRunner()
    for out in ("a", "b"):
        result = runner.invoke(main, ["render", str(SMALL_KB), "--out", str(tmp_path / out),
                                      "--project", str(project)])
        assert result.exit_code == 0, result.output
    assert differences(tree(tmp_path / "a"), tree(tmp_path / "b")) == []


# --- failed builds leave the previous output -------------------------------------------

def break_yaml(kb: Path) -> None:
    (kb / Q).write_text("id: wash-water-source\ntext: [unclosed\n", encoding="utf-8")


def add_warning(kb: Path) -> None:
    """A stacked bar without a disaggregation is only a warning, but strict mode fails."""
    path = kb / Q
    text = path.read_text(encoding="utf-8").replace("  disaggregation: [admin1]\n", "")
    text = re.sub(r"\{top_group\}[^{]*\{top_group_pct\}\)?", "", text)
    path.write_text(text, encoding="utf-8")


def bad_reference(kb: Path) -> None:
    path = kb / Q
    path.write_text(path.read_text(encoding="utf-8").replace(
        "requested_by: [wash-cluster]", "requested_by: [no-such-partner]"), encoding="utf-8")


@pytest.mark.parametrize("breakage", [break_yaml, add_warning, bad_reference])
def test_failed_build_leaves_previous_site_intact(small_kb: Path, tmp_path: Path,
                                                  breakage) -> None:
    site = tmp_path / "site"
    build_site(small_kb, site, project=ROOT)
    before = tree(site)
    assert "questions/wash/wash-water-source/index.html" in before
    breakage(small_kb)
    with pytest.raises((PluginError, Abort)):
        build_site(small_kb, site, project=ROOT)
    assert differences(before, tree(site)) == []


def test_rebuild_after_a_failure_shows_the_fix(small_kb: Path, tmp_path: Path) -> None:
    """What `mkdocs serve` does: the same plugin instance rebuilds into the same site_dir."""
    site = tmp_path / "site"
    serve_url = "http://127.0.0.1:8000/"

    def rebuild() -> None:
        config = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site))
        config.plugins["country-toolkit"].config["kb"] = str(small_kb)
        build(config, serve_url=serve_url)

    rebuild()
    page = site / "questions/wash/wash-water-source/index.html"
    good = (small_kb / Q).read_text(encoding="utf-8")
    break_yaml(small_kb)
    with pytest.raises((PluginError, Abort)):
        rebuild()
    assert "Identify locations where IDPs drink" in page.read_text(encoding="utf-8")
    (small_kb / Q).write_text(good.replace("Identify locations", "Fixed, identify locations"),
                              encoding="utf-8")
    rebuild()
    assert "Fixed, identify locations" in page.read_text(encoding="utf-8")


def test_render_failure_leaves_previous_output(small_kb: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    runner = CliRunner()
    args = ["render", str(small_kb), "--out", str(out), "--project", str(ROOT)]
    assert runner.invoke(main, args).exit_code == 0
    (out / "stale.txt").write_text("from an earlier render", encoding="utf-8")
    before = tree(out)

    break_yaml(small_kb)
    result = runner.invoke(main, args)
    assert result.exit_code == 1 and "YAML syntax error" in result.output
    assert tree(out) == before

    shutil.copy(SMALL_KB / Q, small_kb / Q)

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full halfway through")

    monkeypatch.setattr("generator.export.SiteRenderer", explode)
    result = runner.invoke(main, args)
    assert isinstance(result.exception, RuntimeError)
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kb", "out"]  # no temp folders left

    monkeypatch.undo()
    assert runner.invoke(main, args).exit_code == 0
    assert not (out / "stale.txt").exists()  # a successful render replaces the whole folder

# (`mkdocs serve` of a broken kb shows the validation report instead: tests/test_serve.py.)


def test_builds_are_byte_identical_with_or_without_the_page_cache(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No cache, cold cache, cache read back from disk (as a new process would): three builds
    at different times, the same bytes."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    plugin = load_config(str(project / "mkdocs.yml")).plugins["country-toolkit"]
    trees = []
    for name, cache in (("none", False), ("cold", True), ("warm", True)):
        plugin.html_cache = None  # MkDocs keeps the plugin object: drop its in-memory cache
        build_site(project / "kb", tmp_path / name, project=project, cache=cache)
        trees.append(tree(tmp_path / name))
        if name == "none":
            time.sleep(1.1)  # a clock read anywhere would now differ by at least a second
            for path in ("sitemap.xml", "sitemap.xml.gz", "search/search_index.json",
                         "dap/data-analysis-plan.xlsx", "dap/data-analysis-plan.csv"):
                assert path in trees[0], path
        if name == "warm":
            assert plugin.html_cache is not None
            assert plugin.html_cache.store.last[0] == plugin.html_cache.store.last[1] > 100
    assert differences(trees[0], trees[1]) == []
    assert differences(trees[0], trees[2]) == []
    assert not (tmp_path / "none" / ".cache").exists()
