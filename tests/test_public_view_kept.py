"""The public view reuses the views it made of the same records (kb.kept_view): under
`mkdocs serve` most records of a rebuild are the objects of the build before. A view is
the one a fresh redaction makes, for every input it is made from."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace

import pytest
from support import SAMPLE_KB

from generator import kb as kb_module
from generator.kb import KnowledgeBase
from generator.loader import load_or_raise
from generator.models.partner import InformationNeed


@pytest.fixture()
def kb() -> KnowledgeBase:
    kb = load_or_raise(SAMPLE_KB)
    partner = next(iter(kb.partners.values()))
    needs = [*partner.information_needs, InformationNeed(need="Secret need", restricted=True)]
    return replace(kb, partners={**kb.partners, partner.id: partner.model_copy(
        update={"information_needs": needs})})


def fresh(kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> KnowledgeBase:
    """The view made without any view kept."""
    kept = kb_module._VIEWS
    monkeypatch.setattr(kb_module, "_VIEWS", OrderedDict())
    try:
        return kb.public_view()
    finally:
        monkeypatch.setattr(kb_module, "_VIEWS", kept)


def restricted(view: KnowledgeBase) -> list[object]:
    return [q for q in view.questions.values() if q.is_confidential]


def test_a_rebuilds_view_reuses_the_views_of_its_unchanged_records(
        kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    first = kb.public_view()
    again = replace(kb).public_view()  # a new kb of the same records
    assert len(restricted(first)) > 1
    assert all(a is b for a, b in zip(restricted(first), restricted(again), strict=True))
    assert all(a is b for a, b in zip(first.partners.values(), again.partners.values(),
                                      strict=True))
    assert again == fresh(kb, monkeypatch)


def test_a_view_follows_every_input_it_is_made_from(
        kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    kb.public_view()
    # A sector renamed: the restricted titles name it.
    sector = next(q.sector for q in kb.questions.values() if q.is_confidential)
    renamed = replace(kb, sectors={**kb.sectors, sector: kb.sectors[sector].model_copy(
        update={"name": "Renamed sector"})})
    assert renamed.public_view() == fresh(renamed, monkeypatch)
    assert any("Renamed sector" in q.text for q in restricted(renamed.public_view()))
    # A confidential question gone: the next one in its sector takes its handle.
    first_secret = next(k for k, q in kb.questions.items()
                        if q.is_confidential and q.sector == "protection")
    fewer = replace(kb, questions={k: q for k, q in kb.questions.items() if k != first_secret})
    assert fewer.public_view() == fresh(fewer, monkeypatch)
    # An internal build: the partners' restricted needs stay.
    internal = replace(kb, internal=True)
    assert internal.public_view() == fresh(internal, monkeypatch)
    assert any("Secret need" in p.information_needs
               for p in internal.public_view().partners.values())
    assert not any("Secret need" in p.information_needs
                   for p in kb.public_view().partners.values())


def test_a_sites_restricted_titles_are_kept_in_its_language(kb: KnowledgeBase) -> None:
    """SiteRenderer titles each restricted question in the page's language (a view kept
    by its text): the same objects in a rebuild, another language's title in another site."""
    from generator.pages import Options, SiteRenderer

    def titles(language: str) -> list[object]:
        return restricted(SiteRenderer(replace(kb), Options(mockups=False,
                                                            language=language)).kb)

    english, french = titles("en"), titles("fr")
    assert all(a is b for a, b in zip(english, titles("en"), strict=True))
    assert [q.text for q in english] != [q.text for q in french]  # type: ignore[attr-defined]
    assert all(q.text.startswith("Question restreinte")  # type: ignore[attr-defined]
               for q in french)
    # The same records worded otherwise: the title follows the words.
    renderer = SiteRenderer(kb, Options(mockups=False))
    view = kb.public_view()
    assert restricted(renderer._restricted_titles(view)) == english
    renderer._ = lambda text: "Secret %(number)s (%(sector)s)"
    assert all(q.text.startswith("Secret ")  # type: ignore[attr-defined]
               for q in restricted(renderer._restricted_titles(view)))
