"""The offline bundle is per round, says so on every page, and an internal one says
INTERNAL — DO NOT SHARE in its file name and on every page; a public bundle refuses a build
that carries the internal mark."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest
from support import ROOT, SMALL_KB, copy_project

from generator.internal_mark import FILE_WARNING, MARK_FILE, META_NAME, WARNING

pytestmark = pytest.mark.slow
TOOLKIT = ROOT / ".venv" / "bin" / "toolkit"


def toolkit(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(TOOLKIT), *args], capture_output=True, text=True, cwd=cwd)


def pages(zip_path: Path) -> dict[str, str]:
    with zipfile.ZipFile(zip_path) as zf:
        return {n: zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith(".html")}


def test_public_bundle_is_named_after_its_round_and_says_it_on_every_page(
        tmp_path: Path) -> None:
    result = toolkit("bundle", str(SMALL_KB), "--project", str(ROOT), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "dist" / "toolkit-round-3-offline.zip"
    assert [p.name for p in (tmp_path / "dist").iterdir()] == [out.name]
    found = pages(out)
    assert len(found) > 20
    for name, html in found.items():
        # In the page's language: the small kb is in English and French.
        label = "Cycle 3 — copie hors ligne" if name.startswith("fr/") else \
            "Round 3 — offline copy"
        assert label in html, name
        assert WARNING not in html and META_NAME not in html, name
    assert any(name.startswith("fr/") for name in found)
    with zipfile.ZipFile(out) as zf:
        assert MARK_FILE not in zf.namelist()


def test_internal_bundle_says_do_not_share_in_its_name_and_on_every_page(
        tmp_path: Path) -> None:
    result = toolkit("bundle", str(SMALL_KB), "--project", str(ROOT), "--internal",
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "dist" / f"toolkit-round-3-offline-{FILE_WARNING}.zip"
    assert out.exists(), list((tmp_path / "dist").iterdir())
    found = pages(out)
    for name, html in found.items():
        label = "Cycle 3 — copie hors ligne" if name.startswith("fr/") else \
            "Round 3 — offline copy"
        assert f"{WARNING} · {label}" in html, name
        assert f'<meta name="{META_NAME}"' in html, name
    with zipfile.ZipFile(out) as zf:
        assert MARK_FILE in zf.namelist()


def test_internal_bundle_with_out_still_carries_the_warning_in_its_name(
        tmp_path: Path) -> None:
    result = toolkit("bundle", str(SMALL_KB), "--project", str(ROOT), "--internal",
                     "--out", "field.zip", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / f"field-{FILE_WARNING}.zip").exists()
    assert not (tmp_path / "field.zip").exists()


def test_public_bundle_refuses_a_build_that_carries_the_internal_mark(tmp_path: Path) -> None:
    # A project customisation (a hook) that turns the build internal behind the bundle's back.
    project = copy_project(tmp_path / "project", SMALL_KB)
    (project / "force_internal.py").write_text(
        "def on_config(config):\n"
        "    config.plugins['country-toolkit'].config['internal'] = True\n"
        "    return config\n", encoding="utf-8")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nhooks:\n  - force_internal.py\n",
                      encoding="utf-8")
    out = tmp_path / "public.zip"
    result = toolkit("bundle", "kb", "--out", str(out), "--project", ".", cwd=project)
    assert result.returncode == 1
    assert "is an internal build" in result.stderr
    assert "refusing to write it as a public bundle" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()
