"""A kept page's key changes with anything of the records it is made from, nested fields
too: a record's digest (page_memo.Digests, walked once per build) stands for all of it.
That served pages follow edits end to end is tests/test_edit_loop.py's part."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from pydantic import BaseModel
from support import SAMPLE_KB

from generator import page_memo
from generator.loader import load
from generator.models import Question


@pytest.fixture(scope="module")
def question() -> Question:
    kb, _report = load(SAMPLE_KB)
    assert kb is not None
    return next(q for q in kb.questions.values()
                if len(q.options) > 1 and len(q.requested_by) > 1)


def changed(record: BaseModel, **fields: object) -> BaseModel:
    return record.model_copy(update=fields)


# One edit per depth and kind of field: top level, a list of ids, a record in a list, a
# record's field, a list in a record.
EDITS: dict[str, Callable[[Question], Question]] = {
    "text": lambda q: changed(q, text=q.text + " (edited)"),
    "requested_by": lambda q: changed(q, requested_by=q.requested_by[::-1]),
    "option label": lambda q: changed(q, options=[
        changed(q.options[0], label=q.options[0].label + " (edited)"), *q.options[1:]]),
    "analysis": lambda q: changed(q, analysis=changed(
        q.analysis, descriptive=q.analysis.descriptive + " (edited)")),
    "analysed_by": lambda q: changed(q, analysis=changed(
        q.analysis, analysed_by=[*q.analysis.analysed_by, "someone"])),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_every_field_of_a_record_is_in_its_key(question: Question, edit: str) -> None:
    other = EDITS[edit](question)
    assert other != question
    # In separate builds (each has its Digests) and in one.
    assert (page_memo.key("page", question, known=page_memo.Digests())
            != page_memo.key("page", other, known=page_memo.Digests()))
    digests = page_memo.Digests()
    assert page_memo.key(question, known=digests) != page_memo.key(other, known=digests)


def test_a_record_is_walked_once_per_build(question: Question,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    walks: list[BaseModel] = []
    walk = page_memo._walk

    def counted(record: BaseModel, known: page_memo.Digests | None) -> object:
        walks.append(record)
        return walk(record, known)

    monkeypatch.setattr(page_memo, "_walk", counted)
    digests = page_memo.Digests()
    first = page_memo.key("a", {"q": question}, known=digests)
    assert walks[0] is question
    walked = len(walks)
    assert page_memo.key("a", {"q": question}, known=digests) == first
    assert page_memo.key("b", [question], known=digests) != first
    assert len(walks) == walked  # its digest served the later keys
    # Without the build's digests the key is a different text of the same record (it is
    # only ever compared with keys made the same way), and is stable.
    assert page_memo.key("a", {"q": question}) == page_memo.key("a", {"q": question})


def test_digests_kept_across_rebuilds_drop_what_a_build_left_unused(
        question: Question) -> None:
    digests = page_memo.Digests()
    other = EDITS["text"](question)
    digests.start()
    first = page_memo.key([question, other], known=digests)
    assert digests.walked == 2
    digests.start()  # a rebuild: the unchanged record is the same object
    assert page_memo.key([question], known=digests) == page_memo.key(
        [question], known=page_memo.Digests())
    assert digests.walked == 0
    digests.start()  # `other` was not used by the build before: walked again
    assert page_memo.key([question, other], known=digests) == first
    assert digests.walked == 1


def test_a_slice_of_questions_is_the_kb_cut_to_them_in_kb_order() -> None:
    """questions_slice (with the build's Positions or without) holds the given questions
    found in kb.questions, once each, in kb order, under their keys there, and their
    adoptions in the kb's order: what a walk of the whole kb gives."""
    import random

    from generator.kb import KnowledgeBase

    def walked(kb: KnowledgeBase, held: list[Question]) -> KnowledgeBase:
        ids = {id(q) for q in held}
        kept = {k: q for k, q in kb.questions.items() if id(q) in ids}
        named = {q.id for q in kept.values()}
        return replace(kb, questions=kept,
                       adoptions={k: v for k, v in kb.adoptions.items() if k in named})

    kb, _report = load(Path(__file__).parents[1] / "examples" / "casmaria" / "kb")
    assert kb is not None and kb.adoptions  # questions adopted from the library
    questions = list(kb.questions.values())
    stranger = EDITS["text"](questions[0])  # equal to none of them, not in the kb
    positions = page_memo.Positions(kb)
    rng = random.Random(5)
    for n in (0, 1, 3, len(questions)):
        held = rng.sample(questions, n)
        held += held[:2] + [stranger]  # repeated, and one the kb does not hold
        expected = walked(kb, held)
        for got in (page_memo.questions_slice(kb, held, positions),
                    page_memo.questions_slice(kb, held)):
            assert list(got.questions.items()) == list(expected.questions.items())
            assert list(got.adoptions.items()) == list(expected.adoptions.items())
            assert got == expected


def test_the_generators_digest_is_read_again_when_a_file_may_have_changed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """templates_digest reads its files again unless their size, times and inode are the
    ones it last read (a file too recent for its times to tell is always read)."""
    import os
    import time

    package = tmp_path / "generator"
    (package / "templates").mkdir(parents=True)
    (package / "templates" / "page.md.j2").write_text("{{ a }}")
    (package / "code.py").write_text("A = 1\n")
    (package / "notes.txt").write_text("not the generator's")
    reads: list[Path] = []
    read_bytes = Path.read_bytes

    def counted(path: Path) -> bytes:
        reads.append(path)
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", counted)
    fresh = page_memo.templates_digest(package)
    assert len(reads) == 2  # just written: read every time
    assert page_memo.templates_digest(package) == fresh and len(reads) == 4
    monkeypatch.setattr(page_memo, "RECENT_NS", 0)
    first = page_memo.templates_digest(package)
    assert first == fresh and page_memo.templates_digest(package) == first
    assert len(reads) == 6  # kept: not read again
    (package / "notes.txt").write_text("still not the generator's")
    assert page_memo.templates_digest(package) == first and len(reads) == 6

    def edit(path: Path, text: str) -> str:
        """The same size and modification time, as a copy dated back leaves it."""
        before = path.stat()
        time.sleep(0.02)  # past a tick of the file system's clock
        path.write_text(text)
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        return page_memo.templates_digest(package)

    second = edit(package / "templates" / "page.md.j2", "{{ b }}")
    assert second != first  # its change time told
    third = edit(package / "code.py", "A = 2\n")
    assert third not in (first, second)
    (package / "templates" / "part.md").write_text("new")  # a new file of the templates
    assert page_memo.templates_digest(package) not in (first, second, third)


def test_disk_keys_of_texts_are_kept_by_every_part() -> None:
    """rebuild_memo.disk_key keeps the keys of texts (a build looks up thousands): each is
    the key of its kind and every part, in order, and a text that carries a mark (a str
    subclass, i18n.localize's) is not the plain text."""
    from generator.rebuild_memo import disk_key, versions

    class Marked(str):
        pass

    cases = [("mockup", ("a",)), ("mockup", ("b",)), ("column", ("a",)),
             ("parse", ("x", "y", "z")), ("parse", ("x", "z", "y")), ("parse", ("x", "y"))]
    for _ in range(2):  # made, then kept
        for kind, parts in cases:
            assert disk_key(kind, *parts) == page_memo.key(f"rebuild-{kind}", versions(),
                                                           *parts)
    assert len({disk_key(kind, *parts) for kind, parts in cases}) == len(cases)
    assert disk_key("mockup", "a") != disk_key("mockup", Marked("a")) == page_memo.key(
        "rebuild-mockup", versions(), Marked("a"))
