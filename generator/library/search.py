"""Find library questions by words, or list a sector's."""

from __future__ import annotations

import re

from ..models.library import LibraryQuestion
from .loading import Library

_WORD = re.compile(r"[\w']+")


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def search(library: Library, query: str) -> list[LibraryQuestion]:
    """Questions holding every word of the query (in any field people read), best first:
    words in the question's wording count most, then in its purpose and guidance."""
    wanted = _words(query)
    if not wanted:
        return []
    scored: list[tuple[int, str, LibraryQuestion]] = []
    for q in library.questions.values():
        c = q.companion
        fields = [
            (4, f"{q.id} {q.text}"),
            (2, f"{q.information_need} {q.purpose} {' '.join(o.label for o in q.options)}"),
            (1, " ".join([q.use, q.sector, c.information_provided, c.suggested_use,
                          " ".join(c.interested_sectors), q.hxl or ""])),
        ]
        score = 0
        for word in wanted:
            hits = [w for w, text in fields if word in _words(text)
                    or any(t.startswith(word) for t in _words(text))]
            if not hits:
                score = 0
                break
            score += max(hits)
        if score:
            scored.append((-score, q.id, q))
    return [q for _, _, q in sorted(scored, key=lambda t: (t[0], t[1]))]


def in_sector(library: Library, sector: str | None) -> list[LibraryQuestion]:
    return [q for q in library.questions.values() if sector is None or q.sector == sector]
