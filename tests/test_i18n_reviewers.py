"""Reviewers' roles (verification.verified_by[].role) and verification notes are translatable
like any text: shown translated, marked when missing, counted, and stale when changed."""

from __future__ import annotations

from pathlib import Path

import yaml
from i18n_kb import multilingual_kb
from test_i18n_records import _pages, _toolkit

from generator.i18n.coverage import fingerprint

ROLE = "WASH Cluster Coordinator"
ROLE_FR = "Coordinatrice du cluster WASH"


def _question(kb: Path) -> Path:
    return kb / "questions" / "wash" / "wash-water-source.yml"


def _edit(kb: Path, change) -> None:  # type: ignore[no-untyped-def]
    path = _question(kb)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _translate_role(data: dict) -> None:  # type: ignore[type-arg]
    first = data["verification"]["verified_by"][0]
    assert first["role"] == ROLE
    first["translations"] = {"fr": {"role": ROLE_FR, "source_hash": {"role": fingerprint(ROLE)}}}


def test_translated_role_shows_and_the_others_are_marked(tmp_path: Path) -> None:
    kb = multilingual_kb(tmp_path / "kb")
    _edit(kb, _translate_role)
    page = _pages(kb, "fr")["questions/wash/wash-water-source.md"]
    rows = page.split("## Accord")[1].split("</div>")[0]
    assert f"| {ROLE_FR} |" in rows
    assert ROLE not in rows
    # The second reviewer's role is not translated: English, marked.
    assert ('<span class="ctk-untranslated" lang="en" dir="ltr">Water engineer</span> '
            '<small class="ctk-untranslated-mark">pas encore traduit</small>') in rows
    assert ROLE in _pages(kb, "en")["questions/wash/wash-water-source.md"]


def test_status_counts_roles_and_validate_warns_when_one_changes(tmp_path: Path) -> None:
    kb = multilingual_kb(tmp_path / "kb")
    _edit(kb, _translate_role)
    out = _toolkit("i18n", "status", str(kb), "--lang", "fr", "--missing").stdout
    mine = "\n".join(line for line in out.splitlines() if "wash-water-source.yml" in line)
    assert "verification.verified_by[2].role" in mine
    assert "verification.verified_by[1].role" not in mine  # translated
    assert "source_hash.role" not in _toolkit("validate", str(kb)).stdout

    changed = "WASH Cluster Co-Coordinator"
    _edit(kb, lambda d: d["verification"]["verified_by"][0].update(role=changed))
    result = _toolkit("validate", str(kb))
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert "verification.verified_by.0.translations.fr.source_hash.role" in out
    assert f"role: {fingerprint(changed)}" in out
    printed = _toolkit("i18n", "hash", str(_question(kb)), "--lang", "fr", "--kb",
                       str(kb)).stdout
    assert "verification.verified_by.0.translations.fr.source_hash" in printed


def test_verification_notes_translate_in_the_question_block(tmp_path: Path) -> None:
    kb = multilingual_kb(tmp_path / "kb")

    def notes(data: dict) -> None:  # type: ignore[type-arg]
        data["verification"]["notes"] = "Checked against the round 5 data."
        data["translations"]["fr"]["verification"] = {"notes": "Vérifié sur les données du "
                                                                "cycle 5."}
    _edit(kb, notes)
    page = _pages(kb, "fr")["questions/wash/wash-water-source.md"]
    assert "Vérifié sur les données du cycle" in page and "round 5 data" not in page
    assert "translations.fr.verification" not in _toolkit("validate", str(kb)).stderr
