"""Flask-AppBuilder analyzer: exact routes of a small FAB-style project and of the edge cases one by one."""

from __future__ import annotations

import pytest
from pathlib import Path

from backendscan.testing import scan_files


def _scan(tmp_path, files, **config):
    config.setdefault("analyzers", ("flask_appbuilder",))
    return scan_files(tmp_path, files, **config)


def builtin(route):
    """A route Flask-AppBuilder's init_app registers by itself (security, menu, OpenAPI... views)."""
    return "registered_by" in dict(route.options)


def own(result):
    return [r for r in result.routes if not builtin(r)]


def rows(result):
    """(methods, path, handler, file, line) of every route the project registers, sorted."""
    return sorted(("/".join(r.methods), r.path, r.handler, r.file, r.line) for r in own(result))


def findings(result, rule):
    return sorted((f.location.path, f.location.line, f.message) for f in result.findings if f.rule_id == rule)


def no_errors(result):
    assert [f.message for f in result.findings if f.rule_id in ("analysis-error", "plugin-error")] == []


SHOP = {
    "shop/__init__.py": '''
        from flask import Flask
        from flask_appbuilder import AppBuilder, SQLA

        from .home import HomeView

        app = Flask(__name__)
        db = SQLA(app)
        appbuilder = AppBuilder(app, db.session, indexview=HomeView)

        from . import views  # noqa: E402,F401
    ''',
    "shop/constants.py": '''
        class RouteMethod:
            GET = "get"
            GET_LIST = "get_list"
            POST = "post"
            PUT = "put"
            DELETE = "delete"
            INFO = "info"
            LIST = "list"
            CRUD = {GET, GET_LIST, POST, PUT, DELETE, INFO}
    ''',
    "shop/home.py": '''
        from flask_appbuilder import IndexView, expose

        class HomeView(IndexView):
            @expose("/welcome/")
            def welcome(self):
                return ""
    ''',
    "shop/base.py": '''
        from flask_appbuilder.api import ModelRestApi, expose, protect

        class BaseShopApi(ModelRestApi):
            @expose("/related/<column_name>", methods=("GET",))
            @protect()
            def related(self, column_name):
                return ""
    ''',
    "shop/api.py": '''
        from flask_appbuilder.api import BaseApi, expose, protect
        from flask_appbuilder.security.decorators import has_access_api

        from .base import BaseShopApi
        from .constants import RouteMethod

        class ProductApi(BaseShopApi):
            resource_name = "product"
            include_route_methods = (RouteMethod.CRUD | {"related", "export"}) - {RouteMethod.PUT}

            @expose("/<id_or_slug>", methods=("GET",))
            @protect()
            def get(self, id_or_slug):
                return ""

            @expose("/export/")
            @protect()
            def export(self):
                return ""

            @expose("/hidden/")
            def not_routed(self):
                return ""

        class OrderApi(BaseShopApi):
            version = "v2"
            exclude_route_methods = {"post", "related"}

            def delete(self, pk):  # overrides the exposed method without @expose: no route
                return ""

        class StatusApi(BaseApi):
            route_base = "/status"

            @expose("/", methods=["GET", "HEAD"])
            @has_access_api
            def status(self):
                return ""

            async def helper(self):
                return ""
    ''',
    "shop/views.py": '''
        from flask_appbuilder import BaseView, ModelView, SimpleFormView, expose, has_access
        from flask_appbuilder.views import CompactCRUDMixin

        from . import appbuilder
        from .api import OrderApi, ProductApi, StatusApi

        class ProductView(ModelView):
            route_base = "/products"
            include_route_methods = "list"

        class CustomerView(CompactCRUDMixin, ModelView):
            exclude_route_methods = {"download", "action", "action_post"}

        class ReportView(BaseView):
            @expose("/daily/<int:day>")
            @has_access
            def daily(self, day):
                return ""

        class ContactForm(SimpleFormView):
            pass

        appbuilder.add_api(ProductApi)
        appbuilder.add_api(OrderApi)
        appbuilder.add_view(ProductView, "Products", category="Shop")
        appbuilder.add_view(ProductView, "Products again")  # registered once
        appbuilder.add_link("Docs", href="/docs")
        for view in (CustomerView, ContactForm):
            appbuilder.add_view(view, view.__name__)
    ''',
    "shop/extra.py": '''
        from flask_appbuilder import expose
        from flask_appbuilder.api import BaseApi

        from .settings import feature_enabled

        def init_views(appbuilder):
            from .views import ReportView
            from .api import StatusApi

            appbuilder.add_view_no_menu(ReportView())
            if feature_enabled("STATUS"):
                appbuilder.add_api(StatusApi)

        def register(appbuilder, view):
            appbuilder.add_view_no_menu(view)

        class LegacyApi(BaseApi):
            @expose("/ping")
            def ping(self):
                return ""

        def init_legacy(app):
            app.appbuilder.add_api(LegacyApi)
    ''',
    "shop/settings.py": '''
        def feature_enabled(name):
            return False
    ''',
}


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    return _scan(tmp_path_factory.mktemp("fab"), SHOP)


SHOP_ROUTES = [
    ("DELETE", "/api/v1/product/{pk}", "flask_appbuilder.api.ModelRestApi.delete", "shop/api.py", 7),
    ("GET", "/", "flask_appbuilder.views.IndexView.index", "shop/home.py", 3),
    ("GET", "/api/v1/legacyapi/ping", "shop.extra.LegacyApi.ping", "shop/extra.py", 19),
    ("GET", "/api/v1/product/", "flask_appbuilder.api.ModelRestApi.get_list", "shop/api.py", 7),
    ("GET", "/api/v1/product/_info", "flask_appbuilder.api.ModelRestApi.info", "shop/api.py", 7),
    ("GET", "/api/v1/product/export/", "shop.api.ProductApi.export", "shop/api.py", 18),
    ("GET", "/api/v1/product/related/{column_name}", "shop.base.BaseShopApi.related", "shop/base.py", 6),
    ("GET", "/api/v1/product/{id_or_slug}", "shop.api.ProductApi.get", "shop/api.py", 13),
    ("GET", "/api/v2/orderapi/", "flask_appbuilder.api.ModelRestApi.get_list", "shop/api.py", 25),
    ("GET", "/api/v2/orderapi/_info", "flask_appbuilder.api.ModelRestApi.info", "shop/api.py", 25),
    ("GET", "/api/v2/orderapi/{pk}", "flask_appbuilder.api.ModelRestApi.get", "shop/api.py", 25),
    ("GET", "/contactform/form", "flask_appbuilder.views.SimpleFormView.this_form_get", "shop/views.py", 20),
    ("GET", "/customerview/show/{pk}", "flask_appbuilder.views.ModelView.show", "shop/views.py", 11),
    ("GET", "/products/list/", "flask_appbuilder.views.ModelView.list", "shop/views.py", 7),
    ("GET", "/reportview/daily/{day}", "shop.views.ReportView.daily", "shop/views.py", 17),
    ("GET", "/welcome/", "shop.home.HomeView.welcome", "shop/home.py", 5),
    ("GET/HEAD", "/status/", "shop.api.StatusApi.status", "shop/api.py", 37),
    ("GET/POST", "/customerview/add/", "flask_appbuilder.views.CompactCRUDMixin.add", "shop/views.py", 11),
    ("GET/POST", "/customerview/delete/{pk}", "flask_appbuilder.views.CompactCRUDMixin.delete", "shop/views.py", 11),
    ("GET/POST", "/customerview/edit/{pk}", "flask_appbuilder.views.CompactCRUDMixin.edit", "shop/views.py", 11),
    ("GET/POST", "/customerview/list/", "flask_appbuilder.views.CompactCRUDMixin.list", "shop/views.py", 11),
    ("POST", "/api/v1/product/", "flask_appbuilder.api.ModelRestApi.post", "shop/api.py", 7),
    ("POST", "/contactform/form", "flask_appbuilder.views.SimpleFormView.this_form_post", "shop/views.py", 20),
    ("PUT", "/api/v2/orderapi/{pk}", "flask_appbuilder.api.ModelRestApi.put", "shop/api.py", 25),
]


def test_shop_routes(shop):
    no_errors(shop)
    assert rows(shop) == SHOP_ROUTES


def test_every_shop_route_is_resolved_and_attached_to_the_app(shop):
    assert {r.path_status for r in shop.routes} == {"resolved"}
    assert {r.framework for r in shop.routes} == {"flask"}
    assert not any(r.orphan for r in shop.routes)
    # registered on shop.appbuilder (AppBuilder(app)): the app is known; through a parameter it is not
    assert sorted(r.path for r in shop.routes if r.app != "shop.app") == [
        "/api/v1/legacyapi/ping", "/reportview/daily/{day}", "/status/"]
    assert {r.app for r in shop.routes} == {"shop.app", ""}


def _route(result, method, path):
    found = [r for r in result.routes if r.path == path and method in r.methods]
    assert len(found) == 1, (method, path)
    return found[0]


def test_inherited_routes_are_marked_as_convention_and_explicit_ones_are_not(shop):
    crud = _route(shop, "GET", "/api/v1/product/")
    assert dict(crud.options) == {
        "flask_appbuilder": "add_api",
        "convention": "inherited from flask_appbuilder.api.ModelRestApi.get_list (Flask-AppBuilder)",
    }
    assert crud.name == "ProductApi.get_list"
    assert crud.group == "shop.api.ProductApi"
    assert (crud.registered_at.path, crud.registered_at.line) == ("shop/views.py", 23)
    explicit = _route(shop, "GET", "/api/v1/product/export/")
    assert dict(explicit.options) == {"flask_appbuilder": "add_api"}


def test_auth_evidence(shop):
    def auth(method, path):
        return sorted((a.kind, a.name, a.attached, a.location.path, a.location.line, a.inherited_from)
                      for a in _route(shop, method, path).auth)

    assert auth("GET", "/api/v1/product/") == [
        ("decorator", "protect", "route", "shop/api.py", 7, "flask_appbuilder.api.ModelRestApi.get_list")]
    assert auth("GET", "/api/v1/product/export/") == [("decorator", "protect", "route", "shop/api.py", 17, "")]
    assert auth("GET", "/status/") == [("decorator", "has_access_api", "route", "shop/api.py", 36, "")]
    assert auth("GET", "/reportview/daily/{day}") == [("decorator", "has_access", "route", "shop/views.py", 16, "")]
    assert auth("POST", "/customerview/add/") == [
        ("decorator", "has_access", "route", "shop/views.py", 11, "flask_appbuilder.views.CompactCRUDMixin.add")]
    assert auth("GET", "/") == []  # IndexView.index is public


def test_conditions_and_registration_kinds(shop):
    status = _route(shop, "GET", "/status/")
    assert status.conditions == ("feature_enabled('STATUS')",)
    assert dict(status.options) == {"flask_appbuilder": "add_api"}
    assert dict(_route(shop, "GET", "/").options)["flask_appbuilder"] == "indexview"
    assert dict(_route(shop, "GET", "/reportview/daily/{day}").options) == {"flask_appbuilder": "add_view_no_menu"}
    products = _route(shop, "GET", "/products/list/")
    assert (products.registered_at.path, products.registered_at.line) == ("shop/views.py", 25)  # the first one


def test_registrations_that_cannot_be_resolved_are_reported(shop):
    assert findings(shop, "dynamic-registration") == [
        ("shop/extra.py", 15, "add_view_no_menu(view): the class cannot be resolved statically, so the "
                              "Flask-AppBuilder routes it registers are unknown"),
    ]
    assert [(f.rule_id, f.location.line) for f in shop.findings if f.rule_id != "dynamic-registration"
            and f.category == "routes"] == []


def test_note_about_the_views_flask_appbuilder_registers_itself(shop):
    notes = [text for topic, text in shop.notes if topic == "flask_appbuilder"]
    assert len(notes) == 3
    assert sum(n.startswith("The views and APIs Flask-AppBuilder's AppBuilder.init_app registers by itself")
               for n in notes) == 1
    assert sum(n.startswith("The Flask-AppBuilder version is not pinned in the scanned project") for n in notes) == 1
    assert sum(n.startswith("The `ab_*` tables of Flask-AppBuilder's SQLAlchemy security manager") for n in notes) == 1


# ----------------------------------------------------------------------------- versions
MODEL_VIEW = {
    "crm/__init__.py": '''
        from flask import Flask
        from flask_appbuilder import AppBuilder, ModelView

        app = Flask(__name__)
        appbuilder = AppBuilder(app)

        class ContactView(ModelView):
            exclude_route_methods = {"download", "action", "action_post", "api_column_add", "api_column_edit",
                                     "api_readvalues", "api_get", "api_update", "api_delete"}

        appbuilder.add_view(ContactView, "Contacts")
    ''',
}

MODEL_VIEW_ROUTES = [
    ("GET", "/contactview/list/"),
    ("GET", "/contactview/show/{pk}"),
    ("GET/POST", "/contactview/add"),
    ("GET/POST", "/contactview/delete/{pk}"),
    ("GET/POST", "/contactview/edit/{pk}"),
]


def test_without_a_pin_only_the_routes_every_version_has_are_listed(tmp_path):
    result = _scan(tmp_path, MODEL_VIEW)
    assert sorted(("/".join(r.methods), r.path) for r in own(result)) == sorted(MODEL_VIEW_ROUTES)
    [note] = [t for topic, t in result.notes if topic == "flask_appbuilder" and "not pinned" in t]
    assert "RestCRUDView.api, RestCRUDView.api_create, RestCRUDView.api_read " in note


def test_a_pinned_flask_appbuilder_4_adds_the_rest_crud_view_routes(tmp_path):
    files = dict(MODEL_VIEW)
    files["requirements.txt"] = "flask-appbuilder==4.5.0\n"
    result = _scan(tmp_path, files)
    assert sorted(("/".join(r.methods), r.path) for r in own(result)) == sorted(MODEL_VIEW_ROUTES + [
        ("GET", "/contactview/api"),
        ("GET", "/contactview/api/read"),
        ("POST", "/contactview/api/create"),
    ])
    assert [t for topic, t in result.notes if "not pinned" in t] == []


def test_a_pinned_flask_appbuilder_5_has_no_rest_crud_view(tmp_path):
    files = dict(MODEL_VIEW)
    files["requirements.txt"] = "flask-appbuilder==5.0.1\n"
    result = _scan(tmp_path, files)
    assert sorted(("/".join(r.methods), r.path) for r in own(result)) == sorted(MODEL_VIEW_ROUTES)


# ----------------------------------------------------------------------------- edge cases
def test_security_view_subclasses_and_unknown_flask_appbuilder_bases(tmp_path):
    result = _scan(tmp_path, {
        "sec/__init__.py": '''
            from flask import Flask
            from flask_appbuilder import AppBuilder, expose
            from flask_appbuilder.security.views import AuthDBView
            from flask_appbuilder.security.sqla.apis.user.api import UserApi

            app = Flask(__name__)
            appbuilder = AppBuilder(app)

            class MyAuthView(AuthDBView):
                route_base = "/auth"

                @expose("/sso")
                def sso(self):
                    return ""

            class MyUserApi(UserApi):
                @expose("/me")
                def me(self):
                    return ""

            appbuilder.add_view_no_menu(MyAuthView)
            appbuilder.add_api(MyUserApi)
            appbuilder.add_view_no_menu(AuthDBView)
        ''',
    })
    no_errors(result)
    # Flask-AppBuilder's security REST APIs are in the table: a subclass inherits their routes and resource_name
    assert rows(result) == [
        ("DELETE", "/api/v1/security/users/{pk}", "flask_appbuilder.api.ModelRestApi.delete", "sec/__init__.py", 16),
        ("GET", "/api/v1/security/users/", "flask_appbuilder.api.ModelRestApi.get_list", "sec/__init__.py", 16),
        ("GET", "/api/v1/security/users/_info", "flask_appbuilder.api.ModelRestApi.info", "sec/__init__.py", 16),
        ("GET", "/api/v1/security/users/me", "sec.MyUserApi.me", "sec/__init__.py", 18),
        ("GET", "/api/v1/security/users/{pk}", "flask_appbuilder.api.ModelRestApi.get", "sec/__init__.py", 16),
        ("GET", "/auth/logout/", "flask_appbuilder.security.views.AuthView.logout", "sec/__init__.py", 9),
        ("GET", "/auth/sso", "sec.MyAuthView.sso", "sec/__init__.py", 13),
        ("GET/POST", "/auth/login/", "flask_appbuilder.security.views.AuthDBView.login", "sec/__init__.py", 9),
        ("POST", "/api/v1/security/users/", "flask_appbuilder.security.sqla.apis.user.api.UserApi.post",
         "sec/__init__.py", 16),
        ("PUT", "/api/v1/security/users/{pk}", "flask_appbuilder.security.sqla.apis.user.api.UserApi.put",
         "sec/__init__.py", 16),
    ]
    assert findings(result, "unlisted-inherited-routes") == []
    # AuthDBView itself: AppBuilder(app) registered it first (AUTH_TYPE defaults to AUTH_DB), so it is listed
    # once, at that site, and registering it again adds nothing
    login = [r for r in result.routes if r.path == "/login/"]
    assert [(r.handler, r.file, r.line, builtin(r)) for r in login] == [
        ("flask_appbuilder.security.views.AuthDBView.login", "sec/__init__.py", 7, True)]
    assert findings(result, "external-view") == []


def test_orphan_appbuilder_and_flask_admin_views(tmp_path):
    result = _scan(tmp_path, {
        "orph/__init__.py": '''
            import connexion
            from flask_admin import Admin
            from flask_admin.contrib.sqla import ModelView as AdminModelView
            from flask_appbuilder import AppBuilder, BaseView, expose

            appbuilder = AppBuilder()
            admin = Admin()

            class Hello(BaseView):
                route_base = "/hello"

                @expose("/")
                def index(self):
                    return ""

            appbuilder.add_view_no_menu(Hello)
            admin.add_view(AdminModelView(object, None))
            spec_app = connexion.App(__name__)
            spec_app.add_api("openapi.yaml")
        ''',
    })
    assert [(r.path, r.orphan, r.app) for r in result.routes] == [("/hello/", True, "")]
    assert findings(result, "orphan-appbuilder") == [
        ("orph/__init__.py", 6, "AppBuilder `orph.appbuilder` is never given an application (AppBuilder(app) or "
                                "init_app(app)); its 1 route(s) are listed with orphan=true"),
    ]
    assert findings(result, "dynamic-registration") == []


def test_init_app_binds_the_app_and_expose_api_rules(tmp_path):
    result = _scan(tmp_path, {
        "late/__init__.py": '''
            from flask import Flask
            from flask_appbuilder import AppBuilder
            from flask_appbuilder.baseviews import BaseView, expose_api

            appbuilder = AppBuilder()

            class Legacy(BaseView):
                @expose_api(name="read", url="/api/read", methods=["GET"])
                def api_read(self):
                    return ""

                @expose_api(name="count")
                def api_count(self):
                    return ""

            def create_app():
                app = Flask(__name__)
                appbuilder.init_app(app, None)
                appbuilder.add_view_no_menu(Legacy, endpoint="legacy")
                return app
        ''',
    })
    assert sorted((r.path, r.name, r.orphan) for r in own(result)) == [
        ("/legacy/api/count", "legacy.api_count", False),
        ("/legacy/api/read", "legacy.api_read", False),
    ]
    assert {r.app for r in result.routes} == {"late.create_app.<locals>.app"}


def test_route_filters_and_prefixes_that_do_not_fold(tmp_path):
    result = _scan(tmp_path, {
        "dyn/__init__.py": '''
            import os
            from flask_appbuilder import AppBuilder, BaseView, expose

            appbuilder = AppBuilder()

            class Configured(BaseView):
                route_base = os.environ["BASE"]
                include_route_methods = load_names()

                @expose("/a")
                def a(self):
                    return ""

            appbuilder.add_view(Configured, "C")
        ''',
    })
    [r] = result.routes
    assert (r.path, r.path_status) == ("{os.environ['BASE']}/a", "partial")
    assert dict(r.options)["include_route_methods"] == "{load_names()}"
    assert [m for _, _, m in findings(result, "unresolved-route-filter")] == [
        "`dyn.Configured.include_route_methods` = `load_names()` does not fold to a set of names: every exposed "
        "method is listed, some may not be routes"]


def test_no_flask_appbuilder_import_no_work(tmp_path):
    result = _scan(tmp_path, {
        "plain/__init__.py": '''
            class Registry:
                def add_view(self, view):
                    pass

            appbuilder = Registry()
            appbuilder.add_view(object)
        ''',
    })
    assert result.routes == ()
    assert result.findings == () or all(f.category != "routes" for f in result.findings)


# ----------------------------------------------------------------------------- what init_app registers by itself
FAB_SECURITY = Path(__file__).parent.parent / "fixtures" / "fab_security"
_MV = "flask_appbuilder.views.ModelView."
_MRA = "flask_appbuilder.api.ModelRestApi."
_SA = "flask_appbuilder.security.sqla.apis."


def _fab_security(tmp_path, config=None):
    files = {p.relative_to(FAB_SECURITY).as_posix(): p.read_text() for p in FAB_SECURITY.rglob("*") if p.is_file()}
    if config is not None:
        files["notes/config.py"] = config
    return _scan(tmp_path, files)


def builtin_rows(result):
    return sorted(("/".join(r.methods), r.path, r.handler) for r in result.routes if builtin(r))


def model_view(base, show=_MV + "show"):
    """The routes Flask-AppBuilder 5's ModelView serves under ``base``."""
    return [
        ("GET", f"{base}/list/", _MV + "list"), ("GET", f"{base}/show/{{pk}}", show),
        ("GET/POST", f"{base}/add", _MV + "add"), ("GET/POST", f"{base}/edit/{{pk}}", _MV + "edit"),
        ("GET/POST", f"{base}/delete/{{pk}}", _MV + "delete"),
        ("GET", f"{base}/download/{{filename}}", _MV + "download"),
        ("GET/POST", f"{base}/action/{{name}}/{{pk}}", _MV + "action"), ("POST", f"{base}/action_post", _MV + "action_post"),
    ]


def rest_api(base, read_only=False, post=_MRA + "post", put=_MRA + "put"):
    """The routes of a Flask-AppBuilder ModelRestApi under ``base``."""
    out = [("GET", f"{base}/", _MRA + "get_list"), ("GET", f"{base}/_info", _MRA + "info"),
           ("GET", f"{base}/{{pk}}", _MRA + "get")]
    if not read_only:
        out += [("POST", f"{base}/", post), ("PUT", f"{base}/{{pk}}", put), ("DELETE", f"{base}/{{pk}}", _MRA + "delete")]
    return out


COMMON = [
    ("GET", "/", "flask_appbuilder.views.IndexView.index"),  # the project sets no indexview
    ("GET", "/back", "flask_appbuilder.views.UtilView.back"),
    ("GET", "/lang/{locale}", "flask_appbuilder.babel.views.LocaleView.index"),
    ("POST", "/api/v1/security/login", "flask_appbuilder.security.api.SecurityApi.login"),
    ("POST", "/api/v1/security/refresh", "flask_appbuilder.security.api.SecurityApi.refresh"),
    ("GET", "/userinfoeditview/form", "flask_appbuilder.views.SimpleFormView.this_form_get"),
    ("POST", "/userinfoeditview/form", "flask_appbuilder.views.SimpleFormView.this_form_post"),
    ("GET", "/logout/", "flask_appbuilder.security.views.AuthView.logout"),
] + model_view("/roles") + model_view("/groups")


def test_oauth_registration_and_the_security_api(tmp_path):
    """notes/config.py: AUTH_OAUTH, self-registration, FAB_ADD_SECURITY_API, Swagger, no menu API or permission views."""
    result = _fab_security(tmp_path)
    no_errors(result)
    expected = COMMON + [
        # the security manager swaps authoauthview for the project's NotesAuthView
        ("GET", "/login/", "flask_appbuilder.security.views.AuthOAuthView.login"),
        ("GET", "/login/{provider}", "flask_appbuilder.security.views.AuthOAuthView.login"),
        ("GET", "/oauth-authorized/{provider}", "flask_appbuilder.security.views.AuthOAuthView.oauth_authorized"),
        ("GET", "/register/form", "flask_appbuilder.views.PublicFormView.this_form_get"),
        ("POST", "/register/form", "flask_appbuilder.views.PublicFormView.this_form_post"),
        ("GET", "/register/activation/{activation_hash}",
         "flask_appbuilder.security.registerviews.BaseRegisterUser.activation"),
        ("GET", "/users/userinfo/", "flask_appbuilder.security.views.UserModelView.userinfo"),
        ("GET", "/api/{version}/_openapi", "flask_appbuilder.api.manager.OpenApi.get"),
        ("GET", "/swagger/{version}", "flask_appbuilder.api.manager.SwaggerView.show"),
        ("GET", "/api/v1/security/roles/{role_id}/permissions/", _SA + "role.api.RoleApi.list_role_permissions"),
        ("POST", "/api/v1/security/roles/{role_id}/permissions", _SA + "role.api.RoleApi.add_role_permissions"),
        ("PUT", "/api/v1/security/roles/{role_id}/users", _SA + "role.api.RoleApi.update_role_users"),
        ("PUT", "/api/v1/security/roles/{role_id}/groups", _SA + "role.api.RoleApi.update_role_groups"),
    ] + model_view("/users") + model_view("/registeruser") + rest_api("/api/v1/security/permissions", read_only=True) \
        + rest_api("/api/v1/security/roles") + rest_api("/api/v1/security/resources") \
        + rest_api("/api/v1/security/permissions-resources") \
        + rest_api("/api/v1/security/users", post=_SA + "user.api.UserApi.post", put=_SA + "user.api.UserApi.put") \
        + rest_api("/api/v1/security/groups", post=_SA + "group.api.GroupApi.post", put=_SA + "group.api.GroupApi.put")
    assert builtin_rows(result) == sorted(expected)
    # the project's own view is still there, once
    assert rows(result) == [("GET", "/noteview/list/", "flask_appbuilder.views.ModelView.list", "notes/views.py", 6)]
    # a Flask-AppBuilder class is reported at init_app, the project's NotesAuthView at its class
    login = _route(result, "GET", "/login/{provider}")
    assert (login.file, login.line, login.registered_at.path, login.registered_at.line) == (
        "notes/security.py", 5, "notes/__init__.py", 14)
    assert dict(login.options)["registered_by"] == (
        "Flask-AppBuilder's security manager (FAB_ADD_SECURITY_VIEWS=True (Flask-AppBuilder's default; the project "
        "does not set it), AUTH_TYPE=AUTH_OAUTH at notes/config.py:4); security manager "
        "`notes.security.NotesSecurityManager`; NotesSecurityManager.authoauthview at notes/security.py:10")
    roles = _route(result, "GET", "/api/v1/security/roles/")
    assert (roles.file, roles.line, roles.app, roles.orphan) == ("notes/__init__.py", 14,
                                                                 "notes.create_app.<locals>.app", False)
    assert dict(roles.options)["registered_by"] == (
        "Flask-AppBuilder's security manager (FAB_ADD_SECURITY_API=True at notes/config.py:6); security manager "
        "`notes.security.NotesSecurityManager`")
    assert findings(result, "unresolved-fab-config") == []


DB_CONFIG = '''
import os

from flask_appbuilder.const import AUTH_DB

AUTH_TYPE = AUTH_DB
AUTH_USER_REGISTRATION = os.environ.get("SELF_SIGNUP") == "1"
'''


def test_database_sign_in_with_flask_appbuilder_defaults(tmp_path):
    """AUTH_DB; everything else as Flask-AppBuilder sets it; a key that does not fold falls back to its default."""
    result = _fab_security(tmp_path, DB_CONFIG)
    no_errors(result)
    expected = COMMON + [
        ("GET/POST", "/login/", "flask_appbuilder.security.views.AuthDBView.login"),
        ("GET", "/resetpassword/form", "flask_appbuilder.views.SimpleFormView.this_form_get"),
        ("POST", "/resetpassword/form", "flask_appbuilder.views.SimpleFormView.this_form_post"),
        ("GET", "/resetmypassword/form", "flask_appbuilder.views.SimpleFormView.this_form_get"),
        ("POST", "/resetmypassword/form", "flask_appbuilder.views.SimpleFormView.this_form_post"),
        ("GET", "/users/userinfo/", "flask_appbuilder.security.views.UserDBModelView.userinfo"),
        ("GET", "/api/v1/menu/", "flask_appbuilder.menu.MenuApi.get_menu_data"),
    ] + model_view("/users", show="flask_appbuilder.security.views.UserDBModelView.show") \
        + model_view("/permissions") + model_view("/viewmenus") + model_view("/permissionviews")
    assert builtin_rows(result) == sorted(expected)
    assert [m for _, _, m in findings(result, "unresolved-fab-config")] == [
        "AUTH_USER_REGISTRATION = `os.environ.get('SELF_SIGNUP') == '1'` does not fold to a value; the "
        "Flask-AppBuilder views it decides are listed as with its default AUTH_USER_REGISTRATION=False"]
    assert dict(_route(result, "GET", "/api/v1/menu/").options)["registered_by"] == (
        "Flask-AppBuilder's menu API manager (FAB_ADD_MENU_API=True (Flask-AppBuilder's default; the project does "
        "not set it))")


def test_a_register_views_override_without_super_replaces_the_security_views(tmp_path):
    files = {
        "app/__init__.py": '''
            from flask import Flask
            from flask_appbuilder import AppBuilder
            from flask_appbuilder.security.sqla.manager import SecurityManager

            class QuietManager(SecurityManager):
                def register_views(self):
                    pass

            app = Flask(__name__)
            appbuilder = AppBuilder(app, security_manager_class=QuietManager)
        ''',
        "requirements.txt": "flask-appbuilder==5.3.0\n",
    }
    result = _scan(tmp_path, files)
    assert builtin_rows(result) == sorted([
        ("GET", "/", "flask_appbuilder.views.IndexView.index"), ("GET", "/back", "flask_appbuilder.views.UtilView.back"),
        ("GET", "/lang/{locale}", "flask_appbuilder.babel.views.LocaleView.index"),
        ("GET", "/api/v1/menu/", "flask_appbuilder.menu.MenuApi.get_menu_data"),
    ])
    assert [(p, line) for p, line, _ in findings(result, "security-views-replaced")] == [("app/__init__.py", 5)]


def test_flask_appbuilder_4_gets_no_table_of_its_own_views(tmp_path):
    files = dict(MODEL_VIEW)
    files["requirements.txt"] = "flask-appbuilder==4.5.0\n"
    result = _scan(tmp_path, files)
    assert builtin_rows(result) == []
    assert any(t.startswith("Flask-AppBuilder also registers views and APIs of its own") for _, t in result.notes)


# ----------------------------------------------------------------------------- the ab_* tables of the security manager
_FAB_TABLES = [
    "ab_api_key", "ab_group", "ab_group_role", "ab_permission", "ab_permission_view", "ab_permission_view_role",
    "ab_register_user", "ab_role", "ab_user", "ab_user_group", "ab_user_role", "ab_view_menu",
]


def _fab_app(manager_import: str, manager: str, pin: str = "flask-appbuilder==5.3.0\n", extra: dict | None = None) -> dict:
    files = {
        "app/__init__.py": f'''
            from flask import Flask
            from flask_appbuilder import AppBuilder
            {manager_import}

            class AppSecurity({manager}):
                pass

            app = Flask(__name__)
            appbuilder = AppBuilder(app, security_manager_class=AppSecurity)
        ''',
        "requirements.txt": pin,
    }
    files.update(extra or {})
    return files


def test_the_sqlalchemy_security_manager_brings_flask_appbuilders_tables(tmp_path):
    result = _scan(tmp_path, _fab_app("from flask_appbuilder.security.sqla.manager import SecurityManager", "SecurityManager"))
    fab = [m for m in result.models if m.framework_provided]
    assert [(m.table, m.class_name, m.kind, m.file, m.line) for m in fab][:3] == [
        ("ab_api_key", "flask_appbuilder.security.sqla.models.ApiKey", "model", "app/__init__.py", 9),
        ("ab_group", "flask_appbuilder.security.sqla.models.Group", "model", "app/__init__.py", 9),
        ("ab_group_role", "", "table", "app/__init__.py", 9),
    ]
    assert [m.table for m in fab] == _FAB_TABLES
    user = next(m for m in fab if m.table == "ab_user")
    assert [(c.name, c.type, c.nullable, c.unique) for c in user.columns][:5] == [
        ("id", "Integer", False, False), ("first_name", "String(64)", False, False), ("last_name", "String(64)", False, False),
        ("username", "String(128)", False, True), ("password", "String(256)", True, False),
    ]
    assert [(f.column, f.references) for f in user.foreign_keys] == [("created_by_fk", "ab_user.id"), ("changed_by_fk", "ab_user.id")]
    assert any("`ab_*` tables" in text for _, text in result.notes)


def test_flask_appbuilder_tables_are_not_checked_and_yield_to_the_projects_own(tmp_path):
    files = _fab_app(
        "from flask_appbuilder.security.sqla.manager import SecurityManager", "SecurityManager",
        extra={"app/models.py": '''
            from flask_appbuilder import Model
            from sqlalchemy import Column, Integer, String

            class Member(Model):
                __tablename__ = "ab_user"
                id = Column(Integer, primary_key=True)
                nickname = Column(String(30))
        '''},
    )
    result = _scan(tmp_path, files, analyzers=("flask_appbuilder", "sqlalchemy"))
    tables = sorted((m.table, m.class_name) for m in result.models)
    assert ("ab_user", "app.models.Member") in tables and ("ab_user", "flask_appbuilder.security.sqla.models.User") not in tables
    assert len(tables) == len(_FAB_TABLES)
    # FAB's foreign keys have no index (ab_user_role.user_id...), but that is not the project's to fix
    assert [f for f in result.findings if f.rule_id in ("fk-without-index", "model-without-primary-key")] == []


@pytest.mark.parametrize(
    "manager_import, manager, pin",
    [
        ("from flask_appbuilder.security.mongoengine.manager import SecurityManager", "SecurityManager", "flask-appbuilder==5.3.0\n"),
        ("from flask_appbuilder.security.sqla.manager import SecurityManager", "SecurityManager", "flask-appbuilder==4.5.0\n"),
    ],
)
def test_no_tables_for_another_security_manager_or_flask_appbuilder_4(tmp_path, manager_import, manager, pin):
    result = _scan(tmp_path, _fab_app(manager_import, manager, pin))
    assert [m for m in result.models if m.framework_provided] == []


def test_the_report_says_where_flask_appbuilders_tables_come_from(tmp_path):
    from backendscan.cli import main
    from backendscan.testing import write_files

    root = write_files(tmp_path / "proj", _fab_app("from flask_appbuilder.security.sqla.manager import SecurityManager", "SecurityManager"))
    assert main(["report", str(root), "--format", "md", "-o", str(tmp_path / "out") + "/", "-q", "--no-cache"]) == 0
    md = (tmp_path / "out" / "report.md").read_text("utf-8")
    assert (
        "| `ab_user` | `flask_appbuilder.security.sqla.models.User` | sqlalchemy | 14 | id | "
        "brought by flask_appbuilder, enabled at `app/__init__.py:9` |"
    ) in md
