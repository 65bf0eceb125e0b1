"""`toolkit render` writes a site source that MkDocs 1.6, ProperDocs and Zensical all build.

None of these builds runs our plugin: the pages are already written out, which is what lets
a country move to another engine without touching the generator. ProperDocs (the maintained
fork of MkDocs 1.6) also runs the plugin itself: tested below.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from support import ROOT, SMALL_KB, copy_project

from generator.cli import main

BIN = Path(sys.executable).parent
ENGINES = {
    "mkdocs": [sys.executable, "-m", "mkdocs", "build", "--strict"],
    "properdocs": [str(BIN / "properdocs"), "build", "--strict"],
    "zensical": [str(BIN / "zensical"), "build"],
}


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("render") / "src"
    with pytest.raises(SystemExit) as done:
        main(["render", str(SMALL_KB), "--out", str(out), "--project", str(ROOT)])
    assert done.value.code in (0, None)
    return out


def test_exported_config_has_no_plugin_of_ours(source: Path) -> None:
    config = yaml.safe_load((source / "mkdocs.yml").read_text())
    names = [next(iter(p)) if isinstance(p, dict) else p for p in config["plugins"]]
    assert "country-toolkit" not in names and "search" in names
    assert (source / "docs/questions/wash/wash-water-source.md").is_file()
    assert (source / "overrides/main.html").is_file()


@pytest.mark.slow
@pytest.mark.parametrize("engine", sorted(ENGINES))
def test_engine_builds_the_exported_source(source: Path, tmp_path: Path, engine: str) -> None:
    work = tmp_path / "src"
    shutil.copytree(source, work)
    done = subprocess.run(ENGINES[engine], cwd=work, capture_output=True, text=True,
                          env=dict(os.environ, NO_MKDOCS_2_WARNING="1"), timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    page = work / "site/questions/wash/wash-water-source/index.html"
    text = html.unescape(page.read_text(encoding="utf-8"))
    assert "What is the main source of drinking water for most IDPs in this location?" in text
    assert "MOCK-UP: illustrative false data" in text and 'class="ctk-mockup' in text
    everything = "\n".join(p.read_text(errors="replace") for p in (work / "site").rglob("*.html"))
    assert "SECRET" not in html.unescape(everything)


@pytest.mark.slow
def test_properdocs_runs_the_plugin_itself(tmp_path: Path) -> None:
    """The project as it is (mkdocs.yml with the plugin), built by ProperDocs."""
    project = copy_project(tmp_path / "project", SMALL_KB)
    done = subprocess.run([str(BIN / "properdocs"), "build", "--strict", "-f", "mkdocs.yml"],
                          cwd=project, capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    site = project / "site"
    page = html.unescape((site / "questions/wash/wash-water-source/index.html").read_text(
        encoding="utf-8"))
    assert "What is the main source of drinking water for most IDPs in this location?" in page
    # Charts are filled in by the plugin after Markdown (on_post_page): no marker left.
    assert 'class="ctk-mockup' in page and "<!-- ctk-mockup:" not in page
    assert "edit/main/kb/questions/wash/wash-water-source.yml" in page
    assert (site / "dap/data-analysis-plan.xlsx").is_file()
    everything = "\n".join(p.read_text(errors="replace") for p in site.rglob("*.html"))
    assert "SECRET" not in html.unescape(everything)
