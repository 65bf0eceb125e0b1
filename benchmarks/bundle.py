"""Size and build time of the offline bundle (`toolkit bundle`) for field teams.

Bundles the sample kb and a generated 1,000-question kb (benchmarks/synthetic_kb.py) and
prints the zip's size, its file count, the unzipped size and the build time. Each bundle
is built in its own process, so one build's caches do not speed up the next.
Run: .venv/bin/python benchmarks/bundle.py [--sizes 1000,2000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic_kb import write_synthetic_kb  # noqa: E402

CHILD = """
import json, resource, sys, time
from pathlib import Path
from generator.bundle import bundle
start = time.perf_counter()
result = bundle(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
elapsed = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "peak_mb": rss, "files": result.files,
                  "zip_mb": result.size / 1e6}))
"""


def run(kb: Path, out: Path) -> dict[str, float]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run([sys.executable, "-c", CHILD, str(kb), str(out), str(ROOT)],
                          capture_output=True, text=True, env=env, check=False)
    if proc.returncode != 0:
        sys.exit(f"bundle failed for {kb}:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    with zipfile.ZipFile(out) as zf:
        infos = zf.infolist()
        result["unzipped_mb"] = sum(i.file_size for i in infos) / 1e6
        search = [i for i in infos if i.filename.startswith("search/")]
        result["search_mb"] = sum(i.compress_size for i in search) / 1e6
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000", help="synthetic kb sizes, comma-separated")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        rows.append(("sample kb", run(ROOT / "kb", Path(tmp) / "sample.zip")))
        for n in [int(s) for s in args.sizes.split(",") if s]:
            kb = write_synthetic_kb(Path(tmp) / f"kb-{n}", n)
            rows.append((f"{n:,} questions", run(kb, Path(tmp) / f"synthetic-{n}.zip")))
    print(f"{'bundle':<18}{'seconds':>9}{'peak MB':>9}{'files':>7}{'zip MB':>8}"
          f"{'unzipped MB':>13}{'search in zip MB':>18}")
    for name, r in rows:
        print(f"{name:<18}{r['seconds']:>9.2f}{r['peak_mb']:>9.0f}{r['files']:>7}"
              f"{r['zip_mb']:>8.1f}{r['unzipped_mb']:>13.1f}{r['search_mb']:>18.1f}")


if __name__ == "__main__":
    main()
