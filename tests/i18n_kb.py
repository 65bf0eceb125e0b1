"""A small kb in three site languages (en source, fr, ar), for the translation tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from support import SMALL_KB

LANGUAGES = [
    {"code": "en", "name": "English"},
    {"code": "fr", "name": "Français"},
    {"code": "ar", "name": "العربية", "digits": "arabic-indic"},
]
# A French word that is nowhere in the English or Arabic records.
FR_WORD = "robinetterie"


def _edit(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def multilingual_kb(dest: Path) -> Path:
    shutil.copytree(SMALL_KB, dest)
    _edit(dest / "country.yml", lambda d: d.update(site_languages=LANGUAGES))

    def question(d: dict) -> None:  # type: ignore[type-arg]
        d["translations"] = {
            "fr": {
                "text": "Quelle est la principale source d'eau potable de la plupart des PDI "
                        "dans cette localité ?",
                "purpose": f"Repérer les localités où les PDI boivent une eau non sûre "
                           f"(pompes et {FR_WORD} hors d'usage).",
                "mockup": {"sentence": "Dans {top_pct} des localités évaluées, la source "
                                       "principale est : {top_option}."},
                "source_hash": {"purpose": "bbbbbbbb"},  # made from an older English text
            },
            "ar": {"text": "ما هو المصدر الرئيسي لمياه الشرب لمعظم النازحين في هذا الموقع؟"},
        }
        d["options"][0]["translations"] = {"fr": "Eau courante", "ar": "مياه الأنابيب"}

    _edit(dest / "questions" / "wash" / "wash-water-source.yml", question)
    return dest
