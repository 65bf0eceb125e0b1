"""Safe YAML reading for untrusted pull-request input, keeping line numbers for errors."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

# A question file is a few KB; anything far bigger is a mistake or an attack.
MAX_FILE_BYTES = 256 * 1024
MAX_NODES = 20_000


class YamlProblem(Exception):
    def __init__(self, line: int, message: str, fix: str) -> None:
        super().__init__(message)
        self.line, self.message, self.fix = line, message, fix


class KbLoader(yaml.SafeLoader):
    """SafeLoader without aliases, duplicate keys or YAML 1.1 yes/no/on/off booleans.

    Aliases are refused outright: even safe_load expands them, so a few lines can
    become gigabytes ("billion laughs"). Editors never need them in kb records.
    """

    nodes_seen = 0

    def compose_node(self, parent: Node | None, index: object) -> Node | None:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise YamlProblem(
                event.start_mark.line + 1,
                "YAML aliases (*name) are not allowed in kb files",
                "write the value out in full instead of referring to an &anchor",
            )
        self.nodes_seen += 1
        if self.nodes_seen > MAX_NODES:
            raise YamlProblem(1, "the file has too many values", "split it into smaller records")
        return super().compose_node(parent, index)  # type: ignore[arg-type]

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:  # type: ignore[override]
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, ScalarNode):
                line = key_node.start_mark.line + 1
                if key_node.value in seen:
                    raise YamlProblem(
                        line,
                        f"key '{key_node.value}' appears twice "
                        f"(also on line {seen[key_node.value]})",
                        "keep one of the two lines",
                    )
                seen[key_node.value] = line
        return super().construct_mapping(node, deep=deep)


# YAML 1.1 reads yes/no/on/off as booleans: an option code "no" would silently become False.
KbLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
KbLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


@dataclass(frozen=True)
class YamlDoc:
    path: Path
    data: Any
    root: Node | None

    def line(self, loc: Sequence[str | int]) -> int:
        """Line (1-based) of the deepest node that exists along a pydantic error location."""
        node = self.root
        line = node.start_mark.line + 1 if node else 1
        for part in loc:
            if isinstance(node, MappingNode):
                for key, value in node.value:
                    if isinstance(key, ScalarNode) and key.value == str(part):
                        line, node = key.start_mark.line + 1, value
                        break
                else:
                    return line
            elif isinstance(node, SequenceNode) and isinstance(part, int):
                if part >= len(node.value):
                    return line
                node = node.value[part]
                line = node.start_mark.line + 1
            else:
                return line
        return line


def read_yaml(path: Path) -> YamlDoc:
    """Read one kb file. Raises YamlProblem with a line and a fix for anything unreadable."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise YamlProblem(
            1,
            f"file is {size // 1024} KB; kb files may be at most {MAX_FILE_BYTES // 1024} KB",
            "split it into one record per file",
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise YamlProblem(line, "the file is not UTF-8 text", "save it as UTF-8") from None
    loader = KbLoader(text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 1
        what = " ".join(str(x) for x in (err.context, err.problem) if x)
        start = err.context_mark
        if start is not None and mark is not None and start.line != mark.line:
            what += f" (it starts on line {start.line + 1})"
        raise YamlProblem(
            line,
            f"YAML syntax error: {what}",
            "check indentation (spaces, not tabs) and that every 'key: value' has a space "
            "after the colon; quote text that contains ': ' or starts with a special character",
        ) from None
    except yaml.YAMLError as err:
        raise YamlProblem(1, f"YAML error: {err}", "check the file's syntax") from None
    finally:
        loader.dispose()
    return YamlDoc(path, data, root)
