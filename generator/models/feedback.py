"""kb/feedback/<id>.yml: one piece of partner feedback and DTM's response (points 18-19).

Feedback considers the use of datasets, the methodology and DTM's and partners' resources;
the log keeps what was asked, what DTM answered and what changed because of it. The
dataset-feedback issue form (.github/ISSUE_TEMPLATE/dataset-feedback.yml) maps onto it:
Dataset -> dataset/question, Your organisation -> by, How you used it / Methodology /
What should change / Resources -> asked (with `about`).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, Self

from pydantic import Field, model_validator

from .common import TRANSLATIONS_HELP, Id, Record, ShortText, Text, Translations, rule

About = Literal["dataset", "question", "methodology", "resources", "use"]


class Feedback(Record):
    id: Id
    round: int = Field(ge=1, description="The round the feedback is about.")
    date: dt.date = Field(description="When it was received.")
    by: list[Id] = Field(min_length=1, description="Partner ids it came from.")
    about: About = Field(description="dataset, question, methodology, resources or use.")
    question: Id | None = Field(None, description="The question it is about, if any.")
    dataset: Id | None = Field(None, description="The dataset it is about, if any.")
    channel: ShortText | None = Field(
        None, description="How it came in (feedback form, ISCG meeting, email, issue #12).")
    asked: Text = Field(description="What the partner said or asked.")
    response: Text | None = Field(None, description="DTM's response.")
    status: Literal["open", "answered", "accepted", "declined", "done"] = Field(
        "open", description="open, answered, accepted (to act on), declined or done.")
    changed: Text | None = Field(None, description="What changed because of it.")
    translations: Translations = Field(default={}, description=TRANSLATIONS_HELP)

    @model_validator(mode="after")
    def _complete(self) -> Self:
        if self.about == "question" and not self.question:
            raise rule("feedback-incomplete", "feedback about a question names it: "
                       "add 'question: <id>'")
        if self.about == "dataset" and not self.dataset:
            raise rule("feedback-incomplete", "feedback about a dataset names it: "
                       "add 'dataset: <id>'")
        if self.status != "open" and not self.response:
            raise rule("feedback-incomplete",
                       f"'{self.status}' feedback records DTM's 'response'")
        if self.status == "done" and not self.changed:
            raise rule("feedback-incomplete", "'done' feedback says what 'changed'")
        return self
