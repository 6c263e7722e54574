"""Import-rule checks on NetworkX graphs built in the test (no parsing involved)."""

from __future__ import annotations

from hypothesis import given, strategies as st

from backendscan.model import Location, Severity
from backendscan.rules.chains import ImportGraph, cycle_breakers, graph_from_edges, reached, shortest_chains, shortest_path
from backendscan.rules.checks import CheckInput, check, unmatched_findings
from backendscan.rules.compiler import compile_rules
from backendscan.rules.model import Acyclic, Forbidden, Layers, Ref, Rule, RuleSet


def inp(edges, modules=(), tc=()):  # type: ignore[no-untyped-def]
    g = graph_from_edges(edges, modules, tc)
    return CheckInput(graph=g, modules={n: g.nodes[n]["path"] for n in g.nodes})


def run(text: str, edges, modules=(), tc=()):  # type: ignore[no-untyped-def]
    return check([compile_rules(text)], inp(edges, modules, tc))


def chains(result):  # type: ignore[no-untyped-def]
    return [[(h.importer, h.imported, h.location.short) for h in f.chain] for f in result.findings]


def test_forbidden_finds_indirect_chains_with_every_hop():
    res = run(
        "- `app.api` must not import `app.db`\n",
        [("app.api.views", "app.services.orders", 3), ("app.services.orders", "app.db.session", 7)],
    )
    [f] = res.findings
    assert (f.rule_id, f.severity, f.source, str(f.location)) == ("api-must-not-import-db", Severity.ERROR, "RULES.md:1", "app/api/views.py:3:1")
    assert chains(res) == [[("app.api.views", "app.services.orders", "app/api/views.py:3"), ("app.services.orders", "app.db.session", "app/services/orders.py:7")]]
    assert f.message == "app.api.views imports app.db.session; app.api must not import app.db (through 1 other module)"
    assert f.symbol == "app.api.views -> app.db.session"


def test_direct_option_only_reports_direct_imports():
    edges = [("app.api.views", "app.services.orders", 3), ("app.services.orders", "app.db.session", 7)]
    assert run("- `app.api` must not import `app.db` directly\n", edges).findings == ()
    res = run("- `app.api` must not import `app.db` directly\n", edges + [("app.api.admin", "app.db.models", 2)])
    assert chains(res) == [[("app.api.admin", "app.db.models", "app/api/admin.py:2")]]


def test_chains_are_found_again_with_used_imports_forbidden_like_grimp():
    edges = [
        ("a.x", "m.one", 1), ("m.one", "b.y", 1),
        ("a.x", "m.two", 2), ("m.two", "m.three", 1), ("m.three", "b.y", 1),
        ("a.z", "m.one", 1),
    ]
    res = run("- `a` must not import `b`\n", edges)
    got = sorted(tuple(h[0] for h in c) + (c[-1][1],) for c in chains(res))
    # a.z -> m.one -> b.y is not reported again: its last import is already part of a found chain
    assert got == [("a.x", "m.one", "b.y"), ("a.x", "m.two", "m.three", "b.y")]
    g = ImportGraph(graph_from_edges(edges))
    assert sorted(map(tuple, shortest_chains(g, {"a.x", "a.z"}, {"b.y"}))) == got


def test_exceptions_excuse_the_module_and_chains_through_it():
    edges = [("app.api.deps", "app.db", 1), ("app.api.orders", "app.api.deps", 2), ("app.api.users", "app.db", 3)]
    res = run("- `app.api` must not import `app.db`, except `app.api.deps`\n", edges)
    assert chains(res) == [[("app.api.users", "app.db", "app/api/users.py:3")]]


def test_ignore_imports_like_import_linter():
    edges = [("app.api.a", "app.db.s", 1), ("app.api.b", "app.db.s", 1)]
    res = run("- `app.api` must not import `app.db`, ignoring `app.api.a -> app.db.s`\n", edges)
    assert [f.symbol for f in res.findings] == ["app.api.b -> app.db.s"]


LAYERED = "- Layers, top to bottom: `app.api` -> `app.services` -> `app.db`\n- `app.api` must not import `app.db`\n"


def test_in_a_layered_file_chains_through_other_layers_are_left_to_the_layer_rule():
    edges = [("app.api.v", "app.services.s", 1), ("app.services.s", "app.db.d", 2), ("app.api.w", "app.util", 3), ("app.util", "app.db.d", 4)]
    res = run(LAYERED, edges)
    assert [f.symbol for f in res.findings] == ["app.api.w -> app.db.d"]
    res = run(LAYERED.replace("`app.db`\n", "`app.db` (including chains through other layers)\n", 1).replace("-> `app.services` -> `app.db` (including chains through other layers)", "-> `app.services` -> `app.db`"), edges)
    res = check(
        [RuleSet("RULES.md", rules=(Rule(Layers(((Ref("app.api"),), (Ref("app.services"),), (Ref("app.db"),))), id="l"), Rule(Forbidden((Ref("app.api"),), (Ref("app.db"),), through_layers=True), id="f")))],
        inp(edges),
    )
    assert sorted(f.symbol for f in res.findings) == ["app.api.v -> app.db.d", "app.api.w -> app.db.d"]


def test_layers_report_upward_imports_and_independent_siblings():
    text = "- Layers, top to bottom: `app.web` -> `app.billing` | `app.shipping` -> `app.core`\n"
    edges = [
        ("app.web.x", "app.billing.b", 1),  # fine
        ("app.core.c", "app.helpers", 2), ("app.helpers", "app.web.x", 3),  # upward, through a non-layer module
        ("app.billing.b", "app.shipping.s", 4),  # siblings
        ("app.shipping.s", "app.core.c", 5),  # fine
    ]
    res = run(text, edges)
    msgs = sorted(f.message for f in res.findings)
    assert msgs == [
        "app.billing.b (layer app.billing) imports app.shipping.s (sibling layer app.shipping); siblings of an independent layer must not import each other",
        "app.core.c (layer app.core) imports app.web.x (layer app.web); a lower layer must not import a higher one (through 1 other module)",
    ]
    # "a / b" siblings may import each other
    assert len(run(text.replace(" | ", " / "), edges).findings) == 1


def test_layer_chains_through_other_layers_are_not_reported_twice():
    edges = [("app.db.d", "app.services.s", 1), ("app.services.s", "app.api.a", 2)]
    res = run("- Layers, top to bottom: `app.api` -> `app.services` -> `app.db`\n", edges)
    assert sorted(f.symbol for f in res.findings) == ["app.db.d -> app.services.s", "app.services.s -> app.api.a"]


def test_closed_layers_report_bypasses_except_shared_modules():
    text = (
        "- Layers, top to bottom: `app.api` -> `app.services` -> `app.repositories` -> `app.models`\n"
        "- Each layer may import only the layer directly below it. Any layer may import `app.models`.\n"
    )
    edges = [
        ("app.api.o", "app.services.o", 1), ("app.services.o", "app.repositories.o", 2), ("app.repositories.o", "app.models.o", 3),
        ("app.api.o", "app.repositories.o", 4),  # bypass
        ("app.api.o", "app.models.o", 5),  # allowed: shared
    ]
    res = run(text, edges)
    [f] = res.findings
    assert f.source == "RULES.md:2"
    assert f.message == "app.api.o (layer app.api) imports app.repositories.o (layer app.repositories), bypassing layer app.services"


def test_layers_with_containers():
    text = "```backendscan\n[[layers]]\nlayers = [\"api\", \"domain\"]\ncontainers = [\"shop.*\"]\n```\n"
    edges = [("shop.a.domain.x", "shop.a.api.y", 1), ("shop.b.api.y", "shop.b.domain.x", 2)]
    res = run(text, edges)
    assert [f.symbol for f in res.findings] == ["shop.a.domain.x -> shop.a.api.y"]


def test_independence_excludes_the_other_members_from_chains():
    edges = [("p.a.x", "p.util", 1), ("p.util", "p.b.y", 2), ("p.b.y", "p.c.z", 3), ("p.c.z", "p.util2", 4)]
    res = run("- `p.a`, `p.b` and `p.c` must not import each other\n", edges)
    assert sorted(f.symbol for f in res.findings) == ["p.a.x -> p.b.y", "p.b.y -> p.c.z"]
    # every child of `p` is a member, `p.util` included
    glob = run("- The packages in `p` must not import each other\n", edges)
    assert sorted(f.symbol for f in glob.findings) == ["p.a.x -> p.util", "p.b.y -> p.c.z", "p.c.z -> p.util2", "p.util -> p.b.y"]


def test_protected_checks_direct_importers_only():
    edges = [("app.api.deps", "app.db", 1), ("app.api.orders", "app.db", 2), ("app.repositories.r", "app.db", 3), ("app.api.users", "app.api.deps", 4)]
    res = run("- Only `app.repositories` and `app.api.deps` may import `app.db`\n", edges)
    assert [f.symbol for f in res.findings] == ["app.api.orders -> app.db"]
    scoped = run("- `app.api.deps` is the only module in `app.api` allowed to import `app.db`\n", edges)
    assert [f.symbol for f in scoped.findings] == ["app.api.orders -> app.db"]


def test_allow_only_lists_direct_imports_outside_the_list():
    edges = [("app.domain.a", "app.domain.b", 1), ("app.domain.a", "app.shared.s", 2), ("app.domain.a", "app.web.w", 3), ("app.domain.b", "app.settings", 4)]
    res = run("- `app.domain` may only import `app.shared`\n- `app.settings` may be imported from anywhere\n", edges)
    assert [f.symbol for f in res.findings] == ["app.domain.a -> app.web.w"]


def test_acyclic_reports_each_component_with_a_cut_and_ignores_type_checking_by_default():
    edges = [("a.x", "a.y", 1), ("a.y", "a.x", 2), ("b.p", "b.q", 3), ("b.q", "b.p", 4)]
    res = run("- No circular imports\n", edges, tc=[("b.q", "b.p")])
    [f] = res.findings
    assert f.message == "import cycle between 2 modules: a.x, a.y"
    assert f.hint == "removing 1 import breaks it: a.y -> a.x (a/y.py:2)"
    assert [h.location.short for h in f.chain] == ["a/x.py:1", "a/y.py:2"]
    assert len(run("- No circular imports; TYPE_CHECKING imports count\n", edges, tc=[("b.q", "b.p")]).findings) == 2
    scoped = run("- No circular imports in `b`\n- TYPE_CHECKING imports count\n", edges, tc=[("b.q", "b.p")])
    assert [f.symbol for f in scoped.findings] == ["cycle:b.p,b.q"]


def test_acyclic_siblings_names_the_cycle_breakers():
    edges = [("p.a.m", "p.b.n", 1), ("p.b.n", "p.a.k", 2), ("p.b.o", "p.a.k", 3), ("p.c", "p.a.m", 4)]
    g = ImportGraph(graph_from_edges(edges))
    assert cycle_breakers(g, "p") == [("p.a.m", "p.b.n")]
    res = check([RuleSet("x", rules=(Rule(Acyclic((Ref("p"),), siblings=True), id="sib"),))], inp(edges))
    [f] = res.findings
    assert f.message == "no cycles are allowed between the children of p; removing 1 dependency would make it acyclic: .a -> .b (1 import)"


def test_names_that_match_nothing_are_reported_and_strict_makes_them_errors():
    res = run("- `app.nothere` must not import `app.db`\n- `app.api` must not import `app.alsonothere`\n", [("app.api.x", "app.db.y", 1)])
    assert [(u.ref.text, u.what) for u in res.unmatched] == [("app.nothere", "sources"), ("app.alsonothere", "targets")]
    assert {f.severity for f in unmatched_findings(res)} == {Severity.WARNING}
    strict = unmatched_findings(res, strict=True)
    assert {f.severity for f in strict} == {Severity.ERROR}
    assert strict[0].location == Location("RULES.md", 1)


def test_findings_are_deterministic():
    edges = [(f"a.m{i}", f"b.n{i}", i + 1) for i in range(8)]
    r1 = run("- `a` must not import `b`\n", edges)
    r2 = run("- `a` must not import `b`\n", list(reversed(edges)))
    assert r1.findings == r2.findings


LAYER_NAMES = ["top", "mid", "low"]


@st.composite
def layered_graph(draw):  # type: ignore[no-untyped-def]
    mods = [f"app.{layer}.m{i}" for layer in LAYER_NAMES for i in range(3)] + ["app.util.u0", "app.util.u1"]
    edges = draw(st.lists(st.tuples(st.sampled_from(mods), st.sampled_from(mods)).filter(lambda e: e[0] != e[1]), max_size=25, unique=True))
    hi = draw(st.sampled_from([0, 1]))
    lo = draw(st.integers(hi + 1, 2))
    a = f"app.{LAYER_NAMES[hi]}.m{draw(st.integers(0, 2))}"
    b = f"app.{LAYER_NAMES[lo]}.m{draw(st.integers(0, 2))}"
    return mods, edges, (a, b)


@given(layered_graph())
def test_adding_a_downward_edge_never_adds_a_layer_violation(case):  # type: ignore[no-untyped-def]
    mods, edges, down = case
    text = "- Layers, top to bottom: `app.top` -> `app.mid` -> `app.low`\n"
    before = run(text, [(a, b, 1) for a, b in edges], mods)
    after = run(text, [(a, b, 1) for a, b in edges] + [(down[0], down[1], 9)], mods)
    assert {(f.symbol, tuple((h.importer, h.imported) for h in f.chain)) for f in after.findings} <= {
        (f.symbol, tuple((h.importer, h.imported) for h in f.chain)) for f in before.findings
    }


_NODES = [f"p.m{i}" for i in range(7)]


@given(
    st.lists(st.tuples(st.sampled_from(_NODES), st.sampled_from(_NODES)), max_size=18),
    st.sets(st.sampled_from(_NODES), min_size=1, max_size=3),
    st.sets(st.sampled_from(_NODES), max_size=4),
    st.sets(st.tuples(st.sampled_from(_NODES), st.sampled_from(_NODES)), max_size=3),
)
def test_reached_says_for_every_target_set_whether_shortest_path_finds_a_chain(pairs, sources, blocked, ignored):
    # the independence check skips a pair of members when one search says no chain can end in it
    g = ImportGraph(graph_from_edges([(a, b, i + 1) for i, (a, b) in enumerate(pairs) if a != b]))
    blocked = blocked - sources
    ends = reached(g, sources, blocked, ignored)
    for t in sorted(blocked):
        found = shortest_path(g, sources, {t}, blocked - {t}, ignored) is not None
        assert found == (t in ends)
