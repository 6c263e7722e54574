"""Import chains, the way import-linter finds them, on backendscan's module graph.

:class:`ImportGraph` is a read-only view of the first-party graph (NetworkX,
edge attribute ``sites``) with the import options of a rule set applied:
``TYPE_CHECKING`` imports and dynamic imports left out or kept, and external
libraries added as leaf nodes when a rule names them.

:func:`shortest_chains` is grimp's ``_find_shortest_chains``: repeatedly take
a shortest chain from any module of one set to any module of the other,
then forbid its imports and search again, until none is left; modules in
``excluded`` (other layers, for layer rules) are never entered.  Searches are
breadth first over sorted neighbours, so results are deterministic; where
several shortest chains exist, grimp may pick another one of the same length.
:func:`cycle_breakers` is grimp's ``nominate_cycle_breakers`` (Eades-Lin-Smyth
ordering over the children of a package).
"""

from __future__ import annotations

from collections import deque
from typing import Iterable, Mapping, Sequence

import networkx as nx

from ..model import ChainHop, FileKind, ImportSite, Location, Origin


class ImportGraph:
    """Successor/predecessor sets of the first-party graph with the chosen kinds of import."""

    def __init__(
        self,
        g: nx.DiGraph,
        *,
        type_checking: bool = False,
        dynamic: bool = True,
        external_sites: Iterable[ImportSite] = (),
        externals: Iterable[str] = (),
    ) -> None:
        self.succ: dict[str, set[str]] = {n: set() for n in g.nodes}
        self.pred: dict[str, set[str]] = {n: set() for n in g.nodes}
        self._sites: dict[tuple[str, str], tuple[ImportSite, ...]] = {}
        for a, b, data in g.edges(data=True):
            sites = tuple(
                s for s in data.get("sites", ()) if (type_checking or not s.type_checking) and (dynamic or not s.dynamic)
            )
            if not data.get("sites"):
                sites = ()
                self._add(a, b, ())
                continue
            if sites:
                self._add(a, b, sites)
        wanted = sorted(set(externals))
        if wanted:
            for s in external_sites:
                if s.origin is Origin.FIRST_PARTY or s.importer not in self.succ:
                    continue
                if (not type_checking and s.type_checking) or (not dynamic and s.dynamic):
                    continue
                for name in wanted:
                    if external_match(s, name):
                        self.succ.setdefault(name, set())
                        self.pred.setdefault(name, set())
                        key = (s.importer, name)
                        self._add(s.importer, name, self._sites.get(key, ()) + (s,))
        self.nodes = sorted(self.succ)
        self._sorted: dict[str, tuple[str, ...]] = {}

    def _add(self, a: str, b: str, sites: tuple[ImportSite, ...]) -> None:
        self.succ.setdefault(a, set()).add(b)
        self.pred.setdefault(b, set()).add(a)
        self.pred.setdefault(a, set())
        self.succ.setdefault(b, set())
        self._sites[(a, b)] = tuple(sorted(set(sites), key=ImportSite.sort_key))

    def successors(self, a: str) -> tuple[str, ...]:
        """Modules ``a`` imports, sorted (cached)."""
        hit = self._sorted.get(a)
        if hit is None:
            hit = tuple(sorted(self.succ.get(a, ())))
            self._sorted[a] = hit
        return hit

    def has_edge(self, a: str, b: str) -> bool:
        return b in self.succ.get(a, ())

    def sites(self, a: str, b: str) -> tuple[ImportSite, ...]:
        return self._sites.get((a, b), ())

    def hop(self, a: str, b: str) -> ChainHop:
        """The first import behind edge a -> b as a chain hop."""
        sites = self.sites(a, b)
        if sites:
            s = sites[0]
            return ChainHop(a, b, s.location, s.code)
        return ChainHop(a, b, Location(""), "")

    def hops(self, chain: Sequence[str]) -> tuple[ChainHop, ...]:
        return tuple(self.hop(a, b) for a, b in zip(chain, chain[1:]))

    def edges(self) -> Iterable[tuple[str, str]]:
        for a in self.nodes:
            for b in self.successors(a):
                yield a, b


def external_match(site: ImportSite, name: str) -> bool:
    """Does the import ``site`` import the external ``name`` (a package, module or member)?"""
    if site.target == name or site.target.startswith(name + "."):
        return True
    return any(f"{site.target}.{n}" == name or f"{site.target}.{n}".startswith(name + ".") for n in site.names)


def shortest_path(
    g: ImportGraph,
    sources: set[str],
    targets: set[str],
    excluded: set[str] | frozenset[str] = frozenset(),
    excluded_edges: set[tuple[str, str]] | frozenset[tuple[str, str]] = frozenset(),
) -> list[str] | None:
    """A shortest chain from any of ``sources`` to any of ``targets`` (BFS, sorted neighbours)."""
    parent: dict[str, str | None] = {}
    q: deque[str] = deque()
    for s in sorted(sources):
        if s in g.succ:
            parent[s] = None
            q.append(s)
    while q:
        u = q.popleft()
        for v in g.successors(u):
            if v in excluded or (u, v) in excluded_edges:
                continue
            if v in parent:
                continue
            parent[v] = u
            if v in targets:
                path = [v]
                while parent[path[-1]] is not None:
                    path.append(parent[path[-1]])  # type: ignore[arg-type]
                return list(reversed(path))
            q.append(v)
    return None


def reached(
    g: ImportGraph,
    sources: set[str],
    blocked: set[str],
    excluded_edges: set[tuple[str, str]] | frozenset[tuple[str, str]] = frozenset(),
) -> set[str]:
    """Every node :func:`shortest_path` from ``sources`` can stop at when ``blocked`` nodes are excluded
    or are targets: the blocked nodes one import away from what the sources reach through unblocked nodes.

    ``shortest_path(g, sources, T, blocked - T, ...)`` finds a chain exactly when ``T`` meets this set
    (for ``T`` inside ``blocked``), so one search answers the question for every ``T`` at once.
    """
    seen = {s for s in sources if s in g.succ}
    q: deque[str] = deque(sorted(seen))
    out: set[str] = set()
    while q:
        u = q.popleft()
        for v in g.succ.get(u, ()):
            if (u, v) in excluded_edges or v in seen:
                continue
            if v in blocked:
                out.add(v)
                continue
            seen.add(v)
            q.append(v)
    return out


def shortest_chains(
    g: ImportGraph,
    sources: set[str],
    targets: set[str],
    excluded: set[str] | frozenset[str] = frozenset(),
    excluded_edges: Iterable[tuple[str, str]] = (),
) -> list[list[str]]:
    """Every chain grimp's iterative search finds: take a shortest chain, forbid its imports, repeat."""
    if sources & targets:
        sources = sources - targets
    banned = set(excluded_edges)
    out: list[list[str]] = []
    while True:
        chain = shortest_path(g, sources, targets, excluded, banned)
        if chain is None:
            break
        out.append(chain)
        banned.update(zip(chain, chain[1:]))
    return out


def direct_chains(g: ImportGraph, sources: set[str], targets: set[str], excluded_edges: Iterable[tuple[str, str]] = ()) -> list[list[str]]:
    """Every direct import from ``sources`` into ``targets``."""
    banned = set(excluded_edges)
    return [[a, b] for a in sorted(sources) if a in g.succ for b in sorted(g.succ[a]) if b in targets and (a, b) not in banned]


def children(g: ImportGraph, package: str) -> list[str]:
    """Direct children of a package (parent packages without a file count too)."""
    depth = package.count(".") + 2
    return sorted({".".join(n.split(".")[:depth]) for n in g.nodes if n.startswith(package + ".")})


def cycle_breakers(g: ImportGraph, package: str, members: Mapping[str, set[str]] | None = None) -> list[tuple[str, str]]:
    """Imports whose removal makes the children of ``package`` acyclic (grimp's heuristic)."""
    kids = children(g, package)
    if len(kids) < 2:
        return []
    below = members or {k: {n for n in g.nodes if n == k or n.startswith(k + ".")} for k in kids}
    owner = {n: k for k, ns in below.items() for n in ns}
    weights: dict[tuple[str, str], int] = {}
    for a, b in g.edges():
        ka, kb = owner.get(a), owner.get(b)
        if ka and kb and ka != kb:
            weights[(ka, kb)] = weights.get((ka, kb), 0) + 1
    imports = {k: {b for (a, b) in weights if a == k} for k in kids}
    reverse = {k: {a for (a, b) in weights if b == k} for k in kids}
    work_i = {k: set(v) for k, v in imports.items()}
    work_r = {k: set(v) for k, v in reverse.items()}

    def remove(m: str) -> None:
        work_i.pop(m, None)
        work_r.pop(m, None)
        for v in work_i.values():
            v.discard(m)
        for v in work_r.values():
            v.discard(m)

    sources: list[str] = []
    while True:
        current = sorted(k for k, v in work_r.items() if not v)
        if not current:
            break
        sources.extend(current)
        for s in current:
            remove(s)
    sinks: list[str] = []
    while True:
        new = sorted(k for k, v in work_i.items() if not v)
        if not new:
            break
        for s in new:
            remove(s)
        sinks[0:0] = new
    middle: list[str] = []
    while work_i:
        best = None
        best_d = 0
        for cand in sorted(work_i):
            d = sum(weights[(cand, b)] for b in work_i[cand]) - sum(weights[(a, cand)] for a in work_r[cand])
            if best is None or d > best_d:
                best, best_d = cand, d
        assert best is not None
        middle.append(best)
        remove(best)
    order = {m: i for i, m in enumerate(sources + middle + sinks)}
    breakers_pkg = sorted((a, b) for (a, b) in weights if order[b] < order[a])
    out: list[tuple[str, str]] = []
    for ka, kb in breakers_pkg:
        for a in sorted(below[ka]):
            for b in g.successors(a):
                if b in below[kb]:
                    out.append((a, b))
    return out


def graph_from_edges(edges: Iterable[tuple[str, str] | tuple[str, str, int]], modules: Iterable[str] = (), type_checking: Iterable[tuple[str, str]] = ()) -> nx.DiGraph:
    """A module graph for tests: ``(importer, imported[, line])`` edges, file paths made from module names."""
    g: nx.DiGraph = nx.DiGraph()
    tc = set(type_checking)

    def path(m: str) -> str:
        return m.replace(".", "/") + ".py"

    for m in modules:
        g.add_node(m, path=path(m), kind=FileKind.SOURCE.value, package=False, namespace=False)
    for e in edges:
        a, b = e[0], e[1]
        line = e[2] if len(e) > 2 else 1  # type: ignore[misc]
        for m in (a, b):
            if m not in g:
                g.add_node(m, path=path(m), kind=FileKind.SOURCE.value, package=False, namespace=False)
        site = ImportSite(a, b, Origin.FIRST_PARTY, Location(path(a), line, 1), f"import {b}", b, type_checking=(a, b) in tc)
        if g.has_edge(a, b):
            g[a][b]["sites"] = g[a][b]["sites"] + (site,)
        else:
            g.add_edge(a, b, sites=(site,))
    return g
