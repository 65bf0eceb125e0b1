"""Hostile record content for the safety tests (import as `from hostile import ...`).

Every payload carries a `pwned` marker (an id, class or alert text) so a test can look for
any element or dialog it would create if it were ever interpreted instead of shown as text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

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
