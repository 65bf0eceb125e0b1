"""Parsed kb files kept between the rebuilds of one `mkdocs serve` session.

Reading a record file (YAML with line numbers) and validating it against its model depend
on nothing but the file's bytes, its path and the model, so a rebuild reuses the typed
record, the YAML and the problems found in it for every file whose bytes are unchanged; the
checks across records still run on the whole kb. A question that adopts from the library
depends on the library too: it is never kept. One entry per file (the latest bytes), so
the memo never holds more than the kb does.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .problems import Problem
from .yamlio import YamlDoc


@dataclass(frozen=True)
class Parsed:
    digest: str  # sha256 of the file's bytes
    record: Any | None  # models are frozen: sharing one between builds is safe
    doc: YamlDoc | None
    problems: tuple[Problem, ...]


@dataclass
class ParseMemo:
    entries: dict[tuple[str, str], Parsed] = field(default_factory=dict, repr=False)
    # Each file's translation problems (i18n/validate.py), reused while its entry here is.
    translations: dict[str, Any] = field(default_factory=dict, repr=False)
    # What checks.Checker found in each file and typed question, reused the same way.
    checks: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)
    hits: int = 0  # by the current (or last) load
    misses: int = 0

    def start(self) -> None:
        self.hits = self.misses = 0

    @staticmethod
    def key(path: Path, model: type) -> tuple[str, str]:
        return str(path), f"{model.__module__}.{model.__qualname__}"

    def get(self, path: Path, model: type, raw: bytes) -> Parsed | None:
        entry = self.entries.get(self.key(path, model))
        if entry is not None and entry.digest == hashlib.sha256(raw).hexdigest():
            self.hits += 1
            return entry
        self.misses += 1
        return None

    def put(self, path: Path, model: type, raw: bytes, record: Any | None,
            doc: YamlDoc | None, problems: list[Problem]) -> None:
        if doc is not None and isinstance(doc.data, dict) and "adopts" in doc.data:
            self.entries.pop(self.key(path, model), None)
            return
        self.entries[self.key(path, model)] = Parsed(
            hashlib.sha256(raw).hexdigest(), record, doc, tuple(problems))
