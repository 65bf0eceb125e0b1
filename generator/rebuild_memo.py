"""False answers, mock-ups and the XLSForm download, kept between `mkdocs serve` rebuilds.

An edit to one question leaves the false answers, the mock-up (sentence, chart, table) and
often the questionnaire workbook of the others as they were, yet each rebuild made them all
again (about a third of a rebuild at 1,000 questions). Each is kept by a hash of everything
it is made from, so a change of any of it is a miss and nothing kept is ever stale:

- a question's false answers: FalseAssessment.key (the country, its record and options,
  and the keys of the questions its `relevant` rule reads, recursively);
- its mock-up: those answers' key, the question as the page's language shows it, the
  country in that language, the language and the generator's code, templates and
  catalogues (the chart's words);
- the XLSForm workbook: the whole public kb it is exported from (page_memo.kb_digest and
  every question), the zip date and the generator's code. pyxform's verdict on a workbook
  is kept by its rows (xlsform/export.py).

One entry per question (the latest), so the memo never holds more than the kb does. The
MkDocs plugin keeps one RebuildMemo on its object, like its ParseMemo; nothing of it is
written to disk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import page_memo

if TYPE_CHECKING:
    from .kb import KnowledgeBase
    from .mockup import MockupResult
    from .mockup.assessment import FalseAssessment, KeptAnswers
    from .models import Question


@dataclass
class RebuildMemo:
    answers: KeptAnswers = field(default_factory=lambda: _kept_answers(), repr=False)
    mockups: dict[str, tuple[str, MockupResult]] = field(default_factory=dict, repr=False)
    # (key, the workbook's bytes or the ExportError's message): the latest export only.
    xlsform: tuple[str, bytes | str] | None = field(default=None, repr=False)
    # Hashes of false-data columns by their answers' key (page_memo.false_downloads).
    false_hashes: dict[str, bytes] = field(default_factory=dict, repr=False)
    # Reused / made by the current (or last) build: for tests and benchmarks.
    mockup_hits: int = 0
    mockup_misses: int = 0
    xlsform_hit: bool = False

    def start(self) -> None:
        self.mockup_hits = self.mockup_misses = 0
        self.xlsform_hit = False

    def mockup(self, base: str, question: Question, assessment: FalseAssessment,
               make: Callable[[], MockupResult]) -> MockupResult:
        """base: mockup_base() of this build; make: draws the mock-up when none is kept."""
        answers = assessment.key(assessment.drawn_from(question))
        key = None if answers is None else page_memo.key(base, question, answers)
        kept = self.mockups.get(question.id)
        if key is not None and kept is not None and kept[0] == key:
            self.mockup_hits += 1
            return kept[1]
        self.mockup_misses += 1
        result = make()
        if key is not None:
            self.mockups[question.id] = (key, result)
        else:
            self.mockups.pop(question.id, None)
        return result

    def false_columns(self, assessment: FalseAssessment, questions: list[Question]
                      ) -> tuple[dict[tuple[str, str], str], dict[str, bytes]]:
        """For page_memo.false_downloads: each question's column in the false frames
        (dataset.false_frames: its level, its var_name) by the key of its false answers,
        which the column is made from alone; and the kept column hashes (only this build's
        are kept)."""
        from .mockup.assessment import level_name

        known: dict[tuple[str, str], str] = {}
        for q in questions:
            column = (level_name(q, assessment.country), q.var_name)
            key = assessment.key(assessment.drawn_from(q))
            if key is None:
                known.pop(column, None)
            else:  # a later question of the same name makes the column (false_frame)
                known[column] = f"column\0{column[0]}\0{column[1]}\0{key}"
        used = set(known.values())
        for stale in self.false_hashes.keys() - used:
            del self.false_hashes[stale]
        return known, self.false_hashes

    def export(self, kb: KnowledgeBase, make: Callable[[], bytes],
               error: type[Exception]) -> bytes:
        """The XLSForm workbook of kb (make), or the `error` it raised, kept by kb."""
        from .reproducible import zip_time

        # The questions as JSON dumps: every field, at a tenth of page_memo.plain's cost.
        questions = [[k, type(q).__qualname__, q.model_dump_json()]
                     for k, q in kb.questions.items()]
        key = page_memo.key(page_memo.templates_digest(), list(zip_time()),
                            page_memo.kb_digest(kb), questions, kb.adoptions)
        if key is not None and self.xlsform is not None and self.xlsform[0] == key:
            self.xlsform_hit = True
            kept = self.xlsform[1]
            if isinstance(kept, str):
                raise error(kept)
            return kept
        try:
            data = make()
        except error as err:
            self.xlsform = None if key is None else (key, str(err))
            raise
        self.xlsform = None if key is None else (key, data)
        return data


def mockup_base(language: Any, country: Any, mockups: bool) -> str | None:
    """The part of every mock-up's key that is the same for the whole build."""
    return page_memo.key(page_memo.templates_digest(), language, country, mockups)


def _kept_answers() -> KeptAnswers:
    from .mockup.assessment import KeptAnswers  # numpy: only once a serve build needs it

    return KeptAnswers()
