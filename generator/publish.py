"""`toolkit publish`: one version of the site per round on the gh-pages branch, with mike.

The current round (kb/country.yml `round.number`) goes out as version `round-N` with the
alias `latest`; earlier rounds stay where they were, byte for byte, and Material's version
selector (`extra.version.provider: mike`) lists them all from versions.json. A plan that is
not signed off (rounds.py says what that requires) is refused unless `draft`, which
publishes `round-N-draft` and leaves `round-N` and `latest` alone; the signed-off round
later replaces its draft. `latest` never moves back to an older round that is published
again (a correction).

The site is built here, in-process, into a temporary folder and checked for the internal
mark before mike commits it: an internal build can never reach the branch. mike works on the
git repository of the current directory, so everything runs inside `project`.

Click-free: the command in cli.py only parses options and prints.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import InvalidKnowledgeBase, ToolkitError
from .export import PLUGIN_NAME
from .i18n.languages import Language
from .i18n.site import declared
from .internal_mark import (
    FILE_WARNING,
    MARK_FILE,
    InternalBuildError,
    has_mark,
    refuse_if_internal,
)
from .loader import load
from .reproducible import zip_entries
from .rounds import LATEST, RoundStatus, round_status

DEFAULT_BRANCH = "gh-pages"


class PublishError(ToolkitError):
    """The round cannot be published (plan not signed off, not a git repository, ...)."""


@dataclass(frozen=True)
class PublishResult:
    version: str
    aliases: tuple[str, ...]
    branch: str
    commit: str
    pushed: bool
    changed: bool  # False: this round was already published with the same files
    versions: tuple[str, ...]  # every version on the branch afterwards, newest first


@contextlib.contextmanager
def _inside(folder: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def _git(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(["git", *args], capture_output=True, text=True)
    if check and done.returncode != 0:
        raise PublishError(f"git {args[0]} failed: {done.stderr.strip()}")
    return done


def _sync_from_remote(remote: str, branch: str) -> None:
    """Bring the remote's branch into the local one first, so a push never drops a round."""
    listed = _git("ls-remote", "--heads", remote, branch).stdout.strip()
    if not listed:
        return  # first publish: the branch is created locally and pushed
    done = _git("fetch", "--quiet", remote, f"refs/heads/{branch}:refs/heads/{branch}",
                check=False)
    if done.returncode != 0:
        raise PublishError(
            f"the local {branch} branch has commits the remote's has not "
            f"({done.stderr.strip()}). Fix: push or delete the local {branch} branch, then "
            "publish again.")


def check_bundle(bundle: Path) -> None:
    """Refuse an offline bundle that is internal (by its name or by the mark inside)."""
    if FILE_WARNING in bundle.name:
        raise InternalBuildError(f"{bundle} is an internal bundle ({FILE_WARNING}); "
                                 "refusing to publish it. Fix: attach a public bundle.")
    marked = any(name == MARK_FILE or (name.endswith(".html") and has_mark(data[:8192]))
                 for name, data in zip_entries(bundle))
    if marked:
        raise InternalBuildError(f"{bundle} holds an internal build; refusing to publish it. "
                                 "Fix: build the bundle without --internal.")


def build_site(project: Path, kb: Path, site_dir: Path, version: str, language: str = "",
               roots: dict[str, str] | None = None) -> object:
    """Build the project's site of kb into site_dir, as mike would, in one site language
    ("": the source) whose selector finds the other languages at `roots`; returns the
    config."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site_dir))
    toolkit = config.plugins.get(PLUGIN_NAME)
    if toolkit is None:
        raise PublishError(f"{project / 'mkdocs.yml'} does not use the {PLUGIN_NAME} plugin")
    # The kb whose round was checked is the kb that is built.
    toolkit.config["kb"] = str(kb.resolve())
    toolkit.config["language"] = language
    if roots is not None:
        config.extra["toolkit_language_roots"] = roots
    # Material's version selector reads versions.json, which mike keeps on the branch.
    version_extra = config.extra.get("version") or {}
    config.extra["version"] = {"provider": "mike", **version_extra}
    saved = os.environ.get("MIKE_DOCS_VERSION")
    os.environ["MIKE_DOCS_VERSION"] = version
    try:
        build(config)
    except MkDocsException as err:
        raise PublishError(f"the site did not build: {err}") from err
    finally:
        if saved is None:
            os.environ.pop("MIKE_DOCS_VERSION", None)
        else:
            os.environ["MIKE_DOCS_VERSION"] = saved
    return config


def language_layout(languages: list[Language],
                    version: str) -> dict[str, tuple[str, dict[str, str]]]:
    """Where each site language goes on the branch: the source at the root (round-N/, as a
    one-language kb has always been published), every other language under its code
    (fr/round-N/, with its own versions.json, so Material's version selector works within
    it); and, per language, where the selector finds the others from its pages' root."""
    def prefix(lang: Language) -> str:
        return "" if lang == languages[0] else lang.code

    layout = {}
    for lang in languages:
        up = "../" * (1 + bool(prefix(lang)))
        roots = {x.code: f"{up}{prefix(x) + '/' if prefix(x) else ''}{version}/"
                 for x in languages}
        layout[lang.code] = (prefix(lang), roots)
    return layout


def _round_number(version: str) -> int | None:
    """N of a signed-off round's version round-N (None for drafts and anything else)."""
    match = re.fullmatch(r"round-([0-9]+)", version)
    return int(match.group(1)) if match else None


def plan_for(kb: Path) -> RoundStatus:
    loaded, report = load(kb)
    if loaded is None:
        raise InvalidKnowledgeBase(report)
    return round_status(loaded)


def publish(project: Path, kb: Path, *, draft: bool = False, push: bool = False,
            remote: str = "origin", branch: str = DEFAULT_BRANCH,
            bundle: Path | None = None) -> PublishResult:
    """Build the current round and commit it to branch as its own version (see module doc)."""
    from mike import commands, git_utils

    project = project.resolve()
    kb = kb.resolve()  # relative to the current directory, like every command
    status = plan_for(kb)
    if not status.signed_off and not draft:
        reasons = "\n".join(f"  - {r}" for r in status.unsigned)
        raise PublishError(
            f"round {status.number}'s Data Analysis Plan is not signed off:\n{reasons}\n"
            "Fix: record the sign-off in kb/analysis-plan.yml (status: agreed, sign_off), or "
            f"publish it as a draft with --draft ({status.version(draft=True)}).")
    if bundle is not None:
        bundle = bundle.resolve()
        check_bundle(bundle)
    version = status.version(draft=draft)
    with _inside(project):
        if _git("rev-parse", "--git-dir", check=False).returncode != 0:
            raise PublishError(f"{project} is not a git repository: mike publishes to a branch "
                               "of the project's repository.")
        if push:
            _sync_from_remote(remote, branch)
        published = [str(v.version) for v in commands.list_versions(branch)]
        # latest never moves back: re-publishing round 5 (a correction) after round 6 is out
        # updates round-5 only.
        newer = [v for v in published if (n := _round_number(v)) and n > status.number]
        aliases = () if draft or newer else (LATEST,)
        languages = declared(kb)
        layout = language_layout(languages, version)
        with tempfile.TemporaryDirectory(prefix="toolkit-publish-") as tmp:
            # Every language is built and checked before anything is committed.
            built = []
            for lang in languages:
                prefix, roots = layout[lang.code]
                site = Path(tmp) / (lang.code or "site")
                config = build_site(project, kb, site, version, lang.code,
                                    roots if len(languages) > 1 else None)
                refuse_if_internal(site, f"publish it to {branch}")
                built.append((prefix, site, config))
            if bundle is not None:
                (built[0][1] / "downloads").mkdir(exist_ok=True)
                shutil.copyfile(bundle, built[0][1] / "downloads" / bundle.name)
            changed = False
            try:
                for prefix, _site, config in built:
                    try:
                        with commands.deploy(config, version, status.title(draft=draft),
                                             list(aliases), update_aliases=True,
                                             alias_type=commands.AliasType.redirect,
                                             branch=branch, deploy_prefix=prefix):
                            pass
                        changed = True
                    except git_utils.GitEmptyCommit:
                        pass
                    # The signed-off round replaces its draft, which would only mislead.
                    in_prefix = [str(v.version) for v in
                                 commands.list_versions(branch, deploy_prefix=prefix)]
                    if not draft and status.version(draft=True) in in_prefix:
                        commands.delete([status.version(draft=True)], branch=branch,
                                        deploy_prefix=prefix)
                    # Each language's root sends visitors to its latest signed-off round.
                    index = f"{prefix}/index.html" if prefix else "index.html"
                    root = _git("cat-file", "-e", f"{branch}:{index}", check=False)
                    if not draft and root.returncode != 0:
                        commands.set_default(LATEST, branch=branch, deploy_prefix=prefix)
            except (git_utils.GitError, ValueError) as err:
                raise PublishError(f"mike could not commit to {branch}: {err}") from err
        if push:
            try:
                git_utils.push_branch(remote, branch)
            except git_utils.GitError as err:
                raise PublishError(f"could not push {branch}: {err}") from err
        commit = git_utils.get_latest_commit(branch)
        versions = tuple(str(v.version) for v in commands.list_versions(branch))
    return PublishResult(version, aliases, branch, commit, push, changed, versions)
