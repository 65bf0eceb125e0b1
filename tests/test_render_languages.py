"""`toolkit render --language L` and `--all-languages`: a site source per language that a
MkDocs-compatible engine builds without our plugin (interface language, direction, search
stemmer, nav titles and pages all in that language)."""

from __future__ import annotations

import html
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from i18n_kb import FR_WORD, multilingual_kb
from support import ROOT

from generator.cli import main

QUESTION = "questions/wash/wash-water-source"


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("render-languages")
    kb = multilingual_kb(tmp / "kb")
    out = tmp / "src"
    result = CliRunner().invoke(main, ["render", str(kb), "--out", str(out), "--project",
                                       str(ROOT), "--all-languages"])
    assert result.exit_code == 0, result.output
    return out


def config(source: Path) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((source / "mkdocs.yml").read_text(encoding="utf-8"))


def test_one_source_per_language_with_its_settings(sources: Path) -> None:
    assert {p.name for p in sources.iterdir()} == {"en", "fr", "ar", "index.html"}
    assert "url=en/index.html" in (sources / "index.html").read_text(encoding="utf-8")
    fr, ar, en = config(sources / "fr"), config(sources / "ar"), config(sources / "en")
    assert (fr["theme"]["language"], fr["theme"]["direction"]) == ("fr", "ltr")
    assert (ar["theme"]["language"], ar["theme"]["direction"]) == ("ar", "rtl")
    assert en["theme"]["language"] == "en"
    search = next(p["search"] for p in fr["plugins"] if isinstance(p, dict) and "search" in p)
    assert search["lang"] == ["fr"]
    assert [x["lang"] for x in fr["extra"]["toolkit_alternate"]] == ["en", "fr", "ar"]
    assert fr["nav"][0] == {"Accueil": "index.md"} and en["nav"][0] == {"Home": "index.md"}
    page = (sources / "fr/docs" / f"{QUESTION}.md").read_text(encoding="utf-8")
    assert FR_WORD in page and "Toutes les localités" in page
    assert FR_WORD not in (sources / "en/docs" / f"{QUESTION}.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_mkdocs_builds_the_french_source_in_french(sources: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d",
                           str(sources.parent / "site/fr")], cwd=sources / "fr",
                          capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    site = sources.parent / "site/fr"
    page = html.unescape((site / QUESTION / "index.html").read_text(encoding="utf-8"))
    assert '<html lang="fr"' in page and FR_WORD in page
    assert "Accueil" in page and "Toutes les localités" in page
    # The selector links to the same page in the sibling language folders.
    assert f'href="../../../../ar/{QUESTION}/"' in page
    index = (site / "search/search_index.json").read_text(encoding="utf-8")
    assert '"lang":["fr"]' in index.replace(" ", "")


def test_one_language_without_selector_and_unknown_language(tmp_path: Path) -> None:
    kb = multilingual_kb(tmp_path / "kb")
    out = tmp_path / "ar"
    result = CliRunner().invoke(main, ["render", str(kb), "--out", str(out), "--project",
                                       str(ROOT), "--language", "ar", "--no-mockups"])
    assert result.exit_code == 0, result.output
    ar = config(out)
    assert ar["theme"]["direction"] == "rtl" and "toolkit_alternate" not in ar["extra"]
    bad = CliRunner().invoke(main, ["render", str(kb), "--out", str(tmp_path / "x"),
                                    "--project", str(ROOT), "--language", "de"])
    assert bad.exit_code == 2 and "'de' is not one of the site languages" in bad.output
    assert not (tmp_path / "x").exists()
