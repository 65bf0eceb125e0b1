"""Build the site into a temporary folder beside its destination, then swap it into place.

`mkdocs build` empties site_dir before it writes the new site, so a build that is killed
or fails midway leaves an empty or half-written site (measured: empty at 8 s, 49 of 193
files at 12 s). Here MkDocs writes into a fresh sibling folder; only a finished build
replaces the destination, with one rename (an atomic exchange where the OS offers one).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build
from mkdocs.config import load_config

BUILDING = ".building-"  # temporary folders: .<site>.building-XXXX
PREVIOUS = ".previous-"  # the replaced site, removed once the swap is done


def build_site_atomically(config_file: Path, site_dir: Path | None = None,
                          **overrides: Any) -> Path:
    """Build the MkDocs project of config_file into site_dir (default: its site_dir setting).

    Raises what mkdocs' build raises (Abort, PluginError...), with site_dir untouched.
    Returns the site folder.
    """
    if site_dir is not None:
        overrides["site_dir"] = str(site_dir)
    config = load_config(str(config_file), **overrides)
    dest = Path(config.site_dir).resolve()
    dest.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(dest)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}{BUILDING}", dir=dest.parent))
    try:
        config["site_dir"] = str(tmp)
        build(config)
        os.chmod(tmp, 0o755)  # mkdtemp makes it 0700; a served site must be readable
        swap_into_place(tmp, dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # gone already after a successful swap
    return dest


def swap_into_place(new: Path, dest: Path) -> None:
    """Put folder `new` at `dest`, removing what was there; `dest` is never missing or
    partial when the OS can exchange two paths atomically (Linux), and missing only for the
    instant between two renames otherwise."""
    if not dest.exists():
        new.rename(dest)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{dest.name}{PREVIOUS}", dir=dest.parent))
    if _exchange(new, dest):
        new.rename(old / "site")  # `new` now holds the previous site
    else:
        dest.rename(old / "site")
        new.rename(dest)
    shutil.rmtree(old, ignore_errors=True)


def remove_leftovers(dest: Path) -> None:
    """Temporary folders left beside dest by a build that was killed."""
    for marker in (BUILDING, PREVIOUS):
        for path in dest.parent.glob(f".{dest.name}{marker}*"):
            shutil.rmtree(path, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with renameat2(RENAME_EXCHANGE); False if unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:  # glibc < 2.28
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return result == 0
