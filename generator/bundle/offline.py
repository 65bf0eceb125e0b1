"""Offline bundle: the whole site as one zip that works from file:// with no network.

Field teams unzip it and open index.html where there is little or no connection. The
bundle is the normal MkDocs build with a few overrides, so it never drifts from the
published site:

- Material's offline plugin: search index inlined as a script, no directory URLs;
- the iframe-worker shim it needs comes from generator/assets/vendor, not unpkg.com;
- no repo_url, so Material does not ask the GitHub API for stars and forks (our
  "Edit this record" links are plain anchors and stay);
- no web fonts, analytics or version selector, whatever mkdocs.yml says;
- always the public view with mock-up charts, whatever TOOLKIT_INTERNAL says.

After the build every page and stylesheet is checked for a resource on a network host,
so a hand-written page that embeds a remote image fails the bundle instead of leaking.
The zip is deterministic (sorted entries, fixed timestamps and permissions) and written
atomically: a failed build leaves the previous zip in place.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import click
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from ..export import PLUGIN_NAME, default_edit_url
from ..loader import load
from ..problems import InvalidKnowledgeBase
from ..reproducible import source_epoch, zip_time

log = logging.getLogger("mkdocs.plugins.country-toolkit.bundle")

VENDOR_DIR = Path(__file__).parent.parent / "assets" / "vendor"
# Site-relative. Material's offline plugin only adds its unpkg URL when no polyfill URL
# contains "iframe-worker", so the folder name matters.
SHIM = "assets/vendor/iframe-worker/shim.js"
VENDORED = {
    SHIM: VENDOR_DIR / "iframe-worker" / "shim.js",
    "assets/vendor/iframe-worker/LICENSE": VENDOR_DIR / "iframe-worker" / "LICENSE",
}
OFFLINE_PLUGIN = "material/offline"
# 1980-01-01, the earliest time a zip entry can carry; same default as the DAP xlsx.
FILE_MODE = 0o644
DEFAULT_OUT = Path("dist/toolkit-offline.zip")


class BundleError(Exception):
    """The site built, but it cannot be used offline (the message says why)."""


@dataclass(frozen=True)
class BundleResult:
    path: Path
    size: int  # bytes of the zip
    files: int  # entries in the zip
    seconds: float  # build + zip


# --- the build --------------------------------------------------------------------------


class OfflineAssetsPlugin(BasePlugin):  # type: ignore[type-arg]
    """Adds the vendored files to the build; only ever inserted by build_offline_site."""

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        for dest, src in VENDORED.items():
            if files.get_file_from_path(dest) is None:
                files.append(File.generated(config, dest, abs_src_path=str(src)))
        return files


@contextlib.contextmanager
def _environ(**values: str) -> Iterator[None]:
    """Temporarily set environment variables (the plugin and MkDocs read them at build)."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def offline_config(project: Path, kb: Path, site_dir: Path) -> MkDocsConfig:
    """The project's mkdocs.yml, validated, with the offline overrides applied."""
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir))
    toolkit = config.plugins.get(PLUGIN_NAME)
    if toolkit is None:
        raise BundleError(f"mkdocs.yml does not use the {PLUGIN_NAME} plugin")
    if "material/search" not in config.plugins and "search" not in config.plugins:
        raise BundleError("mkdocs.yml has no search plugin: the bundle needs search")
    # Keep "Edit this record" links: they are computed from repo_url, which goes below.
    toolkit.config["edit_url"] = toolkit.config.get("edit_url") or default_edit_url(
        {"repo_url": config.repo_url, "edit_uri": config.edit_uri})
    toolkit.config["kb"] = str(kb.resolve())
    toolkit.config["internal"] = False
    toolkit.config["mockups"] = True
    # With repo_url set, Material's JavaScript fetches repository facts from the GitHub API.
    config.repo_url = None
    config.repo_name = None
    config.edit_uri = None
    # Also fetched at run time, so the offline check would not see them: web fonts,
    # analytics (Google's script) and the version selector (versions.json over fetch).
    config.theme["font"] = False
    config.extra.pop("analytics", None)
    config.extra.pop("version", None)
    polyfills = [p for p in config.extra.get("polyfills", []) if "iframe-worker" not in str(p)]
    config.extra["polyfills"] = [*polyfills, SHIM]
    if OFFLINE_PLUGIN not in config.plugins and "offline" not in config.plugins:
        from material.plugins.offline.plugin import OfflinePlugin

        offline = OfflinePlugin()
        errors, _ = offline.load_config({})
        if errors:  # pragma: no cover - the plugin has one boolean option
            raise BundleError(f"offline plugin: {errors}")
        config.plugins[OFFLINE_PLUGIN] = offline
    config.plugins["country-toolkit/offline-assets"] = OfflineAssetsPlugin()
    config.use_directory_urls = False
    return config


def build_offline_site(project: Path, kb: Path, site_dir: Path) -> None:
    """Build the offline site into site_dir. The kb must have been validated already."""
    config = offline_config(project, kb, site_dir)
    epoch = str(source_epoch())
    # Public view with charts, whatever the caller's shell says; sitemap dates fixed.
    with _environ(TOOLKIT_INTERNAL="0", TOOLKIT_MOCKUPS="1", SOURCE_DATE_EPOCH=epoch):
        build(config)
    problems = find_network_references(site_dir)
    if problems:
        shown = "\n".join(f"  {p}" for p in problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise BundleError(
            "the offline bundle would load resources from the network "
            f"(vendor them or remove them):\n{shown}{more}"
        )


# --- the offline check ------------------------------------------------------------------

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


# --- the zip ----------------------------------------------------------------------------


def write_zip(site_dir: Path, dest: Path, epoch: int | None = None) -> int:
    """Zip site_dir into dest, byte-identical for the same files; returns the entry count.

    Written next to dest and renamed over it, so readers never see half a zip and a
    failure keeps the previous one.
    """
    stamp = zip_time(epoch)
    files = sorted(p for p in site_dir.rglob("*") if p.is_file())
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w") as zf:
            for path in files:
                info = zipfile.ZipInfo(path.relative_to(site_dir).as_posix(), date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3  # Unix, so the permission bits below are honoured
                info.external_attr = (0o100000 | FILE_MODE) << 16
                zf.writestr(info, path.read_bytes(), compresslevel=9)
        tmp.chmod(FILE_MODE)
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return len(files)


# --- the whole thing --------------------------------------------------------------------


def bundle(kb: Path, out: Path, project: Path = Path(".")) -> BundleResult:
    """Validate kb, build the offline site and write it to the zip out.

    Raises InvalidKnowledgeBase (with the full report) before building anything if the kb
    has errors, BundleError if the built site would need the network.
    """
    start = time.monotonic()
    loaded, report = load(kb)
    if loaded is None:
        raise InvalidKnowledgeBase(report)
    with tempfile.TemporaryDirectory(prefix="toolkit-bundle-") as tmp:
        site = Path(tmp) / "site"
        build_offline_site(project, kb, site)
        count = write_zip(site, out)
    return BundleResult(out, out.stat().st_size, count, time.monotonic() - start)


# --- the command ------------------------------------------------------------------------


@click.command("bundle")
@click.argument("kb", type=click.Path(file_okay=False, path_type=Path), default=Path("kb"),
                required=False)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              default=DEFAULT_OUT, show_default=True, help="The zip to write.")
@click.option("--project", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              help="Folder holding mkdocs.yml, docs/ and overrides/.")
def bundle_command(kb: Path, out: Path, project: Path) -> None:
    """Build the whole site as one zip that works offline from file:// (for field teams)."""
    from mkdocs.exceptions import MkDocsException

    # MkDocs warnings (strict mode stops on them) would otherwise print without context.
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
    handler.setLevel(logging.WARNING)
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(handler)
    try:
        result = bundle(kb, out, project)
    except InvalidKnowledgeBase as exc:
        click.echo(exc.report.format(), err=True)  # the same report as `toolkit validate`
        sys.exit(1)
    except (BundleError, MkDocsException) as exc:
        click.echo(f"Error: the offline bundle was not written: {exc}", err=True)
        sys.exit(1)
    finally:
        mkdocs_log.removeHandler(handler)
    click.echo(f"Wrote {result.path}: {result.files} files, {result.size / 1e6:.1f} MB, "
               f"in {result.seconds:.1f} s. Unzip it and open index.html in a browser.")
