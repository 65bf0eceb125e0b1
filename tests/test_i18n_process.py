"""Translations of the joint process records (issue #11) and of the form's shared parts:
information needs, use reviews, feedback, products, shared choice lists, questionnaire
sections and notes, the plan's feedback modalities and date changes (issue #12)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from i18n_kb import multilingual_kb
from markdown import markdown
from support import add_process_records

from generator.i18n.coverage import fingerprint
from generator.loader import load
from generator.pages import Options, render_site

MARK = '<small class="ctk-untranslated-mark">pas encore traduit</small>'


def _edit(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _fr(data: dict[str, Any], **texts: Any) -> None:
    data.setdefault("translations", {})["fr"] = texts


def process_kb(dest: Path) -> Path:
    """The multilingual small kb with the process records, some of them in French."""
    kb = add_process_records(multilingual_kb(dest))

    def need(d: dict[str, Any]) -> None:
        _fr(d, need="Où les PDI dépendent de sources d'eau non sûres.",
            decision="Où le cluster WASH envoie le transport d'eau par camion.",
            gaps="Ne donne que la source principale, pas la qualité de l'eau.")
        _fr(d["secondary_data"][0], why_insufficient="Ne couvre que les sites avec un "
            "partenaire WASH.")  # its source stays untranslated

    _edit(kb / "needs/water-source.yml", need)
    _edit(kb / "needs/child-arrivals.yml", lambda d: d.update(out_of_scope={
        "reason": "Key informants cannot count children reliably.",
        "instead": "Case management partners."}) or _fr(
        d, out_of_scope={"instead": "Les partenaires de gestion des cas."}))

    def review(d: dict[str, Any]) -> None:
        _fr(d, summary="Les partenaires ont passé en revue les questions du cycle 2.")
        _fr(d["entries"][1], why_not="Les partenaires de gestion des cas avaient leurs "
            "propres listes.")

    _edit(kb / "use-reviews/round-2.yml", review)
    _edit(kb / "feedback/r2-water.yml", lambda d: _fr(
        d, asked="Ajouter une option pour le transport d'eau par camion.",
        response="Accepté pour le cycle 3.", channel="Réunion du cluster"))

    def product(d: dict[str, Any]) -> None:
        _fr(d, title="Rapport du cycle 2 de Testland")
        d["checklist"][1]["translations"] = {"fr": "Le rapport n'a pas de cartes."}

    _edit(kb / "products/r2-report.yml", product)

    def plan(d: dict[str, Any]) -> None:
        d["feedback"] = ["Written feedback within four weeks.", "A session at the ISCG."]
        d["translations"] = {"fr": {"feedback": ["Retours écrits sous quatre semaines."]}}
        d["timeline"][0]["changes"][0]["translations"] = {
            "fr": "La réunion du cluster a été décalée d'une semaine."}

    _edit(kb / "analysis-plan.yml", plan)
    # A shared choice list and the questionnaire's sections and notes.
    (kb / "choices").mkdir()
    (kb / "choices/how-many.yml").write_text(
        "id: how-many\noptions:\n"
        "  - {code: none, label: None at all, translations: {fr: Aucun}}\n"
        "  - {code: some, label: Some of them}\n", encoding="utf-8")
    _edit(kb / "questions/protection/protection-uasc.yml", lambda d: (
        d.update(type="select_one", choices="how-many"), d.pop("options", None),
        d.get("translations", {}).get("fr", {}).pop("options", None)))
    (kb / "questionnaire.yml").write_text(
        "sections:\n  - id: water\n    label: Water supply\n"
        "    translations: {fr: Approvisionnement en eau}\n    items:\n"
        "      - note: consent\n        text: Read the consent statement.\n"
        "        translations: {fr: Lisez la déclaration de consentement.}\n"
        "      - wash-water-source\n", encoding="utf-8")
    return kb


def _pages(kb_dir: Path, lang: str, internal: bool = False) -> dict[str, str]:
    kb, report = load(kb_dir, internal=internal)
    assert kb is not None, report.format()
    return {p.path: p.content for p in render_site(kb, Options(language=lang))
            if isinstance(p.content, str)}


def _html(page: str) -> str:
    return markdown(page, extensions=["tables", "attr_list", "md_in_html", "admonition"])


def test_french_pages_show_the_process_records_translations(tmp_path: Path) -> None:
    kb_dir = process_kb(tmp_path / "kb")
    pages = _pages(kb_dir, "fr")
    needs = _html(pages["needs.md"])
    assert "Où les PDI dépendent de sources d'eau non sûres." in needs
    assert "Où le cluster WASH envoie le transport d'eau par camion." in needs
    assert "Ne donne que la source principale, pas la qualité de l'eau." in needs
    assert "Ne couvre que les sites avec un partenaire WASH." in needs
    assert "Les partenaires de gestion des cas." in needs  # out_of_scope.instead
    # Untranslated texts: in English, marked, with their language.
    assert ('<span class="ctk-untranslated" lang="en" dir="ltr">WASH 4W, July 2026</span> '
            + MARK) in needs
    assert ('<span class="ctk-untranslated" lang="en" dir="ltr">Key informants cannot count '
            'children reliably.</span>') in needs
    assert "Where IDPs rely on unsafe water sources." not in needs
    # A partner page lists its needs in French too.
    assert "Où les PDI dépendent de sources d'eau non sûres." in pages[
        "partners/wash-cluster.md"]
    review = _html(pages["use-review.md"])
    assert "Les partenaires ont passé en revue les questions du cycle 2." in review
    assert "Les partenaires de gestion des cas avaient leurs propres listes." in review
    assert ('<span class="ctk-untranslated" lang="en" dir="ltr">Water trucking plan for the '
            'dry season.</span>') in review
    feedback = _html(pages["feedback.md"])
    assert "Ajouter une option pour le transport d'eau par camion." in feedback
    assert "Accepté pour le cycle 3." in feedback and "Réunion du cluster" in feedback
    assert ('<span class="ctk-untranslated" lang="en" dir="ltr">Option "water trucking" '
            'added in round 3.</span>') in feedback.replace("&quot;", '"')
    # The question the feedback is about lists it in French, with its state.
    question = pages["questions/wash/wash-water-source.md"]
    assert "Ajouter une option pour le transport d'eau par camion." in question
    assert "pas encore traduit</small>](../../partners/wash-cluster.md), traité)" in question
    products = _html(pages["products.md"])
    assert "Rapport du cycle 2 de Testland" in products
    assert "Le rapport n'a pas de cartes." in products
    assert "Testland round 2 report" not in products
    workshop = _html(pages["workshop.md"])
    assert "La réunion du cluster a été décalée d'une semaine." in workshop
    assert "Retours écrits sous quatre semaines." in workshop
    assert ('<span class="ctk-untranslated" lang="en" dir="ltr">A session at the ISCG.</span>'
            in workshop)
    assert "La réunion du cluster a été décalée d'une semaine." in pages["engagement.md"]
    # An untranslated partner name inside a translated sentence keeps its mark as markup,
    # escaped once (it was escaped a second time in the review sheets' headings).
    # (French typography: a no-break space before the colon)
    assert ('## Fiche de revue\u00a0: <span class="ctk-untranslated" lang="en"'
            in pages["workshop.md"])
    assert "&lt;span" not in pages["workshop.md"]
    # The generator's words on these pages are French too: titles, coverage, states.
    assert "title: Besoins d&#x27;information et couverture" in pages["needs.md"]
    assert "## Partiellement couvert { #partly }" in pages["needs.md"]
    assert "**Statut\u00a0:** Fait" in pages["feedback.md"]
    assert "| Rapport | Publié 2026-07-10 |" in pages["products.md"]
    assert "| Sans objet | Le rapport n'a pas de cartes. |" in pages["products.md"]
    assert "| Non couvert | Aucune question pour l'instant |" in pages["partners/wash-cluster.md"]
    assert "title: Dossier de l&#x27;atelier conjoint, cycle 3" in pages["workshop.md"]
    form = pages["questionnaire/index.md"]
    assert "## Approvisionnement en eau" in form
    assert "Lisez la déclaration de consentement." in form
    # A shared list's options: translated, or marked. (The mock-up's labels come from the
    # source records' false results, in every language.)
    uasc = _html(pages["questions/protection/protection-uasc.md"])
    assert "Aucun" in uasc
    assert "<li>None at all" not in uasc and ">None at all</span>" not in uasc
    assert ('<span class="ctk-untranslated" lang="en" dir="ltr">Some of them</span>') in uasc


def test_the_source_language_shows_the_source_texts(tmp_path: Path) -> None:
    pages = _pages(process_kb(tmp_path / "kb"), "en")
    assert "Where IDPs rely on unsafe water sources." in pages["needs.md"]
    assert "Testland round 2 report" in pages["products.md"]
    assert not any("ctk-untranslated" in p or "Rapport du cycle 2" in p
                   for p in pages.values())


def _toolkit(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator.cli", *args], capture_output=True,
                          text=True, check=False)


def test_i18n_status_counts_the_process_kinds(tmp_path: Path) -> None:
    kb_dir = process_kb(tmp_path / "kb")
    out = _toolkit("i18n", "status", str(kb_dir), "--lang", "fr").stdout
    rows = {line.split()[0]: [int(x) for x in line.split()[1:]]
            for line in out.splitlines()[4:] if line.startswith("  ") and
            line.split()[1].isdigit()}
    for kind in ("need", "use-review", "feedback", "product", "choices", "questionnaire"):
        assert kind in rows, out
    # need: water-source's need, decision, gaps, secondary why_insufficient; child-arrivals'
    # out_of_scope.instead.
    assert rows["need"][1] == 5
    assert rows["product"][1] == 2 and rows["choices"] == [2, 1, 1, 0]
    assert rows["questionnaire"] == [2, 2, 0, 0]
    assert rows["use-review"][1] == 2 and rows["feedback"][1] == 3
    assert rows["analysis-plan"][1] >= 3  # + the feedback modality and the date change
    missing = _toolkit("i18n", "status", str(kb_dir), "--lang", "fr", "--missing").stdout
    assert "needs/water-source.yml:8: secondary_data[1].source" in missing


def test_unknown_key_in_a_need_translation_is_an_error_with_its_line(tmp_path: Path) -> None:
    kb_dir = process_kb(tmp_path / "kb")
    path = kb_dir / "needs/water-source.yml"
    _edit(path, lambda d: d["translations"]["fr"].update(decison="?"))
    _edit(kb_dir / "feedback/r2-water.yml", lambda d: d["translations"]["fr"].update(ask="?"))
    result = _toolkit("validate", str(kb_dir))
    assert result.returncode == 1
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if "decison" in text)
    assert (f"needs/water-source.yml:{line}: translations.fr.decison: 'decison' is not a "
            "translatable field here") in result.stderr
    assert "did you mean 'decision'?" in result.stderr
    assert "translations.fr.ask: 'ask' is not a translatable field here" in result.stderr
    assert "did you mean 'asked'?" in result.stderr


def test_stale_translation_of_a_need_and_a_review_entry(tmp_path: Path) -> None:
    kb_dir = process_kb(tmp_path / "kb")
    need = kb_dir / "needs/water-source.yml"
    _edit(need, lambda d: d["translations"]["fr"].update(
        source_hash={"decision": fingerprint(d["decision"]), "need": "bbbbbbbb"}))
    review = kb_dir / "use-reviews/round-2.yml"
    _edit(review, lambda d: d["entries"][1]["translations"]["fr"].update(
        source_hash={"why_not": "cccccccc"}))
    result = _toolkit("validate", str(kb_dir))
    assert result.returncode == 0, result.stderr
    out = result.stdout + result.stderr
    now = fingerprint("Where IDPs rely on unsafe water sources.")
    assert "translations.fr.source_hash.need" in out and f"need: {now}" in out
    assert "source_hash.decision" not in out
    assert "entries[2].translations.fr.source_hash.why_not" in out.replace(
        "entries.1.", "entries[2].")
    printed = _toolkit("i18n", "hash", str(need), "--lang", "fr", "--kb", str(kb_dir)).stdout
    assert f"  need: {now}" in printed
    assert "secondary_data.0.translations.fr.source_hash" in printed


def test_confidential_process_records_stay_out_of_every_language(tmp_path: Path) -> None:
    """A restricted need, feedback about a confidential question, a product of a confidential
    dataset and a use-review entry about a confidential question: their translations never
    reach a public page either."""
    kb_dir = process_kb(tmp_path / "kb")
    secret = "SECRET-FR protection"
    _edit(kb_dir / "needs/incident-areas.yml", lambda d: _fr(
        d, need=secret + " besoin", decision=secret + " décision"))
    _edit(kb_dir / "feedback/r2-incidents.yml", lambda d: _fr(
        d, asked=secret + " retour", response=secret + " réponse"))
    _edit(kb_dir / "products/r2-incidents.yml", lambda d: (_fr(d, title=secret + " produit"),
          d["checklist"][0].update(translations={"fr": secret + " pourquoi"})))
    _edit(kb_dir / "use-reviews/round-2.yml", lambda d: d["entries"][2].update(
        translations={"fr": {"used_for": secret + " usage"}}))
    for lang in ("fr", "en", "ar"):
        pages = _pages(kb_dir, lang)
        assert not [p for p, text in pages.items() if "SECRET" in text], lang
    # The internal build shows them: the markers are real text.
    internal = "\n".join(_pages(kb_dir, "fr", internal=True).values())
    for what in ("besoin", "décision", "retour", "réponse", "produit", "pourquoi", "usage"):
        assert f"{secret} {what}" in internal, what


def test_engagement_standing_in_the_pages_language() -> None:
    import datetime as dt

    from generator.i18n.catalog import translations
    from generator.models import Partner
    from generator.process_pages import standing

    fr = translations("fr")
    today = dt.date(2026, 9, 20)

    def partner(**engagement: Any) -> Partner:
        return Partner.model_validate({"id": "x", "name": "X", "type": "ngo",
                                       "engagement": {"approach": "Meeting", **engagement}})

    late = partner(when="2026-09-01", reply_by="2026-09-17")
    assert standing(late, today).state == "Late: reply due 3 days ago"
    assert standing(late, today, fr.gettext, fr.ngettext).state == \
        "En retard : réponse attendue il y a 3 jours"
    replied = partner(when="2026-09-01", reply_by="2026-09-10", replied="2026-09-11")
    assert standing(replied, today).state == "Replied 1 day late"
    assert standing(replied, today, fr.gettext, fr.ngettext).state == \
        "Répondu avec 1 jour de retard"
    ar = translations("ar")
    assert standing(replied, today, ar.gettext, ar.ngettext).state == "تمّ الرد متأخرًا 1 يوم"
    assert standing(partner(when="2026-10-01"), today, fr.gettext, fr.ngettext).state == \
        "À approcher"
