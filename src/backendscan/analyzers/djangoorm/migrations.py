"""Django migrations as a second source of tables, compared with the models.

Every ``<app>/migrations/<name>.py`` module with a ``Migration`` class is read
from its symbol table: ``dependencies``, ``replaces`` and the literal
``operations`` list.  The migrations of each app are replayed in dependency
order (a squashed migration stands in for the ones it replaces when both are
present, as Django does for an unmigrated database) on a per-app state:

* ``CreateModel(name, fields, options)``, ``DeleteModel``, ``RenameModel``,
  ``AlterModelTable``, ``AlterModelOptions`` (``managed``, ``proxy``),
  ``AddField``, ``RemoveField``, ``RenameField``, ``AlterField``;
* ``SeparateDatabaseAndState``: its ``state_operations``;
* project subclasses of these operations act like them (on the state);
* ``RunPython``, ``RunSQL`` and unknown operations are opaque (counted in the notes).

The tables of the final state (``db_table`` or ``<app_label>_<model>``, plus the
auto-created many-to-many tables; proxy and unmanaged models have none) are
compared with the model facts of apps that have migrations:

* ``table-without-model`` (info): a table the migrations create that no model maps;
* ``model-without-migration`` (warning; info for a model defined under a
  condition): a model table no migration creates (``makemigrations`` was not
  run, or the migration is elsewhere).

Unmanaged and proxy models are excluded; apps with a model whose table does not
fold are skipped for ``table-without-model``; migrations of test apps (like
their models) are left out.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field, replace
from typing import Any, Iterable

from ...facts import OrmModel
from ...model import FileKind, Finding, Location, Severity
from ...visiting import dotted_name
from . import fields as F
from .apps import AppRegistry, setting
from .schema import Schema

_SIGNATURES = {
    "CreateModel": ("name", "fields", "options", "bases", "managers"),
    "DeleteModel": ("name",),
    "RenameModel": ("old_name", "new_name"),
    "AlterModelTable": ("name", "table"),
    "AlterModelOptions": ("name", "options"),
    "AddField": ("model_name", "name", "field", "preserve_default"),
    "RemoveField": ("model_name", "name"),
    "AlterField": ("model_name", "name", "field", "preserve_default"),
    "RenameField": ("model_name", "old_name", "new_name"),
    "SeparateDatabaseAndState": ("database_operations", "state_operations"),
}
_OPAQUE = {"RunPython", "RunSQL"}
_IGNORED = {
    "AddIndex", "RemoveIndex", "RenameIndex", "AddConstraint", "RemoveConstraint", "AlterConstraint",
    "AlterUniqueTogether", "AlterIndexTogether", "AlterOrderWithRespectTo", "AlterModelManagers",
    "AlterModelTableComment", "CreateExtension", "CreateCollation", "RemoveCollation", "TrigramExtension",
    "HStoreExtension", "UnaccentExtension", "BtreeGinExtension", "BtreeGistExtension", "CITextExtension",
    "CryptoExtension", "BloomExtension", "AddIndexConcurrently", "RemoveIndexConcurrently",
}


@dataclass
class MigrationFile:
    """One migration module."""

    module: str
    label: str
    name: str
    file: str
    line: int
    deps: list[tuple[str, str]] = field(default_factory=list)
    replaces: list[tuple[str, str]] = field(default_factory=list)
    operations: list[ast.expr] = field(default_factory=list)
    opaque_operations: bool = False


@dataclass
class ModelState:
    """A model as the migrations of its app leave it."""

    name: str
    options: dict[str, Any]
    fields: dict[str, F.FieldDef]
    location: Location
    table_location: Location
    field_locations: dict[str, Location] = field(default_factory=dict)


@dataclass
class Replay:
    """Replayed state of every app with migrations."""

    states: dict[str, dict[str, ModelState]]
    files: dict[str, list[MigrationFile]]
    opaque: int = 0
    unknown: dict[str, int] = field(default_factory=dict)


class Migrations:
    """Reads, orders and replays the project's Django migrations."""

    def __init__(self, schema: Schema, apps: AppRegistry) -> None:
        self.s = schema
        self.p = schema.p
        self.apps = apps
        self.disabled: set[str] = set()
        self.module_labels: dict[str, str] = {}
        v = setting(self.p, "MIGRATION_MODULES")
        if v.value is not None and isinstance(v.value, dict):
            for label, mod in v.value.items():
                if mod is None:
                    self.disabled.add(str(label))
                elif isinstance(mod, str):
                    self.module_labels[mod] = str(label)

    def files(self) -> list[MigrationFile]:
        out: list[MigrationFile] = []
        for name in sorted(self.p.modules):
            mod = self.p.modules[name]
            if mod.kind is not FileKind.MIGRATION or mod.is_package:
                continue
            package, _, last = name.rpartition(".")
            if not package or last.startswith(("_", "~")):
                continue
            syms = self.p.symbols.get(name)
            if syms is None:
                continue
            cls = next((c for c in syms.classes if c.scope == "" and c.name == "Migration"), None)
            if cls is None:
                continue
            if package in self.module_labels:
                label = self.module_labels[package]
            elif package.endswith(".migrations") or package == "migrations":
                app_pkg = package[: -len(".migrations")] if "." in package else ""
                if any(self.p.modules[m].kind is FileKind.TEST for m in (app_pkg, app_pkg + ".models") if m in self.p.modules):
                    continue  # a test app: its models are not scanned either
                label = self.apps.label_of_package(app_pkg)[0] if app_pkg else ""
            else:
                continue
            if not label or label in self.disabled:
                continue
            mf = MigrationFile(name, label, last, mod.path, cls.line)
            for a in self.s._assignments(name, cls.qualname):
                if a.value is None or a.op not in ("=", "+="):
                    continue
                if a.target in ("dependencies", "replaces"):
                    pairs = _pairs(self.p.evaluate(name, a.value, a.scope).value)
                    (mf.deps if a.target == "dependencies" else mf.replaces).extend(pairs)
                elif a.target == "operations":
                    elts = self._elements(a.value, name, cls.qualname)
                    if elts is None:
                        mf.opaque_operations = True
                    else:
                        mf.operations.extend(elts)
            out.append(mf)
        return out

    def _elements(self, node: ast.expr | None, module: str, scope: str, depth: int = 0) -> list[ast.expr] | None:
        """The items of a literal operations list, following names (``state_operations = [...]``) and ``+``."""
        if node is None or depth > 10:
            return None
        if isinstance(node, (ast.List, ast.Tuple)):
            return list(node.elts)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left = self._elements(node.left, module, scope, depth + 1)
            right = self._elements(node.right, module, scope, depth + 1)
            return None if left is None or right is None else left + right
        if isinstance(node, ast.Name):
            for sc in (scope, ""):
                found = [a for a in self.s._assignments(module, sc) if a.target == node.id and a.op == "="]
                if found:
                    return self._elements(found[-1].value, module, sc, depth + 1)
        return None

    def ordered(self, files: list[MigrationFile]) -> dict[str, list[MigrationFile]]:
        nodes = {(f.label, f.name): f for f in files}
        replaced: dict[tuple[str, str], tuple[str, str]] = {}
        for f in files:
            if f.replaces and any(r in nodes for r in f.replaces):
                for r in f.replaces:
                    replaced[r] = (f.label, f.name)
        for r in replaced:
            nodes.pop(r, None)
        by_label: dict[str, list[MigrationFile]] = {}
        for key in sorted(nodes):
            by_label.setdefault(key[0], []).append(nodes[key])
        out: dict[str, list[MigrationFile]] = {}
        for label, group in by_label.items():
            names = {f.name for f in group}
            deps = {f.name: {replaced.get(d, d)[1] for d in f.deps if replaced.get(d, d)[0] == label} & names - {f.name}
                    for f in group}
            done: list[MigrationFile] = []
            placed: set[str] = set()
            pending = sorted(group, key=lambda f: f.name)
            while pending:
                ready = [f for f in pending if deps[f.name] <= placed]
                if not ready:  # a cycle: keep name order for the rest
                    ready = pending[:1]
                f = ready[0]
                done.append(f)
                placed.add(f.name)
                pending.remove(f)
            out[label] = done
        return out

    def replay(self) -> Replay:
        files = self.files()
        ordered = self.ordered(files)
        result = Replay({}, ordered)
        for label, group in ordered.items():
            state: dict[str, ModelState] = {}
            for f in group:
                if f.opaque_operations:
                    result.opaque += 1
                for op in f.operations:
                    self._apply(op, f, state, result)
            result.states[label] = state
        return result

    # ------------------------------------------------------------ operations
    def _op(self, node: ast.expr, module: str) -> tuple[str, dict[str, ast.expr]] | None:
        if not isinstance(node, ast.Call):
            return None
        callee = dotted_name(node.func)
        if not callee:
            return None
        q = self.p.resolve_name(module, callee, "Migration")
        name = q.rsplit(".", 1)[-1]
        if not (q.startswith("django.") or callee.startswith("migrations.")):
            # a project subclass of a Django operation (e.g. DeleteModelIfExists(DeleteModel)) has its state effect
            base = next((c for c in self.p.mro(q)[1:] if c.startswith("django.db.migrations")), "")
            if not base:
                return ("?" + name, {})
            name = base.rsplit(".", 1)[-1]
        args: dict[str, ast.expr] = {}
        for pname, a in zip(_SIGNATURES.get(name, ()), node.args):
            args[pname] = a
        for kw in node.keywords:
            if kw.arg:
                args[kw.arg] = kw.value
        return name, args

    def _str(self, node: ast.expr | None, module: str) -> str | None:
        if node is None:
            return None
        v = self.p.evaluate(module, node, "Migration")
        return v.value if v.ok and isinstance(v.value, str) else None

    def _apply(self, node: ast.expr, f: MigrationFile, state: dict[str, ModelState], result: Replay) -> None:
        parsed = self._op(node, f.module)
        if parsed is None:
            return
        name, args = parsed
        loc = self.p.location(f.module, node)
        mod = f.module
        if name == "CreateModel":
            model = self._str(args.get("name"), mod)
            if model is None:
                result.unknown["CreateModel with a computed name"] = result.unknown.get("CreateModel with a computed name", 0) + 1
                return
            options = self._options(args.get("options"), mod)
            st = ModelState(model, options, {}, loc, loc)
            fields_node = args.get("fields")
            if isinstance(fields_node, (ast.List, ast.Tuple)):
                for item in fields_node.elts:
                    self._add_field(st, item, mod, loc)
            state[model.lower()] = st
        elif name == "DeleteModel":
            model = self._str(args.get("name"), mod)
            if model:
                state.pop(model.lower(), None)
        elif name == "RenameModel":
            old, new = self._str(args.get("old_name"), mod), self._str(args.get("new_name"), mod)
            if old and new and old.lower() in state:
                st = state.pop(old.lower())
                st.name = new
                if "db_table" not in st.options:
                    st.table_location = loc
                state[new.lower()] = st
        elif name == "AlterModelTable":
            model = self._str(args.get("name"), mod)
            if model and model.lower() in state:
                st = state[model.lower()]
                table = args.get("table")
                if table is None or (isinstance(table, ast.Constant) and table.value is None):
                    st.options.pop("db_table", None)
                else:
                    v = self.p.evaluate(mod, table, "Migration")
                    st.options["db_table"] = v.value if v.ok and isinstance(v.value, str) else None
                st.table_location = loc
        elif name == "AlterModelOptions":
            model = self._str(args.get("name"), mod)
            if model and model.lower() in state:
                st = state[model.lower()]
                new_opts = self._options(args.get("options"), mod)
                if "managed" in new_opts:
                    st.options["managed"] = new_opts["managed"]
                else:
                    st.options.pop("managed", None)
        elif name in ("AddField", "AlterField"):
            model = self._str(args.get("model_name"), mod)
            fname = self._str(args.get("name"), mod)
            fnode = args.get("field")
            if model and fname and model.lower() in state and isinstance(fnode, ast.Call):
                st = state[model.lower()]
                fd = self.s.parse_field(fnode, mod, "Migration", fname, getattr(node, "lineno", 0), "", f.file)
                if fd is not None:
                    st.fields[fname] = fd
                    if name == "AddField" or fname not in st.field_locations:
                        st.field_locations[fname] = loc
        elif name == "RemoveField":
            model = self._str(args.get("model_name"), mod)
            fname = self._str(args.get("name"), mod)
            if model and fname and model.lower() in state:
                state[model.lower()].fields.pop(fname, None)
        elif name == "RenameField":
            model = self._str(args.get("model_name"), mod)
            old, new = self._str(args.get("old_name"), mod), self._str(args.get("new_name"), mod)
            if model and old and new and model.lower() in state:
                st = state[model.lower()]
                if old in st.fields:
                    st.fields[new] = replace(st.fields.pop(old), attr=new)
                    st.field_locations[new] = st.field_locations.pop(old, loc)
        elif name == "SeparateDatabaseAndState":
            ops = self._elements(args.get("state_operations"), mod, "Migration")
            for op in ops or ():
                self._apply(op, f, state, result)
        elif name in _OPAQUE or name.startswith("?"):
            result.opaque += 1
        elif name not in _IGNORED and name not in _SIGNATURES:
            result.unknown[name] = result.unknown.get(name, 0) + 1

    def _options(self, node: ast.expr | None, module: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if not isinstance(node, ast.Dict):
            return out
        for k, v in zip(node.keys, node.values):
            key = self._str(k, module) if k is not None else None
            if key in ("db_table", "managed", "proxy", "abstract"):
                val = self.p.evaluate(module, v, "Migration")
                out[key] = val.value if val.ok else None
        return out

    def _add_field(self, st: ModelState, item: ast.expr, module: str, loc: Location) -> None:
        if not isinstance(item, ast.Tuple) or len(item.elts) != 2:
            return
        fname = self._str(item.elts[0], module)
        call = item.elts[1]
        if fname is None or not isinstance(call, ast.Call):
            return
        fd = self.s.parse_field(call, module, "Migration", fname, getattr(item, "lineno", 0), "", "")
        if fd is not None:
            st.fields[fname] = fd
            st.field_locations[fname] = self.p.location(module, item)

    # -------------------------------------------------------------- tables
    def tables(self, replay: Replay) -> dict[str, tuple[str, Location, str]]:
        """table -> (app label, where the migrations create or name it, what it is)."""
        out: dict[str, tuple[str, Location, str]] = {}
        for label, state in sorted(replay.states.items()):
            for key in sorted(state):
                st = state[key]
                if st.options.get("proxy") or st.options.get("managed") is False or st.options.get("abstract"):
                    continue
                db_table = st.options.get("db_table")
                if "db_table" in st.options and not isinstance(db_table, str):
                    continue  # computed table name
                table = db_table if isinstance(db_table, str) else self.s.truncate(f"{label}_{st.name.lower()}")
                out.setdefault(table, (label, st.table_location, f"{label}.{st.name}"))
                for fname, fd in sorted(st.fields.items()):
                    if fd.kind != F.M2M or "through" in fd.kwargs:
                        continue
                    db = fd.kwargs.get("db_table")
                    if db is not None:
                        m2m = self.s.string(db)
                        if m2m is None:
                            continue
                    else:
                        base = table[1:-1] if table.startswith('"') and table.endswith('"') else table
                        m2m = self.s.truncate(f"{base}_{fname}")
                    out.setdefault(m2m, (label, st.field_locations.get(fname, st.table_location), f"{label}.{st.name}.{fname}"))
        return out


def compare(models: Iterable[OrmModel], migrations: Migrations) -> tuple[list[Finding], list[str]]:
    """Findings for tables that only the migrations or only the models have (see the module docstring)."""
    replay = migrations.replay()
    mig_tables = migrations.tables(replay)
    labels = set(replay.files)
    facts = [m for m in models if m.orm == "django" and not m.abstract and m.inheritance != "proxy"]
    all_tables = {m.table for m in facts if m.table}
    unfolded = {m.base for m in facts if m.table_status not in ("resolved", "derived")}
    findings: list[Finding] = []
    for table, (label, loc, what) in sorted(mig_tables.items()):
        if table in all_tables or label in unfolded:
            continue
        findings.append(Finding(
            rule_id="table-without-model",
            severity=Severity.INFO,
            message=f"migrations of app '{label}' create table {table} ({what}) but no model maps it",
            location=loc,
            symbol=what,
            hint="Delete the table with a migration, or restore the model (models built dynamically are not seen).",
            category="models",
        ))
    for m in sorted(facts, key=lambda m: (m.table, m.class_name)):
        opts = dict(m.options)
        if m.base not in labels or opts.get("managed") == "False":
            continue
        if m.table_status not in ("resolved", "derived") or m.table in mig_tables:
            continue
        what = m.class_name or f"{opts.get('auto_created_for', '')}.{opts.get('field', '')}"
        condition = opts.get("condition", "")
        findings.append(Finding(
            rule_id="model-without-migration",
            severity=Severity.INFO if condition else Severity.WARNING,
            message=f"table {m.table} of {what} is not created by any migration of app '{m.base}'"
            + (f" (the model is defined only if {condition})" if condition else ""),
            location=Location(m.file, m.line),
            symbol=what,
            hint="Run makemigrations (or mark the model managed = False).",
            category="models",
        ))
    notes = []
    if labels:
        notes.append(
            f"Django migrations replayed: {sum(len(v) for v in replay.files.values())} files in {len(labels)} apps "
            f"({', '.join(sorted(labels))}); {len(mig_tables)} tables in the final state"
        )
    if replay.opaque:
        notes.append(f"migration operations not interpreted (RunPython, RunSQL, custom): {replay.opaque}")
    for name, n in sorted(replay.unknown.items()):
        notes.append(f"{n} migration operation(s) {name} not understood")
    return findings, notes


def _pairs(value: Any) -> list[tuple[str, str]]:
    out = []
    if isinstance(value, (list, tuple)):
        for item in value:
            if isinstance(item, (list, tuple)) and len(item) == 2 and all(isinstance(x, str) for x in item):
                out.append((item[0], item[1]))
    return out
