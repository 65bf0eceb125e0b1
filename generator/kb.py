"""The loaded knowledge base: typed records plus where each came from."""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from .models import (
    AnalysisPlan,
    Checklist,
    ChoiceList,
    Country,
    Dataset,
    Feedback,
    Need,
    Partner,
    Process,
    Product,
    Question,
    Questionnaire,
    Sector,
    UseReview,
)
from .models.country import FormLanguage
from .models.question import Option, UnitOfAnalysis

REDACTED = "Restricted: shared only with the named partners under a signed agreement."
# Question type shown for a restricted question (labels.py words it).
RESTRICTED_TYPE = "restricted"
M = TypeVar("M", bound=BaseModel)


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
    is_view: bool = False  # made by public_view(): already redacted
    needs: dict[str, Need] = field(default_factory=dict)
    use_reviews: dict[str, UseReview] = field(default_factory=dict)
    feedback: dict[str, Feedback] = field(default_factory=dict)
    products: dict[str, Product] = field(default_factory=dict)
    # The library this country adopts from (generator/library/), and question id -> what
    # it adopted; a restricted question's adoption leaves the public view.
    library: Any = None
    adoptions: dict[str, Any] = field(default_factory=dict)
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
        """The kb as the public site may show it (internal builds: everything).

        Redacting here, once, means no template or export can leak by accident. A
        confidential record's public copy is built from an allow-list of fields (see
        QUESTION_PUBLIC and DATASET_PUBLIC): a field added to a model later is hidden
        until someone decides it is public. Restricted questions also get a neutral handle
        in place of their id, since ids name their topic.
        """
        if self.is_view:
            return self  # handles must not be handed out twice
        partners = {k: kept_view(p, lambda p=p: _partner_view(p, self.internal), "partner",
                                 self.internal) for k, p in self.partners.items()}
        if self.internal:
            return replace(self, partners=partners, is_view=True)
        handles = restricted_handles(self.questions.values())
        questions: dict[str, Question] = {}
        for qid, q in self.questions.items():
            if qid in handles:
                name = self.sectors[q.sector].name
                public = kept_view(q, lambda q=q, h=handles[qid], name=name: redact_question(
                    q, h, name), "redacted", handles[qid], name)
                questions[f"{q.sector}/{public.id}"] = public
            else:
                questions[qid] = q
        keys = {qid: f"{self.questions[qid].sector}/{h}" for qid, h in handles.items()}
        dataset_ids = dataset_handles(self.datasets.values())
        datasets: dict[str, Dataset] = {}
        for did, d in self.datasets.items():
            public_d = redact_dataset(d, keys, dataset_ids.get(did, did))
            datasets[public_d.id] = public_d
        # Edit links name the record's file, whose name is the record's id.
        sources = {k: v for k, v in self.sources.items()
                   if not (k[0] == "question" and k[1] in handles)
                   and not (k[0] == "dataset" and k[1] in dataset_ids)}
        adoptions = {k: v for k, v in self.adoptions.items() if k not in handles}
        # Process records (issue #11): a restricted need and a use-review entry about a
        # confidential question stay internal; sources of restricted needs go with them.
        needs = {k: n for k, n in self.needs.items() if not n.restricted}
        reviews = {k: r.model_copy(update={"entries": [e for e in r.entries
                                                       if e.question not in handles]})
                   for k, r in self.use_reviews.items()}
        # Feedback about a confidential question or dataset stays internal; the rest points
        # at the public keys of what it is about.
        secret_datasets = set(dataset_ids)
        feedback = {k: f for k, f in self.feedback.items()
                    if f.question not in handles and f.dataset not in secret_datasets}
        products = {k: p for k, p in self.products.items() if p.dataset not in secret_datasets}
        sources = {k: v for k, v in sources.items()
                   if not (k[0] == "need" and k[1] not in needs)
                   and not (k[0] == "product" and k[1] not in products)
                   and not (k[0] == "feedback" and k[1] not in feedback)}
        return replace(self, questions=questions, datasets=datasets, partners=partners,
                       sources=sources, needs=needs, use_reviews=reviews, feedback=feedback,
                       products=products, adoptions=adoptions, is_view=True)

    def is_restricted(self, q: Question) -> bool:
        """True for a confidential question shown only as a notice (public builds)."""
        return q.is_confidential and not self.internal


# What the public may know about a confidential question: that it exists (under a neutral
# handle), its sector and status, and how to get its data (modality, recipients, contact).
QUESTION_PUBLIC = frozenset({"sector", "status", "sharing"})
# A confidential dataset keeps its title (name such datasets without their topic); its id,
# which names the topic as often as a question's does, becomes a neutral handle too.
# Where its MoU stands (status, signature date) says nothing about the topic: public too.
DATASET_PUBLIC = frozenset({"title", "sharing", "agreement_status", "signed"})
SHARING_PUBLIC = frozenset({"modality", "partners", "contact"})
HANDLE_PREFIX = "restricted-"
DATASET_HANDLE_PREFIX = "restricted-dataset-"


# Views of records made before, by the record's identity and what else the view is made
# from: `mkdocs serve` makes the public view of each rebuild's kb, whose records are mostly
# the objects of the build before (ParseMemo), and the same view objects let the page memo
# reuse their digests (page_memo.Digests). Records are frozen; each entry keeps its record
# alive, so no other object can take its id. The latest VIEWS_KEPT only.
_VIEWS: OrderedDict[tuple[object, ...], tuple[object, Any]] = OrderedDict()
VIEWS_KEPT = 4096


def kept_view(record: BaseModel, make: Callable[[], M], *inputs: Hashable) -> M:
    """make(), a view of record and inputs alone, or the one made for them before."""
    key = (id(record), *inputs)
    kept = _VIEWS.get(key)
    if kept is not None and kept[0] is record:
        _VIEWS.move_to_end(key)
        return kept[1]  # type: ignore[no-any-return]
    made = make()
    _VIEWS[key] = (record, made)
    if len(_VIEWS) > VIEWS_KEPT:
        _VIEWS.popitem(last=False)
    return made


def public_copy(record: M, keep: frozenset[str], standins: Mapping[str, object]) -> M:
    """A copy of record holding only the `keep` fields; every other field takes its model
    default, or its stand-in when the model has none (fields with no default are the ones
    the templates rely on). Built without validation: stand-ins may be empty lists."""
    values: dict[str, object] = {}
    for name, info in type(record).model_fields.items():
        if name in keep:
            values[name] = getattr(record, name)
        elif name in standins:
            values[name] = standins[name]
        elif not info.is_required():
            values[name] = info.get_default(call_default_factory=True)
        else:
            raise TypeError(f"{type(record).__name__}.{name} has no default: give it a "
                            "stand-in for confidential records in generator/kb.py")
    return type(record).model_construct(**values)


def restricted_handles(questions: Iterable[Question]) -> dict[str, str]:
    """Real id -> neutral handle (restricted-1, restricted-2...) numbered per sector in kb
    order, so adding one in a sector renumbers no other sector. A number that is some real
    question's id is skipped, so a handle never shares a URL or key with a real question."""
    questions = list(questions)
    return _number([(q.id, q.sector) for q in questions if q.is_confidential],
                   {q.id for q in questions}, HANDLE_PREFIX)


def dataset_handles(datasets: Iterable[Dataset]) -> dict[str, str]:
    """Real id -> restricted-dataset-1, -2... for confidential datasets, in kb order."""
    datasets = list(datasets)
    return _number([(d.id, "") for d in datasets if d.is_confidential],
                   {d.id for d in datasets}, DATASET_HANDLE_PREFIX)


def _number(items: list[tuple[str, str]], taken: set[str], prefix: str) -> dict[str, str]:
    """(id, group) pairs -> prefix + a number counted per group, skipping taken ids."""
    count: dict[str, int] = defaultdict(int)
    handles: dict[str, str] = {}
    for rid, group in items:
        while True:
            count[group] += 1
            handle = f"{prefix}{count[group]}"
            if handle not in taken:
                break
        handles[rid] = handle
    return handles


def restricted_title(handle: str, sector_name: str) -> str:
    return f"Restricted question {handle.removeprefix(HANDLE_PREFIX)} ({sector_name})"


def redact_question(q: Question, handle: str, sector_name: str) -> Question:
    sharing = public_copy(q.sharing, SHARING_PUBLIC, {})
    return public_copy(q, QUESTION_PUBLIC - {"sharing"}, {
        "id": handle,
        "sharing": sharing,
        "text": restricted_title(handle, sector_name),
        "type": RESTRICTED_TYPE,
        "information_need": REDACTED,
        "purpose": REDACTED,
        "use": REDACTED,
        "requested_by": [],
        "analysis": public_copy(q.analysis, frozenset(),
                                {"descriptive": REDACTED, "analysed_by": [], "frequency": None}),
        "mockup": public_copy(q.mockup, frozenset(), {"sentence": REDACTED}),
        "criteria": public_copy(q.criteria, frozenset(), {
            "not_available_elsewhere": REDACTED, "methodology_adequate": REDACTED,
            "analysis_capacity": REDACTED,
        }),
    })


def redact_dataset(d: Dataset, question_keys: Mapping[str, str], handle: str) -> Dataset:
    """A public dataset keeps its questions, restricted ones under their handle."""
    if not d.is_confidential:
        if not any(q in question_keys for q in d.questions):
            return d
        return d.model_copy(update={"questions": [question_keys.get(q, q) for q in d.questions]})
    # No stand-in values for frequency and format: "every round" / "XLSX" would read as facts.
    return public_copy(d, DATASET_PUBLIC - {"sharing"}, {
        "id": handle,
        "sharing": public_copy(d.sharing, SHARING_PUBLIC, {}),
        "description": REDACTED, "frequency": None, "format": None,
    })


def _partner_view(p: Partner, internal: bool) -> Partner:
    """Information needs as plain text and engagement notes as one text; the restricted
    ones only in internal builds."""
    needs = [n if isinstance(n, str) else n.need for n in p.information_needs
             if internal or isinstance(n, str) or not n.restricted]
    update: dict[str, object] = {"information_needs": needs}
    e = p.engagement
    if e is not None and e.restricted_notes:
        notes = "\n\n".join(filter(None, [e.notes, e.restricted_notes])) if internal else e.notes
        update["engagement"] = e.model_copy(update={"notes": notes, "restricted_notes": None})
    return p.model_copy(update=update)
