"""The GitHub workflows pass zizmor's offline security audit.

They cannot run on the development machines, so this is the check that they are safe to
run: pinned actions, no credentials left in the checkout, least privilege, no template
injection, and the one dangerous trigger (workflow_run, for comments on forks' pull
requests) justified and guarded. README, "Publishing", gives the same command.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from support import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
ZIZMOR = Path(sys.executable).parent / "zizmor"


def audit(target: Path) -> list[dict]:
    done = subprocess.run(
        [str(ZIZMOR), "--offline", "--min-severity", "medium", "--format", "json",
         "--no-progress", str(target)],
        capture_output=True, text=True, cwd=ROOT, timeout=120)
    # Exit codes say "findings" (non-zero) or "none" (0); the JSON says which.
    assert done.stdout.strip().startswith("["), done.stderr
    return json.loads(done.stdout)


def test_workflows_have_no_finding_at_medium_severity_or_above() -> None:
    findings = audit(WORKFLOWS)
    summary = [(f["ident"], f["determinations"]["severity"], f["desc"]) for f in findings]
    assert summary == []


def test_the_only_ignored_finding_is_the_justified_workflow_run_trigger() -> None:
    ignores = [(path.name, m.group(1))
               for path in sorted(WORKFLOWS.glob("*.yml"))
               for m in re.finditer(r"#\s*zizmor:\s*ignore\[([^\]]+)\]",
                                    path.read_text(encoding="utf-8"))]
    assert ignores == [("pr-comment.yml", "dangerous-triggers")]


def test_the_audit_catches_what_it_should(tmp_path: Path) -> None:
    """The audit is not vacuous: the flaws issue #15 found are reported."""
    bad = tmp_path / ".github" / "workflows"
    bad.mkdir(parents=True)
    (bad / "bad.yml").write_text(
        "name: bad\n"
        "on:\n  workflow_run:\n    workflows: [Site]\n    types: [completed]\n"
        "permissions:\n  contents: read\n"
        "jobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - uses: actions/upload-artifact@v4\n"
        "        with:\n          name: x\n          path: .\n",
        encoding="utf-8")
    found = {f["ident"] for f in audit(bad)}
    assert {"dangerous-triggers", "unpinned-uses", "artipacked"} <= found
