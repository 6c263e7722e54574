"""Whole-program SQLAlchemy model builder: classes and tables -> :class:`OrmModel` facts.

Given the bases found by :mod:`.sqla_bases`, every first-party class whose MRO
reaches a base is a mapped class unless it sets ``__abstract__ = True`` (SQLModel
classes only with ``table=True``).  For each mapped class this module

* collects attributes along the MRO: the class itself, then mixins, abstract
  bases and the declarative base class (not mapped parents, whose columns live
  in the parent's table); the first definition of a name wins, as in Python;
* reads columns (``Column``, ``mapped_column``, bare ``Mapped[...]``,
  ``column_property``/``deferred``, ``declared_attr`` methods returning a
  column, SQLModel fields), relationships, ``__table_args__`` (schema,
  ``ForeignKeyConstraint``, ``PrimaryKeyConstraint``) and ``__mapper_args__``;
* decides the table: ``__table__``, ``__tablename__`` (literal, constant,
  ``declared_attr`` body run by :mod:`.sqla_interp`), Flask-SQLAlchemy implicit
  names (2.x or 3.x rules, only for classes with a primary key, otherwise
  single-table inheritance), SQLModel lower-cased class names; a class without
  a table of its own that inherits from a mapped class shares its parent's
  table (single-table inheritance), one with its own table is joined.

Module-level ``Table(...)`` objects become ``kind="table"`` facts unless a class
maps them (``__table__ = t``, ``registry.map_imperatively(Cls, t)``).  Foreign
keys and relationship targets are linked once every model is known.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from ..facts import Column, ForeignKey, OrmModel, Relationship
from ..model import Finding, Location, Severity, Unresolved
from ..project import Project
from ..symbols import Assignment, ClassInfo, FunctionInfo
from ..visiting import dotted_name
from . import sqla_names as N
from .sqla_bases import BaseInfo, Discovery
from .sqla_columns import Annotated, Arg, CallReader, CallSpec, ColumnDraft, FKDraft, RelDraft, unparse
from .sqla_interp import ClassValue, TableNameInterpreter, TableValue, Unknown
from .sqla_summary import SqlaSummary

_HAS_INHERITED = (
    "sqlalchemy.orm.has_inherited_table",
    "sqlalchemy.ext.declarative.has_inherited_table",
    "sqlalchemy.orm.decl_api.has_inherited_table",
)

#: External classes in an MRO that are never a path to a declarative base.
_NOT_BASES = ("builtins.", "typing.", "abc.", "enum.", "collections.", "dataclasses.", "pydantic.", "object")

_SPECIAL = frozenset(
    {"__tablename__", "__table_args__", "__mapper_args__", "__abstract__", "__bind_key__", "__table__",
     "__allow_unmapped__", "metadata", "registry", "type_annotation_map", "model_config", "__slots__",
     "__table_cls__", "__bind__", "query_class", "query"}
)


@dataclass
class ClassRecord:
    """A class deriving from a declarative base (mapped or abstract)."""

    qual: str
    module: str
    info: ClassInfo
    base: BaseInfo
    lineage: tuple[str, ...]  # effective MRO
    abstract: bool
    mapped: bool
    mapped_at: Location | None = None


@dataclass
class TableDraft:
    """The table a model maps to (or a bare ``Table``)."""

    name: str
    status: str  # resolved, derived, inherited, unresolved
    schema: str = ""
    unresolved: list[Unresolved] = field(default_factory=list)
    inheritance: str = ""
    parent: str = ""


@dataclass
class ModelDraft:
    """Everything known about one model before linking."""

    orm: str
    qual: str
    module: str
    file: str
    line: int
    base: str
    table: TableDraft
    columns: list[ColumnDraft] = field(default_factory=list)
    fks: list[FKDraft] = field(default_factory=list)  # from __table_args__ / Table constraints
    rels: list[RelDraft] = field(default_factory=list)
    options: list[tuple[str, str]] = field(default_factory=list)
    methods: tuple[str, ...] = ()
    kind: str = "model"
    abstract: bool = False
    pk_constraint: list[str] = field(default_factory=list)
    var: str = ""  # the variable that holds a bare Table
    cls_name: str = ""


class ModelBuilder:
    """Builds the model facts of a project (see the module docstring)."""

    def __init__(
        self,
        project: Project,
        disc: Discovery,
        summaries: dict[str, SqlaSummary],
        fsa_major: int | None,
    ) -> None:
        self.p = project
        self.d = disc
        self.summaries = summaries
        self.fsa_major = fsa_major
        self._bodies = self._index_bodies()
        self.python_types = N.mapped_python_types(project.dependency_version("sqlalchemy"))
        self.reader = CallReader(project, frozenset(disc.fsa), self.body_of)
        self.reader.sqlalchemy_major = N.fsa_major(project.dependency_version("sqlalchemy"))
        self.records: dict[str, ClassRecord] = {}
        self._eff_mro: dict[str, tuple[str, ...]] = {}
        self.drafts: dict[str, ModelDraft] = {}
        self.tables: dict[str, ModelDraft] = {}  # table variable qual -> draft
        self.consumed_tables: set[str] = set()
        self.findings: list[Finding] = []
        self._table_memo: dict[str, TableDraft] = {}
        self._attr_memo: dict[str, tuple[list[ColumnDraft], list[RelDraft]]] = {}
        self._outside: dict[str, BaseInfo] = {}  # bases presumed outside the scan (never used for MRO tests)

    # ------------------------------------------------------------ helpers
    def _index_bodies(self) -> dict[str, tuple[str, tuple[ast.stmt, ...]]]:
        out: dict[str, tuple[str, tuple[ast.stmt, ...]]] = {}
        for m, s in self.summaries.items():
            if not isinstance(s, SqlaSummary):
                continue
            for b in s.bodies:
                out[f"{m}.{b.qualname}"] = (m, b.body)
        return out

    def body_of(self, qual: str) -> tuple[str, tuple[ast.stmt, ...], ast.arguments] | None:
        d = self.p.lookup(qual)
        if d.kind != "function":
            return None
        fn: FunctionInfo = d.obj
        found = self._bodies.get(qual)
        if found is not None:
            return found[0], found[1], fn.args
        if fn.single_return is not None:
            return d.module, (ast.Return(fn.single_return),), fn.args
        return None

    def location(self, module: str, node: ast.AST | None) -> Location:
        return self.p.location(module, node)

    def eff_mro(self, q: str) -> tuple[str, ...]:
        """The MRO with ``declarative_base(cls=X)`` / ``model_class=X`` mixins inserted after their base."""
        got = self._eff_mro.get(q)
        if got is not None:
            return got
        out: list[str] = []
        for c in self.p.mro(q):
            if c in out:
                continue
            out.append(c)
            info = self.d.bases.get(c)
            if info is not None and info.mixin:
                for mc in self.p.mro(info.mixin):
                    if mc not in out:
                        out.append(mc)
        result = tuple(out)
        self._eff_mro[q] = result
        return result

    def _own_assign(self, q: str, name: str) -> tuple[str, Assignment] | None:
        found = self.p.class_info(q)
        if found is None:
            return None
        m, info = found
        assigns = [a for a in self.p.symbols[m].class_assignments(info.qualname) if a.target == name and a.value is not None]
        return (m, assigns[-1]) if assigns else None

    def _own_method(self, q: str, name: str) -> tuple[str, FunctionInfo] | None:
        found = self.p.class_info(q)
        if found is None:
            return None
        m, info = found
        if name not in info.methods:
            return None
        fn = self.p.symbols[m].function(f"{info.qualname}.{name}")
        return (m, fn) if fn is not None else None

    def _is_declared_attr(self, module: str, fn: FunctionInfo) -> bool:
        for dec in fn.decorators:
            target = dec.func if isinstance(dec, ast.Call) else dec
            name = dotted_name(target)
            if not name:
                continue
            q = self.p.resolve_name(module, name, fn.scope)
            parts = q.split(".")
            if parts[0] in N.LIBRARY_TOPS and "declared_attr" in parts:
                return True
            if name.split(".")[0] == "declared_attr":
                return True
        return False

    def _return_expr(self, module: str, fn: FunctionInfo) -> ast.expr | None:
        if fn.single_return is not None:
            return fn.single_return
        found = self._bodies.get(f"{module}.{fn.qualname}")
        if found and isinstance(found[1][-1], ast.Return):
            return found[1][-1].value
        return None

    def _flag_attr(self, q: str, name: str) -> Any:
        own = self._own_assign(q, name)
        if own is None:
            return None
        m, a = own
        return self.reader.evaluate(Arg(a.value, m, a.scope))  # type: ignore[arg-type]

    # ------------------------------------------------------------ classify
    def classify(self) -> None:
        """Find every class that derives from a base (mapped or abstract)."""
        self._classify_pass(first=True)
        if self._outside:
            self._classify_pass(first=False)  # subclasses of models whose base is outside the scan

    def _classify_pass(self, first: bool) -> None:
        registries = self.d.registries
        for m in self.d.modules:
            syms = self.p.symbols.get(m)
            if syms is None:
                continue
            for c in syms.classes:
                q = f"{m}.{c.qualname}"
                if q in self.d.bases or q in self.records:
                    continue
                base: BaseInfo | None = None
                if not first:
                    parent = next((self.records[b] for b in self.eff_mro(q)[1:] if b in self.records), None)
                    if parent is None:
                        continue
                    base = parent.base
                for dec in c.decorators:
                    name = dotted_name(dec.func if isinstance(dec, ast.Call) else dec)
                    if name and name.rsplit(".", 1)[-1] in ("mapped", "mapped_as_dataclass"):
                        reg = self.p.resolve_name(m, name.rsplit(".", 1)[0], c.scope)
                        if reg in registries:
                            base = registries[reg]
                mro = self.eff_mro(q)
                if base is None:
                    base = next((self.d.bases[b] for b in mro[1:] if b in self.d.bases), None)
                if base is None and first:
                    base = self._outside_base(q, m, c, mro)
                if base is None:
                    continue
                abstract = self._flag_attr(q, "__abstract__") is True
                mapped = not abstract
                if base.kind == "sqlmodel":
                    table_kw = next((k.value for k in c.keywords if k.arg == "table"), None)
                    mapped = table_kw is not None and self.reader.evaluate(Arg(table_kw, m, c.scope)) is True
                self.records[q] = ClassRecord(q, m, c, base, mro, abstract, mapped)

    def _outside_base(self, q: str, m: str, c: ClassInfo, mro: tuple[str, ...]) -> BaseInfo | None:
        """A class with its own ``__tablename__`` and columns whose base lies outside the scan.

        Example: ``class Dashboard(CoreDashboard, AuditMixin)`` where ``CoreDashboard`` comes
        from another distribution that derives from a declarative base.  Such a class is
        reported as a model of an unknown base, with an info finding saying so.
        """
        own_name = self._own_assign(q, "__tablename__")
        if own_name is not None:
            v = self.reader.evaluate(Arg(own_name[1].value, own_name[0], own_name[1].scope))  # type: ignore[arg-type]
            if not isinstance(v, str) or not v:
                return None  # e.g. ``__tablename__ = None`` on a mixin
        elif self._own_assign(q, "__table__") is None:
            return None
        external = [b for b in mro[1:] if not self.p.first_party(b) and not b.startswith(_NOT_BASES)]
        if not external:
            return None
        syms = self.p.symbols[m]
        has_column = False
        for a in syms.class_assignments(c.qualname):
            if isinstance(a.value, ast.Call):
                spec = self.reader.call_spec(m, c.qualname, a.value)
                if spec is not None and spec.name in N.COLUMN_CALLS:
                    has_column = True
                    break
        if not has_column:
            return None
        ext = external[0]
        info = self._outside.get(ext)
        if info is None:
            info = self._outside[ext] = BaseInfo(ext, "sqlalchemy", kind="outside")
        self.findings.append(
            Finding(
                "orm-base-outside-scan",
                Severity.INFO,
                f"{q} defines __tablename__ and columns; its declarative base is presumably reached through "
                f"{ext}, which is outside the scanned code, so it is reported as a model of that base",
                Location(self.p.path_of(m), c.line),
                symbol=q,
                hint="Scan the package that defines the base too, or name it in [tool.backendscan] sqlalchemy-bases.",
                category="models",
            )
        )
        return info

    def is_model(self, q: str) -> bool:
        r = self.records.get(q)
        return r is not None and r.mapped

    def mapped_parent(self, q: str) -> str:
        for c in self.eff_mro(q)[1:]:
            if self.is_model(c):
                return c
        return ""

    def sources(self, q: str) -> list[str]:
        """The class and the non-mapped first-party classes whose attributes it inherits."""
        parent = self.mapped_parent(q)
        parent_mro = set(self.eff_mro(parent)) if parent else set()
        out = [q]
        for c in self.eff_mro(q)[1:]:
            if c in parent_mro or self.is_model(c):
                continue
            if self.p.class_info(c) is None:
                continue
            out.append(c)
        return out

    # ---------------------------------------------------------- attributes
    def attributes(self, q: str) -> tuple[list[ColumnDraft], list[RelDraft]]:
        """Columns and relationships a mapped class declares (own first, then inherited)."""
        memo = self._attr_memo.get(q)
        if memo is not None:
            return memo
        rec = self.records[q]
        seen: set[str] = set()
        cols: list[ColumnDraft] = []
        rels: list[RelDraft] = []
        parent = self.mapped_parent(q)
        if parent:
            # attribute names the mapped parent already defines are not re-declared by mixins
            pass
        for src in self.sources(q):
            found = self.p.class_info(src)
            if found is None:
                continue
            m, info = found
            inherited = "" if src == q else src
            is_sqlmodel = rec.base.kind == "sqlmodel"
            if is_sqlmodel and src != q and not self._pydantic(src):
                continue
            items: list[tuple[int, str, Any]] = []
            for a in self.p.symbols[m].class_assignments(info.qualname):
                items.append((a.line, a.target, a))
            for name in info.methods:
                fn = self.p.symbols[m].function(f"{info.qualname}.{name}")
                if fn is not None:
                    items.append((fn.line, name, fn))
            items.sort(key=lambda t: t[0])
            names_here: set[str] = set()
            for line, name, obj in items:
                if name in seen or name in _SPECIAL or name.startswith("__"):
                    names_here.add(name)
                    continue
                names_here.add(name)
                got = self._attribute(rec, m, info, name, obj, is_sqlmodel)
                if got is None:
                    continue
                got.inherited_from = inherited
                if isinstance(got, ColumnDraft):
                    cols.append(got)
                else:
                    rels.append(got)
            seen |= names_here
        self._attr_memo[q] = (cols, rels)
        return cols, rels

    def _pydantic(self, q: str) -> bool:
        return any(c in N.SQLMODEL_BASES or c.startswith("pydantic.") for c in self.p.mro(q))

    def _attribute(
        self, rec: ClassRecord, m: str, info: ClassInfo, name: str, obj: Any, is_sqlmodel: bool
    ) -> ColumnDraft | RelDraft | None:
        scope = info.qualname
        if isinstance(obj, FunctionInfo):
            if not self._is_declared_attr(m, obj):
                return None
            return self._declared_attribute(rec, m, scope, name, obj)
        a: Assignment = obj
        if a.op not in ("=", ":"):
            return None
        ann = self.reader.annotation(m, scope, a.annotation)
        if ann.wrapper == "ClassVar":
            return None
        if is_sqlmodel:
            return self._sqlmodel_field(rec, m, scope, name, a, ann)
        if a.op == ":" or a.value is None:
            if ann.wrapper == "Mapped":
                return ColumnDraft(
                    name=name, attribute=name, type=self.mapped_type(rec.base, ann),
                    nullable=ann.optional, line=a.line,
                )
            return None
        if not isinstance(a.value, ast.Call):
            return None
        spec = self.reader.call_spec(m, scope, a.value)
        if spec is None:
            return None
        return self._from_spec(rec, spec, name, a.line, ann)

    # ------------------------------------------------------- declared_attr
    def interpreter(self) -> TableNameInterpreter:
        hooks = {name: self._has_inherited_table for name in _HAS_INHERITED}
        return TableNameInterpreter(self.p, self.body_of, hooks, self._class_attr_value)

    def _has_inherited_table(self, cls: Any) -> bool:
        """SQLAlchemy's ``has_inherited_table(cls)``: does a mapped ancestor have a table?"""
        if not isinstance(cls, ClassValue):
            raise Unknown("has_inherited_table of a non-class")
        return bool(self.mapped_parent(cls.qualname))

    def _class_attr_value(self, qual: str, name: str) -> Any:
        """``cls.<name>`` for the concrete class being mapped (interpreter callback)."""
        if name in ("__tablename__", "__table__") and self.is_model(qual):
            t = self.table_of(qual)
            if not t.name:
                raise Unknown(f"{qual}.{name}")
            return t.name if name == "__tablename__" else TableValue(t.name, t.schema)
        found = self.p.class_attribute(qual, name)
        if found is None or found[1].value is None:
            raise Unknown(f"{qual}.{name}")
        m, a = found
        return self.interpreter().eval(m, self.reader.expr_scope(m, a.scope), a.value, {})

    def _declared_return(self, rec: ClassRecord, m: str, fn: FunctionInfo) -> tuple[bool, ast.expr | None]:
        """(known, expression) a ``declared_attr`` returns for the class being mapped.

        ``if`` tests over class attributes are decided (``if not cls.add_date: return None``);
        when a test cannot be decided the last ``return`` is taken.
        """
        found = self.body_of(f"{m}.{fn.qualname}")
        if found is None:
            return fn.single_return is not None, fn.single_return
        params = [a.arg for a in fn.args.posonlyargs + fn.args.args]
        env: dict[str, Any] = {params[0]: ClassValue(rec.info.name, rec.qual)} if params else {}
        interp = self.interpreter()
        scope = fn.qualname

        def pick(stmts: list[ast.stmt]) -> tuple[bool, ast.expr | None] | None:
            for st in stmts:
                if isinstance(st, ast.Return):
                    return True, st.value
                if isinstance(st, ast.If):
                    test = interp.eval(m, scope, st.test, env)
                    got = pick(st.body if test else st.orelse)
                    if got is not None:
                        return got
                elif isinstance(st, ast.Assign) and len(st.targets) == 1 and isinstance(st.targets[0], ast.Name):
                    try:
                        env[st.targets[0].id] = interp.eval(m, scope, st.value, env)
                    except Unknown:
                        env.pop(st.targets[0].id, None)
            return None

        try:
            got = pick(list(found[1]))
        except Unknown:
            got = None
        if got is not None:
            return got
        last = [st for st in found[1] if isinstance(st, ast.Return)]
        return (bool(last), last[-1].value if last else None)

    def _declared_attribute(self, rec: ClassRecord, m: str, scope: str, name: str, fn: FunctionInfo) -> ColumnDraft | RelDraft | None:
        known, expr = self._declared_return(rec, m, fn)
        if not known or not isinstance(expr, ast.Call):
            return None
        params = [a.arg for a in fn.args.posonlyargs + fn.args.args]
        ann = self.reader.annotation(m, scope, fn.returns)
        previous = self.reader.context
        if params:
            param = params[0]
            env = {param: ClassValue(rec.info.name, rec.qual)}
            self.reader.context = (param, lambda arg: self.interpreter().eval(arg.module, arg.scope, arg.node, dict(env)))
        try:
            spec = self.reader.call_spec(m, fn.qualname, expr)
            got = self._from_spec(rec, spec, name, fn.line, ann) if spec is not None else None
            if isinstance(got, RelDraft) and got.target is not None and self.reader.context is not None:
                value = self.reader.evaluate(got.target)
                if isinstance(value, ClassValue):
                    got.target = Arg(ast.Constant(value.qualname), got.target.module, got.target.scope)
                elif isinstance(value, str):  # relationship(cls.target_name) with target_name = "Model"
                    got.target = Arg(ast.Constant(value), got.target.module, got.target.scope)
        finally:
            self.reader.context = previous
        return got

    def _from_spec(self, rec: ClassRecord, spec: CallSpec, name: str, line: int, ann: Annotated) -> ColumnDraft | RelDraft | None:
        if spec.name in N.COLUMN_WRAPPERS:
            if not spec.args or not isinstance(spec.args[0].node, ast.Call):
                return None
            inner = self.reader.call_spec(spec.args[0].module, spec.args[0].scope, spec.args[0].node)
            if inner is None or inner.name not in N.COLUMN_CALLS:
                return None
            spec = inner
        if spec.name in N.COLUMN_CALLS:
            mode = "mapped" if spec.name == "mapped_column" else "column"
            col = self.reader.read_column(spec, name, line, ann, mode)
            if not col.type and mode == "mapped" and ann.wrapper:
                t = self.mapped_type(rec.base, ann)
                if not (t.startswith("Mapped[") and col.fks):
                    col.type = t
            if not col.type and not col.fks:
                col.type = "NullType"
            return col
        if spec.name in N.RELATIONSHIP_CALLS:
            rel = self.reader.read_relationship(spec, name, line)
            if rel.target is None and ann.inner is not None:
                rel.target = Arg(ann.inner, ann.module, ann.scope)
            return rel
        return None

    def mapped_type(self, base: BaseInfo, ann: Annotated) -> str:
        """SQL type of a ``Mapped[T]`` annotation without an explicit type."""
        ptype = self.reader.python_type(ann.module, ann.scope, ann.inner)
        if ptype and ptype in base.type_map:
            return base.type_map[ptype]
        if ptype in self.python_types:
            return self.python_types[ptype]
        if ptype == "typing.Literal" or (ptype and self.p.is_subclass(ptype, N.ENUM_BASES)):
            return "Enum"
        return f"Mapped[{unparse(ann.inner)}]"

    def _sqlmodel_field(self, rec: ClassRecord, m: str, scope: str, name: str, a: Assignment, ann: Annotated) -> ColumnDraft | RelDraft | None:
        if name.startswith("_") or a.annotation is None:
            return None
        spec = self.reader.call_spec(m, scope, a.value) if isinstance(a.value, ast.Call) else None
        if spec is not None and spec.name == "Relationship":
            rel = self.reader.read_relationship(spec, name, a.line)
            if ann.inner is not None:
                rel.target = Arg(ann.inner, ann.module, ann.scope)
            return rel
        if spec is not None and spec.name in N.RELATIONSHIP_CALLS:
            return self._from_spec(rec, spec, name, a.line, ann)
        kw = spec.kwargs if spec is not None and spec.name == "Field" else {}
        sa_column = kw.get("sa_column")
        if sa_column is not None and isinstance(sa_column.node, ast.Call):
            inner = self.reader.call_spec(sa_column.module, sa_column.scope, sa_column.node)
            if inner is not None and inner.name in N.COLUMN_CALLS:
                return self.reader.read_column(inner, name, a.line, None, "column")
        pk = bool(self.reader.flag(kw.get("primary_key"), False))
        nullable = self.reader.flag(kw.get("nullable"), None)
        if nullable is None:
            nullable = (not pk) and ann.optional
        if "sa_type" in kw:
            type_text = self.reader.type_text(kw["sa_type"])
        else:
            ptype = self.reader.python_type(ann.module, ann.scope, ann.inner)
            type_text = N.SQLMODEL_PYTHON_TYPES.get(ptype, "")
            if ptype == "typing.Literal" or (ptype and not type_text and self.p.is_subclass(ptype, N.ENUM_BASES)):
                type_text = "Enum"
            max_length = self.reader.evaluate(kw.get("max_length"))
            if type_text == "AutoString" and isinstance(max_length, int):
                type_text = f"AutoString(length={max_length})"
            if not type_text:
                type_text = unparse(ann.inner)
        fks: list[FKDraft] = []
        fk = kw.get("foreign_key")
        if fk is not None:
            text = self.reader.evaluate(fk)
            ondelete = self.reader.evaluate(kw.get("ondelete"))
            fks.append(FKDraft(name, fk, text if isinstance(text, str) else "", ondelete if isinstance(ondelete, str) else "", a.line))
        default = kw.get("default")
        if default is None and spec is None and a.value is not None:
            default = Arg(a.value, m, scope)
        return ColumnDraft(
            name=name, attribute=name, type=type_text, nullable=nullable, primary_key=pk,
            unique=bool(self.reader.flag(kw.get("unique"), False)), index=bool(self.reader.flag(kw.get("index"), False)),
            default=unparse(default.node) if default is not None else "", line=a.line, fks=fks,
        )

    # --------------------------------------------------------------- tables
    def table_args(self, q: str) -> tuple[str, list[FKDraft], list[str], list[Unresolved]]:
        """Schema, constraint foreign keys and primary-key constraint columns from ``__table_args__``."""
        schema, fks, pks, unknown = self._table_args(q)
        if schema == "@collect":
            schema = ""
            for src in self.sources(q):
                found = self.p.class_info(src)
                if found is None:
                    continue
                m, info = found
                exprs: list[Arg] = [
                    Arg(a.value, m, a.scope)
                    for a in self.p.symbols[m].class_assignments(info.qualname)
                    if a.target.endswith("table_args") and a.target != "__table_args__" and a.value is not None
                ]
                for mname in info.methods:
                    if mname.endswith("table_args") and mname != "__table_args__":
                        fn = self.p.symbols[m].function(f"{info.qualname}.{mname}")
                        if fn is None:
                            continue
                        body = self._bodies.get(f"{m}.{fn.qualname}")
                        if body is not None:
                            # a helper body building the tuple step by step: every constraint and
                            # schema dict it mentions (conditions are not evaluated here)
                            pieces: list[ast.expr] = [
                                n for st in body[1] for n in ast.walk(st) if isinstance(n, (ast.Call, ast.Dict))
                            ]
                            exprs.append(Arg(ast.Tuple(elts=pieces, ctx=ast.Load()), m, fn.qualname))
                        else:
                            expr = self._return_expr(m, fn)
                            if expr is not None:
                                exprs.append(Arg(expr, m, fn.qualname))
                for e in exprs:
                    s2, f2, p2, _ = self._parse_table_args(e, 0)
                    schema = schema or (s2 if s2 != "@collect" else "")
                    fks += f2
                    pks += p2
        return schema, fks, pks, unknown

    def _table_args(self, q: str) -> tuple[str, list[FKDraft], list[str], list[Unresolved]]:
        for src in self.sources(q):
            own = self._own_assign(src, "__table_args__")
            if own is not None:
                m, a = own
                return self._parse_table_args(Arg(a.value, m, a.scope), 0)  # type: ignore[arg-type]
            meth = self._own_method(src, "__table_args__")
            if meth is not None and self._is_declared_attr(meth[0], meth[1]):
                expr = self._return_expr(meth[0], meth[1])
                if expr is not None:
                    return self._parse_table_args(Arg(expr, meth[0], meth[1].qualname), 0)
                return "", [], [], []
        return "", [], [], []

    def _parse_table_args(self, arg: Arg, depth: int) -> tuple[str, list[FKDraft], list[str], list[Unresolved]]:
        schema = ""
        fks: list[FKDraft] = []
        pks: list[str] = []
        unknown: list[Unresolved] = []
        node = arg.node
        if depth > 4:
            return schema, fks, pks, unknown
        if isinstance(node, ast.Dict):
            for k, v in zip(node.keys, node.values):
                if isinstance(k, ast.Constant) and k.value == "schema":
                    val = self.reader.evaluate(Arg(v, arg.module, arg.scope))
                    if isinstance(val, str):
                        schema = val
                    elif not (isinstance(v, ast.Constant) and v.value is None):
                        unknown.append(Unresolved(unparse(v), "schema is not a constant", self.location(arg.module, v)))
            return schema, fks, pks, unknown
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            parts = [self._parse_table_args(Arg(x, arg.module, arg.scope), depth + 1) for x in (node.left, node.right)]
            for s, f, p, u in parts:
                schema = s or schema
                fks += f
                pks += p
                unknown += u
            return schema, fks, pks, unknown
        if isinstance(node, ast.Call):
            spec = self.reader.call_spec(arg.module, arg.scope, node)
            if spec is None:
                # a helper that merges table args (indico's ``auto_table_args(cls, schema=...)``):
                # its ``schema=`` keyword, else the ``*table_args`` attributes it collects
                for kw in node.keywords:
                    if kw.arg == "schema":
                        val = self.reader.evaluate(Arg(kw.value, arg.module, arg.scope))
                        if isinstance(val, str):
                            return val, fks, pks, unknown
                return "@collect", fks, pks, unknown
            return schema, fks, pks, unknown
        if isinstance(node, (ast.Name, ast.Attribute)):
            q = self.reader.canon(arg.module, dotted_name(node), arg.scope)
            d = self.p.lookup(q)
            if d.kind == "assignment" and d.obj.value is not None:
                return self._parse_table_args(Arg(d.obj.value, d.module, d.obj.scope), depth + 1)
            return schema, fks, pks, unknown
        if isinstance(node, (ast.Tuple, ast.List)):
            for e in node.elts:
                sub = Arg(e.value if isinstance(e, ast.Starred) else e, arg.module, arg.scope)
                if isinstance(sub.node, ast.Call):
                    spec = self.reader.call_spec(sub.module, sub.scope, sub.node)
                    if spec is None:
                        continue
                    if spec.name == "ForeignKeyConstraint":
                        fks += self.reader.constraint_fks(spec)
                    elif spec.name == "PrimaryKeyConstraint":
                        pks += [c for c in (self.reader.constraint_column(pa) for pa in spec.args) if c]
                else:
                    s, f, p, u = self._parse_table_args(sub, depth + 1)
                    schema = s or schema
                    fks += f
                    pks += p
                    unknown += u
        return schema, fks, pks, unknown

    def _tablename_def(self, c: str) -> tuple[str, str, Any] | None:
        """("assign"|"declared", module, obj) when class ``c`` itself defines ``__tablename__``."""
        own = self._own_assign(c, "__tablename__")
        meth = self._own_method(c, "__tablename__")
        if meth is not None and (own is None or meth[1].line > own[1].line):
            return "declared", meth[0], meth[1]
        if own is not None:
            return "assign", own[0], own[1]
        return None

    def table_of(self, q: str) -> TableDraft:
        """The table of a mapped class (memoised; parents first)."""
        got = self._table_memo.get(q)
        if got is not None:
            return got
        self._table_memo[q] = TableDraft("", "unresolved")  # cycle guard
        result = self._compute_table(q)
        self._table_memo[q] = result
        return result

    def _compute_table(self, q: str) -> TableDraft:
        rec = self.records[q]
        parent = self.mapped_parent(q)
        schema, _, pks, unknown = self.table_args(q)
        # __table__ = Table(...) / a Table variable
        own_table = self._own_assign(q, "__table__")
        if own_table is not None:
            m, a = own_table
            tdraft = self._table_from_expr(Arg(a.value, m, a.scope))  # type: ignore[arg-type]
            if tdraft is not None:
                return TableDraft(tdraft.table.name, tdraft.table.status, tdraft.table.schema, list(tdraft.table.unresolved),
                                  "joined" if parent else "", parent)
        name: str | None = None
        status = "resolved"
        found_def = False
        problems: list[Unresolved] = list(unknown)
        for c in self.eff_mro(q):
            if c in N.SQLMODEL_BASES and rec.base.kind == "sqlmodel":
                name, status, found_def = N.sqlmodel_table_name(rec.info.name), "derived", True
                break
            d = self._tablename_def(c)
            if d is None:
                continue
            kind, m, obj = d
            if c != q and self.is_model(c) and kind != "declared":
                continue  # a plain __tablename__ of a mapped parent is not inherited
            found_def = True
            if kind == "assign":
                assign: Assignment = obj
                v = self.p.evaluate(m, assign.value, assign.scope)
                if v.ok and isinstance(v.value, str):
                    name, status = v.value, "resolved"
                elif v.ok and v.value is None:
                    name = None
                else:
                    name, status = "", "unresolved"
                    problems.append(Unresolved(unparse(assign.value), "table name is not a constant", self.location(m, assign.value)))
            else:
                name, status = self._declared_tablename(q, m, obj, problems)
            break
        if rec.base.kind == "fsa" and rec.base.autoname and self._fsa_should_set(q):
            major = self.fsa_major if self.fsa_major is not None else 3
            name = N.fsa2_table_name(rec.info.name) if major == 2 else N.fsa3_table_name(rec.info.name)
            status = "derived"
            found_def = True
        if rec.base.kind == "fsa" and name and parent and not self._has_pk(q, pks):
            name = None  # Flask-SQLAlchemy __table_cls__: no primary key -> single-table inheritance
        if name is None or (name == "" and status != "unresolved"):
            if parent:
                pt = self.table_of(parent)
                return TableDraft(pt.name, "inherited" if pt.status != "unresolved" else "unresolved", pt.schema,
                                  [], "single", parent)
            if not found_def:
                problems.append(Unresolved(rec.info.name, "no __tablename__ or __table__ found", self.location(rec.module, None)))
            return TableDraft("", "unresolved", schema, problems, "", "")
        inheritance = ""
        if parent:
            inheritance = "concrete" if self._mapper_flag(q, "concrete") else "joined"
        return TableDraft(name, status, schema, problems, inheritance, parent)

    def _declared_tablename(self, q: str, m: str, fn: FunctionInfo, problems: list[Unresolved]) -> tuple[str | None, str]:
        rec = self.records[q]
        body = self.body_of(f"{m}.{fn.qualname}")
        expr_text = unparse(fn.single_return) if fn.single_return is not None else f"{fn.qualname}()"
        if body is None:
            problems.append(Unresolved(expr_text, "declared_attr body too complex", Location(self.p.path_of(m), fn.line)))
            return "", "unresolved"
        params = [a.arg for a in fn.args.posonlyargs + fn.args.args]
        env: dict[str, Any] = {}
        if params:
            env[params[0]] = ClassValue(rec.info.name, q)
        interp = self.interpreter()
        try:
            value = interp.run(m, fn.qualname, list(body[1]), env)
        except Unknown as exc:
            problems.append(Unresolved(expr_text, f"declared_attr __tablename__ not computed: {exc}", Location(self.p.path_of(m), fn.line)))
            return "", "unresolved"
        except RecursionError:
            problems.append(Unresolved(expr_text, "declared_attr __tablename__ too deep", Location(self.p.path_of(m), fn.line)))
            return "", "unresolved"
        if value is None:
            return None, "resolved"
        if isinstance(value, str):
            return value, "derived"
        problems.append(Unresolved(expr_text, "declared_attr __tablename__ is not a string", Location(self.p.path_of(m), fn.line)))
        return "", "unresolved"

    def _fsa_should_set(self, q: str) -> bool:
        """Flask-SQLAlchemy ``should_set_tablename`` over the (effective) MRO."""
        rec = self.records[q]
        if rec.abstract:
            return False
        for c in self.eff_mro(q):
            d = self._tablename_def(c)
            if d is None:
                continue
            kind, m, obj = d
            if kind == "declared" and (self._is_declared_attr(m, obj)):
                return False
            is_meta = c == rec.base.qual or c in self.records
            c_abstract = c in self.records and self.records[c].abstract
            return not (c == q or c_abstract or not is_meta)
        return True

    def _has_pk(self, q: str, pk_constraint: list[str]) -> bool:
        if pk_constraint:
            return True
        cols, _ = self.attributes(q)
        return any(c.primary_key for c in cols)

    def _mapper_flag(self, q: str, key: str) -> bool:
        own = self._own_assign(q, "__mapper_args__")
        if own is None or not isinstance(own[1].value, ast.Dict):
            return False
        for k, v in zip(own[1].value.keys, own[1].value.values):
            if isinstance(k, ast.Constant) and k.value == key:
                return self.reader.evaluate(Arg(v, own[0], own[1].scope)) is True
        return False

    def mapper_options(self, q: str) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        own = self._own_assign(q, "__mapper_args__")
        if own is not None and isinstance(own[1].value, ast.Dict):
            for k, v in zip(own[1].value.keys, own[1].value.values):
                if isinstance(k, ast.Constant) and k.value in ("polymorphic_identity", "polymorphic_on", "concrete", "with_polymorphic"):
                    out.append((str(k.value), unparse(v)))
        bind = self.p.class_attribute(q, "__bind_key__")
        if bind is not None and bind[1].value is not None:
            v = self.reader.evaluate(Arg(bind[1].value, bind[0], bind[1].scope))
            out.append(("bind_key", v if isinstance(v, str) else unparse(bind[1].value)))
        return out

    # ---------------------------------------------------------- Table(...)
    def _table_from_expr(self, arg: Arg) -> ModelDraft | None:
        """A ``Table(...)`` call or a variable holding one (marks the variable consumed)."""
        node = arg.node
        if isinstance(node, ast.Call):
            spec = self.reader.call_spec(arg.module, arg.scope, node)
            if spec is not None and spec.name == "Table":
                return self.read_table(spec, "", arg.module, node.lineno)
            return None
        name = dotted_name(node)
        if not name:
            return None
        q = self.reader.canon(arg.module, name, arg.scope)
        if q in self.tables:
            self.consumed_tables.add(q)
            return self.tables[q]
        return None

    def read_table(self, spec: CallSpec, var: str, module: str, line: int) -> ModelDraft:
        """A ``Table("name", metadata, Column(...), ..., schema=...)`` call."""
        unresolved: list[Unresolved] = []
        name = ""
        status = "resolved"
        if spec.args:
            v = self.reader.evaluate(spec.args[0])
            if isinstance(v, str):
                name = v
            else:
                status = "unresolved"
                unresolved.append(Unresolved(unparse(spec.args[0].node), "table name is not a constant",
                                             self.location(spec.args[0].module, spec.args[0].node)))
        group = self._fsa_owner(spec) or ""
        cols: list[ColumnDraft] = []
        fks: list[FKDraft] = []
        pks: list[str] = []
        for i, a in enumerate(spec.args[1:]):
            if isinstance(a.node, ast.Call):
                inner = self.reader.call_spec(a.module, a.scope, a.node)
                if inner is None:
                    continue
                if inner.name in N.COLUMN_CALLS:
                    col = self.reader.read_column(inner, "", a.node.lineno, None, "column")
                    if not col.type and not col.fks:
                        col.type = "NullType"
                    cols.append(col)
                elif inner.name == "ForeignKeyConstraint":
                    fks += self.reader.constraint_fks(inner)
                elif inner.name == "PrimaryKeyConstraint":
                    pks += [v for v in (self.reader.evaluate(x) for x in inner.args) if isinstance(v, str)]
                elif inner.name == "MetaData" and not group:
                    group = ""
            elif i == 0 and not group:
                md = self.reader.canon(a.module, dotted_name(a.node), a.scope) if dotted_name(a.node) else ""
                group = self.d.metadata_groups.get(md, md[: -len(".metadata")] if md.endswith(".metadata") else md)
        for fk in fks:
            fk.column = fk.column.lstrip("@")
        schema_v = self.reader.evaluate(spec.kwargs.get("schema"))
        schema = schema_v if isinstance(schema_v, str) else ""
        if "schema" in spec.kwargs and not isinstance(schema_v, str) and not (
            isinstance(spec.kwargs["schema"].node, ast.Constant)
        ):
            unresolved.append(Unresolved(unparse(spec.kwargs["schema"].node), "schema is not a constant",
                                         self.location(spec.kwargs["schema"].module, spec.kwargs["schema"].node)))
        for c in cols:
            if c.name in pks:
                c.primary_key = True
                if "nullable" not in spec.kwargs:
                    c.nullable = False
        orm = "flask_sqlalchemy" if group in {b.qual for b in self.d.fsa.values()} else "sqlalchemy"
        draft = ModelDraft(
            orm=orm, qual="", module=module, file=self.p.path_of(module), line=line, base=group,
            table=TableDraft(name, status, schema, unresolved), columns=cols, fks=fks, kind="table", var=var,
        )
        return draft

    def _fsa_owner(self, spec: CallSpec) -> str:
        name = dotted_name(spec.node.func)
        if not name:
            return ""
        raw = self.p.resolve_name(spec.module, name, spec.scope)
        for db, info in self.d.fsa.items():
            if raw.startswith(db + "."):
                return info.qual
        return ""

    def collect_tables(self) -> None:
        """Module-level ``Table(...)`` assignments."""
        for m in self.d.modules:
            syms = self.p.symbols.get(m)
            if syms is None:
                continue
            for a in syms.assignments:
                if a.scope != "" or a.op != "=" or not isinstance(a.value, ast.Call):
                    continue
                spec = self.reader.call_spec(m, "", a.value)
                if spec is None or spec.name != "Table":
                    continue
                q = f"{m}.{a.target}"
                self.tables[q] = self.read_table(spec, q, m, a.line)
        for m, s in sorted(self.summaries.items()):
            if not isinstance(s, SqlaSummary) or m not in self.d.modules:
                continue
            for call in s.calls:
                if call.kind == "table":
                    spec = self.reader.call_spec(m, "", call.node)
                    if spec is not None and spec.name == "Table":
                        self.tables[f"{m}:{call.node.lineno}"] = self.read_table(spec, "", m, call.node.lineno)

    # ------------------------------------------------------------ models
    def build_class(self, q: str) -> ModelDraft:
        rec = self.records[q]
        table = self.table_of(q)
        cols, rels = self.attributes(q)
        cols = [ColumnDraft(**{**c.__dict__, "fks": list(c.fks)}) for c in cols]
        schema, fks, pks, _ = self.table_args(q) if table.inheritance != "single" else ("", [], [], [])
        own_table = self._own_assign(q, "__table__")
        if own_table is not None:
            t = self._table_from_expr(Arg(own_table[1].value, own_table[0], own_table[1].scope))  # type: ignore[arg-type]
            if t is not None:
                cols = [ColumnDraft(**{**c.__dict__, "fks": list(c.fks)}) for c in t.columns] + [
                    c for c in cols if c.name not in {x.name for x in t.columns}
                ]
                fks = fks + list(t.fks)
        by_attr = {("@" + (c.attribute or c.name)): c.name for c in cols}
        pks = [by_attr.get(p, p) for p in pks]
        for fk in fks:
            fk.column = by_attr.get(fk.column, fk.column.lstrip("@"))
        for c in cols:
            if c.name in pks:
                c.primary_key = True
                c.nullable = False
        if table.inheritance == "single":
            # columns the parent's table already has are not repeated
            pcols = {c.name for c in self.attributes(table.parent)[0]}
            cols = [c for c in cols if c.name not in pcols or not c.inherited_from]
        options = self.mapper_options(q)
        orm = rec.base.orm
        return ModelDraft(
            orm=orm, qual=q, module=rec.module, file=self.p.path_of(rec.module), line=rec.info.line,
            base=rec.base.qual, table=TableDraft(table.name, table.status, schema or table.schema, table.unresolved,
                                                 table.inheritance, table.parent),
            columns=cols, fks=fks, rels=list(rels), options=options, methods=tuple(rec.info.methods),
            cls_name=rec.info.name,
        )

    def imperative(self) -> None:
        """``registry.map_imperatively(Cls, table, properties=...)`` and classical ``mapper(Cls, table)``."""
        for m, s in sorted(self.summaries.items()):
            if not isinstance(s, SqlaSummary) or m not in self.d.modules:
                continue
            for call in s.calls:
                if call.kind != "map":
                    continue
                node = call.node
                fname = dotted_name(node.func)
                if fname and "map_imperatively" not in fname:
                    if N.library_name(self.p.resolve_name(m, fname, call.scope)) != "mapper":
                        continue
                if len(node.args) < 2 and not any(k.arg == "local_table" for k in node.keywords):
                    continue
                cls_name = dotted_name(node.args[0]) if node.args else ""
                if not cls_name:
                    continue
                cls_q = self.p.resolve_name(m, cls_name, call.scope)
                found = self.p.class_info(cls_q)
                if found is None:
                    continue
                table_node = node.args[1] if len(node.args) > 1 else next(k.value for k in node.keywords if k.arg == "local_table")
                t = self._table_from_expr(Arg(table_node, m, call.scope))
                if t is None:
                    continue
                cm, info = found
                reg = ""
                if isinstance(node.func, ast.Attribute) and dotted_name(node.func.value):
                    reg = self.p.resolve_name(m, dotted_name(node.func.value), call.scope)
                rels: list[RelDraft] = []
                props = next((k.value for k in node.keywords if k.arg == "properties"), None)
                if isinstance(props, ast.Dict):
                    for k, v in zip(props.keys, props.values):
                        if not (isinstance(k, ast.Constant) and isinstance(k.value, str) and isinstance(v, ast.Call)):
                            continue
                        spec = self.reader.call_spec(m, call.scope, v)
                        if spec is not None and spec.name in N.RELATIONSHIP_CALLS:
                            rels.append(self.reader.read_relationship(spec, k.value, v.lineno))
                self.drafts[cls_q] = ModelDraft(
                    orm="sqlalchemy", qual=cls_q, module=cm, file=self.p.path_of(cm), line=info.line,
                    base=self.d.registries[reg].qual if reg in self.d.registries else (t.base or reg),
                    table=TableDraft(t.table.name, t.table.status, t.table.schema, list(t.table.unresolved)),
                    columns=[ColumnDraft(**{**c.__dict__, "fks": list(c.fks)}) for c in t.columns], fks=list(t.fks),
                    rels=rels, options=[("mapped_at", f"{self.p.path_of(m)}:{node.lineno}")],
                    methods=tuple(info.methods), cls_name=info.name,
                )

    def dynamic_classes(self) -> None:
        """``type("X", (Base,), {...})`` creating a mapped class: reported, never guessed."""
        for m, s in sorted(self.summaries.items()):
            if not isinstance(s, SqlaSummary) or m not in self.d.modules:
                continue
            for call in s.calls:
                if call.kind != "type":
                    continue
                bases_node = call.node.args[1]
                if not isinstance(bases_node, ast.Tuple):
                    continue
                hit = ""
                for b in bases_node.elts:
                    name = dotted_name(b)
                    if not name:
                        continue
                    q = self.reader.canon(m, name, call.scope)
                    if q in self.d.bases or q in self.records or any(x in self.d.bases for x in self.eff_mro(q)[1:]):
                        hit = q
                        break
                if not hit:
                    continue
                self.findings.append(
                    Finding(
                        "orm-dynamic-model",
                        Severity.INFO,
                        f"a mapped class is created at run time with type({unparse(call.node.args[0])}, ...) on {hit}; "
                        "its table and columns are not known statically",
                        self.location(m, call.node),
                        symbol=f"{m}.{call.scope}" if call.scope else m,
                        hint="Declare the model with a class statement, or list it in the docs.",
                        category="models",
                    )
                )

    def build(self) -> list[ModelDraft]:
        self.classify()
        self.collect_tables()
        for q, rec in sorted(self.records.items()):
            if rec.mapped:
                self.drafts[q] = self.build_class(q)
        self.imperative()
        self.dynamic_classes()
        out = list(self.drafts.values())
        out += [t for q, t in sorted(self.tables.items()) if q not in self.consumed_tables]
        return out
