"""The mark an internal build leaves in its output, and the check that refuses to publish it.

An internal build (TOOLKIT_INTERNAL=1, or `internal: true` in mkdocs.yml) includes the
confidential fields shared under MoUs. Banners tell people; this mark tells the tools: every
page carries a meta tag and the site folder a `.toolkit-internal` file, so `toolkit publish`,
`toolkit bundle` (without --internal) and the deploy step of the Site workflow can refuse a
site that was built internal, whatever produced it. Two marks, because a file can be lost
when pages are copied one by one and a tag can be stripped by a post-processor; either one
is enough to refuse.

Click-free and MkDocs-free, so the plugin, the bundle and the publish command share it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from .errors import ToolkitError

MARK_FILE = ".toolkit-internal"
WARNING = "INTERNAL — DO NOT SHARE"
# File names cannot hold the dash or spaces safely on every system.
FILE_WARNING = "INTERNAL-DO-NOT-SHARE"
META_NAME = "toolkit-internal"
META_TAG = f'<meta name="{META_NAME}" content="{WARNING}">'
# Any quoting or attribute order: a page edited by hand must still be caught.
_META = re.compile(rf"""<meta\b[^>]*\bname\s*=\s*["']?{META_NAME}\b""", re.IGNORECASE)
_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)


class InternalBuildError(ToolkitError):
    """Output of an internal build was about to be published or shared as public."""


def mark_page(html: str) -> str:
    """The page with the internal meta tag first in its <head> (or first, if it has none).

    A page that has it already (overrides/main.html writes it too) is left as it is.
    """
    if has_mark(html[:8192]):
        return html
    head = _HEAD.search(html)
    if head is None:
        return META_TAG + html
    return html[: head.end()] + META_TAG + html[head.end():]


def write_mark(site_dir: Path) -> None:
    (site_dir / MARK_FILE).write_text(
        f"{WARNING}\nThis site was built with confidential fields (an internal build).\n",
        encoding="utf-8",
    )


def has_mark(head: str | bytes) -> bool:
    """Whether a page's start (its first 8 KB hold <head>) carries the internal meta tag."""
    text = head.decode("utf-8", errors="replace") if isinstance(head, bytes) else head
    return bool(_META.search(text))


def find_marks(site_dir: Path) -> list[str]:
    """Site-relative paths that carry the internal mark (the mark file, marked pages)."""
    found: list[str] = []
    if (site_dir / MARK_FILE).exists():
        found.append(MARK_FILE)
    for page in sorted(site_dir.rglob("*.html")):
        # The tag sits in <head>: the first 8 KB hold it, even on a 1,000-question site.
        with page.open(encoding="utf-8", errors="replace") as fh:
            if has_mark(fh.read(8192)):
                found.append(page.relative_to(site_dir).as_posix())
    return found


def refuse_if_internal(site_dir: Path, action: str) -> None:
    """Raise InternalBuildError naming what was marked if site_dir is an internal build.

    action completes "refusing to ...", e.g. "publish it".
    """
    marks = find_marks(site_dir)
    if not marks:
        return
    shown = ", ".join(marks[:5]) + (f" and {len(marks) - 5} more" if len(marks) > 5 else "")
    raise InternalBuildError(
        f"{site_dir} is an internal build ({WARNING}: it includes confidential fields; "
        f"marked: {shown}); refusing to {action}. Fix: build again without TOOLKIT_INTERNAL "
        "(and without `internal: true` in mkdocs.yml)."
    )


def main(argv: list[str]) -> int:
    """`python -m generator.internal_mark SITE_DIR`: exit 1 if SITE_DIR is an internal build.

    The Site workflow runs it on the built site before anything leaves the job.
    """
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print("usage: python -m generator.internal_mark SITE_DIR", file=sys.stderr)
        return 2
    try:
        refuse_if_internal(Path(argv[0]), "let it leave this job")
    except InternalBuildError as err:
        print(f"Error: {err}", file=sys.stderr)
        return 1
    print(f"{argv[0]}: public build (no internal mark)")
    return 0


if __name__ == "__main__":  # pragma: no cover - run as a module by the workflow
    sys.exit(main(sys.argv[1:]))
