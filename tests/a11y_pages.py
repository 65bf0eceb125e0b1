"""Every page type of a built site, by name, for the accessibility and page-weight tests.

A page type is found from the kb (its public view: restricted questions are under their
handles), so the list follows the kb rather than hard-coded ids. `PAGE_TYPES` maps a name
to a path relative to a site's root; a build per language adds its prefix (`fr/`).
"""

from __future__ import annotations

from pathlib import Path

from support import serve_folder

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
        "questionnaire": "questionnaire/", "questionnaire-print": "questionnaire/print/",
    }
    return pages


serve = serve_folder  # the built site over local HTTP


def local_file(site: Path, base: str, url: str) -> Path | None:
    """The file of site that serve() answers url with (None for other hosts)."""
    if not url.startswith(base):
        return None
    rel = url[len(base):].split("?")[0].split("#")[0]
    path = site / rel
    if rel == "" or rel.endswith("/") or path.is_dir():
        path = path / "index.html"
    return path if path.is_file() else None


def downloads(browser, site: Path, base: str, rel: str, then=None) -> dict[str, int]:
    """Bytes of each file a fresh browser (cold cache) requests to show base+rel.

    Sizes are those of the files served (the local server sends them as they are, without
    compression); requests are those Chromium makes, the search worker's included.
    `then(page)` runs after the page has settled; its requests are counted too.
    """
    context = browser.new_context()
    urls: list[str] = []
    try:
        context.on("request", lambda r: urls.append(r.url))
        page = context.new_page()
        page.goto(base + rel)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)
        if then is not None:
            then(page)
    finally:
        context.close()
    sizes = {}
    for url in urls:
        path = local_file(site, base, url)
        sizes[url] = path.stat().st_size if path else 0
    return sizes
