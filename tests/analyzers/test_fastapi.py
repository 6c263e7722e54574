"""FastAPI / Starlette route analyzer: exact routes for every construct it claims to handle."""

from __future__ import annotations

import shutil

import pytest

from backendscan.testing import scan_files
from backendscan.pipeline import scan
from backendscan.config import Config


def _scan(tmp_path, files, **config):
    config.setdefault("analyzers", ("fastapi",))
    return scan_files(tmp_path, files, **config)


def rows(result):
    """(methods, path, handler, file, line, path_status) of every route, sorted."""
    return sorted(
        ("/".join(r.methods), r.path, r.handler, r.file, r.line, r.path_status) for r in result.routes
    )


def pairs(result):
    return sorted(("/".join(r.methods), r.path) for r in result.routes)


def route(result, method, path, handler=None):
    found = [
        r
        for r in result.routes
        if method in r.methods and r.path == path and (handler is None or r.handler == handler)
    ]
    assert len(found) == 1, (method, path, [(r.methods, r.path, r.handler) for r in result.routes])
    return found[0]


def auth(r):
    return sorted((a.name, a.attached) for a in r.auth)


def findings(result, rule):
    return sorted((f.location.path, f.location.line, f.message) for f in result.findings if f.rule_id == rule)


# ----------------------------------------------------------------------------- fixtures
SHOP_ROUTES = [
    # method, path, handler, file, decorator line, def line, auth names, response_model
    ("POST", "/api/v1/login/access-token", "shop.api.login.login_access_token", "shop/api/login.py", 16, 17, [], "Token"),
    ("POST", "/api/v1/signup", "shop.api.login.register", "shop/api/login.py", 26, 27, [], "UserOut"),
    ("GET", "/api/v1/users/me", "shop.api.users.read_me", "shop/api/users.py", 12, 13,
     [("get_current_user", "handler_parameter")], "UserOut"),
    ("PATCH", "/api/v1/users/me", "shop.api.users.update_me", "shop/api/users.py", 17, 18,
     [("get_current_user", "handler_parameter")], "UserOut"),
    ("POST", "/api/v1/users/", "shop.api.users.create_user", "shop/api/users.py", 23, 29,
     [("get_current_active_superuser", "route")], "UserOut"),
    ("GET", "/api/v1/users/{user_id}", "shop.api.users.read_user", "shop/api/users.py", 33, 38,
     [("get_current_active_superuser", "route")], "UserOut"),
    ("GET", "/api/v1/orders/", "shop.api.orders.list_orders", "shop/api/orders.py", 14, 15,
     [("get_current_user", "handler_parameter")], "list[OrderOut]"),
    ("POST", "/api/v1/orders/", "shop.api.orders.create_order", "shop/api/orders.py", 21, 22,
     [("get_current_user", "handler_parameter")], "OrderOut"),
    ("GET", "/api/v1/orders/{order_id}", "shop.api.orders.read_order", "shop/api/orders.py", 30, 31,
     [("get_current_user", "handler_parameter")], "OrderOut"),
    ("POST", "/api/v1/orders/{order_id}/pay", "shop.api.orders.pay_order", "shop/api/orders.py", 39, 40,
     [("get_current_user", "handler_parameter")], "OrderOut"),
    ("POST", "/api/v1/orders/{order_id}/cancel", "shop.api.orders.cancel_order", "shop/api/orders.py", 51, 52,
     [("get_current_user", "handler_parameter")], None),
    ("GET", "/api/v1/orders/{order_id}/receipt", "shop.api.orders.download_receipt", "shop/api/orders.py", 58, 59,
     [], "ReceiptOut"),
    ("GET", "/api/v1/health/live", "shop.api.health.live", "shop/api/health.py", 12, 13, [], "HealthStatus"),
    ("GET", "/api/v1/health/ready", "shop.api.health.ready", "shop/api/health.py", 17, 18, [], "HealthStatus"),
]


@pytest.fixture(scope="module")
def shop(request):
    from tests.conftest import FIXTURES

    return scan(FIXTURES / "shop", Config(use_cache=False, jobs=1, metrics=False, analyzers=("fastapi",)))


def test_shop_has_exactly_the_fourteen_routes(shop):
    fastapi_routes = [r for r in shop.routes if r.framework == "fastapi"]
    assert sorted((r.methods[0], r.path, r.handler, r.file, r.line) for r in fastapi_routes) == sorted(
        (m, p, h, f, d) for m, p, h, f, _, d, _, _ in SHOP_ROUTES
    )


@pytest.mark.parametrize("method,path,handler,file,dec,line,names,model", SHOP_ROUTES, ids=[r[1] + " " + r[0] for r in SHOP_ROUTES])
def test_shop_route_details(shop, method, path, handler, file, dec, line, names, model):
    r = route(shop, method, path)
    assert (r.handler, r.file, r.line, r.raw_path, r.path_status) == (handler, file, line, path, "resolved")
    assert r.methods == (method,)
    assert (r.registered_at.path, r.registered_at.line) == (file, dec)
    assert auth(r) == sorted(names)
    assert dict(r.options).get("response_model") == model
    assert r.app == "shop.main.app"
    assert r.is_async == (handler == "shop.api.health.ready")
    assert not r.orphan and r.conditions == ()


def test_shop_auth_evidence_kinds_and_places(shop):
    me = route(shop, "GET", "/api/v1/users/me")
    (ev,) = me.auth
    # CurrentUser -> get_current_user -> TokenDep -> OAuth2PasswordBearer: a security scheme is reached
    assert (ev.kind, ev.name, ev.attached) == ("security", "get_current_user", "handler_parameter")
    assert (ev.location.path, ev.location.line) == ("shop/api/deps.py", 40)  # the Depends() inside the alias
    su = route(shop, "POST", "/api/v1/users/")
    (ev,) = su.auth
    assert (ev.kind, ev.location.path, ev.location.line) == ("security", "shop/api/users.py", 27)


def test_shop_groups_and_tags(shop):
    assert route(shop, "GET", "/api/v1/orders/").group == "shop.api.orders.router"
    assert route(shop, "GET", "/api/v1/users/me").group == "shop.api.users.router"
    assert dict(route(shop, "GET", "/api/v1/orders/").options)["inherited_tags"] == "orders"
    assert dict(route(shop, "GET", "/api/v1/users/me").options)["inherited_tags"] == "users"
    assert dict(route(shop, "POST", "/api/v1/signup").options)["status_code"] == "status.HTTP_201_CREATED"


def test_shop_prefix_comes_from_an_env_overridable_settings_default(shop):
    r = route(shop, "GET", "/api/v1/health/live")
    assert dict(r.options)["path_env_overridable"] == "true"
    assert not shop.findings or not [f for f in shop.findings if f.rule_id in ("orphan-router", "dynamic-registration")]


def test_layout_monorepo_route(fixtures):
    result = scan(fixtures / "layout_monorepo", Config(use_cache=False, jobs=1, metrics=False, analyzers=("fastapi",)))
    assert rows(result) == [("GET", "/api/items/", "app.api.items.list_items", "backend/app/api/items.py", 11, "resolved")]
    (r,) = result.routes
    assert (r.registered_at.path, r.registered_at.line) == ("backend/app/api/items.py", 10)
    assert r.auth == () and r.app == "app.main.app" and r.group == "app.api.items.router"


def test_no_import_route_is_found_without_running_the_code(fixtures, tmp_path):
    project = tmp_path / "no_import"
    shutil.copytree(fixtures / "no_import", project)
    result = scan(project, Config(use_cache=False, jobs=1, metrics=False, analyzers=("fastapi",)))
    assert rows(result) == [("GET", "/widgets/{widget_id}", "boom.app.read_widget", "boom/app.py", 16, "resolved")]
    assert result.routes[0].registered_at.line == 15
    assert result.routes[0].auth == ()
    assert not (project / "IMPORTED_MARKER").exists()


# ----------------------------------------------------------------------------- names
def test_routers_are_found_through_aliases_reexports_and_module_attributes(tmp_path):
    result = _scan(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/api/__init__.py": "from .users import router as users_router\n",
            "app/api/users.py": '''
                from fastapi import APIRouter as Router
                router = Router(prefix="/users")
                @router.get("/{user_id:int}")
                def read_user(user_id: int): ...
            ''',
            "app/api/items.py": '''
                import fastapi
                router = fastapi.routing.APIRouter()
                same = router
                @same.post("/items")
                async def make_item(): ...
            ''',
            "app/main.py": '''
                import fastapi as fa
                import app.api.items as items_mod
                from app.api import users_router as u
                application = fa.FastAPI()
                application.include_router(u)
                application.include_router(items_mod.router, prefix="/v1")
            ''',
        },
    )
    assert rows(result) == [
        ("GET", "/users/{user_id}", "app.api.users.read_user", "app/api/users.py", 4, "resolved"),
        ("POST", "/v1/items", "app.api.items.make_item", "app/api/items.py", 5, "resolved"),
    ]
    r = route(result, "GET", "/users/{user_id}")
    assert r.raw_path == "/users/{user_id:int}"
    assert r.app == "app.main.application" and r.group == "app.api.users.router"
    assert route(result, "POST", "/v1/items").is_async


def test_variable_names_do_not_matter_only_what_they_resolve_to(tmp_path):
    result = _scan(
        tmp_path,
        {
            "web/__init__.py": "",
            "web/views.py": '''
                from flask import Blueprint
                from fastapi import FastAPI
                app = Blueprint("app", __name__)       # a Flask blueprint named app
                router = FastAPI()                     # a FastAPI app named router

                @app.get("/flask-only")
                def flask_view(): ...

                @router.get("/real")
                def real(): ...

                class Thing:
                    def get(self, path): return lambda f: f
                thing = Thing()
                @thing.get("/not-a-route")
                def nope(): ...
            ''',
        },
    )
    assert pairs(result) == [("GET", "/real")]
    assert route(result, "GET", "/real").app == "web.views.router"


# ----------------------------------------------------------------------------- operations
OPS = {
    "svc/__init__.py": "",
    "svc/main.py": '''
        from fastapi import APIRouter, FastAPI, WebSocket
        from starlette.endpoints import HTTPEndpoint
        from starlette.responses import PlainTextResponse

        app = FastAPI()
        r = APIRouter(prefix="/ops")

        @r.get("/g")
        def g(): ...
        @r.post("/p")
        def p(): ...
        @r.put("/u")
        def u(): ...
        @r.patch("/pa")
        def pa(): ...
        @r.delete("/d")
        def d(): ...
        @r.options("/o")
        def o(): ...
        @r.head("/h")
        def h(): ...
        @r.trace("/t")
        def t(): ...
        @r.api_route("/multi", methods=["get", "POST"])
        def multi(): ...
        @r.api_route("/default")
        def default(): ...
        @r.websocket("/ws")
        async def ws(websocket: WebSocket): ...

        def stats(): ...
        async def live(websocket: WebSocket): ...
        def plain(request): return PlainTextResponse("x")

        class Things(HTTPEndpoint):
            async def get(self, request): ...
            async def delete(self, request): ...

        r.add_api_route("/stats", stats, methods=["GET", "HEAD"])
        r.add_api_route("/stats-default", endpoint=stats)
        r.add_api_websocket_route("/live", live)
        app.add_route("/plain", plain)
        app.add_route("/plain-post", plain, methods=["POST"])
        app.add_route("/things", Things)
        app.include_router(r)
    ''',
}


def test_every_path_operation_and_imperative_registration(tmp_path):
    result = _scan(tmp_path, OPS)
    assert rows(result) == sorted([
        ("DELETE", "/ops/d", "svc.main.d", "svc/main.py", 17, "resolved"),
        ("GET", "/ops/default", "svc.main.default", "svc/main.py", 27, "resolved"),
        ("GET", "/ops/g", "svc.main.g", "svc/main.py", 9, "resolved"),
        ("GET", "/ops/stats-default", "svc.main.stats", "svc/main.py", 31, "resolved"),
        ("GET", "/plain", "svc.main.plain", "svc/main.py", 33, "resolved"),
        ("GET/HEAD", "/ops/stats", "svc.main.stats", "svc/main.py", 31, "resolved"),
        ("GET/POST", "/ops/multi", "svc.main.multi", "svc/main.py", 25, "resolved"),
        ("GET/DELETE", "/things", "svc.main.Things", "svc/main.py", 35, "resolved"),
        ("HEAD", "/ops/h", "svc.main.h", "svc/main.py", 21, "resolved"),
        ("OPTIONS", "/ops/o", "svc.main.o", "svc/main.py", 19, "resolved"),
        ("PATCH", "/ops/pa", "svc.main.pa", "svc/main.py", 15, "resolved"),
        ("POST", "/ops/p", "svc.main.p", "svc/main.py", 11, "resolved"),
        ("POST", "/plain-post", "svc.main.plain", "svc/main.py", 33, "resolved"),
        ("PUT", "/ops/u", "svc.main.u", "svc/main.py", 13, "resolved"),
        ("TRACE", "/ops/t", "svc.main.t", "svc/main.py", 23, "resolved"),
        ("WEBSOCKET", "/ops/live", "svc.main.live", "svc/main.py", 32, "resolved"),
        ("WEBSOCKET", "/ops/ws", "svc.main.ws", "svc/main.py", 29, "resolved"),
    ])
    assert route(result, "WEBSOCKET", "/ops/ws").kind == "websocket"
    assert route(result, "GET", "/ops/stats").registered_at.line == 39
