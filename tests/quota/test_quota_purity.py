"""The engine stays pure: standard library only, no floats, small documented modules."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[2] / "compliance" / "quota"
MODULES = sorted(PACKAGE.glob("*.py"))


def imported_modules(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_module_is_pure_and_small(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    assert ast.get_docstring(tree), "every module says what it is for"
    assert len(source.splitlines()) < 320
    for name in imported_modules(tree):
        top = name.split(".")[0]
        # `compliance.clock` is the one clock (stdlib only): the CLI asks it for today's date.
        allowed = name.startswith("compliance.quota") or name == "compliance.clock"
        assert top in sys.stdlib_module_names or allowed, name
    floats = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, float)
    ]
    assert floats == [], f"float literals at lines {floats}"
    calls = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "float"
    ]
    assert calls == [], f"float() at lines {calls}"
