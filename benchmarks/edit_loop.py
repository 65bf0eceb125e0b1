"""The edit loop under `mkdocs serve`: CPU from saving one kb file to the served page changing.

Runs `mkdocs serve` on a copy of the project with a generated kb, saves an edit to one
question (and then to a sector name), and polls the served page until it shows the edit.
The figure is the CPU time (user + system, from /proc) the server spent on that rebuild,
compared with the CPU time of a cold `mkdocs build` of the same project without the page
cache, measured in the same run: CPU, not wall time, because the machine may be shared.
With --compare-with REF, the same edits are also served by the code at git REF (its own
copy of the project), as a same-run baseline.
Run: .venv/bin/python benchmarks/edit_loop.py [--questions 1000] [--compare-with REF]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import yaml  # noqa: E402
from build import checkout  # noqa: E402
from synthetic_kb import write_synthetic_kb  # noqa: E402

# `mkdocs serve` run by the code at a baseline folder instead of the editable install.
SERVE_BASELINE = """
import os, sys
sys.meta_path = [f for f in sys.meta_path if "editable" not in repr(f)]
sys.path.insert(0, os.environ["TOOLKIT_BASELINE"])
import generator
assert generator.__file__.startswith(os.environ["TOOLKIT_BASELINE"]), generator.__file__
from mkdocs.__main__ import cli
cli(sys.argv[1:])
"""

BIN = Path(sys.executable).parent
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a running process, from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(url: str, text: str, timeout: float = 900) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if text in fetch(url):
            return
        time.sleep(0.25)
    sys.exit(f"timed out waiting for {text!r} at {url}")


def project(dest: Path, n: int, source: Path = ROOT) -> Path:
    for name in ("docs", "overrides"):
        shutil.copytree(source / name, dest / name)
    shutil.copy(source / "mkdocs.yml", dest / "mkdocs.yml")
    # compare_with in mkdocs.yml names the second sample country (which adopts the library).
    for name in ("examples", "library"):
        if (source / name).is_dir():
            shutil.copytree(source / name, dest / name)
    write_synthetic_kb(dest / "kb", n)
    return dest


def cold_build_cpu(proj: Path) -> float:
    """CPU of `mkdocs build` in a child process, with the page cache off and empty."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    code = ("import sys; from pathlib import Path; from generator.build import build_site; "
            "p = Path(sys.argv[1]); build_site(p / 'kb', p / 'site', project=p, cache=False)")
    out = subprocess.run([sys.executable, "-c", code, str(proj)], env=env,
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        sys.exit(f"build failed ({out.returncode}):\n{out.stderr[-3000:]}{out.stdout[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


EDITS = (
    ("edit one question's text", "what do key informants report",
     "what do key informants now report"),
    ("edit it again", "now report", "still report"),
    ("rename its sector", None, None),
)


def serve_loop(proj: Path, baseline: Path | None = None) -> list[tuple[str, float, float]]:
    """CPU and wall seconds of the server from each save until the page shows the edit."""
    port = free_port()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    args = ["serve", "-f", str(proj / "mkdocs.yml"), "-a", f"127.0.0.1:{port}"]
    if baseline is None:
        command = [str(BIN / "mkdocs"), *args]
    else:
        env["TOOLKIT_BASELINE"] = str(baseline)
        command = [sys.executable, "-c", SERVE_BASELINE, *args]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    rows = []
    try:
        base = f"http://127.0.0.1:{port}/"
        qfile = next(iter(sorted((proj / "kb" / "questions").rglob("*.yml"))))
        sector = qfile.parent.name
        qurl = f"{base}questions/{sector}/{qfile.stem}/"
        wait_for(qurl, "Synthetic question")
        time.sleep(2)  # let the first build settle
        names = {s["id"]: s["name"] for s in
                 yaml.safe_load((proj / "kb" / "sectors.yml").read_text())["sectors"]}
        for label, old, new in EDITS:
            path = qfile
            if old is None:
                path = proj / "kb" / "sectors.yml"
                old, new = f"name: {names[sector]}", f"name: {names[sector]} renamed"
            assert new is not None
            start_cpu, start = cpu_seconds(server.pid), time.monotonic()
            edit(path, old, new)
            wait_for(qurl, new.removeprefix("name: "))
            rows.append((label, cpu_seconds(server.pid) - start_cpu, time.monotonic() - start))
    finally:
        server.terminate()
        server.wait(timeout=30)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--compare-with", metavar="REF",
                        help="also serve the same edits with the code at git REF")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        proj = project(Path(tmp) / "project", args.questions)
        full = cold_build_cpu(proj)
        runs = [("this code", serve_loop(proj))]
        if args.compare_with:
            code = checkout(args.compare_with, Path(tmp) / "baseline")
            other = project(Path(tmp) / "baseline-project", args.questions, code)
            runs.append((args.compare_with, serve_loop(other, code)))
    print(f"{args.questions} questions: cold full build (no cache) {full:.1f} CPU s")
    for name, rows in runs:
        print(f"{'edit under mkdocs serve, ' + name:<40}{'CPU s':>8}{'/ full':>8}{'wall s':>8}")
        for label, cpu, wall in rows:
            print(f"{label:<40}{cpu:>8.1f}{cpu / full:>8.0%}{wall:>8.1f}")


if __name__ == "__main__":
    main()
