"""Django and DRF views: what a URL pattern's view expression denotes, its methods and auth evidence.

* Function views accept any method (``ANY``) unless ``require_http_methods``,
  ``require_GET``/``require_POST``/``require_safe`` or DRF ``@api_view([...])``
  restrict them (on the ``def`` or wrapped around the view in the URLconf).
* Class-based views (``View.as_view()``) get the verbs the class implements,
  along its MRO: project classes are read from the scan, Django's and DRF's
  own classes from :mod:`.django_known`; ``http_method_names`` restricts them;
  ``head``/``options`` only count when the project defines them.
* ``ViewSet.as_view({"get": "list"})`` gets the keys of the mapping.
* Auth evidence: ``login_required``/``permission_required``/``user_passes_test``/
  ``staff_member_required`` (also applied in the URLconf), auth mixins in the
  MRO, ``method_decorator(...)`` on the class or ``dispatch``, DRF
  ``permission_classes``/``authentication_classes`` (inherited ones say where
  from) and ``@permission_classes`` on ``@api_view`` functions,
  ``REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"]`` as the settings default of
  DRF views without their own, ``AllowAny``/``login_not_required`` as explicit
  opt-outs (``public=True``) and Django 5.1's ``LoginRequiredMiddleware``.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any

from ..facts import AuthEvidence
from ..model import Location
from ..project import Project
from ..symbols import FunctionInfo
from . import django_known as known
from .django_urlconf import Ctx, Urlconf, call_arg, dotted, unparse

_ALL_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "trace")
_AUTH_MIXIN_NAMES = {"LoginRequiredMixin", "PermissionRequiredMixin", "UserPassesTestMixin", "StaffuserRequiredMixin",
                     "SuperuserRequiredMixin", "GroupRequiredMixin"}
#: custom decorators whose *name* says they require authentication (reported with their own name)
_AUTH_NAME = re.compile(r"(login|auth|permission|perm|staff|superuser|admin|user)s?_required|requires?_(login|auth|permission|perm)",
                        re.I)


@dataclass(frozen=True)
class ViewTarget:
    """What a view expression in a URLconf denotes."""

    kind: str  # function, class, viewset, lambda, external_function, external_class, unknown
    qualname: str
    ctx: Ctx
    node: ast.AST
    actions: tuple[tuple[str, str], ...] = ()  # ViewSet.as_view({"get": "list"})
    wrappers: tuple[tuple[str, ast.AST, str], ...] = ()  # (decorator qualname, node, module) applied in the URLconf


@dataclass(frozen=True)
class ViewFacts:
    """Route-level facts derived from a view."""

    framework: str
    methods: tuple[str, ...]
    handler: str
    file: str
    line: int
    auth: tuple[AuthEvidence, ...] = ()
    is_async: bool = False
    options: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ExtraAction:
    """A DRF ``@action`` of a viewset."""

    name: str
    detail: bool
    mapping: tuple[tuple[str, str], ...]  # (verb, method name)
    url_path: str
    url_name: str


@dataclass
class SettingsFacts:
    """Project-wide defaults read from the Django settings modules."""

    drf_permissions: tuple[tuple[str, Location], ...] = ()
    drf_authentication: tuple[tuple[str, Location], ...] = ()
    drf_settings_found: bool = False
    login_middleware: Location | None = None
    django_version: str = ""
    installed_apps: tuple[str, ...] | None = None
    auth_user_model: str = "auth.User"


@dataclass
class Views:
    """Answers view questions for the route analyzer (caches per class)."""

    project: Project
    urlconf: Urlconf
    settings: SettingsFacts
    _mro: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _attrs: dict[str, dict[str, str]] = field(default_factory=dict)
    _actions: dict[str, tuple[ExtraAction, ...]] = field(default_factory=dict)
    _class_auth: dict[str, tuple[AuthEvidence, ...]] = field(default_factory=dict)

    # ------------------------------------------------------------ classes
    def mro(self, cls: str) -> tuple[str, ...]:
        found = self._mro.get(cls)
        if found is None:
            found = self.project.mro(cls)
            self._mro[cls] = found
        return found

    def known_bases(self, cls: str) -> list[known.KnownClass]:
        out = []
        for c in self.mro(cls):
            k = known.known_class(c)
            if k is not None:
                out.append(k)
        return out

    def unknown_bases(self, cls: str) -> list[str]:
        """External classes in the MRO that backendscan knows nothing about."""
        out = []
        for c in self.mro(cls):
            if self.project.class_info(c) is None and known.known_class(c) is None and c not in ("object", "builtins.object"):
                if not c.startswith(("typing.", "abc.", "builtins.", "django.contrib.auth.mixins")):
                    out.append(c)
        return out

    def attributes(self, cls: str) -> dict[str, str]:
        """Names (methods and attributes) defined by first-party classes of the MRO -> defining class."""
        found = self._attrs.get(cls)
        if found is not None:
            return found
        out: dict[str, str] = {}
        for c in reversed(self.mro(cls)):
            info = self.project.class_info(c)
            if info is None:
                continue
            for name in info[1].methods + info[1].attributes:
                out[name] = c
        self._attrs[cls] = out
        return out

    def has_attr(self, cls: str, name: str) -> bool:
        if name in self.attributes(cls):
            return True
        return any(name in k.actions or name in k.verbs for k in self.known_bases(cls))

    def is_drf(self, cls: str) -> bool:
        return any(c.startswith("rest_framework.") for c in self.mro(cls))

    def is_viewset(self, cls: str) -> bool:
        return any(
            (k := known.known_class(c)) is not None and k.kind == "viewset" or c.startswith("rest_framework.viewsets.")
            for c in self.mro(cls)
        )

    def is_view_class(self, cls: str) -> bool:
        return any(c.startswith(("django.views", "rest_framework.", "django.contrib.auth.views")) for c in self.mro(cls))

    def http_method_names(self, cls: str) -> tuple[str, ...]:
        found = self.urlconf.class_attribute(cls, "http_method_names")
        if found is not None:
            module, a = found
            v = self.project.evaluate(module, a.value, a.scope)
            if v.ok and isinstance(v.value, (list, tuple)) and all(isinstance(x, str) for x in v.value):
                return tuple(x.lower() for x in v.value)
        for k in self.known_bases(cls):
            if k.http_method_names is not None:
                if k.name == "django.contrib.auth.views.LogoutView" and self._django_major() and self._django_major() < 5:
                    continue
                return k.http_method_names
        return _ALL_VERBS

    def _django_major(self) -> int:
        v = self.settings.django_version
        m = re.match(r"(\d+)", v)
        return int(m.group(1)) if m else 0

    def cbv_methods(self, cls: str) -> tuple[tuple[str, ...], bool]:
        """(HTTP verbs, complete) of a class-based view; complete=False when a base class is not known."""
        names = self.http_method_names(cls)
        attrs = self.attributes(cls)
        kb = self.known_bases(cls)
        verbs = []
        for v in names:
            if v in attrs or any(v in k.verbs for k in kb):
                verbs.append(v.upper())
        return tuple(sorted(verbs)), not self.unknown_bases(cls)

    def extra_actions(self, cls: str) -> tuple[ExtraAction, ...]:
        """DRF ``@action`` methods of a viewset (inherited ones included), with ``.mapping`` additions."""
        cached = self._actions.get(cls)
        if cached is not None:
            return cached
        out: list[ExtraAction] = []
        extra_maps: dict[str, list[tuple[str, str]]] = {}
        funcs: dict[str, tuple[str, FunctionInfo]] = {}
        for c in reversed(self.mro(cls)):
            info = self.project.class_info(c)
            if info is None:
                continue
            module, ci = info
            syms = self.project.symbols[module]
            for f in syms.functions:
                if f.scope == ci.qualname:
                    funcs[f.name] = (module, f)
        for name in sorted(funcs):
            module, f = funcs[name]
            for d in f.decorators:
                # @other_action.mapping.post
                if isinstance(d, ast.Attribute) and isinstance(d.value, ast.Attribute) and d.value.attr == "mapping":
                    base = dotted(d.value.value)
                    if base:
                        extra_maps.setdefault(base, []).append((d.attr.lower(), name))
        for name in sorted(funcs):
            module, f = funcs[name]
            for d in f.decorators:
                call = d if isinstance(d, ast.Call) else None
                func = call.func if call is not None else d
                q = self.project.resolve_name(module, dotted(func), f.scope) if dotted(func) else ""
                if q in known.DRF_ACTION or q in known.DRF_OLD_ROUTES:
                    detail = known.DRF_OLD_ROUTES.get(q, False)
                    methods: list[str] = ["get"]
                    url_path, url_name = name, name.replace("_", "-")
                    if call is not None:
                        ctx = Ctx(module, f.scope)
                        dv = call_arg(call, 1 if q in known.DRF_ACTION else -1, "detail")
                        if q in known.DRF_ACTION:
                            dval = self.urlconf.evaluate(dv, ctx) if dv is not None else None
                            detail = bool(dval.value) if dval is not None and dval.ok else False
                        mv = call_arg(call, 0, "methods")
                        if mv is not None:
                            v = self.urlconf.evaluate(mv, ctx)
                            if v.ok and isinstance(v.value, (list, tuple)):
                                methods = [str(x).lower() for x in v.value]
                        up = call_arg(call, -1, "url_path")
                        if up is not None:
                            v = self.urlconf.evaluate_string(up, ctx)
                            url_path = v.value if isinstance(v.value, str) else url_path
                        un = call_arg(call, -1, "url_name")
                        if un is not None:
                            v = self.urlconf.evaluate_string(un, ctx)
                            url_name = v.value if isinstance(v.value, str) else url_name
                    mapping = [(m, name) for m in methods] + extra_maps.get(name, [])
                    out.append(ExtraAction(name, detail, tuple(dict.fromkeys(mapping)), url_path, url_name))
                    break
        result = tuple(out)
        self._actions[cls] = result
        return result

    # ----------------------------------------------------------- auth
    def class_auth(self, cls: str) -> tuple[AuthEvidence, ...]:
        cached = self._class_auth.get(cls)
        if cached is not None:
            return cached
        out: list[AuthEvidence] = []
        # mixins in the MRO
        for c in self.mro(cls)[1:] + (cls,):
            info = self.project.class_info(c)
            if info is None:
                continue
            module, ci = info
            for b in ci.bases:
                name = dotted(b)
                if not name:
                    continue
                q = self.project.resolve_name(module, name, ci.scope)
                k = known.known_class(q)
                short = q.rsplit(".", 1)[-1]
                if (k is not None and k.kind == "auth_mixin") or short in _AUTH_MIXIN_NAMES:
                    out.append(
                        AuthEvidence(
                            "mixin",
                            short,
                            "class",
                            self.project.location(module, b),
                            inherited_from="" if c == cls else c,
                        )
                    )
            # class decorators: @method_decorator(login_required, name="dispatch")
            for d in ci.decorators:
                out.extend(self._decorator_evidence(d, module, ci.scope, "class", "" if c == cls else c))
            # decorated dispatch / verb methods
            syms = self.project.symbols[module]
            for f in syms.functions:
                if f.scope == ci.qualname and f.name in ("dispatch",) + _ALL_VERBS:
                    for d in f.decorators:
                        out.extend(self._decorator_evidence(d, module, f.scope, "class", "" if c == cls else c))
        if self.is_drf(cls):
            own_perm = False
            for attr, kind in (("permission_classes", "permission_class"), ("authentication_classes", "authentication_class")):
                found = self.urlconf.class_attribute(cls, attr)
                if found is None:
                    continue
                module, a = found
                definer = f"{module}.{a.scope}"
                names = self._class_list(a.value, module, a.scope)
                if kind == "permission_class":
                    own_perm = True
                for q, node in names:
                    out.append(
                        AuthEvidence(
                            kind,
                            q.rsplit(".", 1)[-1],
                            "class",
                            self.project.location(module, node),
                            public=q == known.ALLOW_ANY or q.endswith(".AllowAny"),
                            inherited_from="" if definer == cls else definer,
                        )
                    )
            if not own_perm:
                out.extend(self.drf_default_evidence())
        result = tuple(_dedupe(out))
        self._class_auth[cls] = result
        return result

    def drf_default_evidence(self) -> list[AuthEvidence]:
        out = []
        for name, loc in self.settings.drf_permissions:
            out.append(
                AuthEvidence(
                    "settings_default",
                    name.rsplit(".", 1)[-1],
                    "settings",
                    loc,
                    public=name == known.ALLOW_ANY or name.endswith(".AllowAny"),
                    inherited_from="REST_FRAMEWORK.DEFAULT_PERMISSION_CLASSES",
                )
            )
        return out

    def _class_list(self, expr: ast.expr | None, module: str, scope: str) -> list[tuple[str, ast.AST]]:
        if isinstance(expr, (ast.List, ast.Tuple)):
            out: list[tuple[str, ast.AST]] = []
            for e in expr.elts:
                if isinstance(e, ast.Starred):
                    continue
                if isinstance(e, ast.BinOp):  # IsAuthenticated & IsOwner
                    for n in ast.walk(e):
                        if isinstance(n, (ast.Name, ast.Attribute)) and dotted(n):
                            out.append((self.project.resolve_name(module, dotted(n), scope), n))
                            break
                    continue
                name = dotted(e)
                if name:
                    out.append((self.project.resolve_name(module, name, scope), e))
                elif isinstance(e, ast.Constant) and isinstance(e.value, str):
                    out.append((e.value, e))
            return out
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            return self._class_list(expr.left, module, scope) + self._class_list(expr.right, module, scope)
        if expr is not None and dotted(expr):
            q = self.project.resolve_name(module, dotted(expr), scope)
            d = self.project.lookup(q)
            if d.kind == "assignment" and d.obj.value is not None:
                return self._class_list(d.obj.value, d.module, d.obj.scope)
        return []

    def _decorator_evidence(self, d: ast.AST, module: str, scope: str, attached: str, inherited: str) -> list[AuthEvidence]:
        call = d if isinstance(d, ast.Call) else None
        func = call.func if call is not None else d
        name = dotted(func)
        q = self.project.resolve_name(module, name, scope) if name else ""
        if q == known.METHOD_DECORATOR and call is not None and call.args:
            inner = call.args[0]
            items = inner.elts if isinstance(inner, (ast.List, ast.Tuple)) else [inner]
            out = []
            for it in items:
                out.extend(self._decorator_evidence(it, module, scope, attached, inherited))
            return out
        return self.auth_of_decorator(q, d, module, attached, inherited)

    def auth_of_decorator(self, q: str, node: ast.AST, module: str, attached: str, inherited: str = "") -> list[AuthEvidence]:
        if not q:
            return []
        short = q.rsplit(".", 1)[-1]
        loc = self.project.location(module, node)
        if q in known.AUTH_DECORATORS:
            return [AuthEvidence("decorator", short, attached, loc, inherited_from=inherited)]
        if q in known.PUBLIC_DECORATORS:
            return [AuthEvidence("decorator", short, attached, loc, public=True, inherited_from=inherited)]
        if q in known.DRF_FUNCTION_AUTH:
            call = node if isinstance(node, ast.Call) else None
            out = []
            if call is not None:
                args = list(call.args)
                exprs = args[0].elts if len(args) == 1 and isinstance(args[0], (ast.List, ast.Tuple)) else args
                for e in exprs:
                    n = dotted(e)
                    if not n:
                        continue
                    cq = self.project.resolve_name(module, n, "")
                    out.append(
                        AuthEvidence(
                            known.DRF_FUNCTION_AUTH[q],
                            cq.rsplit(".", 1)[-1],
                            attached,
                            self.project.location(module, e),
                            public=cq == known.ALLOW_ANY or cq.endswith(".AllowAny"),
                        )
                    )
            return out
        if _AUTH_NAME.search(short) and q not in known.METHOD_DECORATORS and not q.startswith("django.views.decorators."):
            return [AuthEvidence("decorator", q if self.project.first_party(q) else short, attached, loc, inherited_from=inherited)]
        return []

    # ------------------------------------------------------------ views
    def resolve_view(self, expr: ast.expr | None, ctx: Ctx, wrappers: tuple[tuple[str, ast.AST, str], ...] = (),
                     depth: int = 0) -> ViewTarget:
        """What the view argument of ``path()`` denotes (see :class:`ViewTarget`)."""
        if expr is None or depth > 12:
            return ViewTarget("unknown", unparse(expr) if expr is not None else "", ctx, expr or ast.Constant(None), (), wrappers)
        if isinstance(expr, ast.Name) and ctx.bound(expr.id) is not None:
            b = ctx.bound(expr.id)
            assert b is not None
            return self.resolve_view(b.node, b.ctx, wrappers, depth + 1)
        if isinstance(expr, ast.Call):
            func = expr.func
            if isinstance(func, ast.Attribute) and func.attr == "as_view":
                owner = func.value
                if isinstance(owner, ast.Call) and dotted(owner.func):  # SomeView().as_view(): the class of the instance
                    owner = owner.func
                cls = self.urlconf.resolve(owner, ctx)
                actions: tuple[tuple[str, str], ...] = ()
                amap = call_arg(expr, 0, "actions")
                if amap is not None:
                    v = self.urlconf.evaluate(amap, ctx)
                    if isinstance(v.value, dict):
                        actions = tuple((str(k).lower(), str(val)) for k, val in v.value.items() if isinstance(val, str))
                if not cls:
                    return ViewTarget("unknown", unparse(func.value), ctx, expr, actions, wrappers)
                if self.project.class_info(cls) is None:
                    return ViewTarget("external_class", cls, ctx, expr, actions, wrappers)
                return ViewTarget("viewset" if actions or self.is_viewset(cls) else "class", cls, ctx, expr, actions, wrappers)
            if isinstance(func, ast.Call):
                # decorator factory applied in the URLconf: cache_page(60)(view), permission_required("x")(view)
                wq = self.urlconf.resolve(func.func, ctx) if dotted(func.func) else ""
                inner = expr.args[0] if expr.args else None
                return self.resolve_view(inner, ctx, wrappers + ((wq, func, ctx.module),), depth + 1)
            fq = self.urlconf.resolve(func, ctx) if dotted(func) else ""
            d = self.project.lookup(fq) if fq else None
            if d is not None and d.kind == "class":
                # an instance used as the view (callable object)
                return ViewTarget("class", fq, ctx, expr, (), wrappers)
            if d is not None and d.kind == "function" and d.obj.single_return is not None and not expr.args:
                return self.resolve_view(d.obj.single_return, Ctx(d.module, d.obj.qualname), wrappers, depth + 1)
            if d is not None and d.kind == "function" and (not expr.args or isinstance(expr.args[0], ast.Constant)):
                # a view factory (make_view("x.css")): the function it defines inside is the view
                nested = [f for f in self.project.symbols[d.module].functions if f.scope == d.obj.qualname]
                if len(nested) == 1:
                    return ViewTarget("function", f"{d.module}.{nested[0].qualname}", ctx, expr, (), wrappers)
                return ViewTarget("unknown", unparse(expr), ctx, expr, (), wrappers)
            if expr.args and not any(isinstance(a, ast.Starred) for a in expr.args[:1]):
                # a decorator applied by call: login_required(view), csrf_exempt(View.as_view())
                return self.resolve_view(expr.args[0], ctx, wrappers + ((fq, func, ctx.module),), depth + 1)
            return ViewTarget("unknown", unparse(expr), ctx, expr, (), wrappers)
        if isinstance(expr, ast.Lambda):
            return ViewTarget("lambda", f"{ctx.module}.<lambda>", ctx, expr, (), wrappers)
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            q = expr.value
            mod, rest = self.project._module_prefix(q)
            if mod and rest:
                return self._named_view(q, ctx, expr, wrappers, depth)
            return ViewTarget("external_function", q, ctx, expr, (), wrappers)
        if isinstance(expr, (ast.Name, ast.Attribute)):
            q = self.urlconf.resolve(expr, ctx)
            if not q:
                return ViewTarget("unknown", unparse(expr), ctx, expr, (), wrappers)
            return self._named_view(q, ctx, expr, wrappers, depth)
        return ViewTarget("unknown", unparse(expr), ctx, expr, (), wrappers)

    def _named_view(self, q: str, ctx: Ctx, expr: ast.AST, wrappers: tuple[tuple[str, ast.AST, str], ...],
                    depth: int) -> ViewTarget:
        d = self.project.lookup(q)
        if d.kind == "function":
            return ViewTarget("function", q, ctx, expr, (), wrappers)
        if d.kind == "class":
            return ViewTarget("class", q, ctx, expr, (), wrappers)
        if d.kind == "assignment" and d.obj.value is not None and d.obj.op == "=":
            return self.resolve_view(d.obj.value, Ctx(d.module, d.obj.scope), wrappers, depth + 1)
        if not self.project.first_party(q):
            return ViewTarget("external_function", q, ctx, expr, (), wrappers)
        return ViewTarget("unknown", q, ctx, expr, (), wrappers)

    def describe(self, t: ViewTarget, registered: Location) -> ViewFacts:
        """Framework, methods, handler, location, auth of a resolved view."""
        wrap_auth: list[AuthEvidence] = []
        wrap_methods: tuple[str, ...] | None = None
        public_wrap = False
        for wq, wnode, wmod in t.wrappers:
            wrap_auth.extend(self.auth_of_decorator(wq, wnode, wmod, "route"))
            if wq in known.METHOD_DECORATORS:
                wrap_methods = self._decorator_methods(wq, wnode, wmod)
            if wq in known.PUBLIC_DECORATORS:
                public_wrap = True
        if t.kind == "function":
            d = self.project.lookup(t.qualname)
            fn: FunctionInfo = d.obj
            module = d.module
            framework = "django"
            methods: tuple[str, ...] = ("ANY",)
            auth: list[AuthEvidence] = []
            has_perm = False
            public = public_wrap
            for dec in fn.decorators:
                call = dec if isinstance(dec, ast.Call) else None
                func = call.func if call is not None else dec
                name = dotted(func)
                q = self.project.resolve_name(module, name, fn.scope) if name else ""
                if q == known.API_VIEW:
                    framework = "drf"
                    methods = self._api_view_methods(call, module, fn.scope)
                elif q in known.METHOD_DECORATORS:
                    methods = self._decorator_methods(q, dec, module) or methods
                if q == "rest_framework.decorators.permission_classes":
                    has_perm = True
                if q in known.PUBLIC_DECORATORS:
                    public = True
                auth.extend(self.auth_of_decorator(q, dec, module, "route"))
            if wrap_methods is not None:
                methods = wrap_methods
            if framework == "drf" and not has_perm:
                auth.extend(self.drf_default_evidence())
            auth = wrap_auth + auth
            auth.extend(self._middleware(public))
            return ViewFacts(framework, methods, t.qualname, self.project.path_of(module), fn.line,
                             tuple(_dedupe(auth)), fn.is_async)
        if t.kind in ("class", "viewset"):
            info = self.project.class_info(t.qualname)
            assert info is not None
            module, ci = info
            framework = "drf" if self.is_drf(t.qualname) else "django"
            options: tuple[tuple[str, str], ...] = ()
            if t.actions:
                methods = tuple(sorted({m.upper() for m, _ in t.actions}))
                options = (("actions", ", ".join(f"{m}={a}" for m, a in t.actions)),)
            else:
                methods, complete = self.cbv_methods(t.qualname)
                if not complete:
                    unknown = ", ".join(self.unknown_bases(t.qualname))
                    options = (("methods", f"incomplete: base classes outside the scan ({unknown})"),)
                if not methods:
                    methods = ("ANY",)
                    options += (("methods_note", "the class defines no HTTP verb method"),)
            public = public_wrap or any(a.public and a.kind == "decorator" for a in self.class_auth(t.qualname))
            auth = wrap_auth + list(self.class_auth(t.qualname)) + self._middleware(public)
            return ViewFacts(framework, methods, t.qualname, self.project.path_of(module), ci.line,
                             tuple(_dedupe(auth)), False, options)
        if t.kind == "external_class":
            k = known.known_class(t.qualname)
            auth = wrap_auth + self._middleware(public_wrap)
            if k is not None:
                methods = tuple(sorted(v.upper() for v in k.verbs if v in (k.http_method_names or _ALL_VERBS)))
                if t.actions:
                    methods = tuple(sorted({m.upper() for m, _ in t.actions}))
                framework = "drf" if k.kind in ("apiview", "viewset") else "django"
                if framework == "drf":
                    auth.extend(self.drf_default_evidence())
                return ViewFacts(framework, methods or ("ANY",), k.name, registered.path, registered.line,
                                 tuple(_dedupe(auth)))
            return ViewFacts("django", ("ANY",), t.qualname, registered.path, registered.line, tuple(_dedupe(auth)),
                             options=(("methods", "unknown: the view class is outside the scan"),))
        methods = wrap_methods or ("ANY",)
        auth = wrap_auth + self._middleware(public_wrap)
        if t.kind in ("lambda", "external_function"):
            return ViewFacts("django", methods, t.qualname, registered.path, registered.line, tuple(_dedupe(auth)))
        return ViewFacts("django", methods, t.qualname, registered.path, registered.line, tuple(_dedupe(auth)),
                         options=(("handler", "unresolved"),))

    def _api_view_methods(self, call: ast.Call | None, module: str, scope: str) -> tuple[str, ...]:
        if call is None:
            return ("GET",)
        arg = call_arg(call, 0, "http_method_names")
        if arg is None:
            return ("GET",)
        v = self.project.evaluate(module, arg, scope)
        if v.ok and isinstance(v.value, (list, tuple)):
            return tuple(sorted({str(m).upper() for m in v.value} - {"OPTIONS"})) or ("GET",)
        return ("ANY",)

    def _decorator_methods(self, q: str, node: ast.AST, module: str) -> tuple[str, ...] | None:
        fixed = known.METHOD_DECORATORS.get(q)
        if fixed is not None:
            return tuple(sorted(fixed))
        call = node if isinstance(node, ast.Call) else None
        if call is None or not call.args:
            return None
        v = self.project.evaluate(module, call.args[0])
        if v.ok and isinstance(v.value, (list, tuple, set)):
            return tuple(sorted({str(m).upper() for m in v.value}))
        return None

    def _middleware(self, public: bool) -> list[AuthEvidence]:
        loc = self.settings.login_middleware
        if loc is None or public:
            return []
        return [AuthEvidence("middleware", "LoginRequiredMiddleware", "settings", loc)]


def _dedupe(items: list[AuthEvidence]) -> list[AuthEvidence]:
    seen: set[Any] = set()
    out = []
    for a in items:
        key = (a.kind, a.name, a.attached, a.location, a.public, a.inherited_from)
        if key in seen:
            continue
        seen.add(key)
        out.append(a)
    return out
