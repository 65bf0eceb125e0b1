"""The page cache lives outside the site, can be deleted or damaged.

That edits never show stale content (a question, a template, a sector name, a hand-written
page...) is tests/test_edit_loop.py's part. Speed is measured in benchmarks/, not here.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from mkdocs.config import load_config
from support import SAMPLE_KB, copy_project, without_process_memos

from generator.build import build_site
from generator.plugin.cache import Store, _sum
from generator.rebuild_memo import checksum

EPOCH = "1767225600"


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return copy_project(tmp_path / "project", SAMPLE_KB)


def test_cache_lives_outside_the_site_and_can_be_deleted(project: Path,
                                                         tmp_path: Path) -> None:
    build_site(project / "kb", tmp_path / "one", project=project)
    cache = project / ".cache" / "country-toolkit"
    assert sorted(p.name for p in cache.iterdir()) == [
        "files-v1", "html-v1.sqlite", "markdown-v1.sqlite", "pages-v1.sqlite",
        "parse-v1.sqlite", "rebuild-v1.sqlite", "search-v1.sqlite"]
    assert not any(".cache" in p.parts for p in (tmp_path / "one").rglob("*"))
    (cache / "html-v1.sqlite").write_text("{not a database", encoding="utf-8")  # damaged
    (cache / "pages-v1.sqlite").unlink()
    # A new process: the plugin object MkDocs keeps (and its in-memory cache) starts afresh.
    load_config(str(project / "mkdocs.yml")).plugins["country-toolkit"].html_cache = None
    build_site(project / "kb", tmp_path / "two", project=project)
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
    assert len(read_store(cache / "html-v1.sqlite")) > 100  # made again


def read_store(path: Path) -> dict[str, tuple[bytes, str]]:
    """A cache table as stored: key -> (checksum, text: "=" and a text value, or JSON)."""
    with sqlite3.connect(path) as db:
        return {k: (s, v.decode()) for k, s, v in
                db.execute("SELECT key, sum, value FROM entry")}


def write_store(path: Path, entries: dict[str, tuple[bytes, str]]) -> None:
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM entry")
        db.executemany("INSERT INTO entry VALUES (?, ?, ?)",
                       [(k, s, v.encode()) for k, (s, v) in entries.items()])
    db.close()


def resum(key: str, text: str) -> bytes:
    """The checksum the cache would store with text under key."""
    return _sum(key, text.encode())


def test_a_page_cache_entry_is_reused_and_a_damaged_or_moved_one_is_a_miss(
        project: Path, tmp_path: Path) -> None:
    """Each entry is checked against its checksum (its key and text); one whose text was
    changed, or that was moved under another key, is a miss: converted again, the site the
    same, and the table written again with the fresh entry. Entries a build did not use are
    deleted when it saves (the cache does not grow with every edit)."""
    build_new(project, tmp_path / "fill")
    expected = tree(tmp_path / "fill")
    path = project / ".cache" / "country-toolkit" / "html-v1.sqlite"
    stored = read_store(path)
    pages = sorted(stored)
    assert len(pages) > 100
    damaged, moved = pages[0], pages[1]
    total, text = stored[damaged]
    stored[damaged] = (total, text.replace("<", "&lt;", 1))  # the checksum no longer fits
    stored[moved] = stored[pages[2]]  # another page's HTML, checksum and all
    stored["0" * 64] = ("x", "1")  # an entry no build asks for
    write_store(path, stored)
    plugin = build_new(project, tmp_path / "warm")
    reused, looked_up = plugin.html_cache.store.last  # type: ignore[attr-defined]
    assert looked_up - reused == 2
    assert tree(tmp_path / "warm") == expected
    again = read_store(path)
    assert again.keys() == set(pages)  # the unused entry is gone
    assert again[damaged][1] == text and again[moved] != stored[moved]
    plugin = build_new(project, tmp_path / "again")
    reused, looked_up = plugin.html_cache.store.last  # type: ignore[attr-defined]
    assert reused == looked_up > 100


def build_new(project: Path, site: Path) -> object:
    """A `mkdocs build` in a new process (the cache folder as the last build left it)."""
    with without_process_memos():
        build_site(project / "kb", site, project=project)
        return load_config(str(project / "mkdocs.yml")).plugins["country-toolkit"]


def test_mockups_and_false_data_are_read_back_and_a_bad_entry_is_made_again(
        project: Path, tmp_path: Path) -> None:
    """A new build reads back the mock-ups (JSON) and the FALSE DATA files (plain bytes)
    of the last one; a damaged, truncated or foreign entry is a miss: the site is the same
    as a build without any cache, and the entry is written again."""
    cold = tmp_path / "cold"
    build_site(project / "kb", cold, project=project, cache=False)
    expected = tree(cold)
    cache = project / ".cache" / "country-toolkit"
    build_new(project, tmp_path / "fill")
    plugin = build_new(project, tmp_path / "warm")
    memo = plugin.rebuild_memo  # type: ignore[attr-defined]
    assert memo.mockup_misses == 0 and memo.mockup_hits > 50 and memo.downloads_hit
    # Every kb file's YAML is read back but those adopting from the library.
    adopting = sum("\nadopts:" in p.read_text(encoding="utf-8")
                   for p in (project / "kb/questions").rglob("*.yml"))
    parsed = plugin.parse_memo  # type: ignore[attr-defined]
    assert parsed.misses == adopting > 0 and parsed.hits > 50
    # Built into another folder (site_dir): every page's theme rendering is reused.
    reused, looked_up = plugin.output_cache.store.last  # type: ignore[attr-defined]
    assert reused == looked_up > 50
    assert tree(tmp_path / "warm") == expected

    files = cache / "files-v1"
    blobs = sorted(files.glob("*.bin"), key=lambda p: p.stat().st_size)
    assert len(blobs) >= 2  # a CSV and the workbook
    blobs[-1].write_bytes(blobs[-1].read_bytes()[:1000])  # truncated
    stored = read_store(cache / "rebuild-v1.sqlite")
    entries = {k: json.loads(v) for k, (_, v) in stored.items() if not v.startswith("=")}
    mockups = [k for k, v in entries.items() if isinstance(v, dict) and "chart" in v]
    assert len(mockups) > 50
    # Well-formed JSON of the wrong shapes, and a sentence changed under its checksum,
    # stored under a valid checksum of the table (as another writer might); a text changed
    # under the table's checksum.
    for i, key in enumerate(mockups):
        if i % 5 == 4:
            stored[key] = (stored[key][0], stored[key][1].replace('"', "'", 1))
            continue
        text = json.dumps([{"sentence": 1, "chart": "", "values": {}, "sum": ""}, "<b>x</b>",
                           None, {**entries[key], "sentence": "tampered"}][i % 5])
        stored[key] = (resum(key, text), text)
    write_store(cache / "rebuild-v1.sqlite", stored)
    # YAML values changed under an unchanged checksum, a wrong tag, a missing field.
    parses = read_store(cache / "parse-v1.sqlite")
    yaml_values = sorted((k, v) for k, v in parses.items() if '"data":' in v[1])
    assert len(yaml_values) > 50
    for i, (key, (total, text)) in enumerate(yaml_values):
        value = json.loads(text)
        if i % 4 == 0:
            value["data"][2] = "tampered"  # a mapping's first value
        elif i % 4 == 1:
            value["data"], value["sum"] = ["X", 1], checksum(["X", 1])
        elif i % 4 == 2:
            del value["sum"]
        else:  # the table's checksum fails
            parses[key] = (total, text.replace("[", "[[", 1))
            continue
        parses[key] = (resum(key, json.dumps(value)), json.dumps(value))
    write_store(cache / "parse-v1.sqlite", parses)
    plugin = build_new(project, tmp_path / "damaged")
    memo = plugin.rebuild_memo  # type: ignore[attr-defined]
    assert memo.mockup_hits == 0 and not memo.downloads_hit
    assert plugin.parse_memo.hits == 0  # type: ignore[attr-defined]
    assert tree(tmp_path / "damaged") == expected

    # Written again: the next build reads them back.
    memo = build_new(project, tmp_path / "again").rebuild_memo  # type: ignore[attr-defined]
    assert memo.mockup_misses == 0 and memo.downloads_hit
    # A foreign index: another entry's files under this key.
    # The FALSE DATA files' index (the XLSForm file has one of its own).
    (index,) = [p for p in files.glob("*.json") if any(
        n.startswith("csv/") for n in json.loads(p.read_text(encoding="utf-8"))["files"])]
    other = json.loads(index.read_text(encoding="utf-8"))
    other["key"] = "0" * 64
    index.write_text(json.dumps(other), encoding="utf-8")
    memo = build_new(project, tmp_path / "foreign").rebuild_memo  # type: ignore[attr-defined]
    assert not memo.downloads_hit
    assert tree(tmp_path / "foreign") == expected


@pytest.fixture(params=["whole", "by-key"])
def read(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways a store reads its file: whole when opened (small files), or a key at a
    time (files over BULK_MAX)."""
    from generator.plugin import cache

    if request.param == "by-key":
        monkeypatch.setattr(cache, "BULK_MAX", -1)
    return str(request.param)


def test_a_store_gives_back_what_was_put_and_keeps_only_what_the_last_build_used(
        tmp_path: Path, read: str) -> None:
    values = {"text": "<p>été</p>", "equals": "=not json", "surrogate": "a\ud800b",
              "json": {"a": ["\udc00", 1, None, 2.5]}, "list": [1, "=", {"x": True}]}
    store = Store(tmp_path, "t")
    store.load()
    for key, value in values.items():
        store.put(key, value)
    store.save()
    again = Store(tmp_path, "t")
    again.load()
    assert (again.rows is not None) == (read == "whole")
    assert {k: again.get(k) for k in values} == values
    assert again.get("unknown") is None
    again.save()  # used all but "unknown", which was never there
    third = Store(tmp_path, "t")
    third.load()
    assert third.get("text") == values["text"]
    third.save()  # only "text" was used: the others are deleted
    assert not third.rows  # nor kept in memory
    assert set(read_store(tmp_path / "t-v1.sqlite")) == {"text"}
    # Large entries no longer used: the file gives their space back.
    for i in range(20):
        third.put(f"big{i}", "x" * 100_000)
    third.get("text")
    third.save()
    size = (tmp_path / "t-v1.sqlite").stat().st_size
    assert size > 2_000_000
    third.get("text")
    third.save()
    assert (tmp_path / "t-v1.sqlite").stat().st_size < size / 10
    # The folder deleted under a running serve session: its next write makes it again.
    shutil.rmtree(tmp_path)
    third.put("new", 1)
    third.save()
    assert set(read_store(tmp_path / "t-v1.sqlite")) == {"new"}


def test_a_store_locked_by_another_build_is_left_sound_and_written_later(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, read: str) -> None:
    from generator.plugin import cache

    monkeypatch.setattr(cache, "TIMEOUT", 0.05)
    store = Store(tmp_path, "t")
    store.load()
    store.put("a", "one")
    store.save()
    other = sqlite3.connect(tmp_path / "t-v1.sqlite", isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another build writing for longer than we wait
    assert store.get("a") == "one"  # from memory
    store.put("b", "two")
    store.save()  # cannot write now: the file is left as it is
    other.execute("COMMIT")
    other.close()
    assert set(read_store(tmp_path / "t-v1.sqlite")) == {"a"}
    store.get("a")
    store.get("b")
    store.save()  # written now
    assert set(read_store(tmp_path / "t-v1.sqlite")) == {"a", "b"}
    # Opened while another build writes for longer than we wait: read as a miss, and the
    # file is left for the next write.
    other = sqlite3.connect(tmp_path / "t-v1.sqlite", isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    late = Store(tmp_path, "t")
    late.load()
    assert late.get("a") is None
    other.execute("COMMIT")
    other.close()
    late.put("c", "three")
    late.save()
    # "a" was asked for (kept), "b" was not (deleted, as after any build).
    assert set(read_store(tmp_path / "t-v1.sqlite")) == {"a", "c"}
