"""`mkdocs serve`: rebuilds on kb/ and overrides/ changes, shows a broken kb's validation
report in the browser, and asks no repository host anything.

`mkdocs build` of a broken kb still refuses, with the report, and exits non-zero.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from support import SMALL_KB, copy_project, fetch, free_port, wait_until

pytestmark = pytest.mark.slow

Q = "questions/wash/wash-water-source.yml"
REPORT_TITLE = "The knowledge base has errors"


@dataclass(frozen=True)
class Served:
    base: str  # the site root, ending in /
    log: Path  # mkdocs' output

    @property
    def question(self) -> str:
        return self.base + "questions/wash/wash-water-source/"

    def text(self, path: str = "") -> str:
        return fetch(self.base + path)[1]

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextmanager
def serving(project: Path, log: Path, *args: str) -> Iterator[Served]:
    """`mkdocs serve` of project, its output in log."""
    port = free_port()
    with log.open("w") as sink:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", *args],
            cwd=project, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
            stdout=sink, stderr=subprocess.STDOUT,
        )
    try:
        yield Served(f"http://127.0.0.1:{port}/", log)
    finally:
        server.terminate()
        server.wait(timeout=20)


def shows(url: str, text: str) -> bool:
    return text in fetch(url)[1]


def test_serve_reloads_when_a_question_changes(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", SMALL_KB)
    with serving(project, tmp_path / "serve.log") as site:
        wait_until(lambda: shows(site.question, "drink from unsafe sources"), "the first build")
        record = project / "kb" / Q
        record.write_text(record.read_text().replace(
            "purpose: Identify locations", "purpose: Reloaded purpose. Identify locations"))
        wait_until(lambda: shows(site.question, "Reloaded purpose. Identify locations"),
                   "the reload")
        assert "Traceback" not in site.output()
        # Only the pages the edit changed were built again (plugin/incremental.py).
        assert re.search(r"Rebuilt \d+ changed page\(s\) of \d+", site.output())


def test_serve_reloads_when_an_override_changes(tmp_path: Path) -> None:
    """README: `./run serve` reloads on overrides/ changes (mkdocs itself watches theme
    folders only with --watch-theme)."""
    project = copy_project(tmp_path / "project", SMALL_KB)
    with serving(project, tmp_path / "serve.log") as site:
        wait_until(lambda: shows(site.question, "drink from unsafe sources"), "the first build")
        main = project / "overrides" / "main.html"
        main.write_text(main.read_text(encoding="utf-8") + (
            "{% block footer %}Footer changed in overrides{{ super() }}{% endblock %}\n"),
            encoding="utf-8")
        wait_until(lambda: shows(site.question, "Footer changed in overrides"), "the reload")


def test_serve_shows_the_report_of_a_broken_kb_and_recovers(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", SMALL_KB)
    record = project / "kb" / Q
    good = record.read_text(encoding="utf-8")
    with serving(project, tmp_path / "serve.log") as site:
        wait_until(lambda: shows(site.question, "drink from unsafe sources"), "the first build")
        # A YAML error elsewhere, and a key that would be markup if echoed raw.
        record.write_text(good + "<img src=x onerror=alert(1)>: 1\n", encoding="utf-8")
        country = project / "kb" / "country.yml"
        country.write_text(country.read_text(encoding="utf-8") + "\nround: [unclosed\n",
                           encoding="utf-8")
        wait_until(lambda: REPORT_TITLE in site.text(), "the report page")
        home = site.text()
        assert "YAML syntax error" in home and "kb/country.yml" in home
        assert "&lt;img src=x onerror=alert(1)&gt;" in home and "<img src=x" not in home
        # The page the reader was on is gone meanwhile: it shows the report too.
        status, body = fetch(site.question)
        assert status == 404 and REPORT_TITLE in body and "YAML syntax error" in body
        assert "YAML syntax error" in site.output()  # and the terminal has it

        record.write_text(good.replace("drink from", "now drink from"), encoding="utf-8")
        country.write_text(country.read_text(encoding="utf-8").replace(
            "\nround: [unclosed\n", ""), encoding="utf-8")
        wait_until(lambda: shows(site.question, "now drink from unsafe sources"),
                   "the fixed rebuild")
        assert REPORT_TITLE not in site.text()
        assert "Traceback" not in site.output()


def test_build_of_a_broken_kb_still_refuses(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", SMALL_KB)
    record = project / "kb" / Q
    record.write_text(record.read_text(encoding="utf-8") + "purpse: 1\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=project,
                          capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    assert done.returncode == 1
    assert "purpse" in done.stderr
    assert "the knowledge base has 1 error, listed above: fix it" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (project / "site").exists()


@pytest.mark.browser
def test_served_pages_ask_no_repository_host(tmp_path: Path, browser) -> None:
    """With repo_url set, Material's JavaScript asks api.github.com for the repository's
    stars and forks on every page (console errors for a placeholder repository)."""
    project = copy_project(tmp_path / "project", SMALL_KB)
    with serving(project, tmp_path / "serve.log") as site:
        wait_until(lambda: shows(site.question, "drink from unsafe sources"), "the first build")
        page = browser.new_page()
        hosts: set[str] = set()
        page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname or ""))
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        for url in (site.base, site.question):
            # Not "networkidle": the live-reload script keeps a request open.
            page.goto(url, wait_until="load")
            page.wait_for_timeout(2000)  # Material's scripts ask for repository facts on load
        page.close()
    assert "api.github.com" not in hosts
    assert hosts == {"127.0.0.1"}, hosts
    assert errors == []
