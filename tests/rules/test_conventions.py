"""Bans, limits, framework conventions and placement on small scanned projects."""

from __future__ import annotations

from backendscan.rules.checks import check, input_from_scan
from backendscan.rules.compiler import compile_rules
from backendscan.rules.importlinter import from_ini, from_pyproject
from backendscan.rules.model import Acyclic, Forbidden, Layers
from backendscan.rules.roles import Resolver
from backendscan.testing import scan_files


def findings(tmp_path, files, rules, **config):  # type: ignore[no-untyped-def]
    result = scan_files(tmp_path, files, **config)
    res = check([compile_rules(rules)], input_from_scan(result))
    return [(f.location.path, f.location.line, f.rule_id, f.message) for f in res.findings], res


APP = {
    "app/__init__.py": "",
    "app/settings.py": """
        import os
        DEBUG = os.getenv("DEBUG")
    """,
    "app/jobs.py": """
        import time
        from os import getenv as ge
        import subprocess


        async def poll():
            time.sleep(1)
            print(ge("X"))
            eval("1")


        def slow():
            time.sleep(2)
            try:
                pass
            except:
                pass
    """,
}


def test_bans_follow_aliases_builtins_scope_and_async(tmp_path):
    got, _ = findings(
        tmp_path,
        APP,
        "- configuration comes from `app.settings`; no direct `os.getenv`\n"
        "- `print` and `eval` are banned under `app/`\n"
        "- never call `time.sleep()` in async functions\n"
        "- no bare `except`\n"
        "- `subprocess` is banned\n",
    )
    assert got == [
        ("app/jobs.py", 2, "ban-getenv-environ", "imports banned `os.getenv`"),
        ("app/jobs.py", 3, "ban-subprocess", "imports banned `subprocess`"),
        ("app/jobs.py", 7, "ban-sleep", "calls banned `time.sleep` in poll inside async code"),
        ("app/jobs.py", 8, "ban-print-eval-under-app", "calls banned `print` in poll"),
        ("app/jobs.py", 9, "ban-print-eval-under-app", "calls banned `eval` in poll"),
        ("app/jobs.py", 16, "ban-bare-except", "bare `except:` catches everything, SystemExit and KeyboardInterrupt included"),
    ]


def test_limits_use_radon_metrics_and_function_headers(tmp_path):
    body = "\n".join(f"    if x == {i}:\n        return {i}" for i in range(12))
    files = {
        "app/__init__.py": "",
        "app/calc.py": f"def branchy(x):\n{body}\n    return -1\n\n\ndef many(a, b, c, d, e, f):\n    return a\n\n\nclass K:\n    def m(self, a, b, c, d, e):\n        return a\n",
    }
    got, _ = findings(tmp_path, files, "- cyclomatic complexity must be at most 10\n- functions take at most 5 parameters\n- functions must be at most 20 lines\n", metrics=True)
    assert got == [
        ("app/calc.py", 1, "complexity-max-10", "branchy has cyclomatic complexity 13 (max 10)"),
        ("app/calc.py", 1, "function-length-max-20", "branchy has length 26 lines (max 20)"),
        ("app/calc.py", 29, "parameters-max-5", "many takes 6 parameters (max 5)"),
    ]


def test_limits_without_metrics_say_they_checked_nothing(tmp_path):
    _, res = findings(tmp_path, {"app/__init__.py": "", "app/a.py": "x = 1\n"}, "- files must be at most 300 lines\n", metrics=False)
    assert [note for _, note in res.empty] == ["RULES.md:1: no metrics were computed (run without --no-metrics), so this limit checked nothing"]


FASTAPI = {
    "app/__init__.py": "",
    "app/main.py": """
        from fastapi import FastAPI, Depends
        from sqlalchemy.orm import Session
        from typing import Annotated
        import requests

        from app.deps import get_db, get_current_user

        app = FastAPI()
        SessionDep = Annotated[Session, Depends(get_db)]


        @app.get("/items", response_model=list, status_code=200)
        def items(user=Depends(get_current_user)):
            return []


        @app.get("/health")
        async def health():
            requests.get("http://x")
            return {}


        @app.post("/orders", response_model=dict)
        def create(session: SessionDep, user=Depends(get_current_user)):
            return {}
    """,
    "app/deps.py": """
        def get_db():
            yield None


        def get_current_user():
            return None
    """,
    "app/elsewhere.py": """
        from app.main import app


        @app.get("/stray", response_model=dict)
        def stray():
            return {}
    """,
}


def test_route_conventions(tmp_path):
    got, _ = findings(
        tmp_path,
        FASTAPI,
        "- every endpoint declares a `response_model`\n"
        "- every endpoint requires authentication, except `/health`\n"
        "- no blocking calls inside `async def` endpoints\n"
        "- route handlers must not use the ORM session directly\n"
        "- endpoints belong in `app/main.py`\n",
    )
    assert got == [
        ("app/elsewhere.py", 4, "routes-in-main", "GET /stray (app.elsewhere.stray) is defined in app/elsewhere.py, outside app/main.py"),
        ("app/elsewhere.py", 4, "routes-auth", "GET /stray (app.elsewhere.stray) does not require authentication"),
        ("app/main.py", 17, "routes-option-response-model", "GET /health (app.main.health) does not set response_model"),
        ("app/main.py", 19, "routes-no-blocking", "blocking call requests.get() inside async def health (GET /health)"),
        ("app/main.py", 24, "routes-no-session", "create (POST /orders) takes the ORM session as parameter `session: SessionDep`"),
    ]


MODELS = {
    "app/__init__.py": "",
    "app/models.py": """
        from datetime import datetime
        from sqlalchemy import Integer, DateTime
        from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


        class Base(DeclarativeBase):
            def __repr__(self):
                return "x"


        class Stamped:
            created_at: Mapped[datetime] = mapped_column(DateTime)


        class User(Stamped, Base):
            __tablename__ = "users"
            id: Mapped[int] = mapped_column(Integer, primary_key=True)


        class Tag(Base):
            __tablename__ = "tags"
            id: Mapped[int] = mapped_column(Integer, primary_key=True)

            def __str__(self):
                return "t"
    """,
}


def test_model_conventions_count_inherited_methods_and_columns(tmp_path):
    got, _ = findings(tmp_path, MODELS, "- every model has `created_at`\n- models define `__str__`\n- models define `__repr__`\n- all models inherit from `Stamped`\n")
    assert got == [
        ("app/models.py", 15, "models-method-str", "model app.models.User does not define __str__"),
        ("app/models.py", 20, "models-base-stamped", "model app.models.Tag does not derive from Stamped"),
        ("app/models.py", 20, "models-column-created-at", "model app.models.Tag (table tags) has no created_at column"),
    ]


def test_code_conventions_type_hints_docstrings_and_names(tmp_path):
    files = {
        "app/__init__.py": "",
        "app/BadName.py": """
            '''Module doc.'''


            def good(a: int) -> int:
                '''Doc.'''
                return a


            def bad(a, *args):
                return a


            def _private(a):
                return a


            class thing:
                pass
        """,
    }
    got, _ = findings(
        tmp_path,
        files,
        "- Every public function has type hints\n- Every public function has a docstring\n- classes use PascalCase\n- modules use snake_case\n",
    )
    assert got == [
        ("app/BadName.py", 1, "modules-case-snake", "module name BadName is not snake case"),
        ("app/BadName.py", 9, "functions-docstring", "bad has no docstring"),
        ("app/BadName.py", 9, "functions-type-hints", "bad has no type hints for parameters a, *args and the return type"),
        ("app/BadName.py", 17, "classes-case-pascal", "class name thing is not pascal case"),
    ]


def test_celery_task_options(tmp_path):
    files = {
        "app/__init__.py": "",
        "app/worker.py": """
            from celery import Celery
            celery_app = Celery("app")


            @celery_app.task(max_retries=3, acks_late=True)
            def good():
                pass


            @celery_app.task
            def bare():
                pass
        """,
    }
    got, _ = findings(tmp_path, files, "- Celery tasks set `max_retries` and `acks_late`\n- tasks go in `app/tasks/`\n")
    assert [(p, ln, rid) for p, ln, rid, _ in got] == [
        ("app/worker.py", 5, "tasks-in-tasks"),
        ("app/worker.py", 10, "tasks-in-tasks"),
        ("app/worker.py", 10, "tasks-option-acks-late"),
        ("app/worker.py", 10, "tasks-option-max-retries"),
    ]


def test_roles_map_words_by_name_plural_facts_synonyms_globs_and_paths():
    modules = {
        "shop": "shop/__init__.py",
        "shop.api": "shop/api/__init__.py",
        "shop.api.orders": "shop/api/orders.py",
        "shop.service": "shop/service/__init__.py",
        "shop.service.pay": "shop/service/pay.py",
        "shop.crud": "shop/crud.py",
        "shop.billing": "shop/billing/__init__.py",
        "shop.billing.api": "shop/billing/api.py",
        "shop.shipping": "shop/shipping/__init__.py",
        "shop.shipping.api": "shop/shipping/api.py",
    }
    packages = [m for m, p in modules.items() if p.endswith("__init__.py")]
    r = Resolver(modules, packages, explicit=[("data access", ("shop.crud",))], route_modules=["shop.api.orders"])
    from backendscan.rules.model import Ref

    def res(text, quoted=False):  # type: ignore[no-untyped-def]
        x = r.resolve(Ref(text, quoted))
        return x.modules, x.how

    assert res("services") == (("shop.service",), "packages named services")
    assert res("routers") == (("shop.api",), "where the routes are defined")
    assert res("data access") == (("shop.crud",), "explicit mapping shop.crud")
    assert res("repositories") == (("shop.crud",), "modules named like repositories")
    assert res("shop.*.api", True) == (("shop.billing.api", "shop.shipping.api"), "glob")
    assert res("shop/service/", True) == (("shop.service",), "path")
    assert res("shop/billing/api.py", True) == (("shop.billing.api",), "path")
    assert res("nothing_here", True) == ((), "matches no module")


def test_import_linter_configurations_are_read_with_their_semantics():
    toml = """
[tool.importlinter]
root_package = "shop"
exclude_type_checking_imports = true

[[tool.importlinter.contracts]]
name = "Layers"
type = "layers"
layers = ["api", "services | tasks", "(optional)", "models"]
containers = ["shop"]

[[tool.importlinter.contracts]]
id = "no-db"
name = "No DB from the API"
type = "forbidden"
source_modules = ["shop.api"]
forbidden_modules = ["shop.db"]
allow_indirect_imports = "True"

[[tool.importlinter.contracts]]
name = "Unknown"
type = "custom_thing"
"""
    rs = from_pyproject(toml)
    assert rs is not None and not rs.type_checking and not rs.dynamic_imports
    layers, forbidden = (r.spec for r in rs.rules)
    assert isinstance(layers, Layers) and [tuple(x.text for x in lay) for lay in layers.layers] == [("api",), ("services", "tasks"), ("optional",), ("models",)]
    assert layers.layers[2][0].optional and [c.text for c in layers.containers] == ["shop"]
    assert isinstance(forbidden, Forbidden) and forbidden.direct and forbidden.through_layers
    assert [(e.line, e.status) for e in rs.entries] == [(6, "compiled"), (12, "compiled"), (20, "unrecognized")]
    assert [r.id for r in rs.rules] == ["layers", "no-db"]
    ini = "[importlinter]\nroot_packages =\n    shop\n\n[importlinter:contract:cycles]\nname = No cycles\ntype = acyclic_siblings\nancestors =\n    shop\ndepth = 2\n"
    rs2 = from_ini(ini, "setup.cfg")
    assert rs2 is not None and rs2.type_checking
    spec = rs2.rules[0].spec
    assert isinstance(spec, Acyclic) and spec.siblings and spec.depth == 2 and rs2.rules[0].line == 5
    assert from_ini("[metadata]\nname = x\n") is None


def test_import_style_rules_flag_relative_and_function_level_imports(tmp_path):
    files = {
        "app/__init__.py": "",
        "app/core.py": "X = 1\n",
        "app/api.py": "from .core import X\n\n\ndef handler():\n    import json\n    return json.dumps(X)\n",
    }
    got, _ = findings(tmp_path, files, "- Use absolute imports\n- Keep imports at the top of the module\n")
    assert got == [
        ("app/api.py", 1, "ban-relative-import", "relative import .core"),
        ("app/api.py", 5, "ban-local-import", "imports json inside a function"),
    ]


QUERIES = {
    "app/__init__.py": "",
    "app/models.py": """
        from sqlalchemy import Column, Integer, select
        from sqlalchemy.orm import column_property


        class Order:
            id = Column(Integer, primary_key=True)
            n = column_property(select(1).scalar_subquery())
    """,
    "app/repositories/__init__.py": "",
    "app/repositories/orders.py": """
        from sqlalchemy import select

        from app.models import Order


        class OrderRepository:
            def __init__(self, session):
                self.session = session

            async def get(self, id):
                return await self.session.scalar(select(Order).where(Order.id == id))
    """,
    "app/services/__init__.py": "",
    "app/services/orders.py": """
        from sqlalchemy.ext.asyncio import AsyncSession

        from app.repositories.orders import OrderRepository


        async def get_order(session: AsyncSession, id: int):
            return await OrderRepository(session).get(id)


        async def purge(session: AsyncSession):
            await session.execute("DELETE FROM orders")
    """,
    "app/services/report.py": """
        import sqlalchemy as sa


        def count(db):
            return db.session.execute(sa.select(sa.func.count()))
    """,
    "migrations/__init__.py": "",
    "migrations/0001_init.py": """
        from sqlalchemy import update

        def upgrade(session):
            session.execute(update("orders"))
    """,
}


def test_queries_confined_to_repositories_flag_query_calls_not_session_imports(tmp_path):
    got, _ = findings(tmp_path, QUERIES, "# Rules\n\n- All database queries must be in the repositories\n")
    assert got == [
        ("app/services/orders.py", 11, "ban-db-query", "runs a database query (`session.execute`) in purge"),
        ("app/services/report.py", 5, "ban-db-query", "runs a database query (`db.session.execute`) in count"),
        ("app/services/report.py", 5, "ban-db-query", "runs a database query (`sa.select`) in count"),
    ]  # nothing for the AsyncSession import, the repository, the models or the migration


def test_a_placement_rule_about_task_classes_leaves_function_tasks_alone(tmp_path):
    files = {
        "app/__init__.py": "",
        "app/worker.py": """
            from celery import Celery, Task
            celery_app = Celery("app")


            @celery_app.task
            def cleanup():
                pass


            class Export(Task):
                name = "app.export"

                def run(self):
                    pass


            export = celery_app.register_task(Export())
        """,
        "app/jobs.py": "",
    }
    got, _ = findings(tmp_path, files, "- Job classes live in `app/jobs.py`\n")
    assert got == [("app/worker.py", 10, "tasks-classes-in-jobs", "task app.export is defined in app/worker.py, outside app/jobs.py")]
    got, _ = findings(tmp_path / "all", files, "- Tasks live in `app/jobs.py`\n")
    assert [(p, ln, rid) for p, ln, rid, _ in got] == [("app/worker.py", 5, "tasks-in-jobs"), ("app/worker.py", 10, "tasks-in-jobs")]


def test_raw_sql_means_sql_text_not_orm_queries(tmp_path):
    files = dict(QUERIES)
    files["app/services/raw.py"] = """
        from django.db import connection
        from sqlalchemy import text


        def totals(session):
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            return session.execute(text("SELECT 2"))
    """
    got, _ = findings(tmp_path, files, "# Rules\n\n- No raw SQL in `app/services`\n")
    assert got == [
        ("app/services/raw.py", 2, "ban-raw-sql-under-services", "imports `sqlalchemy.text`, which writes raw SQL"),
        ("app/services/raw.py", 6, "ban-raw-sql-under-services", "runs raw SQL (`connection.cursor`) in totals"),
    ]  # the ORM queries of app/services/orders.py and report.py are no raw SQL
