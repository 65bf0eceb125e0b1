"""Parsed kb files kept between the rebuilds of one `mkdocs serve` session.

Reading a record file (YAML with line numbers) and validating it against its model depend
on nothing but the file's bytes, its path and the model, so a rebuild reuses the typed
record, the YAML and the problems found in it for every file whose bytes are unchanged; the
checks across records still run on the whole kb. A question that adopts from the library
depends on the library too: it is never kept. One entry per file (the latest bytes), so
the memo never holds more than the kb does.

A new `mkdocs build` process reads back from the cache folder (`stored`, a
plugin.cache.Store) the YAML values of each file that had no problem, as JSON with the
types YAML gives them (encode), under a key of its bytes, path, model, the generator's code
and the YAML and pydantic versions; the record is validated from them again (a twentieth of
the parse), and the YAML's line numbers, only needed for a message, are parsed from the
bytes when one is asked for (ReadBack). An entry whose checksum or shape is not what
`put` writes is a miss: the file is parsed again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .problems import Problem
from .yamlio import _MAPPING, _SCALAR, _SEQUENCE, Lines, YamlDoc, parse_yaml


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
    # The cache folder (plugin.cache.Store), or None: memory only.
    stored: Any = field(default=None, repr=False)
    hits: int = 0  # by the current (or last) load
    misses: int = 0
    # Per-file check results read back from the cache folder (check_memo.py), or made again.
    check_hits: int = 0
    check_misses: int = 0

    def start(self) -> None:
        self.hits = self.misses = self.check_hits = self.check_misses = 0

    @staticmethod
    def key(path: Path, model: type) -> tuple[str, str]:
        return str(path), f"{model.__module__}.{model.__qualname__}"

    def get(self, path: Path, model: type, raw: bytes) -> Parsed | None:
        digest = hashlib.sha256(raw).hexdigest()
        entry = self.entries.get(self.key(path, model))
        if entry is not None and entry.digest == digest:
            self.hits += 1
            if self.stored is not None and not entry.problems:  # its entry there stays
                self.stored.used.add(self._stored_key(path, model, digest))
                if getattr(entry.doc, "_sent", False):  # and its lines
                    self.stored.used.add(disk_key_lines(path, model, digest))
            return entry
        entry = self._read_back(path, model, raw, digest)
        if entry is not None:
            self.hits += 1
            self.entries[self.key(path, model)] = entry
            return entry
        self.misses += 1
        return None

    def put(self, path: Path, model: type, raw: bytes, record: Any | None,
            doc: YamlDoc | None, problems: list[Problem]) -> YamlDoc | None:
        """Keep the file's parse; returns the doc to use (one whose lines go to the cache
        folder when a message first asks for one, when its values went there)."""
        if doc is not None and isinstance(doc.data, dict) and "adopts" in doc.data:
            self.entries.pop(self.key(path, model), None)
            return doc
        digest = hashlib.sha256(raw).hexdigest()
        if self.stored is not None and record is not None and doc is not None \
                and not problems:
            try:
                data = encode(doc.data)
            except TypeError:
                data = None  # a value JSON cannot hold as it is: parsed on each build
            if data is not None:
                self.stored.put(self._stored_key(path, model, digest),
                                {"sum": _checksum(data), "data": data})
                doc = StoringLines(doc, self.stored, disk_key_lines(path, model, digest))
        self.entries[self.key(path, model)] = Parsed(digest, record, doc, tuple(problems))
        return doc

    def _read_back(self, path: Path, model: type, raw: bytes, digest: str) -> Parsed | None:
        if self.stored is None:
            return None
        entry = self.stored.get(self._stored_key(path, model, digest))
        if not (isinstance(entry, dict) and set(entry) == {"sum", "data"}
                and entry["sum"] == _checksum(entry["data"])):
            return None
        try:
            data = decode(entry["data"])
            record = model.model_validate(data)  # type: ignore[attr-defined]
        except (ValueError, TypeError, KeyError, IndexError, ValidationError):
            return None
        lines_key = disk_key_lines(path, model, digest)
        return Parsed(digest, record, ReadBack(path, data, raw, self.stored, lines_key), ())

    @staticmethod
    def _stored_key(path: Path, model: type, digest: str) -> str:
        from .rebuild_memo import disk_key

        return disk_key("parse", _code(), *ParseMemo.key(path, model), digest)


_CODE: list[str] = []


def _code() -> str:
    """The generator's code (models, yamlio): once per process, like the models."""
    if not _CODE:
        from .page_memo import templates_digest

        _CODE.append(templates_digest())
    return _CODE[0]


def disk_key_lines(path: Path, model: type, digest: str) -> str:
    from .rebuild_memo import disk_key

    return disk_key("lines", _code(), *ParseMemo.key(path, model), digest)


class ReadBack(YamlDoc):
    """A file's YAML read back from the cache folder: where its values start (the line
    numbers of messages) is parsed again from the file's bytes when a line is first asked
    for, and kept in the cache folder too: a kb with many warnings (translations not done
    yet) asks for most files' lines on every build (a sixth of such a warm build)."""

    def __init__(self, path: Path, data: Any, raw: bytes, stored: Any = None,
                 key: str = "") -> None:
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "data", data)
        object.__setattr__(self, "_raw", raw)
        object.__setattr__(self, "_stored", stored)
        object.__setattr__(self, "_key", key)

    @property  # type: ignore[override]
    def lines(self) -> Any:
        if "_lines" not in self.__dict__:
            lines = None
            if self._stored is not None:
                lines = decode_lines(self._stored.get(self._key))
            if lines is None:
                lines = parse_yaml(self.path, self._raw).lines
                if self._stored is not None:
                    self._stored.put(self._key, encode_lines(lines))
            object.__setattr__(self, "_lines", lines)
            # In the cache folder now: later builds of this process keep its entry there.
            object.__setattr__(self, "_sent", self._stored is not None)
        return self.__dict__["_lines"]


class StoringLines(YamlDoc):
    """A file parsed in this build whose values went to the cache folder: the first time a
    message asks for one of its lines, its lines go there too, so that the next process
    reads them back (ReadBack) instead of parsing the file again."""

    def __init__(self, doc: YamlDoc, stored: Any, key: str) -> None:
        object.__setattr__(self, "path", doc.path)
        object.__setattr__(self, "data", doc.data)
        object.__setattr__(self, "lines", doc.lines)
        object.__setattr__(self, "_stored", stored)
        object.__setattr__(self, "_key", key)
        object.__setattr__(self, "_sent", False)

    def line(self, loc: Any) -> int:
        if not self._sent:
            object.__setattr__(self, "_sent", True)
            self._stored.put(self._key, encode_lines(self.lines))
        return super().line(loc)


def encode_lines(lines: Lines) -> list[Any]:
    return [[list(path), line, kind] for path, (line, kind) in lines.items()]


def decode_lines(value: Any) -> Lines | None:
    """The lines encode_lines wrote, or None for anything else (a miss: parsed again)."""
    if not isinstance(value, list):
        return None
    lines: Lines = {}
    for item in value:
        if not (isinstance(item, list) and len(item) == 3 and isinstance(item[0], list)
                and all(type(p) in (str, int) for p in item[0])
                and type(item[1]) is int and item[2] in (_SCALAR, _MAPPING, _SEQUENCE)):
            return None
        lines[tuple(item[0])] = (item[1], item[2])
    return lines


# The values YAML gives a kb file, as JSON: scalars as they are, containers and dates tagged
# (a mapping's keys need not be text).
def encode(value: Any) -> Any:
    if value is None or type(value) in (str, int, float, bool):
        return value
    if type(value) is list:
        return ["L", *(encode(v) for v in value)]
    if type(value) is dict:
        return ["M", *(x for k, v in value.items() for x in (encode(k), encode(v)))]
    if type(value) is dt.datetime:
        return ["T", value.isoformat()]
    if type(value) is dt.date:
        return ["D", value.isoformat()]
    raise TypeError(type(value).__name__)


def decode(value: Any) -> Any:
    if type(value) is not list:
        if value is None or type(value) in (str, int, float, bool):
            return value
        raise TypeError(type(value).__name__)
    tag = value[0]
    if tag == "L":
        return [decode(v) for v in value[1:]]
    if tag == "M":
        items = value[1:]
        if len(items) % 2:
            raise ValueError("odd mapping")
        return {decode(items[i]): decode(items[i + 1]) for i in range(0, len(items), 2)}
    if tag == "T" and len(value) == 2:
        return dt.datetime.fromisoformat(value[1])
    if tag == "D" and len(value) == 2:
        return dt.date.fromisoformat(value[1])
    raise ValueError(f"unknown tag {tag!r}")


def _checksum(data: Any) -> str:
    from .rebuild_memo import checksum

    return checksum(data)
