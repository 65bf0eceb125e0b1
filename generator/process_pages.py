"""Pages of the joint process (issue #11): information needs and their coverage, the use
review of each round, and the engagement dashboard with the timeline's change log.

Works on the public view only (SiteRenderer hands it over): restricted needs and use-review
entries about confidential questions are already gone.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from .i18n.catalog import N_
from .kb import KnowledgeBase
from .models import Need, Partner, Product, Question, UseReview

# The generator's words on these pages, translated by page_specs (gettext catalogue).
COVERAGE = {
    "covered": N_("Covered"),
    "partly": N_("Partly covered"),
    "unmet": N_("Unmet"),
    "out-of-scope": N_("Out of scope for the MSLA"),
}
PROPOSED_ONLY = N_("Only proposed questions serve it so far.")


FEEDBACK_LABELS = {
    "dataset": N_("Dataset"), "question": N_("Question"), "methodology": N_("Methodology"),
    "resources": N_("Resources"), "use": N_("Use of the data"),
    "open": N_("Open"), "answered": N_("Answered"), "accepted": N_("Accepted, to act on"),
    "declined": N_("Declined"), "done": N_("Done"),
}


# A feedback's state inside a sentence (question and dataset pages): "(WASH Cluster, done)".
FEEDBACK_STATUS = {"open": N_("open"), "answered": N_("answered"), "accepted": N_("accepted"),
                   "declined": N_("declined"), "done": N_("done")}


PRODUCT_LABELS = {
    "report": N_("Report"), "dataset": N_("Dataset"), "dashboard": N_("Dashboard"),
    "draft": N_("Draft"), "published": N_("Published"),
    "done": N_("Done"), "not-applicable": N_("Not applicable"), "missing": N_("Missing"),
    "not-stated": N_("Not stated"),
}


@dataclass(frozen=True)
class ChecklistRow:
    component: str
    state: str  # done, not-applicable, missing, not-stated
    why: str | None


@dataclass(frozen=True)
class Compliance:
    product: Product
    rows: list[ChecklistRow]
    required: int
    done: int
    missing: list[str]  # components of required items missing or not stated


def compliance(kb: KnowledgeBase, product: Product) -> Compliance:
    """Every checklist item that applies to the product, with its state."""
    states = {c.item: c for c in product.checklist}
    rows: list[ChecklistRow] = []
    required = done = 0
    missing: list[str] = []
    for item in kb.checklist.items:
        if product.checks_as not in item.applies_to:
            continue
        c = states.get(item.id)
        state = c.state if c else "not-stated"
        rows.append(ChecklistRow(item.component, state, c.why if c else None))
        if item.required:
            required += 1
            done += state in ("done", "not-applicable")
            if state in ("missing", "not-stated"):
                missing.append(item.component)
    return Compliance(product, rows, required, done, missing)


@dataclass(frozen=True)
class Coverage:
    need: Need
    status: str  # a COVERAGE key
    questions: list[Question]
    note: str = ""


def coverage(kb: KnowledgeBase) -> dict[str, Coverage]:
    """Need id -> how the (not dropped) questions serving it cover it."""
    serving: dict[str, list[Question]] = {n: [] for n in kb.needs}
    for q in kb.questions.values():
        if q.status == "dropped":
            continue
        for nid in q.needs:
            if nid in serving:
                serving[nid].append(q)
    out: dict[str, Coverage] = {}
    for nid, n in kb.needs.items():
        qs = serving[nid]
        if n.out_of_scope is not None:
            out[nid] = Coverage(n, "out-of-scope", qs)
        elif not qs:
            out[nid] = Coverage(n, "unmet", qs)
        elif not any(q.status == "agreed" for q in qs):
            out[nid] = Coverage(n, "partly", qs, PROPOSED_ONLY)
        elif n.gaps:
            out[nid] = Coverage(n, "partly", qs, n.gaps)
        else:
            out[nid] = Coverage(n, "covered", qs)
    return out


def needs_of(kb: KnowledgeBase, partner: Partner,
             cover: dict[str, Coverage]) -> list[Coverage]:
    return [c for c in cover.values() if partner.id in c.need.raised_by]


def as_of(today: dt.date | None) -> dt.date:
    """The date the dashboard is read at: SOURCE_DATE_EPOCH (reproducible builds), else today."""
    if today is not None:
        return today
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


@dataclass(frozen=True)
class Standing:
    partner: Partner
    state: str  # what the dashboard says
    late: bool


def _english_plural(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


def standing(p: Partner, today: dt.date, _: Callable[[str], str] = str,
             ngettext: Callable[[str, str, int], str] = _english_plural) -> Standing:
    """What the dashboard says of a partner, in the page's language (`_`, `ngettext`)."""
    e = p.engagement
    if e is None or (e.when is None and e.reply_by is None):
        return Standing(p, _("Not yet planned"), False)
    if e.status == "declined":
        return Standing(p, _("Declined"), False)
    if e.replied is not None:
        if e.reply_by is not None and e.replied > e.reply_by:
            days = (e.replied - e.reply_by).days
            return Standing(p, ngettext("Replied %(days)d day late", "Replied %(days)d days late",
                                        days) % {"days": days}, False)
        return Standing(p, _("Replied"), False)
    if e.status in ("needs-received", "agreed"):
        # Kbs written before `replied` existed: the status says the partner replied.
        return Standing(p, _("Replied (date not recorded)"), False)
    if e.reply_by is not None and e.reply_by < today:
        days = (today - e.reply_by).days
        return Standing(p, ngettext("Late: reply due %(days)d day ago",
                                    "Late: reply due %(days)d days ago", days) % {"days": days},
                        True)
    if e.when is not None and e.when > today:
        return Standing(p, _("To be approached"), False)
    return Standing(p, _("Waiting for the reply"), False)


@dataclass(frozen=True)
class RoundUse:
    review: UseReview
    used: dict[str, list[tuple[str, str]]]  # question key -> (partner, used_for)
    unused: list[tuple[Question, list[tuple[str, str]]]]  # nobody reported using it
    unreviewed: list[Question]  # asked in the round, no entry at all
    restricted: bool  # the kb has confidential questions (their review is internal)


def round_use(kb: KnowledgeBase, review: UseReview) -> RoundUse:
    entries: dict[str, list] = {}
    for e in review.entries:
        entries.setdefault(e.question, []).append(e)
    restricted = any(kb.is_restricted(q) for q in kb.questions.values())
    # A restricted question's public copy has no since_round: it never counts as asked.
    asked = [q for q in kb.questions.values()
             if q.id in entries or (q.since_round is not None and q.since_round <= review.round
                                    and q.status in ("agreed", "dropped"))]
    used: dict[str, list[tuple[str, str]]] = {}
    unused: list[tuple[Question, list[tuple[str, str]]]] = []
    unreviewed: list[Question] = []
    for q in asked:
        es = entries.get(q.id, [])
        if not es:
            unreviewed.append(q)
        elif any(e.used for e in es):
            used[q.id] = [(e.partner, e.used_for or "") for e in es if e.used]
        else:
            unused.append((q, [(e.partner, e.why_not or "") for e in es]))
    return RoundUse(review, used, unused, unreviewed, restricted)


# (page path, template, page title, template context); pages.py renders them.
PageSpec = tuple[str, str, str, dict[str, Any]]


def workshop_context(kb: KnowledgeBase) -> dict[str, Any]:
    """What the workshop pack shows besides the mock-ups: per partner (review sheet) the
    agreed questions it requested or analyses; restricted ones are not on the public view."""
    agreed = [q for q in kb.agreed() if not kb.is_restricted(q)]
    sheets = []
    for p in kb.partners.values():
        qs = [q for q in agreed if p.id in q.requested_by or p.id in q.analysis.analysed_by]
        if qs:
            sheets.append((p, qs))
    cover = coverage(kb)
    sharing: dict[str, int] = {}
    for d in kb.datasets.values():
        sharing[d.sharing.modality] = sharing.get(d.sharing.modality, 0) + 1
    return {"agreed": kb.agreed(), "sheets": sheets, "needs": len(cover),
            "covered": sum(c.status in ("covered", "partly") for c in cover.values()),
            "sharing": sorted(sharing.items())}


def page_specs(kb: KnowledgeBase, today: dt.date | None,
               _: Callable[[str], str] = str,
               ngettext: Callable[[str, str, int], str] = _english_plural,
               ) -> Iterator[PageSpec]:
    """The process pages of the (public view of the) kb; `_` translates the generator's
    words (titles, labels) into the page's language."""
    cover = {nid: replace(c, note=_(c.note)) if c.note == PROPOSED_ONLY else c
             for nid, c in coverage(kb).items()}
    groups = [(key, _(label), [c for c in cover.values() if c.status == key])
              for key, label in COVERAGE.items()]
    yield ("needs.md", "needs.md.j2", _("Information needs and coverage"),
           {"groups": groups, "cover": cover})
    rounds = [round_use(kb, review) for review in kb.use_reviews.values()]
    yield "use-review.md", "use_review.md.j2", _("Use review"), {"rounds": rounds}
    rounds: dict[int, list] = {}
    for f in kb.feedback.values():
        rounds.setdefault(f.round, []).append(f)
    yield ("feedback.md", "feedback.md.j2", _("Feedback log"),
           {"rounds": sorted(rounds.items(), reverse=True),
            "labels": {k: _(v) for k, v in FEEDBACK_LABELS.items()}})
    by_round: dict[int, list[Compliance]] = {}
    for p in kb.products.values():
        by_round.setdefault(p.round, []).append(compliance(kb, p))
    yield ("products.md", "products.md.j2", _("Products and checklist"),
           {"rounds": sorted(by_round.items(), reverse=True),
            "labels": {k: _(v) for k, v in PRODUCT_LABELS.items()}})
    day = as_of(today)
    rows = [standing(p, day, _, ngettext) for p in kb.partners.values()]
    yield ("engagement.md", "engagement.md.j2", _("Engagement and schedule"),
           {"rows": rows, "today": day, "late": [s for s in rows if s.late]})
