"""What the tests reach: modules (by import, directly or through the runtime graph), routes and tasks.

* A source module is **direct** when a test module imports it, **transitive** when
  it is reachable from such a module over runtime import edges (``TYPE_CHECKING``-only
  edges do not count: they do not run), **package** when only a submodule is reached
  (Python executes the package ``__init__`` implicitly), else **none**.
* A route is **called** when a test makes an HTTP request whose literal path
  matches the route (``client.get("/api/v1/users/me")``, f-string parts match any
  segment), **reached** when its handler module is reached, else **none**.
* A task is **reached** when its module is; tests that call it are not tracked.

This is static reach, not coverage: importing a module does not run its functions.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Mapping, Sequence

import networkx as nx

from ..analyzers.evidence import EvidenceSummary, HttpCall
from ..facts import Route, Task
from ..model import FileKind, Origin

if TYPE_CHECKING:  # pragma: no cover
    from ..pipeline import ScanResult


@dataclass(frozen=True)
class ModuleReach:
    """How tests reach one source module."""

    module: str
    path: str
    status: str  # direct, transitive, package, none
    tests: tuple[str, ...]  # test modules that reach it, direct importers first (at most 5)
    test_count: int


@dataclass(frozen=True)
class RouteReach:
    """How tests reach one route."""

    route: Route
    status: str  # called, reached, none
    calls: tuple[str, ...]  # "tests/test_x.py:12" for every matching request (at most 5)


@dataclass(frozen=True)
class TaskReach:
    task: Task
    status: str  # reached, none


@dataclass(frozen=True)
class ReachReport:
    """Static test reach of a project."""

    test_modules: tuple[str, ...]
    modules: tuple[ModuleReach, ...]
    routes: tuple[RouteReach, ...]
    tasks: tuple[TaskReach, ...]

    def counts(self) -> dict[str, int]:
        c: dict[str, int] = defaultdict(int)
        for m in self.modules:
            c[f"modules_{m.status}"] += 1
        for r in self.routes:
            c[f"routes_{r.status}"] += 1
        for t in self.tasks:
            c[f"tasks_{t.status}"] += 1
        c["modules"] = len(self.modules)
        c["routes"] = len(self.routes)
        c["tasks"] = len(self.tasks)
        c["test_modules"] = len(self.test_modules)
        return dict(sorted(c.items()))

    def of_module(self, module: str) -> ModuleReach | None:
        for m in self.modules:
            if m.module == module:
                return m
        return None


def _segments(path: str) -> list[str]:
    return [s for s in path.strip("/").split("/") if s != ""]


def path_matches(route_path: str, request_path: str) -> bool:
    """Does a test request path (``{}`` = formatted part) name this route path (``{param}``)?"""
    return _segments_match(_segments(route_path), _segments(request_path))


@lru_cache(maxsize=4096)
def _formatted(q: str) -> re.Pattern[str]:
    return re.compile("^" + ".*".join(re.escape(p) for p in q.split("{}")) + "$")


def _segments_match(rs: Sequence[str], qs: Sequence[str]) -> bool:
    if not any("{}" not in q for q in qs):
        return False  # nothing literal to compare
    # a leading "{}" segment may stand for a whole prefix such as settings.API_V1_STR
    if qs and qs[0] == "{}" and len(qs) < len(rs):
        qs = qs[1:]
        rs = rs[len(rs) - len(qs):]
    if len(rs) != len(qs):
        return False
    for r, q in zip(rs, qs):
        if r.startswith("{") and r.endswith("}"):
            continue
        if "{}" in q:
            if not _formatted(q).match(r):
                return False
        elif r != q:
            return False
    return True


def _literal_segments(path: str) -> int:
    return sum(1 for seg in _segments(path) if not (seg.startswith("{") and seg.endswith("}")))


def compute_reach(result: "ScanResult") -> ReachReport:
    """Compute :class:`ReachReport` for a scan (see the module docstring)."""
    modules = {m.name: m for m in result.modules}
    tests = sorted(n for n, m in modules.items() if m.kind is FileKind.TEST and m.path)
    sources = sorted(n for n, m in modules.items() if m.kind is FileKind.SOURCE and m.path)
    source_set = set(sources)
    runtime = nx.DiGraph()
    runtime.add_nodes_from(source_set)
    for a, b, d in result.graph.edges(data=True):
        if a in source_set and b in source_set and any(not s.type_checking for s in d["sites"]):
            runtime.add_edge(a, b)

    bit = {t: 1 << i for i, t in enumerate(tests)}
    direct: dict[str, int] = defaultdict(int)
    for s in result.imports:
        if s.origin is Origin.FIRST_PARTY and s.importer in bit and s.target in source_set and not s.type_checking:
            direct[s.target] |= bit[s.importer]
    reach: dict[str, int] = dict(direct)
    # propagate test bits along runtime edges, component by component in topological order
    cond = nx.condensation(runtime)
    for c in nx.topological_sort(cond):
        members = cond.nodes[c]["members"]
        value = 0
        for m in members:
            value |= reach.get(m, 0)
        for m in members:
            reach[m] = value
        for m in members:
            for nxt in runtime.successors(m):
                if nxt not in members and value:
                    reach[nxt] = reach.get(nxt, 0) | value

    reached = {m for m, v in reach.items() if v}
    packages = set()
    for m in reached:
        parts = m.split(".")
        for i in range(1, len(parts)):
            packages.add(".".join(parts[:i]))

    def first(bits: int, n: int) -> list[str]:
        out: list[str] = []
        while bits and len(out) < n:
            low = bits & -bits
            out.append(tests[low.bit_length() - 1])
            bits ^= low
        return out

    def names(bits: int, prefer: int) -> tuple[tuple[str, ...], int]:
        chosen = first(prefer, 5)
        chosen += first(bits & ~prefer, 5 - len(chosen))
        return tuple(chosen), bin(bits).count("1")

    out_modules = []
    for m in sources:
        bits = reach.get(m, 0)
        if direct.get(m):
            status = "direct"
        elif bits:
            status = "transitive"
        elif m in packages and modules[m].is_package:
            status = "package"
        else:
            status = "none"
        shown, count = names(bits, direct.get(m, 0))
        out_modules.append(ModuleReach(m, modules[m].path, status, shown, count))
    status_of = {m.module: m.status for m in out_modules}

    requests: list[tuple[HttpCall, str]] = []
    for module, summary in sorted((result.project.summaries_of("evidence") if result.project else {}).items()):
        if isinstance(summary, EvidenceSummary) and module in bit:
            path = modules[module].path
            requests.extend((rq, path) for rq in summary.requests)
    # each request names the most specific matching route(s) only: "/users/me" is not "/users/{id}"
    hits: dict[int, list[str]] = defaultdict(list)
    route_segments = [_segments(r.path) for r in result.routes]
    literal = [_literal_segments(r.path) for r in result.routes]
    best_routes: dict[tuple[str, str], list[int]] = {}  # tests repeat their requests: match each once
    for rq, path in requests:
        found = best_routes.get((rq.method, rq.path))
        if found is None:
            qs = _segments(rq.path)
            matching = [
                i
                for i, r in enumerate(result.routes)
                if (rq.method in r.methods or rq.method == "ANY" or "ANY" in r.methods) and _segments_match(route_segments[i], qs)
            ]
            best = max((literal[i] for i in matching), default=0)
            found = best_routes[(rq.method, rq.path)] = [i for i in matching if literal[i] == best]
        for i in found:
            hits[i].append(f"{path}:{rq.line}")
    routes = []
    for i, r in enumerate(result.routes):
        calls = tuple(hits.get(i, ()))
        mod = _module_of(r.handler, modules)
        if calls:
            status = "called"
        elif status_of.get(mod, "none") in ("direct", "transitive"):
            status = "reached"
        else:
            status = "none"
        routes.append(RouteReach(r, status, calls[:5]))
    tasks = [
        TaskReach(t, "reached" if status_of.get(_module_of(t.function, modules), "none") in ("direct", "transitive") else "none")
        for t in result.tasks
    ]
    return ReachReport(tuple(tests), tuple(out_modules), tuple(routes), tuple(tasks))


def _module_of(dotted: str, modules: Mapping[str, object]) -> str:
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        cand = ".".join(parts[:i])
        if cand in modules:
            return cand
    return ""
