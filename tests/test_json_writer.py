"""The indented JSON writer is byte-identical to ``json.dumps(indent=2, sort_keys=True, ensure_ascii=False)``."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backendscan import Config, scan
from backendscan.report.context import build_context
from backendscan.report.jsondata import (
    Encoded,
    Shared,
    _encoder,
    dumps,
    encoded_scan_sections,
    encoded_view_sections,
    report_data,
    scan_sections,
)
from tests.conftest import FIXTURES


def reference(data: object) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True), st.text()
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(st.text(max_size=6), inner, max_size=4),
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(values)
def test_any_plain_data(data):
    assert dumps(data) == reference(data)


def test_edge_values():
    data = {"a": [float("nan"), math.inf, -math.inf, 1e16, 1e-7, -0.0, 2**70, True, None], "é\n\u2028": "\x00\"\\</", "e": {}, "l": [], "t": ()}
    assert dumps(data) == reference(data)


def test_shared_dicts_at_several_depths():
    site = Shared({"b": [1, {"x": "y"}], "a": "z", "c": {}})
    data = {"top": [site, site], "deep": {"more": [[{"s": [site]}]]}, "again": site}
    assert dumps(data) == reference(data)


def test_unusual_values_fall_back_to_the_standard_library():
    assert dumps({1: "a", 2: "b"}) == reference({1: "a", 2: "b"})
    with pytest.raises(TypeError):
        dumps({"a": object()})


@pytest.mark.parametrize("name", ["shop", "django_blog", "flask_restapi", "celery_django", "hostile", "imports_hard"])
def test_fixture_reports(name):
    r = scan(FIXTURES / name, Config(use_cache=False, jobs=1))
    ctx = build_context(r)
    data = report_data(r, ctx)
    assert dumps(data) == reference(data)
    assert json.loads(dumps(data, compact=True)) == json.loads(dumps(data))
    # the scan's sections written beforehand (the report command's forked child) give the same bytes
    sections = encoded_scan_sections(r)
    assert sections is not None and sorted(sections) == sorted(scan_sections(r))
    assert dumps(report_data(r, ctx, sections=sections)) == dumps(data)
    assert dumps(report_data(r, ctx, sections=sections), compact=True) == dumps(data, compact=True)
    # and the view model's sections written apart too (the report's second child): the whole report
    view = encoded_view_sections(r, ctx)
    assert view is not None and not set(view) & set(sections)
    assert dumps({**view, **sections}) == dumps(data)


@settings(max_examples=200, deadline=None)
@given(values, st.integers(0, 3), st.integers(0, 3))
def test_encoded_values_land_at_any_depth(data, written_at, depth):
    encoded = Encoded(_encoder()(data, written_at), written_at)
    wrap = lambda v: v if depth == 0 else {"k": [v] if depth == 1 else {"deeper": [None, v]} if depth == 2 else [[{"x": v}]]}  # noqa: E731
    assert dumps(wrap(encoded)) == reference(wrap(data))


def test_encoded_values_with_an_unusual_neighbour_fall_back_to_the_standard_library():
    data = {"plain": {"a": [1, 2.5, "é"]}, "odd": {1: "integer key"}}
    encoded = {"plain": Encoded(_encoder()(data["plain"], 1), 1), "odd": data["odd"]}
    assert dumps(encoded) == reference(data)
    assert dumps(encoded, compact=True) == json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"


def test_shared_dicts_keep_one_text_across_encoded_sections():
    site = Shared({"file": "a.py", "line": 3})
    encode = _encoder()
    parts = {"imports": Encoded(encode([site, site], 1), 1), "graph": Encoded(encode({"edges": [{"sites": [site]}]}, 1), 1)}
    assert dumps(parts) == reference({"imports": [site, site], "graph": {"edges": [{"sites": [site]}]}})
