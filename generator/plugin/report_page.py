"""The validation report as the page `mkdocs serve` shows while the kb has errors.

Without it the browser shows nothing useful (a 404, or the last good page held back by the
server) and the report is only in the terminal, which contributors editing YAML in the
preview often do not watch.
"""

from __future__ import annotations

import html

from ..problems import Problem, Report, counted

TITLE = "The knowledge base has errors"
# Material's 404 page heading: replaced by the report so any page reached meanwhile shows it.
NOT_FOUND = "<h1>404 - Not found</h1>"


def report_html(report: Report) -> str:
    """The report as inert HTML: record values echoed in messages are escaped."""
    n = len(report.errors)
    stop, them = ("stops", "it") if n == 1 else ("stop", "them")
    intro = (f"{counted(n, 'error')} {stop} the build. Fix {them} and save: this preview "
             "reloads by itself. "
             "<code>toolkit validate</code> lists the same problems.") if n else (
             "Strict mode stops the build on these warnings. Fix them and save: this preview "
             "reloads by itself.")
    items = "".join(f"<li>{_problem_html(p)}</li>\n" for p in report.sorted())
    return (f'<h1 id="kb-errors">{TITLE}</h1>\n<p>{intro}</p>\n'
            f'<ul class="ctk-report">\n{items}</ul>\n')


def _problem_html(problem: Problem) -> str:
    """The file and line as code, then the message and fix (wrapped, unlike a <pre>)."""
    text, where = problem.format(), f"{problem.path}:{problem.line}"
    rest = text[len(where) + 2:] if text.startswith(where + ": ") else text
    return f"<code>{html.escape(where)}</code> {html.escape(rest)}"


def report_markdown(report: Report) -> str:
    """A Markdown page holding the report (raw HTML: Markdown never sees the values)."""
    return (f"---\ntitle: {TITLE}\nsearch:\n  exclude: true\n---\n\n"
            f'<div markdown="0">\n{report_html(report)}</div>\n')


def replace_not_found(page: str, report: Report) -> str:
    return page.replace(NOT_FOUND, report_html(report), 1)
