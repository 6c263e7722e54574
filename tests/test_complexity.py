"""backendscan.complexity equals radon 6.0.1: on every fixture file, on tricky code (with numbers worked out by hand) and on random programs."""

from __future__ import annotations

import ast
import math
import sys
import warnings

import pytest
from hypothesis import HealthCheck, given, settings

from backendscan.complexity import Block, TreeMetrics, radon_tree_metrics, tree_metrics
from tests.conftest import FIXTURES


def _parse(source: str | bytes) -> ast.Module | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


FILES = sorted(FIXTURES.parent.rglob("*.py"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(FIXTURES.parent)))
def test_equal_to_radon_on_fixtures(path):
    tree = _parse(path.read_bytes())
    if tree is None:
        pytest.skip("ast.parse rejects it")
    assert tree_metrics(tree) == radon_tree_metrics(tree)


def test_fixtures_are_found():
    assert len(FILES) > 100


# Numbers in the comments: decision points radon counts for that line.
TRICKY = '''\
import os


@decorate(lambda x: x if x else None)
def simple(a, b=1 if X else 2):
    return a


def branches(a, b):
    if a and b or a:  # if 1, or 1, and 1
        pass
    elif b:  # 1
        pass
    x = [i for i in a if i if not i]  # 1 + 2 ifs
    y = a if b else None  # 1
    for i in a:  # 1 + else 1
        pass
    else:
        pass
    while b:  # 1
        break
    try:  # 2 handlers + else
        pass
    except ValueError:
        pass
    except TypeError:
        pass
    else:
        pass
    finally:
        pass
    with open(a) as f:  # 0
        pass
    assert a and b, "x"  # 1, nothing inside
    g = lambda: a or b  # 1
    return (
        x,
        y,
    )


async def coroutine(items):
    async for i in items:  # 1
        pass
    async with items:  # 0
        pass
    try:  # try/except*: 0
        pass
    except* ValueError:
        pass

    def closure():
        return 1 if items else 2  # 1, in the closure only

    class Hidden:  # dropped, and the last statement: coroutine ends on its def line
        def method(self):
            if items:
                pass


def matcher(command):
    match command:  # 3 cases less one for the capture
        case [x, y] if x > y:
            pass
        case {"k": 1 | 2}:
            pass
        case other:
            pass
    match command:  # max(0, 1 - 1)
        case _:
            pass


class Service(Base, metaclass=Meta):
    attr = 1 if X else 2  # 1
    if DEBUG:  # 1
        def debug(self):  # a method
            return 1

    def run(self, a):
        if a:  # 1
            return a
        assert a  # 1; last statement: run ends on its def line

    class Inner:
        def m(self):
            for x in y: pass  # 1

        z = (1
             + 2)


if X:  # 1
    def conditional():
        pass
else:
    class Conditional:
        pass
'''


def _block(metrics: TreeMetrics, name: str) -> Block:
    for b in metrics.functions + metrics.classes:
        if b.name == name:
            return b
    raise KeyError(name)


def test_tricky_code_by_hand():
    m = tree_metrics(ast.parse(TRICKY))
    assert [b.name for b in m.functions] == ["simple", "branches", "coroutine", "matcher", "conditional"]
    assert [b.name for b in m.classes] == ["Service", "Conditional"]

    # decorators and defaults count nothing
    assert _block(m, "simple") == Block("simple", "function", 5, 6, 1)
    # 1 + if, or, and, elif + 3 (comprehension and two ifs) + 1 (IfExp) + 2 (for/else)
    # + 1 (while) + 3 (two handlers and else) + 1 (assert) + 1 (or in the lambda);
    # ends at the last line with a node start (``y,``), not at the closing bracket
    assert _block(m, "branches") == Block("branches", "function", 9, 38, 17)
    # async for counts, async with and except* do not; the closure is reported but not
    # added; the class in the function is dropped, and as the last statement it makes
    # the function end on its own line
    assert _block(m, "coroutine") == Block(
        "coroutine", "function", 42, 42, 2, closures=(Block("closure", "function", 52, 53, 2),)
    )
    # 3 cases - 1 for ``case other:``, then max(0, 1 - 1) for ``case _:``
    assert _block(m, "matcher") == Block("matcher", "function", 61, 71, 3)

    service = _block(m, "Service")
    # methods: ``debug`` (under ``if``) and ``run`` (assert last: ends on its def line);
    # real complexity 1 + 1 (IfExp) + 1 (if) + 1 (debug) + 3 (run) = 7, reported as
    # int(7 / 2) + 1; the class ends at ``def run``: neither Inner's lines nor its end count
    assert service.methods == (
        Block("debug", "method", 77, 78, 1),
        Block("run", "method", 80, 80, 3),
    )
    assert (service.line, service.end_line, service.complexity) == (74, 80, 4)
    assert service.inner_classes == (
        Block("Inner", "class", 85, 90, 3, methods=(Block("m", "method", 86, 87, 2),)),
    )
    assert _block(m, "conditional") == Block("conditional", "function", 94, 95, 1)
    assert _block(m, "Conditional") == Block("Conditional", "class", 97, 98, 1)
    # 1 + ``if X`` + (17-1) + (2-1) + (3-1) + Service's real 7 - 1: Inner, closures
    # and Hidden are in no total
    assert m.total_complexity == 1 + 1 + 16 + 1 + 2 + 6
    assert m == radon_tree_metrics(ast.parse(TRICKY))


HALSTEAD = '''\
@register(1 + 2)
def f(a, b=3 - 4):
    x = a + True
    y = -a
    return x < y <= 1 and not a


@register(5 * 6)
class C:
    def f(self):
        return self.a + 1
'''


def test_halstead_by_hand():
    m = tree_metrics(ast.parse(HALSTEAD))
    # operators: Add, USub, Lt, LtE, And, Not in f; Mult in the class decorator (a
    # function's decorators and defaults are not visited, a class's are); Add in C.f
    n1, h1 = 8, 7
    # operands keyed by the enclosing function's name: in f a, True (equal to 1), a,
    # y, 1, x, the Compare and the ``not`` node, a; (None, 5) and (None, 6); in C.f the
    # attribute ``a`` and 1 are f's ``a`` and 1 again (same function name)
    n2, h2 = 13, 8
    assert m.halstead_volume == (n1 + n2) * math.log(h1 + h2, 2)
    assert m.total_complexity == 3
    assert m == radon_tree_metrics(ast.parse(HALSTEAD))


def test_empty_and_operator_free_modules():
    for source in ("", "import os\n", "x = 1\n"):
        m = tree_metrics(ast.parse(source))
        assert m == TreeMetrics((), (), 1, 0.0)
        assert m == radon_tree_metrics(ast.parse(source))


def test_deep_nesting_is_measured_where_radon_overflows():
    depth = 2000
    source = "x = " + " + ".join(["a"] * depth) + "\n"
    tree = ast.parse(source)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        with pytest.raises(RecursionError):
            radon_tree_metrics(tree)
        m = tree_metrics(tree)
    finally:
        sys.setrecursionlimit(limit)
    # depth - 1 additions; operands: ``a`` and the depth - 2 inner BinOps (by identity)
    n1, n2 = depth - 1, 2 * (depth - 1)
    assert m.halstead_volume == (n1 + n2) * math.log(1 + 1 + depth - 2, 2)
    assert m.total_complexity == 1

    nested = "".join(" " * i + f"def f{i}():\n" for i in range(90)) + " " * 90 + "pass\n"
    m = tree_metrics(ast.parse(nested))
    block = m.functions[0]
    for i in range(90):
        assert (block.name, block.line, block.complexity) == (f"f{i}", i + 1, 1)
        block = block.closures[0] if i < 89 else block
    assert m == radon_tree_metrics(ast.parse(nested))


try:
    import hypothesmith

    programs = hypothesmith.from_grammar()
except Exception:  # pragma: no cover
    programs = None


@pytest.mark.skipif(programs is None, reason="hypothesmith not installed")
@pytest.mark.filterwarnings("ignore::SyntaxWarning")
@settings(suppress_health_check=list(HealthCheck), deadline=None)
@given(programs if programs is not None else None)
def test_equal_to_radon_on_random_programs(source):
    tree = _parse(source)
    if tree is None:
        return
    try:
        expected = radon_tree_metrics(tree)
    except Exception:
        return  # radon itself fails (deep nesting): metrics.py reports no metrics
    assert tree_metrics(tree) == expected
