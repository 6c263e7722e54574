"""DRF routers: ``router.register(prefix, ViewSet)`` expanded the way ``SimpleRouter.get_urls`` does.

For every registration (``.register`` calls on the router object, in any
module, also inside loops over literal sequences), each route template of the
router gives a URL pattern when the viewset has at least one of the template's
actions (``hasattr(viewset, action)``, resolved through the MRO of project
classes and DRF's mixins):

* list ``^{prefix}{trailing_slash}$`` (list/create), detail
  ``^{prefix}/{lookup}{trailing_slash}$`` (retrieve/update/partial_update/destroy);
* one route per ``@action`` (``detail``, ``methods``, ``url_path``, ``url_name``,
  ``@x.mapping.<verb>``);
* ``lookup`` = ``(?P<{lookup_url_kwarg or lookup_field}>{lookup_value_regex})``
  (defaults ``pk`` and ``[^/.]+``), or ``<{converter}:{kwarg}>`` with
  ``use_regex_path=False``; ``trailing_slash=False`` drops the slash.

drf-nested-routers' ``NestedSimpleRouter(parent, "prefix", lookup="x")`` prefixes
every route with the parent's ``prefix/(?P<x_pk>...)/``.  Project router subclasses keep working: a literal ``routes = [Route(...), DynamicRoute(...)]``
class attribute replaces the templates, ``self.routes[i].mapping.update({...})`` in
``__init__`` is applied, and ``include_root_view``/``include_format_suffixes``/
``root_view_name``/``APIRootView`` class attributes are read.

``DefaultRouter`` adds the API root (``path("", APIRootView)``, name ``api-root``,
flagged ``api_root``) and, like ``format_suffix_patterns``, a ``.{format}``
variant of every route (flagged ``format_suffix``; the route-comparison script
leaves these out by default, as the runtime ground truth marks them).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace
from typing import Any

from ..model import Location
from .django_urlconf import Ctx, Element, Pat, Problem, RouterUrls, Urlconf, call_arg, condition_texts, dotted, unparse
from .django_views import Views

_FORMAT_REGEX = r"\.(?P<format>[a-z0-9]+)/?$"
_FORMAT_ROUTE = "<drf_format_suffix:format>"


@dataclass(frozen=True)
class RouteTemplate:
    """``Route``/``DynamicRoute`` of a router."""

    url: str
    mapping: tuple[tuple[str, str], ...]
    name: str
    detail: bool
    dynamic: bool


DEFAULT_ROUTES = (
    RouteTemplate("^{prefix}{trailing_slash}$", (("get", "list"), ("post", "create")), "{basename}-list", False, False),
    RouteTemplate("^{prefix}/{url_path}{trailing_slash}$", (), "{basename}-{url_name}", False, True),
    RouteTemplate(
        "^{prefix}/{lookup}{trailing_slash}$",
        (("get", "retrieve"), ("put", "update"), ("patch", "partial_update"), ("delete", "destroy")),
        "{basename}-detail",
        True,
        False,
    ),
    RouteTemplate("^{prefix}/{lookup}/{url_path}{trailing_slash}$", (), "{basename}-{url_name}", True, True),
)


@dataclass(frozen=True)
class SyntheticView:
    """The view of a router-generated route."""

    kind: str  # viewset, api_root
    cls: str
    mapping: tuple[tuple[str, str], ...] = ()
    router: str = ""
    registered_at: Location | None = None


@dataclass(frozen=True)
class RouterModel:
    """A router object: its class semantics and route templates."""

    qualname: str
    cls: str
    semantics: str
    trailing_slash: str
    use_regex: bool
    routes: tuple[RouteTemplate, ...]
    include_root_view: bool
    include_format_suffixes: bool
    root_view_name: str
    api_root_view: str
    ctx: Ctx
    node: ast.AST | None
    parent_regex: str = ""  # rest_framework_nested: prefix of the parent resource (with its lookup)
    nest_count: int = 0
    problem: str = ""


def format_suffix_variants(elems: list[Element]) -> list[Element]:
    """``format_suffix_patterns``: every route plus a ``.{format}`` variant; includes get it inside."""
    out: list[Element] = []
    for e in elems:
        if isinstance(e, Pat):
            if "format_suffix" in e.flags or "format_suffix_children" in e.flags:
                out.append(e)
                continue
            if e.synthetic is None and _is_include(e):
                out.append(replace(e, flags=e.flags + ("format_suffix_children",)))
                continue
            out.append(e)
            out.append(replace(e, flags=e.flags + ("format_suffix",)))
        elif isinstance(e, RouterUrls):
            out.append(SuffixedRouter(e))
        else:
            out.append(e)
    return out


@dataclass(frozen=True)
class SuffixedRouter:
    """``format_suffix_patterns(router.urls)``: expand, then add suffix variants."""

    inner: RouterUrls

    @property
    def conditions(self) -> tuple[str, ...]:
        return self.inner.conditions


def _is_include(p: Pat) -> bool:
    v = p.view
    if isinstance(v, ast.Call) and dotted(v.func).rsplit(".", 1)[-1] == "include":
        return True
    return isinstance(v, (ast.Tuple, ast.List)) or (isinstance(v, ast.Attribute) and v.attr == "urls")


def suffix_route(route: str, kind: str) -> str:
    """The route text of a format-suffix variant (DRF ``apply_suffix_patterns``)."""
    if kind == "regex":
        return route.rstrip("$").rstrip("/") + _FORMAT_REGEX
    return route.rstrip("$").rstrip("/") + _FORMAT_ROUTE


class Routers:
    """Builds router models and expands registrations into :class:`Pat` elements."""

    def __init__(self, urlconf: Urlconf, views: Views) -> None:
        self.u = urlconf
        self.views = views
        self.p = urlconf.project
        self._models: dict[str, RouterModel | None] = {}
        self._expanded: dict[str, tuple[Element, ...]] = {}
        self.registered: set[str] = set()

    def model(self, router: str) -> RouterModel | None:
        if router in self._models:
            return self._models[router]
        m = self._build(router)
        self._models[router] = m
        return m

    def _build(self, router: str) -> RouterModel | None:
        d = self.p.lookup(router)
        if d.kind != "assignment" or d.obj.value is None:
            return None
        value = d.obj.value
        ctx = Ctx(d.module, d.obj.scope)
        if isinstance(value, ast.IfExp):
            value = value.body
        if not isinstance(value, ast.Call):
            return None
        cls = self.u.callee(value, ctx)
        sem = self.u.router_class_semantics(cls) if cls else ""
        if not sem:
            return None
        offset = 2 if sem.startswith("nested") else 0  # NestedSimpleRouter(parent_router, parent_prefix, ...)
        ts = call_arg(value, offset, "trailing_slash")
        trailing = "/"
        if ts is not None:
            v = self.u.evaluate(ts, ctx)
            if v.ok:
                trailing = "/" if v.value else ""
        ur = call_arg(value, offset + 1, "use_regex_path")
        use_regex = True
        if ur is not None:
            v = self.u.evaluate(ur, ctx)
            if v.ok:
                use_regex = bool(v.value)
        routes = self._templates(cls)
        if not use_regex:
            routes = tuple(replace(r, url=_strip_anchors(r.url)) for r in routes)
        include_root = sem.endswith("default") and self._class_bool(cls, "include_root_view", True)
        suffixes = sem.endswith("default") and self._class_bool(cls, "include_format_suffixes", True)
        root_name = self._class_str(cls, "root_view_name", "api-root")
        api_root = "rest_framework.routers.APIRootView"
        found = self.u.class_attribute(cls, "APIRootView")
        if found is not None and found[1].value is not None and dotted(found[1].value):
            api_root = self.p.resolve_name(found[0], dotted(found[1].value), found[1].scope)
        model = RouterModel(router, cls, sem, trailing, use_regex, routes, include_root, suffixes, root_name, api_root,
                            ctx, value)
        if sem.startswith("nested"):
            model = self._nest(model, value, ctx)
        return model

    def _nest(self, m: RouterModel, call: ast.Call, ctx: Ctx) -> RouterModel:
        """``NestedSimpleRouter(parent, "domains", lookup="domain")`` (drf-nested-routers' NestedMixin)."""
        parent_expr = call_arg(call, 0, "parent_router")
        parent = self.u.resolve(parent_expr, ctx) if parent_expr is not None else ""
        pm = self.model(parent) if parent and parent != m.qualname else None
        prefix_v = self.u.evaluate_string(call_arg(call, 1, "parent_prefix"), ctx)
        if pm is None or not (prefix_v.ok and isinstance(prefix_v.value, str)):
            return replace(m, problem=f"parent router or prefix of {m.qualname.rsplit('.', 1)[-1]} not resolved")
        nest_count = pm.nest_count + 1
        lookup_v = self.u.evaluate_string(call_arg(call, -1, "lookup"), ctx) if call_arg(call, -1, "lookup") else None
        nest_prefix = (lookup_v.value if lookup_v is not None and isinstance(lookup_v.value, str) else f"nested_{nest_count}") + "_"
        parent_viewset = ""
        for module, mut in self.u.mutations.get(parent, ()):
            if mut.method != "register":
                continue
            pv = self.u.evaluate_string(call_arg(mut.call, 0, "prefix"), Ctx(module, mut.scope))
            if pv.ok and pv.value == prefix_v.value:
                vs = call_arg(mut.call, 1, "viewset")
                parent_viewset = self.u.resolve(vs, Ctx(module, mut.scope)) if vs is not None else ""
                break
        if not parent_viewset:
            return replace(m, problem=f"no registration '{prefix_v.value}' on {parent.rsplit('.', 1)[-1]}")
        lookup = self._lookup(parent_viewset, pm, nest_prefix)
        parent_regex = f"{prefix_v.value}/{lookup}/"
        if not prefix_v.value and parent_regex[:1] == "/":
            parent_regex = parent_regex[1:]
        parent_regex = pm.parent_regex + parent_regex
        escaped = parent_regex.replace("{", "{{").replace("}", "}}")
        routes = tuple(replace(r, url=r.url.replace("^", "^" + escaped)) for r in m.routes)
        return replace(m, routes=routes, parent_regex=parent_regex, nest_count=nest_count)

    def _class_bool(self, cls: str, attr: str, default: bool) -> bool:
        found = self.u.class_attribute(cls, attr)
        if found is None:
            return default
        v = self.p.evaluate(found[0], found[1].value, found[1].scope)
        return bool(v.value) if v.ok else default

    def _class_str(self, cls: str, attr: str, default: str) -> str:
        found = self.u.class_attribute(cls, attr)
        if found is None:
            return default
        v = self.p.evaluate(found[0], found[1].value, found[1].scope)
        return v.value if v.ok and isinstance(v.value, str) else default

    def _templates(self, cls: str) -> tuple[RouteTemplate, ...]:
        routes: tuple[RouteTemplate, ...] = DEFAULT_ROUTES
        found = self.u.class_attribute(cls, "routes")
        if found is not None:
            parsed = self._parse_routes(found[1].value, Ctx(found[0], found[1].scope))
            if parsed is not None:
                routes = parsed
        # ``self.routes[i].mapping.update({...})`` in ``__init__`` of the router classes
        for c in reversed(self.p.mro(cls)):
            info = self.p.class_info(c)
            if info is None:
                continue
            module, ci = info
            for _, m in self.u.mutations.get(f"__init__:{module}.{ci.qualname}", ()):
                idx = _route_index(m.receiver)
                if idx is None or not (0 <= idx < len(routes)) or not m.call.args:
                    continue
                v = self.u.evaluate(m.call.args[0], Ctx(module, m.scope))
                if v.ok and isinstance(v.value, dict):
                    merged = dict(routes[idx].mapping)
                    merged.update({str(k): str(val) for k, val in v.value.items()})
                    routes = routes[:idx] + (replace(routes[idx], mapping=tuple(merged.items())),) + routes[idx + 1:]
        return routes

    def _parse_routes(self, expr: ast.expr | None, ctx: Ctx) -> tuple[RouteTemplate, ...] | None:
        if not isinstance(expr, (ast.List, ast.Tuple)):
            return None
        out = []
        for e in expr.elts:
            if not isinstance(e, ast.Call):
                return None
            q = self.u.callee(e, ctx)
            short = q.rsplit(".", 1)[-1]
            if short not in ("Route", "DynamicRoute"):
                return None
            dynamic = short == "DynamicRoute"
            url = self.u.evaluate(call_arg(e, 0, "url"), ctx)
            name = self.u.evaluate(call_arg(e, 2 if not dynamic else 1, "name"), ctx)
            detail = self.u.evaluate(call_arg(e, 3 if not dynamic else 2, "detail"), ctx)
            mapping: tuple[tuple[str, str], ...] = ()
            if not dynamic:
                mv = self.u.evaluate(call_arg(e, 1, "mapping"), ctx)
                if not (mv.ok and isinstance(mv.value, dict)):
                    return None
                mapping = tuple((str(k), str(v)) for k, v in mv.value.items())
            if not (url.ok and isinstance(url.value, str) and name.ok and isinstance(name.value, str) and detail.ok):
                return None
            out.append(RouteTemplate(url.value, mapping, name.value, bool(detail.value), dynamic))
        return tuple(out)

    # ---------------------------------------------------------- expansion
    def expand(self, ru: RouterUrls) -> tuple[Element, ...]:
        cached = self._expanded.get(ru.router)
        if cached is None:
            cached = tuple(self._expand(ru.router))
            self._expanded[ru.router] = cached
        if ru.conditions:
            from .django_urlconf import with_conditions

            return tuple(with_conditions(cached, ru.conditions))
        return cached

    def _expand(self, router: str) -> list[Element]:
        m = self.model(router)
        loc = self.p.location(self.p._module_prefix(router)[0], None)
        if m is None:
            return [Problem("dynamic-registration", f"'{router}' is not a router the scan understands", loc, router)]
        out: list[Element] = []
        if m.problem:
            return [Problem("unsupported-router", f"nested router {router}: {m.problem}; its routes are not listed",
                            self.p.location(m.ctx.module, m.node), router)]
        for module, mut in self.u.mutations.get(router, ()):
            if mut.method != "register":
                continue
            ctx = Ctx(module, mut.scope)
            conds = condition_texts(mut.conditions)
            if mut.loops:
                envs = self.u.unroll(mut.loops, ctx)
                if envs is None:
                    out.append(
                        Problem(
                            "dynamic-registration",
                            f"viewsets registered on {router.rsplit('.', 1)[-1]} in a loop over "
                            f"{unparse(mut.loops[-1][1])}; not evaluated statically",
                            self.p.location(module, mut.call),
                            router,
                        )
                    )
                    continue
                for env in envs:
                    out.extend(self._register(m, mut.call, ctx.with_env(env), conds))
            else:
                out.extend(self._register(m, mut.call, ctx, conds))
        if m.include_root_view:
            view = SyntheticView("api_root", m.api_root_view, router=router, registered_at=self.p.location(m.ctx.module, m.node))
            out.append(Pat("path", None, None, m.ctx, m.node, synthetic=view, raw_route="", flags=("api_root",),
                           name_text=m.root_view_name))
        if m.include_format_suffixes:
            out = format_suffix_variants(out)
        return out

    def _register(self, m: RouterModel, call: ast.Call, ctx: Ctx, conds: tuple[str, ...]) -> list[Element]:
        where = self.p.location(ctx.module, call)
        prefix_v = self.u.evaluate_string(call_arg(call, 0, "prefix"), ctx)
        vs_expr = call_arg(call, 1, "viewset")
        viewset = self.u.resolve(vs_expr, ctx) if vs_expr is not None else ""
        if not viewset or self.p.class_info(viewset) is None:
            return [
                Problem(
                    "dynamic-registration" if not viewset or self.p.first_party(viewset) else "external-include",
                    f"viewset {unparse(vs_expr)} registered on {m.qualname.rsplit('.', 1)[-1]} is not a class the scan can see",
                    where,
                    viewset or unparse(vs_expr),
                    conds,
                )
            ]
        self.registered.add(viewset)
        prefix = prefix_v.value if isinstance(prefix_v.value, str) else "{" + unparse(call_arg(call, 0, "prefix")) + "}"
        basename = self._basename(call, ctx, viewset)
        lookup = self._lookup(viewset, m)
        extra = self.views.extra_actions(viewset)
        out: list[Element] = []
        for route in m.routes:
            if route.dynamic:
                for action in extra:
                    if action.detail != route.detail:
                        continue
                    url = route.url.replace("{url_path}", action.url_path.replace("{", "{{").replace("}", "}}"))
                    name = route.name.replace("{url_name}", action.url_name)
                    out.append(self._pat(m, url, dict(action.mapping), name, prefix, lookup, basename, viewset, ctx, call,
                                         conds, prefix_v))
                continue
            mapping = {verb: act for verb, act in route.mapping if self.views.has_attr(viewset, act)}
            if not mapping:
                continue
            out.append(self._pat(m, route.url, mapping, route.name, prefix, lookup, basename, viewset, ctx, call, conds,
                                 prefix_v))
        return out

    def _pat(self, m: RouterModel, url: str, mapping: dict[str, str], name: str, prefix: str, lookup: str,
             basename: str, viewset: str, ctx: Ctx, call: ast.Call, conds: tuple[str, ...], prefix_v: Any) -> Pat:
        try:
            regex = url.format(prefix=prefix, lookup=lookup, trailing_slash=m.trailing_slash)
        except (KeyError, IndexError, ValueError):
            regex = url.replace("{prefix}", prefix).replace("{lookup}", lookup).replace("{trailing_slash}", m.trailing_slash)
        if not prefix:
            if not m.use_regex and regex[:1] == "/":
                regex = regex[1:]
            elif regex[:2] == "^/":
                regex = "^" + regex[2:]
        try:
            full_name = name.format(basename=basename or "{basename}")
        except (KeyError, IndexError, ValueError):
            full_name = name.replace("{basename}", basename)
        view = SyntheticView("viewset", viewset, tuple(sorted(mapping.items())), m.qualname, self.p.location(ctx.module, call))
        flags: tuple[str, ...] = ()
        if prefix_v.status != "resolved":
            flags = ("partial_prefix",)
        return Pat("regex" if m.use_regex else "path", call_arg(call, 0, "prefix"), None, ctx, call, conditions=conds,
                   synthetic=view, raw_route=regex, flags=flags, name_text=full_name)

    def _basename(self, call: ast.Call, ctx: Ctx, viewset: str) -> str:
        b = call_arg(call, 2, "basename", "base_name")
        if b is not None:
            v = self.u.evaluate_string(b, ctx)
            return v.value if v.ok and isinstance(v.value, str) else ""
        found = self.u.class_attribute(viewset, "queryset")
        if found is None or found[1].value is None:
            return ""
        node: ast.AST = found[1].value
        # Model.objects.all() / Model.objects.filter(...) / Model.objects.select_related(...).all()
        while True:
            if isinstance(node, ast.Call):
                node = node.func
            elif isinstance(node, ast.Attribute) and node.attr != "objects":
                node = node.value
            else:
                break
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            model = self.p.resolve_name(found[0], dotted(node.value), found[1].scope) if dotted(node.value) else ""
            return model.rsplit(".", 1)[-1].lower() if model else ""
        return ""

    def _lookup(self, viewset: str, m: RouterModel, lookup_prefix: str = "") -> str:
        def attr(name: str) -> str | None:
            found = self.u.class_attribute(viewset, name)
            if found is None or found[1].value is None:
                return None
            v = self.p.evaluate(found[0], found[1].value, found[1].scope)
            if v.ok and isinstance(v.value, str):
                return v.value
            if v.ok and v.value is None:
                return None
            return "{" + unparse(found[1].value) + "}"

        field = attr("lookup_field") or "pk"
        kwarg = attr("lookup_url_kwarg") or field
        if m.use_regex:
            value = attr("lookup_value_regex") or "[^/.]+"
            return f"(?P<{lookup_prefix}{kwarg}>{value})"
        value = attr("lookup_value_converter") or attr("lookup_value_regex") or "str"
        return f"<{value}:{lookup_prefix}{kwarg}>"


def _strip_anchors(url: str) -> str:
    if url[:1] == "^":
        url = url[1:]
    if url[-1:] == "$":
        url = url[:-1]
    return url


def _route_index(receiver: str) -> int | None:
    """``self.routes[0].mapping`` -> 0."""
    prefix = "self.routes["
    if not receiver.startswith(prefix) or not receiver.endswith("].mapping"):
        return None
    inner = receiver[len(prefix) : -len("].mapping")]
    try:
        return int(inner)
    except ValueError:
        return None
