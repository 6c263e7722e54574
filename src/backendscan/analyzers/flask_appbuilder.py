"""Flask-AppBuilder (FAB) views and APIs: the routes of ``appbuilder.add_api(Cls)`` and ``add_view(Cls)``.

Flask-AppBuilder turns each registered class into a Flask blueprint whose rules
are the class's ``@expose(rule, methods=...)`` methods
(``BaseView.create_blueprint`` / ``BaseApi.create_blueprint`` and
``_register_urls`` in dpgaspar/Flask-AppBuilder).  It is its own registration
model on top of Flask (no ``@bp.route``, no ``register_blueprint`` in the
project's code), so it is a separate analyzer from ``flask``; the two meet only
in the app object, and a FAB blueprint is registered on the app without a prefix.

What is understood (names resolved through imports, aliases and class
hierarchies, never by variable name):

* registrations: ``appbuilder.add_api(Cls)``, ``add_view(Cls, "Name", ...)``,
  ``add_view_no_menu(Cls)`` (a class or an instance ``Cls()``), the index view
  (``appbuilder.indexview = Cls`` or ``AppBuilder(..., indexview=Cls)``), in
  functions and methods as well (function-local imports included), under
  ``if`` tests (kept as the routes' ``conditions``: feature flags are not
  guessed) and in loops over literal lists; ``add_link`` adds a menu entry, no
  route.  The receiver is an ``AppBuilder`` object (or a project subclass's); a
  receiver the scan cannot resolve (``self.appbuilder``) still counts when the
  argument is a Flask-AppBuilder view or API class.  A class registered twice
  is registered once, as Flask-AppBuilder does;
* routes: every ``@expose``/``@expose_api`` method along the class hierarchy
  (the most derived definition of a name wins: a project method overriding an
  exposed one without ``@expose`` removes the route), filtered by
  ``include_route_methods``/``exclude_route_methods`` (sets, ``|``/``-``/``&``
  of sets and class constants such as Superset's ``RouteMethod`` are folded; a
  string filter is a substring test, as in Flask-AppBuilder);
* prefixes: ``route_base`` when set, else ``/api/{version}/{resource_name}``
  for ``BaseApi`` classes (``version`` "v1" and the lower-cased class name by
  default) and ``/{classname lower}`` for ``BaseView`` classes, joined to each
  rule the way Flask joins a blueprint prefix;
* methods Flask-AppBuilder's own base classes expose (``ModelRestApi``'s
  CRUD routes, ``ModelView``'s list/show/add/edit/delete..., form and chart
  views) come from a table of its source (:mod:`.flask_appbuilder_builtins`),
  marked with a ``convention`` option; the handler is Flask-AppBuilder's
  method (``flask_appbuilder.api.ModelRestApi.get_list``), the file and line
  those of the project class that inherits it;
* auth evidence: ``@protect()``, ``@has_access``, ``@has_access_api`` (also on
  inherited Flask-AppBuilder methods) and the usual Flask decorators
  (``login_required``...);
* ``app``: the application given to ``AppBuilder(app)`` or
  ``appbuilder.init_app(app)`` when it resolves; an ``AppBuilder`` never given
  an application makes its routes orphans (``orphan-appbuilder`` finding).

Reported, never guessed: an argument the scan cannot resolve
(``dynamic-registration``), a class outside the scanned code that the table
does not know, e.g. a Flask-AppBuilder add-on (``external-view``), a project
class deriving from a Flask-AppBuilder class the table does not hold, such as
its security views (``unlisted-inherited-routes``: the project's own exposed
methods are still listed), a route filter that does not fold
(``unresolved-route-filter``: every candidate route is listed).

What ``AppBuilder.init_app`` registers by itself (the default index, util and
locale views, the security manager's views and APIs, OpenAPI/Swagger and the
menu API) is listed from a plan of Flask-AppBuilder 5.x
(:data:`.flask_appbuilder_builtins.PLAN`), at the site where the AppBuilder gets
its application (``init_app(app)`` or ``AppBuilder(app)``), each route with a
``registered_by`` option naming the configuration that decided it.  The
configuration keys (``AUTH_TYPE``, ``FAB_ADD_SECURITY_VIEWS``,
``FAB_ADD_SECURITY_API``...) are read from module-level assignments of the
project's config module(s) and folded; unset keys take Flask-AppBuilder's
default, keys that do not fold too (``unresolved-fab-config``).  The security
manager class is the one given to ``security_manager_class`` (``x or Cls``: its
fallback ``Cls``), and its class attributes (``authdbview``, ``role_api``,
``userstatschartview = None``...) choose the classes; an override of
``register_views`` that does not call ``super()`` drops the security views
(``security-views-replaced``).  A pinned Flask-AppBuilder 4 or older gets only a
note that these views exist.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any, ClassVar, Iterable, Mapping

from ..facts import AuthEvidence, OrmModel, Route
from ..facts import Column as FactColumn
from ..facts import ForeignKey as FactForeignKey
from ..model import Finding, Location, Severity, Unresolved
from ..parsing import ParsedModule
from ..project import Project
from ..visiting import Context, FileVisitor, call_arg, dotted_name
from .base import AnalyzerOutput
from .flask_appbuilder_tables import SECURITY_TABLES
from .flask_appbuilder_builtins import (
    APPBUILDER_CLASSES,
    AUTH_DECORATORS,
    BASE_API,
    BASE_VIEW,
    FAB,
    Exposed,
    FLAG_DEFAULTS,
    PLAN,
    SECURITY_MANAGER,
    SECURITY_MANAGER_CLASSES,
    SM_DEFAULTS,
    WHO,
    AUTH_TYPES,
    FabClass,
    Step,
    fab_class,
    holds,
    linearize,
    version_specific,
)
from .flask_routes import KNOWN_AUTH_DECORATORS, normalize_path
from .flask_summary import condition_texts

_KEYWORDS = ("add_api", "add_view", "indexview", "AppBuilder", "appbuilder", "register_views",
             "security_manager_class")
_REGISTRARS = frozenset({"add_api", "add_view", "add_view_no_menu"})
_CALLS = _REGISTRARS | {"init_app"}
_MAX_UNROLL = 256


# ---------------------------------------------------------------------------------------------- phase 1
@dataclass(frozen=True)
class Site:
    """A call ``x.add_api(...)``/``add_view``/``add_view_no_menu``/``init_app`` or ``x.indexview = ...``."""

    kind: str  # add_api, add_view(_no_menu), init_app, indexview, security_manager_class, super_register_views, appbuilder
    node: ast.expr  # the call; for indexview the assigned value
    receiver: ast.expr
    scope: str
    line: int
    column: int
    conditions: tuple[str, ...] = ()
    loops: tuple[tuple[ast.expr, ast.expr], ...] = ()  # (target, iterable) of the enclosing for loops


@dataclass(frozen=True)
class FabSummary:
    sites: tuple[Site, ...]


class FabVisitor(FileVisitor):
    """Collects the registration sites of one file."""

    def __init__(self, parsed: ParsedModule) -> None:
        self.sites: list[Site] = []

    def _site(self, kind: str, node: ast.expr, receiver: ast.expr, ctx: Context) -> None:
        loops = tuple((f.target, f.iter) for f in ctx.loops())
        self.sites.append(Site(kind, node, receiver, ctx.scope, node.lineno, node.col_offset, condition_texts(ctx),
                               loops))

    def _scan(self, values: Iterable[ast.AST | None], ctx: Context) -> None:
        if ctx.type_checking:
            return
        for value in values:
            if value is None:
                continue
            for sub in ast.walk(value):
                if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr in _CALLS:
                    self._site(sub.func.attr, sub, sub.func.value, ctx)
                elif (isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute)
                      and sub.func.attr == "register_views" and isinstance(sub.func.value, ast.Call)
                      and isinstance(sub.func.value.func, ast.Name) and sub.func.value.func.id == "super"):
                    self._site("super_register_views", sub, sub.func.value, ctx)  # a security manager's override

    def visit_Expr(self, node: ast.Expr, ctx: Context) -> None:
        self._scan([node.value], ctx)

    def visit_Assign(self, node: ast.Assign, ctx: Context) -> None:
        for t in node.targets:
            if isinstance(t, ast.Attribute) and t.attr in ("indexview", "security_manager_class") \
                    and not ctx.type_checking:
                self._site(t.attr, node.value, t.value, ctx)
        if isinstance(node.value, ast.Call) and dotted_name(node.value.func).rsplit(".", 1)[-1] == "AppBuilder" \
                and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) and not ctx.type_checking:
            self._site("appbuilder", node.value, node.targets[0], ctx)  # an AppBuilder no view is added to
        self._scan([node.value], ctx)

    def visit_AnnAssign(self, node: ast.AnnAssign, ctx: Context) -> None:
        self._scan([node.value], ctx)

    def visit_Return(self, node: ast.Return, ctx: Context) -> None:
        self._scan([node.value], ctx)

    def finish(self) -> FabSummary:
        return FabSummary(tuple(self.sites))


# ---------------------------------------------------------------------------------------------- phase 2
@dataclass(frozen=True)
class Builder:
    """An ``AppBuilder`` object of the scanned code (a module or function-level assignment)."""

    key: str  # qualified name of the assignment
    module: str
    scope: str
    call: ast.Call


@dataclass
class Registration:
    cls: str  # canonical class name (first-party qualname or the external name as imported)
    site: Site
    module: str
    builder: Builder | None
    receiver_text: str
    endpoint: str = ""
    options: tuple[tuple[str, str], ...] = ()
    builtin: bool = False  # registered by Flask-AppBuilder's init_app (security manager, menu, OpenAPI...)


@dataclass(frozen=True)
class Entry:
    """One class of a registered class's hierarchy: a project class, a table class or an unknown one."""

    kind: str  # project, fab, unknown
    name: str
    fab: FabClass | None = None


@dataclass
class Resolution:
    p: Project
    major: int | None
    routes: list[Route] = field(default_factory=list)
    findings: dict[tuple[Any, ...], Finding] = field(default_factory=dict)
    used_table: bool = False
    version_gaps: set[str] = field(default_factory=set)  # table methods whose rules depend on the FAB version

    # ------------------------------------------------------------------ helpers
    def loc(self, module: str, node: ast.AST | None) -> Location:
        return self.p.location(module, node)

    def finding(self, rule: str, severity: Severity, message: str, location: Location, symbol: str, hint: str,
                key: str) -> None:
        self.findings[(rule, location, key)] = Finding(rule, severity, message, location, symbol, hint,
                                                       category="routes", fingerprint_key=key)

    def resolve(self, module: str, node: ast.AST, scope: str) -> str:
        name = dotted_name(node)
        return self.p.resolve_name(module, name, scope) if name else ""

    def is_appbuilder_class(self, name: str) -> bool:
        return name in APPBUILDER_CLASSES or (self.p.first_party(name) and self.p.is_subclass(name, APPBUILDER_CLASSES))

    # ------------------------------------------------------------------ receivers
    def builder_of(self, module: str, expr: ast.expr, scope: str) -> tuple[str, Builder | None]:
        """("appbuilder", builder) / ("other", None) / ("unknown", None) for a registration receiver."""
        q = self.resolve(module, expr, scope)
        if not q:
            return "unknown", None
        d = self.p.lookup(q)
        if d.kind == "assignment" and isinstance(d.obj.value, ast.Call):
            callee = self.resolve(d.module, d.obj.value.func, d.obj.scope)
            if self.is_appbuilder_class(callee):
                return "appbuilder", Builder(q, d.module, d.obj.scope, d.obj.value)
            if self.p.first_party(callee) and self.p.lookup(callee).kind == "class":
                return "other", None  # an object of a project class that is not an AppBuilder
            if callee and not self.p.first_party(callee) and not callee.startswith(FAB + "."):
                return "other", None  # e.g. a Flask-Admin ``Admin(app)``, a connexion ``App``
        return "unknown", None

    # ------------------------------------------------------------------ registered classes
    def classes_of(self, module: str, expr: ast.expr | None, site: Site, depth: int = 0) -> list[str] | None:
        """Canonical names of the class(es) an argument denotes (loops over literal lists unrolled), or None."""
        if expr is None or depth > 4:
            return None
        if isinstance(expr, ast.Call):
            expr = expr.func  # add_view(MyView()): Flask-AppBuilder takes instances too
        if isinstance(expr, ast.Name):
            for target, it in reversed(site.loops):
                items = self.loop_values(module, target, it, expr.id, site.scope)
                if items is not None:
                    out: list[str] = []
                    for item in items:
                        got = self.classes_of(module, item, site, depth + 1)
                        if got is None:
                            return None
                        out.extend(got)
                    return out
                if expr.id in _names(target):
                    return None  # a loop over data the scan cannot enumerate
        q = self.resolve(module, expr, site.scope)
        if not q:
            return None
        head = dotted_name(expr).split(".", 1)[0]
        if self.p.binding(module, head, site.scope) is None:
            return None  # a parameter, a name set at run time
        d = self.p.lookup(q)
        if d.kind == "class":
            return [q]
        if d.kind == "assignment" and isinstance(d.obj.value, (ast.Name, ast.Attribute)):
            return self.classes_of(d.module, d.obj.value, Site("", d.obj.value, d.obj.value, d.obj.scope, 0, 0),
                                   depth + 1)
        if not self.p.first_party(q) and d.kind == "unknown":
            return [q]  # a class of another package (checked against the table later)
        return None

    def loop_values(self, module: str, target: ast.expr, it: ast.expr, name: str, scope: str) -> list[ast.expr] | None:
        """What ``name`` (bound by ``for target in it``) takes, when ``it`` is a literal list (or names one)."""
        if name not in _names(target):
            return None
        seq = it
        owner = module
        if isinstance(it, (ast.Name, ast.Attribute)):
            d = self.p.lookup(self.resolve(module, it, scope))
            if d.kind == "assignment" and d.obj.value is not None:
                seq, owner = d.obj.value, d.module
        if owner != module or not isinstance(seq, (ast.List, ast.Tuple, ast.Set)):
            return None
        out: list[ast.expr] = []
        for elt in seq.elts[:_MAX_UNROLL]:
            picked = _pick(target, elt, name)
            if picked is None:
                return None
            out.append(picked)
        return out

    # ------------------------------------------------------------------ hierarchy
    def chain(self, cls: str) -> list[Entry]:
        out: list[Entry] = []
        seen: set[str] = set()
        for c in self.p.mro(cls):
            if self.p.class_info(c) is not None:
                if c not in seen:
                    seen.add(c)
                    out.append(Entry("project", c))
                continue
            fab = fab_class(c)
            if fab is not None:
                for f in linearize(fab):
                    if f.qualname not in seen:
                        seen.add(f.qualname)
                        out.append(Entry("fab", f.qualname, f))
            elif c.startswith(FAB + ".") and c not in seen:
                seen.add(c)
                out.append(Entry("unknown", c))
        return out

    def attribute(self, chain: list[Entry], name: str) -> tuple[str, str, str, ast.expr | None, Any] | None:
        """(kind, module, class scope, expression, table value) of the first class in the chain that sets ``name``."""
        for e in chain:
            if e.kind == "project":
                found = self.p.class_info(e.name)
                if found is None:
                    continue
                module, info = found
                assigns = [a for a in self.p.symbols[module].assignments
                           if a.scope == info.qualname and a.target == name and a.op in ("=", ":")]
                if assigns and assigns[-1].value is not None:
                    return "project", module, info.qualname, assigns[-1].value, None
            elif e.kind == "fab" and e.fab is not None:
                attrs = dict(e.fab.attrs)
                if name in attrs:
                    return "fab", "", "", None, attrs[name]
        return None

    def route_filter(self, chain: list[Entry], name: str) -> tuple[Any, str]:
        """(value, problem) of include_route_methods/exclude_route_methods: a set, a string or None."""
        found = self.attribute(chain, name)
        if found is None:
            return None, ""
        kind, module, scope, expr, value = found
        if kind == "fab":
            return value, ""
        folded = names_value(self.p, module, expr, scope)
        if folded is _UNKNOWN:
            return None, ast.unparse(expr) if expr is not None else name
        return folded, ""

    # ------------------------------------------------------------------ what init_app registers by itself
    def config_flag(self, key: str) -> tuple[Any, str]:
        """(value, description) of a configuration key read from the project's config module(s).

        A module-level ``KEY = value`` in a source module counts; when several modules set it, those named
        like a configuration (``config``, ``settings``) are preferred.  Unset: Flask-AppBuilder's default;
        set to something that does not fold (or differently in several modules): the default, and a finding.
        """
        p = self.p
        default = FLAG_DEFAULTS[key]
        found: list[tuple[str, Any]] = []
        for module, syms in sorted(p.symbols.items()):
            mod = p.modules.get(module)
            if mod is None or mod.kind.value != "source":
                continue
            assigns = [a for a in syms.assignments if a.scope == "" and a.target == key and a.op == "="]
            if assigns and assigns[-1].value is not None:
                found.append((module, assigns[-1]))
        if len(found) > 1:
            preferred = [f for f in found if any(w in f[0].rsplit(".", 1)[-1] for w in ("config", "settings"))]
            found = preferred or found
        shown = _shown(default)
        if not found:
            return default, f"{key}={shown} (Flask-AppBuilder's default; the project does not set it)"
        values: list[tuple[Any, str]] = []
        for module, a in found:
            loc = p.location(module, a.value)
            where = f"{loc.path}:{loc.line}"
            value = self.flag_value(module, a.value, key)
            if value is _UNKNOWN:
                text = ast.unparse(a.value) if a.value is not None else key
                self.finding("unresolved-fab-config", Severity.INFO,
                             f"{key} = `{text}` does not fold to a value; the Flask-AppBuilder views it decides "
                             f"are listed as with its default {key}={shown}", loc, f"{module}.{key}",
                             "Set the key to a literal in the config module.", key)
                return default, f"{key}={shown} (Flask-AppBuilder's default; `{text}` at {where} does not fold)"
            values.append((value, where))
        if len({repr(v) for v, _ in values}) > 1:
            loc = p.location(found[0][0], found[0][1].value)
            self.finding("unresolved-fab-config", Severity.INFO,
                         f"{key} is set to different values in {len(values)} modules; the Flask-AppBuilder views "
                         f"it decides are listed as with its default {key}={shown}", loc, key,
                         "Check which configuration the application loads.", key)
            return default, f"{key}={shown} (Flask-AppBuilder's default; set differently in several modules)"
        value, where = values[0]
        return value, f"{key}={_shown(value, key)} at {where}"

    def flag_value(self, module: str, expr: ast.expr | None, key: str) -> Any:
        if expr is None:
            return _UNKNOWN
        if key == "AUTH_TYPE" and isinstance(expr, (ast.Name, ast.Attribute)):
            q = self.resolve(module, expr, "")
            tail = q.rsplit(".", 1)[-1]
            if q.startswith(FAB + ".") and tail in AUTH_TYPES.values():
                return next(k for k, v in AUTH_TYPES.items() if v == tail)
        v = self.p.evaluate(module, expr, "")
        if v.ok and isinstance(v.value, (bool, int, str, type(None))):
            return v.value
        return _UNKNOWN

    def class_value(self, module: str, expr: ast.expr | None, scope: str, depth: int = 0) -> tuple[str | None, str]:
        """(class name, how) of an expression naming a class; ``a or B`` is taken as its fallback ``B``."""
        if expr is None or depth > 4:
            return None, ""
        if isinstance(expr, ast.Constant) and expr.value is None:
            return "", ""
        if isinstance(expr, ast.BoolOp) and isinstance(expr.op, ast.Or):
            got, _ = self.class_value(module, expr.values[-1], scope, depth + 1)
            return got, (f"`{ast.unparse(expr)}` taken as its fallback" if got else "")
        if not isinstance(expr, (ast.Name, ast.Attribute)):
            return None, ""
        q = self.resolve(module, expr, scope)
        if not q:
            return None, ""
        d = self.p.lookup(q)
        if d.kind == "class":
            return q, ""
        if d.kind == "assignment" and d.obj.value is not None and d.obj.op == "=":
            return self.class_value(d.module, d.obj.value, d.obj.scope, depth + 1)
        if not self.p.first_party(q) and q.startswith(FAB + "."):
            return q, ""
        return None, ""

    def security_manager(self, sm: tuple[str, ast.expr, str] | None) -> tuple[str | None, str]:
        """(class, how) of the security manager class an AppBuilder uses (Flask-AppBuilder's by default)."""
        if sm is None:
            return SECURITY_MANAGER, ""
        module, expr, scope = sm
        cls, how = self.class_value(module, expr, scope)
        return (cls or None), how

    def sm_attribute(self, sm: str, attr: str) -> tuple[str | None, str]:
        """(class, where) the security manager's ``attr`` names ("" for None, None when it does not resolve)."""
        found = self.p.class_attribute(sm, attr) if self.p.first_party(sm) else None
        if found is None:
            return SM_DEFAULTS[attr], ""
        module, a = found
        cls, _ = self.class_value(module, a.value, a.scope)
        loc = self.p.location(module, a.value)
        return cls, f"{a.scope}.{attr} at {loc.path}:{loc.line}"

    def plan(self, sm: str | None, sm_how: str, supers: set[str], has_index: bool,
             site: Site, module: str) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
        """(class, options) of each class Flask-AppBuilder's init_app registers for this configuration."""
        p = self.p
        security = True
        sm_text = ""
        if sm is None:
            security = False
            self.finding("unresolved-security-manager", Severity.INFO,
                         "the security manager class given to the AppBuilder does not resolve, so the security "
                         "views and APIs Flask-AppBuilder registers are not listed",
                         p.location(module, site.node), "security_manager_class",
                         "Assign a class to `security_manager_class`.", "security_manager_class")
        elif p.first_party(sm):
            sm_text = f"; security manager `{sm}`" + (f" ({sm_how})" if sm_how else "")
            if not p.is_subclass(sm, SECURITY_MANAGER_CLASSES):
                security = False
            for c in p.mro(sm):
                info = p.class_info(c)
                if info is None or "register_views" not in info[1].methods:
                    continue
                if f"{c}.register_views" not in supers:
                    security = False  # the project's register_views replaces Flask-AppBuilder's
                    self.finding("security-views-replaced", Severity.INFO,
                                 f"`{c}.register_views` does not call super().register_views(): the security "
                                 f"views of Flask-AppBuilder are not listed, only what the override registers",
                                 Location(p.path_of(info[0]), info[1].line), c,
                                 "Nothing to do if the override is meant to replace them.", c)
                    break
        flags: dict[str, tuple[Any, str]] = {}
        out: list[tuple[str, tuple[tuple[str, str], ...]]] = []
        for step in PLAN:
            if step.who == "security" and not security:
                continue
            ok = True
            texts: list[str] = []
            for key, wanted in step.when:
                if key not in flags:
                    flags[key] = self.config_flag(key)
                value, text = flags[key]
                texts.append(text)
                if not holds(value, wanted):
                    ok = False
                    break
            if not ok:
                continue
            target, how = step.target, ""
            if target == "indexview":
                if has_index:
                    continue
                target = "flask_appbuilder.views.IndexView"
            elif target.startswith("sm."):
                assert sm is not None
                got, how = self.sm_attribute(sm, target[3:])
                if not got:
                    continue  # set to None (Superset's ``userstatschartview = None``) or not resolvable
                target = got
            note = WHO[step.who] + (f" ({', '.join(texts)})" if texts else "")
            if step.who == "security":
                note += sm_text + (f"; {how}" if how else "")
            out.append((target, (("registered_by", note),)))
        return out

    # ------------------------------------------------------------------ routes of one registration
    def register(self, reg: Registration, app: str, orphan: bool) -> None:
        p = self.p
        site_loc = p.location(reg.module, reg.site.node)
        info = p.class_info(reg.cls)
        table = fab_class(reg.cls) if info is None and reg.builtin else None
        if info is None and table is None:
            fab = fab_class(reg.cls)
            what = "Flask-AppBuilder's own view" if reg.cls.startswith(FAB + ".") else "a class outside the scanned code"
            self.finding("external-view", Severity.INFO,
                         f"{reg.site.kind}({reg.cls.rsplit('.', 1)[-1]}): `{reg.cls}` is {what}; its routes are "
                         f"not listed" + (" (registering a Flask-AppBuilder base class itself)" if fab else ""),
                         site_loc, reg.cls, "Its routes come from code the scan does not read.", reg.cls)
            return
        if table is not None:
            chain = [Entry("fab", f.qualname, f) for f in linearize(table)]
        else:
            chain = self.chain(reg.cls)
        names = {e.name for e in chain}
        is_api = BASE_API in names
        is_view = BASE_VIEW in names
        unknown = [e.name for e in chain if e.kind == "unknown"]
        if not is_api and not is_view and not unknown:
            if reg.builder is not None:
                self.finding("dynamic-registration", Severity.INFO,
                             f"{reg.site.kind}({reg.cls.rsplit('.', 1)[-1]}): `{reg.cls}` derives from no "
                             f"Flask-AppBuilder view or API class the scan knows, so its routes are unknown",
                             site_loc, reg.cls, "Check this registration by hand.", reg.cls)
            return
        if unknown:
            self.finding("unlisted-inherited-routes", Severity.INFO,
                         f"`{reg.cls}` inherits from {', '.join(f'`{u}`' for u in unknown)}, whose exposed methods "
                         f"the scan does not know; only the routes its own code exposes are listed",
                         site_loc, reg.cls, "The inherited routes come from Flask-AppBuilder code outside the scan.",
                         reg.cls)
        if info is not None:
            cls_module, cls_info = info
            cls_loc = Location(p.path_of(cls_module), cls_info.line)
            cls_name = cls_info.name
        else:  # a Flask-AppBuilder class its init_app registers: reported at the registration site
            cls_loc = site_loc
            cls_name = reg.cls.rsplit(".", 1)[-1]
        prefix = self.prefix(chain, cls_name, is_api)
        include, inc_problem = self.route_filter(chain, "include_route_methods")
        exclude, exc_problem = self.route_filter(chain, "exclude_route_methods")
        problem_opts: list[tuple[str, str]] = []
        for attr, problem in (("include_route_methods", inc_problem), ("exclude_route_methods", exc_problem)):
            if problem:
                problem_opts.append((attr, "{" + problem + "}"))
                self.finding("unresolved-route-filter", Severity.INFO,
                             f"`{reg.cls}.{attr}` = `{problem}` does not fold to a set of names: every exposed "
                             f"method is listed, some may not be routes", cls_loc, reg.cls,
                             "Write the filter as a literal set (or names of constants).", f"{reg.cls}.{attr}")
        claimed: set[str] = set()
        endpoint = reg.endpoint or cls_name
        base_opts = (("flask_appbuilder", reg.site.kind),) + reg.options + tuple(problem_opts)
        for e in chain:
            if e.kind == "project":
                found = p.class_info(e.name)
                if found is None:
                    continue
                for method in found[1].methods:
                    if method in claimed:
                        continue
                    claimed.add(method)
                    if not _routed(method, include, exclude):
                        continue
                    self.project_method(e.name, method, reg, prefix, endpoint, cls_loc, app, orphan, base_opts)
            elif e.kind == "fab" and e.fab is not None:
                for ex in e.fab.exposed:
                    if ex.method in claimed:
                        continue
                    claimed.add(ex.method)
                    if not _routed(ex.method, include, exclude):
                        continue
                    if self.major is None and version_specific(ex) and not reg.builtin:
                        self.version_gaps.add(f"{e.fab.qualname.rsplit('.', 1)[-1]}.{ex.method}")
                    self.table_method(e.fab, ex, reg, prefix, endpoint, cls_loc, app, orphan, base_opts)

    def prefix(self, chain: list[Entry], cls_name: str, is_api: bool) -> tuple[str | None, tuple[Unresolved, ...]]:
        """The blueprint's ``url_prefix`` (``route_base``): text and what could not be folded."""
        found = self.attribute(chain, "route_base")
        if found is not None:
            text, unknowns, is_none = self.fold_str(found)
            if not is_none:
                return text, unknowns
        if not is_api:
            return "/" + cls_name.lower(), ()
        parts: list[str] = []
        unknowns_all: tuple[Unresolved, ...] = ()
        for attr, default in (("version", "v1"), ("resource_name", cls_name.lower())):
            got = self.attribute(chain, attr)
            if got is None:
                parts.append(default)
                continue
            text, unknowns, is_none = self.fold_str(got)
            parts.append(default if is_none else text.lower() if attr == "resource_name" and not unknowns else text)
            unknowns_all += unknowns
        return f"/api/{parts[0]}/{parts[1]}", unknowns_all

    def fold_str(self, found: tuple[str, str, str, ast.expr | None, Any]) -> tuple[str, tuple[Unresolved, ...], bool]:
        """(text, unknowns, is None) of a string class attribute."""
        kind, module, scope, expr, value = found
        if kind == "fab":
            return (value if isinstance(value, str) else ""), (), value is None
        v = self.p.evaluate_string(module, expr, scope)
        if v.ok and v.value is None:
            return "", (), True
        if v.ok:
            return str(v.value), (), False
        return str(v.value), v.unknowns, False

    def project_method(self, owner: str, method: str, reg: Registration, prefix: tuple[str | None, tuple[Unresolved, ...]],
                       endpoint: str, cls_loc: Location, app: str, orphan: bool,
                       options: tuple[tuple[str, str], ...]) -> None:
        p = self.p
        d = p.lookup(f"{owner}.{method}")
        if d.kind != "function":
            return
        fn = d.obj
        module = d.module
        exposes = [x for x in fn.decorators if self.is_expose(module, x, fn.scope)]
        if not exposes:
            return
        auth = tuple(self.auth_of(module, fn.decorators, fn.scope))
        for x in exposes:
            rule, methods, unknowns = self.expose_args(module, x, fn.scope, method)
            self.emit(prefix, rule, methods, unknowns, f"{owner}.{method}", p.path_of(module), fn.line, fn.is_async,
                      auth, reg, endpoint, method, app, orphan, options)

    def table_method(self, fab: FabClass, ex: Exposed, reg: Registration, prefix: tuple[str | None, tuple[Unresolved, ...]],
                     endpoint: str, cls_loc: Location, app: str, orphan: bool,
                     options: tuple[tuple[str, str], ...]) -> None:
        self.used_table = True
        handler = f"{fab.qualname}.{ex.method}"
        auth: tuple[AuthEvidence, ...] = ()
        if ex.auth:
            kind = "decorator" if ex.auth in AUTH_DECORATORS else "handler"
            auth = (AuthEvidence(kind, ex.auth, "route", cls_loc, inherited_from=handler),)
        opts = options + (("convention", f"inherited from {handler} (Flask-AppBuilder)"),)
        for rule, methods in ex.rules_for(self.major):
            self.emit(prefix, (rule, ()), methods, (), handler, cls_loc.path, cls_loc.line, False, auth, reg,
                      endpoint, ex.method, app, orphan, opts)

    def emit(self, prefix: tuple[str | None, tuple[Unresolved, ...]], rule: tuple[str, tuple[Unresolved, ...]],
             methods: tuple[str, ...], munknown: tuple[Unresolved, ...], handler: str, file: str, line: int,
             is_async: bool, auth: tuple[AuthEvidence, ...], reg: Registration, endpoint: str, method: str, app: str,
             orphan: bool, options: tuple[tuple[str, str], ...]) -> None:
        raw = _join(prefix[0], rule[0])
        unknowns = tuple(dict.fromkeys(prefix[1] + rule[1] + munknown))
        path_unknowns = prefix[1] + rule[1]
        if not path_unknowns:
            status = "resolved"
        elif raw.startswith("{") and raw.endswith("}") and len(path_unknowns) == 1 and raw.count("{") == 1:
            status = "unresolved"
        else:
            status = "partial"
        site = self.p.location(reg.module, reg.site.node)
        self.routes.append(Route(
            framework="flask",
            methods=tuple(sorted(set(methods))),
            path=normalize_path(raw),
            raw_path=raw,
            path_status=status,
            handler=handler,
            file=file,
            line=line,
            auth=tuple(sorted(set(auth), key=lambda a: (a.attached, a.kind, a.name, a.inherited_from))),
            unresolved=unknowns,
            group=reg.cls,
            app=app,
            registered_at=site,
            name=f"{endpoint}.{method}",
            conditions=reg.site.conditions,
            is_async=is_async,
            options=options,
            kind="http",
            orphan=orphan,
        ))

    # ------------------------------------------------------------------ decorators
    def is_expose(self, module: str, deco: ast.expr, scope: str) -> bool:
        if not isinstance(deco, ast.Call):
            return False
        q = self.resolve(module, deco.func, scope)
        return q.startswith(FAB + ".") and q.rsplit(".", 1)[-1] in ("expose", "expose_api")

    def expose_args(self, module: str, deco: ast.Call, scope: str,
                    method: str) -> tuple[tuple[str, tuple[Unresolved, ...]], tuple[str, ...], tuple[Unresolved, ...]]:
        """(rule, methods, unresolved methods) of ``@expose(url="/", methods=("GET",))`` / ``@expose_api``."""
        is_api = self.resolve(module, deco.func, scope).endswith(".expose_api")
        url_expr = call_arg(deco, 1 if is_api else 0, "url")
        methods_expr = call_arg(deco, 2 if is_api else 1, "methods")
        rule: tuple[str, tuple[Unresolved, ...]]
        if url_expr is None or (is_api and isinstance(url_expr, ast.Constant) and not url_expr.value):
            if is_api:
                name_expr = call_arg(deco, 0, "name")
                name_v = self.p.evaluate_string(module, name_expr, scope) if name_expr is not None else None
                name = str(name_v.value) if name_v is not None and name_v.value else method
                rule = (f"/api/{name}", name_v.unknowns if name_v is not None else ())
            else:
                rule = ("/", ())
        else:
            v = self.p.evaluate_string(module, url_expr, scope)
            rule = (str(v.value), v.unknowns) if v.value is not None else ("{" + ast.unparse(url_expr) + "}", (
                Unresolved(ast.unparse(url_expr), "not a constant", self.loc(module, url_expr)),))
        if methods_expr is None:
            return rule, ("GET",), ()
        mv = self.p.evaluate(module, methods_expr, scope)
        if mv.ok and isinstance(mv.value, (list, tuple, set, frozenset)) and all(isinstance(m, str) for m in mv.value):
            return rule, tuple(sorted({m.upper() for m in mv.value})), ()
        text = ast.unparse(methods_expr)
        return rule, ("{" + text + "}",), (Unresolved(text, "methods not a constant list",
                                                      self.loc(module, methods_expr)),)

    def auth_of(self, module: str, decorators: tuple[ast.expr, ...], scope: str) -> Iterable[AuthEvidence]:
        for deco in decorators:
            target = deco.func if isinstance(deco, ast.Call) else deco
            q = self.resolve(module, target, scope)
            tail = q.rsplit(".", 1)[-1]
            if (q.startswith(FAB + ".") and tail in AUTH_DECORATORS) or (
                    tail in KNOWN_AUTH_DECORATORS and q and not self.p.first_party(q)):
                yield AuthEvidence("decorator", dotted_name(target), "route", self.loc(module, deco))


# ---------------------------------------------------------------------------------------------- folding
class _Unknown:
    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return "<unknown>"


_UNKNOWN = _Unknown()


def names_value(p: Project, module: str, expr: ast.expr | None, scope: str, depth: int = 0) -> Any:
    """A route filter as Python would see it: a frozenset of names, a string, None, or ``_UNKNOWN``.

    Sets are folded here (the shared folder turns set displays into lists):
    literals, ``set()``/``frozenset()``, ``|``, ``&``, ``-`` and names of
    constants (``RouteMethod.REST_MODEL_VIEW_CRUD_SET``) followed to their
    assignment.
    """
    if expr is None or depth > 8:
        return _UNKNOWN
    if isinstance(expr, ast.Constant):
        return expr.value if expr.value is None or isinstance(expr.value, str) else _UNKNOWN
    if isinstance(expr, (ast.Set, ast.List, ast.Tuple)):
        out: set[str] = set()
        for elt in expr.elts:
            v = names_value(p, module, elt, scope, depth + 1)
            if not isinstance(v, str):
                return _UNKNOWN
            out.add(v)
        return frozenset(out)
    if isinstance(expr, ast.Call) and not expr.keywords:
        callee = p.resolve_name(module, dotted_name(expr.func), scope) if dotted_name(expr.func) else ""
        if callee in ("builtins.set", "builtins.frozenset") and len(expr.args) <= 1:
            if not expr.args:
                return frozenset()
            inner = names_value(p, module, expr.args[0], scope, depth + 1)
            return frozenset(inner) if isinstance(inner, (frozenset, str)) else _UNKNOWN
        return _UNKNOWN
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, (ast.BitOr, ast.BitAnd, ast.Sub, ast.Add)):
        left = names_value(p, module, expr.left, scope, depth + 1)
        right = names_value(p, module, expr.right, scope, depth + 1)
        if isinstance(left, frozenset) and isinstance(right, frozenset):
            if isinstance(expr.op, (ast.BitOr, ast.Add)):
                return left | right
            return left & right if isinstance(expr.op, ast.BitAnd) else left - right
        if isinstance(left, str) and isinstance(right, str) and isinstance(expr.op, ast.Add):
            return left + right
        return _UNKNOWN
    if isinstance(expr, (ast.Name, ast.Attribute)):
        name = dotted_name(expr)
        if not name:
            return _UNKNOWN
        d = p.lookup(p.resolve_name(module, name, scope))
        if d.kind == "assignment" and d.obj.value is not None and d.obj.op == "=" and d.obj.value is not expr:
            return names_value(p, d.module, d.obj.value, d.obj.scope, depth + 1)
        v = p.evaluate(module, expr, scope)
        if v.ok and (v.value is None or isinstance(v.value, str)):
            return v.value
        return _UNKNOWN
    return _UNKNOWN


# ---------------------------------------------------------------------------------------------- plugin
def uses_fab(project: Project) -> bool:
    """Some module imports ``flask_appbuilder``."""
    return any(b.target.split(".", 1)[0] == FAB for syms in project.symbols.values() for b in syms.bindings)


def fab_major(project: Project) -> int | None:
    """Major version of the Flask-AppBuilder the project pins, or None."""
    version = project.dependency_version("flask-appbuilder")
    head = version.split(".", 1)[0] if version else ""
    return int(head) if head.isdigit() else None


class FlaskAppBuilderAnalyzer:
    """The ``flask_appbuilder`` analyzer plugin (see the module docstring)."""

    name: ClassVar[str] = "flask_appbuilder"
    version: ClassVar[str] = "2"
    kinds: ClassVar[frozenset[str]] = frozenset({"source"})  # resolve reads application code only
    provides: ClassVar[tuple[str, ...]] = ("routes",)

    def interested(self, module: str, text: str) -> bool:
        return any(k in text for k in _KEYWORDS)

    def visitor(self, parsed: ParsedModule) -> FabVisitor:
        return FabVisitor(parsed)

    def resolve(self, project: Project) -> AnalyzerOutput:
        summaries = {
            m: s for m, s in project.summaries_of(self.name).items()
            if (mod := project.modules.get(m)) is not None and mod.kind.value == "source" and isinstance(s, FabSummary)
        }
        if not summaries or not uses_fab(project):
            return AnalyzerOutput()
        res = Resolution(project, fab_major(project))
        sites = sorted(((m, s) for m, summary in summaries.items() for s in summary.sites),
                       key=lambda x: (project.path_of(x[0]), x[1].line, x[1].column))
        apps: dict[str, list[str]] = {}  # builder key -> app names ("" when the app does not resolve)
        builders: dict[str, Builder] = {}
        registrations: dict[str, Registration] = {}
        inits: dict[str, tuple[str, Site]] = {}  # builder key -> where it gets its app (init_app or AppBuilder(app))
        sm_exprs: dict[str, tuple[str, ast.expr, str]] = {}  # builder key -> its security_manager_class
        indexed: set[str] = set()  # builders given an index view
        supers: set[str] = set()  # methods ``register_views`` that call super().register_views()

        def bind_app(b: Builder, module: str, expr: ast.expr | None, scope: str) -> None:
            if expr is None or (isinstance(expr, ast.Constant) and expr.value is None):
                return
            q = res.resolve(module, expr, scope)
            d = project.lookup(q) if q else None
            apps.setdefault(b.key, []).append(q if d is not None and d.kind == "assignment" else "")

        def add(module: str, site: Site, expr: ast.expr | None, builder: Builder | None, receiver: str,
                endpoint: str = "") -> None:
            classes = res.classes_of(module, expr, site)
            if classes is None:
                text = ast.unparse(expr) if expr is not None else "?"
                loc = project.location(module, site.node)
                res.finding("dynamic-registration", Severity.INFO,
                            f"{site.kind}({text}): the class cannot be resolved statically, so the Flask-AppBuilder "
                            f"routes it registers are unknown", loc,
                            f"{module}.{site.scope}" if site.scope else module,
                            "Routes registered from runtime data are not listed; check this call site by hand.",
                            f"{site.kind}({text})")
                return
            for cls in classes:
                if cls not in registrations:  # Flask-AppBuilder skips a view it already has
                    registrations[cls] = Registration(cls, site, module, builder, receiver, endpoint)

        for module, site in sites:
            if site.kind == "super_register_views":
                supers.add(f"{module}.{site.scope}")
                continue
            status, builder = res.builder_of(module, site.receiver, site.scope)
            if status == "other":
                continue
            if builder is not None and builder.key not in builders:
                builders[builder.key] = builder
                made = builder.call
                bind_app(builder, builder.module, call_arg(made, 0, "app"), builder.scope)
                made_app = call_arg(made, 0, "app")
                if made_app is not None and not (isinstance(made_app, ast.Constant) and made_app.value is None):
                    inits.setdefault(builder.key, (builder.module, Site("AppBuilder", made, made.func, builder.scope,
                                                                        made.lineno, made.col_offset)))
                made_sm = call_arg(made, -1, "security_manager_class")
                if made_sm is not None:
                    sm_exprs[builder.key] = (builder.module, made_sm, builder.scope)
                index = call_arg(made, -1, "indexview")
                if index is not None:
                    indexed.add(builder.key)
                    add(builder.module, Site("indexview", index, made.func, builder.scope, made.lineno,
                                             made.col_offset), index, builder, dotted_name(made.func))
            if builder is not None:
                builder = builders[builder.key]  # one object per AppBuilder
            if site.kind == "appbuilder":
                continue  # the builder is known now (above)
            if site.kind == "init_app":
                if builder is not None:
                    bind_app(builder, module, call_arg(site.node, 0, "app"), site.scope)  # type: ignore[arg-type]
                    inits.setdefault(builder.key, (module, site))
                continue
            if site.kind == "security_manager_class":
                if builder is not None:
                    sm_exprs[builder.key] = (module, site.node, site.scope)
                continue
            if status == "unknown" and not _imports_fab(project, module):
                continue
            receiver = dotted_name(site.receiver) or ast.unparse(site.receiver)
            if site.kind == "indexview":
                if builder is not None:
                    indexed.add(builder.key)
                add(module, site, site.node, builder, receiver)
                continue
            node = site.node
            assert isinstance(node, ast.Call)
            endpoint = ""
            if site.kind == "add_view_no_menu":
                ep = call_arg(node, 1, "endpoint")
                v = project.evaluate(module, ep, site.scope) if ep is not None else None
                endpoint = v.value if v is not None and v.ok and isinstance(v.value, str) else ""
            add(module, site, call_arg(node, 0, "baseview"), builder, receiver, endpoint)

        listed_builtin = False
        if res.major is None or res.major >= 5:
            for key in sorted(inits):
                module, site = inits[key]
                b = builders[key]
                sm, how = res.security_manager(sm_exprs.get(key))
                for cls, opts in res.plan(sm, how, supers, key in indexed, site, module):
                    known = registrations.get(cls)
                    # a class is registered once: init_app runs first, so a Flask-AppBuilder class the project
                    # registers again is listed here; a project class it registers too keeps its own site
                    if known is None or (not known.builtin and project.class_info(cls) is None):
                        registrations[cls] = Registration(cls, site, module, b, key, options=opts, builtin=True)
                        listed_builtin = True

        for cls in sorted(registrations):
            reg = registrations[cls]
            app, orphan = "", False
            if reg.builder is not None:
                bound = apps.get(reg.builder.key)
                orphan = bound is None
                app = next((a for a in sorted(bound or ()) if a), "")
            res.register(reg, app, orphan)

        findings = list(res.findings.values())
        orphans = sorted(k for k, b in builders.items() if k not in apps)
        for key in orphans:
            b = builders[key]
            count = sum(1 for r in res.routes if r.orphan and r.group and registrations[r.group].builder is b)
            if count:
                findings.append(Finding(
                    "orphan-appbuilder", Severity.WARNING,
                    f"AppBuilder `{key}` is never given an application (AppBuilder(app) or init_app(app)); its "
                    f"{count} route(s) are listed with orphan=true",
                    project.location(b.module, b.call), key,
                    "Pass the app to AppBuilder(app) or call appbuilder.init_app(app).", category="routes"))
        notes: list[tuple[str, str]] = []
        if listed_builtin:
            notes.append(("flask_appbuilder",
                          "The views and APIs Flask-AppBuilder's AppBuilder.init_app registers by itself (security "
                          "views and APIs, menu, OpenAPI, locale, util and default index views) are listed from a "
                          "table of Flask-AppBuilder 5.x, chosen by the configuration keys of the project's config "
                          "module(s) and the security manager class; each says so in its `registered_by` option. "
                          "Configuration set at run time (app.config[...] =, environment, an external config "
                          "file) is not seen."))
        elif (builders or res.routes) and not project.first_party(FAB):
            notes.append(("flask_appbuilder",
                          "Flask-AppBuilder also registers views and APIs of its own when AppBuilder.init_app runs "
                          "(security views and APIs chosen by AUTH_TYPE and the security manager class, menu, "
                          "OpenAPI/Swagger, locale and util views, and the index view unless the project sets "
                          "`indexview`); they are outside the scanned code and not listed."))
        if res.version_gaps:
            notes.append(("flask_appbuilder",
                          "The Flask-AppBuilder version is not pinned in the scanned project, so only the inherited "
                          "routes every version (2.3 to 5.x) has are listed; " +
                          ", ".join(sorted(res.version_gaps)) + " have more in some versions (ModelView's RestCRUDView "
                          "/api routes up to 4.x, SAML views from 5.0, ...)."))
        models: tuple[OrmModel, ...] = ()
        if res.major is None or res.major >= 5:
            models = _security_tables(project, res, inits, sm_exprs)
            if models:
                notes.append(("flask_appbuilder",
                              "The `ab_*` tables of Flask-AppBuilder's SQLAlchemy security manager (users, roles, "
                              "permissions, groups, API keys) are listed from a table of Flask-AppBuilder 5.x at the "
                              "AppBuilder's init_app; their `registered_by` option says so."))
        routes = tuple(sorted(set(res.routes), key=Route.sort_key))
        return AnalyzerOutput(routes=routes, models=models, findings=tuple(sorted(findings, key=lambda f: f.sort_key())),
                              notes=tuple(notes))


def _security_tables(project: Project, res: Any, inits: Mapping[str, tuple[str, Site]],
                     sm_exprs: Mapping[str, Any]) -> tuple[OrmModel, ...]:
    """FAB's ``ab_*`` tables, once, at the first init_app whose security manager is the SQLAlchemy one.

    A table the project declares itself (a class with the same ``__tablename__``) keeps the
    project's declaration.
    """
    for key in sorted(inits):
        module, site = inits[key]
        sm, _ = res.security_manager(sm_exprs.get(key))
        if sm is None or not project.is_subclass(sm, {SECURITY_MANAGER}):
            continue
        loc = project.location(module, site.node)
        own = _project_tablenames(project)
        out = []
        for t in SECURITY_TABLES:
            if t.table in own:
                continue
            out.append(OrmModel(
                orm="sqlalchemy",
                class_name=t.cls,
                table=t.table,
                table_status="resolved",
                file=loc.path,
                line=loc.line,
                columns=tuple(FactColumn(n, typ, nullable, pk, unique, n in t.indexed) for n, typ, nullable, pk, unique in t.columns),
                foreign_keys=tuple(FactForeignKey(c, ref, on_delete=od) for c, ref, od in t.foreign_keys),
                kind=t.kind,
                base="flask_appbuilder.Model",
                options=(("registered_by", "flask_appbuilder"),),
            ))
        return tuple(out)
    return ()


def _project_tablenames(project: Project) -> set[str]:
    """``__tablename__`` values of the scanned application code's classes (literal strings).

    Migrations and tests are left out: migration scripts often declare a throw-away
    ``User`` class on ``ab_user`` to move data, which is no model of the application.
    """
    out: set[str] = set()
    for module, syms in project.source_symbols():
        for ci in syms.classes:
            if "__tablename__" not in ci.attributes:
                continue
            found = project.class_attribute(f"{module}.{ci.qualname}", "__tablename__")
            if found is None:
                continue
            value = found[1].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                out.add(value.value)
    return out


# ---------------------------------------------------------------------------------------------- helpers
def _shown(value: Any, key: str = "AUTH_TYPE") -> str:
    if key == "AUTH_TYPE" and isinstance(value, int) and not isinstance(value, bool) and value in AUTH_TYPES:
        return AUTH_TYPES[value]
    return repr(value)


def _imports_fab(project: Project, module: str) -> bool:
    syms = project.symbols.get(module)
    return syms is not None and any(b.target.split(".", 1)[0] == FAB for b in syms.bindings)


def _routed(method: str, include: Any, exclude: Any) -> bool:
    """Flask-AppBuilder's ``_register_urls`` filter (``in`` on a string is a substring test there too)."""
    if include is not None and method not in include:
        return False
    return not (exclude is not None and method in exclude)


def _join(prefix: str | None, rule: str) -> str:
    """Flask's ``BlueprintSetupState.add_url_rule`` joining of ``url_prefix`` and a rule."""
    if prefix is None:
        return rule
    if rule:
        return "/".join((prefix.rstrip("/"), rule.lstrip("/")))
    return prefix


def _names(target: ast.expr) -> set[str]:
    return {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}


def _pick(target: ast.expr, value: ast.expr, name: str) -> ast.expr | None:
    """The part of ``value`` that ``name`` gets in ``for target in [..., value, ...]``."""
    if isinstance(target, ast.Name):
        return value if target.id == name else None
    if isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (ast.Tuple, ast.List)) \
            and len(target.elts) == len(value.elts):
        for t, v in zip(target.elts, value.elts):
            if name in _names(t):
                return _pick(t, v, name)
    return None


