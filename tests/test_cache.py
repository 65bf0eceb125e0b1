"""The page cache lives outside the site, can be deleted or damaged.

That edits never show stale content (a question, a template, a sector name, a hand-written
page...) is tests/test_edit_loop.py's part. Speed is measured in benchmarks/, not here.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from mkdocs.config import load_config
from support import SAMPLE_KB, copy_project, without_process_memos

from generator.build import build_site
from generator.rebuild_memo import checksum

EPOCH = "1767225600"


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return copy_project(tmp_path / "project", SAMPLE_KB)


def test_cache_lives_outside_the_site_and_can_be_deleted(project: Path,
                                                         tmp_path: Path) -> None:
    build_site(project / "kb", tmp_path / "one", project=project)
    cache = project / ".cache" / "country-toolkit"
    assert sorted(p.name for p in cache.iterdir()) == [
        "files-v1", "html-v1.json", "markdown-v1.json", "pages-v1.json", "parse-v1.json",
        "rebuild-v1.json", "search-v1.json"]
    assert not any(".cache" in p.parts for p in (tmp_path / "one").rglob("*"))
    (cache / "html-v1.json").write_text("{not json", encoding="utf-8")  # damaged
    (cache / "pages-v1.json").unlink()
    # A new process: the plugin object MkDocs keeps (and its in-memory cache) starts afresh.
    load_config(str(project / "mkdocs.yml")).plugins["country-toolkit"].html_cache = None
    build_site(project / "kb", tmp_path / "two", project=project)
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def build_new(project: Path, site: Path) -> object:
    """A `mkdocs build` in a new process (the cache folder as the last build left it)."""
    with without_process_memos():
        build_site(project / "kb", site, project=project)
        return load_config(str(project / "mkdocs.yml")).plugins["country-toolkit"]


def test_mockups_and_false_data_are_read_back_and_a_bad_entry_is_made_again(
        project: Path, tmp_path: Path) -> None:
    """A new build reads back the mock-ups (JSON) and the FALSE DATA files (plain bytes)
    of the last one; a damaged, truncated or foreign entry is a miss: the site is the same
    as a build without any cache, and the entry is written again."""
    cold = tmp_path / "cold"
    build_site(project / "kb", cold, project=project, cache=False)
    expected = tree(cold)
    cache = project / ".cache" / "country-toolkit"
    build_new(project, tmp_path / "fill")
    plugin = build_new(project, tmp_path / "warm")
    memo = plugin.rebuild_memo  # type: ignore[attr-defined]
    assert memo.mockup_misses == 0 and memo.mockup_hits > 50 and memo.downloads_hit
    # Every kb file's YAML is read back but those adopting from the library.
    adopting = sum("\nadopts:" in p.read_text(encoding="utf-8")
                   for p in (project / "kb/questions").rglob("*.yml"))
    parsed = plugin.parse_memo  # type: ignore[attr-defined]
    assert parsed.misses == adopting > 0 and parsed.hits > 50
    # Built into another folder (site_dir): every page's theme rendering is reused.
    reused, looked_up = plugin.output_cache.store.last  # type: ignore[attr-defined]
    assert reused == looked_up > 50
    assert tree(tmp_path / "warm") == expected

    files = cache / "files-v1"
    blobs = sorted(files.glob("*.bin"), key=lambda p: p.stat().st_size)
    assert len(blobs) >= 2  # a CSV and the workbook
    blobs[-1].write_bytes(blobs[-1].read_bytes()[:1000])  # truncated
    stored = json.loads((cache / "rebuild-v1.json").read_text(encoding="utf-8"))
    entries = stored["entries"]
    mockups = [k for k, v in entries.items() if isinstance(v, dict) and "chart" in v]
    assert len(mockups) > 50
    # Well-formed JSON of the wrong shapes, and a sentence changed under its checksum.
    for i, key in enumerate(mockups):
        entries[key] = [{"sentence": 1, "chart": "", "values": {}, "sum": ""}, "<b>x</b>",
                        None, {**entries[key], "sentence": "tampered"}][i % 4]
    (cache / "rebuild-v1.json").write_text(json.dumps(stored), encoding="utf-8")
    # YAML values changed under an unchanged checksum, a wrong tag, a missing field.
    parses = json.loads((cache / "parse-v1.json").read_text(encoding="utf-8"))
    for i, value in enumerate(parses["entries"].values()):
        if i % 3 == 0:
            value["data"][2] = "tampered"  # a mapping's first value
        elif i % 3 == 1:
            value["data"], value["sum"] = ["X", 1], checksum(["X", 1])
        else:
            del value["sum"]
    (cache / "parse-v1.json").write_text(json.dumps(parses), encoding="utf-8")
    plugin = build_new(project, tmp_path / "damaged")
    memo = plugin.rebuild_memo  # type: ignore[attr-defined]
    assert memo.mockup_hits == 0 and not memo.downloads_hit
    assert plugin.parse_memo.hits == 0  # type: ignore[attr-defined]
    assert tree(tmp_path / "damaged") == expected

    # Written again: the next build reads them back.
    memo = build_new(project, tmp_path / "again").rebuild_memo  # type: ignore[attr-defined]
    assert memo.mockup_misses == 0 and memo.downloads_hit
    # A foreign index: another entry's files under this key.
    (index,) = files.glob("*.json")
    other = json.loads(index.read_text(encoding="utf-8"))
    other["key"] = "0" * 64
    index.write_text(json.dumps(other), encoding="utf-8")
    memo = build_new(project, tmp_path / "foreign").rebuild_memo  # type: ignore[attr-defined]
    assert not memo.downloads_hit
    assert tree(tmp_path / "foreign") == expected
