"""Checks across records: references resolve and every question meets the minimum criteria."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from .mockup import template_problems
from .models import Dataset, Partner, Question
from .problems import Problem
from .scaffold import unfilled

if TYPE_CHECKING:
    from .loader import Loaded

# Words people type when they have not yet documented something.
PLACEHOLDER_TEXTS = {"tbd", "tbc", "todo", "n/a", "na", "-", "?", "...", "xxx", "to be defined"}


class Checker:
    def __init__(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.problems: list[Problem] = []
        r = loaded.records
        self.partners: dict[str, Partner] = r.get("partner", {})
        self.questions: dict[str, Question] = r.get("question", {})
        self.datasets: dict[str, Dataset] = r.get("dataset", {})
        self.sector_ids = {s.id for s in r["sectors"].sectors} if "sectors" in r else None
        self.step_ids = {s.id for s in r["process"].steps} if "process" in r else None
        country = r.get("country")
        self.ki_ids = {k.id for k in country.msla.key_informant_types} if country else None
        self.round = country.round.number if country else None

    def at(self, kind: str, rid: str, loc: Sequence[str | int], fld: str, msg: str,
           fix: str, severity: str = "error") -> None:
        doc = self.loaded.docs.get((kind, rid))
        path = self.loaded.rel.get((kind, rid), kind)
        line = doc.line(loc) if doc else 1
        self.problems.append(Problem(path, line, fld, msg, fix, severity))  # type: ignore[arg-type]

    def refs(self, kind: str, rid: str, field: str, ids: Iterable[str], known: set[str] | None,
             what: str, where: str, files: set[str] | None = None) -> None:
        if known is None:  # the file that defines them failed: reported there already
            return
        for i, ref in enumerate(ids):
            if ref not in known and ref not in (files or ()):
                loc: list[str | int] = [*field.split("."), i]
                self.at(kind, rid, loc, f"{field}[{i + 1}]", f"unknown {what} '{ref}'",
                        _suggest(ref, known) + f"use an id from {where}")

    def run(self) -> list[Problem]:
        partner_ids = set(self.partners) | self.loaded.names.get("partner", set())
        for q in self.questions.values():
            self.question(q, partner_ids)
        for d in self.datasets.values():
            self.dataset(d, partner_ids)
        for p in self.partners.values():
            self.refs("partner", p.id, "roles", list(p.roles), self.step_ids, "process step",
                      "kb/process.yml")
        r = self.loaded.records
        if "sectors" in r:
            for i, s in enumerate(r["sectors"].sectors):
                for j, ref in enumerate(s.coordinated_by):
                    if ref not in partner_ids:
                        self.at("sectors", "", ["sectors", i, "coordinated_by", j],
                                f"sectors[{i + 1}].coordinated_by[{j + 1}]",
                                f"unknown partner '{ref}'",
                                _suggest(ref, partner_ids) + "use a file name from kb/partners/")
        if "analysis-plan" in r:
            for i, s in enumerate(r["analysis-plan"].sign_off):
                if s.partner not in partner_ids:
                    self.at("analysis-plan", "", ["sign_off", i, "partner"],
                            f"sign_off[{i + 1}].partner", f"unknown partner '{s.partner}'",
                            _suggest(s.partner, partner_ids) + "use a file name from kb/partners/")
        self.problems.extend(unfilled(self.loaded))  # TODOs left from `toolkit new`
        return self.problems

    def question(self, q: Question, partner_ids: set[str]) -> None:
        k = "question"
        if self.sector_ids is not None and q.sector not in self.sector_ids:
            self.at(k, q.id, ["sector"], "sector", f"unknown sector '{q.sector}'",
                    _suggest(q.sector, self.sector_ids) + "use an id from kb/sectors.yml")
        where = "kb/partners/ (file names)"
        self.refs(k, q.id, "requested_by", q.requested_by, partner_ids, "partner", where)
        self.refs(k, q.id, "analysis.analysed_by", q.analysis.analysed_by, partner_ids,
                  "partner", where)
        self.refs(k, q.id, "sharing.partners", q.sharing.partners, partner_ids, "partner", where)
        self.refs(k, q.id, "key_informant", q.key_informant, self.ki_ids, "key informant type",
                  "msla.key_informant_types in kb/country.yml")
        # Minimum criteria: a question whose purpose, use or analysis is not really documented
        # is not collected ("each dataset is either consistently analysed or not collected").
        for fld, value in (("purpose", q.purpose), ("use", q.use),
                           ("criteria.not_available_elsewhere", q.criteria.not_available_elsewhere),
                           ("criteria.methodology_adequate", q.criteria.methodology_adequate),
                           ("criteria.analysis_capacity", q.criteria.analysis_capacity),
                           ("analysis.descriptive", q.analysis.descriptive)):
            if value.strip().lower() in PLACEHOLDER_TEXTS:
                self.at(k, q.id, fld.split("."), fld,
                        f"'{value}' does not document it: the question fails the minimum criteria",
                        "write what partners agreed, or set 'status: proposed' until they do")
        if self.round is not None:
            if q.since_round and q.since_round > self.round:
                self.at(k, q.id, ["since_round"], "since_round",
                        f"round {q.since_round} is after the current round {self.round}",
                        "use the round the question was first asked in")
            for i, ch in enumerate(q.history):
                if ch.round > self.round:
                    self.at(k, q.id, ["history", i, "round"], f"history[{i + 1}].round",
                            f"round {ch.round} is after the current round {self.round}",
                            "use a past or the current round")
        if q.mockup.chart == "stacked-bar" and not q.analysis.disaggregation:
            self.at(k, q.id, ["mockup", "chart"], "mockup.chart",
                    "a stacked bar needs a disaggregation; a plain bar will be drawn",
                    "add 'disaggregation: [admin1]' under analysis or use 'chart: bar'",
                    severity="warning")
        for fld, message in template_problems(q):
            self.at(k, q.id, fld.split("."), fld, message, "")

    def dataset(self, d: Dataset, partner_ids: set[str]) -> None:
        k = "dataset"
        self.refs(k, d.id, "questions", d.questions, set(self.questions), "question",
                  "kb/questions/ (file names)", self.loaded.names.get("question"))
        self.refs(k, d.id, "sharing.partners", d.sharing.partners, partner_ids, "partner",
                  "kb/partners/ (file names)")
        for i, qid in enumerate(d.questions):
            q = self.questions.get(qid)
            if q is None or q.sharing.modality == "public":
                continue
            if d.sharing.modality == "public":
                self.at(k, d.id, ["questions", i], f"questions[{i + 1}]",
                        f"question '{qid}' is {q.sharing.modality} but this dataset is public",
                        f"remove the question from this dataset or share the dataset as "
                        f"{q.sharing.modality}")
                continue
            # Restricted data may only reach the partners its question's agreement names.
            extra = [p for p in d.sharing.partners if p not in q.sharing.partners]
            if extra:
                self.at(k, d.id, ["questions", i], f"questions[{i + 1}]",
                        f"question '{qid}' may be shared only with "
                        f"{', '.join(q.sharing.partners)}, but this dataset also goes to "
                        f"{', '.join(extra)}",
                        "remove those partners from the dataset or add them to the "
                        "question's sharing.partners once they have signed the agreement")
        if d.link and d.sharing.modality != "public":
            self.at(k, d.id, ["link"], "link", "only public datasets have a public link",
                    "remove 'link' or make the dataset public")


def _suggest(ref: str, known: set[str]) -> str:
    import difflib

    close = difflib.get_close_matches(ref, sorted(known), n=1)
    return f"did you mean '{close[0]}'? " if close else ""


def check_references(loaded: Loaded) -> list[Problem]:
    return Checker(loaded).run()
