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

from generator.bundle import DEFAULT_OUT

WORKFLOW = ROOT / ".github" / "workflows" / "site.yml"


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


def test_every_action_is_pinned_to_a_major_version() -> None:
    wf = load()
    for job in wf["jobs"]:
        for step in steps(wf, job):
            if "uses" in step:
                assert re.fullmatch(r"[\w-]+/[\w-]+@v\d+", step["uses"]), step["uses"]


def test_validates_with_annotations_tests_builds_and_bundles() -> None:
    wf = load()
    script = runs(wf, "build")
    assert "toolkit validate --format github kb" in script
    assert "./run test" in script  # the README's test command, browser tests included
    assert "mkdocs build" in script
    assert f"toolkit bundle kb --out {DEFAULT_OUT.as_posix()}" in script
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
    assert upload["with"]["path"] == DEFAULT_OUT.as_posix()
    assert upload["with"]["if-no-files-found"] == "error"


def test_deploys_main_to_github_pages_only() -> None:
    wf = load()
    main_only = "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    pages = next(s for s in steps(wf, "build")
                 if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert pages["if"] == main_only and pages["with"]["path"] == "site"
    deploy = wf["jobs"]["deploy"]
    assert deploy["if"] == main_only
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])
    # Only the deploy job may write; everything else reads.
    assert wf["permissions"] == {"contents": "read"}


def test_readme_documents_publishing() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Publishing", 1)[1].split("\n## ", 1)[0]
    for needed in (".github/workflows/site.yml", "GitHub Actions", "toolkit bundle",
                   "toolkit-offline", "Pages"):
        assert needed in section, needed
