"""What the XLSForm export costs: building the sheets, writing the xlsx and pyxform's check.

The site build exports the public questionnaire once (questionnaire/<form_id>.xlsx), so this
is also what the download adds to every build. Each size runs in a fresh process, so the
first call includes importing openpyxl and pyxform, as in a real build. pyxform checks the
rows the workbook is written from (export.workbook_dict, as export_xlsform does); the last
column is pyxform reading the written file back instead, for comparison.
Run: .venv/bin/python benchmarks/xlsform.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic_kb import write_synthetic_kb  # noqa: E402

CHILD = """
import json, sys, time
from pathlib import Path
from generator.loader import load_or_raise
from generator.xlsform.export import build_sheets, convert, to_xlsx, workbook_dict
kb = load_or_raise(Path(sys.argv[1]))
out = {}
for run in ("first", "again"):
    t0 = time.perf_counter(); sheets = build_sheets(kb)
    t1 = time.perf_counter(); data = to_xlsx(sheets)
    t2 = time.perf_counter(); convert(workbook_dict(sheets))
    t3 = time.perf_counter(); convert(data)
    t4 = time.perf_counter()
    out[run] = {"sheets": t1 - t0, "xlsx": t2 - t1, "pyxform": t3 - t2, "total": t3 - t0,
                "file": t4 - t3, "rows": len(sheets.survey)}
print(json.dumps(out))
"""


def main() -> None:
    print("| questions | survey rows | sheets s | xlsx s | pyxform s | total s (first) | "
          "total s (again) | pyxform from the file s (again) |")
    print("|--:|--:|--:|--:|--:|--:|--:|--:|")
    with tempfile.TemporaryDirectory() as tmp:
        kbs = [("sample", ROOT / "kb")]
        for n in (100, 1000):
            kbs.append((str(n), write_synthetic_kb(Path(tmp) / f"kb{n}", n)))
        for name, kb in kbs:
            res = subprocess.run([sys.executable, "-c", CHILD, str(kb)], capture_output=True,
                                 text=True, check=True)
            r = json.loads(res.stdout.strip().splitlines()[-1])
            f, a = r["first"], r["again"]
            print(f"| {name} | {f['rows']} | {f['sheets']:.2f} | {f['xlsx']:.2f} | "
                  f"{f['pyxform']:.2f} | {f['total']:.2f} | {a['total']:.2f} | "
                  f"{a['file']:.2f} |")


if __name__ == "__main__":
    main()
