"""The site languages a kb declares (kb/country.yml `site_languages`), the first the source."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Country

RTL = frozenset({"ar", "fa", "he", "ur", "ps", "ckb", "yi", "dv"})


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    direction: str  # ltr / rtl
    digits: str = "latin"  # or arabic-indic

    @property
    def locale(self) -> str:
        """Babel's locale name: fr, ar, pt_BR."""
        return self.code.replace("-", "_")


DEFAULT = Language("en", "English", "ltr")


def site_languages(country: Country) -> list[Language]:
    if not country.site_languages:
        return [DEFAULT]
    return [Language(lang.code, lang.name,
                     lang.direction or ("rtl" if lang.code.split("-")[0] in RTL else "ltr"),
                     lang.digits)
            for lang in country.site_languages]


def source_language(country: Country) -> Language:
    return site_languages(country)[0]


def find(country: Country, code: str | None) -> Language:
    """The declared language with this code (None: the source)."""
    languages = site_languages(country)
    if code is None or code == "":
        return languages[0]
    for lang in languages:
        if lang.code == code:
            return lang
    raise LookupError(f"'{code}' is not one of the site languages in kb/country.yml "
                      f"({', '.join(x.code for x in languages)})")
