"""Every page type of a built site, by name, for the accessibility and page-weight tests.

A page type is found from the kb (its public view: restricted questions are under their
handles), so the list follows the kb rather than hard-coded ids. `PAGE_TYPES` maps a name
to a path relative to a site's root; a build per language adds its prefix (`fr/`).
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.kb import KnowledgeBase

# Question types by the name the issue gives them ("number" is integer or decimal).
QUESTION_KINDS = {
    "select_one": {"select_one"},
    "select_multiple": {"select_multiple"},
    "number": {"integer", "decimal"},
    "yes_no": {"yes_no"},
}


def question_path(q) -> str:
    return f"questions/{q.sector}/{q.id}/"


def page_types(kb: KnowledgeBase) -> dict[str, str]:
    """Page type name -> path in the site (with a trailing slash; "" is the home page)."""
    view = kb.public_view()
    questions = list(view.questions.values())
    restricted = [q for q in questions if q.id.startswith("restricted-")]
    public = [q for q in questions if not q.id.startswith("restricted-")]
    pages = {
        "home": "", "country": "country/", "process": "process/", "checklist": "checklist/",
        "datasets": "datasets/", "questions-index": "questions/",
        "sector": f"questions/{next(iter(view.sectors))}/",
    }
    for name, types in QUESTION_KINDS.items():
        q = next((q for q in public if q.type in types), None)
        if q is not None:
            pages[f"question-{name}"] = question_path(q)
    if restricted:
        pages["question-restricted"] = question_path(restricted[0])
    pages |= {
        "partners-index": "partners/", "partner": f"partners/{next(iter(view.partners))}/",
        "by-partner": "questions/by-partner/", "by-status": "questions/by-status/",
        "dap": "dap/", "dap-print": "dap/print/", "tags": "tags/",
    }
    return pages


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """The built site over local HTTP (file:// would take Material's offline paths)."""
    handler = functools.partial(QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
