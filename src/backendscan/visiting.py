"""One batched, statement-level walk per file, shared by every extractor.

Imports and framework registrations are statements (or expressions inside
statements), so the walker descends through statement bodies only and keeps a
context stack: enclosing classes and functions (for qualified names), ``for``
loops (for unrolling), ``if`` tests (for conditions and ``TYPE_CHECKING``) and
``try`` blocks.  Visitors implement ``visit_<StmtType>(node, ctx)`` and
optionally ``leave_<StmtType>(node, ctx)``; all visitors interested in a file
are driven by a single traversal (the Fixit approach).  Expressions are left to
the visitors, which read the sub-trees they care about.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Sequence


@dataclass(frozen=True, slots=True)
class Frame:
    """One level of the context stack."""

    kind: str  # "class", "def", "for", "while", "if", "try", "with", "match"
    node: ast.AST
    branch: bool = True  # for "if": True in the body, False in the else branch
    name: str = ""


def is_type_checking_test(test: ast.expr) -> bool:
    """``TYPE_CHECKING`` / ``typing.TYPE_CHECKING`` / ``t.TYPE_CHECKING`` (also negated never)."""
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    if isinstance(test, ast.Attribute):
        return test.attr == "TYPE_CHECKING"
    return False


class Context:
    """Where the walker is; handed to every visitor call.

    The scope fields (``qualname``, ``scope``, ``in_function``, ``in_class_body``,
    ``function``, ``cls``) are read by several visitors for most statements; the
    walker sets them when it enters and leaves a ``def`` or ``class`` (:meth:`enter`),
    the only frames that change them, so reading one is an attribute access (computed
    from the frame stack on every read, they were 0.3 s of saleor's extraction).

    * ``qualname``: Python ``__qualname__`` prefix of the current scope (``f.<locals>.g`` style);
    * ``scope``: qualified name of the innermost class or function ("" at module level);
    * ``in_function``: inside a function at any level (a class in a function too);
    * ``in_class_body``: directly in a class body;
    * ``function``: the innermost enclosing ``def`` node (None at module level);
    * ``cls``: the class whose body holds the statement (None inside a function, even a method's).
    """

    __slots__ = ("frames", "_stmt", "_nodes", "_calls", "qualname", "scope", "in_function", "in_class_body", "function", "cls")

    def __init__(self) -> None:
        self.frames: list[Frame] = []
        self._stmt: ast.stmt | None = None
        self._nodes: list[ast.AST] = []
        self._calls: list[ast.Call] | None = None
        self.qualname = ""
        self.scope = ""
        self.in_function = False
        self.in_class_body = False
        self.function: ast.FunctionDef | ast.AsyncFunctionDef | None = None
        self.cls: ast.ClassDef | None = None

    def expression_nodes(self, stmt: ast.stmt) -> list[ast.AST]:
        """Every node under ``stmt``'s own expressions (not its nested bodies), in ``ast.walk`` order.

        Computed once per statement and shared by all visitors, so several analyzers
        looking for calls in the same statement walk its expressions once.
        """
        if self._stmt is not stmt:
            self._stmt = stmt
            self._calls = None
            nodes: list[ast.AST] = []
            for expr in statement_expressions(stmt):
                nodes.extend(walk_nodes(expr))
            self._nodes = nodes
        return self._nodes

    def calls(self, stmt: ast.stmt) -> list[ast.Call]:
        """The ``ast.Call`` nodes among :meth:`expression_nodes`."""
        nodes = self.expression_nodes(stmt)
        if self._calls is None:
            self._calls = [n for n in nodes if isinstance(n, ast.Call)]
        return self._calls

    def enter(self, frame: Frame) -> tuple[Any, ...]:
        """Push ``frame`` (a ``def`` or ``class``) and set the scope fields; returns what :meth:`leave` restores."""
        saved = (self.qualname, self.scope, self.in_function, self.in_class_body, self.function, self.cls)
        self.frames.append(frame)
        outer = self.qualname
        name = f"{outer}.{frame.name}" if outer else frame.name
        if frame.kind == "def":
            self.qualname = name + ".<locals>"
            self.scope = name
            self.in_function = True
            self.in_class_body = False
            self.function = frame.node  # type: ignore[assignment]
            self.cls = None
        else:
            self.qualname = self.scope = name
            self.in_class_body = True
            self.cls = frame.node  # type: ignore[assignment]
        return saved

    def leave(self, saved: tuple[Any, ...]) -> None:
        """Pop the frame :meth:`enter` pushed and restore the scope fields."""
        self.frames.pop()
        self.qualname, self.scope, self.in_function, self.in_class_body, self.function, self.cls = saved

    @property
    def type_checking(self) -> bool:
        return any(
            fr.kind == "if" and fr.branch and is_type_checking_test(fr.node.test)  # type: ignore[attr-defined]
            for fr in self.frames
        )

    @property
    def conditional(self) -> bool:
        """Inside an if/try/loop/with/match block (at any level)."""
        return any(fr.kind in ("if", "try", "for", "while", "with", "match") for fr in self.frames)

    def loops(self) -> tuple[ast.For | ast.AsyncFor, ...]:
        """Enclosing ``for`` loops, outermost first, within the current function scope."""
        out: list[Any] = []
        for fr in self.frames:
            if fr.kind == "def" or fr.kind == "class":
                out = []
            elif fr.kind == "for":
                out.append(fr.node)
        return tuple(out)

    def conditions(self) -> tuple[tuple[ast.expr, bool], ...]:
        """Enclosing ``if`` tests with the branch taken (True = body)."""
        return tuple(
            (fr.node.test, fr.branch)  # type: ignore[attr-defined]
            for fr in self.frames
            if fr.kind == "if"
        )


class FileVisitor:
    """Base class for per-file extractors: define ``visit_<Stmt>`` methods and ``finish``."""

    def finish(self) -> Any:  # pragma: no cover - overridden
        return None


def _handlers(visitors: Sequence[Any], prefix: str) -> dict[type, list[Callable[..., Any]]]:
    table: dict[type, list[Callable[..., Any]]] = {}
    for v in visitors:
        for node_type, attr in _handler_names(type(v), prefix):
            fn = getattr(v, attr, None)
            if fn is not None:
                table.setdefault(node_type, []).append(fn)
        # handlers an instance sets on itself (the class does not show them)
        own = getattr(v, "__dict__", None)
        if own:
            for name in own:
                own_type = _STMT_BY_NAME.get(name[len(prefix):]) if name.startswith(prefix) else None
                if own_type is not None and not hasattr(type(v), name) and own[name] is not None:
                    table.setdefault(own_type, []).append(own[name])
    return table


_HANDLER_NAMES: dict[tuple[type, str], tuple[tuple[type, str], ...]] = {}


def _handler_names(cls: type, prefix: str) -> tuple[tuple[type, str], ...]:
    """(statement type, attribute) for every ``<prefix><Stmt>`` the class defines, in statement order.

    Looked up once per visitor class instead of ~30 ``getattr`` calls per visitor and
    walk (two walks' worth of dispatch tables per file were 4% of a scan's CPU).
    """
    key = (cls, prefix)
    names = _HANDLER_NAMES.get(key)
    if names is None:
        names = _HANDLER_NAMES[key] = tuple(
            (node_type, prefix + name) for name, node_type in _STMT_BY_NAME.items() if hasattr(cls, prefix + name)
        )
    return names


_STMT_TYPES = (
    "FunctionDef AsyncFunctionDef ClassDef Return Delete Assign AugAssign AnnAssign TypeAlias "
    "For AsyncFor While If With AsyncWith Match Raise Try TryStar Assert Import ImportFrom "
    "Global Nonlocal Expr Pass Break Continue"
).split()
#: statement class name -> class, for the names this Python has
_STMT_BY_NAME: dict[str, type] = {n: getattr(ast, n) for n in _STMT_TYPES if getattr(ast, n, None) is not None}


def walk(tree: ast.Module, visitors: Sequence[Any]) -> None:
    """Drive every visitor over the statements of ``tree`` in one traversal."""
    visit = _handlers(visitors, "visit_")
    leave = _handlers(visitors, "leave_")
    generic = [fn for fn in (getattr(v, "visit_stmt", None) for v in visitors) if fn is not None]
    ctx = Context()
    frames = ctx.frames

    def body(stmts: Sequence[ast.stmt]) -> None:
        for stmt in stmts:
            t = type(stmt)
            for fn in generic:
                fn(stmt, ctx)
            for fn in visit.get(t, ()):
                fn(stmt, ctx)
            if t is ast.FunctionDef or t is ast.AsyncFunctionDef:
                saved = ctx.enter(Frame("def", stmt, True, stmt.name))  # type: ignore[attr-defined]
                body(stmt.body)  # type: ignore[attr-defined]
                ctx.leave(saved)
            elif t is ast.ClassDef:
                saved = ctx.enter(Frame("class", stmt, True, stmt.name))  # type: ignore[attr-defined]
                body(stmt.body)  # type: ignore[attr-defined]
                ctx.leave(saved)
            elif t is ast.If:
                frames.append(Frame("if", stmt, True))
                body(stmt.body)  # type: ignore[attr-defined]
                frames.pop()
                if stmt.orelse:  # type: ignore[attr-defined]
                    frames.append(Frame("if", stmt, False))
                    body(stmt.orelse)  # type: ignore[attr-defined]
                    frames.pop()
            elif t is ast.For or t is ast.AsyncFor or t is ast.While:
                frames.append(Frame("while" if t is ast.While else "for", stmt))
                body(stmt.body)  # type: ignore[attr-defined]
                frames.pop()
                if stmt.orelse:  # type: ignore[attr-defined]
                    frames.append(Frame("try", stmt))
                    body(stmt.orelse)  # type: ignore[attr-defined]
                    frames.pop()
            elif t is ast.With or t is ast.AsyncWith:
                frames.append(Frame("with", stmt))
                body(stmt.body)  # type: ignore[attr-defined]
                frames.pop()
            elif t is ast.Try or t.__name__ == "TryStar":
                frames.append(Frame("try", stmt))
                body(stmt.body)  # type: ignore[attr-defined]
                for h in stmt.handlers:  # type: ignore[attr-defined]
                    body(h.body)
                body(stmt.orelse)  # type: ignore[attr-defined]
                body(stmt.finalbody)  # type: ignore[attr-defined]
                frames.pop()
            elif t is ast.Match:
                frames.append(Frame("match", stmt))
                for case in stmt.cases:  # type: ignore[attr-defined]
                    body(case.body)
                frames.pop()
            for fn in leave.get(t, ()):
                fn(stmt, ctx)

    try:
        body(tree.body)
    finally:
        # ``body`` refers to itself through its closure cell: without this the
        # function, the visitors' dispatch tables and through them the whole tree
        # would be cyclic garbage that only the collector frees (see extraction)
        del body


def walk_nodes(node: ast.AST) -> list[ast.AST]:
    """``list(ast.walk(node))`` in the same breadth-first order, without the ``ctx`` markers, at a fraction of the cost.

    ``ast.walk`` is a generator over ``iter_child_nodes``, itself a generator over
    ``iter_fields``: three Python frames per node.  The per-file walk collects the
    expression nodes of every statement, so this loop is on the hot path of a scan.
    The ``Load``/``Store``/``Del`` objects under ``Name``, ``Attribute``... are a third
    of all nodes and no visitor looks for them (they read ``node.ctx`` instead).
    Each node type's fields that can hold nodes are looked up once
    (:func:`_child_fields`): a ``Name`` or a ``Constant``, most of the nodes, has none.
    """
    out = [node]
    i = 0
    AST = ast.AST
    table = _CHILD_FIELDS
    while i < len(out):
        n = out[i]
        i += 1
        fields = table.get(type(n))
        if fields is None:
            fields = _child_fields(type(n))
        for name in fields:
            v = getattr(n, name, None)
            if isinstance(v, AST):
                out.append(v)
            elif isinstance(v, list):
                for x in v:
                    if isinstance(x, AST):
                        out.append(x)
    return out


#: node type -> the fields that can hold nodes (see :func:`_child_fields`)
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}

#: fields that never hold a node: names, flags, numbers, constants' values (and ``ctx``,
#: which holds a marker node that :func:`walk_nodes` leaves out on purpose)
_SCALAR_FIELDS: dict[str, frozenset[str]] = {
    "Name": frozenset({"id", "ctx"}),
    "Attribute": frozenset({"attr", "ctx"}),
    "Subscript": frozenset({"ctx"}),
    "Starred": frozenset({"ctx"}),
    "List": frozenset({"ctx"}),
    "Tuple": frozenset({"ctx"}),
    "Constant": frozenset({"value", "kind"}),
    "keyword": frozenset({"arg"}),
    "arg": frozenset({"arg", "type_comment"}),
    "alias": frozenset({"name", "asname"}),
    "FormattedValue": frozenset({"conversion"}),
    "comprehension": frozenset({"is_async"}),
    "MatchSingleton": frozenset({"value"}),
    "MatchStar": frozenset({"name"}),
    "MatchAs": frozenset({"name"}),
    "MatchMapping": frozenset({"rest"}),
    "MatchClass": frozenset({"kwd_attrs"}),
    "ExceptHandler": frozenset({"name"}),
}


def _child_fields(t: type) -> tuple[str, ...]:
    """The fields of node type ``t`` that can hold nodes, in field order (cached in :data:`_CHILD_FIELDS`).

    Only fields known never to hold one are left out; every value is still checked to be
    a node, so a node type this table does not know is walked field by field."""
    skip = _SCALAR_FIELDS.get(t.__name__, frozenset({"ctx"})) | {"ctx"}
    fields = _CHILD_FIELDS[t] = tuple(f for f in getattr(t, "_fields", ()) if f not in skip)
    return fields


_STMT_LIST_FIELDS = {"body", "orelse", "finalbody", "handlers", "cases"}


def statement_expressions(stmt: ast.stmt) -> Iterator[ast.AST]:
    """The expression children of a statement (not its nested statement bodies)."""
    for name, value in ast.iter_fields(stmt):
        if name in _STMT_LIST_FIELDS:
            if name == "handlers":
                for h in value:
                    if h.type is not None:
                        yield h.type
            elif name == "cases":
                for c in value:
                    if c.guard is not None:
                        yield c.guard
            continue
        if isinstance(value, ast.AST):
            yield value
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, ast.AST):
                    yield item


def dotted_name(node: ast.AST | None) -> str:
    """``a.b.c`` for a Name/Attribute chain, "" for anything else."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


def call_name(node: ast.AST) -> str:
    """Dotted name of a call's callee (``a.b.c(...)`` -> ``a.b.c``), "" when not a plain chain."""
    if isinstance(node, ast.Call):
        return dotted_name(node.func)
    return ""


def call_arg(node: ast.Call, index: int, name: str) -> ast.expr | None:
    """Positional argument ``index`` (-1: keyword only) or keyword ``name``."""
    for kw in node.keywords:
        if kw.arg == name:
            return kw.value
    if 0 <= index < len(node.args) and not any(isinstance(a, ast.Starred) for a in node.args[: index + 1]):
        return node.args[index]
    return None
