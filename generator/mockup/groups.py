"""The groups a question's analysis is disaggregated by, taken from kb/country.yml."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Country, Question


@dataclass(frozen=True)
class Groups:
    dimension: str  # "" when the analysis is not disaggregated
    title: str  # what a group is called on the page, e.g. "Province"
    names: tuple[str, ...]


NO_GROUPS = Groups("", "", ())


def groups_for(question: Question, country: Country) -> Groups:
    """Groups of the first disaggregation: one chart shows one breakdown.

    Further disaggregations are listed in the analysis text; a mock-up of every
    combination would be too large to read (and over the page-size budget).
    """
    if not question.analysis.disaggregation:
        return NO_GROUPS
    dimension = question.analysis.disaggregation[0]
    if dimension == "admin1":
        level = next((a.name for a in country.msla.admin_levels if a.level == 1), "Admin 1")
        return Groups(dimension, level, tuple(a.name for a in country.admin1))
    if dimension == "population_group":
        return Groups(dimension, "Population group", tuple(country.msla.target_population))
    return Groups(
        dimension, "Key informant type",
        tuple(k.label for k in country.msla.key_informant_types),
    )
