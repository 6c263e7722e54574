"""Django URLconf and Django REST Framework routes (analyzer ``django_urls``).

Starting from ``ROOT_URLCONF`` of every settings module found
(``project.django_settings_modules``: ``DJANGO_SETTINGS_MODULE`` defaults in
``manage.py``/``wsgi.py``/``asgi.py``, pytest/tox config, modules named
``settings``; module-level and class-based settings), each URLconf tree is
walked: ``urlpatterns`` is evaluated as a list algebra
(:mod:`.django_urlconf`), ``include()`` of module strings, module objects,
lists, ``(patterns, app_name)`` tuples and ``router.urls`` is followed, and
every leaf becomes a :class:`~backendscan.facts.Route` with the full path.

* ``path()`` pieces are concatenated, regex pieces too; the normalised
  ``path`` writes every parameter ``{name}`` (:mod:`.routing`, identical to the
  runtime ground truth), ``raw_path`` keeps Django's spelling of every level
  (``api/^users/(?P<pk>[^/.]+)/$``), ``i18n_patterns`` adds ``{lang}/``.
* Prefixes that are not literals are constant-folded (``path(settings.BASE_PATH, ...)``);
  what cannot be folded stays a ``{expr}`` placeholder (``path_status`` partial).
* Views, methods and auth: :mod:`.django_views`; DRF routers: :mod:`.drf_routers`;
  ``admin.site.urls`` and custom admin sites: :mod:`.django_admin`; loops over
  ``apps.get_app_configs()``: :mod:`.django_apploops`.
* ``name`` is the namespaced URL name (``polls:detail``); ``group`` is the
  URLconf module that holds the pattern (or the router object); ``app`` is the
  root URLconf; ``conditions`` are the ``if``-tests around the pattern.
* ``options`` flags: ``format_suffix``/``api_root`` (DRF DefaultRouter),
  ``locale_prefix`` (``i18n_patterns``), ``optional_trailing_slash`` (regex
  ending in ``/?``), ``kwargs`` (extra view kwargs), ``actions`` (viewsets).

Findings: ``root-urlconf-unknown`` (no ``ROOT_URLCONF``: every ``urls`` module that
no other URLconf includes is used as a root), ``external-include`` (an include of
code outside the scan, e.g. ``include("allauth.urls")``; its routes are not listed),
``invalid-urlpattern`` (``path()`` without a route or view, ``include()`` outside ``path()``),
``unresolved-view``,
``dynamic-registration`` (patterns built at run time: loops over
``apps.get_app_configs()``, registries, comprehensions), ``unsupported-router``
and ``orphan-view`` (DRF viewsets no router or URLconf reaches).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from ..facts import PARTIAL, RESOLVED, Route
from ..model import FileKind, Finding, Location, Severity, Unresolved
from ..parsing import ParsedModule
from ..project import Project, Value
from ..visiting import Context, FileVisitor, dotted_name
from . import django_known as known
from .base import AnalyzerOutput
from .django_admin import AdminSites, FixedView
from .django_apploops import LoopInterpreter
from .django_urlconf import AdminUrls, Ctx, Group, IncludedView, ModuleRef, Pat, Problem, RouterUrls, Urlconf, call_arg, dotted, unparse
from .django_views import SettingsFacts, ViewFacts, Views, ViewTarget
from .drf_routers import Routers, SuffixedRouter, SyntheticView, format_suffix_variants, suffix_route
from .routing import django_regex_piece, normalize_django_path

_MUTATORS = {"append", "extend", "insert", "register", "unregister", "update"}
_INTEREST = ("urlpatterns", "patterns", ".register(", "self.routes", "django", "rest_framework", "urls")


@dataclass(frozen=True)
class Mutation:
    """A statement that changes a URL list or router: ``x.append(...)``, ``router.register(...)``, ``x += ...`` in a loop."""

    receiver: str  # dotted text of the object (``urlpatterns``, ``router``, ``self.routes[0].mapping``)
    method: str  # append, extend, insert, register, update, "+=", "="
    call: ast.Call
    line: int
    scope: str
    conditions: tuple[tuple[ast.expr, bool], ...] = ()
    loops: tuple[tuple[ast.expr | None, ast.expr | None], ...] = ()  # (target, iterable) outermost first


@dataclass(frozen=True)
class LoopStatement:
    """A module-level ``for`` statement that changes lists (kept whole for the loop interpreter)."""

    node: ast.For
    line: int
    end_line: int


@dataclass(frozen=True)
class UrlconfSummary:
    """Per-file summary of the ``django_urls`` analyzer."""

    mutations: tuple[Mutation, ...] = ()
    loops: tuple[LoopStatement, ...] = ()
    passthrough: tuple[tuple[str, str], ...] = ()  # (function, parameter) for ``def f(x, ...): ...; return x``


_LOOP_CALLS = {"append", "extend", "register", "import_module"}


class UrlconfVisitor(FileVisitor):
    """Collects list/router mutations (the symbol tables keep assignments but not method calls)."""

    def __init__(self, parsed: ParsedModule) -> None:
        self.items: list[Mutation] = []
        self.loops: list[LoopStatement] = []
        self.passthrough: list[tuple[str, str]] = []

    def visit_For(self, node: ast.For, ctx: Context) -> None:
        if ctx.scope or any(fr.kind in ("for", "while") for fr in ctx.frames):
            return
        for n in ast.walk(node):
            if (isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in _LOOP_CALLS) or (
                isinstance(n, ast.AugAssign)
            ):
                self.loops.append(LoopStatement(node, node.lineno, node.end_lineno or node.lineno))
                return

    def visit_FunctionDef(self, node: ast.FunctionDef, ctx: Context) -> None:
        if ctx.scope or not node.body:
            return
        last = node.body[-1]
        params = {a.arg for a in node.args.posonlyargs + node.args.args + node.args.kwonlyargs}
        if isinstance(last, ast.Return) and isinstance(last.value, ast.Name) and last.value.id in params:
            self.passthrough.append((node.name, last.value.id))

    @staticmethod
    def _loops(ctx: Context) -> tuple[tuple[ast.expr | None, ast.expr | None], ...]:
        out: list[tuple[ast.expr | None, ast.expr | None]] = []
        for fr in ctx.frames:
            if fr.kind in ("def", "class"):
                out = []
            elif fr.kind == "for":
                out.append((fr.node.target, fr.node.iter))  # type: ignore[attr-defined]
            elif fr.kind == "while":
                out.append((None, fr.node.test))  # type: ignore[attr-defined]
        return tuple(out)

    def _call(self, value: ast.expr | None, node: ast.stmt, ctx: Context) -> None:
        if not isinstance(value, ast.Call) or not isinstance(value.func, ast.Attribute):
            return
        method = value.func.attr
        if method not in _MUTATORS:
            return
        scope = ctx.scope
        receiver = dotted_name(value.func.value)
        if method == "update":
            text = unparse(value.func.value)
            if not (text.startswith("self.routes[") and scope.endswith(".__init__")):
                return
            receiver = text
        elif method not in ("register", "unregister") and scope:
            return
        if not receiver:
            return
        self.items.append(
            Mutation(receiver, method, value, node.lineno, scope, ctx.conditions(), self._loops(ctx))
        )

    def visit_Expr(self, node: ast.Expr, ctx: Context) -> None:
        self._call(node.value, node, ctx)

    def visit_Assign(self, node: ast.Assign, ctx: Context) -> None:
        self._call(node.value, node, ctx)
        self._loop_assign(node, [t for t in node.targets], "=", ctx)

    def visit_AugAssign(self, node: ast.AugAssign, ctx: Context) -> None:
        if isinstance(node.op, ast.Add):
            self._loop_assign(node, [node.target], "+=", ctx)

    def _loop_assign(self, node: ast.stmt, targets: list[ast.expr], op: str, ctx: Context) -> None:
        if ctx.scope:
            return
        loops = self._loops(ctx)
        if not loops:
            return
        for t in targets:
            name = dotted_name(t)
            if name:
                dummy = ast.Call(ast.Attribute(t, op, ast.Load()), [], [])
                self.items.append(Mutation(name, op, dummy, node.lineno, "", ctx.conditions(), loops))

    def finish(self) -> UrlconfSummary:
        return UrlconfSummary(tuple(self.items), tuple(self.loops), tuple(self.passthrough))


@dataclass(frozen=True)
class _Prefix:
    raw: str = ""
    norm: str = ""
    positional: int = 0
    namespaces: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    unresolved: tuple[Unresolved, ...] = ()
    partial: bool = False
    flags: tuple[str, ...] = ()
    suffix_children: bool = False


@dataclass(frozen=True)
class _Piece:
    raw: str
    norm: str
    positional: int
    unresolved: tuple[Unresolved, ...] = ()
    partial: bool = False
    flags: tuple[str, ...] = ()


@dataclass
class _Walker:
    project: Project
    urlconf: Urlconf
    views: Views
    routers: Routers
    admin: AdminSites
    routes: list[Route] = field(default_factory=list)
    findings: dict[tuple[str, Location, str], Finding] = field(default_factory=dict)
    included: set[str] = field(default_factory=set)
    handlers: set[str] = field(default_factory=set)

    # ------------------------------------------------------------ problems
    def problem(self, p: Problem) -> None:
        severity = {
            "external-include": Severity.INFO,
            "orphan-view": Severity.INFO,
            "unresolved-view": Severity.INFO,
        }.get(p.rule, Severity.WARNING)
        hint = {
            "external-include": "Scan the installed package too (or accept that these routes are not listed).",
            "dynamic-registration": "These routes exist only at run time; backendscan does not guess them.",
        }.get(p.rule, "")
        key = (p.rule, p.location, p.message)
        if key not in self.findings:
            self.findings[key] = Finding(p.rule, severity, p.message, p.location, symbol=p.symbol, hint=hint,
                                         category="routes")

    # ------------------------------------------------------------ walking
    def walk(self, elems: Any, prefix: _Prefix, app: str, stack: tuple[str, ...]) -> None:
        if prefix.suffix_children:
            elems = format_suffix_variants(list(elems))
            prefix = replace(prefix, suffix_children=False)
        for e in elems:
            if isinstance(e, Problem):
                self.problem(e)
            elif isinstance(e, Group):
                self.walk(
                    e.children,
                    replace(
                        prefix,
                        raw=prefix.raw + e.raw,
                        norm=prefix.norm + e.norm,
                        conditions=_merge(prefix.conditions, e.conditions),
                        partial=prefix.partial or e.partial,
                        flags=prefix.flags + ((e.flag,) if e.flag else ()),
                    ),
                    app,
                    stack,
                )
            elif isinstance(e, RouterUrls):
                if e.router in stack:
                    continue
                self.walk(self.routers.expand(e), replace(prefix, conditions=_merge(prefix.conditions, e.conditions)), app,
                          stack + (e.router,))
            elif isinstance(e, AdminUrls):
                key = "admin:" + e.site
                if key in stack:
                    continue
                self.walk(self.admin.expand(e), replace(prefix, conditions=_merge(prefix.conditions, e.conditions)), app,
                          stack + (key,))
            elif isinstance(e, SuffixedRouter):
                inner = self.routers.expand(e.inner)
                model = self.routers.model(e.inner.router)
                if model is None or not model.include_format_suffixes:
                    inner = tuple(format_suffix_variants(list(inner)))
                self.walk(inner, prefix, app, stack + (e.inner.router,))
            elif isinstance(e, Pat):
                self.pattern(e, prefix, app, stack)

    def valid(self, e: Pat) -> bool:
        """A ``path()`` call Django would accept: a route that is text (or not a constant) and a view."""
        where = self.urlconf.location(e.ctx, e.call)
        fn = dotted(e.call.func) if isinstance(e.call, ast.Call) else "path"
        if e.route is None or e.view is None or (isinstance(e.view, ast.Constant) and e.view.value is None):
            self.problem(Problem("invalid-urlpattern", f"{fn}() without a route or a view is not a URL pattern", where))
            return False
        if isinstance(e.route, ast.Constant) and not isinstance(e.route.value, str):
            self.problem(Problem("invalid-urlpattern", f"{fn}() route {unparse(e.route)} is not a string", where))
            return False
        return True

    def piece(self, e: Pat, prefix: _Prefix) -> _Piece:
        unresolved: tuple[Unresolved, ...] = ()
        partial = False
        if e.synthetic is not None:
            raw = e.raw_route or ""
            partial = "partial_prefix" in e.flags
        else:
            v = self.urlconf.evaluate_string(e.route, e.ctx)
            if isinstance(v.value, str):
                raw = v.value
                if v.status != RESOLVED:
                    partial = True
                    unresolved = v.unknowns
            else:
                raw = "{" + unparse(e.route) + "}"
                partial = True
                unresolved = v.unknowns or (Unresolved(unparse(e.route), "not a constant", self.urlconf.location(e.ctx, e.route)),)
        flags: tuple[str, ...] = ()
        if "format_suffix" in e.flags:
            raw = suffix_route(raw, e.kind)
        if e.kind == "regex":
            rp = django_regex_piece(raw, prefix.positional)
            norm, positional = rp.text, rp.next_positional
            if rp.optional_slash:
                flags += ("optional_trailing_slash",)
        else:
            norm, positional = normalize_django_path(raw), prefix.positional
        return _Piece(raw, norm, positional, unresolved, partial, flags)

    def pattern(self, e: Pat, prefix: _Prefix, app: str, stack: tuple[str, ...]) -> None:
        if e.synthetic is None and not self.valid(e):
            return
        pc = self.piece(e, prefix)
        here = replace(
            prefix,
            raw=prefix.raw + pc.raw,
            norm=prefix.norm + pc.norm,
            positional=pc.positional,
            conditions=_merge(prefix.conditions, e.conditions),
            unresolved=prefix.unresolved + pc.unresolved,
            partial=prefix.partial or pc.partial,
        )
        if e.synthetic is not None:
            self.emit_synthetic(e, here, pc, app)
            return
        inc = self.include_of(e)
        if inc is not None:
            children, namespace, key = inc
            if key and key in stack:
                return
            if key:
                self.included.add(key)
            if namespace:
                here = replace(here, namespaces=here.namespaces + (namespace,))
            if "format_suffix_children" in e.flags:
                here = replace(here, suffix_children=True)
            self.walk(children, here, app, stack + ((key,) if key else ()))
            return
        target = self.views.resolve_view(e.view, e.ctx)
        registered = self.urlconf.location(e.ctx, e.call)
        facts = self.views.describe(target, registered)
        name = ""
        if e.name is not None:
            nv = self.urlconf.evaluate_string(e.name, e.ctx)
            name = nv.value if isinstance(nv.value, str) else ""
        options = list(facts.options)
        if e.kwargs is not None:
            options.append(("kwargs", unparse(e.kwargs)))
        self.emit(e, here, pc, app, facts, name, registered, e.ctx.module, options)
        if target.kind == "unknown":
            self.problem(
                Problem("unresolved-view", f"view '{target.qualname}' could not be resolved", registered, target.qualname)
            )

    def emit(self, e: Pat, here: _Prefix, pc: _Piece, app: str, facts: ViewFacts, name: str, registered: Location,
             group: str, options: list[tuple[str, str]]) -> None:
        flags = [f for f in here.flags + pc.flags + e.flags if f in _FLAG_OPTIONS]
        if "format_suffix" in e.flags:
            flags.append("format_suffix")
        opts = tuple(sorted(set(options + [(f, "true") for f in flags])))
        full_name = ":".join(here.namespaces + (name,)) if name else ""
        path = here.norm if here.norm.startswith("/") else "/" + here.norm
        self.handlers.add(facts.handler)
        self.routes.append(
            Route(
                framework=facts.framework,
                methods=facts.methods,
                path=path,
                raw_path=here.raw,
                path_status=PARTIAL if here.partial else RESOLVED,
                handler=facts.handler,
                file=facts.file,
                line=facts.line,
                auth=facts.auth,
                unresolved=here.unresolved,
                group=group,
                app=app,
                registered_at=registered,
                name=full_name,
                conditions=here.conditions,
                is_async=facts.is_async,
                options=opts,
            )
        )

    def emit_synthetic(self, e: Pat, here: _Prefix, pc: _Piece, app: str) -> None:
        if isinstance(e.synthetic, FixedView):
            fv: FixedView = e.synthetic
            registered = self.urlconf.location(e.ctx, e.call)
            fixed_auth = tuple(fv.auth) + tuple(self.views._middleware(False))
            facts = ViewFacts("django", fv.methods, fv.handler, fv.file, fv.line, fixed_auth, False, fv.options)
            self.emit(e, here, pc, app, facts, e.name_text or "", registered, fv.group, list(fv.options))
            return
        if isinstance(e.synthetic, IncludedView):
            iv: IncludedView = e.synthetic
            facts = self.views.describe(ViewTarget("external_class", iv.cls, e.ctx, e.call or ast.Constant(None)), iv.registered_at)
            self.emit(e, here, pc, app, facts, e.name_text or "", iv.registered_at, "", [("urlconf", iv.urlconf)])
            return
        view: SyntheticView = e.synthetic
        registered = view.registered_at or self.urlconf.location(e.ctx, e.call)
        info = self.project.class_info(view.cls)
        if view.kind == "viewset" and info is not None:
            module, ci = info
            auth = list(self.views.class_auth(view.cls)) + self.views._middleware(False)
            facts = ViewFacts(
                "drf",
                tuple(sorted({m.upper() for m, _ in view.mapping})),
                view.cls,
                self.project.path_of(module),
                ci.line,
                tuple(auth),
            )
            options = [("actions", ", ".join(f"{m}={a}" for m, a in view.mapping))]
            override = self.views.attributes(view.cls).get("get_extra_actions")
            if override:
                options.append(("actions_note", f"get_extra_actions() is overridden in {override}; "
                                                "the actions at run time may differ"))
            model = self.routers.model(view.router)
            if model is not None:
                changed = sorted({f"{c}.{m}" for m, c in self.views.attributes(model.cls).items()
                                  if m in _ROUTER_HOOKS})
                if changed:
                    options.append(("router_semantics_modified", ", ".join(changed)))
        else:
            kind = "class" if info is not None else "external_class"
            facts = self.views.describe(ViewTarget(kind, view.cls, e.ctx, e.call or ast.Constant(None)), registered)
            facts = replace(facts, framework="drf")
            options = []
        self.emit(e, here, pc, app, facts, e.name_text or "", registered, view.router, options)

    # ------------------------------------------------------------ includes
    def include_of(self, e: Pat, depth: int = 0) -> tuple[Any, str, str] | None:
        """(children, namespace, key) when the pattern's view is an include; None for a view."""
        v = e.view
        ctx = e.ctx
        if isinstance(v, ast.Name) and ctx.bound(v.id) is not None:
            b = ctx.bound(v.id)
            assert b is not None
            if b.value is not None:
                return None
            return self.include_of(replace(e, view=b.node, ctx=b.ctx), depth + 1)
        if isinstance(v, ast.Call) and self.urlconf.callee(v, ctx) in known.INCLUDE_FUNCS:
            arg = call_arg(v, 0, "arg")
            ns_expr = call_arg(v, 1, "namespace")
            return self._include(arg, ns_expr, ctx, v)
        if isinstance(v, (ast.Tuple, ast.List)) and v.elts:
            ns_expr = v.elts[2] if len(v.elts) > 2 else None
            return self._include(ast.Tuple(v.elts[:2], ast.Load()), ns_expr, ctx, v)
        if isinstance(v, ast.Attribute) and v.attr == "urls":
            elems = self.urlconf.urls_attribute(v, ctx)
            if elems and isinstance(elems[0], AdminUrls):  # (patterns, "admin", site.name)
                return elems, self.admin.site_name(elems[0].site), ""
            return elems, "", ""
        if isinstance(v, (ast.Name, ast.Attribute)) and depth < 8:
            # api_urls = include("api.urls"); path("api/", api_urls)
            q = self.urlconf.resolve(v, ctx)
            d = self.project.lookup(q) if q else None
            if d is not None and d.kind == "assignment" and d.obj.op == "=" and isinstance(d.obj.value, (ast.Call, ast.Tuple)):
                return self.include_of(replace(e, view=d.obj.value, ctx=Ctx(d.module, d.obj.scope)), depth + 1)
        return None

    def _include(self, arg: ast.expr | None, ns_expr: ast.expr | None, ctx: Ctx, node: ast.AST) -> tuple[Any, str, str]:
        app_name: str | None = None
        target = arg
        if isinstance(arg, ast.Tuple) and len(arg.elts) >= 2:  # (urlconf, app_name); a list is the patterns
            target = arg.elts[0]
            av = self.urlconf.evaluate_string(arg.elts[1], ctx)
            app_name = av.value if av.ok and isinstance(av.value, str) else None
        if target is None:
            return [Problem("invalid-urlpattern", "include() without a URLconf", self.urlconf.location(ctx, node))], "", ""
        elems, module = self._include_target(target, ctx)
        if app_name is None and module:
            app_name = (known.URLCONFS[module][0] if module in known.URLCONFS else self.urlconf.app_name(module)) or None
        namespace = app_name or ""
        if ns_expr is not None:
            nv = self.urlconf.evaluate_string(ns_expr, ctx)
            if nv.ok and isinstance(nv.value, str):
                namespace = nv.value
            elif nv.value is not None:
                namespace = str(nv.value)
        key = module or ""
        return elems, namespace, key

    def _include_target(self, expr: ast.expr | None, ctx: Ctx) -> tuple[list[Any], str]:
        loc = self.urlconf.location(ctx, expr)
        if expr is None:
            return [Problem("dynamic-registration", "include() without a target", loc)], ""
        if isinstance(expr, ast.Name) and ctx.bound(expr.id) is not None:
            b = ctx.bound(expr.id)
            assert b is not None
            if isinstance(b.value, ModuleRef):
                return self.urlconf.module_patterns(b.value.module, loc), b.value.module
            if isinstance(b.value, tuple):
                return list(b.value), ""
            if b.value is not None:
                v = b.value
                if isinstance(v, Value) and v.ok and isinstance(v.value, str):
                    return self._include_target(ast.Constant(v.value), ctx)
                return [Problem("dynamic-registration", f"include({expr.id}): not a URLconf", loc)], ""
            return self._include_target(b.node, b.ctx)
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            module = self.module_named(expr.value)
            if module:
                return self.urlconf.module_patterns(module, loc), module
            if expr.value in known.URLCONFS:
                return self._known_urlconf(expr.value, ctx, expr, loc), expr.value
            return [
                Problem(
                    "external-include",
                    f"include('{expr.value}'): module outside the scan; its routes are not listed",
                    loc,
                    symbol=expr.value,
                )
            ], ""
        if isinstance(expr, (ast.Name, ast.Attribute)):
            q = self.urlconf.resolve(expr, ctx)
            if q and self.project.lookup(q).kind == "module":
                return self.urlconf.module_patterns(q, loc), q
            if q in known.URLCONFS:  # from django.contrib.auth import urls as auth_urls
                return self._known_urlconf(q, ctx, expr, loc), q
        if isinstance(expr, (ast.Constant, ast.JoinedStr, ast.BinOp, ast.Attribute, ast.Name)):
            v = self.urlconf.evaluate(expr, ctx)  # include(settings.API_URLCONF), include(app.urls_module)
            if v.ok and isinstance(v.value, str):
                return self._include_target(ast.Constant(v.value), ctx)
        return self.urlconf.patterns(expr, ctx), ""

    def _known_urlconf(self, module: str, ctx: Ctx, node: ast.AST, loc: Location) -> list[Any]:
        """The patterns of a framework URLconf the project includes, from :data:`.django_known.URLCONFS`."""
        return [
            Pat("path", None, None, ctx, node, synthetic=IncludedView(cls, module, loc), raw_route=route, name_text=name)
            for route, cls, name in known.URLCONFS[module][1]
        ]

    def module_named(self, name: str) -> str:
        if name in self.project.modules:
            return name
        matches = [m for m in self.project.modules if m.endswith("." + name)]
        return matches[0] if len(matches) == 1 else ""


_ROUTER_HOOKS = {"get_urls", "get_routes", "get_method_map", "get_lookup_regex", "_get_dynamic_route"}

_FLAG_OPTIONS = {
    "format_suffix",
    "api_root",
    "locale_prefix",
    "locale_prefix_optional",
    "optional_trailing_slash",
}


def _merge(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(a + b)) if b else a


class DjangoUrlsAnalyzer:
    """Django URLconf + DRF route analyzer (see the module docstring)."""

    name: ClassVar[str] = "django_urls"
    version: ClassVar[str] = "3"

    def interested(self, module: str, text: str) -> bool:
        return any(k in text for k in _INTEREST)

    def visitor(self, parsed: ParsedModule) -> FileVisitor:
        return UrlconfVisitor(parsed)

    def resolve(self, project: Project) -> AnalyzerOutput:
        if not _uses_django(project):
            return AnalyzerOutput()
        summaries = project.summaries_of(self.name)
        mutations, loop_assignments = _index_mutations(project, summaries)
        urlconf = Urlconf(project, mutations, loop_assignments)
        settings = _settings_facts(project)
        urlconf.loop_runner = _LoopRunner(urlconf, summaries, settings.installed_apps)
        views = Views(project, urlconf, settings)
        routers = Routers(urlconf, views)
        walker = _Walker(project, urlconf, views, routers,
                         AdminSites(urlconf, settings.installed_apps, settings.auth_user_model))
        findings: list[Finding] = []
        roots = _root_urlconfs(project, walker)
        if roots:
            for root in roots:
                walker.walk(urlconf.module_patterns(root, Location(project.path_of(root), 1)), _Prefix(), root, (root,))
            routes = walker.routes
        else:
            candidates = _urls_modules(project)
            per_root: dict[str, list[Route]] = {}
            for cand in candidates:
                walker.routes = []
                walker.walk(urlconf.module_patterns(cand, Location(project.path_of(cand), 1)), _Prefix(), cand, (cand,))
                per_root[cand] = walker.routes
            routes = [r for cand in candidates if cand not in walker.included for r in per_root[cand]]
            if candidates:
                where = project.django_settings_modules[0] if project.django_settings_modules else candidates[0]
                findings.append(
                    Finding(
                        "root-urlconf-unknown",
                        Severity.WARNING,
                        "ROOT_URLCONF not found; every urls module that no other URLconf includes is treated as a root: "
                        + ", ".join(c for c in candidates if c not in walker.included),
                        Location(project.path_of(where)),
                        hint="Point DJANGO_SETTINGS_MODULE at the settings (manage.py, pytest.ini) or set ROOT_URLCONF.",
                        category="routes",
                    )
                )
        findings.extend(walker.findings.values())
        findings.extend(_orphans(project, views, routers, walker.handlers))
        notes: tuple[tuple[str, str], ...] = ()
        if roots:
            notes = (("django", "Django URLconf roots: " + ", ".join(roots)),)
        return AnalyzerOutput(routes=tuple(sorted(set(routes), key=Route.sort_key)), findings=tuple(findings), notes=notes)


# ---------------------------------------------------------------------- helpers
class _LoopRunner:
    """Interprets a module-level loop once (see :mod:`.django_apploops`) and hands out its lists."""

    def __init__(self, urlconf: Urlconf, summaries: Any, installed: tuple[str, ...] | None) -> None:
        self.urlconf = urlconf
        self.summaries = summaries
        passthrough = {}
        for module in sorted(summaries):
            for name, param in getattr(summaries[module], "passthrough", ()):
                passthrough[f"{module}.{name}"] = param
        self.interpreter = LoopInterpreter(urlconf, installed, passthrough)
        self.results: dict[tuple[str, int], Any] = {}
        self.handed: set[tuple[str, int, str]] = set()

    def __call__(self, module: str, line: int, qualified: str) -> list[Any] | str | None:
        summary = self.summaries.get(module)
        loop = next((lp for lp in getattr(summary, "loops", ()) if lp.line <= line <= lp.end_line), None)
        if loop is None:
            return None
        key = (module, loop.line)
        if key not in self.results:
            self.results[key] = self.interpreter.run(module, loop.node)
        result = self.results[key]
        if isinstance(result, str):
            return result
        if (module, loop.line, qualified) in self.handed:
            return []  # every append of the loop was returned with the first one
        self.handed.add((module, loop.line, qualified))
        return list(result.get(qualified, []))


def _uses_django(project: Project) -> bool:
    if project.django_settings_modules:
        return True
    for syms in project.symbols.values():
        for b in syms.bindings:
            if b.target.startswith(("django.", "rest_framework")) or b.target == "django":
                return True
    return False


def _source_module(project: Project, module: str) -> bool:
    m = project.modules.get(module)
    return m is not None and m.kind not in (FileKind.TEST, FileKind.MIGRATION)


def _index_mutations(project: Project, summaries: Any) -> tuple[dict[str, list[tuple[str, Mutation]]], dict[tuple[str, int, str], Mutation]]:
    mutations: dict[str, list[tuple[str, Mutation]]] = {}
    loops: dict[tuple[str, int, str], Mutation] = {}
    for module in sorted(summaries):
        if not _source_module(project, module):
            continue
        summary = summaries[module]
        for m in getattr(summary, "mutations", ()):
            if m.method in ("=", "+="):
                loops[(module, m.line, m.receiver)] = m
                continue
            if m.method == "update":
                cls = m.scope[: -len(".__init__")]
                key = f"__init__:{module}.{cls}"
            else:
                key = project.resolve_name(module, m.receiver, m.scope)
            mutations.setdefault(key, []).append((module, m))
    return mutations, loops


def _settings_modules(project: Project) -> list[str]:
    mods = [m for m in project.django_settings_modules if _source_module(project, m)]
    return mods or list(project.django_settings_modules)


def _setting(project: Project, module: str, name: str) -> tuple[Any, Location] | None:
    """A setting's folded value and where it is assigned (module level or class-based settings)."""
    b = project.binding(module, name)
    if b is not None:
        v = project.evaluate(module, ast.Name(name, ast.Load()))
        q = project.resolve_name(module, name)
        d = project.lookup(q)
        loc = Location(project.path_of(d.module or module), getattr(d.obj, "line", 0) or 0)
        return v, loc
    syms = project.symbols.get(module)
    if syms is None:
        return None
    # class-based settings (django-configurations style): the attribute along the class's MRO
    for c in syms.classes:
        if c.scope:
            continue
        found = project.class_attribute(f"{module}.{c.qualname}", name)
        if found is not None and found[1].value is not None:
            cmod, a = found
            return project.evaluate(cmod, a.value, a.scope), Location(project.path_of(cmod), a.line)
    return None


def _settings_list(project: Project, module: str, name: str, seen: frozenset[str] = frozenset()) -> tuple[str, ...] | None:
    """A list setting of string constants built with ``=``/``+=``/``.append``/``.insert``/``.extend``
    across ``from .base import *`` chains (None when it does not fold completely)."""
    if module in seen or module not in project.symbols:
        return None
    syms = project.symbols[module]
    assigns = [a for a in syms.assignments if a.scope == "" and a.target == name]
    items: list[str] | None = None
    if not assigns or assigns[0].op != "=":
        for b in syms.bindings:
            if b.scope == "" and b.name == "*":
                items_star = _settings_list(project, b.target, name, seen | {module})
                if items_star is not None:
                    items = list(items_star)
    for a in assigns:
        v = project.evaluate(module, a.value, "") if a.value is not None else None
        if v is None or not v.ok or not isinstance(v.value, (list, tuple)) or not all(isinstance(x, str) for x in v.value):
            if a.conditional:
                continue
            return None
        if a.op == "=" and not a.conditional:
            items = list(v.value)
        elif a.op in ("=", "+=") and items is not None:
            items.extend(v.value)
    return tuple(items) if items is not None else None


def _root_urlconfs(project: Project, walker: _Walker) -> list[str]:
    roots: list[str] = []
    for sm in _settings_modules(project):
        found = _setting(project, sm, "ROOT_URLCONF")
        if found is None:
            continue
        v, loc = found
        if v.ok and isinstance(v.value, str):
            module = walker.module_named(v.value)
            if module and module not in roots:
                roots.append(module)
            elif not module:
                walker.problem(
                    Problem(
                        "external-include",
                        f"ROOT_URLCONF '{v.value}' is not a module of the scan",
                        loc,
                        symbol=v.value,
                    )
                )
    return roots


def _urls_modules(project: Project) -> list[str]:
    out = []
    for name, mod in sorted(project.modules.items()):
        if not _source_module(project, name):
            continue
        if name.rsplit(".", 1)[-1] == "urls" and project.assignments_of(f"{name}.urlpatterns"):
            out.append(name)
    return out


def _settings_facts(project: Project) -> SettingsFacts:
    facts = SettingsFacts(django_version=project.dependency_version("django"))
    for sm in _settings_modules(project):
        rf = _setting(project, sm, "REST_FRAMEWORK")
        if rf is not None and not facts.drf_settings_found:
            v, loc = rf
            if isinstance(v.value, dict):
                facts.drf_settings_found = True
                perms = v.value.get("DEFAULT_PERMISSION_CLASSES")
                if isinstance(perms, (list, tuple)):
                    facts.drf_permissions = tuple((str(p), loc) for p in perms if isinstance(p, str))
                auths = v.value.get("DEFAULT_AUTHENTICATION_CLASSES")
                if isinstance(auths, (list, tuple)):
                    facts.drf_authentication = tuple((str(p), loc) for p in auths if isinstance(p, str))
                if perms is None:
                    facts.drf_permissions = ((known.ALLOW_ANY, loc),)
        if facts.installed_apps is None:
            apps = _settings_list(project, sm, "INSTALLED_APPS")
            if apps is not None:
                facts.installed_apps = apps
        aum = _setting(project, sm, "AUTH_USER_MODEL")
        if aum is not None and aum[0].ok and isinstance(aum[0].value, str) and facts.auth_user_model == "auth.User":
            facts.auth_user_model = aum[0].value
        mw = _setting(project, sm, "MIDDLEWARE")
        if mw is not None and facts.login_middleware is None:
            v, loc = mw
            if isinstance(v.value, (list, tuple)) and known.LOGIN_MIDDLEWARE in v.value:
                facts.login_middleware = loc
    if not facts.drf_settings_found:
        sms = _settings_modules(project)
        if sms:
            facts.drf_permissions = ((known.ALLOW_ANY, Location(project.path_of(sms[0]))),)
    return facts


def _orphans(project: Project, views: Views, routers: Routers, handlers: set[str]) -> list[Finding]:
    """DRF viewsets that no router or URLconf reaches (leaf classes only)."""
    out = []
    subclassed: set[str] = set()
    classes = list(project.classes())
    for _, q, _ in classes:
        for b in project.bases(q):
            subclassed.add(b)
    for module, q, info in classes:
        if not _source_module(project, module) or q in subclassed or q in handlers or q in routers.registered:
            continue
        if "<locals>" in q or info.name.startswith("_") or "Base" in info.name or "Mixin" in info.name:
            continue
        if not views.is_viewset(q):
            continue
        if not (set(info.methods) | set(info.attributes)) & {"queryset", "serializer_class", "list", "retrieve", "get_queryset"}:
            continue
        out.append(
            Finding(
                "orphan-view",
                Severity.INFO,
                f"DRF viewset {q} is not registered on any router or URLconf the scan reaches",
                Location(project.path_of(module), info.line),
                symbol=q,
                category="routes",
            )
        )
    return out
