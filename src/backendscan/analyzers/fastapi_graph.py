"""The route graph of the FastAPI analyzer: objects, the routes on them, the edges between them.

:class:`RouteGraph` holds what the registrations found (:class:`Obj` apps and
routers, :class:`Leaf` routes relative to their object, :class:`Edge` includes
and mounts) and composes the full routes: every app not mounted into another
is a root; walking its edges adds each level's prefix, dependencies, tags and
conditions; routers no root reaches are walked as orphans.  Identical
(methods, path, handler) per app are kept once, with the weakest conditions.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any, Callable

from ..facts import PARTIAL, RESOLVED, UNRESOLVED, AuthEvidence, Route
from ..model import Location, Severity, Unresolved
from ..project import Value
from .routing import normalize_starlette

MAX_CHAIN = 40
MAX_ROUTES = 200_000

RULE_ORPHAN = "orphan-router"
RULE_CYCLE = "include-cycle"
RULE_ALTERNATIVE = "conditional-prefix"

Report = Callable[..., None]  # (rule, severity, message, location, symbol="", hint="")


@dataclass(frozen=True)
class ObjRef:
    """An app/router object as a folded value (bound to a parameter or a loop variable)."""

    key: str


@dataclass
class Obj:
    """An app, router or parameter standing for one."""

    key: str  # dotted name (module.qualname of the variable) or a synthetic name for inline objects
    kind: str  # app, starlette_app, router, starlette_router
    cls: str
    module: str
    scope: str
    call: ast.Call | None
    location: Location
    parameter: bool = False
    prefix: Value | None = None
    auth: tuple[AuthEvidence, ...] = ()
    tags: tuple[str, ...] = ()
    options: tuple[tuple[str, str], ...] = ()

    @property
    def is_app(self) -> bool:
        return self.kind in ("app", "starlette_app")

    @property
    def framework(self) -> str:
        return "starlette" if self.kind.startswith("starlette") else "fastapi"


@dataclass(frozen=True)
class Leaf:
    """A route registered on one object (path relative to that object)."""

    owner: str
    methods: tuple[str, ...]
    path: Value
    handler: str
    file: str
    line: int
    registered_at: Location
    kind: str = "http"
    name: str = ""
    is_async: bool = False
    options: tuple[tuple[str, str], ...] = ()
    auth: tuple[AuthEvidence, ...] = ()
    conditions: tuple[str, ...] = ()
    unresolved: tuple[Unresolved, ...] = ()


@dataclass(frozen=True)
class Edge:
    """``parent`` includes or mounts ``child`` under ``prefix``."""

    parent: str
    child: str
    kind: str  # include, mount
    prefix: Value
    location: Location
    auth: tuple[AuthEvidence, ...] = ()
    tags: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    branches: tuple[tuple[tuple[str, int, int], bool], ...] = ()



class RouteGraph:
    """Objects, leaves and edges; :meth:`compose` turns them into :class:`~backendscan.facts.Route` facts."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.objects: dict[str, Obj] = {}
        self.leaves: dict[str, list[Leaf]] = {}
        self.edges: list[Edge] = []
        self._leaf_index: dict[tuple[Any, ...], list[int]] = {}
        self._edge_index: dict[tuple[Any, ...], list[int]] = {}

    def add_leaf(self, leaf: Leaf) -> None:
        """Add a route to its owner; the same route reached from several call sites keeps the weakest conditions."""
        leaves = self.leaves.setdefault(leaf.owner, [])
        key = (leaf.owner, leaf.methods, leaf.path.value, leaf.handler)
        for i in self._leaf_index.get(key, ()):
            old = leaves[i]
            if set(old.conditions) <= set(leaf.conditions):
                return
            if set(leaf.conditions) < set(old.conditions):
                leaves[i] = leaf
                return
        self._leaf_index.setdefault(key, []).append(len(leaves))
        leaves.append(leaf)

    def add_edge(self, edge: Edge) -> None:
        key = (edge.parent, edge.child, edge.kind, edge.prefix.value)
        for i in self._edge_index.get(key, ()):
            old = self.edges[i]
            if set(old.conditions) <= set(edge.conditions) and old.auth == edge.auth:
                return
            if set(edge.conditions) < set(old.conditions) and old.auth == edge.auth:
                self.edges[i] = edge
                return
        self._edge_index.setdefault(key, []).append(len(self.edges))
        self.edges.append(edge)

    def drop_alternatives(self) -> None:
        """Keep the folded branch when one object is attached in both branches of one ``if``."""
        by_pair: dict[tuple[str, str], list[Edge]] = {}
        for e in self.edges:
            by_pair.setdefault((e.parent, e.child), []).append(e)
        drop: set[int] = set()
        for edges in by_pair.values():
            if len(edges) < 2:
                continue
            good = [e for e in edges if e.prefix.status == RESOLVED]
            bad = [e for e in edges if e.prefix.status != RESOLVED]
            for b in bad:
                bkeys = dict(b.branches)
                for g in good:
                    if any(k in bkeys and bkeys[k] != br for k, br in g.branches):
                        drop.add(id(b))
                        self.report(
                            RULE_ALTERNATIVE,
                            Severity.INFO,
                            f"{b.kind} of {b.child} at `{b.prefix.value}` in one branch and at "
                            f"'{g.prefix.value}' in the other; routes are listed under '{g.prefix.value}'",
                            b.location,
                            symbol=b.child,
                        )
                        break
        self.edges = [e for e in self.edges if id(e) not in drop]
        self._edge_index = {}  # positions changed; edges are not added after this

    def compose(self) -> list[Route]:
        children: dict[str, list[Edge]] = {}
        incoming: dict[str, int] = {}
        for e in self.edges:
            children.setdefault(e.parent, []).append(e)
            incoming[e.child] = incoming.get(e.child, 0) + 1
        mounted = {e.child for e in self.edges if e.kind == "mount"}
        out: dict[tuple[Any, ...], Route] = {}
        visited: set[str] = set()
        roots = sorted(k for k, o in self.objects.items() if o.is_app and k not in mounted and not o.parameter)
        roots += sorted(k for k, o in self.objects.items() if o.is_app and k not in mounted and o.parameter)
        for root in roots:
            self._walk(root, root, [], (), (), (), children, [root], visited, out, orphan=False)
        # routers (and mounted apps) that no root reaches
        pending = sorted(
            (k for k in self.objects if k not in visited and (self.leaves.get(k) or children.get(k))),
            key=lambda k: (incoming.get(k, 0) > 0, k),
        )
        for key in pending:
            if key in visited:
                continue
            obj = self.objects[key]
            n_before = len(out)
            self._walk(key, "", [], (), (), (), children, [key], visited, out, orphan=True)
            if len(out) > n_before or self.leaves.get(key):
                what = "app" if obj.is_app else "router"
                self.report(
                    RULE_ORPHAN,
                    Severity.WARNING if not obj.parameter else Severity.INFO,
                    f"{what} {obj.key} is not attached to any app the scan found; its routes are listed as orphans",
                    obj.location,
                    symbol=obj.key,
                    hint="Include it (include_router/mount), or remove it if it is dead code.",
                )
        return sorted(out.values(), key=Route.sort_key)

    def _walk(
        self,
        key: str,
        app: str,
        parts: list[Value],
        auth: tuple[AuthEvidence, ...],
        conditions: tuple[str, ...],
        tags: tuple[str, ...],
        children: dict[str, list[Edge]],
        stack: list[str],
        visited: set[str],
        out: dict[tuple[Any, ...], Route],
        orphan: bool,
    ) -> None:
        if len(out) >= MAX_ROUTES or len(stack) > MAX_CHAIN:
            return
        visited.add(key)
        obj = self.objects[key]
        if obj.prefix is not None:
            parts = parts + [obj.prefix]
        auth = auth + obj.auth
        tags = tags + obj.tags
        root = self.objects.get(app) if app else None
        for leaf in self.leaves.get(key, ()):
            route = self._route(leaf, obj, root, parts + [leaf.path], auth, conditions, tags, orphan)
            dedupe = (route.methods, route.path, route.handler, route.app)
            seen = out.get(dedupe)
            if seen is None or set(route.conditions) < set(seen.conditions):
                out[dedupe] = route
        for edge in children.get(key, ()):
            if edge.child in stack:
                self.report(
                    RULE_CYCLE,
                    Severity.WARNING,
                    f"{edge.kind} cycle: {' -> '.join(stack[stack.index(edge.child):] + [edge.child])}",
                    edge.location,
                    symbol=edge.child,
                )
                continue
            child = self.objects.get(edge.child)
            if child is None:
                continue
            self._walk(
                edge.child,
                app,
                parts + [edge.prefix],
                auth + edge.auth,
                conditions + tuple(c for c in edge.conditions if c not in conditions),
                tags + edge.tags,
                children,
                stack + [edge.child],
                visited,
                out,
                orphan,
            )

    def _route(
        self,
        leaf: Leaf,
        owner: Obj,
        root: Obj | None,
        parts: list[Value],
        auth: tuple[AuthEvidence, ...],
        conditions: tuple[str, ...],
        tags: tuple[str, ...],
        orphan: bool,
    ) -> Route:
        raw = "".join(p.value if isinstance(p.value, str) else "" for p in parts)
        unknowns: list[Unresolved] = []
        for p in parts:
            for u in p.unknowns:
                if u not in unknowns:
                    unknowns.append(u)
        for u in leaf.unresolved:
            if u not in unknowns:
                unknowns.append(u)
        if all(p.status == RESOLVED for p in parts):
            status = RESOLVED
        elif all(
            (p.value == "" if p.status == RESOLVED else isinstance(p.value, str) and _only_placeholders(p.value))
            for p in parts
        ):
            status = UNRESOLVED
        else:
            status = PARTIAL
        if leaf.methods == ("MOUNT",) and len(raw) > 1:
            raw = raw.rstrip("/") or "/"
        if raw and not raw.startswith("/") and not raw.startswith("{"):
            raw = "/" + raw
        raw = raw or "/"
        all_auth: list[AuthEvidence] = []
        seen: set[tuple[str, str, str, Location]] = set()
        for a in auth + leaf.auth:
            k = (a.kind, a.name, a.attached, a.location)
            if k not in seen:
                seen.add(k)
                all_auth.append(a)
        conds = tuple(dict.fromkeys(conditions + leaf.conditions))
        options = leaf.options
        if root is not None:
            options = options + root.options
        if tags:
            options = options + (("inherited_tags", ", ".join(dict.fromkeys(tags))),)
        if any(p.env_overridable for p in parts):
            options = options + (("path_env_overridable", "true"),)
        framework = (root or owner).framework
        return Route(
            framework=framework,
            methods=leaf.methods,
            path=normalize_starlette(raw),
            raw_path=raw,
            path_status=status,
            handler=leaf.handler,
            file=leaf.file,
            line=leaf.line,
            auth=tuple(all_auth),
            unresolved=tuple(unknowns),
            group=owner.key,
            app=root.key if root is not None else "",
            registered_at=leaf.registered_at,
            name=leaf.name,
            conditions=conds,
            is_async=leaf.is_async,
            options=options,
            kind=leaf.kind,
            orphan=orphan,
        )


def _only_placeholders(raw: str) -> bool:
    depth = 0
    for ch in raw:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        elif depth == 0 and ch not in "/":
            return False
    return True


