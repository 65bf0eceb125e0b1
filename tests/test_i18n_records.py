"""Record translations: fallback with a visible mark, escaping, status, stale warnings."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml
from i18n_kb import FR_WORD, multilingual_kb
from markdown import markdown

from generator.i18n.coverage import fingerprint
from generator.i18n.numbers import localize_value
from generator.loader import load
from generator.pages import Options, render_site


def _pages(kb_dir: Path, lang: str) -> dict[str, str]:
    kb, report = load(kb_dir)
    assert kb is not None, report.format()
    return {p.path: p.content for p in render_site(kb, Options(language=lang))
            if isinstance(p.content, str)}


def test_translated_text_replaces_the_source_and_missing_ones_are_marked(tmp_path: Path) -> None:
    pages = _pages(multilingual_kb(tmp_path / "kb"), "fr")
    page = pages["questions/wash/wash-water-source.md"]
    assert "# Quelle est la principale source d'eau potable" in page
    assert FR_WORD in page
    assert "Eau courante" in page  # an option's one-text translation
    # Not translated: the English text, marked in French, with its language for screen readers.
    html = markdown(page, extensions=["tables", "attr_list", "md_in_html", "admonition"])
    assert ('<span class="ctk-untranslated" lang="en" dir="ltr">The WASH Cluster prioritises '
            "water trucking and repairs.</span>") in html
    assert '<small class="ctk-untranslated-mark">pas encore traduit</small>' in html
    # The generator's own words are French.
    assert "## Pourquoi elle est posée" in page
    assert "Pourquoi" not in _pages(tmp_path / "kb", "en")["questions/wash/wash-water-source.md"]


def test_the_source_language_has_no_marks(tmp_path: Path) -> None:
    pages = _pages(multilingual_kb(tmp_path / "kb"), "en")
    assert not any("ctk-untranslated" in p for p in pages.values())
    page = pages["questions/wash/wash-water-source.md"]
    assert "# What is the main source of drinking water" in page
    assert FR_WORD not in page  # a site translation (the questionnaire shows form wordings)


def test_mockup_sentence_from_the_same_results_with_locale_numbers(tmp_path: Path) -> None:
    kb_dir = multilingual_kb(tmp_path / "kb")
    en = _pages(kb_dir, "en")["questions/wash/wash-water-source.md"]
    fr = _pages(kb_dir, "fr")["questions/wash/wash-water-source.md"]

    pct = re.search(r"In (\d+)% of assessed locations", en)
    assert pct, en
    # French puts a (narrow) no-break space before % and between thousands.
    assert re.search(f"Dans {pct.group(1)}[\u00a0\u202f]% des localités évaluées", fr)
    assert re.fullmatch("79[\u00a0\u202f]%", localize_value("79%", "fr"))
    assert re.fullmatch("1[\u00a0\u202f]234,5", localize_value("1,234.5", "fr"))
    assert localize_value("79%", "ar", "arabic-indic").startswith("٧٩")


def test_translated_values_are_escaped_like_record_text(tmp_path: Path) -> None:
    kb_dir = multilingual_kb(tmp_path / "kb")
    path = kb_dir / "questions" / "wash" / "wash-water-source.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    payload = "<script>alert(1)</script> [x](javascript:alert(1)) {: onclick=alert(1) }"
    data["translations"]["fr"]["use"] = payload
    data["translations"]["fr"]["text"] = "<img src=x onerror=alert(1)>"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    page = _pages(kb_dir, "fr")["questions/wash/wash-water-source.md"]
    html = markdown(page, extensions=["tables", "attr_list", "md_in_html", "admonition"])
    assert "<script>" not in html and "<img" not in html
    assert 'href="javascript' not in html and "onclick=" not in html.replace("&#123;: onclick", "")
    assert "title: '&lt;img src=x onerror=alert(1)&gt;'" in page  # front matter escaped too


def test_untranslated_text_is_escaped_too(tmp_path: Path) -> None:
    kb_dir = multilingual_kb(tmp_path / "kb")
    path = kb_dir / "questions" / "wash" / "wash-water-source.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["use"] = '<script>alert(1)</script>" onmouseover="x'
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    html = markdown(_pages(kb_dir, "fr")["questions/wash/wash-water-source.md"],
                    extensions=["tables", "attr_list", "md_in_html", "admonition"])
    assert "<script>" not in html and "&lt;script&gt;" in html


def _toolkit(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator.cli", *args], capture_output=True,
                          text=True, check=False)


def test_i18n_status_per_language_and_record_kind(tmp_path: Path) -> None:
    kb_dir = multilingual_kb(tmp_path / "kb")
    out = _toolkit("i18n", "status", str(kb_dir)).stdout
    assert "Site languages: en (source), fr, ar" in out
    fr = out.split("\nfr:")[1].split("\nar:")[0]
    # The purpose's recorded fingerprint is an older text's: one stale translation.
    assert re.search(r"\d+ of \d+ texts translated", fr.splitlines()[0])
    assert "1 stale" in fr.splitlines()[0]
    rows = {line.split()[0]: line.split()[1:] for line in fr.splitlines()[2:] if line.strip()}
    texts, translated, missing, stale = map(int, rows["question"])
    # text, purpose, mockup.sentence, option labels and a history change of the fixture
    assert translated >= 5 and texts == translated + missing and stale == 1
    assert rows["checklist"][1] == "0"  # nothing of the checklist is translated
    missing = _toolkit("i18n", "status", str(kb_dir), "--lang", "ar", "--missing").stdout
    assert "missing: " in missing and "wash-water-source.yml" in missing
    assert "question.text" not in missing


def test_validate_warns_about_a_stale_translation_with_the_new_fingerprint(
        tmp_path: Path) -> None:
    kb_dir = multilingual_kb(tmp_path / "kb")
    result = _toolkit("validate", str(kb_dir))
    assert result.returncode == 0, result.stdout + result.stderr  # a warning, not an error
    out = result.stdout + result.stderr
    purpose = "Identify locations where IDPs drink from unsafe sources."
    assert "translations.fr.source_hash.purpose" in out
    assert "changed since this fr translation" in out
    assert f"purpose: {fingerprint(purpose)}" in out
    # Once the fingerprint is the current one, the warning goes.
    path = kb_dir / "questions" / "wash" / "wash-water-source.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["translations"]["fr"]["source_hash"]["purpose"] = fingerprint(purpose)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = _toolkit("validate", str(kb_dir)).stdout
    assert "source_hash" not in out
    # `toolkit i18n hash` prints the block to paste.
    printed = _toolkit("i18n", "hash", str(path), "--lang", "fr", "--kb", str(kb_dir)).stdout
    assert f"  purpose: {fingerprint(purpose)}" in printed


def test_unknown_translated_field_is_an_error_with_its_line(tmp_path: Path) -> None:
    kb_dir = multilingual_kb(tmp_path / "kb")
    path = kb_dir / "questions" / "wash" / "wash-water-source.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["translations"]["fr"]["purpse"] = "Repérer"
    data["translations"]["xx"] = {"text": "?"}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = _toolkit("validate", str(kb_dir))
    assert result.returncode == 1
    assert "translations.fr.purpse: 'purpse' is not a translatable field here" in result.stderr
    assert "did you mean 'purpose'?" in result.stderr
    assert "'xx' is not a site language of this kb" in result.stderr


def test_a_confidential_question_stays_redacted_in_every_language(tmp_path: Path) -> None:
    kb_dir = multilingual_kb(tmp_path / "kb")
    path = kb_dir / "questions" / "protection" / "protection-incidents.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["sharing"]["modality"] == "confidential"
    secret = "Incidents de protection signalés dans la localité"
    data["translations"] = {"fr": {"text": secret, "purpose": secret, "use": secret,
                                   "mockup": {"sentence": secret}}}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    for lang in ("fr", "en", "ar"):
        pages = _pages(kb_dir, lang)
        assert not any(secret in p for p in pages.values()), lang
        assert not any("protection-incidents" in p for p in pages.values()), lang


def test_a_translated_mockup_sentence_is_checked_like_the_source(tmp_path: Path) -> None:
    kb_dir = multilingual_kb(tmp_path / "kb")
    path = kb_dir / "questions" / "wash" / "wash-water-source.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["translations"]["fr"]["mockup"]["sentence"] = "Dans {top_pc} des localités {0.__class__}"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = _toolkit("validate", str(kb_dir))
    assert result.returncode == 1
    assert "translations.fr.mockup.sentence: unknown placeholder '{top_pc}'" in result.stderr
    assert "'{0.__class__}'" in result.stderr
