"""Phase 2 of the Flask analyzer: abstract interpretation of the per-file summaries.

Every module body is run once, in module order; calls to first-party functions
are followed with their parameters bound to the abstract arguments (depth
limited); functions that can register something but are never called from
scanned code (app factories started by a WSGI server, plugin hooks) are run
afterwards with unknown parameters.  The abstract values are:

* :class:`FObj` - a Flask app, blueprint, Flask-RESTful/RESTX ``Api`` or RESTX
  ``Namespace`` (also instances of project subclasses), identified by its
  creation site *and* the call chain that created it (a blueprint factory
  called twice gives two blueprints);
* :class:`Func`, :class:`ClassRef`, :class:`ModRef`, :class:`External` -
  references to functions, classes, modules and names of other packages;
* :class:`ViewOf` (``View.as_view(...)``), :class:`Wrapped` (``deco(view)``),
  :class:`Bound` (``bp.route``), :class:`Deco` (``bp.route("/x")``);
* :class:`Seq`/:class:`KwDict` for literal lists/tuples and ``**kwargs``;
* :class:`Const` - anything else, folded by :meth:`Project.evaluate`;
* :class:`Dyn` - a loop variable of a loop over data the scan cannot see.

The result is a set of registrations (routes on objects, blueprints on parents,
``Api`` bindings, namespaces, resources, ``before_request`` hooks) and
findings; :mod:`.flask_routes` composes them into routes.  Nothing is ever
guessed: what cannot be computed is kept as a ``{expr}`` placeholder.
"""

from __future__ import annotations

import ast
import copy
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Mapping

from ..model import Finding, Location, Severity, Unresolved
from ..project import Instance, Opaque, Project, Value
from ..visiting import call_arg
from .flask_summary import RELEVANT_ATTRS, Branch, Def, DefRef, FlaskSummary, Loop, Record, Stmt, With
from .flask_summary import return_values as _return_values

MAX_CALL_DEPTH = 8
MAX_UNROLL = 256
STEP_BUDGET = 400_000

APP_CLASSES = frozenset({"flask.Flask", "flask.app.Flask", "flask.sansio.app.App", "apiflask.APIFlask",
                         "apiflask.app.APIFlask"})
BLUEPRINT_CLASSES = frozenset({"flask.Blueprint", "flask.blueprints.Blueprint", "flask.sansio.blueprints.Blueprint",
                               "flask_smorest.Blueprint", "flask_smorest.blueprint.Blueprint", "apiflask.APIBlueprint",
                               "apiflask.blueprint.APIBlueprint"})
RESTFUL_API = frozenset({"flask_restful.Api"})
RESTX_API = frozenset({"flask_restx.Api", "flask_restx.api.Api", "flask_restplus.Api", "flask_restplus.api.Api"})
SMOREST_API = frozenset({"flask_smorest.Api"})
NAMESPACE_CLASSES = frozenset({"flask_restx.Namespace", "flask_restx.namespace.Namespace", "flask_restplus.Namespace",
                               "flask_restplus.namespace.Namespace"})
VIEW_CLASSES = frozenset({"flask.views.View", "flask.View"})
METHOD_VIEW_CLASSES = frozenset({"flask.views.MethodView", "flask.MethodView", "flask_restful.Resource",
                                 "flask_restx.Resource", "flask_restx.resource.Resource", "flask_restplus.Resource",
                                 "flask_restplus.resource.Resource"})
HTTP_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "trace")

ROUTE_DECORATORS = {"route": None, "get": "GET", "post": "POST", "put": "PUT", "delete": "DELETE", "patch": "PATCH"}
HOOKS = {"before_request": "blueprint", "before_app_request": "app"}
REGISTRARS = {
    "app": {"route", "get", "post", "put", "delete", "patch", "add_url_rule", "register_blueprint",
            "before_request"},
    "blueprint": {"route", "get", "post", "put", "delete", "patch", "add_url_rule", "register_blueprint",
                  "before_request", "before_app_request"},
    "api": {"add_resource", "resource", "route", "add_namespace", "namespace", "init_app", "register_blueprint"},
    "namespace": {"add_resource", "route"},
    "state": {"add_url_rule"},  # a project BlueprintSetupState (see Interpreter.setup_state_rules)
}
ROUTE_DECORATOR_ATTRS = frozenset(ROUTE_DECORATORS) | {"resource", "before_request", "before_app_request"}


# ---------------------------------------------------------------------------------------------- values
@dataclass(frozen=True)
class Text:
    """A (possibly partial) string: ``{expr}`` placeholders for the parts listed in ``unknowns``."""

    text: str
    unknowns: tuple[Unresolved, ...] = ()

    def __add__(self, other: "Text") -> "Text":
        return Text(self.text + other.text, self.unknowns + other.unknowns)


@dataclass(eq=False)
class FObj:
    """A Flask application, blueprint, ``Api`` or ``Namespace`` object."""

    kind: str  # app, blueprint, api, namespace
    flavor: str  # flask, restful, restx, smorest
    cls: str  # canonical class it was made from
    key: str
    name: str  # dotted display name
    module: str
    scope: str
    location: Location
    conditions: tuple[str, ...] = ()
    bp_name: Text | None = None  # Blueprint/Namespace name argument
    url_prefix: Text | None = None  # Blueprint url_prefix / Namespace path / Api prefix
    decorators: tuple[tuple[ast.expr, str, str], ...] = ()  # (expr, module, scope) of decorators=[...]
    overrides: tuple[str, ...] = ()  # registrar methods a project subclass overrides ("Cls.add_url_rule")
    attrs: dict[str, Any] = field(default_factory=dict)  # instance attributes set by project methods


@dataclass(eq=False)
class Func:
    qualname: str  # dotted module.qualname
    module: str
    rec: Def | None = None
    closure: "Frame | None" = None


@dataclass(frozen=True, eq=False)
class ClassRef:
    qualname: str


@dataclass(frozen=True, eq=False)
class ModRef:
    qualname: str


@dataclass(frozen=True, eq=False)
class External:
    qualname: str


@dataclass(frozen=True, eq=False)
class ViewOf:
    cls: ClassRef | External
    node: ast.Call


@dataclass(frozen=True, eq=False)
class Wrapped:
    inner: Any
    decorator: ast.expr
    module: str
    scope: str


@dataclass(frozen=True, eq=False)
class LambdaRef:
    qualname: str
    module: str
    line: int


@dataclass(frozen=True, eq=False)
class Bound:
    obj: FObj
    attr: str
    native: bool = False  # super().attr: Flask's own method, not a project override


@dataclass(frozen=True, eq=False)
class Super:
    """``super()`` inside a method of a project subclass of a Flask class."""

    obj: FObj


@dataclass(frozen=True, eq=False)
class ObjAttrs:
    """A snapshot of an object's attributes, for folding ``self.x`` in expressions."""

    attrs: tuple[tuple[str, Any], ...]


@dataclass(frozen=True, eq=False)
class AsView:
    cls: ClassRef | External


@dataclass(eq=False)
class Deco:
    """``bp.route("/x", ...)`` waiting for the function or class it decorates."""

    obj: FObj
    attr: str
    call: ast.Call
    frame: "Frame"
    site: Location
    conditions: tuple[str, ...]
    withs: tuple[str, ...]
    override: str = ""


@dataclass(frozen=True, eq=False)
class Seq:
    items: tuple[Any, ...]


@dataclass(frozen=True, eq=False)
class KwDict:
    items: tuple[tuple[str, Any], ...]


class Const:
    """Anything that is not a Flask object: folded by :meth:`Project.evaluate` on first use.

    Most values the interpreter meets are never needed as strings, so folding is
    lazy; the bindings visible where the expression was met are kept with it.
    """

    __slots__ = ("_value", "node", "_job", "_text", "loc")

    def __init__(self, value: Value | None = None, node: ast.expr | None = None,
                 job: "tuple[Interpreter, str, str, dict[str, Const]] | None" = None,
                 loc: Location | None = None) -> None:
        self._value = value
        self.node = node
        self._job = job
        self._text: str | None = None
        self.loc = loc

    @property
    def value(self) -> Value:
        if self._value is None:
            if self._job is None or self.node is None:
                self._value = Value("unresolved", None, ())
            else:
                interp, module, scope, env = self._job
                self._value = interp.fold(self.node, module, scope, env)
        return self._value

    @property
    def text(self) -> str:
        """Placeholder text for an unresolved call, with its arguments folded where possible."""
        if self._text is None:
            self._text = ""
            if self._job is not None and isinstance(self.node, ast.Call) and self.node.args \
                    and self.value.status == "unresolved":
                interp, module, scope, env = self._job
                self._text = interp.placeholder(self.node, module, scope, env)
        return self._text


class LazyEnv(Mapping[str, Value]):
    """Bindings for :meth:`Project.evaluate` that fold each :class:`Const` only when it is read."""

    def __init__(self, consts: "Mapping[str, Const | ObjAttrs]") -> None:
        self._consts = consts

    def __getitem__(self, key: str) -> Value:
        item = self._consts[key]
        if isinstance(item, ObjAttrs):
            out: dict[str, Any] = {}
            for k, v in item.attrs:
                if isinstance(v, Const) and v.value.ok:
                    out[k] = v.value.value
            return Value("resolved", out)
        return item.value

    def __contains__(self, key: object) -> bool:
        return key in self._consts

    def __iter__(self) -> Iterator[str]:
        return iter(self._consts)

    def __len__(self) -> int:
        return len(self._consts)


@dataclass(frozen=True, eq=False)
class Dyn:
    """A value taken from a loop over data the scan cannot enumerate."""

    loop: str  # source text of the iterable
    location: Location
    parts: tuple[str, ...] = ()  # the parts that could not be enumerated when others could


@dataclass(frozen=True, eq=False)
class Rest:
    """In an enumerated iterable: a part the scan cannot enumerate (``a + get_more()``)."""

    text: str
    mutation: bool = False  # added by items.append(...) in a loop the scan cannot enumerate


UNKNOWN = Const(Value("unresolved", None, ()))


# ------------------------------------------------------------------------------------- registrations
@dataclass(frozen=True)
class HandlerRef:
    """The view of a route: a function, a view/resource class, or an expression the scan cannot follow."""

    kind: str  # function, class, external, unknown
    qualname: str
    module: str = ""
    file: str = ""
    line: int = 0
    is_async: bool = False
    decorators: tuple[tuple[ast.expr, str, str], ...] = ()  # (expr, module, scope) of its decorators
    wrappers: tuple[tuple[ast.expr, str, str], ...] = ()  # view_func=login_required(view)


@dataclass(frozen=True)
class RouteReg:
    target: str  # FObj key
    rule: Text
    methods: tuple[str, ...] | None  # None: from the handler (class verbs) or GET
    handler: HandlerRef
    endpoint: str
    site: Location
    conditions: tuple[str, ...] = ()
    options: tuple[tuple[str, str], ...] = ()
    methods_unresolved: tuple[Unresolved, ...] = ()


@dataclass(frozen=True)
class BlueprintReg:
    parent: str  # FObj key; "" when registered on something the scan cannot resolve
    child: str
    url_prefix: Text | None
    site: Location
    conditions: tuple[str, ...] = ()
    parent_expr: str = ""
    name: str = ""
    options: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ApiBind:
    api: str
    target: str  # app or blueprint key
    site: Location
    conditions: tuple[str, ...] = ()


@dataclass(frozen=True)
class NamespaceReg:
    api: str
    ns: str
    path: Text | None
    site: Location
    conditions: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResourceReg:
    target: str  # api or namespace key
    handler: HandlerRef
    urls: tuple[Text, ...]
    endpoint: str
    site: Location
    conditions: tuple[str, ...] = ()
    options: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Hook:
    target: str
    handler: HandlerRef
    scope: str  # blueprint (its own routes) or app (every route of the app)
    site: Location


# ---------------------------------------------------------------------------------------------- frames
class Frame:
    """One activation: module, scope (qualname), bindings, lexical parent and call-chain key."""

    __slots__ = ("module", "scope", "key", "env", "parent", "conditions", "depth", "returns", "cur_conds",
                 "cur_withs", "cur_target", "loops", "iteration", "settled", "branches", "site", "withs", "exit",
                 "dyn_loops")

    def __init__(self, module: str, scope: str, key: str, env: dict[str, Any] | None = None,
                 parent: "Frame | None" = None, conditions: tuple[str, ...] = (), depth: int = 0) -> None:
        self.module = module
        self.scope = scope
        self.key = key
        self.env: dict[str, Any] = env or {}
        self.parent = parent
        self.conditions = conditions
        self.depth = depth
        self.returns: list[Any] = []
        self.cur_conds: tuple[str, ...] = conditions
        self.cur_withs: tuple[str, ...] = ()
        self.cur_target: tuple[ast.expr, str] | None = None
        self.loops = 0
        self.iteration = ""  # "[line:i]..." of the unrolled loop iterations being run (part of object keys)
        self.settled: set[str] = set()  # if-tests known to hold in the branch being run (not shown as conditions)
        self.branches = 0  # depth of if-branches being run (module-level names are bound there too)
        self.site: Location | None = None  # registration site to report (the call of an inlined override)
        self.withs: tuple[str, ...] = ()  # with-contexts of the call site (inlined overrides)
        self.exit = ""  # "continue"/"break"/"return"/"raise" once a branch with a folded test left the block
        self.dyn_loops = 0  # depth of loops over data the scan cannot enumerate being run (once)

    def conds(self, own: tuple[str, ...]) -> tuple[str, ...]:
        out = self.conditions + own
        return tuple(c for c in out if c not in self.settled) if self.settled else out

    def const_env(self) -> dict[str, "Const"]:
        """The constants bound in this frame and its lexical parents (inner bindings win)."""
        out: dict[str, Const] = {}
        chain = []
        f: Frame | None = self
        while f is not None:
            chain.append(f)
            f = f.parent
        for fr in reversed(chain):
            for k, v in fr.env.items():
                if isinstance(v, Const):
                    out[k] = v
                elif isinstance(v, FObj) and v.attrs:
                    out[k] = ObjAttrs(tuple(v.attrs.items()))  # type: ignore[assignment]
                elif k in out:
                    del out[k]
        return out


class _Budget(Exception):
    pass


# ---------------------------------------------------------------------------------------------- interpreter
@dataclass
class Registrations:
    """Everything the interpretation found."""

    objects: dict[str, FObj] = field(default_factory=dict)
    routes: dict[tuple[Any, ...], RouteReg] = field(default_factory=dict)
    blueprints: dict[tuple[Any, ...], BlueprintReg] = field(default_factory=dict)
    api_binds: dict[tuple[Any, ...], ApiBind] = field(default_factory=dict)
    namespaces: dict[tuple[Any, ...], NamespaceReg] = field(default_factory=dict)
    resources: dict[tuple[Any, ...], ResourceReg] = field(default_factory=dict)
    hooks: dict[tuple[Any, ...], Hook] = field(default_factory=dict)
    findings: dict[tuple[Any, ...], Finding] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


class Interpreter:
    """Runs the summaries of every module (see the module docstring)."""

    def __init__(self, project: Project, summaries: Mapping[str, FlaskSummary]) -> None:
        self.p = project
        self.summaries = {m: s for m, s in summaries.items() if isinstance(s, FlaskSummary)}
        self.out = Registrations()
        self.defs: dict[str, tuple[str, Def]] = {}
        for module, summary in self.summaries.items():
            for rec in summary.defs:
                if rec.indexed:
                    self.defs[f"{module}.{rec.qualname}"] = (module, rec)
        self._alias_map: dict[str, set[str]] | None = None
        self._relevant = self._relevance()
        self._globals: dict[str, Any] = {}
        self._in_progress: set[str] = set()
        self._calls: dict[str, Any] = {}
        self._closures: dict[str, Frame] = {}
        self._module_frames: dict[str, Frame] = {}
        self.executed: set[str] = set()
        self.steps = 0
        self._kind_cache: dict[str, tuple[str, str] | None] = {}
        self._override_cache: dict[tuple[str, str], str] = {}
        self._quick: dict[str, Any] = {}
        self._bound: dict[tuple[str, str, str], bool] = {}
        self._states: dict[tuple[str, str | None, str], list[Text] | None] = {}
        self._iter_guard: set[int] = set()
        self._captured: list[Text] = []

    # ------------------------------------------------------------------ setup
    def _relevance(self) -> set[str]:
        """Functions worth running: they register, create Flask objects or call such functions (by name)."""
        creators = {"Flask", "Blueprint", "Api", "Namespace", "APIFlask", "APIBlueprint"}
        # project subclasses, by name (an over-approximation is harmless here and needs no resolution)
        classes = [(c.name, {_tail(b) for b in c.bases}) for _, _, c in self.p.classes()]
        grown = True
        while grown:
            grown = False
            for name, bases in classes:
                if name not in creators and bases & creators:
                    creators.add(name)
                    grown = True
        calls_of: dict[str, set[str]] = {}
        relevant: set[str] = set()
        for q, (_, rec) in self.defs.items():
            if rec.kind != "function":
                continue
            # the visitor recorded what the body uses (rec.body itself is unpickled only if it runs)
            names = set(rec.calls)
            if rec.attr_hit or not names.isdisjoint(creators):
                relevant.add(q)
            else:
                calls_of[q] = names
        aliases = self._aliases()
        changed = True
        rel_names = {q.rsplit(".", 1)[-1] for q in relevant}
        for q in relevant:
            rel_names |= aliases.get(q, set())
        while changed:
            changed = False
            for q, names in list(calls_of.items()):
                if names & rel_names:
                    relevant.add(q)
                    rel_names.add(q.rsplit(".", 1)[-1])
                    rel_names |= aliases.get(q, set())
                    del calls_of[q]
                    changed = True
        return relevant

    def _aliases(self) -> dict[str, set[str]]:
        """Function qualname -> other names it is imported as (``import x as y``)."""
        if self._alias_map is None:
            out: dict[str, set[str]] = {}
            for syms in self.p.symbols.values():
                for b in syms.bindings:
                    if b.target in self.defs and b.name != b.target.rsplit(".", 1)[-1]:
                        out.setdefault(b.target, set()).add(b.name)
            self._alias_map = out
        return self._alias_map

    # ------------------------------------------------------------------ driver
    def run(self) -> Registrations:
        try:
            for module in sorted(self.summaries):
                self._guarded(module, lambda: self.exec_block(self.summaries[module].body, self.module_frame(module)))
            pending = [q for q in sorted(self._relevant) if q not in self.executed]
            called = self._called(pending)
            order = sorted(pending, key=lambda q: (q in called, q.count("<locals>"), q))
            for q in order:
                if q in self.executed:
                    continue
                module, rec = self.defs[q]
                func = Func(q, module, rec, self._closures.get(q))
                self._guarded(q, lambda: self.call(func, None, None, fallback=True))
        except _Budget:
            self.out.notes.append(f"the Flask analysis stopped after {STEP_BUDGET} steps; some routes may be missing")
        return self.out

    def _guarded(self, what: str, step: Any) -> None:
        """Run one module body or function; a recursion limit loses that one only (and says so)."""
        try:
            step()
        except RecursionError:
            self._iter_guard.clear()
            self.out.notes.append(f"the Flask analysis of {what} hit a recursion limit; some routes may be missing")

    def _called(self, pending: list[str]) -> set[str]:
        """Pending functions that some scanned call site names (so they run when their caller runs)."""
        by_name: dict[str, set[str]] = {}
        aliases = self._aliases()
        for q in pending:
            for name in {q.rsplit(".", 1)[-1]} | aliases.get(q, set()):
                by_name.setdefault(name, set()).add(q)
        out: set[str] = set()
        for module in self.summaries:  # callers elsewhere never run, so they do not count
            syms = self.p.symbols.get(module)
            if syms is None:
                continue
            for c in syms.calls:
                last = c.callee.rsplit(".", 1)[-1]
                if last not in by_name:
                    continue
                target = self.p.resolve_name(module, c.callee, c.scope)
                if target in by_name[last]:
                    caller = f"{module}.{c.scope}" if c.scope else ""
                    if caller != target:
                        out.add(target)
        return out

    def module_frame(self, module: str) -> Frame:
        f = self._module_frames.get(module)
        if f is None:
            f = Frame(module, "", "")
            self._module_frames[module] = f
        return f

    # ------------------------------------------------------------------ statements
    def exec_block(self, body: Iterable[Record], frame: Frame) -> None:
        for rec in body:
            if frame.exit:
                return
            self.steps += 1
            if self.steps > STEP_BUDGET:
                raise _Budget()
            if isinstance(rec, Stmt):
                frame.cur_conds = frame.conds(rec.conditions)
                frame.cur_withs = rec.withs
                self.exec_stmt(rec, frame)
            elif isinstance(rec, Loop):
                frame.cur_conds = frame.conds(rec.conditions)
                self.exec_loop(rec, frame)
            elif isinstance(rec, DefRef):
                d = self.summaries[frame.module].defs[rec.index]
                frame.cur_conds = frame.conds(d.conditions)
                frame.cur_withs = d.withs
                self.exec_def(d, frame)
            elif isinstance(rec, Def):
                frame.cur_conds = frame.conds(rec.conditions)
                frame.cur_withs = rec.withs
                self.exec_def(rec, frame)
            elif isinstance(rec, Branch):
                frame.cur_conds = frame.conds(rec.conditions)
                self.exec_branch(rec, frame)
            elif isinstance(rec, With):
                frame.cur_conds = frame.conds(rec.conditions)
                self.exec_with(rec, frame)

    def exec_with(self, rec: With, frame: Frame) -> None:
        """``with``: a project ``@contextmanager`` runs up to its ``yield``, then the body, then the rest."""
        rests: list[tuple[Frame, tuple[Record, ...]]] = []
        for expr, target in zip(rec.items, rec.targets):
            rest = self.enter_context(expr, frame) if isinstance(expr, ast.Call) else None
            if rest is not None:
                rests.append(rest)
            elif not isinstance(expr, ast.Call):
                self.eval(expr, frame)
            if target is not None:
                self.bind(target, UNKNOWN, frame)
        self.exec_block(rec.body, frame)
        for gen_frame, records in reversed(rests):
            self.exec_block(records, gen_frame)

    def enter_context(self, node: ast.Call, frame: Frame) -> tuple[Frame, tuple[Record, ...]] | None:
        callee = self.eval(node.func, frame)
        func: Func | None = None
        self_obj: Any = None
        if isinstance(callee, Bound):
            owner = self.override_of(callee.obj, callee.attr)
            found = self.defs.get(owner) if owner else None
            if found is not None:
                func, self_obj = Func(owner, found[0], found[1]), callee.obj
        elif isinstance(callee, Func):
            func = callee
        rec = func.rec or (self.defs.get(func.qualname, (None, None))[1]) if func is not None else None
        if func is None or rec is None or rec.args is None or not any(
                _dotted(d).rsplit(".", 1)[-1] == "contextmanager" for d in rec.decorators):
            self.eval(node, frame)
            return None
        split = next((i for i, r in enumerate(rec.body) if isinstance(r, Stmt) and r.kind == "yield"), len(rec.body))
        env = self.bind_params(rec, node, frame, None, self_obj, func.module)
        gen = Frame(func.module, rec.qualname, f"{frame.key}{frame.iteration}|{frame.module}:{node.lineno}:with",
                    env, func.closure, frame.cur_conds, frame.depth + 1)
        gen.site, gen.withs = frame.site, frame.withs
        self.exec_block(rec.body[:split], gen)
        return gen, rec.body[split + 1:]

    def exec_branch(self, rec: Branch, frame: Frame) -> None:
        """Run the branch a folded test selects; with an unknown test run both, each from the same bindings."""
        frame.branches += 1
        try:
            self._exec_branch(rec, frame)
        finally:
            frame.branches -= 1

    def _exec_branch(self, rec: Branch, frame: Frame) -> None:
        test = self.eval(rec.test, frame)
        text = _unparse(rec.test)
        if isinstance(test, (FObj, Func, ClassRef, ViewOf)):
            test = Const(Value("resolved", True))
        if isinstance(test, Const) and test.value.ok and not test.value.env_overridable:
            taken, settled = (rec.body, text) if test.value.value else (rec.orelse, f"not ({text})")
            exit_kind = rec.body_exit if test.value.value else rec.orelse_exit
            added = settled not in frame.settled
            frame.settled.add(settled)
            try:
                self.exec_block(taken, frame)
            finally:
                if added:
                    frame.settled.discard(settled)
            if exit_kind and not frame.exit:
                frame.exit = exit_kind
            return
        before = dict(frame.env)
        self.exec_block(rec.body, frame)
        after_body = frame.env
        frame.env = dict(before)
        self.exec_block(rec.orelse, frame)
        after_else = frame.env
        if rec.body_exit and not rec.orelse_exit:
            return  # only the else-branch reaches the code after the if
        if rec.orelse_exit and not rec.body_exit:
            frame.env = after_body
            return
        merged: dict[str, Any] = {}
        for k in set(after_body) | set(after_else):
            a, b = after_body.get(k), after_else.get(k)
            if a is b:
                merged[k] = a
            else:
                loc = self.p.location(frame.module, rec.test)
                merged[k] = Const(Value("unresolved", None, (Unresolved(k, f"set differently in the branches of 'if {text}'", loc),)),
                                  ast.Name(k))
        frame.env = merged

    def exec_stmt(self, rec: Stmt, frame: Frame) -> None:
        node = rec.node
        if rec.kind == "assign":
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]  # type: ignore[attr-defined]
            value_node = node.value  # type: ignore[attr-defined]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            name_target = names[0] if names else ""  # a = b = Blueprint(...) is named after a
            frame.cur_target = (value_node, name_target) if name_target else None
            try:
                value = self.eval(value_node, frame)
            finally:
                frame.cur_target = None
            if frame.scope or frame.loops or frame.branches or (name_target and self._rebound(frame.module, name_target)):
                for t in targets:
                    self.bind(t, value, frame)
            else:
                for t in targets:
                    if isinstance(t, ast.Attribute):
                        self.bind(t, value, frame)
        elif rec.kind == "augassign":
            aug: ast.AugAssign = node  # type: ignore[assignment]
            assert isinstance(aug.target, ast.Name)  # only simple names are kept by the summary
            name = aug.target.id
            combined = ast.BinOp(left=ast.Name(name, ast.Load()), op=aug.op, right=aug.value)
            ast.copy_location(combined, aug)
            ast.copy_location(combined.left, aug.target)
            combined.end_lineno, combined.end_col_offset = aug.end_lineno, aug.end_col_offset
            owner = self._env_frame(name, frame)
            if owner is not None and isinstance(owner.env[name], Seq) and isinstance(aug.op, ast.Add):
                more = self.loop_items(aug.value, frame)
                added = more if more is not None and not frame.dyn_loops else [Rest(_unparse(aug), True)]
                owner.env[name] = Seq(owner.env[name].items + tuple(added))
            elif frame.scope or frame.loops or frame.branches:
                frame.env[name] = self.const(combined, frame)
        elif rec.kind == "expr":
            value_node = node.value  # type: ignore[attr-defined]
            if isinstance(value_node, ast.Await):
                value_node = value_node.value
            self.eval(value_node, frame)
        elif rec.kind == "return":
            frame.returns.append(self.eval(node.value, frame))  # type: ignore[attr-defined]

    def bind(self, target: ast.expr, value: Any, frame: Frame) -> None:
        if isinstance(target, ast.Name):
            frame.env[target.id] = value
        elif isinstance(target, ast.Attribute):
            owner = self.eval(target.value, frame)
            if isinstance(owner, FObj):
                owner.attrs[target.attr] = value
        elif isinstance(target, (ast.Tuple, ast.List)):
            items: list[Any] | None = None
            if isinstance(value, Seq) and len(value.items) == len(target.elts):
                items = list(value.items)
            elif isinstance(value, Const) and value.value.ok and isinstance(value.value.value, (list, tuple)) \
                    and len(value.value.value) == len(target.elts):
                items = [Const(Value("resolved", v)) for v in value.value.value]
            for i, t in enumerate(target.elts):
                if isinstance(t, ast.Starred):
                    self.bind(t.value, UNKNOWN, frame)
                elif items is not None:
                    self.bind(t, items[i], frame)
                else:
                    self.bind(t, value if isinstance(value, Dyn) else UNKNOWN, frame)

    def exec_loop(self, rec: Loop, frame: Frame) -> None:
        if rec.iter is None or rec.target is None:
            frame.dyn_loops += 1
            try:
                self.exec_block(rec.body, frame)
            finally:
                frame.dyn_loops -= 1
            if frame.exit in ("continue", "break"):
                frame.exit = ""
            return
        items = self.loop_items(rec.iter, frame)
        frame.loops += 1
        try:
            rests = list(dict.fromkeys(x.text for x in items if isinstance(x, Rest))) if items is not None else []
            if items is None or rests:
                dyn = Dyn(_unparse(rec.iter), self.p.location(frame.module, rec.iter), tuple(rests))
                self.bind(rec.target, dyn, frame)
                frame.dyn_loops += 1
                try:
                    self.exec_block(rec.body, frame)
                finally:
                    frame.dyn_loops -= 1
                if frame.exit in ("continue", "break"):
                    frame.exit = ""
            if items is not None:
                items = [x for x in items if not isinstance(x, Rest)]
                saved = frame.iteration
                try:
                    for i, item in enumerate(items[:MAX_UNROLL]):
                        frame.iteration = f"{saved}[{rec.line}:{i}]"
                        self.bind(rec.target, item, frame)
                        self.exec_block(rec.body, frame)
                        if frame.exit in ("continue", "break"):
                            stop, frame.exit = frame.exit == "break", ""
                            if stop:
                                break
                        elif frame.exit:
                            break
                finally:
                    frame.iteration = saved
        finally:
            frame.loops -= 1

    def loop_items(self, node: ast.expr, frame: Frame, depth: int = 0) -> list[Any] | None:
        """The items a ``for`` loop runs over, when the scan can enumerate them (else None)."""
        if depth > 8:
            return None
        if isinstance(node, (ast.Name, ast.Attribute)):
            if id(node) in self._iter_guard:
                return None  # MODULES = [m for m in MODULES ...]: a name defined through itself
            self._iter_guard.add(id(node))
            try:
                return self._name_items(node, frame, depth)
            finally:
                self._iter_guard.discard(id(node))
        return self._expr_items(node, frame, depth)

    def _name_items(self, node: ast.Name | ast.Attribute, frame: Frame, depth: int) -> list[Any] | None:
        v = self.eval(node, frame)
        if isinstance(v, Seq):
            return list(v.items)
        if isinstance(v, Const) and v._job is not None and v.node is not None and v.node is not node:
            _, module, scope, env = v._job
            items = self.loop_items(v.node, Frame(module, scope, "", dict(env)), depth + 1)
            if items is not None:
                return items
        name = _dotted(node)
        if isinstance(v, Const) and name and not self._in_env(name.split(".")[0], frame):
            d = self.p.lookup(self.p.resolve_name(frame.module, name, frame.scope))
            if d.kind == "assignment" and d.obj.value is not None and d.obj.op == "=" \
                    and d.obj.value is not node:
                items = self.loop_items(d.obj.value, Frame(d.module, d.obj.scope, ""), depth + 1)
                if items is not None:
                    return items
        return self._expr_items(node, frame, depth)

    def _expr_items(self, node: ast.expr, frame: Frame, depth: int) -> list[Any] | None:
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            if any(isinstance(e, ast.Starred) for e in node.elts):
                v = self.eval(node, frame)
                return list(v.items) if isinstance(v, Seq) else None
            return [self.eval(e, frame) for e in node.elts]
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = self.loop_items(node.left, frame, depth), self.loop_items(node.right, frame, depth)
            if left is None and right is None:
                return None
            return (left if left is not None else [Rest(_unparse(node.left))]) + (
                right if right is not None else [Rest(_unparse(node.right))])
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in ("items", "keys", "values") and not node.args \
                    and not node.keywords:
                base = self.eval(func.value, frame)
                if isinstance(base, KwDict):
                    pairs = [(k, v) for k, v in base.items]
                    return [Seq((Const(Value("resolved", k)), v)) if func.attr == "items" else
                            (Const(Value("resolved", k)) if func.attr == "keys" else v) for k, v in pairs]
                if isinstance(base, Const) and base.value.ok and isinstance(base.value.value, dict):
                    mapping: dict[Any, Any] = base.value.value
                    values = list(mapping.items()) if func.attr == "items" else list(mapping.keys()) \
                        if func.attr == "keys" else list(mapping.values())
                    return [_const_item(x) for x in values]
                return None
            name = _dotted(func)
            qual = self.p.resolve_name(frame.module, name, frame.scope) if name else ""
            if qual in ("itertools.chain",):
                out: list[Any] = []
                known = False
                for a in node.args:
                    part = self.loop_items(a, frame, depth + 1)
                    known = known or part is not None
                    out.extend(part if part is not None else [Rest(_unparse(a))])
                return out if known else None
            if qual in ("builtins.list", "builtins.tuple", "builtins.sorted", "builtins.reversed") and len(node.args) == 1:
                items = self.loop_items(node.args[0], frame, depth + 1)
                if items is not None and qual == "builtins.reversed":
                    items = list(reversed(items))
                return items
            if self.p.first_party(qual):
                items = self.enumerate_call(qual, node, frame, depth)
                if items is not None:
                    return items
            if qual == "builtins.enumerate" and len(node.args) == 1:
                items = self.loop_items(node.args[0], frame, depth + 1)
                if items is None:
                    return None
                return [Seq((Const(Value("resolved", i)), it)) for i, it in enumerate(items)]
        v = self.eval(node, frame)
        if isinstance(v, Seq):
            return list(v.items)
        if isinstance(v, Const) and v.value.ok and isinstance(v.value.value, (list, tuple, dict, set, frozenset)):
            value = v.value.value
            if isinstance(value, (set, frozenset)):
                value = sorted(value, key=repr)
            return [_const_item(x) for x in value]
        return None

    def _rebound(self, module: str, name: str) -> bool:
        """A module-level name assigned more than once: later statements of the module see the latest value."""
        syms = self.p.symbols.get(module)
        return syms is not None and len(syms.module_level(name)) > 1

    def enumerate_call(self, qual: str, node: ast.Call, frame: Frame, depth: int) -> list[Any] | None:
        """Items of ``for x in helper(...)`` when the helper returns one enumerable expression."""
        found = self.defs.get(qual)
        if frame.depth >= MAX_CALL_DEPTH:
            return None
        if found is None:
            # a module the summaries skip (nothing Flask-looking in it): its one-line functions still count
            d = self.p.lookup(qual)
            if d.kind != "function" or d.obj.single_return is None:
                return None
            info = d.obj
            ret = ast.Return(info.single_return, lineno=info.line, col_offset=0)
            rec0 = Def("function", info.name, info.qualname, info.line, (), arguments=info.args,
                       inline=(Stmt("return", ret, info.line),))
            found = (d.module, rec0)
        module, rec = found
        if rec.kind != "function" or rec.args is None:
            return None
        returns = [r for r in rec.body if isinstance(r, Stmt) and r.kind == "return"]
        if len(returns) != 1:
            return None
        env = self.bind_params(rec, node, frame, None, None, module)
        inner = Frame(module, rec.qualname, f"{frame.key}{frame.iteration}|{frame.module}:{node.lineno}:iter", env,
                      self._closures.get(qual), frame.cur_conds, frame.depth + 1)
        self.exec_block([r for r in rec.body if r is not returns[0]], inner)
        items = self.loop_items(returns[0].node.value, inner, depth + 1)  # type: ignore[attr-defined]
        if items is None:
            return None
        out: list[Any] = []
        for x in items:  # what the helper could not enumerate is reported as the helper call
            if isinstance(x, Rest) and x.mutation:
                x = Rest(_unparse(node))
                if out and isinstance(out[-1], Rest) and out[-1].text == x.text:
                    continue
            out.append(x)
        return out

    @staticmethod
    def _in_env(name: str, frame: Frame) -> bool:
        f: Frame | None = frame
        while f is not None:
            if name in f.env:
                return True
            f = f.parent
        return False

    def exec_def(self, rec: Def, frame: Frame) -> None:
        qual = f"{frame.module}.{rec.qualname}"
        value: Any
        if rec.kind == "function":
            value = Func(qual, frame.module, rec, frame if frame.scope else None)
            if frame.scope:
                self._closures[qual] = frame
        else:
            value = ClassRef(qual)
        if frame.scope or frame.loops:
            frame.env[rec.name] = value
        if not rec.decorators:
            return
        handler = self.handler_of_def(rec, frame)
        for i, dec in enumerate(rec.decorators):
            d = self.eval(dec, frame)
            if isinstance(d, Deco):
                self.apply_deco(d, handler, value)
            elif isinstance(d, Bound) and d.attr in HOOKS and d.obj.kind in ("app", "blueprint"):
                self.add_hook(d.obj, handler, d.attr, self.p.location(frame.module, dec))
            elif isinstance(d, Func) and d.qualname in self._relevant and rec.kind == "function":
                self.call(d, None, frame, args=[value], site_key=f"{frame.module}:{rec.line}:@{i}")

    # ------------------------------------------------------------------ expressions
    def eval(self, node: ast.expr, frame: Frame) -> Any:
        t = type(node)
        if t is ast.Name:
            v = self.lookup(node.id, frame)  # type: ignore[attr-defined]
        elif t is ast.Attribute:
            base = self.eval(node.value, frame)  # type: ignore[attr-defined]
            v = self.getattr(base, node.attr, frame)  # type: ignore[attr-defined]
        elif t is ast.Call:
            return self.eval_call(node, frame)  # type: ignore[arg-type]
        elif t in (ast.List, ast.Tuple, ast.Set):
            return self.eval_seq(node.elts, frame)  # type: ignore[attr-defined]
        elif t is ast.ListComp or t is ast.GeneratorExp:
            return self.eval_comp(node, frame)  # type: ignore[arg-type]
        elif t is ast.Starred or t is ast.Await:
            return self.eval(node.value, frame)  # type: ignore[attr-defined]
        elif isinstance(node, ast.Compare) and _is_none_test(node):
            left = self.eval(node.left, frame)
            if isinstance(left, (FObj, Func, ClassRef, ViewOf, Wrapped, LambdaRef, Seq, KwDict, Bound)):
                return Const(Value("resolved", isinstance(node.ops[0], ast.IsNot)))
            v = None
        elif t is ast.Lambda:
            scope = frame.scope + ".<locals>." if frame.scope else ""
            return LambdaRef(f"{frame.module}.{scope}<lambda>", frame.module, node.lineno)
        else:
            v = None
        if v is None or (isinstance(v, Const) and v.node is None):
            return self.const(node, frame)
        return v

    def const(self, node: ast.expr, frame: Frame) -> Const:
        loc = self.p.location(frame.module, node) if isinstance(node, ast.Call) else None
        return Const(None, node, (self, frame.module, frame.scope, frame.const_env()), loc)

    def fold(self, node: ast.expr, module: str, scope: str, env: "Mapping[str, Const | ObjAttrs]") -> Value:
        try:
            return self.p.evaluate(module, node, scope, LazyEnv(env))
        except RecursionError:
            return Value("unresolved", None, ())

    def eval_seq(self, elts: list[ast.expr], frame: Frame) -> Any:
        items: list[Any] = []
        for e in elts:
            if isinstance(e, ast.Starred):
                v = self.eval(e.value, frame)
                if isinstance(v, Seq):
                    items.extend(v.items)
                elif isinstance(v, Const) and v.value.ok and isinstance(v.value.value, (list, tuple)):
                    items.extend(Const(Value("resolved", x)) for x in v.value.value)
                else:
                    return v if isinstance(v, Dyn) else UNKNOWN
            else:
                items.append(self.eval(e, frame))
        return Seq(tuple(items))

    def eval_comp(self, node: ast.ListComp | ast.GeneratorExp, frame: Frame) -> Any:
        if len(node.generators) != 1 or node.generators[0].ifs or node.generators[0].is_async:
            return UNKNOWN
        gen = node.generators[0]
        items = self.loop_items(gen.iter, frame)
        if items is None or any(isinstance(x, Rest) for x in items):
            return UNKNOWN
        saved = dict(frame.env)
        out = []
        try:
            for item in items[:MAX_UNROLL]:
                self.bind(gen.target, item, frame)
                out.append(self.eval(node.elt, frame))
        finally:
            frame.env = saved
        return Seq(tuple(out))

    def lookup(self, name: str, frame: Frame) -> Any:
        f: Frame | None = frame
        while f is not None:
            if name in f.env:
                return f.env[name]
            f = f.parent
        key = (frame.module, name, frame.scope)
        bound = self._bound.get(key)
        if bound is None:
            bound = self._bound[key] = self.p.binding(frame.module, name, frame.scope) is not None
        if not bound:
            if name in ("True", "False", "None"):
                return None
            qual = self.p.resolve_name(frame.module, name, frame.scope)
            if qual.startswith("builtins."):
                return External(qual)
            return None
        qual = self.p.resolve_name(frame.module, name, frame.scope)
        return self.global_value(qual, frame)

    def global_value(self, qual: str, frame: Frame | None = None) -> Any:
        if qual in self._globals:
            return self._globals[qual]
        if qual in self._in_progress:
            return None
        d = self.p.lookup(qual)
        if d.kind == "function":
            rec = self.defs.get(qual)
            return Func(qual, d.module, rec[1] if rec else None, self._closures.get(qual))
        if d.kind == "class":
            return ClassRef(qual)
        if d.kind == "module":
            return ModRef(qual)
        if d.kind == "assignment":
            a = d.obj
            if "<locals>" in qual or a.value is None or a.op != "=":
                return None  # a function local the frame did not bind: a constant (folded by the caller)
            self._in_progress.add(qual)
            try:
                mframe = Frame(d.module, a.scope, "")
                mframe.cur_conds = tuple(
                    (_unparse(t) if b else f"not ({_unparse(t)})") for t, b in a.conditions)
                mframe.cur_target = (a.value, qual.rsplit(".", 1)[-1])
                v = self.eval(a.value, mframe)
            finally:
                self._in_progress.discard(qual)
            if isinstance(v, Const):
                v = None  # a constant: callers fold the name where they meet it
            self._globals[qual] = v
            return v
        if d.module:
            # attribute of an object defined in a module, e.g. pkg.api.ns
            mod, rest = self.p._module_prefix(qual)
            parts = rest.split(".")
            for i in range(len(parts) - 1, 0, -1):
                owner = f"{mod}." + ".".join(parts[:i])
                kind = self.p.lookup(owner).kind
                if kind == "assignment":
                    self._in_progress.add(qual)
                    try:
                        base = self.global_value(owner)
                        for attr in parts[i:]:
                            base = self.getattr(base, attr, frame or self.module_frame(mod))
                    finally:
                        self._in_progress.discard(qual)
                    return base
                if kind in ("class", "function"):
                    return None  # an attribute the class body does not define (inherited or set elsewhere)
            return None
        if self.p.first_party(qual):
            return None
        return External(qual)

    def getattr(self, base: Any, attr: str, frame: Frame) -> Any:
        if isinstance(base, FObj):
            if attr in base.attrs:
                return base.attrs[attr]
            return Bound(base, attr)
        if isinstance(base, Super):
            return Bound(base.obj, attr, native=True)
        if isinstance(base, ModRef):
            return self.global_value(f"{base.qualname}.{attr}", frame)
        if isinstance(base, ClassRef):
            if attr == "as_view":
                return AsView(base)
            return self.global_value(f"{base.qualname}.{attr}", frame)
        if isinstance(base, External):
            if attr == "as_view":
                return AsView(base)
            return External(f"{base.qualname}.{attr}")
        if isinstance(base, Dyn):
            return base
        return None

    # ------------------------------------------------------------------ calls
    def eval_call(self, node: ast.Call, frame: Frame) -> Any:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in _LIST_MUTATORS and isinstance(func.value, ast.Name):
            owner = self._env_frame(func.value.id, frame)
            if owner is not None and isinstance(owner.env[func.value.id], Seq):
                self.mutate(owner, func.value.id, func.attr, node, frame)
                return UNKNOWN
        callee = self.eval(func, frame)
        if isinstance(callee, Bound):
            return self.obj_method(callee.obj, callee.attr, node, frame, callee.native)
        if isinstance(callee, External) and callee.qualname == "builtins.super":
            me = self._self_of(frame)
            return Super(me) if me is not None else UNKNOWN
        if isinstance(callee, AsView):
            return ViewOf(callee.cls, node)
        if isinstance(callee, ClassRef):
            kind = self.creator_kind(callee.qualname)
            if kind is not None:
                return self.create(kind[0], kind[1], callee.qualname, node, frame)
            return self.const(node, frame)
        if isinstance(callee, External):
            kind = self.creator_kind(callee.qualname)
            if kind is not None:
                return self.create(kind[0], kind[1], callee.qualname, node, frame)
        if isinstance(callee, Func):
            if callee.qualname in self._relevant:
                return self.call(callee, node, frame)
            wrapped = self.wrapped_or_const(node, frame)
            if isinstance(wrapped, Wrapped):
                return wrapped
            obj = self.quick_return(callee)
            return obj if obj is not None else wrapped
        if isinstance(callee, Dyn):
            return callee
        if isinstance(func, ast.Attribute) and func.attr == "register_blueprint" and not isinstance(callee, Func):
            # registered on something the scan cannot resolve (a parameter, current_app, ...)
            child_expr = call_arg(node, 0, "blueprint")
            child = self.eval(child_expr, frame) if child_expr is not None else None
            if isinstance(child, FObj) and child.kind == "blueprint":
                self._bp_reg(None, child, node, frame, parent_expr=_unparse(func.value))
        return self.wrapped_or_const(node, frame)

    @staticmethod
    def _env_frame(name: str, frame: Frame) -> Frame | None:
        f: Frame | None = frame
        while f is not None:
            if name in f.env:
                return f
            f = f.parent
        return None

    def mutate(self, owner: Frame, name: str, method: str, node: ast.Call, frame: Frame) -> None:
        """``items.append(x)`` / ``items.extend(xs)`` on a list the frame tracks (else it becomes unknown)."""
        seq: Seq = owner.env[name]
        added: list[Any]
        if method == "append" and len(node.args) == 1:
            added = [self.eval(node.args[0], frame)]
        elif method == "extend" and len(node.args) == 1:
            more = self.loop_items(node.args[0], frame)
            added = more if more is not None else [Rest(_unparse(node.args[0]))]
        else:
            owner.env[name] = UNKNOWN  # insert/remove/pop/clear/sort: the contents are no longer known
            return
        if frame.dyn_loops:
            added = [Rest(_unparse(node), True)]  # added once per item of a loop the scan cannot enumerate
        owner.env[name] = Seq(seq.items + tuple(added))

    def _self_of(self, frame: Frame) -> FObj | None:
        """The object bound to the first parameter of the method being run (for ``super()``)."""
        found = self.defs.get(f"{frame.module}.{frame.scope}")
        if found is None or found[1].args is None:
            return None
        params = found[1].args.posonlyargs + found[1].args.args
        me = frame.env.get(params[0].arg) if params else None
        return me if isinstance(me, FObj) else None

    def quick_return(self, func: Func) -> Any:
        """A Flask object a function without registrations returns by name (``def get_app(): return app``)."""
        if func.qualname in self._quick:
            return self._quick[func.qualname]
        self._quick[func.qualname] = None
        found = self.defs.get(func.qualname)
        result: FObj | Func | None = None
        if found is not None and found[1].kind == "function":
            module, rec = found
            for value in rec.name_returns:  # the header keeps them: the body stays pickled
                if isinstance(value, (ast.Name, ast.Attribute)):
                    v = self.eval(value, Frame(module, rec.qualname, "", {}, func.closure))
                    if isinstance(v, FObj):
                        result = v
                    elif isinstance(v, Func) and v.qualname.startswith(f"{func.qualname}.<locals>."):
                        result = v  # a view factory returning its closure (redirect_view(...))
        self._quick[func.qualname] = result
        return result

    def wrapped_or_const(self, node: ast.Call, frame: Frame) -> Any:
        """``deco(view)``: a view wrapped by a decorator called by hand; else a folded constant."""
        arg = node.args[0] if len(node.args) == 1 and not node.keywords else None
        if isinstance(arg, (ast.Name, ast.Attribute)) or (
                isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute) and arg.func.attr == "as_view"):
            inner = self.eval(arg, frame)  # type: ignore[arg-type]
            if isinstance(inner, (Func, ViewOf, ClassRef, Wrapped, LambdaRef)):
                return Wrapped(inner, node.func, frame.module, frame.scope)
        return self.const(node, frame)

    def call(self, func: Func, node: ast.Call | None, frame: Frame | None, args: list[Any] | None = None,
             self_obj: Any = None, fallback: bool = False, site_key: str = "",
             kwargs: dict[str, Any] | None = None, site: Location | None = None) -> Any:
        rec = func.rec
        if rec is None:
            found = self.defs.get(func.qualname)
            rec = found[1] if found else None
        if rec is None or rec.kind != "function" or rec.args is None:
            return UNKNOWN
        depth = frame.depth + 1 if frame is not None else 0
        if depth > MAX_CALL_DEPTH:
            return UNKNOWN
        if site_key and frame is not None:
            key = f"{frame.key}{frame.iteration}|{site_key}"
        elif fallback or frame is None or node is None:
            key = f"~{func.qualname}" if frame is None else f"{frame.key}|{func.qualname}"
        else:
            key = f"{frame.key}{frame.iteration}|{frame.module}:{node.lineno}:{node.col_offset}"
        if key in self._calls:
            return self._calls[key]
        self._calls[key] = UNKNOWN
        env = self.bind_params(rec, node, frame, args, self_obj, func.module, kwargs)
        new = Frame(func.module, rec.qualname, key, env, func.closure,
                    frame.cur_conds if frame is not None else (), depth)
        if frame is not None:
            new.site = site or frame.site
            new.withs = frame.withs + frame.cur_withs
        self.executed.add(func.qualname)
        self.exec_block(rec.body, new)
        result = _pick_return(new.returns)
        if isinstance(result, Const) and node is not None and frame is not None and not fallback:
            result = self.const(node, frame)  # strings: let the folder evaluate the call with its arguments
        self._calls[key] = result
        return result

    def bind_params(self, rec: Def, node: ast.Call | None, frame: Frame | None, args: list[Any] | None,
                    self_obj: Any, module: str, kwargs: dict[str, Any] | None = None) -> dict[str, Any]:
        a = rec.args
        assert a is not None
        positional = [x.arg for x in a.posonlyargs + a.args]
        kwonly = [x.arg for x in a.kwonlyargs]
        env: dict[str, Any] = {}
        pos_vals: list[Any] = [self_obj] if self_obj is not None else []
        kw_vals: dict[str, Any] = {}
        complete = True
        if args is not None:
            pos_vals.extend(args)
            kw_vals.update(kwargs or {})
        elif node is not None and frame is not None:
            for x in node.args:
                if isinstance(x, ast.Starred):
                    v = self.eval(x.value, frame)
                    if isinstance(v, Seq):
                        pos_vals.extend(v.items)
                    else:
                        complete = False
                        break
                else:
                    pos_vals.append(self.eval(x, frame))
            for kw in node.keywords:
                v = self.eval(kw.value, frame)
                if kw.arg is None:
                    if isinstance(v, KwDict):
                        kw_vals.update(dict(v.items))
                    else:
                        complete = False
                else:
                    kw_vals[kw.arg] = v
        for name, v in zip(positional, pos_vals):
            env[name] = v
        if a.vararg is not None:
            env[a.vararg.arg] = Seq(tuple(pos_vals[len(positional):])) if complete else UNKNOWN
        extra: dict[str, Any] = {}
        for k, v in kw_vals.items():
            if k in positional or k in kwonly:
                env[k] = v
            else:
                extra[k] = v
        if a.kwarg is not None:
            env[a.kwarg.arg] = KwDict(tuple(extra.items())) if complete else UNKNOWN
        # defaults of parameters not passed (evaluated where the function is defined)
        defaults = dict(zip(positional[len(positional) - len(a.defaults):], a.defaults))
        defaults.update({x.arg: d for x, d in zip(a.kwonlyargs, a.kw_defaults) if d is not None})
        scope = rec.qualname.rsplit(".", 1)[0] if "." in rec.qualname else ""
        if scope.endswith(".<locals>"):
            scope = scope[: -len(".<locals>")]
        for name, d in defaults.items():
            if name not in env and (complete or args is not None):
                env[name] = self.eval(d, Frame(module, scope, ""))
        return env

    # ------------------------------------------------------------------ Flask objects
    def creator_kind(self, cls: str) -> tuple[str, str] | None:
        if cls in self._kind_cache:
            return self._kind_cache[cls]
        out: tuple[str, str] | None = None
        tables = ((APP_CLASSES, "app", "flask"), (BLUEPRINT_CLASSES, "blueprint", "flask"),
                  (RESTX_API, "api", "restx"), (RESTFUL_API, "api", "restful"), (SMOREST_API, "api", "smorest"),
                  (NAMESPACE_CLASSES, "namespace", "restx"))
        for names, kind, flavor in tables:
            if cls in names or (self.p.first_party(cls) and self.p.is_subclass(cls, names)):
                out = (kind, flavor)
                break
        self._kind_cache[cls] = out
        return out

    def create(self, kind: str, flavor: str, cls: str, node: ast.Call, frame: Frame) -> FObj:
        key = f"{frame.key}{frame.iteration}|{frame.module}:{node.lineno}:{node.col_offset}"
        obj = self.out.objects.get(key)
        if obj is not None:
            return obj
        target = frame.cur_target[1] if frame.cur_target is not None and frame.cur_target[0] is node else ""
        if target:
            scope = f"{frame.scope}.<locals>." if frame.scope else ""
            name = f"{frame.module}.{scope}{target}"
        else:
            name = f"{frame.module}:{node.lineno}"
        loc = self.p.location(frame.module, node)
        obj = FObj(kind, flavor, cls, key, name, frame.module, frame.scope, loc, frame.cur_conds)
        self.out.objects[key] = obj
        decorators = call_arg(node, -1, "decorators")
        if isinstance(decorators, (ast.List, ast.Tuple)):
            obj.decorators = tuple((e, frame.module, frame.scope) for e in decorators.elts)
        if kind == "blueprint":
            obj.bp_name = self.text_opt(call_arg(node, 0, "name"), frame)
            obj.url_prefix = self.text_opt(call_arg(node, 5, "url_prefix"), frame)
        elif kind == "namespace":
            obj.bp_name = self.text_opt(call_arg(node, 0, "name"), frame)
            obj.url_prefix = self.text_opt(call_arg(node, 2, "path"), frame)
        elif kind == "api":
            prefix_expr = call_arg(node, 1 if flavor == "restful" else -1, "prefix")
            obj.url_prefix = self.text_opt(prefix_expr, frame)
            app_expr = call_arg(node, 0, "app")
            if app_expr is not None:
                target_obj = self.eval(app_expr, frame)
                if isinstance(target_obj, FObj) and target_obj.kind in ("app", "blueprint"):
                    self._bind_api(obj, target_obj, node, frame)
        init = self.override_of(obj, "__init__")
        found = self.defs.get(init) if init else None
        if found is not None:
            # a project subclass's __init__ sets the attributes its other methods read
            self.call(Func(init, found[0], found[1]), node, frame, self_obj=obj, site_key=f"{key}|init")
        return obj

    def setup_state_rules(self, obj: FObj, prefix: Text | None, rule: Text) -> list[Text] | None:
        """Rules a Blueprint subclass's own setup state makes of ``rule`` (``make_setup_state`` override).

        Flask joins each rule to the prefix in ``BlueprintSetupState.add_url_rule``; a project
        subclass can change that (indico's ``'!/'`` rules ignore the prefix).  The override is run
        with ``self.url_prefix`` bound; every ``super().add_url_rule(...)`` it makes is one rule.
        None when the blueprint does not override ``make_setup_state`` or the override is not followed.
        """
        maker = self.override_of(obj, "make_setup_state")
        found = self.defs.get(maker) if maker else None
        if found is None:
            return None
        key = (obj.cls, prefix.text if prefix else None, rule.text)
        if key in self._states:
            cached = self._states[key]
            return None if cached is None else [Text(t.text, (prefix.unknowns if prefix else ()) + rule.unknowns)
                                               for t in cached]
        self._states[key] = None
        module, rec = found
        state_cls = ""
        for value in _return_values(rec.body):
            if isinstance(value, ast.Call):
                v = self.eval(value.func, Frame(module, rec.qualname, ""))
                if isinstance(v, ClassRef):
                    state_cls = v.qualname
        if not state_cls:
            return None
        state = FObj("state", "flask", state_cls, f"state|{state_cls}", state_cls, module, "", obj.location)
        state.attrs["url_prefix"] = Const(Value("resolved", prefix.text) if prefix is not None and not prefix.unknowns
                                          else Value("partial", prefix.text, prefix.unknowns) if prefix is not None
                                          else Value("resolved", None))
        adder = self.override_of(state, "add_url_rule")
        found_adder = self.defs.get(adder) if adder else None
        if found_adder is None:
            return None
        self._captured = []
        try:
            frame = Frame(module, "", f"state|{state_cls}|{key[1]}|{rule.text}")
            rule_value = Const(Value("resolved", rule.text) if not rule.unknowns else Value("partial", rule.text, rule.unknowns))
            self.call(Func(adder, found_adder[0], found_adder[1]), None, frame,
                      args=[rule_value, Const(Value("resolved", None)), UNKNOWN], self_obj=state, site_key="state")
            captured = self._captured
        finally:
            self._captured = []
        if not captured:
            return None
        self._states[key] = captured
        return [Text(t.text, (prefix.unknowns if prefix else ()) + rule.unknowns) for t in captured]

    def state_rule(self, state: FObj, node: ast.Call, frame: Frame) -> None:
        """Flask's ``BlueprintSetupState.add_url_rule``: join the rule to ``self.url_prefix``."""
        rule_expr = call_arg(node, 0, "rule")
        if rule_expr is None:
            return
        rule = self.text_of(self.eval(rule_expr, frame), rule_expr, frame)
        prefix_v = state.attrs.get("url_prefix")
        prefix = None
        if isinstance(prefix_v, Const) and not (prefix_v.value.ok and prefix_v.value.value is None):
            prefix = self.text_of(prefix_v, rule_expr, frame)
        if prefix is None:
            self._captured.append(rule)
        elif rule.text:
            self._captured.append(Text("/".join((prefix.text.rstrip("/"), rule.text.lstrip("/"))), rule.unknowns))
        else:
            self._captured.append(prefix)

    def override_of(self, obj: FObj, attr: str) -> str:
        """``Cls.attr`` when a project subclass of the object's class defines ``attr`` itself."""
        key = (obj.cls, attr)
        if key not in self._override_cache:
            owner = ""
            if self.p.first_party(obj.cls):
                owner = self.p.class_methods(obj.cls).get(attr, "")
            self._override_cache[key] = f"{owner}.{attr}" if owner else ""
        return self._override_cache[key]

    def reachability(self, frame: Frame, obj: FObj | None) -> tuple[tuple[str, str], ...]:
        """An option for registrations on an existing object made by a function nothing scanned calls.

        App factories are run that way too, but they register on the app they create; a function
        that adds routes to an app made elsewhere (a plugin's ``create_app(app)``) may never run.
        """
        if not frame.key.startswith("~") or obj is None:
            return ()
        root = frame.key.split("|", 1)[0]
        if obj.key.startswith(root):
            return ()
        return (("reachability", f"via {root[1:]}(), which no scanned code calls (an entry point or a plugin hook)"),)

    def site_of(self, node: ast.AST, frame: Frame) -> Location:
        """Where a registration is reported: the call of an inlined override, else the node itself."""
        return frame.site or self.p.location(frame.module, node)

    def registered(self) -> int:
        o = self.out
        return len(o.routes) + len(o.blueprints) + len(o.resources) + len(o.namespaces) + len(o.api_binds)

    def obj_method(self, obj: FObj, attr: str, node: ast.Call, frame: Frame, native: bool = False) -> Any:
        override = "" if native else self.override_of(obj, attr)
        known = attr in REGISTRARS.get(obj.kind, ())
        if override:
            found = self.defs.get(override)
            if found is not None:
                # a project subclass method: run it with self bound (super().x reaches Flask's own x)
                before = self.registered()
                site = self.site_of(node, frame)
                result = self.call(Func(override, found[0], found[1]), node, frame, self_obj=obj, site=site)
                if not known or self.registered() > before:
                    return result
            elif not known:
                return UNKNOWN
        if not known:
            return UNKNOWN
        site = self.site_of(node, frame)
        if attr in ROUTE_DECORATORS or attr == "resource":
            return Deco(obj, attr, node, frame, site, frame.cur_conds, frame.withs + frame.cur_withs, override)
        if obj.kind == "state":
            self.state_rule(obj, node, frame)
            return UNKNOWN
        if attr == "add_url_rule":
            self.add_url_rule(obj, node, frame, override)
        elif attr == "register_blueprint":
            child_expr = call_arg(node, 0, "blueprint")
            child = self.eval(child_expr, frame) if child_expr is not None else None
            if isinstance(child, FObj) and child.kind == "blueprint":
                self._bp_reg(obj, child, node, frame)
            elif child_expr is not None:
                self.dynamic(node, frame, child, f"register_blueprint({_unparse(child_expr)})")
        elif attr in HOOKS:
            fn_expr = call_arg(node, 0, "f")
            if fn_expr is not None:
                fn = self.eval(fn_expr, frame)
                handler = self.handler_of(fn, fn_expr, frame, site)
                self.add_hook(obj, handler, attr, site)
                return fn
            return Bound(obj, attr)
        elif attr == "add_resource":
            self.add_resource(obj, node, frame)
        elif attr == "add_namespace":
            ns_expr = call_arg(node, 0, "ns")
            ns = self.eval(ns_expr, frame) if ns_expr is not None else None
            if isinstance(ns, FObj) and ns.kind == "namespace":
                path = self.text_opt(call_arg(node, 1, "path"), frame)
                self.out.namespaces[(obj.key, ns.key, path.text if path else None)] = NamespaceReg(
                    obj.key, ns.key, path, site, frame.cur_conds)
            elif ns_expr is not None:
                self.dynamic(node, frame, ns, f"add_namespace({_unparse(ns_expr)})")
        elif attr == "namespace":
            ns = self.create("namespace", obj.flavor, "flask_restx.Namespace", node, frame)
            self.out.namespaces[(obj.key, ns.key, None)] = NamespaceReg(obj.key, ns.key, None, site, frame.cur_conds)
            return ns
        elif attr == "init_app":
            app_expr = call_arg(node, 0, "app")
            target = self.eval(app_expr, frame) if app_expr is not None else None
            if isinstance(target, FObj) and target.kind in ("app", "blueprint"):
                self._bind_api(obj, target, node, frame)
        return UNKNOWN

    def _bind_api(self, api: FObj, target: FObj, node: ast.AST, frame: Frame) -> None:
        site = self.site_of(node, frame)
        self.out.api_binds[(api.key, target.key)] = ApiBind(api.key, target.key, site, frame.cur_conds)

    def _bp_reg(self, parent: FObj | None, child: FObj, node: ast.Call, frame: Frame, parent_expr: str = "") -> None:
        site = self.site_of(node, frame)
        prefix = self.kw_text(node, "url_prefix", frame)
        name = self.kw_text(node, "name", frame)
        options = self.options(node, ("url_prefix",), frame) + self.reachability(frame, parent)
        reg = BlueprintReg(parent.key if parent else "", child.key, prefix, site, frame.cur_conds, parent_expr,
                           name.text if name else "", options)
        self.out.blueprints[(reg.parent, child.key, site, prefix.text if prefix else None)] = reg

    def add_hook(self, obj: FObj, handler: HandlerRef, attr: str, site: Location) -> None:
        scope = "app" if obj.kind == "app" else HOOKS.get(attr, "blueprint")
        self.out.hooks[(obj.key, handler.qualname, scope)] = Hook(obj.key, handler, scope, site)

    def add_url_rule(self, obj: FObj, node: ast.Call, frame: Frame, override: str) -> None:
        site = self.site_of(node, frame)
        rule_expr = call_arg(node, 0, "rule")
        endpoint_expr = call_arg(node, 1, "endpoint")
        view_expr = call_arg(node, 2, "view_func")
        if rule_expr is None or view_expr is None:
            return  # an endpoint without a view serves nothing (url_for only)
        rule_v = self.eval(rule_expr, frame)
        view = self.eval(view_expr, frame)
        if isinstance(rule_v, Dyn) or isinstance(view, Dyn):
            self.dynamic(node, frame, rule_v if isinstance(rule_v, Dyn) else view, "add_url_rule")
            return
        rule = self.text_of(rule_v, rule_expr, frame)
        handler = self.handler_of(view, view_expr, frame, site)
        methods, unknown = self.methods_of(node, frame)
        endpoint = self.text_opt(endpoint_expr, frame)
        if endpoint is None and isinstance(view, ViewOf):
            endpoint = self.text_opt(call_arg(view.node, 0, "name"), frame)  # as_view("name")
        options = self.options(node, ("rule", "endpoint", "view_func", "methods"), frame)
        options += _context_options(frame.withs + frame.cur_withs, override) + self.reachability(frame, obj)
        reg = RouteReg(obj.key, rule, methods, handler, endpoint.text if endpoint else "", site, frame.cur_conds,
                       options, unknown)
        self.out.routes[(obj.key, site, rule.text, handler.qualname, methods)] = reg

    def add_resource(self, target: FObj, node: ast.Call, frame: Frame) -> None:
        site = self.site_of(node, frame)
        res_expr = call_arg(node, 0, "resource")
        if res_expr is None:
            return
        res = self.eval(res_expr, frame)
        urls: list[Text] = []
        for x in node.args[1:]:
            v = self.eval(x, frame)
            if isinstance(v, Dyn):
                self.dynamic(node, frame, v, "add_resource")
                return
            if isinstance(x, ast.Starred):
                if isinstance(v, Seq):
                    for item in v.items:
                        if isinstance(item, Dyn):
                            self.dynamic(node, frame, item, "add_resource")
                            return
                        urls.append(self.text_of(item, x.value, frame))
                else:
                    self.dynamic(node, frame, None, f"add_resource(..., *{_unparse(x.value)})")
                    return
            else:
                urls.append(self.text_of(v, x, frame))
        if isinstance(res, Dyn):
            self.dynamic(node, frame, res, "add_resource")
            return
        handler = self.handler_of(res, res_expr, frame, site)
        endpoint = self.kw_text(node, "endpoint", frame)
        options = self.options(node, ("endpoint",), frame)
        options += _context_options(frame.withs + frame.cur_withs, "") + self.reachability(frame, target)
        reg = ResourceReg(target.key, handler, tuple(urls), endpoint.text if endpoint else "", site, frame.cur_conds,
                          options)
        self.out.resources[(target.key, site, handler.qualname, tuple(u.text for u in urls))] = reg

    def apply_deco(self, deco: Deco, handler: HandlerRef, value: Any) -> None:
        obj, attr, node, frame = deco.obj, deco.attr, deco.call, deco.frame
        saved = (frame.cur_conds, frame.cur_withs)
        frame.cur_conds, frame.cur_withs = deco.conditions, deco.withs
        try:
            if obj.kind in ("app", "blueprint") and attr in ROUTE_DECORATORS:
                rule_expr = call_arg(node, 0, "rule")
                if rule_expr is None:
                    return
                if self.route_through_override(deco, rule_expr, value):
                    return
                rule_v = self.eval(rule_expr, frame)
                if isinstance(rule_v, Dyn):
                    self.dynamic(node, frame, rule_v, attr)
                    return
                rule = self.text_of(rule_v, rule_expr, frame)
                shortcut = ROUTE_DECORATORS[attr]
                if shortcut is not None:
                    methods: tuple[str, ...] | None = (shortcut,)
                    unknown: tuple[Unresolved, ...] = ()
                else:
                    methods, unknown = self.methods_of(node, frame)
                endpoint = self.kw_text(node, "endpoint", frame)
                options = self.options(node, ("rule", "methods", "endpoint"), frame)
                options += _context_options(deco.withs, deco.override) + self.reachability(frame, obj)
                reg = RouteReg(obj.key, rule, methods, handler, endpoint.text if endpoint else "", deco.site,
                               deco.conditions, options, unknown)
                self.out.routes[(obj.key, deco.site, rule.text, handler.qualname, methods)] = reg
            elif (obj.kind == "api" and attr in ("resource", "route")) or (obj.kind == "namespace" and attr == "route"):
                urls = []
                for x in node.args:
                    v = self.eval(x, frame)
                    if isinstance(v, Dyn):
                        self.dynamic(node, frame, v, attr)
                        return
                    urls.append(self.text_of(v, x, frame))
                endpoint = self.kw_text(node, "endpoint", frame)
                options = self.options(node, ("endpoint",), frame) + self.reachability(frame, obj)
                res = ResourceReg(obj.key, handler, tuple(urls), endpoint.text if endpoint else "", deco.site,
                                  deco.conditions, options)
                self.out.resources[(obj.key, deco.site, handler.qualname, tuple(u.text for u in urls))] = res
        finally:
            frame.cur_conds, frame.cur_withs = saved

    def keyword(self, node: ast.Call, name: str, frame: Frame) -> tuple[ast.expr | None, Any]:
        """(expression, value) of keyword ``name``, also found in a forwarded ``**kwargs``.

        The value is None when the keyword is written out (evaluate the expression).
        """
        for kw in node.keywords:
            if kw.arg == name:
                return kw.value, None
        for kw in node.keywords:
            if kw.arg is None:
                v = self.eval(kw.value, frame)
                if isinstance(v, KwDict):
                    for k, item in v.items:
                        if k == name:
                            return kw.value, item
        return None, None

    def kw_text(self, node: ast.Call, name: str, frame: Frame) -> Text | None:
        expr, value = self.keyword(node, name, frame)
        if expr is None:
            return None
        if value is None:
            return self.text_opt(expr, frame)
        if isinstance(value, Const) and value.value.ok and value.value.value is None:
            return None
        return self.text_of(value, expr, frame)

    def options(self, node: ast.Call, skip: tuple[str, ...], frame: Frame) -> tuple[tuple[str, str], ...]:
        """Other keywords of a registration as source text (forwarded ``**kwargs`` expanded)."""
        out: list[tuple[str, str]] = []
        for kw in node.keywords:
            if kw.arg is not None:
                if kw.arg not in skip:
                    out.append((kw.arg, _unparse(kw.value)))
                continue
            v = self.eval(kw.value, frame)
            if isinstance(v, KwDict):
                for k, item in v.items:
                    if k not in skip:
                        text = _unparse(item.node) if isinstance(item, Const) and item.node is not None else "…"
                        out.append((k, text))
            else:
                out.append(("**", _unparse(kw.value)))
        return tuple(out)

    def route_through_override(self, deco: Deco, rule_expr: ast.expr, view: Any) -> bool:
        """``@bp.route`` calls ``self.add_url_rule``: run a project override of it, if there is one."""
        obj, frame, node = deco.obj, deco.frame, deco.call
        owner = self.override_of(obj, "add_url_rule")
        found = self.defs.get(owner) if owner else None
        if found is None:
            return False
        kwargs: dict[str, Any] = {}
        for kw in node.keywords:
            if kw.arg is not None and kw.arg != "rule":
                kwargs[kw.arg] = self.eval(kw.value, frame)
        shortcut = ROUTE_DECORATORS[deco.attr]
        if shortcut is not None:
            kwargs["methods"] = Seq((Const(Value("resolved", shortcut)),))
        endpoint = kwargs.pop("endpoint", Const(Value("resolved", None)))
        before = self.registered()
        saved = frame.cur_withs
        frame.cur_withs = deco.withs
        try:
            self.call(Func(owner, found[0], found[1]), None, frame, args=[self.eval(rule_expr, frame), endpoint, view],
                      self_obj=obj, kwargs=kwargs, site=deco.site, site_key=f"{deco.site.path}:{deco.site.line}:route")
        finally:
            frame.cur_withs = saved
        return self.registered() > before

    def methods_of(self, node: ast.Call, frame: Frame) -> tuple[tuple[str, ...] | None, tuple[Unresolved, ...]]:
        expr, value = self.keyword(node, "methods", frame)
        if expr is None:
            return None, ()
        v = self.eval(expr, frame) if value is None else value
        items: list[Any] | None = None
        if isinstance(v, Seq):
            items = list(v.items)
        elif isinstance(v, Const) and v.value.ok and isinstance(v.value.value, (list, tuple, set, frozenset)):
            items = [Const(Value("resolved", x)) for x in v.value.value]
        if items is not None:
            out: list[str] = []
            unknown: list[Unresolved] = []
            for it in items:
                if isinstance(it, Const) and it.value.ok and isinstance(it.value.value, str):
                    out.append(it.value.value.upper())
                else:
                    text = _unparse(it.node) if isinstance(it, Const) and it.node is not None else "?"
                    out.append("{" + text + "}")
                    unknown.append(Unresolved(text, "HTTP method not a constant", self.p.location(frame.module, expr)))
            return tuple(sorted(set(out))), tuple(unknown)
        text = _unparse(expr)
        return ("{" + text + "}",), (Unresolved(text, "methods not a constant list", self.p.location(frame.module, expr)),)

    # ------------------------------------------------------------------ handlers and strings
    def handler_of_def(self, rec: Def, frame: Frame) -> HandlerRef:
        return HandlerRef(
            kind="class" if rec.kind == "class" else "function",
            qualname=f"{frame.module}.{rec.qualname}",
            module=frame.module,
            file=self.p.path_of(frame.module),
            line=rec.line,
            is_async=rec.is_async,
            decorators=tuple((d, frame.module, frame.scope) for d in rec.decorators),
        )

    def handler_of(self, value: Any, expr: ast.expr, frame: Frame, site: Location) -> HandlerRef:
        if isinstance(value, Wrapped):
            inner = self.handler_of(value.inner, expr, frame, site)
            return HandlerRef(inner.kind, inner.qualname, inner.module, inner.file, inner.line, inner.is_async,
                              inner.decorators, inner.wrappers + ((value.decorator, value.module, value.scope),))
        if isinstance(value, ViewOf):
            value = value.cls
        if isinstance(value, Func):
            d = self.p.lookup(value.qualname)
            if d.kind == "function":
                info = d.obj
                scope = info.scope
                return HandlerRef("function", value.qualname, d.module, self.p.path_of(d.module), info.line,
                                  info.is_async, tuple((x, d.module, scope) for x in info.decorators))
            if value.rec is not None:
                return HandlerRef("function", value.qualname, value.module, self.p.path_of(value.module),
                                  value.rec.line, value.rec.is_async)
        if isinstance(value, ClassRef):
            d = self.p.lookup(value.qualname)
            if d.kind == "class":
                info = d.obj
                return HandlerRef("class", value.qualname, d.module, self.p.path_of(d.module), info.line, False,
                                  tuple((x, d.module, info.scope) for x in info.decorators))
        if isinstance(value, LambdaRef):
            return HandlerRef("function", value.qualname, value.module, self.p.path_of(value.module), value.line)
        if isinstance(value, External):
            return HandlerRef("external", value.qualname, "", site.path, site.line)
        return HandlerRef("unknown", _unparse(expr), "", site.path, site.line)

    def text_opt(self, expr: ast.expr | None, frame: Frame) -> Text | None:
        """A string argument, or None when it is absent or ``None``."""
        if expr is None:
            return None
        if isinstance(expr, ast.Constant) and expr.value is None:
            return None
        v = self.eval(expr, frame)
        if isinstance(v, Const) and v.value.ok and v.value.value is None:
            return None
        return self.text_of(v, expr, frame)

    def text_of(self, v: Any, expr: ast.expr, frame: Frame) -> Text:
        if isinstance(v, Const):
            val = v.value
            if val.status == "resolved" and val.value is not None and not isinstance(val.value, (Instance,)):
                if isinstance(val.value, (str, int, float)):
                    return Text(str(val.value))
            if val.status == "partial" and isinstance(val.value, str):
                return Text(val.value, val.unknowns)
            text = v.text or _unparse(v.node if v.node is not None else expr)
            loc = v.loc or (val.unknowns[0].location if val.unknowns else self.p.location(frame.module, expr))
            reason = val.unknowns[0].reason if val.unknowns else "not a constant"
            return Text("{" + text + "}", (Unresolved(text, reason, loc),))
        loc = self.p.location(frame.module, expr)
        text = _unparse(expr)
        return Text("{" + text + "}", (Unresolved(text, "not a string", loc),))

    def placeholder(self, node: ast.Call, module: str, scope: str, env: dict[str, Const]) -> str:
        """Source text of an unresolved call, with its name/attribute arguments folded where possible."""
        new = copy.copy(node)
        args: list[ast.expr] = []
        for a in node.args:
            if isinstance(a, (ast.Name, ast.Attribute)):
                v = self.fold(a, module, scope, env)
                if v.ok and isinstance(v.value, (str, int, float, bool)):
                    args.append(ast.Constant(v.value))
                    continue
            args.append(a)
        new.args = args
        return _unparse(new)

    def dynamic(self, node: ast.Call, frame: Frame, source: Any, what: str) -> None:
        site = self.p.location(frame.module, node)
        if isinstance(source, Dyn) and source.parts:
            parts = ", ".join(f"`{p}`" for p in source.parts)
            msg = (f"{what} in a loop over `{source.loop}`: the routes from {parts} come from data the scan cannot "
                   f"enumerate (count unknown); the rest are listed")
        elif isinstance(source, Dyn):
            msg = (f"{what} in a loop over `{source.loop}`: the routes it registers come from data the scan "
                   f"cannot enumerate (count unknown)")
        else:
            msg = f"{what}: the argument cannot be resolved statically, so what it registers is unknown"
        self.out.findings[("dyn", site)] = Finding(
            rule_id="dynamic-registration",
            severity=Severity.INFO,
            message=msg,
            location=site,
            symbol=f"{frame.module}.{frame.scope}" if frame.scope else frame.module,
            hint="Routes registered from runtime data are not listed; check this call site by hand.",
            category="routes",
            fingerprint_key=what,
        )


# -------------------------------------------------------------------------------------------- helpers
_LIST_MUTATORS = frozenset({"append", "extend", "insert", "remove", "pop", "clear", "sort", "reverse"})


def _is_none_test(node: ast.Compare) -> bool:
    """``x is None`` / ``x is not None``."""
    return len(node.ops) == 1 and isinstance(node.ops[0], (ast.Is, ast.IsNot)) \
        and isinstance(node.comparators[0], ast.Constant) and node.comparators[0].value is None


def _const_item(x: Any) -> Any:
    """An item of a folded container: tuples become sequences (so ``for a, b in ...`` unpacks them)."""
    if isinstance(x, tuple):
        return Seq(tuple(_const_item(y) for y in x))
    if isinstance(x, Opaque):
        return Const(x.value, x.node)
    return Const(Value("resolved", x))


def _dotted(node: ast.AST) -> str:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


def _tail(node: ast.expr) -> str:
    if isinstance(node, ast.Subscript):
        node = node.value
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def _pick_return(values: list[Any]) -> Any:
    # a view factory may return a closure or the class it wraps: the class is the view that runs
    for kinds in ((FObj,), (ClassRef, ViewOf), (Func, Wrapped, LambdaRef), (Seq, KwDict)):
        found = [v for v in values if isinstance(v, kinds)]
        if found:
            return found[-1]
    return values[-1] if values else UNKNOWN




def _context_options(withs: tuple[str, ...], override: str) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    if override:
        out.append(("overridden_by", override))
    for w in withs:
        out.append(("within", w))
    return tuple(out)


def _unparse(node: ast.AST | None) -> str:
    if node is None:
        return ""
    try:
        text = ast.unparse(node)
    except Exception:  # pragma: no cover - ast.unparse handles parsed trees
        return "<expr>"
    return text if len(text) <= 200 else text[:199] + "…"
