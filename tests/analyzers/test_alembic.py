"""Alembic migrations as a second source (analyzer ``alembic``).

The revisions are replayed statically in ``down_revision`` order and the final
tables are compared with the SQLAlchemy models.  For the ``shop`` fixture the
expectation is the one Alembic's own ``compare_metadata`` gives against the
migrated database (EXPECTED.md section 3.5): exactly ``audit_log``.
"""

from __future__ import annotations

from pathlib import Path

from backendscan.analyzers.alembic import migration_schemas
from backendscan.analyzers.alembic_fold import Revision, order_revisions
from backendscan.config import load_config
from backendscan.pipeline import ScanResult, scan
from backendscan.testing import write_files

ANALYZERS = ("sqlalchemy", "alembic")
DRIFT = ("table-without-model", "model-without-migration", "migration-op-unresolved")


def _scan_dir(root: Path) -> ScanResult:
    config = load_config(root).with_overrides(use_cache=False, jobs=1, metrics=False, analyzers=ANALYZERS)
    return scan(root, config)


def _drift(result: ScanResult) -> list[tuple[str, str, str, str]]:
    return [
        (f.rule_id, f.severity.value, f.location.short, f.message)
        for f in result.findings
        if f.rule_id in DRIFT
    ]


def _tables(result: ScanResult) -> dict[str, list[tuple[str, str, bool | None, bool]]]:
    """Migration schema: table -> [(column, type, nullable, primary_key)] (one script folder)."""
    assert result.project is not None
    schemas = migration_schemas(result.project)
    assert len(schemas) == 1
    return {
        k: [(c.name, c.type, c.nullable, c.primary_key) for c in t.columns.values()]
        for k, t in sorted(schemas[0].result.tables.items())
    }


def test_shop_audit_log_is_the_only_drift(fixtures):
    result = _scan_dir(fixtures / "shop")
    assert _drift(result) == [
        (
            "table-without-model",
            "info",
            "migrations/versions/0001_initial.py:88",
            "migrations create table audit_log but no model or Table object maps it",
        )
    ]
    tables = _tables(result)
    assert sorted(tables) == ["audit_log", "order_items", "orders", "product_tags", "products", "tags", "users"]
    assert tables["audit_log"] == [
        ("id", "BigInteger", False, True),  # from sa.PrimaryKeyConstraint("id")
        ("actor_id", "Integer", True, False),
        ("action", "String(length=50)", False, False),
        ("payload", "JSON", True, False),
        ("logged_at", "DateTime(timezone=True)", False, False),
    ]
    assert ("alembic", "1 revisions in 1 script folder(s) (migrations/versions) create 7 tables") in result.notes


MIGRATED = {
    "app/__init__.py": "",
    "app/models.py": """
        from sqlalchemy import Column, ForeignKey, Integer, String, Text
        from sqlalchemy.orm import declarative_base

        Base = declarative_base()


        class Account(Base):
            __tablename__ = "accounts"
            id = Column(Integer, primary_key=True)
            login = Column(String(80))
            email = Column(String(200))


        class Setting(Base):
            __tablename__ = "settings"
            key = Column(String(50), primary_key=True)
            account_id = Column(ForeignKey("accounts.id"))


        class Orphan(Base):
            __tablename__ = "orphans"
            id = Column(Integer, primary_key=True)
    """,
    "app/other.py": """
        from sqlalchemy import Column, Integer
        from sqlalchemy.orm import DeclarativeBase

        class ReportingBase(DeclarativeBase):
            pass

        class Report(ReportingBase):
            __tablename__ = "reports"
            id = Column(Integer, primary_key=True)
    """,
    "migrations/env.py": """
        from alembic import context
        from app.models import Base

        target_metadata = Base.metadata
    """,
    # file names sort differently from the revision order
    "migrations/versions/0001_merge.py": """
        from alembic import op

        revision = "c3"
        down_revision = ("b2a", "b2b")


        def upgrade():
            op.drop_table("legacy")
            op.create_foreign_key("fk_settings_account", "settings", "accounts", ["account_id"], ["id"])
    """,
    "migrations/versions/0002_init.py": """
        import sqlalchemy as sa
        from alembic import op

        revision = "a1"
        down_revision = None


        def upgrade():
            op.create_table("users", sa.Column("id", sa.Integer(), primary_key=True), sa.Column("name", sa.String(80)))
            op.create_table("legacy", sa.Column("id", sa.Integer(), nullable=False))
            _settings()


        def _settings():
            op.create_table("settings", sa.Column("key", sa.String(50), nullable=False), sa.PrimaryKeyConstraint("key"))
    """,
    "migrations/versions/0003_rename.py": """
        import sqlalchemy as sa
        from alembic import op

        revision = "b2a"
        down_revision = "a1"


        def upgrade():
            op.rename_table("users", "accounts")
            with op.batch_alter_table("accounts") as batch_op:
                batch_op.add_column(sa.Column("email", sa.String(200), nullable=True))
                batch_op.alter_column("name", new_column_name="login")
            accounts = sa.Table("accounts", sa.MetaData(), sa.Column("id", sa.Integer()))
            helper = sa.Table("ghost_table", sa.MetaData(), sa.Column("id", sa.Integer()))
            op.bulk_insert(accounts, [{"id": 1}])
    """,
    "migrations/versions/0004_settings.py": """
        import sqlalchemy as sa
        from alembic import op

        revision = "b2b"
        down_revision = "a1"


        def upgrade():
            op.add_column("settings", sa.Column("value", sa.Text()))
            op.add_column("settings", sa.Column("account_id", sa.Integer(), nullable=True))
            op.drop_column("settings", "value")
            op.execute("CREATE TABLE IF NOT EXISTS raw_events (id integer primary key)")
            if op.get_context().dialect.name == "postgresql":
                op.create_table(table_name())
    """,
}


def test_revisions_fold_in_dag_order_and_drift_is_reported(tmp_path):
    write_files(tmp_path, MIGRATED)
    result = _scan_dir(tmp_path)
    assert _tables(result) == {
        "accounts": [("id", "Integer", False, True), ("login", "String(80)", True, False), ("email", "String(200)", True, False)],
        "raw_events": [],
        "settings": [("key", "String(50)", False, True), ("account_id", "Integer", True, False)],
    }
    assert result.project is not None
    schema = migration_schemas(result.project)[0]
    assert schema.target == ("app.models.Base",)  # from env.py target_metadata
    assert schema.result.tables["settings"].foreign_keys == [("account_id", "accounts.id")]
    # Report (another base) is not expected in these migrations; Orphan is
    assert _drift(result) == [
        ("model-without-migration", "warning", "app/models.py:20", "table orphans of app.models.Orphan is created by no migration"),
        ("table-without-model", "info", "migrations/versions/0004_settings.py:12",
         "migrations create table raw_events but no model or Table object maps it"),
        ("migration-op-unresolved", "info", "migrations/versions/0004_settings.py:14",
         "migration operation not followed: op.create_table(table_name()) (table name of op.create_table is not a constant)"),
    ]


def test_create_all_in_a_migration_covers_every_model(tmp_path):
    files = dict(MIGRATED)
    files["migrations/versions/0005_all.py"] = """
        from alembic import op
        from app.models import Base

        revision = "d4"
        down_revision = "c3"


        def upgrade():
            Base.metadata.create_all(op.get_bind())
    """
    write_files(tmp_path, files)
    assert [f[0] for f in _drift(_scan_dir(tmp_path))] == ["table-without-model", "migration-op-unresolved"]


def test_no_migrations_no_drift(tmp_path):
    write_files(tmp_path, {k: v for k, v in MIGRATED.items() if not k.startswith("migrations/")})
    result = _scan_dir(tmp_path)
    assert _drift(result) == []
    assert [t for topic, t in result.notes if topic == "alembic"] == []


def test_order_revisions_handles_merges_and_ties():
    def rev(rid: str, *down: str) -> Revision:
        return Revision("m." + rid, rid + ".py", rid, tuple(down), "versions")

    ordered = order_revisions([rev("d", "b", "c"), rev("c", "a"), rev("b", "a"), rev("a"), rev("e", "d")])
    assert [r.revision for r in ordered] == ["a", "b", "c", "d", "e"]


def test_data_migrations_without_alembic_imports_keep_the_chain(tmp_path):
    write_files(
        tmp_path,
        {
            "migrations/versions/001_init.py": """
                import sqlalchemy as sa
                from alembic import op

                revision = "a1"
                down_revision = None

                def upgrade():
                    op.create_table("legacy", sa.Column("id", sa.Integer(), primary_key=True))
            """,
            "migrations/versions/002_data.py": """
                revision = "a1data"
                down_revision = "a1"

                def upgrade():
                    pass
            """,
            # this id sorts before "a1": without its parent it would run first
            "migrations/versions/003_cleanup.py": """
                from alembic import op

                revision = "0cleanup"
                down_revision = "a1data"

                def upgrade():
                    op.drop_table("legacy")
            """,
        },
    )
    result = _scan_dir(tmp_path)
    assert _drift(result) == []
    assert ("alembic", "3 revisions in 1 script folder(s) (migrations/versions) create 0 tables") in result.notes
