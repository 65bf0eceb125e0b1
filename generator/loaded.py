"""What the loader hands to the checks: every readable record file, typed where it validated.

Its own module so the checks need nothing from the loader (the loader runs the checks).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .yamlio import YamlDoc


@dataclass(frozen=True)
class Source:
    """One record file that reads as a YAML mapping, whether or not its record validated.

    Checks that only need the file's values (references, TODOs, minimum-criteria texts) run
    on `doc.data`, so a schema error elsewhere in the file does not hide them.
    """

    kind: str  # record kind (models.SINGLE_FILES / FOLDERS)
    rel: str  # path shown in messages
    doc: YamlDoc
    record: Any | None  # the typed record; None when the model refused the file


@dataclass
class Loaded:
    """Records that parsed, with the YAML they came from (for line numbers in later checks)."""

    records: dict[str, Any]
    docs: dict[tuple[str, str], YamlDoc]
    rel: dict[tuple[str, str], str]
    # File names per folder kind, valid or not: a reference to a record whose file has its
    # own errors is not reported a second time as "unknown".
    names: dict[str, set[str]] = field(default_factory=dict)
    sources: list[Source] = field(default_factory=list)
