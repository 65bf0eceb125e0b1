"""Write the generated site source to a folder that any MkDocs-compatible engine can build."""

from __future__ import annotations

import shutil
import tempfile
import types
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config import load_config
from mkdocs.utils.yaml import get_yaml_loader, yaml_load

from .i18n.languages import find, site_languages
from .i18n.site import configure_yaml, language_docs
from .kb import KnowledgeBase
from .library.compare import compare_with
from .pages import Options, SiteRenderer, tags_page_with_index

PLUGIN_NAME = "country-toolkit"


def read_mkdocs_yml(path: Path) -> dict[str, Any]:
    """mkdocs.yml as MkDocs reads it: `!ENV`, `!!python/name:` and INHERIT all work."""
    with path.open("rb") as fh:
        return yaml_load(fh, _loader())


def engine_config(config: dict[str, Any]) -> dict[str, Any]:
    """mkdocs.yml without our plugin: the pages it would generate are written out instead."""
    config = dict(config)
    plugins = []
    for entry in config.get("plugins", []):
        name = next(iter(entry)) if isinstance(entry, dict) else entry
        if name != PLUGIN_NAME:
            plugins.append(entry)
    config["plugins"] = plugins
    config["docs_dir"] = "docs"
    if config.get("theme", {}).get("custom_dir"):
        config["theme"]["custom_dir"] = "overrides"
    return config


def dump_mkdocs_yml(config: dict[str, Any]) -> str:
    """YAML that MkDocs-compatible engines read back to the same configuration."""
    return yaml.dump(config, Dumper=_Dumper, sort_keys=False, allow_unicode=True)


class _Tagged:
    """A value under a tag resolved only at build time (`!relative`): written back as is."""

    def __init__(self, tag: str, value: str) -> None:
        self.tag, self.value = tag, value


def _loader() -> type[yaml.BaseLoader]:
    """MkDocs' own loader; `!relative` (resolved by MkDocs per page) is kept as written."""
    loader = get_yaml_loader()
    loader.add_constructor(
        "!relative", lambda ld, node: _Tagged("!relative", ld.construct_scalar(node)))
    return loader


class _Dumper(yaml.SafeDumper):
    """Safe dumping, plus Python names (Material's emoji set-up) and kept tags."""


def _python_name(dumper: yaml.SafeDumper, obj: Any) -> yaml.ScalarNode:
    return dumper.represent_scalar(
        f"tag:yaml.org,2002:python/name:{obj.__module__}.{obj.__qualname__}", "")


for _kind in (types.FunctionType, types.BuiltinFunctionType, type):
    _Dumper.add_multi_representer(_kind, _python_name)
_Dumper.add_representer(_Tagged, lambda d, t: d.represent_scalar(t.tag, t.value))


def default_edit_url(repo_url: str | None, edit_uri: str | None) -> str | None:
    """The edit view at the branch of edit_uri, from repo_url (None without a repo_url)."""
    if not repo_url:
        return None
    parts = str(edit_uri or "edit/main/docs/").strip("/").split("/")
    is_branch = len(parts) >= 2 and parts[0] in ("edit", "blob")
    prefix = "/".join(parts[:2]) if is_branch else "edit/main"
    return repo_url.rstrip("/") + "/" + prefix + "/"


def repository_root(start: Path) -> Path | None:
    """The nearest folder at or above start holding .git (a folder, or a file in worktrees)."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def edit_base(edit_url: str | None, kb: Path, project: Path) -> str | None:
    """The URL that a record's source (kb-parent-relative, e.g. kb/questions/x.yml) is
    appended to: edit_url plus where the kb's parent sits in the repository.

    The repository root is the nearest folder above the kb holding .git, else the folder
    of mkdocs.yml (a source tarball). A kb outside it keeps edit_url as it is.
    """
    if not edit_url:
        return None
    kb = kb.resolve()
    root = repository_root(kb) or project.resolve()
    try:
        where = kb.parent.relative_to(root).as_posix()
    except ValueError:
        where = "."
    base = edit_url.rstrip("/") + "/"
    return base if where == "." else f"{base}{where}/"


def render_options(project: Path, kb: Path, *, mockups: bool,
                   loaded: KnowledgeBase | None = None) -> Options:
    """Page options from project's mkdocs.yml, read and checked by MkDocs itself (so `!ENV`
    and the plugin's typed options mean what they mean in `mkdocs build`). With the loaded
    kb, the countries of `compare_with` are compared with it, as the plugin does."""
    config = load_config(str(project / "mkdocs.yml"))
    plugin = config.plugins.get(PLUGIN_NAME)
    edit_url = plugin.config.get("edit_url") if plugin is not None else None
    others = plugin.config.get("compare_with") if plugin is not None else None
    return Options(
        edit_url=edit_base(edit_url or default_edit_url(config.repo_url, config.edit_uri),
                           kb, project),
        mockups=mockups,
        comparison=compare_with(loaded, others) if others and loaded is not None else None,
    )


def write_source(kb: KnowledgeBase, project: Path, out: Path, options: Options,
                 *, selector: bool = False) -> int:
    """Write docs/ (hand-written + generated), overrides/ and mkdocs.yml into out, in the
    site language options.language (None: the source), its mkdocs.yml set up for that
    language as the plugin would (interface language, direction, search stemmer, nav
    titles); `selector`: with the language selector, for sources written side by side
    (write_all_sources).

    Written to a temporary folder first and swapped in at the end, so a failure leaves any
    previous output untouched. Returns the number of generated pages.
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".toolkit-", dir=out.parent))
    try:
        config = read_mkdocs_yml(project / "mkdocs.yml")
        docs_src = project / config.get("docs_dir", "docs")
        if docs_src.is_dir():
            shutil.copytree(docs_src, tmp / "docs")
        overrides = project / "overrides"
        if overrides.is_dir():
            shutil.copytree(overrides, tmp / "overrides")
        languages = site_languages(kb.country)
        lang = find(kb.country, options.language)
        if (tmp / "docs").is_dir():
            language_docs(tmp / "docs", lang, languages)
        renderer = SiteRenderer(kb, options)
        pages = list(renderer.pages())
        tags_page = tmp / "docs" / "tags.md"
        if renderer.tags_index is not None and tags_page.is_file():
            # As the plugin does: a large kb's tags page links a page per tag.
            text = tags_page_with_index(tags_page.read_text(encoding="utf-8"),
                                        renderer.tags_index)
            if text is not None:
                tags_page.write_text(text, encoding="utf-8")
        for page in pages:
            target = tmp / "docs" / page.path
            if target.exists():
                raise FileExistsError(f"docs/{page.path} clashes with a generated page")
            target.parent.mkdir(parents=True, exist_ok=True)
            data = page.content.encode("utf-8") if isinstance(page.content, str) else page.content
            target.write_bytes(data)
        engine = engine_config(config)
        configure_yaml(engine, languages, lang, selector)
        if kb.internal:
            # Without the plugin, overrides/main.html marks and banners the internal pages.
            engine.setdefault("extra", {})["toolkit_internal"] = True
        (tmp / "mkdocs.yml").write_text(dump_mkdocs_yml(engine), encoding="utf-8")
        if out.exists():
            old = out.with_name(out.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(out)
        return len(pages)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_all_sources(kb: KnowledgeBase, project: Path, out: Path,
                      options: Options) -> dict[str, int]:
    """One source per site language, out/<lang>/ (each with its own mkdocs.yml and the
    language selector), and out/index.html, the root page that sends readers to the source
    language: build each into site/<lang>/ and copy index.html to site/."""
    from .i18n.multibuild import redirect_page

    languages = site_languages(kb.country)
    out.mkdir(parents=True, exist_ok=True)
    written = {lang.code: write_source(kb, project, out / lang.code,
                                       replace(options, language=lang.code), selector=True)
               for lang in languages}
    (out / "index.html").write_text(redirect_page(languages, internal=kb.internal),
                                    encoding="utf-8")
    return written
