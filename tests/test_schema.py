"""The published JSON Schemas are current and accept (and reject) what the loader does."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from support import SAMPLE_KB

from generator.models import FOLDERS, SINGLE_FILES
from generator.schema import SCHEMA_DIR, schemas
from generator.yamlio import read_yaml

SCHEMAS = SAMPLE_KB / SCHEMA_DIR


def as_json(data: object) -> object:
    """YAML dates become strings, as an editor's JSON view of the file sees them."""
    return json.loads(json.dumps(data, default=str))


def test_committed_schemas_are_current() -> None:
    expected = schemas()
    on_disk = {p.name for p in SCHEMAS.glob("*.schema.json")}
    assert on_disk == set(expected), "run: toolkit schema kb"
    for name, schema in expected.items():
        assert json.loads((SCHEMAS / name).read_text()) == schema, f"{name} is stale"


def record_files() -> list[tuple[str, Path]]:
    files = [(kind, SAMPLE_KB / rel) for kind, (rel, _) in SINGLE_FILES.items()]
    for kind, (pattern, _) in FOLDERS.items():
        files += [(kind, p) for p in sorted(SAMPLE_KB.glob(pattern + ".yml"))]
    return files


@pytest.mark.parametrize(("kind", "path"), record_files(),
                         ids=lambda v: v.name if isinstance(v, Path) else v)
def test_sample_records_validate_against_their_schema(kind: str, path: Path) -> None:
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text())
    jsonschema.validate(as_json(read_yaml(path).data), schema)


def test_schema_rejects_a_typo_and_a_wrong_enum() -> None:
    schema = json.loads((SCHEMAS / "question.schema.json").read_text())
    path = next(p for p in SAMPLE_KB.glob("questions/*/*.yml")
                if "\nadopts:" not in p.read_text())  # a whole question (see test_library)
    data = as_json(read_yaml(path).data)
    assert isinstance(data, dict)
    with pytest.raises(jsonschema.ValidationError, match="purpse"):
        jsonschema.validate({**data, "purpse": "x"}, schema)
    with pytest.raises(jsonschema.ValidationError, match="approved"):
        jsonschema.validate({**data, "status": "approved"}, schema)


def test_every_record_file_names_its_schema() -> None:
    for kind, path in record_files():
        first = path.read_text().splitlines()[0]
        rel = Path(SCHEMA_DIR) / f"{kind}.schema.json"
        depth = len(path.relative_to(SAMPLE_KB).parts) - 1
        assert first == f"# yaml-language-server: $schema={'../' * depth}{rel.as_posix()}", path
