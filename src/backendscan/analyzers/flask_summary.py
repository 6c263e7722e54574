"""Per-file summary of the Flask analyzer (phase 1, runs in worker processes, cached).

The summary is a small *program*: the statements of a file that can create,
wire or use Flask objects, nested the way they run (module body, function and
class bodies, ``for`` loops), each with the source text of its enclosing
``if`` tests.  Phase 2 (:mod:`.flask_interp`) interprets it abstractly.

Kept: assignments whose value is not a plain literal, expression statements
that are calls, ``return`` statements, ``for``/``while`` loops and every
``def``/``class`` (with decorators and, for functions, the "auth markers" of
their body: references to ``current_user``, ``login_required``,
``verify_jwt_in_request``, ``abort(401|403)`` ...).  Plain dataclasses without
``slots`` (they unpickle faster).

Most function bodies are never run by phase 2 (view functions, helpers that
register nothing), so each ``def`` body is pickled on its own
and compressed (:attr:`Def.blob`), and unpickled only when the interpreter
first reads :attr:`Def.body`.  Every ``def``/``class`` of the file is listed once in
:attr:`FlaskSummary.defs` (in the order the statements are nested); bodies
refer to them through :class:`DefRef`.  What phase 2 needs of a function it
does not run is kept in the header: whether its body uses a registration
attribute, the names it calls (:attr:`Def.calls`, for the relevance pass) and
the names it returns (:attr:`Def.name_returns`, for ``def get_app(): return app``).
"""

from __future__ import annotations

import ast
import pickle
import zlib
from dataclasses import dataclass, replace
from typing import Any, Iterable, Union

from ..parsing import ParsedModule
from ..visiting import Context, FileVisitor

# names whose mention in a function body makes it look like an auth check
AUTH_MARKER_NAMES = frozenset(
    {
        "current_user",
        "login_required",
        "fresh_login_required",
        "verify_jwt_in_request",
        "jwt_required",
        "get_jwt_identity",
        "is_authenticated",
        "roles_required",
        "roles_accepted",
        "auth_required",
        "permissions_required",
        "Unauthorized",
        "Forbidden",
        "unauthorized",
    }
)
_AUTH_TEXT = ("current_user", "login_required", "jwt", "abort", "Unauthorized", "Forbidden", "authenticated",
              "roles_", "auth_required", "permissions_required", "unauthorized", "401", "403")
_AUTH_STATUS = {401, 403}
_AUTH_STATUS_NAMES = {"UNAUTHORIZED", "FORBIDDEN"}
# attribute names whose presence in a function makes it worth running (see Interpreter._relevance)
RELEVANT_ATTRS = frozenset({"route", "add_url_rule", "register_blueprint", "add_resource", "add_namespace",
                            "namespace", "init_app", "before_request", "before_app_request", "as_view", "resource"})


@dataclass(frozen=True)
class Stmt:
    """An assignment, expression statement or ``return``."""

    kind: str  # assign, expr, return
    node: ast.stmt
    line: int
    conditions: tuple[str, ...] = ()
    withs: tuple[str, ...] = ()  # enclosing ``with`` context expressions (source text)


@dataclass(frozen=True)
class Loop:
    """A ``for`` loop (``target``/``iter`` set) or a ``while`` loop (both None) and its body."""

    target: ast.expr | None
    iter: ast.expr | None
    line: int
    body: tuple["Record", ...]
    conditions: tuple[str, ...] = ()
    node: ast.stmt | None = None  # the loop header only matters for locations; body stripped


@dataclass(frozen=True)
class DefRef:
    """A ``def``/``class`` statement in a body: entry ``index`` of :attr:`FlaskSummary.defs`."""

    index: int


@dataclass(frozen=True)
class Def:
    """A ``def`` or ``class`` statement: its header, and its (summarised) body on demand."""

    kind: str  # function, class
    name: str
    qualname: str  # __qualname__ style (``f.<locals>.g``)
    line: int
    decorators: tuple[ast.expr, ...]
    conditions: tuple[str, ...] = ()
    arguments: ast.arguments | None = None  # parameters (while the visitor builds it; synthesised defs)
    is_async: bool = False
    auth_markers: tuple[str, ...] = ()
    withs: tuple[str, ...] = ()
    inline: tuple["Record", ...] = ()  # the body as records (while the visitor builds it; synthesised defs)
    blob: bytes = b""  # parameters and body pickled on their own, compressed (nested defs as DefRef)
    attr_hit: bool = False  # the body uses a registration attribute (RELEVANT_ATTRS)
    calls: tuple[str, ...] = ()  # names the body calls (last part of the callee), sorted
    name_returns: tuple[ast.expr, ...] = ()  # ``return name`` / ``return a.b`` values of the body
    indexed: bool = True  # reachable from the module body without entering a ``with`` block

    @property
    def body(self) -> tuple["Record", ...]:
        """The body records, unpickled from :attr:`blob` the first time they are read."""
        return self._unpacked()[1] if self.blob else self.inline

    @property
    def args(self) -> ast.arguments | None:
        """The parameters of a function (None for a class), unpickled with the body."""
        return self._unpacked()[0] if self.blob else self.arguments

    def _unpacked(self) -> tuple[ast.arguments | None, tuple["Record", ...]]:
        cached = self.__dict__.get("_body")
        if cached is None:
            cached = pickle.loads(zlib.decompress(self.blob))
            self.__dict__["_body"] = cached  # a cache, not state: frozen only guards the fields
        return cached  # type: ignore[no-any-return]

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_body", None)
        return state


@dataclass(frozen=True)
class Branch:
    """An ``if`` statement whose body or ``else`` branch holds kept statements."""

    test: ast.expr
    line: int
    body: tuple["Record", ...]
    orelse: tuple["Record", ...]
    conditions: tuple[str, ...] = ()
    body_exit: str = ""  # "raise", "return", "break" or "continue" when the branch ends with one: its
    orelse_exit: str = ""  # bindings never reach the code after the if, which does not run either


@dataclass(frozen=True)
class With:
    """A ``with`` statement: its context expressions (and ``as`` targets) and its body."""

    items: tuple[ast.expr, ...]
    targets: tuple[ast.expr | None, ...]
    line: int
    body: tuple["Record", ...]
    conditions: tuple[str, ...] = ()


Record = Union[Stmt, Loop, Def, DefRef, Branch, With]


class _IfBuilder:
    __slots__ = ("node", "body", "orelse")

    def __init__(self, node: ast.If) -> None:
        self.node = node
        self.body: list[Record] = []
        self.orelse: list[Record] = []


@dataclass(frozen=True)
class FlaskSummary:
    """What phase 2 needs from one file: the module body and every ``def``/``class`` in it."""

    body: tuple[Record, ...]
    defs: tuple[Def, ...] = ()


def _exit(stmts: list[ast.stmt]) -> str:
    kinds = {ast.Raise: "raise", ast.Return: "return", ast.Break: "break", ast.Continue: "continue"}
    return kinds.get(type(stmts[-1]), "") if stmts else ""


def condition_texts(ctx: Context) -> tuple[str, ...]:
    out = []
    for test, branch in ctx.conditions():
        text = _unparse(test)
        out.append(text if branch else f"not ({text})")
    return tuple(out)


def with_texts(ctx: Context) -> tuple[str, ...]:
    out = []
    for fr in ctx.frames:
        if fr.kind == "with":
            for item in fr.node.items:  # type: ignore[attr-defined]
                expr = item.context_expr
                if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute):
                    out.append(_unparse(expr))
    return tuple(out)


def auth_markers(node: ast.AST) -> tuple[str, ...]:
    """Auth-looking references in a function body (sorted, unique)."""
    found: set[str] = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and sub.id in AUTH_MARKER_NAMES:
            found.add(sub.id)
        elif isinstance(sub, ast.Attribute) and sub.attr in AUTH_MARKER_NAMES:
            found.add(sub.attr)
        elif isinstance(sub, ast.Return) and sub.value is not None:
            # return jsonify(...), 401  /  return make_response(..., 403)
            parts = sub.value.elts if isinstance(sub.value, ast.Tuple) else [sub.value]
            for part in parts:
                values = [part] + (list(part.args) if isinstance(part, ast.Call) else [])
                for v in values:
                    if isinstance(v, ast.Constant) and type(v.value) is int and v.value in _AUTH_STATUS:
                        found.add(f"status({v.value})")
        elif isinstance(sub, ast.Call):
            f = sub.func
            fname = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            if fname == "abort" and sub.args:
                a = sub.args[0]
                if isinstance(a, ast.Constant) and a.value in _AUTH_STATUS:
                    found.add(f"abort({a.value})")
                elif isinstance(a, ast.Attribute) and a.attr in _AUTH_STATUS_NAMES:
                    found.add(f"abort({a.attr})")
    return tuple(sorted(found))


class FlaskVisitor(FileVisitor):
    """Builds a :class:`FlaskSummary` during the batched walk."""

    def __init__(self, parsed: ParsedModule) -> None:
        self.parsed = parsed
        self.stack: list[list[Record] | _IfBuilder] = [[]]
        self.check_auth = any(t in parsed.text for t in _AUTH_TEXT)

    def _append(self, rec: Record, ctx: Context) -> None:
        top = self.stack[-1]
        if isinstance(top, _IfBuilder):
            branch = True
            for fr in reversed(ctx.frames):
                if fr.node is top.node:
                    branch = fr.branch
                    break
            (top.body if branch else top.orelse).append(rec)
        else:
            top.append(rec)

    def _pop(self) -> tuple[Record, ...]:
        top = self.stack.pop()
        assert isinstance(top, list)
        return tuple(top)

    def visit_If(self, node: ast.If, ctx: Context) -> None:
        self.stack.append(_IfBuilder(node))

    def leave_If(self, node: ast.If, ctx: Context) -> None:
        top = self.stack.pop()
        assert isinstance(top, _IfBuilder)
        if (top.body or top.orelse or _exit(node.body) or _exit(node.orelse)) and not ctx.in_class_body \
                and not ctx.type_checking:
            self._append(Branch(node.test, node.lineno, tuple(top.body), tuple(top.orelse),
                                condition_texts(ctx), _exit(node.body), _exit(node.orelse)), ctx)

    # -- blocks -----------------------------------------------------------------
    def _open(self, node: ast.stmt, ctx: Context) -> None:
        self.stack.append([])

    visit_FunctionDef = _open
    visit_AsyncFunctionDef = _open
    visit_ClassDef = _open
    visit_For = _open
    visit_AsyncFor = _open
    visit_While = _open
    visit_With = _open
    visit_AsyncWith = _open

    def _leave_with(self, node: ast.With | ast.AsyncWith, ctx: Context) -> None:
        body = self._pop()
        if ctx.in_class_body or ctx.type_checking:
            return
        calls = [i for i in node.items if isinstance(i.context_expr, ast.Call)]
        if not body and not calls:
            return
        self._append(With(tuple(i.context_expr for i in node.items), tuple(i.optional_vars for i in node.items),
                          node.lineno, body, condition_texts(ctx)), ctx)

    leave_With = _leave_with
    leave_AsyncWith = _leave_with

    def _leave_def(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef, ctx: Context) -> None:
        body = self._pop()
        if ctx.type_checking:
            return
        prefix = ctx.qualname
        qual = f"{prefix}.{node.name}" if prefix else node.name
        is_class = isinstance(node, ast.ClassDef)
        markers: tuple[str, ...] = ()
        if not is_class and self.check_auth:
            markers = auth_markers(node)
        self._append(
            Def(
                kind="class" if is_class else "function",
                name=node.name,
                qualname=qual,
                line=node.lineno,
                decorators=tuple(node.decorator_list),
                inline=body,
                conditions=condition_texts(ctx),
                arguments=None if is_class else node.args,  # type: ignore[union-attr]
                is_async=isinstance(node, ast.AsyncFunctionDef),
                auth_markers=markers,
                withs=with_texts(ctx),
            ),
            ctx,
        )

    leave_FunctionDef = _leave_def
    leave_AsyncFunctionDef = _leave_def
    leave_ClassDef = _leave_def

    def _leave_loop(self, node: ast.For | ast.AsyncFor | ast.While, ctx: Context) -> None:
        body = self._pop()
        if not body or ctx.in_class_body:
            return
        if isinstance(node, ast.While):
            self._append(Loop(None, None, node.lineno, body, condition_texts(ctx)), ctx)
        else:
            self._append(Loop(node.target, node.iter, node.lineno, body, condition_texts(ctx)), ctx)

    leave_For = _leave_loop
    leave_AsyncFor = _leave_loop
    leave_While = _leave_loop

    # -- statements -------------------------------------------------------------
    def _stmt(self, kind: str, node: ast.stmt, ctx: Context) -> None:
        if ctx.in_class_body or ctx.type_checking:
            return
        self._append(Stmt(kind, node, node.lineno, condition_texts(ctx), with_texts(ctx)), ctx)

    def visit_Assign(self, node: ast.Assign, ctx: Context) -> None:
        # plain module-level constants are folded from the symbol tables; inside functions, loops and
        # branches the order of assignments matters, so they are kept
        if ctx.in_function or ctx.conditional or not isinstance(
                node.value, (ast.Constant, ast.JoinedStr, ast.Dict, ast.Lambda)):
            self._stmt("assign", node, ctx)

    def visit_AnnAssign(self, node: ast.AnnAssign, ctx: Context) -> None:
        if node.value is not None and isinstance(node.target, ast.Name) and (
                ctx.in_function or ctx.conditional or not isinstance(
                    node.value, (ast.Constant, ast.JoinedStr, ast.Dict, ast.Lambda))):
            self._stmt("assign", node, ctx)

    def visit_AugAssign(self, node: ast.AugAssign, ctx: Context) -> None:
        if isinstance(node.target, ast.Name) and (ctx.in_function or ctx.conditional):
            self._stmt("augassign", node, ctx)

    def visit_Expr(self, node: ast.Expr, ctx: Context) -> None:
        value = node.value.value if isinstance(node.value, ast.Await) else node.value
        if isinstance(value, ast.Call):
            self._stmt("expr", node, ctx)
        elif isinstance(value, (ast.Yield, ast.YieldFrom)) and ctx.in_function:
            self._stmt("yield", node, ctx)  # where a @contextmanager hands over to the with-body

    def visit_Return(self, node: ast.Return, ctx: Context) -> None:
        if node.value is not None and ctx.in_function:
            self._stmt("return", node, ctx)

    def finish(self) -> FlaskSummary:
        defs: list[Def] = []
        body = _pack(tuple(self.stack[0]), defs, True, {})  # type: ignore[arg-type]
        return FlaskSummary(body, tuple(defs))


def return_values(body: Iterable[Record]) -> Iterable[ast.expr]:
    """Values of the ``return`` statements of a body (through loops and branches, not nested defs)."""
    for rec in body:
        if isinstance(rec, Stmt) and rec.kind == "return":
            yield rec.node.value  # type: ignore[attr-defined,misc]
        elif isinstance(rec, Loop):
            yield from return_values(rec.body)
        elif isinstance(rec, Branch):
            yield from return_values(rec.body)
            yield from return_values(rec.orelse)


def _pack(body: tuple[Record, ...], defs: list[Def], indexed: bool,
          facts: dict[int, tuple[bool, frozenset[str]]]) -> tuple[Record, ...]:
    """Move every ``def``/``class`` of ``body`` to ``defs`` (pre-order), its body pickled apart."""
    out: list[Record] = []
    for rec in body:
        if isinstance(rec, Def):
            index = len(defs)
            defs.append(rec)  # placeholder: keeps the pre-order of the statements
            inner = _pack(rec.inline, defs, indexed, facts)
            hit, calls = _facts(rec.inline, facts)
            names = tuple(v for v in return_values(rec.inline) if isinstance(v, (ast.Name, ast.Attribute)))
            defs[index] = replace(rec, inline=(), arguments=None, blob=_compress(rec.arguments, inner),
                                  attr_hit=hit, calls=tuple(sorted(calls)), name_returns=names, indexed=indexed)
            out.append(DefRef(index))
        elif isinstance(rec, Loop):
            out.append(replace(rec, body=_pack(rec.body, defs, indexed, facts)))
        elif isinstance(rec, Branch):
            out.append(replace(rec, body=_pack(rec.body, defs, indexed, facts),
                               orelse=_pack(rec.orelse, defs, indexed, facts)))
        elif isinstance(rec, With):
            out.append(replace(rec, body=_pack(rec.body, defs, False, facts)))
        else:
            out.append(rec)
    return tuple(out)


def _compress(args: ast.arguments | None, body: tuple[Record, ...]) -> bytes:
    """Parameters and body as stored in :attr:`Def.blob` (pickled ASTs compress about threefold)."""
    return zlib.compress(pickle.dumps((args, body), protocol=pickle.HIGHEST_PROTOCOL), 6)


def _facts(body: tuple[Record, ...], memo: dict[int, tuple[bool, frozenset[str]]]) -> tuple[bool, frozenset[str]]:
    """(uses a registration attribute, names called) in a body: nested defs count with their decorators.

    ``with`` blocks are not looked into (phase 2 never did).
    """
    hit = False
    names: set[str] = set()
    for node in _nodes(body, memo):
        if isinstance(node, tuple):
            hit = hit or node[0]
            names |= node[1]
            continue
        for sub in ast.walk(node):
            if isinstance(sub, ast.Attribute):
                if sub.attr in RELEVANT_ATTRS:
                    hit = True
            elif isinstance(sub, ast.Call):
                f = sub.func
                n = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
                if n:
                    names.add(n)
    return hit, frozenset(names)


def _nodes(body: Iterable[Record], memo: dict[int, tuple[bool, frozenset[str]]]) -> Iterable[Any]:
    for rec in body:
        if isinstance(rec, Branch):
            yield rec.test
            yield from _nodes(rec.body, memo)
            yield from _nodes(rec.orelse, memo)
        elif isinstance(rec, Stmt):
            yield rec.node
        elif isinstance(rec, Loop):
            if rec.iter is not None:
                yield rec.iter
            yield from _nodes(rec.body, memo)
        elif isinstance(rec, Def):
            yield from rec.decorators
            found = memo.get(id(rec))
            if found is None:
                found = memo[id(rec)] = _facts(rec.inline, memo)
            yield found


def _unparse(node: ast.AST) -> str:
    try:
        text = ast.unparse(node)
    except Exception:  # pragma: no cover - ast.unparse handles parsed trees
        return "<expr>"
    return text if len(text) <= 200 else text[:199] + "…"
