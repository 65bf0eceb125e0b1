"""`toolkit adopt LIBRARY_ID`: start a country question from a library question.

The record holds what only the country can say (to fill in) and, commented out, every field
the country may override, with the library's value as a starting point and a reason to give.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..errors import ScaffoldError
from ..models.common import ID_RE
from ..yamlio import YamlProblem, read_yaml
from .loading import Library

# Fields a country may override, in the order the record shows them.
OVERRIDABLE = (
    "text", "type", "options", "hint", "information_need", "purpose", "use",
    "analysis.descriptive", "analysis.statistic", "analysis.disaggregation",
    "mockup.sentence", "mockup.chart", "mockup.title", "hxl",
)


def _value(data: dict[str, Any], path: str) -> Any:
    for part in path.split("."):
        data = data.get(part) if isinstance(data, dict) else None  # type: ignore[assignment]
    return data


def _commented(text: str, indent: str = "") -> list[str]:
    return [f"# {indent}{line}".rstrip() for line in text.splitlines()]


def adoption_record(library: Library, lid: str, qid: str, sector: str,
                    ki_types: list[str]) -> str:
    q = library.questions[lid]
    data = library.docs[lid].data
    c = q.companion
    lines = [
        f"# Adopted from library question {lid} ({library.info.id} {library.info.version}).",
        "# Fill in the country fields (toolkit validate refuses what still says TODO); to",
        "# contextualise the question, uncomment an override, change its value and say why.",
        f"id: {qid}",
        f"sector: {sector}",
        f"adopts: {lid}",
        "# Partner ids that asked for it in this country (kb/partners/).",
        "requested_by:",
        "  - todo",
        f"# Recommended key informant: {c.key_informant}. Use this country's types:",
        f"# {', '.join(ki_types) or 'see msla.key_informant_types in kb/country.yml'}",
        "key_informant:",
        "  - todo",
        "analysis:",
        "  analysed_by:",
        "    - dtm",
        f"# The library recommends: {' '.join(c.sharing.split())}",
        "sharing:",
        "  modality: public",
        "criteria:",
        "  not_available_elsewhere: TODO why secondary data and other assessments cannot "
        "give this here",
        "  methodology_adequate: TODO why key informants can answer it accurately here",
        "  analysis_capacity: TODO who confirmed they will analyse all the data",
        "status: proposed",
        "# The information needs it serves in this country (ids of kb/needs/ records).",
        "needs:",
        "  - todo",
        "# overrides:",
    ]
    for path in OVERRIDABLE:
        value = _value(data, path)
        if value is None:
            lines += [f"#   {path}:", "#     value: (the library question has none)",
                      "#     reason: why partners in this country add it"]
            continue
        entry = {path: {"value": value,
                        "reason": "why partners in this country changed it"}}
        dumped = yaml.safe_dump(entry, sort_keys=False, allow_unicode=True, width=86)
        lines += _commented(dumped, "  ")
        if path == "options":
            # A shared list in place of the options is compared with them the same way.
            lines += ["#   choices:   # or a shared list of kb/choices/ in place of the options",
                      "#     value: list-id",
                      "#     reason: why partners in this country changed the options"]
    return "\n".join(lines) + "\n"


def write_adoption(kb: Path, library: Library, lid: str, qid: str | None,
                   sector: str | None) -> Path:
    if lid not in library.questions:
        raise ScaffoldError(f"library {library.info.id} {library.info.version} has no "
                            f"question '{lid}': see toolkit library search WORDS")
    q = library.questions[lid]
    qid = qid or lid
    sector = sector or q.sector
    if not ID_RE.match(qid):
        raise ScaffoldError(f"'{qid}' is not a valid id: use lowercase letters, digits and "
                            "dashes")
    try:
        sectors = read_yaml(kb / "sectors.yml", within=kb).data.get("sectors") or []
        country = read_yaml(kb / "country.yml", within=kb).data
    except (YamlProblem, OSError, AttributeError) as err:
        raise ScaffoldError(f"cannot read the kb at {kb}: {err}") from None
    known = [s.get("id") for s in sectors if isinstance(s, dict)]
    if sector not in known:
        raise ScaffoldError(f"sector '{sector}' is not in {kb}/sectors.yml: pass --sector "
                            f"with one of {', '.join(map(str, known))}")
    types = [k.get("id") for k in (country.get("msla") or {}).get("key_informant_types") or []
             if isinstance(k, dict)]
    path = kb / "questions" / sector / f"{qid}.yml"
    if path.exists():
        raise ScaffoldError(f"{path} already exists: pass --id with another id")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(adoption_record(library, lid, qid, sector, [str(t) for t in types]),
                    encoding="utf-8")
    return path
