"""kb/partners/<id>.yml: one partner (cluster, AoR, WG, agency, NGO, government...)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from .common import Id, Record, ShortText, Text

PartnerType = Literal[
    "dtm", "cluster", "aor", "working-group", "ocha", "un-agency", "ngo", "government", "donor",
    "other",
]
EngagementStatus = Literal[
    "not-started", "planned", "approached", "engaged", "needs-received", "agreed", "declined"
]


class Contact(Record):
    role: ShortText
    email: ShortText | None = None


class Engagement(Record):
    approach: Text = Field(description="How DTM approaches this partner (bilateral, ISCG...).")
    when: dt.date | None = Field(None, description="When the partner is (to be) approached.")
    reply_by: dt.date | None = Field(None, description="Date the partner replies by.")
    meeting: dt.date | None = Field(None, description="Date of the (first) meeting.")
    replied: dt.date | None = Field(None, description="Date the partner replied.")
    status: EngagementStatus = "not-started"
    notes: Text | None = None
    restricted_notes: Text | None = Field(
        None, description="Notes that describe confidential data (e.g. a confidential "
        "question agreed with this partner): shown in internal builds only."
    )


class InformationNeed(Record):
    need: Text
    restricted: bool = Field(
        False, description="True if the need describes confidential data: internal builds only."
    )


class Partner(Record):
    id: Id
    name: ShortText
    short_name: ShortText | None = None
    type: PartnerType
    lead_agencies: list[ShortText] = []
    description: Text | None = None
    contact: Contact | None = None
    roles: dict[Id, Text] = Field(
        default={}, description="Role in each process step, keyed by step id (kb/process.yml)."
    )
    information_needs: list[Text | InformationNeed] = Field(
        default=[],
        description="What the partner needs to know. Write {need: ..., restricted: true} for a "
        "need that describes confidential data: it stays out of the public site.",
    )
    engagement: Engagement | None = None

    @property
    def label(self) -> str:
        return self.short_name or self.name
