"""Thin MkDocs plugin: run the generator inside `mkdocs build` / `mkdocs serve`."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkPage

from ..export import default_edit_url
from ..loader import load
from ..mockup import embed_charts
from ..pages import Options, Page, SiteRenderer

log = logging.getLogger("mkdocs.plugins.country-toolkit")


class CountryToolkitConfig(base.Config):
    kb = c.Type(str, default="kb")
    # Internal builds show confidential fields; only for partners under the MoU.
    internal = c.Type(bool, default=False)
    # Base URL that a kb file path is appended to for "Edit this record" links.
    edit_url = c.Optional(c.Type(str))
    mockups = c.Type(bool, default=True)


def _env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.lower() in ("1", "true", "yes", "on")


class CountryToolkitPlugin(BasePlugin[CountryToolkitConfig]):
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").parent
        self.kb_path = (root / self.config.kb).resolve()
        self.internal = _env_flag("TOOLKIT_INTERNAL", self.config.internal)
        self.options = Options(
            edit_url=self.config.edit_url or default_edit_url(dict(config)),
            mockups=_env_flag("TOOLKIT_MOCKUPS", self.config.mockups),
            chart_markers=True,
        )
        # overrides/main.html shows a "do not publish" banner on every page of internal builds.
        config.extra["toolkit_internal"] = self.internal
        if self.internal:
            log.info("Internal build: confidential fields are included. Do not publish it.")
        return config

    def on_pre_build(self, config: MkDocsConfig) -> None:
        # Everything that can fail on a bad kb happens here: mkdocs empties site_dir between
        # on_pre_build and on_files, so failing any later would leave an emptied or
        # half-written site behind. Runs again on every `mkdocs serve` rebuild.
        self.pages: list[Page] = []
        self.charts: dict[str, str] = {}
        kb, report = load(self.kb_path, internal=self.internal)
        if kb is None:
            for problem in report.sorted():
                log.error(problem.format())
            raise PluginError(
                f"the knowledge base has {len(report.errors)} error(s), listed above: fix them "
                "and build again (toolkit validate lists them too)"
            )
        for problem in report.sorted():  # warnings only, errors stopped above
            log.warning(problem.format())
        if report.problems and config.strict:
            # Strict mode would abort on these warnings anyway, but only after writing the site.
            raise PluginError(
                f"the knowledge base has {len(report.problems)} warning(s), listed above, and "
                "strict mode is on: fix them and build again"
            )
        renderer = SiteRenderer(kb, self.options)
        pages = list(renderer.pages())
        self.charts = renderer.charts()
        docs = Path(config.docs_dir)
        for page in pages:
            if (docs / page.path).exists():
                raise PluginError(
                    f"docs/{page.path} clashes with a page generated from the kb: rename it"
                )
        self.pages = pages

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        for page in self.pages:  # clashes with docs/ were refused in on_pre_build
            files.append(File.generated(config, page.path, content=page.content))
        return files

    def on_post_page(self, output: str, /, *, page: MkPage, config: MkDocsConfig) -> str:
        return embed_charts(output, self.charts)

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: object
    ) -> LiveReloadServer:
        server.watch(str(self.kb_path))
        return server
