"""`toolkit diff BASE` on throwaway git repositories."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import markdown
import pytest
import yaml
from click.testing import CliRunner, Result
from hostile import PAYLOAD
from support import SMALL_KB

from generator.cli import main
from generator.diff import diff_kb, to_markdown

WATER = "kb/questions/wash/wash-water-source.yml"  # agreed, asked since round 1 (now 3)
DISTANCE = "kb/questions/wash/wash-distance.yml"  # proposed, never asked
INCIDENTS = "kb/questions/protection/protection-incidents.yml"  # confidential, agreed

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV}, check=True)
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose first commit (tagged base) holds the small kb."""
    root = tmp_path / "repo"
    shutil.copytree(SMALL_KB, root / "kb")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "kb")
    git(root, "commit", "-q", "-m", "base")
    git(root, "tag", "base")
    return root


def edit(repo: Path, rel: str, change: Callable[[dict], None]) -> None:
    path = repo / rel
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def run(repo: Path, *args: str) -> Result:
    cwd = os.getcwd()
    os.chdir(repo)
    try:
        return CliRunner().invoke(main, ["diff", *args])
    finally:
        os.chdir(cwd)


def test_no_changes(repo: Path) -> None:
    result = run(repo, "base")
    assert result.exit_code == 0, result.output
    assert "No changes to the knowledge base." in result.output


def test_reworded_question_asked_before_breaks_comparability(repo: Path) -> None:
    edit(repo, WATER, lambda d: d.update(text="What is the main drinking water source?"))
    result = run(repo, "base")
    assert result.exit_code == 0, result.output  # differences are not errors
    out = result.output
    assert "Questions: 0 added, 0 removed, 1 changed." in out
    assert "**1 change breaks comparability with earlier rounds**" in out
    assert "Breaks comparability with earlier rounds" in out
    assert "- **text** ⚠️" in out
    assert "- What is the main source of drinking water for most IDPs in this location?" in out
    assert "+ What is the main drinking water source?" in out
    assert "Record it in `history` (e.g. `- round: 3`" in out


def test_change_recorded_in_history_is_acknowledged(repo: Path) -> None:
    def reword(d: dict) -> None:
        d["text"] = "What is the main drinking water source?"
        d["history"].append({"round": 3, "change": "Shorter wording."})

    edit(repo, WATER, reword)
    out = run(repo, "base").output
    assert "The change is recorded in `history`." in out
    assert "not yet in `history`" not in out
    assert "added round 3: `Shorter wording.`" in out


def test_option_changes_are_listed_and_flagged(repo: Path) -> None:
    def options(d: dict) -> None:
        d["options"][0]["label"] = "Piped water network"
        d["options"].append({"code": "water_trucking", "label": "Water trucking"})
        del d["options"][1]

    edit(repo, WATER, options)
    out = run(repo, "base").output
    assert "- **options** ⚠️" in out
    assert "added option `water_trucking` `Water trucking`" in out
    assert "removed option `protected_well` `Protected well`" in out
    assert "option `piped_water` relabelled `Piped water` → `Piped water network`" in out


def test_reordered_options_do_not_break_comparability(repo: Path) -> None:
    edit(repo, WATER, lambda d: d["options"].reverse())
    out = run(repo, "base").output
    assert "options reordered" in out and "⚠️" not in out


def test_type_change_breaks_comparability(repo: Path) -> None:
    edit(repo, WATER, lambda d: d.update(type="select_multiple"))
    out = run(repo, "base").output
    assert "- **type** ⚠️" in out and "`select_one` → `select_multiple`" in out


def test_other_fields_change_without_a_flag(repo: Path) -> None:
    def other(d: dict) -> None:
        d["purpose"] = "A clearer purpose."
        d["requested_by"].append("protection-cluster")

    edit(repo, WATER, other)
    out = run(repo, "base").output
    assert "- **purpose**" in out and "`A clearer purpose.`" in out
    assert "- **requested_by**\n  - added `protection-cluster`" in out
    assert "break comparability" not in out.lower()


def test_new_question_may_be_reworded_freely(repo: Path) -> None:
    edit(repo, DISTANCE, lambda d: d.update(text="How far is the main water source, in minutes?"))
    out = run(repo, "base").output
    assert "- **text**\n" in out and "⚠️" not in out


def test_added_and_removed_questions(repo: Path) -> None:
    shutil.copy(repo / DISTANCE, repo / "kb/questions/wash/wash-queue-time.yml")
    edit(repo, "kb/questions/wash/wash-queue-time.yml", lambda d: d.update(id="wash-queue-time"))
    (repo / WATER).unlink()
    out = run(repo, "base").output
    assert "Questions: 1 added, 1 removed, 0 changed." in out
    assert "### Added\n\n- `wash-queue-time` (wash)" in out
    assert "- `wash-water-source` (wash)" in out
    assert "prefer `status: dropped` and keep the file" in out


def test_confidential_values_are_not_printed(repo: Path) -> None:
    edit(repo, INCIDENTS, lambda d: d.update(text="Secret reworded question about incidents?"))
    out = run(repo, "base").output
    assert "`protection-incidents` (protection, confidential)" in out
    assert "- **text** ⚠️" in out
    assert "Secret reworded" not in out
    original = yaml.safe_load((SMALL_KB / INCIDENTS.removeprefix("kb/")).read_text())["text"]
    assert original not in out


def test_compare_two_refs_and_write_output(repo: Path, tmp_path: Path) -> None:
    edit(repo, WATER, lambda d: d.update(purpose="Committed purpose."))
    git(repo, "commit", "-qam", "purpose")
    edit(repo, WATER, lambda d: d.update(purpose="Uncommitted purpose."))
    report = tmp_path / "comment.md"
    result = run(repo, "base", "--head", "main", "--output", str(report))
    assert result.exit_code == 0, result.output
    assert "Committed purpose." in result.output and "Uncommitted" not in result.output
    assert report.read_text(encoding="utf-8") == result.output
    assert "`base` → `main`" in result.output


def test_other_kb_files_are_listed(repo: Path) -> None:
    edit(repo, "kb/partners/dtm.yml", lambda d: d.update(name="DTM Testland"))
    out = run(repo, "base").output
    assert "### Other kb files\n\n- changed: `kb/partners/dtm.yml`" in out


def test_unreadable_file_is_an_error_not_a_removal(repo: Path) -> None:
    (repo / WATER).write_text("id: wash-water-source\ntext: [broken\n", encoding="utf-8")
    result = run(repo, "base")
    assert result.exit_code == 1
    assert "### Could not be compared" in result.output
    assert "`kb/questions/wash/wash-water-source.yml (working tree)`" in result.output
    assert "### Removed" not in result.output


def test_kb_missing_at_base_means_everything_is_added(repo: Path) -> None:
    git(repo, "rm", "-rq", "kb")
    git(repo, "commit", "-qm", "empty")
    git(repo, "tag", "empty")
    git(repo, "checkout", "-q", "base", "--", "kb")
    out = run(repo, "empty").output
    assert "Questions: 4 added, 0 removed, 0 changed." in out


def test_unknown_ref_and_no_repository_are_errors(repo: Path, tmp_path: Path) -> None:
    result = run(repo, "no-such-branch")
    assert result.exit_code == 1 and "unknown git ref 'no-such-branch'" in result.output
    marker = tmp_path / "injected"
    result = run(repo, "--", f"--output={marker}")  # a ref that looks like a git option
    assert result.exit_code == 1 and "unknown git ref" in result.output
    assert not marker.exists()
    outside = tmp_path / "plain"
    shutil.copytree(SMALL_KB, outside / "kb")
    result = run(outside, "main")
    assert result.exit_code == 1 and "not inside a git repository" in result.output


def test_hostile_text_stays_inside_code(repo: Path) -> None:
    """The report is posted as a PR comment: record text must not become markup there."""
    payload = PAYLOAD + "\n@everyone please look #1 https://evil.example ![x](https://t.example)"
    edit(repo, DISTANCE, lambda d: d.update(text=payload, purpose="`` ``` `` " + PAYLOAD[:200]))
    out = run(repo, "base").output
    html = markdown.markdown(out, extensions=["fenced_code"])
    outside_code = re.sub(r"(?s)<code>.*?</code>", "", html)
    for marker in ("<script", "<img", "<iframe", "<svg", "javascript:", "@everyone",
                   "evil.example", "t.example", "onerror"):
        assert marker not in outside_code, marker
    # shown, inside the diff block (question text is kept to one line, so it joins the payload)
    assert "@everyone please look #1" in out


def test_long_reports_are_cut_for_a_comment(repo: Path) -> None:
    edit(repo, DISTANCE, lambda d: d.update(purpose="x " * 2000))
    result = diff_kb("base", repo / "kb")
    assert result.complete
    text = to_markdown("base", "working tree", result.changes, [], 3, max_chars=600)
    assert len(text) <= 600 and "run `toolkit diff` locally" in text


def test_moved_to_another_sector(repo: Path) -> None:
    target = repo / "kb/questions/protection/wash-distance.yml"
    shutil.move(repo / DISTANCE, target)
    edit(repo, "kb/questions/protection/wash-distance.yml", lambda d: d.update(sector="protection"))
    out = run(repo, "base").output
    assert "- **sector**\n  - `wash` → `protection`" in out


def test_changed_override_reason_alone_is_shown(tmp_path: Path) -> None:
    """Same value, new reason: the question as asked is unchanged, but the diff says why
    the country deviates now, so reviewers see it."""
    from support import ROOT, SAMPLE_KB

    root = tmp_path / "repo"
    shutil.copytree(SAMPLE_KB, root / "kb")
    shutil.copytree(ROOT / "library", root / "library")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "kb", "library")
    git(root, "commit", "-q", "-m", "base")
    rel = "kb/questions/wash/wash-water-source.yml"
    data = yaml.safe_load((root / rel).read_text(encoding="utf-8"))
    assert "text" in data["overrides"], "the sample question overrides its wording"
    old = data["overrides"]["text"]["reason"]
    edit(root, rel, lambda d: d["overrides"]["text"].update(
        reason="Partners asked again at the round 6 workshop."))
    result = run(root, "HEAD")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Questions: 0 added, 0 removed, 1 changed." in out
    assert "- **overrides.text.reason**" in out
    assert "Partners asked again at the round 6 workshop." in out and old.split()[0] in out
    assert "break comparability" not in out.lower()  # a reason changes no answer
