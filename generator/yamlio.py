"""Safe YAML reading for untrusted pull-request input, keeping line numbers for errors."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import KbFileError
from .problems import shown

# A question file is a few KB; anything far bigger is a mistake or an attack.
MAX_FILE_BYTES = 256 * 1024
MAX_NODES = 20_000
# Records nest a handful of levels; the composer recurses per level, so "[[[[..." thousands
# deep would crash with RecursionError instead of a report.
MAX_DEPTH = 32
# Explicit tags a person might write (!!str yes); anything else (!!python/..., !!binary,
# !!set) either fails or builds values no record field accepts.
ALLOWED_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
}


class YamlProblem(KbFileError):
    """A kb file that cannot be read; `code` is its problem code (problems.KINDS)."""

    def __init__(self, line: int, message: str, fix: str, code: str = "yaml-syntax") -> None:
        super().__init__(message)
        self.line, self.message, self.fix, self.code = line, message, fix, code


# libyaml parses about ten times faster than pure Python: at 1,000 questions that is most of
# the time spent loading. The checks below run on its event stream, so both behave alike.
_BASE: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def check_events(text: str) -> None:
    """Refuse aliases, unknown tags, too many values and deep nesting before composing.

    Aliases are refused outright: even safe_load expands them, so a few lines can become
    gigabytes ("billion laughs"). Depth is checked on the event stream because composing
    recurses once per level, in C with libyaml, where no RecursionError would stop it.
    """
    loader = _BASE(text)
    try:
        depth = nodes = 0
        while (event := loader.get_event()) is not None:
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue
            line = event.start_mark.line + 1
            if isinstance(event, yaml.AliasEvent):
                raise YamlProblem(
                    line,
                    "YAML aliases (*name) are not allowed in kb files",
                    "write the value out in full instead of referring to an &anchor",
                    "yaml-alias",
                )
            # The parser has already expanded "!!x" to the full yaml.org tag.
            tag = getattr(event, "tag", None)
            if tag and tag != "!" and tag not in ALLOWED_TAGS:
                raise YamlProblem(
                    line,
                    f"YAML tags such as '{shown(tag.replace('tag:yaml.org,2002:', '!!'))}' are "
                    "not allowed in kb files",
                    "remove the tag (the word starting with '!') and write a plain value",
                    "yaml-tag",
                )
            nodes += 1
            if nodes > MAX_NODES:
                raise YamlProblem(line, "the file has too many values",
                                  "split it into smaller records", "file-too-large")
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise YamlProblem(
                        line,
                        f"values are nested more than {MAX_DEPTH} levels deep",
                        "kb records nest only a few levels: check the indentation and brackets",
                        "too-deep",
                    )
    finally:
        loader.dispose()


class KbLoader(_BASE):  # type: ignore[misc,valid-type]
    """Safe loading without duplicate keys or YAML 1.1 yes/no/on/off booleans."""

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        # Constructors raise bare ValueErrors for values that look typed but are not:
        # 2026-02-30 (no such day), an integer of 5,000 digits. Give them a line and a fix.
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError) as err:
            value = shown(node.value if isinstance(node, ScalarNode) else "", 40)
            if node.tag.endswith(":timestamp"):
                what, fix = "date", "write a real date as YYYY-MM-DD, e.g. 2026-09-30"
            else:
                what, fix = "number", "write a smaller number, or put the text in quotes"
            raise YamlProblem(
                node.start_mark.line + 1, f"'{value}' cannot be read as a {what} ({err})", fix,
                "unreadable-value",
            ) from None

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:  # type: ignore[override]
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, ScalarNode):
                line = key_node.start_mark.line + 1
                if key_node.value in seen:
                    raise YamlProblem(
                        line,
                        f"key '{shown(key_node.value)}' appears twice "
                        f"(also on line {seen[key_node.value]})",
                        "keep one of the two lines",
                        "duplicate-key",
                    )
                seen[key_node.value] = line
        return super().construct_mapping(node, deep=deep)


# YAML 1.1 reads yes/no/on/off as booleans: an option code "no" would silently become False.
# It also reads 1:20 as the sexagesimal number 80; YAML 1.2 (and every person) reads text.
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
KbLoader.yaml_implicit_resolvers = {
    first: [
        (tag, rx)
        for tag, rx in resolvers
        if tag not in ("tag:yaml.org,2002:bool", _INT, _FLOAT)
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
KbLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)
KbLoader.add_implicit_resolver(
    _INT,
    re.compile(
        r"""^(?:[-+]?0b[0-1_]+
        |[-+]?0[0-7_]+
        |[-+]?(?:0|[1-9][0-9_]*)
        |[-+]?0x[0-9a-fA-F_]+)$""",
        re.X,
    ),
    list("-+0123456789"),
)
KbLoader.add_implicit_resolver(
    _FLOAT,
    re.compile(
        r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
        |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
        re.X,
    ),
    list("-+0123456789."),
)


# What a value is, in YamlDoc.lines: line() goes into mappings by key, sequences by index.
_SCALAR, _MAPPING, _SEQUENCE = 0, 1, 2
Lines = dict[tuple[str | int, ...], tuple[int, int]]


@dataclass(frozen=True)
class YamlDoc:
    path: Path
    data: Any
    # (line, kind) of each value by its path of keys and indexes, () for the document. The
    # composed node tree it is read from held three objects per value (a node, two marks):
    # 330,000 at 1,000 questions, kept all build long (and by `mkdocs serve`'s parse memo)
    # and walked by every full garbage collection. These tuples hold no references to walk.
    lines: Lines

    def line(self, loc: Sequence[str | int]) -> int:
        """Line (1-based) of the deepest node that exists along a pydantic error location."""
        entry = self.lines.get(())
        if entry is None:
            return 1
        line, kind = entry
        path: tuple[str | int, ...] = ()
        for part in loc:
            if kind == _MAPPING:
                path = (*path, str(part))
            elif kind == _SEQUENCE and isinstance(part, int):
                path = (*path, part)
            else:
                return line
            entry = self.lines.get(path)
            if entry is None:
                return line
            line, kind = entry
        return line


def node_lines(root: Node | None) -> Lines:
    """YamlDoc.lines of a composed document: a mapping's value is at its key's line (the
    first of two equal keys), a sequence's item where it starts."""
    lines: Lines = {}
    if root is None:
        return lines
    todo: list[tuple[tuple[str | int, ...], int, Node]] = [((), root.start_mark.line + 1, root)]
    while todo:
        path, line, node = todo.pop()
        if isinstance(node, MappingNode):
            lines[path] = (line, _MAPPING)
            for key, value in node.value:
                if isinstance(key, ScalarNode) and (*path, key.value) not in lines:
                    child = (*path, key.value)
                    lines[child] = (key.start_mark.line + 1, _SCALAR)  # until it is walked
                    todo.append((child, key.start_mark.line + 1, value))
        elif isinstance(node, SequenceNode):
            lines[path] = (line, _SEQUENCE)
            for i, item in enumerate(node.value):
                todo.append(((*path, i), item.start_mark.line + 1, item))
        else:
            lines[path] = (line, _SCALAR)
    return lines


def _too_big(size: int) -> YamlProblem:
    return YamlProblem(
        1,
        f"file is {size // 1024} KB; kb files may be at most {MAX_FILE_BYTES // 1024} KB",
        "split it into one record per file",
        "file-too-large",
    )


def read_bytes(path: Path, within: Path | None = None,
               realpath: Callable[[str], str] = os.path.realpath) -> bytes:
    """The bytes of a regular kb file, refusing links and anything outside `within`.

    A pull request can add a symbolic link (kb/partners/x.yml -> ~/.ssh/config, or a sector
    folder pointing elsewhere); following it would read files from the build machine into
    error messages and pages. realpath: os.path.realpath, or one that keeps its answers for
    the folders of one load (the loader reads a thousand files from a dozen folders).
    """
    info = path.lstat()
    if stat.S_ISLNK(info.st_mode):
        raise YamlProblem(1, "symbolic links are not allowed in the kb",
                          "replace the link with the record file itself", "unsafe-file")
    if not stat.S_ISREG(info.st_mode):
        raise YamlProblem(1, "this is not a regular file", "kb records are plain .yml files",
                          "unsafe-file")
    if within is not None:
        # Strings, not Paths: realpath gives absolute normalised paths, compared part-wise
        # by a prefix ending in a separator (kb files are read thousands of times a build).
        # The file itself is no link (above): its real path is its folder's, and its name.
        real = os.path.join(realpath(os.path.dirname(path)), os.path.basename(path))
        root = realpath(os.fspath(within))
        if real != root and not real.startswith(os.path.join(root, "")):
            raise YamlProblem(1, "the file lies outside the knowledge base folder "
                              "(a folder on its path is a symbolic link)",
                              "replace the linked folder with a real folder", "unsafe-file")
    if info.st_size > MAX_FILE_BYTES:
        raise _too_big(info.st_size)
    with path.open("rb") as handle:
        # Read one byte past the limit: the size may have changed since lstat.
        raw = handle.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise _too_big(len(raw))
    return raw


def read_yaml(path: Path, within: Path | None = None) -> YamlDoc:
    """Read one kb file. Raises YamlProblem with a line and a fix for anything unreadable.

    Pass `within` (the kb folder) to refuse files that resolve outside it.
    """
    return parse_yaml(path, read_bytes(path, within))


def parse_yaml(path: Path, raw: bytes) -> YamlDoc:
    """The YAML document in raw, the bytes read_bytes returned for path."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise YamlProblem(line, "the file is not UTF-8 text", "save it as UTF-8",
                          "not-utf8") from None
    try:
        check_events(text)
        # The reader checks characters as soon as it is created, so this is inside the try.
        loader = KbLoader(text)
    except yaml.reader.ReaderError as err:
        raise _reader_problem(text, err) from None
    except yaml.MarkedYAMLError as err:
        raise _syntax_problem(err) from None
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as err:
        raise _syntax_problem(err) from None
    except yaml.reader.ReaderError as err:
        raise _reader_problem(text, err) from None
    except yaml.YAMLError as err:
        raise YamlProblem(1, f"YAML error: {shown(err, 300)}", "check the file's syntax") from None
    except RecursionError:  # a last resort: MAX_DEPTH should stop deep nesting first
        raise YamlProblem(1, "values are nested too deeply",
                          "kb records nest only a few levels", "too-deep") from None
    finally:
        loader.dispose()
    return YamlDoc(path, data, node_lines(root))


def _syntax_problem(err: yaml.MarkedYAMLError) -> YamlProblem:
    mark = err.problem_mark or err.context_mark
    line = mark.line + 1 if mark else 1
    if "nesting depth" in str(err.problem):  # libyaml's own limit, met while reading ahead
        return YamlProblem(
            line,
            f"values are nested more than {MAX_DEPTH} levels deep",
            "kb records nest only a few levels: check the indentation and brackets",
            "too-deep",
        )
    what = shown(" ".join(str(x) for x in (err.context, err.problem) if x), 300)
    start = err.context_mark
    if start is not None and mark is not None and start.line != mark.line:
        what += f" (it starts on line {start.line + 1})"
    return YamlProblem(
        line,
        f"YAML syntax error: {what}",
        "check indentation (spaces, not tabs) and that every 'key: value' has a space "
        "after the colon; quote text that contains ': ' or starts with a special character",
    )


def _reader_problem(text: str, err: yaml.reader.ReaderError) -> YamlProblem:
    line = text[: err.position].count("\n") + 1
    return YamlProblem(
        line,
        f"the file contains a control character (#x{err.character:04x}) that YAML does not "
        "allow",
        "delete it; such characters often come from copying text out of PDFs or Word",
        "control-character",
    )
