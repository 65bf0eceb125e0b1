"""What a build keeps is frozen while it runs and unfrozen when it ends (or fails), with
full collections rarer meanwhile; under `mkdocs serve` what the first build leaves is
frozen for the session, once per process, so the memory it can hold stays bounded by that
build (plugin/collector.py). The time it saves is measured in benchmarks, not here."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from generator.plugin import collector


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    made: list[str] = []
    monkeypatch.setattr(collector, "_session", False)
    monkeypatch.setattr(collector, "_thresholds", None)
    for name in ("collect", "freeze", "unfreeze"):
        monkeypatch.setattr(collector.gc, name, lambda name=name: made.append(name))
    before = gc.get_threshold()
    yield made
    gc.set_threshold(*before)


def test_a_build_unfreezes_what_it_froze(calls: list[str]) -> None:
    before = gc.get_threshold()
    collector.checkpoint()
    assert gc.get_threshold() == (*before[:2], before[2] * collector.RARER)
    collector.checkpoint()
    assert gc.get_threshold() == (*before[:2], before[2] * collector.RARER)
    collector.end(serving=False)
    assert calls == ["freeze", "freeze", "unfreeze"]
    assert gc.get_threshold() == before


def test_the_first_served_build_freezes_the_session_once(calls: list[str]) -> None:
    before = gc.get_threshold()
    collector.checkpoint()
    collector.end(serving=True)
    # Garbage collected first: none of it is frozen.
    assert calls == ["freeze", "unfreeze", "collect", "freeze"]
    calls.clear()
    collector.checkpoint()  # a rebuild: its objects stay collectable
    collector.end(serving=True)
    collector.end(serving=False)
    assert calls == []
    assert gc.get_threshold() == before
