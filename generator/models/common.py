"""Building blocks shared by every record model."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints
from pydantic_core import PydanticCustomError

# Ids become file names and URLs: keep them to lowercase slugs so they can never
# escape their folder ("../") or need quoting.
ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
# For Python checks (file names): Python's "$" also matches before a final newline, so
# "wash\n" would pass ID_PATTERN there; \Z does not. (pydantic and JSON Schema read "$" as
# the very end.)
ID_RE = re.compile(ID_PATTERN[:-1] + r"\Z")

Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
# Option codes follow XLSForm choice names, which are usually snake_case (piped_water).
CODE_PATTERN = r"^[a-z0-9][a-z0-9_]{0,63}$"
Code = Annotated[str, StringConstraints(pattern=CODE_PATTERN)]
# XLSForm names become XML element names: letters, digits, "_", "-", "." and no leading digit.
XML_NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_.-]{0,63}$"
XmlName = Annotated[str, StringConstraints(pattern=XML_NAME_PATTERN)]
# Form language codes (ISO 639-1/3, optional region): en, fr, ar, pt-BR.
LangCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
ShortText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)
]
# A question's wording is a page title and a table cell: one line, however the YAML wraps it
# (a "|" block would otherwise keep its line breaks).
OneLine = Annotated[Text, AfterValidator(lambda s: " ".join(s.split()))]


class Record(BaseModel):
    """Base of every kb record: unknown keys are errors, so typos are caught."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def rule(code: str, message: str) -> PydanticCustomError:
    """A model validator's error with its problem code (generator/problems.py KINDS).

    pydantic reports it with `type` = code, so the loader keeps the code instead of
    reading it back out of the English message.
    """
    return PydanticCustomError(code, "{message}", {"message": message})
