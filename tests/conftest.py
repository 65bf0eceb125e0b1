"""Shared fixtures: the sample kb, a small fixture kb, and built sites (built once)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from support import CHROMIUM, CHROMIUM_ARGS, ROOT, SAMPLE_KB, SMALL_KB

from generator.build import build_site

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@pytest.fixture
def small_kb(tmp_path: Path) -> Path:
    """A writable copy of the small fixture kb, for tests that break it on purpose."""
    dest = tmp_path / "kb"
    shutil.copytree(SMALL_KB, dest)
    return dest


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample kb built once with the project's mkdocs.yml (strict)."""
    site = tmp_path_factory.mktemp("sample-site")
    build_site(SAMPLE_KB, site, project=ROOT)
    return site


@pytest.fixture(scope="session")
def small_public_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("small-public")
    build_site(SMALL_KB, site, project=ROOT)
    return site


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

    tmp = tmp_path_factory.mktemp("i18n")
    kb = multilingual_kb(tmp / "kb")

    def make(lang: Language, where: Path):  # type: ignore[no-untyped-def]
        cfg = load_config(str(ROOT / "mkdocs.yml"), site_dir=str(where))
        plugin = cfg.plugins["country-toolkit"]
        plugin.config["kb"] = str(kb)
        plugin.config["language"] = lang.code
        return cfg

    out = tmp / "site"
    build_languages(make, declared(kb), out)
    return out


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
