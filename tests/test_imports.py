"""Import extraction and resolution on the imports_hard fixture (tests/fixtures/EXPECTED.md section 1)."""

from __future__ import annotations

import pytest

from backendscan import Config, scan
from backendscan.model import Origin
from backendscan.testing import scan_files


@pytest.fixture(scope="module")
def hard(request):
    from tests.conftest import FIXTURES

    return scan(FIXTURES / "imports_hard", Config(use_cache=False, jobs=1))


EXPECTED_SITES = [
    ("pkg", "pkg.util", "pkg/__init__.py:3", "normal"),
    ("pkg.core", "pkg.a.b", "pkg/core.py:13", "normal"),
    ("pkg.core", "pkg.a", "pkg/core.py:14", "normal"),
    ("pkg.core", "pkg", "pkg/core.py:15", "normal"),
    ("pkg.core", "pkg.a", "pkg/core.py:15", "normal"),
    ("pkg.core", "pkg.sub", "pkg/core.py:16", "normal"),
    ("pkg.core", "pkg.speedups", "pkg/core.py:20", "normal"),
    ("pkg.core", "pkg.util", "pkg/core.py:22", "normal"),
    ("pkg.core", "pkg.compat", "pkg/core.py:26", "normal"),
    ("pkg.core", "pkg.compat", "pkg/core.py:29", "normal"),
    ("pkg.core", "pkg.models", "pkg/core.py:32", "type_checking"),
    ("pkg.core", "pkg.protocols", "pkg/core.py:35", "type_checking"),
    ("pkg.core", "pkg.x.y", "pkg/core.py:37", "dynamic"),
    ("pkg.core", "pkg.sub.mod", "pkg/core.py:54", "lazy"),
    ("pkg.core", "pkg.z", "pkg/core.py:64", "dynamic"),
    ("pkg.core", "pkg.reports", "pkg/core.py:73", "lazy"),
    ("pkg.sub", "pkg.util", "pkg/sub/__init__.py:3", "normal"),
    ("pkg.sub.mod", "pkg.a.b", "pkg/sub/mod.py:3", "normal"),
    ("pkg.sub.mod", "pkg.sub.leaf", "pkg/sub/mod.py:4", "normal"),
    ("pkg.sub.mod", "pkg.sub.leaf", "pkg/sub/mod.py:5", "normal"),
]


def test_every_first_party_import_site(hard):
    got = [
        (s.importer, s.target, s.location.short, s.kind.value)
        for s in hard.imports
        if s.origin is Origin.FIRST_PARTY
    ]
    assert got == EXPECTED_SITES


def test_collapsed_graph_edges(hard):
    assert sorted(hard.graph.edges) == sorted({(a, b) for a, b, _, _ in EXPECTED_SITES})
    assert len(hard.graph["pkg.core"]["pkg.compat"]["sites"]) == 2
    assert not hard.cycles


def test_sites_keep_names_column_and_code(hard):
    site = next(s for s in hard.imports if s.location.short == "pkg/core.py:15" and s.target == "pkg")
    assert site.names == ("VERSION",)
    assert site.location.column == 1
    assert site.code == "from pkg import VERSION, a"
    star = next(s for s in hard.imports if s.location.short == "pkg/sub/mod.py:5")
    assert star.star and star.written == ".leaf"


def test_invalid_imports_are_findings_without_edges(hard):
    found = sorted((f.rule_id, f.location.short) for f in hard.findings if f.category == "scan")
    assert found == [("import-beyond-top-level", "pkg/a/climb.py:3"), ("missing-module", "pkg/core.py:17")]
    assert "pkg.a.climb" not in {a for a, _ in hard.graph.edges}


def test_non_literal_dynamic_imports_are_not_edges(hard):
    assert not any(s.importer == "pkg.plugins" for s in hard.imports if s.origin is Origin.FIRST_PARTY)
    assert not [s for s in hard.imports if s.location.short == "pkg/core.py:68"]


def test_external_imports_are_classified(hard):
    ext = {(s.target, s.origin.value, s.distribution, s.location.short) for s in hard.imports if s.origin is not Origin.FIRST_PARTY}
    assert ("yaml", "third_party", "pyyaml", "pkg/core.py:10") in ext
    assert ("dateutil", "third_party", "python-dateutil", "pkg/core.py:11") in ext
    assert ("tomli", "third_party", "tomli", "pkg/core.py:28") in ext
    assert ("tomllib", "stdlib", "", "pkg/core.py:25") in ext
    assert ("os", "stdlib", "", "pkg/util.py:3") in ext
    # nothing missing, nothing unused
    assert [f for f in hard.findings if f.category == "dependencies"] == []


def test_relative_import_package_argument(tmp_path):
    r = scan_files(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/plugins/__init__.py": "",
            "app/plugins/mail.py": "",
            "app/loader.py": """
                import importlib
                from importlib import import_module as im

                def load(pkg):
                    importlib.import_module(".mail", package="app.plugins")
                    importlib.import_module(".mail", pkg)  # package unknown statically: no edge
                    im("app.plugins")
            """,
        },
    )
    got = [(s.target, s.kind.value, s.location.line) for s in r.imports if s.origin is Origin.FIRST_PARTY]
    assert got == [("app.plugins.mail", "dynamic", 5), ("app.plugins", "dynamic", 7)]


def test_imports_everywhere_and_self_imports(tmp_path):
    r = scan_files(
        tmp_path,
        {
            "p/__init__.py": "from . import helper\nX = 1\n",
            "p/helper.py": "",
            "p/a.py": """
                class C:
                    from p import helper  # class body at import time: not lazy
                    def m(self):
                        with open(__file__):
                            while True:
                                import p.helper
                                break
                match 1:
                    case 1:
                        from p import X
                try:
                    pass
                finally:
                    import p
            """,
            "p/selfish.py": "import p.selfish\n",
        },
    )
    got = [(s.importer, s.target, s.location.line, s.kind.value, s.conditional) for s in r.imports if s.origin is Origin.FIRST_PARTY]
    assert got == [
        ("p", "p.helper", 1, "normal", False),
        ("p.a", "p.helper", 2, "normal", False),
        ("p.a", "p.helper", 6, "lazy", True),
        ("p.a", "p", 10, "normal", True),
        ("p.a", "p", 14, "normal", True),
    ]
    assert ("p.selfish", "p.selfish") not in r.graph.edges


def _segment_reference(lines, node, limit=240):
    """source_segment as it was before its one-line ASCII shortcut."""
    import re

    start = node.lineno
    end = node.end_lineno or start
    chunk = list(lines[start - 1 : end])
    chunk[-1] = chunk[-1].encode("utf-8")[: node.end_col_offset].decode("utf-8", "replace")
    chunk[0] = chunk[0].encode("utf-8")[node.col_offset :].decode("utf-8", "replace")
    text = re.sub(r"\s+", " ", " ".join(part.strip() for part in chunk)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def test_source_segment_shortcut_agrees_with_the_general_path():
    import ast

    from hypothesis import given, settings, strategies as st

    from backendscan.parsing import source_segment

    @settings(max_examples=400, deadline=None)
    @given(st.text(alphabet="ab é\t(),.=\x0c\x1f", max_size=40), st.data(), st.integers(1, 300))
    def agree(line, data, limit):
        lines = [line, "x"]
        n = len(line.encode("utf-8"))
        col = data.draw(st.integers(0, n))
        end_col = data.draw(st.integers(col, n))
        node = ast.Name("x", lineno=1, col_offset=col, end_lineno=1, end_col_offset=end_col)
        assert source_segment(lines, node, limit) == _segment_reference(lines, node, limit)

    agree()
    node = ast.Name("x", lineno=1, col_offset=4, end_lineno=1, end_col_offset=27)
    assert source_segment(["    from a  import\tb as c"], node) == "from a import b as c"
