"""`toolkit workshop`: the joint workshop pack as one printable HTML file.

The same page as the site's "Joint workshop pack" (templates/workshop.md.j2, from the public
view), turned into a self-contained file to print or send before the workshop: the site's
stylesheets are inlined and the mock-up charts are HTML tables, so it needs no network.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import markdown

from .kb import KnowledgeBase
from .pages import Options, SiteRenderer
from .safe_text import escape_html

# Links between site pages (partners/wash-cluster.md) lead nowhere in a file on its own.
SITE_LINK = re.compile(r'<a href="(?!https?:|#)[^"]*">(.*?)</a>', re.S)
STYLESHEETS = ("toolkit.css", "mockup.css", "print.css")
# Enough of Material's look for paper: the pack is read printed or as a PDF.
BASE_CSS = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; color: #222; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #ccc; padding: .3rem .5rem; vertical-align: top; text-align: left; }
.admonition { border-left: .25rem solid #448aff; padding: .2rem 1rem; margin: 1rem 0;
              background: #f5f8ff; }
.admonition-title { font-weight: bold; }
.ctk-print-break { break-before: page; }
@media print { body { margin: 0; max-width: none; } }
"""


def workshop_html(kb: KnowledgeBase, project: Path | None = None) -> str:
    renderer = SiteRenderer(kb, Options(mockups=True))
    page = next(renderer.workshop_pages(whole=True))  # the file is the whole pack
    text = str(page.content).split("---\n", 2)[2]  # without the front matter
    body = markdown.markdown(text, extensions=["tables", "attr_list", "md_in_html",
                                               "admonition"])
    body = SITE_LINK.sub(r"\1", body)
    css = [BASE_CSS]
    folder = (project or Path(".")) / "docs" / "assets" / "css"
    for name in STYLESHEETS:
        if (folder / name).is_file():
            css.append((folder / name).read_text(encoding="utf-8"))
    title = escape_html(f"Joint workshop pack, round {kb.plan.round}: {kb.country.name}")
    return ("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{title}</title>\n<style>\n" + "\n".join(css) + "\n</style>\n</head>\n"
            f"<body class=\"md-typeset\">\n{body}\n</body>\n</html>\n")


def write_workshop(kb: KnowledgeBase, out: Path, project: Path | None = None) -> Path:
    """Write the pack to out, through a temporary file renamed into place."""
    html = workshop_html(kb, project)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(html)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the pack is meant to be shared
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out
