"""axe-core on every page type of the sample site in the dark palette (test_a11y.py has
the light one, the phone and the other languages): a module of its own so the two halves of
the suite (pytest-xdist) audit light and dark side by side."""

from __future__ import annotations

import pytest
from test_a11y import axe, builds, check_page_types  # noqa: F401 (axe, builds: fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_no_serious_axe_violations_on_any_page_type_in_dark(browser, axe, builds) -> None:  # noqa: F811
    check_page_types(browser, axe, builds, "dark", "desktop")
