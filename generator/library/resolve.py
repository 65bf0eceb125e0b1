"""Find, load and check the library a country kb declares (country.yml `library:`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..models.library import LibraryRef
from ..problems import Problem, Report, counted, shown
from ..yamlio import YamlDoc
from .adoption import Adoptions
from .loading import Library, load_library_with
from .source import LibrarySourceError, locate


def _rel(kb_root: Path, doc: YamlDoc) -> str:
    try:
        return doc.path.relative_to(kb_root.parent).as_posix()
    except ValueError:
        return doc.path.as_posix()


def adoptions_for(loader_class: Any, kb_root: Path, country: YamlDoc | None, report: Report,
                  ) -> Adoptions:
    """The adoption resolver of a country kb; problems with its library go to `report`."""
    raw = country.data.get("library") if country is not None else None
    if raw is None:
        return Adoptions(None, broken=country is None)
    assert country is not None
    try:
        ref = LibraryRef.model_validate(raw)
    except ValidationError:
        return Adoptions(None, broken=True)  # country.yml's own check reports it
    library, problems = find_library(loader_class, kb_root, ref, country)
    report.extend(problems)
    return Adoptions(library, broken=library is None, languages=_languages(country.data))


def _languages(data: dict[str, Any]) -> frozenset[str]:
    """The country's form and site languages, without the source ones (the first of each),
    read from the YAML: country.yml's own check reports a malformed list."""
    codes: set[str] = set()
    sources: set[str] = set()
    for key in ("form_languages", "site_languages"):
        raw = data.get(key)
        listed = [str(x["code"]) for x in raw if isinstance(x, dict) and x.get("code")] \
            if isinstance(raw, list) else []
        sources.update(listed[:1])
        codes.update(listed[1:])
    return frozenset(codes - sources)


def find_library(loader_class: Any, kb_root: Path, ref: LibraryRef, country: YamlDoc,
                 ) -> tuple[Library | None, list[Problem]]:
    rel = _rel(kb_root, country)
    try:
        located = locate(ref, kb_root)
    except LibrarySourceError as err:
        return None, [Problem(rel, country.line(["library", err.field]), f"library.{err.field}",
                              err.message, err.fix, code=err.code)]
    library, lib_report = _cached_load(loader_class, located.root, located.label)
    if library is None:
        n = len(lib_report.errors)
        return None, [*lib_report.problems, Problem(
            rel, country.line(["library"]), "library",
            f"the library at {shown(located.label)} has {counted(n, 'error')} (listed above)",
            "fix the library, or pin a version without them", code="library-not-found")]
    problems = list(lib_report.problems)  # warnings
    if ref.version and ref.version != library.info.version:
        where = "ref" if ref.git and not ref.path else "version"
        problems.append(Problem(
            rel, country.line(["library", "version"]), "library.version",
            f"version '{shown(ref.version)}' not found: {shown(located.label)} holds "
            f"version {shown(library.info.version)}",
            f"pin the {where} that holds {shown(ref.version)}, or review the changes "
            f"(toolkit library update) and set 'version: {shown(library.info.version)}'",
            code="library-version-not-found"))
        return None, problems
    return library, problems


# Libraries read in this process, by folder and the state of its files: `toolkit compare`
# loads many countries that adopt from the same library, which is then read once.
_CACHE: dict[tuple[Path, str, tuple[tuple[str, int, int], ...]], tuple[Any, Any]] = {}
_CACHE_SIZE = 8


def _signature(root: Path) -> tuple[tuple[str, int, int], ...]:
    out = []
    for path in sorted(root.rglob("*.yml")):
        st = path.stat()
        out.append((path.relative_to(root).as_posix(), st.st_mtime_ns, st.st_size))
    return tuple(out)


def _cached_load(loader_class: Any, root: Path, label: str) -> tuple[Any, Any]:
    key = (root.resolve(), label, _signature(root))
    if key not in _CACHE:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = load_library_with(loader_class, root, label)
    return _CACHE[key]
