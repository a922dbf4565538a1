"""The import graph of ``src/storyline`` keeps its shape: no import cycles, and no import runs up a layer.

The graph is read with ``ast`` (nothing is imported), and counts every import: module level, inside functions and
under ``TYPE_CHECKING``. ``from pkg import name`` is an edge to ``pkg.name`` when that is a module, else to ``pkg``.
The implicit import of a module's parent packages is not an edge.

The layer rule (docs/architecture.md, "Layer rule"): packages are ordered low to high, and a module may import only
from its own layer or a lower one. A new upward import fails with its file:line; fix it by moving the shared piece
down, or by handing the higher-layer object in as an argument.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from repo_paths import ROOT

SRC = ROOT / "src"

# Low to high. A module belongs to the layer of the longest name here that it equals or lies under; modules that
# share a layer may import each other (cycles are caught separately).
LAYERS: list[tuple[str, ...]] = [
    ("storyline.errors", "storyline.model", "storyline.config"),   # values, errors, settings
    ("storyline.lang",),        # word lists, as data
    ("storyline.store",),       # SQLite: all reads and writes of the store
    ("storyline.meta",),        # page metadata: dates, bounds, outlets, genre; safe HTML parsing
    ("storyline.ingest",),      # inputs -> Articles, settled into the store
    ("storyline.nlp.runtime",), # what the per-article stages run on: spaCy, doc cache, text guard, lead, embedder
    ("storyline.nlp.entities",),    # named entities of one article
    ("storyline.nlp.quotes", "storyline.nlp.claims", "storyline.nlp.numbers"),  # quotes; claims; times, quantities
    ("storyline.nlp",),         # per-article analysis: `nlp.pipeline` runs the stages above on a batch
    ("storyline.xdoc",),        # corpus-wide stages over stored facts
    ("storyline.executors",),   # executors: in-process, process pool, Dask (run nlp and xdoc work)
    ("storyline.pipeline",),    # analyze: ingest -> understand -> relate, on a backend
    ("storyline.verify",),      # stance model, claim check over the store
    ("storyline.report",),      # analysis.json, HTML report
    ("storyline.web",),         # FastAPI app over a read-only store
    ("storyline.api", "storyline"),   # the public API (and the package root that re-exports it)
    ("storyline.cli", "storyline.__main__"),   # command line, a shell over the API (`python -m storyline`)
]

# Upward imports that exist today in files under other work. Each entry is (importer, imported module) with the
# reason; an entry that no longer matches an import fails the test, so the list only shrinks.
ALLOWED_UPWARD: dict[tuple[str, str], str] = {
    # none today: the corpus stages get the run's executor handed down instead of importing the Dask one
}


@dataclass(frozen=True, slots=True)
class Edge:
    source: str     # importing module
    target: str     # imported module
    path: str       # file of the import, relative to src/
    line: int

    def where(self) -> str:
        return f"{self.path}:{self.line}"


def module_files(src: Path, package: str = "storyline") -> dict[str, Path]:
    """Dotted module name -> file, for every .py under ``src/package``."""
    out: dict[str, Path] = {}
    for path in sorted((src / package).rglob("*.py")):
        parts = list(path.relative_to(src).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The module that ``name`` refers to (a module, or an attribute of the nearest enclosing one)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def import_edges(src: Path, package: str = "storyline") -> list[Edge]:
    modules = module_files(src, package)
    edges: list[Edge] = []
    for name, path in modules.items():
        is_pkg = path.name == "__init__.py"
        here = name if is_pkg else name.rpartition(".")[0]
        rel = str(path.relative_to(src))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = here.split(".")[: len(here.split(".")) - (node.level - 1)]
                    mod = ".".join(base + ([node.module] if node.module else []))
                else:
                    mod = node.module or ""
                for alias in node.names:
                    sub = f"{mod}.{alias.name}"
                    targets.append(sub if sub in modules else mod)
            for target in targets:
                if target != package and not target.startswith(package + "."):
                    continue
                resolved = _resolve(target, modules)
                if resolved is not None and resolved != name:
                    edges.append(Edge(name, resolved, rel, node.lineno))
    return edges


def layer_of(module: str, layers: Sequence[Iterable[str]]) -> int | None:
    best: tuple[int, int] | None = None     # (length of the matching name, layer index)
    for i, names in enumerate(layers):
        for prefix in names:
            if (module == prefix or module.startswith(prefix + ".")) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), i)
    return None if best is None else best[1]


def upward_imports(edges: Iterable[Edge], layers: Sequence[Iterable[str]]) -> list[Edge]:
    out = []
    for e in edges:
        low, high = layer_of(e.source, layers), layer_of(e.target, layers)
        if low is not None and high is not None and high > low:
            out.append(e)
    return out


def cycles(edges: Iterable[Edge]) -> list[list[Edge]]:
    """One cycle (as its edges) per strongly connected component of more than one module (Tarjan)."""
    graph: dict[str, dict[str, Edge]] = {}
    for e in edges:
        graph.setdefault(e.source, {}).setdefault(e.target, e)
        graph.setdefault(e.target, {})
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(v: str) -> None:     # recursion depth is bounded by the module count (~100)
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                components.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return [_one_cycle(graph, set(comp), comp[0]) for comp in components]


def _one_cycle(graph: dict[str, dict[str, Edge]], members: set[str], start: str) -> list[Edge]:
    """A shortest path from ``start`` back to itself inside one component (breadth first)."""
    came: dict[str, Edge] = {}
    frontier = [start]
    while frontier:
        nxt = []
        for v in frontier:
            for w, e in sorted(graph[v].items()):
                if w not in members or w in came:
                    continue
                came[w] = e
                if w == start:
                    path = [e]
                    while path[0].source != start:
                        path.insert(0, came[path[0].source])
                    return path
                nxt.append(w)
        frontier = nxt
    raise AssertionError(f"no cycle through {start}")


def describe_cycle(cycle: list[Edge]) -> str:
    return " -> ".join([cycle[0].source] + [e.target for e in cycle]) + "\n" + "\n".join(
        f"    {e.where()}: {e.source} imports {e.target}" for e in cycle)


@pytest.fixture(scope="module")
def edges() -> list[Edge]:
    return import_edges(SRC)


def test_every_module_has_a_layer(edges: list[Edge]) -> None:
    missing = sorted(m for m in module_files(SRC) if layer_of(m, LAYERS) is None)
    if missing:
        pytest.fail(f"modules in no layer (add them to LAYERS here and in docs/architecture.md): {missing}")


def test_no_import_cycles(edges: list[Edge]) -> None:
    found = cycles(edges)
    if found:
        pytest.fail("import cycles:\n" + "\n".join(describe_cycle(c) for c in found))


def test_no_upward_imports(edges: list[Edge]) -> None:
    bad = [e for e in upward_imports(edges, LAYERS) if (e.source, e.target) not in ALLOWED_UPWARD]
    if bad:
        order = " < ".join("/".join(name.removeprefix("storyline.") if name != "storyline" else "storyline/__init__"
                                      for name in group) for group in LAYERS)
        pytest.fail(f"imports from a lower layer to a higher one (layers, low to high: {order}):\n" + "\n".join(
            f"  {e.where()}: {e.source} imports {e.target}" for e in bad))


def test_allow_list_is_current(edges: list[Edge]) -> None:
    used = {(e.source, e.target) for e in upward_imports(edges, LAYERS)}
    stale = sorted(set(ALLOWED_UPWARD) - used)
    if stale:
        pytest.fail(f"ALLOWED_UPWARD entries with no such upward import any more (remove them): {stale}")


# The checker itself, on a small package written for the test: it must see what the real tree must not contain.

def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / "pkg" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_checker_reports_an_upward_import_with_its_line(tmp_path: Path) -> None:
    src = _write(tmp_path, {
        "__init__.py": "",
        "low/__init__.py": "",
        "low/a.py": "import os\n\n\ndef f():\n    from ..high.b import g\n    return g\n",
        "high/__init__.py": "",
        "high/b.py": "from pkg.low import a\n\n\ndef g():\n    return a\n",
    })
    edges = import_edges(src, "pkg")
    bad = upward_imports(edges, [("pkg.low",), ("pkg.high",)])
    assert [(e.source, e.target, e.where()) for e in bad] == [("pkg.low.a", "pkg.high.b", "pkg/low/a.py:5")]


def test_checker_reports_a_cycle(tmp_path: Path) -> None:
    src = _write(tmp_path, {
        "__init__.py": "",
        "a.py": "from . import b\n",
        "b.py": "from .c import x\n",
        "c.py": "x = 1\n\n\ndef f():\n    import pkg.a\n",
        "d.py": "from . import a\n",
    })
    found = cycles(import_edges(src, "pkg"))
    assert len(found) == 1
    assert describe_cycle(found[0]).splitlines()[0] == "pkg.a -> pkg.b -> pkg.c -> pkg.a"
    assert [e.where() for e in found[0]] == ["pkg/a.py:1", "pkg/b.py:1", "pkg/c.py:5"]
