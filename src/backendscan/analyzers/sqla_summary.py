"""Per-file facts the SQLAlchemy analyzer needs beyond the shared symbol table.

The symbol table already keeps classes, class-level assignments (with their
``ast`` values and annotations) and function headers.  This visitor adds the
few things it does not keep:

* the bodies of small functions (``@declared_attr def __tablename__``, helpers
  such as ``resolve_table_name(name)`` or ``def primary_key(): return Column(...)``),
  so table names and column helpers can be interpreted later;
* calls that map or create classes outside a class statement:
  ``registry.map_imperatively(Cls, table)``, classical ``mapper(Cls, table)``
  and ``type("Name", (Base,), {...})``;
* module-level ``Table(...)`` calls whose result is not assigned (the table is
  still registered on its metadata).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from ..parsing import ParsedModule
from ..visiting import Context, FileVisitor

#: Functions with more statements than this are not interpreted.  One-statement
#: functions are not recorded: the symbol table keeps their ``return`` expression.
MAX_BODY = 8
_SIMPLE = (ast.Assign, ast.AnnAssign, ast.Return, ast.If, ast.Pass)


@dataclass(frozen=True)
class FunctionBody:
    """The statements of a small function (docstring dropped)."""

    qualname: str
    body: tuple[ast.stmt, ...]


@dataclass(frozen=True)
class CallRecord:
    """A mapping call (``map``) or a dynamic class creation (``type``)."""

    kind: str  # "map", "type" or "table" (a module-level Table(...) not assigned to a name)
    node: ast.Call
    scope: str


@dataclass(frozen=True)
class SqlaSummary:
    """What one file contributes (see the module docstring)."""

    bodies: tuple[FunctionBody, ...] = ()
    calls: tuple[CallRecord, ...] = ()


def _strip_docstring(body: list[ast.stmt]) -> list[ast.stmt]:
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        if isinstance(body[0].value.value, str):
            return body[1:]
    return body


def _has_return(stmts: list[ast.stmt]) -> bool:
    for s in stmts:
        if isinstance(s, ast.Return):
            return True
        if isinstance(s, ast.If) and (_has_return(s.body) or _has_return(s.orelse)):
            return True
    return False


class SqlaVisitor(FileVisitor):
    """Collects :class:`SqlaSummary` during the shared walk."""

    def __init__(self, parsed: ParsedModule) -> None:
        self.parsed = parsed
        self.bodies: list[FunctionBody] = []
        self.calls: list[CallRecord] = []

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, ctx: Context) -> None:
        body = _strip_docstring(node.body)
        if not body or len(body) > MAX_BODY or not _has_return(body):
            return
        if len(body) == 1 and isinstance(body[0], ast.Return):
            return
        if ctx.in_function or not all(isinstance(s, _SIMPLE) for s in body):
            return
        prefix = ctx.qualname
        qual = f"{prefix}.{node.name}" if prefix else node.name
        self.bodies.append(FunctionBody(qual, tuple(body)))

    visit_FunctionDef = _function
    visit_AsyncFunctionDef = _function

    def visit_stmt(self, stmt: ast.stmt, ctx: Context) -> None:
        if not isinstance(stmt, (ast.Expr, ast.Assign, ast.AnnAssign, ast.Return)):
            return
        if isinstance(stmt, ast.Expr) and not ctx.frames and isinstance(stmt.value, ast.Call):
            func = stmt.value.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name == "Table":  # ``db.Table("x", db.metadata, ...)`` registered without a variable
                self.calls.append(CallRecord("table", stmt.value, ""))
        for node in ctx.calls(stmt):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in ("map_imperatively", "mapper"):
                self.calls.append(CallRecord("map", node, ctx.scope))
            elif isinstance(func, ast.Name) and func.id == "mapper" and len(node.args) >= 2:
                self.calls.append(CallRecord("map", node, ctx.scope))
            elif isinstance(func, ast.Name) and func.id == "type" and len(node.args) == 3:
                self.calls.append(CallRecord("type", node, ctx.scope))

    def finish(self) -> SqlaSummary:
        return SqlaSummary(tuple(self.bodies), tuple(self.calls))
