"""Question pages' Markdown, kept by a hash of everything each one is made from.

At 1,000 questions the question pages are a third of the Markdown the generator renders,
and an edit to one question changes one of them (plus those of the questions whose skip
logic reads it). A question page is rendered from a slice of the kb holding its own
question only (and its own library adoption) and a slice of the questionnaire holding its
own number, rule and dependents: whatever the template reads is in the slice, and the key
hashes the whole slice, the generator's code, templates and catalogues, the language and
the options. A change to any of
them is a miss, so a kept page is never stale. The MkDocs plugin keeps the pages (a
plugin.cache.Store) across `mkdocs serve` rebuilds and in its cache folder between builds.
Listings of a few questions (a sector's, a partner's, a questionnaire section, a part of a
review sheet) are kept the same way, from a slice holding their questions
(SiteRenderer.listing); each record is walked once per build (Digests).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import replace
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

if TYPE_CHECKING:
    import pandas as pd

    from .kb import KnowledgeBase
    from .mockup.assessment import FalseAssessment
    from .models import Question
    from .questionnaire import FormSection, SiteForm

# Bump when what a key covers changes.
FORMAT = 1
ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


class Unstable(Exception):
    """A value without a stable text form (an object address in its repr): not kept."""


def plain(value: Any, known: Digests | None = None) -> Any:
    """A JSON-able form of a template input; Unstable for what has none. known: the digests
    of this build's frozen records, each walked once: a record's digest stands in for it."""
    if value is None or type(value) in (str, int, float, bool):
        return value
    if isinstance(value, str):
        # A text that stands in for a missing translation carries its mark (i18n.localize).
        return [type(value).__qualname__, str(value), plain(getattr(value, "__dict__", {}))]
    if isinstance(value, BaseModel):
        if known is not None:
            digest = known.digest(value)
            if digest is not None:
                return ["digest", digest]
        return _walk(value, known)
    if isinstance(value, dict):
        return [[plain(k, known), plain(v, known)] for k, v in value.items()]
    if isinstance(value, (list, tuple)):
        return [plain(v, known) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((plain(v, known) for v in value), key=repr)
    if hasattr(value, "__dataclass_fields__"):
        return [type(value).__qualname__,
                {name: plain(getattr(value, name), known)
                 for name in value.__dataclass_fields__}]
    text = repr(value)
    if ADDRESS.search(text):
        raise Unstable(text)
    return [type(value).__qualname__, text]


def _walk(record: BaseModel, known: Digests | None) -> Any:
    # Field by field, not model_dump: localized records hold such str subclasses.
    return [type(record).__qualname__, {k: plain(v, known) for k, v in record.__dict__.items()}]


class Digests:
    """The digest of each frozen record (a kb record: its fields cannot be set) that the
    keys hold, by identity: the whole walk of the record (plain), hashed the first time a
    key meets it and reused by every other key (a question is in its page, its sector's
    listing, its DAP and questionnaire parts...). Each record is kept alive while its digest
    is, so no other object can take its id. Kept across `mkdocs serve` rebuilds (the parsed
    kb's unchanged records are the same objects; an edited one is a new object): start()
    begins a build and drops what the build before did not use."""

    def __init__(self) -> None:
        self._kept: dict[int, tuple[BaseModel, str | None]] = {}
        self._before: dict[int, tuple[BaseModel, str | None]] = {}
        self.walked = 0  # records hashed (the others were reused)

    def start(self) -> None:
        self._before, self._kept = self._kept, {}
        self.walked = 0

    def digest(self, record: BaseModel) -> str | None:
        """None for a record that may change (not frozen): the key walks it."""
        if not record.model_config.get("frozen"):
            return None
        kept = self._kept.get(id(record))
        if kept is None:
            kept = self._before.pop(id(record), None)
            if kept is None:
                self.walked += 1
                try:  # its own records walked in it: a digest each cost more than their walk
                    text = json.dumps(_walk(record, None), sort_keys=True)
                except Unstable:
                    kept = (record, None)
                else:
                    kept = (record, hashlib.sha256(
                        text.encode("utf-8", "surrogatepass")).hexdigest())
            self._kept[id(record)] = kept
        if kept[1] is None:
            raise Unstable(repr(type(record)))  # its walk had no stable form: the page unkept
        return kept[1]


def templates_digest(package: Path | None = None) -> str:
    """The generator itself, byte for byte: its templates, message catalogues and code (a
    kept page made by older code must not outlive it in the cache folder). Read again
    whenever one of its files may have changed since it was last read (Jinja reloads a
    template edited during a `mkdocs serve` session): it was read seven times a build, a
    few milliseconds each. package: the generator's folder (tests give another)."""
    package = package or Path(__file__).parent
    signature = _files_signature(package)
    kept = _DIGESTS.get(package)
    if kept is not None and signature is not None and kept[0] == signature:
        return kept[1]
    h = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and _generator_file(path.relative_to(package).as_posix()):
            h.update(path.relative_to(package).as_posix().encode())
            h.update(path.read_bytes())
    digest = h.hexdigest()
    if signature is not None:
        _DIGESTS[package] = (signature, digest)
    return digest


def _generator_file(relative: str) -> bool:
    """relative: a file's path in the generator's folder, "/" between its parts."""
    return (os.path.splitext(relative)[1] in (".py", ".j2", ".po", ".pot", ".mo")
            or "templates" in relative.split("/"))


# templates_digest of a folder, with the signature of its files when it was read.
_DIGESTS: dict[Path, tuple[tuple[tuple[str, int, int, int, int], ...], str]] = {}
# A file changed less than this many nanoseconds ago may change again within the same
# tick of the file system's clock without its times changing: its folder is read again.
RECENT_NS = 2_000_000_000


def _files_signature(package: Path) -> tuple[tuple[str, int, int, int, int], ...] | None:
    """Every file templates_digest reads with its size, modification and change times and
    inode (an edit, a copy dated back or a replaced file changes one of them); None while one
    is too recent for its times to tell (RECENT_NS)."""
    now = time.time_ns()
    files = []
    for root, dirs, names in os.walk(package):
        dirs.sort()
        folder = Path(root).relative_to(package).as_posix() + "/"
        for name in sorted(names):
            if not _generator_file(folder + name):
                continue
            path = os.path.join(root, name)
            st = os.stat(path)
            if max(st.st_mtime_ns, st.st_ctime_ns) > now - RECENT_NS:
                return None
            files.append((path, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
    return tuple(files)


def kb_digest(kb: KnowledgeBase, known: Digests | None = None) -> str:
    """Everything in the kb but its questions and adoptions (each page has its own); known:
    the build's record digests."""
    parts = {name: plain(getattr(kb, name), known) for name in kb.__dataclass_fields__
             if name not in ("questions", "adoptions", "library", "root")}
    library = kb.library
    parts["library"] = None if library is None else plain(library.info, known)
    parts["root"] = str(kb.root)
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def question_slice(kb: KnowledgeBase, key: str, qid: str) -> KnowledgeBase:
    """key: the question's key in kb.questions (a restricted one's is its public handle)."""
    adopted = kb.adoptions.get(qid)
    return replace(kb, questions={key: kb.questions[key]},
                   adoptions={qid: adopted} if adopted is not None else {})


def questions_slice(kb: KnowledgeBase, questions: list[Question],
                    positions: Positions | None = None) -> KnowledgeBase:
    """The kb holding only `questions` (objects of kb.questions, under their keys there)
    and their adoptions: what a listing of them is rendered from. positions: kb's
    (Positions(kb), made once for the many listings of a build)."""
    # In kb order, once each, those of kb.questions only: a listing of a few questions
    # need not walk all of them (148 listings of 1,000 questions at each rebuild).
    at = positions if positions is not None else Positions(kb)
    found = {at.questions[id(q)][0]: at.questions[id(q)]
             for q in questions if id(q) in at.questions}
    kept = {key: q for _n, key, q in (found[n] for n in sorted(found))}
    adopted = {at.adoptions[q.id][0]: at.adoptions[q.id]
               for q in kept.values() if q.id in at.adoptions}
    return replace(kb, questions=kept,
                   adoptions={k: v for _n, k, v in (adopted[n] for n in sorted(adopted))})


class Positions:
    """Each question of a kb by identity, and each adoption by question id, with its
    position and key: for slicing the kb many times (questions_slice). The kb's mappings
    must not change while it is used."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.questions = {id(q): (n, key, q) for n, (key, q) in enumerate(kb.questions.items())}
        self.adoptions = {key: (n, key, a) for n, (key, a) in enumerate(kb.adoptions.items())}


def section_form(form: SiteForm, section: FormSection) -> SiteForm:
    """The form holding one section, with the numbers and skip logic of its questions only."""
    from .models import Question

    ids = {e.id for e in section.entries if isinstance(e, Question)}
    return replace(
        form, sections=[section],
        numbers={k: v for k, v in form.numbers.items() if k in ids},
        rules={k: v for k, v in form.rules.items() if k in ids},
        dependents={k: v for k, v in form.dependents.items() if k in ids},
        section_rules={k: v for k, v in form.section_rules.items() if k == section.section.id},
    )


def form_slice(form: SiteForm, qid: str) -> SiteForm:
    return replace(
        form, sections=[], section_rules={},
        numbers={qid: form.numbers[qid]} if qid in form.numbers else {},
        rules={qid: form.rules[qid]} if qid in form.rules else {},
        dependents={qid: form.dependents[qid]} if qid in form.dependents else {},
    )


def key(*parts: Any, known: Digests | None = None) -> str | None:
    """The memo key of a page made from parts; None (not kept) if one has no stable form."""
    try:
        text = json.dumps([FORMAT, *[plain(p, known) for p in parts]], sort_keys=True)
    except Unstable:
        return None
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


# The FALSE DATA downloads (CSV and XLSX) of the last few false frames, by the frame's
# content: editing a question's words leaves the false answers as they were, and writing
# 1.2 million cells twice was a tenth of a rebuild at 1,000 questions.
_FALSE: OrderedDict[str, tuple[dict[str, bytes], bytes]] = OrderedDict()
FALSE_KEPT = 2


def false_downloads(frames: Mapping[str, pd.DataFrame], assessment: FalseAssessment,
                    known: Mapping[tuple[str, str], str] | None = None,
                    hashes: dict[str, bytes] | None = None) -> tuple[dict[str, bytes], bytes]:
    """The CSV of each level's false frame (false_frames) and the workbook of them all.

    known: (level, column) -> a key of everything the column is made from (a question's
    false answers' key, `mkdocs serve`); hashes: the column hashes of earlier builds by that
    key, reused instead of hashing the column's cells again (and kept for the next)."""
    import pandas as pd

    from .mockup.dataset import false_files
    from .reproducible import zip_time

    c = assessment.country
    h = hashlib.sha256()
    for level, frame in frames.items():
        h.update(repr(("level", level, len(frame))).encode())
        for name in frame.columns:  # names, types and a hash of every cell's 64-bit hash
            column = frame[name]
            h.update(repr((name, str(column.dtype), len(column))).encode())
            kept = (known or {}).get((level, str(name)))
            cells = hashes.get(kept) if kept is not None and hashes is not None else None
            if cells is None:
                cells = hashlib.sha256(pd.util.hash_pandas_object(
                    column, index=False).to_numpy().tobytes()).digest()
                if kept is not None and hashes is not None:
                    hashes[kept] = cells
            h.update(cells)
    # The workbook's zip entries are dated by SOURCE_DATE_EPOCH (read when it is written).
    h.update(json.dumps([plain(c), assessment.units.n, FORMAT, list(zip_time())],
                        sort_keys=True).encode())
    key = h.hexdigest()
    made = _FALSE.get(key)
    if made is None:
        made = false_files(frames, assessment)
    _FALSE[key] = made
    _FALSE.move_to_end(key)
    while len(_FALSE) > FALSE_KEPT:
        _FALSE.popitem(last=False)
    return made


def package_versions(names: tuple[str, ...]) -> list[str]:
    """"name==version" of each installed package (the cache keys of what they shape)."""
    out = []
    for name in names:
        try:
            out.append(f"{name}=={version(name)}")
        except PackageNotFoundError:
            out.append(f"{name}==?")
    return out
