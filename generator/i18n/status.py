"""`toolkit i18n status` and `toolkit i18n hash`: what translators need to know."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from ..loaded import Loaded
from ..loader import Loader
from .coverage import Entry, declared_languages, walk


@dataclass(frozen=True)
class Counts:
    texts: int
    translated: int
    stale: int

    @property
    def missing(self) -> int:
        return self.texts - self.translated


def read(root: Path) -> Loaded:
    """The kb's record files as they are, even with errors elsewhere."""
    return Loader(root.resolve()).load_all()


def counts(entries: list[Entry]) -> dict[str, dict[str, Counts]]:
    """language -> record kind -> counts."""
    acc: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    for e in entries:
        c = acc[e.lang][e.source.kind]
        c[0] += 1
        c[1] += e.translated
        c[2] += e.stale
    return {lang: {kind: Counts(*c) for kind, c in sorted(kinds.items())}
            for lang, kinds in acc.items()}


def status_text(root: Path, only: str | None = None, missing: bool = False) -> str:
    loaded = read(root)
    source, others = declared_languages(loaded)
    if not others:
        return (f"The kb declares one site language ({source}): nothing to translate. Add "
                "languages under site_languages in kb/country.yml.\n")
    langs = [only] if only else others
    entries, _ = walk(loaded, langs)
    table = counts(entries)
    lines = [f"Site languages: {source} (source), {', '.join(others)}", ""]
    for lang in langs:
        kinds = table.get(lang, {})
        total = Counts(sum(c.texts for c in kinds.values()),
                       sum(c.translated for c in kinds.values()),
                       sum(c.stale for c in kinds.values()))
        pct = 100 * total.translated // total.texts if total.texts else 100
        lines.append(f"{lang}: {total.translated} of {total.texts} texts translated ({pct}%), "
                     f"{total.missing} missing, {total.stale} stale")
        lines.append(f"  {'record kind':<15} {'texts':>6} {'translated':>10} {'missing':>8} "
                     f"{'stale':>6}")
        for kind, c in kinds.items():
            lines.append(f"  {kind:<15} {c.texts:>6} {c.translated:>10} {c.missing:>8} "
                         f"{c.stale:>6}")
        if missing:
            for e in entries:
                if e.lang == lang and not e.translated:
                    lines.append(f"  missing: {e.source.rel}:{e.source.doc.line(e.at)}: "
                                 f"{e.field}")
        lines.append("")
    lines.append("Missing texts show in the source language, marked 'not yet translated'. "
                 "Stale ones: toolkit validate says which and why.")
    return "\n".join(lines) + "\n"


def hash_text(root: Path, record: Path, lang: str) -> str:
    """The source_hash block to paste under translations.<lang> of one record file."""
    loaded = read(root)
    target = record.resolve()
    chosen = [s for s in loaded.sources if (root.resolve().parent / s.rel).resolve() == target
              or Path(s.rel).resolve() == target]
    if not chosen:
        raise LookupError(f"{record} is not a record file of {root}")
    source = chosen[0]
    entries, _ = walk(Loaded(loaded.records, loaded.docs, loaded.rel, loaded.names, [source]),
                      [lang])
    out: list[str] = []
    blocks: dict[tuple[object, ...], dict[str, str]] = defaultdict(dict)
    for e in entries:
        if e.hash_key is None:
            continue
        owner = e.loc[: len(e.loc) - len(e.hash_key.split("."))]
        if e.loc and isinstance(e.loc[-1], int):  # an item of a list of texts
            owner = owner[:-1] if len(owner) else owner
        blocks[owner][e.hash_key] = e.current
    for owner, hashes in blocks.items():
        where = ".".join(map(str, (*owner, "translations", lang, "source_hash")))
        out.append(f"# {source.rel}: {where}")
        out.append("source_hash:")
        out.extend(f"  {k}: {v}" for k, v in hashes.items())
        out.append("")
    return "\n".join(out)
