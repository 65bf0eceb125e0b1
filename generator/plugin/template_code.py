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

Kept in memory, and on disk beside this package's own compiled code: its `__pycache__`
folder, whose files Python itself runs (never the cache folder: a restored cache folder must
not be able to run code). A new process (a warm `mkdocs build`) then compiles none of them
(about a ninth of a warm build at 1,000 questions). On disk, the environment is named so
that another process names it the same: its options, and each filter, test, policy,
extension and class by its module, name and the code it comes from (this package's source
files, or the version of the installed package it is part of; a partial by its function
and arguments); a callable that cannot be named so (a hook's, a bound method, an address)
keeps that environment's code in memory only. As Python does, nothing is written when
bytecode is not (PYTHONDONTWRITEBYTECODE, a pycache prefix, a read-only folder). Only a
build with the plugin's cache on uses it: a cold build compiles every template.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import marshal
import os
import sys
import tempfile
from pathlib import Path
from types import CodeType
from typing import Any

from jinja2 import Environment
from jinja2.bccache import Bucket, BytecodeCache, bc_magic

PACKAGE = Path(__file__).resolve().parents[1]  # generator/


def code_folder() -> Path | None:
    """Where compiled templates are kept on disk: None where Python writes no bytecode."""
    if sys.dont_write_bytecode or sys.pycache_prefix:
        return None
    return Path(__file__).resolve().parent / "__pycache__" / (
        f"jinja-{sys.implementation.cache_tag}")


@functools.cache
def _own_code() -> str:
    """This package's Python source, as this process runs it (read once)."""
    h = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        h.update(path.relative_to(PACKAGE).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


# Packages whose distribution is not named after their top-level module: asked directly
# (importlib.metadata.packages_distributions() reads every installed package: 0.25 s).
DISTRIBUTIONS = {"material": ["mkdocs-material"], "pymdownx": ["pymdown-extensions"],
                 "yaml": ["PyYAML"], "markdown": ["Markdown"]}


@functools.cache
def _distributions() -> dict[str, list[str]]:
    return importlib.metadata.packages_distributions()


@functools.cache
def _distribution(top: str) -> str | None:
    names = DISTRIBUTIONS.get(top)
    if names is None:
        try:
            importlib.metadata.version(top)
            names = [top]
        except importlib.metadata.PackageNotFoundError:
            names = _distributions().get(top)
    if not names:
        return None
    return ",".join(f"{n}=={importlib.metadata.version(n)}" for n in sorted(set(names)))


def _origin(obj: object) -> Any:
    """obj named as another process names it, or None when it cannot be."""
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    if isinstance(obj, dict):
        return _origin(sorted((str(k), v) for k, v in obj.items()))
    if isinstance(obj, (list, tuple)):
        items = [_origin(v) for v in obj]
        return None if any(i is None and v is not None for i, v in zip(items, obj, strict=True)
                           ) else items
    if isinstance(obj, functools.partial):
        parts = [_origin(obj.func), _origin(list(obj.args)),
                 _origin(sorted(obj.keywords.items()))]
        return None if None in parts else ["partial", *parts]
    if getattr(obj, "__self__", None) is not None and not isinstance(
            obj.__self__, type(sys)):  # a bound method: its object's state is unnamed
        return None
    module, name = getattr(obj, "__module__", None), getattr(obj, "__qualname__", None)
    if not isinstance(module, str) or not isinstance(name, str):
        return None
    top = module.split(".")[0]
    source = (_own_code() if top == PACKAGE.name else
              "python" if top in sys.stdlib_module_names else _distribution(top))
    if source is None:
        return None
    # How Jinja calls it (with the context, the environment...) is compiled into the code.
    return [module, name, str(getattr(obj, "jinja_pass_arg", None)), source]


def stable_key(env: Environment, name: str) -> str | None:
    """What of env shapes the code template `name` compiles to, named as another process
    names it; None when some part cannot be."""
    simple = {k: v for k, v in vars(env).items()
              if v is None or isinstance(v, (str, int, float, bool))}
    autoescape = env.autoescape(name) if callable(env.autoescape) else env.autoescape
    named = {
        "filters": dict(env.filters), "tests": dict(env.tests),
        "policies": dict(env.policies),
        "extensions": {k: type(e) for k, e in env.extensions.items()},
        "classes": {"environment": type(env), "code_generator": env.code_generator_class,
                    "context": env.context_class, "finalize": env.finalize},
    }
    parts: dict[str, Any] = {"simple": simple, "autoescape": bool(autoescape),
                             "jinja": _distribution("jinja2"), "python": sys.version}
    for group, values in named.items():
        origins = {k: _origin(v) for k, v in values.items()}
        if any(o is None and values[k] is not None for k, o in origins.items()):
            return None
        parts[group] = origins
    return json.dumps(parts, sort_keys=True, default=repr)


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
                 env_key: str, refs: tuple[object, ...], stable: str | None) -> None:
        self.env_key, self.refs, self.stable = env_key, refs, stable
        super().__init__(environment, key, checksum)


class TemplateCode(BytecodeCache):
    """Compiled templates by name and file: the environment's key, the source's checksum,
    the code and the objects the key names."""

    def __init__(self, folder: Path | None = None) -> None:
        self.codes: dict[str, tuple[str, str, CodeType, tuple[object, ...]]] = {}
        self.folder = folder  # compiled code on disk (code_folder()); None: memory only
        self.hits = 0
        self.read = 0  # of the hits, read from disk
        self.compiled = 0

    def install(self, env: Environment) -> None:
        """Use this cache for env's templates (before any is loaded: MkDocs' on_env)."""
        env.bytecode_cache = self

    def get_bucket(self, environment: Environment, name: str, filename: str | None,
                   source: str) -> Bucket:
        env_key, refs = environment_key(environment, name)
        stable = stable_key(environment, name) if self.folder is not None else None
        bucket = _Bucket(environment, self.get_cache_key(name, filename),
                         self.get_source_checksum(source), env_key, refs, stable)
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        if not isinstance(bucket, _Bucket):
            return
        kept = self.codes.get(bucket.key)
        if kept is not None and kept[:2] == (bucket.env_key, bucket.checksum):
            bucket.code = kept[2]
            self.hits += 1
            return
        path = self._path(bucket)
        if path is None:
            return
        try:
            data = path.read_bytes()
        except OSError:
            return
        head = self._head(bucket)
        if not data.startswith(head):  # another source, Jinja or Python: compiled again
            return
        try:
            code = marshal.loads(data[len(head):])
        except (EOFError, ValueError, TypeError):
            return
        if isinstance(code, CodeType):
            bucket.code = code
            self.codes[bucket.key] = (bucket.env_key, bucket.checksum, code, bucket.refs)
            self.hits += 1
            self.read += 1

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is None or not isinstance(bucket, _Bucket):
            raise TypeError("no code to keep")
        self.codes[bucket.key] = (bucket.env_key, bucket.checksum, bucket.code, bucket.refs)
        self.compiled += 1
        path = self._path(bucket)
        if path is None:
            return
        try:  # written whole or not at all (another build may read it meanwhile)
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(self._head(bucket) + marshal.dumps(bucket.code))
                os.replace(temp, path)
            except BaseException:
                os.unlink(temp)
                raise
        except OSError:
            self.folder = None  # not writable: memory only, as Python does without bytecode

    def _path(self, bucket: _Bucket) -> Path | None:
        """One file per template and environment (an edited template replaces its code)."""
        if self.folder is None or bucket.stable is None:
            return None
        name = hashlib.sha256(f"{bucket.key}\0{bucket.stable}".encode()).hexdigest()
        return self.folder / f"{name}.code"

    @staticmethod
    def _head(bucket: _Bucket) -> bytes:
        """Jinja's own mark of its bytecode format and Python's, and the source checksum
        and environment the code was compiled from."""
        stable = hashlib.sha256((bucket.stable or "").encode()).hexdigest()
        return bc_magic + f"{bucket.checksum}\0{stable}\n".encode()

    def clear(self) -> None:
        self.codes.clear()
