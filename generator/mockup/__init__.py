"""Mock-up descriptive analysis: what a question's results will look like, on false data.

Partners check before collection that a question gives the information they need. One
false assessment of the country is drawn per round (assessment.py: the same units answer
every question, skip logic applied), each question's declared analysis is computed on it,
and a sentence and a chart are produced, both labelled as illustrative false data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import ToolkitError
from ..models import Country, Question
from .embed import chart_marker, embed_charts
from .sentence import PLACEHOLDERS, fill, template_problems
from .spec import spec_problems

if TYPE_CHECKING:
    import pandas as pd

    from ..kb import KnowledgeBase
    from .assessment import FalseAssessment, KeptAnswers
    from .results import Words


def __getattr__(name: str) -> Any:
    # The charts and false data need pandas (about a second to import); `toolkit validate`
    # only checks sentences and specs, so they load on first use.
    if name in ("MOCKUP_LABEL", "label_html"):
        from . import chart

        return chart.LABEL if name == "MOCKUP_LABEL" else chart.label_html
    if name == "FalseAssessment":
        from .assessment import FalseAssessment

        return FalseAssessment
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "MOCKUP_LABEL", "PLACEHOLDERS", "FalseAssessment", "MockupError", "MockupResult",
    "assessment_for", "build_mockup", "chart_marker", "embed_charts", "label_html",
    "spec_problems", "template_problems",
]


class MockupError(ToolkitError, ValueError):
    """A mock-up sentence that cannot be filled; the message names the file and placeholder."""

    def __init__(self, question: Question, problems: list[tuple[str, str]]) -> None:
        self.question_id = question.id
        self.problems = problems
        self.path = f"kb/questions/{question.sector}/{question.id}.yml"
        super().__init__("\n".join(f"{self.path}: {fld}: {msg}" for fld, msg in problems))


@dataclass(frozen=True)
class MockupResult:
    sentence: str  # filled, plain text (not escaped), without the label
    chart_html: str  # one <figure class="ctk-mockup"> block, safe to paste into Markdown
    # The full false results (every option and group); None when read back from the
    # build's cache folder (rebuild_memo.py): the site's pages never show it.
    table: pd.DataFrame | None
    placeholders: dict[str, str]  # the values the sentence was filled with


def assessment_for(kb: KnowledgeBase, kept: KeptAnswers | None = None) -> FalseAssessment:
    """The round's false assessment over every question of the kb (skip logic needs them);
    kept: answers of earlier builds of this process, reused by key (FalseAssessment)."""
    from .assessment import FalseAssessment

    return FalseAssessment(kb.country, kb.questions, kb.options, kept)


def build_mockup(question: Question, country: Country,
                 assessment: FalseAssessment | None = None,
                 words: Words | None = None) -> MockupResult:
    """The mock-up of one question; pass the kb's assessment so all questions share units,
    and the page language's `words` (results.Words) for a chart in another language."""
    from .chart import render
    from .results import ENGLISH, compute

    problems = template_problems(question)
    if problems:
        raise MockupError(question, problems)
    results = compute(question, country, assessment, words or ENGLISH)
    title = question.mockup.title or question.text
    return MockupResult(
        sentence=fill(question.mockup.sentence, results.placeholders),
        chart_html=render(question.id, title, results),
        table=results.table,
        placeholders=results.placeholders,
    )
