"""The XLSForm file is kept by its rows: an edit the form does not hold (a purpose) does not
write it again, one it holds (a question's text) does, and a new process reads it back from
the cache folder; a damaged file or another zip date is a miss."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from support import SAMPLE_KB

from generator.kb import KnowledgeBase
from generator.kept_files import KeptFiles
from generator.loader import load_or_raise
from generator.rebuild_memo import RebuildMemo
from generator.xlsform import export


def edited(kb: KnowledgeBase, **update: str) -> KnowledgeBase:
    key, q = next((k, q) for k, q in kb.questions.items() if not q.is_confidential)
    return replace(kb, questions={**kb.questions, key: q.model_copy(update=update)})


def test_the_form_file_is_kept_by_its_rows(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    writes: list[int] = []
    real = export.to_xlsx

    def to_xlsx(sheets: export.Sheets) -> bytes:
        writes.append(1)
        return real(sheets)

    kb = load_or_raise(SAMPLE_KB)
    fresh = {"kb": export.export_xlsform(kb)}
    monkeypatch.setattr(export, "to_xlsx", to_xlsx)

    def new_memo() -> RebuildMemo:  # as in a new process, with the same cache folder
        memo = RebuildMemo()
        memo.attach(None, KeptFiles(tmp_path))
        return memo

    memo = new_memo()
    assert export.export_xlsform(kb, workbook=memo.workbook) == fresh["kb"]
    assert len(writes) == 1 and not memo.workbook_hit
    # A purpose is not in the form: the same file, not written again.
    purpose = edited(kb, purpose="Another purpose")
    assert export.export_xlsform(purpose, workbook=memo.workbook) == fresh["kb"]
    assert len(writes) == 1 and memo.workbook_hit
    # A question's text is: written again, the file a build without the memo writes.
    reworded = edited(kb, text="A reworded question?")
    new = export.export_xlsform(reworded, workbook=memo.workbook)
    assert len(writes) == 2 and new != fresh["kb"]
    monkeypatch.setattr(export, "to_xlsx", real)
    assert new == export.export_xlsform(reworded)
    monkeypatch.setattr(export, "to_xlsx", to_xlsx)
    # A new process reads it back from the cache folder.
    memo = new_memo()
    assert export.export_xlsform(reworded, workbook=memo.workbook) == new
    assert len(writes) == 2 and memo.workbook_hit
    # Another zip date (the file's entries carry it) is a miss.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    memo = new_memo()
    other = export.export_xlsform(reworded, workbook=memo.workbook)
    assert len(writes) == 3 and other != new
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    # A damaged file is a miss, written again.
    for blob in (tmp_path / "files-v1").glob("*.bin"):
        blob.write_bytes(blob.read_bytes()[:100])
    memo = new_memo()
    assert export.export_xlsform(reworded, workbook=memo.workbook) == new
    assert len(writes) == 4 and not memo.workbook_hit


def test_the_export_is_kept_by_the_whole_kb_with_the_builds_digests(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Under serve the export's key takes each record's digest from the build's Digests (made
    once for the pages): an edit to any question, to any other record, the adoptions or the
    zip date is still a miss, and a kb as it was a hit."""
    from generator.page_memo import Digests

    kb = load_or_raise(SAMPLE_KB).public_view()
    made: list[int] = []
    memo, digests = RebuildMemo(), Digests()

    def build(kb: KnowledgeBase) -> bytes:
        digests.start()  # a build
        memo.start()
        return memo.export(kb, lambda: made.append(1) or b"xlsx", export.ExportError,
                           known=digests)

    build(kb)
    build(replace(kb))
    assert len(made) == 1 and memo.xlsform_hit
    edits = [
        edited(kb, text="A reworded question?"),
        edited(kb, purpose="Another purpose"),  # not in the form, but in the kb
        replace(kb, country=kb.country.model_copy(update={"name": "Elsewhere"})),
        replace(kb, sectors={k: s.model_copy(update={"name": s.name + "!"})
                             for k, s in kb.sectors.items()}),
        replace(kb, adoptions={"someone": next(iter(kb.adoptions.values()), None)}),
    ]
    for other in edits:
        before = len(made)
        build(other)
        assert len(made) == before + 1 and not memo.xlsform_hit
        build(kb)  # and back
        assert len(made) == before + 2
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    build(kb)
    assert len(made) == 2 * len(edits) + 2
