"""The loaded knowledge base: typed records plus where each came from."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from .models import (
    AnalysisPlan,
    Checklist,
    ChoiceList,
    Country,
    Dataset,
    Partner,
    Process,
    Question,
    Questionnaire,
    Sector,
)
from .models.country import FormLanguage
from .models.question import Option, UnitOfAnalysis

REDACTED = "Restricted: shared only with the named partners under a signed agreement."


@dataclass(frozen=True)
class KnowledgeBase:
    root: Path
    country: Country
    sectors: dict[str, Sector]
    partners: dict[str, Partner]
    questions: dict[str, Question]
    datasets: dict[str, Dataset]
    process: Process
    checklist: Checklist
    plan: AnalysisPlan
    # kb-relative source file of each record, keyed by (kind, id): for "edit this record" links.
    sources: dict[tuple[str, str], str] = field(default_factory=dict)
    internal: bool = False
    choices: dict[str, ChoiceList] = field(default_factory=dict)
    questionnaire: Questionnaire | None = None

    def options(self, q: Question) -> list[Option]:
        """A question's reply options, inline or from its shared list."""
        if q.choices:
            shared = self.choices.get(q.choices)
            return list(shared.options) if shared else []
        return list(q.options)

    def unit_of_analysis(self, q: Question) -> UnitOfAnalysis:
        return q.unit_of_analysis or self.country.msla.unit_of_analysis

    @property
    def languages(self) -> list[FormLanguage]:
        """Form languages, the source language first."""
        return list(self.country.form_languages) or [FormLanguage(code="en", name="English")]

    def questions_in(self, sector_id: str) -> list[Question]:
        return self._by_sector.get(sector_id, [])

    @cached_property
    def _by_sector(self) -> dict[str, list[Question]]:
        groups: dict[str, list[Question]] = defaultdict(list)
        for q in self.questions.values():
            groups[q.sector].append(q)
        return groups

    def agreed(self) -> list[Question]:
        return [q for q in self.questions.values() if q.status == "agreed"]

    def source(self, kind: str, record_id: str) -> str | None:
        return self.sources.get((kind, record_id))

    def public_view(self) -> KnowledgeBase:
        """The kb with every confidential record's restricted fields removed.

        Redacting here, once, means no template or export can leak them by accident.
        """
        if not self.internal:
            questions = {k: redact_question(q) for k, q in self.questions.items()}
            datasets = {k: redact_dataset(d) for k, d in self.datasets.items()}
            return replace(self, questions=questions, datasets=datasets)
        return self


def redact_question(q: Question) -> Question:
    if not q.is_confidential:
        return q
    # Allow-list: the false-data spec (shares by option code, typical ranges) goes too.
    mock = type(q.mockup)(sentence=REDACTED, chart=q.mockup.chart)
    analysis = q.analysis.model_copy(update={"descriptive": REDACTED, "tools": None})
    criteria = q.criteria.model_copy(
        update={
            "not_available_elsewhere": REDACTED,
            "methodology_adequate": REDACTED,
            "analysis_capacity": REDACTED,
            "do_no_harm": None,
        }
    )
    return q.model_copy(
        update={
            "text": f"Confidential question {q.id}",
            "options": [],
            "hint": None,
            "information_need": REDACTED,
            "purpose": REDACTED,
            "use": REDACTED,
            "analysis": analysis,
            "mockup": mock,
            "criteria": criteria,
            "history": [],
            "enumerator_notes": None,
            "hxl": None,
            # Questionnaire wording and logic would reveal what is asked.
            "translations": {},
            "choices": None,
            "special_codes": [],
            "specify_label": None,
            "relevant": None,
            "constraint": None,
            "constraint_message": None,
            "calculation": None,
            "choice_filter": None,
            "default": None,
            "indicator": None,
        }
    )


def redact_dataset(d: Dataset) -> Dataset:
    if not d.is_confidential:
        return d
    return d.model_copy(update={"description": REDACTED, "questions": [], "link": None})
