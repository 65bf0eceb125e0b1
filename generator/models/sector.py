"""kb/sectors.yml: the sectors (clusters, AoRs, cross-cutting themes) questions belong to."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .common import TRANSLATIONS_HELP, Id, Record, ShortText, Text, Translations


class Sector(Record):
    id: Id
    name: ShortText
    kind: Literal["cluster", "aor", "cross-cutting", "multi-sector"] = "cluster"
    coordinated_by: list[Id] = Field(
        default=[], description="Partner ids coordinating this sector in the country."
    )
    description: Text | None = None
    translations: Translations = Field(default={}, description=TRANSLATIONS_HELP)


class SectorList(Record):
    sectors: list[Sector] = Field(min_length=1)
