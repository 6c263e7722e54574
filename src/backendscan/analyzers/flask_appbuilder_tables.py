"""The tables Flask-AppBuilder's SQLAlchemy security manager brings into an application.

A project built on Flask-AppBuilder (Superset, Airflow 2's web UI...) has users,
roles and permissions in ``ab_*`` tables that its own models point at
(``ForeignKey("ab_user.id")``) but never declare: they are mapped in
``flask_appbuilder/security/sqla/models.py``, outside the scanned code, and
registered on ``flask_appbuilder.Model.metadata`` when the security manager module
is imported.  This table holds them, read from Flask-AppBuilder 5.3 (the group
and API-key tables are 5.x only, which is why the analyzer lists them only when
the project pins 5.x or pins nothing, as it does for the views).

Each column is ``(name, type, nullable, primary key, unique)``; each foreign key
``(column, table.column, on delete)``; ``indexed`` names the columns of the
tables' ``Index(...)`` entries.
"""

from __future__ import annotations

from dataclasses import dataclass

_M = "flask_appbuilder.security.sqla.models."

Col = tuple[str, str, bool, bool, bool]
Fk = tuple[str, str, str]


@dataclass(frozen=True)
class FabTable:
    """One table of Flask-AppBuilder's security models."""

    table: str
    cls: str  # dotted class ("" for an association Table)
    columns: tuple[Col, ...]
    foreign_keys: tuple[Fk, ...] = ()
    kind: str = "model"  # model, table (association)
    indexed: tuple[str, ...] = ()


def _id() -> Col:
    return ("id", "Integer", False, True, False)


def _assoc(table: str, left: tuple[str, str], right: tuple[str, str], indexed: tuple[str, ...] = ()) -> FabTable:
    """``ab_user_role``-style association tables: an id and two cascading foreign keys."""
    return FabTable(
        table,
        "",
        (_id(), (left[0], "Integer", True, False, False), (right[0], "Integer", True, False, False)),
        ((left[0], left[1], "CASCADE"), (right[0], right[1], "CASCADE")),
        kind="table",
        indexed=indexed,
    )


SECURITY_TABLES: tuple[FabTable, ...] = (
    FabTable(
        "ab_api_key",
        _M + "ApiKey",
        (
            _id(),
            ("uuid", "String(36)", False, False, True),
            ("name", "String(256)", False, False, False),
            ("key_hash", "String(256)", False, False, False),
            ("lookup_hash", "String(256)", True, False, True),
            ("key_prefix", "String(16)", False, False, False),
            ("user_id", "Integer", False, False, False),
            ("scopes", "Text", True, False, False),
            ("active", "Boolean", False, False, False),
            ("created_on", "DateTime", True, False, False),
            ("expires_on", "DateTime", True, False, False),
            ("revoked_on", "DateTime", True, False, False),
            ("last_used_on", "DateTime", True, False, False),
        ),
        (("user_id", "ab_user.id", "CASCADE"),),
    ),
    FabTable(
        "ab_group",
        _M + "Group",
        (
            _id(),
            ("name", "String(100)", False, False, True),
            ("label", "String(150)", True, False, False),
            ("description", "String(512)", True, False, False),
        ),
    ),
    _assoc("ab_group_role", ("group_id", "ab_group.id"), ("role_id", "ab_role.id")),
    FabTable("ab_permission", _M + "Permission", (_id(), ("name", "String(100)", False, False, True))),
    FabTable(
        "ab_permission_view",
        _M + "PermissionView",
        (_id(), ("permission_id", "Integer", True, False, False), ("view_menu_id", "Integer", True, False, False)),
        (("permission_id", "ab_permission.id", ""), ("view_menu_id", "ab_view_menu.id", "")),
        indexed=("permission_id", "view_menu_id"),
    ),
    _assoc("ab_permission_view_role", ("permission_view_id", "ab_permission_view.id"), ("role_id", "ab_role.id"),
           indexed=("permission_view_id", "role_id")),
    FabTable(
        "ab_register_user",
        _M + "RegisterUser",
        (
            _id(),
            ("first_name", "String(64)", False, False, False),
            ("last_name", "String(64)", False, False, False),
            ("username", "String(128)", False, False, True),
            ("password", "String(256)", True, False, False),
            ("email", "String(320)", False, False, True),
            ("registration_date", "DateTime", True, False, False),
            ("registration_hash", "String(256)", True, False, False),
        ),
    ),
    FabTable("ab_role", _M + "Role", (_id(), ("name", "String(64)", False, False, True))),
    FabTable(
        "ab_user",
        _M + "User",
        (
            _id(),
            ("first_name", "String(64)", False, False, False),
            ("last_name", "String(64)", False, False, False),
            ("username", "String(128)", False, False, True),
            ("password", "String(256)", True, False, False),
            ("active", "Boolean", True, False, False),
            ("email", "String(320)", False, False, True),
            ("last_login", "DateTime", True, False, False),
            ("login_count", "Integer", True, False, False),
            ("fail_login_count", "Integer", True, False, False),
            ("created_on", "DateTime", True, False, False),
            ("changed_on", "DateTime", True, False, False),
            ("created_by_fk", "Integer", True, False, False),
            ("changed_by_fk", "Integer", True, False, False),
        ),
        (("created_by_fk", "ab_user.id", ""), ("changed_by_fk", "ab_user.id", "")),
    ),
    _assoc("ab_user_group", ("user_id", "ab_user.id"), ("group_id", "ab_group.id")),
    _assoc("ab_user_role", ("user_id", "ab_user.id"), ("role_id", "ab_role.id")),
    FabTable("ab_view_menu", _M + "ViewMenu", (_id(), ("name", "String(250)", False, False, True))),
)
