"""Hostile record content for the safety tests (import as `from hostile import ...`).

Every payload carries a `pwned` marker (an id, class or alert text) so a test can look for
any element or dialog it would create if it were ever interpreted instead of shown as text.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from generator.models import (
    AnalysisPlan,
    Checklist,
    Country,
    Dataset,
    Partner,
    Process,
    Question,
    SectorList,
)

# One payload per line: raw HTML, scripts, event handlers, javascript: URLs in every
# Markdown link form, attribute lists, fences that would swallow the page, block syntax,
# template syntax and entities that would decode into tags.
PAYLOAD_LINES = [
    '<script>alert("pwned-script")</script>',
    '<img id="pwned-img" src="x" onerror="alert(\'pwned-img\')">',
    '<svg id="pwned-svg" onload="alert(\'pwned-svg\')"></svg>',
    '<iframe id="pwned-iframe" src="javascript:alert(\'pwned-iframe\')"></iframe>',
    '<a id="pwned-a" href="javascript:alert(\'pwned-a\')">html link</a>',
    '<details id="pwned-details" open ontoggle="alert(\'pwned-details\')">x</details>',
    "[md link](javascript:alert('pwned-mdlink'))",
    "![md image](x\" onerror=\"alert('pwned-mdimg'))",
    "<javascript:alert('pwned-autolink')>",
    "[pwned-ref]: javascript:alert('pwned-ref')",
    "See [pwned-ref] and [pwned-ref][] now",
    "**bold**{: #pwned-attr onclick=\"alert('pwned-attr')\" }",
    "{{ 7*7 }} {% if true %}pwned-jinja{% endif %} {0.__class__} {{ config }}",
    "&lt;script&gt;alert('pwned-entity')&lt;/script&gt; &#60;b id=pwned-num&#62;",
    "<style>body{display:none}</style><link rel=stylesheet href=//pwned.example/x.css>",
    '<div markdown="1" id="pwned-div">md_in_html</div>',
    "```",
    "~~~",
    "<!-- unclosed comment swallowing the rest",
    '!!! danger "pwned admonition"',
    '??? note "pwned details block"',
    "# pwned heading",
    "---",
    "| pwned | table |",
    "\\<script\\>alert('pwned-backslash')\\</script\\>",
    "\"><script>alert('pwned-attribute')</script>",
]
PAYLOAD = "\n".join(PAYLOAD_LINES)
# Short fields (labels, names) hold at most 300 characters.
SHORT = (
    "<img id=pwned-short src=x onerror=alert('pwned-short')>[x](javascript:alert(1)){: #pwned-s}"
)
# Mock-up sentences may hold only known {placeholders}: the brace payloads are tested apart.
SENTENCE = "In {top_pct} of locations " + " ".join(
    line for line in PAYLOAD_LINES if "{" not in line and "}" not in line
)
# Texts that must stay visible, verbatim, on the rendered page.
VISIBLE = [
    '<script>alert("pwned-script")</script>',
    "onerror=\"alert('pwned-img')\"",
    "[md link](javascript:alert('pwned-mdlink'))",
    "{{ 7*7 }}",
    "{% if true %}pwned-jinja{% endif %}",
    "{: #pwned-attr onclick=",
    "&lt;script&gt;",
    "# pwned heading",
    "!!! danger",
    "??? note",
    "~~~",
]


def hostile_question(qid: str, sector: str, partner: str, ki: str | None = None) -> dict[str, Any]:
    """A valid question whose every free-text field carries the payloads."""
    return {
        "id": qid,
        "sector": sector,
        "text": "Hostile question " + PAYLOAD,
        "type": "select_one",
        "options": [
            {"code": "first", "label": SHORT},
            {"code": "second", "label": "Second " + SHORT[:200]},
        ],
        "hint": PAYLOAD,
        "key_informant": [ki] if ki else [],
        "information_need": PAYLOAD,
        "purpose": PAYLOAD,
        "use": PAYLOAD,
        "requested_by": [partner],
        "analysis": {
            "descriptive": PAYLOAD,
            "disaggregation": ["admin1"],
            "analysed_by": [partner],
            "frequency": SHORT,
            "tools": PAYLOAD,
        },
        "mockup": {"sentence": SENTENCE, "chart": "bar", "title": SHORT},
        "sharing": {"modality": "public", "agreement": SHORT, "contact": SHORT},
        "criteria": {
            "not_available_elsewhere": PAYLOAD,
            "methodology_adequate": PAYLOAD,
            "analysis_capacity": PAYLOAD,
            "do_no_harm": PAYLOAD,
        },
        "status": "agreed",
        "since_round": 1,
        "history": [{"round": 1, "change": PAYLOAD}],
        "enumerator_notes": PAYLOAD,
        "hxl": SHORT,
    }


def hostile_partner(pid: str) -> dict[str, Any]:
    return {
        "id": pid,
        "name": "Hostile partner " + SHORT,
        "short_name": SHORT,
        "type": "ngo",
        "lead_agencies": [SHORT],
        "description": PAYLOAD,
        "contact": {"role": SHORT, "email": "x@example.org\"><script>alert('pwned-mail')</script>"},
        "information_needs": [PAYLOAD],
        "engagement": {"approach": PAYLOAD, "status": "engaged", "notes": PAYLOAD},
    }


def write_record(path: Path, data: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def add_hostile_records(kb: Path, *, sector: str, partner_id: str = "hostile-partner",
                        question_id: str = "hostile-question") -> tuple[Path, Path]:
    """Write a hostile partner and a hostile question (asking that partner) into kb."""
    partner = write_record(kb / "partners" / f"{partner_id}.yml", hostile_partner(partner_id))
    data = hostile_question(question_id, sector, partner_id)
    # A kb with other form languages gets them too: the payload then also travels through
    # translations, and the strict build has no missing-translation warning to stop at.
    country = yaml.safe_load((kb / "country.yml").read_text(encoding="utf-8")) or {}
    for lang in (country.get("form_languages") or [])[1:]:
        code = lang["code"]
        data.setdefault("translations", {})[code] = {"text": PAYLOAD, "hint": PAYLOAD}
        for option in data["options"]:
            option.setdefault("translations", {})[code] = SHORT
    question = write_record(kb / "questions" / sector / f"{question_id}.yml", data)
    return partner, question


# ---------------------------------------------------------------------------------------
# Every free-text field of every record kind, found from the models' JSON Schemas, so a
# field added to a model later is filled (and so tested) without editing the tests.

# kb-relative glob -> (record kind, model). Kept here rather than imported from the loader
# so these tests do not depend on where the loader keeps its registry.
RECORD_FILES: dict[str, tuple[str, type]] = {
    "country.yml": ("country", Country),
    "sectors.yml": ("sectors", SectorList),
    "process.yml": ("process", Process),
    "checklist.yml": ("checklist", Checklist),
    "analysis-plan.yml": ("analysis-plan", AnalysisPlan),
    "partners/*.yml": ("partner", Partner),
    "questions/*/*.yml": ("question", Question),
    "datasets/*.yml": ("dataset", Dataset),
}
# Mock-up sentences may hold only known {placeholders}; {n_locations} is known to every type.
SENTENCE_FIELDS = {"question.mockup.sentence"}
# XLSForm expressions must parse: the payload goes in as a text literal.
EXPRESSION_FIELDS = {"question.relevant", "question.constraint", "question.choice_filter",
                     "question.calculation"}

# fill(kind, field path, max length, current value or None) -> new value or None (keep)
Filler = Callable[[str, str, int, Any], Any]


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if ref:
        return root["$defs"][ref.rsplit("/", 1)[-1]]
    return schema


def _free_text(schema: dict[str, Any]) -> int | None:
    """Max length if schema is free text (a string with no pattern, enum or format)."""
    if schema.get("type") != "string":
        return None
    if any(k in schema for k in ("pattern", "enum", "const", "format")):
        return None
    return int(schema.get("maxLength", 5000))


def _branches(schema: dict[str, Any], root: dict[str, Any]) -> list[dict[str, Any]]:
    return [_resolve(s, root) for s in schema.get("anyOf", [schema])]


def fill_record(data: Any, schema: dict[str, Any], root: dict[str, Any], kind: str,
                path: str, fill: Filler, filled: set[str]) -> Any:
    """Walk data beside its schema; call fill on every free-text string (present or not)."""
    branches = [b for b in _branches(schema, root) if b.get("type") != "null"]
    texts = [n for n in (_free_text(b) for b in branches) if n]
    if texts and (data is None or isinstance(data, str)):
        new = fill(kind, path, texts[0], data)
        if new is not None:
            filled.add(path)
            return new
        return data
    for branch in branches:
        if branch.get("type") == "object" and "properties" in branch and isinstance(data, dict):
            out = dict(data)
            for name, sub in branch["properties"].items():
                sub_path = f"{path}.{name}" if path else name
                current = data.get(name)
                if current is None and any(b.get("type") == "object"
                                           for b in _branches(sub, root)):
                    continue  # an absent nested record: nothing to fill
                new = fill_record(current, sub, root, kind, sub_path, fill, filled)
                if new is not None:
                    out[name] = new
            return out
        if branch.get("type") == "object" and isinstance(data, dict):  # dict[Id, Text]
            values = next(iter(branch.get("patternProperties", {}).values()),
                          branch.get("additionalProperties"))
            if isinstance(values, dict):
                return {k: fill_record(v, values, root, kind, f"{path}.*", fill, filled)
                        for k, v in data.items()}
        if branch.get("type") == "array" and (data is None or isinstance(data, list)):
            items = branch.get("items", {})
            kinds = _branches(items, root)
            data = list(data or [])
            if not data and any(_free_text(b) for b in kinds):
                data = [None]  # an empty list of texts gets one
            if any(_free_text(b) for b in kinds) and any("properties" in b for b in kinds) \
                    and not any(isinstance(v, dict) for v in data):
                data.append({})  # text or record (information needs): one of each
            return [fill_record(v, items, root, kind, f"{path}[]", fill, filled) for v in data]
    return data


def free_text_paths(model: type, kind: str) -> set[str]:
    """Every free-text field path of a record kind, as fill_record names them."""
    root = model.model_json_schema()  # type: ignore[attr-defined]
    found: set[str] = set()

    def walk(schema: dict[str, Any], path: str) -> None:  # the models have no cycles
        for branch in _branches(schema, root):
            if _free_text(branch):
                found.add(path)
            elif branch.get("type") == "object" and "properties" in branch:
                for name, sub in branch["properties"].items():
                    walk(sub, f"{path}.{name}" if path else name)
            elif branch.get("type") == "object":
                values = next(iter(branch.get("patternProperties", {}).values()),
                              branch.get("additionalProperties"))
                if isinstance(values, dict):
                    walk(values, f"{path}.*")
            elif branch.get("type") == "array":
                walk(branch.get("items", {}), f"{path}[]")

    walk(root, "")
    return {f"{kind}.{p}" for p in found}


def rewrite_record(path: Path, kind: str, model: type, fill: Filler) -> set[str]:
    """Rewrite one record file with fill; returns the '<kind>.<field path>'s filled."""
    root = model.model_json_schema()  # type: ignore[attr-defined]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    filled: set[str] = set()
    write_record(path, fill_record(data, root, root, kind, "", fill, filled))
    return {f"{kind}.{p}" for p in filled}


def rewrite_kb(kb: Path, fill: Filler) -> set[str]:
    """Rewrite every record of kb with fill; returns the '<kind>.<field path>'s filled."""
    filled: set[str] = set()
    for pattern, (kind, model) in RECORD_FILES.items():
        for path in sorted(kb.glob(pattern)):
            filled |= rewrite_record(path, kind, model, fill)
    return filled


def xss_value(tag: str, max_length: int) -> str:
    """A payload that names its field (tag) in every alert, led by a spreadsheet formula."""
    head = (f"=1+1 {tag}</title><script>alert('pwned-{tag}')</script>"
            f"<img src=x onerror=alert('pwned-{tag}')>")
    if max_length <= 300:
        return (head + "[x](javascript:alert(1)){: #pwned-s}")[:max_length]
    return head + "\n" + PAYLOAD


def sentence_value(tag: str) -> str:
    return ("In {n_locations} locations " + tag + " "
            + " ".join(line for line in PAYLOAD_LINES if "{" not in line and "}" not in line))


def make_xss_filler() -> tuple[Filler, dict[str, str]]:
    """A filler putting xss_value everywhere; tags maps each tag to the field it is in."""
    tags: dict[str, str] = {}

    def fill(kind: str, path: str, max_length: int, current: Any) -> str:
        tag = f"f{len(tags)}"
        tags[tag] = f"{kind}.{path}"
        if f"{kind}.{path}" in SENTENCE_FIELDS:
            return sentence_value(tag)
        if f"{kind}.{path}" in EXPRESSION_FIELDS:
            return '. != "' + xss_value(tag, max_length - 8).replace('"', "'") + '"'
        return xss_value(tag, max_length)

    return fill, tags
