"""A tiny interpreter for computed table names (``@declared_attr def __tablename__``).

Table names are often computed from the class name: ``cls.__name__.lower()``,
``CAMEL_TO_SNAKE.sub("_", cls.__name__).lower()`` (Prefect) or a helper such as
``resolve_table_name(cls.__name__)`` that splits on capitals (Dispatch).  This
interpreter runs such bodies over plain values only: strings, numbers, lists,
``None``, compiled regular expressions built from literal patterns, and the
class name.  It follows module constants and small first-party helper
functions through the shared resolver.  Anything else (I/O, attribute access
on unknown objects, loops with side effects) makes the result unknown: the
caller then reports the table name as unresolved instead of guessing.

Nothing of the scanned project is imported or executed; only ``str`` and
``re`` operations with values taken from its source text are evaluated.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from ..project import Project
from ..visiting import dotted_name

_MAX_DEPTH = 12
_MAX_STEPS = 5000

_STR_METHODS = frozenset(
    "lower upper title capitalize casefold strip lstrip rstrip replace split rsplit join startswith endswith "
    "removeprefix removesuffix format isupper islower isdigit isalpha partition rpartition".split()
)
_RE_FUNCS = frozenset("sub split findall compile match search fullmatch escape".split())
_RE_CONSTS = {"I": re.I, "IGNORECASE": re.I, "M": re.M, "MULTILINE": re.M, "X": re.X, "VERBOSE": re.X, "S": re.S, "DOTALL": re.S}
_ENUMS = ("enum.Enum", "enum.IntEnum", "enum.StrEnum", "enum.Flag", "enum.IntFlag", "enum.ReprEnum")
_PATTERN_METHODS = frozenset("sub split findall match search fullmatch".split())
_MATCH_METHODS = frozenset("group groups start end".split())
_BUILTINS: dict[str, Callable[..., Any]] = {
    "str": str,
    "len": len,
    "list": list,
    "tuple": tuple,
    "reversed": lambda x: list(reversed(x)),
    "enumerate": lambda x: list(enumerate(x)),
    "bool": bool,
    "int": int,
    "set": set,
    "frozenset": frozenset,
    "sorted": sorted,
}


_COMPARE: dict[type, Callable[[Any, Any], bool]] = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
    ast.Is: lambda a, b: a is b,
    ast.IsNot: lambda a, b: a is not b,
}


class Unknown(Exception):
    """The value cannot be computed statically."""


@dataclass(frozen=True)
class ClassValue:
    """The class a ``declared_attr`` is evaluated for (``cls``)."""

    name: str
    qualname: str


@dataclass(frozen=True)
class TableValue:
    """A model's ``__table__`` as far as names go."""

    name: str
    schema: str = ""

    @property
    def fullname(self) -> str:
        return f"{self.schema}.{self.name}" if self.schema else self.name


@dataclass(frozen=True)
class _Bound:
    obj: Any
    method: str


@dataclass(frozen=True)
class _ReFunc:
    name: str


@dataclass(frozen=True)
class _FuncRef:
    qualname: str


class _ReModule:
    pass


_RE = _ReModule()

BodyLookup = Callable[[str], "tuple[str, tuple[ast.stmt, ...], ast.arguments] | None"]


class TableNameInterpreter:
    """Evaluates small functions and expressions over plain values (see module docstring).

    ``bodies(qualname)`` returns ``(module, statements, arguments)`` of a
    first-party function, or None.  ``hooks`` maps canonical function names
    (e.g. ``sqlalchemy.orm.has_inherited_table``) to Python callables that
    receive the evaluated arguments.
    """

    def __init__(
        self,
        project: Project,
        bodies: BodyLookup,
        hooks: Mapping[str, Callable[..., Any]] | None = None,
        class_attr: Callable[[str, str], Any] | None = None,
    ) -> None:
        self.p = project
        self.bodies = bodies
        self.hooks = dict(hooks or {})
        self.class_attr = class_attr
        self.steps = 0

    # ----------------------------------------------------------- functions
    def call_function(self, qualname: str, args: list[Any], kwargs: dict[str, Any], depth: int = 0) -> Any:
        """Run a first-party function with already evaluated arguments."""
        if depth > _MAX_DEPTH:
            raise Unknown("too deep")
        found = self.bodies(qualname)
        if found is None:
            raise Unknown(f"no body for {qualname}")
        module, stmts, arguments = found
        env = _bind(arguments, args, kwargs)
        scope = qualname[len(module) + 1 :] if qualname.startswith(module + ".") else ""
        return self.run(module, scope, stmts, env, depth)

    def run(self, module: str, scope: str, stmts: tuple[ast.stmt, ...] | list[ast.stmt], env: dict[str, Any], depth: int = 0) -> Any:
        """Execute straight-line statements (assignments, ``if``, ``return``); return the returned value."""
        done, value = self._block(module, scope, list(stmts), env, depth)
        if not done:
            return None  # falls off the end: None
        return value

    def _block(self, module: str, scope: str, stmts: list[ast.stmt], env: dict[str, Any], depth: int) -> tuple[bool, Any]:
        for s in stmts:
            self._tick()
            if isinstance(s, ast.Return):
                return True, (self.eval(module, scope, s.value, env, depth) if s.value is not None else None)
            if isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], ast.Name):
                env[s.targets[0].id] = self.eval(module, scope, s.value, env, depth)
            elif isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name) and s.value is not None:
                env[s.target.id] = self.eval(module, scope, s.value, env, depth)
            elif isinstance(s, ast.If):
                branch = s.body if self.eval(module, scope, s.test, env, depth) else s.orelse
                done, value = self._block(module, scope, branch, env, depth)
                if done:
                    return True, value
            elif isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant):
                continue
            elif isinstance(s, ast.Pass):
                continue
            else:
                raise Unknown(f"statement {type(s).__name__}")
        return False, None

    def _tick(self) -> None:
        self.steps += 1
        if self.steps > _MAX_STEPS:
            raise Unknown("too many steps")

    # --------------------------------------------------------- expressions
    def eval(self, module: str, scope: str, node: ast.expr | None, env: dict[str, Any], depth: int = 0) -> Any:
        """Value of ``node`` written in ``module``/``scope`` with local ``env``; raises :class:`Unknown`."""
        self._tick()
        if node is None:
            raise Unknown("no expression")
        if depth > _MAX_DEPTH:
            raise Unknown("too deep")
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            if node.id in env:
                return env[node.id]
            return self._global(module, scope, node.id, depth)
        if isinstance(node, ast.Attribute):
            dotted = dotted_name(node)
            if dotted and dotted.split(".", 1)[0] not in env:
                return self._global(module, scope, dotted, depth)
            base = self.eval(module, scope, node.value, env, depth)
            return self.attribute(base, node.attr)
        if isinstance(node, ast.Call):
            return self._call(module, scope, node, env, depth)
        if isinstance(node, ast.BinOp):
            left = self.eval(module, scope, node.left, env, depth)
            right = self.eval(module, scope, node.right, env, depth)
            try:
                if isinstance(node.op, ast.Add):
                    return left + right
                if isinstance(node.op, ast.Mod) and isinstance(left, str):
                    return left % right
                if isinstance(node.op, ast.Mult) and isinstance(right, int) and abs(right) < 100:
                    return left * right
                if isinstance(left, (set, frozenset)) and isinstance(right, (set, frozenset)):
                    if isinstance(node.op, ast.Sub):
                        return left - right
                    if isinstance(node.op, ast.BitOr):
                        return left | right
                    if isinstance(node.op, ast.BitAnd):
                        return left & right
            except (TypeError, ValueError) as exc:
                raise Unknown(str(exc)) from None
            raise Unknown("operator")
        if isinstance(node, ast.JoinedStr):
            out = []
            for piece in node.values:
                if isinstance(piece, ast.Constant):
                    out.append(str(piece.value))
                elif isinstance(piece, ast.FormattedValue) and piece.format_spec is None:
                    v = self.eval(module, scope, piece.value, env, depth)
                    out.append(repr(v) if piece.conversion == ord("r") else str(v))
                else:
                    raise Unknown("format spec")
            return "".join(out)
        if isinstance(node, (ast.List, ast.Tuple)):
            items = [self.eval(module, scope, e, env, depth) for e in node.elts]
            return items if isinstance(node, ast.List) else tuple(items)
        if isinstance(node, ast.Set):
            try:
                return {self.eval(module, scope, e, env, depth) for e in node.elts}
            except TypeError as exc:
                raise Unknown(str(exc)) from None
        if isinstance(node, (ast.ListComp, ast.GeneratorExp)):
            return self._comprehension(module, scope, node, env, depth)
        if isinstance(node, ast.Subscript):
            base = self.eval(module, scope, node.value, env, depth)
            if isinstance(node.slice, ast.Slice):
                parts = [self.eval(module, scope, x, env, depth) if x is not None else None for x in (node.slice.lower, node.slice.upper, node.slice.step)]
                try:
                    return base[slice(*parts)]
                except (TypeError, ValueError) as exc:
                    raise Unknown(str(exc)) from None
            key = self.eval(module, scope, node.slice, env, depth)
            try:
                return base[key]
            except (TypeError, KeyError, IndexError) as exc:
                raise Unknown(str(exc)) from None
        if isinstance(node, ast.Compare):
            left = self.eval(module, scope, node.left, env, depth)
            for op, comp in zip(node.ops, node.comparators):
                right = self.eval(module, scope, comp, env, depth)
                fn = _COMPARE.get(type(op))
                if fn is None:
                    raise Unknown("comparison")
                try:
                    ok = fn(left, right)
                except TypeError as exc:
                    raise Unknown(str(exc)) from None
                if not ok:
                    return False
                left = right
            return True
        if isinstance(node, ast.BoolOp):
            if isinstance(node.op, ast.And):
                value: Any = True
                for v in node.values:
                    value = self.eval(module, scope, v, env, depth)
                    if not value:
                        return value
                return value
            value = False
            for v in node.values:
                value = self.eval(module, scope, v, env, depth)
                if value:
                    return value
            return value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return not self.eval(module, scope, node.operand, env, depth)
        if isinstance(node, ast.IfExp):
            test = self.eval(module, scope, node.test, env, depth)
            return self.eval(module, scope, node.body if test else node.orelse, env, depth)
        if isinstance(node, ast.Lambda):
            return _Lambda(self, module, scope, node, dict(env), depth)
        raise Unknown(type(node).__name__)

    def _comprehension(self, module: str, scope: str, node: ast.ListComp | ast.GeneratorExp, env: dict[str, Any], depth: int) -> list[Any]:
        if len(node.generators) != 1:
            raise Unknown("nested comprehension")
        gen = node.generators[0]
        iterable = self.eval(module, scope, gen.iter, env, depth)
        if not isinstance(iterable, (list, tuple, str)):
            raise Unknown("iterable")
        out = []
        for item in iterable:
            local = dict(env)
            _assign_target(gen.target, item, local)
            if all(self.eval(module, scope, cond, local, depth) for cond in gen.ifs):
                out.append(self.eval(module, scope, node.elt, local, depth))
        return out

    def _global(self, module: str, scope: str, dotted: str, depth: int) -> Any:
        if dotted in ("True", "False", "None"):
            return {"True": True, "False": False, "None": None}[dotted]
        parts = dotted.split(".")
        for i in range(len(parts), 0, -1):
            try:
                value = self._global_name(module, scope, ".".join(parts[:i]), depth)
            except Unknown:
                if i == 1:
                    raise
                continue
            for attr in parts[i:]:
                value = self.attribute(value, attr)
            return value
        raise Unknown(dotted)  # pragma: no cover - the loop always returns or raises

    def _global_name(self, module: str, scope: str, dotted: str, depth: int) -> Any:
        q = self.p.resolve_name(module, dotted, scope)
        if q == "re":
            return _RE
        if q.startswith("re.") and q.count(".") == 1:
            name = q[3:]
            if name in _RE_FUNCS:
                return _ReFunc(name)
            if name in _RE_CONSTS:
                return _RE_CONSTS[name]
            raise Unknown(q)
        if q.startswith("builtins.") and q[9:] in _BUILTINS:
            return _BUILTINS[q[9:]]
        if q in self.hooks:
            return self.hooks[q]
        d = self.p.lookup(q)
        if d.kind == "function":
            return _FuncRef(q)
        if d.kind == "class":
            return ClassValue(d.obj.name, q)
        if d.kind == "assignment" and d.obj.op == "=" and d.obj.value is not None:
            return self.eval(d.module, d.obj.scope, d.obj.value, {}, depth + 1)
        raise Unknown(q)

    def _call(self, module: str, scope: str, node: ast.Call, env: dict[str, Any], depth: int) -> Any:
        func = self.eval(module, scope, node.func, env, depth)
        args: list[Any] = []
        for a in node.args:
            if isinstance(a, ast.Starred):
                v = self.eval(module, scope, a.value, env, depth)
                if not isinstance(v, (list, tuple)):
                    raise Unknown("star args")
                args.extend(v)
            else:
                args.append(self.eval(module, scope, a, env, depth))
        kwargs: dict[str, Any] = {}
        for kw in node.keywords:
            if kw.arg is None:
                raise Unknown("** args")
            kwargs[kw.arg] = self.eval(module, scope, kw.value, env, depth)
        return self.apply(func, args, kwargs, depth)

    def apply(self, func: Any, args: list[Any], kwargs: dict[str, Any], depth: int = 0) -> Any:
        """Call an interpreter value."""
        try:
            if isinstance(func, _Bound):
                return getattr(func.obj, func.method)(*args, **kwargs)
            if isinstance(func, _ReFunc):
                return getattr(re, func.name)(*args, **kwargs)
            if isinstance(func, _FuncRef):
                return self.call_function(func.qualname, args, kwargs, depth + 1)
            if isinstance(func, _Lambda):
                return func(*args, **kwargs)
            if callable(func) and (func in _BUILTINS.values() or func in self.hooks.values()):
                if args and isinstance(args[0], ClassValue) and func in (set, frozenset, list, tuple, sorted):
                    args = [self.enum_values(args[0].qualname)] + args[1:]
                return func(*args, **kwargs)
        except Unknown:
            raise
        except Exception as exc:  # a str/re operation failed on these values
            raise Unknown(f"{type(exc).__name__}: {exc}") from None
        raise Unknown("not callable")

    def enum_values(self, qualname: str) -> list[Any]:
        """Values of a first-party ``enum.Enum`` subclass's members (``frozenset(LinkType)``)."""
        if not self.p.is_subclass(qualname, _ENUMS):
            raise Unknown(f"{qualname} is not an enum")
        found = self.p.class_info(qualname)
        if found is None:
            raise Unknown(qualname)
        module, info = found
        out = []
        for a in self.p.symbols[module].class_assignments(info.qualname):
            if a.op != "=" or a.value is None or a.target.startswith("_") or "." in a.target:
                continue
            out.append(self.eval(module, info.scope, a.value, {}))
        return out

    def attribute(self, base: Any, attr: str) -> Any:
        """``base.attr`` for interpreter values; class attributes go through ``class_attr``."""
        if isinstance(base, ClassValue):
            if attr in ("__name__", "__qualname__"):
                return base.name
            if self.class_attr is not None:
                return self.class_attr(base.qualname, attr)
            raise Unknown(f"cls.{attr}")
        if isinstance(base, TableValue) and attr in ("name", "fullname", "schema"):
            return getattr(base, attr)
        return _attribute(base, attr)


class _Lambda:
    def __init__(self, interp: TableNameInterpreter, module: str, scope: str, node: ast.Lambda, env: dict[str, Any], depth: int) -> None:
        self.interp, self.module, self.scope, self.node, self.env, self.depth = interp, module, scope, node, env, depth

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        local = dict(self.env)
        local.update(_bind(self.node.args, list(args), kwargs))
        return self.interp.eval(self.module, self.scope, self.node.body, local, self.depth + 1)


def _attribute(base: Any, attr: str) -> Any:
    if isinstance(base, ClassValue):
        if attr in ("__name__", "__qualname__"):
            return base.name
        raise Unknown(f"cls.{attr}")
    if isinstance(base, str) and attr in _STR_METHODS:
        return _Bound(base, attr)
    if isinstance(base, re.Pattern) and attr in _PATTERN_METHODS:
        return _Bound(base, attr)
    if isinstance(base, re.Match) and attr in _MATCH_METHODS:
        return _Bound(base, attr)
    if isinstance(base, _ReModule):
        if attr in _RE_FUNCS:
            return _ReFunc(attr)
        if attr in _RE_CONSTS:
            return _RE_CONSTS[attr]
    raise Unknown(f"attribute {attr}")


def _assign_target(target: ast.expr, value: Any, env: dict[str, Any]) -> None:
    if isinstance(target, ast.Name):
        env[target.id] = value
        return
    if isinstance(target, (ast.Tuple, ast.List)) and isinstance(value, (list, tuple)) and len(value) == len(target.elts):
        for t, v in zip(target.elts, value):
            _assign_target(t, v, env)
        return
    raise Unknown("target")


def _bind(arguments: ast.arguments, args: list[Any], kwargs: dict[str, Any]) -> dict[str, Any]:
    params = [a.arg for a in arguments.posonlyargs + arguments.args]
    env: dict[str, Any] = {}
    for name, value in zip(params, args):
        env[name] = value
    if len(args) > len(params):
        if arguments.vararg is None:
            raise Unknown("too many arguments")
        env[arguments.vararg.arg] = tuple(args[len(params) :])
    elif arguments.vararg is not None:
        env[arguments.vararg.arg] = ()
    for k, v in kwargs.items():
        env[k] = v
    missing = [p for p in params + [a.arg for a in arguments.kwonlyargs] if p not in env]
    if missing:
        defaults = dict(zip(params[len(params) - len(arguments.defaults) :], arguments.defaults))
        defaults.update({a.arg: d for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults) if d is not None})
        for m in missing:
            d = defaults.get(m)
            if isinstance(d, ast.Constant):
                env[m] = d.value
            else:
                raise Unknown(f"argument {m}")
    return env
