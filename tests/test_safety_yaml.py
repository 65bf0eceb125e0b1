"""Hostile or broken YAML from a pull request is refused with a line and a fix, never a crash.

Every case goes through the real loader (what `toolkit validate` and the build run), so the
test also proves that nothing escapes as a traceback.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.loader import load
from generator.problems import Problem
from generator.yamlio import MAX_DEPTH, MAX_FILE_BYTES, YamlProblem, read_yaml

Q = "questions/wash/wash-water-source.yml"


def errors(kb: Path) -> list[Problem]:
    result, report = load(kb)
    assert result is None, "a hostile kb must not load"
    return report.errors


def the_error(kb: Path, rel: str = Q) -> Problem:
    found = [p for p in errors(kb) if p.path == f"kb/{rel}"]
    assert len(found) == 1, [p.format() for p in errors(kb)]
    return found[0]


def replace(kb: Path, rel: str, text: str | bytes) -> None:
    path = kb / rel
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
)


def test_alias_bomb_is_refused_fast(small_kb: Path) -> None:
    replace(small_kb, Q, BILLION_LAUGHS + "\n")
    start = time.monotonic()
    p = the_error(small_kb)
    assert time.monotonic() - start < 2
    assert (p.code, p.line) == ("yaml-alias", 2)


def test_merge_key_alias_is_refused(small_kb: Path) -> None:
    replace(small_kb, Q, "base: &b {x: 1}\nother:\n  <<: *b\n")
    assert the_error(small_kb).code == "yaml-alias"


def test_oversized_file_is_refused_before_reading(small_kb: Path) -> None:
    replace(small_kb, Q, "text: " + "x" * (MAX_FILE_BYTES + 10) + "\n")
    p = the_error(small_kb)
    assert p.code == "file-too-large" and f"at most {MAX_FILE_BYTES // 1024} KB" in p.message


def test_too_many_values_are_refused(small_kb: Path) -> None:
    replace(small_kb, Q, "a: [" + ",".join(["1"] * 30_000) + "]\n")
    assert the_error(small_kb).code == "file-too-large"


@pytest.mark.parametrize("shape", ["flow", "block"])
def test_deep_nesting_is_refused_not_a_recursion_error(small_kb: Path, shape: str) -> None:
    if shape == "flow":
        text = "a: " + "[" * 5000 + "]" * 5000 + "\n"
    else:
        text = "".join("  " * i + f"k{i}:\n" for i in range(MAX_DEPTH + 5)) + "  " * 40 + "v\n"
    replace(small_kb, Q, text)
    p = the_error(small_kb)
    assert p.code == "too-deep" and str(MAX_DEPTH) in p.message


def test_non_utf8_file_names_its_line(small_kb: Path) -> None:
    replace(small_kb, Q, "id: wash-water-source\ntext: caf\xe9 latin-1\n".encode("latin-1"))
    p = the_error(small_kb)
    assert (p.code, p.line) == ("not-utf8", 2)


def test_utf16_file_is_refused(small_kb: Path) -> None:
    replace(small_kb, Q, "id: wash-water-source\n".encode("utf-16"))
    assert the_error(small_kb).code == "not-utf8"


def test_utf8_bom_is_accepted(small_kb: Path) -> None:
    path = small_kb / Q
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    kb, report = load(small_kb)
    assert kb is not None, report.format()


def test_control_character_names_its_line(small_kb: Path) -> None:
    path = small_kb / Q
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].rstrip("\n") + "\x00\n"
    path.write_text("".join(lines), encoding="utf-8")
    p = the_error(small_kb)
    assert (p.code, p.line) == ("control-character", 3) and "#x0000" in p.message


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system ['true']",
                                 "!!python/name:os.system", "!!binary aGVsbG8=",
                                 "!!set {a, b}", "!custom x"])
def test_yaml_tags_are_refused(small_kb: Path, tag: str) -> None:
    path = small_kb / Q
    path.write_text(path.read_text(encoding="utf-8") + f"extra: {tag}\n", encoding="utf-8")
    assert the_error(small_kb).code == "yaml-tag"


def test_plain_tags_still_work(tmp_path: Path) -> None:
    path = tmp_path / "x.yml"
    path.write_text("a: !!str yes\nb: !!int '3'\n", encoding="utf-8")
    assert read_yaml(path).data == {"a": "yes", "b": 3}


@pytest.mark.parametrize(("value", "line_text"), [
    ("2026-02-30", "cannot be read as a date (day is out of range for month)"),
    ("2026-13-01", "cannot be read as a date (month must be in 1..12)"),
])
def test_impossible_date_names_its_line(small_kb: Path, value: str, line_text: str) -> None:
    rel = "partners/wash-cluster.yml"
    path = small_kb / rel
    text = path.read_text(encoding="utf-8")
    path.write_text(text + f"engagement_date: {value}\n", encoding="utf-8")
    p = the_error(small_kb, rel)
    assert (p.code, p.line) == ("unreadable-value", len(text.splitlines()) + 1)
    assert p.message == f"'{value}' {line_text}"


def test_huge_integer_is_a_problem_not_a_crash(small_kb: Path) -> None:
    path = small_kb / Q
    text = path.read_text(encoding="utf-8").replace("since_round: 1", "since_round: " + "9" * 5000)
    path.write_text(text, encoding="utf-8")
    p = the_error(small_kb)
    assert p.code == "unreadable-value"
    assert len(p.format()) < 400  # the 5,000 digits are not echoed back


def test_yaml11_surprises_stay_text(tmp_path: Path) -> None:
    """no/on/off are not booleans and 1:20 is not the number 80."""
    path = tmp_path / "x.yml"
    path.write_text("a: no\nb: on\nc: 1:20\nd: 10:30:00\ne: 1.5\nf: 12\ng: true\n",
                    encoding="utf-8")
    assert read_yaml(path).data == {"a": "no", "b": "on", "c": "1:20", "d": "10:30:00",
                                    "e": 1.5, "f": 12, "g": True}


def test_duplicate_key_names_both_lines(small_kb: Path) -> None:
    path = small_kb / Q
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "purpose: again\n", encoding="utf-8")
    p = the_error(small_kb)
    first = next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith("purpose:"))
    assert (p.code, p.line) == ("duplicate-key", len(text.splitlines()) + 1)
    assert f"(also on line {first})" in p.message


def test_symlinked_record_is_refused(small_kb: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yml"
    secret.write_text("id: dtm\nname: DTM\ntype: dtm\ntoken: s3cr3t-value\n", encoding="utf-8")
    link = small_kb / "partners" / "stolen.yml"
    link.symlink_to(secret)
    assert the_error(small_kb, "partners/stolen.yml").code == "unsafe-file"
    _, report = load(small_kb)
    assert "s3cr3t" not in report.format()


def test_symlinked_folder_is_refused(small_kb: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "wash-x.yml").write_text("id: wash-x\nsecret: s3cr3t-value\n", encoding="utf-8")
    (small_kb / "questions" / "elsewhere").symlink_to(outside, target_is_directory=True)
    assert the_error(small_kb, "questions/elsewhere/wash-x.yml").code == "unsafe-file"
    _, report = load(small_kb)
    assert "s3cr3t" not in report.format()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_named_pipe_does_not_hang(small_kb: Path) -> None:
    os.mkfifo(small_kb / "partners" / "pipe.yml")
    assert the_error(small_kb, "partners/pipe.yml").code == "unsafe-file"


def test_read_yaml_raises_yaml_problem_only(tmp_path: Path) -> None:
    path = tmp_path / "x.yml"
    for text in ("a: [", "a: 2026-02-30", "a: " + "{" * 100, "\x00", "a: *b", "- &a x\n- *a"):
        path.write_text(text, encoding="utf-8")
        with pytest.raises(YamlProblem):
            read_yaml(path)


def test_validate_command_reports_hostile_files(small_kb: Path) -> None:
    replace(small_kb, Q, BILLION_LAUGHS + "\n")
    (small_kb / "partners" / "deep.yml").write_text("a: " + "[" * 999 + "]" * 999,
                                                    encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(small_kb)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "YAML aliases" in result.output and "nested more than" in result.output
