"""docs/hostile-inputs.md names, for every row, a test that exists."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "hostile-inputs.md").read_text()
ROWS = re.findall(r"^\| (\d+) \|.*\| `(tests/[\w/]+\.py)::(\w+)` \|$", DOC, re.MULTILINE)


def functions_in(path: str) -> set[str]:
    tree = ast.parse((ROOT / path).read_text())
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith("test_")
    }


def test_the_catalogue_has_at_least_thirty_numbered_rows_each_with_a_test():
    """Every numbered row ends with its test, and the numbers run 1, 2, 3…"""
    numbered = re.findall(r"^\| (\d+) \|", DOC, re.MULTILINE)
    assert len(numbered) >= 30
    assert [int(n) for n in numbered] == list(range(1, len(numbered) + 1))
    assert len(ROWS) == len(numbered)


def test_every_test_named_in_the_catalogue_exists():
    """A renamed or deleted test fails here instead of leaving the catalogue wrong."""
    missing = [
        f"{path}::{name}"
        for _n, path, name in ROWS
        if not (ROOT / path).exists() or name not in functions_in(path)
    ]
    assert not missing, missing
