"""The Django admin site's URLs (``path("admin/", admin.site.urls)``), expanded statically.

``AdminSite.get_urls`` is fixed framework code, so the routes follow from the
site object and its registry:

* site-wide views: ``""`` (index), ``login/``, ``logout/``, ``password_change/``,
  ``password_change/done/``, ``autocomplete/``, ``jsi18n/``,
  ``r/<path:content_type_id>/<path:object_id>/``, ``^(?P<app_label>...)/$`` (when
  models are registered) and the catch-all ``(?P<url>.*)$`` (``final_catch_all_view``);
* per registered model ``<app_label>/<model_name>/``: ``""``, ``add/``,
  ``<path:object_id>/history/``, ``delete/``, ``change/`` and the old
  ``<path:object_id>/`` redirect (``RedirectView``); subclasses of Django's
  ``UserAdmin`` add ``<id>/password/``.

The registry is what the scanned project registers: ``site.register(Model, Admin)``
(also lists of models), ``@admin.register(Model, site=...)`` and
``site.unregister(Model)``, after what ``django.contrib`` apps in a foldable
``INSTALLED_APPS`` register on the default site (``auth.Group``, ``auth.User``
unless ``AUTH_USER_MODEL`` swaps it, ``sites``, ``redirects``, ``flatpages``).
Registrations made by third-party apps (``django_celery_results``...) are not
visible to a static scan and are not listed.  ``app_label`` is ``Meta.app_label`` or the label of the
installed app that holds the model; ``model_name`` the class name in lower case.
A project ``ModelAdmin``/``AdminSite`` that overrides a view gives that method as
the handler; one that overrides ``get_urls`` marks its routes
(``admin_urls_modified``), because it may add more.  Admin views are function
views (``ANY``); all but ``login/`` are wrapped by ``AdminSite.admin_view`` (staff
only), given as auth evidence.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any

from ..facts import AuthEvidence
from ..model import Location
from ..project import Project
from .django_apploops import installed_app_configs
from .django_known import ADMIN_SITES
from .django_urlconf import AdminUrls, Ctx, Element, Pat, Problem, Urlconf, call_arg, condition_texts, dotted, unparse

_REGISTER = {"django.contrib.admin.register", "django.contrib.admin.decorators.register"}
_USER_ADMIN = {"django.contrib.auth.admin.UserAdmin"}
_SITE = "django.contrib.admin.sites.AdminSite"
_MODEL_ADMIN = "django.contrib.admin.options.ModelAdmin"
_REDIRECT = "django.views.generic.base.RedirectView"
_ALL = ("DELETE", "GET", "PATCH", "POST", "PUT")


@dataclass(frozen=True)
class FixedView:
    """A framework-generated view: its handler and methods are known up front."""

    handler: str
    methods: tuple[str, ...]
    file: str
    line: int
    auth: tuple[AuthEvidence, ...] = ()
    group: str = ""
    options: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class _Registration:
    model: str
    admin: str  # ModelAdmin class ("" = ModelAdmin)
    location: Location
    conditions: tuple[str, ...]
    label: str = ""  # known up front for Django's own models
    model_name: str = ""


#: what ``django.contrib`` apps (and DRF's token app, django-celery-results) register on the default site when
#: admin autodiscovery runs (read from Django 5.2, DRF 3.17, django-celery-results 2.6):
#: app entry -> (model, ModelAdmin, app_label, model_name)
_CONTRIB_REGISTRATIONS = {
    "django.contrib.auth": (
        ("django.contrib.auth.models.Group", "django.contrib.auth.admin.GroupAdmin", "auth", "group"),
        ("django.contrib.auth.models.User", "django.contrib.auth.admin.UserAdmin", "auth", "user"),
    ),
    "django.contrib.sites": (("django.contrib.sites.models.Site", "django.contrib.sites.admin.SiteAdmin", "sites", "site"),),
    "django.contrib.redirects": (
        ("django.contrib.redirects.models.Redirect", "django.contrib.redirects.admin.RedirectAdmin", "redirects", "redirect"),
    ),
    "django.contrib.flatpages": (
        ("django.contrib.flatpages.models.FlatPage", "django.contrib.flatpages.admin.FlatPageAdmin", "flatpages", "flatpage"),
    ),
    # DRF's token app (3.12 and later registers the proxy model, so the admin edits tokens by user)
    "rest_framework.authtoken": (
        ("rest_framework.authtoken.models.TokenProxy", "rest_framework.authtoken.admin.TokenAdmin", "authtoken", "tokenproxy"),
    ),
    # Celery's Django result backend (2.x): task and group results
    "django_celery_results": (
        ("django_celery_results.models.TaskResult", "django_celery_results.admin.TaskResultAdmin", "django_celery_results", "taskresult"),
        ("django_celery_results.models.GroupResult", "django_celery_results.admin.GroupResultAdmin", "django_celery_results", "groupresult"),
    ),
}
_CONTRIB_MODELS = {m for regs in _CONTRIB_REGISTRATIONS.values() for m, _, _, _ in regs}


class AdminSites:
    """Recognises admin site objects and expands their URLs."""

    def __init__(self, urlconf: Urlconf, installed: tuple[str, ...] | None, auth_user_model: str = "auth.User") -> None:
        self.u = urlconf
        self.p: Project = urlconf.project
        self.installed = installed
        self.auth_user_model = auth_user_model
        self._apps: list[tuple[str, str]] | None = None

    # ------------------------------------------------------------ sites
    def site_class(self, q: str) -> str:
        return self.u.instance_class(q) if q not in ADMIN_SITES else ""

    def site_name(self, q: str) -> str:
        if q in ADMIN_SITES:
            return "admin"
        d = self.p.lookup(q)
        call = d.obj.value if d.kind == "assignment" else None
        if isinstance(call, ast.Call):
            name = call_arg(call, 0, "name")
            if name is not None:
                v = self.u.evaluate(name, Ctx(d.module, d.obj.scope))
                if v.ok and isinstance(v.value, str):
                    return v.value
        return "admin"

    def _same_site(self, a: str, b: str) -> bool:
        return a == b or (a in ADMIN_SITES and b in ADMIN_SITES)

    # ------------------------------------------------------------ registry
    def registrations(self, site: str) -> tuple[list[_Registration], list[Problem]]:
        regs: list[_Registration] = []
        problems: list[Problem] = []
        events: list[tuple[tuple[str, int], str, Any]] = []
        keys = ADMIN_SITES if site in ADMIN_SITES else {site}
        for key in sorted(keys):
            for module, m in self.u.mutations.get(key, ()):
                if m.method in ("register", "unregister"):
                    events.append(((module, m.line), m.method, (module, m)))
        for module, q, info in self.p.classes():
            for d in info.decorators:
                if isinstance(d, ast.Call) and self.p.resolve_name(module, dotted(d.func), info.scope) in _REGISTER:
                    site_expr = call_arg(d, -1, "site")
                    target = self.p.resolve_name(module, dotted(site_expr), info.scope) if site_expr is not None else ""
                    if target and not self._same_site(target, site):
                        continue
                    if not target and site not in ADMIN_SITES:
                        continue
                    events.append(((module, d.lineno), "decorator", (module, q, info, d)))
        events.sort(key=lambda e: e[0])
        if site in ADMIN_SITES:
            regs.extend(self._contrib_registrations())
        for _, what, obj in events:
            if what == "decorator":
                module, q, info, d = obj
                for a in d.args:
                    for model in self._models(a, Ctx(module, info.scope)):
                        regs.append(_Registration(model, q, self.p.location(module, d), ()))
                continue
            module, m = obj
            ctx = Ctx(module, m.scope)
            if m.loops:
                problems.append(Problem("dynamic-registration", f"admin models registered in a loop over "
                                        f"{unparse(m.loops[-1][1])}; not listed", self.p.location(module, m.call)))
                continue
            first = call_arg(m.call, 0, "model_or_iterable")
            models = self._models(first, ctx) if first is not None else []
            if what == "unregister":
                regs = [r for r in regs if r.model not in models]
                continue
            admin_expr = call_arg(m.call, 1, "admin_class")
            admin = self.u.resolve(admin_expr, ctx) if admin_expr is not None else ""
            for model in models:
                regs.append(_Registration(model, admin, self.p.location(module, m.call), condition_texts(m.conditions)))
        return regs, problems

    def _contrib_registrations(self) -> list[_Registration]:
        """Django's own apps register their models when the admin app autodiscovers (INSTALLED_APPS known)."""
        if self.installed is None:
            return []
        apps = {a.split(".apps.")[0] for a in self.installed}
        if "django.contrib.admin" not in apps or "django.contrib.admin.apps.SimpleAdminConfig" in self.installed:
            return []
        out = []
        for app, regs in _CONTRIB_REGISTRATIONS.items():
            if app not in apps:
                continue
            for model, admin, label, name in regs:
                if model == "django.contrib.auth.models.User" and self.auth_user_model != "auth.User":
                    continue  # swapped out: Django skips the registration
                out.append(_Registration(model, admin, Location(""), (), label, name))
        return out

    def _models(self, expr: ast.expr, ctx: Ctx) -> list[str]:
        if isinstance(expr, (ast.List, ast.Tuple)):
            return [m for e in expr.elts for m in self._models(e, ctx)]
        q = self.u.resolve(expr, ctx)
        if q and (self.p.class_info(q) is not None or q in _CONTRIB_MODELS or _external_model(q)):
            return [q]
        if q:
            d = self.p.lookup(q)
            if d.kind == "assignment" and d.obj.value is not None and isinstance(d.obj.value, (ast.List, ast.Tuple)):
                return self._models(d.obj.value, Ctx(d.module, d.obj.scope))
        return []

    def app_label(self, model: str) -> str:
        info = self.p.class_info(model)
        if info is None:
            return _external_model(model)
        module, ci = info
        for a in self.p.symbols[module].assignments:
            if a.scope == f"{ci.qualname}.Meta" and a.target == "app_label" and a.value is not None:
                v = self.p.evaluate(module, a.value, a.scope)
                if v.ok and isinstance(v.value, str):
                    return v.value
        if self._apps is None:
            apps = installed_app_configs(self.p, self.installed) if self.installed is not None else []
            self._apps = sorted(((a.name, a.label) for a in apps), key=lambda t: -len(t[0]))
        for name, label in self._apps:
            if module == name or module.startswith(name + "."):
                return label
        parts = module.split(".")
        if "models" in parts and parts.index("models") > 0:
            return parts[parts.index("models") - 1]
        return parts[-2] if len(parts) > 1 else parts[0]

    # ------------------------------------------------------------ expansion
    def expand(self, au: AdminUrls) -> list[Element]:
        where = self.u.location(au.ctx, au.node)
        staff = (AuthEvidence("decorator", "admin_view", "include", where),)
        site_cls = self.site_class(au.site)
        regs, problems = self.registrations(au.site)
        out: list[Element] = list(problems)

        def handler(cls: str, default_cls: str, method: str) -> tuple[str, str, int]:
            for c in self.p.mro(cls) if cls else ():
                info = self.p.class_info(c)
                if info is not None:
                    module, ci = info
                    f = self.p.symbols[module].function(f"{ci.qualname}.{method}")
                    if f is not None:
                        return f"{c}.{method}", self.p.path_of(module), f.line
                elif c in _USER_ADMIN and method in ("add_view", "user_change_password"):
                    return f"django.contrib.auth.admin.UserAdmin.{method}", where.path, where.line
            return f"{default_cls}.{method}", where.path, where.line

        def pat(kind: str, route: str, view: FixedView, name: str, conds: tuple[str, ...] = ()) -> Pat:
            return Pat(kind, None, None, au.ctx, au.node, conditions=conds, synthetic=view, raw_route=route,
                       name_text=name)

        site_options: tuple[tuple[str, str], ...] = ()
        if site_cls and "get_urls" in self._defined(site_cls):
            site_options = (("admin_urls_modified", f"{site_cls}.get_urls"),)
        for route, method, name, wrapped in (
            ("", "index", "index", True),
            ("login/", "login", "login", False),
            ("logout/", "logout", "logout", True),
            ("password_change/", "password_change", "password_change", True),
            ("password_change/done/", "password_change_done", "password_change_done", True),
            ("autocomplete/", "autocomplete_view", "autocomplete", True),
            ("jsi18n/", "i18n_javascript", "jsi18n", True),
        ):
            h, f, line = handler(site_cls, _SITE, method)
            out.append(pat("path", route, FixedView(h, ("ANY",), f, line, staff if wrapped else (), au.site, site_options),
                           name))
        out.append(pat("path", "r/<path:content_type_id>/<path:object_id>/",
                       FixedView("django.contrib.contenttypes.views.shortcut", ("ANY",), where.path, where.line, staff,
                                 au.site, site_options), "view_on_site"))
        labels: list[str] = []
        for reg in regs:
            label = reg.label or self.app_label(reg.model)
            model_name = reg.model_name or reg.model.rsplit(".", 1)[-1].lower()
            if label not in labels:
                labels.append(label)
            info = f"{label}_{model_name}"
            prefix = f"{label}/{model_name}/"
            options = site_options
            if reg.admin and "get_urls" in self._defined(reg.admin):
                options = options + (("admin_urls_modified", f"{reg.admin}.get_urls"),)
            for route, method, suffix in (
                ("", "changelist_view", "changelist"),
                ("add/", "add_view", "add"),
                ("<path:object_id>/history/", "history_view", "history"),
                ("<path:object_id>/delete/", "delete_view", "delete"),
                ("<path:object_id>/change/", "change_view", "change"),
            ):
                h, f, line = handler(reg.admin, _MODEL_ADMIN, method)
                out.append(pat("path", prefix + route, FixedView(h, ("ANY",), f, line, staff, au.site, options),
                               f"{info}_{suffix}", reg.conditions))
            if reg.admin and any(c in _USER_ADMIN for c in self.p.mro(reg.admin)):
                h, f, line = handler(reg.admin, "django.contrib.auth.admin.UserAdmin", "user_change_password")
                out.append(pat("path", prefix + "<id>/password/", FixedView(h, ("ANY",), f, line, staff, au.site, options),
                               "auth_user_password_change", reg.conditions))
            out.append(pat("path", prefix + "<path:object_id>/",
                           FixedView(_REDIRECT, _ALL, where.path, where.line, staff, au.site, options), "",
                           reg.conditions))
        if labels:
            h, f, line = handler(site_cls, _SITE, "app_index")
            regex = r"^(?P<app_label>" + "|".join(labels) + r")/$"
            out.append(pat("regex", regex, FixedView(h, ("ANY",), f, line, staff, au.site, site_options), "app_list"))
        if self._final_catch_all(site_cls):
            h, f, line = handler(site_cls, _SITE, "catch_all_view")
            out.append(pat("regex", r"(?P<url>.*)$", FixedView(h, ("ANY",), f, line, staff, au.site, site_options), ""))
        return out

    def _defined(self, cls: str) -> set[str]:
        out: set[str] = set()
        for c in self.p.mro(cls):
            info = self.p.class_info(c)
            if info is not None:
                out.update(info[1].methods)
        return out

    def _final_catch_all(self, site_cls: str) -> bool:
        if not site_cls:
            return True
        found = self.u.class_attribute(site_cls, "final_catch_all_view")
        if found is None or found[1].value is None:
            return True
        v = self.p.evaluate(found[0], found[1].value, found[1].scope)
        return bool(v.value) if v.ok else True


def _external_model(q: str) -> str:
    """App label of a model outside the scan spelled ``<app>.models.<Model>`` (Django's default label), else ""."""
    parts = q.split(".")
    if len(parts) >= 3 and parts[-2] == "models":
        return parts[-3]
    return ""
