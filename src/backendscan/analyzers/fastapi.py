"""FastAPI / Starlette routes with full paths composed across modules.

What is found (every name is resolved through imports, aliases, re-exports and
the class hierarchy; variable names mean nothing):

* **Objects.** ``FastAPI(...)`` and ``Starlette(...)`` apps (and project
  subclasses, and Cadwyn's ``Cadwyn``), ``APIRouter(...)`` and Starlette
  ``Router(...)`` (and subclasses; a subclass's ``__init__`` calling
  ``super().__init__(prefix=..., dependencies=...)`` or
  ``kwargs.setdefault(...)`` contributes its prefix and dependencies).  Objects
  created in factories (``def create_app(): app = FastAPI(); ...; return app``)
  are followed through ``x = create_app()``.  A module-level function with
  parameters that returns a router it builds (``def get_oauth_login_router(factor,
  identifier): router = APIRouter(prefix=f"/{identifier}"); @router.get(...)
  ...; return router``: Polar) builds a new router per call: each call, also
  inside ``include_router(...)`` or a loop, gets its own router with the call's
  arguments bound (calls with the same folded arguments share one; budget
  ``MAX_INSTANCE_DEPTH``/``MAX_INSTANCES*``, then one router with placeholders and
  a ``dynamic-registration`` finding).  A class bound by a call
  (``APIRouter = get_api_router_class(APIRoute)``, where the factory defines
  ``class _CustomAPIRouter(fastapi.APIRouter)`` and returns it: Polar) is that
  class, so ``APIRouter(prefix="/users")`` is a router.
* **Routes.** ``@<obj>.get/post/put/patch/delete/options/head/trace(path)``,
  ``@<obj>.api_route(path, methods=[...])`` (no methods = GET),
  ``@<obj>.websocket(path)`` (method ``WEBSOCKET``), Starlette's
  ``@<obj>.route``/``websocket_route``, ``add_api_route``,
  ``add_api_websocket_route``, ``add_route``, ``add_websocket_route``,
  decorators applied by a call (``app.get("/{secret}")(redirect)``), and
  ``routes=[Route(...), WebSocketRoute(...), Mount(...)]`` lists.  Decorators on
  methods (fastapi-utils controllers) work the same; ``self`` is skipped.
* **Composition.** ``include_router(router, prefix=, dependencies=, tags=)``
  chains of any depth (each level adds its prefix and the included router's own
  prefix), ``mount(path, app)`` of a known app (its routes get the prefix),
  ``host(...)``.  Registration inside functions is followed from the call sites
  (parameters bound to the arguments, about three calls deep), loops over
  literal lists/tuples (also module constants such as ``API_ROUTERS``) are
  unrolled, and ``if`` tests become ``conditions``.  A router included in
  several places gives each path; identical (methods, path, handler) pairs are
  kept once per app.
* **Mounts that are not apps** give one route with method ``MOUNT``:
  ``StaticFiles`` and ``app.frontend(...)`` bundles have ``kind="static"``, any
  other ASGI/WSGI app ``kind="mount"``.  The handler is the mounted object's
  class (``starlette.staticfiles.StaticFiles``; ``fastapi.routing._FrontendRoute``
  for frontends), which is what the runtime ground truth (``dump_fastapi.py``)
  records.  FastAPI's own docs routes (``/docs``, ``/openapi.json``, ...) are not
  listed.
* **Roots.** Every app that is not mounted into another known app is a root
  (``Route.app``); ``root_path`` is noted in ``options`` and never added to paths.
  Routers that no app reaches still give their routes, with ``orphan=True``, and
  an ``orphan-router`` finding.
* **Values.** Paths and prefixes are constant-folded (module constants, settings
  defaults, env defaults, f-strings, ``+``); what does not fold stays visible as
  ``{expr}`` with ``path_status`` ``partial``/``unresolved`` and the
  ``unresolved`` list.  When the same app/router is attached in both branches of
  one ``if``, once with a folded and once with an unfoldable prefix, the folded
  branch is kept and the other is reported as a ``conditional-prefix`` finding.
* **Auth** evidence from app, include, router, route and handler-parameter
  dependencies, and from class attributes of class-based controllers (see
  :mod:`.fastapi_auth`).
* **Findings.** ``invalid-route-prefix`` (FastAPI asserts that prefixes start
  with ``/`` and do not end with ``/``), ``dynamic-registration``,
  ``orphan-router``, ``include-cycle``, ``conditional-prefix``.

Example::

    # api/items.py
    router = APIRouter(prefix="/items", dependencies=[Depends(get_current_user)])
    @router.get("/{item_id:int}")
    def read_item(item_id: int): ...
    # main.py
    app = FastAPI()
    app.include_router(items.router, prefix=settings.API_V1_STR)   # "/api/v1"

gives ``GET /api/v1/items/{item_id}`` (``raw_path`` ``/api/v1/items/{item_id:int}``)
handled by ``api.items.read_item``, auth ``get_current_user`` attached to the router.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar, Iterable

from ..facts import PARTIAL, RESOLVED, UNRESOLVED, AuthEvidence
from ..model import FileKind, Finding, Location, Severity, Unresolved
from ..parsing import ParsedModule
from ..project import Project, Ref, Value
from ..symbols import FunctionInfo
from ..visiting import dotted_name
from .base import AnalyzerOutput
from .fastapi_auth import AuthResolver, Marker
from .fastapi_graph import Edge, Leaf, Obj, ObjRef, RouteGraph
from .fastapi_summary import (
    OPAQUE,
    VERBS,
    CallRegistration,
    DecoratedRoute,
    FastAPIVisitor,
    FileSummary,
    HelperCall,
    Loop,
    Return,
    Site,
    interesting,
    parse_expr,
)

# ----------------------------------------------------------------- known names
APP_CLASSES = frozenset({"fastapi.FastAPI", "fastapi.applications.FastAPI", "cadwyn.Cadwyn", "cadwyn.applications.Cadwyn"})
STARLETTE_APP_CLASSES = frozenset({"starlette.applications.Starlette"})
ROUTER_CLASSES = frozenset(
    {
        "fastapi.APIRouter",
        "fastapi.routing.APIRouter",
        "cadwyn.VersionedAPIRouter",
        "cadwyn.routing.VersionedAPIRouter",
        "cadwyn.structure.versions.VersionedAPIRouter",
    }
)
STARLETTE_ROUTER_CLASSES = frozenset({"starlette.routing.Router"})
STATIC_CLASSES = {
    "starlette.staticfiles.StaticFiles": "starlette.staticfiles.StaticFiles",
    "fastapi.staticfiles.StaticFiles": "starlette.staticfiles.StaticFiles",
}
KNOWN_REEXPORTS = {
    "fastapi.middleware.wsgi.WSGIMiddleware": "starlette.middleware.wsgi.WSGIMiddleware",
    "fastapi.staticfiles.StaticFiles": "starlette.staticfiles.StaticFiles",
}
ROUTE_CLASSES = frozenset({"starlette.routing.Route", "fastapi.routing.Route"})
WS_ROUTE_CLASSES = frozenset({"starlette.routing.WebSocketRoute", "fastapi.routing.WebSocketRoute"})
MOUNT_CLASSES = frozenset({"starlette.routing.Mount", "fastapi.routing.Mount"})
HOST_CLASSES = frozenset({"starlette.routing.Host", "fastapi.routing.Host"})
APIROUTE_CLASSES = frozenset({"fastapi.routing.APIRoute", "fastapi.APIRoute"})
FRONTEND_HANDLER = "fastapi.routing._FrontendRoute"

# registration methods whose names are FastAPI's own: an unresolvable receiver is worth a finding
DISTINCTIVE = frozenset({"include_router", "add_api_route", "add_api_websocket_route", "api_route"})
INCLUDE_METHODS = frozenset({"include_router", "generate_and_include_versioned_routers"})

MAX_CALL_DEPTH = 3
MAX_CONTEXTS = 16
MAX_UNROLL = 64
# router factories followed per call (see :class:`_Instance`): beyond these, calls share one router with placeholders
MAX_INSTANCES = 256
MAX_INSTANCES_PER_FACTORY = 32
MAX_INSTANCE_DEPTH = 4

_RULE_PREFIX = "invalid-route-prefix"
_RULE_DYNAMIC = "dynamic-registration"


# ------------------------------------------------------------------ plugin
class FastAPIAnalyzer:
    """The ``fastapi`` analyzer plugin (FastAPI and Starlette routes)."""

    name = "fastapi"
    version = "6"
    kinds: ClassVar[frozenset[str]] = frozenset({"source"})  # resolve reads application code only

    def interested(self, module: str, text: str) -> bool:
        return interesting(text)

    def visitor(self, parsed: ParsedModule) -> FastAPIVisitor:
        return FastAPIVisitor(parsed)

    def resolve(self, project: Project) -> AnalyzerOutput:
        return _Resolver(project).run()


# ------------------------------------------------------------ phase-2 data
@dataclass
class Ctx:
    """Bindings in force at a site: parameters and loop variables, plus the conditions on the way."""

    env: dict[str, Value] = field(default_factory=dict)
    conditions: tuple[str, ...] = ()
    branches: tuple[tuple[tuple[str, int, int], bool], ...] = ()
    unbound: frozenset[str] = frozenset()
    dynamic: frozenset[str] = frozenset()  # loop variables over iterables that were not unrolled
    instance: str = ""  # the router-factory call whose body is being followed (see :class:`_Instance`)

    def signature(self) -> str:
        return repr(sorted((k, v.status, repr(v.value)) for k, v in self.env.items())) + repr(self.conditions)


_EMPTY = Ctx()


@dataclass
class _Instance:
    """One call of a router factory: its arguments bound to the parameters, and the objects its body builds.

    Polar's ``get_oauth_login_router(factor, "github")`` builds ``APIRouter(prefix=f"/{identifier}")`` and
    decorates handlers on it; each call is a different router.  Objects built in the body get the key of the
    generic (call-less) object plus ``suffix``; registrations in the body are processed again with ``ctx``.
    """

    id: str
    module: str
    fn: str  # qualname of the factory
    prefix: str  # keys of objects built in the body start with this
    suffix: str
    level: int  # factory calls followed inside other factory calls
    ctx: Ctx
    obj: str = ""  # key of the returned router
    keys: list[str] = field(default_factory=list)


def _unparse(node: ast.AST | None, limit: int = 200) -> str:
    if node is None:
        return ""
    try:
        text = ast.unparse(node)
    except Exception:  # pragma: no cover - ast.unparse handles parsed trees
        return "<expr>"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _kw(call: ast.Call, name: str, position: int | None = None) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    if position is not None and len(call.args) > position and not any(
        isinstance(a, ast.Starred) for a in call.args[: position + 1]
    ):
        return call.args[position]
    return None


def _names(node: ast.AST | None) -> set[str]:
    if node is None:
        return set()
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _target_names(target: ast.expr) -> set[str]:
    return {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}


def _options(call: ast.Call, skip: Iterable[str]) -> tuple[tuple[str, str], ...]:
    skipped = set(skip)
    return tuple((kw.arg, _unparse(kw.value)) for kw in call.keywords if kw.arg and kw.arg not in skipped)


def _string_list(v: Value) -> list[str] | None:
    if v.ok and isinstance(v.value, (list, tuple, set)) and all(isinstance(x, str) for x in v.value):
        return sorted(v.value) if isinstance(v.value, set) else list(v.value)
    return None


# -------------------------------------------------------------- resolver
class _Resolver:
    """Whole-program phase: objects, registrations, composition, findings."""

    def __init__(self, project: Project) -> None:
        self.p = project
        self.summaries: dict[str, FileSummary] = {}
        for module, summary in sorted(project.summaries_of("fastapi").items()):
            mod = project.modules.get(module)
            if mod is None or mod.kind is not FileKind.SOURCE or not isinstance(summary, FileSummary):
                continue
            self.summaries[module] = summary
        cfg = project.config
        self.app_classes = APP_CLASSES | frozenset(_config_list(cfg.get_extra("fastapi-app-classes")))
        self.router_classes = ROUTER_CLASSES | frozenset(_config_list(cfg.get_extra("fastapi-router-classes")))
        self.auth = AuthResolver(project, _config_list(cfg.get_extra("auth-dependencies")))
        self.graph = RouteGraph(self._finding)
        self.objects = self.graph.objects
        self._not_object: set[str] = set()
        self._resolving: set[str] = set()
        self.findings: list[Finding] = []
        self._finding_keys: set[tuple[str, str, int, str]] = set()
        self._kind_cache: dict[str, str] = {}
        self._class_cache: dict[str, str] = {}
        self._param_cache: dict[tuple[str, str, str], tuple[str, FunctionInfo] | None] = {}
        self._ctx_cache: dict[tuple[str, str], list[Ctx]] = {}
        self._ctx_busy: set[tuple[str, str]] = set()
        self._returns: dict[tuple[str, str], list[Return]] = {}
        self._return_nodes: dict[tuple[str, str], list[ast.expr]] = {}
        self._inits: dict[tuple[str, str], list[Any]] = {}
        self._helpers: dict[str, list[tuple[str, HelperCall]]] = {}
        # router factories followed per call
        self._instances: dict[str, _Instance] = {}
        self._factory_insts: dict[tuple[str, str], dict[str, str]] = {}  # (module, fn) -> signature -> id
        self._factories: dict[tuple[str, str], bool] = {}
        self._generic_used: set[tuple[str, str]] = set()  # factories some call of which fell back to one router
        self._obj_ctx: dict[str, Ctx] = {}  # instance objects: the bindings of their constructor call
        self._tag: tuple[str, str] | None = None  # (module, function) of the registration being processed
        self._tagged: dict[tuple[str, str], list[Leaf | Edge]] = {}
        self._regs: dict[str, list[tuple[str, str, Any]]] = {}  # module -> (function, kind, record)
        for module, s in self.summaries.items():
            for dr in s.decorated:
                if dr.site.function:
                    self._regs.setdefault(module, []).append((dr.site.function, "decorated", dr))
            for cr in s.calls:
                if cr.site.function:
                    self._regs.setdefault(module, []).append((cr.site.function, "call", cr))
        for module, s in self.summaries.items():
            for r in s.returns:
                self._returns.setdefault((module, r.function), []).append(r)
            for i in s.inits:
                self._inits.setdefault((module, i.cls), []).append(i)
            for h in s.helpers:
                self._helpers.setdefault(h.callee.rsplit(".", 1)[-1], []).append((module, h))

    # ------------------------------------------------------------- findings
    def _finding(self, rule: str, severity: Severity, message: str, location: Location, symbol: str = "", hint: str = "") -> None:
        key = (rule, location.path, location.line, message)
        if key in self._finding_keys:
            return
        self._finding_keys.add(key)
        self.findings.append(
            Finding(rule, severity, message, location, symbol=symbol, hint=hint, category="routes")
        )

    # -------------------------------------------------------------- classes
    def _class_kind(self, cq: str) -> str:
        if not cq:
            return ""
        cached = self._kind_cache.get(cq)
        if cached is not None:
            return cached
        kind = ""
        for c in self.p.mro(cq):
            if c in self.app_classes:
                kind = "app"
            elif c in STARLETTE_APP_CLASSES:
                kind = "starlette_app"
            elif c in self.router_classes:
                kind = "router"
            elif c in STARLETTE_ROUTER_CLASSES:
                kind = "starlette_router"
            if kind:
                break
        self._kind_cache[cq] = kind
        return kind

    def _class_of(self, cq: str) -> str:
        """``cq``, or the class a name bound by an assignment evaluates to.

        Polar: ``APIRouter = get_api_router_class(APIRoute)`` where the factory
        defines ``class _CustomAPIRouter(fastapi.APIRouter)`` and returns it; a call
        of ``polar.routing.APIRouter`` then builds a router of that local class (its
        ``__init__`` injections and MRO apply).  Plain aliases (``R = APIRouter``)
        are already followed by name resolution.
        """
        if not cq or self._class_kind(cq):
            return cq
        cached = self._class_cache.get(cq)
        if cached is not None:
            return cached
        self._class_cache[cq] = cq  # also guards against a name evaluated while evaluating itself
        out = cq
        d = self.p.lookup(cq)
        if d.kind == "assignment" and d.obj.value is not None and not isinstance(d.obj.value, (ast.Name, ast.Attribute)):
            v = self.p.evaluate(d.module, d.obj.value, d.obj.scope)
            if v.ok and isinstance(v.value, Ref):
                q = v.value.qualname
                if q != cq and (self._class_kind(q) or self.p.lookup(q).kind == "class"):
                    out = q
        self._class_cache[cq] = out
        return out

    def _canonical_class(self, cq: str) -> str:
        for c in self.p.mro(cq):
            if c in STATIC_CLASSES:
                return STATIC_CLASSES[c] if c == cq else cq
        return KNOWN_REEXPORTS.get(cq, cq)

    def _is_static(self, cq: str) -> bool:
        return any(c in STATIC_CLASSES for c in self.p.mro(cq)) if cq else False

    # ------------------------------------------------------------- scopes
    def _function_of_scope(self, module: str, scope: str) -> str:
        """The innermost function containing ``scope`` ("" for module and class level)."""
        syms = self.p.symbols.get(module)
        s = scope
        while s and syms is not None:
            if syms.function(s) is not None:
                return s
            if ".<locals>." in s:
                s = s.rsplit(".<locals>.", 1)[0]
            elif "." in s:
                s = s.rsplit(".", 1)[0]
            else:
                s = ""
        return ""

    def _param_scope(self, module: str, scope: str, name: str) -> tuple[str, FunctionInfo] | None:
        """The function whose parameter ``name`` is visible from ``scope`` (and not rebound there)."""
        key = (module, scope, name)
        if key not in self._param_cache:
            self._param_cache[key] = self._param_scope_uncached(module, scope, name)
        return self._param_cache[key]

    def _param_scope_uncached(self, module: str, scope: str, name: str) -> tuple[str, FunctionInfo] | None:
        if not scope:
            return None
        syms = self.p.symbols.get(module)
        if syms is None:
            return None
        s = self._function_of_scope(module, scope)
        while s:
            info = syms.function(s)
            if info is not None:
                if syms.in_scope(name, s):
                    return None  # a local binding wins; resolve_name finds it
                if name in info.params:
                    return s, info
            if ".<locals>." not in s:
                break
            s = self._function_of_scope(module, s.rsplit(".<locals>.", 1)[0])
        return None

    # ------------------------------------------------------------- objects
    def _object(self, module: str, expr: ast.expr | None, scope: str, ctx: Ctx | None, depth: int = 0) -> Obj | None:
        """The app/router object ``expr`` denotes, or None."""
        if expr is None or depth > 12:
            return None
        if isinstance(expr, ast.Call):
            return self._object_from_call(module, expr, scope, None, depth + 1, ctx)
        dotted = dotted_name(expr)
        if not dotted:
            return None
        head, _, rest = dotted.partition(".")
        if ctx is not None and head in ctx.env:
            v = ctx.env[head]
            if isinstance(v.value, ObjRef):
                obj = self.objects.get(v.value.key)
                if obj is not None and (not rest or (rest == "router" and obj.is_app)):
                    return obj
                return None
            if head not in ctx.unbound:
                return None
        found = self._param_scope(module, scope, head)
        if found is not None:
            if rest:
                return None
            return self._param_object(module, found[0], found[1], head)
        q = self.p.resolve_name(module, dotted, scope)
        inst = self._instances.get(ctx.instance) if ctx is not None and ctx.instance else None
        local = inst if inst is not None and q.startswith(inst.prefix) else None
        obj = self._object_at(q, depth + 1, local)
        if obj is None and isinstance(expr, ast.Attribute) and expr.attr == "router":
            inner = self._object(module, expr.value, scope, ctx, depth + 1)
            if inner is not None and inner.is_app:
                return inner
        return obj

    def _object_at(self, q: str, depth: int, inst: _Instance | None = None) -> Obj | None:
        """The object the name ``q`` denotes; with ``inst``, a name local to that call of a router factory.

        A factory-local object is kept under the generic key plus the call's suffix and is built
        with the call's bound arguments; only generic names are remembered as "no object".
        """
        key = q + inst.suffix if inst is not None else q
        obj = self.objects.get(key)
        if obj is not None:
            return obj
        if key in self._not_object or key in self._resolving or depth > 12:
            return None
        ctx = inst.ctx if inst is not None else None
        self._resolving.add(key)
        try:
            d = self.p.lookup(q)
            if d.kind == "assignment":
                a = d.obj
                if isinstance(a.value, ast.Call):
                    obj = self._object_from_call(d.module, a.value, a.scope, key, depth + 1, ctx)
                elif isinstance(a.value, (ast.Name, ast.Attribute)):
                    obj = self._object(d.module, a.value, a.scope, ctx, depth + 1)
        finally:
            self._resolving.discard(key)
        if obj is None and inst is None and depth <= 6:  # deeper failures may be the depth limit's, not the name's
            self._not_object.add(key)
        return obj

    def _object_from_call(
        self, module: str, call: ast.Call, scope: str, key: str | None, depth: int, ctx: Ctx | None = None
    ) -> Obj | None:
        callee = dotted_name(call.func)
        if not callee:
            return None
        cq = self._class_of(self.p.resolve_name(module, callee, scope))
        kind = self._class_kind(cq)
        inst = self._instances.get(ctx.instance) if ctx is not None and ctx.instance else None
        if kind:
            if key is None:
                base = f"{module}.{scope}" if scope else module
                key = f"{base}.<{callee}@{call.lineno}:{call.col_offset + 1}>"
                if inst is not None and key.startswith(inst.prefix):
                    key += inst.suffix
            existing = self.objects.get(key)
            if existing is not None:
                return existing
            obj = Obj(key, kind, cq, module, scope, call, self.p.location(module, call))
            self.objects[key] = obj
            if inst is not None and ctx is not None and key.endswith(inst.suffix):
                self._obj_ctx[key] = ctx
                inst.keys.append(key)
            self._init_object(obj)
            return obj
        d = self.p.lookup(cq)
        if d.kind == "function":
            fn: FunctionInfo = d.obj
            built = self._instance_object(module, call, scope, ctx, d.module, fn, depth)
            if built is not None:
                return built
            for value in self._returned(d.module, fn):
                found = self._object(d.module, value, fn.qualname, None, depth + 1)
                if found is not None:
                    return found
        return None

    # ------------------------------------------------- router factories per call
    def _instance_object(
        self, module: str, call: ast.Call, scope: str, ctx: Ctx | None, fmod: str, fn: FunctionInfo, depth: int
    ) -> Obj | None:
        """The router a call of a router factory builds, with the call's arguments bound (None: not such a call).

        A factory here is a module-level function with parameters that returns a router it builds itself.
        Calls with the same folded arguments share one instance; the budget (depth of factory calls inside
        factory bodies, instances per factory and in all) keeps recursive or generated calls finite.
        """
        if not self._is_router_factory(fmod, fn):
            return None
        cctx = ctx or _EMPTY
        if not cctx.instance and self._tag is not None:
            # a factory body processed without a call (its parameters unknown): one router, as before
            tmod, tfn = self._tag
            outer = self.p.symbols[tmod].function(tfn.split(".<locals>.", 1)[0]) if tmod in self.p.symbols else None
            if outer is not None and self._is_router_factory(tmod, outer):
                return None
        returned = self._returned(fmod, fn)
        fkey = (fmod, fn.qualname)
        env, unbound = self._bind(fmod, fn, call, module, scope, cctx)
        sig = Ctx(env).signature()
        known = self._factory_insts.setdefault(fkey, {})
        inst_id = known.get(sig)
        if inst_id is None:
            parent = self._instances.get(cctx.instance) if cctx.instance else None
            level = parent.level + 1 if parent is not None else 0
            if level >= MAX_INSTANCE_DEPTH or len(known) >= MAX_INSTANCES_PER_FACTORY or len(self._instances) >= MAX_INSTANCES:
                self._finding(
                    _RULE_DYNAMIC,
                    Severity.INFO,
                    f"`{_unparse(call)}` builds a new router per call; the scan stops following such calls here "
                    f"(at most {MAX_INSTANCE_DEPTH} nested, {MAX_INSTANCES_PER_FACTORY} per factory, {MAX_INSTANCES} in all)",
                    self.p.location(module, call),
                    symbol=f"{fmod}.{fn.qualname}",
                    hint="The routers of this factory are listed once, with placeholders for its parameters.",
                )
                self._generic_used.add(fkey)
                return None
            suffix = "@" + _unparse(call, 120)
            taken = {self._instances[i].suffix for i in known.values()}
            if suffix in taken:
                suffix += f"#{len(known) + 1}"
            inst_id = f"{fmod}.{fn.qualname}{suffix}"
            inst = _Instance(inst_id, fmod, fn.qualname, f"{fmod}.{fn.qualname}.", suffix, level, Ctx())
            inst.ctx = Ctx(env, unbound=frozenset(unbound), instance=inst_id)
            self._instances[inst_id] = inst
            known[sig] = inst_id
            saved, self._tag = self._tag, None
            try:
                for value in returned:
                    found = self._object(fmod, value, fn.qualname, inst.ctx, depth + 1)
                    if found is not None:
                        inst.obj = found.key
                        break
                if not inst.obj:
                    self._generic_used.add(fkey)
                else:
                    self._replay(inst)
            finally:
                self._tag = saved
        inst = self._instances[inst_id]
        return self.objects.get(inst.obj) if inst.obj else None

    def _calls_router_factory(self, module: str, h: HelperCall) -> bool:
        d = self.p.lookup(self.p.resolve_name(module, h.callee, h.site.scope))
        return d.kind == "function" and self._is_router_factory(d.module, d.obj)

    def _is_router_factory(self, module: str, fn: FunctionInfo) -> bool:
        """A module-level function with parameters that returns a router it builds itself."""
        key = (module, fn.qualname)
        found = self._factories.get(key)
        if found is None:
            found = (
                not fn.is_method
                and ".<locals>." not in fn.qualname
                and bool(self._params(fn))
                and any(self._builds_router(module, fn, v) for v in self._returned(module, fn))
            )
            self._factories[key] = found
        return found

    def _builds_router(self, module: str, fn: FunctionInfo, value: ast.expr) -> bool:
        """Whether ``return value`` returns a router built in ``fn`` itself (checked without building objects)."""
        node: ast.expr | None = value
        local = f"{module}.{fn.qualname}.<locals>."
        for _ in range(4):
            if isinstance(node, ast.Call):
                callee = dotted_name(node.func)
                if not callee:
                    return False
                cq = self._class_of(self.p.resolve_name(module, callee, fn.qualname))
                return self._class_kind(cq) in ("router", "starlette_router")
            dn = dotted_name(node) if node is not None else ""
            if not dn or "." in dn:
                return False
            q = self.p.resolve_name(module, dn, fn.qualname)
            if not q.startswith(local):
                return False
            d = self.p.lookup(q)
            if d.kind != "assignment" or d.obj.value is None:
                return False
            node = d.obj.value
        return False

    def _replay(self, inst: _Instance) -> None:
        """Process the registrations in the factory body (and functions nested in it) for one call."""
        nested = inst.fn + ".<locals>."
        for function, kind, item in self._regs.get(inst.module, ()):
            if function != inst.fn and not function.startswith(nested):
                continue
            if function == inst.fn:
                base = [inst.ctx]
            else:
                base = [
                    Ctx({**c.env, **inst.ctx.env}, c.conditions, c.branches, c.unbound, c.dynamic, inst.id)
                    for c in self._fn_contexts(inst.module, function)
                ]
            self._safe(self._decorated if kind == "decorated" else self._call, inst.module, item, base)

    def _settle_instances(self) -> None:
        """Drop what the factory bodies registered without a call; a factory called once keeps its plain keys."""
        drop: set[int] = set()
        rename: dict[str, str] = {}
        for (fmod, fn), known in sorted(self._factory_insts.items()):
            if not known or (fmod, fn) in self._generic_used:
                continue
            nested = fn + ".<locals>."
            for (tmod, tfn), items in self._tagged.items():
                if tmod == fmod and (tfn == fn or tfn.startswith(nested)):
                    drop.update(id(it) for it in items)
            if len(known) == 1:
                inst = self._instances[next(iter(known.values()))]
                for key in inst.keys:
                    rename[key] = key[: -len(inst.suffix)]
        g = self.graph
        if drop:
            for owner, leaves in g.leaves.items():
                g.leaves[owner] = [lf for lf in leaves if id(lf) not in drop]
            g.edges = [e for e in g.edges if id(e) not in drop]
        # what functions called from a factory body registered on its router (``add_crud(router, "items")``,
        # followed without the factory's call) belongs to every call's router
        instance_keys = {k for inst in self._instances.values() for k in inst.keys}
        for (fmod, fn), known in sorted(self._factory_insts.items()):
            if not known or (fmod, fn) in self._generic_used:
                continue
            insts = [self._instances[i] for i in known.values()]
            local = f"{fmod}.{fn}."
            for key in [k for k, o in g.objects.items() if k.startswith(local) and not o.parameter and k not in instance_keys]:
                leaves = g.leaves.get(key) or []
                out = [e for e in g.edges if e.parent == key]
                if not leaves and not out:
                    continue
                for inst in insts:
                    ik = key + inst.suffix
                    if ik in g.objects:
                        g.leaves.setdefault(ik, []).extend(replace(lf, owner=ik) for lf in leaves)
                        g.edges.extend(replace(e, parent=ik) for e in out)
                g.leaves[key] = []
                g.edges = [e for e in g.edges if e.parent != key]
        if rename:
            busy = {e.parent for e in g.edges} | {e.child for e in g.edges} | {k for k, v in g.leaves.items() if v}
            targets = list(rename.values())
            rename = {old: new for old, new in rename.items() if new not in busy and targets.count(new) == 1}
            for old, new in rename.items():
                obj = g.objects.pop(old, None)
                if obj is None:
                    continue
                obj.key = new
                g.objects[new] = obj
                if old in g.leaves:
                    g.leaves[new] = [replace(lf, owner=new) for lf in g.leaves.pop(old)]
            g.edges = [
                replace(e, parent=rename.get(e.parent, e.parent), child=rename.get(e.child, e.child))
                if e.parent in rename or e.child in rename
                else e
                for e in g.edges
            ]
        g._leaf_index = {}
        g._edge_index = {}

    def _add_leaf(self, leaf: Leaf) -> None:
        self.graph.add_leaf(leaf)
        if self._tag is not None:
            self._tagged.setdefault(self._tag, []).append(leaf)

    def _add_edge(self, edge: Edge) -> None:
        self.graph.add_edge(edge)
        if self._tag is not None:
            self._tagged.setdefault(self._tag, []).append(edge)

    def _returned(self, module: str, fn: FunctionInfo) -> list[ast.expr]:
        """What ``fn`` may return (phase-1 ``return`` records, else the symbol table's single return)."""
        key = (module, fn.qualname)
        nodes = self._return_nodes.get(key)
        if nodes is None:
            records = self._returns.get(key)
            if records is None:
                nodes = [fn.single_return] if fn.single_return is not None else []
            else:
                nodes = [n for n in (r.node() for r in records) if n is not None]
            self._return_nodes[key] = nodes
        return nodes

    def _param_object(self, module: str, fn: str, info: FunctionInfo, name: str) -> Obj | None:
        """A parameter annotated as an app/router, standing for the objects no call site gives."""
        args = info.args
        ann = None
        for a in args.posonlyargs + args.args + args.kwonlyargs:
            if a.arg == name:
                ann = a.annotation
        if ann is None:
            return None
        cands = [ann]
        if isinstance(ann, ast.BinOp):
            cands = [ann.left, ann.right]
        elif isinstance(ann, ast.Constant) and isinstance(ann.value, str):
            try:
                cands = [ast.parse(ann.value, mode="eval").body]
            except SyntaxError:
                return None
        for c in cands:
            dn = dotted_name(c)
            if not dn:
                continue
            cq = self._class_of(self.p.resolve_name(module, dn, info.scope))
            kind = self._class_kind(cq)
            if kind:
                key = f"{module}.{fn}.<locals>.{name}"
                obj = self.objects.get(key)
                if obj is None:
                    obj = Obj(key, kind, cq, module, fn, None, Location(self.p.path_of(module), info.line), parameter=True)
                    self.objects[key] = obj
                return obj
        return None

    # ---------------------------------------------------- object attributes
    def _constructor_keywords(self, obj: Obj) -> dict[str, tuple[ast.expr, str, str, Ctx]]:
        """Keyword arguments in force for ``obj``'s constructor (incl. subclass ``__init__`` injections)."""
        out: dict[str, tuple[ast.expr, str, str, Ctx]] = {}
        call = obj.call
        if call is None:
            return out
        ctx = self._obj_ctx.get(obj.key)
        if ctx is None:
            fn = self._function_of_scope(obj.module, obj.scope)
            ctxs = self._fn_contexts(obj.module, fn) if fn else [_EMPTY]
            ctx = ctxs[0] if ctxs else _EMPTY
        # FastAPI() and APIRouter() take keyword arguments only; Starlette's classes take these first
        positional = {"starlette_app": ("debug", "routes"), "starlette_router": ("routes",)}.get(obj.kind, ())
        for i, a in enumerate(call.args):
            if isinstance(a, ast.Starred) or i >= len(positional):
                break
            out[positional[i]] = (a, obj.module, obj.scope, ctx)
        for kw in call.keywords:
            if kw.arg:
                out[kw.arg] = (kw.value, obj.module, obj.scope, ctx)
        # project subclasses: super().__init__(...) / kwargs.setdefault(...) in __init__
        for cls in self.p.mro(obj.cls):
            found = self.p.class_info(cls)
            if found is None:
                continue
            mod, info = found
            inits = self._inits.get((mod, info.qualname))
            if not inits:
                continue
            init_fn = self.p.symbols[mod].function(f"{info.qualname}.__init__")
            params = list(init_fn.params[1:]) if init_fn is not None else []
            bound: dict[str, tuple[ast.expr, str, str, Ctx]] = {}
            for i, a in enumerate(call.args):
                if isinstance(a, ast.Starred) or i >= len(params):
                    break
                bound[params[i]] = (a, obj.module, obj.scope, ctx)
            for kw in call.keywords:
                if kw.arg in params:
                    bound[kw.arg] = (kw.value, obj.module, obj.scope, ctx)
            scope = f"{info.qualname}.__init__"
            param_defaults: dict[str, ast.expr] = {}
            if init_fn is not None:
                fargs = init_fn.args
                pos = [a.arg for a in fargs.posonlyargs + fargs.args]
                param_defaults.update({n: d for n, d in zip(pos[::-1], fargs.defaults[::-1])})
                param_defaults.update({a.arg: d for a, d in zip(fargs.kwonlyargs, fargs.kw_defaults) if d is not None})
            injected: dict[str, tuple[ast.expr, str, str, Ctx]] = {}
            for ic in inits:
                if ic.kind == "super":
                    for kw in ic.call.keywords:
                        if not kw.arg:
                            continue
                        if isinstance(kw.value, ast.Name) and kw.value.id in bound:
                            injected[kw.arg] = bound[kw.value.id]
                        elif isinstance(kw.value, ast.Name) and kw.value.id in params:
                            # a parameter the constructor call leaves at its default
                            default = param_defaults.get(kw.value.id)
                            if default is not None:
                                injected[kw.arg] = (default, mod, info.scope, _EMPTY)
                        else:
                            injected[kw.arg] = (kw.value, mod, scope, _EMPTY)
                elif ic.kind == "setdefault" and len(ic.call.args) == 2:
                    k = ic.call.args[0]
                    if isinstance(k, ast.Constant) and isinstance(k.value, str) and k.value not in out:
                        injected.setdefault(k.value, (ic.call.args[1], mod, scope, _EMPTY))
            for k, v in injected.items():
                out[k] = v
            break
        return out

    def _init_object(self, obj: Obj) -> None:
        kws = self._constructor_keywords(obj)
        attached = "app" if obj.is_app else "router"
        if obj.kind == "router":
            if "prefix" in kws:
                expr, mod, scope, ctx = kws["prefix"]
                obj.prefix = self._string(mod, expr, scope, ctx)
                self._check_prefix(obj.prefix, self.p.location(mod, expr), f"APIRouter prefix of {obj.key}")
            else:
                obj.prefix = Value(RESOLVED, "")
        if "dependencies" in kws:
            expr, mod, scope, ctx = kws["dependencies"]
            obj.auth = self._evidence(self.auth.list_markers(mod, expr, scope), attached, obj.key)
        if "tags" in kws:
            expr, mod, scope, ctx = kws["tags"]
            tags = _string_list(self.p.evaluate(mod, expr, scope, ctx.env))
            obj.tags = tuple(tags) if tags is not None else (_unparse(expr),)
        opts = []
        if obj.is_app and "root_path" in kws:
            expr, mod, scope, ctx = kws["root_path"]
            v = self.p.evaluate_string(mod, expr, scope, ctx.env)
            opts.append(("root_path", v.value if isinstance(v.value, str) else _unparse(expr)))
        obj.options = tuple(opts)
        if "routes" in kws:
            expr, mod, scope, ctx = kws["routes"]
            self._routes_list(obj, mod, expr, scope, ctx)

    def _check_prefix(self, v: Value, location: Location, what: str) -> None:
        if v.status != RESOLVED or not isinstance(v.value, str) or not v.value:
            return
        text = v.value
        if not text.startswith("/") or text.endswith("/"):
            problem = "does not start with '/'" if not text.startswith("/") else "ends with '/'"
            self._finding(
                _RULE_PREFIX,
                Severity.ERROR,
                f"{what} is '{text}', which {problem}; FastAPI refuses it at start-up",
                location,
                hint="Write prefixes as '/name' without a trailing slash.",
            )

    # ------------------------------------------------------------- values
    def _string(self, module: str, expr: ast.expr | None, scope: str, ctx: Ctx) -> Value:
        if expr is None:
            return Value(RESOLVED, "")
        v = self.p.evaluate_string(module, expr, scope, ctx.env)
        if v.status == RESOLVED:
            return Value(RESOLVED, "" if v.value is None else str(v.value), (), v.env_overridable)
        if isinstance(v.value, str):
            return v
        loc = self.p.location(module, expr)
        unknowns = v.unknowns or (Unresolved(_unparse(expr), "not a constant", loc),)
        return Value(PARTIAL, "{" + _unparse(expr) + "}", unknowns)

    def _value_of(self, module: str, expr: ast.expr, scope: str, ctx: Ctx) -> Value:
        if isinstance(expr, ast.Name) and expr.id == OPAQUE:
            where = self.p.location(module, expr)
            return Value(UNRESOLVED, None, (Unresolved("<long argument>", "argument too long to keep", where),))
        obj = self._object(module, expr, scope, ctx)
        if obj is not None:
            return Value(RESOLVED, ObjRef(obj.key))
        v = self.p.evaluate(module, expr, scope, ctx.env)
        if v.status != RESOLVED and not v.unknowns:
            v = Value(v.status, v.value, (Unresolved(_unparse(expr), "not a constant", self.p.location(module, expr)),))
        return v

    # ---------------------------------------------------------- contexts
    def _call_sites(self, module: str, fn: str) -> list[tuple[str, HelperCall]]:
        target = f"{module}.{fn}"
        out = []
        for cmod, hc in self._helpers.get(fn.rsplit(".", 1)[-1], ()):
            if self.p.resolve_name(cmod, hc.callee, hc.site.scope) == target:
                out.append((cmod, hc))
        out.sort(key=lambda t: (t[0], t[1].line, t[1].column))
        return out

    def _fn_contexts(self, module: str, fn: str, depth: int = 0) -> list[Ctx]:
        """Bindings for the body of function ``fn``: one per (call site x caller binding), or its defaults."""
        if not fn:
            return [_EMPTY]
        key = (module, fn)
        cached = self._ctx_cache.get(key)
        if cached is not None:
            return cached
        syms = self.p.symbols.get(module)
        info = syms.function(fn) if syms is not None else None
        if info is None:
            return [_EMPTY]
        if key in self._ctx_busy or depth > MAX_CALL_DEPTH:
            return [self._default_ctx(module, info, _EMPTY)]
        self._ctx_busy.add(key)
        try:
            out: list[Ctx] = []
            parent = self._function_of_scope(module, fn.rsplit(".<locals>.", 1)[0]) if ".<locals>." in fn else ""
            for cmod, hc in self._call_sites(module, fn)[:8]:
                node = hc.node()
                if hc.site.type_checking_only or node is None:
                    continue
                for cctx in self._site_contexts(cmod, hc.site, node, depth + 1)[:4]:
                    base = dict(cctx.env) if parent and hc.site.function.startswith(parent) else {}
                    env, unbound = self._bind(module, info, node, cmod, hc.site.scope, cctx)
                    base.update(env)
                    conds = cctx.conditions + _conditions(hc.site)
                    out.append(Ctx(base, conds, cctx.branches + _branches(cmod, hc.site), frozenset(unbound), instance=cctx.instance))
            if not out:
                parents = self._fn_contexts(module, parent, depth + 1) if parent else [_EMPTY]
                out = [self._default_ctx(module, info, pc) for pc in parents[:4]]
        finally:
            self._ctx_busy.discard(key)
        uniq: dict[str, Ctx] = {}
        for c in out:
            uniq.setdefault(c.signature(), c)
        result = list(uniq.values())[:MAX_CONTEXTS]
        self._ctx_cache[key] = result
        return result

    def _default_ctx(self, module: str, info: FunctionInfo, parent: Ctx) -> Ctx:
        env = dict(parent.env)
        unbound = set(parent.unbound)
        args = info.args
        pos = args.posonlyargs + args.args
        defaults = {a.arg: d for a, d in zip(pos[len(pos) - len(args.defaults):], args.defaults)}
        defaults.update({a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None})
        loc = Location(self.p.path_of(module), info.line)
        for name in self._params(info):
            if name in defaults:
                env[name] = self.p.evaluate(module, defaults[name], info.scope)
            else:
                env[name] = Value(UNRESOLVED, None, (Unresolved(name, f"parameter of {info.qualname}() with no known call site", loc),))
                unbound.add(name)
        return Ctx(env, parent.conditions, parent.branches, frozenset(unbound), instance=parent.instance)

    @staticmethod
    def _params(info: FunctionInfo) -> list[str]:
        params = list(info.params)
        if info.is_method and params and params[0] in ("self", "cls"):
            params = params[1:]
        args = info.args
        for extra in (args.vararg, args.kwarg):
            if extra is not None:
                params.append(extra.arg)
        return params

    def _bind(self, module: str, info: FunctionInfo, call: ast.Call, cmod: str, cscope: str, cctx: Ctx) -> tuple[dict[str, Value], set[str]]:
        args = info.args
        pos_names = [a.arg for a in args.posonlyargs + args.args]
        if info.is_method and pos_names and pos_names[0] in ("self", "cls"):
            pos_names = pos_names[1:]
        env: dict[str, Value] = {}
        unknown_rest = False
        for i, a in enumerate(call.args):
            if isinstance(a, ast.Starred):
                unknown_rest = True
                break
            if i < len(pos_names):
                env[pos_names[i]] = self._value_of(cmod, a, cscope, cctx)
        for kw in call.keywords:
            if kw.arg is None:
                unknown_rest = True
            elif kw.arg in info.params:
                env[kw.arg] = self._value_of(cmod, kw.value, cscope, cctx)
        defaults = {n: d for n, d in zip(pos_names[::-1], args.defaults[::-1])}
        defaults.update({a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None})
        loc = self.p.location(cmod, call)
        unbound: set[str] = set()
        for name in self._params(info):
            if name in env:
                continue
            if name in defaults and not unknown_rest:
                env[name] = self.p.evaluate(module, defaults[name], info.scope)
            else:
                env[name] = Value(UNRESOLVED, None, (Unresolved(name, f"argument of {info.qualname}() not known at this call", loc),))
                if not unknown_rest:
                    unbound.add(name)
        return env, unbound

    def _site_contexts(self, module: str, site: Site, node: ast.AST, depth: int = 0, base: list[Ctx] | None = None) -> list[Ctx]:
        """Contexts for one registration: the function's bindings (or ``base``) times the unrolled loops."""
        if base is None:
            base = self._fn_contexts(module, site.function, depth) if site.function else [_EMPTY]
        conds = _conditions(site)
        branches = _branches(module, site)
        if not site.loops:
            return [Ctx(c.env, c.conditions + conds, c.branches + branches, c.unbound, c.dynamic, c.instance) for c in base]
        ctxs = list(base)
        used = _names(node)
        relevant: list[tuple[Loop, ast.expr | None, ast.expr | None]] = []
        for loop in reversed(site.loops):
            target = parse_expr(loop.target, loop.line)
            it = parse_expr(loop.iter, loop.line) if OPAQUE not in loop.iter else None
            if target is not None and _target_names(target) & used:
                relevant.append((loop, target, it))
                used |= _names(it)
        relevant.reverse()
        unrolled: set[str] = set()
        for loop, target, it in relevant:
            assert target is not None
            names = _target_names(target)
            new: list[Ctx] = []
            for c in ctxs:
                elements = self._iter_elements(module, it, site.scope, c, 0) if it is not None else None
                if elements is None:
                    self._finding(
                        _RULE_DYNAMIC,
                        Severity.INFO,
                        f"registration in a loop over `{loop.iter}`, which the scan cannot unroll",
                        self.p.location(module, node),
                        hint="Routes attached here use a placeholder for the loop variable.",
                    )
                    env = dict(c.env)
                    where = Location(self.p.path_of(module), loop.line)
                    for n in names:
                        env[n] = Value(UNRESOLVED, None, (Unresolved(n, f"loop variable over {loop.iter}", where),))
                    new.append(Ctx(env, c.conditions, c.branches, c.unbound - names, c.dynamic | names, c.instance))
                    continue
                for el in elements[:MAX_UNROLL]:
                    env = dict(c.env)
                    self._bind_target(target, el, env, c)
                    new.append(Ctx(env, c.conditions, c.branches, c.unbound - names, c.dynamic, c.instance))
                unrolled |= names
            ctxs = new[: MAX_UNROLL * 4]
        return [c for c in (self._with_site_conditions(module, site, c, unrolled) for c in ctxs) if c is not None]

    def _with_site_conditions(self, module: str, site: Site, ctx: Ctx, unrolled: set[str]) -> Ctx | None:
        """Add the site's conditions; a test on an unrolled loop variable is decided (None = not taken)."""
        conds: list[str] = []
        branches = []
        for c, key in zip(site.conditions, _branches(module, site)):
            test = parse_expr(c.test, c.line, c.column - 1) if unrolled and c.test else None
            if test is not None and _names(test) & unrolled:
                v = self.p.evaluate(module, test, site.scope, ctx.env)
                if v.ok:
                    if bool(v.value) != c.branch:
                        return None
                    continue
            conds.append(c.shown)
            branches.append(key)
        return Ctx(ctx.env, ctx.conditions + tuple(conds), ctx.branches + tuple(branches), ctx.unbound, ctx.dynamic, ctx.instance)

    def _bind_target(self, target: ast.expr, el: tuple[str, ast.expr, str] | Value, env: dict[str, Value], ctx: Ctx) -> None:
        if isinstance(target, ast.Name):
            if isinstance(el, Value):
                env[target.id] = el
            else:
                mod, expr, scope = el
                env[target.id] = self._value_of(mod, expr, scope, ctx)
            return
        if isinstance(target, (ast.Tuple, ast.List)):
            if isinstance(el, tuple) and isinstance(el[1], (ast.Tuple, ast.List)) and len(el[1].elts) == len(target.elts):
                for t, e in zip(target.elts, el[1].elts):
                    self._bind_target(t, (el[0], e, el[2]), env, ctx)
                return
            if isinstance(el, Value) and el.ok and isinstance(el.value, (list, tuple)) and len(el.value) == len(target.elts):
                for t, x in zip(target.elts, el.value):
                    self._bind_target(t, Value(RESOLVED, x), env, ctx)
                return
            for n in _target_names(target):
                env[n] = Value(UNRESOLVED, None, (Unresolved(n, "unpacking not followed", Location("")),))

    def _iter_elements(self, module: str, expr: ast.expr, scope: str, ctx: Ctx, depth: int) -> list[Any] | None:
        """Elements of a literal iterable: (module, expr, scope) triples or folded Values; None if unknown."""
        if depth > 6:
            return None
        if isinstance(expr, (ast.List, ast.Tuple, ast.Set)):
            out: list[Any] = []
            for e in expr.elts:
                if isinstance(e, ast.Starred):
                    inner = self._iter_elements(module, e.value, scope, ctx, depth + 1)
                    if inner is None:
                        return None
                    out.extend(inner)
                else:
                    out.append((module, e, scope))
            return out
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            left = self._iter_elements(module, expr.left, scope, ctx, depth + 1)
            right = self._iter_elements(module, expr.right, scope, ctx, depth + 1)
            return None if left is None or right is None else left + right
        dotted = dotted_name(expr)
        if dotted and dotted.split(".")[0] not in ctx.env and self._param_scope(module, scope, dotted.split(".")[0]) is None:
            q = self.p.resolve_name(module, dotted, scope)
            assigns = [a for a in self.p.assignments_of(q) if a.value is not None]
            if assigns and all(a.op in ("=", "+=") for a in assigns) and assigns[0].op == "=":
                mod = self.p._module_prefix(q)[0] or module
                collected: list[Any] | None = []
                for a in assigns:
                    inner = self._iter_elements(mod, a.value, a.scope, _EMPTY, depth + 1) if a.value is not None else None
                    if inner is None or collected is None:
                        collected = None
                        break
                    collected.extend(inner)
                if collected is not None:
                    return collected
        v = self.p.evaluate(module, expr, scope, ctx.env)
        if v.ok and isinstance(v.value, (list, tuple, set, frozenset)):
            items = sorted(v.value, key=repr) if isinstance(v.value, (set, frozenset)) else list(v.value)
            return [Value(RESOLVED, x, (), v.env_overridable) for x in items]
        if v.ok and isinstance(v.value, dict):
            return [Value(RESOLVED, k) for k in v.value]
        return None

    # ------------------------------------------------------- registrations
    def run(self) -> AnalyzerOutput:
        # apps and routers built with a routes list register routes without any further call
        for module, s in self.summaries.items():
            for h in s.helpers:
                if h.has_routes and h.target and "." not in h.target:
                    self._object(module, ast.Name(h.target), h.site.scope, None)
                elif h.target and "." not in h.target and not h.site.function and self._calls_router_factory(module, h):
                    # ``admin = make_router("/admin")`` at module level is a router even if nothing includes it
                    self._object(module, ast.Name(h.target), h.site.scope, None)
        for module, s in self.summaries.items():
            for dr in s.decorated:
                self._tag = (module, dr.site.function) if dr.site.function else None
                self._safe(self._decorated, module, dr)
            for cr in s.calls:
                self._tag = (module, cr.site.function) if cr.site.function else None
                self._safe(self._call, module, cr)
        self._tag = None
        self._settle_instances()
        self.graph.drop_alternatives()
        routes = self.graph.compose()
        return AnalyzerOutput(routes=tuple(routes), findings=tuple(self.findings))

    def _safe(self, fn: Any, module: str, item: Any, *extra: Any) -> None:
        """Process one registration; a failure costs that registration only and is reported."""
        try:
            fn(module, item, *extra)
        except RecursionError:
            self._finding(
                _RULE_DYNAMIC,
                Severity.INFO,
                "registration nested too deeply to follow",
                self.p.location(module, getattr(item, "call", None)),
            )
        except Exception as exc:  # a bug: keep the other routes, say where it happened
            self._finding(
                "analysis-error",
                Severity.WARNING,
                f"fastapi analyzer failed on this registration: {exc.__class__.__name__}: {exc}",
                self.p.location(module, getattr(item, "call", None)),
                hint="This is a backendscan bug; the other routes are listed.",
            )

    def _decorated(self, module: str, dr: DecoratedRoute, base: list[Ctx] | None = None) -> None:
        if dr.site.type_checking_only:
            return
        file = self.p.path_of(module)
        reg = self.p.location(module, dr.decorator)
        param_auth: tuple[AuthEvidence, ...] | None = None
        for ctx in self._site_contexts(module, dr.site, dr.decorator, base=base):
            owner = self._object(module, dr.receiver, dr.site.scope, ctx)
            if owner is None:
                if dr.method in DISTINCTIVE and not _names(dr.receiver) & ctx.dynamic:
                    self._unresolved_receiver(module, dr.receiver, dr.method, reg)
                continue
            method = dr.method
            path = self._string(module, _kw(dr.call, "path", 0), dr.site.scope, ctx)
            kind = "websocket" if method in ("websocket", "websocket_route") else "http"
            methods, unresolved = self._methods(module, dr.call, method, dr.site.scope, ctx, None)
            if param_auth is None:
                param_auth = self._param_evidence(module, dr.args, dr.site.scope, dr.is_method)
                if dr.is_method:
                    param_auth += self._class_evidence(module, dr.site.scope)
            route_auth = self._evidence(self.auth.list_markers(module, _kw(dr.call, "dependencies"), dr.site.scope), "route", "")
            name = self._route_name(module, dr.call, dr.site.scope, ctx, dr.name)
            self._add_leaf(
                Leaf(
                    owner=owner.key,
                    methods=methods,
                    path=path,
                    handler=f"{module}.{dr.handler}",
                    file=file,
                    line=dr.def_line,
                    registered_at=reg,
                    kind=kind,
                    name=name,
                    is_async=dr.is_async,
                    options=_options(dr.call, ("path", "methods")),
                    auth=route_auth + param_auth,
                    conditions=ctx.conditions,
                    unresolved=unresolved,
                )
            )

    def _route_name(self, module: str, call: ast.Call, scope: str, ctx: Ctx, default: str) -> str:
        expr = _kw(call, "name")
        if expr is None:
            return default
        v = self.p.evaluate(module, expr, scope, ctx.env)
        return v.value if v.ok and isinstance(v.value, str) else _unparse(expr)

    def _methods(
        self, module: str, call: ast.Call, method: str, scope: str, ctx: Ctx, endpoint_class: str | None
    ) -> tuple[tuple[str, ...], tuple[Unresolved, ...]]:
        if method in VERBS:
            return (method.upper(),), ()
        if method in ("websocket", "websocket_route", "add_api_websocket_route", "add_websocket_route"):
            return ("WEBSOCKET",), ()
        expr = _kw(call, "methods")
        starlette_style = method in ("route", "add_route", "Route")
        if expr is None:
            if starlette_style and endpoint_class:
                verbs = [v.upper() for v in VERBS if v in self.p.class_methods(endpoint_class)]
                return tuple(verbs) or ("GET",), ()
            return ("GET",), ()
        v = self.p.evaluate(module, expr, scope, ctx.env)
        items = _string_list(v)
        if items is None:
            loc = self.p.location(module, expr)
            return ("ANY",), (Unresolved(_unparse(expr), "methods not folded", loc),)
        ms = sorted({m.upper() for m in items})
        if starlette_style and "GET" in ms and "HEAD" in ms:
            ms.remove("HEAD")
        return tuple(ms) or ("GET",), ()

    def _unresolved_receiver(self, module: str, receiver: ast.expr, method: str, location: Location) -> None:
        self._finding(
            _RULE_DYNAMIC,
            Severity.INFO,
            f"`{_unparse(receiver)}.{method}(...)` registers on an object the scan cannot resolve",
            location,
            symbol=_unparse(receiver),
            hint="Its routes are not listed; register on a module-level app or router, or call the helper with one.",
        )

    def _call(self, module: str, cr: CallRegistration, base: list[Ctx] | None = None) -> None:
        if cr.site.type_checking_only or _is_super_call(cr.receiver):
            # super().add_api_route(...) in a router subclass's override delegates to FastAPI; not a registration
            return
        reg = self.p.location(module, cr.call)
        for ctx in self._site_contexts(module, cr.site, cr.call, base=base):
            owner = self._object(module, cr.receiver, cr.site.scope, ctx)
            if owner is None:
                if cr.method in DISTINCTIVE and not _names(cr.receiver) & ctx.dynamic:
                    self._unresolved_receiver(module, cr.receiver, cr.method, reg)
                continue
            m = cr.method
            if isinstance(cr.call.func, ast.Call):
                self._applied_decorator(module, cr, ctx, owner, reg)
            elif m in INCLUDE_METHODS:
                self._include(module, cr, ctx, owner, reg)
            elif m in ("add_api_route", "add_api_websocket_route", "add_route", "add_websocket_route"):
                self._imperative(module, cr, ctx, owner, reg)
            elif m == "mount":
                self._mount(module, cr.call, cr.site.scope, ctx, owner, reg, _kw(cr.call, "path", 0), _kw(cr.call, "app", 1))
            elif m == "host":
                self._mount(module, cr.call, cr.site.scope, ctx, owner, reg, None, _kw(cr.call, "app", 1), host=_kw(cr.call, "host", 0))
            elif m == "frontend":
                path = self._string(module, _kw(cr.call, "path", 0), cr.site.scope, ctx)
                self._add_leaf(
                    Leaf(
                        owner=owner.key,
                        methods=("MOUNT",),
                        path=path,
                        handler=FRONTEND_HANDLER,
                        file=reg.path,
                        line=reg.line,
                        registered_at=reg,
                        kind="static",
                        name=self._route_name(module, cr.call, cr.site.scope, ctx, ""),
                        options=_options(cr.call, ("path",)),
                        conditions=ctx.conditions,
                    )
                )

    def _include(self, module: str, cr: CallRegistration, ctx: Ctx, owner: Obj, reg: Location) -> None:
        scope = cr.site.scope
        if cr.method == "include_router":
            children = [_kw(cr.call, "router", 0)]
        else:  # Cadwyn: generate_and_include_versioned_routers(*routers)
            children = list(cr.call.args)
        prefix = self._string(module, _kw(cr.call, "prefix"), scope, ctx)
        pexpr = _kw(cr.call, "prefix")
        if pexpr is not None:
            self._check_prefix(prefix, self.p.location(module, pexpr), f"include_router prefix at {reg.short}")
        auth = self._evidence(self.auth.list_markers(module, _kw(cr.call, "dependencies"), scope), "include", owner.key)
        tags_expr = _kw(cr.call, "tags")
        tags: tuple[str, ...] = ()
        if tags_expr is not None:
            t = _string_list(self.p.evaluate(module, tags_expr, scope, ctx.env))
            tags = tuple(t) if t is not None else (_unparse(tags_expr),)
        for child_expr in children:
            if child_expr is None:
                continue
            child = self._object(module, child_expr, scope, ctx)
            if child is None and _names(child_expr) & ctx.dynamic:
                continue  # already reported as a loop the scan cannot unroll
            if child is None:
                self._finding(
                    _RULE_DYNAMIC,
                    Severity.INFO,
                    f"`{_unparse(cr.receiver)}.{cr.method}({_unparse(child_expr)})` includes a router the scan cannot resolve"
                    + self._candidates_text(module, child_expr, scope),
                    reg,
                    symbol=_unparse(child_expr),
                    hint="Routers reached only through this call are listed as orphans, if found.",
                )
                continue
            self._add_edge(
                Edge(owner.key, child.key, "include", prefix, reg, auth, tags, ctx.conditions, ctx.branches)
            )

    def _mount(
        self,
        module: str,
        call: ast.Call,
        scope: str,
        ctx: Ctx,
        owner: Obj,
        reg: Location,
        path_expr: ast.expr | None,
        app_expr: ast.expr | None,
        host: ast.expr | None = None,
    ) -> None:
        if host is not None:
            path = Value(RESOLVED, "")
            conditions = ctx.conditions + (f"host == {_unparse(host)}",)
        else:
            path = self._string(module, path_expr, scope, ctx)
            conditions = ctx.conditions
            if path.status == RESOLVED and isinstance(path.value, str) and path.value and not path.value.startswith("/"):
                self._finding(
                    _RULE_PREFIX,
                    Severity.ERROR,
                    f"mount path '{path.value}' does not start with '/'; Starlette refuses it",
                    reg,
                )
        if isinstance(path.value, str):
            path = Value(path.status, path.value.rstrip("/"), path.unknowns, path.env_overridable)
        if app_expr is None:
            routes_expr = _kw(call, "routes")
            if routes_expr is not None:
                sub = self._anonymous(module, call, scope, "starlette_router")
                self._routes_list(sub, module, routes_expr, scope, ctx)
                self._add_edge(Edge(owner.key, sub.key, "mount", path, reg, (), (), conditions, ctx.branches))
            return
        child = self._object(module, app_expr, scope, ctx)
        if child is not None:
            self._add_edge(Edge(owner.key, child.key, "mount", path, reg, (), (), conditions, ctx.branches))
            return
        thing = self._mounted_thing(module, app_expr, scope)
        if thing is None:
            self._finding(
                _RULE_DYNAMIC,
                Severity.INFO,
                f"`mount({_unparse(path_expr)}, {_unparse(app_expr)})` mounts an object the scan cannot resolve"
                + self._candidates_text(module, app_expr, scope),
                reg,
                symbol=_unparse(app_expr),
                hint="Candidates keep their own routes (under their own app, or as orphans); nothing is merged.",
            )
            return
        handler, kind = thing
        text = path.value if isinstance(path.value, str) else ""
        leaf_path = Value(path.status, text or "/", path.unknowns, path.env_overridable)
        self._add_leaf(
            Leaf(
                owner=owner.key,
                methods=("MOUNT",),
                path=leaf_path,
                handler=handler,
                file=reg.path,
                line=reg.line,
                registered_at=reg,
                kind=kind,
                name=self._route_name(module, call, scope, ctx, ""),
                options=_options(call, ("path", "app")),
                conditions=conditions,
            )
        )

    def _mounted_thing(self, module: str, expr: ast.expr, scope: str) -> tuple[str, str] | None:
        """(handler, kind) for a mounted object that is not a known app: its class or definition, else None."""
        node: ast.expr | None = expr
        mod, sc = module, scope
        for _ in range(4):
            if isinstance(node, ast.Call):
                cname = dotted_name(node.func)
                cq = self.p.resolve_name(mod, cname, sc) if cname else ""
                if not cq:
                    return None
                if self._is_static(cq):
                    return self._canonical_class(cq), "static"
                d = self.p.lookup(cq)
                if d.kind == "class" or (d.kind == "unknown" and not self.p.first_party(cq) and cq[:1].isalpha()
                                         and cq.rsplit(".", 1)[-1][:1].isupper()):
                    return KNOWN_REEXPORTS.get(cq, cq), "mount"
                return None
            dn = dotted_name(node) if node is not None else ""
            if not dn or self._param_scope(mod, sc, dn.split(".")[0]) is not None:
                return None
            q = self.p.resolve_name(mod, dn, sc)
            d = self.p.lookup(q)
            if d.kind == "assignment" and d.obj.value is not None:
                node, mod, sc = d.obj.value, d.module, d.obj.scope
                continue
            if d.kind in ("function", "class"):
                return q, "mount"
            return None
        return None

    def _candidates_text(self, module: str, expr: ast.expr, scope: str) -> str:
        """For ``x.method()`` on an unknown ``x``: the project's ``method``s that return an app or router."""
        node: ast.expr | None = expr
        mod, sc = module, scope
        for _ in range(3):
            dn = dotted_name(node) if node is not None else ""
            if not dn:
                break
            d = self.p.lookup(self.p.resolve_name(mod, dn, sc))
            if d.kind != "assignment" or d.obj.value is None:
                return ""
            node, mod, sc = d.obj.value, d.module, d.obj.scope
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            return ""
        method = node.func.attr
        found: list[str] = []
        for cmod, cq, info in self.p.classes():
            if method not in info.methods:
                continue
            fn = self.p.symbols[cmod].function(f"{info.qualname}.{method}")
            if fn is None:
                continue
            for value in self._returned(cmod, fn):
                obj = self._object(cmod, value, fn.qualname, None)
                if obj is not None and obj.key not in found:
                    found.append(obj.key)
            if len(found) >= 5:
                break
        return f"; candidates in the code: {', '.join(found)}" if found else ""

    def _anonymous(self, module: str, call: ast.Call, scope: str, kind: str) -> Obj:
        base = f"{module}.{scope}" if scope else module
        key = f"{base}.<Mount@{call.lineno}:{call.col_offset + 1}>"
        obj = self.objects.get(key)
        if obj is None:
            obj = Obj(key, kind, "starlette.routing.Router", module, scope, None, self.p.location(module, call))
            self.objects[key] = obj
        return obj

    def _routes_list(self, owner: Obj, module: str, expr: ast.expr, scope: str, ctx: Ctx) -> None:
        """``routes=[Route(...), WebSocketRoute(...), Mount(...), Host(...)]``."""
        elements = self._iter_elements(module, expr, scope, ctx, 0)
        if elements is None:
            self._finding(
                _RULE_DYNAMIC,
                Severity.INFO,
                f"routes list `{_unparse(expr)}` is not a literal list the scan can read",
                self.p.location(module, expr),
            )
            return
        for el in elements:
            if not isinstance(el, tuple):
                continue
            emod, e, escope = el
            if not isinstance(e, ast.Call):
                continue
            cname = dotted_name(e.func)
            cq = self.p.resolve_name(emod, cname, escope) if cname else ""
            reg = self.p.location(emod, e)
            if cq in ROUTE_CLASSES or cq in WS_ROUTE_CLASSES or cq in APIROUTE_CLASSES:
                ws = cq in WS_ROUTE_CLASSES
                endpoint = _kw(e, "endpoint", 1)
                h = self._handler(emod, endpoint, escope, ctx, reg)
                methods, unresolved = self._methods(
                    emod, e, "websocket_route" if ws else ("api_route" if cq in APIROUTE_CLASSES else "Route"), escope, ctx, h.cls
                )
                self._add_leaf(
                    Leaf(
                        owner=owner.key,
                        methods=methods,
                        path=self._string(emod, _kw(e, "path", 0), escope, ctx),
                        handler=h.name,
                        file=h.file,
                        line=h.line,
                        registered_at=reg,
                        kind="websocket" if ws else "http",
                        name=self._route_name(emod, e, escope, ctx, h.short),
                        is_async=h.is_async,
                        options=_options(e, ("path", "endpoint", "methods")),
                        auth=self._evidence(self.auth.list_markers(emod, _kw(e, "dependencies"), escope), "route", "")
                        + h.auth,
                        conditions=ctx.conditions,
                        unresolved=unresolved,
                    )
                )
            elif cq in MOUNT_CLASSES:
                self._mount(emod, e, escope, ctx, owner, reg, _kw(e, "path", 0), _kw(e, "app", 1))
            elif cq in HOST_CLASSES:
                self._mount(emod, e, escope, ctx, owner, reg, None, _kw(e, "app", 1), host=_kw(e, "host", 0))

    def _imperative(self, module: str, cr: CallRegistration, ctx: Ctx, owner: Obj, reg: Location) -> None:
        scope = cr.site.scope
        call = cr.call
        endpoint_expr = _kw(call, "endpoint", 1) if cr.method.startswith("add_api") else (_kw(call, "endpoint", 1) or _kw(call, "route", 1))
        h = self._handler(module, endpoint_expr, scope, ctx, reg)
        kind = "websocket" if "websocket" in cr.method else "http"
        self._add_route_leaf(module, cr, call, ctx, owner, reg, h, kind, ("path", "endpoint", "route", "methods"))

    def _applied_decorator(self, module: str, cr: CallRegistration, ctx: Ctx, owner: Obj, reg: Location) -> None:
        """``app.get("/x")(handler)``: the decorator call's path and methods, the argument's handler."""
        scope = cr.site.scope
        deco = cr.call.func
        assert isinstance(deco, ast.Call)
        h = self._handler(module, cr.call.args[0], scope, ctx, reg)
        kind = "websocket" if cr.method in ("websocket", "websocket_route") else "http"
        self._add_route_leaf(module, cr, deco, ctx, owner, reg, h, kind, ("path", "methods"))

    def _add_route_leaf(
        self, module: str, cr: CallRegistration, call: ast.Call, ctx: Ctx, owner: Obj, reg: Location, h: "_Handler", kind: str, consumed: tuple[str, ...]
    ) -> None:
        """One route from the call that declares its path, methods and dependencies."""
        scope = cr.site.scope
        methods, unresolved = self._methods(module, call, cr.method, scope, ctx, h.cls)
        route_auth = self._evidence(self.auth.list_markers(module, _kw(call, "dependencies"), scope), "route", "")
        self._add_leaf(
            Leaf(
                owner=owner.key,
                methods=methods,
                path=self._string(module, _kw(call, "path", 0), scope, ctx),
                handler=h.name,
                file=h.file,
                line=h.line,
                registered_at=reg,
                kind=kind,
                name=self._route_name(module, call, scope, ctx, h.short),
                is_async=h.is_async,
                options=_options(call, consumed),
                auth=route_auth + h.auth,
                conditions=ctx.conditions,
                unresolved=unresolved,
            )
        )

    def _handler(self, module: str, expr: ast.expr | None, scope: str, ctx: Ctx, reg: Location) -> "_Handler":
        """The function (or class) an ``endpoint`` expression denotes."""
        fallback = _Handler(_unparse(expr) or "<unknown>", reg.path, reg.line)
        if expr is None:
            return fallback
        node: ast.expr = expr
        mod, sc = module, scope
        for _ in range(4):
            if isinstance(node, ast.Call):
                cname = dotted_name(node.func)
                cq = self.p.resolve_name(mod, cname, sc) if cname else ""
                d = self.p.lookup(cq) if cq else None
                if d is not None and d.kind == "function":
                    # a factory: use the nested function it returns, when it returns one
                    for value in self._returned(d.module, d.obj):
                        inner = self._function_handler(d.module, value, d.obj.qualname)
                        if inner is not None:
                            return inner
                return _Handler(f"<call {_unparse(node, 120)}>", reg.path, reg.line)
            dn = dotted_name(node)
            if not dn:
                return fallback
            head = dn.split(".")[0]
            if head in ctx.env and mod == module:
                ref = ctx.env[head].value
                if dn == head and isinstance(ref, Ref):
                    d = self.p.lookup(ref.qualname)
                    if d.kind in ("function", "class"):
                        return self._definition_handler(ref.qualname, d) or fallback
                return fallback
            if self._param_scope(mod, sc, head) is not None:
                return fallback
            found = self._function_handler(mod, node, sc)
            if found is not None:
                return found
            q = self.p.resolve_name(mod, dn, sc)
            d = self.p.lookup(q)
            if d.kind == "assignment" and d.obj.value is not None:
                node, mod, sc = d.obj.value, d.module, d.obj.scope
                continue
            return _Handler(q, reg.path, reg.line)
        return fallback

    def _function_handler(self, module: str, expr: ast.expr, scope: str) -> "_Handler | None":
        dn = dotted_name(expr)
        if not dn:
            return None
        q = self.p.resolve_name(module, dn, scope)
        return self._definition_handler(q, self.p.lookup(q))

    def _definition_handler(self, q: str, d: Any) -> "_Handler | None":
        if d.kind == "function":
            fn: FunctionInfo = d.obj
            auth = self._param_evidence(d.module, fn.args, fn.scope, fn.is_method)
            return _Handler(q, self.p.path_of(d.module), fn.line, fn.is_async, None, auth, fn.name)
        if d.kind == "class":
            return _Handler(q, self.p.path_of(d.module), d.obj.line, False, q, (), d.obj.name)
        return None

    # ---------------------------------------------------------- auth
    def _evidence(self, markers: list[Marker], attached: str, inherited_from: str) -> tuple[AuthEvidence, ...]:
        out = []
        for m in markers:
            v = self.auth.classify(m)
            if v is None:
                continue
            out.append(AuthEvidence(v.kind, v.name, attached, self.p.location(m.module, m.node), False, inherited_from))
        return tuple(out)

    def _param_evidence(self, module: str, args: ast.arguments, scope: str, is_method: bool) -> tuple[AuthEvidence, ...]:
        out = []
        for _, m in self.auth.parameter_markers(module, args, scope, skip_first=is_method):
            v = self.auth.classify(m)
            if v is None:
                continue
            out.append(AuthEvidence(v.kind, v.name, "handler_parameter", self.p.location(m.module, m.node), False, ""))
        return tuple(out)

    def _class_evidence(self, module: str, cls: str) -> tuple[AuthEvidence, ...]:
        """Class attributes declaring dependencies (fastapi-utils ``@cbv`` / mealie controllers), along the MRO."""
        out: list[AuthEvidence] = []
        for c in self.p.mro(f"{module}.{cls}"):
            found = self.p.class_info(c)
            if found is None:
                continue
            mod, info = found
            for a in self.p.symbols[mod].class_assignments(info.qualname):
                markers = []
                if a.value is not None:
                    m = self.auth.marker(mod, a.value, info.qualname, a.annotation)
                    if m is not None:
                        markers.append(m)
                if not markers:
                    markers = self.auth.annotation_markers(mod, a.annotation, info.qualname)
                for m in markers:
                    v = self.auth.classify(m)
                    if v is not None:
                        out.append(AuthEvidence(v.kind, v.name, "class", self.p.location(m.module, m.node), False, c))
        return tuple(out)

@dataclass(frozen=True)
class _Handler:
    name: str
    file: str
    line: int
    is_async: bool = False
    cls: str | None = None  # set when the endpoint is a class (Starlette HTTPEndpoint)
    auth: tuple[AuthEvidence, ...] = ()
    short: str = ""


def _is_super_call(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Call) and isinstance(expr.func, ast.Name) and expr.func.id == "super"


def _conditions(site: Site) -> tuple[str, ...]:
    return tuple(c.shown for c in site.conditions)


def _branches(module: str, site: Site) -> tuple[tuple[tuple[str, int, int], bool], ...]:
    return tuple(((module, c.line, c.column), c.branch) for c in site.conditions)


def _config_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return []
