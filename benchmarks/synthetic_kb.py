"""A synthetic knowledge base of any size, for benchmarks and scale tests.

The non-question records come from the sample kb (kb/ at the repository root); any that
are missing there are replaced by minimal valid ones, so this works on a bare checkout.
Questions are generated: every question type, chart kind and disaggregation, spread
across the sectors, with sentences that use the placeholders valid for their type.
Datasets are not copied: they name sample questions that the synthetic kb lacks.
"""

from __future__ import annotations

import random
import shutil
from itertools import cycle, islice
from pathlib import Path
from typing import Any

import yaml

SAMPLE_KB = Path(__file__).resolve().parents[1] / "kb"
SINGLE_FILES = ("country.yml", "sectors.yml", "process.yml", "checklist.yml",
                "analysis-plan.yml")

TYPES = ("select_one", "select_multiple", "yes_no", "integer", "decimal", "text", "date")
DISAGGREGATIONS: tuple[list[str], ...] = (
    [], ["admin1"], ["population_group"], ["key_informant_type"], ["admin1", "population_group"],
)
CHOICE_SENTENCE = (
    "In {top_pct} of the {n_locations} {units}, key informants reported "
    "{top_option}; {second_option} followed ({second_pct}) and {least_option} was least "
    "reported ({least_pct})."
)
SENTENCES = {
    "integer": "The reported value was {mean} on average (median {median}, from {min} to "
               "{max}); {total} in total across {n_locations} {units}.",
    "decimal": "The reported value averaged {mean} (median {median}, range {min} to {max}) "
               "across {n_locations} {units}.",
    "text": "{n_responses} of the {n_locations} {units} gave an answer.",
    "date": "Reported dates range from {earliest} to {latest} across {n_locations} {units}.",
}
WORDS = ("water", "shelter", "market", "clinic", "school", "road", "latrine", "borehole",
         "cash", "food", "transport", "fuel", "seeds", "tools", "blankets", "radio")

MINIMAL: dict[str, dict[str, Any]] = {
    "country.yml": {
        "name": "Synthetic Republic", "iso3": "SYN", "fictional": True,
        "summary": "A generated country for benchmarks.",
        "dtm": {"implemented_under": "The inter-sector coordination group.",
                "contact_email": "dtm@example.org"},
        "msla": {
            "collection_method": "Key informant interviews per location.",
            "target_population": ["IDPs", "Returnees", "Host community"],
            "key_informant_types": [{"id": "community-leader", "label": "Community leader"},
                                    {"id": "site-manager", "label": "Site manager"}],
            "admin_levels": [{"level": 0, "name": "Country"}, {"level": 1, "name": "Region"}],
            "geographic_boundaries": "Common operational dataset.",
            "timing": "Four weeks per round.", "frequency": "Every four months",
        },
        "admin1": [{"pcode": f"SY{i:02d}", "name": f"Region {i}"} for i in range(1, 9)],
        "round": {"number": 1, "start": "2026-01-05", "end": "2026-01-30"},
        "languages": ["English"],
    },
    "sectors.yml": {"sectors": [
        {"id": s, "name": s.upper()} for s in ("cccm", "wash", "health", "protection")
    ]},
    "process.yml": {"steps": [{"id": "identify-information-needs", "title": "Identify needs",
                               "lead": "partners", "description": "Partners list needs."}]},
    "checklist.yml": {"items": [{"id": "questionnaire", "component": "The questionnaire",
                                 "applies_to": ["report"], "why": "Readers check wording."}]},
    "analysis-plan.yml": {"version": "0.1", "round": 1},
}
MINIMAL_PARTNERS = {
    "dtm": {"id": "dtm", "name": "Displacement Tracking Matrix", "type": "dtm"},
    "cluster": {"id": "cluster", "name": "A cluster", "type": "cluster"},
}


def _dump(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _copy_base(dest: Path) -> None:
    for name in SINGLE_FILES:
        if (SAMPLE_KB / name).is_file():
            shutil.copy2(SAMPLE_KB / name, dest / name)
        else:
            _dump(dest / name, MINIMAL[name])
    # Generated questions adopt nothing: no library to find beside the synthetic kb.
    country = yaml.safe_load((dest / "country.yml").read_text(encoding="utf-8"))
    if country.pop("library", None) is not None:
        _dump(dest / "country.yml", country)
    partners = sorted((SAMPLE_KB / "partners").glob("*.yml"))
    if partners:
        shutil.copytree(SAMPLE_KB / "partners", dest / "partners")
    else:
        for pid, record in MINIMAL_PARTNERS.items():
            _dump(dest / "partners" / f"{pid}.yml", record)
    if not (dest / "partners" / "dtm.yml").is_file():
        _dump(dest / "partners" / "dtm.yml", MINIMAL_PARTNERS["dtm"])


VERIFICATION = {"date": "2026-09-24", "verified_by": [
    {"expertise": "subject-matter", "role": "Cluster Coordinator", "organisation": "UNICEF"},
    {"expertise": "context", "role": "District Focal Point", "organisation": "NCDR"},
    {"expertise": "imo", "role": "Information Management Officer", "organisation": "IOM"},
]}


def _question(i: int, sector: str, partners: list[str], ki_types: list[str],
              rnd: random.Random) -> dict[str, Any]:
    qtype = TYPES[i % len(TYPES)]
    disaggregation = DISAGGREGATIONS[(i // len(TYPES)) % len(DISAGGREGATIONS)]
    # One in twenty is about key informants or households: units drawn below locations.
    unit = ("key_informant", "household")[i // 20 % 2] if i % 20 == 7 else None
    if unit == "household":
        disaggregation = [d for d in disaggregation if d != "key_informant_type"]
    charts = ["bar", "table"] + (["stacked-bar"] if disaggregation else [])
    chart = charts[(i // (len(TYPES) * len(DISAGGREGATIONS))) % len(charts)]
    qid = f"{sector}-synthetic-{i:04d}"
    options: list[dict[str, str]] = []
    if qtype in ("select_one", "select_multiple"):
        words = rnd.sample(WORDS, rnd.randint(2, 12))
        options = [{"code": w, "label": f"Lack of {w}" if j % 3 else w.capitalize()}
                   for j, w in enumerate(words)]
    elif qtype == "yes_no" and i % 2:
        options = [{"code": "yes", "label": "Yes"}, {"code": "no", "label": "No"},
                   {"code": "dont_know", "label": "Don't know"}]
    if qtype in ("select_one", "select_multiple", "yes_no"):
        sentence = CHOICE_SENTENCE
        if disaggregation:
            sentence += " {top_option} was most reported in {top_group} ({top_group_pct})."
    else:
        sentence = SENTENCES[qtype]
    analysis: dict[str, Any] = {
        "descriptive": f"Descriptive analysis of question {i} as agreed with partners.",
        "disaggregation": disaggregation, "analysed_by": ["dtm"],
    }
    if qtype in ("integer", "decimal"):
        analysis["statistic"] = ("mean", "median", "sum")[i % 3]
    confidential = i % 10 == 9
    sharing: dict[str, Any] = {"modality": "confidential", "partners": partners[:1],
                               "agreement": "Data sharing agreement, round 6"} \
        if confidential else {"modality": "public"}
    return {
        "id": qid, "sector": sector,
        "text": f"Synthetic question {i}: what do key informants report about "
                f"{rnd.choice(WORDS)} in this location?",
        "type": qtype, **({"options": options} if options else {}),
        "key_informant": ki_types[: 1 + i % 2],
        "information_need": f"Information need {i}.", "purpose": f"Purpose of question {i}.",
        "use": f"Use of the results of question {i}.",
        "requested_by": partners[: 1 + i % 2],
        "analysis": analysis,
        "mockup": {"sentence": sentence, "chart": chart},
        "sharing": sharing,
        "criteria": {"not_available_elsewhere": "No other assessment covers it.",
                     "methodology_adequate": "Key informants know this for the location.",
                     "analysis_capacity": "DTM confirmed capacity.",
                     "do_no_harm": "Asks about the location as a whole, never about people."},
        "status": "agreed" if i % 4 else "proposed",
        "since_round": 1,
        **({"unit_of_analysis": unit} if unit else {}),
        # Schema version 2: an agreed question names who verified its phrasing and mock-up.
        **({"verification": VERIFICATION} if i % 4 else {}),
    }


def write_synthetic_kb(dest: Path, n_questions: int, seed: int = 0) -> Path:
    """Write a valid kb with `n_questions` generated questions into `dest` (created)."""
    dest.mkdir(parents=True, exist_ok=True)
    _copy_base(dest)
    (dest / "datasets").mkdir(exist_ok=True)
    sectors = [s["id"] for s in yaml.safe_load((dest / "sectors.yml").read_text())["sectors"]]
    country = yaml.safe_load((dest / "country.yml").read_text())
    ki_types = [k["id"] for k in country["msla"]["key_informant_types"]]
    partners = sorted(p.stem for p in (dest / "partners").glob("*.yml") if p.stem != "dtm")
    partners = partners or ["dtm"]
    # Form languages besides English need a translation of each text and option (a missing
    # one is a warning, which strict mode refuses).
    extra = [lang["code"] for lang in country.get("form_languages", []) if lang["code"] != "en"]
    rnd = random.Random(seed)
    for i, sector in enumerate(islice(cycle(sectors), n_questions)):
        record = _question(i, sector, rnd.sample(partners, min(2, len(partners))), ki_types, rnd)
        if extra:
            record["translations"] = {c: {"text": f"[{c}] {record['text']}"} for c in extra}
            for option in record.get("options", []):
                option["translations"] = {c: f"[{c}] {option['label']}" for c in extra}
        _dump(dest / "questions" / sector / f"{record['id']}.yml", record)
    return dest
