"""Flask route analyzer: exact routes for every construct it claims to handle.

Two fixture projects (``flask_factory``: app factory, blueprints, class-based
views, helpers, loops, orphans; ``flask_restapi``: Flask-RESTful, Flask-RESTX,
an ``Api`` subclass with wrapper methods) plus inline snippets for the rest.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from backendscan.config import Config
from backendscan.pipeline import scan
from backendscan.testing import scan_files


FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "projects"


def _scan(tmp_path, files, **config):
    config.setdefault("analyzers", ("flask",))
    return scan_files(tmp_path, files, **config)


def _scan_fixture(fixtures, tmp_path, name):
    root = tmp_path / name
    shutil.copytree(fixtures / name, root)
    return scan(root, Config(use_cache=False, jobs=1, metrics=False, analyzers=("flask",)))


def rows(result):
    """(methods, path, handler, file, line, path_status) of every route, sorted."""
    return sorted(("/".join(r.methods), r.path, r.handler, r.file, r.line, r.path_status) for r in result.routes)


def pairs(result):
    return sorted(("/".join(r.methods), r.path) for r in result.routes)


def route(result, path, handler=None):
    found = [r for r in result.routes if r.path == path and (handler is None or r.handler == handler)]
    assert len(found) == 1, (path, [(r.methods, r.path, r.handler) for r in result.routes])
    return found[0]


def auth(r):
    return sorted((a.kind, a.name, a.attached) for a in r.auth)


def findings(result, rule):
    return sorted((f.location.path, f.location.line, f.message) for f in result.findings if f.rule_id == rule)


def no_errors(result):
    bad = [f.message for f in result.findings if f.rule_id in ("analysis-error", "plugin-error")]
    assert bad == []


# ----------------------------------------------------------------------------- flask_factory
@pytest.fixture(scope="module")
def factory(tmp_path_factory):
    return _scan_fixture(FIXTURES, tmp_path_factory.mktemp("ff"), "flask_factory")


FACTORY_ROUTES = [
    ("DELETE/GET", "/page/{page_id}/history", "wiki.pages.history", "wiki/pages.py", 20, "resolved"),
    ("DELETE/GET/POST", "/admin/users/{user_id}", "wiki.admin.views.UserDetailAPI", "wiki/admin/views.py", 14,
     "resolved"),
    ("GET", "/", "wiki.pages.show", "wiki/pages.py", 9, "resolved"),
    ("GET", "/_debug/routes", "wiki.debug.list_routes", "wiki/debug.py", 7, "resolved"),
    ("GET", "/admin/reports/", "wiki.admin.views.report_index", "wiki/admin/views.py", 32, "resolved"),
    ("GET", "/api/v1/ping", "wiki.api.ping", "wiki/api.py", 9, "resolved"),
    ("GET", "/api/v1/{with_tenant('/pages')}", "wiki.api.list_pages", "wiki/api.py", 13, "partial"),
    ("GET", "/feeds/atom.xml", "wiki.search.atom", "wiki/search.py", 22, "resolved"),
    ("GET", "/old/wiki/{title}", "wiki.legacy.old_page", "wiki/legacy.py", 7, "resolved"),
    ("GET", "/page/{slug}", "wiki.pages.show", "wiki/pages.py", 9, "resolved"),
    ("GET", "/search/", "wiki.search.search", "wiki/search.py", 16, "resolved"),
    ("GET/POST", "/admin/users/", "wiki.admin.views.UserAPI", "wiki/admin/views.py", 6, "resolved"),
    ("POST", "/admin/reports/export", "wiki.admin.views.Export", "wiki/admin/views.py", 19, "resolved"),
    ("POST", "/page/{slug}/edit", "wiki.pages.edit", "wiki/pages.py", 15, "resolved"),
]


def test_factory_routes_exact(factory):
    no_errors(factory)
    assert rows(factory) == sorted(FACTORY_ROUTES)
    assert {r.framework for r in factory.routes} == {"flask"}


def test_factory_app_is_the_factory_local_of_a_project_flask_subclass(factory):
    app = "wiki.app.create_app.<locals>.app"
    attached = [r for r in factory.routes if not r.orphan]
    assert {r.app for r in attached} == {app}
    assert route(factory, "/page/{slug}").group == "wiki.pages.pages_bp"  # imported as `pages` in the factory


def test_stacked_decorators_give_one_route_per_rule(factory):
    show = [r for r in factory.routes if r.handler == "wiki.pages.show"]
    assert sorted((r.path, r.registered_at.line) for r in show) == [("/", 7), ("/page/{slug}", 8)]
    assert route(factory, "/page/{slug}").raw_path == "/page/<slug>"


def test_register_blueprint_url_prefix_overrides_and_is_folded_from_env_default(factory):
    # admin_bp says url_prefix="/manage"; create_app registers it with config.ADMIN_PREFIX
    # = os.environ.get("WIKI_ADMIN_PREFIX", "/admin")
    r = route(factory, "/admin/users/")
    assert r.group == "wiki.admin.admin_bp"
    assert r.registered_at.path == "wiki/admin/views.py" and r.registered_at.line == 26
    assert not any(x.path.startswith("/manage") for x in factory.routes)


def test_blueprint_on_blueprint_and_inherited_before_request(factory):
    r = route(factory, "/admin/reports/export")
    assert r.group == "wiki.admin.reports_bp"
    assert r.name == "admin.reports.export"
    assert auth(r) == [("before_request", "require_admin", "blueprint")]
    assert r.auth[0].inherited_from == "wiki.admin.admin_bp"
    assert r.auth[0].location.path == "wiki/admin/__init__.py" and r.auth[0].location.line == 9


def test_method_view_methods_include_inherited_verbs(factory):
    assert route(factory, "/admin/users/{user_id}").methods == ("DELETE", "GET", "POST")
    assert route(factory, "/admin/users/").name == "admin.users"  # as_view("users")
    assert route(factory, "/admin/reports/export").methods == ("POST",)  # View.methods


def test_helpers_bind_parameters(factory):
    # register_api(app) -> _mount(app, api_bp, API_PREFIX) -> app.register_blueprint(bp, url_prefix=prefix)
    r = route(factory, "/api/v1/ping")
    assert (r.group, r.name, r.registered_at.line) == ("wiki.api.api_bp", "api.ping", 22)


def test_partial_path_keeps_the_helper_call_as_placeholder(factory):
    r = route(factory, "/api/v1/{with_tenant('/pages')}")
    assert r.raw_path == "/api/v1/{with_tenant('/pages')}"
    assert [(u.expr, u.location.path, u.location.line) for u in r.unresolved] == [
        ("with_tenant('/pages')", "wiki/api.py", 23)]
    assert r.methods == ("GET",)


def test_loop_over_literal_list_is_unrolled(factory):
    assert route(factory, "/search/").group == "wiki.search.search_bp"  # a project Blueprint subclass
    assert route(factory, "/feeds/atom.xml").group == "wiki.search.feeds_bp"


def test_conditional_registration_records_the_condition(factory):
    assert route(factory, "/_debug/routes").conditions == ("app.debug",)
    assert route(factory, "/").conditions == ()


def test_factory_auth_evidence(factory):
    assert auth(route(factory, "/page/{slug}/edit")) == [("decorator", "login_required", "route")]
    # a project decorator whose wrapper calls abort(401); `cached` does not check anything
    assert auth(route(factory, "/search/")) == [("custom_decorator", "token_required", "route")]
    assert auth(route(factory, "/feeds/atom.xml")) == []
    assert auth(route(factory, "/page/{slug}")) == []


def test_async_views_are_marked(factory):
    assert route(factory, "/page/{page_id}/history").is_async
    assert not route(factory, "/page/{slug}").is_async


def test_dynamic_registration_finding(factory):
    assert findings(factory, "dynamic-registration") == [
        ("wiki/plugins.py", 10, "add_url_rule in a loop over `discovered_views()`: the routes it registers come "
                                "from data the scan cannot enumerate (count unknown)")]


def test_orphan_blueprint(factory):
    r = route(factory, "/old/wiki/{title}")
    assert r.orphan and r.app == ""
    assert [r.path for r in factory.routes if r.orphan] == ["/old/wiki/{title}"]
    assert findings(factory, "orphan-blueprint") == [
        ("wiki/legacy.py", 3, "blueprint `wiki.legacy.legacy_bp` is never registered on an application; "
                              "its 1 route(s) are listed with orphan=true")]


# ----------------------------------------------------------------------------- flask_restapi
@pytest.fixture(scope="module")
def restapi(tmp_path_factory):
    return _scan_fixture(FIXTURES, tmp_path_factory.mktemp("fr"), "flask_restapi")


RESTAPI_ROUTES = [
    ("DELETE/GET/PUT", "/api/books/{book_id}", "shelf.resources.Book", "shelf/resources.py", 19, "resolved"),
    ("DELETE/GET/PUT", "{tenant_rule('/tenant-books/<int:book_id>')}", "shelf.resources.Book", "shelf/resources.py",
     19, "unresolved"),
    ("GET", "/drafts/{draft_id}", "shelf.v2.Draft", "shelf/v2.py", 41, "resolved"),
    ("GET", "/shelf/health", "shelf.resources.Health", "shelf/resources.py", 32, "resolved"),
    ("GET", "/ui/", "shelf.web.home", "shelf/web.py", 14, "resolved"),
    ("GET", "/v2/rest/authors/", "shelf.v2.AuthorList", "shelf/v2.py", 15, "resolved"),
    ("GET", "/v2/rest/ping", "shelf.v2.Ping", "shelf/v2.py", 58, "resolved"),
    ("GET", "/v2/rest/statistics/daily", "shelf.v2.Daily", "shelf/v2.py", 52, "resolved"),
    ("GET/PATCH", "/v2/rest/authors/{author_id}", "shelf.v2.Author", "shelf/v2.py", 21, "resolved"),
    ("GET/POST", "/api/books", "shelf.resources.BookList", "shelf/resources.py", 11, "resolved"),
    ("GET/POST", "/api/books/", "shelf.resources.BookList", "shelf/resources.py", 11, "resolved"),
    ("GET/POST", "/export", "shelf.app.export_books", "shelf/app.py", 24, "resolved"),
    ("GET/POST", "/v2/rest/reviews", "shelf.v2.Reviews", "shelf/v2.py", 32, "resolved"),
]


def test_restapi_routes_exact(restapi):
    no_errors(restapi)
    assert rows(restapi) == sorted(RESTAPI_ROUTES)


def test_restful_add_resource(restapi):
    r = route(restapi, "/api/books/{book_id}")
    assert (r.group, r.app, r.name) == ("shelf.app.api", "shelf.app.app", "book")
    assert r.raw_path == "/api/books/<int:book_id>"
    assert r.registered_at.path == "shelf/app.py" and r.registered_at.line == 13
    assert route(restapi, "/api/books").name == "booklist"


def test_resource_class_decorators_are_inherited_auth(restapi):
    assert auth(route(restapi, "/api/books")) == [("class_decorators", "login_required", "class")]
    r = route(restapi, "/api/books/{book_id}")
    assert auth(r) == [("class_decorators", "login_required", "class"),
                       ("method_decorators", "api_key_required", "class")]
    inherited = [a for a in r.auth if a.kind == "class_decorators"][0]
    assert inherited.inherited_from == "shelf.resources.BaseResource"
    assert (inherited.location.path, inherited.location.line) == ("shelf/resources.py", 8)
    assert auth(route(restapi, "/shelf/health")) == []


def test_api_subclass_wrappers_are_inlined(restapi):
    # add_shelf_resource rewrites URLs through shelf_rule(), a one-line helper: folded
    health = route(restapi, "/shelf/health")
    assert (health.group, health.app) == ("shelf.app.ext", "shelf.app.app")  # deferred ext.init_app(app)
    # add_tenant_resource goes through tenant_rule(), which depends on the app config: placeholder
    tenant = route(restapi, "{tenant_rule('/tenant-books/<int:book_id>')}")
    assert tenant.path_status == "unresolved"
    assert [(u.expr, u.location.path) for u in tenant.unresolved] == [
        ("tenant_rule('/tenant-books/<int:book_id>')", "shelf/ext.py")]


def test_restx_namespaces(restapi):
    assert route(restapi, "/v2/rest/authors/").group == "shelf.v2.authors"  # default path "/" + name
    assert route(restapi, "/v2/rest/reviews").group == "shelf.v2.reviews"  # add_namespace(ns, path) wins
    assert route(restapi, "/v2/rest/statistics/daily").group == "shelf.v2.stats"  # api.namespace(path=)
    assert route(restapi, "/v2/rest/ping").group == "shelf.v2.api_v2"  # default namespace
    assert route(restapi, "/v2/rest/authors/{author_id}").name == "authors_author"
    assert auth(route(restapi, "/v2/rest/authors/{author_id}")) == [
        ("method_decorators", "token_auth.login_required", "class")]


def test_orphan_namespace(restapi):
    r = route(restapi, "/drafts/{draft_id}")
    assert r.orphan and r.app == ""
    assert findings(restapi, "orphan-api") == [
        ("shelf/v2.py", 11, "Namespace `shelf.v2.drafts` is never attached to an application; its 1 route(s) "
                            "are listed with orphan=true")]


def test_view_wrapped_by_hand_and_blueprint_hook(restapi):
    r = route(restapi, "/export")
    assert auth(r) == [("decorator", "login_required", "route")]
    assert auth(route(restapi, "/ui/")) == [("before_request", "guard", "blueprint")]


# ----------------------------------------------------------------------------- inline snippets
def test_module_level_app_and_constant_folding(tmp_path):
    result = _scan(tmp_path, {
        "svc/__init__.py": "",
        "svc/settings.py": '''
            BASE = "/svc"
            VERSION = 2
        ''',
        "svc/main.py": '''
            import flask
            from flask import Blueprint
            from .settings import BASE, VERSION

            app = flask.Flask(__name__)
            METHODS = ["get", "post"]
            v = Blueprint("v", __name__, url_prefix=f"{BASE}/v{VERSION}")

            @app.route("/health", methods=METHODS)
            def health():
                return "ok"

            @v.put("/items/<uuid:item_id>/")
            def put_item(item_id):
                return ""

            app.register_blueprint(v)
        ''',
    })
    no_errors(result)
    assert rows(result) == [
        ("GET/POST", "/health", "svc.main.health", "svc/main.py", 10, "resolved"),
        ("PUT", "/svc/v2/items/{item_id}/", "svc.main.put_item", "svc/main.py", 14, "resolved"),
    ]
    assert route(result, "/health").app == "svc.main.app"


def test_nested_prefix_joining_and_name_override(tmp_path):
    result = _scan(tmp_path, {
        "n/__init__.py": '''
            from flask import Flask, Blueprint
            parent = Blueprint("parent", __name__, url_prefix="/p/")
            child = Blueprint("child", __name__, url_prefix="c")
            bare = Blueprint("bare", __name__)
            parent.register_blueprint(child)
            parent.register_blueprint(bare)
            parent.register_blueprint(child, url_prefix="/other", name="child2")

            @child.route("x")
            def x():
                return ""

            @bare.route("/y")
            def y():
                return ""

            app = Flask(__name__)
            app.register_blueprint(parent)
        ''',
    })
    # the call's url_prefix overrides the child's own, and is still joined to the parent's
    assert pairs(result) == [("GET", "/p/c/x"), ("GET", "/p/other/x"), ("GET", "/p/y")]
    assert sorted(r.name for r in result.routes) == ["parent.bare.y", "parent.child.x", "parent.child2.x"]


def test_blueprint_factory_called_twice_and_loop_over_module_constant(tmp_path):
    result = _scan(tmp_path, {
        "f/__init__.py": "",
        "f/bps.py": '''
            from flask import Blueprint

            def make_crud(name, prefix):
                bp = Blueprint(name, __name__, url_prefix=prefix)

                @bp.get("/")
                def index():
                    return name

                return bp
        ''',
        "f/app.py": '''
            from flask import Flask
            from .bps import make_crud

            SECTIONS = [("books", "/books"), ("films", "/films")]
            app = Flask(__name__)
            for name, prefix in SECTIONS:
                app.register_blueprint(make_crud(name, prefix))
        ''',
    })
    assert rows(result) == [
        ("GET", "/books/", "f.bps.make_crud.<locals>.index", "f/bps.py", 7, "resolved"),
        ("GET", "/films/", "f.bps.make_crud.<locals>.index", "f/bps.py", 7, "resolved"),
    ]
    assert {r.group for r in result.routes} == {"f.bps.make_crud.<locals>.bp"}


def test_register_api_helper_from_the_flask_docs(tmp_path):
    result = _scan(tmp_path, {
        "d/__init__.py": '''
            from flask import Flask
            from flask.views import MethodView

            app = Flask(__name__)

            class ItemAPI(MethodView):
                init_every_request = False
                def get(self, id):
                    return ""
                def patch(self, id):
                    return ""
                def delete(self, id):
                    return ""

            class GroupAPI(MethodView):
                def get(self):
                    return ""
                def post(self):
                    return ""

            def register_api(app, model, name):
                item = ItemAPI.as_view(f"{name}-item", model)
                group = GroupAPI.as_view(f"{name}-group", model)
                app.add_url_rule(f"/{name}/<int:id>", view_func=item)
                app.add_url_rule(f"/{name}/", view_func=group)

            register_api(app, "User", "users")
            register_api(app, "Story", "stories")
        ''',
    })
    assert rows(result) == [
        ("DELETE/GET/PATCH", "/stories/{id}", "d.ItemAPI", "d/__init__.py", 6, "resolved"),
        ("DELETE/GET/PATCH", "/users/{id}", "d.ItemAPI", "d/__init__.py", 6, "resolved"),
        ("GET/POST", "/stories/", "d.GroupAPI", "d/__init__.py", 15, "resolved"),
        ("GET/POST", "/users/", "d.GroupAPI", "d/__init__.py", 15, "resolved"),
    ]
    assert route(result, "/users/{id}").name == "users-item"


def test_uncalled_factory_is_still_analysed(tmp_path):
    result = _scan(tmp_path, {
        "g/__init__.py": '''
            from flask import Flask

            def create_app(config=None):
                app = Flask(__name__)

                @app.get("/ping")
                def ping():
                    return "pong"

                return app
        ''',
    })
    r = route(result, "/ping")
    assert (r.handler, r.app, r.orphan) == ("g.create_app.<locals>.ping", "g.create_app.<locals>.app", False)


def test_auth_decorator_forms(tmp_path):
    result = _scan(tmp_path, {
        "a/__init__.py": '''
            from flask import Flask, Blueprint, abort
            from flask_jwt_extended import jwt_required
            from flask_security import roles_required
            from flask_httpauth import HTTPBasicAuth
            from flask_login import current_user

            app = Flask(__name__)
            basic = HTTPBasicAuth()
            admin_only = roles_required("admin")
            bp = Blueprint("b", __name__)

            def require_role(role):
                def deco(f):
                    def inner(*a, **k):
                        if role not in current_user.roles:
                            abort(403)
                        return f(*a, **k)
                    return inner
                return deco

            @app.get("/jwt")
            @jwt_required()
            def jwt_view():
                return ""

            @app.get("/basic")
            @basic.login_required
            def basic_view():
                return ""

            @app.get("/admin")
            @admin_only
            def admin_view():
                return ""

            @app.get("/editor")
            @require_role("editor")
            def editor_view():
                return ""

            @bp.before_app_request
            def everywhere():
                if not current_user.is_authenticated:
                    abort(401)

            def audit():
                pass

            app.before_request(audit)
            app.register_blueprint(bp)
        ''',
    })
    no_errors(result)
    assert auth(route(result, "/jwt")) == [("before_request", "everywhere", "app"), ("decorator", "jwt_required", "route")]
    assert auth(route(result, "/basic"))[1] == ("decorator", "basic.login_required", "route")
    assert auth(route(result, "/admin"))[1] == ("decorator", "admin_only", "route")
    assert auth(route(result, "/editor"))[1] == ("custom_decorator", "require_role", "route")
    hook = [a for a in route(result, "/jwt").auth if a.kind == "before_request"][0]
    assert hook.inherited_from == "a.bp"


def test_restx_api_on_app_and_restful_api_on_blueprint(tmp_path):
    result = _scan(tmp_path, {
        "r/__init__.py": '''
            from flask import Flask, Blueprint
            import flask_restful
            from flask_restx import Api as RestxApi, Resource

            class Thing(Resource):
                def get(self, thing_id):
                    return {}

            app = Flask(__name__)
            rx = RestxApi(app, prefix="/x", doc=False)
            rx.add_resource(Thing, "/things/<int:thing_id>")

            bp = Blueprint("legacy", __name__, url_prefix="/legacy")
            rf = flask_restful.Api(bp, "/v1")
            rf.add_resource(Thing, "/things/<thing_id>", endpoint="legacy_thing")
            app.register_blueprint(bp)
        ''',
    })
    assert rows(result) == [
        ("GET", "/legacy/v1/things/{thing_id}", "r.Thing", "r/__init__.py", 5, "resolved"),
        ("GET", "/x/things/{thing_id}", "r.Thing", "r/__init__.py", 5, "resolved"),
    ]
    assert route(result, "/x/things/{thing_id}").name == "thing"
    assert route(result, "/legacy/v1/things/{thing_id}").group == "r.rf"


def test_smorest_blueprint_with_method_view_class(tmp_path):
    result = _scan(tmp_path, {
        "s/__init__.py": '''
            from flask import Flask
            from flask.views import MethodView
            from flask_smorest import Api, Blueprint

            blp = Blueprint("pets", __name__, url_prefix="/pets")

            @blp.route("/")
            class Pets(MethodView):
                def get(self):
                    return []
                def post(self):
                    return {}

            app = Flask(__name__)
            api = Api(app)
            api.register_blueprint(blp)
        ''',
    })
    assert rows(result) == [("GET/POST", "/pets/", "s.Pets", "s/__init__.py", 8, "resolved")]
    assert route(result, "/pets/").app == "s.app"


def test_unresolvable_things_stay_visible(tmp_path):
    result = _scan(tmp_path, {
        "u/__init__.py": '''
            import os
            from flask import Flask, Blueprint
            from somewhere import external_view, blueprints_from_config

            app = Flask(__name__)
            bp = Blueprint("u", __name__, url_prefix=os.environ["MOUNT"])

            @bp.route("/a", methods=app.config["ALLOWED"])
            def a():
                return ""

            app.add_url_rule("/ext", view_func=external_view)
            app.register_blueprint(bp)
            for extra in blueprints_from_config():
                app.register_blueprint(extra)
        ''',
    })
    a = [r for r in result.routes if r.handler == "u.a"][0]
    assert (a.path, a.path_status) == ("{os.environ['MOUNT']}/a", "partial")
    assert a.methods == ("{app.config['ALLOWED']}",)
    assert [u.expr for u in a.unresolved] == ["os.environ['MOUNT']", "app.config['ALLOWED']"]
    ext = route(result, "/ext")
    assert (ext.handler, ext.file, ext.line, ext.methods) == ("somewhere.external_view", "u/__init__.py", 12, ("GET",))
    assert findings(result, "dynamic-registration") == [
        ("u/__init__.py", 15, "register_blueprint(extra) in a loop over `blueprints_from_config()`: the routes it "
                              "registers come from data the scan cannot enumerate (count unknown)")]


def test_blueprint_subclass_overrides_are_followed(tmp_path):
    # indico-style: add_url_rule rewrites rules (and registers twice inside a context manager),
    # the subclass's setup state ignores the url_prefix for rules starting with '!/'
    result = _scan(tmp_path, {
        "o/__init__.py": '''
            from contextlib import contextmanager
            from flask import Flask, Blueprint
            from flask.blueprints import BlueprintSetupState

            class State(BlueprintSetupState):
                @contextmanager
                def _unprefixed(self):
                    prefix = self.url_prefix
                    self.url_prefix = None
                    yield
                    self.url_prefix = prefix

                def add_url_rule(self, rule, endpoint=None, view_func=None, **options):
                    if rule.startswith("!/"):
                        with self._unprefixed():
                            super().add_url_rule(rule[1:], endpoint, view_func, **options)
                    else:
                        super().add_url_rule(rule, endpoint, view_func, **options)

            class PrefixedBlueprint(Blueprint):
                def __init__(self, *args, **kwargs):
                    self.__prefix = None
                    super().__init__(*args, **kwargs)

                def make_setup_state(self, app, options, first_registration=False):
                    return State(self, app, options, first_registration)

                def add_url_rule(self, rule, endpoint=None, view_func=None, **options):
                    super().add_url_rule(rule, endpoint, view_func, **options)
                    if self.__prefix:
                        super().add_url_rule(self.__prefix + rule, endpoint, view_func, **options)

                @contextmanager
                def add_prefixed_rules(self, prefix):
                    self.__prefix = prefix
                    yield
                    self.__prefix = None

            bp = PrefixedBlueprint("o", __name__, url_prefix="/o")

            def view():
                return ""

            bp.add_url_rule("/v", "v", view)
            bp.add_url_rule("!/top", "top", view)
            with bp.add_prefixed_rules("/<int:user_id>"):
                @bp.route("/profile", methods=("GET", "POST"))
                def profile(user_id=None):
                    return ""
            bp.add_url_rule("/after", "after", view)

            app = Flask(__name__)
            app.register_blueprint(bp)
        ''',
    })
    no_errors(result)
    assert pairs(result) == [("GET", "/o/after"), ("GET", "/o/v"), ("GET", "/top"), ("GET/POST", "/o/profile"),
                             ("GET/POST", "/o/{user_id}/profile")]
    assert {r.registered_at.line for r in result.routes if r.handler == "o.profile"} == {47}
    assert route(result, "/o/v").options == ()


def test_override_the_scan_cannot_follow_is_flagged(tmp_path):
    result = _scan(tmp_path, {
        "q/__init__.py": '''
            from flask import Flask, Blueprint

            class LazyBlueprint(Blueprint):
                def add_url_rule(self, rule, endpoint=None, view_func=None, **options):
                    self.pending.append((rule, endpoint, view_func, options))

            bp = LazyBlueprint("q", __name__, url_prefix="/q")

            def view():
                return ""

            bp.add_url_rule("/v", "v", view)
            app = Flask(__name__)
            app.register_blueprint(bp)
        ''',
    })
    assert ("overridden_by", "q.LazyBlueprint.add_url_rule") in route(result, "/q/v").options


def test_blueprint_registered_only_on_an_unknown_object(tmp_path):
    result = _scan(tmp_path, {
        "p/__init__.py": '''
            from flask import Blueprint, current_app

            bp = Blueprint("p", __name__)

            @bp.get("/p")
            def p():
                return ""

            def install():
                current_app.register_blueprint(bp, url_prefix="/plugin")
        ''',
    })
    r = route(result, "/plugin/p")
    assert r.orphan and r.app == ""
    assert [m for _, _, m in findings(result, "orphan-blueprint")] == [
        "blueprint `p.bp` is registered only on `current_app`, which the scan cannot resolve; its 1 route(s) are "
        "listed with orphan=true"]


def test_other_frameworks_and_tests_are_ignored(tmp_path):
    result = _scan(tmp_path, {
        "q/__init__.py": '''
            from fastapi import APIRouter
            router = APIRouter()

            @router.get("/fast")
            def fast():
                return ""
        ''',
        "tests/test_app.py": '''
            from flask import Flask
            app = Flask(__name__)

            @app.route("/only-in-tests")
            def t():
                return ""
        ''',
    })
    assert result.routes == ()


def test_output_is_deterministic(fixtures, tmp_path):
    a = _scan_fixture(fixtures, tmp_path / "one", "flask_factory")
    b = _scan_fixture(fixtures, tmp_path / "two", "flask_factory")
    assert a.routes == b.routes


def test_partly_enumerable_registration_table_and_plugin_function(tmp_path):
    result = _scan(tmp_path, {
        "r/__init__.py": '''
            from flask import Flask
            from . import handlers

            app = Flask(__name__)
            for path, view, methods in handlers.get_endpoints():
                app.add_url_rule(path, view.__name__, view, methods=methods)
        ''',
        "r/proto.py": '''
            from .service_pb2 import DESCRIPTOR

            def service_endpoints():
                return [(m.path, m.handler, [m.method]) for m in DESCRIPTOR.methods]
        ''',
        "r/handlers.py": '''
            from .proto import service_endpoints

            def ping():
                return "pong"

            def stats():
                return "{}"

            def extra_endpoints(prefix="/x"):
                return [(prefix + "/ping", ping, ["GET"]), (prefix + "/stats", stats, ["GET", "POST"])]

            def get_endpoints():
                return service_endpoints() + extra_endpoints()
        ''',
        "r/plugin.py": '''
            from flask import Flask
            from r import app as main_app

            def admin():
                return ""

            def create_app(app: Flask = main_app):
                app.add_url_rule("/admin", "admin", admin)
                return app
        ''',
    })
    no_errors(result)
    assert rows(result) == [
        ("GET", "/admin", "r.plugin.admin", "r/plugin.py", 4, "resolved"),
        ("GET", "/x/ping", "r.handlers.ping", "r/handlers.py", 3, "resolved"),
        ("GET/POST", "/x/stats", "r.handlers.stats", "r/handlers.py", 6, "resolved"),
    ]
    assert dict(route(result, "/admin").options) == {
        "reachability": "via r.plugin.create_app(), which no scanned code calls (an entry point or a plugin hook)"}
    assert route(result, "/x/ping").options == ()
    assert findings(result, "dynamic-registration") == [
        ("r/__init__.py", 6, "add_url_rule in a loop over `handlers.get_endpoints()`: the routes from "
                             "`service_endpoints()` come from data the scan cannot enumerate (count unknown); "
                             "the rest are listed")]


def test_lists_built_with_append_in_loops(tmp_path):
    result = _scan(tmp_path, {
        "t/__init__.py": '''
            from flask import Flask
            from .pb import DESCRIPTOR

            def view():
                return ""

            def endpoints():
                ret = [("/a", view)]
                for x in ("/b", "/c"):
                    ret.append((x, view))
                ret += [("/d", view)]
                for m in DESCRIPTOR.methods:
                    ret.append((m.path, view))
                return ret

            app = Flask(__name__)
            for rule, fn in endpoints():
                app.add_url_rule(rule, view_func=fn)
        ''',
    })
    assert pairs(result) == [("GET", "/a"), ("GET", "/b"), ("GET", "/c"), ("GET", "/d")]
    assert [m for _, _, m in findings(result, "dynamic-registration")] == [
        "add_url_rule in a loop over `endpoints()`: the routes from `endpoints()` come from data the scan cannot "
        "enumerate (count unknown); the rest are listed"]


def test_a_name_defined_through_itself_does_not_loop(tmp_path):
    result = _scan(tmp_path, {
        "s/a.py": '''
            from flask import Blueprint

            one = Blueprint("one", __name__)

            @one.get("/one")
            def view():
                return ""

            BLUEPRINTS = [one]
            BLUEPRINTS = [b for b in BLUEPRINTS]
        ''',
        "s/__init__.py": '''
            from flask import Flask

            app = Flask(__name__)

            def setup():
                from .a import BLUEPRINTS
                for bp in BLUEPRINTS:
                    app.register_blueprint(bp)

            setup()
        ''',
    })
    no_errors(result)
    assert result.notes == ()
    assert pairs(result) == [("GET", "/one")]
    assert [line for _, line, _ in findings(result, "dynamic-registration")] == [8]


# ----------------------------------------------------------------------------- summaries and gating
SUMMARY_SOURCE = '''
    from flask import Blueprint, Flask

    def get_app():
        return APP

    def make_bp():
        bp = Blueprint("b", __name__)

        @bp.get("/v")
        def view():
            rows = load()
            return render(rows)

        return bp

    def unrelated(x):
        with open(x) as fh:
            def inner():
                return fh
        return x.upper()

    class Shop:
        def total(self):
            return 1

    APP = Flask(__name__)
    APP.register_blueprint(make_bp())
'''


def _summary(tmp_path):
    from backendscan.analyzers.flask import FlaskAnalyzer
    from backendscan.discovery import discover
    from backendscan.extraction import extract
    from backendscan.testing import write_files

    root = write_files(tmp_path / "sum", {"s/__init__.py": SUMMARY_SOURCE})
    disc = discover(root)
    src = disc.files[0]
    rec = extract(src, disc.abspath(src.path).read_bytes(), [FlaskAnalyzer()], with_metrics=False)
    return rec.summary("flask")


def test_summary_lists_defs_with_what_the_relevance_pass_needs(tmp_path):
    import ast

    summary = _summary(tmp_path)
    heads = [(d.kind, d.qualname, d.attr_hit, d.calls, d.indexed) for d in summary.defs]
    assert heads == [
        ("function", "get_app", False, (), True),
        ("function", "make_bp", False, ("Blueprint", "get", "load", "render"), True),  # relevant: makes a Blueprint
        ("function", "make_bp.<locals>.view", False, ("load", "render"), True),
        ("function", "unrelated", False, ("upper",), True),
        ("function", "unrelated.<locals>.inner", False, (), False),  # inside a with block
        ("class", "Shop", False, (), True),
        ("function", "Shop.total", False, (), True),
    ]
    assert [ast.unparse(v) for v in summary.defs[0].name_returns] == ["APP"]
    # bodies stay packed until read; parameters travel with them
    assert all("_body" not in d.__dict__ for d in summary.defs)
    view = summary.defs[2]
    assert [type(r).__name__ for r in view.body] == ["Stmt", "Stmt"]
    assert [a.arg for a in summary.defs[3].args.args] == ["x"]
    assert summary.defs[5].args is None


def test_bodies_of_functions_that_never_run_are_not_unpacked(tmp_path, monkeypatch):
    from backendscan.analyzers import flask_summary

    unpacked = []
    original = flask_summary.Def._unpacked

    def spy(self):
        if "_body" not in self.__dict__:
            unpacked.append(self.qualname)
        return original(self)

    monkeypatch.setattr(flask_summary.Def, "_unpacked", spy)
    result = _scan(tmp_path, {"s/__init__.py": SUMMARY_SOURCE})
    assert pairs(result) == [("GET", "/v")]
    assert sorted(unpacked) == ["make_bp"]  # the view, the helpers and the class are never run


def test_django_code_with_flask_looking_words_is_not_interpreted(tmp_path, monkeypatch):
    from backendscan.analyzers import flask as flask_plugin

    def boom(*args, **kwargs):
        raise AssertionError("the Flask interpreter ran on a project without Flask")

    monkeypatch.setattr(flask_plugin, "Interpreter", boom)
    result = _scan(tmp_path, {
        "d/__init__.py": "",
        "d/views.py": '''
            from django.views.generic import TemplateView

            class Home(TemplateView):
                template_name = "home.html"

            def create_app():
                return Home.as_view()
        ''',
        "d/urls.py": '''
            from django.urls import path
            from .views import create_app

            urlpatterns = [path("", create_app())]
        ''',
    })
    no_errors(result)
    assert result.routes == ()


def test_flask_extension_imports_count_as_flask(tmp_path):
    result = _scan(tmp_path, {
        "r/__init__.py": '''
            from flask_restful import Api, Resource
            from .app import app

            class Item(Resource):
                def get(self):
                    return {}

            api = Api(app)
            api.add_resource(Item, "/item")
        ''',
        "r/app.py": '''
            from .factory import make

            app = make()
        ''',
        "r/factory.py": '''
            import importlib

            def make():
                return importlib.import_module("flask").Flask(__name__)
        ''',
    })
    # the app itself is not a Flask(...) call the scan sees, so the Api is an orphan; what matters
    # here is that the interpreter ran although no module imports ``flask`` itself
    assert pairs(result) == [("GET", "/item")]
