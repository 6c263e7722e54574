"""Cyclomatic complexity and Halstead volume exactly as radon 6.0.1 computes them, in one walk.

``radon.visitors.ComplexityVisitor`` and ``radon.metrics.h_visit_ast`` are
generic ``ast.NodeVisitor`` subclasses: two method calls and a generator per
node, a fresh visitor per statement of every function and class body.  This
module computes the same numbers in one iterative traversal that dispatches on
``type(node)`` (about 8x less CPU), reproducing radon's rules and quirks:

Complexity (``ComplexityVisitor``):

* +1 for ``if``/``elif``, ``x if c else y`` and ``assert``; ``for``,
  ``async for`` and ``while`` +1, +1 more with an ``else``; ``try`` + one per
  ``except`` (+1 with an ``else``), but ``try``/``except*`` counts nothing;
  ``and``/``or`` + operands - 1; every comprehension ``for`` +1 plus its ``if``
  clauses; ``match`` + its cases, less one when some case's pattern is a bare
  capture or ``_``.  ``with``, ``lambda`` and ``async with`` count nothing.
* Nothing under an ``assert`` is looked at (a ``BoolOp`` in it adds nothing and
  its lines do not extend a block); nor are decorators, arguments, return
  annotations, class bases and keywords.
* A function is 1 + its body, without its closures (which are reported with
  their own complexity but counted nowhere else); a class is 1 + its body +
  its methods' complexities, reported divided by the number of methods
  (``int(real / n) + (n > 1)``).  Every ``def`` found in a class body (even in an
  ``if`` there) is a method; classes in a class are inner classes whose code is
  in no total; classes in a function are dropped with everything inside.
* A function ends at the largest ``lineno`` (a start line: a closing bracket or
  the rest of a multi-line string does not count) of the nodes radon visits in
  its *last* statement, its own line when that statement is a ``def``, a
  ``class`` or an ``assert``; a class at the largest over its body (not inside
  its methods or inner classes) and its methods' ends.
* The module total is 1 + module-level decisions + the top-level functions'
  and classes' complexities (the classes' undivided ones) less one each.

Halstead (``HalsteadVisitor``): every ``BinOp``, ``UnaryOp``, ``BoolOp``,
``AugAssign`` and ``Compare`` in the file, except in function decorators,
arguments and return annotations (a class's are walked), adds its operators
(by class name, distinct file-wide; one per ``and``/``or`` chain, one per
comparison of a chain) and operands (a ``Name`` by id, an ``Attribute`` by
attribute name, a ``Constant`` by value with Python's equality, so ``1``,
``1.0`` and ``True`` are one operand, any other node by identity) keyed by the
name of the innermost enclosing function (so two methods called ``save`` share
their operands).  The volume is radon's expression ``N * math.log(h, 2)`` on
the same counts, so the float is bit-identical.

The traversal is iterative: deep nesting, on which radon raises
``RecursionError``, is measured.  Equality with radon is tested on every
fixture file and on random programs (``tests/test_complexity.py``) and checked
on real projects by ``benchmarks/compare_complexity.py``.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Block:
    """One function, method or class as radon reports it."""

    name: str
    kind: str  # "function" | "method" | "class"
    line: int
    end_line: int
    complexity: int  # for a class radon's average: int(real / methods) + (methods > 1)
    closures: tuple[Block, ...] = ()  # functions defined in a function or method
    methods: tuple[Block, ...] = ()  # for classes
    inner_classes: tuple[Block, ...] = ()  # for classes


@dataclass(frozen=True, slots=True)
class TreeMetrics:
    """radon's complexity blocks and totals and Halstead volume of one module."""

    functions: tuple[Block, ...]  # module-level functions (also those under if/try/...)
    classes: tuple[Block, ...]  # module-level classes
    total_complexity: int  # ComplexityVisitor.total_complexity
    halstead_volume: float  # h_visit_ast(tree).total.volume (0.0 without operators)


# --- node tables ------------------------------------------------------------

#: the fields that may hold nodes, per node class (no ``ctx``, operators or identifiers)
_CHILD_FIELDS: dict[str, tuple[str, ...]] = {
    "Return": ("value",),
    "Delete": ("targets",),
    "Assign": ("targets", "value"),
    "AugAssign": ("target", "value"),
    "AnnAssign": ("target", "annotation", "value"),
    "For": ("target", "iter", "body", "orelse"),
    "AsyncFor": ("target", "iter", "body", "orelse"),
    "While": ("test", "body", "orelse"),
    "If": ("test", "body", "orelse"),
    "With": ("items", "body"),
    "AsyncWith": ("items", "body"),
    "Match": ("subject", "cases"),
    "Raise": ("exc", "cause"),
    "Try": ("body", "handlers", "orelse", "finalbody"),
    "TryStar": ("body", "handlers", "orelse", "finalbody"),
    "Import": ("names",),
    "ImportFrom": ("names",),
    "Global": (),
    "Nonlocal": (),
    "Expr": ("value",),
    "Pass": (),
    "Break": (),
    "Continue": (),
    "TypeAlias": ("name", "type_params", "value"),
    "BoolOp": ("values",),
    "NamedExpr": ("target", "value"),
    "BinOp": ("left", "right"),
    "UnaryOp": ("operand",),
    "Lambda": ("args", "body"),
    "IfExp": ("test", "body", "orelse"),
    "Dict": ("keys", "values"),
    "Set": ("elts",),
    "ListComp": ("elt", "generators"),
    "SetComp": ("elt", "generators"),
    "DictComp": ("key", "value", "generators"),
    "GeneratorExp": ("elt", "generators"),
    "Await": ("value",),
    "Yield": ("value",),
    "YieldFrom": ("value",),
    "Compare": ("left", "comparators"),
    "Call": ("func", "args", "keywords"),
    "FormattedValue": ("value", "format_spec"),
    "JoinedStr": ("values",),
    "Constant": (),
    "Attribute": ("value",),
    "Subscript": ("value", "slice"),
    "Starred": ("value",),
    "Name": (),
    "List": ("elts",),
    "Tuple": ("elts",),
    "Slice": ("lower", "upper", "step"),
    "comprehension": ("target", "iter", "ifs"),
    "ExceptHandler": ("type", "body"),
    "arguments": ("posonlyargs", "args", "vararg", "kwonlyargs", "kw_defaults", "kwarg", "defaults"),
    "arg": ("annotation",),
    "keyword": ("value",),
    "alias": (),
    "withitem": ("context_expr", "optional_vars"),
    "match_case": ("pattern", "guard", "body"),
    "MatchValue": ("value",),
    "MatchSingleton": (),
    "MatchSequence": ("patterns",),
    "MatchMapping": ("keys", "patterns"),
    "MatchClass": ("cls", "patterns", "kwd_patterns"),
    "MatchStar": (),
    "MatchAs": ("pattern",),
    "MatchOr": ("patterns",),
    "TypeVar": ("bound", "default_value"),
    "ParamSpec": ("default_value",),
    "TypeVarTuple": ("default_value",),
}


class _FieldTable(dict[type, tuple[str, ...]]):
    """type -> child fields; node classes of a newer Python get all their fields but ``ctx``."""

    def __missing__(self, t: type) -> tuple[str, ...]:
        if isinstance(t, type) and issubclass(t, ast.AST):
            fields = tuple(f for f in t._fields if f != "ctx")
        else:  # None, str, int... pushed as children: leaves
            fields = ()
        self[t] = fields
        return fields


def _node_class(name: str) -> type[ast.AST] | None:
    cls = getattr(ast, name, None)
    return cls if isinstance(cls, type) and issubclass(cls, ast.AST) else None


_FIELDS = _FieldTable()
_FIELDS[type(None)] = ()
for _name, _fields in _CHILD_FIELDS.items():
    _cls = _node_class(_name)
    if _cls is not None:
        _FIELDS[_cls] = tuple(f for f in _fields if f in _cls._fields)


def _subclasses(cls: type) -> list[type]:
    out = [cls]
    subs: list[type] = cls.__subclasses__()
    for sub in subs:
        out.extend(_subclasses(sub))
    return out


_FunctionDef = ast.FunctionDef
_AsyncFunctionDef = ast.AsyncFunctionDef
_ClassDef = ast.ClassDef
_Assert = ast.Assert
_If = ast.If
_IfExp = ast.IfExp
_For = ast.For
_AsyncFor = ast.AsyncFor
_While = ast.While
_Try = ast.Try
_comprehension = ast.comprehension
_Match = getattr(ast, "Match", None)
_BoolOp = ast.BoolOp
_BinOp = ast.BinOp
_UnaryOp = ast.UnaryOp
_AugAssign = ast.AugAssign
_Compare = ast.Compare
_Name = ast.Name
_Attribute = ast.Attribute
_Constant = ast.Constant
_Call = ast.Call
_keyword = ast.keyword
_Assign = ast.Assign
_Subscript = ast.Subscript
_Expr = ast.Expr
_Import = ast.Import
_ImportFrom = ast.ImportFrom

#: the rarer node classes the walk does something with besides descending
_SPECIAL = frozenset(
    c
    for c in (
        _FunctionDef, _AsyncFunctionDef, _ClassDef, _Assert, _If, _IfExp, _For, _AsyncFor, _While, _Try,
        _comprehension, _Match, _BoolOp, _BinOp, _UnaryOp, _AugAssign, _Compare,
    )
    if c is not None
)

#: radon's ComplexityVisitor has its own visit methods for these: they neither
#: record their line nor descend (the def and class bodies get visitors of their own)
_OPAQUE = frozenset([_FunctionDef, _AsyncFunctionDef, _ClassDef, _Assert])

#: node classes whose ``lineno`` radon's ``generic_visit`` records (``hasattr(node, 'lineno')``)
_LINED = frozenset(c for c in _subclasses(ast.AST) if "lineno" in getattr(c, "_attributes", ())) - _OPAQUE

#: children not worth a turn of the loop: nothing under them, no decision, no operator
#: (still pushed when lines are tracked, and when they come in a list)
_LEAVES = frozenset([type(None), _Name, _Constant])
_NONE = frozenset([type(None)])

#: ClassDef fields radon's Halstead visitor walks but its complexity visitor does not
_CLASS_HEAD = tuple(f for f in _ClassDef._fields if f not in ("name", "body"))

_MODULE, _FUNCTION, _CLASS = 0, 1, 2
_PENDING = Block("", "", 0, 0, 0)  # a scope's block until it is built


class _Scope:
    """A module, function or class being measured (mutable; becomes a Block)."""

    __slots__ = ("node", "kind", "context", "method", "complexity", "max_line", "functions", "classes", "block", "real")

    def __init__(self, node: Any, kind: int, context: str | None, method: bool) -> None:
        self.node = node  # the Module, FunctionDef, AsyncFunctionDef or ClassDef
        self.kind = kind
        self.context = context  # Halstead: name of the innermost enclosing function
        self.method = method  # a function found directly in a class body
        self.complexity = 0  # decision points in the body (outside nested defs and classes)
        self.max_line = 0  # largest line radon records in the tracked statements
        self.functions: list[_Scope] = []  # closures, methods or module functions
        self.classes: list[_Scope] = []  # inner classes, module classes (dropped in functions)
        self.block = _PENDING
        self.real = 0  # class: undivided complexity (what the module total adds up)


def _position(scope: _Scope) -> tuple[int, int]:
    node = scope.node
    return node.lineno, node.col_offset


def tree_metrics(tree: ast.Module) -> TreeMetrics:
    """radon's ``ComplexityVisitor.from_ast(tree)`` blocks and total and ``h_visit_ast(tree).total.volume``."""
    fields_of = _FIELDS
    special = _SPECIAL
    lined = _LINED
    FunctionDef, AsyncFunctionDef, ClassDef, Assert = _FunctionDef, _AsyncFunctionDef, _ClassDef, _Assert
    If, IfExp, For, AsyncFor, While, Try, comprehension, Match = _If, _IfExp, _For, _AsyncFor, _While, _Try, _comprehension, _Match
    BoolOp, BinOp, UnaryOp, AugAssign, Compare = _BoolOp, _BinOp, _UnaryOp, _AugAssign, _Compare
    Name, Attribute, Constant, Call, keyword, Assign, Subscript, Expr = (
        _Name, _Attribute, _Constant, _Call, _keyword, _Assign, _Subscript, _Expr
    )
    Import, ImportFrom = _Import, _ImportFrom
    list_ = list

    # Halstead, file-wide: operator class names; operands keyed by function name
    n_operators = 0
    n_operands = 0
    operators: set[str] = set()
    operands: set[tuple[str | None, object]] = set()
    add_operator = operators.add
    add_operand = operands.add

    module = _Scope(tree, _MODULE, None, False)
    scopes = [module]
    for scope in scopes:  # grows: nested defs and classes are measured after their parent
        node = scope.node
        kind = scope.kind
        ctx = scope.context
        body = node.body
        # (roots, count decisions, track lines): radon's complexity visitor counts
        # the body; it ends a function at the last line it sees in the function's
        # last statement and a class at the last line in its body; its Halstead
        # visitor also walks a class's bases, keywords and decorators
        segments: list[tuple[list[Any], bool, bool]]
        if kind == _FUNCTION:
            segments = [(body[:-1], True, False), (body[-1:], True, True)]
        elif kind == _CLASS:
            head: list[Any] = []
            for field in _CLASS_HEAD:
                head.extend(getattr(node, field))
            segments = [(body, True, True), (head, False, False)]
        else:
            segments = [(body, True, False)]
        cc = 0
        max_line = 0
        for roots, counted, track in segments:  # grows: assert statements add theirs
            leaves = _NONE if track else _LEAVES
            out: list[Any] = list_(roots)  # grows: breadth-first, like visiting.walk_nodes
            append = out.append
            extend = out.extend
            c = 0
            for n in out:
                t = type(n)
                if track and t in lined:
                    line = n.lineno
                    if line > max_line:
                        max_line = line
                # the most frequent classes first, with their children inline
                if t is Name or t is Constant:
                    continue
                if t is Attribute:
                    v = n.value
                    if not track:
                        while type(v) is Attribute:
                            v = v.value
                    if type(v) not in leaves:
                        append(v)
                    continue
                if t is Call:
                    v = n.func
                    if type(v) not in leaves:
                        append(v)
                    v = n.args
                    if v:
                        extend(v)
                    v = n.keywords
                    if v:
                        extend(v)
                    continue
                if t is Assign:
                    extend(n.targets)
                    v = n.value
                    if type(v) not in leaves:
                        append(v)
                    continue
                if t is keyword or t is Expr:
                    v = n.value
                    if type(v) not in leaves:
                        append(v)
                    continue
                if t is Subscript:
                    v = n.value
                    if type(v) not in leaves:
                        append(v)
                    v = n.slice
                    if type(v) not in leaves:
                        append(v)
                    continue
                if t is ImportFrom or t is Import:
                    if track:  # the aliases have a line and nothing else
                        extend(n.names)
                    continue
                if t in special:
                    # Halstead operands: a Name by id, an Attribute by attribute
                    # name, a Constant by value, any other node by identity
                    if t is Compare:
                        ops = n.ops
                        n_operators += len(ops)
                        for op in ops:
                            add_operator(type(op).__name__)
                        v = n.comparators
                        n_operands += len(v) + 1
                        for o in v:
                            to = type(o)
                            add_operand((ctx, o.id if to is Name else o.attr if to is Attribute else o.value if to is Constant else o))
                        extend(v)
                        o = n.left
                        to = type(o)
                        add_operand((ctx, o.id if to is Name else o.attr if to is Attribute else o.value if to is Constant else o))
                        if to not in leaves:
                            append(o)
                        continue
                    if t is FunctionDef or t is AsyncFunctionDef:
                        child = _Scope(n, _FUNCTION, n.name, kind == _CLASS)
                        scope.functions.append(child)
                        scopes.append(child)
                        continue
                    if t is Assert:
                        # visit_Assert: +1 and no generic_visit, so nothing in it
                        # counts; the Halstead visitor still walks it
                        c += 1
                        segments.append(([n.test, n.msg], False, False))
                        continue
                    if t is BinOp:
                        # operand keys are spelled out per case, not in a helper: a call per
                        # operand was a third of this loop's time
                        n_operators += 1
                        n_operands += 2
                        add_operator(type(n.op).__name__)
                        o = n.left
                        to = type(o)
                        add_operand((ctx, o.id if to is Name else o.attr if to is Attribute else o.value if to is Constant else o))
                        if to not in leaves:
                            append(o)
                        o = n.right
                        to = type(o)
                        add_operand((ctx, o.id if to is Name else o.attr if to is Attribute else o.value if to is Constant else o))
                        if to not in leaves:
                            append(o)
                        continue
                    if t is UnaryOp:
                        n_operators += 1
                        n_operands += 1
                        add_operator(type(n.op).__name__)
                        o = n.operand
                        to = type(o)
                        add_operand((ctx, o.id if to is Name else o.attr if to is Attribute else o.value if to is Constant else o))
                        if to not in leaves:
                            append(o)
                        continue
                    if t is ClassDef:
                        child = _Scope(n, _CLASS, ctx, False)
                        scope.classes.append(child)
                        scopes.append(child)
                        continue
                    if t is BoolOp:
                        v = n.values
                        c += len(v) - 1
                        n_operators += 1
                        n_operands += len(v)
                        add_operator(type(n.op).__name__)
                        for o in v:
                            to = type(o)
                            add_operand((ctx, o.id if to is Name else o.attr if to is Attribute else o.value if to is Constant else o))
                        extend(v)
                        continue
                    if t is AugAssign:
                        n_operators += 1
                        n_operands += 2
                        add_operator(type(n.op).__name__)
                        o = n.target
                        to = type(o)
                        add_operand((ctx, o.id if to is Name else o.attr if to is Attribute else o.value if to is Constant else o))
                        if to not in leaves:
                            append(o)
                        o = n.value
                        to = type(o)
                        add_operand((ctx, o.id if to is Name else o.attr if to is Attribute else o.value if to is Constant else o))
                        if to not in leaves:
                            append(o)
                        continue
                    # decisions; the children are pushed below
                    if t is If or t is IfExp:
                        c += 1
                    elif t is comprehension:
                        c += len(n.ifs) + 1
                    elif t is For or t is While or t is AsyncFor:
                        c += 2 if n.orelse else 1
                    elif t is Try:  # not TryStar: radon tests the class name
                        c += len(n.handlers) + (1 if n.orelse else 0)
                    elif t is Match:
                        # minus one when some case's pattern is a MatchAs without a
                        # sub-pattern: ``case _:`` and also a capture ``case x:``
                        v = n.cases
                        wild = 0
                        for case in v:
                            if getattr(case.pattern, "pattern", False) is None:
                                wild = 1
                                break
                        c += max(0, len(v) - wild)
                for f in fields_of[t]:
                    v = getattr(n, f)
                    if type(v) is list_:
                        extend(v)
                    elif type(v) not in leaves:
                        append(v)
            if counted:
                cc += c
        scope.complexity = cc
        scope.max_line = max_line

    # build the blocks bottom-up (a scope is discovered after its parent), in
    # radon's order: by position (the walk is breadth-first)
    for scope in reversed(scopes):
        node = scope.node
        kind = scope.kind
        functions = scope.functions
        if len(functions) > 1:
            functions.sort(key=_position)
        classes = scope.classes
        if len(classes) > 1:
            classes.sort(key=_position)
        line = node.lineno if kind != _MODULE else 0
        if kind == _FUNCTION:
            scope.block = Block(
                node.name,
                "method" if scope.method else "function",
                line,
                max(line, scope.max_line),
                1 + scope.complexity,
                closures=tuple([fn.block for fn in functions]),
            )
        elif kind == _CLASS:
            methods = tuple([fn.block for fn in functions])
            end = max(line, scope.max_line)
            real = 1 + scope.complexity
            for method in methods:
                real += method.complexity
                if method.end_line > end:
                    end = method.end_line
            scope.real = real
            count = len(methods)
            scope.block = Block(
                node.name,
                "class",
                line,
                end,
                int(real / float(count)) + (count > 1) if count else real,
                methods=methods,
                inner_classes=tuple([cl.block for cl in classes]),
            )

    total = 1 + module.complexity
    for fn in module.functions:
        total += fn.block.complexity - 1
    for cl in module.classes:
        total += cl.real - 1

    h1 = len(operators)
    h2 = len(operands)
    N = n_operators + n_operands
    h = h1 + h2
    volume = N * math.log(h, 2) if h != 0 else 0.0
    return TreeMetrics(
        tuple([fn.block for fn in module.functions]),
        tuple([cl.block for cl in module.classes]),
        total,
        volume,
    )


def radon_tree_metrics(tree: ast.Module) -> TreeMetrics:
    """The same result computed by radon itself (slow: for tests and benchmarks)."""
    from radon.metrics import h_visit_ast
    from radon.visitors import ComplexityVisitor

    def function(f) -> Block:  # type: ignore[no-untyped-def]
        kind = "method" if f.is_method else "function"
        return Block(f.name, kind, f.lineno, f.endline, f.complexity, closures=tuple(map(function, f.closures)))

    def klass(c) -> Block:  # type: ignore[no-untyped-def]
        return Block(
            c.name,
            "class",
            c.lineno,
            c.endline,
            c.complexity,
            methods=tuple(map(function, c.methods)),
            inner_classes=tuple(map(klass, c.inner_classes)),
        )

    visitor = ComplexityVisitor.from_ast(tree)
    volume = h_visit_ast(tree).total.volume
    return TreeMetrics(
        tuple(map(function, visitor.functions)),
        tuple(map(klass, visitor.classes)),
        visitor.total_complexity,
        volume,
    )
