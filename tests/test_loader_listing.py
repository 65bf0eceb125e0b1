"""The loader lists the kb's folders once (loader.FolderScan): the same paths, in the same
order, as the Path.glob calls it replaced, whatever the folders hold."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.loader import FolderScan
from generator.models import FOLDERS


def awkward_kb(root: Path, outside: Path) -> Path:
    kb = root / "kb"
    outside.mkdir()
    (outside / "x.yml").write_text("id: x\n", encoding="utf-8")
    for sector in ("wash", "wash-b", "wash.b", "Wash", "ümlaut", ".hidden"):
        (kb / "questions" / sector).mkdir(parents=True)
        for name in ("a.yml", "b.yaml", ".gitkeep", "README.md", "a-b.yml", "a.b.yml"):
            (kb / "questions" / sector / name).write_text("id: a\n", encoding="utf-8")
    (kb / "questions" / "wash" / "nested").mkdir()
    (kb / "questions" / "stray.yml").write_text("id: s\n", encoding="utf-8")
    (kb / "questions" / "linked").symlink_to(outside, target_is_directory=True)
    (kb / "questions" / "broken").symlink_to(root / "nowhere")
    (kb / "questions" / "wash" / "link.yml").symlink_to(outside / "x.yml")
    (kb / "questions" / "wash" / "loop.yml").symlink_to(kb / "questions" / "wash" / "loop.yml")
    (kb / "partners").mkdir()
    for name in ("ngo.yml", "ngo.yaml", "logo.png", ".gitkeep", "old"):
        (kb / "partners" / name).write_text("", encoding="utf-8")
    (kb / "partners" / "folder").mkdir()
    (kb / "needs").symlink_to(outside, target_is_directory=True)
    (kb / "datasets").write_text("not a folder", encoding="utf-8")
    return kb


@pytest.mark.parametrize("pattern", sorted({p for p, _ in FOLDERS.values()}))
def test_the_scan_lists_what_glob_lists(tmp_path: Path, pattern: str) -> None:
    kb = awkward_kb(tmp_path, tmp_path / "outside")
    scan = FolderScan()
    found = scan.glob(kb, pattern)
    assert [p for p, _ in found] == sorted(kb.glob(pattern))
    assert [d for _, d in found] == [p.is_dir() for p, _ in found]


def test_the_scan_lists_a_folder_as_iterdir_does(tmp_path: Path) -> None:
    kb = awkward_kb(tmp_path, tmp_path / "outside")
    scan = FolderScan()
    for folder in (kb, kb / "questions", kb / "partners"):
        names = scan.entries(folder)
        assert [folder / n for n, _ in names] == sorted(folder.iterdir())
        assert [d for _, d in names] == [(folder / n).is_dir() for n, _ in names]
    with pytest.raises(NotADirectoryError):
        scan.entries(kb / "datasets")
