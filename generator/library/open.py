"""The library a command works on: a library folder, or the one a country kb declares."""

from __future__ import annotations

from pathlib import Path

from ..errors import ToolkitError
from ..loader import load_library
from ..models.library import LibraryRef
from ..yamlio import YamlProblem, read_yaml
from .loading import Library
from .source import LibrarySourceError, locate


class LibraryError(ToolkitError):
    """A library command cannot go on (no library declared, library invalid...)."""


def library_ref(kb: Path) -> LibraryRef:
    """The `library:` of kb/country.yml, read on its own (the rest of the kb may be invalid:
    `toolkit library update` runs precisely when the pinned version no longer matches)."""
    try:
        doc = read_yaml(kb / "country.yml", within=kb)
    except (YamlProblem, OSError) as err:
        raise LibraryError(f"{kb}/country.yml cannot be read: {err}") from None
    raw = doc.data.get("library") if isinstance(doc.data, dict) else None
    if raw is None:
        raise LibraryError(f"{kb}/country.yml declares no library: add 'library: "
                           "{path: ../library}' (see CONTRIBUTING.md)")
    try:
        return LibraryRef.model_validate(raw)
    except ValueError as err:
        raise LibraryError(f"{kb}/country.yml: library: {err}") from None


def open_library(library: Path | None, kb: Path, *, at: str | None = None) -> Library:
    """The library folder given, else the kb's library (`at`: another git ref)."""
    if library is not None:
        root, label = library, str(library)
    else:
        try:
            located = locate(library_ref(kb), kb.resolve(), at=at)
        except LibrarySourceError as err:
            raise LibraryError(str(err)) from None
        root, label = located.root, located.label
    lib, report = load_library(root, label)
    if lib is None:
        raise LibraryError(f"the library at {label} has errors:\n{report.format()}")
    return lib
