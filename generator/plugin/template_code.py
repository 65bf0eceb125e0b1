"""The theme's compiled templates, kept in memory across `mkdocs serve` rebuilds.

Every MkDocs build makes a new Jinja environment for the theme, so each rebuild compiled
Material's templates again (44 of them, about a twentieth of a one-question rebuild at
1,000 questions). A Jinja BytecodeCache is Jinja's own way to skip that: a template's code
is found by its name and file and used only if the checksum of its source is the one it
was compiled from, so an edited template (overrides/) is compiled again. Jinja's key does
not name the environment, and the code depends on it: its syntax options, extensions and
policies, and the filters and tests it calls, or even runs at compile time to fold a
constant. Those are in the key here, the callables by identity (MkDocs' and Material's are
the same objects in every rebuild): a filter replaced by another (a hook edited under
serve) compiles afresh. Each entry holds the objects its key names, so no other object can
take their identity while it is kept; one entry per template, replaced when it compiles.

Kept in memory only, never on disk: a restored cache folder must not be able to run code.
"""

from __future__ import annotations

import json
from types import CodeType

from jinja2 import Environment
from jinja2.bccache import Bucket, BytecodeCache


def environment_key(env: Environment, name: str) -> tuple[str, tuple[object, ...]]:
    """What of env changes the code template `name` compiles to, and the objects whose
    identity that names (to be kept alive while the key is)."""
    simple = {k: v for k, v in vars(env).items()
              if v is None or isinstance(v, (str, int, float, bool))}
    autoescape = env.autoescape(name) if callable(env.autoescape) else env.autoescape
    named: dict[str, dict[str, object]] = {
        "filters": dict(env.filters), "tests": dict(env.tests),
        "policies": dict(env.policies),
        "extensions": {k: type(e) for k, e in env.extensions.items()},
        "classes": {"environment": type(env), "code_generator": env.code_generator_class,
                    "finalize": env.finalize},
    }
    refs = tuple(v for group in named.values() for v in group.values())
    parts = {"simple": simple, "autoescape": bool(autoescape),
             "named": {g: sorted((k, id(v)) for k, v in d.items()) for g, d in named.items()}}
    return json.dumps(parts, sort_keys=True, default=repr), refs


class _Bucket(Bucket):
    def __init__(self, environment: Environment, key: str, checksum: str,
                 env_key: str, refs: tuple[object, ...]) -> None:
        self.env_key, self.refs = env_key, refs
        super().__init__(environment, key, checksum)


class TemplateCode(BytecodeCache):
    """Compiled templates by name and file: the environment's key, the source's checksum,
    the code and the objects the key names."""

    def __init__(self) -> None:
        self.codes: dict[str, tuple[str, str, CodeType, tuple[object, ...]]] = {}
        self.hits = 0
        self.compiled = 0

    def install(self, env: Environment) -> None:
        """Use this cache for env's templates (before any is loaded: MkDocs' on_env)."""
        env.bytecode_cache = self

    def get_bucket(self, environment: Environment, name: str, filename: str | None,
                   source: str) -> Bucket:
        env_key, refs = environment_key(environment, name)
        bucket = _Bucket(environment, self.get_cache_key(name, filename),
                         self.get_source_checksum(source), env_key, refs)
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        kept = self.codes.get(bucket.key)
        if (kept is not None and isinstance(bucket, _Bucket)
                and kept[:2] == (bucket.env_key, bucket.checksum)):
            bucket.code = kept[2]
            self.hits += 1

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is None or not isinstance(bucket, _Bucket):
            raise TypeError("no code to keep")
        self.codes[bucket.key] = (bucket.env_key, bucket.checksum, bucket.code, bucket.refs)
        self.compiled += 1

    def clear(self) -> None:
        self.codes.clear()
