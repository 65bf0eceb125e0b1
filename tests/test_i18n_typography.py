"""French pages keep the space before ; : ? ! » and after « from breaking the line: made
non-breaking when a text is printed, escaped as before, the records left as they are."""

from __future__ import annotations

from pathlib import Path

import yaml
from i18n_kb import multilingual_kb
from markdown import markdown
from test_i18n_records import _pages

from generator.safe_text import cell, escape_md, french_spaces

NNBSP, NBSP = "\u202f", "\u00a0"
PAGE = "questions/wash/wash-water-source.md"


def test_french_spaces() -> None:
    assert french_spaces("Où ? Ici ; là : non ! « oui »") == (
        f"Où{NNBSP}? Ici{NNBSP}; là{NBSP}: non{NNBSP}! «{NBSP}oui{NBSP}»")
    assert french_spaces("« {top_option}\n» (x)") == f"«{NBSP}{{top_option}}{NBSP}» (x)"
    assert french_spaces("a\n; b") == f"a{NNBSP}; b"  # a wrapped YAML line
    # A paragraph break, a line's indentation and text without a space stay as they are.
    for same in ("a\n\n; b", "  : b", "http://x.org?a=1", "ok!"):
        assert french_spaces(same) == same


def test_escaped_as_before_and_source_texts_untouched() -> None:
    from generator.i18n.localize import Untranslated

    assert escape_md("<b>x</b> ; [y](javascript:z) ?", french_spaces) == (
        f"&lt;b&gt;x&lt;/b&gt;{NNBSP}; &#91;y&#93;(javascript:z){NNBSP}?")
    # An English text standing in for a missing translation keeps its spaces.
    english = Untranslated("Why ? Because ;", "en", "ltr", "pas encore traduit")
    assert "Why ? Because ;" in escape_md(english, french_spaces)
    assert "Why ? Because ;" in cell(english, french_spaces)
    assert cell("a\n  ; b", french_spaces) == f"a{NNBSP}; b"


def test_french_pages_only(tmp_path: Path) -> None:
    kb = multilingual_kb(tmp_path / "kb")
    path = kb / "questions" / "wash" / "wash-water-source.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["translations"]["fr"]["use"] = "Le cluster WASH priorise : les camions ; les « puits »."
    data["translations"]["ar"]["use"] = "استخدام : نعم ؟"
    data["use"] = "The WASH Cluster prioritises ; trucking ?"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    before = path.read_bytes()

    fr = _pages(kb, "fr")[PAGE]
    meta = yaml.safe_load(fr.split("---")[1])
    assert meta["title"].endswith(f"dans cette localité{NNBSP}?")  # nav and <title>
    assert "# Quelle est la principale source d'eau potable" in fr
    assert f"localité{NNBSP}?\n" in fr  # the page's heading
    assert (f"Le cluster WASH priorise{NBSP}: les camions{NNBSP}; les «{NBSP}puits{NBSP}»."
            in fr)
    assert f"la source principale est{NBSP}:" in fr  # the mock-up sentence
    html = markdown(fr, extensions=["tables", "attr_list", "md_in_html", "admonition"])
    assert f"priorise{NBSP}: les camions" in html
    # The generator's words (catalogue) are French text too.
    assert f"Secteur{NBSP}:" in fr and "Secteur :" not in fr

    en = _pages(kb, "en")[PAGE]
    assert "The WASH Cluster prioritises ; trucking ?" in en
    assert NNBSP not in en.split("## ")[0]
    ar = _pages(kb, "ar")[PAGE]
    assert "استخدام : نعم ؟" in ar
    assert path.read_bytes() == before  # the records are never rewritten
