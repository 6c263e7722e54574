"""Phase 1 of the FastAPI/Starlette analyzer: what one file registers.

The visitor records, per file, only the statements the whole-program phase
needs (everything else comes from the shared symbol tables):

* functions decorated with ``@<expr>.get/post/.../api_route/websocket/route(...)``
  (:class:`DecoratedRoute`);
* calls of registration methods anywhere in a statement
  (``include_router``, ``add_api_route``, ``mount``, ``frontend``, ...:
  :class:`CallRegistration`);
* statement-level calls of plain functions (``init_views(app)``,
  ``api = create_api_app(...)``): the call sites that bind a helper's or a
  factory's parameters (:class:`HelperCall`);
* ``return`` values of functions (factories that return an app or a router);
* ``super().__init__(...)`` and ``kwargs.setdefault(...)`` inside ``__init__``
  of classes (router subclasses that inject a prefix or dependencies).

Every record carries its :class:`Site`: the scope for name resolution, the
enclosing ``if`` tests (plus earlier guard clauses of the same block,
``if not plugins: return``, as the negated test) and the enclosing ``for``
loops (target and iterable only) in the same function.  Whether a receiver
really is a FastAPI object is decided in phase 2, by name resolution, never by
the variable name.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from ..parsing import ParsedModule
from ..visiting import Context, FileVisitor, dotted_name, statement_expressions

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

_INTEREST = re.compile(
    r"fastapi|starlette|cadwyn|[Rr]outer|FastAPI|include_router|add_api_route|Depends|Security|\.mount\(|"
    r"@\s*[\w.]+\.(?:get|post|put|patch|delete|options|head|trace|api_route|websocket|route)\("
)


def interesting(text: str) -> bool:
    """Cheap textual pre-check for files that may define or use FastAPI/Starlette objects."""
    return _INTEREST.search(text) is not None


@dataclass(frozen=True)
class Loop:
    """An enclosing ``for`` loop: its target and iterable (the body is not kept)."""

    target: ast.expr
    iter: ast.expr
    line: int


@dataclass(frozen=True)
class Site:
    """Where a statement is: scope for name resolution, enclosing ifs and loops."""

    scope: str  # ctx.scope: qualname of the innermost class or function ("" = module)
    function: str  # qualname of the innermost function ("" when not in a function)
    conditions: tuple[tuple[ast.expr, bool], ...] = ()
    loops: tuple[Loop, ...] = ()


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
    """A statement-level call of a dotted name: a call site that may bind parameters."""

    callee: str
    call: ast.Call
    site: Site
    target: str = ""  # ``target = callee(...)``: the assigned name (objects built with ``routes=[...]``)


@dataclass(frozen=True)
class Return:
    """``return value`` in function ``function``."""

    function: str
    value: ast.expr
    line: int


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

    def _site(self, ctx: Context) -> Site:
        loops = tuple(Loop(f.target, f.iter, f.lineno) for f in ctx.loops())
        return Site(ctx.scope, _function_qualname(ctx), ctx.conditions() + self._guard_conditions(ctx), loops)

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
        # ``raise`` guards are preconditions of start-up, not feature switches: not recorded
        if isinstance(node.body[-1], (ast.Return, ast.Continue, ast.Break)):
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
        for expr in statement_expressions(stmt):
            for node in ast.walk(expr):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                if isinstance(func, ast.Attribute) and func.attr in CALL_METHODS:
                    site = site or self._site(ctx)
                    self.calls.append(CallRegistration(func.value, func.attr, node, site))
        value = getattr(stmt, "value", None)
        if isinstance(stmt, (ast.Expr, ast.Assign, ast.AnnAssign, ast.Return)) and isinstance(value, ast.Call):
            callee = dotted_name(value.func)
            if callee and not (isinstance(value.func, ast.Attribute) and value.func.attr in CALL_METHODS):
                site = site or self._site(ctx)
                target = ""
                if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                    target = dotted_name(stmt.targets[0])
                elif isinstance(stmt, ast.AnnAssign):
                    target = dotted_name(stmt.target)
                self.helpers.append(HelperCall(callee, value, site, target))
        if isinstance(stmt, ast.Return) and stmt.value is not None:
            fn = _function_qualname(ctx)
            if fn:
                self.returns.append(Return(fn, stmt.value, stmt.lineno))
        self._init_call(stmt, ctx)

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
