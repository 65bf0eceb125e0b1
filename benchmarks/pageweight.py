"""Page weight of question pages on the sample kb and a generated 1,000-question kb.

For each site: the largest and median question-page HTML, the bytes Chromium downloads to
show a question page on a cold cache (by kind of file, and gzip-compressed as a server
would send them), whether the search index is fetched before search is opened, and the
search index's size. Budgets (issue 12): HTML <= 60 KB, cold load <= 500 KB.
Run: .venv/bin/python benchmarks/pageweight.py [--sizes 1000] [--site DIR]
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from a11y_pages import downloads, local_file, serve  # noqa: E402
from support import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from synthetic_kb import write_synthetic_kb  # noqa: E402

from generator.build import build_site  # noqa: E402

KB = 1024


def question_pages(site: Path) -> list[Path]:
    pages = []
    for html in (site / "questions").glob("*/*/index.html"):
        if html.parent.name not in ("by-partner", "by-status"):
            pages.append(html)
    return pages


def kind(url: str) -> str:
    path = url.split("?")[0]
    for ext in (".css", ".js", ".json", ".svg", ".png", ".woff2", ".woff"):
        if path.endswith(ext):
            return ext.lstrip(".")
    return "html"


def cold_load(browser, base: str, site: Path, rel: str) -> dict:
    """Bytes downloaded to show base+rel on a cold cache; then what opening search adds."""
    def open_search(page) -> None:
        page.keyboard.press("/")
        page.wait_for_function("!document.querySelector('.md-search-result__meta')"
                               ".textContent.includes('Initializing')", timeout=120_000)

    before = downloads(browser, site, base, rel)
    after = downloads(browser, site, base, rel, then=open_search)
    gz = 0
    for url in before:
        local = local_file(site, base, url)
        if local:
            gz += len(gzip.compress(local.read_bytes(), 6))
    by_kind: dict[str, int] = {}
    for url, n in before.items():
        by_kind[kind(url)] = by_kind.get(kind(url), 0) + n
    index_early = any("search_index" in u for u in before)
    index_late = sum(n for u, n in after.items() if "search_index" in u)
    return {"total": sum(before.values()), "gzip": gz, "by_kind": by_kind,
            "index_before_search": index_early, "index_on_search": index_late}


def measure(name: str, site: Path, browser) -> None:
    pages = question_pages(site)
    sizes = sorted(p.stat().st_size for p in pages)
    largest = max(pages, key=lambda p: p.stat().st_size)
    index = site / "search" / "search_index.json"
    print(f"\n== {name}: {len(pages)} question pages")
    print(f"question HTML: largest {sizes[-1] / KB:.1f} KB ({largest.parent.name}), "
          f"median {statistics.median(sizes) / KB:.1f} KB (budget 60 KB)")
    print(f"search index: {index.stat().st_size / KB:.0f} KB "
          f"({len(gzip.compress(index.read_bytes(), 6)) / KB:.0f} KB gzip)")
    rel = largest.parent.relative_to(site).as_posix() + "/"
    with serve(site) as base:
        r = cold_load(browser, base, site, rel)
    kinds = ", ".join(f"{k} {v / KB:.0f}" for k, v in sorted(r["by_kind"].items()))
    print(f"cold load of the largest question page: {r['total'] / KB:.0f} KB "
          f"({r['gzip'] / KB:.0f} KB gzip; budget 500 KB) = {kinds}")
    print(f"search index fetched before search is opened: {r['index_before_search']}; "
          f"on opening search: {r['index_on_search'] / KB:.0f} KB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000", help="generated kb sizes ('' for none)")
    parser.add_argument("--site", type=Path, help="measure this built site as well")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        if args.site:
            measure(str(args.site), args.site, browser)
        else:
            site = Path(tmp) / "sample"
            build_site(ROOT / "kb", site, project=ROOT)
            measure("sample kb", site, browser)
        for n in [int(s) for s in args.sizes.split(",") if s]:
            kb = write_synthetic_kb(Path(tmp) / f"kb-{n}", n)
            site = Path(tmp) / f"site-{n}"
            build_site(kb, site, project=ROOT)
            measure(f"{n}-question kb", site, browser)
        browser.close()


if __name__ == "__main__":
    main()
