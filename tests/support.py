"""Paths and settings shared by test modules (import as `from support import ...`)."""

from __future__ import annotations

import functools
import http.server
import json
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_KB = ROOT / "kb"
SMALL_KB = ROOT / "tests" / "fixtures" / "kb-small"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


PROCESS_RECORDS = ROOT / "tests" / "fixtures" / "kb-process"
# Question id -> the needs it serves in kb-small once PROCESS_RECORDS are added.
SMALL_KB_NEEDS = {"wash-water-source": ["water-source"], "wash-distance": ["water-distance"],
                  "protection-uasc": ["child-arrivals"],
                  "protection-incidents": ["incident-areas"]}


def shared_build(base: Path, name: str, make: Callable[[Path], dict]) -> tuple[Path, dict]:
    """A build made once for the whole test run, whichever test process asks first.

    Under pytest-xdist each process has its own base temp folder inside one folder for the
    run: the build goes there, made by the first process under a file lock and read by the
    others. `make(dest)` builds into dest and returns facts about it (JSON), kept beside it.
    Tests must only read what is built here (session fixtures share it already).
    """
    from filelock import FileLock

    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    dest, done = root / name, root / f"{name}.done.json"
    with FileLock(str(root / f"{name}.lock")):
        if not done.exists():
            facts = make(dest)
            done.write_text(json.dumps(facts), encoding="utf-8")
    return dest, json.loads(done.read_text(encoding="utf-8"))


def add_process_records(kb: Path) -> Path:
    """Add the need and use-review records of tests/fixtures/kb-process to a copy of kb-small,
    and name on each question the needs it serves (issue #11)."""
    import shutil

    for folder in ("needs", "use-reviews", "feedback", "products"):
        shutil.copytree(PROCESS_RECORDS / folder, kb / folder)
    for path in kb.glob("questions/*/*.yml"):
        needs = SMALL_KB_NEEDS[path.stem]
        text = path.read_text(encoding="utf-8").rstrip("\n")
        path.write_text(text + f"\nneeds: [{', '.join(needs)}]\n", encoding="utf-8")
    return kb


def copy_project(dest: Path, kb: Path) -> Path:
    """A frozen copy of the project (mkdocs.yml, docs/, overrides/) with kb as its kb/."""
    import shutil

    for name in ("docs", "overrides"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(kb, dest / "kb")
    shutil.copytree(ROOT / "library", dest / "library")  # the sample kb adopts from it
    # mkdocs.yml compares the country with the second sample country (compare_with).
    shutil.copytree(ROOT / "examples", dest / "examples")
    return dest


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    """(status, body); status 0 while nothing answers yet."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:  # e.g. mkdocs serve's 404 page
        return err.code, err.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def wait_until(check, what: str, seconds: float = 60) -> None:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out after {seconds}s waiting for {what}")


def imported_modules(path: Path) -> set[str]:
    """Top-level names of the modules a Python file imports (absolute imports only)."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def modules_importing(name: str) -> list[str]:
    """Files of the generator package that import the module name."""
    return sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "generator").rglob("*.py")
                  if name in imported_modules(p))


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve_folder(folder: Path, port: int = 0) -> Iterator[str]:
    """A built site over local HTTP (file:// would take Material's offline paths): its URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@contextmanager
def without_process_memos() -> Iterator[None]:
    """As in a new process: a plugin object of its own, without the memos earlier builds
    kept in memory (the plugin's, the FALSE DATA files, pyxform's verdicts); what this
    process held is put back after. A warm build then reads them from the cache folder."""
    from generator import page_memo
    from generator.xlsform import export

    kept = MkDocsConfig.plugins.plugin_cache  # type: ignore[attr-defined]
    saved = dict(kept), dict(page_memo._FALSE), set(export._ACCEPTED)
    kept.clear()
    page_memo._FALSE.clear()
    export._ACCEPTED.clear()
    try:
        yield
    finally:
        kept.clear()
        kept.update(saved[0])
        page_memo._FALSE.clear()
        page_memo._FALSE.update(saved[1])
        export._ACCEPTED.clear()
        export._ACCEPTED.update(saved[2])
