"""kb/process.yml: the steps of the DTM & partners process with who does what."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import TRANSLATIONS_HELP, Id, Record, ShortText, Text, Translations


class Step(Record):
    id: Id
    title: ShortText
    lead: Literal["dtm", "partners", "joint"]
    description: Text
    dtm_role: Text | None = None
    partner_role: Text | None = None
    outputs: list[ShortText] = []
    translations: Translations = Field(default={}, description=TRANSLATIONS_HELP)


class Process(Record):
    steps: list[Step] = Field(min_length=1)
