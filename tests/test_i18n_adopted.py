"""Translations of an adopted question's texts that it does not write itself: its overrides'
values and the library's texts. Counted by `toolkit i18n status`, fingerprinted for the
stale warning of `toolkit validate`, shown translated on the page."""

from __future__ import annotations

from pathlib import Path

import yaml
from test_i18n_records import _pages, _toolkit
from test_library import ADOPTING, setup_country

from generator.i18n.coverage import fingerprint
from generator.loader import load

HINT = "Drinking water only, not water for washing."
HINT_FR = "Eau de boisson seulement, pas l'eau pour se laver."


def _country(tmp: Path, translations: dict[str, object]) -> Path:
    data = yaml.safe_load(ADOPTING)
    data["translations"] = translations
    return setup_country(tmp, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def _status(kb: Path) -> str:
    return _toolkit("i18n", "status", str(kb), "--lang", "fr", "--missing").stdout


def _line(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def test_status_counts_override_and_library_texts_at_their_lines(tmp_path: Path) -> None:
    kb = _country(tmp_path, {"fr": {"text": "Quelle est la principale source ?"}})
    path = kb / "questions" / "wash" / "wash-water-source.yml"
    out = _status(kb)
    mine = [line for line in out.splitlines() if "wash-water-source.yml" in line]
    # The overridden hint is a text to translate, at its override's value line.
    assert f"  missing: {path.relative_to(tmp_path)}:{_line(path, HINT)}: hint" in mine
    # The library's purpose, which this country does not restate, is shown on its page too.
    assert f"  missing: {path.relative_to(tmp_path)}:{_line(path, 'adopts:')}: purpose" in mine
    # The overridden text is translated: not missing.
    assert not any(line.endswith(": text") for line in mine)


def test_changed_override_value_makes_its_translation_stale(tmp_path: Path) -> None:
    kb = _country(tmp_path, {"fr": {"hint": HINT_FR, "source_hash": {"hint": fingerprint(HINT)}}})
    path = kb / "questions" / "wash" / "wash-water-source.yml"
    assert "source_hash" not in _toolkit("validate", str(kb)).stdout
    printed = _toolkit("i18n", "hash", str(path), "--lang", "fr", "--kb", str(kb)).stdout
    assert f"  hint: {fingerprint(HINT)}" in printed
    assert "# kb/questions/wash/wash-water-source.yml: translations.fr.source_hash" in printed

    changed = "Drinking water only, never water for washing or cooking."
    path.write_text(path.read_text().replace(HINT, changed))
    result = _toolkit("validate", str(kb))
    out = result.stdout + result.stderr
    assert result.returncode == 0, out  # a warning
    assert "translations.fr.source_hash.hint" in out
    assert f"hint: {fingerprint(changed)}" in out
    assert "1 stale" in _status(kb).splitlines()[2]


def test_french_page_shows_the_override_translation(tmp_path: Path) -> None:
    kb = _country(tmp_path, {"fr": {"hint": HINT_FR}})
    loaded, report = load(kb)
    assert loaded is not None, report.format()
    page = _pages(kb, "fr")["questions/wash/wash-water-source.md"]
    assert HINT_FR in page and HINT not in page.split("## ")[0]
    # The library's purpose, untranslated: shown in English with the mark.
    purpose = loaded.questions["wash-water-source"].purpose
    assert f'lang="en" dir="ltr">{purpose}</span>' in page
