"""`toolkit bundle`: the offline zip (contents, determinism, offline check, failures).

The sample bundle is built once per session by sample_bundle() and shared with the browser
and print tests (test_bundle_browser.py, test_print.py), which import it from here.
"""

from __future__ import annotations

import functools
import hashlib
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from support import ROOT, SAMPLE_KB, SMALL_KB, copy_project, shared_build

from generator.bundle import (
    SHIM,
    VENDOR_DIR,
    BundleError,
    BundleResult,
    bundle,
    find_network_references,
    write_zip,
)
from generator.loader import load_or_raise
from generator.reproducible import DEFAULT_EPOCH


@functools.cache
def sample_bundle(base: Path) -> tuple[BundleResult, Path]:
    """The sample kb bundled and unzipped, once per test run (support.shared_build): its
    source language only (test_i18n_bundle.py bundles every language)."""
    def make(dest: Path) -> dict:
        result = bundle(SAMPLE_KB, dest / "toolkit-offline.zip", ROOT, language="en")
        with zipfile.ZipFile(result.path) as zf:
            zf.extractall(dest / "unzipped")
        return {"path": str(result.path), "size": result.size, "files": result.files,
                "seconds": result.seconds}

    dest, facts = shared_build(base, "sample-bundle", make)
    return BundleResult(Path(facts["path"]), facts["size"], facts["files"],
                        facts["seconds"]), dest / "unzipped"


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[BundleResult, Path]:
    return sample_bundle(tmp_path_factory.getbasetemp())


def toolkit(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator.cli", *args],
                          capture_output=True, text=True, cwd=ROOT)


# --- contents ---------------------------------------------------------------------------


def test_zip_holds_every_page_search_and_the_vendored_shim(sample) -> None:
    result, site = sample
    with zipfile.ZipFile(result.path) as zf:
        names = zf.namelist()
    assert result.files == len(names)
    assert result.size == result.path.stat().st_size
    for name in ("index.html", "search/search_index.js", SHIM,
                 "assets/vendor/iframe-worker/LICENSE", "dap/index.html", "dap/print.html",
                 "dap/data-analysis-plan.xlsx", "assets/css/print.css"):
        assert name in names, name
    kb = load_or_raise(SAMPLE_KB).public_view()  # confidential: under their handles
    for q in kb.questions.values():
        assert f"questions/{q.sector}/{q.id}.html" in names, q.id  # no directory URLs
    assert not any(n.endswith("/") for n in names)  # files only: no empty folders to unzip
    # Every page loads the vendored shim (relative to itself), never unpkg's.
    page = (site / "questions" / "wash" / "wash-water-source.html").read_text(encoding="utf-8")
    assert '<script src="../../assets/vendor/iframe-worker/shim.js"></script>' in page
    assert "unpkg.com" not in page


def test_vendored_shim_is_the_recorded_npm_file() -> None:
    source = (VENDOR_DIR / "iframe-worker" / "SOURCE.md").read_text(encoding="utf-8")
    recorded = re.search(r"sha256 ([0-9a-f]{64})", source)
    assert recorded, "SOURCE.md records the shim's sha256"
    shim = (VENDOR_DIR / "iframe-worker" / "shim.js").read_bytes()
    assert hashlib.sha256(shim).hexdigest() == recorded.group(1)
    assert "MIT" in source and (VENDOR_DIR / "iframe-worker" / "LICENSE").is_file()


def test_no_page_loads_anything_from_the_network(sample) -> None:
    _, site = sample
    assert find_network_references(site) == []
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" not in home and "fonts.gstatic.com" not in home
    # No repo_url: Material would fetch stars and forks from api.github.com.
    assert "md-source" not in home and 'data-md-component="source"' not in home


def test_edit_links_stay_as_plain_links(sample) -> None:
    _, site = sample
    page = (site / "questions" / "wash" / "wash-water-source.html").read_text(encoding="utf-8")
    assert re.search(r'<a [^>]*href="https://github\.com/[^"]+/kb/questions/wash/'
                     r'wash-water-source\.yml"[^>]*>Edit this record</a>', page)


def test_mockup_charts_are_in_the_bundle(sample) -> None:
    _, site = sample
    page = (site / "questions" / "wash" / "wash-water-source.html").read_text(encoding="utf-8")
    assert 'class="ctk-mockup' in page and "MOCK-UP: illustrative false data" in page


def test_print_page_lists_every_agreed_question_out_of_search(sample) -> None:
    _, site = sample
    kb = load_or_raise(SAMPLE_KB).public_view()
    page = (site / "dap" / "print.html").read_text(encoding="utf-8")
    assert page.count('class="ctk-print-break"') == len(kb.agreed())
    for q in kb.agreed():
        assert f"<code>{q.id}</code>" in page, q.id
    assert "dap/print" not in (site / "search" / "search_index.js").read_text(encoding="utf-8")


def test_entries_are_sorted_with_fixed_time_and_mode(sample) -> None:
    result, _ = sample
    with zipfile.ZipFile(result.path) as zf:
        infos = zf.infolist()
    names = [i.filename for i in infos]
    assert names == sorted(names)
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}


# --- determinism and the public view ----------------------------------------------------


def test_two_bundles_are_byte_identical_and_always_public(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = bundle(SMALL_KB, tmp_path / "a.zip", ROOT)
    # A shell left in internal mode must not put confidential fields into a field bundle.
    monkeypatch.setenv("TOOLKIT_INTERNAL", "1")
    monkeypatch.setenv("TOOLKIT_MOCKUPS", "0")
    second = bundle(SMALL_KB, tmp_path / "b.zip", ROOT)
    assert first.path.read_bytes() == second.path.read_bytes()
    with zipfile.ZipFile(second.path) as zf:
        text = b"".join(zf.read(n) for n in zf.namelist() if n.endswith((".html", ".js")))
    assert b"SECRET" not in text
    assert b'class="ctk-mockup' in text


def test_source_date_epoch_sets_entry_times(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "sub").mkdir(parents=True)
    (site / "sub" / "b.html").write_text("b")
    (site / "a.html").write_text("a")
    assert write_zip(site, tmp_path / "x.zip", epoch=1767225600) == 2  # 2026-01-01
    with zipfile.ZipFile(tmp_path / "x.zip") as zf:
        assert [(i.filename, i.date_time) for i in zf.infolist()] == [
            ("a.html", (2026, 1, 1, 0, 0, 0)), ("sub/b.html", (2026, 1, 1, 0, 0, 0))]
    write_zip(site, tmp_path / "y.zip", epoch=0)  # before 1980: clamped, not an error
    with zipfile.ZipFile(tmp_path / "y.zip") as zf:
        assert zf.infolist()[0].date_time == (1980, 1, 1, 0, 0, 0)
    assert DEFAULT_EPOCH == 315532800


# --- the offline check ------------------------------------------------------------------


def test_network_references_are_found(tmp_path: Path) -> None:
    (tmp_path / "css").mkdir()
    (tmp_path / "a.html").write_text(
        '<html><head><link rel="stylesheet" href="//cdn.example.org/x.css">'
        '<link rel="canonical" href="https://example.org/a/">'
        '<link rel="preconnect" href="https://fonts.gstatic.com">'
        '<script src="https://unpkg.com/iframe-worker/shim"></script>'
        '<style>body{background:url("https://example.org/bg.png")}</style></head><body>'
        '<a href="https://example.org/">a plain link is fine</a>'
        '<img src="data:image/png;base64,AAAA"><img src="local.png">'
        '<img srcset="small.png 1x, https://example.org/big.png 2x">'
        '<div style="background-image:url(http://example.org/i.png)"></div>'
        '<iframe src="HTTPS://video.example.org/embed"></iframe></body></html>',
        encoding="utf-8",
    )
    # Alone in its page, so the quick pre-check must not be fooled by the ">" in alt.
    (tmp_path / "b.html").write_text('<p><img alt="a > b" src="https://example.org/gt.png">'
                                     '<a href="https://example.org/">link</a></p>')
    (tmp_path / "c.html").write_text('<p><a href="https://example.org/">only a link</a></p>')
    (tmp_path / "css" / "s.css").write_text(
        '@import "https://example.org/more.css"; .a{background:url(../img/ok.png)}',
        encoding="utf-8",
    )
    assert find_network_references(tmp_path) == [
        "a.html: //cdn.example.org/x.css",
        "a.html: https://fonts.gstatic.com",
        "a.html: https://unpkg.com/iframe-worker/shim",
        "a.html: https://example.org/bg.png",
        "a.html: https://example.org/big.png",
        "a.html: http://example.org/i.png",
        "a.html: HTTPS://video.example.org/embed",
        "b.html: https://example.org/gt.png",
        "css/s.css: https://example.org/more.css",
    ]


def project_copy(tmp_path: Path) -> Path:
    # With its own kb/: the plugin's kb option must name an existing folder.
    return copy_project(tmp_path / "project", SMALL_KB)


def test_remote_image_fails_the_bundle_and_keeps_the_previous_zip(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    about = project / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8")
                     + "\n![map](https://tiles.example.org/map.png)\n", encoding="utf-8")
    out = tmp_path / "dist" / "toolkit-offline.zip"
    out.parent.mkdir()
    out.write_bytes(b"previous bundle")
    with pytest.raises(BundleError, match=r"about\.html: https://tiles\.example\.org/map\.png"):
        bundle(SMALL_KB, out, project)
    assert out.read_bytes() == b"previous bundle"
    assert [p.name for p in out.parent.iterdir()] == [out.name]  # no temporary file left


def test_fonts_analytics_and_versions_are_dropped(tmp_path: Path) -> None:
    """Loaded by script at run time, so the offline check could not see them."""
    project = project_copy(tmp_path)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  font: false\n" in text and "\nextra:" not in text
    text = text.replace("  font: false\n", "  font:\n    text: Roboto\n")
    text += ("extra:\n  analytics:\n    provider: google\n    property: G-XXXXXXXXXX\n"
             "  version:\n    provider: mike\n")
    config.write_text(text, encoding="utf-8")
    out = bundle(SMALL_KB, tmp_path / "t.zip", project, language="en").path
    with zipfile.ZipFile(out) as zf:
        home = zf.read("index.html").decode("utf-8")
    for remote in ("fonts.googleapis.com", "fonts.gstatic.com", "googletagmanager", "G-XXX"):
        assert remote not in home, remote
    assert '"version": null' in home


# --- the command ------------------------------------------------------------------------


def test_cli_invalid_kb_prints_the_validation_report_and_writes_nothing(
    small_kb: Path, tmp_path: Path
) -> None:
    q = small_kb / "questions" / "wash" / "wash-water-source.yml"
    q.write_text(q.read_text(encoding="utf-8").replace("purpose:", "purpse:"), encoding="utf-8")
    out = tmp_path / "dist" / "toolkit-offline.zip"
    result = toolkit("bundle", str(small_kb), "--out", str(out), "--project", str(ROOT))
    validate = toolkit("validate", str(small_kb))
    assert result.returncode == 1 and validate.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    # The same report, word for word (validate adds a note on the kb's schema version).
    report = "".join(line for line in validate.stderr.splitlines(True)
                     if not line.startswith("Note: "))
    assert result.stderr == report
    assert "purpse" in result.stderr
    assert not out.exists() and not out.parent.exists()


def test_cli_reports_an_offline_problem_without_traceback(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - search\n", ""),
                      encoding="utf-8")
    result = toolkit("bundle", str(SMALL_KB), "--out", str(tmp_path / "t.zip"),
                     "--project", str(project))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "no search plugin" in result.stderr
    assert not (tmp_path / "t.zip").exists()


def test_cli_writes_the_zip_and_says_what_to_do(tmp_path: Path) -> None:
    out = tmp_path / "field.zip"
    result = toolkit("bundle", str(SMALL_KB), "--out", str(out), "--project", str(ROOT))
    assert result.returncode == 0, result.stderr
    assert "open index.html" in result.stdout
    assert zipfile.is_zipfile(out)
