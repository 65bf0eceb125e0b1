"""The package's shape: imports point one way, and `toolkit validate` stays light.

An import cycle (loader -> checks -> scaffold -> loader) hid which module owns what; these
tests keep it from coming back. Every import counts, including imports inside functions and
under TYPE_CHECKING: a deferred import is still a dependency.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from support import ROOT, SMALL_KB

PACKAGE = ROOT / "generator"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """module -> the generator modules it imports anywhere in its source."""
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        package = name if is_package else name.rpartition(".")[0]
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - node.level + 1]
                    origin = ".".join(base + ([node.module] if node.module else []))
                else:
                    origin = node.module or ""
                # `from pkg import sub` imports the submodule pkg.sub when there is one.
                targets = [f"{origin}.{a.name}" if f"{origin}.{a.name}" in modules else origin
                           for a in node.names]
            edges |= {t for t in targets if t in modules and t != name}
        graph[name] = edges
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_the_graph_sees_imports_inside_functions() -> None:
    graph = import_graph()
    assert "generator.loader" in graph["generator.cli"]
    assert "generator.schema" in graph["generator.cli"]  # imported inside `schema`
    assert "generator.mockup.sentence" in graph["generator.checks"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_generator_modules_import_each_other_without_cycles() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_loading_layer_imports_nothing_above_it() -> None:
    """Validation needs no pages, mock-up charts, CLI or MkDocs."""
    graph = import_graph()
    low = {"generator.errors", "generator.problems", "generator.yamlio", "generator.errors_text",
           "generator.loaded", "generator.checks", "generator.loader", "generator.schema"}
    above = {"generator.cli", "generator.pages", "generator.plugin", "generator.export",
             "generator.bundle", "generator.diff", "generator.scaffold", "generator.dap",
             "generator.mockup.results", "generator.mockup.chart"}
    for name in low:
        assert not graph[name] & above, (name, graph[name] & above)


def test_validate_does_not_import_pandas() -> None:
    code = (
        "import sys\n"
        "from generator.cli import main\n"
        f"try:\n    main(['validate', {str(SMALL_KB)!r}])\n"
        "except SystemExit as done:\n    assert done.code == 0, done.code\n"
        "heavy = sorted(m for m in ('pandas', 'numpy') if m in sys.modules)\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert "HEAVY []" in out.stdout, out.stdout
