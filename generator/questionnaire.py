"""The questionnaire in interview order: sections of questions, notes and calculations.

kb/questionnaire.yml gives the order; questions it does not list follow, one section per
sector (in kb/sectors.yml order), so every kb has a complete form.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .expressions import (
    Binary,
    Call,
    Expr,
    ExpressionError,
    Literal,
    Ref,
    parse,
    references,
)
from .i18n.catalog import N_
from .models import Question, Questionnaire
from .models.questionnaire import Calculate, Note, RawRow, Section

if TYPE_CHECKING:
    from .kb import KnowledgeBase

Entry = Question | Note | Calculate | RawRow
# Question fields holding XLSForm expressions, checked and exported.
EXPRESSION_FIELDS = ("relevant", "constraint", "calculation", "choice_filter")


@dataclass(frozen=True)
class FormSection:
    section: Section
    entries: tuple[Entry, ...]
    implicit: bool = False  # made up from a sector for questions questionnaire.yml leaves out


def build_form(questions: Mapping[str, Question], sectors: Sequence[tuple[str, str]],
               questionnaire: Questionnaire | None) -> list[FormSection]:
    """The form's sections in order. `sectors`: (id, name) in kb order.

    Ids questionnaire.yml lists that are not in `questions` (dropped, filtered out, unknown)
    are left out here; validation reports unknown ones.
    """
    out: list[FormSection] = []
    placed: set[str] = {i for s in (questionnaire.sections if questionnaire else [])
                        for i in s.items if isinstance(i, str) and i in questions}
    for section in questionnaire.sections if questionnaire else []:
        entries: list[Entry] = []
        for item in section.items:
            if isinstance(item, str):
                if item in questions and not any(e is questions[item] for e in entries):
                    entries.append(questions[item])
            else:
                entries.append(item)
        # A question may name its section instead of being listed: it goes at the end.
        for qid, q in questions.items():
            if q.section == section.id and qid not in placed:
                entries.append(q)
                placed.add(qid)
        if entries:
            out.append(FormSection(section, tuple(entries)))
    used = {s.section.id for s in out}
    for sector_id, sector_name in sectors:
        rest = tuple(q for qid, q in questions.items()
                     if q.sector == sector_id and qid not in placed)
        if rest:
            sid = sector_id if sector_id not in used else f"{sector_id}-questions"
            out.append(FormSection(Section(id=sid, label=sector_name), rest, implicit=True))
    return out


def entries(form: Sequence[FormSection]) -> Iterator[tuple[FormSection, Entry]]:
    for section in form:
        for entry in section.entries:
            yield section, entry


def entry_name(entry: Entry) -> str | None:
    if isinstance(entry, Question):
        return entry.var_name
    if isinstance(entry, Note):
        return entry.note
    if isinstance(entry, Calculate):
        return entry.calculate
    return entry.xlsform.get("name") or None


def questions_in_order(form: Sequence[FormSection]) -> list[Question]:
    return [e for _, e in entries(form) if isinstance(e, Question)]


def parsed(text: str | None) -> Expr | None:
    """The expression's tree, or None if it is missing or invalid (validation reports it)."""
    if not text:
        return None
    try:
        return parse(text)
    except ExpressionError:
        return None


# --- readable skip logic ---------------------------------------------------------------------

# In the page's language (gettext), with the value put in: "is %(value)s" -> "est Oui".
_COMPARISONS = {"=": N_("is %(value)s"), "!=": N_("is not %(value)s"),
                ">": N_("is more than %(value)s"), ">=": N_("is at least %(value)s"),
                "<": N_("is less than %(value)s"), "<=": N_("is at most %(value)s")}
_JOINERS = {"and": N_("and"), "or": N_("or")}


@dataclass(frozen=True)
class Words:
    """How a rule is worded: the page language's gettext and number format (English and
    plain digits by default, as the XLSForm export and the source-language site use)."""

    gettext: Callable[[str], str] = str
    number: Callable[[float], str] = lambda v: str(int(v)) if v == int(v) else str(v)


@dataclass(frozen=True)
class Condition:
    """Part of a rule in words; `question` is the question it depends on, if any."""

    question: Question | None
    words: str  # what follows the question's text, e.g. "is Yes"
    raw: str = ""  # the expression itself when it cannot be put in words


def describe(expr: Expr, by_name: Mapping[str, Question],
             labels: Mapping[str, Mapping[str, str]],
             words: Words = Words()) -> list[tuple[str, Condition]] | None:
    """A rule as conditions joined by 'and'/'or' (the first joiner is ""), or None when the
    expression is more than comparisons of answers with values."""
    if isinstance(expr, Binary) and expr.op in ("and", "or"):
        left = describe(expr.left, by_name, labels, words)
        right = describe(expr.right, by_name, labels, words)
        if left is None or right is None:
            return None
        return left + [(words.gettext(_JOINERS[expr.op]), right[0][1])] + right[1:]
    cond = _condition(expr, by_name, labels, words)
    return None if cond is None else [("", cond)]


def _condition(expr: Expr, by_name: Mapping[str, Question],
               labels: Mapping[str, Mapping[str, str]], words: Words,
               negated: bool = False) -> Condition | None:
    _ = words.gettext
    if (isinstance(expr, Binary) and expr.op in _COMPARISONS and isinstance(expr.left, Ref)
            and isinstance(expr.right, Literal) and expr.left.name in by_name):
        q = by_name[expr.left.name]
        value = expr.right.value
        if isinstance(value, str):
            if value == "":
                return Condition(q, _("is answered") if expr.op == "!=" else
                                 _("is not answered"))
            shown = labels.get(q.var_name, {}).get(value, value)
        else:
            shown = words.number(value)
        return Condition(q, _(_COMPARISONS[expr.op]) % {"value": shown})
    if (isinstance(expr, Call) and expr.name == "selected" and isinstance(expr.args[0], Ref)
            and isinstance(expr.args[1], Literal) and expr.args[0].name in by_name):
        q = by_name[expr.args[0].name]
        code = str(expr.args[1].value)
        label = labels.get(q.var_name, {}).get(code, code)
        return Condition(q, (_("does not include %(value)s") if negated else
                             _("includes %(value)s")) % {"value": label})
    if (isinstance(expr, Call) and expr.name == "not" and isinstance(expr.args[0], Call)
            and expr.args[0].name == "selected"):
        return _condition(expr.args[0], by_name, labels, words, negated=True)
    return None


# --- the questionnaire as the site shows it ---------------------------------------------------

Rule = list[tuple[str, Condition]]


@dataclass(frozen=True)
class SiteForm:
    sections: list[FormSection]
    numbers: dict[str, int]  # question id -> its number in the form
    rules: dict[str, Rule | None]  # question id -> its skip logic in words (None: not wordable)
    section_rules: dict[str, Rule | None]
    dependents: dict[str, list[Question]]  # question id -> questions whose logic reads it
    left_out: int  # confidential questions of the form not shown (public site)


def option_labels(kb: KnowledgeBase, words: Words = Words()) -> dict[str, dict[str, str]]:
    """Question name -> option code -> label, for putting rules in words."""
    out: dict[str, dict[str, str]] = {}
    for q in kb.questions.values():
        options = kb.options(q)
        if q.type == "yes_no" and not options:
            out[q.var_name] = {"yes": words.gettext("Yes"), "no": words.gettext("No")}
        else:
            out[q.var_name] = {o.code: o.label for o in options}
    return out


def site_form(kb: KnowledgeBase, words: Words = Words()) -> SiteForm:
    """The current round's questionnaire for the site; `kb` is the (public) view shown, its
    rules worded in the page's language (`words`)."""
    chosen = selected_questions(kb, None)
    asked = {qid: q for qid, q in kb.questions.items()
             if q.status == "agreed" and (q.since_round or 0) <= kb.country.round.number}
    sectors = [(s.id, s.name) for s in kb.sectors.values()]
    form = build_form(chosen, sectors, kb.questionnaire)
    numbers = {q.id: i for i, q in enumerate(questions_in_order(form), start=1)}
    by_name = {q.var_name: q for q in kb.questions.values()}
    labels = option_labels(kb, words)
    rules: dict[str, Rule | None] = {}
    dependents: dict[str, list[Question]] = {}
    for q in kb.questions.values():
        tree = parsed(q.relevant)
        if tree is not None:
            rules[q.id] = describe(tree, by_name, labels, words)
        if q.status == "dropped":
            continue
        read: set[str] = set()
        for fld in EXPRESSION_FIELDS:
            sub = parsed(getattr(q, fld))
            if sub is not None:
                read |= references(sub)
        for name in sorted(read):
            target = by_name.get(name)
            if target is not None and target.id != q.id:
                dependents.setdefault(target.id, []).append(q)
    section_rules = {}
    for s in form:
        tree = parsed(s.section.relevant)
        if tree is not None:
            section_rules[s.section.id] = describe(tree, by_name, labels, words)
    return SiteForm(form, numbers, rules, section_rules, dependents,
                    left_out=len(asked) - len(chosen))


def selected_questions(kb: KnowledgeBase, round_number: int | None) -> dict[str, Question]:
    """Agreed questions asked in the round (default: the current one); confidential ones only
    in an internal export."""
    n = round_number or kb.country.round.number
    return {qid: q for qid, q in kb.questions.items()
            if q.status == "agreed" and (q.since_round or 0) <= n
            and (kb.internal or not q.is_confidential)}
