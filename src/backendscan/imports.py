"""Import statements: extraction per file and resolution against the scanned modules.

Extraction (:class:`ImportExtractor`, run in the per-file walk) records every
``import``/``from ... import`` wherever it sits, plus ``importlib.import_module``
and ``__import__`` calls with literal strings, as :class:`RawImport` values that
depend only on the file.  Resolution (:func:`resolve_imports`) turns them into
:class:`~backendscan.model.ImportSite` objects once the module set is known,
with grimp's semantics:

* ``import a.b.c`` points at ``a.b.c`` (or its nearest existing ancestor);
* ``from a import b`` points at ``a.b`` when that module exists, else at ``a``;
* relative imports are resolved from the importing module's package;
* self-imports are dropped (grimp drops them too).
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from typing import Any, Callable, Container, Iterable, Mapping, NamedTuple

from .model import Finding, ImportSite, Location, Origin, Severity
from .parsing import ParsedModule, source_segment
from .visiting import Context, FileVisitor, dotted_name

STDLIB = frozenset(sys.stdlib_module_names) | {"__future__"}


class RawImport(NamedTuple):
    """An import as written; independent of the rest of the scan.

    A named tuple rather than a dataclass: every warm run unpickles tens of
    thousands of these from the cache, and tuples load several times faster.
    """

    module: str  # dotted module as written, without leading dots
    level: int  # relative import level (0 = absolute)
    names: tuple[str, ...]  # imported names for ``from`` imports ("*" for star)
    is_from: bool
    line: int
    column: int  # 1-based
    end_line: int
    code: str
    type_checking: bool = False
    lazy: bool = False
    dynamic: bool = False
    conditional: bool = False
    package_kw: str = ""  # importlib.import_module(".x", package="pkg")

    @property
    def written(self) -> str:
        return "." * self.level + self.module


_DYNAMIC_FUNCS = frozenset({"importlib.import_module", "__import__", "importlib.__import__"})


class ImportExtractor(FileVisitor):
    """Collects :class:`RawImport` values during the batched walk."""

    def __init__(self, parsed: ParsedModule) -> None:
        self.parsed = parsed
        self.out: list[RawImport] = []
        text = parsed.text
        self.scan_dynamic = "import_module" in text or "__import__" in text
        self.dynamic_names = set(_DYNAMIC_FUNCS)

    @property
    def visit_stmt(self) -> Callable[[ast.stmt, Context], None] | None:  # type: ignore[override]
        # looked up once per walk; a property rather than an instance attribute holding a
        # bound method, which would make the visitor (and through it the tree) cyclic garbage
        return self._visit_stmt_dynamic if self.scan_dynamic else None

    def _flags(self, ctx: Context) -> dict[str, Any]:
        return {
            "type_checking": ctx.type_checking,
            "lazy": ctx.in_function,
            "conditional": ctx.conditional,
        }

    def _code(self, node: ast.AST) -> str:
        return source_segment(self.parsed.lines, node)

    def visit_Import(self, node: ast.Import, ctx: Context) -> None:
        flags = self._flags(ctx)
        code = self._code(node)
        for alias in node.names:
            if alias.name == "importlib" and alias.asname:
                self.dynamic_names.add(f"{alias.asname}.import_module")
            self.out.append(
                RawImport(
                    module=alias.name,
                    level=0,
                    names=(),
                    is_from=False,
                    line=node.lineno,
                    column=node.col_offset + 1,
                    end_line=node.end_lineno or node.lineno,
                    code=code,
                    **flags,
                )
            )

    def visit_ImportFrom(self, node: ast.ImportFrom, ctx: Context) -> None:
        if node.module == "importlib" and not node.level:
            for alias in node.names:
                if alias.name == "import_module":
                    self.dynamic_names.add(alias.asname or alias.name)
        self.out.append(
            RawImport(
                module=node.module or "",
                level=node.level or 0,
                names=tuple(a.name for a in node.names),
                is_from=True,
                line=node.lineno,
                column=node.col_offset + 1,
                end_line=node.end_lineno or node.lineno,
                code=self._code(node),
                **self._flags(ctx),
            )
        )

    def _visit_stmt_dynamic(self, stmt: ast.stmt, ctx: Context) -> None:
        for node in ctx.calls(stmt):
            if not node.args:
                continue
            if dotted_name(node.func) not in self.dynamic_names:
                continue
            first = node.args[0]
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                continue
            name = first.value.strip()
            package = ""
            for kw in node.keywords:
                if kw.arg == "package" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
                    package = kw.value.value
            if len(node.args) > 1 and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str):
                package = node.args[1].value
            level = len(name) - len(name.lstrip("."))
            if not name.strip(".") and level == 0:
                continue
            if level and not package:
                continue  # relative to a package only known at run time
            flags = self._flags(ctx)
            self.out.append(
                RawImport(
                    module=name.lstrip("."),
                    level=level,
                    names=(),
                    is_from=False,
                    line=node.lineno,
                    column=node.col_offset + 1,
                    end_line=node.end_lineno or node.lineno,
                    code=self._code(node),
                    dynamic=True,
                    package_kw=package,
                    **flags,
                )
            )

    def finish(self) -> tuple[RawImport, ...]:
        return tuple(self.out)


def absolute_base(importer: str, is_package: bool, level: int) -> str | None:
    """Package a relative import of ``level`` starts from; None when it climbs too high."""
    parts = importer.split(".")
    if not is_package:
        parts = parts[:-1]
    if level - 1 > len(parts) - 1 or (level - 1 == len(parts) and not parts):
        return None
    keep = len(parts) - (level - 1)
    if keep <= 0:
        return None
    return ".".join(parts[:keep])


def absolute_name(importer: str, is_package: bool, raw: RawImport) -> str | None:
    """The absolute dotted name a raw import refers to (module part), None if invalid."""
    if raw.level == 0:
        return raw.module
    if raw.dynamic and raw.package_kw:
        base: str | None = raw.package_kw
        base_parts = raw.package_kw.split(".")
        if raw.level - 1 >= len(base_parts):
            return None
        base = ".".join(base_parts[: len(base_parts) - (raw.level - 1)])
    else:
        base = absolute_base(importer, is_package, raw.level)
    if base is None:
        return None
    return f"{base}.{raw.module}" if raw.module else base


@dataclass(frozen=True)
class ResolvedImports:
    """Resolution output for the whole scan."""

    sites: tuple[ImportSite, ...]
    findings: tuple[Finding, ...]


def resolve_imports(
    importer: str,
    is_package: bool,
    path: str,
    raws: Iterable[RawImport],
    modules: Container[str],
    first_party_tops: frozenset[str],
    distribution_of: Mapping[str, str],
) -> tuple[list[ImportSite], list[Finding]]:
    """Resolve one module's raw imports."""
    sites: list[ImportSite] = []
    findings: list[Finding] = []
    for raw in raws:
        loc = Location(path, raw.line, raw.column, raw.end_line)
        absolute = absolute_name(importer, is_package, raw)
        if absolute is None:
            findings.append(
                Finding(
                    rule_id="import-beyond-top-level",
                    severity=Severity.WARNING,
                    message=f"relative import '{raw.written}' goes above the top-level package of {importer}",
                    location=loc,
                    symbol=importer,
                    hint="This import fails at run time unless the file is used outside its package.",
                )
            )
            continue
        if not absolute:
            continue
        top = absolute.split(".", 1)[0]
        star = raw.names == ("*",)
        if top in first_party_tops or raw.level:
            resolved: dict[str, list[str]] = {}  # target -> names, in first-seen order
            missing: list[str] = []
            if raw.is_from and raw.names and not star:
                for n in raw.names:
                    sub = f"{absolute}.{n}"
                    if sub in modules:
                        resolved.setdefault(sub, []).append(n)
                    elif absolute in modules:
                        resolved.setdefault(absolute, []).append(n)
                    elif absolute not in missing:
                        missing.append(absolute)
            elif absolute in modules:
                resolved[absolute] = list(raw.names)
            else:
                # ``import pkg.nothere`` fails at run time: a finding, no edge (grimp would
                # widen it to ``pkg``; that edge would not exist in the running program)
                missing.append(absolute)
            for wanted in missing:
                findings.append(
                    Finding(
                        rule_id="missing-module",
                        severity=Severity.WARNING,
                        message=f"'{raw.written}' names first-party module {wanted}, which does not exist in the scan",
                        location=loc,
                        symbol=importer,
                        fingerprint_key=wanted,
                        hint="Check the import, or the import roots backendscan chose (see the report).",
                    )
                )
            for target, names in resolved.items():
                if target == importer:
                    continue  # self-imports are not dependencies (grimp drops them too)
                sites.append(
                    ImportSite(
                        importer, target, Origin.FIRST_PARTY, loc, raw.code, raw.written, tuple(names),
                        raw.type_checking, raw.lazy, raw.dynamic, star, raw.conditional, "",
                    )
                )
        else:
            origin = Origin.STDLIB if top in STDLIB else Origin.THIRD_PARTY
            dist = distribution_of.get(top, "") if origin is Origin.THIRD_PARTY else ""
            sites.append(
                ImportSite(
                    importer, absolute, origin, loc, raw.code, raw.written, raw.names,
                    raw.type_checking, raw.lazy, raw.dynamic, star, raw.conditional, dist,
                )
            )
    return sites, findings
