"""kb/questionnaire.yml (optional): the form's order, sections, repeat groups and notes.

Questions are listed by id in interview order. Questions it does not list follow in one
section per sector, so a kb without this file still gives a complete form.
"""

from __future__ import annotations

from pydantic import Field

from .common import Id, LangCode, Record, ShortText, Text, XmlName


class Note(Record):
    """Text read to the respondent or shown to the enumerator (an XLSForm note row)."""

    note: XmlName = Field(description="XLSForm name of the note.")
    text: Text
    translations: dict[LangCode, Text] = {}
    relevant: ShortText | None = None


class Calculate(Record):
    """A hidden computed value the form uses (an XLSForm calculate row), not a question."""

    calculate: XmlName = Field(description="XLSForm name of the value.")
    calculation: ShortText = Field(description="XLSForm expression, e.g. ${a} + ${b}.")


class RawRow(Record):
    """An XLSForm row the kb does not model (start, end, geopoint...), kept as it is."""

    xlsform: dict[str, str] = Field(description="XLSForm survey columns and their values.")


Item = Id | Note | Calculate | RawRow


class Section(Record):
    id: Id
    name: XmlName | None = Field(None, description="XLSForm group name; default: id with '_'.")
    label: ShortText
    translations: dict[LangCode, ShortText] = {}
    group: bool = Field(True, description="false: rows at the top level, outside any group.")
    repeat: bool = Field(False, description="A repeat group (e.g. a roster).")
    repeat_count: ShortText | None = Field(None, description="XLSForm repeat_count expression.")
    relevant: ShortText | None = Field(None, description="Skip logic for the whole section.")
    appearance: ShortText | None = None
    items: list[Item] = Field(
        default=[], description="Question ids, notes, calculations, raw rows: interview order."
    )

    @property
    def var_name(self) -> str:
        return self.name or self.id.replace("-", "_")


class Questionnaire(Record):
    form_id: XmlName | None = Field(None, description="XLSForm form_id; default: iso3_msla.")
    title: ShortText | None = None
    version: ShortText | None = Field(None, description="Form version; default: the round.")
    sections: list[Section] = []
