"""Metrics equal radon's: raw counts on every fixture file and on random programs; MI and CC via radon."""

from __future__ import annotations

import ast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from radon.complexity import cc_visit
from radon.metrics import mi_visit
from radon.raw import analyze

from backendscan.metrics import measure
from backendscan.rawmetrics import raw_counts
from tests.conftest import FIXTURES

FILES = sorted(FIXTURES.rglob("*.py"))

TRICKY = '''\
"""Module docstring
spanning lines."""
import os  # comment
x = 1; y = 2
if x: y = 3
class A:
    """Doc."""

    def f(self, a,
          b):  # trailing
        s = """a
        b"""
        t = f"{a}" \\
            "more"
        return [i for i in (
            # inside brackets
            a, b)]

# last comment
'''


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_raw_counts_equal_radon_on_fixtures(path):
    text = path.read_text("utf-8")
    assert tuple(raw_counts(text)) == tuple(analyze(text))


def test_raw_counts_on_tricky_code():
    assert tuple(raw_counts(TRICKY)) == tuple(analyze(TRICKY))
    assert tuple(raw_counts(TRICKY.rstrip("\n"))) == tuple(analyze(TRICKY.rstrip("\n")))


def test_measure_matches_radon_mi_and_cc():
    m, notes = measure("t.py", TRICKY, ast.parse(TRICKY))
    assert not notes
    assert m.mi == round(mi_visit(TRICKY, True), 2)
    radon_blocks = {(b.lineno, b.complexity) for b in cc_visit(TRICKY)}
    assert {(b.line, b.complexity) for b in m.blocks if b.kind != "class"} <= radon_blocks | {(b.lineno, b.complexity) for c in cc_visit(TRICKY) if hasattr(c, "methods") for b in c.methods}


try:
    import hypothesmith

    programs = hypothesmith.from_grammar()
except Exception:  # pragma: no cover
    programs = None


@pytest.mark.skipif(programs is None, reason="hypothesmith not installed")
@settings(suppress_health_check=list(HealthCheck), deadline=None)
@given(programs if programs is not None else None)
def test_raw_counts_equal_radon_on_random_programs(source):
    try:
        expected = tuple(analyze(source))
    except Exception:
        return  # radon itself fails; we fall back to it, so nothing to compare
    assert tuple(raw_counts(source)) == expected
    assert tuple(raw_counts(source, fast=False)) == expected


@pytest.mark.parametrize("path", FILES[::3], ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fast_scan_equals_the_tokenize_path(path):
    text = path.read_text("utf-8")
    assert raw_counts(text, fast=True) == raw_counts(text, fast=False)


def test_fast_scan_hands_unknown_characters_to_tokenize():
    from backendscan.rawmetrics import _fast_tokens

    assert _fast_tokens("x = 1 $ 2\n") is None
    assert _fast_tokens("x = 1\n") is not None


def test_tests_and_migrations_are_measured_only_when_they_are_in_the_graph(tmp_path):
    from backendscan.testing import scan_files

    files = {
        "app/__init__.py": "",
        "app/service.py": "def f(x):\n    if x:\n        return 1\n    return 2\n",
        "app/migrations/__init__.py": "",
        "app/migrations/0001_initial.py": "operations = []\n",
        "tests/__init__.py": "",
        "tests/test_service.py": "from app.service import f\n\ndef test_f():\n    assert f(1) == 1\n",
        "app/testing_helpers.py": "def helper():\n    return 1\n",
    }
    default = scan_files(tmp_path / "a", files, metrics=True)
    assert sorted(default.metrics) == ["app/__init__.py", "app/service.py", "app/testing_helpers.py"]
    assert [b.name for b in default.metrics["app/service.py"].blocks] == ["f"]
    assert default.metrics["app/service.py"].blocks[0].complexity == 2
    everything = scan_files(tmp_path / "b", files, metrics=True, include_tests=True, include_migrations=True)
    assert sorted(everything.metrics) == [
        "app/__init__.py",
        "app/migrations/0001_initial.py",
        "app/migrations/__init__.py",
        "app/service.py",
        "app/testing_helpers.py",
        "tests/__init__.py",
        "tests/test_service.py",
    ]


# The fast scan reads whole runs of tokens per regex match (see backendscan.rawmetrics): these
# cases sit on the edges of runs (colons, one token vs two after a colon, ';', string prefixes,
# numbers, brackets, line breaks), each checked against radon and against the tokenize path.
RUN_EDGES = [
    "x: int\n",
    "x: int = 1\n",
    "lambda: a\n",
    "f = lambda: a\n",
    "f = lambda x, y: x.y\n",
    "a[1:2]\n",
    "a[1:]\n",
    "a[:]\n",
    "a[::2]; b\n",
    "x = a[1:]; y\n",
    "d = {k: v}\n",
    "d = {'k': v, \"l\": [1, 2]}\n",
    "d = {\n    'k': v,\n    'l': w,  # c\n}\n",
    "if x: pass; y = 1\n",
    "if x: y; z\n",
    "if x: y.z; z\n",
    "if x: (y); z\n",
    "if x: 'y'; z\n",
    "if x: rb'y'; z\n",
    "if x: 'y' 'z'; z\n",
    "if x: -1; z\n",
    "if x: ...; z\n",
    "if x: 1.5e3; z\n",
    "if x: f(a); z\n",
    "if x: café; z\n",
    "if x: y  # c\n",
    "x = {a: b}; y\n",
    "x = {'a': 'b', 'c': [d]}; y\n",
    "f = lambda: 'x'; y\n",
    "x: int; y: str = 'a'\n",
    "if x: y\n",
    "if x: y.z\n",
    "if x:\n    y\n",
    "if x:  # c\n    pass\n",
    "while 1: x; y; z\n",
    "for x in y: print(x); print(y)\n",
    "class A: pass\n",
    "try: x\nexcept: y\n",
    "x = 1; y = 2\n",
    "x = 1;\n",
    "x = 1.5e3\n",
    "x = 0x1f + 0o17 + 0b1 + 1_000 + 1j + .5 + 1. + 1e-3\n",
    "x = 1if x else 2\n",
    "1.5e3\n",
    "0x1f\n",
    "x = 1 + \\\n    2\n",
    "x = 1 \\\n    + 2; y = \\\n  3\n",
    "if x: \\\n    y\n",
    "foo(\n    a,\n    b,\n)\n",
    "foo(a)(\n    b\n).bar(c)[\n    d\n]\n",
    "qs = models.Product.objects.filter(\n    a=1\n).exclude(b=2)\n",
    "def f(\n    a: int,\n    b: str = 'x',\n) -> None:\n    pass\n",
    "def f(a: int, *, b: str | None = None) -> dict[str, int]:\n    return {}\n",
    "f(g(h(i(j))))\n",
    "f(g(h(i(\n    j\n))))\n",
    "x = [\n\n    1,\n\n]\n",
    "x = (  # c\n    1)\n",
    "x = (a := 1)\n",
    "if (n := len(a)) > 10: pass\n",
    "a != b\n",
    "a<=b>=c==d<<e>>f//g**h@i\n",
    "x **= 2; y //= 3; z @= w; v ^= 1\n",
    "@decorator\ndef f(*args, **kw): ...\n",
    "@decorator(1)\nclass A(B, metaclass=M):\n    x = ...\n",
    "-x\n",
    "...\n",
    "print(x)  # c\n",
    "# only\n",
    "x = 1  # c\n",
    '"""doc"""\n',
    '"""doc"""  # c\n',
    '"""doc\n\nmore\n"""\n',
    'x = """a\nb"""\n',
    '"""a\nb""".strip()\n',
    '"abc".join(x)\n',
    '"a" "b"\n',
    "'a'\n'b'\n",
    "'a' + 'b'\n",
    'rb"x" + f"y" + u"z" + Rb\'w\' + br"v"\n',
    'f"x"\n',
    'x = f"x{y}"\n',
    "x = r'\\d'\n",
    "x = 'it\\'s'\n",
    "x = 'a\\\nb'\n",
    "x = ''\ny = \"\"\n",
    "x = ''''''\n",
    "xr = 1\nrb = xr\n",
    "café = 1\nx = café\n",
    "é = 'é'\n",
    "x = [1, 2, 3]  # ü\n",
    "\tx = 1\n",
    "x = 1\t\n",
    "\n\n\nx = 1\n\n\n",
    "x = 1\n   \n",
    "x = {\n}\n",
]


@pytest.mark.parametrize("source", RUN_EDGES)
def test_run_scan_edge_cases_equal_radon(source):
    from backendscan.rawmetrics import _scan_counts

    for text in (source, source.rstrip("\n"), "def f():\n" + "".join("    " + line + "\n" for line in source.splitlines())):
        expected = tuple(analyze(text))
        assert tuple(raw_counts(text)) == expected, text
        assert tuple(raw_counts(text, fast=False)) == expected, text
        if "é" not in text:  # the fast scan itself, not a fallback to tokenize
            assert _scan_counts(text, text.splitlines()) is not None, text


def test_run_scan_collapses_tokens():
    from backendscan.rawmetrics import _SCAN, _fast_tokens

    runs = _fast_tokens("x = foo.bar(a, b)\n    return {\n    'k': v,\n}\n")
    assert [text for _, text in runs] == ["x = foo.bar(a, b)\n", "    return {\n", "    'k'", ": v,\n", "}\n"]
    assert _SCAN.groups <= 57  # more groups make every match object slower to allocate


def test_run_scan_prefix_and_number_patterns_match_tokenize():
    import re
    import tokenize

    from backendscan.rawmetrics import _NUMBER, _PREFIX

    assert re.compile(_NUMBER).groups == 0
    prefixes = set(tokenize.StringPrefix[1:-1].split("|")) - {""}
    letters = sorted({c for p in prefixes for c in p})
    candidates = {a + b for a in letters for b in [""] + letters} | {a + b + c for a in letters for b in letters for c in letters}
    assert {c for c in candidates if re.fullmatch(_PREFIX, c)} == prefixes


PIECES = [
    "x", "foo", "r", "rb", "f", "u", "uR", "xr", "lambda", "if", "else", "pass", "1", "1.5e3", "0x1f", "1_0", ".5", "1j",
    "1e", "1.", "1if", "=", "==", "+", "-", "->", "**=", "...", ".", ",", "@", "!=", "!", ":=", ":", ":", ";", ";",
    "(", ")", "[", "]", "{", "}", "(", ")", "#c", "'a'", '"b"', "''", "'''t'''", '"""d\n"""', "'a\\\nb'", "r'x'",
    "f'{a}'", "'open", "\\\n", "\n", "\n", "\n", " ", " ", "\t", "é", "café", "\xa0", "$",
]


@settings(suppress_health_check=list(HealthCheck), deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_run_scan_equals_the_tokenize_path_on_token_soup(pieces):
    # the tokenize path reads tokens one at a time (radon itself has quirks on such soup, like
    # a backslash before an empty line); where radon or the tokenizer fail, either path may
    # answer differently
    import io
    import tokenize

    source = "".join(pieces)
    try:
        analyze(source)
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except Exception:
        return
    if any(t.type == tokenize.ERRORTOKEN for t in tokens):
        return
    assert raw_counts(source) == raw_counts(source, fast=False)
