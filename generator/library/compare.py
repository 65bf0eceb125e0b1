"""`toolkit compare KB...`: where data is comparable across countries.

A sector × country matrix of the library questions each country asks (as the library words
them, contextualised, or with a deviation that breaks comparability) and of the questions of
its own. Built from each kb's public view: a confidential question counts only as
"restricted" in its sector, as on the public site; what it adopts and how it deviates stay
out.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ToolkitError
from ..kb import KnowledgeBase
from ..problems import counted

if TYPE_CHECKING:
    from ..parse_memo import ParseMemo

AS_IS, CONTEXTUALISED, DEVIATION = "as-is", "contextualised", "deviation"


@dataclass
class Cell:
    asked: int = 0  # library questions asked (in any form)
    deviations: int = 0
    country_only: int = 0
    restricted: int = 0


@dataclass
class Comparison:
    countries: list[str]
    library: str  # "<id> <version>" (versions as each country pinned them)
    sectors: dict[str, str]  # id -> name, library sectors first
    # library question id -> country -> AS_IS / CONTEXTUALISED / DEVIATION
    questions: dict[str, dict[str, str]] = field(default_factory=dict)
    question_sector: dict[str, str] = field(default_factory=dict)
    question_text: dict[str, str] = field(default_factory=dict)
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)

    def cell(self, sector: str, country: str) -> Cell:
        return self.cells.setdefault((sector, country), Cell())

    def comparable_everywhere(self) -> list[str]:
        """Library questions every country asks without a deviation."""
        n = len(self.countries)
        return [qid for qid, by in self.questions.items()
                if len(by) == n and DEVIATION not in by.values()]


def compare_kbs(kbs: list[KnowledgeBase]) -> Comparison:
    libraries = sorted({f"{kb.library.info.id} {kb.library.info.version}"
                        for kb in kbs if kb.library is not None})
    names = [kb.country.name for kb in kbs]
    dupes = [n for n, c in Counter(names).items() if c > 1]
    countries = [f"{kb.country.name} ({kb.root.name})" if kb.country.name in dupes
                 else kb.country.name for kb in kbs]
    sectors: dict[str, str] = {}
    for kb in kbs:
        if kb.library is not None:
            sectors.update({s.id: s.name for s in kb.library.sectors.values()})
    for kb in kbs:
        for s in kb.sectors.values():
            sectors.setdefault(s.id, s.name)
    result = Comparison(countries, ", ".join(libraries) or "no library", sectors)
    for kb, country in zip(kbs, countries, strict=True):
        view = kb.public_view()
        for key, q in view.questions.items():
            cell = result.cell(q.sector, country)
            if view.is_restricted(q):
                cell.restricted += 1
                continue
            adopted = view.adoptions.get(key)
            if adopted is None:
                cell.country_only += 1
                continue
            lid = adopted.library_id
            lib_q = view.library.questions[lid] if view.library else None
            sector = lib_q.sector if lib_q else q.sector
            cell = result.cell(sector, country)
            cell.asked += 1
            state = AS_IS if not adopted.differences else (
                DEVIATION if adopted.deviations else CONTEXTUALISED)
            cell.deviations += state == DEVIATION
            result.questions.setdefault(lid, {})[country] = state
            result.question_sector[lid] = sector
            if lib_q is not None:
                result.question_text[lid] = lib_q.text
    result.questions = dict(sorted(result.questions.items(),
                                   key=lambda kv: (kv[0] not in result.question_sector,
                                                   result.question_sector.get(kv[0], ""),
                                                   kv[0])))
    return result


def compare_with(kb: KnowledgeBase, folders: Sequence[Path | str],
                 memo: ParseMemo | None = None) -> Comparison:
    """This kb and the country kbs in `folders` (the site's `compare_with`), compared as
    `toolkit compare` compares them. A kb with errors is refused with its whole report.
    memo: their files parsed by earlier builds (the plugin's, loader.load)."""
    from ..loader import load  # the loader imports the library package

    others = []
    for folder in folders:
        other, report = load(Path(folder).resolve(), memo=memo)
        if other is None:
            raise ToolkitError(
                f"compare_with: the kb {folder} has {counted(len(report.errors), 'error')}:\n"
                f"{report.format()}\nFix them (toolkit validate {folder}), or remove it from "
                "compare_with in mkdocs.yml")
        others.append(other)
    return compare_kbs([kb, *others])


def as_text(c: Comparison) -> str:
    """The matrix as a Markdown table: per cell 'asked / deviations / country-only'."""
    lines = [f"Library: {c.library}", "",
             "Each cell: library questions asked / of which deviations / country-only "
             "questions (+ restricted).", "",
             "| Sector | " + " | ".join(c.countries) + " |",
             "|---|" + "---|" * len(c.countries)]
    for sid, name in c.sectors.items():
        cells = [c.cells.get((sid, country)) for country in c.countries]
        if not any(cells):
            continue
        row = []
        for cell in cells:
            if cell is None:
                row.append("–")
                continue
            text = f"{cell.asked} / {cell.deviations} / {cell.country_only}"
            row.append(text + (f" (+{cell.restricted})" if cell.restricted else ""))
        lines.append(f"| {name} | " + " | ".join(row) + " |")
    everywhere = c.comparable_everywhere()
    lines += ["", f"Library questions every country asks comparably: {len(everywhere)}"]
    return "\n".join(lines)


MARK = {AS_IS: "●", CONTEXTUALISED: "◐", DEVIATION: "▲"}
WORD = {AS_IS: "asked as the library words it", CONTEXTUALISED: "contextualised, comparable",
        DEVIATION: "deviation: not comparable"}


def as_html(c: Comparison) -> str:
    """A standalone page: the sector matrix, then every library question by country."""
    e = html.escape
    head = "".join(f"<th scope=\"col\">{e(n)}</th>" for n in c.countries)
    rows = []
    for sid, name in c.sectors.items():
        cells = [c.cells.get((sid, country)) for country in c.countries]
        if not any(cells):
            continue
        tds = []
        for cell in cells:
            if cell is None:
                tds.append("<td>–</td>")
                continue
            extra = f", {cell.restricted} restricted" if cell.restricted else ""
            tds.append(f"<td>{cell.asked} asked, {cell.deviations} deviating, "
                       f"{cell.country_only} own{extra}</td>")
        rows.append(f"<tr><th scope=\"row\">{e(name)}</th>{''.join(tds)}</tr>")
    qrows = []
    for lid, by in c.questions.items():
        tds = "".join(
            f"<td title=\"{e(WORD[by[n]])}\">{MARK[by[n]]} {e(by[n])}</td>" if n in by
            else "<td>–</td>" for n in c.countries)
        sector = e(c.sectors.get(c.question_sector.get(lid, ""), ""))
        text = e(c.question_text.get(lid, ""))
        qrows.append(f"<tr><th scope=\"row\"><code>{e(lid)}</code> {text}</th>"
                     f"<td>{sector}</td>{tds}</tr>")
    legend = " · ".join(f"{MARK[k]} {e(v)}" for k, v in WORD.items())
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>Comparison across countries</title><style>"
        "body{font-family:system-ui,sans-serif;margin:1.5rem}table{border-collapse:collapse;"
        "margin-bottom:2rem}td,th{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;"
        "vertical-align:top}thead th{background:#eee}</style></head><body>"
        f"<h1>Comparison across countries</h1><p>Library: {e(c.library)}. "
        f"{len(c.comparable_everywhere())} library questions are asked comparably in every "
        "country. Confidential questions count as restricted only.</p>"
        f"<h2>By sector</h2><table><thead><tr><th>Sector</th>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        f"<h2>Library questions</h2><p>{legend}</p><table><thead><tr><th>Question</th>"
        f"<th>Sector</th>{head}</tr></thead><tbody>{''.join(qrows)}</tbody></table>"
        "</body></html>\n")
