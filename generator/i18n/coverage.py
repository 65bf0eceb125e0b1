"""What is translated, missing and stale, read from the record files themselves.

Works on the YAML values (not the typed records), like the other checks in checks.py, so a
schema error elsewhere in a file hides nothing and every finding has its line.

Stale translations: beside the texts of a language, a record may keep
`source_hash: {purpose: 3f2a91c0, analysis.descriptive: 9c1b0d2e}`, the fingerprint of the
source text each translation was made from (`toolkit i18n hash` prints them). When the
source text changes, its fingerprint no longer matches and `toolkit validate` warns, with
the new fingerprint to write once the translation is reviewed.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from ..loaded import Loaded, Source
from ..models import MODELS
from .adopted import adopted_view
from .fields import HASH_KEY, block_fields, item_model, spec_of

Loc = tuple[str | int, ...]


# Fingerprints are written in YAML by hand: letters only, so one never reads as a number
# (00012345, 1e500) or a date, and needs no quotes.
_LETTERS = str.maketrans("0123456789abcdef", "bcdfghjkmnpqrstv")


def fingerprint(value: Any) -> str:
    """8 letters from the source text's SHA-256, whitespace-insensitive (a YAML re-wrap is
    no change)."""
    text = "\n".join(map(str, value)) if isinstance(value, list) else str(value)
    digest = hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:8]
    return digest.translate(_LETTERS)


@dataclass(frozen=True)
class Entry:
    """One translatable source text in one target language."""

    source: Source
    lang: str
    field: str  # dotted path inside the record, as shown to people: msla.strengths[2]
    loc: Loc  # where the source text is in the record (its translations block is beside it)
    translated: bool
    hash_key: str | None  # key in source_hash that covers it (None: items' one text)
    hash_loc: Loc | None
    recorded: str | None  # the fingerprint recorded beside the translation
    current: str  # the fingerprint of the source text now
    # Where the text is written in the file, for its line: `loc`, or for an adopted
    # question an override's value or `adopts:` (a library text; i18n/adopted.py).
    at: Loc = ()

    @property
    def stale(self) -> bool:
        return self.translated and self.recorded is not None and self.recorded != self.current


@dataclass(frozen=True)
class Unknown:
    """A key in a translations block that is no translatable field (often a typo)."""

    source: Source
    loc: Loc
    key: str
    allowed: tuple[str, ...]


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


class Walker:
    def __init__(self, source: Source, langs: Sequence[str],
                 where: Callable[[Loc], Loc] = lambda loc: loc) -> None:
        self.source, self.langs, self.where = source, langs, where
        self.entries: list[Entry] = []
        self.unknown: list[Unknown] = []

    def record(self, model: type[BaseModel], data: Any, loc: Loc) -> None:
        if not isinstance(data, dict):
            return
        spec = spec_of(model)
        translations = _dict(data.get("translations"))
        for lang in self.langs:
            block = translations.get(lang)
            bloc: Loc = (*loc, "translations", lang)
            if spec.single:
                self._single(model, data, block, lang, loc, bloc)
                continue
            block = _dict(block)
            self._check_keys(model, block, bloc, top=True)
            hashes = _dict(block.get(HASH_KEY))
            self._fields(model, data, block, lang, loc, bloc, "", hashes)
        self._items(model, data, loc)

    def _items(self, model: type[BaseModel], data: dict[str, Any], loc: Loc) -> None:
        spec = spec_of(model)
        for name in spec.items:
            items = data.get(name)
            if isinstance(items, list):
                for i, item in enumerate(items):
                    self.record(item_model(model, name), item, (*loc, name, i))
        for name in spec.nested:  # a nested group's own item lists (country.msla...)
            if isinstance(data.get(name), dict):
                self._items(item_model(model, name), data[name], (*loc, name))

    def _single(self, model: type[BaseModel], data: dict[str, Any], block: Any, lang: str,
                loc: Loc, bloc: Loc) -> None:
        name = spec_of(model).single
        assert name is not None
        if _is_text(data.get(name)):
            self._add(lang, self._path(loc, name), (*loc, name), _is_text(block),
                      None, None, None, fingerprint(data[name]))

    def _check_keys(self, model: type[BaseModel], block: dict[str, Any], bloc: Loc,
                    top: bool) -> None:
        allowed = block_fields(model)
        for key, value in block.items():
            if key == HASH_KEY and top:
                continue
            if key not in allowed:
                shown = tuple(sorted(allowed | ({HASH_KEY} if top else set())))
                self.unknown.append(Unknown(self.source, (*bloc, key), str(key), shown))
            elif key in spec_of(model).nested and isinstance(value, dict):
                self._check_keys(item_model(model, key), value, (*bloc, key), top=False)

    def _fields(self, model: type[BaseModel], data: dict[str, Any], block: dict[str, Any],
                lang: str, loc: Loc, bloc: Loc, prefix: str, hashes: dict[str, Any]) -> None:
        spec = spec_of(model)

        def add(name: str, sub: Loc, value: Any, done: bool, show: str) -> None:
            key = prefix + name
            recorded = hashes.get(key)
            self._add(lang, show, sub, done, key,
                      (*bloc, HASH_KEY, key) if recorded is not None else None,
                      str(recorded) if recorded is not None else None, fingerprint(value))

        for name in spec.texts:
            if _is_text(data.get(name)):
                add(name, (*loc, name), data[name], _is_text(block.get(name)),
                    self._path(loc, name))
        for name in spec.lists:
            values = data.get(name)
            if not isinstance(values, list):
                continue
            done = block.get(name) if isinstance(block.get(name), list) else []
            texts = [v.get("need") if isinstance(v, dict) else v for v in values]
            for i, v in enumerate(texts):
                if _is_text(v):
                    ok = i < len(done) and _is_text(done[i])
                    add(name, (*loc, name, i), texts, ok, self._path(loc, name) + f"[{i + 1}]")
        for name in spec.maps:
            values = _dict(data.get(name))
            done = _dict(block.get(name))
            for k, v in values.items():
                if _is_text(v):
                    add(f"{name}.{k}", (*loc, name, k), v, _is_text(done.get(k)),
                        self._path(loc, f"{name}.{k}"))
        for name in spec.nested:
            if isinstance(data.get(name), dict):
                self._fields(item_model(model, name), data[name], _dict(block.get(name)), lang,
                             (*loc, name), bloc, prefix + name + ".", hashes)

    def _path(self, loc: Loc, name: str) -> str:
        parts: list[str] = []
        for part in loc:
            if isinstance(part, int):
                parts[-1] += f"[{part + 1}]"
            else:
                parts.append(part)
        return ".".join([*parts, name])

    def _add(self, lang: str, fld: str, loc: Loc, done: bool, key: str | None,
             hash_loc: Loc | None, recorded: str | None, current: str) -> None:
        self.entries.append(Entry(self.source, lang, fld, loc, done, key, hash_loc, recorded,
                                  current, self.where(loc)))


def declared_languages(loaded: Loaded) -> tuple[str, list[str]]:
    """(source language, other site languages) from kb/country.yml's values."""
    country = next((s for s in loaded.sources if s.kind == "country"), None)
    declared = _dict(country.doc.data).get("site_languages") if country else None
    codes = [str(x.get("code")) for x in declared if isinstance(x, dict) and x.get("code")] \
        if isinstance(declared, list) else []
    library = next((s for s in loaded.sources if s.kind == "library"), None)
    if country is None and library is not None:  # a library kb: the languages it declares
        listed = _dict(library.doc.data).get("languages")
        codes = [str(x) for x in listed if isinstance(x, str)] if isinstance(listed, list) \
            else []
    if not codes:
        return "en", []
    return codes[0], codes[1:]


def walk(loaded: Loaded, langs: Sequence[str] | None = None) -> tuple[list[Entry], list[Unknown]]:
    if langs is None:
        langs = declared_languages(loaded)[1]
    entries: list[Entry] = []
    unknown: list[Unknown] = []
    for source in loaded.sources:
        found, missing = walk_source(source, langs)
        entries += found
        unknown += missing
    return entries, unknown


def walk_source(source: Source, langs: Sequence[str]) -> tuple[list[Entry], list[Unknown]]:
    """walk() of one record file: it reads nothing but the file (and, for a question that
    adopts, its effective record) and the languages."""
    model = MODELS.get(source.kind)
    if model is None:
        return [], []
    data, where = source.doc.data, None
    if source.kind == "question" and isinstance(data, dict) and "adopts" in data:
        data, where = adopted_view(source)
    w = Walker(source, list(langs), *([where] if where else []))
    w.record(model, data, ())
    return w.entries, w.unknown


def closest(key: str, allowed: Sequence[str]) -> str | None:
    close = difflib.get_close_matches(key, allowed, n=1)
    return close[0] if close else None


def iter_stale(entries: Sequence[Entry]) -> Iterator[Entry]:
    seen: set[tuple[str, str, str | None]] = set()
    for e in entries:
        # A list has one fingerprint for all its items: report it once.
        if e.stale and (e.source.rel, e.lang, e.hash_key) not in seen:
            seen.add((e.source.rel, e.lang, e.hash_key))
            yield e
