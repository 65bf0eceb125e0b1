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


@main.command("build")
@click.option("-f", "--config-file", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("mkdocs.yml"), help="The project's mkdocs.yml.")
@click.option("-d", "--site-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where the site goes (default: site_dir of mkdocs.yml, i.e. site/).")
def build_command(config_file: Path, site_dir: Path | None) -> None:
    """Build the site like `mkdocs build`, but replace SITE_DIR only once the build is
    complete: a failed or killed build leaves the previous site as it was."""
    import logging

    from mkdocs.exceptions import MkDocsException

    from .sitebuild import build_site_atomically

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(handler)
    mkdocs_log.setLevel(logging.INFO)
    try:
        dest = build_site_atomically(config_file, site_dir)
    except MkDocsException:  # mkdocs has logged the reasons above
        click.echo("Build failed: the previous site is unchanged.", err=True)
        sys.exit(1)
    except OSError as err:
        click.echo(f"Build failed: {err}. The previous site is unchanged.", err=True)
        sys.exit(1)
    click.echo(f"Built the site into {dest}")


main.add_command(bundle_command)
main.add_command(new_command)
main.add_command(diff_command)


if __name__ == "__main__":  # pragma: no cover
    main()
