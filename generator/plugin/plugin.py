"""Thin MkDocs plugin: run the generator inside `mkdocs build` / `mkdocs serve`.

The work is done elsewhere (loader, pages, mockup); the handlers below only hand it over
at the right build event. Options: config.py.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Literal

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkPage

from ..errors import ToolkitError
from ..export import default_edit_url, edit_base
from ..i18n import site as i18n_site
from ..i18n.catalog import translations
from ..i18n.languages import Language
from ..i18n.validate import ADVISORY
from ..inline_prefilter import InlinePrefilter
from ..internal_mark import mark_page, write_mark
from ..kb import KnowledgeBase
from ..kept_files import KeptFiles
from ..library.compare import compare_with
from ..loader import load
from ..mockup import embed_charts
from ..page_memo import Digests
from ..pages import Options, Page, SiteRenderer, environment, tags_page_with_index
from ..parse_memo import ParseMemo
from ..problems import Report, counted
from ..rebuild_memo import RebuildMemo, keep_xlsform_verdicts, restore_xlsform_verdicts
from . import collector, nav_memo, static_partials
from .cache import HtmlCache, OutputCache, SearchCache, Store
from .config import CountryToolkitConfig
from .incremental import Generated, Incremental
from .report_page import replace_not_found, report_markdown
from .shared_markdown import SharedMarkdown
from .template_code import TemplateCode, code_folder

log = logging.getLogger("mkdocs.plugins.country-toolkit")


class CountryToolkitPlugin(BasePlugin[CountryToolkitConfig]):
    # True under `mkdocs serve` only (set by on_startup, which MkDocs calls from its
    # commands; a build started from Python, as the tests and the bundle do, is a build).
    serving = False
    languages: list[Language] = []  # site languages (kb/country.yml), set by on_config
    # Kept across `mkdocs serve` rebuilds (MkDocs keeps a plugin with on_startup alive).
    html_cache: HtmlCache | None = None
    output_cache: OutputCache | None = None
    search_cache: SearchCache | None = None
    markdown_memo: Store | None = None  # question pages' Markdown (generator/page_memo.py)
    # Mock-ups and pyxform's verdicts; the FALSE DATA files (generator/rebuild_memo.py).
    rebuild_store: Store | None = None
    parse_store: Store | None = None  # kb files' YAML values (generator/parse_memo.py)
    kept_files: KeptFiles | None = None
    nav: Navigation | None = None
    cache_ready = False
    parse_memo: ParseMemo | None = None
    compare_memo: ParseMemo | None = None
    rebuild_memo: RebuildMemo | None = None  # false answers, mock-ups, XLSForm
    served_builds = 0  # builds of this `mkdocs serve` session whose caches were saved
    template_code: TemplateCode | None = None  # the theme's compiled templates
    digests: Digests | None = None  # the page memo keys' record digests
    # Under serve: what the last build left, for rebuilding only changed pages.
    incremental: Incremental | None = None
    files: Files | None = None  # this build's files and Jinja environment (on_env)
    env: Environment | None = None
    tags_source: str | None = None  # the project's tags page before its index is put in
    shared_markdown: SharedMarkdown | None = None  # one Markdown instance per build

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"],
                   dirty: bool) -> None:
        self.serving = command == "serve"

    # Before the search plugin's on_config, which reads the theme language set here.
    @event_priority(50)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        self.kb_path = Path(self.config.kb).resolve()
        self.languages = i18n_site.declared(self.kb_path)
        self.language = i18n_site.configure(config, self.languages, self.config.language)
        root = Path(config.config_file_path or ".").resolve().parent
        self.options = Options(
            edit_url=edit_base(
                self.config.edit_url or default_edit_url(config.repo_url, config.edit_uri),
                self.kb_path, root),
            mockups=self.config.mockups,
            chart_markers=True,
            language=self.language.code,
        )
        folder = (root / self.config.cache_dir).resolve() if self.config.cache else None
        if self.html_cache is None or self.html_cache.folder != folder:
            self.html_cache = HtmlCache(folder)
            self.output_cache = OutputCache(folder)
            self.search_cache = SearchCache(folder)
            self.markdown_memo = Store(folder, "markdown")
            self.rebuild_store = Store(folder, "rebuild")
            self.parse_store = Store(folder, "parse")
            self.kept_files = KeptFiles(folder)
        for cache in self._caches():
            cache.load()
        self.cache_ready = False
        if self.incremental is None:
            self.incremental = Incremental()
        self.files = self.env = None
        if self.shared_markdown is None:
            self.shared_markdown = SharedMarkdown()
        # The same HTML, a quarter less Markdown time (inline_prefilter.py).
        if not any(isinstance(e, InlinePrefilter) for e in config.markdown_extensions):
            config.markdown_extensions.append(InlinePrefilter())
        # overrides/main.html shows a "do not publish" banner on every page of internal builds.
        config.extra["toolkit_internal"] = self.config.internal
        if self.config.internal:
            log.info("Internal build: confidential fields are included. Do not publish it.")
        return config

    def _caches(self) -> list[HtmlCache | Store | KeptFiles]:
        if not self.config.cache or self.html_cache is None:
            return []
        assert self.output_cache is not None and self.search_cache is not None
        assert self.markdown_memo is not None and self.rebuild_store is not None
        assert self.kept_files is not None and self.parse_store is not None
        return [self.html_cache, self.output_cache.store, self.search_cache.store,
                self.markdown_memo, self.rebuild_store, self.parse_store, self.kept_files]

    def on_pre_build(self, config: MkDocsConfig) -> None:
        if self.config.enabled and self.search_cache is not None:
            # Every on_config has run: Material's search plugin has made this build's index.
            # Installed without the cache too: it also cuts what search leaves out.
            for other in config.plugins.values():
                if hasattr(other, "search_index"):
                    self.search_cache.install(other, store=self.config.cache)
        # Everything that can fail on a bad kb happens here: mkdocs empties site_dir between
        # on_pre_build and on_files, so failing any later would leave an emptied or
        # half-written site behind. Runs again on every `mkdocs serve` rebuild.
        self.pages: list[Page] = []
        self.charts: dict[str, str] = {}
        self.tags_index: str | None = None
        self.failed: Report | None = None
        if not self.config.enabled:
            return
        if self.shared_markdown is not None:
            self.shared_markdown.start()
        if self.serving and self.incremental is not None:
            self.incremental.start(config)
        collector.checkpoint()  # the configuration and what earlier builds kept
        kb, report = self._load()
        # Stale translations are for translators to review: they never stop a build (the
        # page shows the older translation until then), so they are logged as information.
        blocking = [p for p in report.problems if p.code not in ADVISORY]
        stops = kb is None or bool(blocking and config.strict)
        if stops and self.serving:
            self._serve_report(report, config)
            return
        self._log_problems(report)
        if kb is None:
            raise PluginError(
                f"the knowledge base has {counted(len(report.errors), 'error')}, listed above: "
                f"fix {'it' if len(report.errors) == 1 else 'them'} and build again "
                "(toolkit validate lists them too)"
            )
        if stops:
            # Strict mode would abort on these warnings anyway, but only after writing the site.
            raise PluginError(
                f"the knowledge base has {counted(len(blocking), 'warning')}, listed above, and "
                f"strict mode is on: fix {'it' if len(blocking) == 1 else 'them'} and build again"
            )
        self._render(kb, config)
        collector.checkpoint()  # the kb and its pages stay to the end of the build

    def _load(self) -> tuple[KnowledgeBase | None, Report]:
        if self.parse_memo is None and self.config.cache:
            self.parse_memo = ParseMemo()  # kept across `mkdocs serve` rebuilds
            self.rebuild_memo = RebuildMemo()
            self.compare_memo = ParseMemo()  # the kbs of compare_with: counted apart
            self.digests = Digests()
        if self.parse_memo is not None and self.compare_memo is not None:
            self.parse_memo.stored = self.parse_store if self.config.cache else None
            self.compare_memo.stored = self.parse_memo.stored
        return load(self.kb_path, internal=self.config.internal,
                    memo=self.parse_memo if self.config.cache else None)

    @staticmethod
    def _log_problems(report: Report) -> None:
        for problem in report.sorted():
            if problem.code in ADVISORY:
                log.info(problem.format())
                continue
            (log.error if problem.severity == "error" else log.warning)(problem.format())

    def _render(self, kb: KnowledgeBase, config: MkDocsConfig) -> None:
        memo = self.markdown_memo if self.config.cache else None
        # Serve rebuilds reuse what it keeps in memory, a new build what the cache folder
        # holds (mock-ups, the FALSE DATA files, pyxform's verdicts).
        rebuild = self.rebuild_memo if self.config.cache else None
        if rebuild is not None:
            rebuild.start()
            rebuild.attach(self.rebuild_store, self.kept_files)
            if self.rebuild_store is not None:
                restore_xlsform_verdicts(self.rebuild_store)
        options = replace(self.options, memo=memo, rebuild=rebuild,
                          digests=self.digests if rebuild is not None else None)
        if self.config.compare_with:
            try:
                options = replace(options, comparison=compare_with(
                    kb, self.config.compare_with,
                    self.compare_memo if self.config.cache else None))
            except ToolkitError as err:
                raise PluginError(str(err)) from None
        if self.config.cache:  # the generator's own templates, compiled once
            self._template_code().install(environment(self.language.code))
        renderer = SiteRenderer(kb, options)
        pages = list(renderer.pages())
        self.charts = renderer.charts()
        self.tags_index = renderer.tags_index
        docs = Path(config.docs_dir)
        for page in pages:
            if (docs / page.path).exists():
                raise PluginError(
                    f"docs/{page.path} clashes with a page generated from the kb: rename it"
                )
        self.pages = pages

    def _generated(self) -> Generated:
        tags_page = None
        if self.tags_source is not None and self.tags_index is not None:
            tags_page = tags_page_with_index(self.tags_source, self.tags_index)
        return Generated({p.path: p.content for p in self.pages}, self.charts, tags_page)

    # -- `mkdocs serve` rebuilds of the pages an edit changed (incremental.py) ------------
    def _generate_again(self, config: MkDocsConfig) -> Generated | None:
        """The generator's part of an incremental rebuild: as on_pre_build, without the
        site's report (a kb whose problems stop a build gets a full build, which shows it)."""
        if self.shared_markdown is not None:
            self.shared_markdown.start()
        kb, report = self._load()
        blocking = [p for p in report.problems if p.code not in ADVISORY]
        if kb is None or (blocking and config.strict):
            return None
        self._log_problems(report)
        self._render(kb, config)
        return self._generated()

    def _finish_rebuild(self, config: MkDocsConfig) -> None:
        """The end of an incremental rebuild, as on_post_build ends a build."""
        if self.config.internal:
            write_mark(Path(config.site_dir))
        if self.cache_ready:
            if self.rebuild_store is not None and self.config.cache:
                keep_xlsform_verdicts(self.rebuild_store)
            # Only the changed pages' HTML, theme output and search entries were looked up:
            # the others' stay kept for the next build.
            for store in self._page_stores():
                store.carry()
            for cache in self._caches():
                cache.save(False)
            self.served_builds += 1
        collector.end(serving=True)

    def _page_stores(self) -> list[Store]:
        if not self.config.cache or self.html_cache is None:
            return []
        assert self.output_cache is not None and self.search_cache is not None
        return [self.html_cache.store, self.output_cache.store, self.search_cache.store]

    def _serve_report(self, report: Report, config: MkDocsConfig) -> None:
        """Serve the validation report as the site until the kb is fixed.

        Logged at INFO: in strict mode a logged warning or error would abort this build, and
        mkdocs' server then holds every request back, so the browser would show nothing.
        """
        self.failed = report
        for problem in report.sorted():
            log.info(problem.format())
        log.info("The knowledge base has problems: the preview shows the report until "
                 "they are fixed.")
        # Only the report page is built; a nav naming the other pages would warn about each.
        config.nav = [{"Knowledge base errors": "index.md"}]
        config.not_in_nav = None

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        if self.failed is not None:
            kept = Files([f for f in files if not f.is_documentation_page()])
            kept.append(File.generated(config, "index.md", content=report_markdown(self.failed)))
            return kept
        if len(self.languages) > 1:
            files = i18n_site.language_pages(files, config, self.language, self.languages)
        for page in self.pages:  # clashes with docs/ were refused in on_pre_build
            files.append(File.generated(config, page.path, content=page.content))
        self.tags_source = None
        if self.tags_index is not None:
            page = files.get_file_from_path("tags.md")
            if page is not None and page.is_documentation_page():
                self.tags_source = page.content_string  # as written, for serve rebuilds
            files = with_tags_index(files, config, self.tags_index)
        return files

    # Last: the key must be the Markdown every other plugin has finished changing.
    @event_priority(-100)
    def on_page_markdown(self, markdown: str, /, *, page: MkPage, config: MkDocsConfig,
                         files: Files) -> str:
        # The build's Markdown instance first: the HTML cache renders with it on a miss.
        if self.config.enabled and self.shared_markdown is not None:
            self.shared_markdown.wrap(page, config)
        if self.html_cache is not None and self.config.cache:
            if not self.cache_ready:  # every on_files has run: the file set is final
                self.html_cache.start(config, files)
                self.cache_ready = True
            self.html_cache.wrap(page, markdown)
        return markdown

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        if self.config.enabled and self.languages and self.language != self.languages[0]:
            i18n_site.translate_nav(nav, translations(self.language.code).gettext)
        self.nav = nav
        return nav

    # Before any plugin loads a template (Material's tags plugin renders its listings at 100).
    @event_priority(110)
    def _on_env_compiled(self, env: Environment, /, *, config: MkDocsConfig,
                         files: Files) -> Environment:
        if self.config.enabled:
            collector.checkpoint()  # every page is read and converted
        if self.config.enabled and self.config.cache:
            self._template_code().install(env)
        return env

    def _template_code(self) -> TemplateCode:
        if self.template_code is None:
            self.template_code = TemplateCode(code_folder())
        return self.template_code

    @event_priority(-100)  # after any plugin that adds to the environment
    def _on_env_memos(self, env: Environment, /, *, config: MkDocsConfig,
                      files: Files) -> Environment:
        if self.config.enabled:
            nav_memo.install(env, config, self.nav)
            static_partials.install(env)
        if self.config.enabled and self.config.cache and self.output_cache is not None:
            self.output_cache.install(env, config, self.nav)
        self.files, self.env = files, env
        return env

    on_env = CombinedEvent(_on_env_compiled, _on_env_memos)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.config.internal:
            write_mark(Path(config.site_dir))
        if self.cache_ready:
            # Under serve the cache files are written by the first build and when serve
            # stops (on_shutdown), not after every edit; `mkdocs build` writes them now.
            write = not (self.serving and self.served_builds > 0)
            if self.rebuild_store is not None and self.config.cache:
                keep_xlsform_verdicts(self.rebuild_store)
            for cache in self._caches():
                cache.save(write)
            self.served_builds += self.serving
        if self.serving and self.incremental is not None:
            if self.config.enabled and self.failed is None:
                self.incremental.finish(config, self.files, self.nav, self.env,
                                        self._generated())
            else:
                self.incremental.forget()
        collector.end(serving=self.serving)

    def on_build_error(self, *, error: Exception) -> None:
        if self.incremental is not None:
            self.incremental.forget()
        collector.end(serving=False)

    def rebuild(self, full: Callable[[], None]) -> None:
        """A `mkdocs serve` rebuild: only the pages an edit of the kb changed, when that is
        all it changed (incremental.py); else `full`, MkDocs' own full build."""
        if self.incremental is None or not self.config.enabled:
            full()
        elif not self.incremental.rebuild(self._generate_again, self._finish_rebuild):
            self.incremental.stamp_before_full_build()
            full()

    def on_shutdown(self) -> None:
        for cache in self._caches():
            cache.flush()

    def on_post_page(self, output: str, /, *, page: MkPage, config: MkDocsConfig) -> str:
        output = embed_charts(output, self.charts) if self.charts else output
        # The machine-readable mark that publish, bundle and deploy refuse (internal_mark.py).
        return mark_page(output) if self.config.internal else output

    def on_post_template(self, output_content: str, /, *, template_name: str,
                         config: MkDocsConfig) -> str:
        # The page the browser was on is gone while the kb is broken: mkdocs serve answers
        # with 404.html, so that page carries the report too.
        if self.failed is not None and template_name == "404.html":
            output_content = replace_not_found(output_content, self.failed)
        # 404.html is rendered here, not in on_post_page: it must carry the mark too.
        if self.config.internal and template_name.endswith(".html"):
            return mark_page(output_content)
        return output_content

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: object
    ) -> LiveReloadServer:
        if self.config.enabled:
            server.watch(str(self.kb_path))
            library = _library_folder(self.kb_path)
            if library is not None:  # edits to the library change adopted questions too
                server.watch(str(library))
            for folder in self.config.compare_with:  # the countries it is compared with
                server.watch(str(Path(folder).resolve()))
        # mkdocs watches theme folders only with --watch-theme; overrides/ is ours to edit.
        if config.theme.custom_dir:
            server.watch(config.theme.custom_dir)
        full = server.builder
        server.builder = lambda: self.rebuild(full)
        return server


def _library_folder(kb: Path) -> Path | None:
    """The library folder the kb adopts from, when it is a folder (not a git tag)."""
    from ..library.open import LibraryError, library_ref

    try:
        ref = library_ref(kb)
    except LibraryError:
        return None
    folder = (kb / ref.path).resolve() if ref.path else None
    return folder if folder is not None and folder.is_dir() else None



def with_tags_index(files: Files, config: MkDocsConfig, index: str) -> Files:
    """The project's tags page (tags.md, in this build's language) with the table of the
    tag pages in place of its listing of them all; unchanged if it has no such listing."""
    page = files.get_file_from_path("tags.md")
    if page is None or not page.is_documentation_page():
        return files
    text = tags_page_with_index(page.content_string, index)
    if text is not None:
        files.remove(page)
        files.append(File.generated(config, "tags.md", content=text))
    return files
