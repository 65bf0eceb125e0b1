"""The `toolkit diff` report reaches the pull request as a comment, safely for forks."""

from __future__ import annotations

from typing import Any

import yaml
from support import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"


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
    assert wf["permissions"] == {"pull-requests": "write", "actions": "read"}
    steps = wf["jobs"]["comment"]["steps"]
    assert not any(s.get("uses", "").startswith("actions/checkout") for s in steps)
    assert not any("run" in s for s in steps)
    fetch = steps[0]
    assert fetch["uses"].startswith("actions/download-artifact@")
    assert fetch["with"]["name"] == "kb-diff"
    script = steps[1]["with"]["script"]
    assert "updateComment" in script and "createComment" in script
