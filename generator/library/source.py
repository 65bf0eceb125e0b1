"""Where a country's library lives: a folder, or a git repository at a pinned tag.

A git library is read from the pinned tag's tree (`git archive`), never from whatever the
repository's working tree holds, so two people building the same country kb see the same
library. Remote repositories are cloned once into the user's cache.
"""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import ToolkitError
from ..models.library import LibraryRef


class LibrarySourceError(ToolkitError):
    """The library cannot be found: (field of `library:`, message, fix)."""

    def __init__(self, field: str, message: str, fix: str, code: str) -> None:
        super().__init__(f"library.{field}: {message} Fix: {fix}")
        self.field, self.message, self.fix, self.code = field, message, fix, code


@dataclass(frozen=True)
class Located:
    root: Path  # the library folder (holds library.yml)
    label: str  # how reports name it: the path, or repository@ref


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "country-toolkit" / "libraries"


def _git(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False,
                          env={**os.environ, "GIT_TERMINAL_PROMPT": "0"})


def repository(url: str, kb_root: Path) -> Path:
    """A git directory holding the repository: the local one, or a cached clone of a URL."""
    local = (kb_root / url).resolve() if "://" not in url and not url.startswith("git@") \
        else None
    if local is not None:
        if not local.exists():
            raise LibrarySourceError("git", f"no repository at {url}",
                                     "give the path of a git repository, or its URL",
                                     "library-not-found")
        return local
    dest = cache_dir() / hashlib.sha256(url.encode()).hexdigest()[:16]
    if not dest.exists():
        done = _git("clone", "--bare", "--quiet", url, str(dest))
        if done.returncode:
            raise LibrarySourceError("git", f"cannot clone {url}: "
                                     + done.stderr.decode(errors="replace").strip()[:200],
                                     "check the URL and your access", "library-not-found")
    return dest


def commit_of(repo: Path, ref: str) -> str | None:
    done = _git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", cwd=repo)
    return done.stdout.decode().strip() if done.returncode == 0 else None


def tags(repo: Path) -> list[str]:
    """Tags, newest version first (v2026.10 after v2026.9)."""
    done = _git("tag", "--sort=-v:refname", cwd=repo)
    return done.stdout.decode().split() if done.returncode == 0 else []


def extract(repo: Path, commit: str, folder: str) -> Path:
    """The library folder of one commit, unpacked once into the cache."""
    dest = cache_dir() / "trees" / f"{commit}-{hashlib.sha256(folder.encode()).hexdigest()[:8]}"
    target = dest / folder if folder not in ("", ".") else dest
    if dest.exists():
        return target
    args = ["archive", "--format=tar", commit]
    if folder not in ("", "."):
        args += ["--", folder]
    done = _git(*args, cwd=repo)
    if done.returncode:
        raise LibrarySourceError("folder", f"no folder '{folder}' at {commit[:12]}",
                                 "give the library's folder inside the repository",
                                 "library-not-found")
    tmp = dest.with_name(dest.name + f".tmp{os.getpid()}")
    with tarfile.open(fileobj=io.BytesIO(done.stdout)) as tar:
        tar.extractall(tmp, filter="data")  # refuses links and paths out of tmp
    tmp.rename(dest)
    return target


def locate(ref: LibraryRef, kb_root: Path, *, at: str | None = None) -> Located:
    """The library folder `ref` names (`at`: another git ref than the pinned one)."""
    if ref.path:
        root = (kb_root / ref.path).resolve()
        if not (root / "library.yml").is_file():
            raise LibrarySourceError("path", f"no library at {ref.path} (no library.yml there)",
                                     "give the folder that holds library.yml, relative to "
                                     "the kb folder", "library-not-found")
        return Located(root, ref.path)
    assert ref.git and ref.ref
    repo = repository(ref.git, kb_root)
    wanted = at or ref.ref
    commit = commit_of(repo, wanted)
    if commit is None:
        known = ", ".join(tags(repo)[:8]) or "none"
        raise LibrarySourceError("ref", f"version '{wanted}' not found in {ref.git} "
                                 f"(tags: {known})", "pin a tag the repository has",
                                 "library-version-not-found")
    return Located(extract(repo, commit, ref.folder), f"{ref.git}@{wanted}")
