"""Link model drafts into facts: foreign keys, relationship targets, backrefs, column types.

* ``ForeignKey("table.col")`` / ``"schema.table.col"`` strings are kept as written
  (that is SQLAlchemy's ``target_fullname``); ``ForeignKey(Model.id)``,
  ``ForeignKey(Model.__table__.c.id)`` and ``ForeignKey(table.c.id)`` are
  resolved through the class (attribute -> column name, joined/single-table
  parents followed) or the table object.
* ``relationship("Target")`` is looked up like SQLAlchemy's class registry:
  by class name among the models of the same base first, ``"module.Target"``
  by qualified name, ``lambda: Target`` and ``Target`` through imports; a
  ``Mapped[list["Target"]]`` annotation gives the target when no argument does.
* ``backref=`` synthesises the reverse relationship on the target
  (``kind="backref"``).
* A column declared only by its foreign key gets the referenced column's type,
  as SQLAlchemy does.
"""

from __future__ import annotations

import ast
from typing import Iterable

from ..facts import PARTIAL, RESOLVED, UNRESOLVED, Column, ForeignKey, OrmModel, Relationship
from ..model import Finding, Location, Severity
from ..project import Project
from ..visiting import dotted_name
from .sqla_columns import Arg, CallReader, ColumnDraft, FKDraft, RelDraft, unparse
from .sqla_models import ModelDraft

_CONTAINERS = frozenset(
    {"list", "List", "set", "Set", "frozenset", "FrozenSet", "Optional", "Sequence", "Iterable", "Collection",
     "Mapped", "WriteOnlyMapped", "DynamicMapped", "AppenderQuery", "Query", "tuple", "Tuple", "dict", "Dict",
     "Mapping", "MutableSequence"}
)


def table_key(schema: str, name: str) -> str:
    return f"{schema}.{name}" if schema else name


class Linker:
    """Turns :class:`ModelDraft` objects into :class:`OrmModel` facts plus findings."""

    def __init__(self, project: Project, reader: CallReader, drafts: list[ModelDraft], table_vars: dict[str, ModelDraft]) -> None:
        self.p = project
        self.reader = reader
        self.drafts = drafts
        self.by_class = {d.qual: d for d in drafts if d.qual}
        self.table_vars = table_vars
        self.by_table: dict[str, list[ModelDraft]] = {}
        for d in drafts:
            if d.table.name:
                self.by_table.setdefault(table_key(d.table.schema, d.table.name), []).append(d)
        for d in table_vars.values():
            if d.table.name and d not in drafts:
                self.by_table.setdefault(table_key(d.table.schema, d.table.name), []).append(d)
        self.by_name: dict[str, list[str]] = {}
        for d in drafts:
            if d.qual:
                self.by_name.setdefault(d.cls_name, []).append(d.qual)
        self.findings: list[Finding] = []

    # ------------------------------------------------------------- columns
    def column_ref(self, cls: str, attr: str, depth: int = 0) -> tuple[ModelDraft, ColumnDraft] | None:
        d = self.by_class.get(cls)
        if d is None or depth > 10:
            return None
        for c in d.columns:
            if (c.attribute or c.name) == attr or (not c.attribute and c.name == attr):
                owner = d
                if d.table.inheritance == "single" and d.table.parent in self.by_class:
                    owner = self._table_owner(d)
                return owner, c
        if d.table.parent:
            return self.column_ref(d.table.parent, attr, depth + 1)
        return None

    def _table_owner(self, d: ModelDraft) -> ModelDraft:
        seen = 0
        while d.table.inheritance == "single" and d.table.parent in self.by_class and seen < 20:
            d = self.by_class[d.table.parent]
            seen += 1
        return d

    def _columns_of_table(self, key: str) -> list[ColumnDraft]:
        out: list[ColumnDraft] = []
        for d in self.by_table.get(key, []):
            out.extend(d.columns)
        return out

    # ---------------------------------------------------------------- FKs
    def resolve_fk(self, fk: FKDraft, d: ModelDraft, origin: str = "") -> ForeignKey:
        line = fk.line
        if fk.text:
            return ForeignKey(fk.column, fk.text, RESOLVED, fk.on_delete, line)
        if fk.target is None:
            return ForeignKey(fk.column, "", UNRESOLVED, fk.on_delete, line, "")
        node = fk.target.node
        expr = unparse(node)
        key = ""
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
            key = node.slice.value
            node = node.value
        chain = dotted_name(node)
        if chain:
            parts = chain.split(".") + ([key] if key else [])
            for i in range(len(parts) - 1, 0, -1):
                prefix = ".".join(parts[:i])
                q = self.reader.canon(fk.target.module, prefix, fk.target.scope)
                rest = parts[i:]
                if q in self.by_class:
                    if len(rest) == 1:
                        got = self.column_ref(q, rest[0])
                        if got is not None:
                            owner, col = got
                            return ForeignKey(fk.column, f"{table_key(owner.table.schema, owner.table.name)}.{col.name}",
                                              RESOLVED, fk.on_delete, line)
                    elif len(rest) == 3 and rest[0] == "__table__" and rest[1] in ("c", "columns"):
                        owner = self._table_owner(self.by_class[q])
                        return ForeignKey(fk.column, f"{table_key(owner.table.schema, owner.table.name)}.{rest[2]}",
                                          RESOLVED, fk.on_delete, line)
                    break
                if q in self.table_vars and len(rest) == 2 and rest[0] in ("c", "columns"):
                    t = self.table_vars[q]
                    return ForeignKey(fk.column, f"{table_key(t.table.schema, t.table.name)}.{rest[1]}",
                                      RESOLVED, fk.on_delete, line)
        v = self.p.evaluate_string(fk.target.module, fk.target.node, fk.target.scope)
        if v.status == "partial" and isinstance(v.value, str) and not v.value.startswith("{"):
            return ForeignKey(fk.column, v.value, PARTIAL, fk.on_delete, line, expr)
        self.findings.append(
            Finding(
                "orm-foreign-key-unresolved",
                Severity.INFO,
                f"foreign key of {d.qual or d.table.name}.{fk.column} points at {expr}, which the scan cannot resolve",
                self._class_location(origin, line, d) if origin else Location(d.file, line),
                symbol=d.qual or d.var,
                category="models",
            )
        )
        return ForeignKey(fk.column, "", UNRESOLVED, fk.on_delete, line, expr)

    # ------------------------------------------------------- relationships
    def resolve_target(self, arg: Arg | None, d: ModelDraft, depth: int = 0) -> tuple[str, str]:
        """(target, status): a dotted class path when resolved, else the expression as written."""
        if arg is None:
            return "", UNRESOLVED
        node = arg.node
        if depth > 6:
            return unparse(node), UNRESOLVED
        if isinstance(node, ast.Lambda):
            return self.resolve_target(Arg(node.body, arg.module, arg.scope), d, depth + 1)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return self._by_string(node.value.strip(), d)
        if isinstance(node, ast.Subscript):
            base = dotted_name(node.value).rsplit(".", 1)[-1]
            if base in _CONTAINERS:
                inner = node.slice.elts[-1] if isinstance(node.slice, ast.Tuple) else node.slice
                return self.resolve_target(Arg(inner, arg.module, arg.scope), d, depth + 1)
            return unparse(node), UNRESOLVED
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            for side in (node.left, node.right):
                if not (isinstance(side, ast.Constant) and side.value is None):
                    return self.resolve_target(Arg(side, arg.module, arg.scope), d, depth + 1)
        name = dotted_name(node)
        if name:
            q = self.reader.canon(arg.module, name, arg.scope)
            if q in self.by_class:
                return q, RESOLVED
            v = self.reader.evaluate(arg)
            if isinstance(v, str):
                return self._by_string(v, d)
            return q, UNRESOLVED
        return unparse(node), UNRESOLVED

    def _by_string(self, s: str, d: ModelDraft) -> tuple[str, str]:
        if "." in s:
            if s in self.by_class:
                return s, RESOLVED
            cands = [q for q in self.by_class if q.endswith("." + s)]
            if len(cands) == 1:
                return cands[0], RESOLVED
            s_tail = s.rsplit(".", 1)[-1]
            cands = self.by_name.get(s_tail, [])
            if len(cands) == 1:
                return cands[0], RESOLVED
            return s, UNRESOLVED
        cands = self.by_name.get(s, [])
        same_base = [q for q in cands if self.by_class[q].base == d.base]
        pick = same_base or cands
        if len(pick) == 1:
            return pick[0], RESOLVED
        same_mod = [q for q in pick if self.by_class[q].module == d.module]
        if len(same_mod) == 1:
            return same_mod[0], RESOLVED
        return s, UNRESOLVED

    def secondary_name(self, arg: Arg | None) -> str:
        if arg is None:
            return ""
        node = arg.node
        if isinstance(node, ast.Lambda):
            return self.secondary_name(Arg(node.body, arg.module, arg.scope))
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        name = dotted_name(node)
        if name:
            parts = name.split(".")
            if parts[-1] == "__table__":
                q = self.reader.canon(arg.module, ".".join(parts[:-1]), arg.scope)
            else:
                q = self.reader.canon(arg.module, name, arg.scope)
            if q in self.table_vars:
                t = self.table_vars[q]
                return table_key(t.table.schema, t.table.name)
            if q in self.by_class:
                t = self._table_owner(self.by_class[q])
                return table_key(t.table.schema, t.table.name)
            v = self.reader.evaluate(arg)
            if isinstance(v, str):
                return v
        return unparse(node)

    def _class_location(self, cls: str, line: int, d: ModelDraft) -> Location:
        """``line`` in the file of class ``cls`` (a mixin), else the model's own location."""
        mod, _ = self.p._module_prefix(cls)
        return Location(self.p.path_of(mod), line) if mod else Location(d.file, d.line)

    # ------------------------------------------------------------- linking
    def fill_fk_types(self, fks_of: dict[int, list[ForeignKey]]) -> None:
        for _ in range(6):
            changed = False
            for d in self.drafts:
                for c in d.columns:
                    if c.type:
                        continue
                    for fk in fks_of.get(id(d), []):
                        if fk.column != c.name or not fk.references or "." not in fk.references:
                            continue
                        tkey, col = fk.references.rsplit(".", 1)
                        target = next((x for x in self._columns_of_table(tkey) if x.name == col), None)
                        if target is not None and target.type:
                            c.type = target.type
                            changed = True
                            break
            if not changed:
                break
        for d in self.drafts:
            for c in d.columns:
                if not c.type:
                    c.type = "ForeignKey"

    def link(self) -> list[OrmModel]:
        fks_of: dict[int, list[ForeignKey]] = {}
        for d in self.drafts:
            out: list[ForeignKey] = []
            for c in d.columns:
                for fk in c.fks:
                    out.append(self.resolve_fk(fk, d, c.inherited_from))
            for fk in d.fks:
                out.append(self.resolve_fk(fk, d))
            fks_of[id(d)] = out
        self.fill_fk_types(fks_of)
        rels_of: dict[str, list[Relationship]] = {}
        backrefs: list[tuple[str, Relationship]] = []
        for d in self.drafts:
            if not d.qual:
                continue
            rels: list[Relationship] = []
            for r in d.rels:
                target, status = self.resolve_target(r.target, d)
                secondary = self.secondary_name(r.secondary)
                rel = Relationship(r.name, target, r.kind, r.back_populates, r.backref, secondary, status, r.line,
                                   r.inherited_from)
                rels.append(rel)
                if status == UNRESOLVED:
                    where = Location(d.file, r.line) if not r.inherited_from else self._class_location(r.inherited_from, r.line, d)
                    self.findings.append(
                        Finding(
                            "orm-relationship-unresolved",
                            Severity.INFO,
                            f"relationship {d.qual}.{r.name} points at {target or '(no target)'}, which is not a model the scan knows",
                            where,
                            symbol=d.qual,
                            category="models",
                        )
                    )
                if r.backref and status == RESOLVED:
                    backrefs.append(
                        (target, Relationship(r.backref, d.qual, "backref", r.name, "", secondary, RESOLVED, r.line,
                                              r.inherited_from))
                    )
            rels_of[d.qual] = rels
        for target, rel in backrefs:
            existing = rels_of.setdefault(target, [])
            if target in self.by_class and not any(x.name == rel.name for x in existing):
                existing.append(rel)
        models: list[OrmModel] = []
        for d in self.drafts:
            models.append(self._fact(d, fks_of[id(d)], rels_of.get(d.qual, [])))
        return models

    def _fact(self, d: ModelDraft, fks: Iterable[ForeignKey], rels: list[Relationship]) -> OrmModel:
        cols = tuple(
            Column(
                name=c.name,
                type=c.type,
                nullable=c.nullable,
                primary_key=c.primary_key,
                unique=c.unique,
                index=c.index,
                attribute=c.attribute if c.attribute and c.attribute != c.name else "",
                line=c.line,
                inherited_from=c.inherited_from,
                default=c.default,
            )
            for c in d.columns
        )
        unique_fks = sorted(set(fks), key=lambda f: (f.column, f.references, f.line, f.expr))
        return OrmModel(
            orm=d.orm,
            class_name=d.qual,
            table=d.table.name,
            table_status=d.table.status,
            file=d.file,
            line=d.line,
            columns=cols,
            foreign_keys=tuple(unique_fks),
            relationships=tuple(sorted(rels, key=lambda r: (r.name, r.kind, r.target))),
            schema=d.table.schema,
            kind=d.kind,
            base=d.base,
            parent=d.table.parent,
            inheritance=d.table.inheritance,
            unresolved=tuple(d.table.unresolved),
            options=tuple(d.options),
            methods=d.methods,
        )


def table_unresolved_findings(models: Iterable[OrmModel]) -> list[Finding]:
    """One warning per model whose table name could not be computed."""
    out = []
    for m in models:
        if m.table_status != UNRESOLVED:
            continue
        what = "; ".join(f"{u.expr}: {u.reason}" for u in m.unresolved) or "no table name"
        out.append(
            Finding(
                "orm-table-unresolved",
                Severity.WARNING,
                f"table of {m.class_name or 'a Table'} is not known statically ({what})",
                Location(m.file, m.line),
                symbol=m.class_name,
                hint="Give the model a literal __tablename__, or a declared_attr the scan can follow.",
                category="models",
            )
        )
    return out
