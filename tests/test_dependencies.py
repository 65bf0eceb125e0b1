"""Declared runtime dependencies: each one used by the generator, each one capped."""

from __future__ import annotations

import re
import tomllib

from support import ROOT, modules_importing

# Distribution name -> the module the generator imports it as.
IMPORT_NAME = {"mkdocs": "mkdocs", "mkdocs-material": "material", "pyyaml": "yaml",
               "jinja2": "jinja2", "pandas": "pandas", "xlsxwriter": "xlsxwriter",
               "pydantic": "pydantic", "click": "click", "mike": "mike",
               "pyxform": "pyxform", "openpyxl": "openpyxl", "babel": "babel",
               "pymdown-extensions": "pymdownx"}


def declared() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = {}
    for requirement in project["dependencies"]:
        name = re.match(r"[A-Za-z0-9_.-]+", requirement).group(0).lower()
        specs[name] = requirement[len(name):]
    return specs


def test_every_runtime_dependency_is_imported_by_the_generator() -> None:
    specs = declared()
    assert set(specs) == set(IMPORT_NAME), "map a new dependency to its import name above"
    unused = [name for name in specs if not modules_importing(IMPORT_NAME[name])]
    assert unused == []


def test_libraries_whose_next_major_may_break_us_are_capped() -> None:
    specs = declared()
    for name in ("mkdocs", "mkdocs-material", "pandas", "xlsxwriter", "pydantic", "pyxform",
                 "openpyxl"):
        assert "<" in specs[name], f"{name}{specs[name]} has no upper bound"
