"""The whole-program view analyzers resolve against.

:class:`Project` answers the questions every framework analyzer has, from the
cached per-file symbol tables alone (no source is read again):

* ``resolve_name(module, "users.router")`` -> the canonical qualified name,
  following imports, aliases and re-exports across first-party modules
  (``shop.api.users.router``; external names stay as written, e.g.
  ``fastapi.APIRouter``);
* ``lookup(qualname)`` -> where a qualified name is defined;
* ``mro(class)`` / ``is_subclass(class, bases)`` across project classes;
* ``evaluate(module, expr)`` -> constant folding with explicit
  ``resolved``/``partial``/``unresolved`` status (module constants, settings
  modules and classes, pydantic ``BaseSettings`` defaults,
  ``os.environ.get("X", "default")``, f-strings, ``+``, ``join``, one-line
  helper functions).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

from .config import Config
from .model import Dependency, FileKind, Location, Module, Unresolved
from .symbols import Assignment, ClassInfo, FunctionInfo, ImportBinding, ModuleSymbols

_MAX_DEPTH = 25
_MAX_STEPS = 200_000  # nodes one evaluation may visit (see _Run)


@dataclass(frozen=True, slots=True)
class Instance:
    """An instance of a class (e.g. ``settings = Settings()``)."""

    cls: str
    call: ast.Call | None = None
    module: str = ""


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference to a named object that is not a constant (module, class, function, object)."""

    qualname: str


@dataclass(frozen=True)
class Value:
    """Result of constant folding.

    ``status`` is ``resolved`` (``value`` is exact, though ``env_overridable``
    says an environment variable can change it), ``partial`` (``value`` is a
    string with ``{expr}`` placeholders for the parts listed in ``unknowns``) or
    ``unresolved`` (``value`` is None).
    """

    status: str
    value: Any = None
    unknowns: tuple[Unresolved, ...] = ()
    env_overridable: bool = False

    @property
    def ok(self) -> bool:
        return self.status == "resolved"

    @property
    def text(self) -> str | None:
        """The value as text when it is a (possibly partial) string."""
        return self.value if isinstance(self.value, str) else None


def resolved(value: Any, env: bool = False) -> Value:
    return Value("resolved", value, (), env)


def unresolved(expr: str, reason: str, location: Location) -> Value:
    return Value("unresolved", None, (Unresolved(expr, reason, location),))


def _merge_status(parts: Sequence[Value]) -> str:
    if all(p.status == "resolved" for p in parts):
        return "resolved"
    return "partial"


@dataclass(frozen=True)
class Definition:
    """Where a qualified name is defined."""

    qualname: str
    module: str
    kind: str  # module, class, function, assignment, unknown
    obj: Any = None  # ClassInfo / FunctionInfo / Assignment / Module


@dataclass
class Project:
    """Everything the analyzers may know about the scanned code (read-only for them)."""

    root: Path
    config: Config
    modules: Mapping[str, Module]
    symbols: Mapping[str, ModuleSymbols]
    summaries: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    dependencies: tuple[Dependency, ...] = ()
    aux_files: Mapping[str, str] = field(default_factory=dict)  # config/deploy files, path -> text
    django_settings_modules: tuple[str, ...] = ()
    _resolve_cache: dict[tuple[str, str, str], str] = field(default_factory=dict, repr=False)
    _mro_cache: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)

    # ------------------------------------------------------------------ basics
    def path_of(self, module: str) -> str:
        m = self.modules.get(module)
        return m.path if m is not None else ""

    def location(self, module: str, node: ast.AST | None) -> Location:
        return Location.of(self.path_of(module), node)

    def summaries_of(self, analyzer: str) -> Mapping[str, Any]:
        return self.summaries.get(analyzer, {})

    def source_symbols(self) -> Iterator[tuple[str, ModuleSymbols]]:
        """(module, symbols) of the application's own modules: tests and migrations left out."""
        for module, syms in self.symbols.items():
            mod = self.modules.get(module)
            if mod is not None and mod.kind is FileKind.SOURCE:
                yield module, syms

    def first_party(self, name: str) -> bool:
        return name.split(".", 1)[0] in self._tops

    @property
    def _tops(self) -> frozenset[str]:
        tops = getattr(self, "_tops_cache", None)
        if tops is None:
            tops = frozenset(m.split(".", 1)[0] for m in self.modules)
            object.__setattr__(self, "_tops_cache", tops)
        return tops

    def dependency_version(self, distribution: str) -> str:
        """Pinned version of a declared distribution ("" when unknown)."""
        want = distribution.lower().replace("_", "-")
        for d in self.dependencies:
            if d.name == want and d.version:
                return d.version
        return ""

    def declares(self, distribution: str) -> bool:
        want = distribution.lower().replace("_", "-")
        return any(d.name == want for d in self.dependencies)

    # ------------------------------------------------------------- resolution
    def _module_prefix(self, dotted: str) -> tuple[str, str]:
        """Longest first-party module prefix of ``dotted`` and the remainder."""
        parts = dotted.split(".")
        for i in range(len(parts), 0, -1):
            cand = ".".join(parts[:i])
            if cand in self.modules:
                return cand, ".".join(parts[i:])
        return "", dotted

    def binding(self, module: str, name: str, scope: str = "") -> object | None:
        """The last binding of ``name`` visible in ``scope`` of ``module`` (inner scopes first)."""
        syms = self.symbols.get(module)
        if syms is None:
            return None
        for sc in _scope_chain(scope):
            found = syms.in_scope(name, sc) if sc else syms.module_level(name)
            if found:
                # prefer the last non-conditional definition, else the last one
                plain = [f for f in found if not getattr(f, "conditional", False)]
                return (plain or found)[-1]
        # star imports at module level
        for b in syms.bindings:
            if b.name == "*" and b.scope == "":
                target_syms = self.symbols.get(b.target)
                if target_syms is not None and target_syms.module_level(name):
                    return ImportBinding(name, f"{b.target}.{name}", b.line)
        return None

    def resolve_name(self, module: str, dotted: str, scope: str = "") -> str:
        """Canonical qualified name of ``dotted`` as written in ``module`` (see module doc)."""
        if not dotted:
            return ""
        key = (module, dotted, scope)
        cached = self._resolve_cache.get(key)
        if cached is not None:
            return cached
        result = self._resolve(module, dotted, scope, 0)
        self._resolve_cache[key] = result
        return result

    def _resolve(self, module: str, dotted: str, scope: str, depth: int) -> str:
        if depth > _MAX_DEPTH:
            return dotted
        head, _, rest = dotted.partition(".")
        b = self.binding(module, head, scope)
        if isinstance(b, ImportBinding):
            target = b.target + ("." + rest if rest else "")
            return self.canonical(target, depth + 1, _import_module(b))
        if isinstance(b, Assignment):
            if b.op in ("=",) and isinstance(b.value, (ast.Name, ast.Attribute)):
                alias = _dotted(b.value)
                if alias and alias != dotted and alias.split(".")[0] != head:
                    return self._resolve(module, alias + ("." + rest if rest else ""), b.scope, depth + 1)
            base = f"{module}.{self._qual(module, b.scope, head)}"
            return base + ("." + rest if rest else "")
        if isinstance(b, (FunctionInfo, ClassInfo)):
            return f"{module}.{b.qualname}" + ("." + rest if rest else "")
        if head in _BUILTINS and b is None:
            return "builtins." + dotted
        return dotted

    def _qual(self, module: str, scope: str, name: str) -> str:
        """Qualified name of ``name`` bound in ``scope`` (class attribute or function local)."""
        if not scope:
            return name
        syms = self.symbols.get(module)
        if syms is not None and syms.cls(scope) is not None:
            return f"{scope}.{name}"
        return f"{scope}.<locals>.{name}"

    def canonical(self, qualified: str, depth: int = 0, module_part: str = "") -> str:
        """Follow re-exports: ``pkg.router`` defined by ``from .routes import router`` -> ``pkg.routes.router``.

        ``module_part`` says which leading part of ``qualified`` is an imported
        module path (the rest are attribute accesses); it lets a name a package
        binds win over a submodule of the same name (see :meth:`_shadowing_import`).
        """
        if depth > _MAX_DEPTH:
            return qualified
        if module_part:
            shadowed = self._shadowing_import(qualified, module_part)
            if shadowed is not None:
                return self.canonical(shadowed[0], depth + 1, shadowed[1])
        mod, rest = self._module_prefix(qualified)
        if not mod or not rest:
            return qualified
        head, _, tail = rest.partition(".")
        b = self.binding(mod, head, "")
        if isinstance(b, ImportBinding):
            target = b.target + ("." + tail if tail else "")
            if target == qualified:
                return qualified
            return self.canonical(target, depth + 1, _import_module(b))
        if isinstance(b, Assignment) and b.op == "=" and isinstance(b.value, (ast.Name, ast.Attribute)):
            alias = _dotted(b.value)
            if alias and alias.split(".")[0] != head:
                return self._resolve(mod, alias + ("." + tail if tail else ""), "", depth + 1)
        return qualified

    def _shadowing_import(self, qualified: str, module_part: str) -> tuple[str, str] | None:
        """``pkg.Spec`` is the class when ``pkg/__init__`` does ``from .Spec import Spec``.

        ``qualified`` is ``module_part`` (an imported module) followed by attribute
        accesses.  Importing a submodule sets the package attribute to the module,
        but a later import binding of the same name in the package replaces it, so
        for an attribute access the name the package binds wins over its submodule.
        Returns the qualified name that binding points to (plus the remaining
        attributes) and its module part, or None.
        """
        if not qualified.startswith(module_part + ".") or module_part not in self.modules:
            return None
        attrs = qualified[len(module_part) + 1 :].split(".")
        cur = module_part
        for i, attr in enumerate(attrs):
            child = f"{cur}.{attr}"
            if child not in self.modules:
                return None
            b = self.binding(cur, attr, "")
            if isinstance(b, ImportBinding) and not b.type_checking and b.target != child:
                rest = "".join("." + x for x in attrs[i + 1 :])
                return b.target + rest, _import_module(b)
            cur = child
        return None

    def lookup(self, qualified: str) -> Definition:
        """Where ``qualified`` (canonical) is defined."""
        mod, rest = self._module_prefix(qualified)
        if not mod:
            return Definition(qualified, "", "unknown")
        if not rest:
            return Definition(qualified, mod, "module", self.modules[mod])
        syms = self.symbols.get(mod)
        if syms is None:
            return Definition(qualified, mod, "unknown")
        cls = syms.cls(rest)
        if cls is not None:
            return Definition(qualified, mod, "class", cls)
        fn = syms.function(rest)
        if fn is not None:
            return Definition(qualified, mod, "function", fn)
        scope, _, name = rest.rpartition(".")
        if scope.endswith(".<locals>"):
            scope = scope[: -len(".<locals>")]
        found = syms.in_scope(name, scope) if scope else syms.module_level(name)
        assigns = [f for f in found if isinstance(f, Assignment)]
        if assigns:
            plain = [a for a in assigns if a.op == "=" and not a.conditional]
            return Definition(qualified, mod, "assignment", (plain or assigns)[-1])
        return Definition(qualified, mod, "unknown")

    def assignments_of(self, qualified: str) -> list[Assignment]:
        """Every assignment (``=``, ``+=``, ...) to a qualified module/class-level name, in order."""
        mod, rest = self._module_prefix(qualified)
        syms = self.symbols.get(mod) if mod else None
        if syms is None or not rest:
            return []
        scope, _, name = rest.rpartition(".")
        if scope.endswith(".<locals>"):
            scope = scope[: -len(".<locals>")]
        return [a for a in syms.assignments if a.scope == scope and a.target == name]

    def attribute_assignments(self, module: str, target_prefix: str) -> list[Assignment]:
        """Assignments whose target text starts with ``target_prefix`` (e.g. ``app.conf.``)."""
        syms = self.symbols.get(module)
        if syms is None:
            return []
        return [a for a in syms.assignments if a.target.startswith(target_prefix)]

    # --------------------------------------------------------------- classes
    def class_info(self, qualified: str) -> tuple[str, ClassInfo] | None:
        d = self.lookup(qualified)
        if d.kind == "class":
            return d.module, d.obj
        return None

    def bases(self, qualified: str) -> tuple[str, ...]:
        """Canonical names of a first-party class's direct bases."""
        found = self.class_info(qualified)
        if found is None:
            return ()
        module, info = found
        out = []
        for b in info.bases:
            name = _dotted(b)
            if not name and isinstance(b, ast.Subscript):
                name = _dotted(b.value)  # Generic[T], BaseModel[...]
            if name:
                out.append(self.resolve_name(module, name, info.scope))
        return tuple(out)

    def mro(self, qualified: str) -> tuple[str, ...]:
        """The class and all its ancestors (depth-first, first-party expanded, duplicates removed)."""
        cached = self._mro_cache.get(qualified)
        if cached is not None:
            return cached
        out: list[str] = []
        seen: set[str] = set()
        stack = [qualified]
        while stack:
            c = stack.pop(0)
            if c in seen:
                continue
            seen.add(c)
            out.append(c)
            if len(seen) > 200:
                break
            stack = list(self.bases(c)) + stack
        result = tuple(out)
        self._mro_cache[qualified] = result
        return result

    def is_subclass(self, qualified: str, bases: Iterable[str]) -> bool:
        want = set(bases)
        return any(c in want for c in self.mro(qualified)[1:]) or qualified in want

    def classes(self) -> Iterator[tuple[str, str, ClassInfo]]:
        """Every first-party class: (module, qualified name, info)."""
        for module in sorted(self.symbols):
            for c in self.symbols[module].classes:
                yield module, f"{module}.{c.qualname}", c

    def subclasses_of(self, bases: Iterable[str]) -> list[str]:
        """Qualified names of first-party classes deriving (transitively) from any of ``bases``."""
        want = set(bases)
        return [q for _, q, _ in self.classes() if q not in want and any(c in want for c in self.mro(q)[1:])]

    def class_attribute(self, qualified: str, name: str) -> tuple[str, Assignment] | None:
        """The assignment of class attribute ``name`` along the MRO: (module, assignment)."""
        for c in self.mro(qualified):
            found = self.class_info(c)
            if found is None:
                continue
            module, info = found
            syms = self.symbols[module]
            assigns = [a for a in syms.assignments if a.scope == info.qualname and a.target == name]
            if assigns:
                return module, assigns[-1]
        return None

    def class_methods(self, qualified: str) -> dict[str, str]:
        """Method name -> defining class, along the MRO (first-party classes only)."""
        out: dict[str, str] = {}
        for c in reversed(self.mro(qualified)):
            found = self.class_info(c)
            if found is None:
                continue
            for m in found[1].methods:
                out[m] = c
        return out

    # ------------------------------------------------------------ evaluation
    def evaluate(
        self,
        module: str,
        expr: ast.expr | None,
        scope: str = "",
        env: Mapping[str, Value] | None = None,
        _depth: int = 0,
    ) -> Value:
        """Fold ``expr`` (written in ``module``/``scope``) to a Python value when possible."""
        if expr is None:
            return Value("unresolved", None, ())
        return _Evaluator(self, module, scope, env or {}, _depth).eval(expr)

    def evaluate_string(
        self, module: str, expr: ast.expr | None, scope: str = "", env: Mapping[str, Value] | None = None
    ) -> Value:
        """Like :meth:`evaluate` but unresolved strings become a ``{expr}`` placeholder (status partial)."""
        v = self.evaluate(module, expr, scope, env)
        if v.status == "unresolved" and expr is not None:
            text = _unparse(expr)
            loc = self.location(module, expr)
            unknowns = v.unknowns or (Unresolved(text, "not a constant", loc),)
            return Value("partial", "{" + text + "}", unknowns)
        if v.status == "resolved" and not isinstance(v.value, str):
            if v.value is None:
                return v
            return Value("resolved", str(v.value), v.unknowns, v.env_overridable)
        return v

    def object_of(self, module: str, expr: ast.expr, scope: str = "") -> str:
        """Canonical qualified name an expression denotes (``users.router`` -> ``shop.api.users.router``)."""
        name = _dotted(expr)
        return self.resolve_name(module, name, scope) if name else ""


def _import_module(b: ImportBinding) -> str:
    """The module path an import binding names (``from X import Y`` -> ``X``; ``import X`` -> ``X``)."""
    if b.is_module or "." not in b.target:
        return b.target
    return b.target.rsplit(".", 1)[0]


def _scope_chain(scope: str) -> list[str]:
    """Scopes visible from ``scope``: itself, enclosing functions, then the module ("")."""
    chain = []
    s = scope
    while s:
        chain.append(s)
        if ".<locals>." in s:
            s = s.rsplit(".<locals>.", 1)[0]
        else:
            s = ""
    chain.append("")
    return chain




def _dotted(node: ast.AST | None) -> str:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


def _unparse(node: ast.AST) -> str:
    try:
        text = ast.unparse(node)
    except Exception:  # pragma: no cover - ast.unparse handles every node we produce
        return "<expr>"
    return text if len(text) <= 200 else text[:199] + "…"


_BUILTINS = frozenset(
    "print exec eval compile open input len str int float bool dict list tuple set frozenset "
    "type object super isinstance issubclass getattr setattr hasattr range enumerate zip map filter "
    "sorted reversed min max sum any all repr format id hash iter next vars dir globals locals "
    "__import__ breakpoint staticmethod classmethod property Exception BaseException".split()
)

_COMPARE: dict[type, Any] = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
    ast.Is: lambda a, b: a is b,
    ast.IsNot: lambda a, b: a is not b,
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
}

_ENV_GETTERS = {
    "os.environ.get",
    "os.getenv",
    "environ.get",
    "os.environ.setdefault",
}


class _Run:
    """State shared by one evaluation and all its sub-evaluations.

    ``active`` holds the assignments being evaluated, so a name defined in terms of
    itself (``prefix = "%s-%s" % (prefix, n[prefix])`` in Django's admin) is reported
    instead of recursing; ``memo`` keeps the value of every assignment evaluated without
    bound parameters, per depth (the depth limit can cut an evaluation short, so the same
    name can fold further when reached from higher up), so names used many times (a DAG
    of constants) are folded at most once per depth.  Without both, evaluation is
    exponential in the depth limit (2**25 steps).  ``steps`` counts evaluated nodes
    against ``_MAX_STEPS``, the last resort for what neither catches (a helper that
    calls itself twice).
    """

    __slots__ = ("active", "memo", "steps")

    def __init__(self) -> None:
        self.active: set[tuple[str, str, str, int]] = set()
        self.memo: dict[tuple[str, str, str, int, int], Value] = {}
        self.steps = 0


class _Evaluator:
    def __init__(
        self,
        project: Project,
        module: str,
        scope: str,
        env: Mapping[str, Value],
        depth: int,
        run: _Run | None = None,
    ) -> None:
        self.p = project
        self.module = module
        self.scope = scope
        self.env = env
        self.depth = depth
        self.run = run or _Run()

    def loc(self, node: ast.AST) -> Location:
        return self.p.location(self.module, node)

    def unknown(self, node: ast.AST, reason: str) -> Value:
        return unresolved(_unparse(node), reason, self.loc(node))

    def sub(self, module: str, scope: str = "", env: Mapping[str, Value] | None = None) -> "_Evaluator":
        return _Evaluator(self.p, module, scope, env or {}, self.depth + 1, self.run)

    def eval(self, node: ast.expr) -> Value:
        if self.depth > _MAX_DEPTH:
            return self.unknown(node, "too many levels of indirection")
        self.run.steps += 1
        if self.run.steps > _MAX_STEPS:
            return self.unknown(node, "evaluation took too many steps")
        method = getattr(self, "eval_" + type(node).__name__, None)
        if method is None:
            return self.unknown(node, f"{type(node).__name__} is not folded")
        try:
            return method(node)
        except RecursionError:
            return self.unknown(node, "expression nested too deeply")

    # literals -------------------------------------------------------------
    def eval_Constant(self, node: ast.Constant) -> Value:
        return resolved(node.value)

    def _seq(self, elts: list[ast.expr]) -> tuple[list[Any], list[Value]]:
        items: list[Any] = []
        parts: list[Value] = []
        for e in elts:
            if isinstance(e, ast.Starred):
                v = self.eval(e.value)
                parts.append(v)
                if v.ok and isinstance(v.value, (list, tuple)):
                    items.extend(v.value)
                else:
                    return items, parts + [Value("unresolved", None, v.unknowns)]
            else:
                v = self.eval(e)
                parts.append(v)
                items.append(v.value if v.ok else _Opaque(e, self.module, v))
        return items, parts

    def eval_List(self, node: ast.List) -> Value:
        items, parts = self._seq(node.elts)
        return self._container(items, parts)

    def eval_Tuple(self, node: ast.Tuple) -> Value:
        items, parts = self._seq(node.elts)
        v = self._container(items, parts)
        return Value(v.status, tuple(v.value) if isinstance(v.value, list) else v.value, v.unknowns, v.env_overridable)

    eval_Set = eval_List

    def _container(self, items: list[Any], parts: list[Value]) -> Value:
        unknowns = tuple(u for p in parts for u in p.unknowns)
        env = any(p.env_overridable for p in parts)
        if all(p.ok for p in parts):
            return Value("resolved", items, (), env)
        return Value("partial", items, unknowns, env)

    def eval_Dict(self, node: ast.Dict) -> Value:
        out: dict[Any, Any] = {}
        parts: list[Value] = []
        for k, v in zip(node.keys, node.values):
            if k is None:
                inner = self.eval(v)
                parts.append(inner)
                if inner.ok and isinstance(inner.value, dict):
                    out.update(inner.value)
                continue
            kv = self.eval(k)
            vv = self.eval(v)
            parts.append(kv)
            parts.append(vv)
            if kv.ok:
                try:
                    out[kv.value] = vv.value if vv.ok else _Opaque(v, self.module, vv)
                except TypeError:
                    pass
        return self._container(out, parts)  # type: ignore[arg-type]

    def eval_JoinedStr(self, node: ast.JoinedStr) -> Value:
        text: list[str] = []
        parts: list[Value] = []
        for piece in node.values:
            if isinstance(piece, ast.Constant):
                text.append(str(piece.value))
                continue
            if isinstance(piece, ast.FormattedValue):
                v = self.eval(piece.value)
                parts.append(v)
                if v.ok and piece.conversion in (-1, None) and piece.format_spec is None:
                    text.append(str(v.value))
                elif v.ok:
                    try:
                        spec = ""
                        if piece.format_spec is not None:
                            sv = self.eval(piece.format_spec)
                            spec = sv.value if sv.ok else ""
                        val = v.value
                        if piece.conversion == ord("r"):
                            val = repr(val)
                        elif piece.conversion == ord("s"):
                            val = str(val)
                        text.append(format(val, spec))
                    except (TypeError, ValueError):
                        text.append("{" + _unparse(piece.value) + "}")
                else:
                    text.append(_placeholder(v, piece.value))
        return _string_value("".join(text), parts)

    # names ----------------------------------------------------------------
    def eval_Name(self, node: ast.Name) -> Value:
        if node.id in self.env:
            return self.env[node.id]
        if node.id in ("True", "False", "None"):
            return resolved({"True": True, "False": False, "None": None}[node.id])
        return self._eval_dotted(node, node.id)

    def eval_Attribute(self, node: ast.Attribute) -> Value:
        dotted = _dotted(node)
        if dotted:
            head = dotted.split(".", 1)[0]
            if head in self.env:
                base = self.env[head]
                return self._attr_of_value(base, dotted.split(".")[1:], node)
            return self._eval_dotted(node, dotted)
        base = self.eval(node.value)
        return self._attr_of_value(base, [node.attr], node)

    def _attr_of_value(self, base: Value, attrs: list[str], node: ast.AST) -> Value:
        if not base.ok:
            return self.unknown(node, "attribute of an unresolved value")
        value = base.value
        for i, a in enumerate(attrs):
            if isinstance(value, Instance):
                return self._instance_attr(value, attrs[i:], node)
            if isinstance(value, Ref):
                return self._from_qualified(f"{value.qualname}." + ".".join(attrs[i:]), node)
            if isinstance(value, dict) and a in value:
                value = value[a]
                continue
            return self.unknown(node, f"attribute '{a}' of a {type(value).__name__}")
        return resolved(value, base.env_overridable)

    def _eval_dotted(self, node: ast.AST, dotted: str) -> Value:
        qualified = self.p.resolve_name(self.module, dotted, self.scope)
        return self._from_qualified(qualified, node)

    def _from_qualified(self, qualified: str, node: ast.AST) -> Value:
        if qualified.startswith("django.conf.settings.") or qualified == "django.conf.settings":
            return self._django_setting(qualified[len("django.conf.settings.") :], node)
        d = self.p.lookup(qualified)
        if d.kind == "assignment":
            a: Assignment = d.obj
            if a.value is None:
                return self.unknown(node, "assigned without a value")
            # a local of the function being evaluated sees that function's bound parameters
            same_scope = d.module == self.module and a.scope == self.scope and a.scope != "" and bool(self.env)
            key = (d.module, a.scope, a.target, a.line)
            if key in self.run.active:
                return self.unknown(node, f"'{qualified}' is defined in terms of itself")
            memo_key = key + (self.depth,)
            if not same_scope and memo_key in self.run.memo:
                return self.run.memo[memo_key]
            self.run.active.add(key)
            try:
                if a.op != "=":
                    value = self._accumulated(qualified, node)
                else:
                    value = self.sub(d.module, a.scope, self.env if same_scope else None).eval(a.value)
            finally:
                self.run.active.discard(key)
            if not same_scope:
                self.run.memo[memo_key] = value
            return value
        if d.kind in ("class", "function", "module"):
            return resolved(Ref(qualified))
        if d.kind == "unknown" and d.module:
            # attribute of an object defined in a module: e.g. settings.API_PREFIX
            mod, rest = self.p._module_prefix(qualified)
            parts = rest.split(".")
            for i in range(len(parts) - 1, 0, -1):
                owner = f"{mod}." + ".".join(parts[:i])
                od = self.p.lookup(owner)
                if od.kind in ("assignment", "class"):
                    base = self._from_qualified(owner, node)
                    return self._attr_of_value(base, parts[i:], node)
            return self.unknown(node, f"'{rest}' is not defined in {mod}")
        if not self.p.first_party(qualified):
            return self.unknown(node, f"external name {qualified}")
        return self.unknown(node, f"cannot find {qualified}")

    def _accumulated(self, qualified: str, node: ast.AST) -> Value:
        """A module-level list built with ``=`` then ``+=``/``.extend`` style updates."""
        items: list[Any] = []
        parts: list[Value] = []
        mod, _ = self.p._module_prefix(qualified)
        for a in self.p.assignments_of(qualified):
            if a.value is None:
                continue
            v = self.sub(mod, a.scope).eval(a.value)
            parts.append(v)
            if a.op == "=":
                items = list(v.value) if v.ok and isinstance(v.value, (list, tuple)) else []
            elif a.op == "+=" and v.ok and isinstance(v.value, (list, tuple)):
                items.extend(v.value)
        if not parts:
            return self.unknown(node, "no value")
        return Value(_merge_status(parts), items, tuple(u for p in parts for u in p.unknowns))

    def _instance_attr(self, inst: Instance, attrs: list[str], node: ast.AST) -> Value:
        name = attrs[0]
        # keyword passed to the constructor overrides the class default
        if inst.call is not None:
            for kw in inst.call.keywords:
                if kw.arg == name:
                    v = self.sub(inst.module).eval(kw.value)
                    return self._attr_of_value(v, attrs[1:], node) if attrs[1:] else v
        found = self.p.class_attribute(inst.cls, name)
        if found is None:
            return self.unknown(node, f"{inst.cls} has no attribute '{name}' the scan can see")
        module, a = found
        if a.value is None:
            return self.unknown(node, f"{inst.cls}.{name} has no default")
        value_node = a.value
        if isinstance(value_node, ast.Call) and _dotted(value_node.func).split(".")[-1] in ("Field", "field"):
            default = _field_default(value_node)
            if default is None:
                return self.unknown(node, f"{inst.cls}.{name} has no default")
            value_node = default
        v = self.sub(module, a.scope).eval(value_node)
        v = Value(v.status, v.value, v.unknowns, True if _is_settings_class(self.p, inst.cls) else v.env_overridable)
        return self._attr_of_value(v, attrs[1:], node) if attrs[1:] else v

    def _django_setting(self, name: str, node: ast.AST) -> Value:
        if not name:
            return resolved(Ref("django.conf.settings"))
        head = name.split(".")[0]
        for sm in self.p.django_settings_modules:
            found = self._setting_in(sm, head, set())
            if found is not None:
                mod, a = found
                v = self.sub(mod).eval(a.value) if a.value is not None else self.unknown(node, "no value")
                rest = name.split(".")[1:]
                return self._attr_of_value(v, rest, node) if rest else v
        if not self.p.django_settings_modules:
            return self.unknown(node, "Django settings module not found")
        return self.unknown(node, f"setting {head} is not set in {', '.join(self.p.django_settings_modules)}")

    def _setting_in(self, module: str, name: str, seen: set[str]) -> tuple[str, Assignment] | None:
        if module in seen or module not in self.p.symbols:
            return None
        seen.add(module)
        syms = self.p.symbols[module]
        assigns = [a for a in syms.assignments if a.scope == "" and a.target == name and a.op == "="]
        if assigns:
            plain = [a for a in assigns if not a.conditional]
            return module, (plain or assigns)[-1]
        # ``from .base import *`` chains of settings modules
        for b in reversed(syms.bindings):
            if b.scope == "" and (b.name == "*" or b.name == name):
                target = b.target if b.name == "*" else b.target.rsplit(".", 1)[0]
                found = self._setting_in(target, name, seen)
                if found is not None:
                    return found
        return None

    # operators --------------------------------------------------------------
    def eval_BinOp(self, node: ast.BinOp) -> Value:
        left = self.eval(node.left)
        right = self.eval(node.right)
        if isinstance(node.op, ast.Add):
            if left.ok and right.ok:
                try:
                    return resolved(left.value + right.value, left.env_overridable or right.env_overridable)
                except TypeError:
                    return self.unknown(node, "unsupported operands")
            # string concatenation with an unknown part -> partial string
            if _stringish(left, node.left) and _stringish(right, node.right):
                ltxt = left.value if left.ok else _placeholder(left, node.left)
                rtxt = right.value if right.ok else _placeholder(right, node.right)
                return _string_value(str(ltxt) + str(rtxt), [left, right])
            return Value("unresolved", None, left.unknowns + right.unknowns)
        if isinstance(node.op, ast.Mod) and left.ok and isinstance(left.value, str) and right.ok:
            try:
                return resolved(left.value % right.value)
            except (TypeError, ValueError, KeyError):
                return self.unknown(node, "bad % formatting")
        if isinstance(node.op, ast.BitOr) and left.ok and right.ok:
            try:
                return resolved(left.value | right.value)
            except TypeError:
                pass
        if left.ok and right.ok and isinstance(left.value, (int, float)) and isinstance(right.value, (int, float)):
            ops = {ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b}
            fn = ops.get(type(node.op))
            if fn is not None:
                return resolved(fn(left.value, right.value))
        return self.unknown(node, "operation not folded")

    def eval_BoolOp(self, node: ast.BoolOp) -> Value:
        if isinstance(node.op, ast.Or):
            env = False
            for value in node.values:
                v = self.eval(value)
                if v.ok:
                    if v.value:
                        return Value("resolved", v.value, (), env or v.env_overridable)
                    continue
                if _is_env_read(value, self.p, self.module, self.scope):
                    env = True
                    continue
                return self.unknown(node, "'or' with an unresolved operand")
            last = self.eval(node.values[-1])
            return Value(last.status, last.value, last.unknowns, env or last.env_overridable)
        return self.unknown(node, "'and' is not folded")

    def eval_Compare(self, node: ast.Compare) -> Value:
        left = self.eval(node.left)
        env = left.env_overridable
        result = True
        for op, comparator in zip(node.ops, node.comparators):
            right = self.eval(comparator)
            if not (left.ok and right.ok):
                return self.unknown(node, "comparison of an unresolved value")
            env = env or right.env_overridable
            fn = _COMPARE.get(type(op))
            if fn is None:
                return self.unknown(node, "comparison not folded")
            try:
                ok = bool(fn(left.value, right.value))
            except TypeError:
                return self.unknown(node, "comparison not folded")
            result = result and ok
            left = right
        return Value("resolved", result, (), env)

    def eval_UnaryOp(self, node: ast.UnaryOp) -> Value:
        v = self.eval(node.operand)
        if not v.ok:
            return self.unknown(node, "operand not folded")
        try:
            if isinstance(node.op, ast.Not):
                return Value("resolved", not v.value, (), v.env_overridable)
            if isinstance(node.op, ast.USub):
                return Value("resolved", -v.value, (), v.env_overridable)
        except TypeError:
            pass
        return self.unknown(node, "operation not folded")

    def eval_IfExp(self, node: ast.IfExp) -> Value:
        test = self.eval(node.test)
        if test.ok:
            return self.eval(node.body if test.value else node.orelse)
        a, b = self.eval(node.body), self.eval(node.orelse)
        if a.ok and b.ok and a.value == b.value:
            return a
        return self.unknown(node, "depends on a condition")

    def eval_Subscript(self, node: ast.Subscript) -> Value:
        base_name = _dotted(node.value)
        if base_name and self.p.resolve_name(self.module, base_name, self.scope) in ("os.environ",):
            key = self.eval(node.slice)
            return self.unknown(node, f"environment variable {key.value!r} without a default" if key.ok else "environment variable")
        base = self.eval(node.value)
        key = self.eval(node.slice)
        if base.ok and key.ok:
            try:
                return resolved(base.value[key.value], base.env_overridable)
            except (KeyError, IndexError, TypeError):
                return self.unknown(node, "subscript not found")
        return self.unknown(node, "subscript of an unresolved value")

    def eval_Slice(self, node: ast.Slice) -> Value:
        parts = [self.eval(p) if p is not None else resolved(None) for p in (node.lower, node.upper, node.step)]
        if all(p.ok for p in parts):
            try:
                return resolved(slice(*(p.value for p in parts)))
            except TypeError:
                pass
        return self.unknown(node, "slice bounds not folded")

    # calls --------------------------------------------------------------------
    def eval_Call(self, node: ast.Call) -> Value:
        func = node.func
        name = _dotted(func)
        qualified = self.p.resolve_name(self.module, name, self.scope) if name else ""
        if qualified in _ENV_GETTERS or qualified.endswith("environ.get") or qualified.endswith(".getenv") or name in _ENV_GETTERS:
            if len(node.args) >= 2:
                d = self.eval(node.args[1])
                return Value(d.status, d.value, d.unknowns, True)
            for kw in node.keywords:
                if kw.arg == "default":
                    d = self.eval(kw.value)
                    return Value(d.status, d.value, d.unknowns, True)
            key = self.eval(node.args[0]) if node.args else Value("unresolved")
            return self.unknown(node, f"environment variable {key.value!r} without a default" if key.ok else "environment variable")
        if isinstance(func, ast.Attribute) and (
            not qualified.startswith(tuple(self.p._tops))
            or self.p.lookup(qualified).kind not in ("function", "class", "module")
        ):
            method = func.attr
            target = self.eval(func.value)
            if target.ok and isinstance(target.value, str):
                return self._str_method(target, method, node)
            if not target.ok and target.status == "partial" and isinstance(target.value, str) and method in ("rstrip", "lstrip", "strip"):
                return target
        if qualified in ("builtins.str",) and len(node.args) == 1:
            v = self.eval(node.args[0])
            return Value(v.status, str(v.value) if v.ok else v.value, v.unknowns, v.env_overridable)
        if qualified in ("builtins.list", "builtins.tuple") and len(node.args) == 1:
            v = self.eval(node.args[0])
            if v.ok and isinstance(v.value, (list, tuple)):
                return resolved(list(v.value) if qualified.endswith("list") else tuple(v.value))
            return v
        if qualified in ("builtins.dict",) and not node.args:
            out = {}
            for kw in node.keywords:
                if kw.arg is None:
                    return self.unknown(node, "dict(**...)")
                v = self.eval(kw.value)
                out[kw.arg] = v.value if v.ok else _Opaque(kw.value, self.module, v)
            return resolved(out)
        if not qualified:
            return self.unknown(node, "call of an expression")
        definition = self.p.lookup(qualified)
        if definition.kind == "class":
            return resolved(Instance(qualified, node, self.module))
        if definition.kind == "function":
            fn: FunctionInfo = definition.obj
            if fn.single_return is not None:
                env = self._bind_args(fn, node, definition.module)
                if env is not None:
                    return self.sub(definition.module, fn.qualname, env).eval(fn.single_return)
            elif getattr(fn, "guarded_returns", ()):
                env = self._bind_args(fn, node, definition.module)
                if env is not None:
                    return self.sub(definition.module, fn.qualname, env)._guarded(fn.guarded_returns, node)
            return self.unknown(node, f"result of calling {qualified}()")
        return self.unknown(node, f"result of calling {qualified}()")

    def _guarded(self, returns: Sequence[tuple[ast.expr | None, ast.expr]], call: ast.AST) -> Value:
        """Fold ``if t: return x ... return y``: the first test that folds true wins.

        A test that reads an environment variable with no default (``if p := os.environ.get("X"):``)
        is taken as unset, like ``os.environ.get("X") or "d"``, and the result is ``env_overridable``.
        """
        env_dependent = False
        for test, value in returns:
            if test is not None:
                probe = test.value if isinstance(test, ast.NamedExpr) else test
                t = self.eval(probe)
                if t.ok:
                    env_dependent = env_dependent or t.env_overridable
                    if not t.value:
                        continue
                elif _is_env_read(probe, self.p, self.module, self.scope):
                    env_dependent = True
                    continue
                else:
                    return self.unknown(call, "result depends on a condition")
            v = self.eval(value)
            return Value(v.status, v.value, v.unknowns, v.env_overridable or env_dependent)
        return self.unknown(call, "no return taken")

    def _bind_args(self, fn: FunctionInfo, call: ast.Call, fn_module: str) -> dict[str, Value] | None:
        env: dict[str, Value] = {}
        params = list(fn.params)
        if fn.is_method and params and params[0] in ("self", "cls"):
            params = params[1:]
        positional = [a for a in call.args]
        if any(isinstance(a, ast.Starred) for a in positional) or any(k.arg is None for k in call.keywords):
            return None
        for p, a in zip(params, positional):
            env[p] = self.eval(a)
        for kw in call.keywords:
            if kw.arg:
                env[kw.arg] = self.eval(kw.value)
        # defaults for the rest
        args = fn.args
        pos = args.posonlyargs + args.args
        defaults = dict(zip([a.arg for a in pos[len(pos) - len(args.defaults):]], args.defaults))
        defaults.update({a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None})
        for p in params:
            if p not in env and p in defaults:
                env[p] = self.sub(fn_module).eval(defaults[p])
        return env

    def _str_method(self, target: Value, method: str, node: ast.Call) -> Value:
        s = target.value
        args = [self.eval(a) for a in node.args]
        if not all(a.ok for a in args):
            if method == "join" and len(node.args) == 1:
                pass
            return self.unknown(node, f"str.{method} with unresolved arguments")
        vals = [a.value for a in args]
        try:
            if method in ("strip", "rstrip", "lstrip", "lower", "upper", "replace", "removeprefix", "removesuffix", "title",
                          "startswith", "endswith", "split", "rsplit", "partition", "rpartition"):
                return resolved(getattr(s, method)(*vals), target.env_overridable)
            if method == "join" and len(vals) == 1 and isinstance(vals[0], (list, tuple)):
                if all(isinstance(x, str) for x in vals[0]):
                    return resolved(s.join(vals[0]))
            if method == "format":
                kwargs = {}
                for kw in node.keywords:
                    v = self.eval(kw.value)
                    if not v.ok or kw.arg is None:
                        return self.unknown(node, "format with unresolved arguments")
                    kwargs[kw.arg] = v.value
                return resolved(s.format(*vals, **kwargs))
        except (TypeError, ValueError, KeyError, IndexError, AttributeError):
            pass
        return self.unknown(node, f"str.{method} not folded")


def _placeholder(v: Value, node: ast.AST) -> str:
    if v.status == "partial" and isinstance(v.value, str):
        return v.value
    return "{" + _unparse(node) + "}"


def _string_value(text: str, parts: Sequence[Value]) -> Value:
    unknowns = tuple(u for p in parts for u in p.unknowns)
    env = any(p.env_overridable for p in parts)
    if all(p.ok for p in parts):
        return Value("resolved", text, (), env)
    return Value("partial", text, unknowns, env)


def _stringish(v: Value, node: ast.AST) -> bool:
    if v.ok:
        return isinstance(v.value, str)
    if v.status == "partial" and isinstance(v.value, str):
        return True
    return not isinstance(node, (ast.List, ast.Tuple, ast.Dict, ast.Set, ast.Constant))


def _field_default(call: ast.Call) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == "default":
            return kw.value
    if call.args and not (isinstance(call.args[0], ast.Constant) and call.args[0].value is Ellipsis):
        return call.args[0]
    return None


_SETTINGS_BASES = {
    "pydantic_settings.BaseSettings",
    "pydantic.BaseSettings",
    "pydantic.v1.BaseSettings",
    "pydantic_settings.main.BaseSettings",
}


def _is_settings_class(p: Project, cls: str) -> bool:
    return p.is_subclass(cls, _SETTINGS_BASES)


def _is_env_read(node: ast.expr, p: Project, module: str, scope: str) -> bool:
    if isinstance(node, ast.Call):
        name = _dotted(node.func)
        q = p.resolve_name(module, name, scope) if name else ""
        return q in _ENV_GETTERS or q.endswith("environ.get") or q.endswith(".getenv")
    if isinstance(node, ast.Subscript):
        return _dotted(node.value).endswith("environ")
    return False


@dataclass(frozen=True)
class _Opaque:
    """A container element that did not fold; keeps the node so callers can report it."""

    node: ast.expr
    module: str
    value: Value

    def __repr__(self) -> str:
        return "{" + _unparse(self.node) + "}"


Opaque = _Opaque
