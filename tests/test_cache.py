"""The page cache lives outside the site, can be deleted or damaged.

That edits never show stale content (a question, a template, a sector name, a hand-written
page...) is tests/test_edit_loop.py's part. Speed is measured in benchmarks/, not here.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from mkdocs.config import load_config
from support import SAMPLE_KB, copy_project

from generator.build import build_site

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
        "html-v1.json", "markdown-v1.json", "pages-v1.json", "search-v1.json"]
    assert not any(".cache" in p.parts for p in (tmp_path / "one").rglob("*"))
    (cache / "html-v1.json").write_text("{not json", encoding="utf-8")  # damaged
    (cache / "pages-v1.json").unlink()
    # A new process: the plugin object MkDocs keeps (and its in-memory cache) starts afresh.
    load_config(str(project / "mkdocs.yml")).plugins["country-toolkit"].html_cache = None
    build_site(project / "kb", tmp_path / "two", project=project)
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
