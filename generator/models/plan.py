"""kb/analysis-plan.yml: plan-level facts of the joint Data Analysis Plan."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from .common import TRANSLATIONS_HELP, Id, ItemTranslations, Record, ShortText, Text, Translations


class DateChange(Record):
    """A change to an agreed date, as Annex 1 asks: notified with its reason and new date."""

    previous: dt.date = Field(description="The date agreed before the change.")
    new: dt.date = Field(description="The new planned date.")
    reason: Text
    notified: dt.date | None = Field(None, description="When partners were told.")
    # The one text, `reason`, in each other site language.
    translations: ItemTranslations = Field(default={}, description=TRANSLATIONS_HELP)


class Milestone(Record):
    milestone: ShortText
    date: dt.date
    done: bool = False
    changes: list[DateChange] = Field(
        default=[], description="Earlier agreed dates, oldest first; the last 'new' is 'date'.")
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
    feedback: list[Text] = Field(
        default=[], description="The agreed feedback modalities: how and when partners give "
        "feedback (joint workshop point e).")
    translations: Translations = Field(default={}, description=TRANSLATIONS_HELP)
