"""axe-core on a phone-sized screen and in the other languages (test_a11y.py has the
light desktop audit, test_a11y_dark.py the dark palette): modules of their own so the two
halves of the suite (pytest-xdist) run the audits side by side."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from a11y_pages import serve
from test_a11y import SCHEMES, VIEWPORTS, audit, axe, builds, check_page_types  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_no_serious_axe_violations_on_a_phone(browser, axe, builds) -> None:  # noqa: F811
    check_page_types(browser, axe, builds, "light", "phone")


# The other languages, on the small kb in en/fr/ar (the session build the language tests
# share): the pages whose generator words and layout change with the language, Arabic
# right-to-left. Twelve audits (about a minute on the shared 2-core machine).
LANGUAGE_PAGES = {"home": "", "question-with-mock-up": "questions/wash/wash-water-source/",
                  "dap": "dap/"}


@pytest.fixture(scope="module")
def language_base(multilingual_site: Path) -> Iterator[str]:
    with serve(multilingual_site) as base:
        yield base


@pytest.mark.parametrize("scheme", sorted(SCHEMES))
def test_no_serious_axe_violations_in_french_and_arabic(browser, axe, language_base,  # noqa: F811
                                                         scheme):
    found = []
    for lang in ("fr", "ar"):
        for name, path in LANGUAGE_PAGES.items():
            for problem in audit(browser, axe, f"{language_base}{lang}/{path}", scheme,
                                 VIEWPORTS["desktop"], search=False):
                found.append(f"{lang} {name} ({scheme}): {problem}")
    assert found == [], "\n".join(found)


