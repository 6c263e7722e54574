"""The shared walk helpers: same nodes and order as the standard library, minus the ``ctx`` markers."""

from __future__ import annotations

import ast

import hypothesmith
from hypothesis import HealthCheck, given, settings

from backendscan.analyzers.tasksites import interested_text
from backendscan.visiting import walk_nodes
from tests.conftest import FIXTURES

_CTX = (ast.Load, ast.Store, ast.Del)


def _expected(tree: ast.AST) -> list[ast.AST]:
    return [n for n in ast.walk(tree) if not isinstance(n, _CTX)]


def test_walk_nodes_is_ast_walk_without_context_markers_on_every_fixture_file():
    files = sorted(FIXTURES.rglob("*.py"))
    assert len(files) > 100
    for path in files:
        try:
            tree = ast.parse(path.read_bytes())
        except SyntaxError:
            continue  # fixtures of broken files
        assert walk_nodes(tree) == _expected(tree), path


def test_walk_nodes_keeps_operators_and_comprehensions():
    tree = ast.parse("x = [a + b for a in c if not a] or {k: -v for k, v in d}\n")
    got = [type(n).__name__ for n in walk_nodes(tree)]
    assert got == [type(n).__name__ for n in _expected(tree)]
    assert {"Add", "Not", "USub", "Or", "comprehension", "ListComp", "DictComp"} <= set(got)
    assert "Load" not in got and "Store" not in got


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(hypothesmith.from_grammar())
def test_walk_nodes_agrees_with_ast_walk_on_random_programs(source):
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return
    assert walk_nodes(tree) == _expected(tree)


def test_task_pre_check_needs_word_boundaries_only_for_job_and_rq():
    assert interested_text("from celery import shared_task")
    assert interested_text("x.delay(1)") and interested_text("sig = add.s(2)")
    assert interested_text("def job(): pass") and interested_text("import rq")
    assert not interested_text("jobs = 1\nrqst = 2\n")  # 'job' and 'rq' inside longer words do not count
    assert not interested_text("def view(request):\n    return render(request)\n")
