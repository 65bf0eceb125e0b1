"""`toolkit library update`: what changed in the library since the pinned version, and which
adopted questions of the country need review."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..comparability import FieldChange, compare_question
from ..loader import load_library
from ..yamlio import YamlProblem, read_yaml
from .loading import Library
from .open import LibraryError, library_ref
from .source import LibrarySourceError, commit_of, extract, locate, repository, tags


@dataclass
class LibraryChange:
    id: str
    kind: str  # added, removed, changed
    fields: list[FieldChange] = field(default_factory=list)

    @property
    def breaking(self) -> bool:
        return self.kind == "removed" or any(f.breaking for f in self.fields)


@dataclass
class UpdateReport:
    before: str  # version labels
    after: str
    changes: list[LibraryChange]
    # country question id -> the library question it adopts, for those whose library
    # question changed or was removed
    to_review: dict[str, LibraryChange]

    def text(self) -> str:
        if not self.changes:
            return f"The library has not changed between {self.before} and {self.after}."
        out = [f"Library changes from {self.before} to {self.after}:"]
        for c in self.changes:
            note = " (breaks comparability)" if c.breaking and c.kind == "changed" else ""
            out.append(f"- {c.kind}: {c.id}{note}")
            for f in c.fields:
                out.append(f"    {f.name}: {_short(f.before)} -> {_short(f.after)}")
        if self.to_review:
            out.append("")
            out.append("Adopted questions to review:")
            for qid, c in sorted(self.to_review.items()):
                what = ("its library question was removed" if c.kind == "removed"
                        else "changed: " + ", ".join(f.name for f in c.fields))
                out.append(f"- {qid} (adopts {c.id}): {what}")
        else:
            out.append("")
            out.append("No adopted question of this country is affected.")
        out.append("")
        out.append(f"Then set 'version: {self.after}' (and the tag) under library: in "
                   "kb/country.yml.")
        return "\n".join(out)


def _short(value: object, limit: int = 70) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def compare_libraries(old: Library, new: Library) -> list[LibraryChange]:
    out = []
    for lid in sorted(old.questions.keys() | new.questions.keys()):
        a, b = old.questions.get(lid), new.questions.get(lid)
        if a is None:
            out.append(LibraryChange(lid, "added"))
        elif b is None:
            out.append(LibraryChange(lid, "removed"))
        else:
            fields = compare_question(a, b)
            if fields:
                out.append(LibraryChange(lid, "changed", fields))
    return out


def adopted_ids(kb: Path) -> dict[str, str]:
    """Country question id -> library id, read from the files (the kb may not validate)."""
    out = {}
    for path in sorted(kb.glob("questions/*/*.yml")):
        try:
            data = read_yaml(path, within=kb).data
        except (YamlProblem, OSError):
            continue
        if isinstance(data, dict) and isinstance(data.get("adopts"), str):
            out[str(data.get("id") or path.stem)] = data["adopts"]
    return out


def _load(root: Path, label: str) -> Library:
    lib, report = load_library(root, label)
    if lib is None:
        raise LibraryError(f"the library at {label} has errors:\n{report.format()}")
    return lib


def _git_toplevel(folder: Path) -> Path:
    done = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=folder,
                          capture_output=True, text=True, check=False)
    if done.returncode:
        raise LibraryError(f"{folder} is not in a git repository: the pinned version cannot "
                           "be read; pass --from with the library version's folder")
    return Path(done.stdout.strip())


def library_update(kb: Path, *, to: str | None = None, since: str | None = None,
                   ) -> UpdateReport:
    """Changes between the pinned version and `to` (git: the newest tag; folder: the folder
    as it is). `since` replaces the pinned ref (git) or names the git ref of the pinned
    version (folder; default: the tag v<version>)."""
    ref = library_ref(kb)
    kb = kb.resolve()
    try:
        if ref.git:
            repo = repository(ref.git, kb)
            target = to or next(iter(tags(repo)), "HEAD")
            old_loc = locate(ref, kb, at=since or ref.ref)
            new_loc = locate(ref, kb, at=target)
            old, new = _load(old_loc.root, old_loc.label), _load(new_loc.root, new_loc.label)
            before, after = since or ref.ref or "", target
        else:
            new_loc = locate(ref, kb)
            new = _load(new_loc.root, new_loc.label)
            pinned = since or (f"v{ref.version}" if ref.version else None)
            if pinned is None:
                raise LibraryError("no version pinned: add 'version:' under library: in "
                                   "kb/country.yml, or pass --since with a git ref")
            top = _git_toplevel(new_loc.root)
            commit = commit_of(top, pinned)
            if commit is None:
                raise LibraryError(f"no git ref '{pinned}' in {top}: pass --since with the "
                                   "ref (tag or commit) of the version you adopted")
            folder = new_loc.root.relative_to(top).as_posix()
            old = _load(extract(top, commit, folder), f"{ref.path}@{pinned}")
            before, after = old.info.version, new.info.version
    except LibrarySourceError as err:
        raise LibraryError(str(err)) from None
    changes = compare_libraries(old, new)
    by_id = {c.id: c for c in changes}
    review = {qid: by_id[lid] for qid, lid in adopted_ids(kb).items() if lid in by_id}
    return UpdateReport(before, after, changes, review)
