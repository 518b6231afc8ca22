"""The house's rule of arrows (README, "Layout"), read from the code's imports: no circle between modules or packages
of bot/ and actions/; actions/ never imports bot/; the pure floors (evidence, coverage) import nothing of the project
but the ground floor actions/constants.py; no channel imports the desk."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, Iterable, List, Set

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[1]
GROUND = "actions.constants"  # languages, the Belgian clock's zone, the covers: below every floor


def _modules() -> Dict[str, Path]:
    found = {}
    for base in ("bot", "actions"):
        for path in (ROOT / base).rglob("*.py"):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


MODULES = _modules()


def _runtime_imports(tree: ast.AST) -> Iterable[ast.stmt]:
    """Import statements, except those under `if TYPE_CHECKING:` (annotations only, no arrow at run time)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", getattr(node.test, "attr", "")) == "TYPE_CHECKING":
            for inner in ast.walk(node):
                inner._type_checking = True  # type: ignore[attr-defined]
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)) and not getattr(node, "_type_checking", False):
            yield node


def _project_module(name: str) -> str:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name


def _imports_of(module: str) -> Set[str]:
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: List[str] = []
    for node in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
            continue
        base = node.module or ""
        if node.level:
            parts = package.split(".")
            base = ".".join(parts[:len(parts) - node.level + 1] + ([node.module] if node.module else []))
        names += [base] + [f"{base}.{alias.name}" for alias in node.names]
    return {found for found in map(_project_module, names) if found and found != module}


GRAPH = {module: _imports_of(module) for module in MODULES}


def _package(module: str) -> str:
    return ".".join(module.split(".")[:2])


def _circles(graph: Dict[str, Set[str]]) -> List[List[str]]:
    """Strongly connected parts of more than one node (Tarjan)."""
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack: List[str] = []
    circles: List[List[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            part = []
            while True:
                other = stack.pop()
                part.append(other)
                if other == node:
                    break
            if len(part) > 1:
                circles.append(sorted(part))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return circles


def test_the_reader_sees_the_imports_it_checks():
    # A reader that saw nothing would pass every rule below.
    assert "actions.coverage" in {_package(m) for m in GRAPH["actions.claims.models"]}
    assert "bot.channels.relay" in GRAPH["bot.channels.webchat"]


def test_no_module_imports_itself_through_others():
    assert _circles(GRAPH) == []


def test_no_package_imports_itself_through_others():
    packages: Dict[str, Set[str]] = {}
    for module, imports in GRAPH.items():
        packages.setdefault(_package(module), set()).update(
            _package(other) for other in imports if _package(other) != _package(module))
    assert _circles(packages) == []


def test_actions_never_import_the_bot():
    upward = {m: sorted(i for i in imports if i.startswith("bot")) for m, imports in GRAPH.items()
              if m.startswith("actions")}
    assert {m: i for m, i in upward.items() if i} == {}


@pytest.mark.parametrize("floor", ["actions.evidence", "actions.coverage"])
def test_the_pure_floors_import_nothing_else_of_the_project(floor):
    outside = {m: sorted(i for i in imports if _package(i) != floor and i != GROUND)
               for m, imports in GRAPH.items() if _package(m) == floor}
    assert {m: i for m, i in outside.items() if i} == {}


def test_no_channel_imports_the_desk():
    assert {m: sorted(i) for m, imports in GRAPH.items() if m.startswith("bot.channels")
            for i in [[x for x in imports if x.startswith("bot.desk")]] if i} == {}
