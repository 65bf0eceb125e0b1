"""`toolkit i18n extract`: the generator's words into messages.pot, and each language's
.po file updated to it (new messages empty, gone ones dropped), as `pybabel extract` and
`pybabel update` would, without remembering their options."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from .catalog import LOCALE_DIR, po_path

FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)
ROOT = LOCALE_DIR.parent.parent  # the folder holding generator/
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
METHODS = [
    ("generator/**.py", "python"),
    ("generator/templates/**.j2", "jinja2"),
]
OPTIONS = {"generator/templates/**.j2": {"extensions": "jinja2.ext.i18n",
                                         "trim_blocks": "true", "lstrip_blocks": "true"}}


def extract() -> Catalog:
    """Every message the generator marks, from its Python and its templates."""
    catalog = Catalog(project="country-toolkit", fuzzy=False)
    for _file, _line, message, comments, context in extract_from_dir(
        ROOT, METHODS, OPTIONS, KEYWORDS, strip_comment_tags=True,
    ):
        catalog.add(message, None, auto_comments=comments, context=context)
    return catalog


def _write(catalog: Catalog, path: Path) -> None:
    # Fixed header dates: regenerating the catalogues changes them only when messages change.
    catalog.creation_date = catalog.revision_date = FIXED_DATE
    buf = io.BytesIO()
    write_po(buf, catalog, omit_header=False, no_location=True, sort_output=True, width=100)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue())


def update_catalogues() -> list[Path]:
    """Write messages.pot and bring every existing <lang>.po up to date with it."""
    template = extract()
    written = [LOCALE_DIR / "messages.pot"]
    _write(template, written[0])
    for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/messages.po")):
        with po.open("rb") as f:
            catalog = read_po(f)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        _write(catalog, po)
        written.append(po)
    return written


def new_language(code: str) -> Path:
    """An empty catalogue for a new language, to translate."""
    path = po_path(code)
    if path.exists():
        return path
    catalog = Catalog(locale=code.replace("-", "_"), project="country-toolkit")
    catalog.update(extract())
    _write(catalog, path)
    return path
