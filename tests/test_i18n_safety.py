"""Translated and untranslated texts in a French build of the hostile kb stay inert text.

Every free-text field is filled with script payloads (hostile.rewrite_kb); then about half of
the translatable texts get the payload as their French translation, the others stay
untranslated (shown in English with the mark): both paths into the pages are checked."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hostile import make_xss_filler, rewrite_kb
from support import ROOT, SMALL_KB, add_process_records
from test_safety_fields import parse

from generator.build import build_site
from generator.i18n.fields import item_model, spec_of
from generator.models import MODELS

FILES = {"country.yml": "country", "sectors.yml": "sectors", "process.yml": "process",
         "checklist.yml": "checklist", "analysis-plan.yml": "analysis-plan"}


def translate_half(model: type, data: Any, counter: list[int]) -> None:
    """Give every other translatable text of data a French translation (its own payload)."""
    if not isinstance(data, dict):
        return
    spec = spec_of(model)
    if spec.single and isinstance(data.get(spec.single), str):
        counter[0] += 1
        if counter[0] % 2:
            data["translations"] = {**(data.get("translations") or {}), "fr": data[spec.single]}
        return
    block: dict[str, Any] = {}
    for name in (*spec.texts, *spec.lists, *spec.maps):
        counter[0] += 1
        if counter[0] % 2 and data.get(name):
            value = data[name]
            if isinstance(value, list):
                value = [v["need"] if isinstance(v, dict) else v for v in value]
            # A copy: the same object twice would be written as a YAML alias, which kb
            # files refuse.
            block[name] = copy.deepcopy(value)
    for name in spec.nested:
        sub = data.get(name)
        if isinstance(sub, dict):
            sub_spec = spec_of(item_model(model, name))
            part = {n: sub[n] for n in sub_spec.texts if isinstance(sub.get(n), str)}
            if part:
                block[name] = part
            for item_name in sub_spec.items:
                for item in sub.get(item_name) or []:
                    translate_half(item_model(item_model(model, name), item_name), item,
                                   counter)
    if block and "translations" in model.model_fields:
        # Kept: the fixture's questionnaire wordings (French is also its form language).
        existing = (data.get("translations") or {}).get("fr") or {}
        data["translations"] = {**(data.get("translations") or {}), "fr": {**existing, **block}}
    for name in spec.items:
        for item in data.get(name) or []:
            translate_half(item_model(model, name), item, counter)


@pytest.fixture(scope="module")
def french(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("i18n-hostile")
    kb = root / "kb"
    shutil.copytree(SMALL_KB, kb)
    add_process_records(kb)  # needs, use review, feedback, products (issue #11)
    fill, _ = make_xss_filler()
    rewrite_kb(kb, fill)
    counter = [0]
    translated: set[str] = set()
    paths = [(kb / name, kind) for name, kind in FILES.items()]
    paths += [(p, "partner") for p in sorted((kb / "partners").glob("*.yml"))]
    paths += [(p, "question") for p in sorted((kb / "questions").glob("*/*.yml"))]
    paths += [(p, "dataset") for p in sorted((kb / "datasets").glob("*.yml"))]
    for folder, kind in (("needs", "need"), ("use-reviews", "use-review"),
                         ("feedback", "feedback"), ("products", "product")):
        paths += [(p, kind) for p in sorted((kb / folder).glob("*.yml"))]
    for path, kind in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if kind == "country":
            data["site_languages"] = [{"code": "en", "name": "English"},
                                      {"code": "fr", "name": "Français"}]
        translate_half(MODELS[kind], data, counter)
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        if "fr:" in text:
            translated.add(kind)
        path.write_text(text, "utf-8")
    assert counter[0] > 50
    # Every kind has payloads in its translations, not only in its source texts.
    assert {"need", "use-review", "feedback", "product"} <= translated
    build_site(kb, root / "site", project=ROOT, language="fr")
    return root / "site"


def test_french_pages_get_no_markup_from_any_translation(french: Path) -> None:
    leaks = {}
    pages = sorted(french.rglob("*.html"))
    assert len(pages) > 20
    text = ""
    for page in pages:
        raw = page.read_text(encoding="utf-8")
        text += raw
        found = parse(raw).found
        if found:
            leaks[str(page.relative_to(french))] = found
    assert leaks == {}
    # Both paths were taken: translated payloads and marked untranslated ones.
    assert "pas encore traduit" in text and "ctk-untranslated" in text


def test_french_search_index_is_inert(french: Path) -> None:
    docs = json.loads((french / "search" / "search_index.json").read_text("utf-8"))["docs"]
    assert [d["location"] for d in docs if parse(d["title"]).found or parse(d["text"]).found] \
        == []
