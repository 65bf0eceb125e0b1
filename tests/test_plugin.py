"""The plugin's options (plugin/config.py), read by MkDocs itself, and `!ENV` in mkdocs.yml.

`toolkit render` and `toolkit bundle` read mkdocs.yml with MkDocs' own loader, so the tags
MkDocs documents (`!ENV`, and `!!python/name:` of Material's emoji set-up) work there too.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from support import ROOT, SMALL_KB, copy_project

from generator.cli import main

Q_PAGE = "questions/wash/wash-water-source/index.html"
EDIT = "https://github.com/dtm-veloria/country-toolkit/edit/main/"


def plugin_options(project: Path) -> dict[str, object]:
    return dict(load_config(str(project / "mkdocs.yml")).plugins["country-toolkit"].config)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project", SMALL_KB)


@pytest.mark.parametrize(("value", "internal"), [
    (None, False), ("", False), ("1", True), ("0", False), ("true", True), ("false", False),
])
def test_toolkit_internal_reaches_the_plugin_through_env(
        project: Path, monkeypatch: pytest.MonkeyPatch, value: str | None,
        internal: bool) -> None:
    if value is None:
        monkeypatch.delenv("TOOLKIT_INTERNAL", raising=False)
    else:
        monkeypatch.setenv("TOOLKIT_INTERNAL", value)
    assert plugin_options(project)["internal"] is internal


def test_options_are_typed_and_checked_by_mkdocs(project: Path) -> None:
    options = plugin_options(project)
    assert options["enabled"] is True and options["mockups"] is True
    assert options["kb"] == str(project / "kb")  # relative to mkdocs.yml, made absolute
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    for wrong in ("kb: no-such-folder", "kb: kb\n      enabled: maybe"):
        config.write_text(text.replace("kb: kb", wrong), encoding="utf-8")
        with pytest.raises(Abort):
            load_config(str(config))


def test_a_disabled_plugin_generates_nothing_and_reads_no_kb(project: Path,
                                                             tmp_path: Path) -> None:
    (project / "kb" / "country.yml").write_text("name: [broken\n", encoding="utf-8")
    site = tmp_path / "site"
    # Not strict: the nav names generated pages, which are missing on purpose here.
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site), strict=False)
    config.plugins["country-toolkit"].config["enabled"] = False
    build(config)
    assert (site / "about/index.html").is_file()
    assert not (site / "questions").exists()


# --- "Edit this record" links -----------------------------------------------------------

def git_repo_with_kb_in(tmp_path: Path, folder: str) -> Path:
    """A repository whose toolkit (mkdocs.yml, docs/, kb/) lives in folder."""
    repo = tmp_path / "repo"
    copy_project(repo / folder, SMALL_KB)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    return repo / folder


def edit_links(page: str) -> list[str]:
    return re.findall(r'href="([^"]*/edit/[^"]*\.yml)"', page)


def test_edit_links_include_the_kb_folder_in_the_repository(tmp_path: Path) -> None:
    project = git_repo_with_kb_in(tmp_path, "country")
    site = tmp_path / "site"
    build(load_config(str(project / "mkdocs.yml"), site_dir=str(site)))
    page = (site / Q_PAGE).read_text(encoding="utf-8")
    assert edit_links(page) == [f"{EDIT}country/kb/questions/wash/wash-water-source.yml"]

    out = tmp_path / "src"
    result = CliRunner().invoke(main, ["render", str(project / "kb"), "--out", str(out),
                                       "--project", str(project)])
    assert result.exit_code == 0, result.output
    exported = (out / "docs/questions/wash/wash-water-source.md").read_text(encoding="utf-8")
    assert f"{EDIT}country/kb/questions/wash/wash-water-source.yml" in exported


def test_edit_links_at_the_repository_root(tmp_path: Path) -> None:
    project = git_repo_with_kb_in(tmp_path, ".")
    site = tmp_path / "site"
    build(load_config(str(project / "mkdocs.yml"), site_dir=str(site)))
    page = (site / Q_PAGE).read_text(encoding="utf-8")
    assert edit_links(page) == [f"{EDIT}kb/questions/wash/wash-water-source.yml"]


def test_the_sample_site_asks_no_repository_host(sample_site: Path) -> None:
    """No repo_url until the repository is real: Material would fetch its facts on every page
    (api.github.com for a GitHub URL). Hand-written pages keep their edit button."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    assert config.repo_url is None
    home = (sample_site / "index.html").read_text(encoding="utf-8")
    assert "md-source" not in home and "data-md-component=\"source\"" not in home
    about = (sample_site / "about/index.html").read_text(encoding="utf-8")
    assert f'href="{EDIT}docs/about.md"' in about


# --- mkdocs.yml tags in toolkit render / bundle -----------------------------------------

EMOJI = """
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
      emoji_generator: !!python/name:material.extensions.emoji.to_svg
"""


@pytest.fixture
def tagged_project(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """mkdocs.yml with `!ENV` and Material's documented emoji set-up (an icon: drawn inline,
    so it works offline; a twemoji emoji would be an image from a CDN)."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("site_name: Veloria DTM & Partners Toolkit",
                        "site_name: !ENV [TOOLKIT_SITE_NAME, Veloria]")
    text = text.replace("markdown_extensions:\n", "markdown_extensions:" + EMOJI)
    config.write_text(text, encoding="utf-8")
    about = project / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nMade with :material-heart:\n",
                     encoding="utf-8")
    monkeypatch.setenv("TOOLKIT_SITE_NAME", "Tagged toolkit")
    return project


def test_render_reads_env_and_python_name_tags(tagged_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "src"
    result = CliRunner().invoke(main, ["render", str(tagged_project / "kb"), "--out", str(out),
                                       "--project", str(tagged_project)])
    assert result.exit_code == 0, result.output
    exported = (out / "mkdocs.yml").read_text(encoding="utf-8")
    assert "site_name: Tagged toolkit" in exported
    assert "!!python/name:material.extensions.emoji.twemoji" in exported
    # The exported source builds, emoji and all, with MkDocs' own command.
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=out,
                          capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    assert done.returncode == 0, done.stderr[-2000:]
    about = (out / "site/about/index.html").read_text(encoding="utf-8")
    assert '<span class="twemoji"><svg' in about and "Tagged toolkit" in html.unescape(about)


def test_bundle_reads_env_and_python_name_tags(tagged_project: Path, tmp_path: Path) -> None:
    out = tmp_path / "toolkit.zip"
    result = CliRunner().invoke(main, ["bundle", str(tagged_project / "kb"), "--out", str(out),
                                       "--project", str(tagged_project), "--language", "en"])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as zf:
        about = zf.read("about.html").decode("utf-8")
    assert '<span class="twemoji"><svg' in about and "Tagged toolkit" in html.unescape(about)


def test_a_broken_mkdocs_yml_is_a_clean_error(project: Path, tmp_path: Path) -> None:
    (project / "mkdocs.yml").write_text("site_name: [unclosed\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(project / "kb"), "--out",
                                       str(tmp_path / "src"), "--project", str(project)])
    assert result.exit_code == 1 and result.output.startswith("Error: ")
    assert "Traceback" not in result.output and not (tmp_path / "src").exists()
