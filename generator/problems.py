"""Validation problems as data: every problem is collected with its location, then reported."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # file path relative to the kb parent, e.g. kb/questions/wash/wash-01.yml
    line: int
    field: str  # dotted field path, "" for the whole file
    message: str  # what is wrong
    fix: str = ""  # how to fix it
    severity: Literal["error", "warning"] = "error"

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
        title = (self.field or "kb").replace(",", " ").replace("::", ":")
        return f"::{kind} file={self.path},line={self.line},title={title}::{msg}"


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

    def sorted(self) -> list[Problem]:
        return sorted(set(self.problems), key=lambda p: (p.path, p.line, p.field, p.message))

    def format(self, style: Literal["text", "github"] = "text") -> str:
        lines = [p.github() if style == "github" else p.format() for p in self.sorted()]
        n_err, n_warn = len(self.errors), len(self.problems) - len(self.errors)
        if style == "text":
            lines.append(
                f"{n_err} error(s), {n_warn} warning(s)."
                if self.problems
                else "The knowledge base is valid."
            )
        return "\n".join(lines)


class InvalidKnowledgeBase(Exception):
    """Raised by the build when the kb has errors; carries the full report."""

    def __init__(self, report: Report) -> None:
        super().__init__(report.format())
        self.report = report
