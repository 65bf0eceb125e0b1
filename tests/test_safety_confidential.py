"""Confidential records leave the public build by allow-list, and their ids with them.

A unique marker goes into every field of a confidential question and dataset (fields found
from the models' JSON Schemas, so a field added later is covered); only the fields that
generator/kb.py lists as public may reach any file of the public build.
"""

from __future__ import annotations

import gzip
import html
import io
import re
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from factories import make_question
from hostile import EXPRESSION_FIELDS, rewrite_record, write_record
from support import ROOT, SAMPLE_KB, SMALL_KB, add_process_records

from generator.build import build_site
from generator.kb import (
    DATASET_PUBLIC,
    QUESTION_PUBLIC,
    SHARING_PUBLIC,
    public_copy,
    redact_question,
    restricted_handles,
)
from generator.loader import load_or_raise
from generator.models import Dataset, Feedback, Need, Partner, Product, Question

SECRET_ID = "zzmark-question-id"
SECRET_DATASET_ID = "zzmark-dataset-id"


def all_text(site: Path) -> str:
    """Every byte a reader could get from the site (pages, search index, sitemap, CSV, XLSX
    unzipped), decompressed and entity-decoded, lower case."""
    parts = []
    for path in sorted(site.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        if path.suffix in (".xlsx", ".zip"):
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                data = b"".join(z.read(n) for n in z.namelist())
        parts.append(str(path.relative_to(site)))
        parts.append(html.unescape(data.decode("utf-8", errors="replace")))
    return "\n".join(parts).lower()


def is_public(kind: str, path: str) -> bool:
    """Is this field path on kb.py's allow-list of a confidential record's public view?"""
    top, _, rest = path.partition(".")
    top = top.removesuffix("[]")
    allowed = QUESTION_PUBLIC if kind == "question" else DATASET_PUBLIC
    if top not in allowed:
        return False
    return top != "sharing" or rest.split(".")[0] in SHARING_PUBLIC


def marker_filler(markers: dict[str, str]):
    def fill(kind: str, path: str, max_length: int, current: Any) -> str | None:
        if is_public(kind, path):
            return None
        marker = f"zzmark{len(markers)}z"
        markers[marker] = f"{kind}.{path}"
        if path == "mockup.sentence":
            return "In {top_pct} of locations " + marker
        if f"{kind}.{path}" in EXPRESSION_FIELDS:  # must parse: the marker as a text literal
            return '. != "' + marker + '"'
        return marker

    return fill


@pytest.fixture(scope="module")
def marked(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """The small kb with a marker in every non-public field of its confidential question and
    dataset, built public and internal."""
    root = tmp_path_factory.mktemp("marked")
    kb = root / "kb"
    shutil.copytree(SMALL_KB, kb)
    add_process_records(kb)
    markers: dict[str, str] = {}
    qfile = kb / "questions/protection/protection-incidents.yml"
    # The restricted need the confidential question serves, and a use-review entry about it.
    need_file = kb / "needs/incident-areas.yml"
    rewrite_record(need_file, "need", Need, marker_filler(markers))
    # A served need shows no unmet_reason anywhere: take it (and its marker) out again.
    need = yaml.safe_load(need_file.read_text(encoding="utf-8"))
    markers.pop(need.pop("unmet_reason"))
    write_record(need_file, need)
    review = kb / "use-reviews/round-2.yml"
    review.write_text(review.read_text(encoding="utf-8")
                      .replace("question: protection-incidents", f"question: {SECRET_ID}")
                      .replace("SECRET-USEREVIEW protection analysis update.", "zzmarkurz"),
                      encoding="utf-8")
    markers["zzmarkurz"] = "use-review.entries[].used_for"
    fb = kb / "feedback/r2-incidents.yml"
    rewrite_record(fb, "feedback", Feedback, marker_filler(markers))
    fb.write_text(fb.read_text(encoding="utf-8").replace(
        "question: protection-incidents", f"question: {SECRET_ID}"), encoding="utf-8")
    product = kb / "products/r2-incidents.yml"
    rewrite_record(product, "product", Product, marker_filler(markers))
    product.write_text(product.read_text(encoding="utf-8").replace(
        "dataset: protection-confidential", f"dataset: {SECRET_DATASET_ID}"), encoding="utf-8")
    dfile = kb / "datasets/protection-confidential.yml"
    rewrite_record(qfile, "question", Question, marker_filler(markers))
    rewrite_record(dfile, "dataset", Dataset, marker_filler(markers))
    # Fields that are not free text: the id (it names the topic) and option codes.
    q = yaml.safe_load(qfile.read_text(encoding="utf-8"))
    q["id"] = SECRET_ID
    for i, option in enumerate(q["options"]):
        option["code"] = f"zzmark_code{i}"
        markers[f"zzmark_code{i}"] = "question.options[].code"
    # An "other, specify" option, so that the follow-up's label (specify_label) is shown.
    q["options"][-1]["other"] = True
    markers[SECRET_ID] = "question.id"
    qfile.unlink()
    write_record(qfile.with_name(f"{SECRET_ID}.yml"), q)
    d = yaml.safe_load(dfile.read_text(encoding="utf-8"))
    d["questions"] = [SECRET_ID]
    d["id"] = SECRET_DATASET_ID  # (a link is refused on a confidential dataset by validation)
    markers[SECRET_DATASET_ID] = "dataset.id"
    dfile.unlink()
    write_record(dfile.with_name(f"{SECRET_DATASET_ID}.yml"), d)
    build_site(kb, root / "public", project=ROOT)
    build_site(kb, root / "internal", project=ROOT, internal=True)
    return root / "public", root / "internal", markers


def test_no_marker_of_a_confidential_record_in_the_public_build(
    marked: tuple[Path, Path, dict[str, str]]
) -> None:
    public, _, markers = marked
    everything = all_text(public)
    leaked = {m: f for m, f in markers.items() if re.search(re.escape(m) + r"(?![0-9])",
                                                             everything)}
    assert leaked == {}
    kinds = {f.split(".")[0] for f in markers.values()}
    assert kinds == {"question", "dataset", "need", "use-review", "feedback", "product"}
    assert len(markers) >= 25
    # the notice is there, with what is public: the contact to ask
    assert "protection-imo@example.org" in everything
    assert "restricted question 1 (protection)" in everything
    # The comparison across countries (mkdocs.yml compare_with) is searched too.
    assert "comparison across countries" in all_text(public / "comparison")


def test_the_markers_are_there_to_find(marked: tuple[Path, Path, dict[str, str]]) -> None:
    """The internal build shows the fields, so the test above looks for real text."""
    _, internal, markers = marked
    everything = all_text(internal)
    # A question's website translations (purpose, use... in translations.<lang>) show only
    # in that language's build: test_i18n_records checks a confidential one stays out of
    # every language's public build.
    site_only = {f"question.translations.*.{f}" for f in
                 ("information_need", "purpose", "use", "enumerator_notes", "unit")}
    missing = {m: f for m, f in markers.items() if m not in everything and f not in site_only}
    assert missing == {}


def test_confidential_dap_rows_hold_only_public_columns(
    marked: tuple[Path, Path, dict[str, str]]
) -> None:
    public, _, _ = marked
    csv = pd.read_csv(public / "dap/data-analysis-plan.csv", encoding="utf-8-sig",
                      keep_default_na=False)
    xlsx = pd.read_excel(public / "dap/data-analysis-plan.xlsx", keep_default_na=False)
    for frame in (csv, xlsx):
        row = frame[frame["ID"] == "restricted-1"].iloc[0].to_dict()
        shown = {k: v for k, v in row.items() if v != ""}
        assert shown == {"ID": "restricted-1", "Sector": "Protection",
                         "Question": "Restricted question 1 (Protection)",
                         "Sharing": "Confidential (MoU)", "Shared with": "Protection"}


def test_partner_pages_do_not_list_restricted_questions(
    marked: tuple[Path, Path, dict[str, str]]
) -> None:
    """Who requested and who analyses a confidential question is not public."""
    public, internal, _ = marked
    page = (public / "partners/protection-cluster/index.html").read_text(encoding="utf-8")
    assert "restricted-1" not in page
    page = (internal / "partners/protection-cluster/index.html").read_text(encoding="utf-8")
    assert SECRET_ID in page


# --- ids and partner records in the sample kb -------------------------------------------

SAMPLE = load_or_raise(SAMPLE_KB)
CONFIDENTIAL = [q for q in SAMPLE.questions.values() if q.is_confidential]


def test_sample_kb_has_confidential_questions_in_several_sectors() -> None:
    assert len(CONFIDENTIAL) >= 5
    assert len({q.sector for q in CONFIDENTIAL}) >= 3
    assert "gbv-unsafe-areas" in {q.id for q in CONFIDENTIAL}


def test_no_confidential_id_or_restricted_need_in_the_public_sample_site(
    sample_site: Path
) -> None:
    everything = all_text(sample_site)
    assert [q.id for q in CONFIDENTIAL if q.id in everything] == []
    datasets = [d.id for d in SAMPLE.datasets.values() if d.is_confidential]
    assert "msla-r6-tenure-eviction" in datasets  # "eviction": ids name topics
    assert [d for d in datasets if d in everything] == []
    assert "#restricted-dataset-1" in everything
    assert "women and girls avoid because they feel unsafe" not in everything
    page = (sample_site / "questions/gbv/restricted-1/index.html").read_text(encoding="utf-8")
    assert "<title>Restricted question 1 (" in page


def test_restricted_need_is_in_the_internal_view_only() -> None:
    """The sample's partner needs are need records (kb/needs/) since issue #11; the one a
    confidential question serves is restricted."""
    internal = load_or_raise(SAMPLE_KB, internal=True).public_view()
    assert internal.needs["gbv-unsafe-areas"].restricted
    public = SAMPLE.public_view()
    assert "gbv-unsafe-areas" not in public.needs
    assert {q.id for q in CONFIDENTIAL} <= set(internal.needs)
    assert not {q.id for q in CONFIDENTIAL} & set(public.needs)
    assert not [e for r in public.use_reviews.values() for e in r.entries
                if e.question in {q.id for q in CONFIDENTIAL}]


def test_information_needs_accept_text_or_a_marked_need() -> None:
    p = Partner.model_validate({"id": "x", "name": "X", "type": "ngo", "information_needs": [
        "Plain need.", {"need": "Sensitive need.", "restricted": True}, {"need": "Other."}]})
    assert p.information_needs[1].restricted and not p.information_needs[2].restricted
    with pytest.raises(ValueError):
        Partner.model_validate({"id": "x", "name": "X", "type": "ngo",
                                "information_needs": [{"need": "x", "restrict": True}]})


def test_handles_are_numbered_per_sector_in_kb_order() -> None:
    qs = [make_question("a-1", sector="protection", sharing={"modality": "public"}),
          make_question("b-1", sector="protection", sharing=CONF),
          make_question("c-1", sector="gbv", sharing=CONF),
          make_question("d-1", sector="protection", sharing=CONF)]
    assert restricted_handles(qs) == {"b-1": "restricted-1", "c-1": "restricted-1",
                                      "d-1": "restricted-2"}
    # a handle never takes a real question's id
    qs.append(make_question("restricted-1", sector="wash"))
    assert restricted_handles(qs)["b-1"] == "restricted-2"


def test_confidential_datasets_are_numbered_in_kb_order() -> None:
    view = SAMPLE.public_view()
    confidential = [d for d in view.datasets.values() if d.is_confidential]
    assert [d.id for d in confidential] == [f"restricted-dataset-{i}"
                                            for i in range(1, len(confidential) + 1)]
    assert all(d.format is None and d.frequency is None and not d.questions
               for d in confidential)


def test_handles_do_not_depend_on_the_ids() -> None:
    one = [make_question("gbv-unsafe-areas", sector="gbv", sharing=CONF)]
    two = [make_question("aaa", sector="gbv", sharing=CONF)]
    assert restricted_handles(one)["gbv-unsafe-areas"] == restricted_handles(two)["aaa"]


CONF = {"modality": "confidential", "partners": ["wash-cluster"], "agreement": "MoU",
        "contact": "imo@example.org"}


def test_a_field_added_later_is_hidden_by_default() -> None:
    class Extended(Question):
        new_note: str | None = None

    q = make_question(sharing=CONF)
    extended = Extended.model_validate({**q.model_dump(), "new_note": "zzmark-new"})
    public = redact_question(extended, "restricted-1", "WASH")
    assert public.new_note is None
    assert "zzmark-new" not in repr(public)
    assert public.sharing.contact == "imo@example.org" and public.sharing.agreement is None


def test_a_required_field_without_a_stand_in_is_refused() -> None:
    """A required field with no default cannot silently keep its confidential value."""
    with pytest.raises(TypeError, match="has no default"):
        public_copy(make_question(), frozenset({"sector"}), {})


def test_the_public_view_of_a_public_view_is_itself() -> None:
    """Renderers take views of views (the bundle, the plugin): handles must stay put."""
    view = SAMPLE.public_view()
    assert view.public_view() is view
    assert sorted(view.questions) == sorted(view.public_view().questions)


def test_restricted_engagement_notes_are_in_the_internal_view_only() -> None:
    p = Partner.model_validate({
        "id": "x", "name": "X", "type": "ngo",
        "engagement": {"approach": "Bilateral.", "notes": "Public note.",
                       "restricted_notes": "zzmark-restricted-note"}})
    kb = replace(SAMPLE, partners={"x": p})
    public = kb.public_view().partners["x"].engagement
    assert public is not None and public.notes == "Public note."
    assert "zzmark" not in repr(kb.public_view().partners["x"])
    internal = replace(kb, internal=True).public_view().partners["x"].engagement
    assert internal is not None and internal.notes == "Public note.\n\nzzmark-restricted-note"
