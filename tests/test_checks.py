"""Built-in best-practice checks (backendscan.checks).

Checks that read framework facts get them injected into a scanned inline
project (so the test does not depend on the analyzers); checks that read code
(symbols, settings, calls) scan real snippets.
"""

from __future__ import annotations

import dataclasses

import pytest

from backendscan import Config, scan
from backendscan.checks import catalogue, enabled, run_checks
from backendscan.facts import AuthEvidence, BeatEntry, Column, ForeignKey, OrmModel, Route, Task
from backendscan.model import Location, Severity
from backendscan.config import load_config
from backendscan.testing import scan_files, write_files
from tests.conftest import FIXTURES


def scan_with_pyproject(root, files, **overrides):
    """Like scan_files, but [tool.backendscan] of the written pyproject.toml applies."""
    write_files(root, files)
    return scan(root, load_config(root).with_overrides(use_cache=False, jobs=1, **overrides))


def found(result, rule=None):
    return sorted(
        (f.rule_id, f.location.path, f.location.line, f.severity.value)
        for f in run_checks(result)
        if rule is None or f.rule_id == rule
    )


def messages(result, rule):
    return [f.message for f in run_checks(result) if f.rule_id == rule]


def test_catalogue_documents_every_check():
    ids = [c.id for c in catalogue()]
    assert len(ids) == len(set(ids)) >= 18
    for c in catalogue():
        assert c.rationale.endswith(".") and c.hint and c.title and c.theme
    assert "route-auth-missing" in ids and "hardcoded-secret" in ids and "fk-without-index" in ids


def test_disable_by_id_and_theme():
    assert "import-cycle" not in {c.id for c in enabled(["import-cycle"])}
    left = {c.theme for c in enabled(["tasks", "orm"])}
    assert "tasks" not in left and "orm" not in left and "api" in left


def test_disable_checks_from_pyproject(tmp_path):
    r = scan_with_pyproject(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "x"\n[tool.backendscan]\ndisable-checks = ["import-cycle"]\n',
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg import b\n",
            "pkg/b.py": "from pkg import a\n",
        },
    )
    assert r.config.disable_checks == ("import-cycle",)
    assert not [f for f in r.findings if f.rule_id == "import-cycle"]


def _route(path, handler, line, auth=(), group="app.api.orders.router", methods=("GET",), options=(), framework="fastapi"):
    return Route(framework, methods, path, path, "resolved", handler, "app/api/orders.py", line, auth=auth, group=group, options=options)


AUTH = (AuthEvidence("dependency", "get_current_user", "handler_parameter", Location("app/api/deps.py", 3)),)


def test_route_auth_missing_only_among_protected_siblings(tmp_path):
    r = scan_files(tmp_path, {"app/__init__.py": "", "app/api/__init__.py": "", "app/api/orders.py": "x = 1\n"})
    routes = (
        _route("/orders/", "app.api.orders.list_orders", 5, AUTH),
        _route("/orders/{id}", "app.api.orders.read", 9, AUTH),
        _route("/orders/{id}/receipt", "app.api.orders.receipt", 14),
        # a public router: nobody has auth, nothing to say
        _route("/health/live", "app.api.health.live", 3, group="app.api.health.router"),
        _route("/health/ready", "app.api.health.ready", 7, group="app.api.health.router"),
        # explicit opt-out is not "missing"
        _route("/orders/public", "app.api.orders.public", 20, (AuthEvidence("permission_class", "AllowAny", "route", Location("x.py"), public=True),)),
        # endpoints a client calls before it has credentials are public by nature
        _route("/orders/login", "app.api.orders.login", 30),
        _route("/orders/token/", "app.api.orders.token", 34),
        _route("/orders/oauth/{provider}/callback", "app.api.orders.callback", 38),
        _route("/orders/login-history", "app.api.orders.login_history", 42),
    )
    r = dataclasses.replace(r, routes=routes)
    assert found(r, "route-auth-missing") == [
        ("route-auth-missing", "app/api/orders.py", 14, "warning"),
        ("route-auth-missing", "app/api/orders.py", 42, "warning"),
    ]
    assert messages(r, "route-auth-missing") == [
        "GET /orders/{id}/receipt has no auth evidence, but 2 of 8 routes in app.api.orders.router do (get_current_user)",
        "GET /orders/login-history has no auth evidence, but 2 of 8 routes in app.api.orders.router do (get_current_user)",
    ]


def test_fastapi_response_model_missing(tmp_path):
    r = scan_files(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/api.py": """
                def annotated() -> dict:
                    return {}

                def bare():
                    return {}

                def with_model():
                    return {}
            """,
        },
    )
    routes = (
        _route("/a", "app.api.annotated", 1),
        _route("/b", "app.api.bare", 4, methods=("POST",)),
        _route("/c", "app.api.with_model", 7, options=(("response_model", "Out"),)),
        _route("/d", "app.api.bare", 4, options=(("status_code", "204"),)),
        _route("/e", "app.api.bare", 4, framework="flask"),
    )
    r = dataclasses.replace(r, routes=routes)
    assert messages(r, "fastapi-response-model-missing") == [
        "POST /b (app.api.bare) declares no response_model and its handler has no return annotation"
    ]


def test_blocking_calls_in_async_functions(tmp_path):
    r = scan_files(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/db.py": """
                from typing import Annotated
                from fastapi import Depends
                from sqlalchemy.orm import Session
                SessionDep = Annotated[Session, Depends(object)]
            """,
            "app/views.py": """
                import time
                import asyncio
                import requests
                from requests import get as fetch
                import httpx
                from app.db import SessionDep

                async def slow(session: SessionDep, other):
                    requests.get("http://x")
                    fetch("http://y")
                    time.sleep(1)
                    session.execute("select 1")
                    other.execute("not a session")
                    await asyncio.sleep(1)
                    async with httpx.AsyncClient() as c:
                        await c.get("http://z")
                    httpx.get("http://sync")

                    def inner():
                        time.sleep(2)  # sync helper: not on the loop

                def sync_view():
                    requests.get("http://ok")
            """,
        },
    )
    got = found(r, "blocking-call-in-async")
    assert [line for _, _, line, _ in got] == [9, 10, 11, 12, 17]
    text = messages(r, "blocking-call-in-async")
    assert text[0] == "requests.get(...) blocks the event loop inside async def app.views.slow"
    assert text[3] == "session.execute (synchronous SQLAlchemy Session)(...) blocks the event loop inside async def app.views.slow"


def test_fk_without_index_respects_index_flags_and_table_args(tmp_path):
    r = scan_files(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/models.py": """
                from sqlalchemy import Index
                class Item:
                    __tablename__ = "items"
                    __table_args__ = (Index("ix_items_owner", "owner_id"),)
                class Line:
                    __tablename__ = "lines"
            """,
        },
    )

    def model(cls, table, line, cols, fks, orm="sqlalchemy"):
        return OrmModel(orm, cls, table, "resolved", "app/models.py", line, columns=cols, foreign_keys=fks)

    models = (
        model("app.models.Item", "items", 2, (Column("id", "Integer", False, True), Column("owner_id", "Integer", False), Column("shop_id", "Integer", False, index=True)),
              (ForeignKey("owner_id", "users.id", line=3), ForeignKey("shop_id", "shops.id", line=4))),
        model("app.models.Line", "lines", 5, (Column("id", "Integer", False, True), Column("item_id", "Integer", False)), (ForeignKey("item_id", "items.id", line=7),)),
        model("", "tags", 9, (Column("item_id", "Integer", False, True), Column("tag_id", "Integer", False, True)),
              (ForeignKey("item_id", "items.id", line=10), ForeignKey("tag_id", "tag.id", line=11))),
        model("app.models.Dj", "dj", 12, (Column("id", "AutoField", False, True), Column("item_id", "Integer", False)), (ForeignKey("item_id", "items.id", line=13),), orm="django"),
    )
    r = dataclasses.replace(r, models=models)
    assert found(r, "fk-without-index") == [
        ("fk-without-index", "app/models.py", 7, "warning"),
        ("fk-without-index", "app/models.py", 11, "warning"),
    ]
    assert messages(r, "fk-without-index")[0] == "lines.item_id references items.id but has no index (sqlalchemy does not create one for a foreign key)"


def test_model_without_primary_key(tmp_path):
    r = scan_files(tmp_path, {"app/__init__.py": "", "app/models.py": "class A: ...\nclass B: ...\n"})
    models = (
        OrmModel("sqlalchemy", "app.models.A", "a", "resolved", "app/models.py", 1, columns=(Column("name", "String", True),)),
        OrmModel("sqlalchemy", "app.models.B", "b", "resolved", "app/models.py", 2, columns=(Column("id", "Integer", False, True),)),
        OrmModel("sqlalchemy", "app.models.C", "c", "resolved", "app/models.py", 3, columns=(Column("x", "String", True),), abstract=True),
    )
    r = dataclasses.replace(r, models=models)
    assert found(r, "model-without-primary-key") == [("model-without-primary-key", "app/models.py", 1, "error")]


def test_celery_limits_and_retry(tmp_path):
    files = {"app/__init__.py": "", "app/tasks.py": "def a(self):\n    self.retry()\ndef b(): ...\ndef c(): ...\n"}
    r = scan_files(tmp_path / "one", files)
    tasks = (
        Task("celery", "app.tasks.a", "default", "app.tasks.a", "app/tasks.py", 1),
        Task("celery", "app.tasks.b", "default", "app.tasks.b", "app/tasks.py", 3, options=(("max_retries", "3"), ("soft_time_limit", "30"))),
        Task("rq", "app.tasks.c", "default", "app.tasks.c", "app/tasks.py", 4),
    )
    r = dataclasses.replace(r, tasks=tasks)
    assert found(r, "celery-task-no-time-limit") == [("celery-task-no-time-limit", "app/tasks.py", 1, "warning")]
    assert found(r, "celery-task-no-retry") == []  # a() calls self.retry(), b() sets max_retries
    # an app-wide default silences the per-task finding
    r2 = scan_files(tmp_path / "two", {**files, "app/worker.py": "from celery import Celery\napp = Celery('x')\napp.conf.update(task_soft_time_limit=60)\n"})
    assert found(dataclasses.replace(r2, tasks=tasks), "celery-task-no-time-limit") == []


def test_hardcoded_secrets_and_debug(tmp_path):
    r = scan_files(
        tmp_path,
        {
            "proj/__init__.py": "",
            "proj/settings.py": """
                import os
                DEBUG = True
                SECRET_KEY = "django-insecure-abc123"
                DATABASE_PASSWORD = os.environ["DB_PASSWORD"]
                API_TOKEN = os.environ.get("API_TOKEN", "dev-token")
                TOKEN_EXPIRE_MINUTES = "60"
                EMPTY_PASSWORD = ""
                BROKER_URL = "amqp://guest:guest@rabbit:5672//"
                PLAIN_URL = "redis://localhost:6379/0"
            """,
            "proj/config/dev.py": 'DEBUG = True\nSECRET_KEY = "only-on-laptops"\n',
            "proj/core.py": 'SECRET_KEY = "not a settings module"\n',
        },
    )
    got = found(r)
    assert ("debug-enabled", "proj/settings.py", 2, "warning") in got
    assert ("debug-enabled", "proj/config/dev.py", 1, "info") in got
    secrets = found(r, "hardcoded-secret")
    assert secrets == [
        ("hardcoded-secret", "proj/config/dev.py", 2, "info"),
        ("hardcoded-secret", "proj/settings.py", 3, "warning"),
        ("hardcoded-secret", "proj/settings.py", 5, "info"),
        ("hardcoded-secret", "proj/settings.py", 8, "warning"),
    ]
    text = " ".join(messages(r, "hardcoded-secret"))
    assert "django-insecure" not in text and "dev-token" not in text and "guest" not in text  # values never copied
    assert "SECRET_KEY in proj.settings is a string literal (22 characters)" in text


def test_structure_checks_on_shop():
    r = scan(FIXTURES / "shop", Config(use_cache=False, jobs=1))
    cycles = [f for f in r.findings if f.rule_id == "import-cycle"]
    assert [(f.location.short, f.severity) for f in cycles] == [
        ("shop/models/order.py:12", Severity.INFO),  # TYPE_CHECKING only
        ("shop/services/orders.py:10", Severity.WARNING),
    ]
    runtime = cycles[1]
    assert runtime.message == "import cycle between 2 modules: shop.services.orders -> shop.services.payments -> shop.services.orders"
    assert [h.location.short for h in runtime.chain] == ["shop/services/orders.py:10", "shop/services/payments.py:8"]
    assert runtime.category == "checks" and runtime.source == "built-in"


def test_god_module_thresholds(tmp_path):
    files = {"core/__init__.py": "", "core/hub.py": "def f(x):\n" + "".join(f"    if x == {i}:\n        return {i}\n" for i in range(12))}
    for i in range(4):
        files[f"core/user{i}.py"] = "from core import hub\n"
    r = scan_with_pyproject(tmp_path, {**files, "pyproject.toml": '[project]\nname="c"\n[tool.backendscan]\ngod-module-fan-in = 4\ngod-module-complexity = 10\n'})
    assert found(r, "god-module") == [("god-module", "core/hub.py", 0, "warning")]
    assert messages(r, "god-module")[0].startswith("core.hub is imported by 4 modules and has total cyclomatic complexity 13")


def test_operations_gaps_from_deployment(tmp_path):
    r = scan_files(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/tasks.py": "def t(): ...\n",
            "docker-compose.yml": "services:\n  web:\n    image: app\n    command: gunicorn app.main:app --reload\n  worker:\n    image: app\n    command: celery -A app.worker worker -l info\n",
        },
    )
    tasks = (Task("celery", "app.tasks.t", "default", "app.tasks.t", "app/tasks.py", 1),)
    beat = (BeatEntry("nightly", "app.tasks.t", "crontab()", "app/worker.py", 5),)
    r = dataclasses.replace(r, tasks=tasks, beat=beat)
    got = found(r)
    assert ("worker-missing", "app/tasks.py", 1, "warning") not in got  # the compose file runs a celery worker
    assert ("scheduler-missing", "app/worker.py", 5, "warning") in got
    assert ("dev-server-in-deployment", "docker-compose.yml", 2, "info") in got


def test_migrations_missing(tmp_path):
    r = scan_files(tmp_path, {"app/__init__.py": "", "app/models.py": "class A: ...\n"})
    m = OrmModel("sqlalchemy", "app.models.A", "a", "resolved", "app/models.py", 1, columns=(Column("id", "Integer", False, True),))
    assert found(dataclasses.replace(r, models=(m,)), "migrations-missing") == [("migrations-missing", "app/models.py", 1, "warning")]


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()))
def test_checks_never_crash_on_fixtures(name):
    r = scan(FIXTURES / name, Config(use_cache=False, jobs=1))
    assert not [f for f in r.findings if f.rule_id == "analysis-error" and "built-in check" in f.message]


def test_hardcoded_secret_ignores_names_templates_masks_and_prose(tmp_path):
    r = scan_files(
        tmp_path,
        {
            "site/__init__.py": "",
            "site/constants.py": """
                DEFAULT_PASSWORD_RESET_SUBJECT = "Password Reset Request from {ctf_name}"
                DEFAULT_PASSWORD_RESET_BODY = "Click the link to reset your password"
                CENSOR_TOKEN = '********'
                CENSOR_TOKEN_CHANGED = '***CHANGED***'
                CONSTRAINT_TOKEN_USER = '$user'
                MODULE_TOKEN = '{module}'
                API_KEY = "api_key"
                GUEST_TOKEN_JWT_ALGO = "HS256"
                SMTP_PASSWORD = "superset"
                class TestingConfig:
                    SECRET_KEY = "testing-only-key"
            """,
        },
    )
    assert found(r, "hardcoded-secret") == [
        ("hardcoded-secret", "site/constants.py", 9, "warning"),
        ("hardcoded-secret", "site/constants.py", 11, "info"),
    ]


def _blocking_reference(name: str) -> bool:
    from backendscan.checks.api import BLOCKING_PREFIXES, HTTPX_BLOCKING

    return name in HTTPX_BLOCKING or any(name == p.rstrip(".") or name.startswith(p) for p in BLOCKING_PREFIXES)


def test_blocking_names_fast_reject_changes_nothing():
    from hypothesis import given, settings, strategies as st

    from backendscan.checks.api import BLOCKING_PREFIXES, HTTPX_BLOCKING, _blocking

    known = sorted({*BLOCKING_PREFIXES, *HTTPX_BLOCKING, "requests", "time", "os", "urllib", "httpx", "app.time.sleep"})
    names = st.one_of(
        st.sampled_from(known),
        st.tuples(st.sampled_from(known), st.sampled_from(["", ".", "x", ".get", "_x", "s.sleep"])).map("".join),
        st.text(alphabet="abcdeimnoqrstuwx._", max_size=24),
    )

    @settings(max_examples=500, deadline=None)
    @given(names)
    def agree(name):
        assert _blocking(name) == _blocking_reference(name)

    agree()
    assert _blocking("requests.get") and _blocking("time.sleep") and _blocking("requests")
    assert not _blocking("polar.worker.sleep") and not _blocking("timex.sleep") and not _blocking("httpx.AsyncClient")
