"""Build valid records in tests without YAML: a fixed country and questions of any shape.

Only what a test cares about is passed; everything else gets a valid default, so a test
reads as the one thing it checks.
"""

from __future__ import annotations

from typing import Any

from generator.models import Country, Question

SENTENCES = {
    "select_one": "In {top_pct} of the {n_locations} assessed locations, key informants "
                  "reported {top_option}; {second_option} followed ({second_pct}) and "
                  "{least_option} was least reported ({least_pct}).",
    "integer": "Locations reported {mean} on average (median {median}, from {min} to {max}); "
               "{total} in total across {n_locations} locations.",
    "text": "{n_responses} of the {n_locations} assessed locations gave an answer.",
    "date": "Reported dates range from {earliest} to {latest} across {n_locations} locations.",
}
SENTENCES["select_multiple"] = SENTENCES["yes_no"] = SENTENCES["select_one"]
SENTENCES["decimal"] = SENTENCES["integer"]
GROUP_SENTENCE = " {top_option} was most reported in {top_group} ({top_group_pct})."

DEFAULT_OPTIONS = (
    "Piped water", "Protected well", "Unprotected well", "Surface water", "Water trucking",
)


def make_country(admin1: list[str] | None = None, **changes: Any) -> Country:
    names = admin1 if admin1 is not None else [
        "Arvenna", "Kessaro", "Lower Mardel", "Upper Mardel", "Tamsin Coast", "Dorvak",
        "Ostrel Plains",
    ]
    data: dict[str, Any] = {
        "name": "Testland", "iso3": "TST", "fictional": True, "summary": "A test country.",
        "dtm": {"implemented_under": "The ISCG.", "contact_email": "dtm@example.org"},
        "msla": {
            "collection_method": "Key informant interviews.",
            "target_population": ["IDPs in sites", "IDPs in host communities", "Returnees",
                                  "Host community"],
            "key_informant_types": [
                {"id": "community-leader", "label": "Community leader"},
                {"id": "site-manager", "label": "Site manager"},
                {"id": "health-worker", "label": "Health worker"},
            ],
            "admin_levels": [{"level": 0, "name": "Country"}, {"level": 1, "name": "Province"}],
            "geographic_boundaries": "COD-AB.", "timing": "Four weeks.",
            "frequency": "Every four months",
        },
        "admin1": [{"pcode": f"TS{i:02d}", "name": n} for i, n in enumerate(names, start=1)],
        "round": {"number": 6, "start": "2026-11-02", "end": "2026-11-27"},
        "languages": ["English"],
    }
    data.update(changes)
    return Country.model_validate(data)


def make_question(
    qid: str = "test-question",
    qtype: str = "select_one",
    *,
    options: list[str] | None = None,
    chart: str = "bar",
    disaggregation: list[str] | None = None,
    sentence: str | None = None,
    statistic: str | None = None,
    title: str | None = None,
    spec: dict[str, Any] | None = None,
    **changes: Any,
) -> Question:
    """A valid question; choice types get DEFAULT_OPTIONS unless `options` (labels) is given."""
    disaggregation = disaggregation or []
    if options is None:
        options = list(DEFAULT_OPTIONS) if qtype in ("select_one", "select_multiple") else []
    if sentence is None:
        sentence = SENTENCES[qtype]
        if disaggregation and qtype in ("select_one", "select_multiple", "yes_no"):
            sentence += GROUP_SENTENCE
    analysis: dict[str, Any] = {
        "descriptive": "As agreed.", "disaggregation": disaggregation, "analysed_by": ["dtm"],
    }
    if statistic:
        analysis["statistic"] = statistic
    mockup: dict[str, Any] = {"sentence": sentence, "chart": chart}
    if title:
        mockup["title"] = title
    mockup.update(spec or {})  # false-data spec: typical, shares, ordered...
    data: dict[str, Any] = {
        "id": qid, "sector": "wash", "text": "What is the main source of drinking water?",
        "type": qtype,
        "options": [{"code": f"opt_{i}", "label": label} for i, label in enumerate(options)],
        "information_need": "Need.", "purpose": "Purpose.", "use": "Use.",
        "requested_by": ["wash-cluster"], "analysis": analysis, "mockup": mockup,
        "sharing": {"modality": "public"},
        "criteria": {"not_available_elsewhere": "No other source.",
                     "methodology_adequate": "KIs know it.", "analysis_capacity": "DTM."},
    }
    data.update(changes)
    return Question.model_validate(data)
