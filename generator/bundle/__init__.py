"""Offline bundle: the whole site as one zip that works from file:// with no network.

Field teams unzip it and open index.html where there is little or no connection. The
bundle is the normal MkDocs build with a few overrides (offline), so it never drifts from
the published site. After the build every page and stylesheet is checked for a resource on
a network host (network_check), so a hand-written page that embeds a remote image fails
the bundle instead of leaking. The zip (site_zip) is deterministic (sorted entries, fixed
timestamps and permissions) and written atomically: a failed build leaves the previous zip
in place.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import BundleError, InvalidKnowledgeBase
from ..i18n.catalog import translations
from ..i18n.languages import site_languages
from ..i18n.multibuild import write_root
from ..loader import load
from ..rounds import bundle_path, internal_bundle_path, offline_label
from .network_check import find_network_references
from .offline import SHIM, VENDOR_DIR, build_offline_site
from .site_zip import write_zip

__all__ = ["DEFAULT_DIR", "SHIM", "VENDOR_DIR", "BundleError", "BundleResult", "bundle",
           "find_network_references", "write_zip"]

# The zip is named after the round: dist/toolkit-round-6-offline.zip (rounds.bundle_path).
DEFAULT_DIR = Path("dist")


@dataclass(frozen=True)
class BundleResult:
    path: Path
    size: int  # bytes of the zip
    files: int  # entries in the zip
    seconds: float  # build + zip


def bundle(kb: Path, out: Path | None = None, project: Path = Path("."), *,
           internal: bool = False, language: str | None = None) -> BundleResult:
    """Validate kb, build the offline site and write it to the zip out: every site language
    (<lang>/ folders and a root index.html), or only `language`.

    Raises InvalidKnowledgeBase (with the full report) before building anything if the kb
    has errors, BundleError if the built site would need the network.
    """
    start = time.monotonic()
    loaded, report = load(kb)
    if loaded is None:
        raise InvalidKnowledgeBase(report)
    number = loaded.country.round.number
    out = out or bundle_path(DEFAULT_DIR, number, internal=internal)
    out = internal_bundle_path(out) if internal else out
    languages = site_languages(loaded.country)
    if language is not None and language not in {x.code for x in languages}:
        raise BundleError(f"'{language}' is not one of the site languages in kb/country.yml "
                          f"({', '.join(x.code for x in languages)})")
    # The root page's, in the source language.
    label = offline_label(number, internal=internal,
                          gettext=translations(languages[0].code).gettext)
    with tempfile.TemporaryDirectory(prefix="toolkit-bundle-") as tmp:
        site = Path(tmp) / "site"
        if language is not None or len(languages) == 1:
            label = offline_label(number, internal=internal,
                                  gettext=translations(language or languages[0].code).gettext)
            build_offline_site(project, kb, site, label=label, internal=internal,
                               language=language or "", selector=False)
        else:
            for lang in languages:  # each with its own search index, inlined for file://
                said = offline_label(number, internal=internal,
                                     gettext=translations(lang.code).gettext)
                build_offline_site(project, kb, site / lang.code, label=said,
                                   internal=internal, language=lang.code)
            write_root(site, languages, label, internal)
        count = write_zip(site, out)
    return BundleResult(out, out.stat().st_size, count, time.monotonic() - start)
