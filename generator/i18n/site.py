"""One MkDocs build per site language: what the plugin changes in the configuration, and
the hand-written pages of a language.

Each build gets Material's interface in its language (`theme.language`, which also gives
Arabic its right-to-left direction), Material search with that language's stemmer
(`plugins.search.lang`), so a French search finds French pages only, and the language
selector (`extra.alternate`), which overrides/partials/alternate.html turns into links to
the same page in the other languages.

Hand-written pages: docs/about.md is the source language; docs/about.fr.md, when present,
replaces it in the French build. Pages of other languages never show.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation

from ..yamlio import read_yaml
from .catalog import N_, translations
from .languages import DEFAULT, Language, site_languages

_MATERIAL = resources.files("material") / "templates"


def declared(kb: Path) -> list[Language]:
    """The site languages of kb/country.yml, read on their own: the configuration is set up
    before the kb is loaded (a kb with errors is reported by the build, not here)."""
    from ..models.country import SiteLanguage

    try:
        data = read_yaml(kb / "country.yml").data
        raw = data.get("site_languages") if isinstance(data, dict) else None
        langs = [SiteLanguage.model_validate(x) for x in raw] if isinstance(raw, list) else []
    except Exception:  # noqa: BLE001 - reported with its line by the kb validation
        return [DEFAULT]

    class _Country:  # site_languages() only reads this attribute
        site_languages = langs

    return site_languages(_Country())  # type: ignore[arg-type]


def _material_has(kind: str, code: str) -> bool:
    path = {"theme": f"partials/languages/{code}.html",
            "search": f"assets/javascripts/lunr/min/lunr.{code}.min.js"}[kind]
    return (_MATERIAL / path).is_file()


def find_language(languages: list[Language], code: str | None) -> Language:
    """The language `code` of the site languages (None: the source); PluginError if none."""
    lang = next((x for x in languages if x.code == code), None) if code else languages[0]
    if lang is None:
        from mkdocs.exceptions import PluginError

        raise PluginError(f"language '{code}' is not one of the site languages in "
                          f"kb/country.yml ({', '.join(x.code for x in languages)})")
    return lang


@dataclass(frozen=True)
class Settings:
    """What a build in one language changes in mkdocs.yml: the plugin sets it on MkDocs'
    configuration, `toolkit render --language` writes it into the mkdocs.yml it writes."""

    theme_language: str  # Material's interface language (Arabic also gives rtl)
    direction: str
    search_language: str  # lunr's stemmer and stop words
    extra: dict[str, Any]


def settings(languages: list[Language], lang: Language, selector: bool = True,
             roots: dict[str, str] | None = None) -> Settings:
    """`roots`: where each language's site is, relative to this build's site root (default
    ../<code>/, sibling folders; `toolkit publish` gives its own layout)."""
    base = lang.code.split("-")[0]
    theme_lang = lang.code if _material_has("theme", lang.code) else (
        base if _material_has("theme", base) else "en")
    _ = translations(lang.code).gettext
    extra: dict[str, Any] = {
        "toolkit_language": lang.code,
        # overrides/main.html's words (banners, landmark names) in the build's language.
        "toolkit_words": {
            "internal": _("Internal build: it includes confidential content shared under "
                          "MoUs."),
            "internal_share": _("Do not publish it or share it beyond the partners named on "
                                "each page."),
            "outdated": _("This is not the latest signed-off round of the toolkit."),
            "latest": _("Go to the latest round."),
            "tags": _("Tags"), "table": _("Table"), "made_with": _("Made with"),
        },
    }
    # A one-language offline bundle has no other language to link to.
    if len(languages) > 1 and selector:
        # The partial builds each link to the same page in that language itself (it works
        # from file:// too). `alternate` is only Material's switch to include the partial:
        # truthy but not a list, so base.html writes no <link rel="alternate">, for which
        # Material's script would fetch every language's sitemap.xml on every page load and
        # re-route selector clicks through it.
        extra["toolkit_alternate"] = [
            {"name": x.name, "lang": x.code,
             "root": (roots or {}).get(x.code, f"../{quote(x.code)}/")} for x in languages]
        extra["alternate"] = True
    # English where lunr has no stemmer for the language.
    return Settings(theme_lang, lang.direction,
                    base if _material_has("search", base) else "en", extra)


def configure(config: MkDocsConfig, languages: list[Language], code: str | None) -> Language:
    """Set config up for the build in language `code` (None: the source language)."""
    lang = find_language(languages, code)
    chosen = settings(languages, lang, config.extra.get("toolkit_language_selector", True),
                      config.extra.get("toolkit_language_roots"))
    config.theme["language"] = chosen.theme_language
    config.theme["direction"] = chosen.direction
    search = next((p for name, p in config.plugins.items() if name.endswith("search")), None)
    if search is not None:
        search.config["lang"] = [chosen.search_language]
    config.extra.update(chosen.extra)
    return lang


def configure_yaml(config: dict[str, Any], languages: list[Language], lang: Language,
                   selector: bool) -> None:
    """The same settings in a mkdocs.yml read as data (`toolkit render --language`), and the
    nav titles translated, as the plugin does in on_nav, since no plugin runs there."""
    chosen = settings(languages, lang, selector)
    theme = config.setdefault("theme", {})
    theme["language"] = chosen.theme_language
    theme["direction"] = chosen.direction
    plugins = config.get("plugins", [])
    for i, entry in enumerate(plugins):
        name = next(iter(entry)) if isinstance(entry, dict) else entry
        if str(name).endswith("search"):
            options = dict(entry[name] or {}) if isinstance(entry, dict) else {}
            options["lang"] = [chosen.search_language]
            plugins[i] = {name: options}
    config.setdefault("extra", {}).update(chosen.extra)
    if lang != languages[0] and isinstance(config.get("nav"), list):
        config["nav"] = _nav_yaml(config["nav"], translations(lang.code).gettext)


def _nav_yaml(items: list[Any], gettext: Callable[[str], str]) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if isinstance(item, dict):
            out.append({gettext(str(k)): _nav_yaml(v, gettext) if isinstance(v, list) else v
                        for k, v in item.items()})
        else:
            out.append(item)
    return out


def language_docs(docs: Path, lang: Language, languages: list[Language]) -> None:
    """In a written docs/ folder, what language_pages does to a build's files: about.fr.md
    replaces about.md for French; pages of other site languages are removed."""
    codes = {x.code for x in languages}
    for path in sorted(docs.rglob("*.md")):
        m = _SUFFIX.match(path.name)
        if m is None or m.group("lang") not in codes:
            continue
        if m.group("lang") == lang.code:
            path.replace(path.with_name(m.group("base") + ".md"))
        else:
            path.unlink()


_SUFFIX = re.compile(r"^(?P<base>.+)\.(?P<lang>[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)\.md$")


def language_pages(files: Files, config: MkDocsConfig, lang: Language,
                   languages: list[Language]) -> Files:
    """Hand-written pages in this build's language: about.fr.md stands in for about.md in
    the French build; pages suffixed with another site language are left out."""
    codes = {x.code for x in languages}
    keep: list[File] = []
    replace: dict[str, File] = {}
    for f in files:
        m = _SUFFIX.match(f.src_uri)
        if m is None or m.group("lang") not in codes:
            keep.append(f)
            continue
        if m.group("lang") == lang.code:
            base = m.group("base") + ".md"
            replace[base] = File.generated(config, base, abs_src_path=f.abs_src_path or "")
    out = Files([replace.pop(f.src_uri, f) for f in keep])
    for f in replace.values():
        out.append(f)
    return out


# The navigation titles of the project's mkdocs.yml, in the catalogue so that each site
# language shows them in its words; a title a project adds or renames stays as written.
NAV_TITLES = (
    N_("Home"), N_("Questions"), N_("By partner"), N_("By status"), N_("Questionnaire"),
    N_("Data Analysis Plan"), N_("Joint workshop pack"), N_("Partners"),
    N_("Information needs"), N_("Engagement and schedule"), N_("Use review"),
    N_("Feedback log"), N_("Data sharing"), N_("Process and roles"), N_("Report checklist"),
    N_("Products"), N_("Country and methodology"), N_("Tags"), N_("About this toolkit"),
)


def translate_nav(nav: Navigation, gettext: Callable[[str], str]) -> None:
    """The titles mkdocs.yml gives sections and pages, in the build's language."""
    def walk(items: list) -> None:  # type: ignore[type-arg]
        for item in items:
            if item.title:
                item.title = gettext(item.title)
            if item.children:
                walk(item.children)

    walk(nav.items)
