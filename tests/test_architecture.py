"""The import rule of CONTRIBUTING.md, checked on the code's own imports (read with ast, imports inside
functions included): every module lives in a stage package, imports only from its own or earlier stages,
and the module import graph has no cycle."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

import textmine

# Stages in pipeline order; a module may import from its own stage and the ones before it, never after.
LAYERS = ("core", "inputs", "units", "coding", "analysis", "outputs", "run", "cli")
PACKAGE = Path(textmine.__file__).parent


def module_files(root: Path, package: str = "textmine") -> dict[str, Path]:
    """Dotted module name -> file, for every .py file under ``root``."""
    modules = {}
    for path in sorted(root.rglob("*.py")):
        parts = [package, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules that module ``name`` imports anywhere in its file."""
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = name.split(".")[: len(name.split(".")) - node.level + is_package]
                base = ".".join([*parent, *([node.module] if node.module else [])])
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base)
    return {target for target in found if target in modules and target != name}


def layer_of(module: str, package: str = "textmine") -> int | None:
    """The stage index of a module; the package itself is part of core, ``__main__`` of the cli."""
    parts = module.split(".")
    if module == package:
        return 0
    if parts[1:] == ["__main__"]:
        return LAYERS.index("cli")
    return LAYERS.index(parts[1]) if parts[1] in LAYERS else None


def check(root: Path, package: str = "textmine") -> tuple[list[str], list[str], list[str]]:
    """(modules outside every stage, upward imports, a cycle) of the package at ``root``."""
    modules = module_files(root, package)
    graph = {name: imports_of(name, path, modules) for name, path in modules.items()}
    outside = [name for name in modules if layer_of(name, package) is None]
    upward = [
        f"{name} ({LAYERS[layer_of(name, package)]}) imports {target} ({LAYERS[layer_of(target, package)]})"
        for name, targets in graph.items() for target in sorted(targets)
        if name not in outside and target not in outside and layer_of(target, package) > layer_of(name, package)
    ]
    try:
        TopologicalSorter(graph).prepare()
        cycle: list[str] = []
    except CycleError as error:
        cycle = list(error.args[1])
    return outside, upward, cycle


def test_every_module_is_in_a_stage_and_imports_only_from_its_own_or_earlier_stages():
    outside, upward, _ = check(PACKAGE)
    assert outside == [], f"modules outside the stage packages {LAYERS}: {outside}"
    assert upward == [], "imports from a later stage:\n" + "\n".join(upward)


def test_the_module_import_graph_has_no_cycle():
    _, _, cycle = check(PACKAGE)
    assert cycle == [], "import cycle: " + " -> ".join(cycle)


def test_the_check_finds_an_upward_import_a_cycle_and_a_module_outside_the_stages(tmp_path):
    root = tmp_path / "pkg"
    for folder in ("core", "inputs", "run"):
        (root / folder).mkdir(parents=True)
        (root / folder / "__init__.py").write_text("")
    (root / "__init__.py").write_text("from pkg.core.a import A\n")
    (root / "core" / "a.py").write_text("A = 1\n\ndef late():\n    from pkg.run import batch\n")
    (root / "inputs" / "b.py").write_text("from . import c\n")
    (root / "inputs" / "c.py").write_text("from pkg.inputs.b import x\n")
    (root / "run" / "batch.py").write_text("from ..core import a\n")
    (root / "helpers.py").write_text("")
    outside, upward, cycle = check(root, "pkg")
    assert outside == ["pkg.helpers"]
    assert upward == ["pkg.core.a (core) imports pkg.run.batch (run)"]
    assert set(cycle) >= {"pkg.core.a", "pkg.run.batch"} or set(cycle) >= {"pkg.inputs.b", "pkg.inputs.c"}


@pytest.mark.parametrize("layer", LAYERS[:-1])
def test_every_stage_is_a_package(layer):
    assert (PACKAGE / layer / "__init__.py").is_file()
