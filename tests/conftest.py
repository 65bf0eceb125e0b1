"""Shared fixtures: the sample kb, a small fixture kb, and built sites (built once)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from support import CHROMIUM, CHROMIUM_ARGS, ROOT, SAMPLE_KB, SMALL_KB, shared_build

from generator.build import build_site

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@pytest.fixture
def small_kb(tmp_path: Path) -> Path:
    """A writable copy of the small fixture kb, for tests that break it on purpose."""
    dest = tmp_path / "kb"
    shutil.copytree(SMALL_KB, dest)
    return dest


def site_of(kb: Path):  # type: ignore[no-untyped-def]
    def make(site: Path) -> dict:
        build_site(kb, site, project=ROOT)
        return {}
    return make


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample kb built once with the project's mkdocs.yml (strict)."""
    return shared_build(tmp_path_factory.getbasetemp(), "sample-site", site_of(SAMPLE_KB))[0]


@pytest.fixture(scope="session")
def small_public_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_build(tmp_path_factory.getbasetemp(), "small-public", site_of(SMALL_KB))[0]


@pytest.fixture(scope="session")
def multilingual_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small kb in en, fr and ar (tests/i18n_kb.py), built as `toolkit build
    --all-languages` does: site/en/, site/fr/, site/ar/ and the root page. Built once for
    the language, generator-words and accessibility tests."""
    from i18n_kb import multilingual_kb
    from mkdocs.config import load_config

    from generator.i18n.languages import Language
    from generator.i18n.multibuild import build_languages
    from generator.i18n.site import declared

    def build(tmp: Path) -> dict:
        kb = multilingual_kb(tmp / "kb")

        def make(lang: Language, where: Path):  # type: ignore[no-untyped-def]
            cfg = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(where))
            plugin = cfg.plugins["country-toolkit"]
            plugin.config["kb"] = str(kb)
            plugin.config["language"] = lang.code
            return cfg

        build_languages(make, declared(kb), tmp / "site")
        return {}

    return shared_build(tmp_path_factory.getbasetemp(), "i18n", build)[0] / "site"


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the session (Playwright's own download is not used)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: ./run test installs it (apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


# Files that take longest, longest first (per-file seconds of a two-process run). `./run test`
# passes --no-loadscope-reorder so pytest-xdist hands files out in this order: long files
# start first and short ones fill in, instead of a long file starting last and running alone
# (xdist's default order is by number of tests, which put the one-test edit-loop file last).
LONGEST_FIRST = (
    "test_edit_loop.py", "test_a11y.py", "test_a11y_dark.py", "test_a11y_phone.py",
    "test_cache.py", "test_print.py", "test_reproducible.py", "test_publish.py",
    "test_bundle_browser.py", "test_sitebuild.py", "test_serve.py", "test_publish_bundle.py",
    "test_dap_browser.py", "test_contrib_new.py", "test_xlsform.py", "test_compare_site.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: files stay whole
