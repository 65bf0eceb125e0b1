"""One exception root: the command line prints any ToolkitError as a message, never a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from generator import errors
from generator.cli import main
from generator.loader import load_or_raise
from generator.mockup import MockupError
from generator.yamlio import YamlProblem


@pytest.fixture
def failing_command() -> Iterator[str]:
    @click.command("explode")
    def explode() -> None:
        raise errors.DiffError("unknown git ref 'nope': use a branch, tag or commit")

    main.add_command(explode)
    try:
        yield "explode"
    finally:
        main.commands.pop("explode")


def test_cli_prints_a_toolkit_error_cleanly(failing_command: str) -> None:
    result = CliRunner().invoke(main, [failing_command])
    assert result.exit_code == 1
    assert result.output == "Error: unknown git ref 'nope': use a branch, tag or commit\n"
    assert isinstance(result.exception, SystemExit)


def test_exceptions_share_one_root(small_kb: Path) -> None:
    for cls in (errors.InvalidKnowledgeBase, errors.KbFileError, errors.BundleError,
                errors.DiffError, errors.ScaffoldError, YamlProblem, MockupError):
        assert issubclass(cls, errors.ToolkitError), cls
    assert not issubclass(errors.ToolkitError, click.ClickException)  # the core stays click-free
    (small_kb / "country.yml").unlink()
    with pytest.raises(errors.ToolkitError) as info:
        load_or_raise(small_kb)
    assert isinstance(info.value, errors.InvalidKnowledgeBase)
    # Without country.yml the site languages are unknown: no warning about each translation.
    assert info.value.report.codes()[0] == "file-missing"
    assert "translation-language" not in info.value.report.codes()
    assert "kb/country.yml:1: file is missing" in str(info.value)
