"""An internal build marks its output (a meta tag on every page, a file in the site folder)
and the check the Site workflow runs before anything leaves the build job finds it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from support import ROOT, SMALL_KB

from generator.build import build_site
from generator.internal_mark import MARK_FILE, META_TAG, find_marks, main, mark_page

pytestmark = pytest.mark.slow


def test_every_page_of_an_internal_build_is_marked(tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site(SMALL_KB, site, project=ROOT, internal=True)
    html = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert "404.html" in html and "index.html" in html
    assert find_marks(site) == sorted([MARK_FILE, *html])
    assert main([str(site)]) == 1


def test_a_public_build_carries_no_mark(small_public_site: Path) -> None:
    assert find_marks(small_public_site) == []
    assert main([str(small_public_site)]) == 0


def test_the_workflow_check_runs_as_a_module(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(mark_page("<html><head></head><body></body></html>"))
    done = subprocess.run([str(ROOT / ".venv/bin/python"), "-m", "generator.internal_mark",
                           str(tmp_path)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 1
    assert "refusing to let it leave this job" in done.stderr and "index.html" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("page", [
    f"<html><head>{META_TAG}</head></html>",
    "<html><head><meta content='x' NAME='toolkit-internal'></head></html>",
    "<html><head><meta name=toolkit-internal content=x></head></html>",
])
def test_the_mark_is_found_however_it_is_written(tmp_path: Path, page: str) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "page.html").write_text(page)
    assert find_marks(tmp_path) == ["sub/page.html"]


def test_mark_page_puts_the_tag_in_head() -> None:
    assert mark_page('<html><head lang="en"><title>t</title>') == (
        f'<html><head lang="en">{META_TAG}<title>t</title>')
    assert mark_page("<p>no head</p>") == f"{META_TAG}<p>no head</p>"


def test_source_rendered_internal_builds_marked_with_another_engine(tmp_path: Path) -> None:
    """`toolkit render --internal` + a plain `mkdocs build` (no plugin) is marked too."""
    out = tmp_path / "src"
    toolkit = ROOT / ".venv" / "bin" / "toolkit"
    done = subprocess.run([str(toolkit), "render", str(SMALL_KB), "--out", str(out),
                           "--project", str(ROOT), "--internal"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    built = subprocess.run([str(ROOT / ".venv" / "bin" / "mkdocs"), "build", "-q", "-d",
                            str(tmp_path / "site")], cwd=out, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    html = sorted(p.relative_to(tmp_path / "site").as_posix()
                  for p in (tmp_path / "site").rglob("*.html"))
    assert find_marks(tmp_path / "site") == html
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "INTERNAL — DO NOT SHARE" in page


def test_a_page_is_marked_once() -> None:
    once = mark_page("<html><head></head></html>")
    assert mark_page(once) == once and once.count("toolkit-internal") == 1
