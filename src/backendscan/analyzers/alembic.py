"""Alembic migrations as a second source for the data model (analyzer ``alembic``).

Finds revision scripts (module-level ``revision`` and ``down_revision``, with
``alembic.op`` imported), replays their ``upgrade()`` operations in DAG order
(:mod:`.alembic_fold`) and compares the resulting tables with the models of
the ``sqlalchemy`` analyzer:

* ``table-without-model`` (info): migrations create a table that no model or
  ``Table`` object maps (reported at the ``create_table`` call);
* ``model-without-migration`` (warning): a model's table is created by no
  migration (reported at the model).

When ``env.py`` sets ``target_metadata = Base.metadata`` (or a list), only the
models of those bases are compared with that script directory's revisions.
``sa.Table(...)`` objects built inside data migrations are local to the
migration and never count as tables.  Nothing is compared when the project
has no revision scripts.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import ClassVar

from ..facts import OrmModel
from ..model import FileKind, Finding, Location, Severity
from ..parsing import ParsedModule
from ..project import Project
from ..visiting import Context, FileVisitor, dotted_name, statement_expressions
from .alembic_fold import OPS, AlembicSummary, Folder, FoldResult, OpEvent, Revision, key, receiver_text
from .base import AnalyzerOutput
from .sqla_bases import is_alembic_module
from .sqla_columns import CallReader
from .sqlalchemy import scan_models


class AlembicVisitor(FileVisitor):
    """Records operation calls per module-level function, with batch contexts."""

    def __init__(self, parsed: ParsedModule) -> None:
        self.parsed = parsed
        self.events: list[OpEvent] = []
        self.batches: list[tuple[str, ast.expr, ast.expr | None]] = []
        self.functions: set[str] = set()

    def visit_FunctionDef(self, node: ast.FunctionDef, ctx: Context) -> None:
        if not ctx.frames:
            self.functions.add(node.name)

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_With(self, node: ast.With, ctx: Context) -> None:
        for item in node.items:
            call = item.context_expr
            if (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute)
                and call.func.attr == "batch_alter_table"
                and isinstance(item.optional_vars, ast.Name)
            ):
                table = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "table_name"), None)
                schema = next((k.value for k in call.keywords if k.arg == "schema"), None)
                if table is not None:
                    self.batches.append((item.optional_vars.id, table, schema))

    def leave_With(self, node: ast.With, ctx: Context) -> None:
        names = {item.optional_vars.id for item in node.items if isinstance(item.optional_vars, ast.Name)}
        self.batches = [b for b in self.batches if b[0] not in names]

    def visit_stmt(self, stmt: ast.stmt, ctx: Context) -> None:
        if not ctx.frames or ctx.frames[0].kind != "def" or isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return
        function = ctx.frames[0].name
        conditional = any(fr.kind in ("if", "for", "while", "try") for fr in ctx.frames[1:])
        loops = tuple((f.target, f.iter) for f in ctx.loops())
        exprs = [stmt.items[i].context_expr for i in range(len(stmt.items))] if isinstance(stmt, (ast.With, ast.AsyncWith)) else list(statement_expressions(stmt))
        calls = [n for e in exprs for n in ast.walk(e) if isinstance(n, ast.Call)]
        calls.sort(key=lambda c: (c.lineno, c.col_offset))
        for call in calls:
            func = call.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.attr in OPS:
                batch = next((b for b in reversed(self.batches) if b[0] == func.value.id), None)
                table, schema = (batch[1], batch[2]) if batch is not None else (None, None)
                self.events.append(OpEvent(function, "op", func.attr, call, table, schema, conditional, loops))
            elif isinstance(func, ast.Attribute) and func.attr == "create_all":
                self.events.append(OpEvent(function, "create_all", receiver_text(call), call, None, None, conditional, loops))
            elif isinstance(func, ast.Name):
                self.events.append(OpEvent(function, "call", func.id, call, None, None, conditional, loops))

    def finish(self) -> AlembicSummary:
        # op calls must be on a name bound to alembic.op; resolved later (the head name is kept in node.func)
        return AlembicSummary(tuple(e for e in self.events if e.kind != "call" or e.name in self.functions))


class AlembicAnalyzer:
    """Analyzer plugin ``alembic`` (see the module docstring)."""

    name: ClassVar[str] = "alembic"
    version: ClassVar[str] = "2"

    def interested(self, module: str, text: str) -> bool:
        return ("down_revision" in text and "revision" in text) or "target_metadata" in text

    def visitor(self, parsed: ParsedModule) -> FileVisitor:
        return AlembicVisitor(parsed)

    def resolve(self, project: Project) -> AnalyzerOutput:
        schemas = migration_schemas(project, self.name)
        if not schemas:
            return AnalyzerOutput()
        scan = scan_models(project)
        findings: list[Finding] = []
        notes: list[tuple[str, str]] = []
        bootstrap, unknown_sites = _create_all_outside_migrations(project, scan)
        if unknown_sites:
            notes.append(
                ("alembic", "create_all() outside the migrations at " + ", ".join(loc.short for loc in unknown_sites)
                 + " may create tables too; models without a migration are reported as info only")
            )
        for schema in schemas:
            models = [m for m in scan.models if schema.target is None or m.base in schema.target]
            baseline = {key(m.schema, m.table).lower() for m in scan.models if m.base in bootstrap and m.table}
            models = [m for m in models if key(m.schema, m.table).lower() not in baseline]
            findings += _compare(project, schema.result, models, scan.models, unknown_sites)
            for u in schema.result.unresolved:
                findings.append(
                    Finding("migration-op-unresolved", Severity.INFO, f"migration operation not followed: {u.expr} ({u.reason})",
                            u.location, category="models")
                )
            notes.append(
                ("alembic", f"{schema.result.revisions} revisions in {schema.result.trees} script folder(s) "
                 f"({', '.join(schema.folders)}) create {len(schema.result.tables)} tables")
            )
        return AnalyzerOutput(findings=tuple(findings), notes=tuple(notes))


@dataclass(frozen=True)
class MigrationSchema:
    """The tables the revisions of some script folders build, and the model bases they are for."""

    target: tuple[str, ...] | None  # base groups of env.py's target_metadata (None: unknown, compare all)
    folders: tuple[str, ...]
    result: FoldResult


def migration_schemas(project: Project, analyzer: str = "alembic") -> list[MigrationSchema]:
    """Fold every Alembic revision of the project, grouped by the ``env.py`` that runs them."""
    summaries = {m: s for m, s in project.summaries_of(analyzer).items() if isinstance(s, AlembicSummary)}
    revisions = _revisions(project, summaries)
    if not revisions:
        return []
    scan = scan_models(project)
    reader = CallReader(project, frozenset(scan.discovery.fsa), lambda q: None)
    summaries = {m: _only_alembic_ops(project, m, s) for m, s in summaries.items()}
    envs = _env_targets(project, scan)
    groups: dict[tuple[str, ...] | None, dict[str, list[Revision]]] = {}
    for r in revisions:
        target = _target_for(r, envs)
        groups.setdefault(target, {}).setdefault(r.directory, []).append(r)
    out = []
    for target, trees in sorted(groups.items(), key=lambda kv: (kv[0] is None, kv[0] or ())):
        out.append(MigrationSchema(target, tuple(sorted(trees)), Folder(project, reader, summaries).fold(trees)))
    return out


def _create_all_outside_migrations(project: Project, scan) -> tuple[set[str], list[Location]]:  # type: ignore[no-untyped-def]
    """Bases whose tables the project creates with ``create_all()`` in its own code (a schema
    baseline, e.g. MLflow's ``InitialBase.metadata.create_all(engine)``), and the places where
    ``create_all()`` is called on something the scan cannot name (indico's ``db.create_all()``
    on a parameter)."""
    groups = scan.discovery.metadata_groups
    bases = scan.discovery.bases
    fsa = scan.discovery.fsa
    found: set[str] = set()
    unknown: list[Location] = []
    for m in sorted(project.summaries_of("sqlalchemy")):
        mod = project.modules.get(m)
        syms = project.symbols.get(m)
        if mod is None or syms is None or mod.kind is not FileKind.SOURCE or is_alembic_module(project, m):
            continue
        for call in syms.calls:
            if not call.callee.endswith(".create_all") or call.callee.startswith("?"):
                continue
            receiver = call.callee[: -len(".create_all")]
            q = project.resolve_name(m, receiver, call.scope)
            group = groups.get(q) or (q[: -len(".metadata")] if q.endswith(".metadata") and q[: -len(".metadata")] in bases else "")
            if not group and q in fsa:
                group = fsa[q].qual
            if group:
                found.add(group)
            else:
                unknown.append(Location(mod.path, call.line, call.column))
    return found, unknown


def _revisions(project: Project, summaries: dict[str, AlembicSummary]) -> list[Revision]:
    out: list[Revision] = []
    for m in sorted(summaries):
        mod = project.modules.get(m)
        if mod is None or mod.kind is FileKind.TEST:
            continue
        syms = project.symbols.get(m)
        if syms is None:
            continue
        # a revision script: revision/down_revision at module level, and it imports alembic or
        # sits in a versions/ folder (data migrations may not import op at all)
        if not (any(b.target.split(".")[0] == "alembic" for b in syms.bindings) or "/versions/" in "/" + mod.path):
            continue
        values = {a.target: a for a in syms.assignments if a.scope == "" and a.op == "=" and a.target in ("revision", "down_revision")}
        if "revision" not in values or "down_revision" not in values:
            continue
        rev = project.evaluate(m, values["revision"].value)
        down = project.evaluate(m, values["down_revision"].value)
        if not rev.ok or not isinstance(rev.value, str):
            continue
        downs: tuple[str, ...] = ()
        if down.ok and isinstance(down.value, str):
            downs = (down.value,)
        elif down.ok and isinstance(down.value, (list, tuple)):
            downs = tuple(x for x in down.value if isinstance(x, str))
        path = mod.path
        out.append(Revision(m, path, rev.value, downs, path.rsplit("/", 1)[0] if "/" in path else ""))
    return out


def _only_alembic_ops(project: Project, module: str, s: AlembicSummary) -> AlembicSummary:
    """Keep ``<name>.<op>(...)`` only when ``<name>`` is ``alembic.op`` or a batch context."""
    kept = []
    for e in s.events:
        if e.kind == "op" and e.batch_table is None:
            head = dotted_name(e.node.func).split(".", 1)[0]
            fn_scope = e.function
            if project.resolve_name(module, head, fn_scope) not in ("alembic.op",) and not project.resolve_name(
                module, head, fn_scope
            ).startswith("alembic.op"):
                continue
        kept.append(e)
    return AlembicSummary(tuple(kept))


def _env_targets(project: Project, scan) -> dict[str, tuple[str, ...] | None]:  # type: ignore[no-untyped-def]
    """Folder of each Alembic ``env.py`` -> the base groups of its ``target_metadata`` (None: unknown)."""
    out: dict[str, tuple[str, ...] | None] = {}
    groups = scan.discovery.metadata_groups
    bases = scan.discovery.bases
    for m, mod in project.modules.items():
        if not mod.path.endswith("env.py"):
            continue
        syms = project.symbols.get(m)
        if syms is None or not any(b.target == "alembic.context" for b in syms.bindings):
            continue
        assigns = [a for a in syms.assignments if a.scope == "" and a.target == "target_metadata" and a.value is not None]
        folder = mod.path.rsplit("/", 1)[0] if "/" in mod.path else ""
        if not assigns:
            out[folder] = None
            continue
        value = assigns[-1].value
        elts = value.elts if isinstance(value, (ast.List, ast.Tuple)) else [value]
        found: list[str] = []
        for e in elts:
            name = dotted_name(e)
            if not name:
                found = []
                break
            q = project.resolve_name(m, name, "")
            g = groups.get(q) or (q[: -len(".metadata")] if q.endswith(".metadata") and q[: -len(".metadata")] in bases else "")
            if not g:
                found = []
                break
            found.append(g)
        out[folder] = tuple(sorted(found)) if found else None
    return out


def _target_for(r: Revision, envs: dict[str, tuple[str, ...] | None]) -> tuple[str, ...] | None:
    """The ``target_metadata`` groups of the closest ``env.py`` above the revision's folder."""
    cands = [f for f in envs if f == "" or r.directory == f or r.directory.startswith(f + "/")]
    if not cands:
        return None
    return envs[max(cands, key=len)]


def _compare(
    project: Project, result: FoldResult, models: list[OrmModel], all_models: tuple[OrmModel, ...],
    create_all_sites: list[Location] = (),  # type: ignore[assignment]
) -> list[Finding]:
    findings: list[Finding] = []
    model_tables: dict[str, OrmModel] = {}
    for m in models:
        if m.table and m.table_status != "unresolved" and m.kind in ("model", "table"):
            model_tables.setdefault(key(m.schema, m.table), m)
    any_tables = {key(m.schema, m.table).lower() for m in all_models if m.table}
    mig_lower = {k.lower() for k in result.tables}
    created_by_all = {name for name, _ in result.create_all}
    for k in sorted(result.tables):
        t = result.tables[k]
        if k in model_tables or k.lower() in any_tables:
            continue
        findings.append(
            Finding(
                "table-without-model",
                Severity.INFO,
                f"migrations create table {k} but no model or Table object maps it",
                t.created_at,
                symbol=k,
                hint="Drop the table in a migration, or add the model that uses it.",
                category="models",
            )
        )
    if created_by_all:
        return findings  # metadata.create_all() in a migration creates every model table: nothing to compare
    for k in sorted(model_tables):
        if k.lower() in mig_lower:
            continue
        m = model_tables[k]
        maybe = ""
        if create_all_sites:
            maybe = f" (create_all() at {create_all_sites[0].short} may create it outside the migrations)"
        findings.append(
            Finding(
                "model-without-migration",
                Severity.INFO if create_all_sites else Severity.WARNING,
                f"table {k} of {m.class_name or 'a Table object'} is created by no migration{maybe}",
                Location(m.file, m.line),
                symbol=m.class_name or k,
                hint="Generate a migration for it (alembic revision --autogenerate).",
                category="models",
            )
        )
    return findings
