"""What the mock-ups add to a site build of a generated 1,000-question kb (target: < 10%).

Measures, on the same synthetic kb:
  - the round's false assessment plus build_mockup for every question (what the site
    renderer does), and separately the FALSE DATA downloads (CSV and XLSX);
  - the whole `mkdocs build` with mock-ups and without (the plugin's `mockups: false`,
    which TOOLKIT_MOCKUPS=0 also sets).
Builds alternate with/without and the best of --repeat runs is kept, because other work on
the machine only ever makes a run slower. The first build is a warm-up and not counted.

Run: .venv/bin/python benchmarks/mockups.py [--questions 1000] [--repeat 3] [--no-build]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic_kb import write_synthetic_kb  # noqa: E402

from generator.loader import load_or_raise  # noqa: E402
from generator.mockup import assessment_for, build_mockup  # noqa: E402
from generator.mockup.assessment import _level_cached, _units_cached  # noqa: E402
from generator.mockup.chart import esc  # noqa: E402
from generator.mockup.dataset import false_csv, false_frames, false_xlsx  # noqa: E402


def time_mockups(kb_path: Path, repeat: int) -> tuple[float, int, int, float, int]:
    """Best times: every mock-up (with the false assessment), the false-data downloads;
    question count, largest chart (bytes), number of units."""
    kb = load_or_raise(kb_path)
    questions = list(kb.questions.values())
    best = best_files = float("inf")
    largest = 0
    for _ in range(repeat):
        esc.cache_clear()  # a real build starts with a cold cache
        _units_cached.cache_clear()
        _level_cached.cache_clear()
        start = time.perf_counter()
        assessment = assessment_for(kb)
        results = [build_mockup(q, kb.country, assessment) for q in questions]
        best = min(best, time.perf_counter() - start)
        largest = max(len(r.chart_html.encode()) for r in results)
        start = time.perf_counter()
        frames = false_frames(assessment, [q for q in questions if not q.is_confidential])
        for frame in frames.values():
            false_csv(frame)
        false_xlsx(frames, assessment)
        best_files = min(best_files, time.perf_counter() - start)
    return best, len(questions), largest, best_files, assessment.units.n


def one_language(kb_path: Path) -> None:
    """Drop the sample's second form language: generated questions have no translations,
    and the warnings for each would stop the strict build the benchmark runs."""
    import yaml

    country = kb_path / "country.yml"
    data = yaml.safe_load(country.read_text(encoding="utf-8"))
    if data.pop("form_languages", None) is not None:
        country.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
                           encoding="utf-8")


def time_builds(kb_path: Path, repeat: int) -> dict[bool, float]:
    from generator.build import build_site

    os.environ.pop("TOOLKIT_MOCKUPS", None)  # the flag below must decide, not the caller's env
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    best = {True: float("inf"), False: float("inf")}
    with tempfile.TemporaryDirectory() as tmp:
        build_site(kb_path, Path(tmp) / "warm-up", project=ROOT)
        for i in range(repeat):
            for mockups in (True, False) if i % 2 == 0 else (False, True):
                site = Path(tmp) / f"site-{i}-{int(mockups)}"
                esc.cache_clear()
                start = time.perf_counter()
                build_site(kb_path, site, project=ROOT, mockups=mockups)
                best[mockups] = min(best[mockups], time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-build", action="store_true", help="time the mock-ups only")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        kb_path = write_synthetic_kb(Path(tmp) / "kb", args.questions)
        one_language(kb_path)
        mockups, n, largest, files, units = time_mockups(kb_path, max(args.repeat, 3))
        builds = None if args.no_build else time_builds(kb_path, args.repeat)

    per_question_ms = mockups / n * 1000
    rows = [("mock-ups alone (assessment + build_mockup each)", mockups),
            ("FALSE DATA downloads (CSV + XLSX)", files)]
    figures: dict[str, float | int] = {
        "questions": n, "units": units, "mockups_s": mockups, "false_data_files_s": files,
        "per_question_ms": per_question_ms, "largest_chart_bytes": largest,
    }
    if builds:
        rows += [("site build with mock-ups", builds[True]),
                 ("site build without mock-ups", builds[False]),
                 ("difference", builds[True] - builds[False])]
        figures |= {"build_with_s": builds[True], "build_without_s": builds[False],
                    "share_of_build": mockups / builds[True],
                    "share_with_files": (mockups + files) / builds[True],
                    "difference_share": (builds[True] - builds[False]) / builds[True]}

    print(f"\nMock-up benchmark: {n} questions, {units:,} assessed units (synthetic kb)\n")
    print(f"| {'measure':<47} | {'seconds':>8} |")
    print(f"|{'-' * 49}|{'-' * 10}|")
    for label, seconds in rows:
        print(f"| {label:<47} | {seconds:>8.3f} |")
    print(f"\nper question: {per_question_ms:.3f} ms; largest chart: {largest:,} bytes "
          "(budget 15,360)")
    if builds:
        print(f"mock-ups / build with mock-ups: {figures['share_of_build']:.1%} (target < 10%)")
        print(f"mock-ups + FALSE DATA files / build: {figures['share_with_files']:.1%}")
        print(f"(build with - build without) / build with: {figures['difference_share']:.1%} "
              "(noisier: two whole builds)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
