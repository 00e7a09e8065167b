"""Every test the README's Guarantees table names exists: the file, and the test function in it.

A reference is `path.py::test_name` or `path.py` (paths under tests/; `bench/…` from the repository's
top), and `::test_name` alone names a test of the last path named before it in the same cell.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
TESTS = ROOT / "tests"

REFERENCE = re.compile(r"`((?:[\w./-]+\.py)?(?:::\w+)?)`")


def guarantee_rows(text):
    """The table rows of the README's "## Guarantees" section, as (promise, shown-by cell)."""
    section = text.split("\n## Guarantees\n", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] in ("Promise", "") or set(cells[0]) <= set("-: "):
            continue  # the header and its rule
        rows.append((cells[0], cells[-1]))
    return rows


def references(cell):
    """(path, test name or None) for every test reference in CELL, `::name` resolved to the last path."""
    found, last_path = [], None
    for ref in REFERENCE.findall(cell):
        if not ref:
            continue
        path, _, name = ref.partition("::")
        if path:
            last_path = path
        elif last_path is None:
            raise AssertionError(f"{cell!r}: `{ref}` comes before any path")
        found.append((path or last_path, name or None))
    return found


def resolve(path):
    return ROOT / path if path.startswith("bench/") else TESTS / path


def defined_tests(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return {node.name for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}


ROWS = guarantee_rows(README.read_text(encoding="utf-8"))
CASES = [(promise, path, name) for promise, cell in ROWS for path, name in references(cell)]


def test_the_table_is_found_and_every_promise_names_a_test():
    assert len(ROWS) >= 10
    for promise, cell in ROWS:
        assert references(cell) or cell == "the soak tests", promise  # "the soak tests": the row above's


@pytest.mark.parametrize("promise, path, name", CASES,
                         ids=[f"{p}::{n}" if n else p for _, p, n in CASES])
def test_every_referenced_test_exists(promise, path, name):
    target = resolve(path)
    assert target.is_file(), f"{promise[:60]!r}: {path} does not exist"
    if name is not None:
        assert name in defined_tests(target), f"{promise[:60]!r}: {path} defines no {name}"


def test_the_reference_reader_follows_the_cell_rule():
    cell = "`a/test_x.py::test_one`, `::test_two`, `b/test_y.py`; `c/test_z.py::test_three`, `::test_four`"
    assert references(cell) == [("a/test_x.py", "test_one"), ("a/test_x.py", "test_two"), ("b/test_y.py", None),
                                ("c/test_z.py", "test_three"), ("c/test_z.py", "test_four")]
    assert resolve("bench/bench_parse_map.py") == ROOT / "bench" / "bench_parse_map.py"
    assert resolve("proof/test_secrets.py") == TESTS / "proof" / "test_secrets.py"
