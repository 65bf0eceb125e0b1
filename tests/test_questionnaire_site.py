"""The Questionnaire pages: interview order, rules in words, downloads, and inert record text."""

from __future__ import annotations

import html
import io
import re
import shutil
from pathlib import Path

import openpyxl
import yaml
from hostile import PAYLOAD, SHORT, VISIBLE, add_hostile_records
from mkdocs.utils.meta import get_data
from support import SAMPLE_KB, SMALL_KB
from test_safety_text import MD, Tags, assert_no_injection

from generator.loader import load_or_raise
from generator.pages import render_site


def pages_of(kb: Path, internal: bool = False) -> dict[str, str | bytes]:
    return {p.path: p.content for p in render_site(load_or_raise(kb, internal=internal))}


def test_sample_questionnaire_page_shows_rules_as_words_linking_the_question() -> None:
    pages = pages_of(SAMPLE_KB)
    page = pages["questionnaire/index.md"]
    assert isinstance(page, str)
    assert ("- Asked only if [*Which population groups currently live in this location?*]"
            "(../questions/population-mobility/population-mobility-groups-present.md) "
            "includes IDPs living in a displacement site") in page
    assert ("Asked only if [*Can people from this location reach a functioning health facility "
            "within one hour on foot?*](../questions/health/health-facility-functioning.md) "
            "is No") in page
    # Interview order: the roster first, numbers follow the form.
    assert page.index("**1.** [What is this key informant") < page.index(
        "**3.** [Which population groups")
    # "-999" starts a value: escaped as &#45; so it can never open a Markdown list.
    assert "- Whole number · 0 to 20,000 households; &#45;999 = Don't know" in page
    assert "*Asked once for each key informant.*" in page
    assert "[Download the XLSForm](vlr_msla.xlsx)" in page
    assert "No difficulty (no_difficulty): only answer" in page
    assert "Other (other): specify" in page


def test_question_page_shows_its_rule_and_the_questions_depending_on_it() -> None:
    pages = pages_of(SAMPLE_KB)
    parent = pages["questions/population-mobility/population-mobility-groups-present.md"]
    assert isinstance(parent, str)
    deps = parent[parent.index("**Questions that depend on this one:**"):]
    assert "(../cccm/cccm-site-type.md)" in deps
    assert "(../food-security/food-security-farmland-access.md)" in deps
    # hlp-land-disputes depends on it too, but it is confidential: its rule is not public.
    assert "hlp-land-disputes" not in deps
    child = pages["questions/cccm/cccm-site-type.md"]
    assert isinstance(child, str)
    assert "**Asked only if** [*Which population groups currently live in this location?*]" \
        "(../population-mobility/population-mobility-groups-present.md) includes IDPs " \
        "living in a displacement site.  \n" in child
    assert "**French:** De quel type de site s&#39;agit-il ?" in child or \
        "**French:** De quel type de site s'agit-il ?" in child


def test_checklist_links_the_questionnaire() -> None:
    page = pages_of(SAMPLE_KB)["checklist.md"]
    assert isinstance(page, str)
    assert "The questionnaire, or a link to it** ([the questionnaire](questionnaire/index.md))" \
        in page


def test_public_download_has_no_confidential_question_internal_has_them() -> None:
    internal = load_or_raise(SAMPLE_KB, internal=True)
    secret = [q for q in internal.questions.values()
              if q.is_confidential and q.status == "agreed"]
    assert secret

    def names(pages: dict[str, str | bytes]) -> set[str]:
        data = pages["questionnaire/vlr_msla.xlsx"]
        assert isinstance(data, bytes)
        wb = openpyxl.load_workbook(io.BytesIO(data))
        return {str(r[1]) for r in wb["survey"].iter_rows(values_only=True)}

    public_names = names(pages_of(SAMPLE_KB))
    assert not {q.var_name for q in secret} & public_names
    assert {q.var_name for q in secret} <= names(pages_of(SAMPLE_KB, internal=True))
    page = pages_of(SAMPLE_KB)["questionnaire/index.md"]
    assert isinstance(page, str)
    for q in secret:
        assert q.text not in page
    assert f"{len(secret)} confidential questions are shared only" in page


def test_print_page_has_every_language() -> None:
    page = pages_of(SAMPLE_KB)["questionnaire/print.md"]
    assert isinstance(page, str)
    assert "*French:* Quels groupes de population vivent actuellement dans cette localité ?" \
        in page
    assert "· *Aucune difficulté*" in page


def test_hostile_questionnaire_text_stays_inert(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(SMALL_KB, kb)
    _, path = add_hostile_records(kb, sector="wash")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["options"][0]["translations"] = {"fr": SHORT}
    data.update(translations={"fr": {"text": PAYLOAD, "hint": PAYLOAD}}, required=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    # A second question whose rule names the hostile question and its hostile option label.
    follow = dict(data, id="hostile-follow", text="Follow-up " + SHORT,
                  mockup={"sentence": "{mean} on average.", "chart": "bar"},
                  relevant="${hostile_question} = 'first'", type="integer", options=[],
                  min=0, max=9, unit=SHORT, constraint=". != 5", constraint_message=SHORT,
                  special_codes=[{"code": -1, "label": SHORT}])
    (path.parent / "hostile-follow.yml").write_text(
        yaml.safe_dump(follow, allow_unicode=True), encoding="utf-8")
    country = yaml.safe_load((kb / "country.yml").read_text(encoding="utf-8"))
    country["form_languages"] = [{"code": "en", "name": "English"},
                                 {"code": "fr", "name": SHORT[:100]}]
    (kb / "country.yml").write_text(yaml.safe_dump(country, allow_unicode=True),
                                    encoding="utf-8")
    (kb / "questionnaire.yml").write_text(yaml.safe_dump({"sections": [{
        "id": "main", "label": SHORT, "translations": {"fr": SHORT},
        "relevant": "${hostile_question} = 'second'",
        "items": [{"note": "intro", "text": PAYLOAD, "translations": {"fr": PAYLOAD}},
                  "hostile-question", "hostile-follow"]}]}, allow_unicode=True),
        encoding="utf-8")
    pages = pages_of(kb)
    for name in ("questionnaire/index.md", "questionnaire/print.md",
                 "questions/wash/hostile-follow.md", "questions/wash/hostile-question.md"):
        content = pages[name]
        assert isinstance(content, str)
        body, _ = get_data(content)
        MD.reset()
        parsed = Tags()
        parsed.feed(MD.convert(body))
        assert_no_injection(parsed, name)
    MD.reset()
    text = html.unescape(re.sub(r"<[^>]+>", "", MD.convert(get_data(
        str(pages["questionnaire/print.md"]))[0])))
    for visible in VISIBLE:
        assert visible in text, visible
    assert "Asked only if Hostile question" in text


def test_a_form_pyxform_refuses_shows_the_reason_instead_of_a_download(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(SMALL_KB, kb)
    (kb / "questionnaire.yml").write_text(
        "sections:\n  - id: main\n    label: Main\n    items:\n"
        "      - xlsform: {type: 'select_one nowhere', name: broken, label: Broken}\n"
        "      - wash-water-source\n", encoding="utf-8")
    pages = pages_of(kb)
    page = pages["questionnaire/index.md"]
    assert isinstance(page, str)
    assert '!!! warning "The XLSForm could not be generated"' in page
    assert "pyxform refuses the form" in page and "nowhere" in page
    assert "Download the XLSForm" not in page
    assert not [p for p in pages if p.endswith(".xlsx") and p.startswith("questionnaire/")]
