"""Django URLconf + DRF routes (analyzer ``django_urls``).

The fixture expectations (methods, full paths, handlers, URL names) were checked
against the running applications: the fixture projects were loaded with Django
5.2 / DRF 3.17 and dumped with ``benchmarks/groundtruth/dump_django.py``; the
only differences are the ones a static scan must show differently (third-party
includes, ``{lang}``/env placeholders and the ``settings.DEBUG`` branch, which
is listed with its condition).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from backendscan.analyzers.routing import django_regex_piece, normalize_django_path, normalize_django_regex
from backendscan.config import Config
from backendscan.facts import Route
from backendscan.pipeline import ScanResult, scan
from backendscan.testing import scan_files

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "projects"


def _scan(name: str) -> ScanResult:
    return scan(FIXTURES / name, Config(use_cache=False, jobs=1, metrics=False, analyzers=("django_urls",)))


def _django(result: ScanResult) -> list[Route]:
    return [r for r in result.routes if r.framework in ("django", "drf")]


def _table(result: ScanResult) -> list[tuple[tuple[str, ...], str, str, str, int, str]]:
    return [(r.methods, r.path, r.handler, r.file, r.line, r.name) for r in _django(result)]


def _by_path(result: ScanResult) -> dict[str, Route]:
    return {r.path: r for r in _django(result)}


def _findings(result: ScanResult, rule: str) -> list[tuple[str, str]]:
    return sorted((f.location.short, f.message) for f in result.findings if f.rule_id == rule)


@pytest.fixture(scope="module")
def blog() -> ScanResult:
    return _scan("django_blog")


@pytest.fixture(scope="module")
def api() -> ScanResult:
    return _scan("django_api")


# --------------------------------------------------------------------------- normalisation
@pytest.mark.parametrize(
    ("regex", "text", "positional", "optional_slash"),
    [
        (r"^items/(?P<pk>[^/.]+)/$", "items/{pk}/", 0, False),
        (r"^qrcode.(?P<filetype>(png|jpeg|gif|svg))$", "qrcode.{filetype}", 0, False),
        (r"^(?P<cart_namespace>[_]{0})cart/add$", "{cart_namespace}cart/add", 0, False),
        (r"^\.well-known/jwks.json$", ".well-known/jwks.json", 0, False),
        (r"^a/(\d+)/(b|c)?/$", "a/{arg0}/{arg1}/", 2, False),
        (r"^settings/?$", "settings", 0, True),
        (r"^custom-fields\.(?P<format>[a-z0-9]+)/?$", "custom-fields.{format}", 0, True),
        (r"(?:foo)?bar", "(?:foo)?bar", 0, False),
        (r"^x\Z", "x", 0, False),
        (r"\d{4}/$", r"\d{4}/", 0, False),
    ],
)
def test_regex_pieces_are_normalised_like_the_runtime_ground_truth(
    regex: str, text: str, positional: int, optional_slash: bool
) -> None:
    piece = django_regex_piece(regex)
    assert (piece.text, piece.next_positional, piece.optional_slash) == (text, positional, optional_slash)
    assert normalize_django_regex(regex) == text


def test_unnamed_groups_are_counted_across_pieces() -> None:
    first = django_regex_piece(r"^(\d+)/", 0)
    second = django_regex_piece(r"^(\w+)/$", first.next_positional)
    assert (first.text + second.text) == "{arg0}/{arg1}/"


def test_path_converters_are_normalised() -> None:
    assert normalize_django_path("<int:pk>/<slug>/x/<path:rest>") == "{pk}/{slug}/x/{rest}"


# --------------------------------------------------------------------------- Django fixture
_SITE = "django.contrib.admin.sites.AdminSite"
_MA = "django.contrib.admin.options.ModelAdmin"
_REDIRECT = "django.views.generic.base.RedirectView"
_ALL = ("DELETE", "GET", "PATCH", "POST", "PUT")


def ADMIN_ROUTES(where: str, line: int, models: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], str, str, str, int, str]]:
    """``admin.site.urls`` with auth.Group/auth.User (django.contrib.auth installed) and ``models``, in path order.

    Checked against Django 5.2 at run time; handlers and names are Django's.
    """
    any_ = ("ANY",)

    def model(label: str, name: str, user: bool = False) -> list[tuple[tuple[str, ...], str, str, str, int, str]]:
        base, info = f"/admin/{label}/{name}/", f"admin:{label}_{name}"
        rows = [
            (any_, base, f"{_MA}.changelist_view", where, line, f"{info}_changelist"),
            (any_, base + "add/", ("django.contrib.auth.admin.UserAdmin" if user else _MA) + ".add_view", where, line, f"{info}_add"),
        ]
        if user:
            rows.append((any_, base + "{id}/password/", "django.contrib.auth.admin.UserAdmin.user_change_password", where, line,
                         "admin:auth_user_password_change"))
        rows += [
            (_ALL, base + "{object_id}/", _REDIRECT, where, line, ""),
            (any_, base + "{object_id}/change/", f"{_MA}.change_view", where, line, f"{info}_change"),
            (any_, base + "{object_id}/delete/", f"{_MA}.delete_view", where, line, f"{info}_delete"),
            (any_, base + "{object_id}/history/", f"{_MA}.history_view", where, line, f"{info}_history"),
        ]
        return rows

    rows = [(any_, "/admin/", f"{_SITE}.index", where, line, "admin:index")]
    rows += model("auth", "group") + model("auth", "user", user=True)
    rows += [
        (any_, "/admin/autocomplete/", f"{_SITE}.autocomplete_view", where, line, "admin:autocomplete"),
        (any_, "/admin/jsi18n/", f"{_SITE}.i18n_javascript", where, line, "admin:jsi18n"),
        (any_, "/admin/login/", f"{_SITE}.login", where, line, "admin:login"),
        (any_, "/admin/logout/", f"{_SITE}.logout", where, line, "admin:logout"),
        (any_, "/admin/password_change/", f"{_SITE}.password_change", where, line, "admin:password_change"),
        (any_, "/admin/password_change/done/", f"{_SITE}.password_change_done", where, line, "admin:password_change_done"),
    ]
    for m in models:
        rows += model(*m.split("."))
    rows += [
        (any_, "/admin/r/{content_type_id}/{object_id}/", "django.contrib.contenttypes.views.shortcut", where, line,
         "admin:view_on_site"),
        (any_, "/admin/{app_label}/", f"{_SITE}.app_index", where, line, "admin:app_list"),
        (any_, "/admin/{url}", f"{_SITE}.catch_all_view", where, line, ""),
    ]
    return rows


BLOG_ROUTES = [
    (("GET",), "/", "django.views.generic.base.TemplateView", "blog_site/urls.py", 24, "home"),
    (("GET",), "/about/", "pages.views.AboutView", "pages/views.py", 5, "about"),
    (("GET", "POST", "PUT"), "/accounts/login/", "django.contrib.auth.views.LoginView", "accounts/urls.py", 7, "acct:login"),
    (("POST",), "/accounts/logout/", "django.contrib.auth.views.LogoutView", "accounts/urls.py", 8, "acct:logout"),
    (("ANY",), "/accounts/profile/", "accounts.views.profile", "accounts/views.py", 6, "acct:profile"),
    *ADMIN_ROUTES("blog_site/urls.py", 31),
    (("ANY",), "/blog/widgets/", "blog.views.robots", "blog/views.py", 57, "widgets"),
    (("GET",), "/dashboard/", "django.views.generic.base.TemplateView", "blog_site/urls.py", 29, "dashboard"),
    (("ANY",), "/debug/", "blog.views.debug_info", "blog/views.py", 61, ""),
    (("ANY",), "/faq/", "pages.views.faq", "pages/views.py", 17, ""),
    (("ANY",), "/faq/{pk}/", "pages.views.faq", "pages/views.py", 17, ""),
    (("ANY",), "/health/", "pages.views.health", "pages/views.py", 9, ""),
    (("GET",), "/legacy/archive/{year}/", "blog.views.archive", "blog/views.py", 19, "archive"),
    (("GET", "HEAD"), "/legacy/feed/{arg0}/", "blog.views.feed", "blog/views.py", 24, ""),
    (("DELETE", "GET", "PATCH", "POST", "PUT"), "/old/", "django.views.generic.base.RedirectView", "blog_site/urls.py", 30, "old"),
    (("ANY",), "/p/{slug}/", "pages.views.page", "pages/views.py", 13, "page"),
    (("ANY",), "/ping/", "blog_site.urls.<lambda>", "blog_site/urls.py", 34, ""),
    (("GET",), "/privacy/", "django.views.generic.base.TemplateView", "blog_site/urls.py", 46, "privacy"),
    (("ANY",), "/robots.txt", "blog.views.robots", "blog/views.py", 57, ""),
    (("GET", "POST"), "/site/", "blog.views.post_list", "blog/views.py", 14, "blog:list"),
    (("GET",), "/site/all/", "blog.views.PostList", "blog/views.py", 96, "blog:all"),
    (("GET", "POST", "PUT"), "/site/contact/", "blog.views.ContactView", "blog/views.py", 100, "blog:contact"),
    (("GET",), "/site/drafts/", "blog.views.Drafts", "blog/views.py", 114, "blog:drafts"),
    (("ANY",), "/site/moderation/", "blog.views.moderation", "blog/views.py", 45, "blog:moderation"),
    (("GET", "POST", "PUT"), "/site/new/", "blog.views.PostCreate", "blog/views.py", 79, "blog:create"),
    (("GET",), "/site/secret/", "blog.views.Secret", "blog/views.py", 104, "blog:secret"),
    (("ANY",), "/site/stats/", "blog.views.stats", "blog/views.py", 40, "blog:stats"),
    (("ANY",), "/site/tagged/{tag}/", "blog.views.tagged", "blog/views.py", 49, "blog:tagged"),
    (("GET", "POST"), "/site/{pk}/", "blog.views.PostDetail", "blog/views.py", 74, "blog:detail"),
    (("DELETE", "GET", "POST"), "/site/{pk}/delete/", "blog.views.PostDelete", "blog/views.py", 92, "blog:delete"),
    (("POST",), "/site/{pk}/publish/", "blog.views.publish", "blog/views.py", 30, "blog:publish"),
    (("GET", "POST"), "/site/{pk}/update/", "blog.views.PostUpdate", "blog/views.py", 84, "blog:update"),
    (("ANY",), "/site/{slug}/edit/", "blog.views.edit", "blog/views.py", 35, "blog:edit"),
    (("ANY",), "/sitemap.xml", "blog.views.sitemap", "blog/views.py", 53, "sitemap"),
    (("GET",), "/terms/", "django.views.generic.base.TemplateView", "blog_site/urls.py", 46, "terms"),
    (("GET",), "/{lang}/intl/", "pages.views.AboutView", "pages/views.py", 5, "intl"),
    (("ANY",), "/{settings.TENANT_PREFIX}tenant/", "blog.views.tenant_home", "blog/views.py", 65, ""),
]


def test_blog_routes_are_exactly_the_runtime_routes(blog: ScanResult) -> None:
    assert _table(blog) == BLOG_ROUTES
    assert {r.framework for r in _django(blog)} == {"django"}
    assert {r.app for r in _django(blog)} == {"blog_site.urls"}


def test_blog_raw_paths_keep_the_django_spelling(blog: ScanResult) -> None:
    routes = _by_path(blog)
    assert routes["/legacy/archive/{year}/"].raw_path == "^legacy/^archive/(?P<year>[0-9]{4})/$"
    assert routes["/site/{pk}/update/"].raw_path == "site/<int:pk>/update/"
    assert routes["/{lang}/intl/"].raw_path == "{lang}/intl/"
    assert routes["/{lang}/intl/"].options == (("locale_prefix", "true"),)


def test_blog_prefixes_are_folded_or_left_as_placeholders(blog: ScanResult) -> None:
    routes = _by_path(blog)
    assert routes["/site/"].path_status == "resolved"  # settings.BASE_PATH = "site/"
    tenant = routes["/{settings.TENANT_PREFIX}tenant/"]
    assert tenant.path_status == "partial"
    assert [(u.expr, u.location.short) for u in tenant.unresolved] == [
        ("os.environ['TENANT_PREFIX']", "blog_site/settings.py:12")
    ]
    assert routes["/{lang}/intl/"].path_status == "partial"


def test_blog_groups_conditions_and_registration_sites(blog: ScanResult) -> None:
    routes = _by_path(blog)
    assert routes["/debug/"].conditions == ("settings.DEBUG",)
    # from the loop over apps.get_app_configs(), run over the literal INSTALLED_APPS
    assert routes["/blog/widgets/"].conditions == ("'blog' in INSTALLED_APPS",)
    assert routes["/blog/widgets/"].group == "blog.plugin_urls"
    assert routes["/site/"].conditions == ()
    assert routes["/site/"].group == "blog.urls"
    assert routes["/faq/{pk}/"].group == "pages.urls"
    assert routes["/site/{pk}/"].registered_at is not None and routes["/site/{pk}/"].registered_at.short == "blog/urls.py:8"
    assert routes["/terms/"].registered_at is not None and routes["/terms/"].registered_at.short == "blog_site/urls.py:46"
    assert routes["/site/tagged/{tag}/"].options == (("kwargs", "{'source': 'tag'}"),)
    assert routes["/sitemap.xml"].is_async is True


def test_blog_auth_evidence(blog: ScanResult) -> None:
    routes = _by_path(blog)

    def auth(path: str) -> list[tuple[str, str, str, str, str]]:
        return [(a.kind, a.name, a.attached, a.location.short, a.inherited_from) for a in routes[path].auth]

    assert auth("/site/{pk}/publish/") == [("decorator", "login_required", "route", "blog/views.py:29", "")]
    assert auth("/site/{slug}/edit/") == [("decorator", "permission_required", "route", "blog/views.py:34", "")]
    assert auth("/site/stats/") == [("decorator", "user_passes_test", "route", "blog/views.py:39", "")]
    assert auth("/site/moderation/") == [("decorator", "staff_member_required", "route", "blog/views.py:44", "")]
    assert auth("/site/{pk}/") == [("mixin", "LoginRequiredMixin", "class", "blog/views.py:74", "")]
    assert auth("/site/new/") == [("mixin", "PermissionRequiredMixin", "class", "blog/views.py:79", "")]
    assert auth("/site/{pk}/update/") == [("mixin", "UserPassesTestMixin", "class", "blog/views.py:84", "")]
    assert auth("/site/secret/") == [("decorator", "login_required", "class", "blog/views.py:105", "")]
    assert auth("/site/drafts/") == [("decorator", "login_required", "class", "blog/views.py:113", "")]
    assert auth("/dashboard/") == [("decorator", "login_required", "route", "blog_site/urls.py:29", "")]
    assert auth("/accounts/profile/") == [("decorator", "login_required", "route", "accounts/views.py:5", "")]
    assert routes["/site/"].auth == ()
    assert routes["/about/"].auth == ()


def test_blog_findings(blog: ScanResult) -> None:
    assert _findings(blog, "external-include") == [
        ("blog_site/urls.py:32", "include('social_django.urls'): module outside the scan; its routes are not listed"),
    ]
    assert _findings(blog, "dynamic-registration") == []
    assert _findings(blog, "root-urlconf-unknown") == []


# --------------------------------------------------------------------------- DRF fixture
API_ROUTES = [
    (("GET",), "/api/", "rest_framework.routers.APIRootView", "catalog/urls.py", 7, "api-root"),
    (("DELETE", "GET"), "/api/bulk/tags.{format}", "catalog.views.TagViewSet", "catalog/views.py", 57, "tag-list"),
    (("DELETE", "GET"), "/api/bulk/tags/", "catalog.views.TagViewSet", "catalog/views.py", 57, "tag-list"),
    (("GET",), "/api/categories.{format}", "catalog.views.CategoryViewSet", "catalog/views.py", 30, "category-list"),
    (("GET",), "/api/categories/", "catalog.views.CategoryViewSet", "catalog/views.py", 30, "category-list"),
    (("GET",), "/api/categories/{category_id}.{format}", "catalog.views.CategoryViewSet", "catalog/views.py", 30, "category-detail"),
    (("GET",), "/api/categories/{category_id}/", "catalog.views.CategoryViewSet", "catalog/views.py", 30, "category-detail"),
    (("GET",), "/api/health/", "catalog.views.HealthView", "catalog/views.py", 76, "health"),
    (("GET", "POST"), "/api/items/", "catalog.views.ItemList", "catalog/views.py", 83, "items"),
    (("GET",), "/api/orders.{format}", "orders.views.OrderViewSet", "orders/views.py", 6, "order-list"),
    (("GET",), "/api/orders/", "orders.views.OrderViewSet", "orders/views.py", 6, "order-list"),
    (("GET",), "/api/orders/{pk}.{format}", "orders.views.OrderViewSet", "orders/views.py", 6, "order-detail"),
    (("GET",), "/api/orders/{pk}/", "orders.views.OrderViewSet", "orders/views.py", 6, "order-detail"),
    (("GET",), "/api/ping/", "catalog.views.ping", "catalog/views.py", 99, "ping"),
    (("GET",), "/api/ping{format}", "catalog.views.ping", "catalog/views.py", 99, "ping"),
    (("GET", "POST"), "/api/products.{format}", "catalog.views.ProductViewSet", "catalog/views.py", 12, "product-list"),
    (("GET", "POST"), "/api/products/", "catalog.views.ProductViewSet", "catalog/views.py", 12, "product-list"),
    (("GET", "POST"), "/api/products/featured.{format}", "catalog.views.ProductViewSet", "catalog/views.py", 12, "product-featured"),
    (("GET", "POST"), "/api/products/featured/", "catalog.views.ProductViewSet", "catalog/views.py", 12, "product-featured"),
    (("DELETE", "GET", "PATCH", "PUT"), "/api/products/{sku}.{format}", "catalog.views.ProductViewSet", "catalog/views.py", 12, "product-detail"),
    (("DELETE", "GET", "PATCH", "PUT"), "/api/products/{sku}/", "catalog.views.ProductViewSet", "catalog/views.py", 12, "product-detail"),
    (("POST",), "/api/products/{sku}/set-price.{format}", "catalog.views.ProductViewSet", "catalog/views.py", 12, "product-set-price"),
    (("POST",), "/api/products/{sku}/set-price/", "catalog.views.ProductViewSet", "catalog/views.py", 12, "product-set-price"),
    (("GET", "POST"), "/api/rebuild/", "catalog.views.rebuild_index", "catalog/views.py", 89, "rebuild"),
    (("GET", "POST"), "/api/reviews.{format}", "catalog.views.ReviewViewSet", "catalog/views.py", 36, "review-list"),
    (("GET", "POST"), "/api/reviews/", "catalog.views.ReviewViewSet", "catalog/views.py", 36, "review-list"),
    (("GET",), "/api/stats-summary/", "catalog.views.StatsViewSet", "catalog/views.py", 41, "stats-summary"),
    (("GET",), "/api/v2/stats", "catalog.views.StatsViewSet", "catalog/views.py", 41, "v2:stats-list"),
    (("GET",), "/api/v2/stats/{pk}", "catalog.views.StatsViewSet", "catalog/views.py", 41, "v2:stats-detail"),
    (("GET", "POST"), "/api/v2/wishlists", "catalog.views.WishlistViewSet", "catalog/views.py", 53, "v2:wishlist-list"),
    (("DELETE", "GET", "PATCH", "PUT"), "/api/v2/wishlists/{pk}", "catalog.views.WishlistViewSet", "catalog/views.py", 53, "v2:wishlist-detail"),
    (("GET",), "/api/version/", "catalog.views.version", "catalog/views.py", 94, "version"),
    (("GET",), "/api/{format}", "rest_framework.routers.APIRootView", "catalog/urls.py", 7, "api-root"),
    (("GET",), "/ui/panels/", "catalog.views.PanelViewSet", "catalog/views.py", 64, "product_list"),
    (("GET", "POST"), "/ui/panels/{pk}/edit/", "catalog.views.PanelViewSet", "catalog/views.py", 64, "product_edit"),
    (("GET",), "/ui/panels/{pk}/history/", "catalog.views.PanelViewSet", "catalog/views.py", 64, "product_changelog"),
]


def test_api_routes_are_exactly_the_runtime_routes(api: ScanResult) -> None:
    assert _table(api) == API_ROUTES
    assert {r.framework for r in _django(api)} == {"drf"}


def test_api_raw_paths_flags_and_actions(api: ScanResult) -> None:
    routes = _by_path(api)
    assert routes["/api/products/{sku}/"].raw_path == "api/^products/(?P<sku>[A-Z0-9-]+)/$"
    assert routes["/api/products/{sku}.{format}"].raw_path == r"api/^products/(?P<sku>[A-Z0-9-]+)\.(?P<format>[a-z0-9]+)/?$"
    assert routes["/api/v2/stats/{pk}"].raw_path == "api/v2/^stats/(?P<pk>[^/.]+)$"
    assert routes["/api/{format}"].raw_path == "api/<drf_format_suffix:format>"
    assert dict(routes["/api/"].options) == {"api_root": "true"}
    assert dict(routes["/api/{format}"].options) == {"api_root": "true", "format_suffix": "true"}
    assert dict(routes["/api/products/featured/"].options) == {"actions": "get=featured, post=add_featured"}
    assert dict(routes["/api/bulk/tags/"].options) == {"actions": "delete=bulk_destroy, get=list"}
    assert dict(routes["/api/products/featured.{format}"].options)["optional_trailing_slash"] == "true"
    assert routes["/api/products/"].group == "catalog.urls.router"
    assert routes["/api/orders/"].registered_at is not None and routes["/api/orders/"].registered_at.short == "orders/api.py:7"
    assert routes["/api/v2/wishlists"].registered_at is not None
    assert routes["/api/v2/wishlists"].registered_at.short == "catalog/urls.py:15"


def test_api_auth_evidence(api: ScanResult) -> None:
    routes = _by_path(api)

    def auth(path: str) -> list[tuple[str, str, str, str, bool, str]]:
        return [(a.kind, a.name, a.attached, a.location.short, a.public, a.inherited_from) for a in routes[path].auth]

    default = ("settings_default", "IsAuthenticated", "settings", "shopapi/settings.py:17", False,
               "REST_FRAMEWORK.DEFAULT_PERMISSION_CLASSES")
    assert auth("/api/products/") == [default]
    assert auth("/api/categories/") == [("permission_class", "AllowAny", "class", "catalog/views.py:32", True, "")]
    assert auth("/api/reviews/") == [
        ("permission_class", "IsAuthenticated", "class", "catalog/views.py:38", False, ""),
        ("permission_class", "IsAdminUser", "class", "catalog/views.py:38", False, ""),
    ]
    assert auth("/api/v2/wishlists") == [
        ("permission_class", "IsAuthenticated", "class", "catalog/views.py:50", False, "catalog.views.OwnedViewSet")
    ]
    assert auth("/api/rebuild/") == [("permission_class", "IsAdminUser", "route", "catalog/views.py:88", False, "")]
    assert auth("/api/version/") == [default]
    assert auth("/api/health/") == [("permission_class", "AllowAny", "class", "catalog/views.py:77", True, "")]
    assert auth("/api/") == [default]


def test_api_orphan_viewsets(api: ScanResult) -> None:
    assert _findings(api, "orphan-view") == [
        ("catalog/views.py:72", "DRF viewset catalog.views.UnusedViewSet is not registered on any router or URLconf the scan reaches")
    ]


# --------------------------------------------------------------------------- layout fixture (EXPECTED.md 2.3)
def test_layout_django_sub_routes() -> None:
    result = _scan("layout_django_sub")
    assert _table(result) == ADMIN_ROUTES("web/mysite/urls.py", 8, ("polls.choice", "polls.question")) + [
        (("GET",), "/polls/", "polls.views.IndexView", "web/polls/views.py", 13, "polls:index"),
        (("GET",), "/polls/{pk}/", "polls.views.DetailView", "web/polls/views.py", 21, "polls:detail"),
        (("ANY",), "/polls/{question_id}/vote/", "polls.views.vote", "web/polls/views.py", 27, "polls:vote"),
    ]
    vote = _by_path(result)["/polls/{question_id}/vote/"]
    assert [(a.kind, a.name, a.location.short) for a in vote.auth] == [("decorator", "login_required", "web/polls/views.py:26")]
    assert _by_path(result)["/polls/"].auth == ()
    admin_auth = [(a.kind, a.name, a.attached, a.location.short) for a in _by_path(result)["/admin/polls/question/"].auth]
    assert admin_auth == [("decorator", "admin_view", "include", "web/mysite/urls.py:8")]
    assert _by_path(result)["/admin/login/"].auth == ()
    assert _findings(result, "external-include") == []


# --------------------------------------------------------------------------- inline projects
SETTINGS = """
    ROOT_URLCONF = "proj.urls"
    INSTALLED_APPS = ["django.contrib.auth", "app"]
"""


def _inline(tmp_path: Path, files: dict[str, str]) -> ScanResult:
    return scan_files(tmp_path, files, analyzers=("django_urls",))


def test_no_root_urlconf_uses_urls_modules_nobody_includes(tmp_path: Path) -> None:
    result = _inline(
        tmp_path,
        {
            "site/__init__.py": "",
            "site/urls.py": """
                from django.urls import include, path
                urlpatterns = [path("shop/", include("shop.urls"))]
            """,
            "shop/__init__.py": "",
            "shop/urls.py": """
                from django.urls import path
                from . import views
                urlpatterns = [path("cart/", views.cart)]
            """,
            "shop/views.py": "def cart(request): ...\n",
        },
    )
    assert [(r.methods, r.path, r.handler, r.app) for r in _django(result)] == [
        (("ANY",), "/shop/cart/", "shop.views.cart", "site.urls")
    ]
    assert [(f.severity.value, f.message) for f in result.findings if f.rule_id == "root-urlconf-unknown"] == [
        ("warning", "ROOT_URLCONF not found; every urls module that no other URLconf includes is treated as a root: site.urls")
    ]


def test_class_based_settings_and_one_tree_per_root_urlconf(tmp_path: Path) -> None:
    result = _inline(
        tmp_path,
        {
            "proj/__init__.py": "",
            "proj/settings/__init__.py": "",
            "proj/settings/base.py": """
                class Base:
                    ROOT_URLCONF = "proj.urls"
                    INSTALLED_APPS = ["proj"]
                class Community(Base):
                    DEBUG = False
            """,
            "proj/settings/proxito.py": """
                from .base import Community
                class Proxito(Community):
                    ROOT_URLCONF = "proj.proxito_urls"
            """,
            "proj/urls.py": """
                from django.urls import path
                from .views import home
                urlpatterns = [path("", home, name="home")]
            """,
            "proj/proxito_urls.py": """
                from django.urls import re_path
                from .views import serve
                urlpatterns = [re_path(r"^(?P<filename>.*)$", serve)]
            """,
            "proj/views.py": "def home(request): ...\ndef serve(request, filename): ...\n",
        },
    )
    assert result.project is not None
    assert set(result.project.django_settings_modules) == {"proj.settings.base", "proj.settings.proxito"}
    assert sorted((r.app, r.path, r.handler) for r in _django(result)) == [
        ("proj.proxito_urls", "/{filename}", "proj.views.serve"),
        ("proj.urls", "/", "proj.views.home"),
    ]


def test_login_required_middleware_and_login_not_required(tmp_path: Path) -> None:
    result = _inline(
        tmp_path,
        {
            "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
            "proj/__init__.py": "",
            "proj/settings.py": SETTINGS
            + """
    MIDDLEWARE = [
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.LoginRequiredMiddleware",
    ]
""",
            "proj/urls.py": """
                from django.contrib.auth.decorators import login_not_required
                from django.urls import path
                from . import views
                urlpatterns = [
                    path("private/", views.private),
                    path("public/", views.public),
                    path("open/", login_not_required(views.private)),
                ]
            """,
            "proj/views.py": """
                from django.contrib.auth.decorators import login_not_required

                def private(request): ...

                @login_not_required
                def public(request): ...
            """,
        },
    )
    routes = _by_path(result)
    assert [(a.kind, a.name, a.attached, a.location.short) for a in routes["/private/"].auth] == [
        ("middleware", "LoginRequiredMiddleware", "settings", "proj/settings.py:4")
    ]
    assert [(a.kind, a.name, a.public) for a in routes["/public/"].auth] == [("decorator", "login_not_required", True)]
    assert [(a.kind, a.name, a.attached, a.public) for a in routes["/open/"].auth] == [
        ("decorator", "login_not_required", "route", True)
    ]


def test_old_url_function_regex_composition_and_conditions(tmp_path: Path) -> None:
    result = _inline(
        tmp_path,
        {
            "proj/__init__.py": "",
            "proj/settings.py": SETTINGS,
            "proj/urls.py": """
                from django.conf import settings
                from django.conf.urls import include, url
                from . import views
                year_patterns = [url(r"^(\\d{4})/(?P<slug>[-\\w]+)/$", views.entry)]
                urlpatterns = [url(r"^blog/(\\w+)/", include(year_patterns))]
                if settings.DEBUG:
                    urlpatterns += [url(r"^debug/$", views.debug)]
                else:
                    urlpatterns += [url(r"^prod/$", views.debug)]
            """,
            "proj/views.py": "def entry(request, *args, **kwargs): ...\ndef debug(request): ...\n",
        },
    )
    assert [(r.path, r.raw_path, r.conditions) for r in _django(result)] == [
        ("/blog/{arg0}/{arg1}/{slug}/", r"^blog/(\w+)/^(\d{4})/(?P<slug>[-\w]+)/$", ()),
        ("/debug/", "^debug/$", ("settings.DEBUG",)),
        ("/prod/", "^prod/$", ("not (settings.DEBUG)",)),
    ]


def test_dynamic_patterns_become_findings_not_routes(tmp_path: Path) -> None:
    result = _inline(
        tmp_path,
        {
            "proj/__init__.py": "",
            "proj/settings.py": SETTINGS,
            "proj/registry.py": """
                def get_model_urls(app_label):
                    urls = []
                    for view in REGISTRY.get(app_label, ()):
                        urls.append(view)
                    return urls
            """,
            "proj/urls.py": """
                from django.urls import include, path
                from . import views
                from .registry import get_model_urls
                names = ["a", "b"]
                urlpatterns = [path(f"{n}/", views.page) for n in names]
                urlpatterns += [path("models/", include(get_model_urls("app")))]
            """,
            "proj/views.py": "def page(request): ...\n",
        },
    )
    assert _django(result) == []
    assert _findings(result, "dynamic-registration") == [
        ("proj/urls.py:5", "URL patterns built by a comprehension: [path(f'{n}/', views.page) for n in names]"),
        ("proj/urls.py:6", "URL patterns produced at run time by get_model_urls(); not evaluated statically"),
    ]


def test_literal_loops_and_helpers_are_unrolled(tmp_path: Path) -> None:
    result = _inline(
        tmp_path,
        {
            "proj/__init__.py": "",
            "proj/settings.py": SETTINGS,
            "proj/urls.py": """
                from django.urls import include, path
                from . import views
                VERSIONS = ("v1", "v2")

                def versioned(prefix, view):
                    return path(prefix + "/status/", view)

                api_urls = [path("items/", views.items)]
                urlpatterns = []
                for version in VERSIONS:
                    urlpatterns.append(path(f"api/{version}/", include(api_urls)))
                    urlpatterns.append(versioned(version, views.status))
            """,
            "proj/views.py": "def items(request): ...\ndef status(request): ...\n",
        },
    )
    assert [r.path for r in _django(result)] == ["/api/v1/items/", "/api/v2/items/", "/v1/status/", "/v2/status/"]


def test_include_cycles_and_bad_input_do_not_crash(tmp_path: Path) -> None:
    result = _inline(
        tmp_path,
        {
            "proj/__init__.py": "",
            "proj/settings.py": SETTINGS,
            "proj/urls.py": """
                from django.urls import include, path, re_path
                from rest_framework.routers import DefaultRouter
                from . import views
                router = DefaultRouter(*opts)
                router.register(*regs)
                router.register("x", views.Nope)
                router.register(**kw)
                a = a + [path("a/", views.f)]
                loop_api = include("proj.urls")
                urlpatterns = [
                    path("loop/", include("proj.urls")),
                    path("loop2/", loop_api),
                    path(),
                    path("x/"),
                    path(*args),
                    path(**kwargs),
                    re_path(42, None),
                    re_path(r"(unclosed[", views.f),
                    path(b"bytes/", views.f),
                    include(),
                    include(*x),
                    path("y/", include()),
                    path("z/", include(lambda: 1)),
                    path("r/", router.urls),
                    path("v/", views.View.as_view(**actions)),
                    path("w/", views.View.as_view(*actions)),
                    *a,
                ]
                urlpatterns += 42
                urlpatterns.append()
                urlpatterns.extend(*x)
            """,
            "proj/views.py": """
                from rest_framework.routers import DefaultRouter
                class R(DefaultRouter):
                    routes = 5
                    def __init__(self):
                        self.routes[0].mapping.update()
                        self.routes["x"].mapping.update({})
                class View:
                    http_method_names = None
                def f(request): ...
            """,
        },
    )
    assert not [f for f in result.findings if f.rule_id == "analysis-error"]
    assert [r.path for r in _django(result) if r.path.startswith(("/a", "/loop"))] == ["/a/"]
    assert [loc for loc, _ in _findings(result, "invalid-urlpattern")] == [
        f"proj/urls.py:{n}" for n in (13, 14, 15, 16, 17, 19, 20, 21, 22)
    ]
    assert ("proj/urls.py:6", "viewset views.Nope registered on router is not a class the scan can see") in _findings(
        result, "dynamic-registration"
    )


def test_drf_routers_without_a_default_router(tmp_path: Path) -> None:
    result = _inline(
        tmp_path,
        {
            "proj/__init__.py": "",
            "proj/settings.py": SETTINGS,
            "proj/urls.py": """
                from rest_framework import routers
                from .views import NoteViewSet, TokenViewSet
                router = routers.SimpleRouter(trailing_slash=False, use_regex_path=False)
                router.register("notes", NoteViewSet, basename="note")
                router.register("", TokenViewSet, basename="token")
                urlpatterns = router.urls
            """,
            "proj/views.py": """
                from rest_framework import mixins, viewsets
                from rest_framework.decorators import action

                class NoteViewSet(mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
                    lookup_field = "slug"
                    lookup_value_converter = "slug"

                    @action(detail=True, methods=["get", "put"])
                    def body_text(self, request, slug=None): ...

                class TokenViewSet(viewsets.ViewSet):
                    def create(self, request): ...
            """,
        },
    )
    assert [(r.methods, r.path, r.raw_path, r.name) for r in _django(result)] == [
        (("POST",), "/", "", "token-list"),
        (("DELETE", "GET"), "/notes/{slug}", "notes/<slug:slug>", "note-detail"),
        (("GET", "PUT"), "/notes/{slug}/body_text", "notes/<slug:slug>/body_text", "note-body-text"),
    ]
    # no REST_FRAMEWORK setting: DRF's default AllowAny
    assert {(a.kind, a.name, a.public) for r in _django(result) for a in r.auth} == {
        ("settings_default", "AllowAny", True)
    }


PLUGIN_LOOP = """
    import importlib.util
    from django.apps import apps
    from django.urls import include, re_path
    from .handler import wrap_urls

    raw_plugin_patterns = []
    for app in apps.get_app_configs():
        if hasattr(app, "PluginMeta"):
            if importlib.util.find_spec(app.name + ".urls"):
                urlmod = importlib.import_module(app.name + ".urls")
                single = []
                if hasattr(urlmod, "urlpatterns"):
                    single += urlmod.urlpatterns
                if hasattr(urlmod, "event_patterns"):
                    patterns = wrap_urls(urlmod.event_patterns, plugin=app.name)
                    single.append(re_path(r"^(?P<event>[^/]+)/", include(patterns)))
                raw_plugin_patterns.append(re_path(r"", include((single, app.label))))

    urlpatterns = [re_path(r"^p/", include((raw_plugin_patterns, "plugins")))]
"""


def _plugin_project(installed_apps: str) -> dict[str, str]:
    return {
        "proj/__init__.py": "",
        "proj/settings.py": f"""
            ROOT_URLCONF = "proj.urls"
            INSTALLED_APPS = {installed_apps}
        """,
        "proj/handler.py": """
            def wrap_urls(urllist, plugin):
                for entry in urllist:
                    entry.default_args = {"plugin": plugin}
                return urllist
        """,
        "proj/urls.py": PLUGIN_LOOP,
        "plugins/__init__.py": "",
        "plugins/bank/__init__.py": "",
        "plugins/bank/apps.py": """
            from django.apps import AppConfig

            class BankApp(AppConfig):
                name = "plugins.bank"
                label = "banking"

                class PluginMeta:
                    name = "Bank"
        """,
        "plugins/bank/urls.py": """
            from django.urls import re_path
            from . import views
            urlpatterns = [re_path(r"^import/$", views.importer, name="import")]
            event_patterns = [re_path(r"^pay/$", views.pay, name="pay")]
        """,
        "plugins/bank/views.py": "def importer(request): ...\ndef pay(request, event): ...\n",
        "plugins/notaplugin/__init__.py": "",
        "plugins/notaplugin/apps.py": """
            from django.apps import AppConfig

            class Plain(AppConfig):
                name = "plugins.notaplugin"
        """,
        "plugins/notaplugin/urls.py": """
            from django.urls import path
            urlpatterns = [path("never/", print)]
        """,
    }


def test_loop_over_installed_app_configs_is_interpreted(tmp_path: Path) -> None:
    result = _inline(
        tmp_path, _plugin_project('["django.contrib.auth", "plugins.bank", "plugins.notaplugin"]')
    )
    assert [(r.path, r.handler, r.name, r.conditions) for r in _django(result)] == [
        ("/p/import/", "plugins.bank.views.importer", "plugins:banking:import", ("'plugins.bank' in INSTALLED_APPS",)),
        ("/p/{event}/pay/", "plugins.bank.views.pay", "plugins:banking:pay", ("'plugins.bank' in INSTALLED_APPS",)),
    ]
    assert _findings(result, "dynamic-registration") == []


def test_loop_over_app_configs_without_a_literal_installed_apps_is_reported(tmp_path: Path) -> None:
    result = _inline(tmp_path, _plugin_project('os.environ["APPS"].split(",")\n            import os'))
    assert _django(result) == []
    assert _findings(result, "dynamic-registration") == [
        ("proj/urls.py:17", "URL patterns added in a loop over apps.get_app_configs(); not evaluated statically "
                            "(INSTALLED_APPS does not fold to a list of constants)")
    ]


def test_nested_routers(tmp_path: Path) -> None:
    """drf-nested-routers; checked against drf-nested-routers 0.95 at run time."""
    result = _inline(
        tmp_path,
        {
            "proj/__init__.py": "",
            "proj/settings.py": SETTINGS,
            "proj/views.py": """
                from rest_framework import viewsets
                from rest_framework.decorators import action

                class DomainViewSet(viewsets.ModelViewSet):
                    lookup_value_regex = "[0-9]+"

                class NameserverViewSet(viewsets.ReadOnlyModelViewSet):
                    lookup_field = "name"

                    @action(detail=True, methods=["post"])
                    def ping(self, request, domain_pk=None, name=None): ...

                class RecordViewSet(viewsets.ReadOnlyModelViewSet):
                    pass
            """,
            "proj/urls.py": """
                from django.urls import include, path
                from rest_framework_nested import routers
                from .views import DomainViewSet, NameserverViewSet, RecordViewSet

                router = routers.SimpleRouter()
                router.register(r"domains", DomainViewSet, basename="domain")
                domains_router = routers.NestedSimpleRouter(router, r"domains", lookup="domain")
                domains_router.register(r"nameservers", NameserverViewSet, basename="domain-nameservers")
                ns_router = routers.NestedSimpleRouter(domains_router, r"nameservers", lookup="nameserver")
                ns_router.register(r"records", RecordViewSet, basename="records")

                urlpatterns = [
                    path("", include(router.urls)),
                    path("", include(domains_router.urls)),
                    path("", include(ns_router.urls)),
                ]
            """,
        },
    )
    assert [(r.methods, r.path, r.name) for r in _django(result)] == [
        (("GET", "POST"), "/domains/", "domain-list"),
        (("GET",), "/domains/{domain_pk}/nameservers/", "domain-nameservers-list"),
        (("GET",), "/domains/{domain_pk}/nameservers/{nameserver_name}/records/", "records-list"),
        (("GET",), "/domains/{domain_pk}/nameservers/{nameserver_name}/records/{pk}/", "records-detail"),
        (("GET",), "/domains/{domain_pk}/nameservers/{name}/", "domain-nameservers-detail"),
        (("POST",), "/domains/{domain_pk}/nameservers/{name}/ping/", "domain-nameservers-ping"),
        (("DELETE", "GET", "PATCH", "PUT"), "/domains/{pk}/", "domain-detail"),
    ]
    ping = _by_path(result)["/domains/{domain_pk}/nameservers/{name}/ping/"]
    assert ping.raw_path == "^domains/(?P<domain_pk>[0-9]+)/nameservers/(?P<name>[^/.]+)/ping/$"


def test_router_urls_aliases_instances_and_view_factories(tmp_path: Path) -> None:
    result = _inline(
        tmp_path,
        {
            "proj/__init__.py": "",
            "proj/settings.py": SETTINGS,
            "proj/views.py": """
                from django.http import HttpResponse
                from rest_framework import viewsets
                from rest_framework.views import APIView

                class LabelViewSet(viewsets.ModelViewSet):
                    pass

                class FilesAPI(APIView):
                    def post(self, request): ...

                def static_file(path):
                    def serve_file(request):
                        return HttpResponse(path)
                    return serve_file
            """,
            "proj/urls.py": """
                from django.urls import include, path
                from drf_spectacular.views import SpectacularAPIView
                from rest_framework.routers import SimpleRouter
                from . import views

                router = SimpleRouter()
                router.register("labels", views.LabelViewSet, basename="label")
                api_urlpatterns = router.urls

                urlpatterns = [
                    path("api/", include((api_urlpatterns, "labels"), namespace="api-labels")),
                    path("files", views.FilesAPI().as_view(), name="files"),
                    path("sw.js", views.static_file("js/sw.js"), name="sw"),
                    path("schema/", SpectacularAPIView.as_view(), name="schema"),
                ]
            """,
        },
    )
    assert [(r.methods, r.path, r.handler, r.name) for r in _django(result)] == [
        (("GET", "POST"), "/api/labels/", "proj.views.LabelViewSet", "api-labels:label-list"),
        (("DELETE", "GET", "PATCH", "PUT"), "/api/labels/{pk}/", "proj.views.LabelViewSet", "api-labels:label-detail"),
        (("POST",), "/files", "proj.views.FilesAPI", "files"),
        (("GET",), "/schema/", "drf_spectacular.views.SpectacularAPIView", "schema"),
        (("ANY",), "/sw.js", "proj.views.static_file.<locals>.serve_file", "sw"),
    ]
    assert _by_path(result)["/schema/"].framework == "drf"


def test_admin_sites_registrations_and_overrides(tmp_path: Path) -> None:
    """Custom admin site, @admin.register, register([...]), unregister, overrides; checked against Django 5.2."""
    result = _inline(
        tmp_path,
        {
            "proj/__init__.py": "",
            "proj/settings.py": """
                ROOT_URLCONF = "proj.urls"
                INSTALLED_APPS = ["django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
                                  "django.contrib.sessions", "django.contrib.messages", "shop"]
            """,
            "proj/sites.py": """
                from django.contrib.admin import AdminSite

                class StaffSite(AdminSite):
                    final_catch_all_view = False

                    def index(self, request, extra_context=None):
                        return super().index(request, extra_context)

                staff_site = StaffSite(name="staff")
            """,
            "proj/urls.py": """
                from django.contrib import admin
                from django.urls import path
                from .sites import staff_site

                urlpatterns = [
                    path("admin/", admin.site.urls),
                    path("staff/", staff_site.urls),
                ]
            """,
            "shop/__init__.py": "",
            "shop/models.py": """
                from django.db import models

                class Product(models.Model):
                    name = models.CharField(max_length=20)

                class Order(models.Model):
                    total = models.IntegerField()

                class Note(models.Model):
                    class Meta:
                        app_label = "notes"
            """,
            "shop/admin.py": """
                from django.contrib import admin
                from django.contrib.auth.models import Group
                from django.urls import path
                from proj.sites import staff_site
                from .models import Note, Order, Product

                @admin.register(Product)
                class ProductAdmin(admin.ModelAdmin):
                    def change_view(self, request, object_id, form_url="", extra_context=None):
                        return super().change_view(request, object_id, form_url, extra_context)

                    def get_urls(self):
                        return [path("import/", self.admin_site.admin_view(self.changelist_view))] + super().get_urls()

                admin.site.register([Order, Note])
                admin.site.unregister(Group)
                staff_site.register(Order)
            """,
        },
    )
    paths = [(r.methods, r.path, r.handler, r.name) for r in _django(result)]
    admin_paths = {p for _, p, _, _ in paths if p.startswith("/admin/")}
    assert "/admin/auth/group/" not in admin_paths  # unregistered
    assert {"/admin/auth/user/", "/admin/shop/order/", "/admin/notes/note/", "/admin/shop/product/"} <= admin_paths
    assert [row for row in paths if row[1].startswith("/staff/")] == [
        (("ANY",), "/staff/", "proj.sites.StaffSite.index", "staff:index"),
        (("ANY",), "/staff/autocomplete/", f"{_SITE}.autocomplete_view", "staff:autocomplete"),
        (("ANY",), "/staff/jsi18n/", f"{_SITE}.i18n_javascript", "staff:jsi18n"),
        (("ANY",), "/staff/login/", f"{_SITE}.login", "staff:login"),
        (("ANY",), "/staff/logout/", f"{_SITE}.logout", "staff:logout"),
        (("ANY",), "/staff/password_change/", f"{_SITE}.password_change", "staff:password_change"),
        (("ANY",), "/staff/password_change/done/", f"{_SITE}.password_change_done", "staff:password_change_done"),
        (("ANY",), "/staff/r/{content_type_id}/{object_id}/", "django.contrib.contenttypes.views.shortcut", "staff:view_on_site"),
        (("ANY",), "/staff/shop/order/", f"{_MA}.changelist_view", "staff:shop_order_changelist"),
        (("ANY",), "/staff/shop/order/add/", f"{_MA}.add_view", "staff:shop_order_add"),
        (_ALL, "/staff/shop/order/{object_id}/", _REDIRECT, ""),
        (("ANY",), "/staff/shop/order/{object_id}/change/", f"{_MA}.change_view", "staff:shop_order_change"),
        (("ANY",), "/staff/shop/order/{object_id}/delete/", f"{_MA}.delete_view", "staff:shop_order_delete"),
        (("ANY",), "/staff/shop/order/{object_id}/history/", f"{_MA}.history_view", "staff:shop_order_history"),
        (("ANY",), "/staff/{app_label}/", f"{_SITE}.app_index", "staff:app_list"),
    ]
    product_change = _by_path(result)["/admin/shop/product/{object_id}/change/"]
    assert (product_change.handler, product_change.file, product_change.line) == (
        "shop.admin.ProductAdmin.change_view", "shop/admin.py", 9
    )
    assert dict(product_change.options) == {"admin_urls_modified": "shop.admin.ProductAdmin.get_urls"}
    assert _by_path(result)["/admin/{app_label}/"].raw_path == "admin/^(?P<app_label>auth|shop|notes)/$"


# --------------------------------------------------------------------------- framework URLconfs included by name
KNOWN_URLCONFS = {
    "site/__init__.py": "",
    "site/settings.py": 'ROOT_URLCONF = "site.urls"\nINSTALLED_APPS = ["django.contrib.auth", "rest_framework"]\n',
    "site/urls.py": """
        from django.contrib.auth import urls as auth_urls
        from django.urls import include, path

        urlpatterns = [
            path("accounts/", include("django.contrib.auth.urls")),
            path("api-auth/", include("rest_framework.urls")),
            path("me/", include((auth_urls, "mine"))),
            path("silk/", include("silk.urls")),
        ]
    """,
    "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\n',
}


def test_django_and_drf_urlconfs_included_by_name_are_listed_at_the_include(tmp_path: Path) -> None:
    result = scan_files(tmp_path, KNOWN_URLCONFS, analyzers=("django_urls",))
    got = [(r.methods, r.path, r.handler, r.file, r.line, r.name, dict(r.options).get("urlconf")) for r in _django(result)]
    v = "django.contrib.auth.views."
    auth = "django.contrib.auth.urls"
    form, get = ("GET", "POST", "PUT"), ("GET",)
    assert got == [
        (form, "/accounts/login/", v + "LoginView", "site/urls.py", 5, "login", auth),
        (("POST",), "/accounts/logout/", v + "LogoutView", "site/urls.py", 5, "logout", auth),
        (form, "/accounts/password_change/", v + "PasswordChangeView", "site/urls.py", 5, "password_change", auth),
        (get, "/accounts/password_change/done/", v + "PasswordChangeDoneView", "site/urls.py", 5, "password_change_done", auth),
        (form, "/accounts/password_reset/", v + "PasswordResetView", "site/urls.py", 5, "password_reset", auth),
        (get, "/accounts/password_reset/done/", v + "PasswordResetDoneView", "site/urls.py", 5, "password_reset_done", auth),
        (get, "/accounts/reset/done/", v + "PasswordResetCompleteView", "site/urls.py", 5, "password_reset_complete", auth),
        (form, "/accounts/reset/{uidb64}/{token}/", v + "PasswordResetConfirmView", "site/urls.py", 5, "password_reset_confirm", auth),
        (form, "/api-auth/login/", v + "LoginView", "site/urls.py", 6, "rest_framework:login", "rest_framework.urls"),
        (("POST",), "/api-auth/logout/", v + "LogoutView", "site/urls.py", 6, "rest_framework:logout", "rest_framework.urls"),
        (form, "/me/login/", v + "LoginView", "site/urls.py", 7, "mine:login", auth),
        (("POST",), "/me/logout/", v + "LogoutView", "site/urls.py", 7, "mine:logout", auth),
        (form, "/me/password_change/", v + "PasswordChangeView", "site/urls.py", 7, "mine:password_change", auth),
        (get, "/me/password_change/done/", v + "PasswordChangeDoneView", "site/urls.py", 7, "mine:password_change_done", auth),
        (form, "/me/password_reset/", v + "PasswordResetView", "site/urls.py", 7, "mine:password_reset", auth),
        (get, "/me/password_reset/done/", v + "PasswordResetDoneView", "site/urls.py", 7, "mine:password_reset_done", auth),
        (get, "/me/reset/done/", v + "PasswordResetCompleteView", "site/urls.py", 7, "mine:password_reset_complete", auth),
        (form, "/me/reset/{uidb64}/{token}/", v + "PasswordResetConfirmView", "site/urls.py", 7, "mine:password_reset_confirm", auth),
    ]
    # a third-party URLconf whose layout changes between versions stays a finding
    assert _findings(result, "external-include") == [
        ("site/urls.py:8", "include('silk.urls'): module outside the scan; its routes are not listed"),
    ]


def test_drf_token_app_registers_its_proxy_model_on_the_admin(tmp_path: Path) -> None:
    files = {
        "proj/__init__.py": "",
        "proj/settings.py": """
            ROOT_URLCONF = "proj.urls"
            INSTALLED_APPS = ["django.contrib.admin", "django.contrib.contenttypes", "rest_framework.authtoken"]
        """,
        "proj/urls.py": """
            from django.contrib import admin
            from django.urls import path

            urlpatterns = [path("admin/", admin.site.urls)]
        """,
    }
    result = _inline(tmp_path, files)
    token = [(r.methods, r.path, r.handler, r.name) for r in _django(result) if "/authtoken/" in r.path]
    ma = "django.contrib.admin.options.ModelAdmin."
    assert token == [  # as Django 5.2 + DRF 3.17 resolve them (Label Studio's ground truth)
        (("ANY",), "/admin/authtoken/tokenproxy/", ma + "changelist_view", "admin:authtoken_tokenproxy_changelist"),
        (("ANY",), "/admin/authtoken/tokenproxy/add/", ma + "add_view", "admin:authtoken_tokenproxy_add"),
        (("DELETE", "GET", "PATCH", "POST", "PUT"), "/admin/authtoken/tokenproxy/{object_id}/", "django.views.generic.base.RedirectView", ""),
        (("ANY",), "/admin/authtoken/tokenproxy/{object_id}/change/", ma + "change_view", "admin:authtoken_tokenproxy_change"),
        (("ANY",), "/admin/authtoken/tokenproxy/{object_id}/delete/", ma + "delete_view", "admin:authtoken_tokenproxy_delete"),
        (("ANY",), "/admin/authtoken/tokenproxy/{object_id}/history/", ma + "history_view", "admin:authtoken_tokenproxy_history"),
    ]
    # without the app in INSTALLED_APPS nothing is registered
    files["proj/settings.py"] = 'ROOT_URLCONF = "proj.urls"\nINSTALLED_APPS = ["django.contrib.admin"]\n'
    assert not [r for r in _django(_inline(tmp_path / "again", files)) if "/authtoken/" in r.path]


def test_celery_results_app_registers_its_two_models_on_the_admin(tmp_path: Path) -> None:
    files = {
        "proj/__init__.py": "",
        "proj/settings.py": 'ROOT_URLCONF = "proj.urls"\nINSTALLED_APPS = ["django.contrib.admin", "django_celery_results"]\n',
        "proj/urls.py": 'from django.contrib import admin\nfrom django.urls import path\n\nurlpatterns = [path("admin/", admin.site.urls)]\n',
    }
    got = [(r.path, r.handler, r.name) for r in _django(_inline(tmp_path, files)) if "django_celery_results" in r.path and r.name]
    ma = "django.contrib.admin.options.ModelAdmin."
    assert got == [  # as nautobot's running app lists them (django-celery-results 2.6)
        (f"/admin/django_celery_results/{m}/{tail}", ma + view, f"admin:django_celery_results_{m}_{name}")
        for m in ("groupresult", "taskresult")
        for tail, view, name in (
            ("", "changelist_view", "changelist"),
            ("add/", "add_view", "add"),
            ("{object_id}/change/", "change_view", "change"),
            ("{object_id}/delete/", "delete_view", "delete"),
            ("{object_id}/history/", "history_view", "history"),
        )
    ]
