"""The published rounds in a real browser: Material's version selector lists every round,
the site root lands on the latest, and an older round says it is not the latest."""

from __future__ import annotations

import subprocess
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import serve_folder
from test_publish import git, project, set_round  # noqa: F401 - project is a fixture

from generator.publish import publish

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def published_site(project: Path, tmp_path: Path) -> Iterator[str]:  # noqa: F811
    """Rounds 5 and 6 published, the gh-pages branch served over HTTP like GitHub Pages."""
    set_round(project, 5)
    publish(project, project / "kb")
    set_round(project, 6)
    publish(project, project / "kb")
    web = tmp_path / "web"
    web.mkdir()
    archive = tmp_path / "gh-pages.tar"
    subprocess.run(["git", "-C", str(project), "archive", "-o", str(archive), "gh-pages"],
                   check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(web, filter="data")
    with serve_folder(web) as url:
        yield url



def test_selector_lists_both_rounds_and_the_root_is_the_latest(published_site: str,
                                                               browser) -> None:
    page = browser.new_page()
    try:
        page.goto(published_site)
        page.wait_for_url("**/round-6/")
        page.wait_for_selector(".md-version__current")
        assert page.inner_text(".md-version__current") == "Round 6"
        links = page.locator(".md-version__link")
        assert links.all_inner_texts() == ["Round 6", "Round 5"]
        assert not page.locator("[data-md-component=outdated]").is_visible()
        # Choosing round 5 in the selector opens round 5, which says it is not the latest.
        page.goto(links.nth(1).get_attribute("href"))
        page.wait_for_url("**/round-5/")
        page.wait_for_selector("[data-md-component=outdated]:not([hidden])")
        assert "not the latest signed-off round" in page.inner_text(
            "[data-md-component=outdated]")
    finally:
        page.close()
