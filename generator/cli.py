"""The `toolkit` command line: validate the kb, write pages, and more."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import click
import yaml

from .errors import ToolkitError
from .loader import load

KB_OPTION = click.argument(
    "kb", type=click.Path(file_okay=False, path_type=Path), default=Path("kb"), required=False
)


# Commands whose modules pull in MkDocs or pandas load when they run, so `toolkit validate`
# (run on every commit by pre-commit) starts fast: name -> (module, command object).
LAZY_COMMANDS = {
    "bundle": ("generator.bundle", "bundle_command"),
    "diff": ("generator.diff", "diff_command"),
    "new": ("generator.scaffold", "new_command"),
}


class ToolkitGroup(click.Group):
    """Loads LAZY_COMMANDS on use and prints any ToolkitError as a clean message."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *LAZY_COMMANDS])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS:
            module, attr = LAZY_COMMANDS[cmd_name]
            command: click.Command = getattr(importlib.import_module(module), attr)
            return command
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ToolkitError as err:
            raise click.ClickException(str(err)) from err


@click.group(cls=ToolkitGroup, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Country toolkit generator for DTM and partners."""


@main.command()
@KB_OPTION
@click.option("--format", "style", type=click.Choice(["text", "github", "json"]),
              default="text",
              help="github: also print workflow annotations shown on the PR's files; "
              "json: print the problems as a JSON list (code, path, line, field, message, fix, "
              "severity).")
def validate(kb: Path, style: str) -> None:
    """Check every record of KB (default: kb) and report all problems at once."""
    _, report = load(kb)
    if style == "json":
        click.echo(report.json())
        sys.exit(0 if report.ok else 1)
    if style == "github":
        click.echo(report.format("github"))
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
    from .export import default_edit_url, plugin_settings, write_source
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


@main.command()
@KB_OPTION
@click.option("--project", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              help="Folder holding mkdocs.yml, docs/ and overrides/, in a git repository.")
@click.option("--draft", is_flag=True,
              help="Publish a plan that is not signed off, as round-N-draft (not latest).")
@click.option("--bundle", "bundle_zip", type=click.Path(dir_okay=False, exists=True,
              path_type=Path), help="Offline bundle to offer under downloads/ of this version.")
@click.option("--branch", default="gh-pages", show_default=True)
@click.option("--push", is_flag=True, help="Push the branch to --remote afterwards.")
@click.option("--remote", default="origin", show_default=True,
              help="Remote name or URL to fetch the branch from and push it to.")
def publish(kb: Path, project: Path, draft: bool, bundle_zip: Path | None, branch: str,
            push: bool, remote: str) -> None:
    """Publish the kb's current round as version round-N (alias latest) on BRANCH, with mike."""
    import logging

    from .publish import publish as publish_round

    # MkDocs warnings (strict mode stops on them) would otherwise print without context.
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
    handler.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(handler)
    try:
        result = publish_round(project, kb, draft=draft, push=push, remote=remote,
                               branch=branch, bundle=bundle_zip)
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)
    aliases = f" (alias {', '.join(result.aliases)})" if result.aliases else ""
    where = "pushed" if result.pushed else "committed locally; push it with --push"
    click.echo(f"Published {result.version}{aliases} to {result.branch} at "
               f"{result.commit[:12]}, {where}. Versions: {', '.join(result.versions)}.")


if __name__ == "__main__":  # pragma: no cover
    main()
