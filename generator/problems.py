"""Validation problems as data: every problem is collected with its location, then reported.

Each problem has a stable code (`unknown-reference`), one per kind of problem, defined once
in KINDS with a title. Tools and tests match codes; the English message may be reworded.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Literal

from .errors import InvalidKnowledgeBase

__all__ = ["KINDS", "InvalidKnowledgeBase", "Kind", "Problem", "Report", "shown", "listed"]


@dataclass(frozen=True)
class Kind:
    code: str
    title: str


KINDS: dict[str, Kind] = {k.code: k for k in (
    # Files and folders
    Kind("kb-missing", "The knowledge base folder does not exist"),
    Kind("file-missing", "A required kb file is missing"),
    Kind("stray-file", "A file or folder that is not part of a kb"),
    Kind("wrong-extension", "A record file that does not end in .yml"),
    Kind("unsafe-file", "A symbolic link, a special file or a file outside the kb folder"),
    Kind("unreadable-file", "The file cannot be read"),
    Kind("file-too-large", "A file over the size limit or with too many values"),
    # YAML
    Kind("not-utf8", "The file is not UTF-8 text"),
    Kind("control-character", "A control character YAML does not allow"),
    Kind("yaml-syntax", "YAML syntax error"),
    Kind("yaml-alias", "A YAML alias (*name); aliases are refused"),
    Kind("yaml-tag", "A YAML tag (!!python/..., !custom) that is not allowed"),
    Kind("too-deep", "Values nested too deeply"),
    Kind("duplicate-key", "The same key twice in one mapping"),
    Kind("unreadable-value", "A value that looks like a date or number but is not one"),
    Kind("not-a-mapping", "The file does not hold 'key: value' lines"),
    # Fields of one record
    Kind("unknown-key", "A field the record kind does not have (often a typo)"),
    Kind("missing-field", "A required field is missing"),
    Kind("wrong-type", "A value of the wrong type (text, number, list, group, date...)"),
    Kind("unknown-enum", "A value outside the allowed list"),
    Kind("invalid-id", "An id or id reference that is not a lowercase slug"),
    Kind("invalid-format", "A value in the wrong format (e.g. an option code)"),
    Kind("empty-value", "An empty text or list where one is needed"),
    Kind("too-long", "A text longer than allowed"),
    Kind("out-of-range", "A number outside the allowed range"),
    Kind("options-mismatch", "Reply options that do not fit the question type"),
    Kind("duplicate-option", "The same option code twice in one question"),
    Kind("sharing-incomplete", "Restricted sharing without its partners or trigger"),
    Kind("record-rule", "A value breaks another rule of its record kind"),
    # Across records
    Kind("duplicate-id", "Two records with the same id"),
    Kind("id-mismatch", "An id that differs from its file name"),
    Kind("folder-mismatch", "A question filed under another sector's folder"),
    Kind("invalid-file-name", "A record file name that is not a valid id"),
    Kind("unknown-reference", "A reference to a partner, sector, question, step or key "
                              "informant type that does not exist"),
    Kind("sharing-conflict", "A dataset shared more widely than its questions allow"),
    Kind("criteria-missing", "A minimum-criteria field that only says TBD, N/A..."),
    Kind("round-in-future", "A round after the country's current round"),
    Kind("todo-left", "A value still saying TODO (from `toolkit new`)"),
    Kind("placeholder-unknown", "A mock-up sentence placeholder that does not exist or is "
                                "malformed"),
    Kind("chart-needs-disaggregation", "A stacked bar without a disaggregation (warning)"),
    # The library of recommended questions
    Kind("library-not-found", "The library in country.yml cannot be found or has errors"),
    Kind("library-version-not-found", "The pinned library version or tag cannot be found"),
    Kind("library-unknown-question", "`adopts:` names a question the library does not have"),
    Kind("override-unknown-field", "An override of a field that questions do not have"),
    Kind("override-without-reason", "An override (deviation) without its reason"),
    Kind("library-field-set", "A library field changed outside `overrides:` (no reason)"),
    Kind("mockup-spec", "A mock-up false-data spec no data can satisfy (typical range "
                        "outside min/max, shares over 100%, unknown option, a date `period` "
                        "ending after the round)"),
    Kind("disaggregation-undeclared", "A disaggregation the country record gives no groups "
                                      "for (admin2, location type)"),
    # The questionnaire (XLSForm)
    Kind("invalid-expression", "An XLSForm expression that cannot be parsed (brackets, "
                               "quotes, unknown function)"),
    Kind("expression-reference", "An expression reading an unknown, later, not agreed or "
                                 "confidential question, or an unknown choices column"),
    Kind("expression-cycle", "Questions whose logic depends on itself"),
    Kind("name-clash", "Two form rows with the same XLSForm name, or an invalid name"),
    Kind("questionnaire-structure", "A section defined twice or a question listed twice in "
                                    "kb/questionnaire.yml"),
    Kind("number-range", "min above max, a range on a non-number, a special code in range"),
    Kind("option-rule", "Exclusive/other options or max_choices that do not fit"),
    Kind("missing-translation", "A text without its translation in a form language "
                                "(warning), or an undeclared language"),
    # The joint process (needs, agreement, reviews, schedule, data sharing)
    Kind("need-unserved", "An information need no question serves and not marked out of "
                          "scope (warning)"),
    Kind("question-without-need", "A question that serves no information need (once the kb "
                                  "has needs), unless DTM requests it as core"),
    Kind("need-not-restricted", "A need served by a confidential question but not marked "
                                "restricted"),
    Kind("agreement-unverified", "An agreed question without its verification (who verified "
                                 "the mock-up and phrasing, when)"),
    Kind("verification-incomplete", "A verification without a subject-matter expert, a "
                                    "context expert or an IMO"),
    Kind("agreement-incomplete", "An agreed question without key informants, since_round or "
                                 "do-no-harm note"),
    Kind("use-review-incomplete", "A use review entry without what the data was used for, "
                                  "or why not"),
    Kind("feedback-incomplete", "Feedback without what it is about, DTM's response or what "
                                "changed"),
    Kind("product-incomplete", "A product without its date and link, or an item not "
                               "applicable without why"),
    Kind("product-checklist-missing", "A published product missing a required checklist "
                                      "item (warning)"),
    Kind("timeline-inconsistent", "A timeline date that does not match its change log"),
    Kind("agreement-unsigned", "A confidential or urgent-action dataset whose MoU or protocol "
                               "is not signed before collection starts (warning)"),
    # Translations (generator/i18n/)
    Kind("translation-stale", "A translation whose source text changed since (warning)"),
    Kind("translation-language", "A translation into a language the kb does not declare "
                                 "(warning)"),
)}

# Values from the kb are echoed in messages: a 200,000-character id must not become a
# 200 KB line or GitHub annotation. Values are cut to SHOWN characters, whole texts to MAX_TEXT.
SHOWN = 60
MAX_TEXT = 1000
MAX_FIELD = 200
# Problems printed per file; the rest are counted.
MAX_PER_FILE = 50


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown(value: object, limit: int = SHOWN) -> str:
    """A value from the kb as it may appear in a message: one line, at most `limit` characters.

    Control and invisible characters are written as escapes (\\n, \\u200b) so that what is
    printed is what the file holds, and a value cannot break the one-line report.
    """
    out: list[str] = []
    size = 0
    for ch in str(value):
        part = ch if ch.isprintable() else ascii(ch)[1:-1]
        if size + len(part) > limit:
            return "".join(out)[: limit - 1] + "…"
        out.append(part)
        size += len(part)
    return "".join(out)


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """n and its noun in the number's form, "1 error", "3 errors": the command line's
    messages are English; pages use the gettext catalogue's plural forms."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def listed(values: Iterable[object], limit: int = 5) -> str:
    """Comma-separated values, each cut, at most `limit` of them ("and N more")."""
    items = [shown(v) for v in values]
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + f" and {len(items) - limit} more"


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # file path relative to the kb parent, e.g. kb/questions/wash/wash-01.yml
    line: int
    field: str  # dotted field path, "" for the whole file
    message: str  # what is wrong
    fix: str = ""  # how to fix it
    severity: Literal["error", "warning"] = "error"
    code: str = field(kw_only=True)  # one of KINDS

    def __post_init__(self) -> None:
        if self.code not in KINDS:
            raise ValueError(f"unknown problem code {self.code!r}: add it to problems.KINDS")
        # The last guard against echoing huge values: every path into a message is capped.
        object.__setattr__(self, "field", _cut(self.field, MAX_FIELD))
        object.__setattr__(self, "message", _cut(self.message, MAX_TEXT))
        object.__setattr__(self, "fix", _cut(self.fix, MAX_TEXT))

    def format(self) -> str:
        where = f"{self.path}:{self.line}"
        what = f"{self.field}: {self.message}" if self.field else self.message
        text = f"{where}: {what}"
        if self.fix:
            text += f" Fix: {self.fix}"
        return text if self.severity == "error" else f"{text} (warning)"

    def github(self) -> str:
        """A GitHub Actions workflow command, shown as an annotation on the PR's file."""
        kind = "error" if self.severity == "error" else "warning"
        msg = (f"{self.field}: " if self.field else "") + self.message
        if self.fix:
            msg += f" Fix: {self.fix}"
        msg = msg.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        title = f"{self.code} {self.field}".strip()
        title = title.replace("%", "%25").replace(",", "%2C").replace(":", "%3A")
        return f"::{kind} file={self.path},line={self.line},title={title}::{msg}"

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        return {k: data[k] for k in ("code", "path", "line", "field", "message", "fix",
                                     "severity")}


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def extend(self, problems: list[Problem]) -> None:
        self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def codes(self) -> list[str]:
        """The code of every problem, in report order (for tests and tools that filter)."""
        return [p.code for p in self.sorted()]

    def sorted(self) -> list[Problem]:
        return sorted(set(self.problems), key=lambda p: (p.path, p.line, p.field, p.message))

    def format(self, style: Literal["text", "github"] = "text") -> str:
        """The report for people: at most MAX_PER_FILE problems per file, then a count.

        A file of 20,000 bad list items must not print 20,000 lines or annotations; the JSON
        report keeps every problem for tools.
        """
        lines: list[str] = []
        per_file = Counter(p.path for p in self.problems)
        shown_in: Counter[str] = Counter()
        for p in self.sorted():
            shown_in[p.path] += 1
            if shown_in[p.path] <= MAX_PER_FILE:
                lines.append(p.github() if style == "github" else p.format())
            elif shown_in[p.path] == MAX_PER_FILE + 1:
                more = (f"{counted(per_file[p.path] - MAX_PER_FILE, 'more problem')} in this "
                        "file (toolkit validate --format json lists them all)")
                lines.append(f"::notice file={p.path}::{more}" if style == "github"
                             else f"{p.path}: {more}")
        n_err, n_warn = len(self.errors), len(self.problems) - len(self.errors)
        if style == "text":
            lines.append(
                f"{counted(n_err, 'error')}, {counted(n_warn, 'warning')}."
                if self.problems
                else "The knowledge base is valid."
            )
        return "\n".join(lines)

    def json(self) -> str:
        """The report as a JSON list of {code, path, line, field, message, fix, severity}."""
        return json.dumps([p.as_dict() for p in self.sorted()], ensure_ascii=False, indent=2)
