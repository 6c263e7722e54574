"""What backendscan knows about Django's and Django REST Framework's own classes.

The scanned project's classes are read from its source; the framework's classes
are not scanned, so the facts the route analyzer needs about them are listed
here (checked against Django 5.2 and DRF 3.17 by introspection):

* the HTTP verbs a class-based view implements (``head``/``options`` left out:
  Django and DRF provide them for every view, and the runtime ground truth
  leaves them out too);
* the viewset actions a class provides (``hasattr(viewset, action)`` is what
  DRF routers check);
* what kind of view it is (Django CBV, DRF ``APIView``, DRF viewset) and the
  auth mixins.

drf-spectacular's schema/docs views are listed too: projects mount them
directly and they are the most common third-party views in DRF URLconfs.

Names are matched on the canonical dotted name and on the public re-export
spellings (``django.views.generic.ListView`` = ``django.views.generic.list.ListView``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KnownClass:
    """A framework class: verbs, viewset actions, kind and (optionally) its ``http_method_names``."""

    name: str
    verbs: frozenset[str] = frozenset()
    actions: frozenset[str] = frozenset()
    kind: str = "view"  # view (Django CBV), apiview (DRF APIView), viewset, mixin, auth_mixin, router
    http_method_names: tuple[str, ...] | None = None


def _k(name: str, verbs: str = "", actions: str = "", kind: str = "view",
       http_method_names: tuple[str, ...] | None = None) -> KnownClass:
    return KnownClass(name, frozenset(verbs.split()), frozenset(actions.split()), kind, http_method_names)


_GET = "get"
_FORM = "get post put"

KNOWN_CLASSES: dict[str, KnownClass] = {
    k.name: k
    for k in (
        # django.views.generic
        _k("django.views.generic.base.View"),
        _k("django.views.generic.base.TemplateView", _GET),
        _k("django.views.generic.base.RedirectView", "get post put patch delete"),
        _k("django.views.generic.list.BaseListView", _GET),
        _k("django.views.generic.list.ListView", _GET),
        _k("django.views.generic.detail.BaseDetailView", _GET),
        _k("django.views.generic.detail.DetailView", _GET),
        _k("django.views.generic.edit.ProcessFormView", _FORM),
        _k("django.views.generic.edit.BaseFormView", _FORM),
        _k("django.views.generic.edit.FormView", _FORM),
        _k("django.views.generic.edit.BaseCreateView", _FORM),
        _k("django.views.generic.edit.CreateView", _FORM),
        _k("django.views.generic.edit.BaseUpdateView", _FORM),
        _k("django.views.generic.edit.UpdateView", _FORM),
        _k("django.views.generic.edit.DeletionMixin", "post delete", kind="mixin"),
        _k("django.views.generic.edit.BaseDeleteView", "get post delete"),
        _k("django.views.generic.edit.DeleteView", "get post delete"),
        *(
            _k(f"django.views.generic.dates.{n}", _GET)
            for n in (
                "BaseDateListView ArchiveIndexView BaseArchiveIndexView YearArchiveView BaseYearArchiveView "
                "MonthArchiveView BaseMonthArchiveView WeekArchiveView BaseWeekArchiveView DayArchiveView "
                "BaseDayArchiveView TodayArchiveView BaseTodayArchiveView DateDetailView BaseDateDetailView"
            ).split()
        ),
        *(
            _k(n, kind="mixin")
            for n in (
                "django.views.generic.base.ContextMixin django.views.generic.base.TemplateResponseMixin "
                "django.views.generic.detail.SingleObjectMixin django.views.generic.detail.SingleObjectTemplateResponseMixin "
                "django.views.generic.list.MultipleObjectMixin django.views.generic.list.MultipleObjectTemplateResponseMixin "
                "django.views.generic.edit.FormMixin django.views.generic.edit.ModelFormMixin "
                "django.views.generic.dates.DateMixin django.views.generic.dates.YearMixin "
                "django.views.generic.dates.MonthMixin django.views.generic.dates.WeekMixin "
                "django.views.generic.dates.DayMixin django.contrib.auth.views.RedirectURLMixin "
                "django.contrib.auth.views.PasswordContextMixin django.contrib.auth.views.SuccessURLAllowedHostsMixin"
            ).split()
        ),
        # django.contrib.auth.views
        _k("django.contrib.auth.views.LoginView", _FORM),
        _k("django.contrib.auth.views.LogoutView", "get post", http_method_names=("post", "options")),
        _k("django.contrib.auth.views.PasswordChangeView", _FORM),
        _k("django.contrib.auth.views.PasswordChangeDoneView", _GET),
        _k("django.contrib.auth.views.PasswordResetView", _FORM),
        _k("django.contrib.auth.views.PasswordResetDoneView", _GET),
        _k("django.contrib.auth.views.PasswordResetConfirmView", _FORM),
        _k("django.contrib.auth.views.PasswordResetCompleteView", _GET),
        # auth mixins
        _k("django.contrib.auth.mixins.AccessMixin", kind="auth_mixin"),
        _k("django.contrib.auth.mixins.LoginRequiredMixin", kind="auth_mixin"),
        _k("django.contrib.auth.mixins.PermissionRequiredMixin", kind="auth_mixin"),
        _k("django.contrib.auth.mixins.UserPassesTestMixin", kind="auth_mixin"),
        # rest_framework.views / generics
        _k("rest_framework.views.APIView", kind="apiview"),
        _k("rest_framework.routers.APIRootView", _GET, kind="apiview"),
        _k("rest_framework.generics.GenericAPIView", kind="apiview"),
        _k("rest_framework.generics.CreateAPIView", "post", "create", kind="apiview"),
        _k("rest_framework.generics.ListAPIView", "get", "list", kind="apiview"),
        _k("rest_framework.generics.RetrieveAPIView", "get", "retrieve", kind="apiview"),
        _k("rest_framework.generics.DestroyAPIView", "delete", "destroy", kind="apiview"),
        _k("rest_framework.generics.UpdateAPIView", "put patch", "update partial_update", kind="apiview"),
        _k("rest_framework.generics.ListCreateAPIView", "get post", "list create", kind="apiview"),
        _k("rest_framework.generics.RetrieveUpdateAPIView", "get put patch", "retrieve update partial_update", kind="apiview"),
        _k("rest_framework.generics.RetrieveDestroyAPIView", "get delete", "retrieve destroy", kind="apiview"),
        _k(
            "rest_framework.generics.RetrieveUpdateDestroyAPIView",
            "get put patch delete",
            "retrieve update partial_update destroy",
            kind="apiview",
        ),
        # rest_framework.viewsets / mixins
        _k("rest_framework.viewsets.ViewSetMixin", kind="viewset"),
        _k("rest_framework.viewsets.ViewSet", kind="viewset"),
        _k("rest_framework.viewsets.GenericViewSet", kind="viewset"),
        _k(
            "rest_framework.viewsets.ModelViewSet",
            actions="list create retrieve update partial_update destroy",
            kind="viewset",
        ),
        _k("rest_framework.viewsets.ReadOnlyModelViewSet", actions="list retrieve", kind="viewset"),
        _k("rest_framework.mixins.CreateModelMixin", actions="create", kind="mixin"),
        _k("rest_framework.mixins.ListModelMixin", actions="list", kind="mixin"),
        _k("rest_framework.mixins.RetrieveModelMixin", actions="retrieve", kind="mixin"),
        _k("rest_framework.mixins.UpdateModelMixin", actions="update partial_update", kind="mixin"),
        _k("rest_framework.mixins.DestroyModelMixin", actions="destroy", kind="mixin"),
        # a popular third-party package whose views are mounted directly in project URLconfs
        *(
            _k(f"drf_spectacular.views.{n}", _GET, kind="apiview")
            for n in (
                "SpectacularAPIView SpectacularJSONAPIView SpectacularYAMLAPIView SpectacularSwaggerView "
                "SpectacularSwaggerSplitView SpectacularRedocView"
            ).split()
        ),
        _k("drf_spectacular.views.SpectacularSwaggerOauthRedirectView", "get post put patch delete"),
    )
}

#: public re-export spellings -> canonical names
_ALIASES = {
    "django.views.View": "django.views.generic.base.View",
    "django.views.generic.View": "django.views.generic.base.View",
    "django.views.generic.TemplateView": "django.views.generic.base.TemplateView",
    "django.views.generic.RedirectView": "django.views.generic.base.RedirectView",
}
for _name in list(KNOWN_CLASSES):
    _mod, _, _short = _name.rpartition(".")
    if _mod.startswith("django.views.generic."):
        _ALIASES.setdefault("django.views.generic." + _short, _name)

#: (top-level package, class name) -> class, for other re-export spellings
_BY_SHORT = {(n.split(".", 1)[0], n.rsplit(".", 1)[-1]): k for n, k in KNOWN_CLASSES.items()}

#: DRF router classes (and the popular nesting extensions) -> semantics
ROUTERS: dict[str, str] = {
    "rest_framework.routers.SimpleRouter": "simple",
    "rest_framework.routers.DefaultRouter": "default",
    "rest_framework_nested.routers.SimpleRouter": "simple",
    "rest_framework_nested.routers.DefaultRouter": "default",
    "rest_framework_nested.routers.NestedSimpleRouter": "nested_simple",
    "rest_framework_nested.routers.NestedDefaultRouter": "nested_default",
    "rest_framework_extensions.routers.ExtendedSimpleRouter": "simple",
    "rest_framework_extensions.routers.ExtendedDefaultRouter": "default",
}

#: the default admin site object and the admin site classes
ADMIN_SITES = {"django.contrib.admin.site", "django.contrib.admin.sites.site"}
ADMIN_SITE_CLASSES = {"django.contrib.admin.AdminSite", "django.contrib.admin.sites.AdminSite"}

#: function-view decorators that restrict the HTTP methods
METHOD_DECORATORS: dict[str, tuple[str, ...] | None] = {
    "django.views.decorators.http.require_http_methods": None,  # methods from the argument
    "django.views.decorators.http.require_GET": ("GET",),
    "django.views.decorators.http.require_POST": ("POST",),
    "django.views.decorators.http.require_safe": ("GET", "HEAD"),
}

#: decorators (and URL-level wrappers) that require a logged-in user or a permission
AUTH_DECORATORS = {
    "django.contrib.auth.decorators.login_required",
    "django.contrib.auth.decorators.permission_required",
    "django.contrib.auth.decorators.user_passes_test",
    "django.contrib.admin.views.decorators.staff_member_required",
}
#: decorators that opt a view out of login (Django >= 5.1 LoginRequiredMiddleware)
PUBLIC_DECORATORS = {"django.contrib.auth.decorators.login_not_required"}
LOGIN_MIDDLEWARE = "django.contrib.auth.middleware.LoginRequiredMiddleware"
ALLOW_ANY = "rest_framework.permissions.AllowAny"

API_VIEW = "rest_framework.decorators.api_view"
DRF_ACTION = {"rest_framework.decorators.action"}
DRF_OLD_ROUTES = {"rest_framework.decorators.detail_route": True, "rest_framework.decorators.list_route": False}
DRF_FUNCTION_AUTH = {
    "rest_framework.decorators.permission_classes": "permission_class",
    "rest_framework.decorators.authentication_classes": "authentication_class",
}
METHOD_DECORATOR = "django.utils.decorators.method_decorator"

PATH_FUNCS = {"django.urls.path": "path", "django.urls.conf.path": "path"}
REGEX_FUNCS = {
    "django.urls.re_path": "regex",
    "django.urls.conf.re_path": "regex",
    "django.conf.urls.url": "regex",
}
#: URLconfs of Django and DRF that projects include by name, read from Django 5.2 and DRF 3.17 (the same
#: since Django 2.1 / DRF 3.x): module -> (app_name, ((route, view class, URL name), ...)).  A project's
#: ``include("django.contrib.auth.urls")`` lists these routes at the include; other packages' URLconfs
#: stay ``external-include`` findings (their layouts change between versions).
URLCONFS: dict[str, tuple[str, tuple[tuple[str, str, str], ...]]] = {
    "django.contrib.auth.urls": (
        "",
        (
            ("login/", "django.contrib.auth.views.LoginView", "login"),
            ("logout/", "django.contrib.auth.views.LogoutView", "logout"),
            ("password_change/", "django.contrib.auth.views.PasswordChangeView", "password_change"),
            ("password_change/done/", "django.contrib.auth.views.PasswordChangeDoneView", "password_change_done"),
            ("password_reset/", "django.contrib.auth.views.PasswordResetView", "password_reset"),
            ("password_reset/done/", "django.contrib.auth.views.PasswordResetDoneView", "password_reset_done"),
            ("reset/<uidb64>/<token>/", "django.contrib.auth.views.PasswordResetConfirmView", "password_reset_confirm"),
            ("reset/done/", "django.contrib.auth.views.PasswordResetCompleteView", "password_reset_complete"),
        ),
    ),
    "rest_framework.urls": (
        "rest_framework",
        (
            ("login/", "django.contrib.auth.views.LoginView", "login"),
            ("logout/", "django.contrib.auth.views.LogoutView", "logout"),
        ),
    ),
}

INCLUDE_FUNCS = {"django.urls.include", "django.urls.conf.include", "django.conf.urls.include"}
I18N_PATTERNS = {"django.conf.urls.i18n.i18n_patterns"}
STATIC_FUNCS = {"django.conf.urls.static.static"}
FORMAT_SUFFIX_FUNCS = {"rest_framework.urlpatterns.format_suffix_patterns"}
DEBUG_TOOLBAR = {"debug_toolbar.toolbar.debug_toolbar_urls"}
REDUCE_FUNCS = {"functools.reduce", "builtins.reduce"}


def known_class(qualified: str) -> KnownClass | None:
    """The framework class behind a canonical or re-exported dotted name."""
    k = KNOWN_CLASSES.get(qualified)
    if k is not None:
        return k
    alias = _ALIASES.get(qualified)
    if alias is not None:
        return KNOWN_CLASSES[alias]
    top, _, rest = qualified.partition(".")
    if top in ("django", "rest_framework", "drf_spectacular") and rest:
        return _BY_SHORT.get((top, qualified.rsplit(".", 1)[-1]))
    return None


def router_semantics(qualified: str) -> str:
    """``simple``/``default``/``nested_*`` for a known router class ("" otherwise)."""
    if qualified in ROUTERS:
        return ROUTERS[qualified]
    if qualified.startswith("rest_framework.routers.") or qualified in ("rest_framework.routers",):
        short = qualified.rsplit(".", 1)[-1]
        return {"SimpleRouter": "simple", "DefaultRouter": "default"}.get(short, "")
    return ""
