"""Per-file check results read back from the cache folder by a new process
(generator/check_memo.py): never stale after an edit of the file or of what else the check
reads, and a damaged entry is a miss. The whole-site side is tests/test_cache.py's."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from support import SAMPLE_KB
from test_cache import read_store, resum, write_store

from generator.loader import load
from generator.parse_memo import ParseMemo
from generator.plugin.cache import Store

QUESTION_FILE = "questions/aap/aap-other-languages.yml"
PURPOSE = "Find small language groups at risk of being left out of communication."


def new_process(kb: Path, folder: Path) -> tuple[list[str], ParseMemo]:
    """A load as a new `mkdocs build` makes it: memos empty, the cache folder as it is."""
    store = Store(folder, "parse")
    store.load()
    memo = ParseMemo(stored=store)
    _, report = load(kb, memo=memo)
    store.save()
    return [p.format() for p in report.problems], memo


def without_cache(kb: Path) -> list[str]:
    return [p.format() for p in load(kb)[1].problems]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_check_results_are_read_back_never_stale_and_a_damaged_one_is_a_miss(
        tmp_path: Path) -> None:
    kb = shutil.copytree(SAMPLE_KB, tmp_path / "kb")
    folder = tmp_path / "cache"
    new_process(kb, folder)
    found, memo = new_process(kb, folder)
    assert found == without_cache(kb)
    assert memo.check_misses == 0 and memo.check_hits > 100  # files, questions, translations

    # The file changes: its translation is stale now and a value still says TODO.
    edit(kb / QUESTION_FILE, PURPOSE, "TODO " + PURPOSE)
    found, memo = new_process(kb, folder)
    assert found == without_cache(kb)
    about = [line for line in found if QUESTION_FILE in line]
    assert any("still says TODO" in line for line in about)
    assert any("translation was made" in line for line in about)
    assert 0 < memo.check_misses < 5

    # What else the checks read changes (the round, in country.yml): questions first
    # asked in a later round are reported, though their files did not change.
    edit(kb / "country.yml", "  number: 6\n", "  number: 2\n")
    found, memo = new_process(kb, folder)
    assert found == without_cache(kb)
    assert any("after the current round 2" in line for line in found)
    assert memo.check_misses > 100

    # Damaged entries (each under a valid checksum of the table, so that the check results'
    # own shape check is what refuses them): all made again, the same problems.
    path = folder / "parse-v1.sqlite"
    stored = read_store(path)
    checks = sorted(k for k, (_, text) in stored.items() if '"data":' not in text)
    assert len(checks) > 100
    for i, key in enumerate(checks):
        value = json.loads(stored[key][1])
        damaged = [[[["x", 1, "", "m", "", "error", "no-such-code"]]] * len(value),  # a code
                   [[["x", "1", "", "m", "", "error", "todo-left"]]] * len(value),  # a line
                   value + [[]],  # a group too many
                   {"problems": value}][i % 4]
        text = json.dumps(damaged)
        stored[key] = (resum(key, text), text)
    write_store(path, stored)
    found, memo = new_process(kb, folder)
    assert found == without_cache(kb)
    assert memo.check_hits == 0 and memo.check_misses > 100
    found, memo = new_process(kb, folder)  # written again
    assert memo.check_misses == 0 and memo.check_hits > 100


def test_line_numbers_of_messages_are_read_back_too(tmp_path: Path,
                                                    monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A warm build of a kb with warnings asks for the lines of the files they are in: read
    back from the cache folder, not parsed from the file again, and the same lines."""
    from generator import parse_memo

    kb = shutil.copytree(SAMPLE_KB, tmp_path / "kb")
    edit(kb / QUESTION_FILE, PURPOSE, PURPOSE + " Edited.")  # a stale translation: a warning
    folder = tmp_path / "cache"
    expected = without_cache(kb)
    assert any(QUESTION_FILE in line for line in expected)
    assert new_process(kb, folder)[0] == expected  # parsed: the lines asked for are kept
    real = parse_memo.parse_yaml

    def parsed(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("parsed again")

    monkeypatch.setattr(parse_memo, "parse_yaml", parsed)
    assert new_process(kb, folder)[0] == expected  # read back: the same messages
    monkeypatch.setattr(parse_memo, "parse_yaml", real)
    # A damaged entry (another shape, checksum made good) is a miss: parsed again.
    rows = read_store(folder / "parse-v1.sqlite")
    damaged = {}
    for key, (total, text) in rows.items():
        value = json.loads(text) if not text.startswith("=") else None
        if isinstance(value, list) and value and isinstance(value[0], list):
            text = json.dumps([["x"], "one", 9])
            total = resum(key, text)
        damaged[key] = (total, text)
    assert damaged != rows
    write_store(folder / "parse-v1.sqlite", damaged)
    assert new_process(kb, folder)[0] == expected


def test_lines_read_back_stay_in_the_cache_folder_through_a_serve_session(
        tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A serve session whose first build read a file's lines back: its later builds reuse
    the parse from memory without asking for the lines, and must still keep their entry, or
    the folder written when serve stops would have lost them."""
    from generator import parse_memo

    kb = shutil.copytree(SAMPLE_KB, tmp_path / "kb")
    edit(kb / QUESTION_FILE, PURPOSE, PURPOSE + " Edited.")  # a stale translation: a warning
    folder = tmp_path / "cache"
    expected = without_cache(kb)
    new_process(kb, folder)  # parsed: values and the lines asked for are stored
    store = Store(folder, "parse")  # the serve session
    store.load()
    memo = ParseMemo(stored=store)
    for _build in range(3):
        load(kb, memo=memo)
        store.save()
    assert memo.hits > 100

    def parsed(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("parsed again")

    monkeypatch.setattr(parse_memo, "parse_yaml", parsed)
    assert new_process(kb, folder)[0] == expected  # the lines still there
