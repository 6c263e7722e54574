"""Newer syntax lowered token by token agrees with the libcst lowering, and keeps every line."""

from __future__ import annotations

import ast
import sys
import warnings

import libcst as cst
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backendscan.parsing import _Downlevel, lower_newer_syntax, parse_source

CASES = {
    "generic function": "def first[T](xs: list[T]) -> T:\n    return xs[0]\n",
    "generic async method with decorator": (
        "class A:\n    @staticmethod\n    async def get[K, V: dict[str, int]](k: K) -> V:\n        return k\n"
    ),
    "class with bounds, constraints, star params": (
        "class Box[T: (int, str), *Ts, **P](Base, metaclass=M):\n    x: T\n"
    ),
    "type parameter list over lines with a comment": (
        "class Service[\n    Model: Base,  # the ORM class\n    Key,\n](Reader[Model]):\n    pass\nimport late\n"
    ),
    "type aliases": "type Alias = list[int]\ntype Pair[K, V] = dict[K, V]\nif True:\n    type Inner = int\n",
    "type alias over lines": "type Big[\n    T,\n] = dict[\n    str, T]\nx = 1\n",
    "type as a plain name elsewhere": (
        "def f[T](type: T) -> T:\n    t = type\n    return type(t)\nclass C[T]:\n    type = 'x'\n"
    ),
    "strings and comments keep their text": (
        "def f[T](x: T) -> str:\n    return 'def g[T](y): type X = 1'  # class C[T]: except A, B:\n"
    ),
    "unparenthesized except lists": (
        "try:\n    pass\nexcept ValueError, TypeError:\n    pass\n"
        "try:\n    pass\nexcept (OSError), mod.Error: raise\n"
        "try:\n    pass\nexcept (KeyError, IndexError) as e:\n    pass\n"
    ),
}


def _libcst_lowered(text: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return cst.parse_module(text, config=cst.PartialParserConfig(python_version="3.14")).visit(_Downlevel()).code


@pytest.mark.parametrize("name", sorted(CASES))
def test_token_lowering_gives_the_tree_libcst_lowering_gives(name):
    text = CASES[name]
    quick = lower_newer_syntax(text)
    assert quick is not None
    assert quick.count("\n") == text.count("\n")
    assert ast.dump(ast.parse(quick)) == ast.dump(ast.parse(_libcst_lowered(text)))


#: statement lines where libcst's lowering moves them: it drops the lines of a type parameter list
MULTILINE = {
    "type parameter list over lines with a comment": [("ClassDef", 1), ("Import", 6), ("Pass", 5)],
    "type alias over lines": [("Assign", 1), ("Assign", 5)],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_token_lowering_keeps_statement_lines(name):
    text = CASES[name]
    quick_tree = ast.parse(lower_newer_syntax(text) or "")
    lines = [(type(n).__name__, getattr(n, "lineno", 0)) for n in ast.walk(quick_tree) if isinstance(n, ast.stmt)]
    expected = MULTILINE.get(name) or [
        (type(n).__name__, getattr(n, "lineno", 0))
        for n in ast.walk(ast.parse(_libcst_lowered(text)))
        if isinstance(n, ast.stmt)
    ]
    assert lines == expected


def test_columns_after_a_blanked_type_parameter_list_stay_where_they_were():
    text = "def first[T](xs: list[T], n: int = 0) -> T:\n    return xs[n]\n"
    tree = ast.parse(lower_newer_syntax(text) or "")
    fn = tree.body[0]
    assert isinstance(fn, ast.FunctionDef)
    assert [(a.arg, a.col_offset) for a in fn.args.args] == [("xs", text.index("xs")), ("n", text.index("n:"))]


def test_nothing_to_lower_and_text_the_tokenizer_rejects_give_none():
    assert lower_newer_syntax("x = 1\n") is None
    assert lower_newer_syntax("def f(:\n") is None
    # an empty line inside a type parameter list leaves nothing to hang a line continuation on
    assert lower_newer_syntax("class C[\n\n    T,\n]:\n    pass\n") is None


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="the running Python parses PEP 695 itself")
def test_parse_source_takes_the_token_way_and_libcst_for_the_rest():
    o = parse_source("g.py", "g", False, CASES["type parameter list over lines with a comment"].encode())
    assert o.module is not None and o.module.via == "lowered"
    assert [p.rule_id for p in o.problems] == ["newer-syntax"]
    assert [(type(n).__name__, n.lineno) for n in o.module.tree.body] == [("ClassDef", 1), ("Import", 6)]
    # PEP 701 quotes inside an f-string and generics: only libcst lowers that file
    o = parse_source("h.py", "h", False, b'def f[T](d: T) -> str:\n    return f"{d["k"]}"\n')
    assert o.module is not None and o.module.via == "libcst"


_PIECES = st.sampled_from(
    ["def", "class", "type", "except", "as", " ", "\n", "    ", "[", "]", "(", ")", ":", ",", "=", "*", "T", "x",
     "'s'", "# c", "\\\n", "f'{x}'", "pass", "try:\n    pass\n"]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), st.lists(_PIECES, max_size=60).map("".join)))
def test_token_lowering_never_raises_and_keeps_the_line_count(text):
    out = lower_newer_syntax(text)
    assert out is None or out.count("\n") == text.count("\n")
