"""Validation of the questionnaire fields: each problem at its line, all at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.loader import load
from generator.problems import Problem

WASH = "questions/wash"


def add(kb: Path, rel: str, yaml_lines: str) -> int:
    """Append lines to a record; returns the line number of the first one."""
    path = kb / rel
    text = path.read_text(encoding="utf-8")
    path.write_text(text + yaml_lines, encoding="utf-8")
    return text.count("\n") + 1


def problems(kb: Path) -> list[Problem]:
    _, report = load(kb)
    return report.sorted()


def find(kb: Path, needle: str) -> Problem:
    found = [p for p in problems(kb) if needle in p.message]
    assert found, "\n".join(p.format() for p in problems(kb))
    return found[0]


@pytest.mark.parametrize("expression, message", [
    ("(${wash_distance} > 10", "unbalanced parenthesis: '(' is never closed (at character 1)"),
    ("${wash_distance} > 10)", "unbalanced parenthesis: ')' has no matching '('"),
    ("selectd(${wash_distance}, 'x')", "unknown function 'selectd()'"),
    ("${wash_distnce} > 10", "${wash_distnce} is not a question of the kb"),
    ("${protection_uasc} = 'yes'", "${protection_uasc} comes later in the form"),
])
def test_bad_relevant_is_an_error_at_its_line(small_kb: Path, expression: str,
                                             message: str) -> None:
    line = add(small_kb, f"{WASH}/wash-water-source.yml", f'relevant: "{expression}"\n')
    p = find(small_kb, message)
    assert (p.path, p.line, p.field, p.severity) == (
        "kb/questions/wash/wash-water-source.yml", line, "relevant", "error")
    assert load(small_kb)[0] is None


def test_unknown_reference_suggests_the_close_name(small_kb: Path) -> None:
    add(small_kb, f"{WASH}/wash-water-source.yml", 'relevant: "${wash_distnce} > 10"\n')
    assert "did you mean 'wash_distance'?" in find(small_kb, "wash_distnce").fix


def test_a_reference_to_an_earlier_question_is_valid(small_kb: Path) -> None:
    add(small_kb, f"{WASH}/wash-distance.yml", 'constraint: ". >= 0"\n')
    add(small_kb, "questions/protection/protection-uasc.yml",
        "relevant: \"selected(${wash_water_source}, 'piped_water')\"\n")
    kb, report = load(small_kb)
    assert kb is not None, report.format()


def test_a_cycle_is_reported(small_kb: Path) -> None:
    add(small_kb, f"{WASH}/wash-distance.yml", 'calculation: "${wash_water_source}"\n')
    add(small_kb, f"{WASH}/wash-water-source.yml", 'calculation: "${wash_distance}"\n')
    p = find(small_kb, "cycle:")
    assert "${wash_distance} → ${wash_water_source} → ${wash_distance}" in p.message


def test_self_reference_is_a_cycle(small_kb: Path) -> None:
    add(small_kb, f"{WASH}/wash-distance.yml", 'relevant: "${wash_distance} > 1"\n')
    assert find(small_kb, "cycle:").field == "relevant"


def test_an_agreed_question_cannot_depend_on_a_proposed_one(small_kb: Path) -> None:
    add(small_kb, f"{WASH}/wash-water-source.yml", 'relevant: "${wash_distance} > 10"\n')
    assert "is proposed: the exported form would not have it" in find(
        small_kb, "is proposed").message


def test_min_above_max(small_kb: Path) -> None:
    line = add(small_kb, f"{WASH}/wash-distance.yml", "min: 90\nmax: 10\n")
    p = find(small_kb, "larger than max")
    assert (p.line, p.field, p.message) == (line, "min", "min 90 is larger than max 10")


def test_range_on_a_choice_question_and_special_code_in_range(small_kb: Path) -> None:
    add(small_kb, f"{WASH}/wash-water-source.yml", "max: 9\n")
    # The fixture's wash-distance has special code -999 (don't know).
    add(small_kb, f"{WASH}/wash-distance.yml", "min: -1000\nmax: 500\n")
    assert find(small_kb, "has no 'max'").field == "max"
    assert find(small_kb, "special code -999 is inside the range").field == "special_codes[1]"


def test_name_clash(small_kb: Path) -> None:
    add(small_kb, f"{WASH}/wash-distance.yml", "name: wash_water_source\n")
    p = find(small_kb, "name clash")
    assert p.path == "kb/questions/wash/wash-water-source.yml" and p.field == "id"
    assert p.message.endswith("is also the name in kb/questions/wash/wash-distance.yml")


def test_unknown_shared_list_and_option_flags(small_kb: Path) -> None:
    path = small_kb / WASH / "wash-water-source.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("    label: Protected well\n",
                        "    label: Protected well\n    other: true\n    exclusive: true\n")
    path.write_text(text + "max_choices: 2\n", encoding="utf-8")
    assert find(small_kb, "both exclusive and 'other").field == "options[2]"
    assert find(small_kb, "'max_choices' applies to select_multiple").field == "max_choices"


def test_choice_filter_columns_must_exist(small_kb: Path) -> None:
    add(small_kb, f"{WASH}/wash-water-source.yml", 'choice_filter: "province = \'VL01\'"\n')
    assert find(small_kb, "'province' is not a column").field == "choice_filter"


def test_missing_translations_are_warnings(small_kb: Path) -> None:
    # The fixture kb declares English and French; drop some French texts.
    path = small_kb / WASH / "wash-distance.yml"
    text = path.read_text(encoding="utf-8").replace("    hint: Aller simple, à pied.\n", "")
    path.write_text(text.replace("translations:\n  fr:", "translations:\n  de:\n    text: "
                                 "Wie viele?\n  fr:"), encoding="utf-8")
    source = small_kb / WASH / "wash-water-source.yml"
    source.write_text(source.read_text(encoding="utf-8").replace(
        "    translations: {fr: Eau courante}\n", ""), encoding="utf-8")
    found = problems(small_kb)
    hint = [p for p in found if p.field == "translations.fr.hint"
            and "wash-distance" in p.path]
    assert hint and hint[0].severity == "warning"
    assert not [p for p in found if p.field == "translations.fr.text"
                and "wash-distance" in p.path]
    options = [p for p in found if "missing fr label of piped_water" in p.message]
    assert options and options[0].severity == "warning"
    de = [p for p in found if p.field == "translations.de"]
    assert de and de[0].severity == "error" and "not a form language" in de[0].message


def test_questionnaire_file_problems(small_kb: Path) -> None:
    (small_kb / "questionnaire.yml").write_text(
        "sections:\n"
        "  - id: water\n    label: Water\n    items:\n      - wash-water-source\n"
        "      - wash-watr-source\n      - wash-water-source\n"
        "  - id: water\n    label: Again\n    relevant: \"${nope} = 1\"\n", encoding="utf-8")
    found = {(p.line, p.message) for p in problems(small_kb)
             if p.path == "kb/questionnaire.yml"}
    assert (6, "unknown question 'wash-watr-source'") in found
    assert (7, "question 'wash-water-source' is listed twice") in found
    assert (8, "section 'water' is defined twice") in found
    assert (10, "${nope} is not a question of the kb") in found


def test_questionnaire_order_decides_what_is_later(small_kb: Path) -> None:
    # protection-uasc first: now wash-water-source may not refer to... it is earlier.
    (small_kb / "questionnaire.yml").write_text(
        "sections:\n  - id: children\n    label: Children\n    items: [protection-uasc]\n",
        encoding="utf-8")
    add(small_kb, f"{WASH}/wash-water-source.yml", "relevant: \"${protection_uasc} = 'yes'\"\n")
    kb, report = load(small_kb)
    assert kb is not None, report.format()
    add(small_kb, "questions/protection/protection-uasc.yml",
        "relevant: \"${wash_water_source} = 'piped_water'\"\n")
    assert find(small_kb, "comes later").path.endswith("protection-uasc.yml")


def test_public_logic_cannot_read_a_confidential_question(small_kb: Path) -> None:
    # protection-incidents is confidential in the fixture kb.
    add(small_kb, "questions/protection/protection-uasc.yml",
        'calculation: "${protection_incidents}"\n')
    assert find(small_kb, "is confidential: the public form").field == "calculation"
    (small_kb / "questionnaire.yml").write_text(
        "sections:\n  - id: main\n    label: Main\n    relevant: \"${protection_incidents} = 'x'\""
        "\n    items: [wash-water-source]\n", encoding="utf-8")
    p = find(small_kb, "${protection_incidents} is confidential")
    found = [x for x in problems(small_kb) if x.path == "kb/questionnaire.yml"]
    assert p and found and found[0].field == "sections[1].relevant"


def test_a_question_can_name_its_section(small_kb: Path) -> None:
    from generator.loader import load_or_raise
    from generator.questionnaire import build_form

    (small_kb / "questionnaire.yml").write_text(
        "sections:\n  - id: children\n    label: Children\n    items: [protection-uasc]\n",
        encoding="utf-8")
    add(small_kb, f"{WASH}/wash-water-source.yml", "section: children\n")
    kb = load_or_raise(small_kb)
    form = build_form(kb.questions, [(s.id, s.name) for s in kb.sectors.values()],
                      kb.questionnaire)
    assert [e.id for e in form[0].entries] == ["protection-uasc", "wash-water-source"]
    add(small_kb, f"{WASH}/wash-distance.yml", "section: childrn\n")
    p = find(small_kb, "unknown section 'childrn'")
    assert p.field == "section" and "did you mean 'children'?" in p.fix
