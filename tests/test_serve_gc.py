"""Under `mkdocs serve` the objects alive after the first build are frozen once per process
(plugin/serve_gc.py): never again, so the memory they can hold stays bounded by that build.
The time it saves is measured in benchmarks (edit_loop), not here."""

from __future__ import annotations

import pytest

from generator.plugin import serve_gc


def test_the_first_served_build_freezes_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(serve_gc, "_frozen", False)
    monkeypatch.setattr(serve_gc.gc, "collect", lambda: calls.append("collect"))
    monkeypatch.setattr(serve_gc.gc, "freeze", lambda: calls.append("freeze"))
    assert serve_gc.freeze_once()
    assert calls == ["collect", "freeze"]  # garbage collected first: none of it is frozen
    assert not serve_gc.freeze_once()
    assert calls == ["collect", "freeze"]
