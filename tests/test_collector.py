"""What a build keeps is frozen while it runs and unfrozen when it ends (or fails); under
`mkdocs serve` what the first build leaves is frozen for the session, once per process, so
the memory it can hold stays bounded by that build (plugin/collector.py). The time it
saves is measured in benchmarks, not here."""

from __future__ import annotations

import pytest

from generator.plugin import collector


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    made: list[str] = []
    monkeypatch.setattr(collector, "_session", False)
    for name in ("collect", "freeze", "unfreeze"):
        monkeypatch.setattr(collector.gc, name, lambda name=name: made.append(name))
    return made


def test_a_build_unfreezes_what_it_froze(calls: list[str]) -> None:
    collector.checkpoint()
    collector.checkpoint()
    collector.end(serving=False)
    assert calls == ["freeze", "freeze", "unfreeze"]


def test_the_first_served_build_freezes_the_session_once(calls: list[str]) -> None:
    collector.checkpoint()
    collector.end(serving=True)
    # Garbage collected first: none of it is frozen.
    assert calls == ["freeze", "unfreeze", "collect", "freeze"]
    calls.clear()
    collector.checkpoint()  # a rebuild: its objects stay collectable
    collector.end(serving=True)
    collector.end(serving=False)
    assert calls == []
