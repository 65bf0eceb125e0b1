"""`mkdocs serve` rebuilds the site when a kb YAML file changes, and survives a broken kb."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from support import SMALL_KB, copy_project, fetch, free_port, wait_until

pytestmark = pytest.mark.slow

Q = "questions/wash/wash-water-source.yml"


@contextmanager
def serving(project: Path, log: Path) -> Iterator[str]:
    """`mkdocs serve` of project, its output in log; yields the URL of the question page."""
    port = free_port()
    with log.open("w") as sink:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=project, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
            stdout=sink, stderr=subprocess.STDOUT,
        )
    try:
        yield f"http://127.0.0.1:{port}/questions/wash/wash-water-source/"
    finally:
        server.terminate()
        server.wait(timeout=20)


def shows(url: str, text: str) -> bool:
    return text in fetch(url)[1]


def test_serve_reloads_when_a_question_changes(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", SMALL_KB)
    log = tmp_path / "serve.log"
    with serving(project, log) as url:
        wait_until(lambda: shows(url, "drink from unsafe sources"), "the first build")
        record = project / "kb" / Q
        record.write_text(record.read_text().replace(
            "purpose: Identify locations", "purpose: Reloaded purpose. Identify locations"))
        wait_until(lambda: shows(url, "Reloaded purpose. Identify locations"), "the reload")
    assert "Traceback" not in log.read_text()


def test_serve_reports_a_broken_kb_and_recovers(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", SMALL_KB)
    log = tmp_path / "serve.log"
    record = project / "kb" / Q
    with serving(project, log) as url:
        wait_until(lambda: shows(url, "drink from unsafe sources"), "the first build")
        good = record.read_text(encoding="utf-8")
        record.write_text(good.replace("purpose: Identify", "purpose: [Identify"))
        wait_until(lambda: "An error happened during the rebuild" in log.read_text(),
                   "the failed rebuild")
        assert "YAML syntax error" in log.read_text()
        record.write_text(good.replace("drink from", "now drink from"), encoding="utf-8")
        wait_until(lambda: shows(url, "now drink from unsafe sources"), "the fixed rebuild")
    assert "Traceback" not in log.read_text().split("An error happened during the rebuild")[-1]
