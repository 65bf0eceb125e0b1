"""The library commands: search, list, adopt, update, Field Companion exports, compare; and
that nothing confidential or executable gets through them."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from support import ROOT
from test_library import ADOPTING, git, git_library, setup_country

from generator.cli import main
from generator.loader import load, load_library

LIBRARY = ROOT / "library"
CASMARIA = ROOT / "examples" / "casmaria" / "kb"
SECRET = "CASMARIA-CONFIDENTIAL-REASON"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


# --- search and list ----------------------------------------------------------------------

def test_search_finds_every_word_best_first() -> None:
    result = run("library", "search", "drinking", "water", "--kb", str(ROOT / "kb"))
    assert result.exit_code == 0, result.output
    ids = [line.split()[0] for line in result.stdout.splitlines()]
    assert all(i.startswith("wash-") for i in ids[:3])  # wording matches first
    assert "wash-water-source" in ids and "education-school-functioning" not in ids


def test_search_with_a_library_folder_and_no_match() -> None:
    result = run("library", "search", "helicopter", "--library", str(LIBRARY))
    assert result.exit_code == 0 and result.stdout == ""


def test_list_by_sector() -> None:
    result = run("library", "list", "--sector", "wash", "--library", str(LIBRARY))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    library, _ = load_library(LIBRARY)
    assert library is not None
    assert len(lines) == len(library.in_sector("wash")) and all("[wash," in x for x in lines)
    bad = run("library", "list", "--sector", "wahs", "--library", str(LIBRARY))
    assert bad.exit_code == 1 and "no sector 'wahs'" in bad.output


def test_library_validate_reports_problems(tmp_path: Path) -> None:
    assert run("library", "validate", str(LIBRARY)).exit_code == 0
    shutil.copytree(LIBRARY, tmp_path / "library")
    (tmp_path / "library" / "library.yml").write_text("id: x\n")
    result = run("library", "validate", str(tmp_path / "library"))
    assert result.exit_code == 1 and "library.yml:1" in result.output


# --- adopt ----------------------------------------------------------------------------------

def test_adopt_scaffolds_a_record_that_validates_once_filled(tmp_path: Path) -> None:
    kb = setup_country(tmp_path)
    (kb / "questions/wash/wash-water-source.yml").unlink()
    result = run("adopt", "wash-water-source", "--kb", str(kb))
    assert result.exit_code == 0, result.output
    path = kb / "questions/wash/wash-water-source.yml"
    text = path.read_text()
    # Every override is there, commented, with the library's value.
    for fld in ("text", "options", "choices", "hint", "purpose", "mockup.sentence"):
        assert f"#   {fld}:" in text, fld
    assert "# overrides:" in text and "#     reason:" in text
    _, report = load(kb)
    assert {p.code for p in report.errors} <= {"todo-left", "unknown-reference"}
    assert report.errors
    filled = (text.replace("requested_by:\n  - todo", "requested_by:\n  - wash-cluster")
              .replace("key_informant:\n  - todo", "key_informant:\n  - site-manager")
              .replace("needs:\n  - todo", "needs:\n  - wash-water-source")
              .replace("TODO why secondary data", "The water point mapping is old, and")
              .replace("TODO why key informants", "Common knowledge, and")
              .replace("TODO who confirmed", "DTM confirmed, and"))
    # Uncomment one override and give it a value and a reason.
    filled = filled.replace("# overrides:", "overrides:").replace(
        "#   hxl:\n#     value: '#indicator+water_source'\n"
        "#     reason: why partners in this country changed it",
        "  hxl:\n    value: '#indicator+water_source+idps'\n"
        "    reason: The national dataset tags IDP figures.")
    path.write_text(filled)
    kb_loaded, report = load(kb)
    assert kb_loaded is not None, report.format()
    (diff,) = kb_loaded.adoptions["wash-water-source"].differences
    assert diff.field == "hxl" and not diff.deviation


def test_adopt_refuses_unknown_ids_and_existing_files(tmp_path: Path) -> None:
    kb = setup_country(tmp_path)
    unknown = run("adopt", "wash-nothing", "--kb", str(kb))
    assert unknown.exit_code == 1 and "no question 'wash-nothing'" in unknown.output
    taken = run("adopt", "wash-water-source", "--kb", str(kb))
    assert taken.exit_code == 1 and "already exists" in taken.output
    sector = run("adopt", "wash-water-time", "--sector", "water", "--kb", str(kb))
    assert sector.exit_code == 1 and "sector 'water'" in sector.output


# --- update ---------------------------------------------------------------------------------

def test_update_of_a_git_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    git_library(tmp_path)
    decl = ("library:\n  git: ../../msla-library\n  ref: v2026.1\n  folder: library\n"
            '  version: "2026.1"\n')
    kb = setup_country(tmp_path / "c", library_decl=decl)
    result = run("library", "update", str(kb))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "from v2026.1 to v2026.2" in out
    assert "- changed: wash-water-source (breaks comparability)" in out
    assert "options" in out and "Adopted questions to review:" in out
    assert "- wash-water-source (adopts wash-water-source)" in out
    # An unaffected country question is not listed for review.
    assert "- wash-water-time (adopts" not in out


def test_update_of_a_library_folder_pinned_by_tag(tmp_path: Path) -> None:
    kb = setup_country(tmp_path)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "library")
    git(tmp_path, "commit", "-qm", "library 2026.1")
    git(tmp_path, "tag", "v2026.1")
    q = tmp_path / "library/questions/health/health-facility-functioning.yml"
    q.write_text(q.read_text().replace("  tier: recommended", "  tier: core"))
    result = run("library", "update", str(kb))
    assert result.exit_code == 0, result.output
    assert "- changed: health-facility-functioning\n" in result.stdout
    assert "companion.tier: recommended -> core" in result.stdout
    assert "- health-facility-functioning (adopts health-facility-functioning)" in result.stdout
    none = run("library", "update", str(kb), "--since", "v2026.9")
    assert none.exit_code == 1 and "no git ref 'v2026.9'" in none.output


# --- Field Companion exports ----------------------------------------------------------------

def _rows(xlsx: Path) -> list[list[str]]:
    import openpyxl

    sheet = openpyxl.load_workbook(xlsx).active
    return [[c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]


def test_library_companion_export(tmp_path: Path) -> None:
    result = run("library", "companion", "--library", str(LIBRARY), "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    rows = _rows(tmp_path / "field-companion.xlsx")
    library, _ = load_library(LIBRARY)
    assert library is not None
    header = rows[0]
    for column in ("Information provided", "Suggested use of results", "Suggested visualisation",
                   "How to share", "Interested sectors and organisations", "Preconditions",
                   "Recommended key informant", "Reply options and instructions",
                   "Data Dictionary tier", "HXL", "Question (fr)", "Question (ar)"):
        assert column in header, column
    assert len(rows) == 1 + len(library.questions)
    by_id = {r[1]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    water = by_id["wash-water-source"]
    assert water["Question (fr)"].startswith("Quelle est la principale source")
    assert water["Data Dictionary tier"] and water["HXL"] == "#indicator+water_source"
    page = (tmp_path / "wash-water-source.html").read_text()
    assert "Suggested visualisation" in page and "@page{size:A4" in page
    assert len(list(tmp_path.glob("*.html"))) == len(library.questions) + 1


def test_country_companion_export_hides_confidential_questions(tmp_path: Path) -> None:
    result = run("library", "companion", "--country", "--kb", str(CASMARIA),
                 "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    rows = _rows(tmp_path / "field-companion.xlsx")
    header = rows[0]
    by_id = {r[1]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert by_id["education-school-functioning"]["Deviations"].startswith("text:")
    assert by_id["wash-flood-damaged-water-points"]["Library question"] == "(country question)"
    assert "protection-movement-restrictions" not in by_id
    restricted = [r for r in by_id.values() if r["Type"] == "Restricted"]
    assert len(restricted) == 1 and "protection-im@example.org" in restricted[0]["How to share"]
    everything = [p.read_bytes() for p in tmp_path.glob("*.html")]
    with zipfile.ZipFile(tmp_path / "field-companion.xlsx") as z:
        everything += [z.read(n) for n in z.namelist()]
    for blob in everything:
        for secret in (SECRET, b"militia", b"movement-restrictions", b"Casmaria protection data"):
            secret = secret.encode() if isinstance(secret, str) else secret
            assert secret not in blob


# --- compare ----------------------------------------------------------------------------------

def test_compare_two_countries(tmp_path: Path) -> None:
    page = tmp_path / "compare.html"
    result = run("compare", str(ROOT / "kb"), str(CASMARIA), "--html", str(page))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "| Sector | Republic of Veloria | Republic of Casmaria |" in out
    assert "| Water, Sanitation and Hygiene | 6 / 1 / 0 | 3 / 1 / 1 |" in out
    assert "| Protection | 3 / 0 / 0 (+2) | 0 / 0 / 0 (+1) |" in out
    html = page.read_text()
    assert "education-school-functioning" in html and "deviation" in html
    for secret in (SECRET, "militia", "movement-restrictions"):
        assert secret not in out and secret not in html


def test_compare_escapes_record_text(tmp_path: Path) -> None:
    kb = setup_country(tmp_path, ADOPTING)
    country = kb / "country.yml"
    country.write_text(country.read_text().replace(
        "name: Republic of Veloria", "name: <script>alert(1)</script>Veloria"))
    page = tmp_path / "compare.html"
    assert run("compare", str(kb), "--html", str(page)).exit_code == 0
    assert "<script>alert(1)" not in page.read_text()
    assert "&lt;script&gt;alert(1)" in page.read_text()


def test_diff_reads_the_library_as_it_was(tmp_path: Path) -> None:
    """toolkit diff extracts the kb at a ref: the library beside it comes too."""
    kb = setup_country(tmp_path)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "kb", "library")
    git(tmp_path, "commit", "-qm", "start")
    path = kb / "questions/wash/wash-water-source.yml"
    path.write_text(path.read_text().replace("Drinking water only, not water for washing.",
                                             "Drinking water only."))
    result = run("diff", "HEAD", str(kb))
    assert result.exit_code == 0, result.output
    assert "could not be read" not in result.output
    assert "wash-water-source" in result.stdout and "hint" in result.stdout


def test_xlsform_import_never_writes_into_an_adopted_question(tmp_path: Path) -> None:
    import io

    import openpyxl

    from generator.loader import load_or_raise
    from generator.xlsform.export import export_xlsform
    from generator.xlsform.import_ import import_xlsform

    kb = tmp_path / "kb"
    shutil.copytree(ROOT / "kb", kb)
    shutil.copytree(LIBRARY, tmp_path / "library")
    book = openpyxl.load_workbook(io.BytesIO(export_xlsform(load_or_raise(kb))))
    survey = book["survey"]
    header = [c.value for c in survey[1]]
    name, label = header.index("name"), next(i for i, h in enumerate(header)
                                             if str(h).startswith("label"))
    row = next(r for r in survey.iter_rows(min_row=2) if r[name].value == "wash_water_source")
    row[label].value = "Where do IDPs here get their drinking water?"
    form = tmp_path / "form.xlsx"
    book.save(form)
    before = (kb / "questions/wash/wash-water-source.yml").read_text()
    result = import_xlsform(form, kb)
    assert any("wash-water-source.text (adopted from library question" in k
               for k in result.kept), result.kept
    assert (kb / "questions/wash/wash-water-source.yml").read_text() == before
