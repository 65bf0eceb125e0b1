"""The contribution files: CONTRIBUTING.md, issue forms, PR template, pre-commit hook."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from support import ROOT, SMALL_KB

from generator.cli import main

FORMS = ROOT / ".github" / "ISSUE_TEMPLATE"
FORM_TYPES = {"markdown", "input", "textarea", "dropdown", "checkboxes"}
ID_RE = re.compile(r"^[A-Za-z0-9_-]+$")
CRITERIA = [
    "cannot be obtained", "purpose and use", "capacity to analyse all the data",
    "complex analysis", "accurately",
]


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


# --- issue forms --------------------------------------------------------------------------

def form_files() -> list[Path]:
    return sorted(p for p in FORMS.glob("*.yml") if p.name != "config.yml")


def test_the_three_forms_exist() -> None:
    names = {load(p)["name"] for p in form_files()}
    assert names == {"Propose a question", "Report a problem with the data",
                     "Give feedback on a dataset"}


@pytest.mark.parametrize("path", form_files(), ids=lambda p: p.name)
def test_issue_form_is_a_valid_github_form(path: Path) -> None:
    """The keys and shapes GitHub requires; a form that breaks them silently disappears."""
    form = load(path)
    assert set(form) <= {"name", "description", "body", "title", "labels", "assignees",
                         "projects", "type"}
    assert isinstance(form["name"], str) and form["name"].strip()
    assert isinstance(form["description"], str) and form["description"].strip()
    body = form["body"]
    assert isinstance(body, list) and body
    assert any(el["type"] != "markdown" for el in body), "a form needs at least one field"
    ids, labels = [], []
    for el in body:
        assert el["type"] in FORM_TYPES, el
        attrs = el["attributes"]
        assert set(el) <= {"type", "id", "attributes", "validations"}, el
        if el["type"] == "markdown":
            assert isinstance(attrs["value"], str) and attrs["value"].strip()
            assert "id" not in el and "validations" not in el
            continue
        assert ID_RE.match(el["id"]), el["id"]
        ids.append(el["id"])
        assert isinstance(attrs["label"], str) and attrs["label"].strip()
        labels.append(attrs["label"])
        if el["type"] == "dropdown":
            options = attrs["options"]
            assert options and all(isinstance(o, str) and o.strip() for o in options)
            assert len(set(options)) == len(options)
        if el["type"] == "checkboxes":
            for option in attrs["options"]:
                assert isinstance(option["label"], str) and option["label"].strip()
                assert set(option) <= {"label", "required"}
        if "validations" in el:
            assert set(el["validations"]) <= {"required"}
            assert isinstance(el["validations"]["required"], bool)
    assert len(ids) == len(set(ids)), ids
    assert len(labels) == len(set(labels)), labels


def test_every_form_warns_against_personal_data() -> None:
    for path in form_files():
        intro = " ".join(el["attributes"]["value"] for el in load(path)["body"]
                         if el["type"] == "markdown")
        assert "personal or sensitive data" in intro, path.name


def test_question_form_asks_for_every_minimum_criterion() -> None:
    form = load(FORMS / "propose-question.yml")
    boxes = next(el for el in form["body"] if el.get("id") == "criteria")
    labels = " ".join(o["label"] for o in boxes["attributes"]["options"]).lower()
    for criterion in CRITERIA + ["not sensitive"]:
        assert criterion in labels, criterion


def test_feedback_form_covers_use_methodology_and_resources() -> None:
    form = load(FORMS / "dataset-feedback.yml")
    ids = {el.get("id") for el in form["body"]}
    assert {"use", "methodology", "resources"} <= ids


def test_config_disables_blank_issues_and_points_at_this_repository() -> None:
    config = load(FORMS / "config.yml")
    assert config["blank_issues_enabled"] is False
    # The repository the site's edit links point at (repo_url stays unset until it is real).
    from mkdocs.config import load_config

    edit_url = load_config(str(ROOT / "mkdocs.yml")).plugins["country-toolkit"].config.edit_url
    repo = edit_url.split("/edit/")[0]
    for link in config["contact_links"]:
        assert {"name", "url", "about"} == set(link)
        assert link["url"].startswith(repo + "/"), "keep in step with edit_url in mkdocs.yml"
    assert config["contact_links"][0]["url"].endswith("/CONTRIBUTING.md")


# --- pull-request template ----------------------------------------------------------------

def test_pull_request_template_lists_what_reviewers_check() -> None:
    text = (ROOT / ".github" / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    for needle in CRITERIA + ["Do no harm", "mock-up", "sharing modality", "history",
                              "status: dropped", "toolkit validate kb", "personal"]:
        assert needle in text, needle
    assert text.count("- [ ]") >= 10


# --- CONTRIBUTING.md ----------------------------------------------------------------------

CONTRIBUTING = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")


def test_contributing_explains_the_minimum_criteria() -> None:
    for needle in CRITERIA + ["Do no harm", "either\n   consistently analysed"]:
        assert needle in CONTRIBUTING, needle


def test_contributing_names_each_issue_form() -> None:
    for path in form_files():
        assert f"**{load(path)['name']}**" in CONTRIBUTING, path.name


def test_contributing_commands_exist() -> None:
    """Every `toolkit ...` line in the guide parses with the real command line."""
    lines = re.findall(r"(?m)^(toolkit [^#\n]*?)\s*(?:#.*)?$", CONTRIBUTING)
    assert len(lines) >= 5
    for line in lines:
        args = shlex.split(line)[1:] + ["--help"]
        with pytest.raises(SystemExit) as done:
            main.main(args, prog_name="toolkit", standalone_mode=True)
        assert done.value.code == 0, line


def test_contributing_explains_why_templates_say_todo() -> None:
    assert "TODO" in CONTRIBUTING and "to-do list" in CONTRIBUTING
    assert "cannot be merged by accident" in CONTRIBUTING


def test_contributing_paths_exist() -> None:
    for path in re.findall(r"`((?:kb|\.github)/[^`<>*]+?)`", CONTRIBUTING):
        if "<" in path or path.endswith(".yml") and "veloria-red-crescent" in path:
            continue
        if path.startswith("kb/questions/") and path.count("/") == 3:
            continue  # an example of a new file
        assert (ROOT / path).exists(), path


def test_contributing_yaml_examples_parse() -> None:
    for block in re.findall(r"```yaml\n(.*?)```", CONTRIBUTING, re.S):
        assert isinstance(yaml.safe_load(block), dict)


# --- pre-commit -----------------------------------------------------------------------------

def hook() -> dict:
    config = load(ROOT / ".pre-commit-config.yaml")
    (repo,) = config["repos"]
    assert repo["repo"] == "local"
    (h,) = repo["hooks"]
    return h


def test_pre_commit_config_is_well_formed() -> None:
    h = hook()
    assert {"id", "name", "entry", "language"} <= set(h)
    assert h["language"] in ("system", "python")
    assert h["pass_filenames"] is False
    assert re.search(h["files"], "kb/questions/wash/wash-water-source.yml")
    assert not re.search(h["files"], "generator/cli.py")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(SMALL_KB, tmp_path / "kb")
    return tmp_path


def run_hook(cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the hook's entry as pre-commit does: split like a shell, no shell around it."""
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    return subprocess.run(shlex.split(hook()["entry"]), cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


def test_pre_commit_hook_passes_a_valid_kb(project: Path) -> None:
    done = run_hook(project)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "The knowledge base is valid." in done.stdout


def test_pre_commit_hook_blocks_an_invalid_kb(project: Path) -> None:
    (project / "kb/questions/wash/wash-water-source.yml").write_text("id: [broken\n")
    done = run_hook(project)
    assert done.returncode == 1
    assert "kb/questions/wash/wash-water-source.yml:" in done.stderr + done.stdout


def test_pre_commit_hook_prefers_the_project_venv(project: Path) -> None:
    venv_bin = project / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    fake = venv_bin / "toolkit"
    fake.write_text("#!/bin/sh\necho from-project-venv \"$@\"\n")
    fake.chmod(0o755)
    done = run_hook(project)
    assert done.stdout.strip() == "from-project-venv validate kb"


def test_pre_commit_accepts_the_config() -> None:
    from pre_commit import clientlib  # a test dependency: pre-commit's own config validator

    clientlib.load_config(str(ROOT / ".pre-commit-config.yaml"))
