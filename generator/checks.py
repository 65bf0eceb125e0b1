"""Checks across records: references resolve, every question meets the minimum criteria, no
value still says TODO.

References, TODOs and minimum-criteria texts are checked on each file's YAML values, not on
its typed record: a schema error elsewhere in a file (a wrong `type`, a repeated option code)
makes the record None, and must not hide a misspelt partner id in the same file.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from . import process_checks
from .check_memo import CheckMemo
from .errors_text import describe, field_path
from .i18n.validate import translation_problems
from .loaded import Loaded, Source
from .mockup.sentence import template_problems
from .mockup.spec import disaggregation_problems, period_problems, spec_problems
from .models import MODELS, SINGLE_FILES, Dataset, Question
from .models.common import ID_RE
from .problems import Problem, listed, shown

if TYPE_CHECKING:
    from .parse_memo import ParseMemo

# Words people type when they have not yet documented something.
PLACEHOLDER_TEXTS = {"tbd", "tbc", "todo", "n/a", "na", "-", "?", "...", "xxx", "to be defined"}
# A question is not collected unless these say something ("each dataset is either
# consistently analysed or not collected").
CRITERIA_FIELDS = (
    "purpose", "use", "criteria.not_available_elsewhere", "criteria.methodology_adequate",
    "criteria.analysis_capacity", "analysis.descriptive",
)
# A value still to fill in: "TODO", "TODO: ...", or a placeholder code such as todo_1
# (what `toolkit new` writes).
TODO_RE = re.compile(r"^\s*todo(?![a-z])", re.I)

Loc = tuple[str | int, ...]
EACH = "*"  # every item of a list
KEYS = "<keys>"  # every key of a mapping

# kind -> where its records refer to other records: (path in the file, target kind).
REFERENCES: dict[str, list[tuple[tuple[str, ...], str]]] = {
    "question": [
        (("sector",), "sector"),
        (("requested_by", EACH), "partner"),
        (("analysis", "analysed_by", EACH), "partner"),
        (("sharing", "partners", EACH), "partner"),
        (("key_informant", EACH), "key-informant"),
        (("needs", EACH), "need"),
        (("verification", "verified_by", EACH, "partner"), "partner"),
    ],
    "need": [(("raised_by", EACH), "partner")],
    "product": [(("checklist", EACH, "item"), "checklist-item"), (("dataset",), "dataset")],
    "feedback": [(("by", EACH), "partner"), (("question",), "question"),
                 (("dataset",), "dataset")],
    "use-review": [(("entries", EACH, "question"), "question"),
                   (("entries", EACH, "partner"), "partner")],
    "dataset": [(("questions", EACH), "question"), (("sharing", "partners", EACH), "partner")],
    "partner": [(("roles", KEYS), "step")],
    "sectors": [(("sectors", EACH, "coordinated_by", EACH), "partner")],
    "analysis-plan": [(("sign_off", EACH, "partner"), "partner")],
}
# target kind -> (what it is called, where its ids are)
TARGETS = {
    "partner": ("partner", "kb/partners/ (file names)"),
    "question": ("question", "kb/questions/ (file names)"),
    "need": ("information need", "kb/needs/ (file names)"),
    "dataset": ("dataset", "kb/datasets/ (file names)"),
    "sector": ("sector", "kb/sectors.yml"),
    "step": ("process step", "kb/process.yml"),
    "key-informant": ("key informant type", "msla.key_informant_types in kb/country.yml"),
    "checklist-item": ("checklist item", "kb/checklist.yml"),
}
# Where the ids of the targets defined inside single files are: (kind, path).
DEFINED_IN = {
    "sector": ("sectors", ("sectors", EACH, "id")),
    "step": ("process", ("steps", EACH, "id")),
    "key-informant": ("country", ("msla", "key_informant_types", EACH, "id")),
    "checklist-item": ("checklist", ("items", EACH, "id")),
}


def values_at(data: Any, pattern: Sequence[str], loc: Loc = ()) -> Iterator[tuple[Loc, Any]]:
    """(location, value) of every value of `data` along `pattern` (EACH/KEYS for wildcards).

    Parts of the wrong shape are skipped: the schema check reports them.
    """
    if not pattern:
        yield loc, data
        return
    head, rest = pattern[0], pattern[1:]
    if head == EACH:
        if isinstance(data, list):
            for i, item in enumerate(data):
                yield from values_at(item, rest, (*loc, i))
    elif head == KEYS:
        if isinstance(data, dict):
            for key in data:
                yield (*loc, str(key)), key
    elif isinstance(data, dict) and head in data:
        yield from values_at(data[head], rest, (*loc, head))


def _id(value: Any) -> str | None:
    """The value as the model reads an id (whitespace stripped), None if it is not one."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value if ID_RE.match(value) else None


# Lowercase letters and digits that read alike in many fonts ("wash-c1uster" for
# "wash-cluster"). Ids are ASCII slugs, so this short list covers them.
# Single characters first, so "c1" becomes "cl" before pairs such as "cl" -> "d" are read.
_LOOKALIKES = (("1", "l"), ("0", "o"), ("rn", "m"), ("vv", "w"), ("cl", "d"))


def _skeleton(text: str) -> str:
    for pair, single in _LOOKALIKES:
        text = text.replace(pair, single)
    return text


def suggest(ref: str, known: Iterable[str]) -> str:
    """A "did you mean" for a misspelt id, or "" when none is safe to offer.

    Only valid ids that exist are offered. None is offered when it looks the same as what was
    typed (the person would see two identical ids) or as another known id: a look-alike
    record planted by someone else must never be the one the message steers a contributor to.
    """
    if not ID_RE.match(ref):
        return ""
    return _closest(ref, sorted({k for k in known if ID_RE.match(k)}))


def _closest(ref: str, candidates: list[str]) -> str:
    """The "did you mean" for ref among candidates, unless a look-alike makes it ambiguous."""
    close = difflib.get_close_matches(ref, candidates, n=1)
    if not close:
        return ""
    best, look = close[0], _skeleton(close[0])
    if _skeleton(ref) == look or any(_skeleton(k) == look for k in candidates if k != best):
        return ""
    return f"did you mean '{best}'? "


def _strings(data: Any, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*loc, str(key)))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _strings(value, (*loc, i))
    elif isinstance(data, str):
        yield loc, data


class Checker:
    def __init__(self, loaded: Loaded, memo: ParseMemo | None = None) -> None:
        self.loaded = loaded
        self.memo = memo
        self.problems: list[Problem] = []
        r = loaded.records
        self.questions: dict[str, Question] = r.get("question", {})
        self.datasets: dict[str, Dataset] = r.get("dataset", {})
        self.singles = {s.kind: s for s in loaded.sources if s.kind in SINGLE_FILES}
        country = self.singles.get("country")
        number = _get(country.doc.data, ("round", "number")) if country else None
        self.round = number if type(number) is int else None
        self.known = {target: self._known(target) for target in TARGETS}

    def _known(self, target: str) -> set[str] | None:
        """Ids a reference to `target` may use; None when the file defining them is unreadable
        or lists none (reported there already, so its references are not reported again)."""
        if target in ("partner", "question", "need", "dataset"):
            typed = set(self.loaded.records.get(target, {}))
            return typed | self.loaded.names.get(target, set())
        kind, pattern = DEFINED_IN[target]
        source = self.singles.get(kind)
        if source is None:
            return None
        ids = {i for _, v in values_at(source.doc.data, pattern) if (i := _id(v))}
        return ids or None

    def add(self, source: Source, loc: Sequence[str | int], fld: str, msg: str, fix: str,
            *, code: str, severity: str = "error") -> None:
        self.problems.append(Problem(source.rel, source.doc.line(loc), fld, msg, fix,
                                     severity, code=code))  # type: ignore[arg-type]

    def at(self, kind: str, rid: str, loc: Sequence[str | int], fld: str, msg: str,
           fix: str, severity: str = "error", *, code: str) -> None:
        doc = self.loaded.docs.get((kind, rid))
        path = self.loaded.rel.get((kind, rid), kind)
        line = doc.line(loc) if doc else 1
        self.problems.append(Problem(path, line, fld, msg, fix, severity,  # type: ignore[arg-type]
                                     code=code))

    def run(self) -> list[Problem]:
        kept = self.memo.checks if self.memo is not None else None
        disk = CheckMemo.of(self.memo)
        fresh: dict[tuple[str, str], Any] = {}
        country = self.loaded.records.get("country")
        country_doc = self.loaded.docs.get(("country", ""))
        country_digest = disk.digest(country_doc, country) if disk is not None else None
        for source in self.loaded.sources:
            self.references(source)  # against the ids of the whole kb: always checked
            digest = disk.digest(source.doc, source.record) if disk is not None else None
            self._per_file(kept, fresh, ("file", source.rel), (source.doc,),
                           (source.kind, self.round), lambda s=source: self._file(s),
                           disk, digest and ("file", digest))
        for q in self.questions.values():
            doc = self.loaded.docs.get(("question", q.id))
            digest = disk.digest(doc, q) if disk is not None else None
            self._per_file(kept, fresh, ("question", q.id), (q, doc, country),
                           (self.loaded.rel.get(("question", q.id)),),
                           lambda q=q: self.question(q), disk,
                           digest and (country_digest or country is None)
                           and ("question", q.id, digest, country_digest))
        if kept is not None:
            kept.clear()
            kept.update(fresh)
        for d in self.datasets.values():
            self.dataset(d)
        process_checks.run(self)
        self.problems.extend(translation_problems(
            self.loaded, self.memo.translations if self.memo is not None else None, disk))
        return self.problems

    def _file(self, source: Source) -> None:
        self.todos(source)
        if source.kind == "question":
            self.question_values(source)

    def _per_file(self, kept: dict[tuple[str, str], Any] | None,
                  fresh: dict[tuple[str, str], Any], key: tuple[str, str],
                  objects: tuple[object, ...], values: tuple[object, ...],
                  check: Callable[[], None], disk: CheckMemo | None = None,
                  inputs: Any = None) -> None:
        """Run check, or (mkdocs serve) reuse what it found in an earlier build while it
        reads the very same parsed objects (the ParseMemo hands back the same ones for a
        file whose bytes are unchanged) and equal values; a new process reads it back from
        the cache folder (check_memo.py) by inputs, the digests of the files it reads (None:
        not kept there)."""
        entry = kept.get(key) if kept is not None else None
        stored = disk.key(*key, values, inputs) if disk is not None and inputs else None
        if (entry is not None and len(entry[0]) == len(objects)
                and all(a is b for a, b in zip(entry[0], objects, strict=True))
                and entry[1] == values):
            found = entry[2]
            self.problems.extend(found)
            if stored is not None:  # its entry in the cache folder stays
                disk.keep(stored)  # type: ignore[union-attr]
        elif stored is not None and (read := disk.get(stored, 1)) is not None:  # type: ignore[union-attr]
            found = read[0]
            self.problems.extend(found)
        else:
            start = len(self.problems)
            check()
            found = self.problems[start:]
            if stored is not None:
                disk.put(stored, [found])  # type: ignore[union-attr]
        fresh[key] = (objects, values, found)

    def references(self, source: Source) -> None:
        for pattern, target in REFERENCES.get(source.kind, ()):
            known = self.known[target]
            if known is None:
                continue
            what, where = TARGETS[target]
            for loc, value in values_at(source.doc.data, pattern):
                ref = _id(value)
                # Not an id at all: the schema check reports it (as invalid-id or wrong-type).
                if ref is None or ref in known:
                    continue
                self.add(source, loc, field_path(loc), f"unknown {what} '{shown(ref)}'",
                         suggest(ref, known) + f"use an id from {where}",
                         code="unknown-reference")

    def todos(self, source: Source) -> None:
        """Every value that still says TODO, with its line: the to-do list of `toolkit new`."""
        model = MODELS.get(source.kind)
        for loc, value in _strings(source.doc.data):
            if not TODO_RE.match(value) or value == "todo":
                # A bare lowercase "todo" is an id reference: reported as an unknown id.
                continue
            fld = field_path(loc)
            if (source.kind == "question" and fld in CRITERIA_FIELDS
                    and value.strip().lower() in PLACEHOLDER_TEXTS):
                continue  # reported as criteria-missing
            hint = describe(model, loc) if model else ""
            what = f" ({hint.rstrip('.')})" if hint else " (the comment above it says what)"
            self.add(source, loc, fld, "not filled in yet (still says TODO)",
                     f"write the real value instead{what}", code="todo-left")

    def question_values(self, source: Source) -> None:
        data = source.doc.data
        for fld in CRITERIA_FIELDS:
            loc = tuple(fld.split("."))
            value = _get(data, loc)
            if isinstance(value, str) and value.strip().lower() in PLACEHOLDER_TEXTS:
                self.add(source, loc, fld,
                         f"'{shown(value.strip())}' does not document it: the question fails "
                         "the minimum criteria",
                         "write what partners agreed, or set 'status: proposed' until they do",
                         code="criteria-missing")
        if self.round is None:
            return
        since = _get(data, ("since_round",))
        if type(since) is int and since > self.round:
            self.add(source, ("since_round",), "since_round",
                     f"round {shown(since)} is after the current round {self.round}",
                     "use the round the question was first asked in", code="round-in-future")
        for loc, value in values_at(data, ("history", EACH, "round")):
            entry = data["history"][loc[1]]
            planned = isinstance(entry, dict) and entry.get("status") == "planned"
            if type(value) is int and value > self.round and not planned:
                self.add(source, loc, field_path(loc),
                         f"round {shown(value)} is after the current round {self.round}",
                         "use a past or the current round, or add 'status: planned' for a "
                         "change planned for a future round", code="round-in-future")

    def question(self, q: Question) -> None:
        """Checks that need the whole typed question."""
        k = "question"
        if q.mockup.chart == "stacked-bar" and not q.analysis.disaggregation:
            self.at(k, q.id, ["mockup", "chart"], "mockup.chart",
                    "a stacked bar needs a disaggregation; a plain bar will be drawn",
                    "add 'disaggregation: [admin1]' under analysis or use 'chart: bar'",
                    severity="warning", code="chart-needs-disaggregation")
        for fld, message in template_problems(q):
            self.at(k, q.id, fld.split("."), fld, message, "", code="placeholder-unknown")
        for loc, fld, message, fix in spec_problems(q):
            self.at(k, q.id, loc, fld, message, fix, code="mockup-spec")
        country = self.loaded.records.get("country")
        for loc, fld, message, fix in disaggregation_problems(q, country) if country else ():
            self.at(k, q.id, loc, fld, message, fix, code="disaggregation-undeclared")
        for loc, fld, message, fix in period_problems(q, country) if country else ():
            self.at(k, q.id, loc, fld, message, fix, code="mockup-spec")

    def dataset(self, d: Dataset) -> None:
        k = "dataset"
        for i, qid in enumerate(d.questions):
            q = self.questions.get(qid)
            if q is None or q.sharing.modality == "public":
                continue
            if d.sharing.modality == "public":
                self.at(k, d.id, ["questions", i], f"questions[{i + 1}]",
                        f"question '{qid}' is {q.sharing.modality} but this dataset is public",
                        f"remove the question from this dataset or share the dataset as "
                        f"{q.sharing.modality}", code="sharing-conflict")
                continue
            # Restricted data may only reach the partners its question's agreement names.
            extra = [p for p in d.sharing.partners if p not in q.sharing.partners]
            if extra:
                self.at(k, d.id, ["questions", i], f"questions[{i + 1}]",
                        f"question '{qid}' may be shared only with "
                        f"{listed(q.sharing.partners)}, but this dataset also goes to "
                        f"{listed(extra)}",
                        "remove those partners from the dataset or add them to the "
                        "question's sharing.partners once they have signed the agreement",
                        code="sharing-conflict")
        if d.link and d.sharing.modality != "public":
            self.at(k, d.id, ["link"], "link", "only public datasets have a public link",
                    "remove 'link' or make the dataset public", code="sharing-conflict")


def _get(data: Any, loc: Sequence[str]) -> Any:
    for part in loc:
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def check_references(loaded: Loaded, memo: ParseMemo | None = None) -> list[Problem]:
    """memo: the files parsed by earlier builds of this process (mkdocs serve), with what
    per-file checks found in them."""
    return Checker(loaded, memo).run() + check_questionnaire(loaded)


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
           severity: str = "error", *, code: str) -> None:
        doc = loaded.docs.get((kind, rid))
        path = loaded.rel.get((kind, rid), kind)
        problems.append(Problem(path, doc.line(loc) if doc else 1, fld, msg, fix,
                                severity, code=code))  # type: ignore[arg-type]

    # questionnaire.yml: ids it lists exist, once; sections are unique.
    listed: set[str] = set()
    if questionnaire is not None:
        section_ids: set[str] = set()
        for i, section in enumerate(questionnaire.sections):
            if section.id in section_ids:
                at("questionnaire", "", ["sections", i, "id"], f"sections[{i + 1}].id",
                   f"section '{section.id}' is defined twice", "give each section its own id",
                   code="questionnaire-structure")
            section_ids.add(section.id)
            for j, item in enumerate(section.items):
                if not isinstance(item, str):
                    continue
                loc: list[str | int] = ["sections", i, "items", j]
                fld = f"sections[{i + 1}].items[{j + 1}]"
                if item not in questions and item not in loaded.names.get("question", set()):
                    at("questionnaire", "", loc, fld, f"unknown question '{item}'",
                       suggest(item, set(questions)) + "use a file name from kb/questions/",
                       code="unknown-reference")
                elif item in listed:
                    at("questionnaire", "", loc, fld, f"question '{item}' is listed twice",
                       "keep it in one place of the questionnaire", code="questionnaire-structure")
                listed.add(item)

    known_sections = {s.id for s in questionnaire.sections} if questionnaire else set()
    for q in questions.values():
        if q.section and q.section not in known_sections:
            at("question", q.id, ["section"], "section", f"unknown section '{q.section}'",
               suggest(q.section, known_sections) + "use a section id from "
               "kb/questionnaire.yml", code="unknown-reference")
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
               "set 'name:' to letters, digits and _ starting with a letter", code="name-clash")
        if name in owner:
            first = loaded.rel.get(owner[name], owner[name][0])
            at(kind, rid, loc, fld, f"name clash: '{name}' is also the name in {first}",
               "set a distinct 'name:' on one of them", code="name-clash")
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
                   "check brackets, quotes and function names against the XLSForm spec",
                   code="invalid-expression")
                continue
            for name in sorted(references(tree)):
                target = by_name.get(name)
                if name not in owner and target is None:
                    at("question", q.id, [fld], fld, f"${{{name}}} is not a question of the kb",
                       suggest_name(name, set(owner) | set(by_name))
                       + "refer to a question by its name (the id with _ for -)",
                       code="expression-reference")
                    continue
                graph.setdefault(own, set()).add(name)
                if target is not None and q.status == "agreed" and target.status != "agreed":
                    at("question", q.id, [fld], fld,
                       f"${{{name}}} is {target.status}: the exported form would not have it",
                       "agree both questions, or remove the reference", code="expression-reference")
                if target is not None and not q.is_confidential and target.is_confidential:
                    at("question", q.id, [fld], fld,
                       f"${{{name}}} is confidential: the public form cannot include this rule",
                       "make both questions confidential, or remove the reference",
                       code="expression-reference")
                if (fld != "calculation" and name != own and name in order and own in order
                        and order[name] > order[own]):
                    at("question", q.id, [fld], fld,
                       f"${{{name}}} comes later in the form than this question",
                       "refer only to questions asked before this one, or move it in "
                       "kb/questionnaire.yml", code="expression-reference")
            if fld == "choice_filter":
                columns = {"name", "label"} | {k for o in _options(q, choice_lists)
                                               for k in o.filters}
                for e in walk(tree):
                    if isinstance(e, Path) and e.name not in columns:
                        at("question", q.id, [fld], fld,
                           f"'{e.name}' is not a column of this question's options",
                           "add it under 'filters:' of each option, e.g. filters: {admin1: VL01}",
                           code="expression-reference")
    if questionnaire is not None:
        secret = {q.var_name for q in questions.values() if q.is_confidential}
        for i, section in enumerate(questionnaire.sections):
            for key in ("relevant", "repeat_count"):
                _check_loose(at, getattr(section, key), ["sections", i, key],
                             f"sections[{i + 1}].{key}", owner, by_name, secret)
            for j, item in enumerate(section.items):
                if isinstance(item, Note):
                    _check_loose(at, item.relevant, ["sections", i, "items", j, "relevant"],
                                 f"sections[{i + 1}].items[{j + 1}].relevant", owner, by_name,
                                 secret)
                elif isinstance(item, Calculate):
                    _check_loose(at, item.calculation,
                                 ["sections", i, "items", j, "calculation"],
                                 f"sections[{i + 1}].items[{j + 1}].calculation", owner, by_name,
                                 secret)
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
                   "a question cannot depend, directly or not, on itself", code="expression-cycle")

    languages = [lang.code for lang in country.form_languages] if country else []
    others = languages[1:]
    # The website's languages (generator/i18n/) may translate a question too.
    site = {lang.code for lang in country.site_languages[1:]} if country else set()
    library = r.get("library")
    if country is None and library is not None:
        # A library kb: its questions may carry translations into its languages, which
        # adopting countries use for the texts they take unchanged (library/adoption.py).
        languages, others, site = list(library.languages[:1]), [], set(library.languages[1:])
    for q in questions.values():
        _check_numbers(at, q)
        _check_options(at, q, choice_lists)
        for code in q.translations:
            if code not in languages and code not in site:
                at("question", q.id, ["translations", code], f"translations.{code}",
                   f"'{code}' is not a form language of kb/country.yml"
                   if code not in languages[:1] else f"'{code}' is the source language",
                   "add it to form_languages in kb/country.yml, or remove it",
                   code="missing-translation")
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
                   f"add translations: {{{code}: {{{f}: ...}}}}", severity="warning",
                   code="missing-translation")
            untranslated = [o.code for o in q.options if code not in o.translations]
            untranslated += [str(s.code) for s in q.special_codes if code not in s.translations]
            if untranslated:
                at("question", q.id, ["options"] if q.options else ["special_codes"],
                   "options", f"missing {code} label of {', '.join(untranslated)}",
                   f"add translations: {{{code}: ...}} to each", severity="warning",
                   code="missing-translation")
    for lid, lst in choice_lists.items():
        for code in others:
            untranslated = [o.code for o in lst.options if code not in o.translations]
            if untranslated:
                at("choices", lid, ["options"], "options",
                   f"missing {code} label of {', '.join(untranslated)}",
                   f"add translations: {{{code}: ...}} to each", severity="warning",
                   code="missing-translation")
    return problems


def suggest_name(ref: str, known: Iterable[str]) -> str:
    """suggest() for XLSForm names (letters, digits, _ . -), with its look-alike guard."""
    return _closest(ref, sorted(set(known)))


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


def _check_loose(at, text, loc, fld, owner, by_name,  # type: ignore[no-untyped-def]
                 secret) -> None:
    """An expression of questionnaire.yml: valid, and its references known."""
    from .expressions import ExpressionError, parse, references

    if not text:
        return
    try:
        tree = parse(text)
    except ExpressionError as err:
        at("questionnaire", "", loc, fld, f"invalid expression: {err}",
           "check brackets, quotes and function names against the XLSForm spec",
           code="invalid-expression")
        return
    for name in sorted(references(tree)):
        if name not in owner and name not in by_name:
            at("questionnaire", "", loc, fld, f"${{{name}}} is not a question of the kb",
               suggest_name(name, set(owner)) + "refer to a question by its name",
               code="expression-reference")
        elif name in secret:
            # The public form leaves confidential questions out: the rule would break it.
            at("questionnaire", "", loc, fld,
               f"${{{name}}} is confidential: the public form cannot include this rule",
               "refer only to public questions here", code="expression-reference")


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
    # A unit may describe a text or choice answer too (bands of minutes); a range may not.
    for fld in ("min", "max", "special_codes"):
        if getattr(q, fld) not in (None, []) and not numeric:
            at("question", q.id, [fld], fld, f"a {q.type} question has no '{fld}'",
               "remove it or make the question integer/decimal", code="number-range")
    if q.min is not None and q.max is not None and q.min > q.max:
        at("question", q.id, ["min"], "min", f"min {q.min:g} is larger than max {q.max:g}",
           "swap them or fix the range", code="number-range")
    if q.type == "integer":
        for fld in ("min", "max"):
            value = getattr(q, fld)
            if value is not None and value != int(value):
                at("question", q.id, [fld], fld, f"an integer question cannot have {fld} "
                   f"{value:g}", "use a whole number or type decimal", code="number-range")
    codes = [s.code for s in q.special_codes]
    for i, s in enumerate(q.special_codes):
        if codes.count(s.code) > 1:
            at("question", q.id, ["special_codes", i], f"special_codes[{i + 1}]",
               f"special code {s.code} is repeated", "keep one", code="number-range")
        if q.min is not None and q.max is not None and q.min <= s.code <= q.max:
            at("question", q.id, ["special_codes", i], f"special_codes[{i + 1}]",
               f"special code {s.code} is inside the range {q.min:g} to {q.max:g}: it "
               "cannot be told apart from a real answer", "use a code outside the range",
               code="number-range")


def _check_options(at, q: Question, choice_lists: dict) -> None:  # type: ignore[no-untyped-def]
    if q.choices and q.choices not in choice_lists:
        at("question", q.id, ["choices"], "choices", f"unknown choice list '{q.choices}'",
           suggest(q.choices, set(choice_lists)) + "use a file name from kb/choices/",
           code="unknown-reference")
    options = _options(q, choice_lists)
    if q.max_choices is not None and q.type != "select_multiple":
        at("question", q.id, ["max_choices"], "max_choices",
           f"a {q.type} question has one answer: 'max_choices' applies to select_multiple",
           "remove it", code="option-rule")
    others = [i for i, o in enumerate(q.options) if o.other]
    if len(others) > 1:
        at("question", q.id, ["options", others[1], "other"],
           f"options[{others[1] + 1}].other", "only one option can be 'other, specify'",
           "keep 'other: true' on one option", code="option-rule")
    for i, o in enumerate(q.options):
        if o.exclusive and o.other:
            at("question", q.id, ["options", i], f"options[{i + 1}]",
               "an option cannot be both exclusive and 'other, specify'", "keep one of them",
               code="option-rule")
        if o.exclusive and q.type != "select_multiple":
            at("question", q.id, ["options", i, "exclusive"], f"options[{i + 1}].exclusive",
               f"'exclusive' only matters in a select_multiple; this is a {q.type}",
               "remove 'exclusive: true'", severity="warning", code="option-rule")
    if q.max_choices and options and q.max_choices >= len(options):
        at("question", q.id, ["max_choices"], "max_choices",
           f"max_choices {q.max_choices} allows every one of the {len(options)} options",
           "lower it or remove it", severity="warning", code="option-rule")
