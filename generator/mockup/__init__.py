"""Mock-up descriptive analysis: what a question's results will look like, on false data.

Partners check before collection that a question gives the information they need. For
each question, seeded false data is drawn (same question id -> byte-identical output),
the declared analysis is computed, and a sentence and a chart are produced, both
labelled as illustrative false data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import ToolkitError
from ..models import Country, Question
from .embed import chart_marker, embed_charts
from .sentence import PLACEHOLDERS, fill, template_problems

if TYPE_CHECKING:
    import pandas as pd


def __getattr__(name: str) -> Any:
    # The charts and false data need pandas (about a second to import); `toolkit validate`
    # only checks sentences, so they load on first use.
    if name in ("MOCKUP_LABEL", "label_html"):
        from . import chart

        return chart.LABEL if name == "MOCKUP_LABEL" else chart.label_html
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "MOCKUP_LABEL", "PLACEHOLDERS", "MockupError", "MockupResult", "build_mockup",
    "chart_marker", "embed_charts", "label_html", "template_problems",
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
    table: pd.DataFrame  # the full false results (every option and group)
    values: dict[str, str] | None = None  # the placeholder values (for other languages)


def build_mockup(question: Question, country: Country) -> MockupResult:
    from .chart import render
    from .results import compute

    problems = template_problems(question)
    if problems:
        raise MockupError(question, problems)
    results = compute(question, country)
    title = question.mockup.title or question.text
    return MockupResult(
        sentence=fill(question.mockup.sentence, results.placeholders),
        chart_html=render(question.id, title, results.chart),
        table=results.table,
        values=results.placeholders,
    )


