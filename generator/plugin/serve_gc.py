"""Python's cycle collector under `mkdocs serve`: what the first served build leaves is
frozen, so later collections walk only what later builds make.

A serve session keeps some 700,000 objects alive between rebuilds at 1,000 questions (the
parsed kb, kept pages, HTML, search entries, the first build's MkDocs structures). Each
one-question rebuild allocated enough to start one or two full collections, each walking
all of them: 0.65-1.4 s of a 4.5-5.5 s rebuild (cProfile charges it to whatever function
was allocating, PyYAML's resolver most often). After the first served build: one full
collection, then gc.freeze() (the collector's own mechanism for long-lived objects); the
collections of a rebuild then took 0.2-0.3 s. Objects freed by reference counting are
freed as before; what the first build left that later becomes cyclic garbage stays in
memory, once per process (the same peak memory over ten rebuilds in benchmarks).
"""

from __future__ import annotations

import gc

_frozen = False


def freeze_once() -> bool:
    """Collect, then freeze what is alive, the first time in this process (True then)."""
    global _frozen
    if _frozen:
        return False
    _frozen = True
    gc.collect()
    gc.freeze()
    return True
