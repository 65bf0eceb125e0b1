"""kb/datasets/<id>.yml: a dataset DTM shares, with its modality and recipients."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from .common import Id, Record, ShortText, Text
from .sharing import Sharing


class Dataset(Record):
    id: Id
    title: ShortText
    description: Text
    questions: list[Id] = Field(default=[], description="Question ids whose data it holds.")
    sharing: Sharing
    frequency: ShortText = "every round"
    format: ShortText = "XLSX"
    link: str | None = Field(
        None, pattern=r"^https?://\S+$", description="Public link (public datasets only)."
    )

    agreement_status: Literal["not-started", "drafting", "under-review", "signed"] | None = Field(
        None, description="Confidential and urgent-action datasets: where the MoU or protocol "
        "stands; it must be signed before collection starts (point 14).")
    signed: dt.date | None = Field(None, description="Date the MoU or protocol was signed.")

    @property
    def is_confidential(self) -> bool:
        return self.sharing.modality == "confidential"
