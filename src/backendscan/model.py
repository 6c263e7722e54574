"""Frozen data shared by every stage of a scan.

Facts (what exists: modules, imports, routes, models, tasks) are kept apart from
findings (what is wrong).  Every collection is a tuple sorted by a documented key
so that reports are byte-identical from run to run.

Position convention: ``line`` and ``column`` are **1-based**.  Python's ``ast``
gives 0-based columns; :func:`Location.of` converts them in one place.
"""

from __future__ import annotations

import ast
import enum
import hashlib
from dataclasses import dataclass, field
from typing import Any


class Severity(enum.Enum):
    """How bad a finding is; ordered so that ``max`` gives the worst."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]

    @classmethod
    def parse(cls, text: str) -> "Severity":
        """Read ``error``/``warning``/``info`` (also ``warn``, ``note``)."""
        key = text.strip().lower()
        aliases = {"warn": "warning", "note": "info", "notice": "info", "err": "error"}
        return cls(aliases.get(key, key))


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A place in a file: POSIX path relative to the scanned root, 1-based line/column."""

    path: str
    line: int = 0
    column: int = 0
    end_line: int = 0
    end_column: int = 0

    @classmethod
    def of(cls, path: str, node: ast.AST | None) -> "Location":
        """Location of an ``ast`` node (columns converted to 1-based)."""
        if node is None:
            return cls(path)
        line = getattr(node, "lineno", 0) or 0
        col = getattr(node, "col_offset", -1)
        end_line = getattr(node, "end_lineno", None) or line
        end_col = getattr(node, "end_col_offset", None)
        return cls(
            path,
            line,
            (col + 1) if col is not None and col >= 0 else 0,
            end_line,
            (end_col + 1) if end_col is not None and end_col >= 0 else 0,
        )

    def __str__(self) -> str:
        if self.line and self.column:
            return f"{self.path}:{self.line}:{self.column}"
        if self.line:
            return f"{self.path}:{self.line}"
        return self.path

    @property
    def short(self) -> str:
        """``path:line`` (or just the path)."""
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True, slots=True)
class ChainHop:
    """One import in a chain of imports: ``importer`` imports ``imported`` at ``location``."""

    importer: str
    imported: str
    location: Location
    code: str = ""


@dataclass(frozen=True, slots=True)
class Finding:
    """Something wrong (or worth knowing) at a location.

    ``fingerprint`` is built from rule, path, symbol and message but not the line,
    so baselines survive unrelated edits.
    """

    rule_id: str
    severity: Severity
    message: str
    location: Location
    symbol: str = ""
    hint: str = ""
    source: str = ""  # where the rule comes from, e.g. "RULES.md:12"
    chain: tuple[ChainHop, ...] = ()
    category: str = "scan"
    fingerprint_key: str = ""  # extra stable text for the fingerprint (overrides message)

    @property
    def fingerprint(self) -> str:
        basis = "\x1f".join(
            (self.rule_id, self.location.path, self.symbol, self.fingerprint_key or self.message)
        )
        return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:20]

    def sort_key(self) -> tuple[Any, ...]:
        return (
            self.location.path,
            self.location.line,
            self.location.column,
            self.rule_id,
            self.message,
        )


def sorted_findings(findings: "list[Finding] | tuple[Finding, ...]") -> tuple[Finding, ...]:
    """Findings in report order (path, line, column, rule, message), duplicates removed."""
    seen: set[tuple[Any, ...]] = set()
    out: list[Finding] = []
    for f in sorted(findings, key=Finding.sort_key):
        key = (f.sort_key(), f.severity, f.source, f.symbol)
        if key not in seen:
            seen.add(key)
            out.append(f)
    return tuple(out)


class FileKind(enum.Enum):
    """What role a file plays; tests and migrations stay out of the graph by default."""

    SOURCE = "source"
    TEST = "test"
    MIGRATION = "migration"


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A Python file found by discovery."""

    path: str  # POSIX, relative to the scanned root
    module: str  # dotted module name Python would use
    root: str  # import root, POSIX, relative to the scanned root ("." for the root itself)
    is_package: bool  # an __init__.py
    kind: FileKind
    size: int = 0
    mtime_ns: int = 0


@dataclass(frozen=True, slots=True)
class Skipped:
    """A path discovery did not scan, and why."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class ImportRoot:
    """A folder code is importable from, and why we think so."""

    path: str
    reason: str


class ImportKind(enum.Enum):
    """Where an import sits; an import can be several of these (see flags on ImportSite)."""

    NORMAL = "normal"
    LAZY = "lazy"
    TYPE_CHECKING = "type_checking"
    DYNAMIC = "dynamic"


class Origin(enum.Enum):
    """Classification of an import target."""

    FIRST_PARTY = "first_party"
    STDLIB = "stdlib"
    THIRD_PARTY = "third_party"
    UNRESOLVED = "unresolved"  # first-party name that matches no module


@dataclass(frozen=True, slots=True)
class ImportSite:
    """One import statement (or dynamic import call), resolved.

    ``target`` is the module the import points at: for first-party imports a
    module of the scan (``from pkg import sub`` -> ``pkg.sub`` when that module
    exists, else ``pkg``); for external imports the dotted name as written.
    """

    importer: str
    target: str
    origin: Origin
    location: Location
    code: str
    written: str  # the dotted name as written, relative dots included
    names: tuple[str, ...] = ()  # for ``from x import a, b``
    type_checking: bool = False
    lazy: bool = False
    dynamic: bool = False
    star: bool = False
    conditional: bool = False  # inside if/try at import time
    distribution: str = ""  # third party: the distribution that provides it, when known

    @property
    def kind(self) -> ImportKind:
        if self.dynamic:
            return ImportKind.DYNAMIC
        if self.type_checking:
            return ImportKind.TYPE_CHECKING
        if self.lazy:
            return ImportKind.LAZY
        return ImportKind.NORMAL

    @property
    def top_level(self) -> str:
        return self.target.split(".", 1)[0]

    def sort_key(self) -> tuple[Any, ...]:
        return (self.location.path, self.location.line, self.location.column, self.target)


@dataclass(frozen=True, slots=True)
class Module:
    """A first-party module of the scan."""

    name: str
    path: str  # "" for namespace packages without a file
    is_package: bool
    kind: FileKind
    root: str
    namespace: bool = False
    lines: int = 0
    parsed: bool = True


@dataclass(frozen=True, slots=True)
class Dependency:
    """A third-party distribution declared by the project."""

    name: str  # normalised (PEP 503) distribution name
    spec: str  # as written
    source: str  # e.g. "pyproject.toml:12"
    group: str = "main"  # main, optional:<extra>, dev, test, ...
    version: str = ""  # pinned version when a lock or == pin gives one


@dataclass(frozen=True, slots=True)
class Unresolved:
    """A part of a value that static analysis could not compute."""

    expr: str
    reason: str
    location: Location


def field_tuple() -> Any:
    """``field(default_factory=tuple)`` spelled once."""
    return field(default_factory=tuple)
