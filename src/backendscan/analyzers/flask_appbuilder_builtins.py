"""The routes Flask-AppBuilder's own base classes expose, for classes of the scanned code that inherit them.

A project ``ModelRestApi`` subclass serves ``GET /`` (``get_list``), ``POST /``,
``GET /<int:pk>`` ... although its own code declares none of them: the methods
and their ``@expose`` decorators live in Flask-AppBuilder, which is not part of
the scanned package, so the analyzer cannot read them.  This table holds them.

It was taken from dpgaspar/Flask-AppBuilder (``flask_appbuilder/views.py``,
``baseviews.py``, ``api/__init__.py``, ``charts/views.py``,
``security/views.py``, ``security/registerviews.py``, ``babel/views.py``) and
is the same from 2.3 to 5.x except where an entry says otherwise: up to 4.x
``ModelView`` derives from ``RestCRUDView`` and inherits its ``/api``,
``/api/read``, ... routes (5.0 removed it), the OpenID views are 4.x only, the
SAML views 5.x only and ``AuthOAuthView.login`` lost its
``/login/<provider>/<register>`` rule in 5.0.  Those rules apply only when the
scanned project pins Flask-AppBuilder; with no pin they are left out (and the
analyzer says so in a note).

The classes Flask-AppBuilder registers by itself (its security REST APIs
``UserApi``, ``RoleApi``..., ``SecurityApi``, the menu and OpenAPI APIs, the
Swagger view) are here too, read from Flask-AppBuilder 5.3, with ``PLAN``: which
of them ``AppBuilder.init_app`` registers for which configuration.
"""

from __future__ import annotations

from dataclasses import dataclass

FAB = "flask_appbuilder"
BASE_VIEW = "flask_appbuilder.baseviews.BaseView"
BASE_API = "flask_appbuilder.api.BaseApi"
APPBUILDER_CLASSES = frozenset({"flask_appbuilder.AppBuilder", "flask_appbuilder.base.AppBuilder"})
AUTH_DECORATORS = frozenset({"protect", "has_access", "has_access_api", "jwt_required"})

Rules = tuple[tuple[str, tuple[str, ...]], ...]  # (rule, HTTP methods)


@dataclass(frozen=True)
class Exposed:
    """A method of a Flask-AppBuilder class decorated with ``@expose`` (one or more rules)."""

    method: str
    rules: Rules  # in every version the table covers
    auth: str = ""  # protect, has_access, has_access_api (decorators) or sm.has_access (checked in the body)
    old_rules: Rules = ()  # only up to Flask-AppBuilder 4.x
    new_rules: Rules = ()  # only from Flask-AppBuilder 5.0

    def rules_for(self, major: int | None) -> Rules:
        """The rules of this method in the given major version (None: not pinned, the common ones)."""
        if major is None:
            return self.rules
        return self.rules + (self.old_rules if major <= 4 else self.new_rules)


@dataclass(frozen=True)
class FabClass:
    """A Flask-AppBuilder view/API base class: its bases, exposed methods and the class attributes routes use."""

    qualname: str
    bases: tuple[str, ...] = ()
    exposed: tuple[Exposed, ...] = ()
    attrs: tuple[tuple[str, object], ...] = ()  # route_base, version, resource_name ... as the class sets them


_GET = ("GET",)
_POST = ("POST",)
_GET_POST = ("GET", "POST")
_SV = "flask_appbuilder.security.views."
_RV = "flask_appbuilder.security.registerviews."
_SA = "flask_appbuilder.security.sqla.apis."
_MRA = "flask_appbuilder.api.ModelRestApi"

_CLASSES = (
    FabClass("flask_appbuilder.baseviews.AbstractViewApi"),
    FabClass(BASE_VIEW, ("flask_appbuilder.baseviews.AbstractViewApi",),
             attrs=(("route_base", None), ("include_route_methods", None), ("exclude_route_methods", frozenset()))),
    FabClass("flask_appbuilder.baseviews.BaseFormView", (BASE_VIEW,)),
    FabClass("flask_appbuilder.baseviews.BaseModelView", (BASE_VIEW,)),
    FabClass("flask_appbuilder.baseviews.BaseCRUDView", ("flask_appbuilder.baseviews.BaseModelView",)),
    FabClass(BASE_API, ("flask_appbuilder.baseviews.AbstractViewApi",),
             attrs=(("version", "v1"), ("route_base", None), ("resource_name", None),
                    ("include_route_methods", None), ("exclude_route_methods", frozenset()))),
    FabClass("flask_appbuilder.api.BaseModelApi", (BASE_API,)),
    FabClass("flask_appbuilder.api.ModelRestApi", ("flask_appbuilder.api.BaseModelApi",), (
        Exposed("info", (("/_info", _GET),), "protect"),
        Exposed("get", (("/<int:pk>", _GET),), "protect"),
        Exposed("get_list", (("/", _GET),), "protect"),
        Exposed("post", (("/", _POST),), "protect"),
        Exposed("put", (("/<pk>", ("PUT",)),), "protect"),
        Exposed("delete", (("/<pk>", ("DELETE",)),), "protect"),
    )),
    FabClass("flask_appbuilder.views.IndexView", (BASE_VIEW,), (Exposed("index", (("/", _GET),)),),
             attrs=(("route_base", ""),)),
    FabClass("flask_appbuilder.views.UtilView", (BASE_VIEW,), (Exposed("back", (("/back", _GET),)),),
             attrs=(("route_base", ""),)),
    FabClass("flask_appbuilder.views.SimpleFormView", ("flask_appbuilder.baseviews.BaseFormView",), (
        Exposed("this_form_get", (("/form", _GET),), "has_access"),
        Exposed("this_form_post", (("/form", _POST),), "has_access"),
    )),
    FabClass("flask_appbuilder.views.PublicFormView", ("flask_appbuilder.baseviews.BaseFormView",), (
        Exposed("this_form_get", (("/form", _GET),)),
        Exposed("this_form_post", (("/form", _POST),)),
    )),
    FabClass("flask_appbuilder.views.RestCRUDView", ("flask_appbuilder.baseviews.BaseCRUDView",), (
        Exposed("api", (), "has_access_api", old_rules=(("/api", _GET),)),
        Exposed("api_read", (), "has_access_api", old_rules=(("/api/read", _GET),)),
        Exposed("api_get", (), "has_access_api", old_rules=(("/api/get/<pk>", _GET),)),
        Exposed("api_create", (), "has_access_api", old_rules=(("/api/create", _POST),)),
        Exposed("api_update", (), "has_access_api", old_rules=(("/api/update/<pk>", ("PUT",)),)),
        Exposed("api_delete", (), "has_access_api", old_rules=(("/api/delete/<pk>", ("DELETE",)),)),
        Exposed("api_column_add", (), "has_access_api", old_rules=(("/api/column/add/<col_name>", _GET),)),
        Exposed("api_column_edit", (), "has_access_api", old_rules=(("/api/column/edit/<col_name>", _GET),)),
        Exposed("api_readvalues", (), "has_access_api", old_rules=(("/api/readvalues", _GET),)),
    )),
    FabClass("flask_appbuilder.views.ModelView", ("flask_appbuilder.views.RestCRUDView",), (
        Exposed("list", (("/list/", _GET),), "has_access"),
        Exposed("show", (("/show/<pk>", _GET),), "has_access"),
        Exposed("add", (("/add", _GET_POST),), "has_access"),
        Exposed("edit", (("/edit/<pk>", _GET_POST),), "has_access"),
        Exposed("delete", (("/delete/<pk>", _GET_POST),), "has_access"),
        Exposed("download", (("/download/<string:filename>", _GET),), "has_access"),
        Exposed("action", (("/action/<string:name>/<pk>", _GET_POST),), "sm.has_access"),  # checked in the body
        Exposed("action_post", (("/action_post", _POST),), "sm.has_access"),
    )),
    FabClass("flask_appbuilder.views.MasterDetailView", ("flask_appbuilder.baseviews.BaseCRUDView",), (
        Exposed("list", (("/list/", _GET), ("/list/<pk>", _GET)), "has_access"),
    )),
    FabClass("flask_appbuilder.views.MultipleView", (BASE_VIEW,), (Exposed("list", (("/list/", _GET),), "has_access"),)),
    FabClass("flask_appbuilder.views.CompactCRUDMixin", ("flask_appbuilder.baseviews.BaseCRUDView",), (
        Exposed("list", (("/list/", _GET_POST),), "has_access"),
        Exposed("add", (("/add/", _GET_POST),), "has_access"),
        Exposed("edit", (("/edit/<pk>", _GET_POST),), "has_access"),
        Exposed("delete", (("/delete/<pk>", _GET_POST),), "has_access"),
    )),
    FabClass("flask_appbuilder.charts.views.BaseChartView", ("flask_appbuilder.baseviews.BaseModelView",)),
    FabClass("flask_appbuilder.charts.views.GroupByChartView", ("flask_appbuilder.charts.views.BaseChartView",), (
        Exposed("chart", (("/chart/<group_by>", _GET), ("/chart/", _GET)), "has_access"),
    )),
    FabClass("flask_appbuilder.charts.views.DirectByChartView", ("flask_appbuilder.charts.views.GroupByChartView",)),
    FabClass("flask_appbuilder.charts.views.BaseSimpleGroupByChartView", ("flask_appbuilder.charts.views.BaseChartView",)),
    FabClass("flask_appbuilder.charts.views.BaseSimpleDirectChartView", ("flask_appbuilder.charts.views.BaseChartView",)),
    FabClass("flask_appbuilder.charts.views.ChartView", ("flask_appbuilder.charts.views.BaseSimpleGroupByChartView",), (
        Exposed("chart", (("/chart/<group_by>", _GET), ("/chart/", _GET)), "has_access"),
    )),
    FabClass("flask_appbuilder.charts.views.TimeChartView", ("flask_appbuilder.charts.views.BaseSimpleGroupByChartView",), (
        Exposed("chart", (("/chart/<group_by>/<period>", _GET), ("/chart/", _GET)), "has_access"),
    )),
    FabClass("flask_appbuilder.charts.views.DirectChartView", ("flask_appbuilder.charts.views.BaseSimpleDirectChartView",), (
        Exposed("chart", (("/chart/<group_by>", _GET), ("/chart/", _GET)), "has_access"),
    )),
    # security views (project subclasses customise authentication)
    FabClass(_SV + "AuthView", (BASE_VIEW,), (
        Exposed("login", (("/login/", _GET_POST),)),
        Exposed("logout", (("/logout/", _GET),)),
    ), attrs=(("route_base", ""),)),
    FabClass(_SV + "AuthDBView", (_SV + "AuthView",), (Exposed("login", (("/login/", _GET_POST),)),)),
    FabClass(_SV + "AuthLDAPView", (_SV + "AuthView",), (Exposed("login", (("/login/", _GET_POST),)),)),
    FabClass(_SV + "AuthOIDView", (_SV + "AuthView",), (Exposed("login", (), old_rules=(("/login/", _GET_POST),)),)),
    FabClass(_SV + "AuthOAuthView", (_SV + "AuthView",), (
        Exposed("login", (("/login/", _GET), ("/login/<provider>", _GET)),
                old_rules=(("/login/<provider>/<register>", _GET),)),
        Exposed("oauth_authorized", (("/oauth-authorized/<provider>", _GET),)),
    )),
    FabClass(_SV + "AuthRemoteUserView", (_SV + "AuthView",), (Exposed("login", (("/login/", _GET),)),)),
    FabClass(_SV + "AuthSAMLView", (_SV + "AuthView",), (
        Exposed("login", (), new_rules=(("/login/", _GET), ("/login/<idp>", _GET))),
        Exposed("acs", (), new_rules=(("/saml/acs/", _POST),)),
        Exposed("slo", (), new_rules=(("/saml/slo/", _GET_POST),)),
        Exposed("logout", (), new_rules=(("/logout/", _GET),)),
        Exposed("metadata", (), new_rules=(("/saml/metadata/", _GET), ("/saml/metadata/<idp>", _GET))),
    )),
    FabClass(_RV + "BaseRegisterUser", ("flask_appbuilder.views.PublicFormView",), (
        Exposed("activation", (("/activation/<string:activation_hash>", _GET),)),
    ), attrs=(("route_base", "/register"),)),
    FabClass(_RV + "RegisterUserDBView", (_RV + "BaseRegisterUser",)),
    FabClass(_RV + "RegisterUserOAuthView", (_RV + "BaseRegisterUser",)),
    FabClass(_RV + "RegisterUserOIDView", (_RV + "BaseRegisterUser",), (
        Exposed("form_oid_post", (), old_rules=(("/formoidone", _GET_POST),)),
    ), attrs=(("route_base", "/register"),)),
    FabClass(_SV + "UserModelView", ("flask_appbuilder.views.ModelView",), (
        Exposed("userinfo", (("/userinfo/", _GET),), "has_access"),
    ), attrs=(("route_base", "/users"),)),
    FabClass(_SV + "UserDBModelView", (_SV + "UserModelView",), (
        Exposed("show", (("/show/<pk>", _GET),), "has_access"),
        Exposed("userinfo", (("/userinfo/", _GET),), "has_access"),
    )),
    FabClass(_SV + "UserLDAPModelView", (_SV + "UserModelView",)),
    FabClass(_SV + "UserOAuthModelView", (_SV + "UserModelView",)),
    FabClass(_SV + "UserRemoteUserModelView", (_SV + "UserModelView",)),
    FabClass(_SV + "UserOIDModelView", (_SV + "UserModelView",)),
    FabClass(_SV + "UserSAMLModelView", (_SV + "UserModelView",)),
    FabClass(_SV + "RoleModelView", ("flask_appbuilder.views.ModelView",), attrs=(("route_base", "/roles"),)),
    FabClass(_SV + "UserGroupModelView", ("flask_appbuilder.views.ModelView",), attrs=(("route_base", "/groups"),)),
    FabClass(_SV + "PermissionModelView", ("flask_appbuilder.views.ModelView",), attrs=(("route_base", "/permissions"),)),
    FabClass(_SV + "ViewMenuModelView", ("flask_appbuilder.views.ModelView",), attrs=(("route_base", "/viewmenus"),)),
    FabClass(_SV + "PermissionViewModelView", ("flask_appbuilder.views.ModelView",),
             attrs=(("route_base", "/permissionviews"),)),
    FabClass(_SV + "RegisterUserModelView", ("flask_appbuilder.views.ModelView",), attrs=(("route_base", "/registeruser"),)),
    FabClass(_SV + "ResetMyPasswordView", ("flask_appbuilder.views.SimpleFormView",),
             attrs=(("route_base", "/resetmypassword"),)),
    FabClass(_SV + "ResetPasswordView", ("flask_appbuilder.views.SimpleFormView",), attrs=(("route_base", "/resetpassword"),)),
    FabClass(_SV + "UserInfoEditView", ("flask_appbuilder.views.SimpleFormView",)),
    FabClass(_SV + "UserStatsChartView", ("flask_appbuilder.charts.views.DirectByChartView",)),
    FabClass("flask_appbuilder.babel.views.LocaleView", (BASE_VIEW,), (
        Exposed("index", (("/<string:locale>", _GET),)),
    ), attrs=(("route_base", "/lang"),)),
    # the APIs and views Flask-AppBuilder registers by itself (see SECURITY_PLAN below)
    FabClass("flask_appbuilder.api.manager.OpenApi", (BASE_API,), (
        Exposed("get", (("/<version>/_openapi", _GET),), "protect"),
    ), attrs=(("route_base", "/api"),)),
    FabClass("flask_appbuilder.api.manager.SwaggerView", (BASE_VIEW,), (
        Exposed("show", (("/<version>", _GET),), "has_access"),
    ), attrs=(("route_base", "/swagger"),)),
    FabClass("flask_appbuilder.menu.MenuApi", (BASE_API,), (
        Exposed("get_menu_data", (("/", _GET),), "protect"),
    ), attrs=(("resource_name", "menu"),)),
    FabClass("flask_appbuilder.security.api.SecurityApi", (BASE_API,), (
        Exposed("login", (("/login", _POST),)),
        Exposed("refresh", (("/refresh", _POST),), "jwt_required"),
    ), attrs=(("resource_name", "security"),)),
    FabClass(_SA + "permission.api.PermissionApi", (_MRA,),
             attrs=(("resource_name", "security/permissions"),
                    ("include_route_methods", frozenset({"info", "get", "get_list"})))),
    FabClass(_SA + "view_menu.api.ViewMenuApi", (_MRA,), attrs=(("resource_name", "security/resources"),)),
    FabClass(_SA + "permission_view_menu.api.PermissionViewMenuApi", (_MRA,),
             attrs=(("resource_name", "security/permissions-resources"),)),
    FabClass(_SA + "role.api.RoleApi", (_MRA,), (
        Exposed("list_role_permissions", (("/<int:role_id>/permissions/", _GET),), "protect"),
        Exposed("add_role_permissions", (("/<int:role_id>/permissions", _POST),), "protect"),
        Exposed("update_role_users", (("/<int:role_id>/users", ("PUT",)),), "protect"),
        Exposed("update_role_groups", (("/<int:role_id>/groups", ("PUT",)),), "protect"),
    ), attrs=(("resource_name", "security/roles"),)),
    FabClass(_SA + "user.api.UserApi", (_MRA,), (
        Exposed("post", (("/", _POST),), "protect"),
        Exposed("put", (("/<pk>", ("PUT",)),), "protect"),
    ), attrs=(("resource_name", "security/users"),)),
    FabClass(_SA + "group.api.GroupApi", (_MRA,), (
        Exposed("post", (("/", _POST),), "protect"),
        Exposed("put", (("/<pk>", ("PUT",)),), "protect"),
    ), attrs=(("resource_name", "security/groups"),)),
    FabClass(_SA + "api_key.api.ApiKeyApi", (BASE_API,), (
        Exposed("list_api_keys", (("/", _GET),), "protect"),
        Exposed("create_api_key", (("/", _POST),), "protect"),
        Exposed("get_api_key", (("/<string:key_uuid>", _GET),), "protect"),
        Exposed("revoke_api_key", (("/<string:key_uuid>", ("DELETE",)),), "protect"),
    ), attrs=(("resource_name", "security/api_keys"),)),
)

CLASSES: dict[str, FabClass] = {c.qualname: c for c in _CLASSES}
# ``from flask_appbuilder import ModelView``: the package re-exports its public classes under their own name
_BY_TAIL = {c.qualname.rsplit(".", 1)[-1]: c for c in _CLASSES}


def fab_class(name: str) -> FabClass | None:
    """The table entry for a Flask-AppBuilder class name as the scanned code imports it, or None."""
    found = CLASSES.get(name)
    if found is not None:
        return found
    head, _, tail = name.rpartition(".")
    found = _BY_TAIL.get(tail)
    if found is None or not (head == FAB or found.qualname.startswith(head + ".")):
        return None  # ``flask_appbuilder.security.sqla.apis.RoleApi``: a package re-exporting its submodule's class
    return found


def linearize(cls: FabClass) -> list[FabClass]:
    """The class and its Flask-AppBuilder ancestors (depth first, each once)."""
    out: list[FabClass] = []
    seen: set[str] = set()
    stack = [cls.qualname]
    while stack:
        q = stack.pop(0)
        c = CLASSES.get(q)
        if c is None or q in seen:
            continue
        seen.add(q)
        out.append(c)
        stack = list(c.bases) + stack
    return out


def version_specific(e: Exposed) -> bool:
    """Whether some rules of the method depend on the Flask-AppBuilder version."""
    return bool(e.old_rules or e.new_rules)


# ------------------------------------------------------------------------------------------------------
# What ``AppBuilder.init_app`` registers by itself (read from Flask-AppBuilder 5.3: ``base.py``
# ``_add_admin_views``, ``babel/manager.py``, ``api/manager.py``, ``menu.py``, ``security/manager.py`` and
# ``security/sqla/manager.py`` ``register_views``).  Which classes it registers depends on configuration
# keys of the application and on class attributes of the security manager class (a project subclass
# may swap a view for its own), so the plan below names either a class or ``sm.<attribute>``.

SECURITY_MANAGER = "flask_appbuilder.security.sqla.manager.SecurityManager"
SECURITY_MANAGER_CLASSES = frozenset({SECURITY_MANAGER, "flask_appbuilder.security.manager.BaseSecurityManager",
                                      "flask_appbuilder.security.manager.AbstractSecurityManager"})

#: the constants of ``flask_appbuilder.const`` a project gives ``AUTH_TYPE``
AUTH_TYPES = {0: "AUTH_OID", 1: "AUTH_DB", 2: "AUTH_LDAP", 3: "AUTH_REMOTE_USER", 4: "AUTH_OAUTH", 5: "AUTH_SAML"}
AUTH_DB, AUTH_LDAP, AUTH_REMOTE_USER, AUTH_OAUTH, AUTH_SAML = 1, 2, 3, 4, 5

#: configuration keys that decide the registrations, with the value Flask-AppBuilder uses when unset
FLAG_DEFAULTS: dict[str, object] = {
    "FAB_ADD_SECURITY_VIEWS": True,
    "AUTH_TYPE": AUTH_DB,
    "AUTH_USER_REGISTRATION": False,
    "FAB_ADD_SECURITY_PERMISSION_VIEW": True,
    "FAB_ADD_SECURITY_VIEW_MENU_VIEW": True,
    "FAB_ADD_SECURITY_PERMISSION_VIEWS_VIEW": True,
    "FAB_ADD_SECURITY_API": False,
    "FAB_API_KEY_ENABLED": False,
    "FAB_ADD_OPENAPI_VIEWS": True,
    "FAB_API_SWAGGER_UI": False,
    "FAB_ADD_MENU_API": True,
}

#: the security manager's class attributes naming a view or API, and Flask-AppBuilder's own value
SM_DEFAULTS: dict[str, str] = {
    "security_api": "flask_appbuilder.security.api.SecurityApi",
    "registeruserdbview": _RV + "RegisterUserDBView",
    "registeruseroauthview": _RV + "RegisterUserOAuthView",
    "userinfoeditview": _SV + "UserInfoEditView",
    "userdbmodelview": _SV + "UserDBModelView",
    "userldapmodelview": _SV + "UserLDAPModelView",
    "useroauthmodelview": _SV + "UserOAuthModelView",
    "userremoteusermodelview": _SV + "UserRemoteUserModelView",
    "usersamlmodelview": _SV + "UserSAMLModelView",
    "authdbview": _SV + "AuthDBView",
    "authldapview": _SV + "AuthLDAPView",
    "authoauthview": _SV + "AuthOAuthView",
    "authremoteuserview": _SV + "AuthRemoteUserView",
    "authsamlview": _SV + "AuthSAMLView",
    "resetpasswordview": _SV + "ResetPasswordView",
    "resetmypasswordview": _SV + "ResetMyPasswordView",
    "rolemodelview": _SV + "RoleModelView",
    "groupmodelview": _SV + "UserGroupModelView",
    "userstatschartview": _SV + "UserStatsChartView",
    "registerusermodelview": _SV + "RegisterUserModelView",
    "permissionmodelview": _SV + "PermissionModelView",
    "viewmenumodelview": _SV + "ViewMenuModelView",
    "permissionviewmodelview": _SV + "PermissionViewModelView",
    "permission_api": _SA + "permission.api.PermissionApi",
    "role_api": _SA + "role.api.RoleApi",
    "user_api": _SA + "user.api.UserApi",
    "view_menu_api": _SA + "view_menu.api.ViewMenuApi",
    "permission_view_menu_api": _SA + "permission_view_menu.api.PermissionViewMenuApi",
    "group_api": _SA + "group.api.GroupApi",
}


@dataclass(frozen=True)
class Step:
    """One registration ``init_app`` makes: who makes it, what it registers and the configuration it needs."""

    who: str  # "appbuilder", "babel", "openapi", "menu", "security" (the security manager's register_views)
    target: str  # a Flask-AppBuilder class, "sm.<attribute>" or "indexview" (the default index view)
    when: tuple[tuple[str, object], ...] = ()  # (key, value): a bool value is compared by truth, others by ==


_V = (("FAB_ADD_SECURITY_VIEWS", True),)
_REG = (("AUTH_USER_REGISTRATION", True),)

#: in the order Flask-AppBuilder registers them (the first registration of a class wins)
PLAN: tuple[Step, ...] = (
    Step("appbuilder", "indexview"),
    Step("appbuilder", "flask_appbuilder.views.UtilView"),
    Step("babel", "flask_appbuilder.babel.views.LocaleView"),
    Step("security", "sm.security_api", _V),
    Step("security", "sm.registeruserdbview", _V + _REG + (("AUTH_TYPE", AUTH_DB),)),
    Step("security", "sm.registeruseroauthview", _V + _REG + (("AUTH_TYPE", AUTH_OAUTH),)),
    Step("security", "sm.userinfoeditview", _V),
    Step("security", "sm.resetpasswordview", _V + (("AUTH_TYPE", AUTH_DB),)),
    Step("security", "sm.resetmypasswordview", _V + (("AUTH_TYPE", AUTH_DB),)),
    Step("security", "sm.authdbview", _V + (("AUTH_TYPE", AUTH_DB),)),
    Step("security", "sm.authldapview", _V + (("AUTH_TYPE", AUTH_LDAP),)),
    Step("security", "sm.authoauthview", _V + (("AUTH_TYPE", AUTH_OAUTH),)),
    Step("security", "sm.authremoteuserview", _V + (("AUTH_TYPE", AUTH_REMOTE_USER),)),
    Step("security", "sm.authsamlview", _V + (("AUTH_TYPE", AUTH_SAML),)),
    Step("security", "sm.userdbmodelview", _V + (("AUTH_TYPE", AUTH_DB),)),
    Step("security", "sm.userldapmodelview", _V + (("AUTH_TYPE", AUTH_LDAP),)),
    Step("security", "sm.useroauthmodelview", _V + (("AUTH_TYPE", AUTH_OAUTH),)),
    Step("security", "sm.userremoteusermodelview", _V + (("AUTH_TYPE", AUTH_REMOTE_USER),)),
    Step("security", "sm.usersamlmodelview", _V + (("AUTH_TYPE", AUTH_SAML),)),
    Step("security", "sm.rolemodelview", _V),
    Step("security", "sm.groupmodelview", _V),
    Step("security", "sm.userstatschartview", _V),
    Step("security", "sm.registerusermodelview", _V + _REG),
    Step("security", "sm.permissionmodelview", _V + (("FAB_ADD_SECURITY_PERMISSION_VIEW", True),)),
    Step("security", "sm.viewmenumodelview", _V + (("FAB_ADD_SECURITY_VIEW_MENU_VIEW", True),)),
    Step("security", "sm.permissionviewmodelview", _V + (("FAB_ADD_SECURITY_PERMISSION_VIEWS_VIEW", True),)),
    Step("security", "sm.permission_api", (("FAB_ADD_SECURITY_API", True),)),
    Step("security", "sm.role_api", (("FAB_ADD_SECURITY_API", True),)),
    Step("security", "sm.user_api", (("FAB_ADD_SECURITY_API", True),)),
    Step("security", "sm.view_menu_api", (("FAB_ADD_SECURITY_API", True),)),
    Step("security", "sm.permission_view_menu_api", (("FAB_ADD_SECURITY_API", True),)),
    Step("security", "sm.group_api", (("FAB_ADD_SECURITY_API", True),)),
    Step("security", _SA + "api_key.api.ApiKeyApi", (("FAB_ADD_SECURITY_API", True), ("FAB_API_KEY_ENABLED", True))),
    Step("openapi", "flask_appbuilder.api.manager.OpenApi", (("FAB_ADD_OPENAPI_VIEWS", True), ("FAB_API_SWAGGER_UI", True))),
    Step("openapi", "flask_appbuilder.api.manager.SwaggerView",
         (("FAB_ADD_OPENAPI_VIEWS", True), ("FAB_API_SWAGGER_UI", True))),
    Step("menu", "flask_appbuilder.menu.MenuApi", (("FAB_ADD_MENU_API", True),)),
)

WHO = {
    "appbuilder": "Flask-AppBuilder's AppBuilder.init_app",
    "babel": "Flask-AppBuilder's babel manager",
    "openapi": "Flask-AppBuilder's OpenAPI manager",
    "menu": "Flask-AppBuilder's menu API manager",
    "security": "Flask-AppBuilder's security manager",
}


def holds(value: object, wanted: object) -> bool:
    """Whether a configuration value meets a plan condition."""
    return bool(value) is wanted if isinstance(wanted, bool) else value == wanted
