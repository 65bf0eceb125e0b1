"""The global library of recommended MSLA questions (DTM Field Companion + Data Dictionary).

A library kb holds `library.yml` (its id and version), `sectors.yml` and
`questions/<sector>/<id>.yml`. A library question is a country question without what only a
country can say (who requested it, its partners, its sharing agreement, its evidence for the
minimum criteria), plus the Field Companion's guidance in `companion:`. Countries adopt a
library question by id and override what they contextualise (generator/library/adoption.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, Field, StringConstraints, create_model, model_validator

from .common import Id, OneLine, Record, ShortText, Text, rule
from .question import Analysis, Criteria, Question
from .sharing import Sharing

# Data Dictionary tiers: core, core for camp-like settings (central data warehouse), optional,
# recommended by global sectoral experts, requested by the mission.
LibraryTier = Literal["core", "core_camp", "optional", "recommended", "mission"]
# ISO 639-1 language code of a label (en, ar, fr, es...).
Lang = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]
# Where a library is: a path or URL, a git ref, a version. No spaces, quotes or markup: these
# are handed to git and echoed in messages.
Location = Annotated[str, StringConstraints(pattern=r"^[^\s<>\"'`\\]{1,300}$")]
Version = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._+/-]{0,63}$")]


class Labels(Record):
    """The question's label in one Data Dictionary language (the English one is `text`)."""

    text: OneLine
    options: dict[str, ShortText] = Field(
        default={}, description="Option code -> label in this language."
    )


class FieldCompanion(Record):
    """One row of the Field Companion: guidance for partners deciding whether to include it."""

    information_provided: Text = Field(description="What the information tells partners.")
    suggested_use: Text = Field(description="What decisions or responses the results inform.")
    descriptive_analysis: Text = Field(description="The suggested descriptive analysis.")
    visualisation: Text = Field(description="The suggested chart, map or table.")
    sharing: Text = Field(description="How the information should be shared, and why.")
    interested_sectors: list[ShortText] = Field(
        min_length=1, description="Sectors, clusters, AoRs or organisations interested."
    )
    preconditions: Text = Field(description="What must be true in a country to include it.")
    key_informant: ShortText = Field(description="The recommended key informant(s).")
    instructions: Text = Field(description="Reply options and instructions for enumerators.")
    tier: LibraryTier = Field(description="Type in the DTM Data Dictionary.")
    labels: dict[Lang, Labels] = Field(
        default={}, description="Labels in the Data Dictionary's other languages (ar, fr, es)."
    )


class LibraryAnalysis(Analysis):
    # Who analyses the data is decided in each country.
    analysed_by: list[Id] = Field(default=[], description="Set by each country.")


class LibraryQuestion(Question):
    """A recommended question. The country-only fields stay empty here (checked below)."""

    requested_by: list[Id] = Field(default=[], description="Set by each country.")
    analysis: LibraryAnalysis
    sharing: Sharing | None = Field(None, description="Set by each country (companion.sharing "
                                                      "says what is recommended).")
    criteria: Criteria | None = Field(
        None, description="Suggested evidence for the minimum criteria; countries may replace it."
    )
    companion: FieldCompanion
    added_in: ShortText | None = Field(None, description="Library version that added it.")

    @model_validator(mode="after")
    def _no_country_fields(self) -> Self:
        set_here = [f for f in COUNTRY_ONLY if getattr(self, f, None)]
        if set_here:
            raise rule("record-rule",
                       f"{', '.join(set_here)} are set by each country, not in the library: "
                       "remove them")
        return self


# Fields a library question leaves to each country (a country sets them without a reason).
COUNTRY_ONLY = ("requested_by", "key_informant", "sharing", "since_round", "history",
                "enumerator_notes",
                # The joint process (issue #11): the needs a question serves in this country
                # and who verified it here.
                "needs", "verification")


class LibraryInfo(Record):
    """library.yml: what this library is and which version this folder holds."""

    id: Id
    title: ShortText
    version: Version = Field(description="This version, e.g. 2026.1 (tag the repository "
                                         "with it so countries can pin it).")
    released: dt.date | None = None
    maintained_by: ShortText
    description: Text | None = None
    languages: list[Lang] = Field(default=["en"], description="Languages of the labels.")
    fictional: bool = False


class LibraryRef(Record):
    """country.yml `library:`: which library this country adopts questions from."""

    path: Location | None = Field(
        None, description="A library folder, relative to the kb folder (e.g. ../library)."
    )
    git: Location | None = Field(
        None, description="A git repository (URL or local path) holding the library."
    )
    ref: Version | None = Field(
        None, description="git only: the tag (or commit) pinned, e.g. v2026.1."
    )
    folder: Location = Field(".", description="git only: the library's folder in the repository.")
    version: Version | None = Field(
        None, description="The library version adopted (library.yml `version`); checked."
    )

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        if bool(self.path) == bool(self.git):
            raise rule("record-rule", "give either 'path' (a folder) or 'git' (a repository)")
        if self.git and not self.ref:
            raise rule("record-rule", "a git library needs 'ref:', the tag you adopted")
        return self


class Override(Record):
    """One contextualised field of an adopted question: its new value and why."""

    value: Any = Field(description="The country's value, in the field's own format.")
    reason: Text = Field(description="Why partners in this country changed it.")


def _optional(annotation: Any) -> Any:
    # Groups (analysis, mockup...) hold only some of their fields here: any mapping.
    sub = annotation if isinstance(annotation, type) else None
    if sub is not None and issubclass(sub, BaseModel):
        return dict[str, Any] | None
    return annotation | None


# The file form of a country question that adopts a library question: any question field may
# be written (country fields, or library values restated), plus `adopts` and `overrides`.
# generator/library/adoption.py checks it; this model gives editors its JSON Schema.
AdoptingQuestion = create_model(  # type: ignore[call-overload]
    "AdoptingQuestion",
    __base__=Record,
    adopts=(Id, Field(description="The library question this country question adopts.")),
    overrides=(dict[str, Override], Field(
        default={}, description="field (dotted: mockup.sentence) -> {value, reason}")),
    **{name: (_optional(info.annotation), Field(None, description=info.description))
       for name, info in Question.model_fields.items()},
)


def question_file_schema(question: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of a question file: a whole question, or one adopting a library one."""
    adopting = AdoptingQuestion.model_json_schema()
    defs = {**question.pop("$defs", {}), **adopting.pop("$defs", {})}
    title = question.get("title", "Question")
    return {"title": title, "anyOf": [question, adopting], "$defs": defs}
