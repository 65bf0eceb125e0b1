"""The generator's own words: every marked message is in the catalogue, French is complete."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po
from jinja2 import nodes

from generator.i18n.catalog import LOCALE_DIR, po_path, translations
from generator.i18n.extract import extract
from generator.pages import MOCKUP_MESSAGE, environment

TEMPLATES = Path(__file__).resolve().parents[1] / "generator" / "templates"
# Words that are markup, not text: HTML tags and attributes cut by {{ }} (the text between
# two expressions is what Jinja hands over), our class names, admonition kinds, and HXL
# (a standard's name).
MARKUP = {
    "markdown", "span", "div", "details", "summary", "button", "title", "select", "name",
    "option", "value", "section", "class", "data", "ctk", "dap", "sector", "status",
    "sharing", "partners", "badge", "info", "example", "warning", "note", "quote", "HXL",
    "yes",  # the yes_no choice code (yes), shown beside its translated label
    "CSV", "XLSX",  # file formats
}


def _ids(catalog) -> set[str]:  # type: ignore[no-untyped-def]
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def _read(path: Path):  # type: ignore[no-untyped-def]
    with path.open("rb") as f:
        return read_po(f)


def test_committed_template_is_current() -> None:
    """messages.pot holds exactly what the code and templates mark: run
    `toolkit i18n extract` after changing the generator's words."""
    assert _ids(extract()) == _ids(_read(LOCALE_DIR / "messages.pot"))


def test_every_template_string_goes_through_the_catalogue() -> None:
    """No English words printed straight from a template: every literal text outside a tag
    is Markdown syntax, punctuation or a symbol, not a word."""
    env = environment()
    leftovers: dict[str, list[str]] = {}
    for path in sorted(TEMPLATES.glob("*.j2")):
        tree = env.parse(path.read_text(encoding="utf-8"))
        for data in tree.find_all(nodes.TemplateData):
            # Markdown/HTML scaffolding stays: tags, attributes, classes, table rules.
            text = re.sub(r"<[^>]*>|\{[^}]*\}|`[^`]*`|\([^)]*\.(md|csv|xlsx)\)", " ", data.data)
            words = [w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in MARKUP]
            if words:
                leftovers.setdefault(path.name, []).extend(words)
    assert not leftovers, f"words outside the catalogue: {leftovers}"


def test_french_catalogue_is_complete() -> None:
    catalog = _read(po_path("fr"))
    template = _ids(extract())
    done = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog
            if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string)
            and not m.fuzzy}
    assert template - done == set()


def test_translations_keep_their_placeholders() -> None:
    for lang in ("fr", "ar"):
        for m in _read(po_path(lang)):
            if not m.id or not m.string:
                continue
            ids = [m.id] if isinstance(m.id, str) else list(m.id)
            strings = [m.string] if isinstance(m.string, str) else list(m.string)
            want = set(re.findall(r"%\(\w+\)[sd]", ids[-1]))
            for s in strings:
                assert set(re.findall(r"%\(\w+\)[sd]", s)) == want, (lang, m.id, s)
                # Admonition titles sit inside "...": a quote would end them.
                assert '"' not in s, (lang, m.id)


def test_mockup_label_is_the_one_in_the_catalogue() -> None:
    from generator.mockup import MOCKUP_LABEL

    assert MOCKUP_MESSAGE == MOCKUP_LABEL
    assert translations("fr").gettext(MOCKUP_LABEL).startswith("MAQUETTE")


def test_counted_words_agree_with_their_number() -> None:
    """"1 confidential question(s) are shared": a sentence about n things is a plural
    message (ngettext), so each language gives the forms its grammar needs."""
    assert not [m for m in _ids(extract()) if "(s)" in m]
    for lang, one, many in (("en", "1 page has this tag.", "2 pages have this tag."),
                            ("fr", "1 page porte cette étiquette.",
                             "2 pages portent cette étiquette.")):
        ngettext = translations(lang).ngettext
        said = [ngettext("%(n)s page has this tag.", "%(n)s pages have this tag.", n)
                % {"n": n} for n in (1, 2)]
        assert said == [one, many]
