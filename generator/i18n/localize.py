"""The kb in one site language: each translatable text replaced by its translation, or kept
in the source language and marked "not yet translated" (never a blank).

Runs before the public view (kb.public_view), so redaction removes translated confidential
texts exactly as it removes the source ones, and the translations themselves never reach a
page: every localized record leaves with an empty `translations`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, TypeVar

from pydantic import BaseModel

from ..kb import KnowledgeBase
from .catalog import gettext
from .fields import spec_of
from .languages import Language, source_language

M = TypeVar("M", bound=BaseModel)


class Untranslated(str):
    """A source-language text standing in for a missing translation.

    Still plain record text: safe_text escapes it like any other value and adds the mark
    (`mark`, already in the page's language) and `lang`/`dir` attributes for screen readers.
    """

    lang: str
    direction: str
    mark: str

    def __new__(cls, text: str, lang: str, direction: str, mark: str) -> Untranslated:
        self = super().__new__(cls, text)
        self.lang, self.direction, self.mark = lang, direction, mark
        return self

    def same(self, text: str) -> Untranslated:
        """Another text (e.g. a filled sentence) made from this untranslated one."""
        return Untranslated(text, self.lang, self.direction, self.mark)


def language_block(record: BaseModel, lang: str, single: str | None = None) -> dict[str, Any]:
    """The record's translations into lang, as a mapping (an item's one text under its name)."""
    translations = getattr(record, "translations", None) or {}
    block = translations.get(lang)
    if block is None:
        return {}
    if isinstance(block, str):
        return {single: block} if single else {}
    if isinstance(block, BaseModel):
        return block.model_dump(exclude_none=True)
    return block if isinstance(block, dict) else {}


def _default(record: BaseModel, name: str) -> bool:
    return name not in record.model_fields_set \
        and getattr(record, name) == type(record).model_fields[name].default


class Localizer:
    def __init__(self, source: Language, target: Language, mark: str) -> None:
        self.source, self.target, self.mark = source, target, mark

    def missing(self, text: str) -> Untranslated:
        return Untranslated(text, self.source.code, self.source.direction, self.mark)

    def record(self, record: M, block: dict[str, Any] | None = None) -> M:
        spec = spec_of(type(record))
        if block is None:
            block = language_block(record, self.target.code, spec.single)
        update: dict[str, Any] = {}
        names = (spec.single,) if spec.single else spec.texts
        for name in names:
            value = getattr(record, name)
            if value is not None and _default(record, name):
                # Not written in the record: the model's default ("every round") is the
                # generator's word, translated by the catalogue (generator/locale).
                done = block.get(name)
                update[name] = done.strip() if isinstance(done, str) and done.strip() \
                    else gettext(self.target.code, value)
            elif value is not None:
                update[name] = self.text(value, block.get(name))
        for name in spec.lists:
            update[name] = self.texts(getattr(record, name), block.get(name))
        for name in spec.maps:
            done = block.get(name) if isinstance(block.get(name), dict) else {}
            update[name] = {k: self.text(v, done.get(k)) for k, v in getattr(record, name).items()}
        for name in spec.nested:
            group = getattr(record, name)
            if group is not None:
                sub = block.get(name)
                update[name] = self.record(group, sub if isinstance(sub, dict) else {})
        for name in spec.items:
            # A questionnaire section also lists question ids (plain strings) among its notes.
            update[name] = [self.record(item) if isinstance(item, BaseModel) else item
                            for item in getattr(record, name)]
        if "translations" in type(record).model_fields:
            update["translations"] = {}
        return record.model_copy(update=update)

    def text(self, source: Any, translated: Any) -> Any:
        if isinstance(translated, str) and translated.strip():
            return translated.strip()
        return self.missing(source) if isinstance(source, str) else source

    def texts(self, source: list[Any], translated: Any) -> list[Any]:
        done = translated if isinstance(translated, list) else []
        out: list[Any] = []
        for i, value in enumerate(source):
            other = done[i] if i < len(done) else None
            if isinstance(value, BaseModel):  # a partner's {need: ..., restricted: ...}
                out.append(value.model_copy(update={"need": self.text(value.need, other)}))
            else:
                out.append(self.text(value, other))
        return out


def localize(kb: KnowledgeBase, target: Language, mark: str) -> KnowledgeBase:
    """kb with every translatable text in target (or marked); the kb itself for the source."""
    source = source_language(kb.country)
    if target.code == source.code:
        return kb
    lz = Localizer(source, target, mark)
    return replace(
        kb,
        country=lz.record(kb.country),
        sectors={k: lz.record(s) for k, s in kb.sectors.items()},
        partners={k: lz.record(p) for k, p in kb.partners.items()},
        questions={k: lz.record(q) for k, q in kb.questions.items()},
        datasets={k: lz.record(d) for k, d in kb.datasets.items()},
        process=lz.record(kb.process),
        checklist=lz.record(kb.checklist),
        plan=lz.record(kb.plan),
        needs={k: lz.record(n) for k, n in kb.needs.items()},
        use_reviews={k: lz.record(r) for k, r in kb.use_reviews.items()},
        feedback={k: lz.record(f) for k, f in kb.feedback.items()},
        products={k: lz.record(p) for k, p in kb.products.items()},
        choices={k: lz.record(c) for k, c in kb.choices.items()},
        questionnaire=lz.record(kb.questionnaire) if kb.questionnaire else None,
    )
