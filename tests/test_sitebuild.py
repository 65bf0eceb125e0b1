"""`toolkit build` replaces the site only when the new one is complete."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from mkdocs.exceptions import MkDocsException
from support import SAMPLE_KB, SMALL_KB, copy_project

from generator import sitebuild
from generator.cli import main
from generator.sitebuild import build_site_atomically

TOOLKIT = [str(Path(sys.executable).with_name("toolkit"))]  # the installed command


def snapshot(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def break_kb(kb: Path) -> None:
    q = kb / "questions/wash/wash-water-source.yml"
    q.write_text(q.read_text(encoding="utf-8").replace("status: agreed", "status: approved"),
                 encoding="utf-8")


def siblings(site: Path) -> list[str]:
    return sorted(p.name for p in site.parent.iterdir() if p.name.startswith(f".{site.name}"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project", SMALL_KB)


def test_build_replaces_the_site(project: Path) -> None:
    site = project / "site"
    site.mkdir()
    (site / "stale.html").write_text("from an earlier build")
    assert build_site_atomically(project / "mkdocs.yml") == site.resolve()
    assert (site / "index.html").is_file() and (site / "dap/data-analysis-plan.xlsx").is_file()
    assert not (site / "stale.html").exists()  # a fresh folder: nothing stale survives
    assert oct(site.stat().st_mode & 0o777) == "0o755"
    assert siblings(site) == []


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
def test_a_failed_build_leaves_the_previous_site(
    project: Path, monkeypatch: pytest.MonkeyPatch, exchange: bool
) -> None:
    if not exchange:
        monkeypatch.setattr(sitebuild, "_exchange", lambda a, b: False)
    site = project / "site"
    build_site_atomically(project / "mkdocs.yml")
    before = snapshot(site)
    break_kb(project / "kb")
    with pytest.raises(MkDocsException):
        build_site_atomically(project / "mkdocs.yml")
    assert snapshot(site) == before
    assert siblings(site) == []


def test_cli_reports_a_bad_kb_and_keeps_the_site(project: Path) -> None:
    site = project / "out"
    runner = CliRunner()
    ok = runner.invoke(main, ["build", "-f", str(project / "mkdocs.yml"), "-d", str(site)])
    assert ok.exit_code == 0, ok.output
    before = snapshot(site)
    break_kb(project / "kb")
    failed = runner.invoke(main, ["build", "-f", str(project / "mkdocs.yml"), "-d", str(site)])
    assert failed.exit_code == 1
    assert "Build failed: the previous site is unchanged." in failed.output
    assert "Traceback" not in failed.output
    assert snapshot(site) == before


def test_a_killed_build_leaves_the_previous_site(tmp_path: Path) -> None:
    """Kill `toolkit build` while MkDocs is writing the new site (the sample kb takes
    seconds to write): the previous site is whole, and the next build cleans up."""
    project = copy_project(tmp_path / "project", SAMPLE_KB)
    site = project / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TOOLKIT_MOCKUPS": "1"}
    subprocess.run([*TOOLKIT, "build"], cwd=project, env=env, check=True,
                   capture_output=True)
    before = snapshot(site)
    assert len(before) > 150
    proc = subprocess.Popen([*TOOLKIT, "build"], cwd=project, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        written = 0
        while time.monotonic() < deadline and proc.poll() is None:
            building = [p for p in project.glob(".site.building-*")]
            written = sum(1 for b in building for _ in b.rglob("*.html"))
            if written >= 10:  # MkDocs is writing pages: kill it midway
                os.killpg(proc.pid, signal.SIGKILL)
                break
            time.sleep(0.02)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == -signal.SIGKILL, "the build finished before it could be killed"
    assert written >= 10
    assert snapshot(site) == before  # the previous site, whole
    assert siblings(site) != []  # the half-written build is left beside it...
    subprocess.run([*TOOLKIT, "build"], cwd=project, env=env, check=True,
                   capture_output=True)
    assert siblings(site) == []  # ...until the next build removes it
    assert len(snapshot(site)) == len(before)
