"""`toolkit new question|partner`: start a record from a template that explains every field.

The template's values are clearly marked TODOs rather than plausible defaults. The record is
valid YAML of the right shape, so every TODO is reported in one validation run, each with
its line (todo-left, in checks.py): the report is the partner's to-do list, and a half-filled
proposal cannot pass the pull-request check by accident.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

from . import errors
from .checks import suggest as _suggest  # offers only valid, unambiguous ids
from .models.common import ID_RE
from .models.partner import PartnerType
from .models.question import CHOICE_TYPES, QuestionType
from .yamlio import YamlProblem, read_yaml

QUESTION_TYPES: tuple[str, ...] = get_args(QuestionType)
PARTNER_TYPES: tuple[str, ...] = get_args(PartnerType)


class ScaffoldError(errors.ScaffoldError):
    """A record could not be started; param names the command-line option at fault."""

    def __init__(self, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.param = param


# --- writing templates --------------------------------------------------------------------

@dataclass(frozen=True)
class KbContext:
    """What the template lists as choices, read leniently: the kb may be mid-edit."""

    root: Path
    sectors: dict[str, dict[str, Any]]
    partners: list[str]
    key_informants: list[str]
    steps: list[str]
    round: int | None
    needs: list[str] = field(default_factory=list)  # need ids (kb/needs/)


def _read(path: Path) -> Any:
    try:
        return read_yaml(path).data
    except (OSError, YamlProblem):
        return None


def read_context(kb: Path) -> KbContext:
    if not (kb / "sectors.yml").is_file():
        raise ScaffoldError(
            f"{kb}/sectors.yml not found: pass the kb folder with --kb (default: kb)")
    sectors_data = _read(kb / "sectors.yml")
    if not isinstance(sectors_data, dict) or not isinstance(sectors_data.get("sectors"), list):
        raise ScaffoldError(
            f"{kb}/sectors.yml cannot be read: run 'toolkit validate {kb}' and fix it first")
    sectors = {s["id"]: s for s in sectors_data["sectors"] if isinstance(s, dict) and "id" in s}
    country = _read(kb / "country.yml") or {}
    msla = (country.get("msla") or {}) if isinstance(country, dict) else {}
    kis = [k["id"] for k in msla.get("key_informant_types") or [] if isinstance(k, dict)]
    process = _read(kb / "process.yml") or {}
    steps = [s["id"] for s in (process.get("steps") or []) if isinstance(s, dict)] \
        if isinstance(process, dict) else []
    number = (country.get("round") or {}).get("number") if isinstance(country, dict) else None
    partners = sorted(p.stem for p in (kb / "partners").glob("*.yml"))
    needs = sorted(p.stem for p in (kb / "needs").glob("*.yml"))
    return KbContext(kb, sectors, partners, kis, steps,
                     number if isinstance(number, int) else None, needs)


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _listing(label: str, items: Sequence[str], indent: str = "") -> str:
    """A comment listing choices, wrapped for the editor."""
    if not items:
        return ""
    lines = textwrap.wrap(", ".join(items), 88 - len(indent),
                          initial_indent=f"{indent}# {label}: ",
                          subsequent_indent=f"{indent}#   ", break_on_hyphens=False)
    return "\n".join(lines) + "\n"


def question_template(ctx: KbContext, sector: str, qid: str, qtype: str) -> str:
    from .mockup import PLACEHOLDERS

    name = str(ctx.sectors[sector].get("name", sector))
    placeholders = ", ".join("{" + p + "}" for p in PLACEHOLDERS[qtype])
    if qtype in CHOICE_TYPES:
        options = (
            "# Reply options. 'code' is what the dataset stores (lowercase letters, digits and _,\n"
            "# e.g. piped_water); 'label' is what the enumerator reads out. Add a '- code:' pair\n"
            "# per option; questions need at least two.\n"
            "options:\n"
            f"  - code: todo_1\n    label: {_q('TODO: first reply option')}\n"
            f"  - code: todo_2\n    label: {_q('TODO: second reply option')}\n"
        )
    elif qtype == "yes_no":
        options = "# Yes/no questions need no options (add them only to word Yes/No differently).\n"
    else:
        options = ""
    round_note = f"\n# The current round is {ctx.round}." if ctx.round else ""
    # Once a kb has need records, every question names the needs it serves.
    needs = ("# Information needs it serves: need ids (file names in kb/needs/; "
             "`toolkit new need`).\n" + _listing("Needs", ctx.needs) + "needs: [todo]\n"
             if ctx.needs else "")
    return f"""\
# yaml-language-server: $schema=../../schemas/question.schema.json
#
# New MSLA question for the {name} sector.
# Replace every TODO (the pull-request check lists the ones left, line by line), then run
#   toolkit validate
# Lines starting with # explain the field below them; you may keep or delete them.
# Optional fields are shown commented out: remove the "# " in front to use one.

# Short name of the question: lowercase letters, digits and dashes. It must be the file name.
id: {qid}
# Sector id from kb/sectors.yml; the file lives in kb/questions/<sector>/.
sector: {sector}
# The question exactly as the enumerator asks it to key informants.
text: {_q("TODO: the question as asked, e.g. What is the main source of drinking water?")}
# Reply type: select_one, select_multiple, yes_no, integer, decimal, text or date.
type: {qtype}
{options}# Instruction read with the question, e.g. "Read the options aloud."
# hint: ...
# Who should answer: key informant type ids from kb/country.yml (msla.key_informant_types).
{_listing("Choices", ctx.key_informants)}key_informant: []

# --- The questionnaire (XLSForm); all optional. See CONTRIBUTING.md for each field. ---
# XLSForm variable name (default: the id with "_" for "-").
# name: {qid.replace("-", "_")}
# required: true
# Skip logic: ask only if an earlier question has a given answer (XLSForm expression).
# relevant: ${{idps_present}} = 'yes'
# Numbers: accepted range and unit; special codes such as -999 = don't know.
# min: 0
# max: 500
# unit: households
# special_codes:
#   - code: -999
#     label: Don't know
# constraint: . != 0
# constraint_message: The number cannot be zero.
# Each option may also say:
#   exclusive: true    ("None", "Don't know": cannot be ticked with another option)
#   other: true        ("Other": the form then asks to specify it; see specify_label)
#   filters: {{admin1: VL01}}   (values a choice_filter tests)
#   translations: {{fr: Eau courante}}
# Or use a shared list from kb/choices/ instead of options:
# choices: yes-no-dk
# specify_label: Please specify the other answer
# max_choices: 3
# XLSForm list name of the options (default: the name above).
# list_name: water_sources
# choice_filter: admin1 = ${{province}}
# appearance: minimal
# default: "0"
# calculation: ${{idp_households}} + ${{returnee_households}}
# location, site, key_informant, household or individual (default: kb/country.yml).
# unit_of_analysis: location
# Section of kb/questionnaire.yml it is asked in (at the end), if that file does not list it.
# section: wash
# Data Dictionary tier (core, core_camp, optional, recommended or mission) and indicator.
# tier: core
# indicator: JIAF 2.0 WASH indicator 3
# Texts in the other form languages (form_languages in kb/country.yml):
# translations:
#   fr:
#     text: ...
#     hint: ...
#     purpose: ...       (the website's texts in the other site_languages too)
#     source_hash:       (fingerprints from `toolkit i18n hash`: see CONTRIBUTING.md)
#       purpose: ...

# --- Why it is asked (minimum criterion: purpose and use documented in the DAP) ---
# The information partners are missing.
information_need: {_q("TODO: the information need, e.g. Access to safe drinking water")}
# What the answers will show.
purpose: {_q("TODO: what the results will show")}
# Who uses the results, and for which decision or activity.
use: {_q("TODO: who uses the results and for what decision")}
# Partner ids (file names in kb/partners/) that ask for this question.
{_listing("Partners", ctx.partners)}requested_by: [todo]
{needs}
# How the answers will be analysed, and by whom.
analysis:
  # The descriptive analysis that will be produced, e.g. "% of locations by main source,
  # by province".
  descriptive: {_q("TODO: the descriptive analysis")}
  # Optional: proportion, mean, median, sum or count (default: proportion for replies,
  # mean for numbers).
  # statistic: proportion
  # Breakdowns: admin1, admin2, population_group, location_type and/or key_informant_type
  # (admin2 and location_type when kb/country.yml declares them).
  disaggregation: [admin1]
  # Minimum criterion: confirmed capacity to analyse ALL the data. Partner ids (and/or dtm).
  analysed_by: [todo]
  # frequency: every round
  # Minimum criterion for complex analysis (e.g. severity scoring): the partner's tool.
  # tools: ...

# What the results will look like, on false data.
mockup:
  # Mock-up sentence, made with false data so partners can check the question gives what
  # they need. Use only these placeholders for a {qtype} question:
{_listing("Placeholders", [placeholders], "  ")}\
  #   ({{top_group}} and {{top_group_pct}} need a disaggregation above.)
  sentence: {_q("TODO: the sentence, with placeholders from the list above")}
  # Chart: bar, stacked-bar (needs a disaggregation) or table.
  chart: {"table" if qtype in ("text", "date") else "bar"}
  # title: optional chart title (default: the question text)
  # Optional, for the false data only (never a rule for the real data):
  # typical: {{min: 1, max: 3}}   numbers: the range most false answers fall in
  # expected_share: 5   % of units answering Yes, any option but "none", or above 0
  # shares: {{option_code: 40}}   expected % of units choosing an option
  # ordered: true   options are ordered bands (drawn with a sequential palette)
  # rare: true   a rare event; the default for urgent-action questions

# How the data is shared (agreed before collection).
sharing:
  # public (website), confidential (only the partners below, under a signed MoU) or
  # urgent-action (acted on at once by the partners below, under a protocol).
  modality: public
  # For confidential / urgent-action: partner ids that receive the data.
  # partners: [partner-id]
  # agreement: name of the MoU / data sharing agreement or protocol
  # trigger: urgent-action only: which finding is shared at once
  # contact: who to ask for access (role or email; shown on the public site)

# --- Minimum criteria (a question that cannot show all of them is not collected) ---
# Evidence for each criterion:
criteria:
  # Why secondary data review or ongoing assessments cannot give this information.
  not_available_elsewhere: {_q("TODO: why no other source gives this")}
  # Why key informants at location level can answer it accurately.
  methodology_adequate: {_q("TODO: why key informants know this")}
  # Who confirmed capacity to analyse all the data (name the team or IMO).
  analysis_capacity: {_q("TODO: who confirmed capacity to analyse all the data")}
  # Do No Harm: why it is safe to ask in a (rarely private) key informant interview.
  do_no_harm: {_q("TODO: why the question is not sensitive")}

# proposed while it is discussed; agreed once partners sign it off; dropped to stop asking
# it (keep the file so earlier rounds can still be read).
status: proposed
# First round it was asked in; set it when the question is first collected.{round_note}
# since_round: {ctx.round or 1}
# What changed in which round: record every change to the text, type or options, since it
# affects comparison with earlier rounds.
# history:
#   - round: {ctx.round or 1}
#     change: Reworded "water point" to "water source".
# enumerator_notes: ...
# hxl: "#indicator+water"
# Before 'status: agreed': who verified that the phrasing and mock-up give what partners
# need (a subject-matter expert, a context expert and an IMO), and when.
# verification:
#   date: 2026-09-30
#   verified_by:
#     - expertise: subject-matter
#       role: Cluster Coordinator
#       organisation: UNICEF
#     - expertise: context
#       role: Programme Coordinator
#       organisation: a local NGO
#     - expertise: imo
#       role: Cluster Information Management Officer
#       organisation: UNICEF
#       partner: wash-cluster   (the partner id, if the organisation is one)
#   notes: Verified at the cluster meeting with the mock-up on screen.
# A change agreed for a future round goes in history with 'status: planned'.
"""


def need_template(ctx: KbContext, nid: str, partner: str | None) -> str:
    raised = partner or "todo"
    return f"""\
# yaml-language-server: $schema=../schemas/need.schema.json
#
# New information need (process points 6-7): what a partner wants DTM to provide, how often,
# and for which decision. Questions name the needs they serve ('needs: [{nid}]').
# Replace every TODO (the pull-request check lists the ones left, line by line), then run
#   toolkit validate
# Lines starting with # explain the field below them; you may keep or delete them.

# Short name: lowercase letters, digits and dashes. It must be the file name.
id: {nid}
# What the partner needs to know.
need: {_q("TODO: the information need, e.g. Locations without safe drinking water")}
# Partner ids (file names in kb/partners/) that raised it.
{_listing("Partners", ctx.partners)}raised_by: [{raised}]
# The decision the information informs.
decision: {_q("TODO: the decision, e.g. Where to send water trucking")}
# How often it is needed.
frequency: every round
# Minimum criterion: the secondary data already reviewed, and why it is not enough.
secondary_data:
  - source: {_q("TODO: what was reviewed (report, dataset, assessment)")}
    # date: 2026-09-01
    why_insufficient: {_q("TODO: why it does not give what the partner needs")}
# What the serving questions do not give (coverage: partly).
# gaps: ...
# No question serves it yet: say why (validation warns about an unmet need without it).
# unmet_reason: To be discussed for the next round.
# The MSLA cannot capture it accurately: why, and where the partner gets it instead.
# out_of_scope:
#   reason: Household-level information; key informants cannot report it.
#   instead: The household survey.
# true if the need describes confidential data (shown in internal builds only).
# restricted: true
"""


def partner_template(ctx: KbContext, pid: str, ptype: str) -> str:
    return f"""\
# yaml-language-server: $schema=../schemas/partner.schema.json
#
# New partner: a cluster, AoR, working group, agency, NGO or authority DTM works with.
# Replace every TODO (the pull-request check lists the ones left, line by line), then run
#   toolkit validate
# Lines starting with # explain the field below them; you may keep or delete them.
# Optional fields are shown commented out: remove the "# " in front to use one.

# Short name used in links: lowercase letters, digits and dashes. It must be the file name.
id: {pid}
# Full name, as on the website.
name: {_q("TODO: full name, e.g. Water, Sanitation and Hygiene Cluster")}
# Name used in tables and tags.
short_name: {_q("TODO: short name, e.g. WASH Cluster")}
{_listing("Types", PARTNER_TYPES)}type: {ptype}
# Lead or co-lead agencies, e.g. [UNICEF, Horizon Aid].
lead_agencies: []
# What the partner does in this response (one or two sentences).
description: {_q("TODO: what the partner does in this response")}
# A role, not a person: staff change. The email is shown on the public site.
contact:
  role: {_q("TODO: e.g. Cluster Information Management Officer")}
  # email: name@example.org
# The partner's role in each step of the process, keyed by step id (kb/process.yml), e.g.
#   identify-information-needs: Consults members and sends the cluster's needs.
{_listing("Step ids", ctx.steps)}roles: {{}}
# What the partner needs to know from DTM data (one line each). A need that describes
# confidential data stays off the public site: - {{need: "...", restricted: true}}
# Better: record each need with `toolkit new need --id ... --partner {pid}` (kb/needs/), so
# questions can name the needs they serve and the site shows their coverage.
information_needs:
  - {_q("TODO: an information need, e.g. Locations without safe drinking water")}
# How and when DTM approaches the partner.
engagement:
  approach: {_q("TODO: e.g. Bilateral meeting, then the cluster meeting")}
  # when: 2026-09-01      (approached)
  # meeting: 2026-09-05
  # reply_by: 2026-09-15
  # replied: 2026-09-14   (the engagement dashboard shows who is late)
  # not-started, planned, approached, engaged, needs-received, agreed or declined.
  status: not-started
  # notes: ...
  # restricted_notes: anything about confidential data (internal builds only)
# The partner's texts in the other site languages (site_languages in kb/country.yml), with
# the same field names; source_hash: fingerprints from `toolkit i18n hash` (CONTRIBUTING.md).
# translations:
#   fr:
#     name: ...
#     description: ...
#     source_hash:
#       name: ...
"""


def _check_id(rid: str) -> None:
    if not ID_RE.match(rid):
        raise ScaffoldError(
            f"'{rid}' is not a valid id: use lowercase letters, digits and dashes only, "
            "e.g. wash-water-source", param="--id")


def _write_new(path: Path, text: str) -> None:
    try:
        # "x": refuse to overwrite, even if the file appeared since we looked.
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise ScaffoldError(
            f"{path} already exists: edit it, or choose another --id") from None


def _free_question_id(kb: Path, base: str) -> str:
    taken = {p.stem for p in (kb / "questions").glob("*/*.yml")}
    rid, n = base, 2
    while rid in taken:
        rid, n = f"{base}-{n}", n + 1
    return rid


# --- starting a record ------------------------------------------------------------------

@dataclass(frozen=True)
class Started:
    path: Path
    todos: int  # values that still say TODO


def new_question(kb: Path, sector: str, qid: str | None, qtype: str) -> Started:
    """Write kb/questions/SECTOR/ID.yml with every field explained and TODOs to fill in."""
    ctx = read_context(kb)
    if sector not in ctx.sectors:
        raise ScaffoldError(
            f"unknown sector '{sector}': {_suggest(sector, list(ctx.sectors))}use one of "
            + ", ".join(sorted(ctx.sectors)) + " (kb/sectors.yml)", param="--sector")
    if qid is None:
        qid = _free_question_id(kb, f"{sector}-new-question")
    _check_id(qid)
    for other in (kb / "questions").glob(f"*/{qid}.yml"):
        raise ScaffoldError(f"{other} already uses the id '{qid}': choose another --id")
    folder = kb / "questions" / sector
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{qid}.yml"
    _write_new(path, question_template(ctx, sector, qid, qtype))
    return Started(path, _todos(path))


def new_partner(kb: Path, pid: str, ptype: str) -> Started:
    """Write kb/partners/ID.yml with every field explained and TODOs to fill in."""
    _check_id(pid)
    ctx = read_context(kb)
    (kb / "partners").mkdir(parents=True, exist_ok=True)
    path = kb / "partners" / f"{pid}.yml"
    _write_new(path, partner_template(ctx, pid, ptype))
    return Started(path, _todos(path))


def new_need(kb: Path, nid: str, partner: str | None) -> Started:
    """Write kb/needs/ID.yml with every field explained and TODOs to fill in."""
    _check_id(nid)
    ctx = read_context(kb)
    if partner is not None and partner not in ctx.partners:
        raise ScaffoldError(
            f"unknown partner '{partner}': {_suggest(partner, ctx.partners)}use a file name "
            "from kb/partners/", param="--partner")
    (kb / "needs").mkdir(parents=True, exist_ok=True)
    path = kb / "needs" / f"{nid}.yml"
    _write_new(path, need_template(ctx, nid, partner))
    return Started(path, _todos(path))


def _todos(path: Path) -> int:
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines()
               if not line.lstrip().startswith("#") and re.search(r"(?i)\btodo", line))
