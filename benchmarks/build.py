"""Build time, peak memory and output size of the whole site at 100 and 1,000 questions.

Also builds the 1,000-question kb with a naive nav that lists every question page, to show
what keeping questions out of the nav saves. Each build runs in its own process, so peak
memory (ru_maxrss) is that build's alone. Run: .venv/bin/python benchmarks/build.py
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic_kb import write_synthetic_kb  # noqa: E402

CHILD = """
import json, os, resource, sys, time
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config
kb, site, flat = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "1"
config = load_config(str(Path(sys.argv[4]) / "mkdocs.yml"), site_dir=str(site))
plugin = config.plugins["country-toolkit"]
plugin.config["kb"] = str(kb)
if flat:
    # The trap: every question page in the nav, so every page renders all of them.
    from generator.loader import load_or_raise
    kb_obj = load_or_raise(kb)
    config["nav"] = list(config["nav"]) + [
        {"All questions": [f"questions/{q.sector}/{q.id}.md" for q in kb_obj.questions.values()]}
    ]
start = time.perf_counter()
build(config)
elapsed = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "peak_mb": rss}))
"""


def site_size(site: Path) -> tuple[int, int]:
    files = [p for p in site.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def run(kb: Path, site: Path, flat: bool) -> dict[str, float]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(kb), str(site), "1" if flat else "0", str(ROOT)],
        capture_output=True, text=True, env=env, check=False,
    )
    if out.returncode != 0:
        sys.exit(f"build failed:\n{out.stderr[-3000:]}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    files, size = site_size(site)
    result.update(files=files, mb=size / 1e6)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,1000")
    parser.add_argument("--no-flat", action="store_true", help="skip the naive-nav build")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in [int(s) for s in args.sizes.split(",")]:
            kb = write_synthetic_kb(Path(tmp) / f"kb-{n}", n)
            rows.append((f"{n} questions", run(kb, Path(tmp) / f"site-{n}", flat=False)))
            if n >= 1000 and not args.no_flat:
                rows.append((f"{n}, flat nav (trap)", run(kb, Path(tmp) / f"flat-{n}", True)))
    print(f"{'build':<26}{'seconds':>9}{'peak MB':>9}{'files':>7}{'site MB':>9}")
    for name, r in rows:
        print(f"{name:<26}{r['seconds']:>9.2f}{r['peak_mb']:>9.0f}{r['files']:>7}{r['mb']:>9.1f}")
    flat = [r for name, r in rows if "flat" in name]
    ours = [r for name, r in rows if name == "1000 questions"]
    if flat and ours:
        print(f"flat nav / ours at 1,000 questions: {flat[0]['seconds'] / ours[0]['seconds']:.1f}x "
              f"time, {flat[0]['mb'] / ours[0]['mb']:.1f}x output size")


if __name__ == "__main__":
    main()
