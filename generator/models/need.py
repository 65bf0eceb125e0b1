"""kb/needs/<id>.yml: one information need a partner raised (process points 6-7).

Questions name the needs they serve (`needs:` on a question), so the site can show which
needs are covered, which are unmet and which the MSLA cannot answer (out of scope).
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from .common import TRANSLATIONS_HELP, Id, Record, ShortText, Text, Translations


class SecondaryData(Record):
    """Secondary data already reviewed for the need: the first minimum criterion."""

    source: ShortText = Field(description="What was reviewed (report, dataset, assessment).")
    date: dt.date | None = Field(None, description="When it was reviewed or published.")
    why_insufficient: Text = Field(description="Why it does not give what the partner needs.")
    translations: Translations = Field(default={}, description=TRANSLATIONS_HELP)


class OutOfScope(Record):
    reason: Text = Field(description="Why the MSLA methodology cannot capture it accurately.")
    instead: Text = Field(description="Where the partner should get it instead.")


class Need(Record):
    id: Id
    need: Text = Field(description="What the partner needs to know.")
    raised_by: list[Id] = Field(min_length=1, description="Partner ids that raised the need.")
    decision: Text = Field(description="The decision the information informs.")
    frequency: ShortText = Field("every round", description="How often it is needed.")
    secondary_data: list[SecondaryData] = Field(
        default=[], description="Secondary data already reviewed, and why it is not enough.")
    gaps: Text | None = Field(
        None, description="What the questions serving the need do not give: makes its "
        "coverage 'partly'.")
    unmet_reason: Text | None = Field(
        None, description="Why no question serves the need yet (e.g. to be discussed for the "
        "next round): an unmet need known to all, so validation does not warn about it.")
    out_of_scope: OutOfScope | None = Field(
        None, description="Set when the MSLA cannot answer the need: why, and where to get "
        "it instead.")
    restricted: bool = Field(
        False, description="True if the need describes confidential data (or a confidential "
        "question serves it): internal builds only.")
    translations: Translations = Field(default={}, description=TRANSLATIONS_HELP)
