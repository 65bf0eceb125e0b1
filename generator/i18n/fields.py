"""Which fields of each record kind are human-readable text, and so translatable.

A record's translations sit in its own `translations:` mapping, by language code. Inside a
language, the shape mirrors the record: a text field by its name, a nested group (analysis,
mockup...) as a nested mapping, a list of texts as a list in the same order, a mapping of
texts (a partner's roles) as a mapping with the same keys. Items of a list that are records
of their own (reply options, process steps, checklist items...) carry their own
`translations:` beside their text, so a translation sits next to what it translates.
Ids, codes, e-mails, dates, expressions and names of agreements are never translated.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel

from ..models import (
    AnalysisPlan,
    Checklist,
    ChecklistItem,
    ChoiceList,
    Country,
    Dataset,
    Feedback,
    Need,
    Partner,
    Process,
    Product,
    Question,
    Questionnaire,
    Sector,
    SectorList,
    Sharing,
    Step,
    UseReview,
)
from ..models.country import AdminLevel, DtmSetup, KeyInformantType, Methodology
from ..models.need import OutOfScope, SecondaryData
from ..models.partner import Contact, Engagement
from ..models.plan import DateChange, Milestone, SignOff
from ..models.product import ChecklistState
from ..models.question import (
    Analysis,
    Change,
    Criteria,
    Mockup,
    Option,
    SpecialCode,
    Verification,
    Verifier,
)
from ..models.questionnaire import Note, Section
from ..models.review import Use
from .catalog import N_


@dataclass(frozen=True)
class Spec:
    texts: tuple[str, ...] = ()  # single texts
    lists: tuple[str, ...] = ()  # lists of texts, translated item by item in the same order
    maps: tuple[str, ...] = ()  # mappings of texts (partner roles by step id)
    nested: tuple[str, ...] = ()  # groups translated inside the owner's block
    items: tuple[str, ...] = ()  # lists of records that carry their own translations
    # Items with one text take the translated text itself (`fr: Eau courante`).
    single: str | None = None
    extra: tuple[str, ...] = field(default=())  # block keys that are not fields


SPECS: dict[type[BaseModel], Spec] = {
    Question: Spec(
        texts=("text", "hint", "information_need", "purpose", "use", "enumerator_notes",
               "constraint_message", "specify_label", "unit"),
        nested=("analysis", "mockup", "criteria", "sharing", "verification"),
        items=("options", "history", "special_codes"),
    ),
    Analysis: Spec(texts=("descriptive", "frequency", "tools")),
    Mockup: Spec(texts=("sentence", "title")),
    Criteria: Spec(texts=("not_available_elsewhere", "methodology_adequate",
                          "analysis_capacity", "do_no_harm")),
    Sharing: Spec(texts=("trigger", "contact")),
    # Reviewers' roles carry their translations beside them, like process steps.
    Verification: Spec(texts=("notes",), items=("verified_by",)),
    Verifier: Spec(texts=("role",)),
    Option: Spec(single="label"),
    SpecialCode: Spec(single="label"),
    Change: Spec(single="change"),
    Partner: Spec(texts=("name", "short_name", "description"), lists=("information_needs",),
                  maps=("roles",), nested=("contact", "engagement")),
    Contact: Spec(texts=("role",)),
    Engagement: Spec(texts=("approach", "notes", "restricted_notes")),
    Dataset: Spec(texts=("title", "description", "frequency"), nested=("sharing",)),
    Country: Spec(texts=("name", "summary", "data_responsibility"), lists=("languages",),
                  nested=("dtm", "msla")),
    DtmSetup: Spec(texts=("implemented_under", "coordinator")),
    Methodology: Spec(
        texts=("collection_method", "geographic_boundaries", "timing", "frequency", "coverage"),
        lists=("target_population", "strengths", "limitations"),
        items=("key_informant_types", "admin_levels"),
    ),
    KeyInformantType: Spec(single="label"),
    AdminLevel: Spec(single="name"),
    AnalysisPlan: Spec(texts=("title", "summary"), lists=("feedback",),
                       items=("timeline", "sign_off")),
    Milestone: Spec(single="milestone", items=("changes",)),
    DateChange: Spec(single="reason"),
    SignOff: Spec(single="by"),
    Process: Spec(items=("steps",)),
    Step: Spec(texts=("title", "description", "dtm_role", "partner_role"), lists=("outputs",)),
    Checklist: Spec(items=("items",)),
    ChecklistItem: Spec(texts=("component", "why")),
    SectorList: Spec(items=("sectors",)),
    Sector: Spec(texts=("name", "description")),
    # The joint process records (issue #11). Ids, dates, states and links stay as they are.
    Need: Spec(texts=("need", "decision", "frequency", "gaps", "unmet_reason"),
               nested=("out_of_scope",), items=("secondary_data",)),
    OutOfScope: Spec(texts=("reason", "instead")),
    SecondaryData: Spec(texts=("source", "why_insufficient")),
    UseReview: Spec(texts=("summary",), items=("entries",)),
    Use: Spec(texts=("used_for", "why_not")),
    Feedback: Spec(texts=("channel", "asked", "response", "changed")),
    Product: Spec(texts=("title",), items=("checklist",)),
    ChecklistState: Spec(single="why"),
    # Shared reply options and the form's sections and notes: the same translations serve
    # the XLSForm's language columns and the site. A list's title is for people editing it.
    ChoiceList: Spec(items=("options",)),
    Questionnaire: Spec(items=("sections",)),
    Section: Spec(single="label", items=("items",)),
    Note: Spec(single="text"),
}

# The models' default texts (a text a record may leave out): the generator's words, so they
# are marked here for the catalogue and translated by it (localize.py), not shown as
# untranslated record text. tests/test_i18n_catalog.py checks that every default text of a
# translatable field is listed.
DEFAULT_TEXTS = (N_("every round"), N_("Joint Data Analysis Plan"))

# The key beside the translated texts that records which source text they were made from.
HASH_KEY = "source_hash"


def spec_of(model: type[BaseModel]) -> Spec:
    return SPECS.get(model, Spec())


def block_fields(model: type[BaseModel]) -> set[str]:
    """Keys a language block of this model may hold."""
    s = spec_of(model)
    return {*s.texts, *s.lists, *s.maps, *s.nested}


def item_model(model: type[BaseModel], name: str) -> type[BaseModel]:
    """The record type of a nested group or of a list's items, from the model's annotation."""
    info = model.model_fields[name]
    return _record_in(info.annotation)


def _record_in(annotation: object) -> type[BaseModel]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        try:
            return _record_in(arg)
        except TypeError:
            continue
    raise TypeError(f"no record type in {annotation!r}")
