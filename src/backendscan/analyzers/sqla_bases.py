"""Find what makes classes mapped: declarative bases, registries, Flask-SQLAlchemy objects.

Recognised (by canonical name, through imports and aliases):

* ``Base = declarative_base(cls=..., metadata=..., metaclass=...)`` (``sqlalchemy.orm`` and
  ``sqlalchemy.ext.declarative``), ``Base = reg.generate_base()``;
* ``class Base(DeclarativeBase)`` / ``DeclarativeBaseNoMeta`` (with ``metadata``,
  ``registry = registry(metadata=..., type_annotation_map=...)`` and
  ``type_annotation_map`` class attributes), ``@as_declarative()`` classes;
* ``reg = registry()`` for ``@reg.mapped`` / ``reg.map_imperatively(...)``;
* ``db = SQLAlchemy(model_class=..., disable_autonaming=...)`` and instances of
  project subclasses of ``SQLAlchemy``: ``db.Model`` is a base;
* SQLModel (``class X(SQLModel, table=True)``) and bases of known packages
  (``flask_appbuilder.Model``), plus ``[tool.backendscan] sqlalchemy-bases``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from ..model import FileKind
from ..project import Project
from ..symbols import Assignment, ClassInfo
from ..visiting import dotted_name
from . import sqla_names as N


@dataclass
class BaseInfo:
    """A declarative base (or registry): the group its models belong to."""

    qual: str  # the name subclasses refer to: "pkg.models.Base", "pkg.ext.db.Model"
    orm: str  # sqlalchemy, flask_sqlalchemy, sqlmodel
    module: str = ""
    line: int = 0
    mixin: str = ""  # declarative_base(cls=X) / SQLAlchemy(model_class=X): X acts as a mixin
    autoname: bool = False  # Flask-SQLAlchemy implicit table names
    metadata: str = ""  # canonical name of its MetaData object when known
    type_map: dict[str, str] = field(default_factory=dict)  # canonical python type -> SQL type text
    kind: str = "declarative"  # declarative, class, registry, fsa, sqlmodel, external


@dataclass
class Discovery:
    """Bases, registries and Flask-SQLAlchemy instances of a project."""

    bases: dict[str, BaseInfo] = field(default_factory=dict)
    registries: dict[str, BaseInfo] = field(default_factory=dict)  # registry var -> group
    fsa: dict[str, BaseInfo] = field(default_factory=dict)  # db instance qual -> its base
    metadata_groups: dict[str, str] = field(default_factory=dict)  # metadata qual -> base qual
    modules: list[str] = field(default_factory=list)  # modules whose classes may be models
    notes: list[tuple[str, str]] = field(default_factory=list)


def is_alembic_module(project: Project, module: str) -> bool:
    """An Alembic revision script or ``env.py`` (they are not model sources)."""
    syms = project.symbols.get(module)
    mod = project.modules.get(module)
    if syms is None or mod is None:
        return False
    alembic = any(b.scope == "" and b.target.split(".")[0] == "alembic" for b in syms.bindings)
    if alembic and any(b.target == "alembic.context" for b in syms.bindings):
        return True
    if not (alembic or "/versions/" in "/" + mod.path):
        return False
    names = {a.target for a in syms.assignments if a.scope == "" and a.op == "="}
    return "revision" in names and "down_revision" in names


def model_modules(project: Project, analyzer: str) -> list[str]:
    """Modules the analyzer looks at: interested source files, not tests/migrations/Alembic scripts.

    A module classified as a test only by its name (``connection_test.py``) still counts
    when source code imports it: then it is part of the application.
    """
    out = []
    imported: set[str] | None = None
    for m in sorted(project.summaries_of(analyzer)):
        mod = project.modules.get(m)
        if mod is None or mod.kind is FileKind.MIGRATION:
            continue
        if mod.kind is FileKind.TEST:
            if imported is None:
                imported = _imported_by_source(project)
            if m not in imported:
                continue
        if is_alembic_module(project, m):
            continue
        out.append(m)
    return out


def _imported_by_source(project: Project) -> set[str]:
    out: set[str] = set()
    for _, syms in project.source_symbols():
        for b in syms.bindings:
            out.add(b.target)
            out.add(b.target.rsplit(".", 1)[0])
    return out


class _FsaClasses:
    """Membership test: a Flask-SQLAlchemy extension class (known spelling or project subclass)."""

    def __init__(self, project: Project) -> None:
        self.p = project

    def __contains__(self, q: object) -> bool:
        if not isinstance(q, str):
            return False
        if q in N.FSA_CLASSES:
            return True
        return self.p.first_party(q) and self.p.lookup(q).kind == "class" and self.p.is_subclass(q, N.FSA_CLASSES)


def _kw(call: ast.Call, name: str) -> ast.expr | None:
    for k in call.keywords:
        if k.arg == name:
            return k.value
    return None


class BaseFinder:
    """Builds a :class:`Discovery` (see the module docstring)."""

    def __init__(self, project: Project, modules: list[str], fsa_major: int | None, extra_bases: dict[str, str]) -> None:
        self.p = project
        self.mods = modules
        self.fsa_major = fsa_major
        self.extra = extra_bases
        self.d = Discovery(modules=modules)

    def _canon(self, module: str, dotted: str, scope: str = "") -> str:
        syms = self.p.symbols.get(module)
        while scope and syms is not None and syms.cls(scope) is not None:
            scope = syms.cls(scope).scope  # type: ignore[union-attr]  # class bodies see the enclosing scope
        return self.p.resolve_name(module, dotted, scope)

    def _lib(self, module: str, node: ast.expr | None, scope: str = "") -> str:
        name = dotted_name(node) if node is not None else ""
        return N.library_name(self._canon(module, name, scope)) if name else ""

    def find(self) -> Discovery:
        for q, orm in {**N.EXTERNAL_BASES, **self.extra}.items():
            self.d.bases[q] = BaseInfo(q, orm, kind="external")
        for q in N.SQLMODEL_BASES:
            self.d.bases[q] = BaseInfo(q, "sqlmodel", kind="sqlmodel", type_map={})
        fsa_classes = _FsaClasses(self.p)
        for m in self.mods:
            syms = self.p.symbols.get(m)
            if syms is None:
                continue
            for a in syms.assignments:
                if a.scope != "" or a.op != "=" or not isinstance(a.value, ast.Call):
                    continue
                self._assignment(m, a, fsa_classes)
        for m in self.mods:
            syms = self.p.symbols.get(m)
            if syms is None:
                continue
            for c in syms.classes:
                self._class(m, c)
        return self.d

    # --------------------------------------------------------- assignments
    def _assignment(self, m: str, a: Assignment, fsa_classes: "_FsaClasses") -> None:
        call: ast.Call = a.value  # type: ignore[assignment]
        fname = dotted_name(call.func)
        qual = f"{m}.{a.target}"
        if not fname:
            # registry(...).generate_base()
            if isinstance(call.func, ast.Attribute) and call.func.attr == "generate_base" and isinstance(call.func.value, ast.Call):
                if self._lib(m, call.func.value.func) == "registry":
                    md_text = self._md(m, _kw(call.func.value, "metadata"))
                    self._add_base(BaseInfo(qual, "sqlalchemy", m, a.line, metadata=md_text))
            return
        q = self._canon(m, fname)
        lib = N.library_name(q)
        if lib in N.DECLARATIVE_FACTORIES:
            cls = _kw(call, "cls")
            self._add_base(
                BaseInfo(qual, "sqlalchemy", m, a.line, mixin=self._class_ref(m, cls), metadata=self._md(m, _kw(call, "metadata")))
            )
        elif fname.endswith(".generate_base"):
            reg = self._canon(m, fname.rsplit(".", 1)[0])
            md = ""
            d = self.p.lookup(reg)
            if d.kind == "assignment" and isinstance(d.obj.value, ast.Call):
                md = self._md(d.module, _kw(d.obj.value, "metadata"))
            self._add_base(BaseInfo(qual, "sqlalchemy", m, a.line, metadata=md))
        elif lib == "registry":
            info = BaseInfo(qual, "sqlalchemy", m, a.line, metadata=self._md(m, _kw(call, "metadata")), kind="registry")
            info.type_map = self._type_map(m, _kw(call, "type_annotation_map"), "")
            self.d.registries[qual] = info
        elif (lib == "SQLAlchemy" and q.startswith("flask_sqlalchemy")) or q in fsa_classes:
            self._fsa(m, qual, a.line, call)

    def _fsa(self, m: str, qual: str, line: int, call: ast.Call) -> None:
        base_q = qual + ".Model"
        autoname = True
        mixin = ""
        model_class = _kw(call, "model_class")
        if model_class is not None:
            if isinstance(model_class, ast.Call) and self._lib(m, model_class.func) in N.DECLARATIVE_FACTORIES:
                mixin = self._class_ref(m, _kw(model_class, "cls"))
                meta = _kw(model_class, "metaclass")
                meta_q = self._canon(m, dotted_name(meta)) if meta is not None and dotted_name(meta) else ""
                if not meta_q:
                    autoname = False  # plain declarative_base(): SQLAlchemy's own metaclass
                elif meta_q not in N.FSA_NAMING_METAS and not self.p.is_subclass(meta_q, N.FSA_NAMING_METAS):
                    autoname = False
            else:
                # a plain class (FSA makes declarative_base(cls=it, metaclass=DefaultMeta)) or,
                # in 3.1, a DeclarativeBase subclass (FSA adds its naming mixin): names on
                mixin = self._class_ref(m, model_class)
                name = dotted_name(model_class)
                d = self.p.lookup(self._canon(m, name)) if name else None
                if d is not None and d.kind == "assignment" and isinstance(d.obj.value, ast.Call):
                    if self._lib(d.module, d.obj.value.func) in N.DECLARATIVE_FACTORIES:
                        autoname = False  # an existing declarative_base() is used as is
        disable = _kw(call, "disable_autonaming")
        if isinstance(disable, ast.Constant) and disable.value is True:
            autoname = False
        info = BaseInfo(base_q, "flask_sqlalchemy", m, line, mixin=mixin, autoname=autoname, metadata=qual + ".metadata", kind="fsa")
        self.d.fsa[qual] = info
        self._add_base(info)

    def _class_ref(self, m: str, node: ast.expr | None) -> str:
        if node is None or not dotted_name(node):
            return ""
        q = self._canon(m, dotted_name(node))
        return q if self.p.lookup(q).kind == "class" else ""

    def _md(self, m: str, node: ast.expr | None, scope: str = "") -> str:
        if node is None:
            return ""
        name = dotted_name(node)
        if name:
            return self._canon(m, name, scope)
        return ""

    def _add_base(self, info: BaseInfo) -> None:
        self.d.bases[info.qual] = info
        if info.metadata:
            self.d.metadata_groups.setdefault(info.metadata, info.qual)
        self.d.metadata_groups.setdefault(info.qual + ".metadata", info.qual)

    # -------------------------------------------------------------- classes
    def _class(self, m: str, c: ClassInfo) -> None:
        qual = f"{m}.{c.qualname}"
        for dec in c.decorators:
            target = dec.func if isinstance(dec, ast.Call) else dec
            if self._lib(m, target, c.scope) == "as_declarative":
                md = _kw(dec, "metadata") if isinstance(dec, ast.Call) else None
                self._add_base(BaseInfo(qual, "sqlalchemy", m, c.line, metadata=self._md(m, md), kind="class"))
                return
        direct = [self._lib(m, b, c.scope) for b in c.bases]
        if not any(lib in N.DECLARATIVE_BASE_CLASSES for lib in direct):
            return
        info = BaseInfo(qual, "sqlalchemy", m, c.line, kind="class")
        syms = self.p.symbols[m]
        for a in syms.class_assignments(c.qualname):
            if a.target == "metadata" and a.value is not None:
                info.metadata = self._md(m, a.value, c.qualname)
            elif a.target == "registry" and isinstance(a.value, ast.Call) and self._lib(m, a.value.func, c.qualname) == "registry":
                info.metadata = self._md(m, _kw(a.value, "metadata"), c.qualname) or info.metadata
                info.type_map.update(self._type_map(m, _kw(a.value, "type_annotation_map"), c.qualname))
            elif a.target == "type_annotation_map" and a.value is not None:
                info.type_map.update(self._type_map(m, a.value, c.qualname))
        self._add_base(info)

    def _type_map(self, m: str, node: ast.expr | None, scope: str) -> dict[str, str]:
        """``{uuid.UUID: UUID, DateTime: Timestamp}`` -> canonical key -> type text."""
        out: dict[str, str] = {}
        if not isinstance(node, ast.Dict):
            return out
        for k, v in zip(node.keys, node.values):
            if k is None:
                continue
            kname = dotted_name(k)
            if not kname:
                continue
            kq = self._canon(m, kname, scope)
            if "." not in kq and kq in N.PLAIN_BUILTIN_TYPES:
                kq = "builtins." + kq
            vname = dotted_name(v.func) if isinstance(v, ast.Call) else dotted_name(v)
            if vname:
                vq = self._canon(m, vname, scope)
                d = self.p.lookup(vq)
                text = d.obj.name if d.kind == "class" else vname.rsplit(".", 1)[-1]
                if isinstance(v, ast.Call) and (v.args or v.keywords):
                    text += "(" + ", ".join(
                        [ast.unparse(a) for a in v.args] + [f"{kw.arg}={ast.unparse(kw.value)}" for kw in v.keywords if kw.arg]
                    ) + ")"
                out[kq] = text
        return out
