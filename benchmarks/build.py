"""Build cost, peak memory, search index and page sizes at 100, 1,000 (and 5,000) questions.

Each build runs in its own process, so peak memory (ru_maxrss) is that build's alone. Times
are CPU seconds of that process (user + system), not wall time: the development machine is
shared, and CPU time does not grow when other work competes for the cores. Per size:

- cold: a build without the page cache (what every build cost before it existed);
- cold+cache: the first build with an empty cache (it fills .cache/country-toolkit);
- warm: the next build after editing one question, reading the cache back from disk;
- with --compare-with REF: a cold build by the code at git REF, in the same run, as the
  baseline for "today's" CPU (e.g. --compare-with main).

Also reports the search index size per question and the largest page. With --flat, builds
the largest kb with a naive nav that lists every question page too (the trap).
Also lists the pages over --max-page-mb (1 MB) at each size, and exits 1 if the largest
size has any: no page may pass 1 MB at 5,000 questions (issue #13).
Run: .venv/bin/python benchmarks/build.py [--sizes 100,1000,5000] [--compare-with main]
     [--compare-sizes 1000] [--cold-only] [--repeat 3]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import yaml  # noqa: E402
from synthetic_kb import write_synthetic_kb  # noqa: E402

CHILD = """
import json, os, resource, sys, time
from pathlib import Path
if os.environ.get("TOOLKIT_BASELINE"):
    # The baseline's code, not the editable install's (whose finder would take precedence).
    sys.meta_path = [f for f in sys.meta_path if "editable" not in repr(f)]
    sys.path.insert(0, os.environ["TOOLKIT_BASELINE"])
    import generator
    assert generator.__file__.startswith(os.environ["TOOLKIT_BASELINE"]), generator.__file__
from mkdocs.commands.build import build
from mkdocs.config import load_config
kb, site, flat, project, cache = (Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3] == "1",
                                  Path(sys.argv[4]), sys.argv[5])
config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
if os.environ.get("TOOLKIT_LENIENT"):
    config["strict"] = False
plugin = config.plugins["country-toolkit"]
plugin.config["kb"] = str(kb)
if cache != "default":
    plugin.config["cache"] = cache == "1"
    plugin.config["cache_dir"] = str(site.parent / ".cache")
if flat:
    # The trap: every question page in the nav, so every page renders all of them.
    from generator.loader import load_or_raise
    kb_obj = load_or_raise(kb)
    config["nav"] = list(config["nav"]) + [
        {"All questions": [f"questions/{q.sector}/{q.id}.md" for q in kb_obj.questions.values()]}
    ]
start = time.process_time()
build(config)
cpu = time.process_time() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"cpu": cpu, "peak_mb": rss}))
"""


def site_stats(site: Path, questions: int) -> dict[str, float]:
    files = [p for p in site.rglob("*") if p.is_file()]
    pages = [p for p in files if p.suffix == ".html"]
    largest = max(pages, key=lambda p: p.stat().st_size)
    index = site / "search" / "search_index.json"
    return {
        "files": len(files), "mb": sum(p.stat().st_size for p in files) / 1e6,
        "largest_page_mb": largest.stat().st_size / 1e6,
        "largest_page": largest.relative_to(site).as_posix(),
        "index_kb_per_q": index.stat().st_size / 1e3 / questions if index.exists() else 0.0,
    }


def run(kb: Path, site: Path, *, cache: str, flat: bool = False,
        pythonpath: Path | None = None, lenient: bool = False) -> dict[str, float]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    if lenient:
        env["TOOLKIT_LENIENT"] = "1"
    if pythonpath is not None:
        env["TOOLKIT_BASELINE"] = str(pythonpath)
    project = pythonpath or ROOT
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(kb), str(site), "1" if flat else "0", str(project),
         cache],
        capture_output=True, text=True, env=env, check=False,
    )
    if out.returncode != 0:
        sys.exit(f"build failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def edit_one_question(kb: Path) -> None:
    path = sorted((kb / "questions").rglob("*.yml"))[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Purpose of question", "Edited purpose of question", 1),
                    encoding="utf-8")


def checkout(ref: str, dest: Path) -> Path:
    """The project's files at git ref (code, templates, mkdocs.yml, docs, overrides)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], capture_output=True,
                             check=True).stdout
    dest.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest


def write_kb(dest: Path, n: int, baseline: bool) -> Path:
    """A synthetic kb of n questions. For a comparison with older code, without the fields
    that code may not know (NEWER_FIELDS);
    both builds of the run read this same kb, and both run without `strict`, since the older
    code warns about what it expected instead (a warning changes no work done)."""
    kb = write_synthetic_kb(dest, n)
    if baseline:
        for path in kb.rglob("*.yml"):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            path.write_text(yaml.safe_dump(_without_languages(data), allow_unicode=True,
                                           sort_keys=False), encoding="utf-8")
    return kb


# Optional fields newer than issue #13's baseline (98c919e), which refuses unknown fields:
# the languages of issue #12 and the key informants per location of the mock-ups' units.
NEWER_FIELDS = ("translations", "site_languages", "key_informants_per_location")


def _without_languages(data: object) -> object:
    if isinstance(data, dict):
        return {k: _without_languages(v) for k, v in data.items() if k not in NEWER_FIELDS}
    if isinstance(data, list):
        return [_without_languages(v) for v in data]
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,1000")
    parser.add_argument("--flat", action="store_true", help="also build the naive-nav trap")
    parser.add_argument("--compare-with", metavar="REF", help="cold baseline by git REF")
    parser.add_argument("--compare-sizes", metavar="N,N",
                        help="build the baseline at these sizes only (default: every size)")
    parser.add_argument("--cold-only", action="store_true",
                        help="only cold builds (no cache fill, no warm rebuild)")
    parser.add_argument("--max-page-mb", type=float, default=1.0,
                        help="list the pages larger than this; exit 1 if the largest size "
                             "has any (default 1 MB)")
    parser.add_argument("--repeat", type=int, default=1, metavar="N",
                        help="run each size's sequence N times, each on a fresh kb and cache, "
                             "and report the median of each ratio (noisy machines)")
    parser.add_argument("--keep", metavar="DIR", type=Path,
                        help="work in DIR and keep the kbs and sites (default: a temporary folder)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    compare_sizes = ({int(s) for s in args.compare_sizes.split(",")} if args.compare_sizes
                     else set(sizes))
    heavy: dict[int, list[tuple[str, float]]] = {}
    rows: list[tuple[str, dict[str, float]]] = []
    with (contextlib.nullcontext(str(args.keep)) if args.keep
          else tempfile.TemporaryDirectory()) as tmp:
        base = checkout(args.compare_with, Path(tmp) / "baseline") if args.compare_with else None
        lenient = base is not None
        for n in sizes:
            for rep in range(args.repeat):
                # A repeat: the same sequence on a fresh copy of the kb and cache.
                tag = f" #{rep + 1}" if args.repeat > 1 else ""
                kb = write_kb(Path(tmp) / f"kb-{n}-{rep}", n, base is not None)
                work = Path(tmp) / f"w-{n}-{rep}"
                work.mkdir()
                if base is not None and n in compare_sizes:
                    r = run(kb, work / "site-base", cache="default", pythonpath=base,
                            lenient=True)
                    rows.append((f"{n}{tag}: cold, {args.compare_with}", r))
                r = run(kb, work / "site-cold", cache="0", lenient=lenient)
                r.update(site_stats(work / "site-cold", n))
                rows.append((f"{n}{tag}: cold", r))
                heavy[n] = pages_over(work / "site-cold", args.max_page_mb)
                if args.cold_only:
                    continue
                fill = run(kb, work / "site-fill", cache="1", lenient=lenient)
                rows.append((f"{n}{tag}: cold+cache", fill))
                edit_one_question(kb)
                warm = run(kb, work / "site-warm", cache="1", lenient=lenient)
                rows.append((f"{n}{tag}: warm, 1 edit", warm))
                if args.flat and n == max(sizes) and rep == 0:
                    rows.append((f"{n}: flat nav (trap)", run(
                        kb, work / "site-flat", cache="0", flat=True, lenient=lenient)))
    print(f"{'build':<24}{'CPU s':>8}{'peak MB':>9}{'site MB':>9}{'index KB/q':>11}"
          f"{'largest page MB':>17}")
    for name, r in rows:
        extra = (f"{r['mb']:>9.1f}{r['index_kb_per_q']:>11.2f}{r['largest_page_mb']:>17.2f}"
                 f"  {r['largest_page']}") if "mb" in r else ""
        print(f"{name:<24}{r['cpu']:>8.1f}{r['peak_mb']:>9.0f}{extra}")
    cold = {name.split(":")[0]: r["cpu"] for name, r in rows if name.endswith(": cold")}
    for name, r in rows:
        n = name.split(":")[0]
        if name != f"{n}: cold":
            print(f"{name}: {r['cpu'] / cold[n]:.2f} x cold")
    if args.repeat > 1:
        # The machine is noisy: each repeat's ratio is against the cold build of the same
        # repeat, and the median of them is the figure to quote.
        ratios: dict[str, list[float]] = {}
        for name, r in rows:
            n, _, label = name.partition(":")
            if "#" in n and label.strip().startswith("cold, "):  # the baseline: cold / it
                ratios.setdefault(f"{n.split()[0]}: cold / {label.strip()[6:]}", []).append(
                    cold[n] / r["cpu"])
            elif "#" in n and label.strip() != "cold":
                ratios.setdefault(f"{n.split()[0]}:{label} / cold", []).append(
                    r["cpu"] / cold[n])
        for name, values in ratios.items():
            print(f"{name}: median {statistics.median(values):.2f} over "
                  f"{len(values)} repeats ({', '.join(f'{v:.2f}' for v in values)})")
    elif len(sizes) > 1:
        small, big = sizes[-2], sizes[-1]
        print(f"cold {big} / cold {small}: {cold[str(big)] / cold[str(small)]:.2f} x "
              f"({big / small:.0f} x the questions)")
    for n, pages in heavy.items():
        print(f"{n}: {len(pages)} page(s) over {args.max_page_mb:g} MB"
              + "".join(f"\n  {mb:6.2f} MB  {path}" for path, mb in pages))
    if heavy[sizes[-1]]:
        sys.exit(1)


def pages_over(site: Path, limit_mb: float) -> list[tuple[str, float]]:
    """The HTML pages of site larger than limit_mb, largest first."""
    sizes = [(p.relative_to(site).as_posix(), p.stat().st_size / 1e6)
             for p in site.rglob("*.html")]
    return sorted(((p, mb) for p, mb in sizes if mb > limit_mb), key=lambda x: -x[1])


if __name__ == "__main__":
    main()
