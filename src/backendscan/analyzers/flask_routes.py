"""Compose the registrations found by :mod:`.flask_interp` into :class:`~backendscan.facts.Route` facts.

Starting from every application object, blueprints are walked with Flask's
own prefix rules (``pallets/flask`` ``sansio/blueprints.py``):

* the ``url_prefix=`` given to ``register_blueprint`` overrides the
  blueprint's own; a nested blueprint's prefix is
  ``parent.rstrip("/") + "/" + child.lstrip("/")``;
* a rule is joined to the prefix with :func:`~.routing.join_flask`;
* Flask-RESTful/RESTX ``Api`` URLs are plain concatenations
  ``blueprint prefix + Api prefix + namespace path + url``; a RESTX
  namespace's path is the ``add_namespace`` path, else its ``path=``, else
  ``"/" + name`` (trailing slash removed).

Blueprints, ``Api`` objects and namespaces no application reaches are walked
as roots of their own: their routes are marked ``orphan`` and an
``orphan-blueprint``/``orphan-api`` finding names them.  Auth evidence is
attached per route: decorators (known ones by name, project decorators whose
body checks ``current_user``/``abort(401|403)``/... one level deep), class
``decorators``/``method_decorators``, ``Api``/``Namespace`` ``decorators=``
and ``before_request`` hooks of the app and of every enclosing blueprint.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any

from ..facts import AuthEvidence, Route
from ..model import Finding, Location, Severity, Unresolved
from ..project import Project
from .flask_interp import (
    HTTP_VERBS,
    METHOD_VIEW_CLASSES,
    FObj,
    HandlerRef,
    Interpreter,
    Registrations,
    ResourceReg,
    RouteReg,
    Text,
)
from .routing import join_flask, normalize_flask

KNOWN_AUTH_DECORATORS = frozenset(
    {
        "login_required",
        "fresh_login_required",
        "jwt_required",
        "jwt_refresh_token_required",
        "fresh_jwt_required",
        "roles_required",
        "roles_accepted",
        "permissions_required",
        "permissions_accepted",
        "auth_required",
        "auth_token_required",
        "http_auth_required",
    }
)
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


@dataclass
class _State:
    app: FObj | None
    prefix: Text | None  # Flask url_prefix of the blueprint being walked (None at app level)
    names: tuple[str, ...]  # blueprint names, for endpoints
    conditions: tuple[str, ...]
    hooks: tuple[AuthEvidence, ...]
    chain: tuple[str, ...]
    orphan: bool
    options: tuple[tuple[str, str], ...] = ()  # inherited from registrations (reachability)


@dataclass
class _Pending:
    """A route before app-wide hooks are known."""

    kwargs: dict[str, Any]
    app_key: str


@dataclass
class Composer:
    project: Project
    interp: Interpreter
    regs: Registrations
    pending: list[_Pending] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    reached: set[str] = field(default_factory=set)
    app_hooks: dict[str, list[AuthEvidence]] = field(default_factory=dict)
    _auth_cache: dict[tuple[int, str, str], tuple[str, str] | None] = field(default_factory=dict)
    _methods_cache: dict[str, tuple[tuple[str, ...], tuple[Unresolved, ...]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        r = self.regs
        self.objects = r.objects
        self.children: dict[str, list[Any]] = {}
        for reg in sorted(r.blueprints.values(), key=lambda b: (b.site, b.child)):
            self.children.setdefault(reg.parent, []).append(reg)
        self.parents: dict[str, list[Any]] = {}
        for reg in r.blueprints.values():
            self.parents.setdefault(reg.child, []).append(reg)
        self.binds: dict[str, list[Any]] = {}
        self.bound: set[str] = set()
        for b in sorted(r.api_binds.values(), key=lambda b: (b.site, b.api)):
            self.binds.setdefault(b.target, []).append(b)
            self.bound.add(b.api)
        self.ns_of: dict[str, list[Any]] = {}
        self.ns_added: set[str] = set()
        for n in sorted(r.namespaces.values(), key=lambda n: (n.site, n.ns)):
            self.ns_of.setdefault(n.api, []).append(n)
            self.ns_added.add(n.ns)
        self.routes_on: dict[str, list[RouteReg]] = {}
        for rr in sorted(r.routes.values(), key=lambda x: (x.site, x.rule.text, x.handler.qualname)):
            self.routes_on.setdefault(rr.target, []).append(rr)
        self.res_on: dict[str, list[ResourceReg]] = {}
        for res in sorted(r.resources.values(), key=lambda x: (x.site, x.handler.qualname)):
            self.res_on.setdefault(res.target, []).append(res)
        self.hooks_on: dict[str, list[Any]] = {}
        for h in sorted(r.hooks.values(), key=lambda h: (h.site, h.handler.qualname)):
            self.hooks_on.setdefault(h.target, []).append(h)

    # ------------------------------------------------------------------ driver
    def compose(self) -> tuple[list[Route], list[Finding]]:
        apps = sorted((o for o in self.objects.values() if o.kind == "app"), key=lambda o: (o.name, o.key))
        for app in apps:
            self.app_hooks.setdefault(app.key, [])
            st = _State(app, None, (), app.conditions, (), (), False)
            self.walk(app, st)
        self.orphans()
        routes: set[Route] = set()
        for p in self.pending:
            kw = p.kwargs
            if p.app_key:
                extra = tuple(self.app_hooks.get(p.app_key, ()))
                kw = dict(kw, auth=_sorted_auth(kw["auth"] + extra))
            routes.add(Route(**kw))
        return sorted(routes, key=Route.sort_key), self.findings

    # ------------------------------------------------------------------ walking
    def walk(self, obj: FObj, st: _State) -> int:
        """Emit the routes of ``obj`` and everything registered on it; returns the number of routes."""
        if obj.key in st.chain:
            return 0
        st = _State(st.app, st.prefix, st.names, st.conditions, st.hooks + self.hook_evidence(obj, st), st.chain +
                    (obj.key,), st.orphan, st.options)
        self.reached.add(obj.key)
        count = 0
        for rr in self.routes_on.get(obj.key, ()):
            count += self.emit_rule(obj, rr, st)
        for reg in self.children.get(obj.key, ()):
            child = self.objects.get(reg.child)
            if child is None:
                continue
            count += self.walk_child(obj, child, reg, st)
        for b in self.binds.get(obj.key, ()):
            api = self.objects.get(b.api)
            if api is not None:
                prefix = st.prefix if obj.kind == "blueprint" else None
                count += self.walk_api(api, _State(st.app, prefix, st.names, st.conditions + b.conditions, st.hooks,
                                                   st.chain, st.orphan))
        return count

    def walk_child(self, parent: FObj | None, child: FObj, reg: Any, st: _State) -> int:
        own = reg.url_prefix if reg is not None and reg.url_prefix is not None else child.url_prefix
        if st.prefix is not None and own is not None:
            prefix: Text | None = Text(st.prefix.text.rstrip("/") + "/" + own.text.lstrip("/"),
                                       st.prefix.unknowns + own.unknowns)
        elif own is not None:
            prefix = own
        else:
            prefix = st.prefix
        name = reg.name if reg is not None and reg.name else (child.bp_name.text if child.bp_name else "")
        conds = st.conditions + (reg.conditions if reg is not None else ()) + child.conditions
        inherited = st.options + tuple(o for o in (reg.options if reg is not None else ()) if o[0] == "reachability")
        return self.walk(child, _State(st.app, prefix, st.names + (name,), conds, st.hooks, st.chain, st.orphan,
                                       inherited))

    def walk_api(self, api: FObj, st: _State) -> int:
        if api.key in st.chain:
            return 0
        self.reached.add(api.key)
        chain = st.chain + (api.key,)
        hooks = st.hooks + self.decorator_evidence(api, "api")
        base = (st.prefix or Text("")) + (api.url_prefix or Text(""))
        count = 0
        for res in self.res_on.get(api.key, ()):
            count += self.emit_resource(api, res, base, st, hooks)
        for n in self.ns_of.get(api.key, ()):
            ns = self.objects.get(n.ns)
            if ns is None or ns.key in chain:
                continue
            self.reached.add(ns.key)
            path = n.path if n.path is not None and n.path.text else ns_path(ns)
            ns_hooks = hooks + self.decorator_evidence(ns, "namespace")
            for res in self.res_on.get(ns.key, ()):
                count += self.emit_resource(ns, res, base + path, _State(st.app, st.prefix, st.names,
                                                                         st.conditions + n.conditions, st.hooks,
                                                                         chain, st.orphan), ns_hooks)
        # flask-smorest: Api.register_blueprint registers on the app the Api is bound to
        for reg in self.children.get(api.key, ()):
            child = self.objects.get(reg.child)
            if child is not None:
                count += self.walk_child(api, child, reg, _State(st.app, st.prefix, st.names, st.conditions,
                                                                 st.hooks, chain, st.orphan))
        return count

    def orphans(self) -> None:
        objs = sorted(self.objects.values(), key=lambda o: (o.name, o.key))
        for obj in objs:
            if obj.key in self.reached or obj.kind == "app":
                continue
            if obj.kind == "blueprint":
                regs = self.parents.get(obj.key, [])
                if any(r.parent and r.parent in self.objects for r in regs):
                    continue  # reached (or not) through its parent
                count = 0
                if regs:
                    for reg in regs:
                        count += self.walk_child(None, obj, reg, _State(None, None, (), reg.conditions, (), (), True))
                else:
                    count = self.walk_child(None, obj, None, _State(None, None, (), (), (), (), True))
                if count:
                    where = (f"registered only on `{regs[0].parent_expr}`, which the scan cannot resolve"
                             if regs else "never registered on an application")
                    self.findings.append(Finding(
                        rule_id="orphan-blueprint",
                        severity=Severity.WARNING,
                        message=f"blueprint `{obj.name}` is {where}; its {count} route(s) are listed with orphan=true",
                        location=obj.location,
                        symbol=obj.name,
                        hint="Register it with app.register_blueprint(...) or remove the dead routes.",
                        category="routes",
                    ))
            elif obj.kind == "api" and obj.key not in self.bound:
                count = self.walk_api(obj, _State(None, None, (), (), (), (), True))
                if count:
                    self.findings.append(self._orphan_api(obj, count, "Api"))
            elif obj.kind == "namespace" and obj.key not in self.ns_added:
                count = 0
                hooks = self.decorator_evidence(obj, "namespace")
                self.reached.add(obj.key)
                for res in self.res_on.get(obj.key, ()):
                    count += self.emit_resource(obj, res, ns_path(obj), _State(None, None, (), (), (), (), True), hooks)
                if count:
                    self.findings.append(self._orphan_api(obj, count, "Namespace"))

    def _orphan_api(self, obj: FObj, count: int, what: str) -> Finding:
        return Finding(
            rule_id="orphan-api",
            severity=Severity.WARNING,
            message=f"{what} `{obj.name}` is never attached to an application; its {count} route(s) are listed "
                    f"with orphan=true",
            location=obj.location,
            symbol=obj.name,
            hint="Attach it (Api(app), api.init_app(app), api.add_namespace(ns)) or remove the dead routes.",
            category="routes",
        )

    # ------------------------------------------------------------------ emitting
    def emit_rule(self, obj: FObj, rr: RouteReg, st: _State) -> int:
        raws: list[Text] | None = None
        if obj.kind == "blueprint":
            raws = self.interp.setup_state_rules(obj, st.prefix, rr.rule)
        if raws is None:
            if obj.kind == "app" or st.prefix is None:
                raws = [rr.rule]
            elif not st.prefix.text:
                raws = [Text("/" + rr.rule.text.lstrip("/") if rr.rule.text else "", st.prefix.unknowns + rr.rule.unknowns)]
            else:
                raws = [Text(join_flask(st.prefix.text, rr.rule.text), st.prefix.unknowns + rr.rule.unknowns)]
        methods, munknown = (rr.methods, rr.methods_unresolved) if rr.methods is not None else self.default_methods(rr.handler)
        auth = self.handler_evidence(rr.handler, methods) + st.hooks
        endpoint = rr.endpoint or _short(rr.handler)
        name = ".".join([n for n in st.names if n] + [endpoint]) if endpoint else ""
        for raw in raws:
            self.add(raw, methods, munknown, rr.handler, auth, obj, st, rr.site, name, rr.conditions, rr.options)
        return len(raws)

    def emit_resource(self, owner: FObj, res: ResourceReg, base: Text, st: _State,
                      hooks: tuple[AuthEvidence, ...]) -> int:
        methods, munknown = self.default_methods(res.handler, resource=True)
        auth = self.handler_evidence(res.handler, methods) + hooks + st.hooks
        endpoint = res.endpoint or default_endpoint(owner, res.handler)
        for url in res.urls:
            raw = base + url
            self.add(raw, methods, munknown, res.handler, auth, owner, st, res.site, endpoint, res.conditions,
                     res.options)
        return len(res.urls)

    def add(self, raw: Text, methods: tuple[str, ...], munknown: tuple[Unresolved, ...], handler: HandlerRef,
            auth: tuple[AuthEvidence, ...], group: FObj, st: _State, site: Location, name: str,
            conditions: tuple[str, ...], options: tuple[tuple[str, str], ...]) -> None:
        unknowns = tuple(dict.fromkeys(raw.unknowns + munknown))
        if not raw.unknowns:
            status = "resolved"
        elif _PLACEHOLDER.fullmatch(raw.text) and len(raw.unknowns) == 1:
            status = "unresolved"
        else:
            status = "partial"
        kwargs = dict(
            framework="flask",
            methods=tuple(sorted(set(methods))),
            path=normalize_path(raw.text),
            raw_path=raw.text,
            path_status=status,
            handler=handler.qualname,
            file=handler.file or site.path,
            line=handler.line or site.line,
            auth=_sorted_auth(auth),
            unresolved=unknowns,
            group=group.name,
            app=st.app.name if st.app is not None else "",
            registered_at=site,
            name=name,
            conditions=tuple(dict.fromkeys(st.conditions + conditions)),
            is_async=handler.is_async,
            options=tuple(dict.fromkeys(options + st.options)),
            kind="http",
            orphan=st.orphan,
        )
        self.pending.append(_Pending(kwargs, st.app.key if st.app is not None else ""))

    # ------------------------------------------------------------------ methods
    def default_methods(self, handler: HandlerRef, resource: bool = False) -> tuple[tuple[str, ...], tuple[Unresolved, ...]]:
        """Flask: ``view_func.methods`` (a view class's) or ``("GET",)``."""
        if handler.kind != "class":
            if handler.kind == "external" and resource:
                text = f"{handler.qualname}.methods"
                return ("{" + text + "}",), (Unresolved(text, "view class outside the scanned code", Location(handler.file, handler.line)),)
            return ("GET",), ()
        cached = self._methods_cache.get(handler.qualname)
        if cached is None:
            cached = self._class_methods(handler)
            self._methods_cache[handler.qualname] = cached
        return cached

    def _class_methods(self, handler: HandlerRef) -> tuple[tuple[str, ...], tuple[Unresolved, ...]]:
        p = self.project
        q = handler.qualname
        found = p.class_attribute(q, "methods")
        if found is not None:
            module, a = found
            v = p.evaluate(module, a.value, a.scope) if a.value is not None else None
            if v is not None and v.ok and isinstance(v.value, (list, tuple, set, frozenset)) and all(
                    isinstance(x, str) for x in v.value):
                return tuple(sorted({x.upper() for x in v.value})), ()
            if v is not None and v.ok and v.value is None:
                pass
            else:
                text = f"{q}.methods"
                return ("{" + text + "}",), (Unresolved(text, "methods attribute not a constant",
                                                       p.location(module, a.value)),)
        methods = p.class_methods(q)
        verbs = sorted(v.upper() for v in HTTP_VERBS if v in methods)
        if verbs:
            return tuple(verbs), ()
        return ("GET",), ()

    # ------------------------------------------------------------------ auth
    def classify(self, expr: ast.expr, module: str, scope: str) -> tuple[str, str] | None:
        key = (id(expr), module, scope)
        if key in self._auth_cache:
            return self._auth_cache[key]
        result = self._classify(expr, module, scope)
        self._auth_cache[key] = result
        return result

    def _classify(self, expr: ast.expr, module: str, scope: str) -> tuple[str, str] | None:
        target = expr.func if isinstance(expr, ast.Call) else expr
        text = _dotted(target)
        if not text:
            return None
        tail = text.rsplit(".", 1)[-1]
        p = self.project
        q = p.resolve_name(module, text, scope)
        first_party = p.first_party(q)
        if tail in KNOWN_AUTH_DECORATORS and not first_party:
            return ("decorator", text)
        if first_party:
            found = self.interp.defs.get(q)
            if found is not None and found[1].kind == "function":
                if found[1].auth_markers:
                    return ("custom_decorator", text)
                return None
            d = p.lookup(q)
            if d.kind == "assignment" and d.obj.value is not None:
                # require_admin = roles_required("admin")
                inner = self._classify(d.obj.value, d.module, d.obj.scope)
                if inner is not None:
                    return (inner[0], text)
            if tail in KNOWN_AUTH_DECORATORS and d.kind == "unknown":
                return ("decorator", text)  # auth.login_required on a flask_httpauth object
        return None

    def evidence_of(self, items: tuple[tuple[ast.expr, str, str], ...], kind: str | None, attached: str,
                    inherited_from: str = "") -> tuple[AuthEvidence, ...]:
        out = []
        for expr, module, scope in items:
            c = self.classify(expr, module, scope)
            if c is None:
                continue
            out.append(AuthEvidence(kind or c[0], c[1], attached, self.project.location(module, expr),
                                    inherited_from=inherited_from))
        return tuple(out)

    def handler_evidence(self, handler: HandlerRef, methods: tuple[str, ...]) -> tuple[AuthEvidence, ...]:
        out = list(self.evidence_of(handler.decorators, None, "route" if handler.kind != "class" else "class"))
        out += self.evidence_of(handler.wrappers, None, "route")
        if handler.kind == "class":
            p = self.project
            for attr, kind in (("decorators", "class_decorators"), ("method_decorators", "method_decorators")):
                found = p.class_attribute(handler.qualname, attr)
                if found is None or found[1].value is None:
                    continue
                module, a = found
                owner = f"{module}.{a.scope}"
                exprs: list[ast.expr] = []
                value = a.value
                if isinstance(value, (ast.List, ast.Tuple)):
                    exprs = list(value.elts)
                elif isinstance(value, ast.Dict):
                    for v in value.values:
                        exprs.extend(v.elts if isinstance(v, (ast.List, ast.Tuple)) else [v])
                out += self.evidence_of(tuple((e, module, _scope_of(a.scope)) for e in exprs), kind, "class",
                                        owner if owner != handler.qualname else "")
            defined = p.class_methods(handler.qualname)
            for m in methods:
                owner_cls = defined.get(m.lower())
                if owner_cls is None:
                    continue
                d = p.lookup(f"{owner_cls}.{m.lower()}")
                if d.kind != "function":
                    continue
                info = d.obj
                out += self.evidence_of(tuple((x, d.module, info.scope) for x in info.decorators), None, "method",
                                        f"{owner_cls}.{m.lower()}")
        return tuple(out)

    def decorator_evidence(self, obj: FObj, attached: str) -> tuple[AuthEvidence, ...]:
        return self.evidence_of(obj.decorators, None, attached, obj.name)

    def hook_evidence(self, obj: FObj, st: _State) -> tuple[AuthEvidence, ...]:
        out = []
        for h in self.hooks_on.get(obj.key, ()):
            if not self.hook_is_auth(h.handler):
                continue
            attached = "app" if h.scope == "app" else "blueprint"
            ev = AuthEvidence("before_request", h.handler.qualname.rsplit(".", 1)[-1], attached, h.site,
                              inherited_from=obj.name)
            if h.scope == "app" and obj.kind != "app":
                if st.app is not None:
                    self.app_hooks.setdefault(st.app.key, []).append(ev)
                continue
            out.append(ev)
        return tuple(out)

    def hook_is_auth(self, handler: HandlerRef) -> bool:
        if handler.kind != "function":
            return False
        if any(self.classify(e, m, s) for e, m, s in handler.decorators):
            return True
        found = self.interp.defs.get(handler.qualname)
        return bool(found and found[1].auth_markers)


# -------------------------------------------------------------------------------------------- helpers
def ns_path(ns: FObj) -> Text:
    """RESTX ``Namespace.path``: ``path=`` or ``"/" + name``, without a trailing slash."""
    if ns.url_prefix is not None:
        return Text(ns.url_prefix.text.rstrip("/"), ns.url_prefix.unknowns)
    name = ns.bp_name or Text("")
    return Text(("/" + name.text).rstrip("/"), name.unknowns)


def normalize_path(raw: str) -> str:
    """:func:`~.routing.normalize_flask` outside ``{expr}`` placeholders (their text is kept as written)."""
    if "{" not in raw:
        return normalize_flask(raw)
    out: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(raw):
        if ch == "{":
            if depth == 0:
                out.append(normalize_flask(raw[start:i]))
                start = i
            depth += 1
        elif ch == "}" and depth:
            depth -= 1
            if depth == 0:
                out.append(raw[start : i + 1])
                start = i + 1
    out.append(normalize_flask(raw[start:]) if depth == 0 else raw[start:])
    return "".join(out)


def default_endpoint(owner: FObj, handler: HandlerRef) -> str:
    """Flask-RESTful: ``Class.__name__.lower()``; RESTX: ``camel_to_dash(name)``, prefixed ``<ns>_`` in a namespace."""
    if handler.kind != "class":
        return ""
    name = handler.qualname.rsplit(".", 1)[-1]
    if owner.flavor != "restx":
        return name.lower()
    dashed = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)).lower()
    if owner.kind == "namespace" and owner.bp_name is not None:
        return f"{owner.bp_name.text}_{dashed}"
    return dashed


def _short(handler: HandlerRef) -> str:
    return handler.qualname.rsplit(".", 1)[-1] if handler.kind in ("function", "class") else ""


def _scope_of(scope: str) -> str:
    return scope


def _dotted(node: ast.AST) -> str:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


def _sorted_auth(items: tuple[AuthEvidence, ...]) -> tuple[AuthEvidence, ...]:
    uniq = dict.fromkeys(items)
    return tuple(sorted(uniq, key=lambda a: (a.attached, a.kind, a.name, a.location.path, a.location.line,
                                             a.inherited_from)))
