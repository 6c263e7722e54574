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


# ----------------------------------------------------------------------------- router subclasses and auth
SUBCLASSES = {
    "app/__init__.py": "",
    "app/deps.py": '''
        def get_admin_user(): ...
        def get_current_user(): ...
    ''',
    "app/routing.py": '''
        from typing import Any
        from fastapi import APIRouter, Depends
        from app.deps import get_admin_user, get_current_user

        class AdminAPIRouter(APIRouter):
            def __init__(self, tags=None, prefix: str = "/admin", **kwargs: Any) -> None:
                super().__init__(tags=tags, prefix=prefix, dependencies=[Depends(get_admin_user)], **kwargs)

        class UserAPIRouter(APIRouter):
            def __init__(self, **kwargs: Any) -> None:
                kwargs.setdefault("dependencies", [Depends(get_current_user)])
                super().__init__(**kwargs)

        class PlainRouter(APIRouter):
            """Adds nothing; keyword arguments pass through."""

        class DeepRouter(PlainRouter):
            pass
    ''',
    "app/api.py": '''
        from app.routing import AdminAPIRouter, DeepRouter, UserAPIRouter

        admin = AdminAPIRouter()
        named = AdminAPIRouter(prefix="/staff")
        me = UserAPIRouter(prefix="/me")
        deep = DeepRouter(prefix="/deep")

        @admin.get("/stats")
        def stats(): ...

        @named.delete("/{staff_id}")
        def fire(staff_id: int): ...

        @me.get("")
        def profile(): ...

        @deep.put("/x")
        def x(): ...
    ''',
    "app/main.py": '''
        from fastapi import FastAPI
        from app import api

        app = FastAPI()
        for r in (api.admin, api.named, api.me, api.deep):
            app.include_router(r)
    ''',
}


def test_router_subclasses_inject_prefixes_and_dependencies(tmp_path):
    result = _scan(tmp_path, SUBCLASSES)
    assert rows(result) == [
        ("DELETE", "/staff/{staff_id}", "app.api.fire", "app/api.py", 12, "resolved"),
        ("GET", "/admin/stats", "app.api.stats", "app/api.py", 9, "resolved"),
        ("GET", "/me", "app.api.profile", "app/api.py", 15, "resolved"),
        ("PUT", "/deep/x", "app.api.x", "app/api.py", 18, "resolved"),
    ]
    stats = route(result, "GET", "/admin/stats")
    (ev,) = stats.auth
    assert (ev.name, ev.attached, ev.kind, ev.inherited_from) == ("get_admin_user", "router", "dependency", "app.api.admin")
    assert (ev.location.path, ev.location.line) == ("app/routing.py", 7)
    assert auth(route(result, "DELETE", "/staff/{staff_id}")) == [("get_admin_user", "router")]
    assert auth(route(result, "GET", "/me")) == [("get_current_user", "router")]
    assert route(result, "PUT", "/deep/x").auth == ()


AUTH = {
    "svc/__init__.py": "",
    "svc/deps.py": '''
        from typing import Annotated, Optional
        from fastapi import Depends
        from fastapi.security import APIKeyHeader, HTTPBearer

        bearer = HTTPBearer()
        api_key = APIKeyHeader(name="X-Key")

        def get_db(): ...
        def decode(creds=Depends(bearer)): ...          # not auth by name, but reaches a scheme
        def load_org(token: Annotated[str, Depends(api_key)]): ...
        Principal = Annotated[dict, Depends(decode)]
        def team_member(p: Principal): ...               # reaches a scheme through an alias
        DB = Annotated[object, Depends(get_db)]
        def custom_guard(): ...                          # auth only because the config says so
        def require_admin(): ...                         # auth by name
        def verify_token(): ...
        def get_current_user(): ...
        def rate_limit(): ...
    ''',
    "svc/api.py": '''
        from typing import Optional
        from fastapi import APIRouter, Depends, Security
        from fastapi.security import HTTPBearer
        from svc.deps import DB, Principal, custom_guard, load_org, rate_limit, require_admin, team_member

        router = APIRouter(dependencies=[Depends(rate_limit)])

        @router.get("/a")
        def a(db: DB): ...

        @router.get("/b")
        def b(p: Principal, db: DB): ...

        @router.get("/c", dependencies=[Security(load_org, scopes=["org:read"])])
        def c(): ...

        @router.get("/d")
        def d(x=Depends(team_member)): ...

        @router.get("/e", dependencies=[Depends(custom_guard)])
        def e(): ...

        @router.get("/f", dependencies=[Depends(require_admin)])
        def f(): ...

        @router.get("/g")
        def g(creds=Depends(HTTPBearer())): ...

        @router.get("/h")
        def h(p: Optional[Principal] = None): ...
    ''',
    "svc/main.py": '''
        from fastapi import Depends, FastAPI
        from svc.api import router
        from svc.deps import get_current_user, verify_token

        app = FastAPI(dependencies=[Depends(verify_token)])
        app.include_router(router, prefix="/v1", dependencies=[Depends(get_current_user)])
    ''',
}


def test_auth_evidence_from_every_attach_point(tmp_path):
    result = _scan(tmp_path, AUTH, extra=(("auth-dependencies", ["custom_*"]),))
    inherited = [("get_current_user", "include"), ("verify_token", "app")]
    expected = {
        "/v1/a": [],
        "/v1/b": [("decode", "handler_parameter")],
        "/v1/c": [("load_org", "route")],
        "/v1/d": [("team_member", "handler_parameter")],
        "/v1/e": [("custom_guard", "route")],
        "/v1/f": [("require_admin", "route")],
        "/v1/g": [("HTTPBearer", "handler_parameter")],
        "/v1/h": [("decode", "handler_parameter")],
    }
    for path, own in expected.items():
        assert auth(route(result, "GET", path)) == sorted(own + inherited), path
    kinds = {a.name: (a.kind, a.inherited_from) for r in result.routes for a in r.auth}
    assert kinds == {
        "decode": ("security", ""),
        "load_org": ("security", ""),
        "team_member": ("security", ""),
        "custom_guard": ("dependency", ""),
        "require_admin": ("dependency", ""),
        "HTTPBearer": ("security", ""),
        "get_current_user": ("dependency", "svc.main.app"),
        "verify_token": ("dependency", "svc.main.app"),
    }


def test_without_configuration_an_unnamed_guard_is_not_auth(tmp_path):
    result = _scan(tmp_path, AUTH)
    assert auth(route(result, "GET", "/v1/e")) == [("get_current_user", "include"), ("verify_token", "app")]


# ----------------------------------------------------------------------------- composition
CHAINS = {
    "pkg/__init__.py": "",
    "pkg/a.py": '''
        from fastapi import APIRouter
        leaf = APIRouter(prefix="/leaf")
        @leaf.get("/x")
        def x(): ...
    ''',
    "pkg/b.py": '''
        from fastapi import APIRouter
        from .a import leaf
        mid = APIRouter(prefix="/mid")
        mid.include_router(leaf, prefix="/inc")
    ''',
    "pkg/c.py": '''
        from fastapi import APIRouter
        from .b import mid
        top = APIRouter()
        top.include_router(mid, prefix="/v1")
        top.include_router(mid, prefix="/v2")
        top.include_router(mid, prefix="/v2")
    ''',
    "pkg/main.py": '''
        from fastapi import FastAPI
        from pkg.c import top
        app = FastAPI()
        app.include_router(top, prefix="/api")
    ''',
}


def test_include_chains_of_any_depth_and_several_inclusions(tmp_path):
    result = _scan(tmp_path, CHAINS)
    assert rows(result) == [
        ("GET", "/api/v1/mid/inc/leaf/x", "pkg.a.x", "pkg/a.py", 4, "resolved"),
        ("GET", "/api/v2/mid/inc/leaf/x", "pkg.a.x", "pkg/a.py", 4, "resolved"),
    ]
    assert {r.group for r in result.routes} == {"pkg.a.leaf"}
    assert findings(result, "include-cycle") == []


def test_include_cycles_are_reported_not_followed(tmp_path):
    files = dict(CHAINS)
    files["pkg/cycle.py"] = '''
        from pkg.a import leaf
        from pkg.c import top
        leaf.include_router(top)
    '''
    result = _scan(tmp_path, files)
    assert pairs(result) == [("GET", "/api/v1/mid/inc/leaf/x"), ("GET", "/api/v2/mid/inc/leaf/x")]
    (f,) = findings(result, "include-cycle")
    assert f[:2] == ("pkg/cycle.py", 3)
    assert "pkg.a.leaf -> pkg.c.top" in f[2]


MOUNTS = {
    "site/__init__.py": "",
    "site/sub.py": '''
        from fastapi import FastAPI
        sub_app = FastAPI(root_path="/ignored")
        @sub_app.get("/ping")
        def ping(): ...
    ''',
    "site/main.py": '''
        from fastapi import FastAPI
        from fastapi.staticfiles import StaticFiles
        from starlette.applications import Starlette
        from starlette.routing import Mount, Route, Router, WebSocketRoute
        from site.sub import sub_app

        def home(request): ...
        async def ws(websocket): ...
        def user(request): ...

        users = Router(routes=[Route("/{id:int}", user, methods=["GET", "POST", "HEAD"])])
        legacy = Starlette(
            routes=[
                Route("/", home),
                Mount("/users", routes=[Route("/{id:int}", user)]),
                WebSocketRoute("/ws", ws),
                Mount("/assets", app=StaticFiles(directory="assets")),
                Mount("/r", app=users),
            ]
        )
        app = FastAPI(root_path="/svc")
        app.mount("/api/v2", sub_app)
        app.mount("/static/", StaticFiles(directory="static"), name="static")
        app.mount("/legacy", app=legacy)
    ''',
}


def test_mounts_of_apps_static_files_and_starlette_routes(tmp_path):
    result = _scan(tmp_path, MOUNTS)
    assert rows(result) == sorted([
        ("GET", "/api/v2/ping", "site.sub.ping", "site/sub.py", 4, "resolved"),
        ("MOUNT", "/static", "starlette.staticfiles.StaticFiles", "site/main.py", 23, "resolved"),
        ("GET", "/legacy/", "site.main.home", "site/main.py", 7, "resolved"),
        ("GET", "/legacy/users/{id}", "site.main.user", "site/main.py", 9, "resolved"),
        ("WEBSOCKET", "/legacy/ws", "site.main.ws", "site/main.py", 8, "resolved"),
        ("MOUNT", "/legacy/assets", "starlette.staticfiles.StaticFiles", "site/main.py", 17, "resolved"),
        ("GET/POST", "/legacy/r/{id}", "site.main.user", "site/main.py", 9, "resolved"),
    ])
    assert {r.app for r in result.routes} == {"site.main.app"}  # mounted apps are not roots
    static = route(result, "MOUNT", "/static")
    assert (static.kind, static.name) == ("static", "static")
    assert dict(route(result, "GET", "/api/v2/ping").options)["root_path"] == "/svc"
    assert route(result, "GET", "/legacy/users/{id}").raw_path == "/legacy/users/{id:int}"
    assert route(result, "GET", "/legacy/").framework == "fastapi"


def test_a_starlette_app_on_its_own(tmp_path):
    result = _scan(
        tmp_path,
        {
            "st/__init__.py": "",
            "st/app.py": '''
                from starlette.applications import Starlette
                from starlette.routing import Route

                async def homepage(request): ...

                routes = [Route("/", homepage)]
                app = Starlette(debug=True, routes=routes)
            ''',
        },
    )
    assert rows(result) == [("GET", "/", "st.app.homepage", "st/app.py", 4, "resolved")]
    assert result.routes[0].framework == "starlette" and result.routes[0].is_async


# ----------------------------------------------------------------------------- loops, factories, helpers
LOOPS = {
    "web/__init__.py": "",
    "web/routers.py": '''
        from fastapi import APIRouter
        a = APIRouter(prefix="/a")
        b = APIRouter(prefix="/b")
        c = APIRouter()
        d = APIRouter()

        @a.get("/")
        def in_a(): ...
        @b.get("/")
        def in_b(): ...
        @c.get("/")
        def in_c(): ...
        @d.get("/")
        def in_d(): ...
    ''',
    "web/main.py": '''
        from fastapi import FastAPI
        from web import routers
        from web.plugins import discover

        ROUTERS = (routers.a, routers.b)
        EXTRA = [(routers.c, "/c")]
        EXTRA += [(routers.d, "/d")]

        app = FastAPI()
        for router in ROUTERS:
            app.include_router(router)
        for router, prefix in EXTRA:
            app.include_router(router, prefix=prefix)
        for plugin in discover():
            app.include_router(plugin)
        for name in ["x", "y"]:
            @app.get(f"/{name}")
            def named(): ...
    ''',
    "web/plugins.py": '''
        def discover():
            found = []
            return found
    ''',
}


def test_registrations_in_loops_over_literal_lists_are_unrolled(tmp_path):
    result = _scan(tmp_path, LOOPS)
    assert pairs(result) == [
        ("GET", "/a/"),
        ("GET", "/b/"),
        ("GET", "/c/"),
        ("GET", "/d/"),
        ("GET", "/x"),
        ("GET", "/y"),
    ]
    assert route(result, "GET", "/x").handler == route(result, "GET", "/y").handler == "web.main.named"
    assert route(result, "GET", "/c/").orphan is False
    (f,) = findings(result, "dynamic-registration")
    assert f[:2] == ("web/main.py", 15)
    assert "discover()" in f[2]


FACTORY = {
    "app/__init__.py": "",
    "app/routes.py": '''
        from fastapi import APIRouter, FastAPI
        router = APIRouter()
        other = APIRouter()

        @router.get("/items")
        def items(): ...

        @other.get("/other")
        def other_view(): ...

        def register(app: FastAPI, prefix: str = "/default") -> None:
            app.include_router(router, prefix=prefix)

        def install(target):
            target.include_router(other, prefix="/x")
    ''',
    "app/factory.py": '''
        from fastapi import FastAPI
        from app.routes import install, register

        def create_api(health_path: str = "/health") -> FastAPI:
            api = FastAPI()

            @api.get(health_path)
            async def health():
                return True

            register(api, prefix="/api")
            install(api)
            return api

        def create_root():
            root = FastAPI()
            api = create_api()
            root.mount("/svc", api)
            return root

        application = create_root()
    ''',
}


def test_factories_and_helpers_are_followed_from_their_call_sites(tmp_path):
    result = _scan(tmp_path, FACTORY)
    assert rows(result) == [
        ("GET", "/svc/api/items", "app.routes.items", "app/routes.py", 6, "resolved"),
        ("GET", "/svc/health", "app.factory.create_api.<locals>.health", "app/factory.py", 8, "resolved"),
        ("GET", "/svc/x/other", "app.routes.other_view", "app/routes.py", 9, "resolved"),
    ]
    assert {r.app for r in result.routes} == {"app.factory.create_root.<locals>.root"}
    assert route(result, "GET", "/svc/health").group == "app.factory.create_api.<locals>.api"
    assert findings(result, "orphan-router") == []


def test_a_helper_nobody_calls_binds_to_its_annotated_parameter(tmp_path):
    result = _scan(
        tmp_path,
        {
            "h/__init__.py": "",
            "h/setup.py": '''
                from fastapi import APIRouter, FastAPI
                router = APIRouter()

                @router.get("/z")
                def z(): ...

                def init_views(app: FastAPI, prefix) -> None:
                    app.include_router(router, prefix=prefix)
            ''',
        },
    )
    (r,) = result.routes
    assert (r.path, r.raw_path, r.path_status, r.app) == ("{prefix}/z", "{prefix}/z", "partial", "h.setup.init_views.<locals>.app")
    assert [(u.expr, u.reason) for u in r.unresolved] == [("prefix", "parameter of init_views() with no known call site")]


# ----------------------------------------------------------------------------- values and conditions
VALUES = {
    "conf/__init__.py": "",
    "conf/settings.py": '''
        import os
        from pydantic_settings import BaseSettings

        class Settings(BaseSettings):
            API_PREFIX: str = "/api"
            ENABLE_DEBUG: bool = False

        settings = Settings()
        VERSION = "v1"
        BASE = os.environ.get("BASE", "/base")
    ''',
    "conf/main.py": '''
        from typing import TYPE_CHECKING
        from fastapi import APIRouter, FastAPI
        from conf.settings import BASE, VERSION, settings
        from conf.runtime import compute, get_prefix

        r1 = APIRouter()
        r2 = APIRouter()
        r3 = APIRouter()
        dbg = APIRouter()
        prod = APIRouter()

        @r1.get("/one")
        def one(): ...
        @r2.get("/two")
        def two(): ...
        @r3.get("/three")
        def three(): ...
        @dbg.get("/dbg")
        def debug_view(): ...
        @prod.get("/prod")
        def prod_view(): ...

        app = FastAPI()
        app.include_router(r1, prefix=f"{settings.API_PREFIX}/{VERSION}")
        app.include_router(r2, prefix=BASE + "/x")
        app.include_router(r3, prefix=get_prefix())
        if settings.ENABLE_DEBUG:
            app.include_router(dbg)
        else:
            app.include_router(prod)
        if TYPE_CHECKING:
            app.include_router(dbg, prefix="/never")

        @app.get(compute())
        def computed(): ...
    ''',
    "conf/runtime.py": '''
        import random

        def get_prefix():
            p = random.choice(["/p", "/q"])
            return p

        def compute():
            return random.choice(["/a", "/b"])
    ''',
}


def test_prefixes_are_folded_or_kept_as_placeholders(tmp_path):
    result = _scan(tmp_path, VALUES)
    assert sorted((r.path, r.path_status) for r in result.routes) == [
        ("/api/v1/one", "resolved"),
        ("/base/x/two", "resolved"),
        ("/dbg", "resolved"),
        ("/prod", "resolved"),
        ("{compute()}", "unresolved"),
        ("{get_prefix()}/three", "partial"),
    ]
    assert dict(route(result, "GET", "/base/x/two").options)["path_env_overridable"] == "true"
    three = route(result, "GET", "{get_prefix()}/three")
    assert [(u.expr, u.location.path, u.location.line) for u in three.unresolved] == [("get_prefix()", "conf/main.py", 26)]
    assert route(result, "GET", "/dbg").conditions == ("settings.ENABLE_DEBUG",)
    assert route(result, "GET", "/prod").conditions == ("not settings.ENABLE_DEBUG",)


def test_guard_clauses_and_branch_alternatives(tmp_path):
    result = _scan(
        tmp_path,
        {
            "g/__init__.py": "",
            "g/main.py": '''
                import os
                from fastapi import APIRouter, FastAPI
                from g.config import BASE_PATH, plugins_enabled

                api = FastAPI()
                plugins = APIRouter()

                @api.get("/ping")
                def ping(): ...

                @plugins.get("/list")
                def plugin_list(): ...

                def init_plugins(app: FastAPI) -> None:
                    if not plugins_enabled():
                        return
                    app.include_router(plugins, prefix="/plugins")

                app = FastAPI()
                if BASE_PATH:
                    app.mount(BASE_PATH.value(), api)
                else:
                    app.mount("/api", api)
                init_plugins(app)
            ''',
            "g/config.py": '''
                BASE_PATH = object()
                def plugins_enabled():
                    import random
                    return random.random() > 0.5
            ''',
        },
    )
    assert sorted((r.path, r.conditions) for r in result.routes) == [
        ("/api/ping", ("not BASE_PATH",)),
        ("/plugins/list", ("plugins_enabled()",)),
    ]
    (f,) = findings(result, "conditional-prefix")
    assert f[:2] == ("g/main.py", 21)
    assert "{BASE_PATH.value()}" in f[2] and "'/api'" in f[2]


# ----------------------------------------------------------------------------- findings
def test_invalid_prefixes_and_orphan_routers_are_reported(tmp_path):
    result = _scan(
        tmp_path,
        {
            "f/__init__.py": "",
            "f/main.py": '''
                from fastapi import APIRouter, FastAPI
                bad = APIRouter(prefix="items/")
                lost = APIRouter(prefix="/lost")

                @bad.get("/x")
                def x(): ...

                @lost.post("/y")
                def y(): ...

                app = FastAPI()
                app.include_router(bad, prefix="/v1/")
            ''',
        },
    )
    assert sorted((r.methods, r.path, r.orphan, r.app) for r in result.routes) == [
        (("GET",), "/v1/items//x", False, "f.main.app"),
        (("POST",), "/lost/y", True, ""),
    ]
    assert findings(result, "invalid-route-prefix") == [
        ("f/main.py", 2, "APIRouter prefix of f.main.bad is 'items/', which does not start with '/'; FastAPI refuses it at start-up"),
        ("f/main.py", 12, "include_router prefix at f/main.py:12 is '/v1/', which ends with '/'; FastAPI refuses it at start-up"),
    ]
    (orphan,) = findings(result, "orphan-router")
    assert orphan[:2] == ("f/main.py", 3) and "f.main.lost" in orphan[2]


def test_class_based_controllers_type_checking_and_factory_endpoints(tmp_path):
    result = _scan(
        tmp_path,
        {
            "c/__init__.py": "",
            "c/main.py": '''
                from typing import TYPE_CHECKING
                from fastapi import APIRouter, Depends, FastAPI
                from c.deps import get_current_user

                router = APIRouter(prefix="/groups")

                class GroupController:
                    @router.get("/self")
                    def me(self, user=Depends(get_current_user)): ...

                def make_handler(name):
                    def _run():
                        return name
                    return _run

                router.add_api_route("/run", make_handler("x"), methods=["GET"])
                router.add_api_route("/lam", lambda: 1)
                if TYPE_CHECKING:
                    @router.get("/typing-only")
                    def never(): ...

                app = FastAPI()
                app.include_router(router)
            ''',
            "c/deps.py": "def get_current_user(): ...\n",
        },
    )
    assert rows(result) == [
        ("GET", "/groups/lam", "lambda: 1", "c/main.py", 17, "resolved"),
        ("GET", "/groups/run", "c.main.make_handler.<locals>._run", "c/main.py", 12, "resolved"),
        ("GET", "/groups/self", "c.main.GroupController.me", "c/main.py", 9, "resolved"),
    ]
    assert auth(route(result, "GET", "/groups/self")) == [("get_current_user", "handler_parameter")]


def test_cadwyn_versioned_apps(tmp_path):
    result = _scan(
        tmp_path,
        {
            "v/__init__.py": "",
            "v/app.py": '''
                from cadwyn import Cadwyn, VersionedAPIRouter
                from fastapi import APIRouter

                class MyCadwyn(Cadwyn):
                    pass

                router = VersionedAPIRouter(prefix="/things")

                @router.get("/{thing_id}")
                def get_thing(thing_id: str): ...

                top = APIRouter()
                top.include_router(router)

                def create():
                    app = MyCadwyn(versions=None)
                    app.generate_and_include_versioned_routers(top)
                    return app
            ''',
        },
    )
    assert rows(result) == [("GET", "/things/{thing_id}", "v.app.get_thing", "v/app.py", 10, "resolved")]
    assert result.routes[0].app == "v.app.create.<locals>.app"


# ----------------------------------------------------------------------------- auth names
@pytest.mark.parametrize(
    "name,is_auth",
    [
        ("get_current_user", True),
        ("get_current_active_superuser", True),
        ("current_user", True),
        ("require_admin", True),
        ("requires_scope", True),
        ("authenticate", True),
        ("auth_required", True),
        ("oauth2_scheme", True),
        ("verify_token", True),
        ("verify_api_key", True),
        ("login_required", True),
        ("get_admin_user", True),
        ("check_permissions", True),
        ("has_scope", True),
        ("RequireAdmin", True),
        ("Authenticator", True),
        ("get_db", False),
        ("get_session", False),
        ("get_author", False),
        ("author_service", False),
        ("get_settings", False),
        ("pagination", False),
        ("rate_limit", False),
        ("get_user_by_id", False),
        ("EnforceMinimumAPIVersion", False),
    ],
)
def test_auth_names(name, is_auth):
    from backendscan.analyzers.fastapi_auth import AUTH_NAME, snake

    assert bool(AUTH_NAME.search(snake(name))) is is_auth


def test_memoising_and_raising_guards_are_not_conditions(tmp_path):
    result = _scan(
        tmp_path,
        {
            "m/__init__.py": "",
            "m/app.py": '''
                from fastapi import FastAPI
                CACHE = {}

                def create_app(key, prefix="/v1"):
                    if key in CACHE:
                        return CACHE[key]
                    if "{" in prefix:
                        raise ValueError(prefix)
                    app = FastAPI()

                    @app.get(prefix + "/ok")
                    def ok(): ...

                    for name in ("a", "b"):
                        if name == "b":
                            continue
                        @app.get("/" + name)
                        def per_name(): ...
                    CACHE[key] = app
                    return app
            ''',
        },
    )
    # the loop is unrolled, so the test on its variable is decided: "b" is skipped, "a" is unconditional
    assert sorted((r.path, r.conditions) for r in result.routes) == [("/a", ()), ("/v1/ok", ())]


def test_plugin_mounts_name_their_candidates_without_merging_them(tmp_path):
    result = _scan(
        tmp_path,
        {
            "p/__init__.py": "",
            "p/managers.py": '''
                from fastapi import FastAPI

                class BaseManager:
                    def get_fastapi_app(self):
                        return None

                class SimpleManager(BaseManager):
                    def get_fastapi_app(self):
                        app = FastAPI()

                        @app.get("/token")
                        def token(): ...

                        return app
            ''',
            "p/main.py": '''
                from fastapi import FastAPI
                from p.config import load_manager

                app = FastAPI()
                manager = load_manager()
                if sub := manager.get_fastapi_app():
                    app.mount("/auth", sub)
            ''',
            "p/config.py": '''
                import importlib
                def load_manager():
                    return importlib.import_module("x").Manager()
            ''',
        },
    )
    # the candidate keeps its own root; no /auth prefix is guessed
    assert pairs(result) == [("GET", "/token")]
    (f,) = findings(result, "dynamic-registration")
    assert f[:2] == ("p/main.py", 7)
    assert f[2].endswith("candidates in the code: p.managers.SimpleManager.get_fastapi_app.<locals>.app")


def test_class_based_controllers_inherit_class_attribute_dependencies(tmp_path):
    result = _scan(
        tmp_path,
        {
            "k/__init__.py": "",
            "k/deps.py": '''
                from typing import Annotated
                from fastapi import Depends
                def get_current_user(): ...
                def get_db(): ...
                CurrentUser = Annotated[dict, Depends(get_current_user)]
            ''',
            "k/controllers.py": '''
                from fastapi import APIRouter, Depends
                from k.deps import CurrentUser, get_db

                router = APIRouter(prefix="/groups")

                class BaseController:
                    user: CurrentUser
                    session = Depends(get_db)

                class GroupController(BaseController):
                    @router.get("/self")
                    def me(self): ...
            ''',
        },
    )
    (r,) = result.routes
    assert (r.path, r.handler, r.orphan) == ("/groups/self", "k.controllers.GroupController.me", True)
    assert [(a.name, a.attached, a.inherited_from) for a in r.auth] == [
        ("get_current_user", "class", "k.controllers.BaseController")
    ]


def test_parameters_are_bound_three_calls_deep(tmp_path):
    result = _scan(
        tmp_path,
        {
            "d/__init__.py": "",
            "d/app.py": '''
                from fastapi import APIRouter, FastAPI
                router = APIRouter()

                @router.get("/leaf")
                def leaf(): ...

                def _attach(target, prefix):
                    target.include_router(router, prefix=prefix)

                def _routes(app, version):
                    _attach(app, "/" + version)

                def setup(app):
                    for v in ("v1", "v2"):
                        _routes(app, v)

                def create_app():
                    app = FastAPI()
                    setup(app)
                    return app
            ''',
        },
    )
    assert pairs(result) == [("GET", "/v1/leaf"), ("GET", "/v2/leaf")]
    assert {r.app for r in result.routes} == {"d.app.create_app.<locals>.app"}


_ONE_ALTERNATION = (
    r"fastapi|starlette|cadwyn|[Rr]outer|FastAPI|include_router|add_api_route|Depends|Security|\.mount\(|"
    r"@\s*[\w.]+\.(?:get|post|put|patch|delete|options|head|trace|api_route|websocket|route)\("
)


def test_the_interest_check_is_the_one_alternation_it_replaced():
    import re

    from hypothesis import given, settings, strategies as st

    from backendscan.analyzers.fastapi_summary import interesting

    reference = re.compile(_ONE_ALTERNATION)
    pieces = st.sampled_from(
        ["@", " ", "\n", "app", ".", "get", "(", "router", "Router", "rOuter", "fastapi", "FastAPI", "Fastapi", "mount",
         "Depends", "x", "_", "api_route", "websocket", "@ app.get(", "starlette", "é"]
    )

    @settings(max_examples=400, deadline=None)
    @given(st.lists(pieces, max_size=12).map("".join))
    def agree(text):
        assert interesting(text) == (reference.search(text) is not None), text

    agree()
    assert interesting("@bp.route('/x')\n") and not interesting("def get(): pass\n@decorator\n")
