"""kb/questions/<sector>/<id>.yml: one MSLA question and everything agreed about it."""

from __future__ import annotations

import datetime as dt
from typing import Literal, Self

from pydantic import Field, model_validator

from .common import (
    TRANSLATIONS_HELP,
    Code,
    Id,
    ItemTranslations,
    LangCode,
    OneLine,
    Record,
    ShortText,
    Text,
    Translations,
    XmlName,
    rule,
)
from .sharing import Sharing

QuestionType = Literal[
    "select_one", "select_multiple", "integer", "decimal", "text", "date", "yes_no"
]
UnitOfAnalysis = Literal["location", "site", "key_informant", "household", "individual"]
# Data Dictionary tiers: core, core for camp-like settings, optional, recommended by global
# experts, requested by the mission.
Tier = Literal["core", "core_camp", "optional", "recommended", "mission"]
Status = Literal["proposed", "agreed", "dropped"]
ChartKind = Literal["bar", "stacked-bar", "table"]
Disaggregation = Literal[
    "admin1", "admin2", "population_group", "location_type", "key_informant_type"
]
Statistic = Literal["proportion", "mean", "median", "sum", "count"]

CHOICE_TYPES = ("select_one", "select_multiple")


class Option(Record):
    code: Code = Field(description="Short code stored in the dataset (e.g. piped_water).")
    label: ShortText
    translations: dict[LangCode, ShortText] = Field(
        default={}, description="The label in each other form language, by code (fr: ...)."
    )
    exclusive: bool = Field(
        False, description="None / don't know / prefer not to answer: cannot be combined."
    )
    other: bool = Field(False, description="'Other': the form asks to specify it in a text.")
    filters: dict[XmlName, ShortText] = Field(
        default={}, description="Extra choices columns that choice_filter tests (admin1: VL01)."
    )


class SpecialCode(Record):
    """A reserved numeric answer, e.g. -999 = don't know."""

    code: int
    label: ShortText
    translations: dict[LangCode, ShortText] = {}


class QuestionTranslation(Record):
    """What enumerators and respondents see, in one other form language; and the site's
    texts of the question in one other site language (generator/i18n/)."""

    text: OneLine | None = None
    hint: Text | None = None
    constraint_message: ShortText | None = None
    specify_label: ShortText | None = None
    # --- the website (site_languages in kb/country.yml) ---
    information_need: Text | None = None
    purpose: Text | None = None
    use: Text | None = None
    enumerator_notes: Text | None = None
    unit: ShortText | None = None
    # Groups as in the question: analysis (descriptive, frequency, tools), mockup (sentence,
    # title), criteria (...), sharing (trigger, contact), verification (notes). Their keys
    # are checked by generator/i18n/validate.py, with the line of a misspelled one.
    analysis: dict[str, Text] | None = None
    mockup: dict[str, Text] | None = None
    criteria: dict[str, Text] | None = None
    sharing: dict[str, Text] | None = None
    verification: dict[str, Text] | None = None  # its notes (each reviewer's role: beside it)
    source_hash: dict[str, ShortText] = Field(
        default={}, description="Fingerprint of each source text the translation was made "
        "from (toolkit i18n hash): toolkit validate warns when the source changes."
    )


class Analysis(Record):
    descriptive: Text = Field(description="The descriptive analysis DTM/partners will produce.")
    statistic: Statistic | None = Field(
        None, description="Defaults from the type: proportion for choices, mean for numbers."
    )
    disaggregation: list[Disaggregation] = []
    analysed_by: list[Id] = Field(
        min_length=1, description="Who analyses the data: 'dtm' and/or partner ids."
    )
    frequency: ShortText = "every round"
    tools: Text | None = Field(
        None, description="For complex analysis (e.g. severity scoring): the partner's tool."
    )


class TypicalRange(Record):
    min: float
    max: float

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.min > self.max:
            raise ValueError(f"min {self.min:g} is larger than max {self.max:g}: swap them")
        return self


class DateRange(Record):
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.start > self.end:
            raise ValueError(f"start {self.start} is after end {self.end}: swap them")
        return self


class Mockup(Record):
    sentence: Text = Field(
        description="Mock-up sentence with placeholders such as {top_option} and {top_pct}."
    )
    chart: ChartKind = "bar"
    title: ShortText | None = None
    # How the false data looks: only for the mock-up, never a rule for the real data.
    typical: TypicalRange | None = Field(
        None, description="Numbers: the range most false answers fall in (e.g. 1 to 3 meals)."
    )
    period: DateRange | None = Field(
        None, description="Dates: the period false answers fall in (e.g. the period the "
        "question asks about). Default: the 12 months before the round starts.",
    )
    expected_share: float | None = Field(
        None, ge=0, le=100,
        description="% of units answering Yes (yes_no), any option but 'none' (choices) or "
        "more than 0 (numbers) in the false data; rare events (alerts) default to a few %.",
    )
    shares: dict[Code, float] = Field(
        default={}, description="Expected % of units choosing an option, by option code."
    )
    ordered: bool = Field(
        False, description="Options are ordered (bands, frequency): sequential colours, kept "
        "in order.",
    )
    rare: bool | None = Field(
        None, description="A rare event (alert): default true for urgent-action sharing."
    )


class Criteria(Record):
    """Evidence for the minimum criteria to include a question in the MSLA."""

    not_available_elsewhere: Text = Field(
        description="Why secondary data review or ongoing assessments cannot give this."
    )
    methodology_adequate: Text = Field(
        description="Why key informants at location level can answer this accurately."
    )
    analysis_capacity: Text = Field(description="Who confirmed capacity to analyse all the data.")
    do_no_harm: Text | None = Field(
        None, description="Why the question is not sensitive to ask a key informant."
    )


class Change(Record):
    round: int = Field(ge=1)
    change: Text
    status: Literal["done", "planned"] = Field(
        "done", description="planned: a change agreed for a future round (e.g. a proposal "
        "for the next round), so it is not filed under the wrong round.")
    translations: ItemTranslations = Field(default={}, description=TRANSLATIONS_HELP)


Expertise = Literal["subject-matter", "context", "imo"]


class Verifier(Record):
    expertise: Expertise = Field(
        description="subject-matter (e.g. cluster coordinator or members), context "
        "(local staff, local NGOs, academics) or imo (information management officer).")
    role: ShortText = Field(description="The person's role, e.g. WASH Cluster Coordinator.")
    organisation: ShortText = Field(description="The person's organisation.")
    partner: Id | None = Field(None, description="Partner id, if the organisation is one.")
    translations: Translations = Field(default={}, description=TRANSLATIONS_HELP)


class Verification(Record):
    """Who verified that the phrasing and the mock-up give what partners need (points 12, 21)."""

    date: dt.date = Field(description="When the mock-up and phrasing were verified.")
    verified_by: list[Verifier] = Field(
        min_length=1, description="One entry per person: subject-matter, context and IMO.")
    notes: Text | None = None


class Question(Record):
    id: Id
    sector: Id
    text: OneLine = Field(description="The question as enumerators ask it.")
    type: QuestionType
    options: list[Option] = []
    hint: Text | None = None
    key_informant: list[Id] = Field(
        default=[], description="Recommended key informant type ids (kb/country.yml)."
    )
    information_need: Text
    purpose: Text
    use: Text
    requested_by: list[Id] = Field(min_length=1, description="Partner ids that asked for it.")
    analysis: Analysis
    mockup: Mockup
    sharing: Sharing
    criteria: Criteria
    status: Status = "proposed"
    since_round: int | None = Field(None, ge=1, description="First round this question was asked.")
    history: list[Change] = []
    needs: list[Id] = Field(
        default=[], description="Ids of the information needs it serves (kb/needs/).")
    verification: Verification | None = Field(
        None, description="Who verified the mock-up and phrasing, and when: required to "
        "agree a question.")
    enumerator_notes: Text | None = None
    hxl: ShortText | None = Field(None, description="HXL hashtag, e.g. #affected+idps.")
    # --- the questionnaire (XLSForm) ---
    name: XmlName | None = Field(
        None, description="XLSForm variable name; defaults to the id with '-' as '_'."
    )
    required: bool = False
    relevant: ShortText | None = Field(
        None, description="Skip logic (XLSForm expression), e.g. ${idps_present} = 'yes'."
    )
    constraint: ShortText | None = Field(None, description="XLSForm constraint, e.g. . <= 500.")
    constraint_message: ShortText | None = None
    appearance: ShortText | None = None
    default: ShortText | None = None
    choice_filter: ShortText | None = Field(
        None, description="XLSForm choice_filter, e.g. admin1 = ${province}."
    )
    calculation: ShortText | None = Field(
        None, description="Computed answer (XLSForm calculation), e.g. ${idp_hh} + ${ret_hh}."
    )
    min: float | None = Field(None, description="Smallest accepted number.")
    max: float | None = Field(None, description="Largest accepted number.")
    unit: ShortText | None = Field(None, description="Unit of a number: minutes, km, persons...")
    special_codes: list[SpecialCode] = Field(
        default=[], description="Reserved numeric answers, e.g. -999 = don't know."
    )
    choices: Id | None = Field(
        None, description="Shared choice list (kb/choices/<id>.yml) instead of 'options'."
    )
    max_choices: int | None = Field(None, ge=1, description="select_multiple: at most this many.")
    list_name: XmlName | None = Field(
        None, description="XLSForm choices list name of 'options'; default: the name."
    )
    specify_label: ShortText | None = Field(
        None, description="Label of the 'other, specify' follow-up (default: Please specify)."
    )
    unit_of_analysis: UnitOfAnalysis | None = Field(
        None, description="Who/what answers; defaults to msla.unit_of_analysis in country.yml."
    )
    section: Id | None = Field(
        None, description="Section of kb/questionnaire.yml to add it to (at its end) when "
        "the questionnaire does not list it."
    )
    tier: Tier | None = Field(None, description="Data Dictionary tier.")
    indicator: ShortText | None = Field(None, description="Indicator reference (e.g. JIAF).")
    translations: dict[LangCode, QuestionTranslation] = Field(
        default={}, description="Texts in each other form language (kb/country.yml form_languages)."
    )

    @model_validator(mode="after")
    def _options_match_type(self) -> Self:
        if self.choices and self.options:
            raise rule("options-mismatch",
                       "give either 'options' or a shared list in 'choices', not both")
        if self.choices and self.type not in CHOICE_TYPES:
            raise rule("options-mismatch",
                       f"a {self.type} question has no reply options: remove 'choices'")
        if self.type in CHOICE_TYPES and not self.choices and len(self.options) < 2:
            raise rule(
                "options-mismatch",
                f"a {self.type} question needs at least two 'options' (code + label)"
            )
        if self.type not in CHOICE_TYPES and self.type != "yes_no" and self.options:
            raise rule(
                "options-mismatch",
                f"a {self.type} question has no reply options: remove 'options' "
                "or change 'type' to select_one/select_multiple"
            )
        codes = [o.code for o in self.options]
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        if dupes:
            raise rule("duplicate-option",
                       f"option codes must be unique; repeated: {', '.join(dupes[:5])}")
        return self

    @property
    def var_name(self) -> str:
        """The XLSForm name: what ${...} references and the dataset column use."""
        return self.name or self.id.replace("-", "_")

    @property
    def statistic(self) -> Statistic:
        if self.analysis.statistic:
            return self.analysis.statistic
        return "median" if self.type in ("integer", "decimal") else "proportion"

    @property
    def is_confidential(self) -> bool:
        return self.sharing.modality == "confidential"
