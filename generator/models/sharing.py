"""How data is shared: public, confidential under an MoU, or urgent action under a protocol."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, model_validator

from .common import Id, Record, ShortText, Text, rule

Modality = Literal["public", "confidential", "urgent-action"]


class Sharing(Record):
    modality: Modality = Field(
        description="public (website), confidential (named partners under an MoU) or "
        "urgent-action (acted on at once by named partners under a protocol)."
    )
    partners: list[Id] = Field(
        default=[], description="Partner ids that receive the data under the MoU or protocol."
    )
    agreement: ShortText | None = Field(
        None, description="The signed MoU / data sharing agreement or protocol that governs it."
    )
    trigger: Text | None = Field(
        None, description="urgent-action only: what finding triggers immediate sharing."
    )
    contact: ShortText | None = Field(
        None, description="Who to ask for access (role or email). Shown on the public site."
    )

    @model_validator(mode="after")
    def _restricted_needs_partners(self) -> Self:
        if self.modality != "public" and not self.partners:
            raise rule(
                "sharing-incomplete",
                f"'{self.modality}' data must name the partners it is shared with: "
                "add 'partners: [partner-id]'"
            )
        if self.modality == "urgent-action" and not self.trigger:
            raise rule(
                "sharing-incomplete",
                "urgent-action sharing needs a 'trigger:' saying what finding is shared at once"
            )
        return self
