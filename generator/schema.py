"""JSON Schemas generated from the models, so editors autocomplete and flag errors."""

from __future__ import annotations

import json
from pathlib import Path

from .models import MODELS
from .models.library import question_file_schema

SCHEMA_DIR = "schemas"


def schemas() -> dict[str, dict[str, object]]:
    """File name -> JSON Schema, one per record kind."""
    out = {}
    for kind, model in sorted(MODELS.items()):
        schema = model.model_json_schema()
        if kind == "question":  # or one that adopts a library question
            schema = question_file_schema(schema)
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema.setdefault("title", model.__name__)
        out[f"{kind}.schema.json"] = schema
    return out


def write_schemas(dest: Path) -> list[Path]:
    dest.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas().items():
        path = dest / name
        path.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        written.append(path)
    return written
