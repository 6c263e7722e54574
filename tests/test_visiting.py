"""The shared walk helpers: same nodes and order as the standard library, minus the ``ctx`` markers."""

from __future__ import annotations

import ast

import hypothesmith
from hypothesis import HealthCheck, given, settings

from backendscan.analyzers.tasksites import interested_text
from backendscan.visiting import walk, walk_nodes
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


def _naive_state(frames):
    """The scope properties recomputed from the frame stack, as the walker defined them before caching."""
    parts = []
    for fr in frames:
        if fr.kind == "class":
            parts.append(fr.name)
        elif fr.kind == "def":
            parts += [fr.name, "<locals>"]
    qual = ".".join(parts)
    function = next((fr.node for fr in reversed(frames) if fr.kind == "def"), None)
    innermost = next((fr for fr in reversed(frames) if fr.kind in ("class", "def")), None)
    cls = innermost.node if innermost is not None and innermost.kind == "class" else None
    return (qual, qual[: -len(".<locals>")] if qual.endswith(".<locals>") else qual, function is not None,
            innermost is not None and innermost.kind == "class", function, cls)


def test_scope_fields_follow_every_push_and_pop():
    # the walker sets them when it enters and leaves a def or class; compare them with a
    # recomputation from the frame stack at every statement and after every def/class body
    from tests.conftest import FIXTURES

    class Probe:
        mismatches: list = []

        def visit_stmt(self, stmt, ctx):
            got = (ctx.qualname, ctx.scope, ctx.in_function, ctx.in_class_body, ctx.function, ctx.cls)
            if got != _naive_state(ctx.frames):
                self.mismatches.append((stmt.lineno, got))

        def leave_FunctionDef(self, node, ctx):
            self.visit_stmt(node, ctx)

        leave_ClassDef = leave_AsyncFunctionDef = leave_FunctionDef

    probe = Probe()
    files = 0
    for path in sorted(FIXTURES.rglob("*.py")):
        try:
            tree = ast.parse(path.read_bytes())
        except (SyntaxError, ValueError):
            continue
        walk(tree, [probe])
        files += 1
    nested = ast.parse("class A:\n    def f(self):\n        class B:\n            x = 1\n        def g():\n            y = 2\n    z = 3\nw = 4\n")
    walk(nested, [probe])
    assert files > 100 and probe.mismatches == []


def test_handlers_come_from_the_class_and_from_the_instance():
    # dispatch tables are looked up once per visitor class; handlers set on an instance still count
    seen = []

    class V:
        def visit_Assign(self, node, ctx):
            seen.append(("class", node.lineno))

    v = V()
    v.visit_Expr = lambda node, ctx: seen.append(("instance", node.lineno))  # type: ignore[attr-defined]
    walk(ast.parse("x = 1\nprint(x)\ny = 2\n"), [v, V()])
    assert seen == [("class", 1), ("class", 1), ("instance", 2), ("class", 3), ("class", 3)]
