"""Ids become file and URL paths: no id, reference or file name can leave its folder."""

from __future__ import annotations

import posixpath
import shutil
from pathlib import Path

import pytest
import yaml
from support import SAMPLE_KB

from generator.loader import load, load_or_raise
from generator.models import Partner, Question
from generator.models.common import ID_RE
from generator.pages import render_site

Q = "questions/wash/wash-water-source.yml"

BAD_IDS = [
    "../evil", "..", "../../etc/passwd", "a/b", "a\\b", "/abs", "Wash", "wash water",
    "wash_water", "-wash", "wаsh",  # the last one has a Cyrillic "а"
    "wash%2f..", "wash\u200b", "x" * 65, "", "wash.yml", "a\nb", "~root",
]


def set_field(kb: Path, rel: str, key: str, value: object) -> None:
    path = kb / rel
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    node = data
    *parents, last = key.split(".")
    for part in parents:
        node = node[part]
    node[last] = value
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def error_fields(kb: Path) -> list[tuple[str, str, str]]:
    """(code, file, field) of every error."""
    result, report = load(kb)
    assert result is None
    return [(p.code, p.path, p.field) for p in report.errors]


@pytest.mark.parametrize("bad", BAD_IDS)
def test_question_id_must_be_a_slug(small_kb: Path, bad: str) -> None:
    set_field(small_kb, Q, "id", bad)
    found = error_fields(small_kb)
    assert ("invalid-id", f"kb/{Q}", "id") in found, found


@pytest.mark.parametrize("bad", ["../../partners", "wash/../protection", "WASH"])
def test_sector_cannot_point_elsewhere(small_kb: Path, bad: str) -> None:
    set_field(small_kb, Q, "sector", bad)
    assert ("invalid-id", f"kb/{Q}", "sector") in error_fields(small_kb)


@pytest.mark.parametrize("key", ["requested_by", "analysis.analysed_by", "key_informant"])
def test_references_must_be_slugs(small_kb: Path, key: str) -> None:
    set_field(small_kb, Q, key, ["../dtm"])
    assert ("invalid-id", f"kb/{Q}", f"{key}[1]") in error_fields(small_kb)


def test_partner_role_keys_must_be_slugs() -> None:
    with pytest.raises(ValueError, match="roles"):
        Partner.model_validate({"id": "x", "name": "X", "type": "ngo",
                                "roles": {"../collect": "does things"}})


@pytest.mark.parametrize("name", ["Wash Water.yml", "wash_water.yml", "WASH.yml"])
def test_file_name_must_be_a_valid_id(small_kb: Path, name: str) -> None:
    shutil.move(small_kb / Q, small_kb / "questions" / "wash" / name)
    found = error_fields(small_kb)
    assert ("id-mismatch", f"kb/questions/wash/{name}", "id") in found, found


def test_id_regex_has_no_trailing_newline_loophole() -> None:
    assert ID_RE.match("wash-water")
    for bad in BAD_IDS + ["wash\n", "wash\r\n"]:
        assert not ID_RE.match(bad), repr(bad)


def test_model_rejects_every_bad_id() -> None:
    base = yaml.safe_load((SAMPLE_KB / "questions" / "wash" / "wash-water-source.yml")
                          .read_text(encoding="utf-8"))
    for bad in BAD_IDS:
        if bad.strip() != bad:
            continue  # surrounding whitespace is stripped: covered by the file-name check
        with pytest.raises(ValueError):
            Question.model_validate({**base, "id": bad})


def test_every_generated_path_stays_inside_docs(tmp_path: Path) -> None:
    kb = load_or_raise(SAMPLE_KB)
    for page in render_site(kb):
        path = page.path
        assert path == posixpath.normpath(path), path
        assert not path.startswith(("/", "..")) and "\\" not in path, path
        assert all(part and part not in (".", "..") for part in path.split("/")), path
        target = (tmp_path / path).resolve()
        assert target.is_relative_to(tmp_path.resolve()), path
