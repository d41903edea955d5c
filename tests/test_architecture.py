"""The import rules of the layout, checked by walking every module's imports with `ast`.

Layers, lowest first: etl.config; etl.text; etl.catalog; the stages (etl.ingest, clean,
segment, extract, context, model, pipeline); etl.warehouse; etl.cli; then the dashboard
(dashboard/, app.py). A module imports only from its own layer or below; the dashboard
imports nothing of the ETL but etl.warehouse (its public API) and etl.config. No import
cycles between modules; no function-level import of a project module (lazy imports of heavy
third-party libraries are fine); no module uses another module's _private names; no module
is over 600 lines.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 600
CHECKED = ["app.py", "etl", "dashboard", "benchmarks"]
LAYERS = [
    ("etl.config",),
    ("etl.text",),
    ("etl.catalog",),
    ("etl.model", "etl.ingest", "etl.clean", "etl.segment", "etl.extract", "etl.context", "etl.pipeline"),
    ("etl.warehouse",),
    ("etl.cli", "etl.__main__"),
    ("dashboard", "app"),
    ("benchmarks",),
]
LOCAL = ("etl", "dashboard", "app", "benchmarks")
# modules allowed over the limit (none)
TOO_LONG_FOR_NOW: set[str] = set()


def module_files() -> dict[str, Path]:
    out = {}
    for entry in CHECKED:
        path = ROOT / entry
        files = [path] if path.is_file() else sorted(path.rglob("*.py"))
        for f in files:
            parts = list(f.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = f
    return out


MODULES = module_files()


def layer(name: str) -> int:
    if name == "etl":
        return 0
    for i, prefixes in enumerate(LAYERS):
        if any(name == p or name.startswith(p + ".") for p in prefixes):
            return i
    raise AssertionError(f"{name} is in no layer")


def resolve(name: str) -> str | None:
    """The project module an import names (a package's __init__ for a package), else None."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def imports(name: str) -> list[tuple[str, list[str], bool, int]]:
    """(imported module, names taken from it, at module level?, line) for each project import."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    top = set(map(id, tree.body))
    for node in tree.body:   # `if TYPE_CHECKING:` / `try:` blocks at module level count as module level
        if isinstance(node, (ast.If, ast.Try)):
            top |= {id(n) for n in ast.walk(node)}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] in LOCAL and (target := resolve(a.name)):
                    out.append((target, [], id(node) in top, node.lineno))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] not in LOCAL:
                continue
            for a in node.names:   # `from pkg import submodule` imports the submodule
                sub = f"{node.module}.{a.name}"
                target = sub if sub in MODULES else resolve(node.module)
                if target:
                    out.append((target, [] if sub in MODULES else [a.name], id(node) in top, node.lineno))
    return out


def test_imports_run_one_way():
    bad = []
    for name in MODULES:
        for target, _, _, line in imports(name):
            if layer(target) > layer(name):
                bad.append(f"{name}:{line} imports {target} (a higher layer)")
    assert not bad, "\n".join(bad)


def test_the_dashboard_uses_only_the_warehouse_api_and_config():
    bad = []
    for name in MODULES:
        if layer(name) != layer("dashboard"):
            continue
        for target, _, _, line in imports(name):
            if target.startswith("etl") and target not in ("etl.warehouse", "etl.config"):
                bad.append(f"{name}:{line} imports {target}")
    assert not bad, "\n".join(bad)


def test_no_function_level_imports_of_project_modules():
    """The benchmark harness is exempt: it imports what a measured child process runs inside
    that child's task, so the parent process carries none of it."""
    bad = [f"{name}:{line} imports {target} inside a function"
           for name in MODULES if not name.startswith("benchmarks")
           for target, _, top, line in imports(name) if not top]
    assert not bad, "\n".join(bad)


def test_no_import_cycles():
    graph = {name: {t for t, _, _, _ in imports(name) if t != name} for name in MODULES}
    # a package's __init__ importing its own submodules is how a package exposes its API
    graph = {n: {t for t in ts if not t.startswith(n + ".")} for n, ts in graph.items()}
    state: dict[str, int] = {}
    cycles = []

    def visit(n, path):
        state[n] = 1
        for t in sorted(graph[n]):
            if state.get(t) == 1:
                cycles.append(" -> ".join(path[path.index(t):] + [t]))
            elif t not in state:
                visit(t, path + [t])
        state[n] = 2

    for n in sorted(graph):
        if n not in state:
            visit(n, [n])
    assert not cycles, "\n".join(cycles)


def test_no_module_uses_another_modules_private_names():
    bad = []
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module_aliases = {}
        for target, names, _, line in imports(name):
            bad += [f"{name}:{line} imports {target}.{n}" for n in names if n.startswith("_") and n != "__version__"]
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.split(".")[0] in LOCAL:
                        module_aliases[a.asname or a.name.split(".")[0]] = a.name
            elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in LOCAL:
                for a in node.names:
                    if f"{node.module}.{a.name}" in MODULES:
                        module_aliases[a.asname or a.name] = f"{node.module}.{a.name}"
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in module_aliases and node.attr.startswith("_")
                    and not node.attr.startswith("__")):
                bad.append(f"{name}:{node.lineno} uses {module_aliases[node.value.id]}.{node.attr}")
    assert not bad, "\n".join(bad)


def test_no_module_over_600_lines():
    long = {str(p.relative_to(ROOT)): n for p in MODULES.values()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert set(long) <= TOO_LONG_FOR_NOW, long
