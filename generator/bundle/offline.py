"""The project's MkDocs build with the overrides that make it work offline.

- Material's offline plugin: search index inlined as a script, no directory URLs;
- the iframe-worker shim it needs comes from generator/assets/vendor, not unpkg.com;
- no repo_url, so Material does not ask the GitHub API for stars and forks (our
  "Edit this record" links are plain anchors and stay);
- no web fonts, analytics or version selector, whatever mkdocs.yml says;
- always the public view with mock-up charts, whatever TOOLKIT_INTERNAL says, unless the
  bundle is asked for as internal (then the mark of internal_mark.py is on it);
- which round it is, on every page (overrides/main.html shows extra.toolkit_offline_label).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from ..errors import BundleError
from ..export import PLUGIN_NAME, default_edit_url
from ..internal_mark import refuse_if_internal
from ..reproducible import source_epoch
from .network_check import find_network_references

VENDOR_DIR = Path(__file__).parent.parent / "assets" / "vendor"
# Site-relative. Material's offline plugin only adds its unpkg URL when no polyfill URL
# contains "iframe-worker", so the folder name matters.
SHIM = "assets/vendor/iframe-worker/shim.js"
VENDORED = {
    SHIM: VENDOR_DIR / "iframe-worker" / "shim.js",
    "assets/vendor/iframe-worker/LICENSE": VENDOR_DIR / "iframe-worker" / "LICENSE",
}
OFFLINE_PLUGIN = "material/offline"


class OfflineAssetsPlugin(BasePlugin):  # type: ignore[type-arg]
    """Adds the vendored files to the build; only ever inserted by build_offline_site."""

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        for dest, src in VENDORED.items():
            if files.get_file_from_path(dest) is None:
                files.append(File.generated(config, dest, abs_src_path=str(src)))
        return files


@contextlib.contextmanager
def _environ(**values: str) -> Iterator[None]:
    """Temporarily set environment variables (MkDocs reads SOURCE_DATE_EPOCH at build)."""
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


def offline_config(project: Path, kb: Path, site_dir: Path, *, label: str = "",
                   internal: bool = False) -> MkDocsConfig:
    """The project's mkdocs.yml, validated, with the offline overrides applied."""
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir))
    toolkit = config.plugins.get(PLUGIN_NAME)
    if toolkit is None:
        raise BundleError(f"mkdocs.yml does not use the {PLUGIN_NAME} plugin")
    if "material/search" not in config.plugins and "search" not in config.plugins:
        raise BundleError("mkdocs.yml has no search plugin: the bundle needs search")
    # Keep "Edit this record" links: they are computed from repo_url, which goes below.
    toolkit.config["edit_url"] = toolkit.config.get("edit_url") or default_edit_url(
        config.repo_url, config.edit_uri)
    # Public view with charts, whatever mkdocs.yml (or TOOLKIT_INTERNAL through !ENV) says.
    toolkit.config["enabled"] = True
    toolkit.config["kb"] = str(kb.resolve())
    toolkit.config["internal"] = internal
    # overrides/main.html shows it on every page: which round this copy is (and INTERNAL).
    config.extra["toolkit_offline_label"] = label
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


def build_offline_site(project: Path, kb: Path, site_dir: Path, *, label: str = "",
                       internal: bool = False) -> None:
    """Build the offline site into site_dir. The kb must have been validated already."""
    config = offline_config(project, kb, site_dir, label=label, internal=internal)
    epoch = str(source_epoch())
    # Sitemap dates fixed, as in the zip.
    with _environ(SOURCE_DATE_EPOCH=epoch):
        build(config)
    if not internal:
        refuse_if_internal(site_dir, "write it as a public bundle (use --internal)")
    problems = find_network_references(site_dir)
    if problems:
        shown = "\n".join(f"  {p}" for p in problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise BundleError(
            "the offline bundle would load resources from the network "
            f"(vendor them or remove them):\n{shown}{more}"
        )
