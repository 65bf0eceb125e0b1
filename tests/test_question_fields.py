"""The questionnaire fields of a question: optional, typed, and a kb without them still valid."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from factories import make_question
from pydantic import ValidationError
from support import ROOT

from generator.loader import load


def test_a_kb_written_before_the_questionnaire_fields_still_validates(tmp_path: Path) -> None:
    # The fixture kb as it was before the questionnaire fields (commit fe35692): none of
    # them, no choices/ and no questionnaire.yml.
    kb = tmp_path / "kb"
    shutil.copytree(ROOT / "tests" / "fixtures" / "kb-before-questionnaire", kb)
    assert not (kb / "questionnaire.yml").exists() and not (kb / "choices").exists()
    loaded, report = load(kb)
    assert loaded is not None, report.format()
    q = next(iter(loaded.questions.values()))
    assert q.required is False and q.relevant is None and q.translations == {}
    assert loaded.unit_of_analysis(q) == "location"
    assert [lang.code for lang in loaded.languages] == ["en"]
    assert loaded.questionnaire is None and loaded.choices == {}


def test_var_name_defaults_from_the_id() -> None:
    assert make_question("wash-water-source").var_name == "wash_water_source"
    assert make_question("wash-water-source", name="water_src").var_name == "water_src"


def test_questionnaire_fields_parse() -> None:
    q = make_question(
        "wash-distance", "integer", required=True, min=0, max=120, unit="minutes",
        special_codes=[{"code": -999, "label": "DK", "translations": {"fr": "NSP"}}],
        relevant="${wash_water_source} != 'piped'", tier="core", unit_of_analysis="site",
        translations={"fr": {"text": "Combien de minutes ?", "hint": "En minutes."}},
    )
    assert q.max == 120 and q.special_codes[0].code == -999
    assert q.translations["fr"].text == "Combien de minutes ?"


@pytest.mark.parametrize("changes, message", [
    ({"name": "1abc"}, "should match pattern"),
    ({"name": "has space"}, "should match pattern"),
    ({"tier": "gold"}, "Input should be"),
    ({"unit_of_analysis": "village"}, "Input should be"),
    ({"translations": {"French": {"text": "x"}}}, "should match pattern"),
    ({"choices": "yes-no"}, "not both"),
    ({"max_choices": 0}, "greater than or equal to 1"),
])
def test_bad_questionnaire_fields_are_refused(changes: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        make_question("q", "select_multiple", **changes)


def test_a_select_may_use_a_shared_list_instead_of_options(small_kb: Path) -> None:
    (small_kb / "choices").mkdir()
    (small_kb / "choices" / "yes-no-dk.yml").write_text(
        "id: yes-no-dk\noptions:\n  - {code: 'yes', label: 'Yes'}\n  - {code: 'no', label: 'No'}\n"
        "  - {code: dk, label: Don't know, exclusive: true}\n", encoding="utf-8")
    path = small_kb / "questions" / "wash" / "wash-water-source.yml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^options:\n(?:  .*\n)+", "choices: yes-no-dk\n", text, count=1)
    path.write_text(text, encoding="utf-8")
    kb, report = load(small_kb)
    assert kb is not None, report.format()
    q = kb.questions["wash-water-source"]
    assert [o.code for o in kb.options(q)] == ["yes", "no", "dk"]
    assert kb.options(q)[2].exclusive
