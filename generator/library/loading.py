"""Read a library kb with the country loader: same YAML safety, schema errors and checks."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..checks import check_references
from ..models import Sector, SectorList
from ..models.library import LibraryInfo, LibraryQuestion
from ..problems import Report
from ..yamlio import YamlDoc

# What a library kb holds, for the country loader (generator.loader.Loader) to read it with.
LIBRARY_KINDS = {
    "single_files": {
        "library": ("library.yml", LibraryInfo),
        "sectors": ("sectors.yml", SectorList),
    },
    "optional_files": {},
    "folders": {"question": ("questions/*/*", LibraryQuestion)},
    "known_top": {"library.yml", "sectors.yml", "questions", "schemas"},
}


@dataclass(frozen=True)
class Library:
    root: Path
    label: str  # the folder, or repository@ref
    info: LibraryInfo
    sectors: dict[str, Sector]
    questions: dict[str, LibraryQuestion]
    # The YAML of each question (its values become the country question's) and its file.
    docs: dict[str, YamlDoc] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)

    def in_sector(self, sector: str) -> list[LibraryQuestion]:
        return [q for q in self.questions.values() if q.sector == sector]


def load_library_with(loader_class: Any, root: Path, label: str | None = None,
                      ) -> tuple[Library | None, Report]:
    """The library at `root` (None if it has errors) and the full report, read by a subclass
    of the country loader (passed in: the loader calls this module to resolve adoptions)."""
    loader = type("LibraryLoader", (loader_class,), LIBRARY_KINDS)(root.resolve())
    loaded = loader.load_all()
    report = loader.report
    report.extend(check_references(loaded))
    r = loaded.records
    if not report.ok or "library" not in r or "sectors" not in r:
        return None, report
    questions = dict(sorted(r["question"].items(), key=lambda kv: (kv[1].sector, kv[0])))
    return Library(
        root=root.resolve(), label=label or str(root), info=r["library"],
        sectors={s.id: s for s in r["sectors"].sectors}, questions=questions,
        docs={qid: loaded.docs[("question", qid)] for qid in questions},
        sources={qid: loaded.rel[("question", qid)] for qid in questions},
    ), report


def library_schemas() -> dict[str, dict[str, object]]:
    """File name -> JSON Schema of each library file (library/schemas/), for editors."""
    out = {}
    for name, model in (("library", LibraryInfo), ("sectors", SectorList),
                        ("library-question", LibraryQuestion)):
        schema = model.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        out[f"{name}.schema.json"] = schema
    return out


def write_library_schemas(root: Path) -> list[Path]:
    dest = root / "schemas"
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in library_schemas().items():
        path = dest / name
        path.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        written.append(path)
    return written
