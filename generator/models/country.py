"""kb/country.yml: the country, how DTM is set up there and the MSLA methodology."""

from __future__ import annotations

import datetime as dt
from typing import Literal, Self

from pydantic import Field, model_validator

from .common import (
    TRANSLATIONS_HELP,
    Id,
    ItemTranslations,
    LangCode,
    Record,
    ShortText,
    Text,
    Translations,
)
from .library import LibraryRef
from .question import UnitOfAnalysis


class DtmSetup(Record):
    implemented_under: Text = Field(
        description="The body DTM is implemented under (e.g. Inter-Cluster Coordination Group)."
    )
    coordinator: ShortText | None = Field(None, description="DTM coordinator (role or name).")
    contact_email: ShortText = Field(description="Where partners write to DTM.")
    feedback_email: ShortText | None = Field(None, description="Where to send feedback on data.")


class KeyInformantType(Record):
    id: Id
    label: ShortText
    translations: ItemTranslations = Field(default={}, description=TRANSLATIONS_HELP)


class AdminLevel(Record):
    level: int = Field(ge=0, le=5)
    name: ShortText
    translations: ItemTranslations = Field(default={}, description=TRANSLATIONS_HELP)


class Admin2Area(Record):
    pcode: str = Field(pattern=r"^[A-Z]{2,3}[0-9]{4,}$", description="P-code, e.g. BO0201.")
    name: ShortText


class AdminArea(Record):
    pcode: str = Field(pattern=r"^[A-Z]{2,3}[0-9]{2,}$", description="P-code, e.g. BO02.")
    name: ShortText
    admin2: list[Admin2Area] = Field(
        default=[], description="Second-level areas (e.g. districts) in this area."
    )


class LocationType(Record):
    """A kind of assessed location; the false assessment of the mock-ups draws from these."""

    id: Id
    label: ShortText
    site: bool = Field(
        False, description="A displacement site: questions about sites are asked only here."
    )
    share: float | None = Field(
        None, gt=0, le=100, description="About what % of assessed locations are of this type."
    )


class CountRange(Record):
    """How many units of a level each parent unit has (e.g. 3 to 5 key informants a location)."""

    min: int = Field(ge=1, le=50)
    max: int = Field(ge=1, le=50)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.min > self.max:
            raise ValueError(f"min {self.min} is larger than max {self.max}: swap them")
        return self


class Methodology(Record):
    collection_method: Text
    target_population: list[ShortText] = Field(
        min_length=1, description="Population groups covered (e.g. IDPs, returnees)."
    )
    key_informant_types: list[KeyInformantType] = Field(min_length=1)
    admin_levels: list[AdminLevel] = Field(min_length=1)
    geographic_boundaries: Text
    timing: Text
    frequency: ShortText
    coverage: Text | None = None
    location_types: list[LocationType] = Field(
        default=[], description="Kinds of assessed location (site, village, neighbourhood...)."
    )
    unit_of_analysis: UnitOfAnalysis = Field(
        "location", description="Default for questions: who or what each answer describes."
    )
    # The mock-ups' false assessment draws these units below each location, once per round.
    key_informants_per_location: CountRange | None = Field(
        None, description="Key informants interviewed in each location (min, max); the "
        "mock-ups of key-informant questions count them. Default: 3 to 5.")
    households_per_location: CountRange | None = Field(
        None, description="Households interviewed in each location (min, max), for "
        "household questions' mock-ups. Default: 8 to 12.")
    people_per_household: CountRange | None = Field(
        None, description="Household members (min, max), for mock-ups of questions about "
        "individuals. Default: 1 to 9.")
    strengths: list[Text] = []
    limitations: list[Text] = []


class FormLanguage(Record):
    """A language the questionnaire is written in (XLSForm label::Name (code) columns)."""

    code: LangCode
    name: ShortText


class SiteLanguage(Record):
    """A language the website is built in (generator/i18n/)."""

    code: LangCode = Field(description="Language code: en, fr, ar, es, pt...")
    name: ShortText = Field(description="The language's name in that language: Français.")
    direction: Literal["ltr", "rtl"] | None = Field(
        None, description="Text direction; default: rtl for Arabic, Persian, Hebrew, Urdu."
    )
    digits: Literal["latin", "arabic-indic"] = Field(
        "latin", description="Digits of numbers in mock-up sentences: 79 or ٧٩."
    )


class Round(Record):
    number: int = Field(ge=1)
    start: dt.date
    end: dt.date
    planned_units: int | None = Field(
        None, ge=1, le=100_000,
        description="Locations (or sites) the round plans to assess; the mock-ups' false "
        "assessment has this many. Default: 300.",
    )


# Version of the kb's record rules. 1 (no `schema_version`): the rules of an agreement are
# warnings. 2: they are errors. `toolkit migrate` upgrades a kb (generator/migrate.py).
SCHEMA_VERSION = 2


class Country(Record):
    schema_version: int = Field(
        1, ge=1, le=SCHEMA_VERSION, description="Version of the kb's record rules; "
        "`toolkit migrate` upgrades a kb to the current one.")
    name: ShortText
    iso3: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 3166-1 alpha-3 code.")
    fictional: bool = False
    summary: Text
    dtm: DtmSetup
    msla: Methodology
    admin1: list[AdminArea] = Field(min_length=1, description="First-level admin areas.")
    round: Round
    languages: list[ShortText] = Field(min_length=1)
    form_languages: list[FormLanguage] = Field(
        default=[],
        description="Languages of the questionnaire; the first is the source language of every "
        "text. Default: English (en) only.",
    )
    data_responsibility: Text | None = Field(
        None, description="How DTM applies data responsibility guidance in this country."
    )
    library: LibraryRef | None = Field(
        None, description="The library of recommended questions this country adopts from."
    )
    site_languages: list[SiteLanguage] = Field(
        default=[], description="Languages the website is built in; the first is the source "
        "language the records are written in. Default: English (en) only.",
    )
    translations: Translations = Field(default={}, description=TRANSLATIONS_HELP)
