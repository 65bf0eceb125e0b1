"""The GitHub Actions workflow that tests, bundles and publishes the site.

It cannot run here, so these tests check what can be checked offline: it is valid YAML,
its shell steps parse, and it does what the README's "Publishing" section promises.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import yaml
from support import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
WORKFLOW = WORKFLOWS / "site.yml"
BUNDLE_GLOB = "dist/toolkit-round-*-offline.zip"
MAIN_ONLY = "github.event_name == 'push' && github.ref == 'refs/heads/main'"


def load() -> dict[str, Any]:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def triggers(wf: dict[str, Any]) -> dict[str, Any]:
    # YAML 1.1 (PyYAML) reads the bare key `on` as the boolean True.
    return wf.get("on") or wf[True]


def steps(wf: dict[str, Any], job: str) -> list[dict[str, Any]]:
    return wf["jobs"][job]["steps"]


def runs(wf: dict[str, Any], job: str) -> str:
    return "\n".join(s.get("run", "") for s in steps(wf, job))


def test_runs_on_pull_requests_and_pushes_to_main() -> None:
    on = triggers(load())
    assert "pull_request" in on
    assert on["push"]["branches"] == ["main"]


def test_every_shell_step_parses(tmp_path: Path) -> None:
    wf = load()
    for job in wf["jobs"]:
        for i, step in enumerate(steps(wf, job)):
            if "run" in step:
                script = tmp_path / f"{job}-{i}.sh"
                script.write_text(step["run"], encoding="utf-8")
                check = subprocess.run(["bash", "-n", str(script)], capture_output=True,
                                       text=True)
                assert check.returncode == 0, f"{job} step {i}: {check.stderr}"


# `uses: owner/repo@<full commit SHA>  # vX.Y.Z`: a tag can be moved, a commit cannot.
PINNED = re.compile(r"^\s*(?:- )?uses: [\w-]+/[\w-]+@[0-9a-f]{40}  # v\d+\.\d+\.\d+$")


def test_every_action_is_pinned_to_a_commit_with_its_version() -> None:
    for workflow in sorted(WORKFLOWS.glob("*.yml")):
        lines = [ln for ln in workflow.read_text(encoding="utf-8").splitlines()
                 if re.match(r"^\s*(?:- )?uses:", ln)]
        assert lines, workflow
        for line in lines:
            assert PINNED.match(line), f"{workflow.name}: {line.strip()}"


def test_the_same_action_is_pinned_to_the_same_commit_everywhere() -> None:
    pins: dict[str, set[str]] = {}
    for workflow in WORKFLOWS.glob("*.yml"):
        for m in re.finditer(r"uses: ([\w-]+/[\w-]+)@([0-9a-f]{40})  # (v[\d.]+)",
                             workflow.read_text(encoding="utf-8")):
            pins.setdefault(m.group(1), set()).add(f"{m.group(2)} {m.group(3)}")
    assert pins and all(len(p) == 1 for p in pins.values()), pins


def test_checkout_never_leaves_the_token_behind() -> None:
    wf = load()
    checkouts = [s for job in wf["jobs"] for s in steps(wf, job)
                 if s.get("uses", "").startswith("actions/checkout@")]
    assert len(checkouts) == 2
    assert all(s["with"]["persist-credentials"] is False for s in checkouts)


def test_permissions_are_per_job_and_least() -> None:
    wf = load()
    assert wf["permissions"] == {}
    assert wf["jobs"]["build"]["permissions"] == {"contents": "read"}
    assert wf["jobs"]["deploy"]["permissions"] == {"contents": "write"}


def test_validates_with_annotations_tests_builds_and_bundles() -> None:
    wf = load()
    script = runs(wf, "build")
    assert "toolkit validate --format github kb" in script
    assert "./run test" in script  # the README's test command, browser tests included
    assert "mkdocs build" in script
    assert "toolkit bundle kb\n" in script + "\n"  # named after the round, in dist/
    # Annotations first; the tests still run when validation fails, to show everything.
    names = [s.get("name", s.get("uses", "")) for s in steps(wf, "build")]
    assert names.index("Validate the knowledge base") < names.index(
        "Lint and test (browser tests in headless Chromium)")
    test_step = next(s for s in steps(wf, "build") if s.get("run") == "./run test")
    assert test_step["if"] == "${{ !cancelled() }}"


def test_attaches_the_zip_to_every_run() -> None:
    upload = next(s for s in steps(load(), "build")
                  if s.get("uses", "").startswith("actions/upload-artifact@")
                  and s["with"]["name"] == "toolkit-offline")
    assert "if" not in upload  # pull requests too
    assert upload["with"]["path"] == BUNDLE_GLOB
    assert upload["with"]["if-no-files-found"] == "error"


def test_the_public_build_is_checked_for_the_internal_mark() -> None:
    build = steps(load(), "build")
    names = [s.get("name") for s in build]
    guard = next(s for s in build if s.get("name") == "Refuse an internal build")
    assert guard["run"] == ".venv/bin/python -m generator.internal_mark site"
    assert names.index("Build the site") < names.index("Refuse an internal build")
    # Nothing in the workflow may turn a build internal.
    assert "TOOLKIT_INTERNAL" not in WORKFLOW.read_text(encoding="utf-8")


def test_main_publishes_its_round_with_toolkit_publish() -> None:
    wf = load()
    deploy = wf["jobs"]["deploy"]
    assert deploy["if"] == MAIN_ONLY
    assert deploy["needs"] == "build"
    assert deploy["concurrency"] == {"group": "publish-gh-pages", "cancel-in-progress": False}
    fetch = next(s for s in deploy["steps"]
                 if s.get("uses", "").startswith("actions/download-artifact@"))
    assert fetch["with"] == {"name": "toolkit-offline", "path": "dist"}
    publish = next(s for s in deploy["steps"] if "toolkit publish" in s.get("run", ""))
    assert f"toolkit publish kb --bundle {BUNDLE_GLOB} --push" in publish["run"]
    # The token reaches git through the environment, not pasted into the script.
    assert publish["env"] == {"GITHUB_TOKEN": "${{ secrets.GITHUB_TOKEN }}"}
    assert "${{" not in publish["run"]
    # Pages are served from the gh-pages branch: no Pages artifact, no other deploy.
    uses = [s.get("uses", "") for job in wf["jobs"] for s in steps(wf, job)]
    assert not any("pages" in u for u in uses)
    assert set(wf["jobs"]) == {"build", "deploy"}


def test_readme_documents_publishing() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Publishing", 1)[1].split("\n## ", 1)[0]
    for needed in (".github/workflows/site.yml", "GitHub Actions", "toolkit bundle",
                   "toolkit-offline", "Pages", "toolkit publish", "round-", "latest",
                   "INTERNAL — DO NOT SHARE", "zizmor --offline", "gh-pages"):
        assert needed in section, needed
