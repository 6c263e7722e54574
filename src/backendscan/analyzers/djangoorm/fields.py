"""Django model field declarations -> :class:`FieldDef`.

A field is a class-body assignment ``name = SomeField(...)`` in a model.  The
field class is resolved through imports and the project's class hierarchy:

* Django's own classes (any ``django.*`` name) are known by class name:
  ``ForeignKey`` / ``OneToOneField`` / ``ManyToManyField`` are relations,
  ``GenericForeignKey`` / ``GenericRelation`` / ``ForeignObject`` /
  ``CompositePrimaryKey`` have no column of their own, every other ``...Field``
  is a column;
* third-party classes are known by a short list (``TaggableManager``) and by
  their name: ``...ForeignKey``, ``...OneToOneField``, ``...ManyToManyField``
  and ``...Field`` suffixes (``TreeForeignKey``, ``CountryField``);
* a project's own field classes are classified by their first external base;
  their ``__init__`` is interpreted (one level per class):
  ``kwargs.setdefault("to", Status)``, ``kwargs["max_length"] = 18``,
  ``kwargs.pop("x")``, named parameters that consume arguments, and the
  ``super().__init__(*args, key=value, **kwargs)`` call.

The keywords that result (call site first, then the class defaults) are kept as
:class:`Src` (an ``ast`` node plus where it is written) so callers can fold
them with :meth:`backendscan.project.Project.evaluate`.

Column type text (``FieldDef.type``): the field class name as written (its last
dotted part), followed by the size arguments when present:
``CharField(max_length=200)``, ``DecimalField(max_digits=10, decimal_places=2)``;
relations are ``ForeignKey`` / ``OneToOneField`` (or the subclass name).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Callable, Mapping

from ...visiting import dotted_name


@dataclass(frozen=True)
class Src:
    """An expression and where it is written (module and scope, for name resolution)."""

    node: ast.expr
    module: str
    scope: str = ""


@dataclass(frozen=True)
class InitSpec:
    """What a class's ``__init__`` does with its arguments (see the module docstring)."""

    cls: str  # qualname inside the module
    params: tuple[str, ...]  # positional parameters after self
    vararg: str
    kwonly: tuple[str, ...]
    kwarg: str
    defaults: tuple[tuple[str, ast.expr], ...]
    setdefault: tuple[tuple[str, ast.expr], ...]
    forced: tuple[tuple[str, ast.expr], ...]
    removed: tuple[str, ...]
    super_args: tuple[ast.expr, ...] | None  # None: no super().__init__ call seen
    super_kwargs: tuple[tuple[str | None, ast.expr], ...] = ()
    line: int = 0


@dataclass(frozen=True)
class AddToClass:
    """``Model.add_to_class("name", Field(...))`` at ``line``."""

    model: str  # dotted text of the model expression
    name: str
    value: ast.Call
    line: int
    scope: str


def init_spec(node: ast.FunctionDef | ast.AsyncFunctionDef, cls: str) -> InitSpec | None:
    """The :class:`InitSpec` of an ``__init__`` (None when it passes everything through unchanged)."""
    a = node.args
    pos = [p.arg for p in a.posonlyargs + a.args]
    if pos and pos[0] in ("self", "cls"):
        pos = pos[1:]
    vararg = a.vararg.arg if a.vararg else ""
    kwarg = a.kwarg.arg if a.kwarg else ""
    allpos = a.posonlyargs + a.args
    defaults: list[tuple[str, ast.expr]] = list(
        zip([p.arg for p in allpos[len(allpos) - len(a.defaults):]], a.defaults)
    )
    defaults += [(k.arg, d) for k, d in zip(a.kwonlyargs, a.kw_defaults) if d is not None]
    setdefault: list[tuple[str, ast.expr]] = []
    forced: list[tuple[str, ast.expr]] = []
    removed: list[str] = []
    super_args: tuple[ast.expr, ...] | None = None
    super_kwargs: list[tuple[str | None, ast.expr]] = []

    def is_kw(n: ast.AST) -> bool:
        return bool(kwarg) and isinstance(n, ast.Name) and n.id == kwarg

    def key(n: ast.AST) -> str | None:
        return n.value if isinstance(n, ast.Constant) and isinstance(n.value, str) else None

    for stmt in node.body:
        value: ast.AST | None = None
        if isinstance(stmt, ast.Expr):
            value = stmt.value
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for t in targets:
                if isinstance(t, ast.Subscript) and is_kw(t.value) and key(t.slice) and stmt.value is not None:
                    forced.append((key(t.slice) or "", stmt.value))
            value = stmt.value
        elif isinstance(stmt, ast.Delete):
            for t in stmt.targets:
                if isinstance(t, ast.Subscript) and is_kw(t.value) and key(t.slice):
                    removed.append(key(t.slice) or "")
            continue
        if not isinstance(value, ast.Call):
            continue
        func = value.func
        if isinstance(func, ast.Attribute) and is_kw(func.value):
            k = key(value.args[0]) if value.args else None
            if func.attr == "setdefault" and k and len(value.args) == 2:
                setdefault.append((k, value.args[1]))
            elif func.attr == "pop" and k:
                removed.append(k)
            elif func.attr == "update" and not value.args:
                forced.extend((kw.arg, kw.value) for kw in value.keywords if kw.arg)
            elif func.attr == "update" and len(value.args) == 1 and isinstance(value.args[0], ast.Dict):
                for dk, dv in zip(value.args[0].keys, value.args[0].values):
                    if dk is not None and key(dk):
                        forced.append((key(dk) or "", dv))
            continue
        if isinstance(func, ast.Attribute) and func.attr == "__init__":
            owner = func.value
            args = list(value.args)
            if isinstance(owner, ast.Call) and dotted_name(owner.func) == "super":
                pass
            elif args and isinstance(args[0], ast.Name) and args[0].id == "self":
                args = args[1:]  # Base.__init__(self, ...)
            else:
                continue
            super_args = tuple(args)
            super_kwargs = [(kw.arg, kw.value) for kw in value.keywords]
    passthrough = (
        not pos
        and not a.kwonlyargs
        and not setdefault
        and not forced
        and not removed
        and (super_args is None or _plain_forward(super_args, super_kwargs, vararg, kwarg))
    )
    if passthrough:
        return None
    return InitSpec(
        cls=cls,
        params=tuple(pos),
        vararg=vararg,
        kwonly=tuple(k.arg for k in a.kwonlyargs),
        kwarg=kwarg,
        defaults=tuple(defaults),
        setdefault=tuple(setdefault),
        forced=tuple(forced),
        removed=tuple(removed),
        super_args=super_args,
        super_kwargs=tuple(super_kwargs),
        line=node.lineno,
    )


def _plain_forward(args: tuple[ast.expr, ...], kwargs: list[tuple[str | None, ast.expr]], vararg: str, kwarg: str) -> bool:
    ok_args = all(isinstance(x, ast.Starred) and isinstance(x.value, ast.Name) and x.value.id == vararg for x in args)
    ok_kw = all(k is None and isinstance(v, ast.Name) and v.id == kwarg for k, v in kwargs)
    return ok_args and ok_kw


# ---------------------------------------------------------------- field classes
COLUMN = "column"
FK = "fk"
O2O = "o2o"
M2M = "m2m"
GENERIC_FK = "generic_fk"
GENERIC_REL = "generic_rel"
TAGS = "tags"
NO_COLUMN = "none"

RELATION_KINDS = frozenset({FK, O2O, M2M, GENERIC_REL, TAGS})
COLUMN_KINDS = frozenset({COLUMN, FK, O2O})

_DJANGO_SPECIAL = {
    "ForeignKey": FK,
    "OneToOneField": O2O,
    "ManyToManyField": M2M,
    "ForeignObject": NO_COLUMN,
    "GenericForeignKey": GENERIC_FK,
    "GenericRelation": GENERIC_REL,
    "CompositePrimaryKey": NO_COLUMN,
    "OrderWrt": COLUMN,
}
_THIRD_PARTY = {
    "TaggableManager": TAGS,
}

# positional parameters of Django's own constructors (after self)
_FIELD_PARAMS = ("verbose_name", "name", "primary_key", "max_length", "unique", "blank", "null", "db_index")
_PARAMS = {
    FK: ("to", "on_delete", "related_name", "related_query_name", "limit_choices_to", "parent_link", "to_field", "db_constraint"),
    O2O: ("to", "on_delete", "to_field"),
    M2M: ("to", "related_name", "related_query_name", "limit_choices_to", "symmetrical", "through", "through_fields", "db_constraint", "db_table"),
    GENERIC_FK: ("ct_field", "fk_field", "for_concrete_model"),
    GENERIC_REL: ("to", "object_id_field", "content_type_field", "for_concrete_model", "related_query_name"),
    TAGS: ("verbose_name", "help_text", "through", "blank", "related_name", "to", "manager"),
}
_BY_CLASS = {
    "DecimalField": ("verbose_name", "name", "max_digits", "decimal_places"),
    "DateField": ("verbose_name", "name", "auto_now", "auto_now_add"),
    "DateTimeField": ("verbose_name", "name", "auto_now", "auto_now_add"),
    "TimeField": ("verbose_name", "name", "auto_now", "auto_now_add"),
    "FileField": ("verbose_name", "name", "upload_to", "storage"),
    "ImageField": ("verbose_name", "name", "width_field", "height_field"),
    "ArrayField": ("base_field", "size"),
    "FloatField": _FIELD_PARAMS,
}
_SIZE_ARGS = ("max_length", "max_digits", "decimal_places")
INDEXED_BY_DEFAULT = frozenset({"SlugField"})  # Django field classes with db_index=True by default
# third-party field classes and the Django class they extend (for Django's defaults, e.g. SlugField's index)
THIRD_PARTY_BASES = {
    "django_extensions.db.fields.AutoSlugField": "django.db.models.SlugField",
    "autoslug.fields.AutoSlugField": "django.db.models.SlugField",
    "django_extensions.db.fields.CreationDateTimeField": "django.db.models.DateTimeField",
    "django_extensions.db.fields.ModificationDateTimeField": "django.db.models.DateTimeField",
}


def external_kind(qualname: str) -> str | None:
    """The kind of an external (not scanned) class, or None when it is not a model field."""
    last = qualname.rsplit(".", 1)[-1]
    if qualname.startswith("django."):
        if last in _DJANGO_SPECIAL:
            return _DJANGO_SPECIAL[last]
        if last.endswith("Field"):
            return COLUMN
        return None
    if last in _THIRD_PARTY:
        return _THIRD_PARTY[last]
    return suffix_kind(last)


def suffix_kind(name: str) -> str | None:
    """Kind by class-name suffix (``TreeForeignKey`` -> fk, ``CountryField`` -> column)."""
    if name.endswith("GenericForeignKey"):
        return GENERIC_FK
    if name.endswith("ForeignKey"):
        return FK
    if name.endswith("OneToOneField"):
        return O2O
    if name.endswith("ManyToManyField"):
        return M2M
    if name.endswith("Field"):
        return COLUMN
    return None


@dataclass(frozen=True)
class FieldClass:
    """A resolved field class: its kind, its Django base (for positional parameters) and the
    project classes whose ``__init__`` to apply, most derived first."""

    qualname: str
    kind: str
    base: str  # the external class that decided the kind ("" when decided by name only)
    chain: tuple[tuple[str, InitSpec], ...] = ()  # (module, spec)
    mro: tuple[str, ...] = ()
    by_name: bool = False  # kind decided by the class name alone (no known base)


@dataclass(frozen=True)
class FieldDef:
    """One declared field, before the concrete model that owns it is known."""

    attr: str
    kind: str
    type: str
    cls: FieldClass
    kwargs: Mapping[str, Src]
    line: int
    declared_in: str  # dotted class that declares it
    file: str = ""
    logical: bool = False
    unknown_kwargs: bool = False  # ``**expr`` at the call site that did not fold
    extra: Mapping[str, str] = field(default_factory=dict)

    def kw(self, name: str) -> Src | None:
        return self.kwargs.get(name)


def bind_call(
    call: ast.Call,
    module: str,
    scope: str,
    fc: FieldClass,
    evaluate_dict: Callable[[Src], Mapping[str, Src] | None],
) -> tuple[dict[str, Src], bool]:
    """Keywords a field ends up with: call site, project ``__init__`` defaults, then Django's positional names."""
    pos: list[Src] = []
    unknown = False
    for a in call.args:
        if isinstance(a, ast.Starred):
            unknown = True
            continue
        pos.append(Src(a, module, scope))
    kw: dict[str, Src] = {}
    for k in call.keywords:
        if k.arg is None:
            expanded = evaluate_dict(Src(k.value, module, scope))
            if expanded is None:
                unknown = True
            else:
                kw.update(expanded)
            continue
        kw[k.arg] = Src(k.value, module, scope)
    for spec_module, spec in fc.chain:
        pos, kw = _apply_init(spec, spec_module, pos, kw)
    last = fc.base.rsplit(".", 1)[-1]
    params = _BY_CLASS.get(last) or _PARAMS.get(fc.kind) or _FIELD_PARAMS
    for name, value in zip(params, pos):
        kw.setdefault(name, value)
    return kw, unknown


def _apply_init(spec: InitSpec, module: str, pos: list[Src], kw: dict[str, Src]) -> tuple[list[Src], dict[str, Src]]:
    scope = f"{spec.cls}.__init__"
    kw = dict(kw)
    bound: dict[str, Src] = {}
    i = 0
    for p in spec.params:
        if i < len(pos):
            bound[p] = pos[i]
            i += 1
        elif p in kw:
            bound[p] = kw.pop(p)
    rest = pos[i:]
    for k in spec.kwonly:
        if k in kw:
            bound[k] = kw.pop(k)
    for name, d in spec.defaults:
        bound.setdefault(name, Src(d, module, scope))

    def value(node: ast.expr) -> Src:
        if isinstance(node, ast.Name) and node.id in bound:
            return bound[node.id]
        return Src(node, module, scope)

    for k in spec.removed:
        kw.pop(k, None)
    for k, v in spec.forced:
        kw[k] = value(v)
    for k, v in spec.setdefault:
        kw.setdefault(k, value(v))
    if spec.super_args is None:
        return rest, kw
    new_pos: list[Src] = []
    for a in spec.super_args:
        if isinstance(a, ast.Starred):
            if isinstance(a.value, ast.Name) and a.value.id == spec.vararg:
                new_pos.extend(rest)
            continue
        new_pos.append(value(a))
    new_kw: dict[str, Src] = {}
    for sk, sv in spec.super_kwargs:
        if sk is None:
            if isinstance(sv, ast.Name) and sv.id == spec.kwarg:
                new_kw.update(kw)
            continue
        new_kw[sk] = value(sv)
    return new_pos, new_kw


def type_text(short: str, kwargs: Mapping[str, Src], fold: Callable[[Src], object]) -> str:
    """``CharField(max_length=200)`` (see the module docstring)."""
    parts = []
    for name in _SIZE_ARGS:
        src = kwargs.get(name)
        if src is None:
            continue
        v = fold(src)
        text = str(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else _unparse(src.node)
        parts.append(f"{name}={text}")
    return f"{short}({', '.join(parts)})" if parts else short


def _unparse(node: ast.AST) -> str:
    try:
        text = ast.unparse(node)
    except Exception:  # pragma: no cover - defensive
        return "<expr>"
    return text if len(text) <= 120 else text[:119] + "…"


unparse = _unparse
