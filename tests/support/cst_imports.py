"""A reference import extractor built on a full libcst parse.

backendscan extracts imports from CPython's ``ast`` (about 11x faster than
libcst).  This module walks a *libcst* tree instead, with its own scope
tracking, and is used by the tests and by ``benchmarks/compare_parsers.py`` to
show that the fast path agrees with the full libcst parse on every fixture and
on real code (issue 2, point 10).  It returns comparable tuples:
``(line, column, module, level, names, type_checking, lazy, dynamic)``.
"""

from __future__ import annotations

from typing import Any

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider


def _dotted(node: cst.BaseExpression | None) -> str:
    if node is None:
        return ""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr.value}" if base else ""
    return ""


def _is_tc(test: cst.BaseExpression) -> bool:
    return (isinstance(test, cst.Name) and test.value == "TYPE_CHECKING") or (
        isinstance(test, cst.Attribute) and test.attr.value == "TYPE_CHECKING"
    )


class _Collector(cst.CSTVisitor):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, text: str) -> None:
        self.out: list[tuple[Any, ...]] = []
        self.functions = 0
        self.tc = 0
        self.scan_dynamic = "import_module" in text or "__import__" in text
        self.dynamic_names = {"importlib.import_module", "__import__", "importlib.__import__"}
        self._if_stack: list[tuple[cst.If, bool]] = []

    # scopes ------------------------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions += 1

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions -= 1

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self.functions += 1

    def leave_Lambda(self, node: cst.Lambda) -> None:
        self.functions -= 1

    def visit_If(self, node: cst.If) -> bool:
        # walk the body with TYPE_CHECKING set, the else branch without
        tc = _is_tc(node.test)
        self.tc += tc
        node.body.visit(self)
        self.tc -= tc
        node.test.visit(self)
        if node.orelse is not None:
            node.orelse.visit(self)
        return False

    def _pos(self, node: cst.CSTNode) -> tuple[int, int]:
        p = self.get_metadata(PositionProvider, node).start
        return p.line, p.column + 1

    # imports -------------------------------------------------------------------
    def visit_Import(self, node: cst.Import) -> None:
        line, col = self._pos(node)
        for alias in node.names:
            name = _dotted(alias.name)
            if name == "importlib" and alias.asname is not None:
                self.dynamic_names.add(f"{_dotted(alias.asname.name)}.import_module")
            self.out.append((line, col, name, 0, (), self.tc > 0, self.functions > 0, False))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        line, col = self._pos(node)
        module = _dotted(node.module) if node.module is not None else ""
        level = len(node.relative)
        if isinstance(node.names, cst.ImportStar):
            names: tuple[str, ...] = ("*",)
        else:
            names = tuple(_dotted(a.name) for a in node.names)
            if module == "importlib" and not level:
                for a in node.names:
                    if _dotted(a.name) == "import_module":
                        self.dynamic_names.add(_dotted(a.asname.name) if a.asname else "import_module")
        self.out.append((line, col, module, level, names, self.tc > 0, self.functions > 0, False))

    def visit_Call(self, node: cst.Call) -> None:
        if not self.scan_dynamic or not node.args:
            return
        if _dotted(node.func) not in self.dynamic_names:
            return
        first = node.args[0].value
        if not isinstance(first, cst.SimpleString) or first.prefix.lower() not in ("", "u"):
            return
        name = first.evaluated_value
        if not isinstance(name, str):
            return
        name = name.strip()
        package = ""
        for a in node.args[1:]:
            if isinstance(a.value, cst.SimpleString) and (a.keyword is None or a.keyword.value == "package"):
                package = str(a.value.evaluated_value)
        level = len(name) - len(name.lstrip("."))
        if (not name.strip(".") and level == 0) or (level and not package):
            return
        line, col = self._pos(node)
        self.out.append((line, col, name.lstrip("."), level, (), self.tc > 0, self.functions > 0, True))


def cst_imports(text: str) -> list[tuple[Any, ...]]:
    """Imports of ``text`` from a full libcst parse (see the module docstring)."""
    module = cst.parse_module(text, config=cst.PartialParserConfig(python_version="3.14"))
    collector = _Collector(text)
    MetadataWrapper(module, unsafe_skip_copy=True).visit(collector)
    return sorted(collector.out)


def ast_imports(text: str, path: str = "x.py", module: str = "x", is_package: bool = False) -> list[tuple[Any, ...]]:
    """The same tuples from backendscan's own (ast-based) extractor."""
    from backendscan.imports import ImportExtractor
    from backendscan.parsing import parse_source
    from backendscan.visiting import walk

    parsed = parse_source(path, module, is_package, text.encode("utf-8")).module
    assert parsed is not None
    x = ImportExtractor(parsed)
    walk(parsed.tree, [x])
    return sorted(
        (r.line, r.column, r.module, r.level, r.names, r.type_checking, r.lazy, r.dynamic) for r in x.finish()
    )
