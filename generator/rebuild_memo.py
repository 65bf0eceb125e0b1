"""False answers, mock-ups and the XLSForm download, kept between `mkdocs serve` rebuilds.

An edit to one question leaves the false answers, the mock-up (sentence, chart, table) and
often the questionnaire workbook of the others as they were, yet each rebuild made them all
again (about a third of a rebuild at 1,000 questions). Each is kept by a hash of everything
it is made from, so a change of any of it is a miss and nothing kept is ever stale:

- a question's false answers: FalseAssessment.key (the country, its record and options,
  and the keys of the questions its `relevant` rule reads, recursively);
- its mock-up: those answers' key, the question as the page's language shows it, the
  country in that language, the language and the generator's code, templates and
  catalogues (the chart's words);
- the XLSForm workbook: the whole public kb it is exported from (page_memo.kb_digest and
  every question), the zip date and the generator's code. pyxform's verdict on a workbook
  is kept by its rows (xlsform/export.py).

One entry per question (the latest), so the memo never holds more than the kb does. The
MkDocs plugin keeps one RebuildMemo on its object, like its ParseMemo.

A new `mkdocs build` process starts with none of it: it reads back from the cache folder
(attach) each mock-up's sentence, chart and placeholders (JSON, in a plugin.cache.Store),
the FALSE DATA downloads (plain bytes, kept_files.py) by the content of their columns, each
column's digest kept by its answers' key (so they are found without drawing the false
assessment), and the digests of the XLSForm workbooks pyxform accepted. Their keys add to
the ones above the versions of the packages that shape them (VERSIONS) and, where the
generator's code is not in them yet, its digest; an entry of another shape is a miss,
never output. Nothing read back is ever run: data only, no pickles.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import page_memo

if TYPE_CHECKING:
    from .kb import KnowledgeBase
    from .kept_files import KeptFiles
    from .mockup import MockupResult
    from .mockup.assessment import FalseAssessment, KeptAnswers
    from .models import Question


@dataclass
class RebuildMemo:
    answers: KeptAnswers = field(default_factory=lambda: _kept_answers(), repr=False)
    mockups: dict[str, tuple[str, MockupResult]] = field(default_factory=dict, repr=False)
    # (key, the workbook's bytes or the ExportError's message): the latest export only.
    xlsform: tuple[str, bytes | str] | None = field(default=None, repr=False)
    # (key, bytes) of the latest XLSForm file written, by its rows (workbook).
    workbook_kept: tuple[str, bytes] | None = field(default=None, repr=False)
    workbook_hit: bool = False
    # Hashes of false-data columns by their answers' key (page_memo.false_downloads).
    false_hashes: dict[str, bytes] = field(default_factory=dict, repr=False)
    # Reused / made by the current (or last) build: for tests and benchmarks.
    mockup_hits: int = 0
    mockup_misses: int = 0
    xlsform_hit: bool = False
    # The cache folder (attach): mock-ups (a plugin.cache.Store) and downloads.
    stored: Any = field(default=None, repr=False)
    files: KeptFiles | None = field(default=None, repr=False)
    downloads_hit: bool = False  # the FALSE DATA files were read back from the cache folder
    # The FALSE DATA files of the last build, by their key in the cache folder.
    false_kept: tuple[str, tuple[dict[str, bytes], bytes]] | None = field(default=None,
                                                                           repr=False)

    def start(self) -> None:
        self.mockup_hits = self.mockup_misses = 0
        self.xlsform_hit = self.downloads_hit = self.workbook_hit = False

    def attach(self, stored: Any, files: KeptFiles | None) -> None:
        """Read back from (and keep in) the cache folder what memory does not hold."""
        self.stored, self.files = stored, files

    def mockup(self, base: str, question: Question, assessment: FalseAssessment,
               make: Callable[[], MockupResult],
               known: page_memo.Digests | None = None) -> MockupResult:
        """base: mockup_base() of this build; make: draws the mock-up when none is kept;
        known: the build's record digests (the question's page key walks it too)."""
        answers = assessment.key(assessment.drawn_from(question))
        key = None if answers is None else page_memo.key(base, question, answers, known=known)
        kept = self.mockups.get(question.id)
        if key is not None and kept is not None and kept[0] == key:
            self.mockup_hits += 1
            if self.stored is not None:  # its entry in the cache folder stays too
                self.stored.used.add(disk_key("mockup", key))
            return kept[1]
        stored = self._stored_mockup(key) if key is not None else None
        if stored is not None:
            self.mockup_hits += 1
            self.mockups[question.id] = (key, stored)  # type: ignore[assignment]
            return stored
        self.mockup_misses += 1
        result = make()
        if key is not None:
            self.mockups[question.id] = (key, result)
            self._store_mockup(key, result)
        else:
            self.mockups.pop(question.id, None)
        return result

    def _stored_mockup(self, key: str) -> MockupResult | None:
        if self.stored is None:
            return None
        entry = self.stored.get(disk_key("mockup", key))
        if not (isinstance(entry, dict) and set(entry) == {"sentence", "chart", "values", "sum"}
                and type(entry["sentence"]) is str and type(entry["chart"]) is str
                and isinstance(entry["values"], dict)
                and all(type(v) is str for v in entry["values"].values())
                and entry["sum"] == checksum([entry["sentence"], entry["chart"],
                                              entry["values"]])):
            return None  # absent, damaged or not what _store_mockup writes: made again
        from .mockup import MockupResult

        return MockupResult(sentence=entry["sentence"], chart_html=entry["chart"],
                            table=None, placeholders=dict(entry["values"]))

    def _store_mockup(self, key: str, result: MockupResult) -> None:
        # Plain texts only: a translated page's str subclasses (the "not yet translated"
        # mark, i18n.localize) would come back as plain str. Those are made on each build.
        if self.stored is None or not (
                type(result.sentence) is str and type(result.chart_html) is str
                and all(type(k) is str and type(v) is str
                        for k, v in result.placeholders.items())):
            return
        values = dict(result.placeholders)
        self.stored.put(disk_key("mockup", key), {
            "sentence": result.sentence, "chart": result.chart_html, "values": values,
            "sum": checksum([result.sentence, result.chart_html, values])})

    def false_files(self, assessment: FalseAssessment, questions: list[Question],
                    make: Callable[[], tuple[dict[str, bytes], bytes]]
                    ) -> tuple[dict[str, bytes], bytes]:
        """The FALSE DATA files of questions (make: page_memo.false_downloads of their
        frames), read back from the cache folder without drawing the false assessment: by
        each column's content digest, kept by its answers' key (column_digest). An edit
        leaving the answers of every question but one as they were draws that one (and
        the questions its skip logic reads) only."""
        key = self._false_files_key(assessment, questions) if self.files is not None else None
        if key is not None and self.false_kept is not None and self.false_kept[0] == key:
            self.files.used.add(key)  # type: ignore[union-attr]
            return self.false_kept[1]  # serve: the files of the last build, in memory
        if key is not None and self.files is not None:
            files = self.files.get(key)
            if files is not None and "xlsx" in files and all(
                    n.startswith("csv/") for n in files if n != "xlsx"):
                self.downloads_hit = True
                made = {n[4:]: d for n, d in files.items() if n != "xlsx"}, files["xlsx"]
                self.false_kept = key, made
                return made
        made = make()
        if key is not None and self.files is not None:
            csvs, xlsx = made
            self.files.put(key, {**{f"csv/{level}": data for level, data in csvs.items()},
                                 "xlsx": xlsx})
            self.false_kept = key, made
        return made

    def _false_files_key(self, assessment: FalseAssessment, questions: list[Question]
                         ) -> str | None:
        from .mockup.assessment import level_name
        from .reproducible import zip_time

        levels: dict[str, dict[str, tuple[Question, str]]] = {}
        for q in questions:
            answers = assessment.key(assessment.drawn_from(q))
            if answers is None:
                return None
            # As dataset.false_frame: a later question of the same name makes the column.
            levels.setdefault(level_name(q, assessment.country), {})[q.var_name] = (
                q, answers)
        columns = []
        for level, named in levels.items():
            digests = []
            for name, (q, answers) in named.items():
                stored_key = disk_key("column", answers)
                digest = self.stored.get(stored_key) if self.stored is not None else None
                if not (isinstance(digest, str) and len(digest) == 64):
                    digest = column_digest(assessment, q)
                    if self.stored is not None:
                        self.stored.put(stored_key, digest)
                digests.append([name, digest])
            columns.append([level, digests])
        return disk_key("false-files", page_memo.templates_digest(), list(zip_time()),
                        assessment.country.model_dump_json(), assessment.units.n, columns)

    def false_columns(self, assessment: FalseAssessment, questions: list[Question]
                      ) -> tuple[dict[tuple[str, str], str], dict[str, bytes]]:
        """For page_memo.false_downloads: each question's column in the false frames
        (dataset.false_frames: its level, its var_name) by the key of its false answers,
        which the column is made from alone; and the kept column hashes (only this build's
        are kept)."""
        from .mockup.assessment import level_name

        known: dict[tuple[str, str], str] = {}
        for q in questions:
            column = (level_name(q, assessment.country), q.var_name)
            key = assessment.key(assessment.drawn_from(q))
            if key is None:
                known.pop(column, None)
            else:  # a later question of the same name makes the column (false_frame)
                known[column] = f"column\0{column[0]}\0{column[1]}\0{key}"
        used = set(known.values())
        for stale in self.false_hashes.keys() - used:
            del self.false_hashes[stale]
        return known, self.false_hashes

    def export(self, kb: KnowledgeBase, make: Callable[[], bytes],
               error: type[Exception], known: page_memo.Digests | None = None) -> bytes:
        """The XLSForm workbook of kb (make), or the `error` it raised, kept by kb; known:
        the build's record digests (each question's is made once, for its page)."""
        from .reproducible import zip_time

        # Without the digests, the questions as JSON dumps: every field, at a tenth of
        # page_memo.plain's cost.
        questions: Any = kb.questions if known is not None else [
            [k, type(q).__qualname__, q.model_dump_json()] for k, q in kb.questions.items()]
        key = page_memo.key(page_memo.templates_digest(), list(zip_time()),
                            page_memo.kb_digest(kb, known), questions, kb.adoptions,
                            known=known)
        if key is not None and self.xlsform is not None and self.xlsform[0] == key:
            self.xlsform_hit = True
            kept = self.xlsform[1]
            if isinstance(kept, str):
                raise error(kept)
            return kept
        try:
            data = make()
        except error as err:
            self.xlsform = None if key is None else (key, str(err))
            raise
        self.xlsform = None if key is None else (key, data)
        return data

    def workbook(self, write: Callable[[], bytes], exact: str) -> bytes:
        """The XLSForm file (write: export.to_xlsx of its sheets), kept by its rows
        (exact: export.exact_digest of the sheets), the zip date, the code and the
        package versions (openpyxl's): the export above is kept by the whole kb, which any
        edit changes, while most edits (a purpose, a use, a mock-up) leave the form's rows,
        and so the file, as they were. Read back from the cache folder (plain bytes,
        checked against their digest) in a new process."""
        from .reproducible import zip_time

        key = disk_key("xlsform-file", page_memo.templates_digest(), list(zip_time()), exact)
        if self.workbook_kept is not None and self.workbook_kept[0] == key:
            if self.files is not None:
                self.files.used.add(key)
            self.workbook_hit = True
            return self.workbook_kept[1]
        if self.files is not None:
            files = self.files.get(key)
            if files is not None and set(files) == {"xlsx"}:
                self.workbook_kept, self.workbook_hit = (key, files["xlsx"]), True
                return files["xlsx"]
        data = write()
        if self.files is not None:
            self.files.put(key, {"xlsx": data})
        self.workbook_kept = key, data
        return data


# Packages whose versions shape what is kept in the cache folder: the false answers'
# random draws and frames, the charts' numbers and words, the XLSForm check and file.
VERSIONS = ("numpy", "pandas", "babel", "jinja2", "markupsafe", "pydantic", "pyxform",
            "openpyxl")
_versions: list[str] = []


def versions() -> list[str]:
    if not _versions:
        _versions.extend(page_memo.package_versions(VERSIONS))
    return _versions


def checksum(value: Any) -> str:
    """A JSON value's sha256, stored with it: a damaged text is a miss, never output."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def disk_key(kind: str, *parts: Any) -> str:
    """The cache folder's key of a value kept under parts: adds the package versions."""
    if all(type(p) is str for p in parts):  # most keys: made once for all the builds
        return _text_key(kind, *parts)
    return page_memo.key(f"rebuild-{kind}", versions(), *parts) or ""


@functools.lru_cache(maxsize=16384)
def _text_key(kind: str, *parts: str) -> str:
    """disk_key of texts (str itself: a subclass's key also holds its type). A build looks
    up some three thousand (each parsed file, mock-up and false-data column)."""
    return page_memo.key(f"rebuild-{kind}", versions(), *parts) or ""


def column_digest(assessment: FalseAssessment, question: Question) -> str:
    """A hash of a question's column in the false frames: its type and every cell."""
    import pandas as pd

    from .mockup.dataset import _column

    series = pd.Series(_column(assessment, question))
    cells = pd.util.hash_pandas_object(series, index=False).to_numpy().tobytes()
    return page_memo.key("column", str(series.dtype), len(series),
                         hashlib.sha256(cells).hexdigest()) or ""


def restore_xlsform_verdicts(stored: Any) -> None:
    """pyxform's verdicts of earlier builds: the digests of the workbooks it accepted
    (xlsform/export.py keeps them in memory; a refused workbook is never kept) are read back
    from the cache folder (a plugin.cache.Store), under the generator's code and pyxform's
    version, so a workbook whose bytes are unchanged is not checked again (a second at
    1,000 questions)."""
    from .xlsform import export

    accepted = getattr(export, "_ACCEPTED", None)
    entry = stored.get(_verdicts_key())
    if isinstance(accepted, set) and isinstance(entry, list):
        accepted.update(d for d in entry if isinstance(d, str) and len(d) == 64)


def keep_xlsform_verdicts(stored: Any) -> None:
    from .xlsform import export

    accepted = getattr(export, "_ACCEPTED", None)
    if isinstance(accepted, set):
        stored.put(_verdicts_key(), sorted(accepted))


def _verdicts_key() -> str:
    return disk_key("xlsform-accepted", page_memo.templates_digest())


def mockup_base(language: Any, country: Any, mockups: bool) -> str | None:
    """The part of every mock-up's key that is the same for the whole build."""
    return page_memo.key(page_memo.templates_digest(), language, country, mockups)


def _kept_answers() -> KeptAnswers:
    from .mockup.assessment import KeptAnswers  # numpy: only once a serve build needs it

    return KeptAnswers()
