"""The toolkit's exceptions: one root, so the command line turns any of them into a clean message.

Click-free on purpose: feature modules raise these, and only the CLI layer knows how to print
them (the message, no traceback, exit status 1). Validation problems are not exceptions:
they are collected as data (generator/problems.py); `InvalidKnowledgeBase` only carries the
finished report out of a build that cannot go on.
"""

from __future__ import annotations

from typing import Protocol


class _Report(Protocol):
    """What an InvalidKnowledgeBase needs of its report (problems.Report); a protocol keeps
    this module at the bottom of the import graph."""

    def format(self) -> str: ...


class ToolkitError(Exception):
    """Root of every error the toolkit reports to a person; str(err) is the whole message."""


class InvalidKnowledgeBase(ToolkitError):
    """The kb has errors: carries the full report, every problem at once."""

    def __init__(self, report: _Report) -> None:
        super().__init__(report.format())
        self.report = report


class KbFileError(ToolkitError):
    """One kb file cannot be read as YAML (yamlio.YamlProblem): a line, a message and a fix."""


class BundleError(ToolkitError):
    """The offline bundle cannot be built (e.g. the site would need the network)."""


class DiffError(ToolkitError):
    """`toolkit diff` cannot compare (no git repository, unknown ref)."""


class ScaffoldError(ToolkitError):
    """`toolkit new` refuses to write a record (unknown sector, id taken, bad id)."""
