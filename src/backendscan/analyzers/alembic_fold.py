"""Replay Alembic revisions into the schema they build ("migration schema").

Revisions are grouped by script directory (``versions/`` folder; two folders
such as Prefect's ``postgresql/`` and ``sqlite/`` trees are separate), ordered
by their ``revision``/``down_revision`` DAG (merge revisions list several
parents; ties are broken by revision id), and their ``upgrade()`` operations
are folded in that order:

``create_table``, ``drop_table``, ``rename_table``, ``add_column``,
``drop_column``, ``alter_column(new_column_name=...)``, ``create_foreign_key``,
the same operations on ``batch_alter_table`` contexts, ``op.execute`` with a
literal ``CREATE TABLE``/``DROP TABLE``/``ALTER TABLE ... RENAME TO`` and
``<Base>.metadata.create_all()``.  Calls to helper functions of the same
migration module are followed (three levels).  ``sa.Table(...)`` objects in
data migrations are not tables of the schema: only operations count.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any

from ..model import Location, Unresolved
from ..project import Project, Value, resolved
from ..visiting import dotted_name
from .sqla_columns import Arg, CallReader, ColumnDraft

OPS = frozenset(
    "create_table drop_table rename_table add_column drop_column alter_column create_foreign_key "
    "drop_constraint create_index drop_index execute create_primary_key".split()
)

_SQL_CREATE = re.compile(r"\bCREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([`\"\[]?[\w.]+[`\"\]]?)", re.I)
_SQL_DROP = re.compile(r"\bDROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?([`\"\[]?[\w.]+[`\"\]]?)", re.I)
_SQL_RENAME = re.compile(r"\bALTER\s+TABLE\s+([`\"\[]?[\w.]+[`\"\]]?)\s+RENAME\s+TO\s+([`\"\[]?[\w.]+[`\"\]]?)", re.I)


@dataclass(frozen=True)
class OpEvent:
    """One call inside a migration function, in source order."""

    function: str  # module-level function it is in
    kind: str  # "op", "call" (helper of the same module), "create_all"
    name: str  # operation name, helper name, or the create_all receiver text
    node: ast.Call
    batch_table: ast.expr | None = None
    batch_schema: ast.expr | None = None
    conditional: bool = False
    loops: tuple[tuple[ast.expr, ast.expr], ...] = ()  # enclosing ``for`` loops: (target, iterable)


@dataclass(frozen=True)
class AlembicSummary:
    """The operation calls of one file, per module-level function."""

    events: tuple[OpEvent, ...] = ()


@dataclass
class MigTable:
    """A table in the migration schema."""

    name: str
    schema: str
    created_at: Location
    columns: dict[str, ColumnDraft] = field(default_factory=dict)
    foreign_keys: list[tuple[str, str]] = field(default_factory=list)  # (column, "table.column")


@dataclass
class Revision:
    """A revision script."""

    module: str
    path: str
    revision: str
    down: tuple[str, ...]
    directory: str


@dataclass
class FoldResult:
    """Tables after all revisions of all trees, plus what could not be followed."""

    tables: dict[str, MigTable] = field(default_factory=dict)  # key: schema.name or name
    create_all: list[tuple[str, Location]] = field(default_factory=list)  # metadata/base canonical names
    unresolved: list[Unresolved] = field(default_factory=list)
    revisions: int = 0
    trees: int = 0


def key(schema: str, name: str) -> str:
    return f"{schema}.{name}" if schema else name


def _strip_quotes(name: str) -> str:
    return name.strip('`"[]')


def order_revisions(revs: list[Revision]) -> list[Revision]:
    """Topological order of one script directory (parents first; ties by revision id)."""
    by_id = {r.revision: r for r in revs}
    children: dict[str, list[str]] = {}
    indeg: dict[str, int] = {r.revision: 0 for r in revs}
    for r in revs:
        for d in r.down:
            if d in by_id:
                indeg[r.revision] += 1
                children.setdefault(d, []).append(r.revision)
    ready = sorted(rid for rid, n in indeg.items() if n == 0)
    out: list[Revision] = []
    while ready:
        rid = ready.pop(0)
        out.append(by_id[rid])
        for c in sorted(children.get(rid, [])):
            indeg[c] -= 1
            if indeg[c] == 0:
                ready.append(c)
        ready.sort()
    done = {r.revision for r in out}
    out += sorted((r for r in revs if r.revision not in done), key=lambda r: r.revision)  # cycles: keep going
    return out


class Folder:
    """Folds revision operations (see the module docstring)."""

    def __init__(self, project: Project, reader: CallReader, summaries: dict[str, AlembicSummary]) -> None:
        self.p = project
        self.reader = reader
        self.summaries = summaries
        self._env: dict[str, Value] = {}  # loop variables and helper parameters in effect
        self._scope = ""

    def fold(self, trees: dict[str, list[Revision]]) -> FoldResult:
        result = FoldResult()
        for directory in sorted(trees):
            revs = order_revisions(trees[directory])
            result.trees += 1
            result.revisions += len(revs)
            state: dict[str, MigTable] = {}
            for r in revs:
                self._run_function(r, "upgrade", state, result, 0)
            for k, t in state.items():
                result.tables.setdefault(k, t)
        return result

    def _run_function(
        self, r: Revision, fname: str, state: dict[str, MigTable], result: FoldResult, depth: int,
        env: dict[str, Value] | None = None,
    ) -> None:
        summary = self.summaries.get(r.module)
        if summary is None or depth > 3:
            return
        for ev in summary.events:
            if ev.function != fname:
                continue
            if ev.kind == "call" and not self._has_ops(summary, ev.name, set()):
                continue  # a helper that performs no schema operation
            for loop_env in self._iterations(r, ev, env or {}, result):
                self._env, self._scope = loop_env, fname
                if ev.kind == "call":
                    if ev.name != fname:
                        self._run_function(r, ev.name, state, result, depth + 1, self._bind(r, ev))
                    continue
                if ev.kind == "create_all":
                    result.create_all.append((ev.name, Location.of(r.path, ev.node)))
                    continue
                try:
                    self._apply(r, ev, state, result)
                except (AttributeError, IndexError, KeyError, TypeError, ValueError):
                    result.unresolved.append(
                        Unresolved(_text(ev.node), "operation not understood", Location.of(r.path, ev.node))
                    )

    def _has_ops(self, summary: AlembicSummary, fname: str, seen: set[str]) -> bool:
        if fname in seen:
            return False
        seen.add(fname)
        for ev in summary.events:
            if ev.function != fname:
                continue
            if ev.kind in ("op", "create_all") or (ev.kind == "call" and self._has_ops(summary, ev.name, seen)):
                return True
        return False

    def _iterations(self, r: Revision, ev: OpEvent, env: dict[str, Value], result: FoldResult) -> list[dict[str, Value]]:
        """One environment per iteration of the enclosing ``for`` loops (literal iterables only)."""
        envs = [dict(env)]
        for target, iterable in ev.loops:
            nxt: list[dict[str, Value]] = []
            for e in envs:
                v = self.p.evaluate(r.module, iterable, ev.function, e)
                if not v.ok or not isinstance(v.value, (list, tuple, set, frozenset, dict)):
                    if not _changes_tables(ev):
                        return []  # an index/constraint/data statement: nothing the comparison needs
                    result.unresolved.append(
                        Unresolved(_text(ev.node), f"in a loop over {_text(iterable)}, which is not a constant",
                                   Location.of(r.path, ev.node))
                    )
                    return []
                for item in v.value:
                    bound = _assign(target, item)
                    if bound is None:
                        return []
                    nxt.append({**e, **bound})
            envs = nxt
        return envs

    def _bind(self, r: Revision, ev: OpEvent) -> dict[str, Value]:
        """Arguments of a call to a helper function of the migration, evaluated in the caller."""
        fn = self.p.symbols[r.module].function(ev.name) if r.module in self.p.symbols else None
        if fn is None:
            return {}
        params = [a.arg for a in fn.args.posonlyargs + fn.args.args + fn.args.kwonlyargs]
        out: dict[str, Value] = {}
        for p, a in zip(params, ev.node.args):
            out[p] = self.p.evaluate(r.module, a, self._scope, self._env)
        for kw in ev.node.keywords:
            if kw.arg:
                out[kw.arg] = self.p.evaluate(r.module, kw.value, self._scope, self._env)
        return {k: v for k, v in out.items() if v.ok}

    # ----------------------------------------------------------------- ops
    def _str(self, r: Revision, node: ast.expr | None) -> str | None:
        if node is None:
            return None
        if isinstance(node, ast.Constant):
            return node.value if isinstance(node.value, str) else None
        if self._env:
            v = self.p.evaluate(r.module, node, self._scope, self._env)
            return v.value if v.ok and isinstance(v.value, str) else None
        value = self.reader.evaluate(Arg(node, r.module, self._scope))
        return value if isinstance(value, str) else None

    def _arg(self, call: ast.Call, index: int, name: str) -> ast.expr | None:
        for kw in call.keywords:
            if kw.arg == name:
                return kw.value
        positional = [a for a in call.args if not isinstance(a, ast.Starred)]
        return positional[index] if index < len(positional) else None

    def _apply(self, r: Revision, ev: OpEvent, state: dict[str, MigTable], result: FoldResult) -> None:
        call = ev.node
        op = ev.name
        loc = Location.of(r.path, call)
        batch = ev.batch_table is not None
        shift = 0 if batch else 1  # batch operations have no table argument
        if batch:
            table = self._str(r, ev.batch_table)
            schema = self._str(r, ev.batch_schema) or ""
        else:
            first = {"rename_table": "old_table_name", "create_foreign_key": "constraint_name"}.get(op, "table_name")
            table = self._str(r, self._arg(call, 0, first))
            schema = self._str(r, self._arg(call, 99, "schema")) or ""
        if op == "execute":
            self._execute(r, call, state, loc)
            return
        if op == "create_foreign_key":
            self._create_fk(r, call, batch, table, schema, state)
            return
        if op in _NO_TABLE_EFFECT:
            return  # a table's existence does not change
        if op == "alter_column" and self._arg(call, 99, "new_column_name") is None:
            return  # type/nullability changes are not compared
        if table is None:
            where = ev.batch_table if batch else call
            result.unresolved.append(Unresolved(_text(where), f"table name of op.{op} is not a constant", loc))
            return
        k = key(schema, table)
        if op == "create_table":
            t = MigTable(table, schema, loc)
            for a in call.args[1:]:
                if isinstance(a, ast.Call):
                    spec = self.reader.call_spec(r.module, "", a)
                    if spec is not None and spec.name == "Column":
                        col = self.reader.read_column(spec, "", a.lineno, None, "column")
                        t.columns[col.name] = col
                        t.foreign_keys += [(col.name, f.text) for f in col.fks if f.text]
                    elif spec is not None and spec.name == "ForeignKeyConstraint":
                        t.foreign_keys += [(f.column, f.text) for f in self.reader.constraint_fks(spec) if f.text]
                    elif spec is not None and spec.name == "PrimaryKeyConstraint":
                        for pa in spec.args:
                            name = self.reader.constraint_column(pa)
                            if name in t.columns:
                                t.columns[name].primary_key = True
                                t.columns[name].nullable = False
            state[k] = t
        elif op == "drop_table":
            state.pop(k, None)
        elif op == "rename_table":
            new = self._str(r, self._arg(call, 1, "new_table_name"))
            if new is None:
                result.unresolved.append(Unresolved(_text(call), "new table name is not a constant", loc))
                return
            moved = state.pop(k, None) or MigTable(table, schema, loc)
            moved.name = new
            state[key(schema, new)] = moved
        elif op == "add_column":
            col_node = self._arg(call, shift, "column")
            t = state.setdefault(k, MigTable(table, schema, loc))
            if isinstance(col_node, ast.Call):
                spec = self.reader.call_spec(r.module, "", col_node)
                if spec is not None and spec.name == "Column":
                    col = self.reader.read_column(spec, "", col_node.lineno, None, "column")
                    t.columns[col.name] = col
        elif op == "drop_column":
            column = self._str(r, self._arg(call, shift, "column_name"))
            if k in state and column:
                state[k].columns.pop(column, None)
        elif op == "alter_column":
            old_name = self._str(r, self._arg(call, shift, "column_name"))
            renamed = self._str(r, self._arg(call, 99, "new_column_name"))
            if k in state and old_name and renamed and old_name in state[k].columns:
                cols = state[k].columns
                state[k].columns = {(renamed if n == old_name else n): c for n, c in cols.items()}
                state[k].columns[renamed].name = renamed

    def _create_fk(self, r: Revision, call: ast.Call, batch: bool, batch_table: str | None, batch_schema: str,
                   state: dict[str, MigTable]) -> None:
        """``create_foreign_key(name, source, referent, local_cols, remote_cols)`` (batch: no source)."""
        if batch:
            source, schema = batch_table, batch_schema
            referent = self._str(r, self._arg(call, 1, "referent_table"))
            local, remote = self._arg(call, 2, "local_cols"), self._arg(call, 3, "remote_cols")
        else:
            source = self._str(r, self._arg(call, 1, "source_table"))
            schema = self._str(r, self._arg(call, 99, "source_schema")) or ""
            referent = self._str(r, self._arg(call, 2, "referent_table"))
            local, remote = self._arg(call, 3, "local_cols"), self._arg(call, 4, "remote_cols")
        ref_schema = self._str(r, self._arg(call, 99, "referent_schema")) or ""
        t = state.get(key(schema, source or ""))
        if t is None or referent is None or not isinstance(local, (ast.List, ast.Tuple)) or not isinstance(remote, (ast.List, ast.Tuple)):
            return
        for lc, rc in zip(local.elts, remote.elts):
            lv, rv = self._str(r, lc), self._str(r, rc)
            if lv and rv:
                t.foreign_keys.append((lv, f"{key(ref_schema, referent)}.{rv}"))

    def _execute(self, r: Revision, call: ast.Call, state: dict[str, MigTable], loc: Location) -> None:
        sql = self._str(r, self._arg(call, 0, "sqltext"))
        if not sql:
            return
        for m in _SQL_CREATE.finditer(sql):
            full = _strip_quotes(m.group(1))
            schema, _, name = full.rpartition(".")
            state.setdefault(key(schema, name), MigTable(name, schema, loc))
        for m in _SQL_DROP.finditer(sql):
            full = _strip_quotes(m.group(1))
            schema, _, name = full.rpartition(".")
            state.pop(key(schema, name), None)
        for m in _SQL_RENAME.finditer(sql):
            old = _strip_quotes(m.group(1))
            new = _strip_quotes(m.group(2))
            schema, _, name = old.rpartition(".")
            t = state.pop(key(schema, name), None) or MigTable(name, schema, loc)
            t.name = new.rpartition(".")[2]
            state[key(schema, t.name)] = t


_NO_TABLE_EFFECT = frozenset({"drop_constraint", "create_index", "drop_index", "create_primary_key"})
_DDL = re.compile(r"\b(CREATE|DROP|ALTER)\s+TABLE\b", re.I)


def _changes_tables(ev: OpEvent) -> bool:
    """Can this event add, drop or rename a table or column?"""
    if ev.kind != "op":
        return True
    if ev.name in _NO_TABLE_EFFECT:
        return False
    if ev.name == "execute":
        return bool(_DDL.search(_text(ev.node)))
    return True


def _assign(target: ast.expr, item: Any) -> dict[str, Value] | None:
    if isinstance(target, ast.Name):
        return {target.id: resolved(item)}
    if isinstance(target, (ast.Tuple, ast.List)) and isinstance(item, (list, tuple)) and len(item) == len(target.elts):
        out: dict[str, Value] = {}
        for t, v in zip(target.elts, item):
            got = _assign(t, v)
            if got is None:
                return None
            out.update(got)
        return out
    return None


def _text(node: Any) -> str:
    try:
        text = ast.unparse(node)
    except Exception:  # pragma: no cover - defensive
        return "<expr>"
    return text if len(text) <= 120 else text[:119] + "…"


def receiver_text(node: ast.Call) -> str:
    """``Base.metadata.create_all(bind)`` -> ``Base.metadata``."""
    if isinstance(node.func, ast.Attribute):
        return dotted_name(node.func.value)
    return ""
