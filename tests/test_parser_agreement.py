"""The ast-based import extraction agrees with a full libcst parse (issue 2, point 10),
and never raises on arbitrary valid programs (hypothesmith)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from backendscan.parsing import parse_source
from tests.conftest import FIXTURES
from tests.support.cst_imports import ast_imports, cst_imports

FIXTURE_FILES = sorted(p for p in FIXTURES.rglob("*.py"))


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_ast_path_agrees_with_libcst_on_every_fixture(path):
    text = path.read_text("utf-8")
    assert ast_imports(text) == cst_imports(text)


def test_agreement_on_tricky_code():
    text = '''
import a, b.c as d
from . import x
from ..y import (
    z,  # comment
    w as v,
)
from .m import *
if TYPE_CHECKING:
    import tc1
else:
    import not_tc
if typing.TYPE_CHECKING:
    from q import r
def f():
    import lazy1
    g = lambda: __import__("lazy2")
    class C:
        import still_lazy
class K:
    import at_import_time
import importlib as il
il.import_module("dyn.one")
from importlib import import_module as im
im(".rel", package="pkg")
im(".rel_no_pkg")
im(name_variable)
try:
    import opt
except ImportError:
    opt = None
'''
    assert ast_imports(text) == cst_imports(text)


def test_newer_syntax_agrees_too():
    text = "type A = int\ndef f[T](x: T):\n    import inner\nimport outer\n"
    assert ast_imports(text) == cst_imports(text)


try:
    import hypothesmith

    programs = hypothesmith.from_grammar()
except Exception:  # pragma: no cover - hypothesmith missing
    programs = None


@pytest.mark.skipif(programs is None, reason="hypothesmith not installed")
@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much], deadline=None)
@given(programs if programs is not None else None)
def test_extraction_never_raises_on_random_programs(source):
    outcome = parse_source("gen.py", "gen", False, source.encode("utf-8", "surrogatepass"))
    if outcome.module is None:
        assert outcome.problems  # a clear finding instead
        return
    from backendscan.extraction import extract
    from backendscan.model import FileKind, SourceFile

    rec = extract(SourceFile("gen.py", "gen", ".", False, FileKind.SOURCE), source.encode("utf-8", "surrogatepass"))
    assert rec.parsed
    try:
        reference = cst_imports(source)
    except Exception:  # libcst rejects a few programs CPython accepts; nothing to compare
        return
    assert ast_imports(source) == reference
