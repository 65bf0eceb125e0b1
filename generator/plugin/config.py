"""Options of the country-toolkit plugin, as written under `plugins:` in mkdocs.yml.

Typed with MkDocs' own config options, so a wrong value is reported by MkDocs like any other
configuration error. Switches that depend on the environment are set in mkdocs.yml with
MkDocs' `!ENV` tag (e.g. `internal: !ENV [TOOLKIT_INTERNAL, false]`), not read by hand here.
"""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class Switch(c.Type[bool]):
    """A bool that also takes 1 and 0: `!ENV` reads TOOLKIT_INTERNAL=1 as the integer 1."""

    def __init__(self, default: bool) -> None:
        super().__init__(bool, default=default)

    def run_validation(self, value: object) -> bool:
        if type(value) is int and value in (0, 1):
            return bool(value)
        return super().run_validation(value)


class CountryToolkitConfig(base.Config):
    # Off: no page is generated and the kb is not read (hand-written pages only).
    enabled = Switch(default=True)
    # The knowledge base folder, relative to mkdocs.yml.
    kb = c.Dir(exists=True, default="kb")
    # Base URL of the repository's edit view at a branch, e.g.
    # https://github.com/ORG/REPO/edit/main/ : the kb's path in the repository and the
    # record's file are appended for "Edit this record" links. Unset: derived from repo_url.
    edit_url = c.Optional(c.Type(str))
    # Internal builds show confidential fields; only for partners under the MoU.
    internal = Switch(default=False)
    # Off: no mock-up charts (faster previews).
    mockups = Switch(default=True)
    # The site language of this build (a code from site_languages in kb/country.yml);
    # empty: the source language. `toolkit build --all-languages` builds each in turn.
    language = c.Type(str, default="")
    # Converted pages are kept here between builds (outside the site; safe to delete).
    # Relative to mkdocs.yml. Off: every build converts every page.
    cache = Switch(default=True)
    cache_dir = c.Type(str, default=".cache/country-toolkit")
    # Other country kbs (folders, relative to mkdocs.yml) to compare this country with: a
    # "Comparison across countries" page (comparison.md, as `toolkit compare`). Empty: no page.
    compare_with = c.ListOfItems(c.Dir(exists=True), default=[])
