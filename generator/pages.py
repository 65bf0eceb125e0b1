"""Render the knowledge base into Markdown pages with front matter (engine-agnostic)."""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cache, cached_property, lru_cache, partial
from typing import TYPE_CHECKING, Any

import yaml
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from . import process_pages
from .dap import dap_csv, dap_frame, dap_xlsx
from .i18n.catalog import N_, translations
from .i18n.languages import find, source_language
from .i18n.localize import localize
from .i18n.numbers import localize_value, localize_values, with_digits
from .kb import HANDLE_PREFIX, KnowledgeBase, kept_view
from .labels import LABELS
from .library.compare import Comparison
from .mockup import (
    MOCKUP_LABEL,
    MockupResult,
    assessment_for,
    build_mockup,
    chart_marker,
    label_html,
)
from .mockup.dataset import (
    LEVEL_FILES,
    false_frames,
    file_stem,
    level_suffix,
)
from .mockup.sentence import fill
from .models import Partner, Question, Sector
from .questionnaire import FormSection, SiteForm, Words, site_form
from .safe_text import Typography, cell, escape_html, escape_md, french_spaces

if TYPE_CHECKING:
    from . import page_memo
    from .mockup.results import Words as ChartWords

NO_SEARCH = {"exclude": True}
# libyaml's emitter when PyYAML has it: the pure-Python one was a quarter of the plugin's time.
SAFE_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@dataclass(frozen=True)
class Page:
    path: str  # docs-relative, e.g. questions/wash/wash-water-source.md
    content: str | bytes
    source: str | None = None  # kb file the page is made from (for "edit this record")


@dataclass(frozen=True)
class Options:
    edit_url: str | None = None  # base URL that a kb-relative path is appended to
    mockups: bool = True
    # Write an HTML-comment marker where each chart goes, for the plugin to fill in after
    # Markdown: charts are the bulk of a question page's HTML, and Python-Markdown parsing
    # them twice (question page and print page) costs more than drawing them. Pages written
    # for other engines keep the charts inline.
    chart_markers: bool = False
    # The date the engagement dashboard is read at (None: SOURCE_DATE_EPOCH, else today).
    today: dt.date | None = None
    # Site language code (kb/country.yml site_languages); None: the source language.
    language: str | None = None
    # This country compared with others (plugin option compare_with): comparison.md.
    comparison: Comparison | None = None
    # Question pages kept from earlier builds, by page_memo.key: an object with get(key)
    # and put(key, markdown) (the MkDocs plugin's cache.Store).
    memo: Any = field(default=None, compare=False, repr=False)
    # False answers, mock-ups and the XLSForm kept from earlier builds of this process
    # (rebuild_memo.RebuildMemo, held by the MkDocs plugin under `mkdocs serve`).
    rebuild: Any = field(default=None, compare=False, repr=False)
    # The memo keys' record digests kept from earlier builds (page_memo.Digests, `mkdocs serve`).
    digests: Any = field(default=None, compare=False, repr=False)


# How each language spaces its punctuation, applied to every text a page prints in it.
TYPOGRAPHY: dict[str, Typography] = {"fr": french_spaces}


@cache
def environment(lang: str = "en") -> Environment:
    typography = TYPOGRAPHY.get(lang.split("-")[0])
    md = partial(escape_md, typography=typography)
    env = Environment(
        # _("...") in templates: the generator's words through the gettext catalogue. The
        # old-style (plain str) gettext, so finalize escapes translated words like any value.
        extensions=["jinja2.ext.i18n"],
        loader=PackageLoader("generator", "templates"),
        undefined=StrictUndefined,
        finalize=md,  # every printed value is inert Markdown unless marked Markup
        # On so that macro output is Markup (not escaped twice); finalize does the escaping.
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["cell"] = partial(cell, typography=typography)
    env.filters["join"] = partial(join_md, typography=typography)
    # A translated sentence around generated links: `(_("... %(links)s")|md) % {...}` keeps
    # the links (Markup) and escapes the sentence.
    env.filters["md"] = md
    # Attribute values in raw HTML (filter data-* attributes, option values): quotes too.
    env.filters["attr"] = lambda value: Markup(escape_html(value))
    env.tests["contains"] = lambda seq, item: item in seq
    catalogue = translations(lang)
    env.install_gettext_translations(catalogue, newstyle=False)  # type: ignore[attr-defined]
    env.globals["L"] = {k: catalogue.gettext(v) for k, v in LABELS.items()}
    env.globals["MOCKUP_LABEL"] = catalogue.gettext(MOCKUP_LABEL)
    env.globals["FEEDBACK_STATUS"] = {k: catalogue.gettext(v)
                                      for k, v in process_pages.FEEDBACK_STATUS.items()}
    return env


# posixpath.relpath asks the OS for the working directory on each call: 20,000 links at
# 1,000 questions, mostly the same few targets from the same folders.
_relpath = lru_cache(maxsize=8192)(posixpath.relpath)


def join_md(items: object, sep: str = ", ", typography: Typography | None = None) -> Markup:
    """Jinja's join escapes only HTML; record items also need their Markdown made inert."""
    return Markup(sep).join(escape_md(i, typography) for i in items)  # type: ignore[attr-defined]


def question_path(q: Question) -> str:
    return f"questions/{q.sector}/{q.id}.md"


def partner_path(pid: str) -> str:
    return f"partners/{pid}.md"


def sector_path(sid: str) -> str:
    return f"questions/{sid}/index.md"


def summary(text: str, limit: int = 160) -> str:
    """Text on one line, at most limit characters: cut at a word boundary, with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]  # room for the ellipsis
    if flat[limit - 1] != " " and " " in cut:
        cut = cut[: cut.rfind(" ")]  # the last word did not fit whole: drop it
    return cut.rstrip(" ,;:-–—") + "…"


PROPOSAL = N_("Proposal, not agreed")
# mockup.MOCKUP_LABEL, marked here for the catalogue (tests/test_i18n_catalog.py checks
# that the two agree).
MOCKUP_MESSAGE = N_("MOCK-UP: illustrative false data")
# The limits below keep every page that holds many questions at about one sector's worth
# (some 60 questions at 1,000): under `mkdocs serve` a one-question edit then converts only
# small pages again (issue #13), while a kb the size of the sample (85 questions) keeps
# its whole pages, which read best at that size.
# Agreed questions up to which the whole plan also prints on one page (about 2.5 KB each).
PRINT_WHOLE_MAX = 300
# Agreed questions of one sector per print page (about 4.5 KB each with its chart).
PRINT_PART_MAX = 150
# Listed questions (agreed and proposed) up to which the on-screen plan is one page (about
# 1.1 KB each: 5.6 MB at 5,000); beyond, one page per sector and a sector table.
DAP_WHOLE_MAX = 300
# Rows (a question once per partner that requested it) up to which "Questions by partner"
# lists them all (about 430 bytes each).
BY_PARTNER_MAX = 300
# Questions up to which "Questions by status" lists them all (about 300 bytes each: 1.5 MB
# at 5,000); beyond, a table of the sectors with their counts per status.
BY_STATUS_MAX = 300
# Questions up to which a partner's page lists all of its questions (about 280 bytes each:
# DTM's page was 1.4 MB at 5,000); beyond, a sector table linking one page per sector.
PARTNER_QUESTIONS_MAX = 150
# Numbered questions up to which the questionnaire and its print view are one page each
# (1.07 MB at 5,000 questions); beyond, one page per section of each.
QUESTIONNAIRE_WHOLE_MAX = 300
# Tagged entries (a page once per tag) up to which the tags page lists them all under one
# Material listing (about 190 bytes each: 1.3 MB at 5,000 questions); beyond, each tag has
# a page of its own (a listing of that tag) and the tags page a table of them.
TAGS_WHOLE_MAX = 300
# Questions on all review sheets of the workshop pack up to which it is one page (about
# 2.7 KB each with its chart); beyond, a partner's sheet has pages of its own, with at most
# WORKSHOP_PART_MAX questions each.
WORKSHOP_WHOLE_MAX = 300
WORKSHOP_PART_MAX = 75


def listing_directive(tag: str) -> str:
    """Material's listing of one tag. Its options are YAML: JSON with every non-ASCII
    character and < > escaped, so no tag name can end the HTML comment or add an option."""
    options = json.dumps({"include": [tag]}).replace("<", "\\u003c").replace(">", "\\u003e")
    return f"<!-- material/tags {options} -->"


# The tags page's listing of every tag (Material's directive without options).
ALL_TAGS = re.compile(r"<!--\s*material/tags\s*-->")


def tags_page_with_index(text: str, index: str) -> str | None:
    """The project's tags page with `index` (SiteRenderer.tags_index) in place of its
    listing of every tag; None if it has no such listing (then it stays as written)."""
    if not ALL_TAGS.search(text):
        return None
    return ALL_TAGS.sub(lambda _m: index, text, count=1)


def partner_sector_path(pid: str, sid: str) -> str:
    # Under sectors/: a sector with the id "index" would otherwise be the partner's page.
    return f"partners/{pid}/sectors/{sid}.md"


def dap_sector_path(sid: str) -> str:
    return f"dap/sector/{sid}.md"


def front_matter(**meta: object) -> str:
    """Front matter with every string HTML-escaped: Material prints title, description and
    tags raw (in <title>, the header, the nav, meta tags and the search index), so escaping
    here, for every key, keeps any record value a caller passes from becoming markup."""
    clean = {k: _escape_meta(v) for k, v in meta.items() if v not in (None, [], "", {})}
    dumped = yaml.dump(clean, Dumper=SAFE_DUMPER, allow_unicode=True, sort_keys=False)
    return "---\n" + dumped + "---\n\n"


def _typeset(value: object, typography: Typography) -> object:
    if isinstance(value, str) and getattr(value, "mark", None) is None:
        return typography(value)
    if isinstance(value, list):
        return [_typeset(v, typography) for v in value]
    return value


def _escape_meta(value: object) -> object:
    if isinstance(value, str):
        return escape_html(value)
    if isinstance(value, list):
        return [_escape_meta(v) for v in value]
    if isinstance(value, dict):
        return {k: _escape_meta(v) for k, v in value.items()}
    return value


# How the questionnaire pages name each unit of analysis.
UNIT_WORDS = {"location": N_("location"), "site": N_("site"),
              "key_informant": N_("key informant"), "household": N_("household"),
              "individual": N_("person")}


TIER_WORDS = {"core": N_("core"), "core_camp": N_("core for camp-like settings"),
              "optional": N_("optional"), "recommended": N_("recommended by global experts"),
              "mission": N_("requested by the mission")}


def _filters(kb: KnowledgeBase, listed: list[Question],
             involved: dict[str, list[str]]) -> dict[str, list[tuple[str, str]]]:
    """The Data Analysis Plan filter's choices: the values the listed questions have."""
    used = {p for q in listed for p in involved[q.id]}
    return {
        "partner": sorted(((p.id, p.label) for p in kb.partners.values() if p.id in used),
                          key=lambda item: item[1].casefold()),
        "status": [(v, LABELS[v]) for v in ("agreed", "proposed")
                   if any(q.status == v for q in listed)],
        "sharing": [(v, LABELS[v]) for v in ("public", "confidential", "urgent-action")
                    if any(q.sharing.modality == v for q in listed)],
    }


def _counts(questions: list[Question]) -> dict[str, int]:
    """Questions by status and by sharing modality, for the plan's sector table."""
    counts = dict.fromkeys(("agreed", "proposed", "public", "confidential", "urgent-action"), 0)
    for q in questions:
        counts[q.status] += 1
        counts[q.sharing.modality] += 1
    return counts


def only(values: dict[str, Any], questions: list[Question]) -> dict[str, Any]:
    """A per-question mapping cut to the questions a listing holds (its memo key)."""
    return {q.id: values[q.id] for q in questions if q.id in values}


def _num(value: float) -> str:
    return f"{int(value):,}" if value == int(value) else f"{value:,}"


class SiteRenderer:
    def __init__(self, kb: KnowledgeBase, options: Options) -> None:
        # The language first (translations replace texts, or mark them untranslated), then
        # the public view: redaction removes translated confidential texts like the others.
        self.language = find(kb.country, options.language)
        self.env = environment(self.language.code)
        self.tags_index: str | None = None  # set by tag_pages in a large kb
        self._ = self.env.globals["gettext"]
        source = kb
        self.source_kb = kb.public_view()  # the XLSForm download is the same in every language
        kb = localize(kb, self.language, self._("not yet translated"))
        # Everything below works on the public view: confidential fields are already gone.
        self.kb = self._restricted_titles(kb.public_view())
        self.options = options
        self.ki_labels = {k.id: k.label for k in self.kb.country.msla.key_informant_types}
        self.mockups: dict[str, MockupResult] = {}
        # The false assessment is drawn on the whole kb (skip logic may refer to any
        # question); only what the public view shows is drawn as charts or downloadable.
        # From the source records: the same false results in every language.
        rebuild = options.rebuild
        self.assessment = assessment_for(
            source, rebuild.answers if rebuild is not None else None) if options.mockups else None
        self.false_data: str | None = None
        self._memo_base: list[object] | None = None  # page_memo key parts shared by all pages
        self._mockup_base: str | None = None  # rebuild_memo.mockup_base
        self._digests: page_memo.Digests | None = None  # of the records the memo keys hold
        self._positions: page_memo.Positions | None = None  # for questions_slice
        if self.assessment is not None:
            self.false_data = f"false-data/{file_stem(self.assessment)}"
            for q in self.kb.questions.values():
                if not (q.is_confidential and not self.kb.internal):
                    self.mockups[q.id] = self._mockup(q)

    def _restricted_titles(self, kb: KnowledgeBase) -> KnowledgeBase:
        """A restricted question's title in the page's language (kb.restricted_title)."""
        if kb.internal:
            return kb
        title = self._("Restricted question %(number)s (%(sector)s)")

        def titled(q: Question) -> Question:
            if not q.is_confidential:
                return q
            text = title % {"number": q.id.removeprefix(HANDLE_PREFIX),
                            "sector": kb.sectors[q.sector].name}
            # The same object in each rebuild: the page memo reuses its digest.
            return kept_view(q, lambda: q.model_copy(update={"text": text}), "titled", text)

        return replace(kb, questions={key: titled(q) for key, q in kb.questions.items()})

    @cached_property
    def chart_words(self) -> ChartWords | None:
        """The charts' words, numbers and group names in a language other than the source."""
        lang = self.language
        if lang.code == source_language(self.kb.country).code:
            return None
        from babel.dates import format_date

        from .mockup.assessment import dimension_words
        from .mockup.results import Words as ChartWords

        def localize(value: str) -> str:
            return localize_value(value, lang.locale, lang.digits)

        def month(day: dt.date) -> str:
            return with_digits(format_date(day, "LLL y", locale=lang.locale), lang.digits)

        def quarter(day: dt.date) -> str:
            return with_digits(format_date(day, "QQQ y", locale=lang.locale), lang.digits)

        return ChartWords(gettext=self._, ngettext=self.env.globals["ngettext"], localize=localize,
                     month=month, quarter=quarter,
                          dimensions=dimension_words(self.kb.country, self._))

    def _mockup(self, q: Question) -> MockupResult:
        rebuild = self.options.rebuild
        if rebuild is None or self.assessment is None:
            return self._draw_mockup(q)
        if self._mockup_base is None:
            from .rebuild_memo import mockup_base

            self._mockup_base = mockup_base(self.language, self.kb.country, True) or ""
        if not self._mockup_base:
            return self._draw_mockup(q)
        return rebuild.mockup(self._mockup_base, q, self.assessment,
                              lambda: self._draw_mockup(q), known=self.question_digests())

    def _draw_mockup(self, q: Question) -> MockupResult:
        result = build_mockup(q, self.kb.country, self.assessment, self.chart_words)
        lang = self.language
        if lang.code == source_language(self.kb.country).code or not result.placeholders:
            return result
        # The same false results, numbers written the language's way ("79 %").
        values = localize_values(result.placeholders, lang.locale, lang.digits)
        # fill() folds whitespace, no-break spaces too ("79 %" must not break): keep them
        # out of its way.
        keep = str.maketrans({"\u00a0": "\ue000", "\u202f": "\ue001"})
        back = str.maketrans({"\ue000": "\u00a0", "\ue001": "\u202f"})
        values = {k: v.translate(keep) for k, v in values.items()}
        sentence = fill(q.mockup.sentence, values).translate(back)
        same = getattr(q.mockup.sentence, "same", None)  # keep the "not yet translated" mark
        # The chart's MOCK-UP label in the page's language (its other words are the chart's).
        label = Markup('<span class="ctk-mockup-label">{}</span>').format(
            self._(MOCKUP_MESSAGE))
        return replace(result, sentence=same(sentence) if same else sentence,
                       chart_html=result.chart_html.replace(label_html(), label))

    def render(self, template: str, path: str, meta: dict[str, object], *,
               kb: KnowledgeBase | None = None, **ctx: object) -> str:
        def link(target: str) -> str:
            return _relpath(target, posixpath.dirname(path) or ".")

        body = self.env.get_template(template).render(
            kb=self.kb if kb is None else kb,
            link=link, qpath=question_path, ppath=partner_path, spath=sector_path,
            edit=self.edit_link, ki_labels=self.ki_labels, false_data=self.false_data, **ctx,
        )
        typography = TYPOGRAPHY.get(self.language.code.split("-")[0])
        if typography is not None:  # titles in the nav and <title> wrap too
            meta = {k: _typeset(v, typography) for k, v in meta.items()}
        return front_matter(**meta) + body

    def chart_block(self, qid: str) -> Markup | None:
        if qid not in self.mockups:
            return None
        if self.options.chart_markers:
            return Markup(chart_marker(qid))
        return Markup(self.mockups[qid].chart_html)

    def charts(self) -> dict[str, str]:
        """Question id -> chart HTML, for filling the markers in."""
        return {qid: m.chart_html for qid, m in self.mockups.items()}

    def edit_link(self, kind: str, rid: str = "") -> str | None:
        src = self.kb.source(kind, rid)
        if not (src and self.options.edit_url):
            return None
        return self.options.edit_url.rstrip("/") + "/" + src

    def pages(self) -> Iterator[Page]:
        kb = self.kb
        yield Page("index.md", self.render("home.md.j2", "index.md", {"title": kb.country.name}))
        yield Page("country.md", self.render("country.md.j2", "country.md",
                                             {"title": self._("Country set-up and methodology")}),
                   kb.source("country", ""))
        yield Page("process.md", self.render("process.md.j2", "process.md",
                                             {"title": self._("Process and roles")}),
                   kb.source("process", ""))
        yield Page("checklist.md", self.render("checklist.md.j2", "checklist.md",
                                               {"title": self._("Report and dataset checklist")}),
                   kb.source("checklist", ""))
        yield Page("datasets.md", self.render("datasets.md.j2", "datasets.md",
                                              {"title": self._("Datasets and data sharing")}))
        yield from self.question_pages()
        yield from self.partner_pages()
        yield from self.dap_pages()
        yield from self.questionnaire_pages()
        for path, template, title, ctx in process_pages.page_specs(
                kb, self.options.today, self._, self.env.globals["ngettext"]):
            yield Page(path, self.render(template, path, {"title": title}, **ctx))
        if self.options.comparison is not None:
            yield self.comparison_page(self.options.comparison)

    def question_pages(self) -> Iterator[Page]:
        kb = self.kb
        yield Page("questions/index.md", self.render(
            "questions_index.md.j2", "questions/index.md",
            {"title": self._("Questions by sector")}))
        requested = {p: 0 for p in kb.partners}
        for q in kb.questions.values():
            for p in q.requested_by:
                requested[p] += 1
        # Beyond BY_PARTNER_MAX rows, "Questions by partner" is a table of the partners
        # (their pages list their questions): the one page was 2 MB at 5,000 questions.
        partner_counts = ([(p, requested[p.id]) for p in kb.partners.values() if requested[p.id]]
                          if sum(requested.values()) > BY_PARTNER_MAX else [])
        # Beyond BY_STATUS_MAX questions, "Questions by status" counts them per sector and
        # status (the sector pages list them with their status): 1.5 MB at 5,000 questions.
        status_counts: list[tuple[Sector, dict[str, int]]] = []
        if len(kb.questions) > BY_STATUS_MAX:
            for sector in kb.sectors.values():
                counts = {s: 0 for s in ("agreed", "proposed", "dropped")}
                for q in kb.questions_in(sector.id):
                    counts[q.status] += 1
                status_counts.append((sector, counts))
        for path, template, title in (
            ("questions/by-partner.md", "questions_by_partner.md.j2", N_("Questions by partner")),
            ("questions/by-status.md", "questions_by_status.md.j2", N_("Questions by status")),
        ):
            # Listings repeat question texts: out of search, so a search lands on the
            # question itself (and the index stays small at 1,000 questions).
            yield Page(path, self.render(template, path,
                                         {"title": self._(title), "search": NO_SEARCH},
                                         partner_counts=partner_counts,
                                         status_counts=status_counts))
        for sector in kb.sectors.values():
            path = sector_path(sector.id)
            qs = kb.questions_in(sector.id)
            yield Page(path, self.listing("sector.md.j2", path, {"title": sector.name}, qs,
                                          sector=sector, questions=qs))
        tagged: dict[str, tuple[str, int]] = {}  # tag -> its page, entries
        for qkey, q in kb.questions.items():
            path = question_path(q)
            hidden = q.is_confidential and not kb.internal
            sector = kb.sectors[q.sector]
            # The sector is the tag: it is what a search hit needs to be placed. Partner tags
            # repeated three to five names on every hit; "Questions by partner" and the
            # partner pages list a partner's questions instead. A proposal is tagged too:
            # a search hit always shows its tags (the banner only when the query matches it).
            tags = [sector.name]
            if q.status == "proposed":
                tags.append(self._(PROPOSAL))
            for tag in tags:
                page, n = tagged.get(tag) or (
                    "tags/proposal.md" if tag == self._(PROPOSAL) else
                    f"tags/sector/{sector.id}.md", 0)
                tagged[tag] = (page, n + 1)
            description = None
            if not hidden:
                lead = f"{self._(PROPOSAL)}. " if q.status == "proposed" else ""
                description = summary(lead + q.purpose)
            meta = {
                "title": q.text,
                "description": description,
                "tags": tags,
                # Rank a question's own page above the overview tables that repeat its text.
                "search": None if hidden else {"boost": 2},
            }
            yield Page(path, self.question_page(
                "question_restricted.md.j2" if hidden else "question.md.j2", path, meta, qkey,
                q),
                kb.source("question", q.id))
        yield from self.tag_pages(tagged)

    def question_page(self, template: str, path: str, meta: dict[str, object], qkey: str,
                      q: Question) -> str:
        """A question page, from a slice of the kb and of the questionnaire holding this
        question alone (page_memo.py): the memo's key is the whole slice."""
        from . import page_memo

        kb = self.kb
        mockup = self.mockups.get(q.id)
        ctx: dict[str, Any] = dict(
            q=q, sector=kb.sectors[q.sector], mockup=mockup,
            needs=[kb.needs[n] for n in q.needs if n in kb.needs], chart=self.chart_block(q.id),
            **self.form_context(),
            false_suffix=level_suffix(self.assessment, q) if self.assessment else "")
        ctx["form"] = page_memo.form_slice(self.site_form, q.id)
        part = page_memo.question_slice(kb, qkey, q.id)
        key = None
        if self.options.memo is not None:
            key = page_memo.key(self.memo_base(), template, path, meta, q, part.adoptions,
                                ctx["sector"], ctx["needs"], str(ctx["chart"]), ctx["form"],
                                ctx["false_suffix"], None if mockup is None else
                                [mockup.sentence, mockup.chart_html, mockup.placeholders],
                                known=self.question_digests())
        return self._kept(key, template, path, meta, kb=part, **ctx)

    def _kept(self, key: str | None, template: str, path: str, meta: dict[str, object],
              /, **ctx: object) -> str:
        """The page's Markdown kept in the memo under key (None: not kept), or rendered
        and kept there."""
        memo = self.options.memo
        if memo is None or key is None:
            return self.render(template, path, meta, **ctx)
        kept = memo.get(key)
        if isinstance(kept, str):
            return kept
        markdown = self.render(template, path, meta, **ctx)
        memo.put(key, markdown)
        return markdown

    def memo_base(self) -> list[object]:
        """page_memo key parts shared by all pages: the generator, the kb but its
        questions, the language and the options."""
        from . import page_memo

        if self._memo_base is None:
            self._memo_base = [page_memo.templates_digest(),
                               page_memo.kb_digest(self.kb, self.question_digests()),
                               self.language.code, self.options.edit_url,
                               self.options.mockups, self.options.chart_markers,
                               str(self.options.today), self.ki_labels, self.false_data]
        return self._memo_base

    def question_digests(self) -> page_memo.Digests:
        """page_memo.Digests of the records the keys hold: each walked once for all the keys
        (under serve, once until it changes)."""
        if self._digests is None:
            from . import page_memo

            kept = self.options.digests
            self._digests = kept if kept is not None else page_memo.Digests()
            self._digests.start()
        return self._digests

    def listing(self, template: str, path: str, meta: dict[str, object],
                held: list[Question], /, **ctx: object) -> str:
        """A page listing some questions (a sector's, a part of a sheet), rendered from a
        slice of the kb holding those questions alone and kept in the memo by that slice and
        every other input (page_memo.py), so a one-question edit renders again only the
        listings that hold it. Per-question mappings in ctx must be cut to `held`
        (only()) for the key to stay narrow; `num` and `kind` are the generator's
        code (in the key's digest), any other function makes the page unkept."""
        from . import page_memo

        if self._positions is None:  # self.kb does not change while pages are made
            self._positions = page_memo.Positions(self.kb)
        part = page_memo.questions_slice(self.kb, held, self._positions)
        key = None
        if self.options.memo is not None:
            key = page_memo.key(self.memo_base(), "listing", template, path, meta,
                                part.questions, part.adoptions,
                                {k: v for k, v in ctx.items() if k not in ("num", "kind")},
                                known=self.question_digests())
        return self._kept(key, template, path, meta, kb=part, **ctx)

    def tag_pages(self, tagged: dict[str, tuple[str, int]]) -> Iterator[Page]:
        """Beyond TAGS_WHOLE_MAX entries, a page per tag holding Material's listing of that
        tag; `tags_index` is then the table the project's tags page shows instead of its
        listing of them all (the plugin puts it there)."""
        self.tags_index = None
        if sum(n for _page, n in tagged.values()) <= TAGS_WHOLE_MAX:
            return
        rows = sorted(((tag, page, n) for tag, (page, n) in tagged.items()),
                      key=lambda row: row[0].casefold())
        self.tags_index = self.env.get_template("tags_index.md.j2").render(
            rows=rows, link=lambda target: target)  # relative to tags.md at the docs root
        for tag, page, n in rows:
            yield Page(page, self.render(
                "tag.md.j2", page,
                {"title": self._("Tag: %(tag)s") % {"tag": tag}, "search": NO_SEARCH},
                # The page's tags are HTML-escaped in its front matter (front_matter), and
                # that is the name Material matches.
                tag=tag, count=n, directive=Markup(listing_directive(escape_html(tag)))))

    def partner_pages(self) -> Iterator[Page]:
        kb = self.kb
        yield Page("partners/index.md", self.render(
            "partners_index.md.j2", "partners/index.md",
            {"title": self._("Partners and engagement")}))
        # One list per partner: each question once, with the partner's role in it.
        roles: dict[str, dict[str, str]] = {p: {} for p in kb.partners}
        for q in kb.questions.values():
            for p in q.requested_by:
                roles[p][q.id] = "requested"
            for p in q.analysis.analysed_by:
                roles[p][q.id] = "both" if roles[p].get(q.id) == "requested" else "analyses"
        cover = process_pages.coverage(kb)
        for p in kb.partners.values():
            path = partner_path(p.id)
            datasets = [d for d in kb.datasets.values() if p.id in d.sharing.partners]
            questions = [q for q in kb.questions.values() if q.id in roles[p.id]]
            # Beyond PARTNER_QUESTIONS_MAX, the page has a table of the sectors with the
            # partner's counts, and each sector its page of the partner's questions.
            sectors: list[tuple[Sector, str, list[Question]]] = []
            if len(questions) > PARTNER_QUESTIONS_MAX:
                for sector in kb.sectors.values():
                    qs = [q for q in questions if q.sector == sector.id]
                    if qs:
                        sectors.append((sector, partner_sector_path(p.id, sector.id), qs))
            yield Page(path, self.listing(
                "partner.md.j2", path,
                # No tag: a partner page tagged with its own name only repeated the title.
                {"title": p.name}, questions,
                p=p, questions=questions, roles=roles[p.id], datasets=datasets,
                needs=process_pages.needs_of(kb, p, cover), sectors=sectors,
                coverage_labels={k: self._(v) for k, v in process_pages.COVERAGE.items()},
            ), kb.source("partner", p.id))
            for sector, spath, qs in sectors:
                yield Page(spath, self.listing(
                    "partner_sector.md.j2", spath,
                    {"title": self._("%(partner)s: %(sector)s") % {"partner": p.name,
                                                                  "sector": sector.name},
                     "search": NO_SEARCH}, qs,
                    p=p, sector=sector, questions=qs, roles=only(roles[p.id], qs)))

    def dap_pages(self) -> Iterator[Page]:
        kb = self.kb
        sentences = {qid: m.sentence for qid, m in self.mockups.items()}
        frame = dap_frame(kb, sentences)
        # On screen the plan also lists the proposals, marked as such, so partners see what
        # is under discussion; the downloads and the print view hold the agreed plan only.
        listed = [q for q in kb.questions.values() if q.status in ("agreed", "proposed")]
        groups = [(s, [q for q in listed if q.sector == s.id]) for s in kb.sectors.values()]
        # The partners a question concerns, for the partner filter. A confidential question
        # names only the partners it is shared with, as on its own page.
        involved: dict[str, list[str]] = {}
        for q in listed:
            ids = (q.sharing.partners if q.is_confidential and not kb.internal
                   else [*q.requested_by, *q.analysis.analysed_by])
            involved[q.id] = list(dict.fromkeys(ids))
        partners_attr = {qid: " ".join(ids) for qid, ids in involved.items()}
        filters = {"sector": [(s.id, s.name) for s, qs in groups if qs],
                   **_filters(kb, listed, involved)}
        rows = self.kb.agreed()
        print_whole = len(rows) <= PRINT_WHOLE_MAX
        print_sectors = [(s, [q for q in rows if q.sector == s.id]) for s in kb.sectors.values()]
        print_sectors = [(s, qs) for s, qs in print_sectors if qs]
        groups = [(s, qs) for s, qs in groups if qs]
        whole = len(listed) <= DAP_WHOLE_MAX
        # A sector prints on one page, or in parts of PRINT_PART_MAX questions (at 5,000
        # questions a sector's 300 printed questions with their charts passed 1 MB).
        print_paths = {s.id: [f"dap/print/{s.id}.md"] + [
            f"dap/print/{s.id}/{n}.md" for n in range(2, -(-len(qs) // PRINT_PART_MAX) + 1)]
            for s, qs in print_sectors}
        yield Page("dap/index.md", self.render(
            "dap.md.j2", "dap/index.md", {"title": kb.plan.title, "search": NO_SEARCH},
            groups=groups if whole else [], listed=listed, involved=partners_attr,
            filters=filters, agreed=kb.agreed(), sentences=sentences,
            print_whole=print_whole,
            print_sectors=[(s, [posixpath.relpath(p, "dap") for p in print_paths[s.id]])
                           for s, _ in print_sectors],
            sector_pages=[] if whole else [
                (s, posixpath.relpath(dap_sector_path(s.id), "dap"), _counts(qs))
                for s, qs in groups],
        ), kb.source("analysis-plan", ""))
        if not whole:
            # A large plan: one page per sector, each with the filter by partner, status and
            # sharing (its choices those of the sector's questions).
            for s, qs in groups:
                path = dap_sector_path(s.id)
                yield Page(path, self.listing(
                    "dap_sector.md.j2", path,
                    {"title": self._("%(title)s: %(sector)s")
                     % {"title": kb.plan.title, "sector": s.name}, "search": NO_SEARCH}, qs,
                    sector=s, questions=qs, involved=only(partners_attr, qs),
                    sentences=only(sentences, qs),
                    filters=_filters(kb, qs, involved),
                    print_paths=print_paths.get(s.id, []),
                ), kb.source("analysis-plan", ""))
        # Print views with the mock-ups (docs/assets/css/print.css), out of search since they
        # repeat the question pages: one per sector, and the whole plan on one page while
        # that page stays small (at 1,000 questions it was 2.5 MB).
        charts = {qid: self.chart_block(qid) for qid in self.mockups}
        if print_whole:
            yield Page("dap/print.md", self.render(
                "dap_print.md.j2", "dap/print.md",
                {"title": self._("%(title)s (print)") % {"title": self.kb.plan.title},
                 "search": NO_SEARCH,
                 "hide": ["navigation", "toc"]},
                rows=rows, sentences=sentences, charts=charts, sector=None, part=1, parts=[],
                total=len(rows), first=1,
            ), self.kb.source("analysis-plan", ""))
        for s, qs in print_sectors:
            paths = print_paths[s.id]
            for n, path in enumerate(paths, start=1):
                rows_n = qs[(n - 1) * PRINT_PART_MAX:n * PRINT_PART_MAX]
                title = self._("%(title)s: %(sector)s (print)") % {
                    "title": self.kb.plan.title, "sector": s.name}
                if len(paths) > 1:
                    title += ", " + self._("part %(part)s of %(parts)s") % {
                        "part": n, "parts": len(paths)}
                yield Page(path, self.listing(
                    "dap_print.md.j2", path,
                    {"title": title, "search": NO_SEARCH, "hide": ["navigation", "toc"]},
                    rows_n, rows=rows_n, sentences=only(sentences, rows_n),
                    charts=only(charts, rows_n), sector=s,
                    part=n, parts=paths, total=len(qs), first=(n - 1) * PRINT_PART_MAX + 1,
                ), self.kb.source("analysis-plan", ""))
        yield from self.workshop_pages()
        yield Page("dap/data-analysis-plan.csv", dap_csv(frame))
        yield Page("dap/data-analysis-plan.xlsx", dap_xlsx(frame, self.kb))
        if self.assessment is not None and self.false_data:
            shown = [q for q in self.kb.questions.values() if q.id in self.mockups]
            assessment = self.assessment
            rebuild = self.options.rebuild
            if rebuild is None:
                # Without the cache nothing is kept, so nothing is looked up: hashing every
                # cell for false_downloads' key was a sixth of the files' cost.
                from .mockup.dataset import false_files

                csvs, xlsx = false_files(false_frames(assessment, shown), assessment)
            else:
                from .page_memo import false_downloads

                kept = rebuild

                def make() -> tuple[dict[str, bytes], bytes]:
                    return false_downloads(false_frames(assessment, shown), assessment,
                                           *kept.false_columns(assessment, shown))
                csvs, xlsx = kept.false_files(assessment, shown, make)
            for level, data in csvs.items():  # a file per unit of analysis
                yield Page(f"{self.false_data}{LEVEL_FILES[level][0]}.csv", data)
            yield Page(f"{self.false_data}.xlsx", xlsx)


    def workshop_pages(self, whole: bool | None = None) -> Iterator[Page]:
        """The joint workshop pack: one page while its review sheets hold at most
        WORKSHOP_WHOLE_MAX questions in all (or whole=True: `toolkit workshop`'s file);
        beyond, each partner's sheet on pages of its own, WORKSHOP_PART_MAX questions each
        (the one page was 6.7 MB at 1,000 questions)."""
        kb = self.kb
        sentences = {qid: m.sentence for qid, m in self.mockups.items()}
        charts = {qid: self.chart_block(qid) for qid in self.mockups}
        context = process_pages.workshop_context(kb)
        sheets: list[tuple[Partner, list[Question]]] = context["sheets"]
        if whole is None:
            whole = sum(len(qs) for _, qs in sheets) <= WORKSHOP_WHOLE_MAX
        source = kb.source("analysis-plan", "")
        title = self._("Joint workshop pack, round %(round)s") % {"round": kb.plan.round}
        sheet_pages = []
        parts: list[tuple[str, Partner, list[Question], int, int]] = []
        if not whole:
            for p, qs in sheets:
                chunks = [qs[i:i + WORKSHOP_PART_MAX]
                          for i in range(0, len(qs), WORKSHOP_PART_MAX)]
                paths = [f"workshop/{p.id}.md" if n == 1 else f"workshop/{p.id}/{n}.md"
                         for n in range(1, len(chunks) + 1)]
                sheet_pages.append((p, len(qs), paths))
                parts += [(path, p, chunk, len(chunks), len(qs))
                          for path, chunk in zip(paths, chunks, strict=True)]
        yield Page("workshop.md", self.render(
            "workshop.md.j2", "workshop.md",
            {"title": title, "search": NO_SEARCH, "hide": ["navigation", "toc"]},
            **context, sentences=sentences, charts=charts, sheet_pages=sheet_pages,
        ), source)
        first: dict[str, int] = {}
        for i, (path, p, qs, count, total) in enumerate(parts):
            part = first.get(p.id, 0) // WORKSHOP_PART_MAX + 1
            start = first.get(p.id, 0) + 1
            first[p.id] = start - 1 + len(qs)
            previous = parts[i - 1][0] if part > 1 else None
            following = parts[i + 1][0] if part < count else None
            heading = self._("Review sheet: %(partner)s") % {"partner": p.name}
            if count > 1:
                heading += ", " + self._("part %(part)s of %(parts)s") % {"part": part,
                                                                          "parts": count}
            yield Page(path, self.listing(
                "workshop_sheet.md.j2", path,
                {"title": f"{title}: {heading}", "search": NO_SEARCH,
                 "hide": ["navigation", "toc"]}, qs,
                p=p, qs=qs, part=part if count > 1 else None, parts=count, total=total,
                first=start, previous=previous, next=following, sentences=only(sentences, qs),
                charts=only(charts, qs),
            ), source)

    @cached_property
    def site_form(self) -> SiteForm:
        return site_form(self.kb, Words(self._, self.num))

    def num(self, value: float) -> str:
        """A number of the questionnaire (ranges, skip logic) the page language's way."""
        if self.language.code == source_language(self.kb.country).code:
            return _num(value)
        return localize_value(_num(value).replace(",", ""), self.language.locale,
                              self.language.digits)

    def form_context(self) -> dict[str, object]:
        return {"form": self.site_form, "kind": lambda e: type(e).__name__, "num": self.num,
                "uoa": {k: self._(v) for k, v in UNIT_WORDS.items()},
                "tiers": {k: self._(v) for k, v in TIER_WORDS.items()}}

    def questionnaire_pages(self) -> Iterator[Page]:
        from .xlsform.export import ExportError, export_xlsform

        qn = self.kb.questionnaire
        name = f"{qn.form_id if qn and qn.form_id else self.kb.country.iso3.lower() + '_msla'}.xlsx"
        error = None
        try:
            # The public view has no confidential question: the download cannot leak one.
            # From the source-language records, whose translations fill the form's language
            # columns, whatever the language of this site.
            rebuild = self.options.rebuild
            yield Page(f"questionnaire/{name}", export_xlsform(self.source_kb)
                       if rebuild is None else rebuild.export(
                           self.source_kb, lambda: export_xlsform(
                               self.source_kb, workbook=rebuild.workbook),
                           ExportError, known=self.question_digests()))
        except ExportError as err:
            error = str(err)
        form = self.site_form
        # Beyond QUESTIONNAIRE_WHOLE_MAX questions, the page and its print view are a table
        # of the sections, each section with a page and a print page of its own.
        parts: list[tuple[FormSection, str, str, int]] = []
        if len(form.numbers) > QUESTIONNAIRE_WHOLE_MAX:
            # Each section in a folder of its own: no id can clash with print.md.
            parts = [(s, f"questionnaire/section/{s.section.id}/index.md",
                      f"questionnaire/section/{s.section.id}/print.md",
                      sum(isinstance(e, Question) for e in s.entries))
                     for s in form.sections]
        ctx = {**self.form_context(), "xlsform_file": name, "xlsform_error": error,
               "parts": parts}
        yield Page("questionnaire/index.md", self.render(
            "questionnaire.md.j2", "questionnaire/index.md",
            {"title": self._("Questionnaire"), "search": NO_SEARCH}, **ctx))
        print_title = self._("%(title)s (print)") % {"title": self._("Questionnaire")}
        yield Page("questionnaire/print.md", self.render(
            "questionnaire_print.md.j2", "questionnaire/print.md",
            {"title": print_title, "search": NO_SEARCH,
             "hide": ["navigation", "toc"]}, **ctx))
        from .page_memo import section_form

        for i, (s, path, print_path, _n) in enumerate(parts):
            one = {**ctx, "form": section_form(form, s), "parts": [], "section": s.section}
            asked = [e for e in s.entries if isinstance(e, Question)]
            # The sections in a row: a reader goes on to the next without the table.
            around = {"previous": (parts[i - 1][1], parts[i - 1][0].section.label)
                      if i > 0 else None,
                      "next": (parts[i + 1][1], parts[i + 1][0].section.label)
                      if i + 1 < len(parts) else None}
            yield Page(path, self.listing(
                "questionnaire_section.md.j2", path,
                {"title": f"{self._('Questionnaire')}: {s.section.label}",
                 "search": NO_SEARCH}, asked, **one, **around))
            yield Page(print_path, self.listing(
                "questionnaire_print.md.j2", print_path,
                {"title": f"{print_title}: {s.section.label}", "search": NO_SEARCH,
                 "hide": ["navigation", "toc"]}, asked, **one))


    def comparison_page(self, comparison: Comparison) -> Page:
        """comparison.md: the sector × country matrix of `toolkit compare`, from the same
        Comparison (library.compare.compare_kbs), in the site's language."""
        # Sector names in the site's language where this country's kb translates them.
        sectors = {sid: self.kb.sectors[sid].name if sid in self.kb.sectors else name
                   for sid, name in comparison.sectors.items()}
        rows = [(sid, name, [comparison.cells.get((sid, c)) for c in comparison.countries])
                for sid, name in sectors.items()]
        return Page(COMPARISON_PAGE, self.render(
            "comparison.md.j2", COMPARISON_PAGE,
            {"title": self._("Comparison across countries")}, comparison=comparison,
            sectors=sectors,
            rows=[r for r in rows if any(r[2])], everywhere=comparison.comparable_everywhere(),
            questions_in=lambda sid: [(lid, by) for lid, by in comparison.questions.items()
                                      if comparison.question_sector.get(lid) == sid]))


COMPARISON_PAGE = "comparison.md"


def render_site(kb: KnowledgeBase, options: Options | None = None) -> list[Page]:
    return list(SiteRenderer(kb, options or Options()).pages())
