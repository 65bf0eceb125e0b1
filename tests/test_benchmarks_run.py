"""The benchmarks still run against the current record rules (a rule change once left
benchmarks/compare.py generating kbs the validator refused, unnoticed): each runs at a tiny
size and its figures are read back. Timings are not checked here (benchmarks/ reports them)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_compare_benchmark_runs_on_generated_countries() -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "compare.py"),
         "--countries", "2", "--questions", "12"],
        capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    figures = json.loads(out.stdout[out.stdout.index("{"):])
    assert figures["countries"] == 2
    assert figures["library_questions_compared"] > 0
    # every 10th question has its wording changed per country, so not all are comparable
    assert 0 < figures["comparable_everywhere"] <= figures["library_questions_compared"]
