"""The engine's layout stays readable: short modules, and imports that follow the pipeline without cycles."""

from __future__ import annotations

import ast
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[1] / "scoring"
MAX_LINES = 600
# localize_report (i18n.py) formats the caps' findings with limits.py, which formats with i18n.py: both imports
# sit inside functions. The one cycle left, until the findings' texts move beside the other message catalogues.
KNOWN_CYCLES = [{"scoring.i18n", "scoring.limits"}]


def _modules() -> dict[str, Path]:
    found = {}
    for path in ENGINE.rglob("*.py"):
        parts = path.relative_to(ENGINE.parent).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Engine modules `name` imports, at module level or inside functions (a lazy import is still a dependency)."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    out = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names if alias.name in modules)
        elif isinstance(node, ast.ImportFrom):
            base_parts = package[:len(package) - node.level + 1] if node.level else []
            base = ".".join(base_parts + ([node.module] if node.module else []))
            subs = [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in modules]
            out.update(subs)
            if len(subs) < len(node.names) and base in modules:
                out.add(base)
    out.discard(name)
    return out


def _cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(component)

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_no_engine_module_is_longer_than_the_limit() -> None:
    lines = {name: len(path.read_text("utf-8").splitlines()) for name, path in _modules().items()}
    assert {name: n for name, n in lines.items() if n > MAX_LINES} == {}


def test_the_engine_has_no_import_cycle() -> None:
    modules = _modules()
    graph = {name: _imports(name, path, modules) for name, path in modules.items()}
    assert [c for c in _cycles(graph) if c not in KNOWN_CYCLES] == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]


def test_fix_and_audit_share_the_pipeline_without_importing_each_other() -> None:
    modules = _modules()
    fix = set().union(*(_imports(n, p, modules) for n, p in modules.items() if n.startswith("scoring.fix")))
    assert "scoring.audit" not in fix and "scoring.pipeline" in fix
    assert "scoring.pipeline" in _imports("scoring.audit", modules["scoring.audit"], modules)
