"""kb/choices/<id>.yml: a reply-option list shared by several questions (yes/no/don't know)."""

from __future__ import annotations

from typing import Self

from pydantic import Field, model_validator

from .common import Id, Record, ShortText, XmlName, rule
from .question import Option


class ChoiceList(Record):
    id: Id
    name: XmlName | None = Field(None, description="XLSForm list_name; default: id with '_'.")
    title: ShortText | None = Field(None, description="What the list is, for people editing it.")
    options: list[Option] = Field(min_length=2)

    @property
    def list_name(self) -> str:
        return self.name or self.id.replace("-", "_")

    @model_validator(mode="after")
    def _unique_codes(self) -> Self:
        codes = [o.code for o in self.options]
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        if dupes:
            raise rule("duplicate-option",
                       f"option codes must be unique; repeated: {', '.join(dupes[:5])}")
        return self
