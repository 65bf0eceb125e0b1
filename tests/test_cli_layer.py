"""The code's layers: every command in cli.py, one zip writer, every command documented.

Feature modules (loader, export, bundle, diff, scaffold...) are a library under one
command-line module, as in mkdocs (__main__.py over commands/) and sqlite-utils: they can be
called from Python, tests and other tools without click, and the CLI is read in one place.
"""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from support import ROOT, modules_importing

from generator.cli import main


def test_only_cli_py_imports_click() -> None:
    assert modules_importing("click") == ["generator/cli.py"]


def test_one_zip_writer_for_the_bundle_and_the_workbook() -> None:
    # The offline bundle, the DAP workbook and the XLSForm all go through
    # reproducible.write_zip; the XLSForm import only reads (and sizes up) a form.
    readers = {"generator/xlsform/import_.py"}
    assert [m for m in modules_importing("zipfile") if m not in readers] == [
        "generator/reproducible.py"]


def commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found += commands(command, (*prefix, name))
    return found


def test_the_commands_are_the_expected_ones() -> None:
    # Guards the move into cli.py: no command was lost on the way.
    names = {" ".join(c) for c in commands(main)}
    assert {"validate", "schema", "render", "bundle", "diff", "new", "new question",
            "new partner"} <= names


@pytest.mark.parametrize("command", commands(main), ids=" ".join)
def test_every_command_has_help(command: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0, result.output
    summary = result.output.split("\n\n")[1].strip()
    assert len(summary) > 20, result.output


def test_a_feature_error_is_a_clean_message(tmp_path: Path) -> None:
    """A module's own exception reaches the user as 'Error: ...', exit 1, no traceback."""
    kb = tmp_path / "kb"
    kb.mkdir()
    result = CliRunner().invoke(main, ["new", "partner", "--id", "x-partner", "--kb", str(kb)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "sectors.yml not found" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_validate_loads_no_site_machinery() -> None:
    """Naming the errors of bundle/diff must not import them (and MkDocs' build, the pages,
    pandas through the DAP) into every command."""
    import subprocess
    import sys

    probe = ("import sys; from click.testing import CliRunner; from generator.cli import main; "
             "r = CliRunner().invoke(main, ['validate', sys.argv[1]]); "
             "print(r.exit_code, sorted(m for m in ('generator.bundle', 'generator.pages', "
             "'generator.export', 'mkdocs.commands.build') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe, str(ROOT / "kb")], capture_output=True,
                          text=True, check=True)
    assert done.stdout.split(maxsplit=1) == ["0", "[]\n"], done.stdout + done.stderr
