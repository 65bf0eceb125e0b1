"""A country question that adopts a library question: the library's record, the country's own
fields, and overrides of what the country contextualised, each with its reason.

    id: wash-water-source
    sector: wash
    adopts: wash-main-drinking-water-source    # the library question
    requested_by: [wash-cluster]                # country fields, set directly
    analysis: {analysed_by: [dtm, wash-cluster]}
    sharing: {modality: public}
    overrides:
      text:
        value: What is the main source of drinking water for most IDPs in this location?
        reason: Partners need the IDPs' source, not the host community's.

The effective question is validated with the country Question model; an override of the
wording, type or reply options is a deviation (diff.compare's comparability rules): answers
are then not comparable with other countries that ask the library question as it is.
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from ..checks import PLACEHOLDER_TEXTS, TODO_RE
from ..comparability import FieldChange, compare_question, options_change
from ..errors_text import explain, field_path
from ..models import ChoiceList, Question
from ..models.library import COUNTRY_ONLY
from ..problems import Problem, shown
from ..yamlio import YamlDoc
from .loading import Library

# Country fields: what a country sets directly, with no reason (who asked, who analyses, its
# key-informant types, sharing, its evidence for the minimum criteria, its rounds; from the
# questionnaire, what depends on its own form). Dotted: inside a group.
COUNTRY_FIELDS = frozenset({
    "id", "sector", *COUNTRY_ONLY, "status", "criteria",
    "analysis.analysed_by", "analysis.frequency", "analysis.tools",
    # How the country's own form implements it (XLSForm fields), when the model has them:
    # its variable names, skip logic, form languages, ranges and Data Dictionary entry.
    "name", "required", "relevant", "choice_filter", "appearance", "default", "constraint",
    "constraint_message", "calculation", "min", "max", "unit", "special_codes", "choices",
    "max_choices", "list_name", "specify_label", "unit_of_analysis", "tier", "indicator",
    "translations", "section",
})
ADOPTION_KEYS = frozenset({"adopts", "overrides"})
# Library-only fields: guidance, not part of the question as asked.
LIBRARY_ONLY = ("companion", "added_in")


@dataclass(frozen=True)
class Difference:
    """One field where the country question differs from the library question."""

    field: str  # dotted path, e.g. options or mockup.sentence
    library: Any
    country: Any
    reason: str
    deviation: bool  # breaks comparability with the library question (wording, type, options)
    notes: tuple[str, ...] = ()

    @property
    def library_text(self) -> str:
        return as_text(self.library)

    @property
    def country_text(self) -> str:
        return as_text(self.country)


@dataclass(frozen=True)
class Adopted:
    question_id: str
    library_id: str
    library_version: str
    differences: tuple[Difference, ...]

    @property
    def deviations(self) -> list[Difference]:
        return [d for d in self.differences if d.deviation]

    @property
    def comparable(self) -> bool:
        return not self.deviations


@dataclass(frozen=True)
class ChoiceUse:
    """A country question asked with a shared choice list (kb/choices/) in place of the
    library's inline options: compared once every list is read (Adoptions.check_choices)."""

    rel: str
    line: int
    field: str  # choices, or overrides.choices
    list_id: str
    library_id: str
    library_options: list[dict[str, Any]]
    reason: str | None  # from 'overrides: choices: {value, reason}'


def as_text(value: Any) -> str:
    """A field's value as one line of plain text (pages, exports): options as their labels."""
    if value is None or value == [] or value == {}:
        return "(none)"
    if isinstance(value, list):
        return "; ".join(
            f"{v.get('label', '')} ({v.get('code', '')})" if isinstance(v, dict) and "code" in v
            else as_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {as_text(v)}" for k, v in value.items())
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def field_model(path: str, model: type[BaseModel] = Question) -> type[BaseModel] | bool:
    """True if `path` (dotted) is a field of the model; its sub-model for a group; False if
    there is no such field."""
    current: type[BaseModel] = model
    parts = path.split(".")
    for i, part in enumerate(parts):
        info = current.model_fields.get(part)
        if info is None:
            return False
        sub = _record_type(info.annotation)
        if i == len(parts) - 1:
            return sub or True
        if sub is None:
            return False
        current = sub
    return True


def _record_type(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) is not None:
        for arg in get_args(annotation):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                return arg
    return None


def is_country_field(path: str) -> bool:
    return path in COUNTRY_FIELDS or path.split(".")[0] in COUNTRY_FIELDS


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for part in parents:
        if not isinstance(data.get(part), dict):
            data[part] = {}
        data = data[part]
    data[last] = copy.deepcopy(value)


def _get(data: Any, path: Sequence[str]) -> Any:
    for part in path:
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def _without_translations(value: Any) -> Any:
    """The value as the library words it: reply options as their codes and labels only. How
    the country's form implements them (label translations, exclusive or other-specify
    flags, choice filters) is the country's to write."""
    if isinstance(value, list):
        return [_without_translations(v) for v in value]
    if isinstance(value, dict):
        if "code" in value and "label" in value:
            return {"code": value["code"], "label": value["label"]}
        return {k: _without_translations(v) for k, v in value.items() if k != "translations"}
    return value


def _no_reason(value: Any) -> bool:
    return not isinstance(value, str) or not value.strip() \
        or value.strip().lower() in PLACEHOLDER_TEXTS or TODO_RE.match(value) is not None


class Adoptions:
    """Resolves the adopting questions of one country kb against its library."""

    def __init__(self, library: Library | None, *, broken: bool = False,
                 languages: frozenset[str] = frozenset()) -> None:
        self.library = library
        # The country's languages other than its source ones: the library's translations
        # into these are used where the country gives none (others would be errors there).
        self.languages = languages
        # The library declaration has errors (reported there): adopting questions are
        # skipped rather than each reported again.
        self.broken = broken
        self.adopted: dict[str, Adopted] = {}
        self.choice_uses: dict[str, ChoiceUse] = {}

    def parse(self, rel: str, doc: YamlDoc) -> tuple[Question | None, list[Problem]]:
        problems: list[Problem] = []

        def problem(loc: Sequence[str | int], fld: str, message: str, fix: str, code: str,
                    ) -> None:
            problems.append(Problem(rel, doc.line(loc), fld, message, fix, code=code))

        data: dict[str, Any] = doc.data
        lid = data.get("adopts")
        if self.broken:
            return None, problems
        if self.library is None:
            problem(["adopts"], "adopts", "this kb declares no library to adopt from",
                    "add 'library: {path: ../library}' to kb/country.yml", "library-not-found")
            return None, problems
        lib_q = self.library.questions.get(lid) if isinstance(lid, str) else None
        if lib_q is None:
            close = difflib.get_close_matches(str(lid), self.library.questions, n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            problem(["adopts"], "adopts",
                    f"library {shown(self.library.info.id)} {self.library.info.version} has "
                    f"no question '{shown(lid)}'",
                    hint + "use an id from `toolkit library search WORDS`",
                    "library-unknown-question")
            return None, problems
        lib_data = self.library.docs[lib_q.id].data
        base = {k: copy.deepcopy(v) for k, v in lib_data.items() if k not in LIBRARY_ONLY}
        # The library's own translations of what it provides (its translations and the Data
        # Dictionary labels), kept aside: the country's `translations` replace base's below.
        library_translations = {lang: block for lang, block
                                in _library_translations(lib_data).items()
                                if lang in self.languages}
        _label_options(base, lib_data, self.languages)
        # Country fields: set directly, replacing the library's suggestion if it has one.
        for key, value in data.items():
            if key in ADOPTION_KEYS:
                continue
            self._country_value(key, [key], value, base, lib_data, lib_q.id, problem)
        effective = copy.deepcopy(base)
        overrides = data.get("overrides") or {}
        reasons: dict[str, str] = {}
        if not isinstance(overrides, dict):
            problem(["overrides"], "overrides", "overrides must be 'field: {value, reason}' "
                    "entries", "see CONTRIBUTING.md, 'Adopting a library question'",
                    "wrong-type")
            overrides = {}
        choices_reason: str | None = None
        for path, entry in overrides.items():
            loc = ["overrides", path]
            fld = f"overrides.{shown(path)}"
            if not isinstance(path, str) or field_model(path) is False:
                close = difflib.get_close_matches(str(path), _all_fields(), n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                problem(loc, fld, f"questions have no field '{shown(path)}'",
                        hint + "override a field of the question (text, options, hint, "
                        "mockup.sentence...)", "override-unknown-field")
                continue
            # A shared list whose options differ from the library's is a deviation like
            # changed inline options: it is overridden, with its reason.
            if is_country_field(path) and path != "choices":
                problem(loc, fld, f"'{path}' is a country field: it needs no override",
                        f"set '{path}' directly, outside 'overrides:'", "override-unknown-field")
                continue
            if not isinstance(entry, dict) or "value" not in entry:
                problem(loc, fld, "an override needs 'value:' and 'reason:'",
                        "write the new value under 'value:' and why under 'reason:'",
                        "missing-field")
                continue
            extra = sorted(set(entry) - {"value", "reason"})
            if extra:
                problem(loc + [extra[0]], f"{fld}.{shown(extra[0])}",
                        f"an override holds only 'value' and 'reason', not '{shown(extra[0])}'",
                        "remove it", "unknown-key")
            if _no_reason(entry.get("reason")):
                problem(loc + (["reason"] if "reason" in entry else []), f"{fld}.reason",
                        "an override needs the reason the country changed the library's "
                        "value", "write why partners changed it (context, language, "
                        "population...)", "override-without-reason")
            elif path == "choices":
                choices_reason = entry["reason"].strip()
            else:
                reasons[path] = entry["reason"].strip()
            _set(effective, path, entry["value"])
            if path == "choices" and entry["value"]:
                effective.pop("options", None)
        if problems:
            return None, problems
        effective["translations"] = _merged_translations(
            library_translations, data.get("translations"), set(map(str, overrides)))
        if not effective["translations"]:
            del effective["translations"]
        try:
            question = Question.model_validate(effective)
        except ValidationError as exc:
            for err in exc.errors():
                code, message, fix = explain(Question, err)
                loc = tuple(err["loc"])
                where = self._where(loc, data, overrides)
                if where is None:
                    message = f"(from library question {lib_q.id}) {message}"
                    where = ["adopts"]
                problem(where, field_path(loc), message, fix, code)
            return None, problems
        self.adopted[question.id] = Adopted(
            question.id, lib_q.id, self.library.info.version,
            self._differences(base, question, reasons))
        if question.choices:
            overridden = "choices" in overrides
            loc = ["overrides", "choices", "value"] if overridden else ["choices"]
            self.choice_uses[question.id] = ChoiceUse(
                rel, doc.line(loc), "overrides.choices" if overridden else "choices",
                question.choices, lib_q.id,
                [{"code": o.code, "label": o.label} for o in lib_q.options], choices_reason)
        return question, problems

    def check_choices(self, lists: Mapping[str, ChoiceList]) -> list[Problem]:
        """Compare each shared list with the library options it replaces, by the rules of
        inline options: a difference needs its reason, and changed options are a deviation.
        Runs once the kb's lists are read (an unknown list is reported by the checks)."""
        problems = []
        for qid, use in self.choice_uses.items():
            lst = lists.get(use.list_id)
            adopted = self.adopted.get(qid)
            if lst is None or adopted is None:
                continue
            change = options_change(use.library_options,
                                    [{"code": o.code, "label": o.label} for o in lst.options])
            if change is None:
                continue
            if use.reason is None:
                what = ("its options in another order" if not change.breaking
                        else _plain_option_changes(use.library_options, change.after))
                problems.append(Problem(
                    use.rel, use.line, use.field,
                    f"shared list '{shown(use.list_id)}' (kb/choices/) differs from the options "
                    f"of library question {use.library_id}: {what}"
                    + ("" if not change.breaking else "; a deviation that breaks comparability"),
                    f"to keep it, write it under 'overrides:' as 'choices: {{value: "
                    f"{shown(use.list_id)}, reason: ...}}' with why partners changed the "
                    "options, or use a list with the library's options",
                    code="override-without-reason"))
                continue
            self.adopted[qid] = replace(adopted, differences=(*adopted.differences, Difference(
                "options", change.before, change.after, use.reason, change.breaking,
                tuple(change.notes))))
        return problems

    @staticmethod
    def _country_value(path: str, loc: list[str], value: Any, base: dict[str, Any],
                       lib_data: dict[str, Any], lid: str, problem: Any) -> None:
        if is_country_field(path):
            _set(base, path, value)
            if path == "choices" and value:
                # The country asks it with a shared choice list (kb/choices/) in place of
                # the library's inline options.
                base.pop("options", None)
        elif isinstance(value, dict) and isinstance(field_model(path), type):
            # A group (analysis, mockup): its country fields set, its library fields restated.
            for sub, subvalue in value.items():
                Adoptions._country_value(f"{path}.{sub}", [*loc, sub], subvalue, base,
                                         lib_data, lid, problem)
        elif field_model(path) is False:
            close = difflib.get_close_matches(path, _all_fields(), n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            problem(loc, path, f"questions have no field '{shown(path)}'",
                    hint + "remove it", "unknown-key")
        elif _without_translations(value) == _without_translations(
                _get(lib_data, path.split("."))):
            # The library's value restated (with the country's translations of its labels,
            # which are the country's to write): the country's copy is used.
            _set(base, path, value)
        elif isinstance(value, str) and _no_reason(value):
            pass  # still says TODO / TBD: the checks report it once (todo-left, criteria)
        else:
            problem(loc, path, f"'{path}' comes from library question {lid}",
                    f"to change it, move it under 'overrides:' as '{path}: "
                    "{value: ..., reason: ...}'", "library-field-set")

    @staticmethod
    def _where(loc: tuple[Any, ...], data: dict[str, Any], overrides: dict[str, Any],
               ) -> list[Any] | None:
        dotted = [str(p) for p in loc]
        for path in overrides:
            parts = str(path).split(".")
            if dotted[: len(parts)] == parts:
                return ["overrides", path, "value", *loc[len(parts):]]
        if loc and (_get(data, [str(p) for p in loc[:1]]) is not None
                    or is_country_field(str(loc[0]))):
            return list(loc)
        return None

    @staticmethod
    def _differences(base: dict[str, Any], question: Question, reasons: dict[str, str],
                     ) -> tuple[Difference, ...]:
        if not reasons:
            return ()
        try:
            as_library = Question.model_validate(base)
        except ValidationError:
            # The library's record with the country's fields does not validate alone (e.g.
            # the type is overridden together with the options): compare raw values.
            return tuple(Difference(p, _get(base, p.split(".")), None, r, _breaking(p))
                         for p, r in reasons.items())
        out = []
        for change in compare_question(as_library, question):
            reason = next((r for p, r in reasons.items()
                           if change.name == p or change.name.startswith(p + ".")
                           or p.startswith(change.name + ".")), None)
            if reason is None:
                continue
            out.append(Difference(change.name, change.before, change.after, reason,
                                  change.breaking, tuple(change.notes)))
        return tuple(out)


def _library_translations(lib_data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """lang -> the library question's texts in that language: its `translations`, and the
    wording from the Data Dictionary labels (companion.labels.<lang>.text) where those give
    none."""
    out: dict[str, dict[str, Any]] = {}
    raw = lib_data.get("translations")
    if isinstance(raw, dict):
        for lang, block in raw.items():
            if isinstance(block, dict):
                out[str(lang)] = {k: copy.deepcopy(v) for k, v in block.items()
                                  if k != "source_hash"}  # fingerprints of the library's texts
    labels = _get(lib_data, ["companion", "labels"])
    if isinstance(labels, dict):
        for lang, label in labels.items():
            text = label.get("text") if isinstance(label, dict) else None
            if isinstance(text, str) and text.strip():
                out.setdefault(str(lang), {}).setdefault("text", text)
    return out


def _label_options(base: dict[str, Any], lib_data: dict[str, Any],
                   languages: frozenset[str]) -> None:
    """The library's reply options with their Data Dictionary labels as translations, where
    the option has none of its own. A country restating or overriding the options replaces
    them (and their translations) with its own."""
    labels = _get(lib_data, ["companion", "labels"])
    options = base.get("options")
    if not isinstance(labels, dict) or not isinstance(options, list):
        return
    for option in options:
        if not isinstance(option, dict):
            continue
        for lang, label in labels.items():
            if lang not in languages:
                continue
            text = _get(label, ["options", str(option.get("code"))])
            if isinstance(text, str) and text.strip():
                tr = option.setdefault("translations", {})
                if isinstance(tr, dict):
                    tr.setdefault(str(lang), text)


def _merged_translations(library: dict[str, dict[str, Any]], country: Any,
                         overridden: set[str]) -> dict[str, Any]:
    """The effective question's translations: the library's for the texts it provides, the
    country's over them. A text the country overrides keeps only the country's translation:
    the library's translates the library's wording, not the country's."""
    merged: dict[str, Any] = {}
    for lang, block in library.items():
        kept: dict[str, Any] = {}
        for key, value in block.items():
            if key in overridden:
                continue
            if isinstance(value, dict):  # a group: analysis, mockup, criteria, sharing
                value = {k: v for k, v in value.items() if f"{key}.{k}" not in overridden}
                if not value:
                    continue
            kept[key] = value
        if kept:
            merged[lang] = kept
    for lang, block in (country.items() if isinstance(country, dict) else ()):
        if not isinstance(block, dict) or not isinstance(merged.get(lang), dict):
            merged[lang] = copy.deepcopy(block)
            continue
        out = merged[lang]
        for key, value in block.items():
            if isinstance(value, dict) and isinstance(out.get(key), dict):
                out[key] = {**out[key], **copy.deepcopy(value)}
            else:
                out[key] = copy.deepcopy(value)
    return merged


def _plain_option_changes(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> str:
    """Which option codes were added, removed or relabelled, for an error message."""
    old = {o["code"]: o["label"] for o in before}
    new = {o["code"]: o["label"] for o in after}
    parts = []
    for label, codes in (("added", [c for c in new if c not in old]),
                         ("removed", [c for c in old if c not in new]),
                         ("relabelled", [c for c in new if c in old and new[c] != old[c]])):
        if codes:
            parts.append(f"{label} " + ", ".join(shown(c) for c in codes))
    return "; ".join(parts)


def _breaking(path: str) -> bool:
    return FieldChange(path, None, None).breaking


def _all_fields(model: type[BaseModel] = Question, prefix: str = "") -> list[str]:
    out = []
    for name, info in model.model_fields.items():
        out.append(prefix + name)
        sub = _record_type(info.annotation)
        if sub is not None and name != "options":
            out += _all_fields(sub, f"{prefix}{name}.")
    return out
