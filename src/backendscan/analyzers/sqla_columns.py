"""Read SQLAlchemy constructor calls: columns, foreign keys, relationships, types.

The entry point is :class:`CallReader`.  ``call_spec`` turns a call as written
(``db.Column(...)``, ``mapped_column(...)``, a ``functools.partial`` alias of
``Column``, or a small helper function that returns a column) into a
:class:`CallSpec`: the library constructor it ends up calling and its
arguments, each argument kept with the module and scope it is written in (an
argument that came through a helper's parameter keeps the caller's module).
The ``read_*`` methods then turn specs into drafts of columns, foreign keys
and relationships; the model builder resolves references between classes.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from ..project import Project
from ..visiting import dotted_name
from . import sqla_names as N

_MAX_DEPTH = 6


@dataclass(frozen=True)
class Arg:
    """An expression and where it is written."""

    node: ast.expr
    module: str
    scope: str


@dataclass
class CallSpec:
    """A library call after following aliases, partials and helpers."""

    name: str  # library name: Column, mapped_column, relationship, Field, ForeignKey, Table...
    qualified: str
    args: list[Arg]
    kwargs: dict[str, Arg]
    node: ast.Call  # the call as written at the use site
    module: str
    scope: str


@dataclass
class FKDraft:
    """A foreign key before class references are resolved."""

    column: str
    target: Arg | None  # the ForeignKey argument
    text: str = ""  # resolved "table.col" / "schema.table.col" when known from the text
    on_delete: str = ""
    line: int = 0


@dataclass
class ColumnDraft:
    """A column as read from one attribute."""

    name: str
    attribute: str
    type: str  # "" when only a foreign key (filled from the target) or unknown
    nullable: bool | None
    primary_key: bool = False
    unique: bool = False
    index: bool = False
    default: str = ""
    line: int = 0
    fks: list[FKDraft] = field(default_factory=list)
    inherited_from: str = ""


@dataclass
class RelDraft:
    """A ``relationship()`` before its target is resolved."""

    name: str
    target: Arg | None
    back_populates: str = ""
    backref: str = ""
    secondary: Arg | None = None
    line: int = 0
    kind: str = "relationship"
    inherited_from: str = ""


@dataclass(frozen=True)
class Annotated:
    """What a type annotation says: wrapper (``Mapped``...), inner type, optional-ness."""

    wrapper: str  # Mapped, WriteOnlyMapped, DynamicMapped, ClassVar or ""
    inner: ast.expr | None
    optional: bool
    module: str
    scope: str


BodyLookup = Callable[[str], "tuple[str, tuple[ast.stmt, ...], ast.arguments] | None"]


class CallReader:
    """Resolves calls and reads column/relationship arguments (see module docstring)."""

    def __init__(self, project: Project, fsa_instances: frozenset[str], bodies: BodyLookup) -> None:
        self.p = project
        self.fsa = fsa_instances
        self.bodies = bodies
        #: While reading a ``declared_attr`` body: (parameter name, evaluator for
        #: expressions that use it, e.g. ``nullable=not cls.file_required``).
        self.context: tuple[str, Callable[[Arg], Any]] | None = None
        #: Pinned SQLAlchemy major version (None: unknown, newest rules).  In 1.x
        #: ``T().with_variant(...)`` is a ``Variant`` type; from 2.0 it stays ``T``.
        self.sqlalchemy_major: int | None = None

    # ------------------------------------------------------------------ names
    def expr_scope(self, module: str, scope: str) -> str:
        """Scope whose names an expression sees: a class body sees its enclosing scope.

        (A class attribute such as ``registry = registry(...)`` must not resolve to itself.)
        """
        syms = self.p.symbols.get(module)
        while scope and syms is not None and syms.cls(scope) is not None:
            scope = syms.cls(scope).scope  # type: ignore[union-attr]
        return scope

    def canon(self, module: str, dotted: str, scope: str = "") -> str:
        """Canonical name; attributes of Flask-SQLAlchemy instances map to ``sqlalchemy.*``."""
        q = self.p.resolve_name(module, dotted, self.expr_scope(module, scope))
        for db in self.fsa:
            if q.startswith(db + "."):
                rest = q[len(db) + 1 :]
                return q if rest == "Model" else "sqlalchemy." + rest
        return q

    def lib(self, arg: Arg) -> str:
        """Library name of a Name/Attribute expression (``sa.Integer`` -> ``Integer``), else ""."""
        name = dotted_name(arg.node)
        return N.library_name(self.canon(arg.module, name, arg.scope)) if name else ""

    def evaluate(self, arg: Arg | None) -> Any:
        """Constant value of an argument, or None."""
        if arg is None:
            return None
        if isinstance(arg.node, ast.Constant):
            return arg.node.value
        if self.context is not None and _mentions(arg.node, self.context[0]):
            try:
                return self.context[1](arg)
            except Exception:  # the interpreter's Unknown, or a failed str operation
                return None
        v = self.p.evaluate(arg.module, arg.node, self.expr_scope(arg.module, arg.scope))
        return v.value if v.ok else None

    def flag(self, arg: Arg | None, default: bool | None) -> bool | None:
        v = self.evaluate(arg)
        return v if isinstance(v, bool) else default

    # ------------------------------------------------------------------ calls
    def call_spec(self, module: str, scope: str, call: ast.Call, depth: int = 0) -> CallSpec | None:
        """What library constructor ``call`` reaches (None when it reaches none we know)."""
        name = dotted_name(call.func)
        if not name:
            return None
        q = self.canon(module, name, scope)
        args = [Arg(a, module, scope) for a in call.args]
        kwargs = {kw.arg: Arg(kw.value, module, scope) for kw in call.keywords if kw.arg}
        return self._spec_for(q, args, kwargs, call, module, scope, depth)

    def _spec_for(
        self, q: str, args: list[Arg], kwargs: dict[str, Arg], call: ast.Call, module: str, scope: str, depth: int
    ) -> CallSpec | None:
        lib = N.library_name(q)
        if lib:
            return CallSpec(lib, q, args, kwargs, call, module, scope)
        if depth > _MAX_DEPTH or not self.p.first_party(q):
            return None
        d = self.p.lookup(q)
        if d.kind == "assignment" and isinstance(d.obj.value, ast.Call):
            return self._partial(d.module, d.obj.scope, d.obj.value, args, kwargs, call, module, scope, depth)
        if d.kind == "function":
            return self._helper(q, d.module, d.obj, args, kwargs, call, module, scope, depth)
        return None

    def _partial(
        self, pmod: str, pscope: str, pcall: ast.Call, args: list[Arg], kwargs: dict[str, Arg],
        call: ast.Call, module: str, scope: str, depth: int,
    ) -> CallSpec | None:
        fname = dotted_name(pcall.func)
        if not fname or self.p.resolve_name(pmod, fname, pscope) not in ("functools.partial", "partial"):
            return None
        if not pcall.args or not dotted_name(pcall.args[0]):
            return None
        inner = self.canon(pmod, dotted_name(pcall.args[0]), pscope)
        p_args = [Arg(a, pmod, pscope) for a in pcall.args[1:]]
        p_kwargs = {kw.arg: Arg(kw.value, pmod, pscope) for kw in pcall.keywords if kw.arg}
        merged = dict(p_kwargs)
        merged.update(kwargs)
        return self._spec_for(inner, p_args + args, merged, call, module, scope, depth + 1)

    def _helper(
        self, q: str, fmod: str, fn: Any, args: list[Arg], kwargs: dict[str, Arg],
        call: ast.Call, module: str, scope: str, depth: int,
    ) -> CallSpec | None:
        found = self.bodies(q)
        if found is not None:
            stmts = list(found[1])
        elif fn.single_return is not None:
            stmts = [ast.Return(fn.single_return)]
        else:
            return None
        if not stmts or not isinstance(stmts[-1], ast.Return) or not isinstance(stmts[-1].value, ast.Call):
            return None
        fscope = fn.qualname
        binding = _bind_args(fn.args, args, kwargs, fmod, fscope)
        if binding is None:
            return None
        positional, named, star, dstar = binding
        # simple local assignments before the return: substitute them like parameters
        for s in stmts[:-1]:
            if isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], ast.Name):
                named[s.targets[0].id] = _substitute(Arg(s.value, fmod, fscope), named)
        ret: ast.Call = stmts[-1].value  # type: ignore[assignment]
        fname = dotted_name(ret.func)
        if not fname:
            return None
        inner_q = self.canon(fmod, fname, fscope)
        new_args: list[Arg] = []
        for a in ret.args:
            if isinstance(a, ast.Starred) and isinstance(a.value, ast.Name) and a.value.id == star:
                new_args.extend(positional)
            elif isinstance(a, ast.Starred):
                continue
            else:
                new_args.append(_substitute(Arg(a, fmod, fscope), named))
        new_kwargs: dict[str, Arg] = {}
        for kw in ret.keywords:
            if kw.arg is None:
                if isinstance(kw.value, ast.Name) and kw.value.id == dstar:
                    for k, v in (kwargs or {}).items():
                        if k not in fn_params(fn.args):
                            new_kwargs[k] = v
                continue
            new_kwargs[kw.arg] = _substitute(Arg(kw.value, fmod, fscope), named)
        return self._spec_for(inner_q, new_args, new_kwargs, call, module, scope, depth + 1)

    # ------------------------------------------------------------------ types
    def type_text(self, arg: Arg, depth: int = 0) -> str:
        """The column type as written, module prefix dropped: ``String(120)``, ``Integer``, ``UUID``."""
        node = arg.node
        if depth > _MAX_DEPTH:
            return _unparse(node)
        if isinstance(node, ast.Call):
            fname = dotted_name(node.func)
            if not fname:
                if isinstance(node.func, ast.Attribute):  # JSON().with_variant(...), String().evaluates_none()
                    inner = self.type_text(Arg(node.func.value, arg.module, arg.scope), depth + 1)
                    if node.func.attr == "with_variant" and self.sqlalchemy_major == 1:
                        return f"Variant({inner})"
                    return inner
                return _unparse(node)
            q = self.canon(arg.module, fname, arg.scope)
            if q.endswith(".as_mutable") and node.args:  # MutableDict.as_mutable(JSON) is a JSON column
                return self.type_text(Arg(node.args[0], arg.module, arg.scope), depth + 1)
            if q.endswith((".with_variant", ".evaluates_none", ".as_generic")) and isinstance(node.func, ast.Attribute):
                inner = self.type_text(Arg(node.func.value, arg.module, arg.scope), depth + 1)
                if q.endswith(".with_variant") and self.sqlalchemy_major == 1:
                    return f"Variant({inner})"
                return inner
            if self.p.first_party(q):
                d = self.p.lookup(q)
                if d.kind == "function" and d.obj.single_return is not None:
                    return self.type_text(Arg(d.obj.single_return, d.module, d.obj.qualname), depth + 1)
                if d.kind == "class":
                    return _with_args(d.obj.name, node)
                if d.kind == "assignment" and d.obj.value is not None and not isinstance(d.obj.value, ast.Call):
                    return self.type_text(Arg(d.obj.value, d.module, d.obj.scope), depth + 1)
                # a project function or a method of a project object the scan cannot follow
                # (e.g. ``encrypted_field_factory.create(Text)``): keep the expression as written
                return _unparse(node)
            return _with_args(_last(q), node)
        if isinstance(node, (ast.Name, ast.Attribute)):
            name = dotted_name(node)
            if not name:
                return _unparse(node)
            q = self.canon(arg.module, name, arg.scope)
            if self.p.first_party(q):
                d = self.p.lookup(q)
                if d.kind == "assignment" and d.obj.value is not None and d.obj.op == "=":
                    return self.type_text(Arg(d.obj.value, d.module, d.obj.scope), depth + 1)
                if d.kind == "class":
                    return d.obj.name
                return _last(name)
            return _last(q)
        return _unparse(node)

    # ------------------------------------------------------------ annotations
    def annotation(self, module: str, scope: str, node: ast.expr | None) -> Annotated:
        """Unwrap ``Mapped[Optional[X]]``-style annotations."""
        if node is None:
            return Annotated("", None, False, module, scope)
        node = _parse_string(node)
        wrapper = ""
        if isinstance(node, ast.Subscript):
            base = dotted_name(node.value)
            lib = N.library_name(self.canon(module, base, scope)) if base else ""
            q = self.canon(module, base, scope) if base else ""
            if lib in N.MAPPED_ANNOTATIONS:
                wrapper = lib
                node = _parse_string(node.slice)
            elif q in N.CLASSVAR_NAMES or base in ("ClassVar",):
                return Annotated("ClassVar", _parse_string(node.slice), False, module, scope)
        inner, optional = self._strip_optional(module, scope, node)
        return Annotated(wrapper, inner, optional, module, scope)

    def _strip_optional(self, module: str, scope: str, node: ast.expr) -> tuple[ast.expr, bool]:
        node = _parse_string(node)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            parts = _union_parts(node)
            rest = [p for p in parts if not _is_none(p)]
            if len(rest) < len(parts):
                inner = rest[0] if len(rest) == 1 else node
                return self._strip_optional(module, scope, inner)[0] if len(rest) == 1 else inner, True
            return node, False
        if isinstance(node, ast.Subscript):
            base = dotted_name(node.value)
            q = self.canon(module, base, scope) if base else ""
            if q in N.OPTIONAL_NAMES or base == "Optional":
                return self._strip_optional(module, scope, node.slice)[0], True
            if q in N.UNION_NAMES or base == "Union":
                elts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
                rest = [e for e in elts if not _is_none(e)]
                if len(rest) < len(elts):
                    return (self._strip_optional(module, scope, rest[0])[0] if len(rest) == 1 else node), True
                return node, False
            if q in N.ANNOTATED_NAMES or base == "Annotated":
                first = node.slice.elts[0] if isinstance(node.slice, ast.Tuple) else node.slice
                return self._strip_optional(module, scope, first)
        return node, False

    def python_type(self, module: str, scope: str, node: ast.expr | None) -> str:
        """Canonical name of a plain annotation type (``int`` -> ``builtins.int``), else ""."""
        if node is None:
            return ""
        node = _parse_string(node)
        if isinstance(node, ast.Subscript):
            base = dotted_name(node.value)
            q = self.canon(module, base, scope) if base else ""
            if q in N.LITERAL_NAMES or base == "Literal":
                return "typing.Literal"
            return ""
        name = dotted_name(node)
        if not name:
            return ""
        q = self.canon(module, name, scope)
        if "." not in q and q in N.PLAIN_BUILTIN_TYPES:
            return "builtins." + q
        return q

    # ------------------------------------------------------------ relationships
    def read_relationship(self, spec: CallSpec, attr: str, line: int) -> RelDraft:
        """A ``relationship(...)``/SQLModel ``Relationship(...)`` call."""
        target = spec.args[0] if spec.args else spec.kwargs.get("argument")
        back = self.evaluate(spec.kwargs.get("back_populates"))
        backref = ""
        b = spec.kwargs.get("backref")
        if b is not None:
            v = self.evaluate(b)
            if isinstance(v, str):
                backref = v
            elif isinstance(b.node, ast.Call):
                inner = self.call_spec(b.module, b.scope, b.node)
                if inner is not None and inner.name in N.BACKREF_CALLS and inner.args:
                    bv = self.evaluate(inner.args[0])
                    backref = bv if isinstance(bv, str) else ""
        secondary = spec.kwargs.get("secondary") or spec.kwargs.get("link_model")
        if spec.name == "Relationship":
            srk = spec.kwargs.get("sa_relationship_kwargs")
            if srk is not None and isinstance(srk.node, ast.Dict):
                for k, v in zip(srk.node.keys, srk.node.values):
                    if isinstance(k, ast.Constant) and k.value == "secondary":
                        secondary = Arg(v, srk.module, srk.scope)
                    if isinstance(k, ast.Constant) and k.value == "back_populates" and not back:
                        back = self.evaluate(Arg(v, srk.module, srk.scope))
            target = None  # SQLModel: the target comes from the annotation
        return RelDraft(
            name=attr,
            target=target,
            back_populates=back if isinstance(back, str) else "",
            backref=backref,
            secondary=secondary,
            line=line,
        )

    # ---------------------------------------------------------------- columns
    def read_column(self, spec: CallSpec, attr: str, line: int, ann: Annotated | None, orm_defaults: str) -> ColumnDraft:
        """A ``Column``/``mapped_column`` call (after unwrapping ``column_property``/``deferred``).

        ``orm_defaults`` is ``mapped`` for ``mapped_column`` with a ``Mapped[...]``
        annotation (type and nullability may come from the annotation), else ``column``.
        """
        name = ""
        type_arg: Arg | None = None
        fks: list[FKDraft] = []
        args = list(spec.args)
        if args and not isinstance(args[0].node, ast.Starred):
            first = self.evaluate(args[0]) if isinstance(args[0].node, (ast.Constant, ast.Name, ast.Attribute)) else None
            if isinstance(first, str) and not self._is_type_expr(args[0]):
                name = first
                args = args[1:]
        for a in args:
            if isinstance(a.node, ast.Starred):
                continue
            if isinstance(a.node, ast.Call):
                inner = self.call_spec(a.module, a.scope, a.node)
                if inner is not None and inner.name == "ForeignKey":
                    fks.append(self._fk(inner, line))
                    continue
                if inner is not None and inner.name in N.COLUMN_SCHEMA_ITEMS:
                    continue
                if type_arg is None:
                    type_arg = a
                continue
            lib = self.lib(a) if isinstance(a.node, (ast.Name, ast.Attribute)) else ""
            if lib in N.COLUMN_SCHEMA_ITEMS:
                continue
            if isinstance(a.node, ast.Constant):
                continue
            if type_arg is None:
                type_arg = a
        kw = spec.kwargs
        explicit_name = self.evaluate(kw.get("name"))
        if isinstance(explicit_name, str):
            name = explicit_name
        if type_arg is None and "type_" in kw:
            type_arg = kw["type_"]
        key = self.evaluate(kw.get("key"))
        attribute = attr or (key if isinstance(key, str) else "")
        pk = bool(self.flag(kw.get("primary_key"), False))
        nullable = self.flag(kw.get("nullable"), None)
        type_text = self.type_text(type_arg) if type_arg is not None else ""
        if nullable is None:
            if pk:
                nullable = False
            elif orm_defaults == "mapped" and ann is not None and ann.wrapper:
                nullable = ann.optional
            else:
                nullable = True
        default = kw.get("default") or kw.get("server_default")
        return ColumnDraft(
            name=name or attribute,
            attribute=attribute,
            type=type_text,
            nullable=nullable,
            primary_key=pk,
            unique=bool(self.flag(kw.get("unique"), False)),
            index=bool(self.flag(kw.get("index"), False)),
            default=_unparse(default.node) if default is not None else "",
            line=line,
            fks=[FKDraft(name or attribute, f.target, f.text, f.on_delete, f.line) for f in fks],
        )

    def _is_type_expr(self, arg: Arg) -> bool:
        return isinstance(arg.node, (ast.Name, ast.Attribute)) and bool(self.lib(arg))

    def _fk(self, spec: CallSpec, line: int) -> FKDraft:
        target = spec.args[0] if spec.args else spec.kwargs.get("column")
        ondelete = self.evaluate(spec.kwargs.get("ondelete"))
        text = ""
        if target is not None:
            v = self.evaluate(target)
            if isinstance(v, str):
                text = v
        return FKDraft("", target, text, ondelete if isinstance(ondelete, str) else "", line)

    def constraint_column(self, arg: Arg) -> str:
        """A constraint's column: a name (``"asset_id"``) or ``"@attr"`` for a column object."""
        v = self.evaluate(arg) if isinstance(arg.node, ast.Constant) else None
        if isinstance(v, str):
            return v
        return _attr_ref(arg.node)

    def fk_from_spec(self, spec: CallSpec, column: str, line: int) -> FKDraft:
        d = self._fk(spec, line)
        d.column = column
        return d

    def constraint_fks(self, spec: CallSpec) -> list[FKDraft]:
        """``ForeignKeyConstraint(["a", "b"], ["t.x", "t.y"], ondelete=...)``."""
        if len(spec.args) < 2 and not ("columns" in spec.kwargs and "refcolumns" in spec.kwargs):
            return []
        cols_arg = spec.args[0] if spec.args else spec.kwargs["columns"]
        refs_arg = spec.args[1] if len(spec.args) > 1 else spec.kwargs["refcolumns"]
        ondelete = self.evaluate(spec.kwargs.get("ondelete"))
        out: list[FKDraft] = []
        cols = cols_arg.node.elts if isinstance(cols_arg.node, (ast.List, ast.Tuple)) else []
        refs = refs_arg.node.elts if isinstance(refs_arg.node, (ast.List, ast.Tuple)) else []
        for c, r in zip(cols, refs):
            cname = self.constraint_column(Arg(c, cols_arg.module, cols_arg.scope))
            if not cname:
                continue
            ref = Arg(r, refs_arg.module, refs_arg.scope)
            v = self.evaluate(ref)
            out.append(
                FKDraft(cname, ref, v if isinstance(v, str) else "", ondelete if isinstance(ondelete, str) else "", spec.node.lineno)
            )
        return out


def _last(dotted: str) -> str:
    """``sqlalchemy.dialects.postgresql.UUID`` -> ``UUID`` (an aliased import shows its real name)."""
    return dotted.rsplit(".", 1)[-1]


def _mentions(node: ast.AST, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node))


def _attr_ref(node: ast.expr) -> str:
    """A column given as an object in a constraint: ``asset_id`` (class body) or ``Model.asset_id``."""
    if isinstance(node, ast.Name):
        return "@" + node.id
    if isinstance(node, ast.Attribute):
        return "@" + node.attr
    return ""


def fn_params(arguments: ast.arguments) -> set[str]:
    return {a.arg for a in arguments.posonlyargs + arguments.args + arguments.kwonlyargs}


def _bind_args(
    arguments: ast.arguments, args: list[Arg], kwargs: dict[str, Arg], fmod: str, fscope: str
) -> tuple[list[Arg], dict[str, Arg], str, str] | None:
    """Bind call arguments to a helper's parameters: (extra positional, name -> Arg, *name, **name)."""
    if any(isinstance(a.node, ast.Starred) for a in args):
        return None
    params = [a.arg for a in arguments.posonlyargs + arguments.args]
    named: dict[str, Arg] = {}
    for p, a in zip(params, args):
        named[p] = a
    extra = args[len(params) :]
    if extra and arguments.vararg is None:
        return None
    for k, v in kwargs.items():
        named[k] = v
    defaults = dict(zip(params[len(params) - len(arguments.defaults) :], arguments.defaults))
    defaults.update({a.arg: d for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults) if d is not None})
    for p, d in defaults.items():
        if p not in named:
            named[p] = Arg(d, fmod, "")
    star = arguments.vararg.arg if arguments.vararg else ""
    dstar = arguments.kwarg.arg if arguments.kwarg else ""
    return list(extra), named, star, dstar


def _substitute(arg: Arg, named: Mapping[str, Arg]) -> Arg:
    if isinstance(arg.node, ast.Name) and arg.node.id in named:
        return named[arg.node.id]
    return arg


def _with_args(name: str, call: ast.Call) -> str:
    parts = [_unparse(a) for a in call.args] + [
        (f"{k.arg}={_unparse(k.value)}" if k.arg else f"**{_unparse(k.value)}") for k in call.keywords
    ]
    return f"{name}({', '.join(parts)})" if parts else name


def _is_none(node: ast.expr) -> bool:
    return (isinstance(node, ast.Constant) and node.value is None) or (isinstance(node, ast.Name) and node.id == "None")


def _union_parts(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _union_parts(node.left) + _union_parts(node.right)
    return [node]


def _parse_string(node: ast.expr) -> ast.expr:
    """A string annotation (``"Mapped[int]"``) parsed to an expression; other nodes unchanged."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            parsed = ast.parse(node.value.strip(), mode="eval").body
        except SyntaxError:
            return node
        return ast.copy_location(parsed, node) if hasattr(node, "lineno") else parsed
    return node


def _unparse(node: ast.AST | None) -> str:
    if node is None:
        return ""
    try:
        text = ast.unparse(node)
    except Exception:  # pragma: no cover - defensive
        return "<expr>"
    return text if len(text) <= 160 else text[:159] + "…"


def unparse(node: ast.AST | None) -> str:
    """Short source text of an expression."""
    return _unparse(node)
