"""The `toolkit diff` report reaches the pull request as a comment, safely for forks."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from support import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
NODE = shutil.which("node")


def load(name: str) -> dict[str, Any]:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def on(wf: dict[str, Any]) -> Any:
    return wf.get("on") or wf[True]  # PyYAML reads the bare key `on` as True


def test_site_workflow_writes_the_diff_report_on_pull_requests() -> None:
    wf = load("site.yml")
    steps = wf["jobs"]["build"]["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@")
    assert steps[0]["with"]["fetch-depth"] == 0, "toolkit diff needs the base branch's history"
    report = next(s for s in steps if "toolkit diff" in s.get("run", ""))
    assert report["if"] == "github.event_name == 'pull_request'"
    assert 'toolkit diff "origin/$BASE_REF" kb --output pr/kb-diff.md' in report["run"]
    # the base ref reaches the shell as an environment variable, never pasted into the script
    assert "${{" not in report["run"].split("\n")[1]
    upload = next(s for s in steps if s.get("with", {}).get("name") == "kb-diff")
    assert upload["uses"].startswith("actions/upload-artifact@")


def test_comment_workflow_never_runs_pull_request_code() -> None:
    wf = load("pr-comment.yml")
    assert on(wf)["workflow_run"]["workflows"] == [load("site.yml")["name"]]
    # Nothing at the top; the one job asks for what it needs.
    assert wf["permissions"] == {}
    assert wf["jobs"]["comment"]["permissions"] == {"pull-requests": "write", "actions": "read"}
    steps = wf["jobs"]["comment"]["steps"]
    assert not any(s.get("uses", "").startswith("actions/checkout") for s in steps)
    assert not any("run" in s for s in steps)
    fetch = steps[0]
    assert fetch["uses"].startswith("actions/download-artifact@")
    assert fetch["with"]["name"] == "kb-diff"
    assert fetch["with"]["run-id"] == "${{ github.event.workflow_run.id }}"
    script = steps[1]["with"]["script"]
    assert "updateComment" in script and "createComment" in script
    # The head SHA comes from the event payload inside the script, not pasted into it.
    assert "${{" not in script
    assert "context.payload.workflow_run.head_sha" in script
    assert "github.rest.pulls.get" in script


# --- the comment script, run in Node against a fake GitHub API ------------------------------

HARNESS = r"""
const fs = require("fs");
const script = fs.readFileSync(process.argv[2], "utf8");
const scenario = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
const calls = [], failed = [];
const github = {
  rest: {
    pulls: { get: async ({ owner, repo, pull_number }) => {
      calls.push(["pulls.get", pull_number]);
      const pr = scenario.pulls[String(pull_number)];
      if (!pr) { const e = new Error("Not Found"); e.status = 404; throw e; }
      return { data: pr };
    } },
    issues: {
      listComments: "listComments",
      createComment: async (a) => { calls.push(["create", a]); },
      updateComment: async (a) => { calls.push(["update", a]); },
    },
  },
  paginate: async (fn, args) => scenario.comments || [],
};
const context = { repo: { owner: "dtm", repo: "toolkit" },
                  payload: { workflow_run: { head_sha: scenario.head_sha } } };
const core = { setFailed: (m) => failed.push(m), info: () => {} };
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
new AsyncFunction("require", "github", "context", "core", script)(require, github, context, core)
  .then(() => console.log(JSON.stringify({ calls, failed })),
        (e) => { console.log(JSON.stringify({ calls, failed, thrown: String(e) })); });
"""
TESTED = "a" * 40
MARKER = "<!-- country-toolkit:kb-diff -->"


def run_script(tmp_path: Path, number: str, report: str, pulls: dict[str, Any],
               comments: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    script = next(s for s in load("pr-comment.yml")["jobs"]["comment"]["steps"]
                  if "script" in s.get("with", {}))["with"]["script"]
    (tmp_path / "pr").mkdir()
    (tmp_path / "pr" / "number").write_text(number + "\n", encoding="utf-8")
    (tmp_path / "pr" / "kb-diff.md").write_text(report, encoding="utf-8")
    (tmp_path / "script.js").write_text(script, encoding="utf-8")
    (tmp_path / "harness.js").write_text(HARNESS, encoding="utf-8")
    (tmp_path / "scenario.json").write_text(json.dumps(
        {"head_sha": TESTED, "pulls": pulls, "comments": comments or []}), encoding="utf-8")
    done = subprocess.run([NODE, "harness.js", "script.js", "scenario.json"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def open_pr(sha: str = TESTED) -> dict[str, Any]:
    return {"head": {"sha": sha}, "state": "open"}


needs_node = pytest.mark.skipif(NODE is None, reason="node is not installed")


@needs_node
def test_the_report_goes_to_the_pull_request_that_was_tested(tmp_path: Path) -> None:
    out = run_script(tmp_path, "7", "### 1 question changed\n", {"7": open_pr()})
    assert out["failed"] == []
    assert out["calls"][0] == ["pulls.get", 7]
    kind, args = out["calls"][1]
    assert kind == "create" and args["issue_number"] == 7
    assert args["body"] == MARKER + "\n### 1 question changed\n"


@needs_node
def test_a_forged_number_of_another_pull_request_gets_no_comment(tmp_path: Path) -> None:
    # The artifact names #8, but #8's head is not the commit this run tested.
    out = run_script(tmp_path, "8", "forged", {"7": open_pr(), "8": open_pr("b" * 40)})
    assert [c[0] for c in out["calls"]] == ["pulls.get"]
    assert "not the tested" in out["failed"][0]


@pytest.mark.parametrize("number", ["99", "0", "7 ; rm -rf /", "1e3", "-7", ""])
@needs_node
def test_a_bad_or_unknown_number_gets_no_comment(tmp_path: Path, number: str) -> None:
    out = run_script(tmp_path, number, "x", {"7": open_pr()})
    assert not any(c[0] in ("create", "update") for c in out["calls"])
    assert len(out["failed"]) == 1 and "no comment posted" in out["failed"][0]


@needs_node
def test_a_closed_pull_request_gets_no_comment(tmp_path: Path) -> None:
    out = run_script(tmp_path, "7", "x", {"7": {"head": {"sha": TESTED}, "state": "closed"}})
    assert [c[0] for c in out["calls"]] == ["pulls.get"] and out["failed"] == []


@needs_node
def test_the_report_is_capped_and_cannot_pose_as_the_marker(tmp_path: Path) -> None:
    report = MARKER + "\n" + "x" * 200_000
    out = run_script(tmp_path, "7", report, {"7": open_pr()})
    body = out["calls"][1][1]["body"]
    assert len(body) < 65_536
    assert body.count("<!--") == 1 and body.startswith(MARKER + "\n&lt;!--")
    assert "longer than a comment can hold" in body


@needs_node
def test_only_the_bots_own_comment_is_updated(tmp_path: Path) -> None:
    comments = [
        {"id": 1, "user": {"login": "mallory"}, "body": MARKER + "\nfake"},
        {"id": 2, "user": {"login": "github-actions[bot]"}, "body": MARKER + "\nold"},
    ]
    out = run_script(tmp_path, "7", "new", {"7": open_pr()}, comments)
    assert out["calls"][1] == ["update", {"owner": "dtm", "repo": "toolkit", "comment_id": 2,
                                          "body": MARKER + "\nnew"}]
    # A comment that copies the marker is not the bot's: a new comment is posted instead.
    second = tmp_path / "second"
    second.mkdir()
    out = run_script(second, "7", "new", {"7": open_pr()}, comments[:1])
    assert out["calls"][1][0] == "create"
