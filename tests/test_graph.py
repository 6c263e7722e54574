"""Graph queries on graphs built in the test (no parsing involved)."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, strategies as st

from backendscan.graph import coupling, cycles, feedback_edges, layers, orphans, package_graph, shortest_chain, shortest_cycle
from backendscan.model import ImportSite, Location, Origin


def site(a: str, b: str, line: int = 1, tc: bool = False) -> ImportSite:
    return ImportSite(
        importer=a, target=b, origin=Origin.FIRST_PARTY, location=Location(a.replace(".", "/") + ".py", line, 1),
        code=f"import {b}", written=b, type_checking=tc,
    )


def graph(*edges, tc=()) -> nx.DiGraph:
    g = nx.DiGraph()
    for i, (a, b) in enumerate(edges):
        g.add_edge(a, b, sites=(site(a, b, i + 1, (a, b) in tc),))
    return g


def test_cycles_report_each_scc_with_a_shortest_example_and_a_cut():
    g = graph(("a", "b"), ("b", "c"), ("c", "a"), ("a", "c"), ("x", "y"), ("y", "x"), ("c", "z"))
    found = cycles(g)
    assert [c.members for c in found] == [("a", "b", "c"), ("x", "y")]
    first = found[0]
    assert [(h.importer, h.imported) for h in first.example] == [("a", "c"), ("c", "a")]
    assert first.example[0].location.short == "a.py:4"
    cut = {(h.importer, h.imported) for h in first.cut}
    rest = nx.DiGraph(e for e in g.subgraph(first.members).edges if e not in cut)
    assert nx.is_directed_acyclic_graph(rest)


def test_type_checking_only_cycles_are_marked():
    g = graph(("m.user", "m.order"), ("m.order", "m.user"), tc={("m.order", "m.user")})
    [c] = cycles(g)
    assert c.type_checking_only
    g2 = graph(("s.a", "s.b"), ("s.b", "s.a"))
    assert not cycles(g2)[0].type_checking_only


def test_package_graph_layers_coupling_orphans():
    g = graph(("app.api.users", "app.services.users"), ("app.services.users", "app.db.models"), ("app.api.users", "app.db.models"))
    g.add_node("app.scripts.once", package=False)
    pg = package_graph(g, 2)
    assert sorted((a, b, d["weight"]) for a, b, d in pg.edges(data=True)) == [
        ("app.api", "app.db", 1),
        ("app.api", "app.services", 1),
        ("app.services", "app.db", 1),
    ]
    assert layers(pg) == (("app.api", "app.scripts"), ("app.services",), ("app.db",))
    c = {x.package: x for x in coupling(pg)}
    assert (c["app.api"].fan_in, c["app.api"].fan_out, c["app.api"].instability) == (0, 2, 1.0)
    assert (c["app.db"].fan_in, c["app.db"].fan_out, c["app.db"].instability) == (2, 0, 0.0)
    assert orphans(g) == ("app.scripts.once",)


def test_shortest_chain():
    g = graph(("api", "svc"), ("svc", "repo"), ("repo", "db"), ("api", "db"))
    assert shortest_chain(g, ["api"], ["db"]) == ["api", "db"]
    assert shortest_chain(g, ["api"], ["db"], avoid=[]) == ["api", "db"]
    assert shortest_chain(g, ["svc"], ["db"]) == ["svc", "repo", "db"]
    assert shortest_chain(g, ["db"], ["api"]) == []


@given(st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=30))
def test_shortest_cycle_and_cut_are_valid_on_random_graphs(edges):
    g = graph(*[(f"m{a}", f"m{b}") for a, b in edges if a != b])
    for comp in nx.strongly_connected_components(g):
        if len(comp) < 2:
            continue
        cyc = shortest_cycle(g, sorted(comp))
        assert cyc[0] == cyc[-1] and all(g.has_edge(a, b) for a, b in zip(cyc, cyc[1:]))
        # no shorter cycle exists inside the component
        sub = g.subgraph(comp)
        best = min(len(nx.shortest_path(sub, v, u)) for u, v in sub.edges) + 1
        assert len(cyc) == best
        cut = set(feedback_edges(g, sorted(comp)))
        assert nx.is_directed_acyclic_graph(nx.DiGraph([e for e in sub.edges if e not in cut]) if sub.edges else nx.DiGraph())
