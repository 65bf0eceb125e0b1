"""The `toolkit` command line: every command, and nothing else.

The work is done in click-free modules (loader, export, bundle, diff, scaffold), which raise
the exceptions of errors.py; ToolkitCommand turns those into clean one-line messages and exit
codes, so no command needs try/except and no user sees a traceback for a known failure.
Commands import their modules when they run: `toolkit validate` (run on every commit by
pre-commit) must not load MkDocs' build or pandas.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from mkdocs.exceptions import MkDocsException

from .errors import BundleError, InvalidKnowledgeBase, ToolkitError
from .loader import load
from .problems import counted
from .scaffold import (
    FEEDBACK_ABOUT,
    PARTNER_TYPES,
    PRODUCT_KINDS,
    QUESTION_TYPES,
    ScaffoldError,
)


class ToolkitCommand(click.Command):
    """A command whose known failures end with a message and exit code, not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        return _reporting(super().invoke, ctx)


def _reporting(invoke: Callable[[click.Context], Any], ctx: click.Context) -> Any:
    try:
        return invoke(ctx)
    except (click.ClickException, click.exceptions.Exit, click.Abort):
        raise
    except Exception as exc:
        clean = _clean_error(exc, ctx)
        if clean is None:
            raise
        raise clean from None


def _clean_error(exc: Exception, ctx: click.Context) -> click.ClickException | None:
    """The click exception that reports a toolkit or MkDocs error (None: not a known one)."""
    if isinstance(exc, InvalidKnowledgeBase):
        click.echo(exc.report.format(), err=True)  # the same report as `toolkit validate`
        return _Exit()
    if isinstance(exc, ScaffoldError) and getattr(exc, "param", None):
        return click.BadParameter(str(exc), ctx=ctx, param_hint=exc.param)
    if isinstance(exc, BundleError):
        return click.ClickException(f"the offline bundle was not written: {exc}")
    if isinstance(exc, ToolkitError | MkDocsException):
        # MkDocsException: also mkdocs.yml errors (bad YAML, a wrong plugin option).
        return click.ClickException(str(exc))
    return None


class _Exit(click.ClickException):
    """Ends the command with exit code 1 and no further message (it was printed)."""

    def __init__(self) -> None:
        super().__init__("")

    def show(self, file: Any = None) -> None:
        pass


class ToolkitGroup(click.Group):
    command_class = ToolkitCommand
    group_class = type  # subgroups (toolkit new ...) are ToolkitGroups too

    def invoke(self, ctx: click.Context) -> Any:
        # The same for commands added from outside (plain click commands).
        return _reporting(super().invoke, ctx)


KB_ARGUMENT = click.argument(
    "kb", type=click.Path(file_okay=False, path_type=Path), default=Path("kb"), required=False
)
KB_OPTION = click.option("--kb", type=click.Path(file_okay=False, path_type=Path),
                         default=Path("kb"), show_default=True, help="The knowledge base folder.")
PROJECT_OPTION = click.option(
    "--project", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
    help="Folder holding mkdocs.yml, docs/ and overrides/.")


@click.group(cls=ToolkitGroup, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Country toolkit generator for DTM and partners."""


@main.command()
@KB_ARGUMENT
@click.option("--format", "style", type=click.Choice(["text", "github", "json"]),
              default="text",
              help="github: also print workflow annotations shown on the PR's files; "
              "json: print the problems as a JSON list (code, path, line, field, message, fix, "
              "severity).")
def validate(kb: Path, style: str) -> None:
    """Check every record of KB (default: kb) and report all problems at once."""
    _, report = load(kb)
    if style == "text":  # JSON and annotations are read by tools: nothing else on the streams
        _migration_note(kb)
    if style == "json":
        click.echo(report.json())
        sys.exit(0 if report.ok else 1)
    if style == "github":
        click.echo(report.format("github"))
    click.echo(report.format(), err=not report.ok)
    sys.exit(0 if report.ok else 1)


def _migration_note(kb: Path) -> None:
    """A kb written for older record rules is valid, but should know newer ones exist."""
    from .migrate import SCHEMA_VERSION, schema_version

    version = schema_version(kb)
    if version is not None and version < SCHEMA_VERSION:
        click.echo(f"Note: {kb} is at schema version {version}; version {SCHEMA_VERSION} "
                   "requires each agreed question's verification and do-no-harm note. Run "
                   f"'toolkit migrate {kb}' to upgrade it.", err=True)


@main.command()
@KB_ARGUMENT
def schema(kb: Path) -> None:
    """Write a JSON Schema per record kind into KB/schemas (for editor autocompletion)."""
    from .schema import SCHEMA_DIR, write_schemas

    for path in write_schemas(kb / SCHEMA_DIR):
        click.echo(f"wrote {path}")


@main.command()
@KB_ARGUMENT
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write docs/, overrides/ and mkdocs.yml into.")
@PROJECT_OPTION
@click.option("--internal", is_flag=True, help="Include confidential fields. Never publish.")
@click.option("--no-mockups", is_flag=True, help="Skip the mock-up charts (faster).")
@click.option("--language", help="Write the site in this site language (kb/country.yml "
              "site_languages; default: the source language).")
@click.option("--all-languages", is_flag=True, help="One source per site language in "
              "OUT/<lang>/, each with its mkdocs.yml, and OUT/index.html for the site root.")
def render(kb: Path, out: Path, project: Path, internal: bool, no_mockups: bool,
           language: str | None, all_languages: bool) -> None:
    """Write the site source (Markdown) for any MkDocs-compatible engine to build."""
    from dataclasses import replace

    from .export import render_options, write_all_sources, write_source
    from .i18n.languages import find

    if language and all_languages:
        raise click.UsageError("--language and --all-languages exclude each other")
    kb_obj, report = load(kb, internal=internal)
    if kb_obj is None:
        raise InvalidKnowledgeBase(report)
    if language:
        try:
            find(kb_obj.country, language)
        except LookupError as exc:
            raise click.BadParameter(str(exc), param_hint="--language") from None
    with _mkdocs_messages():
        options = replace(render_options(project, kb, mockups=not no_mockups, loaded=kb_obj),
                          language=language or None)
    if all_languages:
        written = write_all_sources(kb_obj, project, out, options)
        for code, n in written.items():
            click.echo(f"Wrote {n} generated pages and the {code} site source to {out / code}.")
        click.echo(f"Build each with: cd {out}/<lang> && mkdocs build -d <site>/<lang>; "
                   f"then copy {out / 'index.html'} to <site>/ (it opens the source language).")
        return
    n = write_source(kb_obj, project, out, options)
    click.echo(f"Wrote {n} generated pages and the site source to {out}. "
               f"Build it with: cd {out} && mkdocs build")


@main.command("bundle")
@KB_ARGUMENT
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The zip to write [default: dist/toolkit-round-N-offline.zip].")
@PROJECT_OPTION
@click.option("--internal", is_flag=True,
              help="Include confidential fields; the zip and every page say INTERNAL — DO NOT "
              "SHARE.")
@click.option("--language", help="Only this site language (default: every language, each "
              "in its folder, with the language selector).")
def bundle_command(kb: Path, out: Path | None, project: Path, internal: bool,
                   language: str | None) -> None:
    """Build the whole site as one zip that works offline from file:// (for field teams)."""
    from .bundle import bundle

    with _mkdocs_messages():
        result = bundle(kb, out, project, internal=internal, language=language)
    click.echo(f"Wrote {result.path}: {result.files} files, {result.size / 1e6:.1f} MB, "
               f"in {result.seconds:.1f} s. Unzip it and open index.html in a browser.")


@main.command("diff")
@click.argument("base")
@KB_ARGUMENT
@click.option("--head", help="Compare with this git ref instead of the working tree.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the report to this file (e.g. for a pull-request comment).")
def diff_command(base: str, kb: Path, head: str | None, output: Path | None) -> None:
    """Questions added, removed or changed in KB since the git ref BASE, field by field.

    Flags changes that break comparability with earlier rounds. Prints Markdown (fit for a
    pull-request comment). Exits 0 whatever the differences; 1 if the comparison could not
    be made or some question files could not be read.
    """
    from .diff import diff_kb

    result = diff_kb(base, kb, head)
    click.echo(result.markdown, nl=False)
    if output is not None:
        output.write_text(result.markdown, encoding="utf-8")
    if not result.complete:
        click.echo("Some question files could not be read: run 'toolkit validate'.", err=True)
        raise SystemExit(1)


@main.command("workshop")
@KB_ARGUMENT
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("dist/workshop-pack.html"), show_default=True,
              help="The HTML file to write.")
@PROJECT_OPTION
def workshop_command(kb: Path, out: Path, project: Path) -> None:
    """Write the joint workshop pack (process, roles, plan, timeline, feedback and one
    review sheet per partner with its questions and mock-ups) as one printable HTML file.

    Public view only: confidential questions are left out, as on the public site.
    """
    from .workshop import write_workshop

    kb_obj, report = load(kb)
    if kb_obj is None:
        raise InvalidKnowledgeBase(report)
    path = write_workshop(kb_obj, out, project)
    click.echo(f"Wrote {path}: open it in a browser and print it (or save it as PDF); each "
               "partner's review sheet starts on a new page.")


@main.command("migrate")
@KB_ARGUMENT
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
def migrate_command(kb: Path, dry_run: bool) -> None:
    """Upgrade KB to the current version of the record rules (schema_version in country.yml).

    Version 2 requires each agreed question's verification and do-no-harm note. Missing ones
    are written as TODO blocks, which `toolkit validate` then lists with their lines.
    """
    from .migrate import migrate

    result = migrate(kb, dry_run=dry_run)
    if not result.needed:
        click.echo(f"{kb} is already at schema version {result.to_version}: nothing to do.")
        return
    verb = "Would update" if dry_run else "Updated"
    click.echo(f"{verb} {counted(len(result.changes), 'file')} from schema version "
               f"{result.from_version} to {result.to_version}; "
               f"{counted(result.todos, 'value')} {'says' if result.todos == 1 else 'say'} TODO.")
    if not dry_run and result.todos:
        click.echo(f"Fill them in (who verified each agreed question, and when), then run: "
                   f"toolkit validate {kb}")


@main.group("i18n")
def i18n_group() -> None:
    """Translations: what is missing or stale, fingerprints, the generator's catalogues."""


@i18n_group.command("status")
@KB_ARGUMENT
@click.option("--lang", help="Only this language (default: every site language).")
@click.option("--missing", is_flag=True, help="List every missing text with its file and line.")
def i18n_status(kb: Path, lang: str | None, missing: bool) -> None:
    """Per site language and record kind: texts translated, missing and stale."""
    from .i18n.status import status_text

    click.echo(status_text(kb, lang, missing), nl=False)


@i18n_group.command("hash")
@click.argument("record", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--lang", required=True, help="The language of the translation, e.g. fr.")
@KB_OPTION
def i18n_hash(record: Path, lang: str, kb: Path) -> None:
    """The source_hash block to write beside RECORD's translation into LANG once it is
    reviewed: toolkit validate then warns when the source text changes."""
    from .i18n.status import hash_text

    try:
        click.echo(hash_text(kb, record, lang), nl=False)
    except LookupError as err:
        raise click.ClickException(str(err)) from None


@i18n_group.command("extract")
@click.option("--new-language", "new", help="Also start a catalogue for this language code.")
def i18n_extract(new: str | None) -> None:
    """Update generator/locale/ (messages.pot and every .po) from the templates and code."""
    from .i18n.extract import new_language, update_catalogues

    if new:
        click.echo(f"wrote {new_language(new)}")
    for path in update_catalogues():
        click.echo(f"wrote {path}")


@main.group("new")
def new_command() -> None:
    """Start a new record from a template that explains every field."""


@new_command.command("question")
@click.option("--sector", required=True, help="Sector id from kb/sectors.yml, e.g. wash.")
@click.option("--id", "qid", help="Question id (default: <sector>-new-question).")
@click.option("--type", "qtype", type=click.Choice(QUESTION_TYPES),
              default="select_one", show_default=True, help="Reply type.")
@KB_OPTION
def new_question(sector: str, qid: str | None, qtype: str, kb: Path) -> None:
    """Write kb/questions/SECTOR/ID.yml with every field explained and TODOs to fill in."""
    from .scaffold import new_question

    _started(new_question(kb, sector, qid, qtype), kb)


@new_command.command("partner")
@click.option("--id", "pid", required=True, help="Partner id, e.g. wash-cluster.")
@click.option("--type", "ptype", type=click.Choice(PARTNER_TYPES), default="other",
              show_default=True, help="Kind of partner.")
@KB_OPTION
def new_partner(pid: str, ptype: str, kb: Path) -> None:
    """Write kb/partners/ID.yml with every field explained and TODOs to fill in."""
    from .scaffold import new_partner

    _started(new_partner(kb, pid, ptype), kb)


@new_command.command("need")
@click.option("--id", "nid", required=True, help="Need id, e.g. wash-water-source.")
@click.option("--partner", help="Id of the partner that raised it.")
@KB_OPTION
def new_need(nid: str, partner: str | None, kb: Path) -> None:
    """Write kb/needs/ID.yml with every field explained and TODOs to fill in."""
    from .scaffold import new_need

    _started(new_need(kb, nid, partner), kb)


@new_command.command("use-review")
@click.option("--round", "round_", type=int,
              help="The round whose data partners reviewed (default: the current round).")
@click.option("--partner", help="Only the questions this partner requested.")
@click.option("--id", "rid", help="Review id (default: round-N, or round-N-PARTNER).")
@KB_OPTION
def new_use_review(round_: int | None, partner: str | None, rid: str | None, kb: Path) -> None:
    """Write kb/use-reviews/ID.yml: an entry per question asked in the round and partner."""
    from .scaffold import new_use_review

    _started(new_use_review(kb, round_, rid, partner), kb)


@new_command.command("feedback")
@click.option("--id", "fid", required=True, help="Feedback id, e.g. r6-water-source-options.")
@click.option("--about", type=click.Choice(FEEDBACK_ABOUT), default="question",
              show_default=True, help="What the feedback is about.")
@click.option("--partner", help="Id of the partner it came from.")
@click.option("--round", "round_", type=int,
              help="The round it is about (default: the current round).")
@KB_OPTION
def new_feedback(fid: str, about: str, partner: str | None, round_: int | None,
                 kb: Path) -> None:
    """Write kb/feedback/ID.yml with every field explained and TODOs to fill in."""
    from .scaffold import new_feedback

    _started(new_feedback(kb, fid, round_, about, partner), kb)


@new_command.command("product")
@click.option("--id", "pid", required=True, help="Product id, e.g. msla-r6-report.")
@click.option("--kind", type=click.Choice(PRODUCT_KINDS), default="report",
              show_default=True, help="Kind of product.")
@click.option("--round", "round_", type=int,
              help="The round it presents (default: the current round).")
@KB_OPTION
def new_product(pid: str, kind: str, round_: int | None, kb: Path) -> None:
    """Write kb/products/ID.yml with each checklist item that applies, to fill in."""
    from .scaffold import new_product

    _started(new_product(kb, pid, kind, round_), kb)


def _started(started: Any, kb: Path) -> None:
    click.echo(f"Wrote {started.path}: {counted(started.todos, 'value')} "
               f"{'says' if started.todos == 1 else 'say'} TODO.")
    click.echo(f"Fill them in (the comments explain each field), then run: toolkit validate {kb}")


@main.command()
@KB_ARGUMENT
@PROJECT_OPTION
@click.option("--draft", is_flag=True,
              help="Publish a plan that is not signed off, as round-N-draft (not latest).")
@click.option("--bundle", "bundle_zip", type=click.Path(dir_okay=False, exists=True,
              path_type=Path), help="Offline bundle to offer under downloads/ of this version.")
@click.option("--branch", default="gh-pages", show_default=True,
              help="Branch that holds every published round.")
@click.option("--push", is_flag=True, help="Push the branch to --remote afterwards.")
@click.option("--remote", default="origin", show_default=True,
              help="Remote name or URL to fetch the branch from and push it to.")
def publish(kb: Path, project: Path, draft: bool, bundle_zip: Path | None, branch: str,
            push: bool, remote: str) -> None:
    """Publish the kb's current round as version round-N (alias latest) with mike.

    Refuses a round whose Data Analysis Plan is not signed off (unless --draft) and any
    internal build. The project folder must be in a git repository.
    """
    from .publish import publish as publish_round

    with _mkdocs_messages():
        result = publish_round(project, kb, draft=draft, push=push, remote=remote,
                               branch=branch, bundle=bundle_zip)
    aliases = f" (alias {', '.join(result.aliases)})" if result.aliases else ""
    where = "pushed" if result.pushed else "committed locally; push it with --push"
    if not result.changed:
        where = f"unchanged (already published with the same files), {where}"
    click.echo(f"Published {result.version}{aliases} to {result.branch} at "
               f"{result.commit[:12]}, {where}. Versions: {', '.join(result.versions)}.")


@contextmanager
def _mkdocs_messages() -> Iterator[None]:
    """Show MkDocs' warnings (strict mode stops on them), which would print without context."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
    handler.setLevel(logging.WARNING)
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(handler)
    try:
        yield
    finally:
        mkdocs_log.removeHandler(handler)


@main.command("build")
@click.option("-f", "--config-file", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("mkdocs.yml"), help="The project's mkdocs.yml.")
@click.option("-d", "--site-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where the site goes (default: site_dir of mkdocs.yml, i.e. site/).")
@click.option("--all-languages", is_flag=True,
              help="One build per site language (kb/country.yml) into SITE_DIR/<lang>/, "
              "with a root page leading to the source language.")
def build_command(config_file: Path, site_dir: Path | None, all_languages: bool) -> None:
    """Build the site like `mkdocs build`, but replace SITE_DIR only once the build is
    complete: a failed or killed build leaves the previous site as it was."""
    from .sitebuild import build_site_atomically

    if all_languages:
        from .i18n.multibuild import build_all_languages_atomically as build_site_atomically

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
    finally:
        mkdocs_log.removeHandler(handler)
    click.echo(f"Built the site into {dest}")


# --- the library of recommended questions (generator/library/) ---------------------------

LIBRARY_OPTION = click.option(
    "--library", "library_dir", type=click.Path(file_okay=False, path_type=Path),
    help="A library folder (default: the library declared in KB's country.yml).")


@main.group("library")
def library_command() -> None:
    """The library of recommended questions: search, list, validate, update, export."""


@library_command.command("search")
@click.argument("words", nargs=-1, required=True)
@KB_OPTION
@LIBRARY_OPTION
def library_search(words: tuple[str, ...], kb: Path, library_dir: Path | None) -> None:
    """Library questions holding every one of WORDS, best match first."""
    from .library.open import open_library
    from .library.search import search

    lib = open_library(library_dir, kb)
    found = search(lib, " ".join(words))
    for q in found:
        click.echo(f"{q.id}  [{q.sector}, {q.companion.tier}]  {q.text}")
    click.echo(f"{counted(len(found), 'question')} in {lib.info.id} {lib.info.version}.",
               err=True)


@library_command.command("list")
@click.option("--sector", help="Only this sector (library sector id, e.g. wash).")
@KB_OPTION
@LIBRARY_OPTION
def library_list(sector: str | None, kb: Path, library_dir: Path | None) -> None:
    """Every library question, by sector."""
    from .library.open import LibraryError, open_library
    from .library.search import in_sector

    lib = open_library(library_dir, kb)
    if sector is not None and sector not in lib.sectors:
        raise LibraryError(f"the library has no sector '{sector}': use one of "
                           + ", ".join(lib.sectors))
    for q in in_sector(lib, sector):
        click.echo(f"{q.id}  [{q.sector}, {q.companion.tier}]  {q.text}")


@library_command.command("validate")
@click.argument("library_dir", type=click.Path(file_okay=False, path_type=Path),
                default=Path("library"), required=False)
def library_validate(library_dir: Path) -> None:
    """Check a library folder like a country kb: every problem at once, path:line."""
    from .loader import load_library

    _, report = load_library(library_dir)
    click.echo(report.format())
    if not report.ok:
        raise SystemExit(1)


@library_command.command("schema")
@click.argument("library_dir", type=click.Path(file_okay=False, path_type=Path),
                default=Path("library"), required=False)
def library_schema(library_dir: Path) -> None:
    """Regenerate LIBRARY_DIR/schemas/ (editor autocompletion for library records)."""
    from .library.loading import write_library_schemas

    for path in write_library_schemas(library_dir):
        click.echo(f"wrote {path}")


@library_command.command("update")
@KB_ARGUMENT
@click.option("--to", help="git libraries: the tag to compare with (default: the newest).")
@click.option("--since", help="The git ref of the pinned version (default: the pinned tag, "
                              "or v<version> for a library folder).")
def library_update_command(kb: Path, to: str | None, since: str | None) -> None:
    """What changed in the library since the version KB pinned, and which adopted questions
    to review before moving the pin."""
    from .library.update import library_update

    click.echo(library_update(kb, to=to, since=since).text())


@library_command.command("companion")
@KB_OPTION
@LIBRARY_OPTION
@click.option("--country", is_flag=True,
              help="Export the country's questions (public view) instead of the library's.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("field-companion"), show_default=True,
              help="Folder for field-companion.xlsx and the printable pages.")
def library_companion(kb: Path, library_dir: Path | None, country: bool, out: Path) -> None:
    """Field Companion: a workbook with one row per question and one printable page per
    question (print it, or save it as PDF from the browser)."""
    from .library import companion
    from .library.open import open_library
    from .loader import load_or_raise

    if country:
        kbase = load_or_raise(kb)
        entries = companion.country_entries(kbase)
        title = companion.companion_title(kbase.country.name)
        languages = companion.library_languages(kbase.library)
    else:
        lib = open_library(library_dir, kb)
        entries = companion.library_entries(lib)
        title = companion.companion_title(f"{lib.info.title} {lib.info.version}")
        languages = companion.library_languages(lib)
    written = companion.write_companion(entries, out, title, languages)
    click.echo(f"Wrote {out}/field-companion.xlsx and {counted(len(written) - 1, 'page')} "
               f"in {out}.")


@main.command("adopt")
@click.argument("library_id")
@click.option("--id", "qid", help="The country question's id (default: the library id).")
@click.option("--sector", help="The country's sector id (default: the library question's).")
@KB_OPTION
def adopt_command(library_id: str, qid: str | None, sector: str | None, kb: Path) -> None:
    """Start a country question from library question LIBRARY_ID: country fields to fill in
    and every possible override commented out, with the library's value."""
    from .library.adopt import write_adoption
    from .library.open import open_library

    path = write_adoption(kb, open_library(None, kb), library_id, qid, sector)
    click.echo(f"Wrote {path}: fill in the country fields (TODO), uncomment what you "
               f"contextualise with its reason, then run: toolkit validate {kb}")


@main.command("compare")
@click.argument("kbs", nargs=-1, required=True,
                type=click.Path(file_okay=False, path_type=Path))
@click.option("--html", "html_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the comparison as a web page.")
def compare_command(kbs: tuple[Path, ...], html_out: Path | None) -> None:
    """Which library questions each country asks, which deviate, and each country's own
    questions, by sector: where data is comparable across countries (public views only)."""
    from .library.compare import as_html, as_text, compare_kbs
    from .loader import load_or_raise

    result = compare_kbs([load_or_raise(kb) for kb in kbs])
    click.echo(as_text(result))
    if html_out is not None:
        html_out.write_text(as_html(result), encoding="utf-8")
@main.group("export")
def export_group() -> None:
    """Write the kb in another format (XLSForm)."""


@export_group.command("xlsform")
@KB_ARGUMENT
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


if __name__ == "__main__":  # pragma: no cover
    main()
