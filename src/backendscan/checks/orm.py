"""ORM checks: foreign keys without an index, mapped classes without a primary key."""

from __future__ import annotations

import ast
from typing import Iterator

from ..facts import OrmModel
from ..model import Finding, Location, Severity
from ..visiting import dotted_name
from .base import CheckContext, check, split_qualified

#: ORMs that do NOT create an index for a foreign key column (Django does: db_index=True by default)
NO_AUTO_FK_INDEX = {"sqlalchemy", "flask_sqlalchemy", "sqlmodel"}
_INDEX_CALLS = {"Index", "UniqueConstraint", "PrimaryKeyConstraint"}


def _column_arg(node: ast.expr) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    name = dotted_name(node)
    return name.rsplit(".", 1)[-1] if name else ""


def _leading_columns(expr: ast.AST | None) -> set[str]:
    """First columns of Index/UniqueConstraint/PrimaryKeyConstraint calls inside ``expr``."""
    out: set[str] = set()
    if expr is None:
        return out
    for node in ast.walk(expr):
        if not isinstance(node, ast.Call):
            continue
        kind = dotted_name(node.func).rsplit(".", 1)[-1]
        if kind not in _INDEX_CALLS:
            continue
        cols = list(node.args[1:] if kind == "Index" else node.args)
        if cols:
            col = _column_arg(cols[0])
            if col:
                out.add(col)
    return out


def explicit_index_columns(ctx: CheckContext, m: OrmModel) -> set[str]:
    """Columns that lead an index declared in ``__table_args__`` or in a ``Table(...)`` call."""
    p = ctx.project
    out: set[str] = set()
    module = ctx.module_of_path.get(m.file, "")
    syms = p.symbols.get(module)
    if syms is None:
        return out
    if m.class_name:
        _, qual = split_qualified(p, m.class_name)
        for a in syms.class_assignments(qual):
            if a.target == "__table_args__":
                out |= _leading_columns(a.value)
    for a in syms.assignments:
        if a.line == m.line and isinstance(a.value, ast.Call):
            out |= _leading_columns(a.value)
    return out


@check(
    "fk-without-index",
    Severity.WARNING,
    "orm",
    "Foreign key without an index",
    "SQLAlchemy does not index foreign key columns (Django does). Without an index, joins and lookups by the "
    "parent scan the child table, and deleting a parent row (ON DELETE CASCADE or the FK check) locks and "
    "scans it too; this gets slow as the table grows.",
    "Add index=True to the column (or an Index in __table_args__ and a migration that creates it).",
)
def fk_without_index(ctx: CheckContext) -> Iterator[Finding]:
    for m in ctx.result.models:
        if m.orm not in NO_AUTO_FK_INDEX or m.abstract or not m.table or m.table_status in ("none", "unresolved", "inherited"):
            continue
        if m.framework_provided:
            continue
        columns = {c.name: c for c in m.columns}
        pk = [c.name for c in m.columns if c.primary_key]
        explicit = None
        for fk in m.foreign_keys:
            c = columns.get(fk.column)
            if c is None or c.index or c.unique or (pk and pk[0] == c.name):
                continue
            if explicit is None:
                explicit = explicit_index_columns(ctx, m)
            if c.name in explicit or (c.attribute and c.attribute in explicit):
                continue
            yield ctx.finding(
                f"{m.table}.{fk.column} references {fk.references} but has no index "
                f"({m.orm} does not create one for a foreign key)",
                Location(m.file, fk.line or c.line or m.line),
                symbol=m.class_name or m.table,
                key=f"{m.table}.{fk.column}",
            )


@check(
    "model-without-primary-key",
    Severity.ERROR,
    "orm",
    "Mapped class without a primary key",
    "SQLAlchemy refuses to map a class whose table has no primary key (the app fails at import time), "
    "and rows without an identity cannot be updated or deleted reliably.",
    "Add a primary key column (e.g. id: Mapped[int] = mapped_column(primary_key=True)).",
)
def model_without_pk(ctx: CheckContext) -> Iterator[Finding]:
    for m in ctx.result.models:
        if m.orm not in NO_AUTO_FK_INDEX or m.kind != "model" or m.abstract or not m.columns or m.unresolved:
            continue
        if m.framework_provided:
            continue
        if m.table_status in ("none", "unresolved", "inherited") or m.parent or m.inheritance:
            continue
        if any(c.primary_key for c in m.columns):
            continue
        opts = dict(m.options)
        if "__mapper_args__" in opts and "primary_key" in opts["__mapper_args__"]:
            continue
        if "__table__" in opts:
            continue
        if _has_pk_constraint(ctx, m):  # PrimaryKeyConstraint(...) in __table_args__
            continue
        yield ctx.finding(
            f"{m.class_name} (table {m.table}) maps no primary key column",
            Location(m.file, m.line),
            symbol=m.class_name,
        )


def _has_pk_constraint(ctx: CheckContext, m: OrmModel) -> bool:
    p = ctx.project
    module = ctx.module_of_path.get(m.file, "")
    syms = p.symbols.get(module)
    if syms is None or not m.class_name:
        return False
    _, qual = split_qualified(p, m.class_name)
    for a in syms.class_assignments(qual):
        if a.target == "__table_args__" and a.value is not None:
            for node in ast.walk(a.value):
                if isinstance(node, ast.Call) and dotted_name(node.func).endswith("PrimaryKeyConstraint"):
                    return True
    return False
