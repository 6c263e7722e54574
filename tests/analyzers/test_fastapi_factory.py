"""Routers and apps whose class comes from a factory function (Polar's ``APIRouter = get_api_router_class(APIRoute)``).

Fixture: ``tests/fixtures/projects/fastapi_router_factory``.  The expected routes
were checked against the running app (FastAPI 0.165 in a throwaway venv,
``benchmarks/groundtruth/dump_fastapi.py``'s ``dump_app``): the same 12
(methods, path, handler) triples.  Lines are ``def`` lines, as everywhere in
backendscan.
"""

from __future__ import annotations

import pytest

from backendscan.config import Config
from backendscan.pipeline import scan
from backendscan.testing import scan_files
from tests.conftest import FIXTURES

FACTORY_ROUTES = [
    # methods, full path, handler, file, line
    ("GET", "/admin/", "ledger.admin.dashboard", "ledger/admin/__init__.py", 17),
    ("GET", "/admin/users/", "ledger.admin.list_users", "ledger/admin/__init__.py", 9),
    ("GET", "/healthz", "ledger.health.healthz", "ledger/health.py", 7),
    ("GET", "/l/{code}", "ledger.links.endpoints.follow", "ledger/links/endpoints.py", 4),
    ("GET", "/v1/accounts/", "ledger.accounts.endpoints.list_accounts", "ledger/accounts/endpoints.py", 7),
    ("GET", "/v1/accounts/{account_id}", "ledger.accounts.endpoints.get_account", "ledger/accounts/endpoints.py", 12),
    ("POST/PUT", "/v1/accounts/{account_id}/close", "ledger.accounts.endpoints.close_account", "ledger/accounts/endpoints.py", 17),
    ("POST", "/v1/invoices/", "ledger.invoices.endpoints.create_invoice", "ledger/invoices/endpoints.py", 7),
    ("GET", "/v1/invoices/{invoice_id}/pdf", "ledger.invoices.endpoints.invoice_pdf", "ledger/invoices/endpoints.py", 11),
    ("GET", "/v1/portal/orders/", "ledger.portal.orders.list_orders", "ledger/portal/orders.py", 7),
    ("DELETE", "/v1/portal/orders/{order_id}", "ledger.portal.orders.cancel_order", "ledger/portal/orders.py", 12),
    ("PATCH", "/v1/portal/profile", "ledger.portal.profile.update_profile", "ledger/portal/profile.py", 7),
]


@pytest.fixture(scope="module")
def factory_result():
    return scan(FIXTURES / "fastapi_router_factory", Config(use_cache=False, jobs=1, metrics=False, analyzers=("fastapi",)))


def test_factory_fixture_routes_are_exact(factory_result):
    got = sorted(("/".join(r.methods), r.path, r.handler, r.file, r.line) for r in factory_result.routes)
    assert got == sorted(FACTORY_ROUTES)
    assert {r.path_status for r in factory_result.routes} == {"resolved"}
    assert {r.app for r in factory_result.routes} == {"ledger.app.create_app.<locals>.app"}
    assert not any(r.orphan for r in factory_result.routes)


def test_factory_fixture_has_no_route_findings(factory_result):
    assert [(f.rule_id, f.location.path, f.location.line) for f in factory_result.findings if f.category == "routes"] == []


def test_factory_router_keeps_its_prefix_and_tags(factory_result):
    r = [r for r in factory_result.routes if r.handler == "ledger.portal.orders.list_orders"][0]
    assert r.group == "ledger.portal.orders.router"
    close = [r for r in factory_result.routes if r.handler == "ledger.accounts.endpoints.close_account"][0]
    assert close.raw_path == "/v1/accounts/{account_id}/close"


def test_a_class_bound_by_a_factory_call_in_a_function_scope(tmp_path):
    # the factory's result bound to a local name of the app factory
    files = {
        "svc/__init__.py": "",
        "svc/kit.py": """
            from fastapi import APIRouter


            def router_class(route_class=None):
                class Routed(APIRouter):
                    pass

                return Routed
        """,
        "svc/main.py": """
            from fastapi import FastAPI
            from svc.kit import router_class


            def create():
                Router = router_class()
                items = Router(prefix="/items")

                @items.get("/{item_id}")
                def read(item_id: int): ...

                app = FastAPI()
                app.include_router(items, prefix="/api")
                return app


            app = create()
        """,
    }
    r = scan_files(tmp_path, files, analyzers=("fastapi",))
    assert sorted(("/".join(x.methods), x.path, x.handler) for x in r.routes) == [
        ("GET", "/api/items/{item_id}", "svc.main.create.<locals>.read")
    ]


def test_a_factory_that_returns_no_router_class_is_not_a_router(tmp_path):
    # a name bound to a factory call whose class is not a router: its .get() is no route
    files = {
        "svc/__init__.py": "",
        "svc/main.py": """
            from fastapi import FastAPI


            def client_class():
                class Client:
                    def get(self, path): ...

                return Client


            Client = client_class()
            client = Client()
            app = FastAPI()


            @client.get("/nope")
            def not_a_route(): ...


            @app.get("/yes")
            def a_route(): ...
        """,
    }
    r = scan_files(tmp_path, files, analyzers=("fastapi",))
    assert sorted(("/".join(x.methods), x.path) for x in r.routes) == [("GET", "/yes")]


def test_a_decorator_applied_by_a_call_registers_its_argument(factory_result):
    # ledger/links/__init__.py: app.get("/{code}")(follow), the shape of Polar's checkout_link app
    r = [r for r in factory_result.routes if r.path == "/l/{code}"][0]
    assert (r.registered_at.path, r.registered_at.line, r.is_async, r.name) == ("ledger/links/__init__.py", 7, True, "follow")


def test_applied_decorators_on_unknown_objects_are_not_routes(tmp_path):
    files = {
        "svc/__init__.py": "",
        "svc/main.py": """
            from fastapi import APIRouter

            router = APIRouter(prefix="/r")
            handlers = {}


            def ping(): ...


            def dispatch(name, request):
                return handlers.get(name)(request)


            router.api_route("/ping", methods=["GET", "HEAD"])(ping)
            router.websocket("/ws")(ping)
        """,
    }
    r = scan_files(tmp_path, files, analyzers=("fastapi",))
    assert sorted(("/".join(x.methods), x.path, x.handler, x.line) for x in r.routes) == [
        ("GET/HEAD", "/r/ping", "svc.main.ping", 7),
        ("WEBSOCKET", "/r/ws", "svc.main.ping", 7),
    ]
