"""Which round the kb describes, whether its Data Analysis Plan is signed off, and the names
that carry the round: the published version (`round-6`) and the offline bundle's zip.

The plan is agreed per round, so the site is published per round: partners still see what
was agreed for round 5 once round 6 starts, and the report checklist links to the plan in
force when the data were collected.

A round's plan counts as signed off when all three hold:

- `round` in kb/analysis-plan.yml is the current round (`round.number` in kb/country.yml):
  the plan on the site is the plan for the round being published;
- its `status` is `agreed`;
- its `sign_off` list names at least one partner (who signed, in what role, on which date).

Anything else is a draft: `toolkit publish` refuses it unless --draft, and a draft goes out
as `round-N-draft`, never under `round-N` or the `latest` alias.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .internal_mark import FILE_WARNING, WARNING
from .kb import KnowledgeBase

LATEST = "latest"


@dataclass(frozen=True)
class RoundStatus:
    number: int
    # Why the plan is not signed off; empty when it is.
    unsigned: tuple[str, ...]

    @property
    def signed_off(self) -> bool:
        return not self.unsigned

    def version(self, *, draft: bool = False) -> str:
        return f"round-{self.number}" + ("-draft" if draft else "")

    def title(self, *, draft: bool = False) -> str:
        return f"Round {self.number}" + (" (draft)" if draft else "")


def round_status(kb: KnowledgeBase) -> RoundStatus:
    number = kb.country.round.number
    plan = kb.plan
    reasons: list[str] = []
    if plan.round != number:
        reasons.append(f"kb/analysis-plan.yml is the plan for round {plan.round}, but "
                       f"kb/country.yml says the current round is {number}")
    if plan.status != "agreed":
        reasons.append(f"kb/analysis-plan.yml: status is {plan.status!r}, not 'agreed'")
    if not plan.sign_off:
        reasons.append("kb/analysis-plan.yml: sign_off lists no partner")
    return RoundStatus(number, tuple(reasons))


def offline_label(number: int, *, internal: bool = False,
                  gettext: Callable[[str], str] = str) -> str:
    """The line every page of an offline bundle shows, in the page's language (`gettext`);
    INTERNAL — DO NOT SHARE stays as the tools look for it."""
    label = gettext("Round %(number)s — offline copy") % {"number": number}
    return f"{WARNING} · {label}" if internal else label


def bundle_path(folder: Path, number: int, *, internal: bool = False) -> Path:
    """dist/toolkit-round-6-offline.zip, or ...-INTERNAL-DO-NOT-SHARE.zip for an internal one."""
    suffix = f"-{FILE_WARNING}" if internal else ""
    return folder / f"toolkit-round-{number}-offline{suffix}.zip"


def internal_bundle_path(out: Path) -> Path:
    """out, with the warning added to its name unless it already says it."""
    if FILE_WARNING in out.name:
        return out
    return out.with_name(f"{out.stem}-{FILE_WARNING}{out.suffix or '.zip'}")
