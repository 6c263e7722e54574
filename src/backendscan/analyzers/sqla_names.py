"""Names and conventions of SQLAlchemy, Flask-SQLAlchemy and SQLModel, as data.

Everything here is pure: the canonical names the resolver returns for library
objects, the implicit table-name algorithms (Flask-SQLAlchemy 2.x and 3.x,
SQLModel), and the Python-type -> SQL-type maps that ``Mapped[...]`` and
SQLModel annotations use when no explicit type is given.

The Flask-SQLAlchemy algorithms were written from a reading of
pallets-eco/flask-sqlalchemy ``flask_sqlalchemy/model.py`` (2.5.x) and
``src/flask_sqlalchemy/model.py`` (3.x): ``camel_to_snake_case`` and
``should_set_tablename``.
"""

from __future__ import annotations

import re

#: Top-level packages whose objects we recognise by their last dotted part.
LIBRARY_TOPS = frozenset({"sqlalchemy", "sqlmodel", "flask_sqlalchemy"})

COLUMN_CALLS = frozenset({"Column", "mapped_column"})
COLUMN_WRAPPERS = frozenset({"column_property", "deferred"})
NON_COLUMN_PROPERTIES = frozenset(
    {"synonym", "composite", "query_expression", "association_proxy", "hybrid_property", "dynamic_loader"}
)
RELATIONSHIP_CALLS = frozenset({"relationship", "relation"})
BACKREF_CALLS = frozenset({"backref"})
CONSTRAINTS = frozenset(
    {"ForeignKeyConstraint", "PrimaryKeyConstraint", "UniqueConstraint", "Index", "CheckConstraint"}
)
#: Positional ``Column`` arguments that are not the column type.
COLUMN_SCHEMA_ITEMS = frozenset(
    {
        "ForeignKey",
        "Sequence",
        "Identity",
        "Computed",
        "FetchedValue",
        "DefaultClause",
        "CheckConstraint",
        "UniqueConstraint",
        "Index",
        "text",
    }
)
DECLARATIVE_FACTORIES = frozenset({"declarative_base"})
DECLARATIVE_BASE_CLASSES = frozenset({"DeclarativeBase", "DeclarativeBaseNoMeta"})
MAPPED_ANNOTATIONS = frozenset({"Mapped", "WriteOnlyMapped", "DynamicMapped"})

#: Flask-SQLAlchemy extension classes (external spellings), besides subclasses in the project.
FSA_CLASSES = frozenset(
    {
        "flask_sqlalchemy.SQLAlchemy",
        "flask_sqlalchemy.extension.SQLAlchemy",
        "flask_appbuilder.SQLA",
        "flask_appbuilder.models.sqla.SQLA",
        "flask_appbuilder.models.sqla.base.SQLA",
    }
)
#: FSA default metaclasses (auto-naming on) when ``model_class=declarative_base(metaclass=...)``.
FSA_NAMING_METAS = frozenset(
    {
        "flask_sqlalchemy.model.DefaultMeta",
        "flask_sqlalchemy.model.NameMetaMixin",
        "flask_sqlalchemy.DefaultMeta",
    }
)

#: Declarative bases defined by third-party packages: canonical name -> orm label.
EXTERNAL_BASES = {
    "flask_appbuilder.Model": "sqlalchemy",
    "flask_appbuilder.models.sqla.Model": "sqlalchemy",
}
SQLMODEL_BASES = frozenset({"sqlmodel.SQLModel", "sqlmodel.main.SQLModel"})

#: SQLAlchemy 2.x default ``type_annotation_map`` (python type -> SQL type class name).
#: ``float`` maps to ``Float`` in 2.0 and to ``Double`` from 2.1 on (see :func:`mapped_python_types`).
MAPPED_PYTHON_TYPES = {
    "builtins.int": "Integer",
    "builtins.float": "Double",
    "builtins.str": "String",
    "builtins.bool": "Boolean",
    "builtins.bytes": "LargeBinary",
    "datetime.datetime": "DateTime",
    "datetime.date": "Date",
    "datetime.time": "Time",
    "datetime.timedelta": "Interval",
    "decimal.Decimal": "Numeric",
    "uuid.UUID": "Uuid",
}
#: SQLModel ``get_sqlalchemy_type`` (python type -> SQL type class name).
SQLMODEL_PYTHON_TYPES = {
    "builtins.str": "AutoString",
    "pydantic.EmailStr": "AutoString",
    "pathlib.Path": "AutoString",
    "ipaddress.IPv4Address": "AutoString",
    "ipaddress.IPv4Network": "AutoString",
    "ipaddress.IPv6Address": "AutoString",
    "ipaddress.IPv6Network": "AutoString",
    "builtins.float": "Float",
    "builtins.bool": "Boolean",
    "builtins.int": "Integer",
    "datetime.datetime": "DateTime",
    "datetime.date": "Date",
    "datetime.timedelta": "Interval",
    "datetime.time": "Time",
    "builtins.bytes": "LargeBinary",
    "decimal.Decimal": "Numeric",
    "uuid.UUID": "Uuid",
}
ENUM_BASES = frozenset({"enum.Enum", "enum.IntEnum", "enum.StrEnum", "enum.Flag", "enum.IntFlag", "enum.ReprEnum"})
OPTIONAL_NAMES = frozenset({"typing.Optional", "typing_extensions.Optional"})
UNION_NAMES = frozenset({"typing.Union", "typing_extensions.Union"})
ANNOTATED_NAMES = frozenset({"typing.Annotated", "typing_extensions.Annotated"})
LITERAL_NAMES = frozenset({"typing.Literal", "typing_extensions.Literal"})
CLASSVAR_NAMES = frozenset({"typing.ClassVar", "typing_extensions.ClassVar"})
#: Builtin names for which the resolver returns the bare name (no import needed).
PLAIN_BUILTIN_TYPES = {"int", "float", "str", "bool", "bytes", "dict", "list", "set", "tuple"}


def mapped_python_types(sqlalchemy_version: str) -> dict[str, str]:
    """The default annotation map of the pinned SQLAlchemy (unknown: the newest, 2.1)."""
    m = re.match(r"\s*(\d+)\.(\d+)", sqlalchemy_version or "")
    if m and (int(m.group(1)), int(m.group(2))) < (2, 1):
        return {**MAPPED_PYTHON_TYPES, "builtins.float": "Float"}
    return dict(MAPPED_PYTHON_TYPES)


def library_name(qualified: str) -> str:
    """Last dotted part of ``qualified`` when it names a SQLAlchemy/SQLModel/FSA object, else ""."""
    top = qualified.split(".", 1)[0]
    if top in LIBRARY_TOPS:
        return qualified.rsplit(".", 1)[-1]
    return ""


_FSA3_RE = re.compile(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))")
_FSA2_RE = re.compile(r"([A-Z]+)(?=[a-z0-9])")


def fsa3_table_name(class_name: str) -> str:
    """Flask-SQLAlchemy 3.x ``camel_to_snake_case`` (``UserID`` -> ``user_id``, ``MFA`` -> ``mfa``)."""
    return _FSA3_RE.sub(r"_\1", class_name).lower().lstrip("_")


def fsa2_table_name(class_name: str) -> str:
    """Flask-SQLAlchemy 2.x ``camel_to_snake_case`` (``UserID`` -> ``userID``, ``MFA`` -> ``MFA``)."""

    def join(match: re.Match[str]) -> str:
        word = match.group()
        if len(word) > 1:
            return f"_{word[:-1]}_{word[-1]}".lower()
        return "_" + word.lower()

    return _FSA2_RE.sub(join, class_name).lstrip("_")


def sqlmodel_table_name(class_name: str) -> str:
    """SQLModel's default ``__tablename__``: ``cls.__name__.lower()``."""
    return class_name.lower()


def fsa_major(version: str) -> int | None:
    """Major version of a pinned version string (None when unknown), e.g. Flask-SQLAlchemy's."""
    m = re.match(r"\s*(\d+)", version or "")
    return int(m.group(1)) if m else None
