"""The models' default texts ("every round") are the generator's words: translated by the
catalogue, never shown as an untranslated record text."""

from __future__ import annotations

from pathlib import Path

import yaml
from i18n_kb import multilingual_kb
from test_i18n_records import _pages

from generator.i18n.catalog import translations
from generator.i18n.fields import DEFAULT_TEXTS, SPECS
from generator.labels import LABELS
from generator.models.question import Statistic


def test_every_default_text_of_a_translatable_field_is_in_both_catalogues() -> None:
    defaults = {(m.__name__, name): m.model_fields[name].default
                for m, spec in SPECS.items() for name in spec.texts
                if isinstance(m.model_fields[name].default, str)}
    assert defaults, "the models have default texts (Analysis.frequency...)"
    assert set(defaults.values()) <= set(DEFAULT_TEXTS), defaults
    for lang in ("fr", "ar"):
        for text in DEFAULT_TEXTS:
            assert translations(lang).gettext(text) != text, (lang, text)


def test_statistics_have_labels() -> None:
    assert set(Statistic.__args__) <= set(LABELS)  # type: ignore[attr-defined]


def _without_frequency(kb: Path) -> None:
    path = kb / "questions" / "wash" / "wash-water-source.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["analysis"].pop("frequency", None)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def _row(page: str, head: str) -> str:
    return next(line for line in page.splitlines() if line.startswith(f"| {head} |"))


def test_default_frequency_and_statistic_in_the_page_language(tmp_path: Path) -> None:
    kb = multilingual_kb(tmp_path / "kb")
    _without_frequency(kb)
    fr = _pages(kb, "fr")["questions/wash/wash-water-source.md"]
    assert _row(fr, "Fréquence") == "| Fréquence | à chaque cycle |"
    assert _row(fr, "Statistique") == "| Statistique | proportion |"
    ar = _pages(kb, "ar")["questions/wash/wash-water-source.md"]
    assert "في كل جولة" in ar and "every round" not in ar and "نسبة" in ar
    en = _pages(kb, "en")["questions/wash/wash-water-source.md"]
    assert "| every round |" in en and "| proportion |" in en


def test_a_written_frequency_is_record_text_and_marked_when_untranslated(tmp_path: Path) -> None:
    kb = multilingual_kb(tmp_path / "kb")
    path = kb / "questions" / "wash" / "wash-water-source.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["analysis"]["frequency"] = "twice a year"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    fr = _pages(kb, "fr")["questions/wash/wash-water-source.md"]
    assert "twice a year</span> <small class=\"ctk-untranslated-mark\">" in _row(fr, "Fréquence")
