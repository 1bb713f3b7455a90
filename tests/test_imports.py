"""The package's import graph has no cycle, counting imports inside functions.

A cycle hidden behind a function-level import still couples two modules both ways (each
needs the other to work); the library/CLI boundary and the stage order rely on there being
none. The graph is read from the sources with `ast`, so nothing is imported to check it.
"""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "extractor"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts}


def _resolve(current: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = current.split(".") if is_package else current.split(".")[:-1]
    base = base[:len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _targets(name: str, path: Path, modules: dict) -> set:
    """The package's modules that `name` imports anywhere in its source."""
    out = set()
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            candidates = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(name, path.name == "__init__.py", node)
            candidates = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base
                          for a in node.names]
        else:
            continue
        for c in candidates:
            while c and c not in modules:  # `import extractor.x.y` names the module x.y
                c = c.rpartition(".")[0]
            if c and c != name:
                out.add(c)
    return out


def import_graph() -> dict:
    modules = _modules()
    return {name: _targets(name, path, modules) for name, path in modules.items()}


def cycles(graph: dict) -> list:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict = {}
    low: dict = {}
    on_stack: set = set()
    stack: list = []
    groups: list = []

    def visit(n):
        index[n] = low[n] = len(index)
        stack.append(n)
        on_stack.add(n)
        for m in graph.get(n, ()):
            if m not in index:
                visit(m)
                low[n] = min(low[n], low[m])
            elif m in on_stack:
                low[n] = min(low[n], index[m])
        if low[n] == index[n]:
            group = []
            while True:
                m = stack.pop()
                on_stack.discard(m)
                group.append(m)
                if m == n:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for n in sorted(graph):
        if n not in index:
            visit(n)
    return sorted(groups)


def test_the_walker_sees_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_walker_reads_function_level_and_relative_imports():
    graph = import_graph()
    assert "extractor.pipeline" in graph["extractor"]        # from .pipeline import ...
    assert "extractor.normalize" in graph["extractor.pipeline"]


def test_no_import_cycle():
    found = cycles(import_graph())
    assert not found, "modules that import each other: " + "; ".join(", ".join(g) for g in found)
