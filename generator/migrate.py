"""`toolkit migrate`: upgrade a kb written for an earlier version of the record rules.

Version 2 (issue #11) makes the rules of an agreement errors: an agreed question needs its
verification (who verified the mock-up and phrasing, and when) and a do-no-harm note. A
migration cannot know who verified a question, so it writes the missing blocks with TODO
values: `toolkit validate` then lists each one (todo-left) with its line, the coordinator's
to-do list, and the site is not built until they are filled in. A kb left at version 1 keeps
building: there these rules are warnings.

Files are edited as text, so comments and layout stay as people wrote them; every new text
is worked out before the first file is written.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ToolkitError
from .models.country import SCHEMA_VERSION
from .yamlio import YamlProblem, read_yaml


class MigrationError(ToolkitError):
    """The kb cannot be migrated as it is (e.g. a file that does not read as YAML)."""


VERIFICATION_TODO = """\
# Added by `toolkit migrate`: who verified that this question's phrasing and mock-up give
# what partners need, and when. Fill in every TODO (one person per line of expertise).
verification:
  date: TODO (YYYY-MM-DD)
  verified_by:
    - expertise: subject-matter
      role: TODO (e.g. WASH Cluster Coordinator)
      organisation: TODO
    - expertise: context
      role: TODO (e.g. local NGO focal point)
      organisation: TODO
    - expertise: imo
      role: TODO (e.g. Cluster Information Management Officer)
      organisation: TODO
"""
DO_NO_HARM_TODO = "do_no_harm: TODO why this is safe to ask a key informant"
SCHEMA_LINE = re.compile(r"^schema_version:.*$", re.M)


@dataclass
class Migration:
    from_version: int
    to_version: int = SCHEMA_VERSION
    # path -> new text, for every file that changes
    changes: dict[Path, str] = field(default_factory=dict)
    todos: int = 0

    @property
    def needed(self) -> bool:
        return self.from_version < self.to_version


def plan(kb: Path) -> Migration:
    country_path = kb / "country.yml"
    country = _read(country_path)
    version = country.get("schema_version", 1)
    if type(version) is not int or not 1 <= version <= SCHEMA_VERSION:
        raise MigrationError(f"{country_path}: schema_version must be a number from 1 to "
                             f"{SCHEMA_VERSION}, not {version!r}")
    migration = Migration(version)
    if not migration.needed:
        return migration
    text = country_path.read_text(encoding="utf-8")
    line = f"schema_version: {SCHEMA_VERSION}"
    if SCHEMA_LINE.search(text):
        text = SCHEMA_LINE.sub(line, text, count=1)
    else:
        # After the editor's schema comment, if there is one, so it stays the first line.
        head, sep, rest = text.partition("\n")
        text = (head + sep + line + "\n" + rest) if head.startswith("#") else line + "\n" + text
    migration.changes[country_path] = text
    for path in sorted((kb / "questions").glob("*/*.yml")):
        data = _read(path)
        if data.get("status") != "agreed":
            continue
        text = path.read_text(encoding="utf-8")
        new = text
        criteria = data.get("criteria")
        if isinstance(criteria, dict) and not criteria.get("do_no_harm"):
            new = _add_to_block(new, "criteria", DO_NO_HARM_TODO)
            migration.todos += 1
        if "verification" not in data:
            new = new.rstrip("\n") + "\n" + VERIFICATION_TODO
            migration.todos += 7
        if new != text:
            migration.changes[path] = new
    return migration


def apply(migration: Migration) -> None:
    """Write every changed file, each through a temporary file renamed into place."""
    for path, text in migration.changes.items():
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def migrate(kb: Path, *, dry_run: bool = False) -> Migration:
    if not (kb / "country.yml").is_file():
        raise MigrationError(f"{kb}/country.yml not found: pass the kb folder")
    migration = plan(kb)
    if not dry_run:
        apply(migration)
    return migration


def schema_version(kb: Path) -> int | None:
    """The kb's schema version as country.yml says (1 if unset); None if unreadable."""
    try:
        data = _read(kb / "country.yml")
    except MigrationError:
        return None
    version = data.get("schema_version", 1)
    return version if type(version) is int else None


def _read(path: Path) -> dict[str, object]:
    try:
        data = read_yaml(path).data
    except (OSError, YamlProblem) as err:
        raise MigrationError(f"{path} cannot be read ({err}): run 'toolkit validate' and fix "
                             "it before migrating") from None
    if not isinstance(data, dict):
        raise MigrationError(f"{path} does not hold 'key: value' lines: fix it first")
    return data


def _add_to_block(text: str, key: str, line: str) -> str:
    """Add `line` as the last entry of the top-level mapping `key:` (indented like it)."""
    lines = text.split("\n")
    start = next((i for i, ln in enumerate(lines) if re.match(rf"^{key}:\s*(#.*)?$", ln)), None)
    if start is None:
        return text
    end, indent = start, "  "
    for i in range(start + 1, len(lines)):
        ln = lines[i]
        if ln.strip() == "" or ln.lstrip().startswith("#") and ln.startswith(" "):
            continue
        if not ln.startswith((" ", "\t")):
            break
        if end == start:
            indent = ln[: len(ln) - len(ln.lstrip())]
        end = i
    lines.insert(end + 1, indent + line)
    return "\n".join(lines)
