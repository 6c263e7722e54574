"""The implementation plan's choices on a project shaped like NetBox: pages and an API, a model
named by the task next to models that only mention it, test files with the same name in several
packages, and a background task the task's words do not match."""

from __future__ import annotations

import pytest

from backendscan.report.plan import _is_api_path, make_plan, rank
from backendscan.testing import scan_files

FILES = {
    "pyproject.toml": '[project]\nname = "inventory"\ndependencies = ["fastapi", "sqlalchemy", "rq"]\n',
    "inventory/__init__.py": "",
    "inventory/main.py": """
        from fastapi import FastAPI
        from inventory.web import pages
        from inventory.api import views
        app = FastAPI()
        app.include_router(pages.router)
        app.include_router(views.router, prefix="/api")
    """,
    "inventory/web/__init__.py": "",
    "inventory/web/pages.py": """
        from fastapi import APIRouter
        router = APIRouter()

        @router.post("/devices/{device_id}/interfaces/add")
        def add_device_interface_page(device_id: int):
            '''Form page that adds an interface to a device.'''
    """,
    "inventory/api/__init__.py": "",
    "inventory/api/views.py": """
        from fastapi import APIRouter
        router = APIRouter()

        @router.get("/interfaces/")
        def list_interfaces():
            ...

        @router.get("/export-templates/")
        def list_export_templates():
            ...
    """,
    "inventory/models.py": """
        from sqlalchemy import Column, ForeignKey, Integer, String
        from sqlalchemy.orm import declarative_base
        Base = declarative_base()

        class Interface(Base):
            __tablename__ = "interface"
            id = Column(Integer, primary_key=True)
            name = Column(String)
            label = Column(String)
            description = Column(String)
            mtu = Column(Integer)
            mode = Column(String)
            speed = Column(Integer)
            duplex = Column(String)
            enabled = Column(Integer)
            device_id = Column(ForeignKey("device.id"))

        class Device(Base):
            __tablename__ = "device"
            id = Column(Integer, primary_key=True)
            name = Column(String)
            serial = Column(String)

        class WirelessLink(Base):
            __tablename__ = "wireless_link"
            id = Column(Integer, primary_key=True)
            interface_a_id = Column(ForeignKey("interface.id"))
            interface_b_id = Column(ForeignKey("interface.id"))
            device_a_name = Column(String)
    """,
    "inventory/exports.py": """
        def export_rows(rows):
            '''Export rows for the export templates.'''

        def export_table(table):
            ...
    """,
    "inventory/reports.py": """
        from inventory.exports import export_rows
        def export_report():
            return export_rows([])
    """,
    "inventory/webhooks.py": """
        def send_webhook(payload):
            ...
    """,
    "inventory/events.py": """
        from rq import Queue
        from inventory.webhooks import send_webhook
        def emit(payload):
            Queue().enqueue(send_webhook, payload)
    """,
    "inventory/migrations/__init__.py": "",
    "inventory/migrations/0001_initial.py": "",
    "other/__init__.py": "",
    "other/migrations/__init__.py": "",
    "other/migrations/0001_initial.py": "",
    "aaa/tests/__init__.py": "",
    "aaa/tests/test_api.py": "def test_nothing(): ...\n",
    "inventory/tests/__init__.py": "",
    "inventory/tests/test_api.py": "def test_nothing(): ...\n",
    "inventory/tests/test_views.py": "def test_nothing(): ...\n",
}

TASK = "Add an API endpoint to export a device's interfaces as CSV"


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    return scan_files(tmp_path_factory.mktemp("inventory"), FILES)


def test_api_paths_ignore_placeholders():
    assert _is_api_path("/{settings.BASE_PATH}api/dcim/interfaces/")
    assert _is_api_path("/v2/users") and _is_api_path("/graphql")
    assert not _is_api_path("/dcim/devices/{pk}/") and not _is_api_path("/apiary/")


def test_a_model_named_by_the_task_outranks_models_that_only_mention_it(result):
    hits, _ = rank(result, TASK)
    assert [h.title for h in hits["model"]][:2] == ["Interface (interface)", "Device (device)"]


def test_plan_puts_an_api_task_next_to_the_api_twin_of_the_best_page(result):
    plan = make_plan(result, TASK)
    steps = {s.layer: s for s in plan.steps}
    # the best lexical route is the page; the task asks for an API, and /api/interfaces/ shares its words
    assert plan.routes[0].key == "POST /devices/{device_id}/interfaces/add"
    assert steps["api"].file == "inventory/api/views.py" and steps["api"].anchor == "GET /api/interfaces/"
    assert steps["models"].text.startswith("Data: Interface (table interface) in inventory/models.py:5")
    # the migration folder next to the model, not the last one in sorted order
    assert "a migration in inventory/migrations/" in steps["models"].text
    # no task matches the words: the background step is conditional and uses the project's own producer
    assert steps["tasks"].text == (
        "If the work should not run inside the request: background work as a rq task in inventory/webhooks.py "
        "next to send_webhook (line 1); start it the way inventory/events.py:4 starts inventory.webhooks.send_webhook (.enqueue())"
    )
    # the test file for an api module: the nearest test_api.py, not the first one in the tree
    assert plan.tests_to_add[0].startswith("extend inventory/tests/test_api.py: ")
    assert any("(mock .enqueue)" in t for t in plan.tests_to_add)
