"""What the per-file checks found, kept in the cache folder between builds.

`mkdocs serve` reuses a file's check results while the ParseMemo hands back the very same
parsed objects (checks.Checker._per_file, i18n/validate.py). A new `mkdocs build` process
has no such objects and ran every per-file check again (a twelfth of a warm build at 1,000
questions). Here their problems are kept as data (JSON lists, in the ParseMemo's
plugin.cache.Store) under a key of everything the check reads: the bytes of the file (and
of country.yml where a check reads the country), its path as messages show it, the values
the check is given besides (the round, the site languages), the generator's code and the
package versions. Only files whose record and YAML come from their bytes alone are kept:
a question adopting from the library is parsed anew each build (the ParseMemo keeps no
entry for it), so its checks run each build too. An entry of another shape is a miss.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .problems import KINDS, Problem

if TYPE_CHECKING:
    from .parse_memo import ParseMemo

Groups = list[list[Problem]]


class CheckMemo:
    """The disk side of one load's per-file checks (None when the cache is off)."""

    def __init__(self, memo: ParseMemo) -> None:
        self.memo, self.stored = memo, memo.stored
        self.base: str | None = None
        # The byte digest of each file the ParseMemo holds, by its YAML object.
        self.digests = {id(p.doc): (p.doc, p.record, p.digest) for p in memo.entries.values()
                        if p.doc is not None}

    @classmethod
    def of(cls, memo: ParseMemo | None) -> CheckMemo | None:
        return None if memo is None or memo.stored is None else cls(memo)

    def digest(self, doc: object, record: object) -> str | None:
        """The bytes' digest of the file these parsed objects came from, if nothing else
        shaped them."""
        entry = self.digests.get(id(doc))
        if entry is None or entry[0] is not doc or entry[1] is not record:
            return None
        return entry[2]

    def key(self, kind: str, *parts: Any) -> str:
        if self.base is None:  # the code and package versions: once per load
            from .parse_memo import _code
            from .rebuild_memo import disk_key

            self.base = disk_key("checks", _code())
        text = json.dumps([self.base, kind, parts], default=repr)
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    def get(self, key: str, groups: int) -> Groups | None:
        found = decode(self.stored.get(key), groups)
        if found is None:
            self.memo.check_misses += 1
        else:
            self.memo.check_hits += 1
        return found

    def keep(self, key: str) -> None:
        """Keep the entry under key in the cache folder (its problems were reused from memory)."""
        self.stored.used.add(key)

    def put(self, key: str, found: Sequence[Sequence[Problem]]) -> None:
        self.stored.put(key, [[encode(p) for p in group] for group in found])


def encode(p: Problem) -> list[Any]:
    return [p.path, p.line, p.field, p.message, p.fix, p.severity, p.code]


def decode(value: Any, groups: int) -> Groups | None:
    """The problems of an entry as put writes it; None for anything else."""
    if not (isinstance(value, list) and len(value) == groups
            and all(isinstance(g, list) for g in value)):
        return None
    out: Groups = []
    for group in value:
        problems = []
        for item in group:
            if not (isinstance(item, list) and len(item) == 7
                    and all(isinstance(x, str) for i, x in enumerate(item) if i != 1)
                    and type(item[1]) is int and item[5] in ("error", "warning")
                    and item[6] in KINDS):
                return None
            path, line, fld, message, fix, severity, code = item
            problems.append(Problem(path, line, fld, message, fix, severity, code=code))
        out.append(problems)
    return out
