"""One false assessment of the country: the same assessed units answer every question.

The units (locations, by admin1/admin2, population group, location type and main key
informant type) are drawn once per country and round, in the number the round plans, so
every mock-up counts the same units and n agrees across pages. Questions whose unit of
analysis is below the location (key informants, households, people) are answered by units
of that level, drawn once too, each in a location and sharing its admin area, population
group and location type: every key-informant question counts the same key informants.
Each question's answers are drawn for those units from a generator seeded by the question
id (adding a question changes no other question's data), and a question with skip logic is
answered only by the units whose earlier false answers satisfy its `relevant` rule.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TypeVar

import numpy as np

from .. import expressions
from ..models import Country, Question
from ..models.country import CountRange
from ..models.question import Option
from . import falsedata
from .spec import DEFAULT_UNITS, ChoiceSpec, choice_spec, date_period, number_spec

CHOICE = ("select_one", "yes_no")
T = TypeVar("T")


def rng_for(*parts: str) -> np.random.Generator:
    """A generator seeded from text alone: same text, same draws, in any process.

    Python's hash() is salted per process, so the seed comes from sha256 instead.
    """
    digest = hashlib.sha256("/".join(("country-toolkit/mockup", *parts)).encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:16], "big"))


@dataclass(frozen=True)
class Dimension:
    key: str  # the disaggregation name (admin1, population_group...)
    title: str  # what a group is called on the page
    names: tuple[str, ...]
    index: np.ndarray  # group of each unit


@dataclass(frozen=True)
class Units:
    n: int
    dimensions: dict[str, Dimension]
    admin1_pcode: tuple[str, ...]  # per unit, for the dataset
    admin2_pcode: tuple[str, ...]
    site: np.ndarray  # bool per unit: the location is a displacement site


def _weights(rng: np.random.Generator, k: int, spread: float = 0.5) -> np.ndarray:
    w = rng.lognormal(0.0, spread, k)
    return w / w.sum()


def _draw_units(country: Country) -> Units:
    rng = rng_for(country.iso3, str(country.round.number), "units")
    n = country.round.planned_units or DEFAULT_UNITS
    levels = {a.level: a.name for a in country.msla.admin_levels}
    dims: dict[str, Dimension] = {}
    a1 = rng.choice(len(country.admin1), n, p=_weights(rng, len(country.admin1)))
    dims["admin1"] = Dimension("admin1", levels.get(1, "Admin 1"),
                               tuple(a.name for a in country.admin1), a1)
    a1_pcode = tuple(country.admin1[i].pcode for i in a1)
    admin2 = [(i, d) for i, a in enumerate(country.admin1) for d in a.admin2]
    if admin2:
        a2 = np.zeros(n, dtype=np.int64)
        for i in range(len(country.admin1)):
            members = [j for j, (parent, _) in enumerate(admin2) if parent == i]
            mask = a1 == i
            if members:
                a2[mask] = rng.choice(members, int(mask.sum()), p=_weights(rng, len(members)))
        dims["admin2"] = Dimension("admin2", levels.get(2, "Admin 2"),
                                   tuple(d.name for _, d in admin2), a2)
        has = {i for i, _ in admin2}
        a2_pcode = tuple(admin2[j][1].pcode if a1[u] in has else ""
                         for u, j in enumerate(a2.tolist()))
    else:
        a2_pcode = ("",) * n
    groups = country.msla.target_population
    pop = rng.choice(len(groups), n, p=_weights(rng, len(groups)))
    dims["population_group"] = Dimension("population_group", "Population group",
                                         tuple(groups), pop)
    types = country.msla.location_types
    site = np.zeros(n, dtype=bool)
    if types:
        given = [t.share for t in types]
        free = max(100.0 - sum(s for s in given if s), 0.0)
        unknown = sum(1 for s in given if not s)
        w = np.array([s if s else free / max(unknown, 1) for s in given]) + 1e-9
        kind = rng.choice(len(types), n, p=w / w.sum())
        dims["location_type"] = Dimension("location_type", "Location type",
                                          tuple(t.label for t in types), kind)
        site = np.array([t.site for t in types])[kind]
    kis = country.msla.key_informant_types
    ki = rng.choice(len(kis), n, p=_weights(rng, len(kis)))
    dims["key_informant_type"] = Dimension("key_informant_type", "Key informant type",
                                           tuple(k.label for k in kis), ki)
    return Units(n, dims, a1_pcode, a2_pcode, site)


def dimension_words(country: Country,
                    gettext: Callable[[str], str]) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Each disaggregation's title and group names as _draw_units makes them, from a country
    in another language (its translated admin levels, groups...) and that language's
    gettext: the same groups, in the same order, named for the page."""
    levels = {a.level: a.name for a in country.msla.admin_levels}
    msla = country.msla
    out = {
        "admin1": (levels.get(1) or gettext("Admin 1"), tuple(a.name for a in country.admin1)),
        "admin2": (levels.get(2) or gettext("Admin 2"),
                   tuple(d.name for a in country.admin1 for d in a.admin2)),
        "population_group": (gettext("Population group"), tuple(msla.target_population)),
        "location_type": (gettext("Location type"), tuple(t.label for t in msla.location_types)),
        "key_informant_type": (gettext("Key informant type"),
                               tuple(k.label for k in msla.key_informant_types)),
    }
    return out


@lru_cache(maxsize=16)
def _units_cached(key: str, country_json: str) -> Units:
    return _draw_units(Country.model_validate_json(country_json))


def units_for(country: Country) -> Units:
    return _units_cached(country.iso3, country.model_dump_json())


# Levels of units below the location: (parent level, country field, default range).
SUB_LEVELS = {
    "key_informant": ("location", "key_informants_per_location", (3, 5)),
    "household": ("location", "households_per_location", (8, 12)),
    "individual": ("household", "people_per_household", (1, 9)),
}
ID_PREFIX = {"key_informant": "KI", "household": "HH", "individual": "P"}


@dataclass(frozen=True)
class Level:
    """The units of one level of analysis: locations, or units drawn below them."""

    name: str  # location, key_informant, household, individual
    n: int
    dimensions: dict[str, Dimension]
    location: np.ndarray  # each unit's location (its own index for locations)
    parent: np.ndarray  # each unit's unit at the parent level (household of a person)
    ordinal: np.ndarray  # 1-based position of the unit within its parent


def level_name(question: Question, country: Country) -> str:
    """The level a question's answers are drawn at; sites are locations of a kind."""
    unit = question.unit_of_analysis or country.msla.unit_of_analysis
    return "location" if unit in ("location", "site") else unit


def _location_level(units: Units) -> Level:
    own = np.arange(units.n)
    return Level("location", units.n, units.dimensions, own, own, own + 1)


def _children(rng: np.random.Generator, parents: int, count: CountRange | None,
              default: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """(parent index of each child, 1-based position within its parent), parents in order."""
    low, high = (count.min, count.max) if count else default
    counts = rng.integers(low, high + 1, parents)
    parent = np.repeat(np.arange(parents), counts)
    ordinal = np.arange(parent.size) - np.repeat(np.cumsum(counts) - counts, counts) + 1
    return parent, ordinal


def _draw_level(country: Country, units: Units, name: str, above: Level) -> Level:
    rng = rng_for(country.iso3, str(country.round.number), "level", name)
    _, field_name, default = SUB_LEVELS[name]
    parent, ordinal = _children(rng, above.n, getattr(country.msla, field_name), default)
    location = above.location[parent]
    # A unit shares its location's place, population group and type.
    dims = {key: replace(dim, index=dim.index[location])
            for key, dim in units.dimensions.items() if key != "key_informant_type"}
    if name == "key_informant":
        main = units.dimensions["key_informant_type"]
        kinds = len(main.names)
        # The location's main informant comes first, then other types without repeats
        # (weighted sampling without replacement: the largest u ** (1 / w) first).
        w = _weights(rng, kinds)
        keys = rng.random((units.n, kinds)) ** (1 / w)
        keys[np.arange(units.n), main.index] = 2.0
        order = np.argsort(-keys, axis=1, kind="stable")
        kind = order[location, (ordinal - 1) % kinds]
        dims["key_informant_type"] = replace(main, index=kind)
    return Level(name, int(parent.size), dims, location, parent, ordinal)


@lru_cache(maxsize=16)
def _level_cached(key: str, country_json: str, name: str) -> Level:
    country = Country.model_validate_json(country_json)
    units = units_for(country)
    if name not in SUB_LEVELS:
        return _location_level(units)
    above = _level_cached(key, country_json, SUB_LEVELS[name][0])
    return _draw_level(country, units, name, above)


def level_for(country: Country, name: str) -> Level:
    return _level_cached(country.iso3, country.model_dump_json(), name)


@dataclass(frozen=True)
class Answers:
    """One question's false answers, one entry per unit; `asked` is False where skipped."""

    question: Question
    asked: np.ndarray  # bool (n,)
    choice: np.ndarray | None = None  # int (n,), -1 where not asked: select_one, yes_no
    chosen: np.ndarray | None = None  # bool (n, k): select_multiple
    value: np.ndarray | None = None  # float (n,), nan where not asked: numbers
    day: np.ndarray | None = None  # datetime64[D] (n,): dates
    theme: np.ndarray | None = None  # int (n,), -1 where not answered: free text
    spec: ChoiceSpec | None = None

    @property
    def n(self) -> int:
        return int(self.asked.sum())

    def odk(self) -> list[object]:
        """Each unit's answer as ODK stores it: what relevance rules see ("" when skipped)."""
        out: list[object] = [""] * self.asked.size
        idx = np.flatnonzero(self.asked).tolist()
        if self.choice is not None and self.spec:
            codes = self.spec.codes
            for i in idx:
                out[i] = codes[self.choice[i]]
        elif self.chosen is not None and self.spec:
            codes = self.spec.codes
            for i in idx:
                out[i] = " ".join(c for c, on in zip(codes, self.chosen[i], strict=True) if on)
        elif self.value is not None:
            for i in idx:
                out[i] = float(self.value[i])
        elif self.day is not None:
            for i in idx:
                out[i] = str(self.day[i])
        elif self.theme is not None:
            for i in idx:
                out[i] = "text" if self.theme[i] >= 0 else ""
        return out


OptionsOf = Callable[[Question], Sequence[Option]]
# Bump when what FalseAssessment.key covers changes.
ANSWERS_FORMAT = 1


@dataclass
class KeptAnswers:
    """Answers drawn by earlier builds of this process (`mkdocs serve`), by question id:
    (key, answers), the key from FalseAssessment.key; and values made from them alone (a
    dataset column), by (question id, name): (key, value)."""

    answers: dict[str, tuple[str, Answers]] = field(default_factory=dict)
    derived: dict[tuple[str, str], tuple[str, object]] = field(default_factory=dict)


class FalseAssessment:
    """The false dataset of one round, drawn question by question on demand.

    kept (`mkdocs serve`): a question's answers from an earlier build are reused while its
    key is the same; the key hashes everything a draw reads (key())."""

    def __init__(self, country: Country, questions: Mapping[str, Question] | None = None,
                 options_of: OptionsOf | None = None, kept: KeptAnswers | None = None) -> None:
        self.country = country
        self.units = units_for(country)
        self.questions = dict(questions or {})
        self.by_name = {q.var_name: q for q in self.questions.values()}
        self.options_of: OptionsOf = options_of or (lambda q: q.options)
        self._answers: dict[str, Answers] = {}
        self._busy: set[str] = set()
        self.kept = kept
        self._keys: dict[str, tuple[Question, str | None]] = {}
        self._country_key: str | None = None

    def drawn_from(self, question: Question) -> Question:
        """The record a question's answers are drawn from (see answers())."""
        source = self.questions.get(question.id)
        if (source is not None and source is not question and source.type == question.type
                and [o.code for o in self.options_of(source)]
                == [o.code for o in (question.options or self.options_of(question))]):
            return source
        return question

    def key(self, question: Question) -> str | None:
        """A hash of everything the question's false answers are drawn from: the country
        (units, levels, round, seed), the question's record and options, and, through its
        `relevant` rule, the keys of the questions the rule reads (their answers decide who
        is asked), recursively. None (never reused) on a cycle, which validation refuses."""
        known = self._keys.get(question.id)
        if known is not None and known[0] is question:
            return known[1]
        if question.id in self._busy:
            return None
        if self._country_key is None:
            self._country_key = hashlib.sha256(
                self.country.model_dump_json().encode()).hexdigest()
        h = hashlib.sha256(f"{ANSWERS_FORMAT}\0{self._country_key}\0".encode())
        # Every field, in the models' order (records are validated models, never partial).
        h.update(f"{type(question).__qualname__}\0{question.model_dump_json()}".encode())
        for option in self.options_of(question):
            h.update(b"\0option\0" + option.model_dump_json().encode())
        result: str | None = None
        self._busy.add(question.id)
        try:
            try:
                names = sorted(expressions.references(expressions.parse(question.relevant))) \
                    if question.relevant else []
            except expressions.ExpressionError:
                names = []
            ok = True
            for name in names:
                parent = self.by_name.get(name)
                parent_key = None if parent is None else self.key(parent)
                if parent is not None and parent_key is None:
                    ok = False
                h.update(f"\0parent\0{name}\0{parent_key}".encode())
            if ok:
                result = h.hexdigest()
        finally:
            self._busy.discard(question.id)
        self._keys[question.id] = (question, result)
        return result

    def level(self, name: str) -> Level:
        return level_for(self.country, name)

    def level_of(self, question: Question) -> Level:
        return self.level(level_name(question, self.country))

    def answers(self, question: Question) -> Answers:
        # A page in another language passes the question translated: its answers are drawn
        # from the source record, so every language shows the same false results (labels
        # steer the draw: "Do not know" stays small), and the page names the options in its
        # own language by their codes (results.choice).
        question = self.drawn_from(question)
        found = self._answers.get(question.id)
        if found is not None and found.question is question:
            return found
        key = self.key(question) if self.kept is not None else None
        kept = self.kept.answers.get(question.id) if self.kept is not None else None
        if key is not None and kept is not None and kept[0] == key:
            answers = replace(kept[1], question=question)
        else:
            answers = self._draw(question)
            if key is not None and self.kept is not None:
                for array in (answers.asked, answers.choice, answers.chosen, answers.value,
                              answers.day, answers.theme):
                    if array is not None:  # shared with later builds: never changed in place
                        array.flags.writeable = False
                self.kept.answers[question.id] = (key, answers)
        self._answers[question.id] = answers
        return answers

    def derived(self, question: Question, name: str, make: Callable[[], T]) -> T:
        """make(), a value made from the question's answers alone; kept with them."""
        source = self.drawn_from(question)
        key = self.key(source) if self.kept is not None else None
        if key is None or self.kept is None:
            return make()
        kept = self.kept.derived.get((source.id, name))
        if kept is not None and kept[0] == key:
            return kept[1]  # type: ignore[return-value]
        value = make()
        self.kept.derived[(source.id, name)] = (key, value)
        return value

    def _relevant(self, question: Question) -> np.ndarray:
        level = self.level_of(question)
        asked = np.ones(level.n, dtype=bool)
        if not question.relevant:
            # A site question without its own rule is asked where the location is a site.
            if question.unit_of_analysis == "site" and "location_type" in self.units.dimensions:
                asked &= self.units.site
            return asked
        if question.id in self._busy:
            return asked
        try:
            expr = expressions.parse(question.relevant)
        except expressions.ExpressionError:
            return asked  # reported by validation
        parents = {}
        self._busy.add(question.id)
        try:
            for name in sorted(expressions.references(expr)):
                parent = self.by_name.get(name)
                if parent is None or parent.id == question.id:
                    return asked  # an unknown name is a validation error, not our business
                values = self._on_level(self.answers(parent).odk(), self.level_of(parent),
                                        level)
                if values is None:
                    # A rule on a finer or unrelated level (a roster answer from outside
                    # the roster) has no single value per unit: not applied.
                    return asked
                parents[name] = values
        finally:
            self._busy.discard(question.id)
        names = list(parents)
        columns = [parents[name] for name in names]
        memo: dict[tuple[object, ...], bool] = {}
        for i in np.flatnonzero(asked).tolist():
            key = tuple(col[i] for col in columns)
            ok = memo.get(key)
            if ok is None:
                try:
                    result = expressions.evaluate(expr, dict(zip(names, key, strict=True)))
                except (expressions.ExpressionError, ValueError, TypeError, ZeroDivisionError):
                    result = False
                ok = memo[key] = bool(result) if not isinstance(result, str) else result != ""
            asked[i] = ok
        return asked

    def _informant_roles(self, level: Level, spec: ChoiceSpec) -> np.ndarray | None:
        """Each key informant's type as an option index, when the options are the country's
        key-informant types (by id or label); else None."""
        dim = level.dimensions.get("key_informant_type")
        if level.name != "key_informant" or dim is None:
            return None
        kinds = self.country.msla.key_informant_types
        by_code = {c.replace("-", "_"): i for i, c in enumerate(spec.codes)}
        by_label = {label.casefold(): i for i, label in enumerate(spec.labels)}
        index = [by_code.get(k.id.replace("-", "_"), by_label.get(k.label.casefold()))
                 for k in kinds]
        if any(i is None for i in index):
            return None
        return np.array(index, dtype=np.int64)[dim.index]

    @staticmethod
    def _on_level(values: list[object], source: Level, target: Level) -> list[object] | None:
        """A parent question's answers seen from each unit of `target`: a key informant or
        household sees its location's answer, a person their household's."""
        if source.name == target.name:
            return values
        if source.name == "location":
            return [values[i] for i in target.location.tolist()]
        if source.name == "household" and target.name == "individual":
            return [values[i] for i in target.parent.tolist()]
        return None

    def _draw(self, question: Question) -> Answers:
        rng = rng_for(self.country.iso3, str(self.country.round.number), question.id)
        asked = self._relevant(question)
        level = self.level_of(question)
        region = level.dimensions["admin1"].index
        group = level.dimensions["population_group"].index
        qtype = question.type
        if qtype in ("select_one", "yes_no", "select_multiple"):
            spec = choice_spec(question, self.options_of(question))
            if qtype == "select_multiple":
                chosen = falsedata.multiple_choice(rng, spec, region, group)
                chosen &= asked[:, None]
                return Answers(question, asked, chosen=chosen, spec=spec)
            choice = falsedata.single_choice(rng, spec, region, group)
            roles = self._informant_roles(level, spec)
            if roles is not None:
                choice = roles  # "who is this informant?" answers what the roster drew
            return Answers(question, asked, choice=np.where(asked, choice, -1), spec=spec)
        if qtype in ("integer", "decimal"):
            value = falsedata.numbers(rng, number_spec(question), region)
            if question.special_codes:
                # A few units give a reserved answer (e.g. -999 = don't know), as in real data.
                codes = np.array([c.code for c in question.special_codes], dtype=float)
                special = rng.random(value.size) < rng.uniform(0.01, 0.03)
                value[special] = rng.choice(codes, int(special.sum()))
            return Answers(question, asked, value=np.where(asked, value, np.nan))
        if qtype == "date":
            start, end = date_period(question, self.country)
            day = falsedata.dates(rng, level.n, start, end)
            return Answers(question, asked, day=np.where(asked, day, np.datetime64("NaT")))
        theme = falsedata.themes(rng, level.n)
        return Answers(question, asked, theme=np.where(asked, theme, -1))

