"""Read the kb as it is at a git ref: `git archive`, no checkout, no change to the work tree."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path, PurePosixPath

import yaml

from ..errors import DiffError


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)


def repo_root(kb: Path) -> Path:
    start = kb if kb.is_dir() else Path.cwd()
    done = _git(["rev-parse", "--show-toplevel"], start)
    if done.returncode != 0:
        raise DiffError(f"{kb} is not inside a git repository: toolkit diff compares git refs")
    return Path(done.stdout.decode().strip()).resolve()


def resolve_ref(ref: str, top: Path) -> str:
    done = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"],
                top)
    if done.returncode != 0:
        raise DiffError(f"unknown git ref '{ref}': use a branch, tag or commit, e.g. origin/main")
    return done.stdout.decode().strip()


def extract_kb(sha: str, kb_rel: PurePosixPath, top: Path, dest: Path) -> Path:
    """Write the kb folder as it is at commit sha under dest; return its path there."""
    target = dest / kb_rel
    if _git(["cat-file", "-e", f"{sha}:{kb_rel.as_posix()}"], top).returncode != 0:
        return target  # no kb at that commit: everything is new
    done = _git(["archive", "--format=tar", sha, "--", kb_rel.as_posix()], top)
    if done.returncode != 0:
        raise DiffError(f"git archive failed: {done.stderr.decode(errors='replace').strip()}")
    with tarfile.open(fileobj=io.BytesIO(done.stdout)) as archive:
        # The "data" filter refuses absolute paths, ../ and links out of dest.
        archive.extractall(dest, filter="data")
    library = _library_folder(target, kb_rel)
    if library is not None and not (dest / library).exists() and _git(
            ["cat-file", "-e", f"{sha}:{library.as_posix()}"], top).returncode == 0:
        # The kb adopts from a library folder in the same repository: take it as it was too.
        done = _git(["archive", "--format=tar", sha, "--", library.as_posix()], top)
        if done.returncode == 0:
            with tarfile.open(fileobj=io.BytesIO(done.stdout)) as archive:
                archive.extractall(dest, filter="data")
    return target


def _library_folder(kb: Path, kb_rel: PurePosixPath) -> PurePosixPath | None:
    """The repository path of the library folder kb/country.yml names, if inside the
    repository (`library: {path: ../library}`)."""
    try:
        country = yaml.safe_load((kb / "country.yml").read_text(encoding="utf-8"))
        path = country["library"]["path"]
    except (OSError, yaml.YAMLError, KeyError, TypeError):
        return None
    if not isinstance(path, str):
        return None
    parts: list[str] = list(kb_rel.parts)
    for part in PurePosixPath(path).parts:
        if part == "..":
            if not parts:
                return None  # outside the repository
            parts.pop()
        elif part not in (".", "/"):
            parts.append(part)
    return PurePosixPath(*parts) if parts else None
