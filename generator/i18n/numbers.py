"""Mock-up sentence values in a language's number format ("79 %" in French, ٧٩٪ in Arabic
with Arabic-Indic digits), from the same false results as the source sentence.

The mock-up package formats its values one fixed, locale-free way (byte-identical output);
this reads those values back and formats them for a locale. Texts (option labels) pass as
they are.
"""

from __future__ import annotations

import datetime as dt
import re

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

_PCT = re.compile(r"^(-?\d+(?:\.\d+)?)%$")
_NUMBER = re.compile(r"^-?\d{1,3}(?:,\d{3})*(?:\.\d+)?$|^-?\d+(?:\.\d+)?$")
_DATE = re.compile(r"^\d{1,2} [A-Z][a-z]+ \d{4}$")
SYSTEMS = {"latin": "latn", "arabic-indic": "arab"}


# Babel formats the separators of the "arab" system but may keep Latin digits.
_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def with_digits(text: str, digits: str = "latin") -> str:
    """text with the digits the country prefers (Arabic-Indic for "arabic-indic")."""
    return text.translate(_ARABIC_INDIC) if digits == "arabic-indic" else text


def localize_value(value: str, locale: str, digits: str = "latin") -> str:
    out = _localize(value, locale, digits)
    if _PCT.match(value) or _NUMBER.match(value) or _DATE.match(value):
        return with_digits(out, digits)
    return out


def _localize(value: str, locale: str, digits: str) -> str:
    system = SYSTEMS.get(digits, "latn")
    if m := _PCT.match(value):
        return format_percent(float(m.group(1)) / 100, locale=locale, numbering_system=system)
    if _NUMBER.match(value):
        number = float(value.replace(",", ""))
        decimals = len(value.split(".")[1]) if "." in value else 0
        fmt = "#,##0" + ("." + "0" * decimals if decimals else "")
        return format_decimal(number, format=fmt, locale=locale, numbering_system=system)
    if _DATE.match(value):
        try:
            day = dt.datetime.strptime(value, "%d %B %Y").date()
        except ValueError:
            return value
        return format_date(day, format="long", locale=locale)
    return value


def localize_values(values: dict[str, str], locale: str, digits: str = "latin") -> dict[str, str]:
    return {k: localize_value(v, locale, digits) for k, v in values.items()}
