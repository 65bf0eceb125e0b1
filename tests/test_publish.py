"""`toolkit publish`: one version of the site per round on gh-pages, never an internal build.

Each test publishes into a gh-pages branch pushed to a bare repository in a temporary
folder, the way the Site workflow publishes to GitHub.
"""

from __future__ import annotations

import json
import os
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import SMALL_KB, copy_project

from generator.cli import main
from generator.internal_mark import FILE_WARNING, MARK_FILE, META_TAG, InternalBuildError
from generator.publish import PublishError, publish

pytestmark = pytest.mark.slow


def git(repo: Path, *args: str, check: bool = True) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=check, capture_output=True,
                          text=True).stdout


def set_round(project: Path, number: int, *, status: str = "agreed") -> None:
    """The kb's current round and its plan (the small kb is round 3, agreed, signed off)."""
    country = project / "kb" / "country.yml"
    text = country.read_text(encoding="utf-8")
    start = text.index("round:\n  number: ") + len("round:\n  number: ")
    end = text.index("\n", start)
    country.write_text(text[:start] + str(number) + text[end:], encoding="utf-8")
    plan = project / "kb" / "analysis-plan.yml"
    lines = plan.read_text(encoding="utf-8").splitlines(keepends=True)
    lines = [f"round: {number}\n" if ln.startswith("round:") else
             f"status: {status}\n" if ln.startswith("status:") else ln for ln in lines]
    plan.write_text("".join(lines), encoding="utf-8")
    git(project, "commit", "-qam", f"round {number}")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project in its own git repository, with a bare repository as its origin."""
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    proj = copy_project(tmp_path / "project", SMALL_KB)
    git(proj, "init", "-q", "-b", "main")
    git(proj, "config", "user.name", "Test")
    git(proj, "config", "user.email", "test@example.org")
    git(proj, "add", "-A")
    git(proj, "commit", "-qm", "kb")
    git(proj, "remote", "add", "origin", str(remote))
    return proj


def remote_of(project: Path) -> Path:
    return project.parent / "remote.git"


def tree(repo: Path, rev: str) -> str:
    return git(repo, "rev-parse", rev).strip()


def run_publish(project: Path, *args: str) -> tuple[int, str]:
    cwd = Path.cwd()
    os.chdir(project)
    try:
        result = CliRunner().invoke(main, ["publish", "kb", *args])
    finally:
        os.chdir(cwd)
    return result.exit_code, result.output


def test_two_rounds_both_browsable_with_the_selector_and_round_5_unchanged(
        project: Path) -> None:
    remote = remote_of(project)
    set_round(project, 5)
    first = publish(project, project / "kb", push=True)
    assert (first.version, first.aliases, first.versions) == ("round-5", ("latest",),
                                                              ("round-5",))
    round5 = tree(remote, "gh-pages:round-5")
    set_round(project, 6)
    second = publish(project, project / "kb", push=True)
    assert second.versions == ("round-6", "round-5")

    # Pushed: everything below is read from the bare repository.
    assert tree(remote, "gh-pages:round-5") == round5, "publishing round 6 changed round 5"
    files = git(remote, "ls-tree", "-r", "--name-only", "gh-pages").splitlines()
    for version in ("round-5", "round-6"):
        for page in ("index.html", "questions/index.html", "dap/index.html"):
            assert f"{version}/{page}" in files
    versions = json.loads(git(remote, "show", "gh-pages:versions.json"))
    assert versions == [
        {"version": "round-6", "title": "Round 6", "aliases": ["latest"]},
        {"version": "round-5", "title": "Round 5", "aliases": []},
    ]
    # Material's version selector: its config on every page, reading ../versions.json.
    page = git(remote, "show", "gh-pages:round-6/about/index.html")
    assert '"version": {"provider": "mike"}' in page
    assert "Round 6" in git(remote, "show", "gh-pages:round-6/dap/index.html")
    assert "Round 5" in git(remote, "show", "gh-pages:round-5/dap/index.html")
    # latest follows the newest signed-off round; the site root goes to latest.
    assert 'url=../round-6/' in git(remote, "show", "gh-pages:latest/index.html")
    assert 'url=latest/' in git(remote, "show", "gh-pages:index.html")
    assert ".nojekyll" in files
    assert not any(MARK_FILE in f for f in files)


def test_republishing_a_round_replaces_only_that_round(project: Path) -> None:
    set_round(project, 5)
    publish(project, project / "kb")
    set_round(project, 6)
    publish(project, project / "kb")
    round5 = tree(project, "gh-pages:round-5")
    index = project / "docs" / "about.md"
    index.write_text(index.read_text(encoding="utf-8") + "\nA correction to round 6.\n",
                     encoding="utf-8")
    git(project, "commit", "-qam", "correction")
    publish(project, project / "kb")
    assert tree(project, "gh-pages:round-5") == round5
    assert "A correction to round 6." in git(project, "show", "gh-pages:round-6/about/index.html")


def test_a_plan_not_signed_off_is_refused_and_nothing_is_written(project: Path) -> None:
    set_round(project, 7, status="under-review")
    code, output = run_publish(project)
    assert code == 1
    assert "round 7's Data Analysis Plan is not signed off" in output
    assert "status is 'under-review', not 'agreed'" in output
    assert "--draft" in output and "Traceback" not in output
    assert git(project, "branch", "--list", "gh-pages") == ""


def test_a_plan_for_another_round_is_refused(project: Path) -> None:
    country = project / "kb" / "country.yml"
    country.write_text(country.read_text(encoding="utf-8").replace("number: 3", "number: 4"),
                       encoding="utf-8")
    with pytest.raises(PublishError, match="plan for round 3, but kb/country.yml says the "
                                           "current round is 4"):
        publish(project, project / "kb")


def test_a_draft_goes_out_as_round_n_draft_and_leaves_latest_alone(project: Path) -> None:
    set_round(project, 5)
    publish(project, project / "kb")
    set_round(project, 6, status="draft")
    code, output = run_publish(project, "--draft")
    assert code == 0, output
    assert "Published round-6-draft to gh-pages" in output
    versions = json.loads(git(project, "show", "gh-pages:versions.json"))
    assert [(v["version"], v["aliases"]) for v in versions] == [
        ("round-6-draft", []), ("round-5", ["latest"])]
    assert 'url=../round-5/' in git(project, "show", "gh-pages:latest/index.html")


def test_an_internal_build_is_refused_and_the_branch_is_unchanged(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    set_round(project, 5)
    publish(project, project / "kb", push=True)
    before = tree(remote_of(project), "gh-pages")
    monkeypatch.setenv("TOOLKIT_INTERNAL", "1")
    code, output = run_publish(project, "--push")
    assert code == 1
    assert "is an internal build (INTERNAL — DO NOT SHARE" in output
    assert "refusing to publish it to gh-pages" in output and "Traceback" not in output
    assert tree(project, "gh-pages") == before
    assert tree(remote_of(project), "gh-pages") == before


def test_internal_set_in_mkdocs_yml_is_refused_too(project: Path) -> None:
    set_round(project, 5)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "internal: !ENV [TOOLKIT_INTERNAL, false]" in text
    config.write_text(text.replace("internal: !ENV [TOOLKIT_INTERNAL, false]", "internal: true"),
                      encoding="utf-8")
    with pytest.raises(InternalBuildError, match="refusing to publish"):
        publish(project, project / "kb")
    assert git(project, "branch", "--list", "gh-pages") == ""


def test_the_bundle_is_offered_as_a_download_of_its_round(project: Path,
                                                          tmp_path: Path) -> None:
    set_round(project, 5)
    zip_path = tmp_path / "toolkit-round-5-offline.zip"
    with zipfile.ZipFile(zip_path, "w") as zf:
        zf.writestr("index.html", "<html><head></head><body>Round 5</body></html>")
    publish(project, project / "kb", bundle=zip_path)
    files = git(project, "ls-tree", "-r", "--name-only", "gh-pages").splitlines()
    assert "round-5/downloads/toolkit-round-5-offline.zip" in files


@pytest.mark.parametrize("name, content", [
    (f"toolkit-round-5-offline-{FILE_WARNING}.zip", {"index.html": "<html></html>"}),
    ("toolkit-round-5-offline.zip", {MARK_FILE: "x", "index.html": "<html></html>"}),
    ("toolkit-round-5-offline.zip", {"index.html": f"<html><head>{META_TAG}</head></html>"}),
])
def test_an_internal_bundle_is_refused(project: Path, tmp_path: Path, name: str,
                                       content: dict[str, str]) -> None:
    set_round(project, 5)
    zip_path = tmp_path / name
    with zipfile.ZipFile(zip_path, "w") as zf:
        for entry, text in content.items():
            zf.writestr(entry, text)
    code, output = run_publish(project, "--bundle", str(zip_path))
    assert code == 1 and "refusing to publish it" in output, output
    assert git(project, "branch", "--list", "gh-pages") == ""


def test_push_keeps_rounds_already_on_the_remote(project: Path, tmp_path: Path) -> None:
    """A fresh clone (like the workflow's checkout) publishing round 6 keeps round 5."""
    set_round(project, 5)
    publish(project, project / "kb", push=True)
    round5 = tree(remote_of(project), "gh-pages:round-5")
    git(project, "push", "-q", "origin", "main")
    fresh = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "-b", "main", str(remote_of(project)), str(fresh)],
                   check=True)
    git(fresh, "config", "user.name", "CI")
    git(fresh, "config", "user.email", "ci@example.org")
    set_round(fresh, 6)
    result = publish(fresh, fresh / "kb", push=True, remote=str(remote_of(project)))
    assert result.versions == ("round-6", "round-5")
    assert tree(remote_of(project), "gh-pages:round-5") == round5


def test_not_a_git_repository_is_a_clean_error(tmp_path: Path) -> None:
    proj = copy_project(tmp_path / "plain", SMALL_KB)
    code, output = run_publish(proj)
    assert code == 1 and "is not a git repository" in output and "Traceback" not in output


def test_republishing_an_older_round_does_not_take_latest_back(project: Path) -> None:
    set_round(project, 5)
    publish(project, project / "kb")
    set_round(project, 6)
    publish(project, project / "kb")
    set_round(project, 5)  # round 5's kb again: the same files, nothing to commit
    again = publish(project, project / "kb")
    assert not again.changed and again.aliases == ()
    about = project / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nA correction.\n", encoding="utf-8")
    git(project, "commit", "-qam", "a correction to round 5")
    result = publish(project, project / "kb")
    assert result.changed and result.aliases == ()
    assert "A correction." in git(project, "show", "gh-pages:round-5/about/index.html")
    versions = json.loads(git(project, "show", "gh-pages:versions.json"))
    assert [(v["version"], v["aliases"]) for v in versions] == [
        ("round-6", ["latest"]), ("round-5", [])]
    assert "url=../round-6/" in git(project, "show", "gh-pages:latest/index.html")


def test_the_signed_off_round_replaces_its_draft(project: Path) -> None:
    set_round(project, 6, status="under-review")
    publish(project, project / "kb", draft=True)
    assert git(project, "ls-tree", "--name-only", "gh-pages", "round-6-draft").strip()
    assert git(project, "cat-file", "-t", "gh-pages:index.html", check=False) == ""
    set_round(project, 6)
    result = publish(project, project / "kb")
    assert result.versions == ("round-6",)
    assert git(project, "ls-tree", "--name-only", "gh-pages", "round-6-draft").strip() == ""
    assert "url=latest/" in git(project, "show", "gh-pages:index.html")


def test_every_site_language_is_published_and_linked(project: Path) -> None:
    """The small kb is in English and French: English at the root as always, French under
    fr/ with its own versions (Material's version selector reads fr/versions.json), each
    page's language selector pointing at the same page of the same round."""
    publish(project, project / "kb")
    files = set(git(project, "ls-tree", "-r", "--name-only", "gh-pages").splitlines())
    assert {"round-3/index.html", "fr/round-3/index.html", "fr/versions.json",
            "fr/latest/index.html", "fr/index.html"} <= files
    assert not any(f.startswith("en/") for f in files)
    french = git(project, "show", "gh-pages:fr/round-3/questions/wash/wash-water-source/"
                 "index.html")
    assert '<html lang="fr"' in french
    english = git(project, "show", "gh-pages:round-3/questions/wash/wash-water-source/"
                  "index.html")
    assert '<html lang="en"' in english
    # From fr/round-3/questions/wash/wash-water-source/ to the English page, and back.
    assert 'href="../../../../../round-3/questions/wash/wash-water-source/"' in french
    assert 'href="../../../../fr/round-3/questions/wash/wash-water-source/"' in english
    assert json.loads(git(project, "show", "gh-pages:fr/versions.json"))[0]["version"] == \
        "round-3"
    assert "url=latest/" in git(project, "show", "gh-pages:fr/index.html")
