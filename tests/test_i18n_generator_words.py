"""The generator's own words on pages in other languages: the mock-up charts (headers,
legend, notes, "Other options (k)", "n = ... locations", numbers per locale) and the skip
logic put in words ("Asked only if ... is not 0"), through the gettext catalogue."""

from __future__ import annotations

import re
from pathlib import Path

from factories import make_question

from generator.expressions import parse
from generator.i18n.catalog import translations
from generator.questionnaire import Words, describe

QUESTION = "questions/wash/wash-water-source/index.html"
# What the English chart of the fixture question says; none of it may show in fr or ar.
ENGLISH = ("All locations", "assessed locations", "Stacked bar chart", "illustrative false data",
           "by reply", "by province", " locations.")


def figure(site: Path, lang: str) -> str:
    page = (site / lang / QUESTION).read_text(encoding="utf-8")
    return page[page.index("<figure"):page.index("</figure>")]


def cells(html: str) -> list[str]:
    return re.findall(r"<td[^>]*>([^<]*)</td>", html)


def test_english_chart_keeps_its_words(multilingual_site: Path) -> None:
    chart = figure(multilingual_site, "en")
    assert all(word in chart for word in ENGLISH), chart
    assert all(re.fullmatch(r"\d+%", c) for c in cells(chart))


def test_french_chart_is_in_french_with_french_numbers(multilingual_site: Path) -> None:
    chart = figure(multilingual_site, "fr")
    assert not [w for w in ENGLISH if w in chart], chart
    for word in ("Toutes les localités", "% des localités évaluées par réponse",
                 "données fictives à titre d&#x27;illustration", "par province"):
        assert word in chart, word
    assert re.search(r"n = [\d\u202f\u00a0]+ localités", chart), chart
    # "79 %": a (narrow) no-break space before the sign, never "79%".
    values = cells(chart)
    assert values and all(re.fullmatch(r"\d+[\u202f\u00a0]%", v) for v in values), values


def test_arabic_chart_is_in_arabic_with_the_country_digits(multilingual_site: Path) -> None:
    chart = figure(multilingual_site, "ar")
    assert not [w for w in ENGLISH if w in chart], chart
    assert "جميع المواقع" in chart and "المواقع المقيّمة" in chart
    values = cells(chart)
    # The fixture's Arabic prefers Arabic-Indic digits: no Latin digit in any value.
    assert values and not [v for v in values if re.search(r"[0-9]", v)], values
    assert all(re.search(r"[٠-٩]", v) for v in values), values


def test_skip_logic_in_french() -> None:
    fr = translations("fr").gettext
    people = make_question("idp-households", "integer")
    groups = make_question("population-groups", "select_multiple")
    by_name = {people.var_name: people, groups.var_name: groups}
    labels = {groups.var_name: {"idp_site": "PDI vivant dans un site"}}
    expr = parse(f"${{{people.var_name}}} != 1000 and "
                 f"not(selected(${{{groups.var_name}}}, 'idp_site'))")
    french = Words(fr, lambda v: "1\u202f000")
    rule = describe(expr, by_name, labels, french)
    assert rule is not None
    assert [(joiner, c.words) for joiner, c in rule] == [
        ("", "n'est pas 1\u202f000"), ("et", "ne comprend pas PDI vivant dans un site")]
    english = describe(expr, by_name, labels)
    assert english is not None
    assert [(j, c.words) for j, c in english] == [
        ("", "is not 1000"), ("and", "does not include PDI vivant dans un site")]


def test_navigation_and_theme_words_in_the_page_language(multilingual_site: Path) -> None:
    french = (multilingual_site / "fr" / QUESTION).read_text(encoding="utf-8")
    english = (multilingual_site / "en" / QUESTION).read_text(encoding="utf-8")
    for en, fr in (("Home", "Accueil"), ("By partner", "Par partenaire"),
                   ("Process and roles", "Processus et rôles"),
                   ("Made with", "Réalisé avec")):
        assert en in english and fr in french, fr
        assert not re.search(rf">\s*{en}\s*<", french), en
    assert '"data-ctk-label-tags", "\\u00c9tiquettes"' in french
