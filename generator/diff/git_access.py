"""Read the kb as it is at a git ref: `git archive`, no checkout, no change to the work tree."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path, PurePosixPath

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
    return target
