"""`toolkit compare` at scale: 30 countries of 150 questions adopting one library.

Generates a library of 150 questions (from the synthetic kb's questions, with Field
Companion guidance) and 30 country kbs whose questions adopt them: every 10th with its
wording changed (a deviation), every 7th with a contextualised hint, every 10th confidential
(from the synthetic kb). Measures loading and validating every kb (what dominates), the
comparison itself and the HTML page.

Run: .venv/bin/python benchmarks/compare.py [--countries 30] [--questions 150]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic_kb import write_synthetic_kb  # noqa: E402

from generator.library.compare import as_html, as_text, compare_kbs  # noqa: E402
from generator.loader import load_or_raise  # noqa: E402
from generator.pages import Options, SiteRenderer  # noqa: E402

LIBRARY_KEYS = ("id", "sector", "text", "type", "options", "hint", "information_need",
                "purpose", "use", "mockup")
# A country's own fields, including what an agreed question needs since the joint-process
# rules (issue #11): the needs it serves, its verification and the round it is asked since.
COUNTRY_KEYS = ("id", "sector", "key_informant", "requested_by", "sharing", "criteria",
                "status", "needs", "verification", "since_round")
COMPANION = {
    "information_provided": "What key informants report for the location.",
    "suggested_use": "Prioritise locations for the sector's response.",
    "descriptive_analysis": "Proportion of locations per answer, by admin 1 area.",
    "visualisation": "Bar chart of the share of locations per answer.",
    "sharing": "Public: location-level results in the public dataset.",
    "interested_sectors": ["Global cluster"],
    "preconditions": "A partner analyses the results every round.",
    "key_informant": "Community leader; site manager",
    "instructions": "Read the question, not the options.",
    "tier": "recommended",
}


def dump(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def write_library(template: Path, dest: Path) -> None:
    dump(dest / "library.yml", {"id": "bench-library", "title": "Benchmark library",
                                "version": "1.0", "maintained_by": "benchmark"})
    dump(dest / "sectors.yml", {"sectors": [
        {k: v for k, v in s.items() if k != "coordinated_by"}
        for s in yaml.safe_load((template / "sectors.yml").read_text())["sectors"]]})
    for path in template.glob("questions/*/*.yml"):
        q = yaml.safe_load(path.read_text())
        lib = {k: q[k] for k in LIBRARY_KEYS if k in q}
        lib["analysis"] = {k: v for k, v in q["analysis"].items() if k != "analysed_by"}
        lib["companion"] = COMPANION
        dump(dest / "questions" / q["sector"] / path.name, lib)


def write_country(template: Path, dest: Path, n: int) -> None:
    write_synthetic_kb(dest, 0)
    country = yaml.safe_load((dest / "country.yml").read_text())
    country["name"] = f"Country {n:02d}"
    country["library"] = {"path": "../library", "version": "1.0"}
    dump(dest / "country.yml", country)
    for i, path in enumerate(sorted(template.glob("questions/*/*.yml"))):
        q = yaml.safe_load(path.read_text())
        record = {k: q[k] for k in COUNTRY_KEYS if k in q}
        record["adopts"] = q["id"]
        record["analysis"] = {"analysed_by": q["analysis"]["analysed_by"]}
        overrides = {}
        if (i + n) % 10 == 0:
            overrides["text"] = {"value": q["text"].replace("Synthetic", f"Country {n}"),
                                 "reason": "Local wording agreed with partners."}
        if (i + n) % 7 == 0:
            overrides["hint"] = {"value": "Ask the site manager first.",
                                 "reason": "Most locations here are sites."}
        if overrides:
            record["overrides"] = overrides
        dump(dest / "questions" / q["sector"] / path.name, record)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--countries", type=int, default=30)
    parser.add_argument("--questions", type=int, default=150)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        template = write_synthetic_kb(work / "template", args.questions)
        write_library(template, work / "library")
        kbs = []
        for n in range(args.countries):
            write_country(template, work / f"country-{n:02d}", n)
            kbs.append(work / f"country-{n:02d}")
        start = time.perf_counter()
        loaded = [load_or_raise(kb) for kb in kbs]
        t_load = time.perf_counter() - start
        start = time.perf_counter()
        result = compare_kbs(loaded)
        text = as_text(result)
        t_compare = time.perf_counter() - start
        start = time.perf_counter()
        page = as_html(result)
        t_html = time.perf_counter() - start
        # The site page (plugin option compare_with): the same comparison as Markdown.
        start = time.perf_counter()
        site_page = SiteRenderer(loaded[0], Options(mockups=False)).comparison_page(result)
        t_page = time.perf_counter() - start
        print(json.dumps({
            "countries": args.countries, "questions_per_country": args.questions,
            "load_and_validate_s": round(t_load, 2),
            "load_per_country_s": round(t_load / args.countries, 3),
            "compare_s": round(t_compare, 3), "html_s": round(t_html, 3),
            "html_kb": round(len(page.encode()) / 1024, 1),
            "site_page_s": round(t_page, 3),
            "site_page_kb": round(len(str(site_page.content).encode()) / 1024, 1),
            "library_questions_compared": len(result.questions),
            "comparable_everywhere": len(result.comparable_everywhere()),
            "report_lines": len(text.splitlines()),
        }, indent=2))


if __name__ == "__main__":
    main()
