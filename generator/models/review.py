"""kb/use-reviews/<id>.yml: partners' review of a round, question by question (point 8).

Before a questionnaire is revised, partners say whether they used each question's data, and
for what; questions nobody used are candidates to drop.
"""

from __future__ import annotations

import datetime as dt
from typing import Self

from pydantic import Field, model_validator

from .common import TRANSLATIONS_HELP, Id, Record, Text, Translations, rule


class Use(Record):
    question: Id
    partner: Id
    used: bool = Field(description="true if the partner used the data of this question, "
                       "false if not.")
    used_for: Text | None = Field(None, description="The product or decision it was used for.")
    why_not: Text | None = Field(None, description="Why the data was not used.")
    translations: Translations = Field(default={}, description=TRANSLATIONS_HELP)

    @model_validator(mode="after")
    def _says_why(self) -> Self:
        if self.used and not self.used_for:
            raise rule("use-review-incomplete",
                       "a used question needs 'used_for': the product or decision")
        if not self.used and not self.why_not:
            raise rule("use-review-incomplete", "an unused question needs 'why_not'")
        return self


class UseReview(Record):
    id: Id
    round: int = Field(ge=1, description="The round whose data was reviewed.")
    date: dt.date | None = Field(None, description="When partners reviewed it.")
    summary: Text | None = None
    entries: list[Use] = Field(min_length=1)
    translations: Translations = Field(default={}, description=TRANSLATIONS_HELP)
