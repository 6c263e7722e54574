"""SQLAlchemy / Flask-SQLAlchemy / SQLModel models (analyzer ``sqlalchemy``).

Expectations are what SQLAlchemy itself builds for the same code: the table
(``Base.metadata.tables``), every column's name, type class (as written, or
the default ``type_annotation_map`` entry for ``Mapped[...]``), nullability
(SQLAlchemy's defaults: ``Column`` nullable unless primary key; ``mapped_column``
from ``Optional``/``| None``), foreign keys as ``table.column``
(``ForeignKey.target_fullname``), relationship targets, and which classes share
a table (single-table inheritance).  The Flask-SQLAlchemy names follow
pallets-eco/flask-sqlalchemy ``camel_to_snake_case`` of the 2.x and 3.x series.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from backendscan.analyzers.sqla_names import fsa2_table_name, fsa3_table_name, sqlmodel_table_name
from backendscan.config import load_config
from backendscan.facts import OrmModel
from backendscan.pipeline import ScanResult, scan
from backendscan.testing import scan_files, write_files

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "projects"
ANALYZERS = ("sqlalchemy", "alembic")


def _scan_dir(root: Path) -> ScanResult:
    config = load_config(root).with_overrides(use_cache=False, jobs=1, metrics=False, analyzers=ANALYZERS)
    return scan(root, config)


def _scan(tmp_path: Path, files: dict[str, str]) -> ScanResult:
    return scan_files(tmp_path, files, analyzers=ANALYZERS)


def _models(result: ScanResult) -> dict[str, OrmModel]:
    """Models by class (``table:<name>`` for a bare Table)."""
    return {m.class_name or f"table:{m.table}": m for m in result.models}


def _cols(m: OrmModel) -> list[tuple[str, str, bool | None, bool]]:
    """(name, type, nullable, primary_key) in declaration order (own first, then inherited)."""
    return [(c.name, c.type, c.nullable, c.primary_key) for c in m.columns]


def _fks(m: OrmModel) -> list[tuple[str, str, str]]:
    return [(f.column, f.references, f.on_delete) for f in m.foreign_keys]


def _rels(m: OrmModel) -> list[tuple[str, str, str, str, str, str]]:
    """(name, target, kind, back_populates, backref, secondary)."""
    return [(r.name, r.target, r.kind, r.back_populates, r.backref, r.secondary) for r in m.relationships]


def _table(m: OrmModel) -> tuple[str, str, str, str, str]:
    """(table, table_status, schema, inheritance, parent)."""
    return (m.table, m.table_status, m.schema, m.inheritance, m.parent)


def _findings(result: ScanResult, *rules: str) -> list[tuple[str, str, str]]:
    return [(f.rule_id, f.severity.value, f.location.short) for f in result.findings if f.rule_id in rules]


# --------------------------------------------------------------------- shop
def test_shop_tables_match_expected_md(fixtures):
    """EXPECTED.md section 3.5, every column, FK and relationship."""
    result = _scan_dir(fixtures / "shop")
    models = _models(result)
    assert sorted((m.table, m.class_name, f"{m.file}:{m.line}") for m in result.models) == [
        ("order_items", "shop.models.order.OrderItem", "shop/models/order.py:30"),
        ("orders", "shop.models.order.Order", "shop/models/order.py:15"),
        ("product_tags", "", "shop/models/catalog.py:8"),
        ("products", "shop.models.catalog.Product", "shop/models/catalog.py:16"),
        ("tags", "shop.models.catalog.Tag", "shop/models/catalog.py:28"),
        ("users", "shop.models.user.User", "shop/models/user.py:14"),
    ]
    assert all(m.orm == "sqlalchemy" and m.base == "shop.models.base.Base" for m in result.models)
    assert all(m.table_status == "resolved" for m in result.models)
    users = models["shop.models.user.User"]
    assert _cols(users) == [
        ("id", "Integer", False, True),
        ("email", "String(255)", False, False),
        ("hashed_password", "String(255)", False, False),
        ("full_name", "String(200)", True, False),
        ("is_active", "Boolean", False, False),
        ("is_superuser", "Boolean", False, False),
        ("created_at", "DateTime(timezone=True)", False, False),
    ]
    email = users.columns[1]
    assert (email.unique, email.index) == (True, True)
    assert [(c.name, c.default) for c in users.columns if c.default] == [
        ("is_active", "True"), ("is_superuser", "False"), ("created_at", "func.now()"),
    ]
    assert users.columns[-1].inherited_from == "shop.models.base.TimestampMixin"
    assert _fks(users) == []
    assert _rels(users) == [("orders", "shop.models.order.Order", "relationship", "customer", "", "")]

    products = models["shop.models.catalog.Product"]
    assert _cols(products) == [
        ("id", "Integer", False, True),
        ("sku", "String(32)", False, False),
        ("name", "String(200)", False, False),
        ("price_cents", "Integer", False, False),  # bare Mapped[int], no mapped_column
        ("is_active", "Boolean", False, False),
    ]
    assert products.columns[1].unique is True
    assert _rels(products) == [("tags", "shop.models.catalog.Tag", "relationship", "products", "", "product_tags")]

    tags = models["shop.models.catalog.Tag"]
    assert _cols(tags) == [("id", "Integer", False, True), ("name", "String(50)", False, False)]
    assert _rels(tags) == [("products", "shop.models.catalog.Product", "relationship", "tags", "", "product_tags")]

    assoc = models["table:product_tags"]
    assert assoc.kind == "table"
    # columns declared only by their ForeignKey take the referenced column's type
    assert _cols(assoc) == [("product_id", "Integer", False, True), ("tag_id", "Integer", False, True)]
    assert _fks(assoc) == [("product_id", "products.id", "CASCADE"), ("tag_id", "tags.id", "CASCADE")]

    orders = models["shop.models.order.Order"]
    assert _cols(orders) == [
        ("id", "Integer", False, True),
        ("customer_id", "Integer", False, False),
        ("status", "String(20)", False, False),
        ("total_cents", "Integer", False, False),
        ("payment_reference", "String(64)", True, False),
        ("created_at", "DateTime(timezone=True)", False, False),
    ]
    assert orders.columns[1].index is True
    assert _fks(orders) == [("customer_id", "users.id", "CASCADE")]
    assert _rels(orders) == [
        ("customer", "shop.models.user.User", "relationship", "orders", "", ""),
        ("items", "shop.models.order.OrderItem", "relationship", "order", "", ""),
    ]

    items = models["shop.models.order.OrderItem"]
    assert _cols(items) == [
        ("id", "Integer", False, True),
        ("order_id", "Integer", False, False),
        ("product_id", "Integer", False, False),
        ("quantity", "Integer", False, False),
        ("unit_price_cents", "Integer", False, False),
    ]
    assert _fks(items) == [("order_id", "orders.id", "CASCADE"), ("product_id", "products.id", "")]
    assert _rels(items) == [
        ("order", "shop.models.order.Order", "relationship", "items", "", ""),
        ("product", "shop.models.catalog.Product", "relationship", "", "", ""),
    ]
    assert [(r.name, r.line) for r in items.relationships] == [("order", 39), ("product", 40)]
    assert _findings(result, "orm-table-unresolved", "orm-relationship-unresolved", "orm-foreign-key-unresolved") == []


def test_no_import_fixture_finds_widgets_without_running_code(fixtures, tmp_path):
    root = tmp_path / "no_import"
    shutil.copytree(fixtures / "no_import", root)
    result = _scan_dir(root)
    assert not (root / "IMPORTED_MARKER").exists()
    assert [(m.table, m.class_name, f"{m.file}:{m.line}") for m in result.models] == [
        ("widgets", "boom.models.Widget", "boom/models.py:15")
    ]
    assert _cols(result.models[0]) == [("id", "Integer", False, True), ("name", "String", False, False)]


# ------------------------------------------------------- classic 1.x style
CLASSIC = {
    "app/__init__.py": "",
    "app/db.py": """
        from sqlalchemy.ext.declarative import declarative_base
        Base = declarative_base()
    """,
    "app/names.py": """
        PREFIX = "acct_"
        USERS = PREFIX + "users"
    """,
    "app/models.py": """
        import sqlalchemy as sa
        from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text, ForeignKeyConstraint
        from sqlalchemy.orm import backref, relationship, column_property, deferred, synonym

        from app.db import Base
        from app.names import USERS

        user_roles = Table(
            "user_roles",
            Base.metadata,
            Column("user_id", Integer, ForeignKey("acct_users.id", ondelete="CASCADE"), primary_key=True),
            Column("role_id", ForeignKey("auth.roles.id"), primary_key=True),
        )
        Table("audit", Base.metadata, Column("id", Integer, primary_key=True), schema="auth")


        class User(Base):
            __tablename__ = USERS
            id = Column(Integer, primary_key=True)
            login = Column("user_name", String(80), nullable=False, unique=True, index=True)
            bio = deferred(Column(Text))
            display = column_property(Column(String(40)))
            name = synonym("login")
            roles = relationship("Role", secondary=user_roles, backref="users")


        class Role(Base):
            __tablename__ = "roles"
            __table_args__ = {"schema": "auth"}
            id = Column(Integer, primary_key=True)
            label = Column(sa.String(30), default="member")


        class Address(Base):
            __tablename__ = "addresses"
            __table_args__ = (
                ForeignKeyConstraint(["owner_id", "owner_login"], ["acct_users.id", "acct_users.user_name"]),
                {"schema": "geo"},
            )
            id = Column(Integer, primary_key=True)
            owner_id = Column(Integer)
            owner_login = Column(String(80))
            owner = relationship(User, backref=backref("addresses", lazy="dynamic"))


        class Note(Base):
            __tablename__ = "notes"
            id = Column(Integer, primary_key=True)
            user_id = Column(ForeignKey(User.id))
            address_id = Column(Integer, ForeignKey(Address.__table__.c.id))
            role_id = Column(Integer, ForeignKey(user_roles.c.role_id))
            author = relationship(lambda: User)
            place = relationship("app.models.Address")
    """,
}


def test_classic_declarative_models(tmp_path):
    result = _scan(tmp_path, CLASSIC)
    models = _models(result)
    user = models["app.models.User"]
    assert _table(user) == ("acct_users", "resolved", "", "", "")  # constant folded across modules
    assert _cols(user) == [
        ("id", "Integer", False, True),
        ("user_name", "String(80)", False, False),  # explicit column name
        ("bio", "Text", True, False),  # Column is nullable unless primary key
        ("display", "String(40)", True, False),
    ]
    assert [(c.name, c.attribute, c.unique, c.index) for c in user.columns[:2]] == [
        ("id", "", False, False),
        ("user_name", "login", True, True),
    ]
    # the relationship on Role synthesised from backref=, and from backref(...) on Address
    assert _rels(user) == [
        ("addresses", "app.models.Address", "backref", "owner", "", ""),
        ("roles", "app.models.Role", "relationship", "", "users", "user_roles"),
    ]
    role = models["app.models.Role"]
    assert _table(role) == ("roles", "resolved", "auth", "", "")
    assert _cols(role) == [("id", "Integer", False, True), ("label", "String(30)", True, False)]
    assert role.columns[1].default == "'member'"
    assert _rels(role) == [("users", "app.models.User", "backref", "roles", "", "user_roles")]

    address = models["app.models.Address"]
    assert _table(address) == ("addresses", "resolved", "geo", "", "")
    assert _fks(address) == [("owner_id", "acct_users.id", ""), ("owner_login", "acct_users.user_name", "")]
    assert _rels(address) == [("owner", "app.models.User", "relationship", "", "addresses", "")]

    note = models["app.models.Note"]
    assert _cols(note) == [
        ("id", "Integer", False, True),
        ("user_id", "Integer", True, False),  # the type of acct_users.id
        ("address_id", "Integer", True, False),
        ("role_id", "Integer", True, False),
    ]
    assert _fks(note) == [
        ("address_id", "geo.addresses.id", ""),  # Address.__table__.c.id, schema-qualified
        ("role_id", "user_roles.role_id", ""),  # a Table object's column
        ("user_id", "acct_users.id", ""),  # User.id resolved through the class
    ]
    assert _rels(note) == [
        ("author", "app.models.User", "relationship", "", "", ""),
        ("place", "app.models.Address", "relationship", "", "", ""),
    ]

    audit = models["table:audit"]  # not assigned to a name: still on the metadata
    assert (_table(audit), audit.line, _cols(audit)) == (("audit", "resolved", "auth", "", ""), 14, [("id", "Integer", False, True)])
    roles_table = models["table:user_roles"]
    assert (roles_table.kind, roles_table.base, roles_table.line) == ("table", "app.db.Base", 8)
    assert _cols(roles_table) == [("user_id", "Integer", False, True), ("role_id", "Integer", False, True)]
    assert _fks(roles_table) == [("role_id", "auth.roles.id", ""), ("user_id", "acct_users.id", "CASCADE")]
    assert {m.base for m in result.models} == {"app.db.Base"}


def test_with_variant_is_a_variant_type_in_sqlalchemy_1x(tmp_path):
    files = {
        "app/__init__.py": "",
        "app/models.py": """
            from sqlalchemy import Column, Integer, Text
            from sqlalchemy.dialects.mysql import MEDIUMTEXT
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()

            def MediumText():
                return Text().with_variant(MEDIUMTEXT(), "mysql")

            class Doc(Base):
                __tablename__ = "docs"
                id = Column(Integer, primary_key=True)
                body = Column(MediumText())
        """,
    }
    types = {}
    for pin in ("1.4.54", "2.0.36"):
        root = tmp_path / pin
        result = _scan(root, {**files, "requirements.txt": f"SQLAlchemy=={pin}\n"})
        types[pin] = [c.type for c in result.models[0].columns]
    assert types == {"1.4.54": ["Integer", "Variant(Text)"], "2.0.36": ["Integer", "Text"]}


# ------------------------------------------------------------- 2.0 style
MODERN = {
    "requirements.txt": "SQLAlchemy==2.0.36\n",
    "app/__init__.py": "",
    "app/models.py": """
        import datetime
        import decimal
        import enum
        import uuid
        from typing import Optional

        from sqlalchemy import ForeignKey, JSON, Numeric, String
        from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


        class Status(enum.Enum):
            draft = "draft"
            done = "done"


        class Base(DeclarativeBase):
            type_annotation_map = {dict: JSON, decimal.Decimal: Numeric(12, 2)}


        class Invoice(Base):
            __tablename__ = "invoices"
            id: Mapped[int] = mapped_column(primary_key=True)
            number: Mapped[str]
            note: Mapped[Optional[str]]
            total: Mapped[decimal.Decimal]
            ratio: Mapped[float]
            created: Mapped[datetime.datetime]
            due: Mapped["datetime.date | None"]
            token: Mapped[uuid.UUID] = mapped_column(unique=True)
            status: Mapped[Status]
            extra: Mapped[dict]
            _raw: Mapped[bytes | None] = mapped_column("raw")
            flag: Mapped[bool] = mapped_column(name="is_flagged", default=False)
            code: Mapped[str] = mapped_column(String(8), nullable=True)
            customer_id: Mapped[Optional[int]] = mapped_column(ForeignKey("customers.id", ondelete="SET NULL"))
            customer: Mapped[Optional["Customer"]] = relationship(back_populates="invoices")
            tags: Mapped[list[str]] = mapped_column(JSON)


        class Customer(Base):
            __tablename__ = "customers"
            id: Mapped[int] = mapped_column(primary_key=True)
            invoices: Mapped[list["Invoice"]] = relationship(back_populates="customer")
    """,
}


def test_mapped_columns_types_and_nullability(tmp_path):
    result = _scan(tmp_path, MODERN)
    models = _models(result)
    invoice = models["app.models.Invoice"]
    assert _cols(invoice) == [
        ("id", "Integer", False, True),
        ("number", "String", False, False),
        ("note", "String", True, False),
        ("total", "Numeric(12, 2)", False, False),  # the base's type_annotation_map
        ("ratio", "Float", False, False),  # Float in SQLAlchemy 2.0 (pinned); Double from 2.1
        ("created", "DateTime", False, False),
        ("due", "Date", True, False),  # a string annotation with "| None"
        ("token", "Uuid", False, False),
        ("status", "Enum", False, False),
        ("extra", "JSON", False, False),
        ("raw", "LargeBinary", True, False),
        ("is_flagged", "Boolean", False, False),
        ("code", "String(8)", True, False),  # explicit nullable wins over the annotation
        ("customer_id", "Integer", True, False),
        ("tags", "JSON", False, False),
    ]
    assert [(c.name, c.attribute) for c in invoice.columns if c.attribute] == [("raw", "_raw"), ("is_flagged", "flag")]
    assert _fks(invoice) == [("customer_id", "customers.id", "SET NULL")]
    assert _rels(invoice) == [("customer", "app.models.Customer", "relationship", "invoices", "", "")]
    assert _rels(models["app.models.Customer"]) == [("invoices", "app.models.Invoice", "relationship", "customer", "", "")]
    assert "app.models.Base" not in models and "app.models.Status" not in models


def test_mapped_float_is_double_from_sqlalchemy_2_1(tmp_path):
    files = dict(MODERN, **{"requirements.txt": "SQLAlchemy==2.1.2\n"})
    invoice = _models(_scan(tmp_path, files))["app.models.Invoice"]
    assert [c.type for c in invoice.columns if c.name == "ratio"] == ["Double"]


def test_registry_mapped_as_declarative_and_imperative(tmp_path):
    result = _scan(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/domain.py": """
                class Batch:
                    def __init__(self, ref):
                        self.ref = ref
            """,
            "app/orm.py": """
                from sqlalchemy import Column, Integer, MetaData, String, Table
                from sqlalchemy.orm import as_declarative, registry, relationship, mapped_column, Mapped

                from app import domain

                metadata = MetaData()
                mapper_registry = registry(metadata=metadata)

                batches = Table(
                    "batches", metadata,
                    Column("id", Integer, primary_key=True, autoincrement=True),
                    Column("reference", String(255)),
                )


                @mapper_registry.mapped
                class Tag:
                    __tablename__ = "tag"
                    id: Mapped[int] = mapped_column(primary_key=True)


                @as_declarative()
                class LegacyBase:
                    pass


                class Legacy(LegacyBase):
                    __tablename__ = "legacy"
                    id = Column(Integer, primary_key=True)


                def start_mappers():
                    mapper_registry.map_imperatively(domain.Batch, batches, properties={"tags": relationship(Tag)})
            """,
        },
    )
    models = _models(result)
    assert sorted(models) == ["app.domain.Batch", "app.orm.Legacy", "app.orm.Tag"]  # batches is mapped: no bare table
    batch = models["app.domain.Batch"]
    assert (_table(batch), batch.file, batch.line, dict(batch.options)) == (
        ("batches", "resolved", "", "", ""), "app/domain.py", 1, {"mapped_at": "app/orm.py:33"},
    )
    assert _cols(batch) == [("id", "Integer", False, True), ("reference", "String(255)", True, False)]
    assert _rels(batch) == [("tags", "app.orm.Tag", "relationship", "", "", "")]
    assert batch.base == "app.orm.mapper_registry"
    assert (_cols(models["app.orm.Tag"]), models["app.orm.Tag"].base) == ([("id", "Integer", False, True)], "app.orm.mapper_registry")
    assert models["app.orm.Legacy"].base == "app.orm.LegacyBase"


# ---------------------------------------------------- mixins and tablenames
NAMING = {
    "app/__init__.py": "",
    "app/util.py": """
        import re
        CAMEL_TO_SNAKE = re.compile(r"(?<!^)(?=[A-Z])")
    """,
    "app/database.py": """
        import re
        from sqlalchemy.orm import declarative_base

        Base = declarative_base()

        def resolve_table_name(name):
            \"\"\"Split on capitals and join with underscores (Netflix/dispatch style).\"\"\"
            names = re.split("(?=[A-Z])", name)
            return "_".join([x.lower() for x in names if x])
    """,
    "app/models.py": """
        from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, func
        from sqlalchemy.orm import declared_attr

        from app.database import Base, resolve_table_name
        from app.util import CAMEL_TO_SNAKE


        class TimestampMixin:
            created_at = Column(DateTime, server_default=func.now())

            @declared_attr
            def updated_by_id(cls):
                return Column(Integer, ForeignKey("user_account.id"))


        class SnakeBase(Base):
            __abstract__ = True

            @declared_attr.directive
            def __tablename__(cls) -> str:
                return CAMEL_TO_SNAKE.sub("_", cls.__name__).lower()

            id = Column(Integer, primary_key=True)


        class UserAccount(TimestampMixin, SnakeBase):
            email = Column(String(200))


        class LowerBase(Base):
            __abstract__ = True

            @declared_attr
            def __tablename__(cls):
                return cls.__name__.lower() + "s"


        class Widget(LowerBase):
            id = Column(Integer, primary_key=True)


        class DispatchBase(Base):
            __abstract__ = True

            @declared_attr
            def __tablename__(cls):
                return resolve_table_name(cls.__name__)


        class IncidentType(DispatchBase):
            id = Column(Integer, primary_key=True)


        class Opaque(Base):
            @declared_attr
            def __tablename__(cls):
                return load_name_from_config(cls)

            id = Column(Integer, primary_key=True)


        class Computed(Base):
            __tablename__ = table_for("computed")
            id = Column(Integer, primary_key=True)
    """,
}


def test_tablenames_mixins_and_declared_attr(tmp_path):
    result = _scan(tmp_path, NAMING)
    models = _models(result)
    account = models["app.models.UserAccount"]
    assert _table(account) == ("user_account", "derived", "", "", "")
    assert _cols(account) == [
        ("email", "String(200)", True, False),
        ("created_at", "DateTime", True, False),
        ("updated_by_id", "Integer", True, False),  # declared_attr column; FK type filled from the target
        ("id", "Integer", False, True),
    ]
    assert [c.inherited_from for c in account.columns] == [
        "", "app.models.TimestampMixin", "app.models.TimestampMixin", "app.models.SnakeBase",
    ]
    assert _fks(account) == [("updated_by_id", "user_account.id", "")]
    assert _table(models["app.models.Widget"]) == ("widgets", "derived", "", "", "")
    assert _table(models["app.models.IncidentType"]) == ("incident_type", "derived", "", "", "")
    assert "app.models.SnakeBase" not in models and "app.models.TimestampMixin" not in models

    opaque, computed = models["app.models.Opaque"], models["app.models.Computed"]
    assert _table(opaque)[:2] == ("", "unresolved")
    assert [(u.expr, u.location.short) for u in opaque.unresolved] == [("load_name_from_config(cls)", "app/models.py:56")]
    assert _table(computed)[:2] == ("", "unresolved")
    assert [(u.expr, u.reason) for u in computed.unresolved] == [("table_for('computed')", "table name is not a constant")]
    assert _findings(result, "orm-table-unresolved") == [
        ("orm-table-unresolved", "warning", "app/models.py:54"),
        ("orm-table-unresolved", "warning", "app/models.py:62"),
    ]


def test_partial_aliases_and_column_helpers(tmp_path):
    result = _scan(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/base.py": """
                import functools
                from functools import partial

                from flask_sqlalchemy import SQLAlchemy
                from sqlalchemy import Column as SAColumn, Integer

                db = SQLAlchemy()
                Column = functools.partial(db.Column, nullable=False)
                NullableColumn = partial(SAColumn, nullable=True)

                def primary_key(name):
                    key_type = Integer
                    return Column(key_type, primary_key=True, info={"model": name})

                def required(*args, **kwargs):
                    return db.Column(*args, nullable=False, **kwargs)

                def shortstr():
                    return db.String(30)
            """,
            "app/models.py": """
                from app.base import Column, NullableColumn, db, primary_key, required, shortstr


                class Query(db.Model):
                    __tablename__ = "queries"
                    id = primary_key("Query")
                    query_text = Column("query", db.Text)
                    name = Column(db.String(255), nullable=True)
                    description = NullableColumn(db.Text)
                    api_key = required(db.String(40), unique=True)
                    label = Column(shortstr())
            """,
        },
    )
    query = _models(result)["app.models.Query"]
    assert (query.orm, query.base) == ("flask_sqlalchemy", "app.base.db.Model")
    assert _cols(query) == [
        ("id", "Integer", False, True),
        ("query", "Text", False, False),  # partial default nullable=False flows through
        ("name", "String(255)", True, False),  # the call's keyword wins over the partial's
        ("description", "Text", True, False),
        ("api_key", "String(40)", False, False),  # *args/**kwargs forwarded by a helper
        ("label", "String(30)", False, False),  # a helper returning a type
    ]
    assert query.columns[4].unique is True
    assert query.columns[1].attribute == "query_text"


# ------------------------------------------------------------- inheritance
def test_single_and_joined_table_inheritance(tmp_path):
    result = _scan(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/models.py": """
                from sqlalchemy import Column, ForeignKey, Integer, String
                from sqlalchemy.orm import DeclarativeBase, declared_attr, has_inherited_table


                class Base(DeclarativeBase):
                    pass


                class Employee(Base):
                    __tablename__ = "employee"
                    id = Column(Integer, primary_key=True)
                    type = Column(String(20))
                    __mapper_args__ = {"polymorphic_on": type, "polymorphic_identity": "employee"}


                class Manager(Employee):
                    manager_data = Column(String(50))
                    __mapper_args__ = {"polymorphic_identity": "manager"}


                class Engineer(Employee):
                    __tablename__ = "engineer"
                    id = Column(Integer, ForeignKey("employee.id"), primary_key=True)
                    language = Column(String(30))
                    __mapper_args__ = {"polymorphic_identity": "engineer"}


                class Tablename:
                    @declared_attr
                    def __tablename__(cls):
                        if has_inherited_table(cls):
                            return None
                        return cls.__name__.lower()


                class Animal(Tablename, Base):
                    id = Column(Integer, primary_key=True)


                class Dog(Animal):
                    bark = Column(String(10))
            """,
        },
    )
    models = _models(result)
    assert _table(models["app.models.Employee"]) == ("employee", "resolved", "", "", "")
    assert dict(models["app.models.Employee"].options) == {"polymorphic_on": "type", "polymorphic_identity": "'employee'"}
    manager = models["app.models.Manager"]
    assert _table(manager) == ("employee", "inherited", "", "single", "app.models.Employee")
    assert _cols(manager) == [("manager_data", "String(50)", True, False)]  # added to the parent's table
    assert dict(manager.options) == {"polymorphic_identity": "'manager'"}
    engineer = models["app.models.Engineer"]
    assert _table(engineer) == ("engineer", "resolved", "", "joined", "app.models.Employee")
    assert _fks(engineer) == [("id", "employee.id", "")]
    assert _cols(engineer) == [("id", "Integer", False, True), ("language", "String(30)", True, False)]
    assert _table(models["app.models.Animal"]) == ("animal", "derived", "", "", "")
    assert _table(models["app.models.Dog"]) == ("animal", "inherited", "", "single", "app.models.Animal")


# ------------------------------------------------------- Flask-SQLAlchemy
@pytest.mark.parametrize(
    ("fixture", "names"),
    [
        ("sqla_fsa2", {"UserID": "userID", "HTML5Parser": "htm_l5_parser", "MFA": "MFA"}),
        ("sqla_fsa3", {"UserID": "user_id", "HTML5Parser": "html5_parser", "MFA": "mfa"}),
    ],
)
def test_flask_sqlalchemy_implicit_names_follow_the_pinned_version(fixtures, fixture, names):
    result = _scan_dir(fixtures / fixture)
    models = _models(result)
    assert {c.rsplit(".", 1)[-1]: m.table for c, m in models.items() if c.rsplit(".", 1)[-1] in names} == names
    major = fixture[-1]
    assert [t for topic, t in result.notes if topic == "sqlalchemy"] == [
        f"Flask-SQLAlchemy {'2.5.1' if major == '2' else '3.1.1'}: implicit table names follow the {major}.x rules"
    ]
    expected = {
        "blog.models.APIKey": (("api_key", "derived", "", "", ""), [("key", "String(64)", True, False), ("id", "Integer", False, True)]),
        "blog.models.ArchivedPage": (
            ("archived_page", "derived", "", "joined", "blog.models.Page"),
            [("id", "Integer", False, True), ("archived_at", "DateTime", True, False)],
        ),
        "blog.models.AuditEvent": (("audit_event", "derived", "", "", ""), [("id", "BigInteger", False, True)]),
        "blog.models.Comment": (
            ("comments", "resolved", "", "", ""),
            [("id", "Integer", False, True), ("post_id", "Integer", False, False)],
        ),
        "blog.models.HTML5Parser": ((names["HTML5Parser"], "derived", "", "", ""), [("id", "Integer", False, True)]),
        "blog.models.LandingPage": (("page", "inherited", "", "single", "blog.models.Page"), [("hero", "String(200)", True, False)]),
        "blog.models.MFA": (
            (names["MFA"], "derived", "", "", ""),
            [("id", "Integer", False, True), ("post_id", "Integer", True, False)],
        ),
        "blog.models.Page": (("page", "derived", "", "", ""), [("id", "Integer", False, True), ("kind", "String(20)", True, False)]),
        "blog.models.Post": (
            ("posts", "resolved", "", "", ""),
            [("id", "Integer", False, True), ("title", "String(200)", False, False)],
        ),
        "blog.models.Tag": (("tag", "derived", "", "", ""), [("name", "String(50)", False, True)]),
        "blog.models.UserID": (
            (names["UserID"], "derived", "", "", ""),
            [("id", "Integer", False, True), ("email", "String(120)", False, False), ("created", "DateTime", False, False)],
        ),
        "table:post_tags": (
            ("post_tags", "resolved", "", "", ""),
            [("post_id", "Integer", False, True), ("tag_name", "String(50)", False, True)],
        ),
    }
    assert {k: (_table(m), _cols(m)) for k, m in models.items()} == expected
    assert {m.orm for m in result.models} == {"flask_sqlalchemy"}
    assert {m.base for m in result.models} == {"blog.extensions.db.Model"}
    assert dict(models["blog.models.AuditEvent"].options) == {"bind_key": "audit"}
    assert _fks(models["blog.models.ArchivedPage"]) == [("id", "page.id", "")]
    assert _fks(models["table:post_tags"]) == [("post_id", "posts.id", ""), ("tag_name", "tag.name", "")]
    assert _rels(models["blog.models.Post"]) == [
        ("comments", "blog.models.Comment", "relationship", "", "post", ""),
        ("tags", "blog.models.Tag", "relationship", "", "", "post_tags"),
    ]
    assert _rels(models["blog.models.Comment"]) == [("post", "blog.models.Post", "backref", "comments", "", "")]
    assert models["blog.models.UserID"].columns[2].inherited_from == "blog.models.TimestampMixin"


def test_flask_sqlalchemy_unknown_version_uses_3x_and_says_so(tmp_path):
    result = _scan(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/ext.py": """
                from flask_sqlalchemy import SQLAlchemy as _SQLAlchemy

                class AppSQLAlchemy(_SQLAlchemy):
                    pass

                db = AppSQLAlchemy()
                plain = AppSQLAlchemy(disable_autonaming=True)
            """,
            "app/models.py": """
                from app.ext import db, plain

                Model = db.Model

                class UserID(Model):
                    id = db.Column(db.Integer, primary_key=True)

                class NoName(plain.Model):
                    id = plain.Column(plain.Integer, primary_key=True)
            """,
        },
    )
    models = _models(result)
    assert _table(models["app.models.UserID"]) == ("user_id", "derived", "", "", "")
    assert _table(models["app.models.NoName"])[:2] == ("", "unresolved")
    assert ("sqlalchemy", "Flask-SQLAlchemy version not pinned in the project's requirements or lock files; "
            "implicit table names follow the 3.x rules") in result.notes


def test_flask_sqlalchemy_name_algorithms():
    assert [fsa2_table_name(n) for n in ("UserID", "HTML5Parser", "MFA", "CamelCase", "ABTest")] == [
        "userID", "htm_l5_parser", "MFA", "camel_case", "ab_test",
    ]
    assert [fsa3_table_name(n) for n in ("UserID", "HTML5Parser", "MFA", "CamelCase", "ABTest")] == [
        "user_id", "html5_parser", "mfa", "camel_case", "ab_test",
    ]
    assert sqlmodel_table_name("UserRole") == "userrole"


# ----------------------------------------------------------------- SQLModel
def test_sqlmodel_tables(tmp_path):
    result = _scan(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/models.py": """
                import uuid
                from typing import Optional

                from sqlalchemy import Column, Text
                from sqlmodel import Field, Relationship, SQLModel


                class UserBase(SQLModel):
                    email: str = Field(unique=True, index=True, max_length=255)
                    full_name: str | None = Field(default=None, max_length=255)


                class User(UserBase, table=True):
                    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
                    hashed_password: str
                    items: list["Item"] = Relationship(back_populates="owner", cascade_delete=True)


                class UserPublic(UserBase):
                    id: uuid.UUID


                class Item(SQLModel, table=True):
                    id: int | None = Field(default=None, primary_key=True)
                    title: str
                    body: Optional[str] = Field(default=None, sa_column=Column(Text))
                    owner_id: uuid.UUID = Field(foreign_key="user.id", nullable=False, ondelete="CASCADE")
                    owner: Optional[User] = Relationship(back_populates="items")


                class HeroTeamLink(SQLModel, table=True):
                    __tablename__ = "hero_team"
                    hero_id: int = Field(foreign_key="item.id", primary_key=True)
            """,
        },
    )
    models = _models(result)
    assert sorted(models) == ["app.models.HeroTeamLink", "app.models.Item", "app.models.User"]  # schemas are not tables
    user = models["app.models.User"]
    assert (user.orm, _table(user)) == ("sqlmodel", ("user", "derived", "", "", ""))
    assert _cols(user) == [
        ("id", "Uuid", False, True),
        ("hashed_password", "AutoString", False, False),
        ("email", "AutoString(length=255)", False, False),  # from the non-table base
        ("full_name", "AutoString(length=255)", True, False),
    ]
    assert [(c.unique, c.index) for c in user.columns[2:3]] == [(True, True)]
    assert _rels(user) == [("items", "app.models.Item", "relationship", "owner", "", "")]
    item = models["app.models.Item"]
    assert _table(item) == ("item", "derived", "", "", "")
    assert _cols(item) == [
        ("id", "Integer", False, True),  # int | None with primary_key=True is not nullable
        ("title", "AutoString", False, False),
        ("body", "Text", True, False),  # sa_column
        ("owner_id", "Uuid", False, False),
    ]
    assert _fks(item) == [("owner_id", "user.id", "CASCADE")]
    assert _rels(item) == [("owner", "app.models.User", "relationship", "items", "", "")]
    assert _table(models["app.models.HeroTeamLink"]) == ("hero_team", "resolved", "", "", "")


# ------------------------------------------------------ findings, edge cases
def test_dynamic_classes_and_unresolvable_targets_are_reported(tmp_path):
    result = _scan(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/models.py": """
                from sqlalchemy import Column, ForeignKey, Integer
                from sqlalchemy.orm import declarative_base, relationship

                Base = declarative_base()


                class Parent(Base):
                    __tablename__ = "parent"
                    id = Column(Integer, primary_key=True)
                    child_id = Column(Integer, ForeignKey(get_target()))
                    ghost = relationship("Ghost")


                def make(name):
                    return type(name, (Base,), {"__tablename__": name.lower(), "id": Column(Integer, primary_key=True)})
            """,
        },
    )
    parent = _models(result)["app.models.Parent"]
    assert [(f.column, f.references, f.status, f.expr) for f in parent.foreign_keys] == [
        ("child_id", "", "unresolved", "get_target()")
    ]
    assert [(r.name, r.target, r.status) for r in parent.relationships] == [("ghost", "Ghost", "unresolved")]
    assert _findings(result, "orm-dynamic-model", "orm-foreign-key-unresolved", "orm-relationship-unresolved") == [
        ("orm-foreign-key-unresolved", "info", "app/models.py:10"),
        ("orm-relationship-unresolved", "info", "app/models.py:11"),
        ("orm-dynamic-model", "info", "app/models.py:15"),
    ]


def test_model_modules_exclude_tests_and_migrations(tmp_path):
    result = _scan(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/models.py": """
                from sqlalchemy import Column, Integer
                from sqlalchemy.orm import declarative_base
                Base = declarative_base()

                class Real(Base):
                    __tablename__ = "real"
                    id = Column(Integer, primary_key=True)
            """,
            "tests/test_models.py": """
                from app.models import Base
                from sqlalchemy import Column, Integer

                class Fake(Base):
                    __tablename__ = "fake"
                    id = Column(Integer, primary_key=True)
            """,
            "migrations/versions/0002_data.py": """
                import sqlalchemy as sa
                from alembic import op
                from sqlalchemy.orm import declarative_base

                revision = "0002"
                down_revision = None
                Base = declarative_base()

                class Temp(Base):
                    __tablename__ = "temp"
                    id = sa.Column(sa.Integer, primary_key=True)

                def upgrade():
                    op.create_table("real", sa.Column("id", sa.Integer(), primary_key=True))
            """,
        },
    )
    assert [m.table for m in result.models] == ["real"]


def test_declared_attr_columns_decided_per_class(tmp_path):
    """Mixins whose declared_attr columns depend on class attributes (indico's LinkMixin style)."""
    result = _scan(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/models.py": """
                import enum

                from sqlalchemy import Column, ForeignKey, Integer, String
                from sqlalchemy.orm import declarative_base, declared_attr, relationship

                Base = declarative_base()


                class LinkType(int, enum.Enum):
                    category = 1
                    event = 2


                class Category(Base):
                    __tablename__ = "categories"
                    id = Column(Integer, primary_key=True)


                class LinkMixin:
                    allowed_link_types = frozenset(LinkType)
                    file_required = True
                    link_target = "Category"

                    @declared_attr
                    def category(cls):
                        return relationship(cls.link_target)

                    @declared_attr
                    def category_id(cls):
                        if LinkType.category in cls.allowed_link_types:
                            return Column(Integer, ForeignKey("categories.id"), nullable=True)

                    @declared_attr
                    def filename(cls):
                        return Column(String, nullable=not cls.file_required)

                    @declared_attr
                    def __table_args__(cls):
                        return merge_table_args(cls, schema="links")


                class EventNote(LinkMixin, Base):
                    __tablename__ = "notes"
                    allowed_link_types = LinkMixin.allowed_link_types - {LinkType.category}
                    id = Column(Integer, primary_key=True)


                class Attachment(LinkMixin, Base):
                    __tablename__ = "attachments"
                    file_required = False
                    id = Column(Integer, primary_key=True)
            """,
        },
    )
    models = _models(result)
    note, attachment = models["app.models.EventNote"], models["app.models.Attachment"]
    assert (_table(note), _cols(note)) == (
        ("notes", "resolved", "links", "", ""),  # schema= of an opaque table-args helper
        [("id", "Integer", False, True), ("filename", "String", False, False)],
    )
    assert _cols(attachment) == [
        ("id", "Integer", False, True),
        ("category_id", "Integer", True, False),
        ("filename", "String", True, False),
    ]
    assert _fks(attachment) == [("category_id", "categories.id", "")]
    assert [(r.name, r.target, r.inherited_from, r.line) for r in attachment.relationships] == [
        ("category", "app.models.Category", "app.models.LinkMixin", 25),  # the def line in the mixin
    ]


def test_bases_outside_the_scan_and_configured_bases(tmp_path):
    write_files(
        tmp_path,
        {
            "pyproject.toml": '[tool.backendscan]\nsqlalchemy-bases = ["vendor_orm.Model"]\n',
            "app/__init__.py": "",
            "app/helpers.py": """
                from sqlalchemy import Column, Integer
                from vendor_core.models import AuditMixin

                class DatasourceMixin(AuditMixin):
                    __tablename__ = None
                    id = Column(Integer, primary_key=True)
            """,
            "app/models.py": """
                from sqlalchemy import Column, String
                from vendor_core.models import CoreDashboard
                from vendor_orm import Model

                from app.helpers import DatasourceMixin


                class Dashboard(CoreDashboard, DatasourceMixin):
                    __tablename__ = "dashboards"
                    title = Column(String(500))


                class Setting(Model):
                    __tablename__ = "settings"
                    key = Column(String(50), primary_key=True)
            """,
        },
    )
    result = _scan_dir(tmp_path)
    models = _models(result)
    assert sorted(models) == ["app.models.Dashboard", "app.models.Setting"]  # the mixin is not a model
    dashboard = models["app.models.Dashboard"]
    assert (dashboard.base, _table(dashboard)) == ("vendor_core.models.CoreDashboard", ("dashboards", "resolved", "", "", ""))
    assert _cols(dashboard) == [("title", "String(500)", True, False), ("id", "Integer", False, True)]
    assert models["app.models.Setting"].base == "vendor_orm.Model"
    assert _findings(result, "orm-base-outside-scan") == [("orm-base-outside-scan", "info", "app/models.py:8")]


def test_module_named_like_a_test_counts_when_source_imports_it(tmp_path):
    result = _scan(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/base.py": "from sqlalchemy.orm import declarative_base\nBase = declarative_base()\n",
            "app/connection_test.py": """
                from sqlalchemy import Column, Integer
                from app.base import Base

                class ConnectionTest(Base):
                    __tablename__ = "connection_test"
                    id = Column(Integer, primary_key=True)
            """,
            "app/api.py": "from app.connection_test import ConnectionTest\n",
        },
    )
    assert [m.table for m in result.models] == ["connection_test"]


def test_table_objects_as_class_tables_and_generated_bases(tmp_path):
    result = _scan(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/models.py": """
                from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table
                from sqlalchemy.orm import DeclarativeBaseNoMeta, registry

                metadata = MetaData()
                mapper_registry = registry(metadata=metadata)
                Base = mapper_registry.generate_base()

                accounts = Table("accounts", metadata, Column("id", Integer, primary_key=True), Column("name", String(50)))


                class Account(Base):
                    __table__ = accounts


                class Legacy(Base):
                    __table__ = Table(
                        "legacy_users", metadata,
                        Column("uid", Integer, primary_key=True),
                        Column("account_id", ForeignKey("accounts.id")),
                    )


                class NoMeta(DeclarativeBaseNoMeta):
                    pass


                class Plain(NoMeta):
                    __tablename__ = "plain"
                    id = Column(Integer, primary_key=True)
            """,
        },
    )
    models = _models(result)
    assert sorted(models) == ["app.models.Account", "app.models.Legacy", "app.models.Plain"]  # accounts: mapped
    account, legacy = models["app.models.Account"], models["app.models.Legacy"]
    assert (_table(account), account.base, _cols(account)) == (
        ("accounts", "resolved", "", "", ""), "app.models.Base",
        [("id", "Integer", False, True), ("name", "String(50)", True, False)],
    )
    assert (_table(legacy), _cols(legacy), _fks(legacy)) == (
        ("legacy_users", "resolved", "", "", ""),
        [("uid", "Integer", False, True), ("account_id", "Integer", True, False)],
        [("account_id", "accounts.id", "")],
    )
    assert (_table(models["app.models.Plain"]), models["app.models.Plain"].base) == (
        ("plain", "resolved", "", "", ""), "app.models.NoMeta",
    )


def test_flask_sqlalchemy_model_class_and_custom_metaclass(tmp_path):
    result = _scan(
        tmp_path,
        {
            "requirements.txt": "Flask-SQLAlchemy==3.0.5\n",
            "app/__init__.py": "",
            "app/db.py": """
                from flask_sqlalchemy import SQLAlchemy
                from flask_sqlalchemy.model import BindMetaMixin
                from sqlalchemy import Column, Integer
                from sqlalchemy.orm import DeclarativeMeta, declarative_base


                class IdModel:
                    id = Column(Integer, primary_key=True)


                class NoNameMeta(BindMetaMixin, DeclarativeMeta):
                    pass


                db = SQLAlchemy(model_class=IdModel)
                legacy = SQLAlchemy(model_class=declarative_base(cls=IdModel, metaclass=NoNameMeta, name="Model"))
            """,
            "app/models.py": """
                from app.db import db, legacy


                class BlogPost(db.Model):
                    title = db.Column(db.String(100))


                class Explicit(legacy.Model):
                    __tablename__ = "explicit"
                    body = legacy.Column(legacy.Text)


                class Implicit(legacy.Model):
                    body = legacy.Column(legacy.Text)
            """,
        },
    )
    models = _models(result)
    post = models["app.models.BlogPost"]
    assert (_table(post), _cols(post)) == (
        ("blog_post", "derived", "", "", ""),  # the model_class's primary key counts
        [("title", "String(100)", True, False), ("id", "Integer", False, True)],
    )
    assert post.columns[1].inherited_from == "app.db.IdModel"
    assert _table(models["app.models.Explicit"]) == ("explicit", "resolved", "", "", "")
    assert _table(models["app.models.Implicit"])[:2] == ("", "unresolved")  # the custom metaclass names nothing
