"""XLSForm sheet and column names, and the kb-only columns the export adds."""

from __future__ import annotations

import re

from ..models.country import FormLanguage

# Survey columns a language suffix applies to (label::English (en)).
TRANSLATED = ("label", "hint", "constraint_message", "required_message", "guidance_hint",
              "image", "audio", "video", "media::image", "media::audio", "media::video")
# Survey columns the kb models on a question, in the order the export writes them.
SURVEY = ("type", "name", "label", "hint", "required", "relevant", "constraint",
          "constraint_message", "appearance", "default", "choice_filter", "calculation",
          "repeat_count")
# Columns the kb adds so nothing is lost on the way back; Kobo/ODK ignore unknown columns.
KB_COLUMNS = ("kb_id", "sector", "unit", "unit_of_analysis", "tier", "indicator",
              "special_codes")
CHOICES = ("list_name", "name", "label")
SETTINGS = ("form_title", "form_id", "version", "default_language")

_LANG_HEADER = re.compile(r"^(?P<name>.*?)\s*\((?P<code>[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)\)$")


def language_label(lang: FormLanguage) -> str:
    """How XLSForm names a language: 'English (en)'."""
    return f"{lang.name} ({lang.code})"


def column(base: str, lang: FormLanguage) -> str:
    return f"{base}::{language_label(lang)}"


def split_header(header: str) -> tuple[str, str | None]:
    """'label::French (fr)' -> ('label', 'French (fr)'); 'label' -> ('label', None)."""
    head = header.strip()
    for base in sorted(TRANSLATED, key=len, reverse=True):
        if head.lower().startswith(base + "::"):
            return base, head[len(base) + 2:].strip()
    return head.lower() if head.lower() in SURVEY + CHOICES + SETTINGS else head, None


def parse_language(text: str) -> tuple[str, str | None]:
    """'French (fr)' -> ('French', 'fr'); 'French' -> ('French', None)."""
    m = _LANG_HEADER.match(text.strip())
    if m:
        return m.group("name").strip(), m.group("code").lower()
    return text.strip(), None
