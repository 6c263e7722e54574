"""Per-module symbol tables: what each name in a module is bound to.

Extracted once per file (and cached), they let whole-program resolution follow
names through imports and re-exports, fold constants across modules, and walk
class hierarchies, without re-reading any source.  Expressions are kept as
``ast`` nodes (they pickle) so analyzers can evaluate them later.
"""

from __future__ import annotations

import ast
import pickle
from dataclasses import dataclass
from functools import cached_property
from typing import Callable, Iterable, Iterator

from .imports import absolute_name, RawImport
from .parsing import ParsedModule
from .visiting import Context, FileVisitor, dotted_name, walk_nodes


@dataclass(frozen=True)
class ImportBinding:
    """``name`` (in ``scope``) is bound by an import to the absolute dotted ``target``."""

    name: str
    target: str
    line: int
    scope: str = ""  # "" = module level; else qualified name of the function/class
    is_module: bool = False  # ``import x.y`` binds a module (``from`` binds a member or module)
    type_checking: bool = False


@dataclass(frozen=True)
class Assignment:
    """``target = value`` (also ``target: annotation = value``, ``target += value``, for-targets)."""

    target: str  # "name", "obj.attr" or "name[<key>]"
    value: ast.expr | None
    line: int
    scope: str = ""
    annotation: ast.expr | None = None
    op: str = "="  # "=", "+=", ":" (annotation only), "for", "with", "walrus", "unpack"
    conditional: bool = False
    conditions: tuple[tuple[ast.expr, bool], ...] = ()


@dataclass(frozen=True)
class FunctionInfo:
    """The header of a function or method (body not kept)."""

    name: str
    qualname: str  # Python __qualname__ (``f.<locals>.g``)
    line: int
    end_line: int
    decorators: tuple[ast.expr, ...]
    args: ast.arguments
    returns: ast.expr | None
    is_async: bool
    docstring: str
    scope: str  # enclosing scope qualname ("" = module)
    is_method: bool = False
    decorator_line: int = 0  # line of the first decorator (or the def line)
    single_return: ast.expr | None = None  # X when the body is just ``return X`` (after a docstring and local imports)
    params: tuple[str, ...] = ()  # parameter names in order (positional, then keyword-only)
    # ``if t1: return x1`` ... ``return y`` bodies as ((t1, x1), ..., (None, y)); () otherwise
    guarded_returns: tuple[tuple[ast.expr | None, ast.expr], ...] = ()


@dataclass(frozen=True)
class ClassInfo:
    """A class statement: bases, keywords, decorators and the names its body defines."""

    name: str
    qualname: str
    line: int
    end_line: int
    bases: tuple[ast.expr, ...]
    keywords: tuple[ast.keyword, ...]
    decorators: tuple[ast.expr, ...]
    docstring: str
    scope: str
    methods: tuple[str, ...] = ()
    attributes: tuple[str, ...] = ()


@dataclass(frozen=True)
class CallSite:
    """A call in the module: dotted callee as written, where, and in which scope."""

    callee: str
    line: int
    column: int
    scope: str
    in_async: bool = False
    node: ast.Call | None = None


@dataclass(frozen=True)
class ModuleSymbols:
    """Everything a module binds, in source order.

    Import bindings and classes are loaded eagerly (name resolution and class
    hierarchies need them for every module); assignments, function headers and
    call sites are pickled separately inside one blob and each is unpickled on
    first use, so a warm scan only pays for the modules, and the parts, that an
    analyzer or check actually looks into (a check over call sites does not pay
    for the assignment trees: 1.9 s of nautobot's 2.3 s of checks did).
    """

    module: str
    bindings: tuple[ImportBinding, ...] = ()
    classes: tuple[ClassInfo, ...] = ()
    all_names: tuple[str, ...] | None = None
    docstring: str = ""
    detail_blob: bytes = b""
    #: (scope, name) of every assignment and of every def: a name lookup unpickles
    #: the assignments (or the function headers) only when that scope binds that name
    assigned_in: frozenset[tuple[str, str]] = frozenset()
    defined_in: frozenset[tuple[str, str]] = frozenset()

    @cached_property
    def _parts(self) -> tuple[bytes, bytes, bytes, bytes]:
        if not self.detail_blob:
            return (b"", b"", b"", b"")
        return pickle.loads(self.detail_blob)  # type: ignore[no-any-return]

    def _part(self, i: int) -> tuple[object, ...]:
        blob = self._parts[i]
        return pickle.loads(blob) if blob else ()  # type: ignore[no-any-return]

    @cached_property
    def assignments(self) -> tuple[Assignment, ...]:
        return self._part(0)  # type: ignore[return-value]

    @cached_property
    def functions(self) -> tuple[FunctionInfo, ...]:
        return self._part(1)  # type: ignore[return-value]

    @cached_property
    def calls(self) -> tuple[CallSite, ...]:
        return self._part(2)  # type: ignore[return-value]

    @cached_property
    def bare_excepts(self) -> tuple[int, ...]:
        return self._part(3)  # type: ignore[return-value]

    @cached_property
    def _index(self) -> dict[str, object]:
        return {}

    def __getstate__(self) -> dict[str, object]:
        return {
            k: getattr(self, k)
            for k in ("module", "bindings", "classes", "all_names", "docstring", "detail_blob", "assigned_in", "defined_in")
        }

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)

    def module_level(self, name: str) -> list[object]:
        """Module-level bindings of ``name`` (imports, assignments, defs, classes), in order."""
        key = "ml:" + name
        if key not in self._index:
            self._index[key] = self.in_scope(name, "")
        return self._index[key]  # type: ignore[return-value]

    def in_scope(self, name: str, scope: str) -> list[object]:
        """Bindings of ``name`` made directly in ``scope`` ("" = module level), in source order."""
        key = (scope, name)
        found: list[tuple[int, object]] = list(self._declared.get(key, ()))
        if key in self.assigned_in:
            found.extend(self._assigned.get(key, ()))
        if key in self.defined_in:
            found.extend(self._defined.get(key, ()))
        found.sort(key=lambda t: t[0])
        return [o for _, o in found]

    # (scope, name) -> [(line, binding)] in source order: name resolution asks a module about one
    # name in one scope tens of thousands of times (every call in Polar's async functions), and a
    # scan of every import and class per question was a third of the blocking-call check
    @cached_property
    def _declared(self) -> dict[tuple[str, str], list[tuple[int, object]]]:
        return _by_scope_and_name(self.bindings, self.classes)

    @cached_property
    def _assigned(self) -> dict[tuple[str, str], list[tuple[int, object]]]:
        return _by_scope_and_name(self.assignments)

    @cached_property
    def _defined(self) -> dict[tuple[str, str], list[tuple[int, object]]]:
        return _by_scope_and_name(self.functions)

    def cls(self, qualname: str) -> ClassInfo | None:
        key = "c:" + qualname
        if key not in self._index:
            self._index[key] = next((c for c in self.classes if c.qualname == qualname), None)
        return self._index[key]  # type: ignore[return-value]

    def function(self, qualname: str) -> FunctionInfo | None:
        key = "f:" + qualname
        if key not in self._index:
            self._index[key] = next((f for f in self.functions if f.qualname == qualname), None)
        return self._index[key]  # type: ignore[return-value]

    def class_assignments(self, qualname: str) -> list[Assignment]:
        """Assignments made directly in a class body, in order."""
        return [a for a in self.assignments if a.scope == qualname]

    def scope_assignments(self, scope: str) -> Iterator[Assignment]:
        return (a for a in self.assignments if a.scope == scope)


def _by_scope_and_name(*groups: Iterable[object]) -> dict[tuple[str, str], list[tuple[int, object]]]:
    """(scope, name) -> [(line, binding)] over ``groups`` in order (import bindings, classes,
    function headers by ``name``; assignments by ``target``), each group in source order."""
    index: dict[tuple[str, str], list[tuple[int, object]]] = {}
    for group in groups:
        for x in group:
            name = x.target if isinstance(x, Assignment) else x.name  # type: ignore[attr-defined]
            index.setdefault((x.scope, name), []).append((x.line, x))  # type: ignore[attr-defined]
    return index


def _docstring(body: list[ast.stmt]) -> str:
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        v = body[0].value.value
        if isinstance(v, str):
            return v.strip()
    return ""


def _statements(body: list[ast.stmt]) -> list[ast.stmt]:
    """A function body without its docstring, leading local imports and local def/class statements.

    Imports, ``def`` and ``class`` only bind names (the symbol table records them in the
    function's scope), so a class factory (``class C(APIRouter): ...`` then ``return C``,
    Polar's ``get_api_router_class``) has a single return like a one-line helper.
    """
    stmts = body[1:] if _docstring(body) else body
    i = 0
    while i < len(stmts) and isinstance(stmts[i], (ast.Import, ast.ImportFrom)):
        i += 1
    return [s for s in stmts[i:] if not isinstance(s, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))]


def _single_return(stmts: list[ast.stmt]) -> ast.expr | None:
    """X when ``stmts`` (a body's :func:`_statements`) are just ``return X``."""
    if len(stmts) == 1 and isinstance(stmts[0], ast.Return):
        return stmts[0].value
    return None


def _guarded_returns(stmts: list[ast.stmt]) -> tuple[tuple[ast.expr | None, ast.expr], ...]:
    """``if t: return x`` clauses followed by a final ``return y`` (nothing else) in ``stmts`` (a
    body's :func:`_statements`), else ()."""
    if len(stmts) < 2 or not isinstance(stmts[-1], ast.Return) or stmts[-1].value is None:
        return ()
    out: list[tuple[ast.expr | None, ast.expr]] = []
    for st in stmts[:-1]:
        if not (
            isinstance(st, ast.If)
            and not st.orelse
            and len(st.body) == 1
            and isinstance(st.body[0], ast.Return)
            and st.body[0].value is not None
        ):
            return ()
        out.append((st.test, st.body[0].value))
    out.append((None, stmts[-1].value))
    return tuple(out)


def _target_text(node: ast.expr) -> str:
    if isinstance(node, (ast.Name, ast.Attribute)):
        return dotted_name(node)
    if isinstance(node, ast.Subscript):
        base = dotted_name(node.value)
        key = node.slice
        if base and isinstance(key, ast.Constant) and isinstance(key.value, (str, int)):
            return f"{base}[{key.value!r}]"
    return ""


class SymbolExtractor(FileVisitor):
    """Builds :class:`ModuleSymbols` during the batched walk.

    ``calls=False`` is the table of a test module: no call sites and no assignments
    made inside functions.  What reads call sites (the checks, RULES.md bans, stack
    evidence) looks at application code only, and what reads a test module's table
    (model and URLconf analyzers for models and urlpatterns defined in tests, name
    resolution through imports) reads module and class scopes.  On saleor's 1,725
    test modules, 98% of the assignments were locals of test functions (31 MB
    pickled), and call sites were a fifth of the walk.
    """

    def __init__(self, parsed: ParsedModule, calls: bool = True) -> None:
        self.parsed = parsed
        self.full = calls  # application code: call sites and functions' locals too
        # the per-statement pass also records walrus assignments (outside functions in a test module)
        self._per_statement = calls or ":=" in parsed.text
        self.bindings: list[ImportBinding] = []
        self.assignments: list[Assignment] = []
        self.functions: list[FunctionInfo] = []
        self.classes: list[ClassInfo] = []
        self.calls: list[CallSite] = []
        self.bare: list[int] = []
        self.all_names: tuple[str, ...] | None = None
        self._class_members: dict[str, tuple[list[str], list[str]]] = {}

    # -- imports ---------------------------------------------------------
    def visit_Import(self, node: ast.Import, ctx: Context) -> None:
        for alias in node.names:
            if alias.asname:
                self.bindings.append(
                    ImportBinding(alias.asname, alias.name, node.lineno, ctx.scope, True, ctx.type_checking)
                )
            else:
                top = alias.name.split(".", 1)[0]
                self.bindings.append(
                    ImportBinding(top, top, node.lineno, ctx.scope, True, ctx.type_checking)
                )

    def visit_ImportFrom(self, node: ast.ImportFrom, ctx: Context) -> None:
        raw = RawImport(node.module or "", node.level or 0, (), True, node.lineno, 1, node.lineno, "")
        base = absolute_name(self.parsed.module, self.parsed.is_package, raw)
        if not base:
            return
        for alias in node.names:
            if alias.name == "*":
                self.bindings.append(ImportBinding("*", base, node.lineno, ctx.scope, True, ctx.type_checking))
                continue
            self.bindings.append(
                ImportBinding(
                    alias.asname or alias.name,
                    f"{base}.{alias.name}",
                    node.lineno,
                    ctx.scope,
                    False,
                    ctx.type_checking,
                )
            )

    # -- definitions -----------------------------------------------------
    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, ctx: Context) -> None:
        prefix = ctx.qualname
        qual = f"{prefix}.{node.name}" if prefix else node.name
        first = min([d.lineno for d in node.decorator_list] + [node.lineno])
        stmts = _statements(node.body)
        self.functions.append(
            FunctionInfo(
                name=node.name,
                qualname=qual,
                line=node.lineno,
                end_line=node.end_lineno or node.lineno,
                decorators=tuple(node.decorator_list),
                args=node.args,
                returns=node.returns,
                is_async=isinstance(node, ast.AsyncFunctionDef),
                docstring=_docstring(node.body),
                scope=ctx.scope,
                is_method=ctx.in_class_body,
                decorator_line=first,
                single_return=_single_return(stmts),
                guarded_returns=_guarded_returns(stmts),
                params=tuple(
                    a.arg for a in node.args.posonlyargs + node.args.args + node.args.kwonlyargs
                ),
            )
        )
        if ctx.in_class_body:
            self._class_members[ctx.scope][0].append(node.name)

    visit_FunctionDef = _function
    visit_AsyncFunctionDef = _function

    def visit_ClassDef(self, node: ast.ClassDef, ctx: Context) -> None:
        prefix = ctx.qualname
        qual = f"{prefix}.{node.name}" if prefix else node.name
        self._class_members[qual] = ([], [])
        if ctx.in_class_body:
            self._class_members[ctx.scope][1].append(node.name)

    def leave_ClassDef(self, node: ast.ClassDef, ctx: Context) -> None:
        prefix = ctx.qualname
        qual = f"{prefix}.{node.name}" if prefix else node.name
        methods, attrs = self._class_members.pop(qual, ([], []))
        self.classes.append(
            ClassInfo(
                name=node.name,
                qualname=qual,
                line=node.lineno,
                end_line=node.end_lineno or node.lineno,
                bases=tuple(node.bases),
                keywords=tuple(node.keywords),
                decorators=tuple(node.decorator_list),
                docstring=_docstring(node.body),
                scope=ctx.scope,
                methods=tuple(methods),
                attributes=tuple(dict.fromkeys(attrs)),
            )
        )

    # -- assignments -----------------------------------------------------
    def _local_skipped(self, ctx: Context) -> bool:
        """Whether an assignment here is a function's local that this table leaves out."""
        return not self.full and ctx.in_function and not ctx.in_class_body

    def _add(self, target: ast.expr, value: ast.expr | None, node: ast.stmt, ctx: Context, op: str,
             annotation: ast.expr | None = None) -> None:
        if isinstance(target, (ast.Tuple, ast.List)):
            elts = target.elts
            vals = value.elts if isinstance(value, (ast.Tuple, ast.List)) and len(value.elts) == len(elts) else None
            for i, t in enumerate(elts):
                self._add(t, vals[i] if vals is not None else None, node, ctx, op if vals is not None else "unpack")
            return
        if isinstance(target, ast.Starred):
            self._add(target.value, None, node, ctx, "unpack")
            return
        text = _target_text(target)
        if not text:
            return
        self.assignments.append(
            Assignment(
                target=text,
                value=value,
                line=node.lineno,
                scope=ctx.scope,
                annotation=annotation,
                op=op,
                conditional=ctx.conditional,
                conditions=ctx.conditions(),
            )
        )
        if ctx.in_class_body and isinstance(target, ast.Name):
            self._class_members[ctx.scope][1].append(target.id)
        if text == "__all__" and ctx.scope == "" and isinstance(value, (ast.List, ast.Tuple)):
            names = [e.value for e in value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            self.all_names = tuple(names)

    def visit_Assign(self, node: ast.Assign, ctx: Context) -> None:
        if self._local_skipped(ctx):
            return
        for t in node.targets:
            self._add(t, node.value, node, ctx, "=")

    def visit_AnnAssign(self, node: ast.AnnAssign, ctx: Context) -> None:
        if self._local_skipped(ctx):
            return
        self._add(node.target, node.value, node, ctx, "=" if node.value is not None else ":", node.annotation)

    def visit_AugAssign(self, node: ast.AugAssign, ctx: Context) -> None:
        if self._local_skipped(ctx):
            return
        op = {ast.Add: "+=", ast.BitOr: "|=", ast.Sub: "-="}.get(type(node.op), "op=")
        self._add(node.target, node.value, node, ctx, op)

    def visit_For(self, node: ast.For, ctx: Context) -> None:
        if self._local_skipped(ctx):
            return
        self._add(node.target, None, node, ctx, "for")

    visit_AsyncFor = visit_For

    def visit_Try(self, node: ast.Try, ctx: Context) -> None:
        for h in node.handlers:
            if h.type is None:
                self.bare.append(h.lineno)

    visit_TryStar = visit_Try

    # -- calls (every statement's expressions) ----------------------------
    @property
    def visit_stmt(self) -> Callable[[ast.stmt, Context], None] | None:  # type: ignore[override]
        # a property, not a bound method stored on the instance (which would be a reference cycle)
        return self._visit_stmt if self._per_statement else None

    def _visit_stmt(self, stmt: ast.stmt, ctx: Context) -> None:
        if isinstance(stmt, (ast.Import, ast.ImportFrom, ast.Pass, ast.Break, ast.Continue, ast.Global, ast.Nonlocal)):
            return
        scope = ctx.scope
        fn = ctx.function
        in_async = isinstance(fn, ast.AsyncFunctionDef)
        nodes: Iterable[ast.AST]
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            # decorators, defaults, bases run in the enclosing scope (annotations are not calls made)
            exprs: list[ast.AST] = list(stmt.decorator_list)
            if isinstance(stmt, ast.ClassDef):
                exprs += stmt.bases + [k.value for k in stmt.keywords]
            else:
                exprs += [d for d in stmt.args.defaults + stmt.args.kw_defaults if d is not None]
            nodes = [n for e in exprs for n in walk_nodes(e)]
        else:
            nodes = ctx.expression_nodes(stmt)  # shared with the other visitors
        for node in nodes:
            if isinstance(node, ast.Call):
                if not self.full:
                    continue
                callee = dotted_name(node.func)
                if not callee and isinstance(node.func, ast.Attribute):
                    callee = "?." + node.func.attr
                if callee:
                    self.calls.append(
                        CallSite(callee, node.lineno, node.col_offset + 1, scope, in_async, None)
                    )
            elif isinstance(node, ast.NamedExpr) and isinstance(node.target, ast.Name) and not self._local_skipped(ctx):
                self.assignments.append(
                    Assignment(node.target.id, node.value, node.lineno, scope, op="walrus",
                               conditional=ctx.conditional)
                )

    def finish(self) -> ModuleSymbols:
        parts = (tuple(self.assignments), tuple(self.functions), tuple(self.calls), tuple(self.bare))
        detail = tuple(pickle.dumps(p, protocol=pickle.HIGHEST_PROTOCOL) if p else b"" for p in parts)
        return ModuleSymbols(
            module=self.parsed.module,
            bindings=tuple(self.bindings),
            classes=tuple(sorted(self.classes, key=lambda c: c.line)),
            all_names=self.all_names,
            docstring=_docstring(self.parsed.tree.body),
            detail_blob=pickle.dumps(detail, protocol=pickle.HIGHEST_PROTOCOL),
            assigned_in=frozenset((a.scope, a.target) for a in self.assignments),
            defined_in=frozenset((f.scope, f.name) for f in self.functions),
        )
