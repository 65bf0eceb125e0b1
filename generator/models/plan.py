"""kb/analysis-plan.yml: plan-level facts of the joint Data Analysis Plan."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from .common import TRANSLATIONS_HELP, Id, ItemTranslations, Record, ShortText, Text, Translations


class Milestone(Record):
    milestone: ShortText
    date: dt.date
    done: bool = False
    translations: ItemTranslations = Field(default={}, description=TRANSLATIONS_HELP)


class SignOff(Record):
    partner: Id
    by: ShortText = Field(description="Role of the person who signed off.")
    date: dt.date
    translations: ItemTranslations = Field(default={}, description=TRANSLATIONS_HELP)


class AnalysisPlan(Record):
    title: ShortText = "Joint Data Analysis Plan"
    version: ShortText
    round: int = Field(ge=1)
    status: Literal["draft", "under-review", "agreed"] = "draft"
    summary: Text | None = None
    timeline: list[Milestone] = []
    sign_off: list[SignOff] = []
    translations: Translations = Field(default={}, description=TRANSLATIONS_HELP)
