"""Find every resource a built site would load from the network.

The offline bundle must work with no connection: a hand-written page that embeds a remote
image, or a theme setting that pulls a web font, has to fail the bundle instead of leaking
a request (and breaking) in the field.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

_REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
# rel values that name a document rather than load one.
_NON_LOADING_REL = {"canonical", "alternate", "author", "license", "help", "next", "prev",
                    "search", "bookmark", "external", "nofollow", "noopener", "noreferrer"}
_LOADING_ATTRS = {
    "script": ("src",), "img": ("src", "srcset"), "iframe": ("src",), "frame": ("src",),
    "embed": ("src",), "object": ("data",), "source": ("src", "srcset"),
    "video": ("src", "poster"), "audio": ("src",), "track": ("src",), "input": ("src",),
    "image": ("href", "xlink:href"), "use": ("href", "xlink:href"),
}
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""", re.IGNORECASE)
# Cheap test for a page that might load something remote: a loading tag with "//" in it,
# or a CSS url()/@import. Only such pages (few, usually none) get the full HTML parse,
# which would take seconds at 1,000 question pages.
_LOADING_TAG = re.compile(
    r"<(?:script|img|iframe|frame|embed|object|source|video|audio|track|input|image|use|link"
    r"|meta)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>?",
    re.IGNORECASE,
)
_CSS_REMOTE = re.compile(r"url\(\s*['\"]?\s*(?:[a-z][a-z0-9+.-]*:)?//|@import", re.IGNORECASE)


def _maybe_remote(html: str) -> bool:
    return bool(_CSS_REMOTE.search(html)) or any(
        "//" in m.group(0) for m in _LOADING_TAG.finditer(html))


def _is_remote(url: str) -> bool:
    url = url.strip()
    return bool(_REMOTE.match(url)) and not url.lower().startswith(("file:", "data:"))


class _ResourceScanner(HTMLParser):
    """Collects URLs a browser would fetch while showing the page (not plain links)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "link":
            rels = set(values.get("rel", "").lower().split())
            if rels and rels <= _NON_LOADING_REL:
                return
            urls = [values.get("href", "")]
        elif tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            urls = [values.get("content", "").partition("url=")[2]]
        else:
            urls = []
            for attr in _LOADING_ATTRS.get(tag, ()):
                value = values.get(attr, "")
                urls += [part.split()[0] for part in value.split(",") if part.strip()] \
                    if attr == "srcset" else [value]
        if "style" in values:
            urls += [m.group(1) or m.group(2) for m in _CSS_URL.finditer(values["style"])]
        self.found += [u for u in urls if u and _is_remote(u)]
        if tag == "style":
            self._in_style = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.found += [u for m in _CSS_URL.finditer(data)
                           if (u := m.group(1) or m.group(2)) and _is_remote(u)]


def find_network_references(site_dir: Path) -> list[str]:
    """'file: url' for every resource in the built site that would come from the network.

    Pages and stylesheets are checked. Theme JavaScript is not: Material's bundle holds
    CDN URLs for features we do not enable (e.g. Mermaid), and the browser tests watch
    what the pages really request.
    """
    problems: list[str] = []
    for path in sorted(site_dir.rglob("*")):
        rel = path.relative_to(site_dir).as_posix()
        if path.suffix == ".html":
            text = path.read_text(encoding="utf-8", errors="replace")
            if _maybe_remote(text):
                scanner = _ResourceScanner()
                scanner.feed(text)
                problems += [f"{rel}: {u}" for u in scanner.found]
        elif path.suffix == ".css":
            text = path.read_text(encoding="utf-8", errors="replace")
            problems += [f"{rel}: {u}" for m in _CSS_URL.finditer(text)
                         if (u := m.group(1) or m.group(2)) and _is_remote(u)]
    return problems
