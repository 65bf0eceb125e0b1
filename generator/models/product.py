"""kb/products/<id>.yml: a DTM product of a round (report, dataset, dashboard) checked against
the jointly agreed checklist (kb/checklist.yml, process point 15)."""

from __future__ import annotations

import datetime as dt
from typing import Literal, Self

from pydantic import Field, model_validator

from .common import (
    TRANSLATIONS_HELP,
    Id,
    ItemTranslations,
    Record,
    ShortText,
    Text,
    Translations,
    rule,
)


class ChecklistState(Record):
    item: Id = Field(description="Checklist item id (kb/checklist.yml).")
    state: Literal["done", "not-applicable", "missing"] = Field(
        description="done, not-applicable (then say why) or missing.")
    why: Text | None = Field(None, description="not-applicable (or missing): why.")
    # The one text, `why`, in each other site language.
    translations: ItemTranslations = Field(default={}, description=TRANSLATIONS_HELP)

    @model_validator(mode="after")
    def _why(self) -> Self:
        if self.state == "not-applicable" and not self.why:
            raise rule("product-incomplete", "a 'not-applicable' item says 'why'")
        return self


class Product(Record):
    id: Id
    title: ShortText
    kind: Literal["report", "dataset", "dashboard"]
    round: int = Field(ge=1)
    status: Literal["draft", "published"] = "draft"
    published: dt.date | None = Field(None, description="Publication date.")
    link: str | None = Field(None, pattern=r"^https?://\S+$", description="Where it is.")
    dataset: Id | None = Field(
        None, description="The kb dataset it publishes, if any (kb/datasets/): a product of "
        "a confidential dataset stays off the public site.")
    checklist: list[ChecklistState] = Field(
        default=[], description="Each checklist item: done, not-applicable (why) or missing.")
    translations: Translations = Field(default={}, description=TRANSLATIONS_HELP)

    @property
    def checks_as(self) -> str:
        """The checklist column it answers to: a dashboard is read like a report."""
        return "dataset" if self.kind == "dataset" else "report"

    @model_validator(mode="after")
    def _published(self) -> Self:
        if self.status == "published" and not (self.published and self.link):
            raise rule("product-incomplete",
                       "a published product gives its 'published' date and 'link'")
        return self
