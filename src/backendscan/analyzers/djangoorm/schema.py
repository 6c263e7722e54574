"""Django model classes -> ``OrmModel`` facts (tables, columns, keys, relations).

Mirrors what ``django.db.models.base.ModelBase`` and ``Options`` do at import
time, from the symbol tables alone:

* **Models** are first-party classes with ``django.db.models.Model`` among their
  ancestors, or a catalogued third-party abstract model (``AbstractUser``,
  ``PolymorphicModel``, ``TimeStampedModel``...; see :mod:`.catalogue`), or an
  external base from a ``models``-like module (or named ``Abstract...``) when the
  class itself declares Django fields or a ``Meta`` (its inherited fields are then
  reported as unknown).
  Classes in test modules and inside functions are left out.
* **Meta**: the class's own ``Meta`` (with the options of its bases, e.g.
  ``class Meta(Base.Meta)``); without one, the first ``Meta`` along the MRO
  that Django would see (abstract parents and plain mixins; concrete parents
  drop theirs).  ``abstract`` is never inherited.
* **Fields** (Django's rules): own class-body fields, then the fields of each
  direct abstract model base (recursively), unless the name is already taken by
  the class, by a non-model class earlier in the MRO, or set to ``None``.
* **Multi-table inheritance**: each concrete model base gives a
  ``<parent>_ptr`` one-to-one column (``<parent>_ptr_id``), unless a
  ``OneToOneField(parent_link=True)`` to it is declared; the first one is the
  primary key when no field is ``primary_key=True``.
* **Proxy** models (``Meta.proxy = True``) have no table (``table_status``
  ``none``, ``inheritance`` ``proxy``, ``parent`` the concrete model).
* **Primary key**: the field with ``primary_key=True``, else the first parent
  link, else an implicit ``id`` of the app's auto field class.
* **Tables**: ``Meta.db_table`` (``table_status`` resolved/partial/unresolved)
  or ``<app_label>_<model name lower>`` (``derived``).  Django shortens long
  names to the backend's identifier limit (``truncate_name``); the limit is
  used only when known: config ``django-max-name-length``, or the ``ENGINE``
  of ``DATABASES["default"]`` when it folds (PostgreSQL 63, MySQL 64, Oracle 30,
  SQLite none).  Otherwise names are kept whole.
* **Relations** are resolved in the concrete model that owns the field (as
  Django does for fields inherited from abstract bases): class objects,
  ``"self"``, ``"Model"`` (same app), ``"app_label.Model"`` (by label, not by
  module), ``settings.AUTH_USER_MODEL`` / ``get_user_model()`` (default
  ``auth.User``), ``swapper.get_model_name(app, model)``.  The referenced
  column is the target's primary key (or ``to_field``).  Targets outside the
  scan: ``django.contrib`` tables from :data:`~.catalogue.KNOWN_TABLES` or
  config ``django-external-tables`` (keys ``"label.Model"`` or a class path,
  e.g. ``{"taggit.Tag" = "taggit_tag.id"}``), status ``external``; anything
  else is ``external:<label.Model>`` with status ``unresolved``.
* **Many-to-many** without ``through=``: an auto-created table
  ``<model table>_<field>`` (or the field's ``db_table``) with ``id`` and two
  foreign keys ``<model>_id``/``<target>_id`` (``from_<model>_id``/``to_<model>_id``
  when both have the same model name), emitted as ``kind="m2m"`` with
  ``class_name=""``.  With ``through=`` the relationship's ``secondary`` names
  the through model's table.
* Field classes listed in config ``django-logical-fk-fields`` are relations
  without a database foreign key: their relationship has status ``logical``
  and no ``ForeignKey`` fact.  So is ``GenericForeignKey``.
"""

from __future__ import annotations

import ast
import hashlib
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Mapping

from ...facts import Column, ForeignKey, OrmModel, Relationship
from ...model import FileKind, Location, Unresolved
from ...project import Opaque, Project, Value
from ...symbols import Assignment, ClassInfo
from ...visiting import dotted_name
from . import fields as F
from .apps import AppInfo, AppRegistry, setting
from .catalogue import (
    CATALOGUE_MODULE,
    CATALOGUE_NAMES,
    KNOWN_TABLES,
    MODEL_BASES,
    MPTT_FIELDS,
    MPTT_MODELS,
    AbstractModel,
    KnownTable,
    find_abstract,
    known_class,
)

RESOLVED = "resolved"
EXTERNAL = "external"
UNRESOLVED = "unresolved"
LOGICAL = "logical"

_DJANGO_ONLY_META = frozenset({
    "db_table", "app_label", "managed", "proxy", "unique_together", "index_together", "default_related_name",
    "get_latest_by", "order_with_respect_to", "db_table_comment", "required_db_vendor", "select_on_save",
    "default_permissions", "base_manager_name", "default_manager_name", "verbose_name_plural",
})
_META_OPTIONS = ("app_label", "db_table", "managed", "proxy", "swappable", "db_table_comment", "required_db_vendor")
_ENGINE_LIMITS = (("postgis", 63), ("postgresql", 63), ("postgres", 63), ("mysql", 64), ("oracle", 30), ("sqlite", 0))


@dataclass
class ModelClass:
    """A Django model class (first-party or catalogued) and what its class body says."""

    qualname: str
    module: str
    name: str
    file: str
    line: int
    info: ClassInfo | None = None
    catalogue: AbstractModel | None = None
    known: KnownTable | None = None  # a concrete model outside the scan (MTI parent such as ContentType)
    abstract: bool = False
    proxy: bool = False
    meta: dict[str, F.Src] = field(default_factory=dict)
    own_fields: list[F.FieldDef] = field(default_factory=list)
    removed: set[str] = field(default_factory=set)
    attrs: set[str] = field(default_factory=set)
    label: str = ""
    label_from: str = ""
    app: AppInfo | None = None
    unknown_bases: tuple[str, ...] = ()
    unresolved: list[Unresolved] = field(default_factory=list)

    @property
    def model_name(self) -> str:
        return self.name.lower()

    @property
    def first_party(self) -> bool:
        return self.catalogue is None and self.known is None


@dataclass(frozen=True)
class Target:
    """Where a relation points."""

    status: str  # resolved, external, unresolved
    model: ModelClass | None = None
    known: KnownTable | None = None
    text: str = ""  # "label.Model" or the expression
    model_name: str = ""  # lower-case model name ("" when unknown)
    reason: str = ""


@dataclass
class Layout:
    """A model's local fields in order, its MTI parent links and its primary-key field."""

    fields: list[F.FieldDef]
    parents: list[tuple[ModelClass, F.FieldDef]]
    pk: F.FieldDef | None


class Schema:
    """Builds the model facts of a project (see the module docstring)."""

    def __init__(self, project: Project, apps: AppRegistry, inits: Mapping[str, tuple[str, F.InitSpec]],
                 adds: Iterable[tuple[str, F.AddToClass]] = (), conditional: Mapping[str, str] | None = None) -> None:
        self.p = project
        self.conditional = dict(conditional or {})
        self.apps = apps
        self.inits = inits
        self._adds = list(adds)
        self._scope_index: dict[str, dict[str, list[Assignment]]] = {}
        self._kind_cache: dict[str, str] = {}
        self._class_cache: dict[str, F.FieldClass | None] = {}
        self._mro_cache: dict[str, tuple[str, ...]] = {}
        self._layout_cache: dict[str, Layout] = {}
        self._fields_cache: dict[str, tuple[list[F.FieldDef], list[tuple[ModelClass, F.FieldDef]]]] = {}
        self.models: dict[str, ModelClass] = {}
        self.registry: dict[tuple[str, str], ModelClass] = {}
        self.duplicates: list[tuple[ModelClass, ModelClass]] = []
        self.notes: list[str] = []
        cfg = project.config
        self.logical = tuple(str(x) for x in (cfg.get_extra("django-logical-fk-fields") or ()) if isinstance(x, str))
        ext = cfg.get_extra("django-external-tables") or {}
        self.external_tables: dict[str, str] = (
            {str(k).lower(): str(v) for k, v in ext.items()} if isinstance(ext, Mapping) else {}
        )
        self.max_name_length, self.name_length_source = self._name_limit()
        self.auth_user_model, self.auth_user_source = self._auth_user_model()

    # ------------------------------------------------------------- plumbing
    def _assignments(self, module: str, scope: str) -> list[Assignment]:
        idx = self._scope_index.get(module)
        if idx is None:
            idx = {}
            syms = self.p.symbols.get(module)
            if syms is not None:
                for a in syms.assignments:
                    idx.setdefault(a.scope, []).append(a)
            self._scope_index[module] = idx
        return idx.get(scope, [])

    def resolve(self, src: F.Src, dotted: str) -> str:
        if src.module == CATALOGUE_MODULE:
            head, _, rest = dotted.partition(".")
            base = CATALOGUE_NAMES.get(head, head)
            return base + ("." + rest if rest else "")
        return self.qualify(self.p.resolve_name(src.module, dotted, src.scope))

    def qualify(self, name: str) -> str:
        """``name`` under a shifted import root (see :meth:`AppRegistry.module_of`) when it is not first-party."""
        if not self.apps.shifts or not name or self.p.first_party(name):
            return name
        for prefix in self.apps.shifts:
            candidate = self.p.canonical(prefix + name)
            if self.p.lookup(candidate).kind != "unknown":
                return candidate
        return name

    def fold(self, src: F.Src) -> Value:
        return self.p.evaluate(src.module if src.module != CATALOGUE_MODULE else "", src.node, src.scope)

    def fold_value(self, src: F.Src) -> Any:
        v = self.fold(src)
        return v.value if v.ok else None

    def flag(self, fd: F.FieldDef, name: str, default: bool | None = False) -> bool | None:
        src = fd.kwargs.get(name)
        if src is None:
            return default
        v = self.fold(src)
        if v.ok and isinstance(v.value, (bool, int)) and not isinstance(v.value, str):
            return bool(v.value)
        return None

    def string(self, src: F.Src | None) -> str | None:
        if src is None:
            return None
        v = self.fold(src)
        return v.value if v.ok and isinstance(v.value, str) else None

    def location(self, module: str, node: ast.AST | None) -> Location:
        if module == CATALOGUE_MODULE:
            return Location("")
        return self.p.location(module, node)

    def _name_limit(self) -> tuple[int, str]:
        cfg = self.p.config.get_extra("django-max-name-length")
        if isinstance(cfg, int) and not isinstance(cfg, bool) and cfg >= 0:
            return cfg, "config django-max-name-length"
        v = setting(self.p, "DATABASES")
        engine = None
        if v.value is not None and isinstance(v.value, dict):
            default = v.value.get("default")
            if isinstance(default, Opaque):  # a partly folded dict (e.g. NAME = BASE_DIR / "db.sqlite3")
                default = default.value.value
            if isinstance(default, dict) and isinstance(default.get("ENGINE"), str):
                engine = default["ENGINE"]
        if engine:
            for key, limit in _ENGINE_LIMITS:
                if key in engine:
                    return limit, f"DATABASES ENGINE {engine}"
        return 0, ""

    def _auth_user_model(self) -> tuple[str, str]:
        v = setting(self.p, "AUTH_USER_MODEL")
        if v.ok and isinstance(v.value, str):
            return v.value, "settings.AUTH_USER_MODEL"
        return "auth.User", "Django default (AUTH_USER_MODEL not found in settings)"

    def truncate(self, name: str) -> str:
        """``django.db.backends.utils.truncate_name`` with the known limit (none when unknown)."""
        limit = self.max_name_length
        if not limit or len(name) <= limit:
            return name
        digest = hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()[:4]
        return name[: limit - 4] + digest

    # ------------------------------------------------------ class hierarchy
    def _catalogue_model(self, entry: AbstractModel) -> ModelClass:
        found = self.models.get(entry.qualname)
        if found is not None:
            return found
        m = ModelClass(entry.qualname, CATALOGUE_MODULE, entry.qualname.rsplit(".", 1)[-1], "", 0,
                       catalogue=entry, abstract=True)
        self.models[entry.qualname] = m
        for stmt in entry.body:
            t = stmt.targets[0]
            if isinstance(t, ast.Name) and isinstance(stmt.value, ast.Call):
                fd = self.parse_field(stmt.value, CATALOGUE_MODULE, "", t.id, 0, entry.qualname, "")
                if fd is not None:
                    m.own_fields.append(fd)
                m.attrs.add(t.id)
        return m

    def normal(self, name: str) -> str:
        """A base class name as this module keys it (catalogue re-exports -> catalogue name)."""
        entry = find_abstract(name)
        return entry.qualname if entry is not None else name

    def bases_of(self, qual: str) -> tuple[str, ...]:
        entry = find_abstract(qual)
        if entry is not None and qual == entry.qualname:
            return entry.bases
        if self.p.class_info(qual) is not None:
            return tuple(self.normal(self.qualify(b)) for b in self.p.bases(qual))
        return ()

    def c3(self, qual: str) -> tuple[str, ...]:
        """Python's MRO (C3) over project and catalogue classes; external classes have no bases."""
        cached = self._mro_cache.get(qual)
        if cached is not None:
            return cached
        self._mro_cache[qual] = (qual,)  # cycle guard
        bases = [b for b in self.bases_of(qual) if b != qual]
        seqs = [list(self.c3(b)) for b in bases] + [list(bases)]
        out = [qual]
        while True:
            seqs = [s for s in seqs if s]
            if not seqs:
                break
            for s in seqs:
                head = s[0]
                if not any(head in t[1:] for t in seqs):
                    break
            else:  # inconsistent hierarchy: fall back to depth-first order
                rest = [c for c in self.p.mro(qual)[1:] if c not in out]
                out.extend(rest)
                break
            out.append(head)
            for t in seqs:
                if t and t[0] == head:
                    del t[0]
        result = tuple(out)
        self._mro_cache[qual] = result
        return result

    def kind(self, qual: str) -> str:
        """``base`` (django Model), ``catalogue``, ``model`` (project model), ``heuristic`` or ``other``."""
        cached = self._kind_cache.get(qual)
        if cached is not None:
            return cached
        self._kind_cache[qual] = "other"  # cycle guard
        if qual in MODEL_BASES:
            result = "base"
        elif find_abstract(qual) is not None:
            result = "catalogue"
        elif known_class(qual) is not None and self.p.class_info(qual) is None:
            result = "known"
        elif self.p.class_info(qual) is not None:
            bases = self.bases_of(qual)
            if any(self.kind(b) in ("base", "catalogue", "known", "model", "heuristic") for b in bases):
                result = "model"
            elif any(_unknown_model_base(b) and self.p.class_info(b) is None for b in bases) and self._looks_like_model(qual):
                result = "heuristic"
            else:
                result = "other"
        else:
            result = "other"
        self._kind_cache[qual] = result
        return result

    def _looks_like_model(self, qual: str) -> bool:
        """Evidence that a class on an unknown external base is a Django model: a Django field in its
        body, a Django-only ``Meta`` option, or ``class Meta(Base.Meta)`` over that external base
        (``Meta.abstract`` alone is not enough: graphene types use it too)."""
        found = self.p.class_info(qual)
        if found is None:
            return False
        module, info = found
        for a in self._assignments(module, info.qualname):
            if isinstance(a.value, ast.Call):
                name = dotted_name(a.value.func)
                resolved = self.p.resolve_name(module, name, info.scope) if name else ""
                if resolved.startswith("django.db.models.") and F.external_kind(resolved) is not None:
                    return True
        meta = self.p.symbols[module].cls(info.qualname + ".Meta")
        if meta is None:
            return False
        names = {a.target for a in self._assignments(module, meta.qualname)}
        if names & _DJANGO_ONLY_META:
            return True
        external = {b for b in self.p.bases(qual) if not self.p.first_party(b)}
        for b in meta.bases:
            base = dotted_name(b)
            if base.endswith(".Meta") and self.p.resolve_name(module, base[: -len(".Meta")], info.scope) in external:
                return True
        return False

    def is_model(self, qual: str) -> bool:
        return self.kind(qual) in ("catalogue", "known", "model", "heuristic")

    # --------------------------------------------------------------- fields
    def field_class(self, qual: str) -> F.FieldClass | None:
        if qual in self._class_cache:
            return self._class_cache[qual]
        result: F.FieldClass | None = None
        if self.p.class_info(qual) is not None and not qual.startswith("django."):  # (Django itself: known by name)
            mro = self.c3(qual)
            chain: list[tuple[str, F.InitSpec]] = []
            for c in mro:
                if self.p.class_info(c) is not None and not c.startswith("django."):
                    spec = self.inits.get(c)
                    if spec is not None:
                        chain.append(spec)
                    continue
                k = F.external_kind(c)
                if k is not None:
                    result = F.FieldClass(qual, k, F.THIRD_PARTY_BASES.get(c, c), tuple(chain), mro)
                    break
            if result is None:
                for c in mro:
                    k = F.suffix_kind(c.rsplit(".", 1)[-1])
                    if k is not None:
                        result = F.FieldClass(qual, k, "", tuple(chain), mro, by_name=True)
                        break
        elif "." in qual:
            k = F.external_kind(qual)
            if k is not None:
                by_name = not qual.startswith("django.") and qual.rsplit(".", 1)[-1] not in ("TaggableManager",)
                result = F.FieldClass(qual, k, F.THIRD_PARTY_BASES.get(qual, qual), (), (qual,), by_name=by_name)
        self._class_cache[qual] = result
        return result

    def _is_logical(self, fc: F.FieldClass) -> bool:
        for want in self.logical:
            for c in fc.mro or (fc.qualname,):
                if c == want or c.endswith("." + want) or c.rsplit(".", 1)[-1] == want:
                    return True
        return False

    def parse_field(self, call: ast.Call, module: str, scope: str, attr: str, line: int,
                    declared_in: str, file: str) -> F.FieldDef | None:
        """A :class:`FieldDef` for ``attr = call`` in a model body, or None when it is not a field."""
        callee = dotted_name(call.func)
        if not callee:
            return None
        qual = self.resolve(F.Src(call.func, module, scope), callee)
        fc = self.field_class(qual)
        if fc is None:
            return None

        def expand(src: F.Src) -> Mapping[str, F.Src] | None:
            if isinstance(src.node, ast.Dict) and all(isinstance(k, ast.Constant) for k in src.node.keys):
                return {str(k.value): F.Src(v, src.module, src.scope) for k, v in zip(src.node.keys, src.node.values)}  # type: ignore[union-attr]
            return None

        kwargs, unknown = F.bind_call(call, module, scope, fc, expand)
        short = qual.rsplit(".", 1)[-1]
        type_text = short if fc.kind in (F.FK, F.O2O, F.M2M) else F.type_text(short, kwargs, self.fold_value)
        return F.FieldDef(
            attr=attr,
            kind=fc.kind,
            type=type_text,
            cls=fc,
            kwargs=kwargs,
            line=line,
            declared_in=declared_in,
            file=file,
            logical=self._is_logical(fc),
            unknown_kwargs=unknown,
        )

    # --------------------------------------------------------------- models
    def collect(self) -> None:
        """Find every model class and read its class body."""
        for module, qual, info in self.p.classes():
            mod = self.p.modules.get(module)
            if mod is None or mod.kind in (FileKind.TEST, FileKind.MIGRATION):
                continue
            if "<locals>" in qual or info.name == "Meta":
                continue
            if not self.is_model(qual):
                continue
            self.models[qual] = self._read_class(module, qual, info)
        for module, add in self._adds:
            target = self.qualify(self.p.resolve_name(module, add.model, add.scope))
            m = self.models.get(target)
            if m is None or not m.first_party:
                continue
            fd = self.parse_field(add.value, module, add.scope, add.name, add.line, m.qualname, self.p.path_of(module))
            if fd is not None:
                m.own_fields = [f for f in m.own_fields if f.attr != add.name] + [fd]
        for m in list(self.models.values()):
            if m.first_party:
                self._read_abstract(m)
        for m in list(self.models.values()):
            if m.first_party:
                self._read_meta(m)
        for m in sorted((m for m in self.models.values() if m.first_party), key=lambda m: m.qualname):
            self._assign_label(m)
            if m.abstract:
                continue
            key = (m.label, m.model_name)
            other = self.registry.get(key)
            if other is None:
                self.registry[key] = m
            else:
                self.duplicates.append((other, m))

    def _read_class(self, module: str, qual: str, info: ClassInfo) -> ModelClass:
        path = self.p.path_of(module)
        m = ModelClass(qual, module, info.name, path, info.line, info=info)
        m.attrs = set(info.attributes) | set(info.methods)
        last: dict[str, Assignment] = {}
        for a in self._assignments(module, info.qualname):
            if a.op != "=" or "." in a.target or "[" in a.target:
                continue
            last[a.target] = a
        for name, a in last.items():
            if isinstance(a.value, ast.Constant) and a.value.value is None:
                m.removed.add(name)
                continue
            if isinstance(a.value, ast.Call):
                fd = self.parse_field(a.value, module, info.qualname, name, a.line, qual, path)
                if fd is not None:
                    m.own_fields.append(fd)
        m.own_fields.sort(key=lambda f: (f.line, f.attr))
        if self.kind(qual) == "heuristic":
            m.unknown_bases = tuple(b for b in self.bases_of(qual) if _unknown_model_base(b) and self.p.class_info(b) is None)
            for b in m.unknown_bases:
                m.unresolved.append(Unresolved(
                    b, "fields (and the primary key) inherited from this external model are unknown",
                    Location(path, info.line)))
        for b in self.c3(qual)[1:]:
            entry = find_abstract(b)
            if entry is not None and entry.qualname == b:
                self._catalogue_model(entry)
        return m

    def _meta_class(self, m: ModelClass) -> tuple[str, str] | None:
        """(module, qualname) of the ``Meta`` class Django uses for ``m``."""
        if m.info is None:
            return None
        syms = self.p.symbols[m.module]
        own = syms.cls(m.info.qualname + ".Meta")
        if own is not None:
            return m.module, f"{m.module}.{own.qualname}"
        for b in self.c3(m.qualname)[1:]:
            found = self.p.class_info(b)
            if found is None:
                continue
            bmod, binfo = found
            k = self.kind(b)
            if k == "model" or k == "heuristic":
                bm = self.models.get(b)
                if bm is not None and not bm.abstract:
                    continue  # concrete models keep no Meta attribute
            meta = self.p.symbols[bmod].cls(binfo.qualname + ".Meta")
            if meta is not None:
                return bmod, f"{bmod}.{meta.qualname}"
        return None

    def _read_abstract(self, m: ModelClass) -> None:
        """``abstract``: only the class's own ``Meta`` says it (Django resets it on abstract parents)."""
        if m.info is None:
            return
        own = self.p.symbols[m.module].cls(m.info.qualname + ".Meta")
        if own is None:
            return
        for a in self._assignments(m.module, own.qualname):
            if a.target == "abstract" and a.op == "=":
                v = self.p.evaluate(m.module, a.value, a.scope)
                m.abstract = bool(v.value) if v.ok else False

    def _read_meta(self, m: ModelClass) -> None:
        found = self._meta_class(m)
        if found is None:
            return
        for meta_qual in self.c3(found[1]):
            info = self.p.class_info(meta_qual)
            if info is None:
                continue
            mod, minfo = info
            for a in self._assignments(mod, minfo.qualname):
                if a.op == "=" and a.target in _META_OPTIONS and a.target not in m.meta and a.value is not None:
                    m.meta[a.target] = F.Src(a.value, mod, a.scope)
        proxy = m.meta.get("proxy")
        if proxy is not None:
            v = self.fold(proxy)
            m.proxy = bool(v.value) if v.ok else False

    def _assign_label(self, m: ModelClass) -> None:
        src = m.meta.get("app_label")
        if src is not None:
            v = self.fold(src)
            if v.ok and isinstance(v.value, str):
                m.label, m.label_from = v.value, "Meta.app_label"
                m.app = self.apps.by_label.get(m.label)
                return
            m.unresolved.append(Unresolved(F.unparse(src.node), "Meta.app_label does not fold", self.location(src.module, src.node)))
        app, how = self.apps.app_for(m.module)
        if app is not None:
            m.label, m.app = app.label, app
            m.label_from = f"AppConfig {app.config}" if app.config else "INSTALLED_APPS"
            if how == "app_config" and app.config:
                m.label_from = f"AppConfig {app.config}"
            return
        m.label, m.label_from = self.apps.package_label(m.module), "package"

    # --------------------------------------------------------------- layout
    def concrete(self, m: ModelClass, depth: int = 0) -> ModelClass:
        """The concrete model a proxy stands for (itself for other models)."""
        if not m.proxy or depth > 20:
            return m
        parent = self.proxy_parent(m)
        return self.concrete(parent, depth + 1) if parent is not None else m

    def proxy_parent(self, m: ModelClass) -> ModelClass | None:
        for b in self.bases_of(m.qualname):
            bm = self.models.get(b)
            if bm is not None and bm.first_party and not bm.abstract:
                return bm
        return None

    def local_fields(self, m: ModelClass) -> list[F.FieldDef]:
        """Own fields plus those inherited from direct abstract model bases (Django's order of checks)."""
        return self._inherit(m)[0]

    def _inherit(self, m: ModelClass) -> tuple[list[F.FieldDef], list[tuple[ModelClass, F.FieldDef]]]:
        """(local fields, MTI parents with their link fields), as ``ModelBase.__new__`` builds them.

        Concrete direct model bases give a ``<parent>_ptr`` link (abstract models
        get one too, and pass it on with their parents to their children).
        """
        cached = self._fields_cache.get(m.qualname)
        if cached is not None:
            return cached
        self._fields_cache[m.qualname] = ([], [])  # cycle guard
        own = [f for f in m.own_fields if f.attr not in m.removed]
        inherited: list[F.FieldDef] = []  # inherited fields first: Django orders fields by creation
        ptrs: list[F.FieldDef] = []
        parents: list[tuple[ModelClass, F.FieldDef]] = []
        names = {f.attr for f in m.own_fields} | m.removed
        taken = set(m.attrs)
        direct = [self.normal(b) for b in self.bases_of(m.qualname)]
        model_bases = [b for b in direct if self.is_model(b)]
        inherited_attrs: set[str] = set()
        for b in self.c3(m.qualname):
            bm = self._model_for(b)
            if b not in model_bases or bm is None:
                inherited_attrs |= self._attrs_of(b)
                continue
            if not bm.abstract:
                if m.proxy or bm.catalogue is not None:
                    continue
                base = self.concrete(bm)
                if any(p is base for p, _ in parents):
                    continue
                link = self._parent_link(m, own, base)
                if link is None:
                    link = self._ptr_field(m, base)
                    ptrs.append(link)
                parents.append((base, link))
                continue
            fields, base_parents = self._inherit(bm)
            for f in fields:
                if f.attr in names or f.attr in taken or f.attr in inherited_attrs:
                    continue
                inherited.append(f)
                names.add(f.attr)
            for pb, plink in base_parents:
                if not any(p is pb for p, _ in parents):
                    parents.append((pb, plink))
        out = inherited + own + ptrs
        if any(b in MPTT_MODELS for b in self.c3(m.qualname)) and not m.abstract:
            out.extend(self._mptt_fields(m, names))
        result = (out, parents)
        self._fields_cache[m.qualname] = result
        return result

    def _model_for(self, qual: str) -> ModelClass | None:
        m = self.models.get(qual)
        if m is not None:
            return m
        entry = find_abstract(qual)
        if entry is not None and entry.qualname == qual:
            return self._catalogue_model(entry)
        known = known_class(qual) if self.kind(qual) == "known" else None
        if known is not None:
            label, _, name = known.label.partition(".")
            m = ModelClass(qual, CATALOGUE_MODULE, name, "", 0, known=known, label=label)
            self.models[qual] = m
            return m
        return None

    def _attrs_of(self, qual: str) -> set[str]:
        m = self.models.get(qual)
        if m is not None:
            return m.attrs | {f.attr for f in m.own_fields}
        found = self.p.class_info(qual)
        if found is not None:
            return set(found[1].attributes) | set(found[1].methods)
        return set()

    def _mptt_fields(self, m: ModelClass, names: set[str]) -> list[F.FieldDef]:
        attrs = dict(MPTT_FIELDS)
        for c in self.c3(m.qualname):
            found = self.p.class_info(c)
            if found is None:
                continue
            mod, info = found
            meta = self.p.symbols[mod].cls(info.qualname + ".MPTTMeta")
            if meta is None:
                continue
            for a in self._assignments(mod, meta.qualname):
                if a.target in attrs and a.op == "=" and a.value is not None:
                    v = self.p.evaluate(mod, a.value, a.scope)
                    if v.ok and isinstance(v.value, str) and attrs[a.target] == dict(MPTT_FIELDS)[a.target]:
                        attrs[a.target] = v.value
        out = []
        for key, _default in MPTT_FIELDS:
            name = attrs[key]
            if name in names:
                continue
            node = ast.parse("models.PositiveIntegerField(db_index=True, editable=False)", mode="eval").body
            fd = self.parse_field(node, CATALOGUE_MODULE, "", name, 0, "mptt.models.MPTTModel", "")  # type: ignore[arg-type]
            if fd is not None:
                out.append(fd)
        return out

    def layout(self, m: ModelClass) -> Layout:
        cached = self._layout_cache.get(m.qualname)
        if cached is not None:
            return cached
        fields, parents = self._inherit(m)
        fields = list(fields)
        pk = next((f for f in fields if self.flag(f, "primary_key")), None)
        if pk is None and parents and not m.abstract:
            pk = parents[0][1]
        if pk is None and not m.abstract and not m.proxy and not m.unknown_bases:
            pk = self._auto_pk(m)
            fields.insert(0, pk)
        result = Layout(fields, list(parents), pk)
        self._layout_cache[m.qualname] = result
        return result

    def _parent_link(self, m: ModelClass, fields: list[F.FieldDef], base: ModelClass) -> F.FieldDef | None:
        for f in fields:
            if f.kind == F.O2O and self.flag(f, "parent_link"):
                t = self.target(f, m)
                if t.model is not None and self.concrete(t.model) is base:
                    return f
                if t.known is not None and base.known is not None and t.known.table == base.known.table:
                    return f
        return None

    def _ptr_field(self, m: ModelClass, base: ModelClass) -> F.FieldDef:
        name = f"{base.model_name}_ptr"
        src = F.Src(ast.Constant(base.qualname), CATALOGUE_MODULE)
        fc = F.FieldClass("django.db.models.OneToOneField", F.O2O, "django.db.models.OneToOneField")
        return F.FieldDef(
            attr=name,
            kind=F.O2O,
            type="OneToOneField",
            cls=fc,
            kwargs={"parent_link": F.Src(ast.Constant(True), CATALOGUE_MODULE),
                    "on_delete": F.Src(ast.parse("models.CASCADE", mode="eval").body, CATALOGUE_MODULE)},
            line=m.line,
            declared_in=m.qualname,
            file=m.file,
            extra={"auto_created": "1", "ptr_to": base.qualname, "ptr_expr": F.unparse(src.node)},
        )

    def auto_field_class(self, m: ModelClass) -> tuple[str, str]:
        return self.apps.auto_field(m.app, m.label)

    def _auto_pk(self, m: ModelClass) -> F.FieldDef:
        cls, _source = self.auto_field_class(m)
        short = cls.rsplit(".", 1)[-1]
        fc = F.FieldClass(cls, F.COLUMN, cls)
        return F.FieldDef(
            attr="id",
            kind=F.COLUMN,
            type=short,
            cls=fc,
            kwargs={"primary_key": F.Src(ast.Constant(True), CATALOGUE_MODULE)},
            line=m.line,
            declared_in=m.qualname,
            file=m.file,
            extra={"auto_created": "1"},
        )

    def column_name(self, f: F.FieldDef) -> str:
        db_column = self.string(f.kwargs.get("db_column"))
        if db_column:
            return db_column
        if f.kind in (F.FK, F.O2O) and not (f.logical and f.cls.by_name):
            return f.attr + "_id"
        return f.attr

    def pk_column(self, m: ModelClass) -> str:
        if m.known is not None:
            return m.known.pk
        c = self.concrete(m)
        lay = self.layout(c)
        return self.column_name(lay.pk) if lay.pk is not None else "id"

    def table(self, m: ModelClass) -> tuple[str, str, tuple[Unresolved, ...]]:
        """(table, table_status, unresolved) of a concrete model."""
        if m.known is not None:
            return m.known.table, "resolved", ()
        src = m.meta.get("db_table")
        if src is not None:
            return self.table_name(src)
        return self.truncate(f"{m.label}_{m.model_name}"), "derived", ()

    def table_name(self, src: F.Src) -> tuple[str, str, tuple[Unresolved, ...]]:
        """A ``db_table`` expression: (text, resolved/partial/unresolved, unknowns); ``{expr}`` marks what does not fold."""
        v = self.p.evaluate_string(src.module, src.node, src.scope)
        if v.ok and isinstance(v.value, str):
            return v.value, "resolved", ()
        whole = "{" + F.unparse(src.node) + "}"
        text = v.value if isinstance(v.value, str) else whole
        return text, "unresolved" if text == whole else "partial", v.unknowns

    # ------------------------------------------------------------ relations
    def target(self, f: F.FieldDef, owner: ModelClass) -> Target:
        src = f.kwargs.get("to")
        if f.extra.get("ptr_to"):
            pm = self.models.get(f.extra["ptr_to"])
            if pm is not None and pm.known is not None:
                return self._known(pm.known, owner)
            return Target(RESOLVED, pm, None, pm.qualname if pm else "", pm.model_name if pm else "")
        if src is None:
            if f.kind == F.TAGS:
                return self._from_label("taggit.Tag", owner)
            return Target(UNRESOLVED, text="", reason="no target given")
        return self.target_of(src, owner)

    def target_of(self, src: F.Src, owner: ModelClass, depth: int = 0) -> Target:
        node = src.node
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return self._from_label(node.value, owner)
        if isinstance(node, ast.Call):
            callee = dotted_name(node.func)
            q = self.resolve(src, callee) if callee else ""
            if q.endswith("get_user_model"):
                return self._from_label(self.auth_user_model, owner)
            if q in ("swapper.get_model_name", "swapper.get_model_names") and len(node.args) == 2:
                # swapper: setting <APP>_<MODEL>_MODEL, else "app.Model"
                app, model = (self.string(F.Src(a, src.module, src.scope)) for a in node.args)
                if app and model:
                    v = setting(self.p, f"{app.upper()}_{model.upper()}_MODEL")
                    return self._from_label(v.value if v.ok and isinstance(v.value, str) else f"{app}.{model}", owner)
            if q in ("builtins.getattr", "getattr") and len(node.args) >= 2:
                obj = dotted_name(node.args[0])
                key = node.args[1]
                if obj and self.resolve(src, obj) == "django.conf.settings" and isinstance(key, ast.Constant) and isinstance(key.value, str):
                    v = setting(self.p, key.value)
                    if v.ok and isinstance(v.value, str):
                        return self._from_label(v.value, owner)
                    if len(node.args) >= 3:
                        return self.target_of(F.Src(node.args[2], src.module, src.scope), owner, depth + 1)
        name = dotted_name(node)
        if name:
            q = self.resolve(src, name)
            if q == "django.conf.settings.AUTH_USER_MODEL":
                return self._from_label(self.auth_user_model, owner)
            m = self.models.get(q) or self.models.get(self.normal(q))
            if m is not None and m.first_party:
                return Target(RESOLVED, m, None, m.qualname, m.model_name)
            known = known_class(q)
            if known is not None:
                return self._known(known, owner)
            # config keys: the class path, or "<top package>.<Model>" (the usual app label)
            ext = self.external_tables.get(q.lower()) or self.external_tables.get(
                f"{q.split('.', 1)[0]}.{q.rsplit('.', 1)[-1]}".lower()
            )
            if ext:
                return self._configured(q, q.rsplit(".", 1)[-1], ext)
            d = self.p.lookup(q) if src.module != CATALOGUE_MODULE else None
            if d is not None and d.kind == "assignment" and isinstance(d.obj.value, ast.Call) and depth < 5:
                # User = get_user_model(); ForeignKey(User)
                return self.target_of(F.Src(d.obj.value, d.module, d.obj.scope), owner, depth + 1)
        v = self.fold(src) if src.module != CATALOGUE_MODULE else Value("unresolved")
        if v.ok and isinstance(v.value, str):
            return self._from_label(v.value, owner)
        if name:
            q = self.resolve(src, name)
            if not self.p.first_party(q) and "." in q:
                return Target(UNRESOLVED, None, None, q, q.rsplit(".", 1)[-1].lower(), "class outside the scanned code")
        return Target(UNRESOLVED, None, None, F.unparse(node), "", "target does not fold")

    def _from_label(self, text: str, owner: ModelClass) -> Target:
        if text == "self":
            c = owner
            return Target(RESOLVED, c, None, c.qualname, c.model_name)
        if "." in text:
            label, _, name = text.partition(".")
        else:
            label, name = owner.label, text
        m = self.registry.get((label, name.lower()))
        if m is not None:
            return Target(RESOLVED, m, None, m.qualname, m.model_name)
        key = f"{label}.{name}".lower()
        ext = self.external_tables.get(key)
        if ext:
            return self._configured(f"{label}.{name}", name, ext)
        known = KNOWN_TABLES.get(key)
        if known is not None:
            return self._known(known, owner)
        return Target(UNRESOLVED, None, None, f"{label}.{name}", name.lower(), "model outside the scanned code")

    def _configured(self, text: str, name: str, ext: str) -> Target:
        """A target from config ``django-external-tables`` (``"table.column"`` or just ``"table"``)."""
        table, _, col = ext.rpartition(".")
        known = KnownTable(text, table or ext, col if table else "id", "")
        return Target(EXTERNAL, None, known, text, name.lower())

    def _known(self, known: KnownTable, owner: ModelClass) -> Target:
        # a scanned project may define the model itself (e.g. scanning Django)
        label, _, name = known.label.partition(".")
        m = self.registry.get((label, name.lower()))
        if m is not None:
            return Target(RESOLVED, m, None, m.qualname, m.model_name)
        return Target(EXTERNAL, None, known, known.qualname or known.label, name.lower())

    def references(self, t: Target, f: F.FieldDef) -> tuple[str, str]:
        """("table.column", status) for a relation target (to_field honoured)."""
        to_field = self.string(f.kwargs.get("to_field"))
        if t.model is not None:
            c = self.concrete(t.model)
            table, status, _ = self.table(c)
            col = self.pk_column(c)
            if to_field:
                col = self._column_of(c, to_field) or to_field
            return f"{table}.{col}", RESOLVED if status in ("resolved", "derived") else UNRESOLVED
        if t.known is not None:
            return f"{t.known.table}.{to_field or t.known.pk}", EXTERNAL
        if t.text and t.status == UNRESOLVED and t.reason != "target does not fold":
            return f"external:{t.text}", UNRESOLVED
        return "", UNRESOLVED

    def _column_of(self, m: ModelClass, attr: str) -> str | None:
        for f in self.layout(m).fields:
            if f.attr == attr:
                return self.column_name(f)
        for parent, _link in self.layout(m).parents:
            found = self._column_of(parent, attr)
            if found:
                return found
        return None

    def related_name(self, f: F.FieldDef, owner: ModelClass) -> str:
        text = self.string(f.kwargs.get("related_name"))
        if not text or owner.abstract:
            return text or ""  # Django fills %(class)s / %(app_label)s in concrete models only
        try:
            return text % {"class": owner.name.lower(), "model_name": owner.model_name, "app_label": owner.label.lower()}
        except (KeyError, ValueError, TypeError):
            return text

    def managed(self, m: ModelClass) -> bool:
        src = m.meta.get("managed")
        if src is None:
            return True
        v = self.fold(src)
        return bool(v.value) if v.ok else True

    # ---------------------------------------------------------------- facts
    def facts(self) -> list[OrmModel]:
        out: list[OrmModel] = []
        for m in sorted(self.models.values(), key=lambda m: m.qualname):
            if not m.first_party:
                continue
            out.extend(self._facts_of(m))
        return out

    def _options(self, m: ModelClass) -> list[tuple[str, str]]:
        opts = [("app_label", m.label), ("app_label_from", m.label_from)]
        for key in ("db_table", "managed", "proxy", "swappable", "db_table_comment", "required_db_vendor"):
            src = m.meta.get(key)
            if src is None:
                continue
            v = self.fold(src)
            opts.append((key, str(v.value) if v.ok else F.unparse(src.node)))
        if m.abstract:
            opts.append(("abstract", "True"))
        if m.qualname in self.conditional:
            opts.append(("condition", self.conditional[m.qualname]))
        return opts

    def _facts_of(self, m: ModelClass) -> list[OrmModel]:
        unresolved = list(m.unresolved)
        methods = tuple(sorted(m.info.methods)) if m.info is not None else ()
        if m.proxy:
            parent = self.proxy_parent(m)
            conc = self.concrete(m)
            if parent is None:
                unresolved.append(Unresolved(m.qualname, "proxy model without a concrete model base", Location(m.file, m.line)))
            return [OrmModel(
                orm="django", class_name=m.qualname, table="", table_status="none", file=m.file, line=m.line,
                relationships=(), kind="model", abstract=False, base=m.label,
                parent=parent.qualname if parent else "", inheritance="proxy",
                unresolved=tuple(unresolved),
                options=tuple(self._options(m) + ([("concrete_model", conc.qualname)] if conc is not m else [])),
                methods=methods,
            )]
        lay = self.layout(m)
        columns: list[Column] = []
        fks: list[ForeignKey] = []
        rels: list[Relationship] = []
        extra: list[OrmModel] = []
        table, status, tunres = ("", "none", ()) if m.abstract else self.table(m)
        unresolved.extend(tunres)
        for f in lay.fields:
            if f.kind in F.COLUMN_KINDS:
                columns.append(self._column(f, m, lay))
            if f.kind in (F.FK, F.O2O):
                t = self.target(f, m)
                rel_status = t.status
                if f.logical:
                    rel_status = LOGICAL
                elif not m.abstract:
                    ref, ref_status = self.references(t, f)
                    on_delete = f.kwargs.get("on_delete")
                    fks.append(ForeignKey(
                        column=self.column_name(f), references=ref, status=ref_status,
                        on_delete=_on_delete(on_delete), line=f.line,
                        expr=F.unparse(f.kwargs["to"].node) if ref_status == UNRESOLVED and "to" in f.kwargs else "",
                    ))
                    if ref_status == UNRESOLVED:
                        unresolved.append(self._unres(f, t, m))
                rels.append(Relationship(
                    name=f.attr, target=t.text, kind="one_to_one" if f.kind == F.O2O else "foreign_key",
                    backref=self.related_name(f, m), status=rel_status, line=f.line,
                ))
            elif f.kind in (F.M2M, F.TAGS):
                t = self.target(f, m)
                secondary, sec_status, through_fact = self._m2m(f, m, t, table, status)
                if through_fact is not None:
                    extra.append(through_fact)
                rels.append(Relationship(
                    name=f.attr, target=t.text, kind="many_to_many", backref=self.related_name(f, m),
                    secondary=secondary, status=t.status if sec_status in (RESOLVED, EXTERNAL) else UNRESOLVED,
                    line=f.line,
                ))
            elif f.kind == F.GENERIC_FK:
                ct = self.string(f.kwargs.get("ct_field")) or "content_type"
                fk = self.string(f.kwargs.get("fk_field")) or "object_id"
                rels.append(Relationship(name=f.attr, target=f"generic({ct}, {fk})", kind="generic_foreign_key",
                                         status=LOGICAL, line=f.line))
            elif f.kind == F.GENERIC_REL:
                t = self.target(f, m)
                rels.append(Relationship(name=f.attr, target=t.text, kind="generic_relation",
                                         backref=self.related_name(f, m), status=t.status, line=f.line))
        parent_name = lay.parents[0][0].qualname if lay.parents else ""
        fact = OrmModel(
            orm="django",
            class_name=m.qualname,
            table=table,
            table_status=status,
            file=m.file,
            line=m.line,
            columns=tuple(columns),
            foreign_keys=tuple(sorted(fks, key=lambda k: (k.column, k.references))),
            relationships=tuple(sorted(rels, key=lambda r: (r.name, r.kind))),
            kind="model",
            abstract=m.abstract,
            base=m.label,
            parent=parent_name,
            inheritance="multi_table" if lay.parents else "",
            unresolved=tuple(unresolved),
            options=tuple(self._options(m)),
            methods=methods,
        )
        return [fact] + extra

    def _unres(self, f: F.FieldDef, t: Target, m: ModelClass) -> Unresolved:
        src = f.kwargs.get("to")
        loc = self.location(src.module, src.node) if src is not None else Location(m.file, f.line)
        if not loc.path:
            loc = Location(m.file, m.line)
        return Unresolved(t.text or (F.unparse(src.node) if src else f.attr), t.reason or "unresolved target", loc)

    def _column(self, f: F.FieldDef, m: ModelClass, lay: Layout) -> Column:
        name = self.column_name(f)
        pk = f is lay.pk or bool(self.flag(f, "primary_key")) or bool(f.extra.get("primary_key"))
        unique = pk or f.kind == F.O2O or bool(self.flag(f, "unique"))
        index_default = f.kind in (F.FK, F.O2O) or f.cls.base.rsplit(".", 1)[-1] in F.INDEXED_BY_DEFAULT
        index = bool(self.flag(f, "db_index", index_default))
        nullable: bool | None = False if pk else self.flag(f, "null", False)
        default = f.kwargs.get("default")
        return Column(
            name=name,
            type=f.type,
            nullable=nullable,
            primary_key=pk,
            unique=unique,
            index=index,
            attribute=f.attr if f.attr != name else "",
            line=f.line,
            inherited_from=f.declared_in if f.declared_in != m.qualname else "",
            default=F.unparse(default.node) if default is not None else "",
        )

    def _m2m(self, f: F.FieldDef, m: ModelClass, t: Target, table: str, status: str) -> tuple[str, str, OrmModel | None]:
        """(secondary table, status, auto-created through fact or None)."""
        through = f.kwargs.get("through")
        if f.kind == F.TAGS and through is None:
            return "taggit_taggeditem", EXTERNAL, None
        if through is not None:
            tt = self.target_of(through, m)
            if tt.model is not None:
                c = self.concrete(tt.model)
                ttable, tstatus, _ = self.table(c)
                return ttable, RESOLVED if tstatus in ("resolved", "derived") else UNRESOLVED, None
            if tt.known is not None:
                return tt.known.table, EXTERNAL, None
            return tt.text, UNRESOLVED, None
        if m.abstract or f.logical:
            return "", RESOLVED, None
        db_table = f.kwargs.get("db_table")
        if db_table is not None:
            through_table, tstatus, _unknowns = self.table_name(db_table)
        else:
            base = table[1:-1] if table.startswith('"') and table.endswith('"') else table
            through_table = self.truncate(f"{base}_{f.attr}")
            tstatus = "derived" if status in ("resolved", "derived") else status
        line = f.line or m.line
        from_ = m.model_name
        to = t.model_name or "{" + (t.text or "target") + "}"
        if to == from_:
            to, from_ = f"to_{to}", f"from_{from_}"
        auto_cls, _src = self.auto_field_class(m)
        own_ref = f"{table}.{self.pk_column(m)}"
        tgt_ref, tgt_status = self.references(t, replace(f, kwargs={}))
        managed = self.managed(m) or (t.model is not None and self.managed(self.concrete(t.model)))
        cols = (
            Column("id", auto_cls.rsplit(".", 1)[-1], False, primary_key=True, unique=True, line=line),
            Column(f"{from_}_id", "ForeignKey", False, index=True, attribute=from_, line=line),
            Column(f"{to}_id", "ForeignKey", False, index=True, attribute=to, line=line),
        )
        keys = (
            ForeignKey(f"{from_}_id", own_ref, RESOLVED if status in ("resolved", "derived") else UNRESOLVED, "CASCADE", line),
            ForeignKey(f"{to}_id", tgt_ref, tgt_status, "CASCADE", line,
                       expr=F.unparse(f.kwargs["to"].node) if tgt_status == UNRESOLVED and "to" in f.kwargs else ""),
        )
        opts = [("app_label", m.label), ("auto_created_for", m.qualname), ("field", f.attr),
                ("auto_created_class", f"{m.module}.{m.name}_{f.attr}")]
        if not managed:
            opts.append(("managed", "False"))
        unresolved: tuple[Unresolved, ...] = ()
        if tgt_status == UNRESOLVED:
            unresolved = (self._unres(f, t, m),)
        fact = OrmModel(
            orm="django", class_name="", table=through_table, table_status=tstatus,
            file=f.file or m.file, line=line, columns=cols,
            foreign_keys=tuple(sorted(keys, key=lambda k: (k.column, k.references))),
            relationships=(), kind="m2m", base=m.label, unresolved=unresolved, options=tuple(opts),
        )
        return through_table, RESOLVED if tstatus in ("resolved", "derived") else UNRESOLVED, fact


def _on_delete(src: F.Src | None) -> str:
    if src is None:
        return ""
    name = dotted_name(src.node)
    if name:
        return name.rsplit(".", 1)[-1]
    return F.unparse(src.node)


def _unknown_model_base(qual: str) -> bool:
    """An external class that may be a model: from a ``models``-like module (``pkg.models``,
    ``pkg.abstract_models``) or named ``Abstract...`` (not Django's own: those are known)."""
    parts = qual.split(".")
    if parts[0] == "django" or len(parts) < 2:
        return False
    return any("models" in p for p in parts[1:-1]) or parts[-1].startswith("Abstract")
