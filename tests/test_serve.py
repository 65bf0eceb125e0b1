"""`mkdocs serve` rebuilds the site when a kb YAML file changes (live reload)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from support import ROOT, SMALL_KB

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, text: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        body = fetch(url)
        if body is not None and text in body:
            return body
        time.sleep(0.5)
    raise AssertionError(f"{text!r} did not appear at {url} within {seconds}s")


def test_serve_reloads_when_a_question_changes(tmp_path: Path) -> None:
    for name in ("docs", "overrides"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(SMALL_KB, tmp_path / "kb")
    port = free_port()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/questions/wash/wash-water-source/"
        wait_for(url, "Identify locations where IDPs drink from unsafe sources.")
        record = tmp_path / "kb/questions/wash/wash-water-source.yml"
        record.write_text(record.read_text().replace(
            "purpose: Identify locations", "purpose: Reloaded purpose. Identify locations"))
        wait_for(url, "Reloaded purpose. Identify locations")
    finally:
        server.terminate()
        _, err = server.communicate(timeout=20)
    assert "Traceback" not in err
