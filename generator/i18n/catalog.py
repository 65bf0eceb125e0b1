"""The generator's own words (headings, labels, banners) in each site language: gettext.

Messages are marked `_("...")` in templates and `N_("...")` in Python, extracted with
Babel into generator/locale/messages.pot (`toolkit i18n extract`), translated in
generator/locale/<lang>/LC_MESSAGES/messages.po. The .po files are the only committed form:
they are compiled in memory when first used, so a fresh clone needs no build step and a
translator's pull request needs no binary file.
"""

from __future__ import annotations

import gettext as _gettext
import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "messages"


def N_(message: str) -> str:  # noqa: N802 - gettext's name for "mark for extraction only"
    """Marks a message for extraction; it is translated where it is shown."""
    return message


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang.replace("-", "_") / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(lang: str) -> _gettext.NullTranslations:
    """The catalogue of lang; messages it lacks (and the source language) stay English."""
    path = po_path(lang)
    if not path.is_file():
        path = po_path(lang.split("-")[0])
    if not path.is_file():
        return _gettext.NullTranslations()
    with path.open("rb") as f:
        catalog = read_po(f, locale=lang.replace("-", "_"))
    buf = io.BytesIO()
    # Fuzzy entries are drafts: not shown until a translator confirms them.
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return Translations(fp=buf, domain=DOMAIN)


def gettext(lang: str, message: str) -> str:
    return translations(lang).gettext(message)
