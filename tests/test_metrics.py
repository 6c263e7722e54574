"""Metrics equal radon's: raw counts on every fixture file and on random programs; MI and CC via radon."""

from __future__ import annotations

import ast

import pytest
from hypothesis import HealthCheck, given, settings
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
