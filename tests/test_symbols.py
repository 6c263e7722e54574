"""Per-module symbol tables: the lazily loaded parts survive the cache and load one at a time."""

from __future__ import annotations

import pickle

from backendscan.extraction import extract
from backendscan.model import FileKind, SourceFile


def _symbols(module, text):
    f = SourceFile(module.replace(".", "/") + ".py", module, ".", False, FileKind.SOURCE)
    rec = extract(f, text.encode(), with_metrics=False)
    return pickle.loads(pickle.dumps(rec.symbols))  # as a warm scan gets it from the cache

SOURCE = '''\
import os

LIMIT = 3


async def fetch(url):
    return os.path.join(url, "x")


def run():
    try:
        fetch("a")
    except:
        pass
'''


def _flat(obj):
    if isinstance(obj, tuple):
        for x in obj:
            yield from _flat(x)
    else:
        yield obj


def test_symbol_parts_round_trip_and_load_separately(monkeypatch):
    import backendscan.symbols as symbols

    sym = _symbols("pkg.mod", SOURCE)
    loaded: list[object] = []

    class Recording:
        dumps = staticmethod(pickle.dumps)
        HIGHEST_PROTOCOL = pickle.HIGHEST_PROTOCOL

        @staticmethod
        def loads(blob):
            obj = pickle.loads(blob)
            loaded.append(obj)
            return obj

    monkeypatch.setattr(symbols, "pickle", Recording)
    # a check over call sites unpickles neither the assignment trees nor the function headers
    assert [(c.callee, c.line, c.scope, c.in_async) for c in sym.calls] == [
        ("os.path.join", 7, "fetch", True),
        ("fetch", 12, "run", False),
    ]
    assert not any(isinstance(x, symbols.Assignment) for obj in loaded for x in _flat(obj))
    assert not any(isinstance(x, symbols.FunctionInfo) for obj in loaded for x in _flat(obj))
    assert [(a.target, a.line, a.scope) for a in sym.assignments] == [("LIMIT", 3, "")]
    assert [(f.qualname, f.is_async, f.params) for f in sym.functions] == [("fetch", True, ("url",)), ("run", False, ())]
    assert sym.bare_excepts == (13,)
    assert sym.module_level("LIMIT")[0].line == 3
    empty = _symbols("pkg.empty", "")
    assert (empty.assignments, empty.functions, empty.calls, empty.bare_excepts) == ((), (), (), ())


def test_name_lookups_unpickle_only_the_part_that_binds_the_name_in_that_scope(monkeypatch):
    import backendscan.symbols as symbols

    sym = _symbols("pkg.mod", SOURCE)
    loaded: list[object] = []

    class Recording:
        @staticmethod
        def loads(blob):
            obj = pickle.loads(blob)
            loaded.append(obj)
            return obj

    monkeypatch.setattr(symbols, "pickle", Recording)
    # ``LIMIT`` is assigned at module level only; ``os`` is an import: neither needs a detail part
    assert sym.in_scope("LIMIT", "run") == [] and [b.target for b in sym.in_scope("os", "")] == ["os"]
    assert not any(isinstance(x, (symbols.Assignment, symbols.FunctionInfo)) for o in loaded for x in _flat(o))
    assert [f.qualname for f in sym.in_scope("fetch", "")] == ["fetch"]
    assert not any(isinstance(x, symbols.Assignment) for o in loaded for x in _flat(o))
    assert [a.line for a in sym.module_level("LIMIT")] == [3]


def _in_scope_reference(syms, name, scope):
    """What ``in_scope`` answered before it indexed the table: a scan of every binding kind."""
    found = [(b.line, b) for b in syms.bindings if b.scope == scope and b.name == name]
    found += [(c.line, c) for c in syms.classes if c.scope == scope and c.name == name]
    found += [(a.line, a) for a in syms.assignments if a.scope == scope and a.target == name]
    found += [(f.line, f) for f in syms.functions if f.scope == scope and f.name == name]
    found.sort(key=lambda t: t[0])
    return [o for _, o in found]


def test_in_scope_agrees_with_a_scan_of_the_whole_table_on_every_fixture_file():
    from pathlib import Path

    fixtures = Path(__file__).parent / "fixtures"
    shadowing = (
        "import a as x\nclass x: pass\nx = 1\ndef x(): pass\nfrom b import x\n"
        "class C:\n    x = 2\n    def x(self):\n        x = 3\n        import c as x\n"
    )
    tables = [_symbols("m.shadow", shadowing)]
    for path in sorted(fixtures.rglob("*.py")):
        try:
            tables.append(_symbols("pkg.mod", path.read_text("utf-8")))
        except (UnicodeDecodeError, ValueError):
            continue
    asked = 0
    for syms in tables:
        if syms is None:
            continue
        keys = {(b.scope, b.name) for b in syms.bindings} | {(c.scope, c.name) for c in syms.classes}
        keys |= {(a.scope, a.target) for a in syms.assignments} | {(f.scope, f.name) for f in syms.functions}
        for scope, name in sorted(keys | {("", "missing"), ("C", "nothing")}):
            assert syms.in_scope(name, scope) == _in_scope_reference(syms, name, scope), (syms.module, scope, name)
            asked += 1
    assert asked > 1000
    shadow = tables[0]
    assert [type(o).__name__ for o in shadow.in_scope("x", "")] == ["ImportBinding", "ClassInfo", "Assignment", "FunctionInfo", "ImportBinding"]
    assert [type(o).__name__ for o in shadow.in_scope("x", "C.x")] == ["Assignment", "ImportBinding"]
