"""Checks across records: references resolve and every question meets the minimum criteria."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from .mockup import template_problems
from .mockup.spec import disaggregation_problems, spec_problems
from .models import Dataset, Partner, Question
from .problems import Problem
from .scaffold import unfilled

if TYPE_CHECKING:
    from .loader import Loaded

# Words people type when they have not yet documented something.
PLACEHOLDER_TEXTS = {"tbd", "tbc", "todo", "n/a", "na", "-", "?", "...", "xxx", "to be defined"}


class Checker:
    def __init__(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.problems: list[Problem] = []
        r = loaded.records
        self.partners: dict[str, Partner] = r.get("partner", {})
        self.questions: dict[str, Question] = r.get("question", {})
        self.datasets: dict[str, Dataset] = r.get("dataset", {})
        self.sector_ids = {s.id for s in r["sectors"].sectors} if "sectors" in r else None
        self.step_ids = {s.id for s in r["process"].steps} if "process" in r else None
        country = r.get("country")
        self.ki_ids = {k.id for k in country.msla.key_informant_types} if country else None
        self.round = country.round.number if country else None
        self.country = country

    def at(self, kind: str, rid: str, loc: Sequence[str | int], fld: str, msg: str,
           fix: str, severity: str = "error") -> None:
        doc = self.loaded.docs.get((kind, rid))
        path = self.loaded.rel.get((kind, rid), kind)
        line = doc.line(loc) if doc else 1
        self.problems.append(Problem(path, line, fld, msg, fix, severity))  # type: ignore[arg-type]

    def refs(self, kind: str, rid: str, field: str, ids: Iterable[str], known: set[str] | None,
             what: str, where: str, files: set[str] | None = None) -> None:
        if known is None:  # the file that defines them failed: reported there already
            return
        for i, ref in enumerate(ids):
            if ref not in known and ref not in (files or ()):
                loc: list[str | int] = [*field.split("."), i]
                self.at(kind, rid, loc, f"{field}[{i + 1}]", f"unknown {what} '{ref}'",
                        _suggest(ref, known) + f"use an id from {where}")

    def run(self) -> list[Problem]:
        partner_ids = set(self.partners) | self.loaded.names.get("partner", set())
        for q in self.questions.values():
            self.question(q, partner_ids)
        for d in self.datasets.values():
            self.dataset(d, partner_ids)
        for p in self.partners.values():
            self.refs("partner", p.id, "roles", list(p.roles), self.step_ids, "process step",
                      "kb/process.yml")
        r = self.loaded.records
        if "sectors" in r:
            for i, s in enumerate(r["sectors"].sectors):
                for j, ref in enumerate(s.coordinated_by):
                    if ref not in partner_ids:
                        self.at("sectors", "", ["sectors", i, "coordinated_by", j],
                                f"sectors[{i + 1}].coordinated_by[{j + 1}]",
                                f"unknown partner '{ref}'",
                                _suggest(ref, partner_ids) + "use a file name from kb/partners/")
        if "analysis-plan" in r:
            for i, s in enumerate(r["analysis-plan"].sign_off):
                if s.partner not in partner_ids:
                    self.at("analysis-plan", "", ["sign_off", i, "partner"],
                            f"sign_off[{i + 1}].partner", f"unknown partner '{s.partner}'",
                            _suggest(s.partner, partner_ids) + "use a file name from kb/partners/")
        self.problems.extend(unfilled(self.loaded))  # TODOs left from `toolkit new`
        self.problems.extend(check_questionnaire(self.loaded))
        return self.problems

    def question(self, q: Question, partner_ids: set[str]) -> None:
        k = "question"
        if self.sector_ids is not None and q.sector not in self.sector_ids:
            self.at(k, q.id, ["sector"], "sector", f"unknown sector '{q.sector}'",
                    _suggest(q.sector, self.sector_ids) + "use an id from kb/sectors.yml")
        where = "kb/partners/ (file names)"
        self.refs(k, q.id, "requested_by", q.requested_by, partner_ids, "partner", where)
        self.refs(k, q.id, "analysis.analysed_by", q.analysis.analysed_by, partner_ids,
                  "partner", where)
        self.refs(k, q.id, "sharing.partners", q.sharing.partners, partner_ids, "partner", where)
        self.refs(k, q.id, "key_informant", q.key_informant, self.ki_ids, "key informant type",
                  "msla.key_informant_types in kb/country.yml")
        # Minimum criteria: a question whose purpose, use or analysis is not really documented
        # is not collected ("each dataset is either consistently analysed or not collected").
        for fld, value in (("purpose", q.purpose), ("use", q.use),
                           ("criteria.not_available_elsewhere", q.criteria.not_available_elsewhere),
                           ("criteria.methodology_adequate", q.criteria.methodology_adequate),
                           ("criteria.analysis_capacity", q.criteria.analysis_capacity),
                           ("analysis.descriptive", q.analysis.descriptive)):
            if value.strip().lower() in PLACEHOLDER_TEXTS:
                self.at(k, q.id, fld.split("."), fld,
                        f"'{value}' does not document it: the question fails the minimum criteria",
                        "write what partners agreed, or set 'status: proposed' until they do")
        if self.round is not None:
            if q.since_round and q.since_round > self.round:
                self.at(k, q.id, ["since_round"], "since_round",
                        f"round {q.since_round} is after the current round {self.round}",
                        "use the round the question was first asked in")
            for i, ch in enumerate(q.history):
                if ch.round > self.round:
                    self.at(k, q.id, ["history", i, "round"], f"history[{i + 1}].round",
                            f"round {ch.round} is after the current round {self.round}",
                            "use a past or the current round")
        if q.mockup.chart == "stacked-bar" and not q.analysis.disaggregation:
            self.at(k, q.id, ["mockup", "chart"], "mockup.chart",
                    "a stacked bar needs a disaggregation; a plain bar will be drawn",
                    "add 'disaggregation: [admin1]' under analysis or use 'chart: bar'",
                    severity="warning")
        for fld, message in template_problems(q):
            self.at(k, q.id, fld.split("."), fld, message, "")
        mockup_spec = spec_problems(q) + (
            disaggregation_problems(q, self.country) if self.country else [])
        for loc, fld, message, fix in mockup_spec:
            self.at(k, q.id, loc, fld, message, fix)

    def dataset(self, d: Dataset, partner_ids: set[str]) -> None:
        k = "dataset"
        self.refs(k, d.id, "questions", d.questions, set(self.questions), "question",
                  "kb/questions/ (file names)", self.loaded.names.get("question"))
        self.refs(k, d.id, "sharing.partners", d.sharing.partners, partner_ids, "partner",
                  "kb/partners/ (file names)")
        for i, qid in enumerate(d.questions):
            q = self.questions.get(qid)
            if q is None or q.sharing.modality == "public":
                continue
            if d.sharing.modality == "public":
                self.at(k, d.id, ["questions", i], f"questions[{i + 1}]",
                        f"question '{qid}' is {q.sharing.modality} but this dataset is public",
                        f"remove the question from this dataset or share the dataset as "
                        f"{q.sharing.modality}")
                continue
            # Restricted data may only reach the partners its question's agreement names.
            extra = [p for p in d.sharing.partners if p not in q.sharing.partners]
            if extra:
                self.at(k, d.id, ["questions", i], f"questions[{i + 1}]",
                        f"question '{qid}' may be shared only with "
                        f"{', '.join(q.sharing.partners)}, but this dataset also goes to "
                        f"{', '.join(extra)}",
                        "remove those partners from the dataset or add them to the "
                        "question's sharing.partners once they have signed the agreement")
        if d.link and d.sharing.modality != "public":
            self.at(k, d.id, ["link"], "link", "only public datasets have a public link",
                    "remove 'link' or make the dataset public")


def _suggest(ref: str, known: set[str]) -> str:
    import difflib

    close = difflib.get_close_matches(ref, sorted(known), n=1)
    return f"did you mean '{close[0]}'? " if close else ""


def check_references(loaded: Loaded) -> list[Problem]:
    return Checker(loaded).run()


# --- the questionnaire (XLSForm): names, expressions, ranges, options, translations ---------


def check_questionnaire(loaded: Loaded) -> list[Problem]:
    """Everything the exported XLSForm needs, so Kobo/ODK never refuse the kb's form."""
    import re

    from .expressions import ExpressionError, Path, parse, references, walk
    from .models.common import XML_NAME_PATTERN
    from .models.questionnaire import Calculate, Note
    from .questionnaire import EXPRESSION_FIELDS, build_form, entries, entry_name

    r = loaded.records
    problems: list[Problem] = []
    questions: dict[str, Question] = r.get("question", {})
    choice_lists = r.get("choices", {})
    questionnaire = r.get("questionnaire")
    country = r.get("country")

    def at(kind: str, rid: str, loc: Sequence[str | int], fld: str, msg: str, fix: str,
           severity: str = "error") -> None:
        doc = loaded.docs.get((kind, rid))
        path = loaded.rel.get((kind, rid), kind)
        problems.append(Problem(path, doc.line(loc) if doc else 1, fld, msg, fix,
                                severity))  # type: ignore[arg-type]

    # questionnaire.yml: ids it lists exist, once; sections are unique.
    listed: set[str] = set()
    if questionnaire is not None:
        section_ids: set[str] = set()
        for i, section in enumerate(questionnaire.sections):
            if section.id in section_ids:
                at("questionnaire", "", ["sections", i, "id"], f"sections[{i + 1}].id",
                   f"section '{section.id}' is defined twice", "give each section its own id")
            section_ids.add(section.id)
            for j, item in enumerate(section.items):
                if not isinstance(item, str):
                    continue
                loc: list[str | int] = ["sections", i, "items", j]
                fld = f"sections[{i + 1}].items[{j + 1}]"
                if item not in questions and item not in loaded.names.get("question", set()):
                    at("questionnaire", "", loc, fld, f"unknown question '{item}'",
                       _suggest(item, set(questions)) + "use a file name from kb/questions/")
                elif item in listed:
                    at("questionnaire", "", loc, fld, f"question '{item}' is listed twice",
                       "keep it in one place of the questionnaire")
                listed.add(item)

    sectors = [(s.id, s.name) for s in r["sectors"].sectors] if "sectors" in r else []
    active = {k: q for k, q in questions.items() if q.status != "dropped"}
    form = build_form(active, sectors, questionnaire)
    order: dict[str, int] = {}
    owner: dict[str, tuple[str, str]] = {}  # name -> (kind, id) of the record defining it
    name_re = re.compile(XML_NAME_PATTERN)
    for position, (_section, entry) in enumerate(entries(form)):
        name = entry_name(entry)
        if name is None:
            continue
        if isinstance(entry, Question):
            kind, rid = "question", entry.id
            loc, fld = (["name"] if entry.name else ["id"]), ("name" if entry.name else "id")
        else:
            kind, rid, loc, fld = "questionnaire", "", ["sections"], "sections"
        if not name_re.match(name):
            at(kind, rid, loc, fld, f"'{name}' is not a valid XLSForm name",
               "set 'name:' to letters, digits and _ starting with a letter")
        if name in owner:
            first = loaded.rel.get(owner[name], owner[name][0])
            at(kind, rid, loc, fld, f"name clash: '{name}' is also the name in {first}",
               "set a distinct 'name:' on one of them")
            continue
        owner[name] = (kind, rid)
        order[name] = position
    for section in form:
        owner.setdefault(section.section.var_name, ("questionnaire", ""))

    by_name = {q.var_name: q for q in questions.values()}
    # Expressions: parse, references known, earlier in the form, no cycles.
    graph: dict[str, set[str]] = {}
    for q in questions.values():
        own = q.var_name
        for fld in EXPRESSION_FIELDS:
            text = getattr(q, fld)
            if not text:
                continue
            try:
                tree = parse(text)
            except ExpressionError as err:
                at("question", q.id, [fld], fld, f"invalid expression: {err}",
                   "check brackets, quotes and function names against the XLSForm spec")
                continue
            for name in sorted(references(tree)):
                target = by_name.get(name)
                if name not in owner and target is None:
                    at("question", q.id, [fld], fld, f"${{{name}}} is not a question of the kb",
                       _suggest(name, set(owner) | set(by_name))
                       + "refer to a question by its name (the id with _ for -)")
                    continue
                graph.setdefault(own, set()).add(name)
                if target is not None and q.status == "agreed" and target.status != "agreed":
                    at("question", q.id, [fld], fld,
                       f"${{{name}}} is {target.status}: the exported form would not have it",
                       "agree both questions, or remove the reference")
                if (target is not None and not q.is_confidential and target.is_confidential
                        and fld in ("relevant", "choice_filter")):
                    at("question", q.id, [fld], fld,
                       f"${{{name}}} is confidential: the public form cannot include this rule",
                       "make both questions confidential, or remove the reference")
                if (fld != "calculation" and name != own and name in order and own in order
                        and order[name] > order[own]):
                    at("question", q.id, [fld], fld,
                       f"${{{name}}} comes later in the form than this question",
                       "refer only to questions asked before this one, or move it in "
                       "kb/questionnaire.yml")
            if fld == "choice_filter":
                columns = {"name", "label"} | {k for o in _options(q, choice_lists)
                                               for k in o.filters}
                for e in walk(tree):
                    if isinstance(e, Path) and e.name not in columns:
                        at("question", q.id, [fld], fld,
                           f"'{e.name}' is not a column of this question's options",
                           "add it under 'filters:' of each option, e.g. filters: {admin1: VL01}")
    if questionnaire is not None:
        for i, section in enumerate(questionnaire.sections):
            for key in ("relevant", "repeat_count"):
                _check_loose(at, getattr(section, key), ["sections", i, key],
                             f"sections[{i + 1}].{key}", owner, by_name)
            for j, item in enumerate(section.items):
                if isinstance(item, Note):
                    _check_loose(at, item.relevant, ["sections", i, "items", j, "relevant"],
                                 f"sections[{i + 1}].items[{j + 1}].relevant", owner, by_name)
                elif isinstance(item, Calculate):
                    _check_loose(at, item.calculation,
                                 ["sections", i, "items", j, "calculation"],
                                 f"sections[{i + 1}].items[{j + 1}].calculation", owner, by_name)
                    names = {n for n in _refs(item.calculation)}
                    graph.setdefault(item.calculate, set()).update(names)
    for cycle in _cycles(graph):
        for name in cycle[:-1]:
            q = by_name.get(name)
            if q is not None:
                fld = next((f for f in EXPRESSION_FIELDS if getattr(q, f)
                            and any(n in _refs(getattr(q, f)) for n in cycle)), "relevant")
                at("question", q.id, [fld], fld,
                   "cycle: " + " → ".join(f"${{{n}}}" for n in cycle),
                   "a question cannot depend, directly or not, on itself")

    languages = [lang.code for lang in country.form_languages] if country else []
    others = languages[1:]
    for q in questions.values():
        _check_numbers(at, q)
        _check_options(at, q, choice_lists)
        for code in q.translations:
            if code not in languages:
                at("question", q.id, ["translations", code], f"translations.{code}",
                   f"'{code}' is not a form language of kb/country.yml"
                   if code not in languages[:1] else f"'{code}' is the source language",
                   "add it to form_languages in kb/country.yml, or remove it")
        if q.status == "dropped":
            continue
        for code in others:
            tr = q.translations.get(code)
            missing = [f for f, src in (("text", q.text), ("hint", q.hint),
                                        ("constraint_message", q.constraint_message),
                                        ("specify_label", q.specify_label))
                       if src and not (tr and getattr(tr, f))]
            for f in missing:
                at("question", q.id, ["translations"] if q.translations else [f],
                   f"translations.{code}.{f}", f"missing {code} translation of '{f}'",
                   f"add translations: {{{code}: {{{f}: ...}}}}", severity="warning")
            untranslated = [o.code for o in q.options if code not in o.translations]
            untranslated += [str(s.code) for s in q.special_codes if code not in s.translations]
            if untranslated:
                at("question", q.id, ["options"] if q.options else ["special_codes"],
                   "options", f"missing {code} label of {', '.join(untranslated)}",
                   f"add translations: {{{code}: ...}} to each", severity="warning")
    for lid, lst in choice_lists.items():
        for code in others:
            untranslated = [o.code for o in lst.options if code not in o.translations]
            if untranslated:
                at("choices", lid, ["options"], "options",
                   f"missing {code} label of {', '.join(untranslated)}",
                   f"add translations: {{{code}: ...}} to each", severity="warning")
    return problems


def _options(q: Question, choice_lists: dict) -> list:
    if q.choices:
        lst = choice_lists.get(q.choices)
        return list(lst.options) if lst else []
    return list(q.options)


def _refs(text: str) -> set[str]:
    from .expressions import references
    from .questionnaire import parsed

    tree = parsed(text)
    return references(tree) if tree is not None else set()


def _check_loose(at, text, loc, fld, owner, by_name) -> None:  # type: ignore[no-untyped-def]
    """An expression of questionnaire.yml: valid, and its references known."""
    from .expressions import ExpressionError, parse, references

    if not text:
        return
    try:
        tree = parse(text)
    except ExpressionError as err:
        at("questionnaire", "", loc, fld, f"invalid expression: {err}",
           "check brackets, quotes and function names against the XLSForm spec")
        return
    for name in sorted(references(tree)):
        if name not in owner and name not in by_name:
            at("questionnaire", "", loc, fld, f"${{{name}}} is not a question of the kb",
               _suggest(name, set(owner)) + "refer to a question by its name")


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each cycle once, as [a, b, ..., a]."""
    found: list[list[str]] = []
    seen: set[frozenset[str]] = set()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt]
                key = frozenset(cycle)
                if key not in seen:
                    seen.add(key)
                    found.append(cycle)
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def _check_numbers(at, q: Question) -> None:  # type: ignore[no-untyped-def]
    numeric = q.type in ("integer", "decimal")
    for fld in ("min", "max", "unit", "special_codes"):
        if getattr(q, fld) not in (None, []) and not numeric:
            at("question", q.id, [fld], fld, f"a {q.type} question has no '{fld}'",
               "remove it or make the question integer/decimal")
    if q.min is not None and q.max is not None and q.min > q.max:
        at("question", q.id, ["min"], "min", f"min {q.min:g} is larger than max {q.max:g}",
           "swap them or fix the range")
    if q.type == "integer":
        for fld in ("min", "max"):
            value = getattr(q, fld)
            if value is not None and value != int(value):
                at("question", q.id, [fld], fld, f"an integer question cannot have {fld} "
                   f"{value:g}", "use a whole number or type decimal")
    codes = [s.code for s in q.special_codes]
    for i, s in enumerate(q.special_codes):
        if codes.count(s.code) > 1:
            at("question", q.id, ["special_codes", i], f"special_codes[{i + 1}]",
               f"special code {s.code} is repeated", "keep one")
        if q.min is not None and q.max is not None and q.min <= s.code <= q.max:
            at("question", q.id, ["special_codes", i], f"special_codes[{i + 1}]",
               f"special code {s.code} is inside the range {q.min:g} to {q.max:g}: it "
               "cannot be told apart from a real answer", "use a code outside the range")


def _check_options(at, q: Question, choice_lists: dict) -> None:  # type: ignore[no-untyped-def]
    if q.choices and q.choices not in choice_lists:
        at("question", q.id, ["choices"], "choices", f"unknown choice list '{q.choices}'",
           _suggest(q.choices, set(choice_lists)) + "use a file name from kb/choices/")
    options = _options(q, choice_lists)
    if q.max_choices is not None and q.type != "select_multiple":
        at("question", q.id, ["max_choices"], "max_choices",
           f"a {q.type} question has one answer: 'max_choices' applies to select_multiple",
           "remove it")
    others = [i for i, o in enumerate(q.options) if o.other]
    if len(others) > 1:
        at("question", q.id, ["options", others[1], "other"],
           f"options[{others[1] + 1}].other", "only one option can be 'other, specify'",
           "keep 'other: true' on one option")
    for i, o in enumerate(q.options):
        if o.exclusive and o.other:
            at("question", q.id, ["options", i], f"options[{i + 1}]",
               "an option cannot be both exclusive and 'other, specify'", "keep one of them")
        if o.exclusive and q.type != "select_multiple":
            at("question", q.id, ["options", i, "exclusive"], f"options[{i + 1}].exclusive",
               f"'exclusive' only matters in a select_multiple; this is a {q.type}",
               "remove 'exclusive: true'", severity="warning")
    if q.max_choices and options and q.max_choices >= len(options):
        at("question", q.id, ["max_choices"], "max_choices",
           f"max_choices {q.max_choices} allows every one of the {len(options)} options",
           "lower it or remove it", severity="warning")
