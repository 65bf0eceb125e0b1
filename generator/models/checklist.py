"""kb/checklist.yml: what every DTM report and dataset must include."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import TRANSLATIONS_HELP, Id, Record, ShortText, Text, Translations


class ChecklistItem(Record):
    id: Id
    component: ShortText
    applies_to: list[Literal["report", "dataset"]] = Field(min_length=1)
    why: Text
    required: bool = True
    translations: Translations = Field(default={}, description=TRANSLATIONS_HELP)


class Checklist(Record):
    items: list[ChecklistItem] = Field(min_length=1)
