"""kb/questions/<sector>/<id>.yml: one MSLA question and everything agreed about it."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, model_validator

from .common import (
    TRANSLATIONS_HELP,
    Code,
    Id,
    ItemTranslations,
    OneLine,
    Record,
    ShortText,
    Text,
    Translations,
    rule,
)
from .sharing import Sharing

QuestionType = Literal[
    "select_one", "select_multiple", "integer", "decimal", "text", "date", "yes_no"
]
Status = Literal["proposed", "agreed", "dropped"]
ChartKind = Literal["bar", "stacked-bar", "table"]
Disaggregation = Literal["admin1", "population_group", "key_informant_type"]
Statistic = Literal["proportion", "mean", "median", "sum", "count"]

CHOICE_TYPES = ("select_one", "select_multiple")


class Option(Record):
    code: Code = Field(description="Short code stored in the dataset (e.g. piped_water).")
    label: ShortText
    translations: ItemTranslations = Field(default={}, description=TRANSLATIONS_HELP)


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


class Mockup(Record):
    sentence: Text = Field(
        description="Mock-up sentence with placeholders such as {top_option} and {top_pct}."
    )
    chart: ChartKind = "bar"
    title: ShortText | None = None


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
    translations: ItemTranslations = Field(default={}, description=TRANSLATIONS_HELP)


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
    enumerator_notes: Text | None = None
    hxl: ShortText | None = Field(None, description="HXL hashtag, e.g. #affected+idps.")
    translations: Translations = Field(default={}, description=TRANSLATIONS_HELP)

    @model_validator(mode="after")
    def _options_match_type(self) -> Self:
        if self.type in CHOICE_TYPES and len(self.options) < 2:
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
    def statistic(self) -> Statistic:
        if self.analysis.statistic:
            return self.analysis.statistic
        return "mean" if self.type in ("integer", "decimal") else "proportion"

    @property
    def is_confidential(self) -> bool:
        return self.sharing.modality == "confidential"
