"""Generated files kept in the cache folder between builds (the FALSE DATA downloads).

A new `mkdocs build` process has none of the memos `mkdocs serve` keeps in memory, so it
wrote the false dataset's CSV files and workbook again (a tenth of a warm build at 1,000
questions) although their bytes depend on nothing but the false frames they are made from.
Here they are kept as plain bytes, never as code or pickles (a CI cache restored from
another branch must not be able to run anything), by a key the caller makes of every input
(rebuild_memo.py). Each entry is an index (JSON: name -> sha256) and one file per content;
a file whose bytes do not match the digest its index records (damaged, truncated, written
by someone else) or an index that is not what this module writes is a miss: the caller
makes the files again and they are written afresh. Entries a build did not use are deleted
when it saves, so the folder holds what the last build made.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import tempfile
from pathlib import Path

# Bump when the layout of an entry changes.
FORMAT = 1
HEX = re.compile(r"[0-9a-f]{64}")
log = logging.getLogger("mkdocs.plugins.country-toolkit")


class KeptFiles:
    def __init__(self, folder: Path | None) -> None:
        self.folder = None if folder is None else folder / f"files-v{FORMAT}"
        self.used: set[str] = set()  # keys looked up or stored by the current build
        self.kept: set[str] = set()  # the keys of the last save
        self.hits = 0

    def get(self, key: str) -> dict[str, bytes] | None:
        """The files kept under key, each checked against its digest; None: a miss."""
        if self.folder is None or not HEX.fullmatch(key):
            return None
        self.used.add(key)
        try:
            index = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        files = index.get("files") if isinstance(index, dict) and index.get("key") == key \
            else None
        if not isinstance(files, dict) or not files:
            return None
        out: dict[str, bytes] = {}
        for name, digest in files.items():
            if not isinstance(name, str) or not isinstance(digest, str) \
                    or not HEX.fullmatch(digest):
                return None
            try:
                data = (self.folder / f"{digest}.bin").read_bytes()
            except OSError:
                return None
            if hashlib.sha256(data).hexdigest() != digest:
                return None
            out[name] = data
        self.hits += 1
        return out

    def put(self, key: str, files: dict[str, bytes]) -> None:
        """Keep files under key (written now: they are large, and rarely change)."""
        if self.folder is None or not HEX.fullmatch(key):
            return
        self.used.add(key)
        index = {}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for name, data in files.items():
                digest = hashlib.sha256(data).hexdigest()
                index[name] = digest
                self._write(f"{digest}.bin", data)
            self._write(f"{key}.json", json.dumps({"key": key, "files": index},
                                                  sort_keys=True).encode())
        except OSError as err:
            log.info("cache %s not written (%s): the next build makes those files again",
                     self.folder, err)

    def _write(self, name: str, data: bytes) -> None:
        assert self.folder is not None
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".kept-", suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, self.folder / name)  # never a half-written file under its name

    # The plugin's cache protocol (plugin.cache.Store): load, save, flush.
    def load(self) -> None:
        return None

    def save(self, write: bool = True) -> None:
        self.kept, self.used, self.hits = self.used, set(), 0
        if write:
            self.flush()

    def flush(self) -> None:
        """Delete the entries and files the last saved build did not use."""
        if self.folder is None or not self.folder.is_dir():
            return
        wanted: set[str] = set()
        for key in self.kept:
            try:
                index = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
                wanted.update(f"{d}.bin" for d in index["files"].values())
                wanted.add(f"{key}.json")
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                continue
        for path in self.folder.iterdir():
            if path.name not in wanted:
                with contextlib.suppress(OSError):
                    path.unlink()
