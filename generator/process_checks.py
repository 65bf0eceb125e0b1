"""Checks of the joint process around the questions (issue #11): information needs traced
to questions, governed agreement, use reviews, schedule changes, data sharing agreements.

Run by checks.Checker on the typed records; each problem has its code in problems.KINDS.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from .loaded import Loaded, Source
from .models import Checklist, Dataset, Need, Partner, Product, Question, UseReview
from .models.common import Id
from .models.country import SCHEMA_VERSION
from .problems import listed


class Checker(Protocol):
    """What these checks use of checks.Checker (which runs them)."""

    loaded: Loaded
    singles: dict[str, Source]
    round: int | None

    def at(self, kind: str, rid: str, loc: Sequence[str | int], fld: str, msg: str,
           fix: str, severity: str = "error", *, code: str) -> None: ...

EXPERTISE = {"subject-matter": "a subject-matter expert", "context": "a context expert",
             "imo": "an IMO"}


def is_dtm_core(q: Question, partners: dict[Id, Partner]) -> bool:
    """A DTM core question (population figures, site type...) is requested by DTM itself
    and serves DTM's own mandate, not a partner's need."""
    return any(p in partners and partners[p].type == "dtm" for p in q.requested_by)


def serving(questions: dict[Id, Question]) -> dict[Id, list[Question]]:
    """Need id -> the questions (not dropped) that serve it."""
    out: dict[Id, list[Question]] = {}
    for q in questions.values():
        if q.status == "dropped":
            continue
        for n in q.needs:
            out.setdefault(n, []).append(q)
    return out


def schema_version(checker: Checker) -> int:
    country = checker.singles.get("country")
    value = country.doc.data.get("schema_version") if country else None
    return value if type(value) is int else 1


def run(checker: Checker) -> None:
    r = checker.loaded.records
    questions: dict[Id, Question] = r.get("question", {})
    partners: dict[Id, Partner] = r.get("partner", {})
    needs: dict[Id, Need] = r.get("need", {})
    version = schema_version(checker)
    check_needs(checker, questions, partners, needs)
    for q in questions.values():
        check_agreement(checker, q, version)
    for review in r.get("use-review", {}).values():
        check_review(checker, review, questions)
    checklist = r.get("checklist")
    if checklist is not None:
        for product in r.get("product", {}).values():
            check_product(checker, product, checklist)
    for f in r.get("feedback", {}).values():
        if checker.round is not None and f.round > checker.round:
            checker.at("feedback", f.id, ["round"], "round",
                       f"round {f.round} is after the current round {checker.round}",
                       "give the round the feedback is about", code="round-in-future")
    check_timeline(checker)
    country = r.get("country")
    if country is not None:
        for d in r.get("dataset", {}).values():
            check_sharing_agreement(checker, d, country.round.start, version)


def check_needs(checker: Checker, questions: dict[Id, Question], partners: dict[Id, Partner],
                needs: dict[Id, Need]) -> None:
    served = serving(questions)
    names = checker.loaded.names.get("need", set())
    for n in needs.values():
        qs = served.get(n.id, [])
        if not qs and n.out_of_scope is None and n.unmet_reason is None:
            checker.at("need", n.id, ["id"], "id",
                       "no question serves this need and it is not marked out of scope",
                       "add its id to the 'needs' of the questions that serve it, add "
                       "'out_of_scope:' (reason, instead) if the MSLA cannot answer it, or "
                       "say why it stays unmet for now in 'unmet_reason'",
                       severity="warning", code="need-unserved")
        secret = [q.id for q in qs if q.is_confidential]
        if secret and not n.restricted:
            checker.at("need", n.id, ["id"], "restricted",
                       ("confidential question " if len(secret) == 1
                        else "confidential questions ") + listed(secret)
                       + (" serves" if len(secret) == 1 else " serve")
                       + " this need, which would show on the public site",
                       "add 'restricted: true' (the need then shows in internal builds only)",
                       code="need-not-restricted")
    if not (needs or names):
        return  # a kb without need records yet: questions are not required to name needs
    for q in questions.values():
        if q.needs or q.status == "dropped" or is_dtm_core(q, partners):
            continue
        checker.at("question", q.id, ["information_need"], "needs",
                   "the question serves no information need (required once the kb has "
                   "need records in kb/needs/, unless DTM itself requests it as core)",
                   "add 'needs: [need-id]' naming the needs in kb/needs/ it answers",
                   code="question-without-need")


def check_agreement(checker: Checker, q: Question, version: int) -> None:
    # A kb at schema version 1 was written before these rules: they would turn every agreed
    # question into a problem, and a warning fails a strict build. `toolkit validate` says
    # once that `toolkit migrate` turns them on (cli.py).
    if q.status != "agreed" or version < SCHEMA_VERSION:
        return

    def problem(loc: list[str | int], fld: str, msg: str, fix: str, code: str) -> None:
        checker.at("question", q.id, loc, fld, msg, fix, code=code)

    v = q.verification
    if v is None:
        problem(["status"], "verification",
                "an agreed question needs 'verification': who verified its mock-up and "
                "phrasing, and when",
                "add 'verification:' with its date and verified_by (a subject-matter "
                "expert, a context expert and an IMO: role and organisation), or set "
                "'status: proposed' until they have verified it", "agreement-unverified")
    else:
        missing = [text for kind, text in EXPERTISE.items()
                   if not any(p.expertise == kind for p in v.verified_by)]
        if missing:
            problem(["verification", "verified_by"], "verification.verified_by",
                    "the verification names no " + ", no ".join(
                        m.split(" ", 1)[1] for m in missing),
                    "add who verified it as " + " and ".join(missing)
                    + " (expertise, role, organisation)", "verification-incomplete")
    # A roster question (q9: unit_of_analysis key_informant) is asked about each informant
    # interviewed, whoever they are: it has no key informant type of its own.
    roster = q.unit_of_analysis == "key_informant"
    if not q.key_informant and not roster:
        problem(["status"], "key_informant", "an agreed question names no key informant type",
                "add 'key_informant: [type-id]' from kb/country.yml", "agreement-incomplete")
    if q.since_round is None:
        problem(["status"], "since_round", "an agreed question needs 'since_round'",
                "add the first round it is (to be) asked in", "agreement-incomplete")
    if not q.criteria.do_no_harm:
        problem(["criteria"], "criteria.do_no_harm",
                "an agreed question needs its do-no-harm note",
                "add 'do_no_harm:' under criteria: why it is safe to ask a key informant",
                "agreement-incomplete")


def check_review(checker: Checker, review: UseReview, questions: dict[Id, Question]) -> None:
    seen: dict[tuple[str, str], int] = {}
    for i, e in enumerate(review.entries):
        key = (e.question, e.partner)
        if key in seen:
            checker.at("use-review", review.id, ["entries", i], f"entries[{i + 1}]",
                       f"partner '{e.partner}' already reviewed '{e.question}' in "
                       f"entries[{seen[key] + 1}]", "keep one entry per question and partner",
                       code="duplicate-id")
        seen.setdefault(key, i)
    if checker.round is not None and review.round > checker.round:
        checker.at("use-review", review.id, ["round"], "round",
                   f"round {review.round} is after the current round {checker.round}",
                   "review a past or the current round", code="round-in-future")


def check_product(checker: Checker, product: Product, checklist: Checklist) -> None:
    """A published product must hold every required checklist item that applies to it."""
    if product.status != "published":
        return
    states = {c.item: c for c in product.checklist}
    for i, c in enumerate(product.checklist):
        if c.state == "missing":
            checker.at("product", product.id, ["checklist", i], f"checklist[{i + 1}]",
                       f"the published {product.kind} misses checklist item '{c.item}'",
                       "add it to the product (and set 'state: done'), or say why it does "
                       "not apply ('state: not-applicable' with 'why')",
                       severity="warning", code="product-checklist-missing")
    unlisted = [item.id for item in checklist.items
                if item.required and product.checks_as in item.applies_to
                and item.id not in states]
    if unlisted:
        checker.at("product", product.id, ["checklist"] if product.checklist else ["status"],
                   "checklist",
                   f"the published {product.kind} does not say whether it includes "
                   f"{listed(unlisted)}",
                   "add '- item: <id>' with 'state: done', 'not-applicable' (and why) or "
                   "'missing' for each required checklist item", severity="warning",
                   code="product-checklist-missing")


def check_timeline(checker: Checker) -> None:
    plan = checker.loaded.records.get("analysis-plan")
    if plan is None:
        return
    for i, m in enumerate(plan.timeline):
        if m.changes and m.changes[-1].new != m.date:
            checker.at("analysis-plan", "", ["timeline", i, "date"], f"timeline[{i + 1}].date",
                       f"the last change moved '{m.milestone}' to {m.changes[-1].new}, but "
                       f"its date says {m.date}",
                       "set 'date' to the latest new date, or add the change that explains it",
                       code="timeline-inconsistent")
        for j, c in enumerate(m.changes[1:], start=1):
            if c.previous != m.changes[j - 1].new:
                checker.at("analysis-plan", "", ["timeline", i, "changes", j],
                           f"timeline[{i + 1}].changes[{j + 1}].previous",
                           f"{c.previous} is not the date the change before set "
                           f"({m.changes[j - 1].new})",
                           "list the changes oldest first, each starting from the last date",
                           code="timeline-inconsistent")


def check_sharing_agreement(checker: Checker, d: Dataset, collection_start: Any,
                            version: int) -> None:
    # At schema version 1 no dataset recorded its agreement's status: not knowing is no
    # finding there (and a warning would fail every strict build of an existing kb).
    if d.sharing.modality == "public" or (d.agreement_status is None and version < 2):
        return
    at: Callable[..., None] = checker.at
    if d.agreement_status == "signed" and d.signed is None:
        at("dataset", d.id, ["agreement_status"], "signed",
           "a signed agreement needs its signature date", "add 'signed: YYYY-MM-DD'",
           severity="warning", code="agreement-unsigned")
        return
    if d.agreement_status == "signed" and d.signed is not None and d.signed <= collection_start:
        return
    if d.agreement_status == "signed":
        when = f"was signed on {d.signed}, after"  # "... after collection starts (date)"
    elif d.agreement_status is None:
        when = "has no recorded status ('agreement_status'), and"
    else:
        when = f"is '{d.agreement_status}', not signed, and"
    at("dataset", d.id, ["agreement_status"] if d.agreement_status else ["sharing"],
       "agreement_status",
       f"the {d.sharing.modality} sharing agreement {when} collection starts "
       f"({collection_start}): urgent sharing may be held up",
       "sign the MoU or protocol in the planning phase, before collection starts, and record "
       "'agreement_status: signed' with 'signed: YYYY-MM-DD'",
       severity="warning", code="agreement-unsigned")
