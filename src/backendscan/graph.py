"""The first-party module dependency graph (NetworkX) and the questions asked of it.

One node per module (attributes: ``path``, ``kind``, ``package``, ``namespace``),
one edge per importer -> imported pair whose ``sites`` attribute holds every
:class:`~backendscan.model.ImportSite` behind it.  Queries: strongly connected
components with one shortest example cycle each (every hop with ``file:line``)
and a small set of imports whose removal breaks them, a package graph at a
chosen depth, layers (topological generations of the condensation), fan-in /
fan-out / instability per package, and orphans.  Simple cycles are never
enumerated (that explodes on real code); shortest cycles come from BFS.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping, Sequence

import networkx as nx

from .model import ChainHop, ImportSite, Module, Origin


def build_graph(
    modules: Mapping[str, Module],
    sites: Iterable[ImportSite],
    include: Callable[[Module], bool] | None = None,
    exclude_type_checking: bool = False,
) -> nx.DiGraph:
    """Module graph of the first-party imports between included modules."""
    g: nx.DiGraph = nx.DiGraph()
    keep = {name for name, m in modules.items() if include is None or include(m)}
    for name in sorted(keep):
        m = modules[name]
        g.add_node(name, path=m.path, kind=m.kind.value, package=m.is_package, namespace=m.namespace)
    for s in sites:
        if s.origin is not Origin.FIRST_PARTY or s.importer not in keep or s.target not in keep:
            continue
        if exclude_type_checking and s.type_checking:
            continue
        if g.has_edge(s.importer, s.target):
            g[s.importer][s.target]["sites"].append(s)
        else:
            g.add_edge(s.importer, s.target, sites=[s])
    for _, _, data in g.edges(data=True):
        data["sites"] = tuple(sorted(data["sites"], key=ImportSite.sort_key))
    return g


def hop(g: nx.DiGraph, a: str, b: str) -> ChainHop:
    """The first import site of edge a -> b as a chain hop."""
    site = g[a][b]["sites"][0]
    return ChainHop(a, b, site.location, site.code)


@dataclass(frozen=True)
class Cycle:
    """A strongly connected component of the import graph."""

    members: tuple[str, ...]  # sorted
    example: tuple[ChainHop, ...]  # one shortest cycle through the component
    cut: tuple[ChainHop, ...]  # imports whose removal makes the component acyclic (greedy)
    cut_weight: int  # number of import statements behind the cut edges
    type_checking_only: bool = False  # the cycle disappears without TYPE_CHECKING imports


def shortest_cycle(g: nx.DiGraph, members: Sequence[str]) -> list[str]:
    """A shortest cycle inside the component ``members`` (node list, first node repeated last)."""
    inside = set(members)
    best: list[str] | None = None
    for start in sorted(members):
        # BFS from start back to start within the component
        parent: dict[str, str] = {}
        q: deque[str] = deque([start])
        seen = {start}
        found = None
        while q and found is None:
            u = q.popleft()
            for v in sorted(g.successors(u)):
                if v not in inside:
                    continue
                if v == start:
                    found = u
                    break
                if v not in seen:
                    seen.add(v)
                    parent[v] = u
                    q.append(v)
        if found is None:
            continue
        path = [found]
        while path[-1] != start:
            path.append(parent[path[-1]])
        path.reverse()
        cycle = path + [start]
        if best is None or len(cycle) < len(best):
            best = cycle
            if len(best) <= 3:
                break
    return best or []


def feedback_edges(g: nx.DiGraph, members: Sequence[str]) -> list[tuple[str, str]]:
    """Greedy (Eades-Lin-Smyth) feedback arc set of a component, weighted by import count.

    Sinks go to the right end of an ordering, sources to the left, otherwise the
    node with the largest (outgoing - incoming) weight goes left; the edges that
    point backwards in the final order form the set.  O(E log V) with a lazy heap.
    """
    import heapq

    inside = set(members)
    succ = {n: {v: len(g[n][v]["sites"]) for v in g.successors(n) if v in inside} for n in inside}
    pred: dict[str, dict[str, int]] = {n: {} for n in inside}
    for u, vs in succ.items():
        for v, w in vs.items():
            pred[v][u] = w
    outw = {n: sum(vs.values()) for n, vs in succ.items()}
    inw = {n: sum(us.values()) for n, us in pred.items()}
    alive = set(inside)
    left: list[str] = []
    right: list[str] = []
    heap = [(-(outw[n] - inw[n]), n) for n in inside]
    heapq.heapify(heap)

    def remove(n: str) -> None:
        alive.discard(n)
        for v, w in succ[n].items():
            if v in alive:
                inw[v] -= w
                del pred[v][n]
                heapq.heappush(heap, (-(outw[v] - inw[v]), v))
        for u, w in pred[n].items():
            if u in alive:
                outw[u] -= w
                del succ[u][n]
                heapq.heappush(heap, (-(outw[u] - inw[u]), u))

    ends = [n for n in inside if not succ[n] or not pred[n]]
    heapq.heapify(ends)
    while alive:
        while ends:
            n = heapq.heappop(ends)
            if n not in alive:
                continue
            if not succ[n]:
                right.append(n)
            elif not pred[n]:
                left.append(n)
            else:
                continue
            neighbours = list(succ[n]) + list(pred[n])
            remove(n)
            for m in neighbours:
                if m in alive and (not succ[m] or not pred[m]):
                    heapq.heappush(ends, m)
        if not alive:
            break
        while heap:
            key, n = heapq.heappop(heap)
            if n in alive and -key == outw[n] - inw[n]:
                left.append(n)
                neighbours = list(succ[n]) + list(pred[n])
                remove(n)
                for m in neighbours:
                    if m in alive and (not succ[m] or not pred[m]):
                        heapq.heappush(ends, m)
                break
        else:
            break
    order = left + list(reversed(right))
    position = {n: i for i, n in enumerate(order)}
    return sorted((u, v) for u in inside for v in g.successors(u) if v in inside and position[u] > position[v])


def cycles(g: nx.DiGraph) -> tuple[Cycle, ...]:
    """Every non-trivial strongly connected component with an example cycle and a cut."""
    out: list[Cycle] = []
    runtime = nx.DiGraph(
        (a, b) for a, b, d in g.edges(data=True) if any(not s.type_checking for s in d["sites"])
    )
    for comp in nx.strongly_connected_components(g):
        if len(comp) < 2:
            continue
        members = tuple(sorted(comp))
        sub = runtime.subgraph(comp)
        tc_only = not any(len(c) > 1 for c in nx.strongly_connected_components(sub))
        path = shortest_cycle(g, members)
        example = tuple(hop(g, a, b) for a, b in zip(path, path[1:]))
        cut_edges = feedback_edges(g, members) if len(members) <= 2000 else []
        cut = tuple(hop(g, a, b) for a, b in cut_edges)
        weight = sum(len(g[a][b]["sites"]) for a, b in cut_edges)
        out.append(Cycle(members, example, cut, weight, tc_only))
    out.sort(key=lambda c: (-len(c.members), c.members))
    return tuple(out)


def package_of(module: str, depth: int) -> str:
    """The package a module belongs to at ``depth`` dotted components."""
    return ".".join(module.split(".")[:depth])


def package_graph(g: nx.DiGraph, depth: int) -> nx.DiGraph:
    """Modules collapsed to packages at ``depth``; edge ``weight`` = import statements."""
    p: nx.DiGraph = nx.DiGraph()
    for n in g.nodes:
        pkg = package_of(n, depth)
        if pkg not in p:
            p.add_node(pkg, modules=0)
        p.nodes[pkg]["modules"] += 1
    for a, b, data in g.edges(data=True):
        pa, pb = package_of(a, depth), package_of(b, depth)
        if pa == pb:
            continue
        if p.has_edge(pa, pb):
            p[pa][pb]["weight"] += len(data["sites"])
            p[pa][pb]["edges"].append((a, b))
        else:
            p.add_edge(pa, pb, weight=len(data["sites"]), edges=[(a, b)])
    return p


def layers(g: nx.DiGraph) -> tuple[tuple[str, ...], ...]:
    """Topological generations of the condensation, top (importers) first.

    Each layer lists the nodes whose components are in that generation; members
    of a cycle share a layer.
    """
    if not g.number_of_nodes():
        return ()
    cond = nx.condensation(g)
    out = []
    for generation in nx.topological_generations(cond):
        names = sorted(n for c in generation for n in cond.nodes[c]["members"])
        out.append(tuple(names))
    return tuple(out)


@dataclass(frozen=True)
class Coupling:
    """Robert C. Martin's package metrics: Ca (fan-in), Ce (fan-out), I = Ce / (Ca + Ce)."""

    package: str
    modules: int
    fan_in: int
    fan_out: int
    instability: float
    imports_in: int
    imports_out: int


def coupling(p: nx.DiGraph) -> tuple[Coupling, ...]:
    """Coupling metrics per node of a package graph."""
    out = []
    for n in sorted(p.nodes):
        ca = p.in_degree(n)
        ce = p.out_degree(n)
        inst = ce / (ca + ce) if (ca + ce) else 0.0
        out.append(
            Coupling(
                n,
                p.nodes[n].get("modules", 1),
                ca,
                ce,
                round(inst, 3),
                sum(d["weight"] for _, _, d in p.in_edges(n, data=True)),
                sum(d["weight"] for _, _, d in p.out_edges(n, data=True)),
            )
        )
    return tuple(out)


def orphans(g: nx.DiGraph) -> tuple[str, ...]:
    """Modules that import no first-party module and that none imports (packages excluded)."""
    return tuple(
        sorted(
            n
            for n in g.nodes
            if g.degree(n) == 0 and not g.nodes[n].get("package") and not g.nodes[n].get("namespace")
        )
    )


def shortest_chain(
    g: nx.DiGraph, sources: Iterable[str], targets: Iterable[str], avoid: Iterable[str] = ()
) -> list[str]:
    """A shortest import chain from any source to any target (module list), [] if none."""
    tset = set(targets)
    blocked = set(avoid)
    parent: dict[str, str | None] = {}
    q: deque[str] = deque()
    for s in sorted(set(sources)):
        if s in g and s not in blocked:
            parent[s] = None
            q.append(s)
    while q:
        u = q.popleft()
        if u in tset and parent[u] is not None:
            path = [u]
            while parent[path[-1]] is not None:
                path.append(parent[path[-1]])  # type: ignore[arg-type]
            return list(reversed(path))
        for v in sorted(g.successors(u)):
            if v in parent or v in blocked:
                continue
            parent[v] = u
            q.append(v)
    return []
