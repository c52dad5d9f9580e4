"""The shape of the code, checked: no import cycle between modules, no source file over 400 lines, and the layers
written as import-linter contracts in pyproject.toml (the game over Toolformer over the model runtime; inside the
game, each layer over the ones below it).

Imports inside functions count: a lower layer that imports a higher one lazily is still tied to it. Left out: style
(ruff, run by .ci/run) and anything about what the modules do.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("game", "agent", "toolformer")
MAX_LINES = 400


def strongly_connected(graph: grimp.ImportGraph) -> list[list[str]]:
    """Tarjan's algorithm, iteratively: each group of two or more modules that import one another in a ring."""
    index: dict[str, int] = {}
    lowlink: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = lowlink[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            module, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = lowlink[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph.find_modules_directly_imported_by(target)))))
                    break
                if target in on_stack:
                    lowlink[module] = min(lowlink[module], index[target])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    lowlink[parent] = min(lowlink[parent], lowlink[module])
                if lowlink[module] == index[module]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == module:
                            break
                    if len(group) > 1:
                        groups.append(sorted(group))
    return groups


def describe(graph: grimp.ImportGraph, group: list[str]) -> str:
    """The ring's imports, one `a -> b (line N)` each, so a failure says which lines to move."""
    members = set(group)
    edges = []
    for importer in group:
        for imported in sorted(graph.find_modules_directly_imported_by(importer) & members):
            details = graph.get_import_details(importer=importer, imported=imported)
            lines = ", ".join(str(d["line_number"]) for d in details)
            edges.append(f"  {importer} -> {imported} (line {lines})")
    return " <-> ".join(group) + "\n" + "\n".join(edges)


def test_the_ring_finder_finds_a_ring_and_only_a_ring():
    graph = grimp.ImportGraph()
    for module in ("a", "b", "c", "d"):
        graph.add_module(module)
    graph.add_import(importer="a", imported="b")
    graph.add_import(importer="b", imported="c")
    graph.add_import(importer="c", imported="a")
    graph.add_import(importer="c", imported="d")
    assert strongly_connected(graph) == [["a", "b", "c"]]


def test_no_import_cycle_between_modules():
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    assert len(graph.modules) > 100  # the whole tree was read, not an empty graph
    rings = [describe(graph, group) for group in strongly_connected(graph)]
    assert rings == [], "modules that import one another:\n" + "\n".join(rings)


def test_no_source_file_over_400_lines():
    sizes = {path.relative_to(ROOT).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
             for package in PACKAGES for path in (ROOT / package).rglob("*.py")}
    assert len(sizes) > 100
    too_long = {path: lines for path, lines in sorted(sizes.items()) if lines > MAX_LINES}
    assert too_long == {}, f"files over {MAX_LINES} lines (split them by what they do): {too_long}"


def test_the_import_linter_contracts_are_kept():
    """The same check as `lint-imports` in .ci/run; its report names each broken import chain. In its own process:
    lint-imports configures logging with dictConfig, which would silence every logger already made in this one."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint_imports), "--config", str(ROOT / "pyproject.toml"), "--no-cache"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout
