"""Phase 1 of the FastAPI/Starlette analyzer: what one file registers.

The visitor records, per file, only the statements the whole-program phase
needs (everything else comes from the shared symbol tables):

* functions decorated with ``@<expr>.get/post/.../api_route/websocket/route(...)``
  (:class:`DecoratedRoute`);
* calls of registration methods anywhere in a statement
  (``include_router``, ``add_api_route``, ``mount``, ``frontend``, ...:
  :class:`CallRegistration`), and path-operation decorators applied by a call
  (``app.get("/x")(handler)``, also a :class:`CallRegistration` whose ``call``
  is the outer call);
* statement-level calls of plain functions (``init_views(app)``,
  ``api = create_api_app(...)``): the call sites that bind a helper's or a
  factory's parameters (:class:`HelperCall`);
* ``return`` values of functions (factories that return an app or a router);
* ``super().__init__(...)`` and ``kwargs.setdefault(...)`` inside ``__init__``
  of classes (router subclasses that inject a prefix or dependencies).

Every record carries its :class:`Site`: the scope for name resolution, the
enclosing ``if`` tests (plus earlier guard clauses of the same block that
end in a bare ``return``/``continue``/``break``, ``if not plugins: return``, as
the negated test) and the enclosing ``for``
loops (target and iterable only) in the same function.  Whether a receiver
really is a FastAPI object is decided in phase 2, by name resolution, never by
the variable name.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from ..parsing import ParsedModule
from ..visiting import Context, FileVisitor, dotted_name

VERBS = ("get", "post", "put", "patch", "delete", "options", "head", "trace")
DECORATOR_METHODS = frozenset(VERBS + ("api_route", "websocket", "route", "websocket_route"))
CALL_METHODS = frozenset(
    {
        "include_router",
        "add_api_route",
        "add_api_websocket_route",
        "add_route",
        "add_websocket_route",
        "mount",
        "frontend",
        "host",
        "generate_and_include_versioned_routers",  # Cadwyn
    }
)

#: words that make a file interesting (``str.find`` each: one regex alternation of them tried every
#: alternative at every position, 0.19 s over saleor's 1,100 source files, most of them without any)
_INTEREST_WORDS = (
    "fastapi", "starlette", "cadwyn", "Router", "router", "FastAPI", "include_router", "add_api_route",
    "Depends", "Security", ".mount(",
)
#: a route decorator on any name (``@api.get(``); the regex starts with ``@``, so the engine skips to each one
_ROUTE_DECORATOR = re.compile(r"@\s*[\w.]+\.(?:get|post|put|patch|delete|options|head|trace|api_route|websocket|route)\(")


def interesting(text: str) -> bool:
    """Cheap textual pre-check for files that may define or use FastAPI/Starlette objects."""
    return any(w in text for w in _INTEREST_WORDS) or ("@" in text and _ROUTE_DECORATOR.search(text) is not None)


@dataclass(frozen=True)
class Cond:
    """An enclosing ``if`` test (or an earlier guard clause), as source text."""

    shown: str  # as reported: the test, or its negation for else-branches and guard clauses
    line: int  # position of the test: the same ``if`` seen from both branches has the same key
    column: int
    branch: bool  # True in the body, False in the else branch / after a guard clause
    type_checking: bool = False
    test: str = ""  # the test itself, as source text


@dataclass(frozen=True)
class Loop:
    """An enclosing ``for`` loop: its target and iterable as source text (the body is not kept)."""

    target: str
    iter: str
    line: int


@dataclass(frozen=True)
class Site:
    """Where a statement is: scope for name resolution, enclosing ifs and loops."""

    scope: str  # ctx.scope: qualname of the innermost class or function ("" = module)
    function: str  # qualname of the innermost function ("" when not in a function)
    conditions: tuple[Cond, ...] = ()
    loops: tuple[Loop, ...] = ()

    @property
    def type_checking_only(self) -> bool:
        return any(c.type_checking and c.branch for c in self.conditions)


@dataclass(frozen=True)
class DecoratedRoute:
    """``@receiver.method(...)`` on a function (or method)."""

    receiver: ast.expr
    method: str
    call: ast.Call
    handler: str  # qualname of the decorated function (``f.<locals>.g`` style)
    name: str
    def_line: int
    decorator: ast.Call  # same as call; kept for the location
    is_async: bool
    args: ast.arguments
    is_method: bool
    site: Site


@dataclass(frozen=True)
class CallRegistration:
    """``receiver.method(...)`` for a registration method (include_router, mount, ...)."""

    receiver: ast.expr
    method: str
    call: ast.Call
    site: Site


@dataclass(frozen=True)
class HelperCall:
    """A statement-level call of a dotted name: a call site that may bind parameters.

    Kept as source text (long arguments replaced by :data:`OPAQUE`) because there
    are many of them; :meth:`node` parses it back when a call site is needed.
    """

    callee: str
    text: str  # ``callee(arg, key=value)``
    line: int
    column: int
    site: Site
    target: str = ""  # ``target = callee(...)``: the assigned name (objects built with ``routes=[...]``)
    has_routes: bool = False  # a ``routes=`` keyword or positional arguments of a possible router class

    def node(self) -> ast.Call | None:
        expr = parse_expr(self.text, self.line, self.column)
        return expr if isinstance(expr, ast.Call) else None


@dataclass(frozen=True)
class Return:
    """``return value`` in function ``function`` (value as source text)."""

    function: str
    text: str
    line: int
    column: int

    def node(self) -> ast.expr | None:
        return parse_expr(self.text, self.line, self.column)


@dataclass(frozen=True)
class InitCall:
    """``super().__init__(...)`` / ``kwargs.setdefault(k, v)`` in ``cls.__init__``."""

    cls: str  # class qualname in the module
    call: ast.Call
    kind: str  # "super" or "setdefault"


@dataclass(frozen=True)
class FileSummary:
    """Everything phase 1 keeps for one file."""

    decorated: tuple[DecoratedRoute, ...] = ()
    calls: tuple[CallRegistration, ...] = ()
    helpers: tuple[HelperCall, ...] = ()
    returns: tuple[Return, ...] = ()
    inits: tuple[InitCall, ...] = ()


OPAQUE = "__backendscan_opaque__"  # stands for an argument too long to keep
_MAX_ARG = 240
_NOISE_HEADS = frozenset(
    "print len isinstance issubclass getattr setattr hasattr super self cls logger log logging warnings "
    "str int float bool dict list tuple set sorted min max sum any all repr type id hash iter next".split()
)


def parse_expr(text: str, line: int, column: int = 0) -> ast.expr | None:
    """Parse an expression kept as text; every node gets the position of the original statement."""
    try:
        node = ast.parse(text, mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    for n in ast.walk(node):
        if isinstance(n, (ast.expr, ast.keyword, ast.arg)):
            n.lineno = n.end_lineno = line
            n.col_offset = column
            n.end_col_offset = column
    return node


def _text(node: ast.AST, limit: int = _MAX_ARG) -> str:
    try:
        text = ast.unparse(node)
    except Exception:  # pragma: no cover - ast.unparse handles parsed trees
        return OPAQUE
    return text if len(text) <= limit else OPAQUE


def _call_text(call: ast.Call, callee: str) -> str:
    parts = [("*" + _text(a.value)) if isinstance(a, ast.Starred) else _text(a) for a in call.args]
    parts += [(f"{kw.arg}=" if kw.arg else "**") + _text(kw.value) for kw in call.keywords]
    return f"{callee}({', '.join(parts)})"


def _shown(test: ast.expr, branch: bool) -> str:
    text = _text(test, 200)
    if branch:
        return text
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _text(test.operand, 200)
    if isinstance(test, (ast.Name, ast.Attribute, ast.Call, ast.Subscript)):
        return f"not {text}"
    return f"not ({text})"


def _cond(test: ast.expr, branch: bool) -> Cond:
    tc = dotted_name(test).rsplit(".", 1)[-1] == "TYPE_CHECKING"
    return Cond(_shown(test, branch), test.lineno, test.col_offset + 1, branch, tc, _text(test, 400))


def _function_qualname(ctx: Context) -> str:
    """Qualname of the innermost enclosing function ("" outside functions)."""
    parts: list[str] = []
    last_def = -1
    for fr in ctx.frames:
        if fr.kind == "class":
            parts.append(fr.name)
        elif fr.kind == "def":
            parts.append(fr.name)
            last_def = len(parts)
            parts.append("<locals>")
    if last_def < 0:
        return ""
    return ".".join(parts[:last_def])


class FastAPIVisitor(FileVisitor):
    """Collects the records of :class:`FileSummary` during the batched walk."""

    def __init__(self, parsed: ParsedModule) -> None:
        self.parsed = parsed
        self.decorated: list[DecoratedRoute] = []
        self.calls: list[CallRegistration] = []
        self.helpers: list[HelperCall] = []
        self.returns: list[Return] = []
        self.inits: list[InitCall] = []
        self._guards: list[tuple[tuple[tuple[int, bool], ...], ast.expr]] = []
        self._sites: dict[tuple[object, ...], Site] = {}

    def _site(self, ctx: Context) -> Site:
        guards = self._guard_conditions(ctx)
        key = (self._block_key(ctx), tuple(id(t) for t, _ in guards))
        site = self._sites.get(key)
        if site is None:  # one Site object per block: pickled once however many records share it
            loops = tuple(Loop(_text(f.target), _text(f.iter), f.lineno) for f in ctx.loops())
            conds = tuple(_cond(t, b) for t, b in ctx.conditions() + guards)
            site = Site(ctx.scope, _function_qualname(ctx), conds, loops)
            self._sites[key] = site
        return site

    # -- guard clauses: ``if not ok: return`` makes the rest of the block conditional
    @staticmethod
    def _block_key(ctx: Context) -> tuple[tuple[int, bool], ...]:
        return tuple((id(fr.node), fr.branch) for fr in ctx.frames)

    def _guard_conditions(self, ctx: Context) -> tuple[tuple[ast.expr, bool], ...]:
        key = self._block_key(ctx)
        self._guards = [(k, t) for k, t in self._guards if key[: len(k)] == k]
        return tuple((t, False) for _, t in self._guards)

    def leave_If(self, node: ast.If, ctx: Context) -> None:
        if node.orelse or not node.body:
            return
        # A bare ``return`` (or continue/break) switches the rest of the block off.  ``raise`` guards are
        # preconditions of start-up and ``return cached`` guards are memoisation: neither is recorded.
        last = node.body[-1]
        bare_return = isinstance(last, ast.Return) and (
            last.value is None or (isinstance(last.value, ast.Constant) and last.value.value is None)
        )
        if bare_return or isinstance(last, (ast.Continue, ast.Break)):
            key = self._block_key(ctx)
            self._guards = [(k, t) for k, t in self._guards if key[: len(k)] == k]
            self._guards.append((key, node.test))

    # -- decorated functions ------------------------------------------------
    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, ctx: Context) -> None:
        site: Site | None = None
        prefix = ctx.qualname
        qual = f"{prefix}.{node.name}" if prefix else node.name
        for dec in node.decorator_list:
            if isinstance(dec, ast.Call) and isinstance(dec.func, ast.Attribute) and dec.func.attr in DECORATOR_METHODS:
                site = site or self._site(ctx)
                self.decorated.append(
                    DecoratedRoute(
                        receiver=dec.func.value,
                        method=dec.func.attr,
                        call=dec,
                        handler=qual,
                        name=node.name,
                        def_line=node.lineno,
                        decorator=dec,
                        is_async=isinstance(node, ast.AsyncFunctionDef),
                        args=node.args,
                        is_method=ctx.in_class_body,
                        site=site,
                    )
                )

    visit_FunctionDef = _function
    visit_AsyncFunctionDef = _function

    # -- every other statement ------------------------------------------------
    def visit_stmt(self, stmt: ast.stmt, ctx: Context) -> None:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)):
            return
        site: Site | None = None
        for node in ctx.calls(stmt):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in CALL_METHODS:
                site = site or self._site(ctx)
                self.calls.append(CallRegistration(func.value, func.attr, node, site))
            elif (
                isinstance(func, ast.Call)
                and isinstance(func.func, ast.Attribute)
                and func.func.attr in DECORATOR_METHODS
                and len(node.args) == 1
                and not node.keywords
                and not isinstance(node.args[0], ast.Starred)
            ):
                # ``app.get("/{secret}")(redirect)``: a path-operation decorator applied by a call
                # (Polar's checkout-link app); ``call`` is the outer call, its ``func`` the decorator call
                site = site or self._site(ctx)
                self.calls.append(CallRegistration(func.func.value, func.func.attr, node, site))
        value = getattr(stmt, "value", None)
        if isinstance(stmt, (ast.Expr, ast.Assign, ast.AnnAssign, ast.Return)) and isinstance(value, ast.Call):
            self._helper(stmt, value, ctx)
        if isinstance(stmt, ast.Return) and isinstance(value, (ast.Name, ast.Attribute, ast.Call)):
            fn = _function_qualname(ctx)
            text = _call_text(value, dotted_name(value.func)) if isinstance(value, ast.Call) else dotted_name(value)
            if fn and text and not text.startswith("("):
                self.returns.append(Return(fn, text, value.lineno, value.col_offset + 1))
        self._init_call(stmt, ctx)

    def _helper(self, stmt: ast.stmt, value: ast.Call, ctx: Context) -> None:
        """Record a call site that may bind parameters (or build an object from ``routes=``)."""
        callee = dotted_name(value.func)
        if not callee or callee.split(".", 1)[0] in _NOISE_HEADS:
            return
        if isinstance(value.func, ast.Attribute) and value.func.attr in CALL_METHODS:
            return
        target = ""
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target = dotted_name(stmt.targets[0])
        elif isinstance(stmt, ast.AnnAssign):
            target = dotted_name(stmt.target)
        has_routes = bool(target) and (
            any(kw.arg == "routes" for kw in value.keywords)
            or (bool(value.args) and callee.rsplit(".", 1)[-1] in ("Starlette", "Router"))
        )
        self.helpers.append(
            HelperCall(callee, _call_text(value, callee), value.lineno, value.col_offset + 1, self._site(ctx), target, has_routes)
        )

    def _init_call(self, stmt: ast.stmt, ctx: Context) -> None:
        fn = ctx.function
        if fn is None or fn.name != "__init__" or len(ctx.frames) < 2:
            return
        # the def frame must sit directly in a class body
        frames = [f for f in ctx.frames if f.kind in ("class", "def")]
        if len(frames) < 2 or frames[-1].kind != "def" or frames[-2].kind != "class":
            return
        cls = ctx.scope[: -len(".__init__")] if ctx.scope.endswith(".__init__") else ""
        if not cls or not isinstance(stmt, ast.Expr) or not isinstance(stmt.value, ast.Call):
            return
        call = stmt.value
        func = call.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "__init__"
            and isinstance(func.value, ast.Call)
            and dotted_name(func.value.func) == "super"
        ):
            self.inits.append(InitCall(cls, call, "super"))
        elif isinstance(func, ast.Attribute) and func.attr == "setdefault" and isinstance(func.value, ast.Name):
            self.inits.append(InitCall(cls, call, "setdefault"))

    def finish(self) -> FileSummary:
        return FileSummary(
            tuple(self.decorated), tuple(self.calls), tuple(self.helpers), tuple(self.returns), tuple(self.inits)
        )
