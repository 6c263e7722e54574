"""SQLAlchemy, Flask-SQLAlchemy and SQLModel models (analyzer ``sqlalchemy``).

Finds mapped classes and tables statically and reports them as
:class:`~backendscan.facts.OrmModel` facts: table (with how it was found:
``resolved`` literal/constant, ``derived`` from a naming rule, ``inherited``
for single-table inheritance, ``unresolved`` with the expression), columns
(type as written, nullability with SQLAlchemy's defaults, primary key,
unique, index), foreign keys (``table.column``), relationships (target class,
``back_populates``, ``backref``, ``secondary``), schema, inheritance and the
declarative base the model belongs to (``base``).

Supported::

    Base = declarative_base()                 class Base(DeclarativeBase): ...
    reg = registry(); @reg.mapped             reg.map_imperatively(Order, orders_table)
    db = SQLAlchemy(); class User(db.Model)   class Hero(SQLModel, table=True)
    Column = functools.partial(db.Column, nullable=False)
    def primary_key(): return Column(Integer, primary_key=True)
    @declared_attr.directive
    def __tablename__(cls): return CAMEL_TO_SNAKE.sub("_", cls.__name__).lower()

Flask-SQLAlchemy's implicit table names follow the version pinned by the
project (requirements, pyproject, lock files): 2.x ``UserID`` -> ``userID``,
3.x ``UserID`` -> ``user_id``; an unknown version uses the 3.x rules and says
so in a note.  Classes created with ``type(...)`` and table names that cannot
be computed are reported as findings, never guessed.

Configuration: ``[tool.backendscan] sqlalchemy-bases = ["pkg.Model"]`` names
extra declarative bases defined outside the project.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any, ClassVar

from ..facts import OrmModel
from ..model import Finding
from ..parsing import ParsedModule
from ..project import Project
from ..visiting import FileVisitor
from .base import AnalyzerOutput
from .sqla_bases import BaseFinder, Discovery, model_modules
from .sqla_link import Linker, table_unresolved_findings
from .sqla_models import ModelBuilder
from .sqla_names import fsa_major
from .sqla_summary import SqlaVisitor

#: A file is read only when it mentions one of these (model files always do: an import
#: of sqlalchemy/sqlmodel, ``db.Column(``, ``__tablename__``, ``__mapper_args__``...).
_KEYWORDS = (
    "sqlalchemy", "sqlmodel", "SQLAlchemy", "Column(", "Table(", "relationship(", "mapped_column", "Mapped[",
    "declared_attr", "declarative", "__tablename__", "__table__", "__abstract__", "__mapper_args__", "db.Model",
    "map_imperatively",
)


@dataclass(frozen=True)
class ModelScan:
    """The result of one model analysis (shared with the ``alembic`` analyzer)."""

    models: tuple[OrmModel, ...]
    findings: tuple[Finding, ...]
    notes: tuple[tuple[str, str], ...]
    discovery: Discovery


class _Holder:
    def __init__(self, project: Project, scan: ModelScan) -> None:
        self.project_ref = weakref.ref(project)
        self.scan = scan


_KEEP: dict[int, _Holder] = {}


def scan_models(project: Project, analyzer: str = "sqlalchemy") -> ModelScan:
    """Build the models of ``project`` (memoised per project object)."""
    key = id(project)
    held = _KEEP.get(key)
    if held is not None and held.project_ref() is project:
        return held.scan
    scan = _scan(project, analyzer)
    _KEEP.clear()  # one project at a time: keeps memory bounded
    _KEEP[key] = _Holder(project, scan)
    return scan


def _scan(project: Project, analyzer: str) -> ModelScan:
    notes: list[tuple[str, str]] = []
    version = project.dependency_version("flask-sqlalchemy")
    major = fsa_major(version)
    extra = _extra_bases(project)
    modules = model_modules(project, analyzer)
    disc = BaseFinder(project, modules, major, extra).find()
    if disc.fsa:
        if major is None:
            notes.append(
                ("sqlalchemy", "Flask-SQLAlchemy version not pinned in the project's requirements or lock files; "
                 "implicit table names follow the 3.x rules")
            )
        else:
            notes.append(("sqlalchemy", f"Flask-SQLAlchemy {version}: implicit table names follow the {major}.x rules"))
    summaries = dict(project.summaries_of(analyzer))
    builder = ModelBuilder(project, disc, summaries, major)
    drafts = builder.build()
    linker = Linker(project, builder.reader, drafts, builder.tables)
    models = linker.link()
    findings = builder.findings + linker.findings + table_unresolved_findings(models)
    return ModelScan(tuple(sorted(models, key=OrmModel.sort_key)), tuple(findings), tuple(notes), disc)


def _extra_bases(project: Project) -> dict[str, str]:
    try:
        raw: Any = project.config.get_extra("sqlalchemy-bases")
    except Exception:
        raw = None
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, (list, tuple)):
        return {}
    return {str(x): "sqlalchemy" for x in raw if isinstance(x, str) and x}


class SqlalchemyAnalyzer:
    """Analyzer plugin ``sqlalchemy`` (see the module docstring)."""

    name: ClassVar[str] = "sqlalchemy"
    version: ClassVar[str] = "3"

    def interested(self, module: str, text: str) -> bool:
        return any(k in text for k in _KEYWORDS)

    def visitor(self, parsed: ParsedModule) -> FileVisitor:
        return SqlaVisitor(parsed)

    def resolve(self, project: Project) -> AnalyzerOutput:
        scan = scan_models(project, self.name)
        return AnalyzerOutput(models=scan.models, findings=scan.findings, notes=scan.notes)
