"""The built offline site as one zip, written atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..reproducible import FILE_MODE
from ..reproducible import write_zip as write_reproducible_zip


def write_zip(site_dir: Path, dest: Path, epoch: int | None = None) -> int:
    """Zip site_dir into dest, byte-identical for the same files; returns the entry count.

    Written next to dest and renamed over it, so readers never see half a zip and a
    failure keeps the previous one.
    """
    # Sorted by entry name: Path order puts dap/print/x.html before dap/print.html.
    files = sorted((p for p in site_dir.rglob("*") if p.is_file()),
                   key=lambda p: p.relative_to(site_dir).as_posix())
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            write_reproducible_zip(
                fh, ((p.relative_to(site_dir).as_posix(), p.read_bytes()) for p in files), epoch)
        tmp.chmod(FILE_MODE)
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return len(files)
