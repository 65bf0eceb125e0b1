"""The `toolkit` command line: validate the kb, write pages, and more."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import yaml

from .bundle import bundle_command
from .diff import diff_command
from .export import write_source
from .loader import load
from .scaffold import new_command

KB_OPTION = click.argument(
    "kb", type=click.Path(file_okay=False, path_type=Path), default=Path("kb"), required=False
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Country toolkit generator for DTM and partners."""


@main.command()
@KB_OPTION
@click.option("--format", "style", type=click.Choice(["text", "github"]), default="text",
              help="github: also print workflow annotations shown on the PR's files.")
def validate(kb: Path, style: str) -> None:
    """Check every record of KB (default: kb) and report all problems at once."""
    _, report = load(kb)
    if style == "github":
        for p in report.sorted():
            click.echo(p.github())
    click.echo(report.format(), err=not report.ok)
    sys.exit(0 if report.ok else 1)


@main.command()
@KB_OPTION
def schema(kb: Path) -> None:
    """Write a JSON Schema per record kind into KB/schemas (for editor autocompletion)."""
    from .schema import SCHEMA_DIR, write_schemas

    for path in write_schemas(kb / SCHEMA_DIR):
        click.echo(f"wrote {path}")


@main.command()
@KB_OPTION
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write docs/, overrides/ and mkdocs.yml into.")
@click.option("--project", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              help="Folder holding mkdocs.yml, docs/ and overrides/.")
@click.option("--internal", is_flag=True, help="Include confidential fields. Never publish.")
@click.option("--no-mockups", is_flag=True, help="Skip the mock-up charts (faster).")
def render(kb: Path, out: Path, project: Path, internal: bool, no_mockups: bool) -> None:
    """Write the site source (Markdown) for any MkDocs-compatible engine to build."""
    from .export import default_edit_url, plugin_settings
    from .pages import Options

    kb_obj, report = load(kb, internal=internal)
    if kb_obj is None:
        click.echo(report.format(), err=True)
        sys.exit(1)
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8")) or {}
    settings = plugin_settings(config)
    options = Options(edit_url=settings.get("edit_url") or default_edit_url(config),
                      mockups=not no_mockups)
    n = write_source(kb_obj, project, out, options)
    click.echo(f"Wrote {n} generated pages and the site source to {out}. "
               f"Build it with: cd {out} && mkdocs build")


@main.group("export")
def export_group() -> None:
    """Write the kb in another format (XLSForm)."""


@export_group.command("xlsform")
@KB_OPTION
@click.option("--round", "round_number", type=int, help="Round to export (default: current).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Workbook to write (default: <form_id>.xlsx).")
@click.option("--internal", is_flag=True, help="Include confidential questions. Never publish.")
def export_xlsform_command(kb: Path, round_number: int | None, out: Path | None,
                           internal: bool) -> None:
    """The agreed questions as an XLSForm for Kobo/ODK, checked with pyxform."""
    from .xlsform.export import ExportError, build_sheets, convert, to_xlsx

    kb_obj, report = load(kb, internal=internal)
    if kb_obj is None:
        click.echo(report.format(), err=True)
        sys.exit(1)
    try:
        sheets = build_sheets(kb_obj, round_number)
        data = to_xlsx(sheets)
        convert(data)
    except ExportError as err:
        raise click.ClickException(f"export failed: {err}") from err
    dest = out or Path(f"{sheets.settings['form_id']}.xlsx")
    dest.write_bytes(data)
    n = sum(1 for r in sheets.survey if r.get("kb_id"))
    click.echo(f"Wrote {dest}: {n} questions, {len(sheets.survey)} survey rows, "
               f"{len(sheets.choices)} choices; pyxform converts it to a valid XForm.")


@main.group("import")
def import_group() -> None:
    """Read records from another format (XLSForm)."""


@import_group.command("xlsform")
@click.argument("form", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--into", "kb", type=click.Path(file_okay=False, path_type=Path),
              default=Path("kb"), help="kb folder to create or update (default: kb).")
@click.option("--sector-column", default="sector",
              help="Survey column holding each question's sector id (default: sector).")
@click.option("--sector", "default_sector", help="Sector id for rows without one.")
@click.option("--force", is_flag=True, help="Overwrite fields written by hand in the kb.")
def import_xlsform_command(form: Path, kb: Path, sector_column: str,
                           default_sector: str | None, force: bool) -> None:
    """Create or update question records from an XLSForm; report every row and column."""
    from .xlsform.import_ import ImportError_, import_xlsform

    try:
        result = import_xlsform(form, kb, sector_column=sector_column,
                                default_sector=default_sector, force=force)
    except ImportError_ as err:
        raise click.ClickException(f"{form}: {err} Nothing was changed.") from err
    click.echo(result.report())


main.add_command(bundle_command)
main.add_command(new_command)
main.add_command(diff_command)


if __name__ == "__main__":  # pragma: no cover
    main()
