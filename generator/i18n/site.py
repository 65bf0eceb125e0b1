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
from importlib import resources
from pathlib import Path

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


def configure(config: MkDocsConfig, languages: list[Language], code: str | None) -> Language:
    """Set config up for the build in language `code` (None: the source language)."""
    lang = next((x for x in languages if x.code == code), None) if code else languages[0]
    if lang is None:
        from mkdocs.exceptions import PluginError

        raise PluginError(f"language '{code}' is not one of the site languages in "
                          f"kb/country.yml ({', '.join(x.code for x in languages)})")
    base = lang.code.split("-")[0]
    theme_lang = lang.code if _material_has("theme", lang.code) else (
        base if _material_has("theme", base) else "en")
    config.theme["language"] = theme_lang
    config.theme["direction"] = lang.direction
    search = next((p for name, p in config.plugins.items() if name.endswith("search")), None)
    if search is not None:
        # The language's own stemmer and stop words; English where lunr has none.
        search.config["lang"] = [base if _material_has("search", base) else "en"]
    config.extra["toolkit_language"] = lang.code
    _ = translations(lang.code).gettext
    # overrides/main.html's words (banners, landmark names) in the build's language.
    config.extra["toolkit_words"] = {
        "internal": _("Internal build: it includes confidential content shared under MoUs."),
        "internal_share": _("Do not publish it or share it beyond the partners named on "
                            "each page."),
        "outdated": _("This is not the latest signed-off round of the toolkit."),
        "latest": _("Go to the latest round."),
        "tags": _("Tags"), "table": _("Table"), "made_with": _("Made with"),
    }
    # A one-language offline bundle has no other language to link to.
    if len(languages) > 1 and config.extra.get("toolkit_language_selector", True):
        # The partial builds each link to the same page in that language itself (it works
        # from file:// too). `alternate` is only Material's switch to include the partial:
        # truthy but not a list, so base.html writes no <link rel="alternate">, for which
        # Material's script would fetch every language's sitemap.xml on every page load and
        # re-route selector clicks through it.
        config.extra["toolkit_alternate"] = [{"name": x.name, "lang": x.code}
                                             for x in languages]
        config.extra["alternate"] = True
    return lang


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
