"""What the scan knows about Django code it does not see.

A project's models often inherit fields from abstract models that live in
Django itself or in third-party apps (``AbstractUser``, ``PolymorphicModel``,
``TimeStampedModel``...), and point foreign keys at tables of apps that are not
scanned (``auth.User``, ``contenttypes.ContentType``).  This module describes
those, written as the field declarations of the libraries (as of the versions
named below) so the same field parser reads them.

* :data:`ABSTRACT_MODELS`: abstract models by qualified name: their model bases
  and their fields;
* :data:`KNOWN_TABLES`: concrete models of ``django.contrib`` apps (and
  django-taggit's ``Tag``/``TaggedItem``) by ``"label.modelname"`` (lower
  case): table, primary-key column and class;
* :func:`find_abstract` matches a name also through re-export paths (same top
  package and class name).

MPTT's tree fields (``lft``, ``rght``, ``tree_id``, ``level``, renamable with
``class MPTTMeta``) are added by its metaclass; :data:`MPTT_MODELS` names the
bases that trigger them.
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass
from functools import lru_cache

CATALOGUE_MODULE = "<catalogue>"
"""Pseudo module name of catalogue expressions (names resolve through :data:`CATALOGUE_NAMES`)."""

CATALOGUE_NAMES = {
    "models": "django.db.models",
    "settings": "django.conf.settings",
    "timezone": "django.utils.timezone",
    "ContentType": "django.contrib.contenttypes.models.ContentType",
    "GenericForeignKey": "django.contrib.contenttypes.fields.GenericForeignKey",
    "Tag": "taggit.models.Tag",
    "uuid": "uuid",
}

MODEL_BASES = frozenset({"django.db.models.Model", "django.db.models.base.Model"})

# qualified name -> (model bases, fields as source).  Versions: Django 5.2, django-polymorphic 4,
# django-mptt 0.16, django-model-utils 5, django-extensions 4.1, django-treebeard 4.7,
# django-tree-queries 0.24, django-taggit 6.1, django-modelcluster 6, django-otp 1.7,
# django-oauth-toolkit 2.3/3.x.
_ABSTRACT: dict[str, tuple[tuple[str, ...], str]] = {
    "django.contrib.auth.base_user.AbstractBaseUser": (
        ("django.db.models.Model",),
        """
        password = models.CharField(max_length=128)
        last_login = models.DateTimeField(blank=True, null=True)
        """,
    ),
    "django.contrib.auth.models.PermissionsMixin": (
        ("django.db.models.Model",),
        """
        is_superuser = models.BooleanField(default=False)
        groups = models.ManyToManyField("auth.Group", blank=True, related_name="user_set", related_query_name="user")
        user_permissions = models.ManyToManyField("auth.Permission", blank=True, related_name="user_set", related_query_name="user")
        """,
    ),
    "django.contrib.auth.models.AbstractUser": (
        ("django.contrib.auth.base_user.AbstractBaseUser", "django.contrib.auth.models.PermissionsMixin"),
        """
        username = models.CharField(max_length=150, unique=True)
        first_name = models.CharField(max_length=150, blank=True)
        last_name = models.CharField(max_length=150, blank=True)
        email = models.EmailField(blank=True)
        is_staff = models.BooleanField(default=False)
        is_active = models.BooleanField(default=True)
        date_joined = models.DateTimeField(default=timezone.now)
        """,
    ),
    "polymorphic.models.PolymorphicModel": (
        ("django.db.models.Model",),
        """
        polymorphic_ctype = models.ForeignKey(ContentType, null=True, editable=False, on_delete=models.CASCADE, related_name="polymorphic_%(app_label)s.%(class)s_set+")
        """,
    ),
    "mptt.models.MPTTModel": (("django.db.models.Model",), ""),
    "model_utils.models.TimeStampedModel": (
        ("django.db.models.Model",),
        """
        created = model_utils.fields.AutoCreatedField(default=timezone.now, editable=False)
        modified = model_utils.fields.AutoLastModifiedField(default=timezone.now, editable=False)
        """,
    ),
    "model_utils.models.TimeFramedModel": (
        ("django.db.models.Model",),
        """
        start = models.DateTimeField(null=True, blank=True)
        end = models.DateTimeField(null=True, blank=True)
        """,
    ),
    "model_utils.models.StatusModel": (
        ("django.db.models.Model",),
        """
        status = model_utils.fields.StatusField(max_length=100)
        status_changed = model_utils.fields.MonitorField(monitor="status")
        """,
    ),
    "model_utils.models.SoftDeletableModel": (
        ("django.db.models.Model",),
        """
        is_removed = models.BooleanField(default=False)
        """,
    ),
    "model_utils.models.UUIDModel": (
        ("django.db.models.Model",),
        """
        id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
        """,
    ),
    "django_extensions.db.models.TimeStampedModel": (
        ("django.db.models.Model",),
        """
        created = django_extensions.db.fields.CreationDateTimeField()
        modified = django_extensions.db.fields.ModificationDateTimeField()
        """,
    ),
    "django_extensions.db.models.TitleDescriptionModel": (
        ("django.db.models.Model",),
        """
        title = models.CharField(max_length=255)
        description = models.TextField(blank=True, null=True)
        """,
    ),
    "django_extensions.db.models.TitleSlugDescriptionModel": (
        ("django_extensions.db.models.TitleDescriptionModel",),
        """
        slug = django_extensions.db.fields.AutoSlugField(populate_from="title")
        """,
    ),
    "django_extensions.db.models.ActivatorModel": (
        ("django.db.models.Model",),
        """
        status = models.IntegerField(default=1)
        activate_date = models.DateTimeField(blank=True, null=True)
        deactivate_date = models.DateTimeField(blank=True, null=True)
        """,
    ),
    "treebeard.mp_tree.MP_Node": (
        ("django.db.models.Model",),
        """
        path = models.CharField(max_length=255, unique=True)
        depth = models.PositiveIntegerField()
        numchild = models.PositiveIntegerField(default=0)
        """,
    ),
    "treebeard.ns_tree.NS_Node": (
        ("django.db.models.Model",),
        """
        lft = models.PositiveIntegerField(db_index=True)
        rgt = models.PositiveIntegerField(db_index=True)
        tree_id = models.PositiveIntegerField(db_index=True)
        depth = models.PositiveIntegerField(db_index=True)
        """,
    ),
    "treebeard.al_tree.AL_Node": (("django.db.models.Model",), ""),
    "tree_queries.models.TreeNode": (
        ("django.db.models.Model",),
        """
        parent = tree_queries.fields.TreeNodeForeignKey("self", blank=True, null=True, on_delete=models.CASCADE, related_name="children")
        """,
    ),
    "tree_queries.models.OrderableTreeNode": (
        ("tree_queries.models.TreeNode",),
        """
        position = models.PositiveIntegerField(default=0, db_index=True)
        """,
    ),
    "taggit.models.TagBase": (
        ("django.db.models.Model",),
        """
        name = models.CharField(unique=True, max_length=100)
        slug = models.SlugField(unique=True, max_length=100, allow_unicode=True)
        """,
    ),
    "taggit.models.ItemBase": (("django.db.models.Model",), ""),
    "taggit.models.TaggedItemBase": (
        ("taggit.models.ItemBase",),
        """
        tag = models.ForeignKey(Tag, related_name="%(app_label)s_%(class)s_items", on_delete=models.CASCADE)
        """,
    ),
    "taggit.models.CommonGenericTaggedItemBase": (
        ("taggit.models.ItemBase",),
        """
        content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="%(app_label)s_%(class)s_tagged_items")
        content_object = GenericForeignKey()
        """,
    ),
    "taggit.models.GenericTaggedItemBase": (
        ("taggit.models.CommonGenericTaggedItemBase",),
        """
        object_id = models.IntegerField(db_index=True)
        """,
    ),
    "taggit.models.GenericUUIDTaggedItemBase": (
        ("taggit.models.CommonGenericTaggedItemBase",),
        """
        object_id = models.UUIDField(db_index=True)
        """,
    ),
    "modelcluster.models.ClusterableModel": (("django.db.models.Model",), ""),
    "django_otp.models.Device": (
        ("django.db.models.Model",),
        """
        user = models.ForeignKey(getattr(settings, "AUTH_USER_MODEL", "auth.User"), on_delete=models.CASCADE)
        name = models.CharField(max_length=64)
        confirmed = models.BooleanField(default=True)
        """,
    ),
    "django_otp.models.SideChannelDevice": (
        ("django_otp.models.Device",),
        """
        token = models.CharField(max_length=16, blank=True, null=True)
        valid_until = models.DateTimeField(default=timezone.now)
        """,
    ),
    "django_otp.models.CooldownMixin": (
        ("django.db.models.Model",),
        """
        last_generated_timestamp = models.DateTimeField(null=True, blank=True)
        """,
    ),
    "django_otp.models.ThrottlingMixin": (
        ("django.db.models.Model",),
        """
        throttling_failure_timestamp = models.DateTimeField(null=True, blank=True, default=None)
        throttling_failure_count = models.PositiveIntegerField(default=0)
        """,
    ),
    "django_otp.models.TimestampMixin": (
        ("django.db.models.Model",),
        """
        created_at = models.DateTimeField(null=True, blank=True, auto_now_add=True)
        last_used_at = models.DateTimeField(null=True, blank=True)
        """,
    ),
    "oauth2_provider.models.AbstractApplication": (
        ("django.db.models.Model",),
        """
        id = models.BigAutoField(primary_key=True)
        client_id = models.CharField(max_length=100, unique=True, default=oauth2_provider.generators.generate_client_id, db_index=True)
        user = models.ForeignKey(settings.AUTH_USER_MODEL, related_name="%(app_label)s_%(class)s", null=True, blank=True, on_delete=models.CASCADE)
        redirect_uris = models.TextField(blank=True)
        post_logout_redirect_uris = models.TextField(blank=True)
        client_type = models.CharField(max_length=32)
        authorization_grant_type = models.CharField(max_length=32)
        client_secret = oauth2_provider.models.ClientSecretField(max_length=255, blank=True, default=oauth2_provider.generators.generate_client_secret, db_index=True)
        name = models.CharField(max_length=255, blank=True)
        skip_authorization = models.BooleanField(default=False)
        created = models.DateTimeField(auto_now_add=True)
        updated = models.DateTimeField(auto_now=True)
        algorithm = models.CharField(max_length=5, default="", blank=True)
        """,
    ),
    "oauth2_provider.models.AbstractGrant": (
        ("django.db.models.Model",),
        """
        id = models.BigAutoField(primary_key=True)
        user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="%(app_label)s_%(class)s")
        code = models.CharField(max_length=255, unique=True)
        application = models.ForeignKey(getattr(settings, "OAUTH2_PROVIDER_APPLICATION_MODEL", "oauth2_provider.Application"), on_delete=models.CASCADE)
        expires = models.DateTimeField()
        redirect_uri = models.TextField()
        scope = models.TextField(blank=True)
        created = models.DateTimeField(auto_now_add=True)
        updated = models.DateTimeField(auto_now=True)
        code_challenge = models.CharField(max_length=128, blank=True, default="")
        code_challenge_method = models.CharField(max_length=10, blank=True, default="")
        nonce = models.CharField(max_length=255, blank=True, default="")
        claims = models.TextField(blank=True)
        """,
    ),
    "oauth2_provider.models.AbstractAccessToken": (
        ("django.db.models.Model",),
        """
        id = models.BigAutoField(primary_key=True)
        user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, blank=True, null=True, related_name="%(app_label)s_%(class)s")
        source_refresh_token = models.OneToOneField(getattr(settings, "OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL", "oauth2_provider.RefreshToken"), on_delete=models.SET_NULL, blank=True, null=True, related_name="refreshed_access_token")
        token = models.CharField(max_length=255, unique=True)
        id_token = models.OneToOneField(getattr(settings, "OAUTH2_PROVIDER_ID_TOKEN_MODEL", "oauth2_provider.IDToken"), on_delete=models.CASCADE, blank=True, null=True, related_name="access_token")
        application = models.ForeignKey(getattr(settings, "OAUTH2_PROVIDER_APPLICATION_MODEL", "oauth2_provider.Application"), on_delete=models.CASCADE, blank=True, null=True)
        expires = models.DateTimeField()
        scope = models.TextField(blank=True)
        created = models.DateTimeField(auto_now_add=True)
        updated = models.DateTimeField(auto_now=True)
        """,
    ),
    "oauth2_provider.models.AbstractRefreshToken": (
        ("django.db.models.Model",),
        """
        id = models.BigAutoField(primary_key=True)
        user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="%(app_label)s_%(class)s")
        token = models.CharField(max_length=255)
        application = models.ForeignKey(getattr(settings, "OAUTH2_PROVIDER_APPLICATION_MODEL", "oauth2_provider.Application"), on_delete=models.CASCADE)
        access_token = models.OneToOneField(getattr(settings, "OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL", "oauth2_provider.AccessToken"), on_delete=models.SET_NULL, blank=True, null=True, related_name="refresh_token")
        created = models.DateTimeField(auto_now_add=True)
        updated = models.DateTimeField(auto_now=True)
        revoked = models.DateTimeField(null=True)
        """,
    ),
    "oauth2_provider.models.AbstractIDToken": (
        ("django.db.models.Model",),
        """
        id = models.BigAutoField(primary_key=True)
        user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, blank=True, null=True, related_name="%(app_label)s_%(class)s")
        jti = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
        application = models.ForeignKey(getattr(settings, "OAUTH2_PROVIDER_APPLICATION_MODEL", "oauth2_provider.Application"), on_delete=models.CASCADE, blank=True, null=True)
        expires = models.DateTimeField()
        scope = models.TextField(blank=True)
        created = models.DateTimeField(auto_now_add=True)
        updated = models.DateTimeField(auto_now=True)
        """,
    ),
}

MPTT_MODELS = frozenset({"mptt.models.MPTTModel"})
MPTT_FIELDS = (("left_attr", "lft"), ("right_attr", "rght"), ("tree_id_attr", "tree_id"), ("level_attr", "level"))


@dataclass(frozen=True)
class AbstractModel:
    """A third-party abstract model: its model bases and its field assignments (``ast``)."""

    qualname: str
    bases: tuple[str, ...]
    body: tuple[ast.Assign, ...]


@dataclass(frozen=True)
class KnownTable:
    """A concrete model of an app the scan does not see, with its table."""

    label: str  # "auth.User"
    table: str
    pk: str
    qualname: str


KNOWN_TABLES: dict[str, KnownTable] = {
    k.label.lower(): k
    for k in (
        KnownTable("auth.User", "auth_user", "id", "django.contrib.auth.models.User"),
        KnownTable("auth.Group", "auth_group", "id", "django.contrib.auth.models.Group"),
        KnownTable("auth.Permission", "auth_permission", "id", "django.contrib.auth.models.Permission"),
        KnownTable("contenttypes.ContentType", "django_content_type", "id", "django.contrib.contenttypes.models.ContentType"),
        KnownTable("sites.Site", "django_site", "id", "django.contrib.sites.models.Site"),
        KnownTable("admin.LogEntry", "django_admin_log", "id", "django.contrib.admin.models.LogEntry"),
        KnownTable("sessions.Session", "django_session", "session_key", "django.contrib.sessions.models.Session"),
        KnownTable("flatpages.FlatPage", "django_flatpage", "id", "django.contrib.flatpages.models.FlatPage"),
        KnownTable("redirects.Redirect", "django_redirect", "id", "django.contrib.redirects.models.Redirect"),
        KnownTable("taggit.Tag", "taggit_tag", "id", "taggit.models.Tag"),
        KnownTable("taggit.TaggedItem", "taggit_taggeditem", "id", "taggit.models.TaggedItem"),
    )
}
KNOWN_BY_CLASS: dict[str, KnownTable] = {k.qualname: k for k in KNOWN_TABLES.values()}


@lru_cache(maxsize=None)
def _abstract_models() -> dict[str, AbstractModel]:
    out: dict[str, AbstractModel] = {}
    for qual, (bases, src) in _ABSTRACT.items():
        tree = ast.parse(textwrap.dedent(src)) if src.strip() else ast.Module(body=[], type_ignores=[])
        body = tuple(s for s in tree.body if isinstance(s, ast.Assign))
        out[qual] = AbstractModel(qual, bases, body)
    return out


def _short_key(name: str) -> tuple[str, str]:
    return name.split(".", 1)[0], name.rsplit(".", 1)[-1]


@lru_cache(maxsize=None)
def _by_short() -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    for q in _abstract_models():
        out.setdefault(_short_key(q), q)
    return out


def find_abstract(name: str) -> AbstractModel | None:
    """The catalogue entry for ``name`` (also ``django.contrib.auth.models.AbstractBaseUser`` style re-exports)."""
    models = _abstract_models()
    found = models.get(name)
    if found is not None:
        return found
    if "." not in name:
        return None
    q = _by_short().get(_short_key(name))
    return models.get(q) if q else None


def known_class(name: str) -> KnownTable | None:
    """A known concrete ``django.contrib`` model by class name (also re-export paths)."""
    found = KNOWN_BY_CLASS.get(name)
    if found is not None:
        return found
    top, last = _short_key(name)
    if top != "django":
        return KNOWN_BY_CLASS.get(f"{top}.models.{last}")
    for k in KNOWN_BY_CLASS.values():
        if k.qualname.rsplit(".", 1)[-1] == last and ".contrib." in name:
            return k
    return None
