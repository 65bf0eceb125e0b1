"""YamlDoc.line reads a small index of where each value starts (yamlio.node_lines), not
the composed node tree: the same line for every location, existing or not."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import yaml
from support import SAMPLE_KB
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.yamlio import KbLoader, parse_yaml


def line_from_nodes(root: Node | None, loc: Sequence[str | int]) -> int:
    """YamlDoc.line as it was, walking the node tree."""
    node = root
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


def locations(data: object, at: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """Every location in data, and some that are not there."""
    yield at
    yield (*at, "missing")
    yield (*at, 0)
    if isinstance(data, dict):
        for k, v in data.items():
            yield from locations(v, (*at, k if isinstance(k, str | int) else str(k)))
    elif isinstance(data, list):
        yield (*at, len(data))
        yield (*at, str(0))
        for i, v in enumerate(data):
            yield from locations(v, (*at, i))


def nodes(raw: bytes) -> Node | None:
    loader = KbLoader(raw.decode("utf-8"))
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


AWKWARD = b"""\
id: x
1: number key
"2": text key
list:
  - a
  -
    - nested
  - {k: v, "0": zero}
empty:
multi: |
  one
  two
"""


def test_every_location_has_the_line_the_nodes_give(tmp_path: Path) -> None:
    files = sorted(SAMPLE_KB.rglob("*.yml"))
    assert len(files) > 50
    awkward = tmp_path / "awkward.yml"
    awkward.write_bytes(AWKWARD)
    checked = 0
    for path in [*files, awkward]:
        raw = path.read_bytes()
        doc, root = parse_yaml(path, raw), nodes(raw)
        for loc in locations(doc.data):
            assert doc.line(loc) == line_from_nodes(root, loc), (path, loc)
            checked += 1
    assert checked > 5000
    empty = parse_yaml(tmp_path / "e.yml", b"# nothing\n")
    assert empty.line(("id",)) == line_from_nodes(None, ("id",)) == 1


def test_the_index_holds_no_node() -> None:
    doc = parse_yaml(Path("x.yml"), AWKWARD)
    assert not any(isinstance(v, yaml.Node) for v in vars(doc).values())
    assert doc.line(("list", 2, "0")) == 8 and doc.line(("multi",)) == 10
