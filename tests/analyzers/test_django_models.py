"""Django ORM models and migrations (analyzer ``django_models``).

The expectations for ``django_models_basic`` and ``django_models_migrations``
were checked against Django 5.2 itself: the fixtures were loaded with their
settings and dumped with ``benchmarks/groundtruth/dump_django.py`` (tables,
columns, nullability, primary keys, foreign keys) plus ``db_index``/``unique``
of every field; the migrations fixture was migrated into SQLite and
``makemigrations --check`` reported exactly the drift asserted below (create
``Review``, delete ``Obsolete``).  Differences a static scan shows on purpose:
auto-created many-to-many tables have ``class_name == ""``, and the field class
listed in ``django-logical-fk-fields`` has no foreign key.
``django_models_thirdparty`` uses libraries that are not installed here
(django-polymorphic, django-mptt, django-model-utils, django-taggit, django-cms);
its expectations follow those libraries' field declarations (see
``backendscan.analyzers.djangoorm.catalogue``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from backendscan.config import load_config
from backendscan.facts import OrmModel
from backendscan.pipeline import ScanResult, scan
from backendscan.testing import scan_files

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "projects"


def _scan(name: str) -> ScanResult:
    root = FIXTURES / name
    cfg = load_config(root).with_overrides(use_cache=False, jobs=1, metrics=False, analyzers=("django_models",))
    return scan(root, cfg)


def _inline(tmp_path: Path, files: dict[str, str], **extra: Any) -> ScanResult:
    return scan_files(tmp_path, files, analyzers=("django_models",), **extra)


def _rows(result: ScanResult) -> list[tuple[Any, ...]]:
    return [
        (m.class_name, m.table, m.table_status, m.kind, m.base, m.parent, m.inheritance, m.abstract, m.file, m.line)
        for m in result.models
    ]


def _model(result: ScanResult, key: str) -> OrmModel:
    found = [m for m in result.models if m.class_name == key or (not m.class_name and m.table == key)]
    assert len(found) == 1, (key, [m.class_name or m.table for m in result.models])
    return found[0]


def _cols(m: OrmModel) -> list[tuple[Any, ...]]:
    return [(c.name, c.type, c.nullable, c.primary_key, c.unique, c.index, c.attribute, c.inherited_from, c.default)
            for c in m.columns]


def _fks(m: OrmModel) -> list[tuple[Any, ...]]:
    return [(f.column, f.references, f.status, f.on_delete, f.line) for f in m.foreign_keys]


def _rels(m: OrmModel) -> list[tuple[Any, ...]]:
    return [(r.name, r.target, r.kind, r.backref, r.secondary, r.status) for r in m.relationships]


def _findings(result: ScanResult, *rules: str) -> list[tuple[str, str, str, str]]:
    return [(f.rule_id, f.severity.value, f.location.short, f.message) for f in result.findings if f.rule_id in rules]


def _notes(result: ScanResult) -> list[str]:
    return [text for topic, text in result.notes if topic == "django models"]


DRIFT = ("table-without-model", "model-without-migration", "duplicate-model")
AUTH = "django.contrib.auth.models.AbstractUser"
BASE_USER = "django.contrib.auth.base_user.AbstractBaseUser"
PERMS = "django.contrib.auth.models.PermissionsMixin"


# =============================================================================== basic
@pytest.fixture(scope="module")
def basic() -> ScanResult:
    return _scan("django_models_basic")


def test_basic_models_tables_and_inheritance(basic: ScanResult) -> None:
    assert _rows(basic) == [
        ("common.models.LibraryBase", "", "none", "model", "lib", "", "", True, "common/models.py", 6),
        ("library.models.books.RecentBook", "", "none", "model", "lib", "library.models.books.Book", "proxy", False,
         "library/models/books.py", 39),
        ("library.models.books.TimeStamped", "", "none", "model", "lib", "", "", True, "library/models/books.py", 7),
        ("accounts.models.User", "accounts_user", "derived", "model", "accounts", "", "", False, "accounts/models.py", 7),
        ("", "accounts_user_groups", "derived", "m2m", "accounts", "", "", False, "accounts/models.py", 7),
        ("", "accounts_user_user_permissions", "derived", "m2m", "accounts", "", "", False, "accounts/models.py", 7),
        ("library.models.loans.LegacyRecord", "legacy_record", "resolved", "model", "lib", "", "", False,
         "library/models/loans.py", 28),
        ("library.models.books.Author", "lib_author", "derived", "model", "lib", "", "", False, "library/models/books.py", 16),
        ("library.models.books.Book", "lib_book", "derived", "model", "lib", "", "", False, "library/models/books.py", 27),
        ("", "lib_book_tags", "derived", "m2m", "lib", "", "", False, "library/models/books.py", 33),
        ("library.models.books.EBook", "lib_ebook", "derived", "model", "lib", "library.models.books.Book", "multi_table",
         False, "library/models/books.py", 44),
        ("common.models.Note", "lib_note", "derived", "model", "lib", "", "", False, "common/models.py", 12),
        ("library.models.loans.Placement", "lib_placement", "derived", "model", "lib", "", "", False,
         "library/models/loans.py", 22),
        ("library.models.loans.Shelf", "lib_shelf", "derived", "model", "lib", "", "", False, "library/models/loans.py", 17),
        ("library.models.books.Tag", "lib_tag", "derived", "model", "lib", "", "", False, "library/models/books.py", 21),
        ("", "lib_tag_related", "derived", "m2m", "lib", "", "", False, "library/models/books.py", 24),
        ("library.models.loans.Loan", "library_loans", "resolved", "model", "lib", "", "", False,
         "library/models/loans.py", 8),
        ("common.models.Memo", "memo", "resolved", "model", "lib", "", "", False, "common/models.py", 16),
        ("shop.models.Currency", "shop_currency", "derived", "model", "shop", "", "", False, "shop/models.py", 13),
        ("shop.models.Order", "shop_order", "derived", "model", "shop", "", "", False, "shop/models.py", 21),
        ("shop.models.Warehouse", "shop_warehouse", "derived", "model", "shop", "", "", False, "shop/models.py", 17),
    ]


def test_basic_app_labels_and_options(basic: ScanResult) -> None:
    opts = {m.class_name or m.table: dict(m.options) for m in basic.models}
    # AppConfig.label (INSTALLED_APPS names the config class)
    assert opts["library.models.books.Book"] == {"app_label": "lib", "app_label_from": "AppConfig library.apps.LibraryConfig"}
    # plain app module in INSTALLED_APPS whose apps.py holds one AppConfig
    assert opts["shop.models.Order"] == {"app_label": "shop", "app_label_from": "AppConfig shop.apps.ShopConfig"}
    # Meta.app_label inherited from an abstract parent's Meta (no own Meta), and through class Meta(Base.Meta)
    assert opts["common.models.Note"] == {"app_label": "lib", "app_label_from": "Meta.app_label"}
    assert opts["common.models.Memo"] == {"app_label": "lib", "app_label_from": "Meta.app_label", "db_table": "memo"}
    assert opts["common.models.LibraryBase"]["abstract"] == "True"
    assert opts["library.models.loans.LegacyRecord"]["managed"] == "False"
    assert opts["library.models.books.RecentBook"]["proxy"] == "True"
    assert opts["library.models.books.RecentBook"]["concrete_model"] == "library.models.books.Book"
    assert opts["lib_book_tags"] == {
        "app_label": "lib",
        "auto_created_for": "library.models.books.Book",
        "field": "tags",
        "auto_created_class": "library.models.books.Book_tags",
    }
    assert _model(basic, "library.models.books.Book").methods == ("__str__",)
    assert _model(basic, "accounts.models.User").methods == ("__str__",)


def test_basic_columns(basic: ScanResult) -> None:
    # AbstractUser's fields are inherited (catalogue); BigAutoField from DEFAULT_AUTO_FIELD
    assert _cols(_model(basic, "accounts.models.User")) == [
        ("id", "BigAutoField", False, True, True, False, "", "", ""),
        ("password", "CharField(max_length=128)", False, False, False, False, "", BASE_USER, ""),
        ("last_login", "DateTimeField", True, False, False, False, "", BASE_USER, ""),
        ("is_superuser", "BooleanField", False, False, False, False, "", PERMS, "False"),
        ("username", "CharField(max_length=150)", False, False, True, False, "", AUTH, ""),
        ("first_name", "CharField(max_length=150)", False, False, False, False, "", AUTH, ""),
        ("last_name", "CharField(max_length=150)", False, False, False, False, "", AUTH, ""),
        ("email", "EmailField", False, False, False, False, "", AUTH, ""),
        ("is_staff", "BooleanField", False, False, False, False, "", AUTH, "False"),
        ("is_active", "BooleanField", False, False, False, False, "", AUTH, "True"),
        ("date_joined", "DateTimeField", False, False, False, False, "", AUTH, "timezone.now"),
        ("display_name", "CharField(max_length=80)", False, False, False, False, "", "", ""),
    ]
    # AppConfig.default_auto_field (AutoField) beats the setting; abstract fields first; db_column
    assert _cols(_model(basic, "library.models.books.Author")) == [
        ("id", "AutoField", False, True, True, False, "", "", ""),
        ("created", "DateTimeField", False, False, False, False, "", "library.models.books.TimeStamped", ""),
        ("modified", "DateTimeField", False, False, False, False, "", "library.models.books.TimeStamped", ""),
        ("name", "CharField(max_length=100)", False, False, False, False, "", "", ""),
        ("email_address", "EmailField", False, False, True, False, "email", "", ""),
    ]
    assert _cols(_model(basic, "library.models.books.Book")) == [
        ("id", "AutoField", False, True, True, False, "", "", ""),
        ("created", "DateTimeField", False, False, False, False, "", "library.models.books.TimeStamped", ""),
        ("modified", "DateTimeField", False, False, False, False, "", "library.models.books.TimeStamped", ""),
        ("title", "CharField(max_length=200)", False, False, False, False, "", "", ""),
        ("isbn", "CharField(max_length=13)", False, False, True, False, "", "", ""),
        ("price", "DecimalField(max_digits=8, decimal_places=2)", False, False, False, False, "", "", "0"),
        ("author_id", "ForeignKey", False, False, False, True, "author", "", ""),
        ("editor_id", "ForeignKey", True, False, False, True, "editor", "", ""),
    ]
    # multi-table inheritance: the parent link is the primary key
    assert _cols(_model(basic, "library.models.books.EBook")) == [
        ("file_url", "URLField", False, False, False, False, "", "", ""),
        ("book_ptr_id", "OneToOneField", False, True, True, True, "book_ptr", "", ""),
    ]
    # SlugField is indexed by default
    assert _cols(_model(basic, "library.models.books.Tag")) == [
        ("id", "AutoField", False, True, True, False, "", "", ""),
        ("name", "SlugField(max_length=50)", False, False, True, True, "", "", ""),
        ("parent_id", "ForeignKey", True, False, False, True, "parent", "", ""),
    ]
    assert _cols(_model(basic, "library.models.loans.Loan")) == [
        ("id", "AutoField", False, True, True, False, "", "", ""),
        ("book_id", "ForeignKey", False, False, False, False, "book", "", ""),  # db_index=False
        ("borrower_id", "ForeignKey", False, False, False, True, "borrower", "", ""),
        ("due", "DateField", True, False, False, False, "", "", ""),
    ]
    assert _cols(_model(basic, "library.models.loans.Shelf")) == [
        ("code", "CharField(max_length=10)", False, True, True, False, "", "", ""),
    ]
    # project field classes: __init__ defaults (MoneyField), a fixed target (CurrencyField)
    assert _cols(_model(basic, "shop.models.Order")) == [
        ("id", "BigAutoField", False, True, True, False, "", "", ""),
        ("buyer_id", "ForeignKey", False, False, False, True, "buyer", "", ""),
        ("book_id", "ForeignKey", False, False, False, True, "book", "", ""),
        ("total", "MoneyField(max_digits=12, decimal_places=2)", False, False, False, False, "", "", ""),
        ("currency_id", "CurrencyField", False, False, False, True, "currency", "", ""),
        ("warehouse_id", "RemoteForeignKey", True, False, False, True, "warehouse", "", ""),
        ("content_type_id", "ForeignKey", False, False, False, True, "content_type", "", ""),
        ("object_id", "PositiveIntegerField", False, False, False, False, "", "", ""),
        ("note", "TextField", True, False, False, False, "", "", ""),
    ]
    assert _cols(_model(basic, "library.models.books.TimeStamped")) == [
        ("created", "DateTimeField", False, False, False, False, "", "", ""),
        ("modified", "DateTimeField", False, False, False, False, "", "", ""),
    ]
    assert _model(basic, "library.models.books.RecentBook").columns == ()


def test_basic_foreign_keys(basic: ScanResult) -> None:
    assert _fks(_model(basic, "library.models.books.Book")) == [
        ("author_id", "lib_author.id", "resolved", "CASCADE", 31),  # class object
        ("editor_id", "accounts_user.id", "resolved", "SET_NULL", 32),  # settings.AUTH_USER_MODEL
    ]
    assert _fks(_model(basic, "library.models.books.EBook")) == [("book_ptr_id", "lib_book.id", "resolved", "CASCADE", 44)]
    assert _fks(_model(basic, "library.models.books.Tag")) == [("parent_id", "lib_tag.id", "resolved", "CASCADE", 23)]
    assert _fks(_model(basic, "library.models.loans.Loan")) == [
        ("book_id", "lib_book.isbn", "resolved", "PROTECT", 9),  # "lib.Book" by label, to_field
        ("borrower_id", "accounts_user.id", "resolved", "CASCADE", 10),
    ]
    assert _fks(_model(basic, "library.models.loans.Placement")) == [
        ("book_id", "lib_book.id", "resolved", "CASCADE", 24),
        ("shelf_id", "lib_shelf.code", "resolved", "CASCADE", 23),  # explicit primary key
    ]
    # get_user_model(), the contenttypes table, a CurrencyField default target; RemoteForeignKey is logical only
    assert _fks(_model(basic, "shop.models.Order")) == [
        ("book_id", "lib_book.id", "resolved", "PROTECT", 23),
        ("buyer_id", "accounts_user.id", "resolved", "CASCADE", 22),
        ("content_type_id", "django_content_type.id", "external", "CASCADE", 27),
        ("currency_id", "shop_currency.id", "resolved", "PROTECT", 25),
    ]
    assert all(m.unresolved == () for m in basic.models)


def test_basic_many_to_many_tables(basic: ScanResult) -> None:
    assert _cols(_model(basic, "lib_book_tags")) == [
        ("id", "AutoField", False, True, True, False, "", "", ""),
        ("book_id", "ForeignKey", False, False, False, True, "book", "", ""),
        ("tag_id", "ForeignKey", False, False, False, True, "tag", "", ""),
    ]
    assert _fks(_model(basic, "lib_book_tags")) == [
        ("book_id", "lib_book.id", "resolved", "CASCADE", 33),
        ("tag_id", "lib_tag.id", "resolved", "CASCADE", 33),
    ]
    # self-referential: from_/to_ columns
    assert _fks(_model(basic, "lib_tag_related")) == [
        ("from_tag_id", "lib_tag.id", "resolved", "CASCADE", 24),
        ("to_tag_id", "lib_tag.id", "resolved", "CASCADE", 24),
    ]
    # inherited PermissionsMixin M2M fields get tables named after the concrete model's table
    assert _cols(_model(basic, "accounts_user_groups")) == [
        ("id", "BigAutoField", False, True, True, False, "", "", ""),
        ("user_id", "ForeignKey", False, False, False, True, "user", "", ""),
        ("group_id", "ForeignKey", False, False, False, True, "group", "", ""),
    ]
    assert _fks(_model(basic, "accounts_user_groups")) == [
        ("group_id", "auth_group.id", "external", "CASCADE", 7),
        ("user_id", "accounts_user.id", "resolved", "CASCADE", 7),
    ]
    assert _fks(_model(basic, "accounts_user_user_permissions")) == [
        ("permission_id", "auth_permission.id", "external", "CASCADE", 7),
        ("user_id", "accounts_user.id", "resolved", "CASCADE", 7),
    ]


def test_basic_relationships(basic: ScanResult) -> None:
    assert _rels(_model(basic, "library.models.books.Book")) == [
        ("author", "library.models.books.Author", "foreign_key", "lib_book_set", "", "resolved"),
        ("editor", "accounts.models.User", "foreign_key", "", "", "resolved"),
        ("tags", "library.models.books.Tag", "many_to_many", "", "lib_book_tags", "resolved"),
    ]
    assert _rels(_model(basic, "library.models.loans.Shelf")) == [
        ("books", "library.models.books.Book", "many_to_many", "shelves", "lib_placement", "resolved"),  # through=
    ]
    assert _rels(_model(basic, "accounts.models.User")) == [
        ("groups", "django.contrib.auth.models.Group", "many_to_many", "user_set", "accounts_user_groups", "external"),
        ("user_permissions", "django.contrib.auth.models.Permission", "many_to_many", "user_set",
         "accounts_user_user_permissions", "external"),
    ]
    assert _rels(_model(basic, "shop.models.Order")) == [
        ("book", "library.models.books.Book", "foreign_key", "", "", "resolved"),
        ("buyer", "accounts.models.User", "foreign_key", "orders", "", "resolved"),
        ("content_type", "django.contrib.contenttypes.models.ContentType", "foreign_key", "", "", "external"),
        ("currency", "shop.models.Currency", "foreign_key", "", "", "resolved"),
        ("target", "generic(content_type, object_id)", "generic_foreign_key", "", "", "logical"),
        ("warehouse", "shop.models.Warehouse", "foreign_key", "", "", "logical"),
    ]


def test_basic_notes_and_no_drift(basic: ScanResult) -> None:
    assert _findings(basic, *DRIFT) == []  # no app has migrations: nothing to compare
    assert _notes(basic) == [
        "17 Django model classes and 4 auto-created many-to-many tables; AUTH_USER_MODEL = accounts.User "
        "(settings.AUTH_USER_MODEL); implicit primary keys: BigAutoField (settings)",
        "table names are not shortened (DATABASES ENGINE django.db.backends.sqlite3 has no name limit)",
    ]


# =========================================================================== migrations
@pytest.fixture(scope="module")
def mig() -> ScanResult:
    return _scan("django_models_migrations")


def test_migrations_drift_findings(mig: ScanResult) -> None:
    assert _findings(mig, *DRIFT) == [
        ("table-without-model", "info", "catalog/migrations/0001_initial.py:41",
         "migrations of app 'catalog' create table catalog_obsolete (catalog.Obsolete) but no model maps it"),
        ("model-without-migration", "warning", "catalog/models.py:27",
         "table catalog_review of catalog.models.Review is not created by any migration of app 'catalog'"),
    ]
    # renames (Keyword -> Tag), AlterModelTable, AddField of an M2M, the squashed migration (no
    # shop_orders_scratch), SeparateDatabaseAndState via a class attribute: all agree with the models
    assert _notes(mig) == [
        "8 Django model classes and 2 auto-created many-to-many tables; AUTH_USER_MODEL = auth.User "
        "(Django default (AUTH_USER_MODEL not found in settings)); implicit primary keys: BigAutoField (settings)",
        "Django migrations replayed: 4 files in 2 apps (catalog, shop_orders); 8 tables in the final state",
        "migration operations not interpreted (RunPython, RunSQL, custom): 1",
        "table names are not shortened (DATABASES ENGINE django.db.backends.sqlite3 has no name limit)",
    ]


def test_migrations_fixture_models(mig: ScanResult) -> None:
    assert _rows(mig) == [
        ("catalog.models.Featured", "", "none", "model", "catalog", "catalog.models.Product", "proxy", False,
         "catalog/models.py", 41),
        ("", "cart_items", "resolved", "m2m", "shop_orders", "", "", False, "orders/models.py", 7),
        ("catalog.models.Category", "catalog_category", "derived", "model", "catalog", "", "", False, "catalog/models.py", 6),
        ("catalog.models.PriceView", "catalog_price_view", "resolved", "model", "catalog", "", "", False,
         "catalog/models.py", 32),
        ("catalog.models.Product", "catalog_product", "derived", "model", "catalog", "", "", False, "catalog/models.py", 14),
        ("", "catalog_product_tags", "derived", "m2m", "catalog", "", "", False, "catalog/models.py", 17),
        ("catalog.models.Review", "catalog_review", "derived", "model", "catalog", "", "", False, "catalog/models.py", 27),
        ("catalog.models.Tag", "catalog_tag", "derived", "model", "catalog", "", "", False, "catalog/models.py", 10),
        ("catalog.models.Supplier", "catalog_vendor", "resolved", "model", "catalog", "", "", False, "catalog/models.py", 20),
        ("orders.models.Cart", "shop_orders_cart", "derived", "model", "shop_orders", "", "", False, "orders/models.py", 5),
    ]
    assert dict(_model(mig, "catalog.models.Category").options)["app_label_from"] == "INSTALLED_APPS"
    assert _cols(_model(mig, "catalog.models.PriceView")) == [
        ("product_id", "OneToOneField", False, True, True, True, "product", "", ""),
        ("amount", "DecimalField(max_digits=10, decimal_places=2)", False, False, False, False, "", "", ""),
    ]
    assert _fks(_model(mig, "cart_items")) == [
        ("cart_id", "shop_orders_cart.id", "resolved", "CASCADE", 7),
        ("product_id", "catalog_product.id", "resolved", "CASCADE", 7),
    ]
    # settings.AUTH_USER_MODEL without the setting: Django's default auth.User
    assert _fks(_model(mig, "orders.models.Cart")) == [("owner_id", "auth_user.id", "external", "CASCADE", 6)]


def test_layout_django_sub_models_and_no_drift() -> None:
    result = _scan("layout_django_sub")
    assert _rows(result) == [
        ("polls.models.Choice", "polls_choice", "derived", "model", "polls", "", "", False, "web/polls/models.py", 21),
        ("polls.models.Question", "polls_question", "derived", "model", "polls", "", "", False, "web/polls/models.py", 9),
    ]
    assert _cols(_model(result, "polls.models.Question")) == [
        ("id", "BigAutoField", False, True, True, False, "", "", ""),
        ("question_text", "CharField(max_length=200)", False, False, False, False, "", "", ""),
        ("pub_date", "DateTimeField", False, False, False, False, "", "", ""),
    ]
    assert _cols(_model(result, "polls.models.Choice")) == [
        ("id", "BigAutoField", False, True, True, False, "", "", ""),
        ("question_id", "ForeignKey", False, False, False, True, "question", "", ""),
        ("choice_text", "CharField(max_length=200)", False, False, False, False, "", "", ""),
        ("votes", "IntegerField", False, False, False, False, "", "", "0"),
    ]
    assert _fks(_model(result, "polls.models.Choice")) == [("question_id", "polls_question.id", "resolved", "CASCADE", 22)]
    assert _findings(result, *DRIFT) == []
    assert "Django migrations replayed: 1 files in 1 apps (polls); 2 tables in the final state" in _notes(result)


# ========================================================================== third party
@pytest.fixture(scope="module")
def tp() -> ScanResult:
    return _scan("django_models_thirdparty")


def test_thirdparty_tables(tp: ScanResult) -> None:
    assert _rows(tp) == [
        ("inventory.models.items.Located", "", "none", "model", "inventory", "", "", True, "inventory/models/items.py", 10),
        ("inventory.models.items.Item", "inventory_item", "derived", "model", "inventory", "", "", False,
         "inventory/models/items.py", 19),
        # django-max-name-length = 30: Django's truncate_name (md5 suffix)
        ("inventory.models.items.WarehouseInventorySnapshot", "inventory_warehouseinvento97a6", "derived", "model",
         "inventory", "", "", False, "inventory/models/items.py", 24),
        ("people.models.Person", "people_person", "derived", "model", "people", "", "", False, "people/models.py", 9),
        ("", "people_person_groups", "derived", "m2m", "people", "", "", False, "people/models.py", 9),
        ("", "people_person_user_permissions", "derived", "m2m", "people", "", "", False, "people/models.py", 9),
        ("people.models.Teaser", "people_teaser", "derived", "model", "people", "", "", False, "people/models.py", 15),
        ("blog.models.Article", "weblog_article", "derived", "model", "weblog", "blog.models.Entry", "multi_table", False,
         "blog/models.py", 25),
        ("blog.models.Comment", "weblog_comment", "derived", "model", "weblog", "", "", False, "blog/models.py", 29),
        ("blog.models.Entry", "weblog_entry", "derived", "model", "weblog", "", "", False, "blog/models.py", 20),
        ("blog.models.Section", "weblog_section", "derived", "model", "weblog", "", "", False, "blog/models.py", 11),
    ]
    opts = {m.class_name: dict(m.options) for m in tp.models if m.class_name}
    assert opts["blog.models.Entry"]["app_label_from"] == "AppConfig blog.apps.BlogConfig"  # no settings scanned
    assert opts["inventory.models.items.Item"]["app_label_from"] == "package"  # the package holding models/


def test_thirdparty_columns(tp: ScanResult) -> None:
    mptt = "mptt.models.MPTTModel"
    assert _cols(_model(tp, "blog.models.Section")) == [
        ("id", "AutoField", False, True, True, False, "", "", ""),
        ("name", "CharField(max_length=40)", False, False, False, False, "", "", ""),
        ("parent_id", "TreeForeignKey", True, False, False, True, "parent", "", ""),
        ("left", "PositiveIntegerField", False, False, False, True, "", mptt, ""),  # MPTTMeta.left_attr
        ("rght", "PositiveIntegerField", False, False, False, True, "", mptt, ""),
        ("tree_id", "PositiveIntegerField", False, False, False, True, "", mptt, ""),
        ("level", "PositiveIntegerField", False, False, False, True, "", mptt, ""),
    ]
    assert _cols(_model(tp, "blog.models.Entry")) == [
        ("id", "AutoField", False, True, True, False, "", "", ""),
        ("polymorphic_ctype_id", "ForeignKey", True, False, False, True, "polymorphic_ctype",
         "polymorphic.models.PolymorphicModel", ""),
        ("section_id", "ForeignKey", False, False, False, True, "section", "", ""),
    ]
    assert _cols(_model(tp, "blog.models.Article")) == [
        ("body", "TextField", False, False, False, False, "", "", ""),
        ("entry_ptr_id", "OneToOneField", False, True, True, True, "entry_ptr", "", ""),
    ]
    assert _cols(_model(tp, "blog.models.Comment")) == [
        ("id", "AutoField", False, True, True, False, "", "", ""),
        ("created", "AutoCreatedField", False, False, False, False, "", "model_utils.models.TimeStampedModel", "timezone.now"),
        ("modified", "AutoLastModifiedField", False, False, False, False, "", "model_utils.models.TimeStampedModel",
         "timezone.now"),
        ("entry_id", "ForeignKey", False, False, False, True, "entry", "", ""),
        ("coupon_id", "ForeignKey", True, False, False, True, "coupon", "", ""),
        ("social_id", "ForeignKey", True, False, False, True, "social", "", ""),
    ]
    # plain-mixin field ignored, `retired = None` drops the inherited field, add_to_class adds one
    assert _cols(_model(tp, "inventory.models.items.Item")) == [
        ("id", "AutoField", False, True, True, False, "", "", ""),
        ("place", "CharField(max_length=20)", False, False, False, False, "", "inventory.models.items.Located", ""),
        ("owner_id", "ForeignKey", False, False, False, True, "owner", "inventory.models.items.Located", ""),
        ("sku", "CharField(max_length=12)", False, False, False, True, "", "", ""),
        ("weight", "FloatField", True, False, False, False, "", "", ""),
    ]
    assert _cols(_model(tp, "people.models.Person")) == [
        ("id", "AutoField", False, True, True, False, "", "", ""),
        ("password", "CharField(max_length=128)", False, False, False, False, "", BASE_USER, ""),
        ("last_login", "DateTimeField", True, False, False, False, "", BASE_USER, ""),
        ("is_superuser", "BooleanField", False, False, False, False, "", PERMS, "False"),
        ("email", "EmailField", False, False, True, False, "", "", ""),
    ]
    # unknown external base: own fields only, no guessed primary key, and the reason
    teaser = _model(tp, "people.models.Teaser")
    assert _cols(teaser) == [("title", "CharField(max_length=60)", False, False, False, False, "", "", "")]
    assert [(u.expr, u.reason, u.location.short) for u in teaser.unresolved] == [
        ("cms.models.CMSPlugin", "fields (and the primary key) inherited from this external model are unknown",
         "people/models.py:15"),
    ]


def test_thirdparty_relations(tp: ScanResult) -> None:
    assert _fks(_model(tp, "blog.models.Comment")) == [
        ("coupon_id", "external:promo.Coupon", "unresolved", "SET_NULL", 31),
        ("entry_id", "weblog_entry.id", "resolved", "CASCADE", 30),  # bare "Entry": same app label (weblog)
        ("social_id", "social_auth_usersocialauth.id", "external", "SET_NULL", 32),  # django-external-tables
    ]
    comment = _model(tp, "blog.models.Comment")
    assert [(u.expr, u.reason, u.location.short) for u in comment.unresolved] == [
        ("promo.Coupon", "model outside the scanned code", "blog/models.py:31"),
    ]
    assert _fks(_model(tp, "blog.models.Entry")) == [
        ("polymorphic_ctype_id", "django_content_type.id", "external", "CASCADE", 0),
        ("section_id", "weblog_section.id", "resolved", "CASCADE", 21),
    ]
    assert _rels(_model(tp, "blog.models.Entry")) == [
        ("polymorphic_ctype", "django.contrib.contenttypes.models.ContentType", "foreign_key",
         "polymorphic_weblog.entry_set+", "", "external"),
        ("section", "blog.models.Section", "foreign_key", "", "", "resolved"),
        ("tags", "taggit.models.Tag", "many_to_many", "", "taggit_taggeditem", "external"),
    ]
    assert _fks(_model(tp, "blog.models.Article")) == [("entry_ptr_id", "weblog_entry.id", "resolved", "CASCADE", 25)]
    assert _fks(_model(tp, "blog.models.Section")) == [("parent_id", "weblog_section.id", "resolved", "CASCADE", 13)]
    # related_name placeholders are filled in the concrete model only
    assert _rels(_model(tp, "inventory.models.items.Located")) == [
        ("owner", "blog.models.Section", "foreign_key", "%(app_label)s_%(class)s_items", "", "resolved"),
    ]
    assert _rels(_model(tp, "inventory.models.items.Item")) == [
        ("owner", "blog.models.Section", "foreign_key", "inventory_item_items", "", "resolved"),
    ]
    # 30 characters exactly: not shortened
    assert _fks(_model(tp, "people_person_user_permissions")) == [
        ("permission_id", "auth_permission.id", "external", "CASCADE", 9),
        ("person_id", "people_person.id", "resolved", "CASCADE", 9),
    ]
    assert "table names shortened to 30 characters (config django-max-name-length)" in _notes(tp)


# =============================================================================== inline
def test_meta_of_concrete_parent_is_not_inherited(tmp_path: Path) -> None:
    # checked with Django 5.2: C has app_label "zz" (A.Meta via getattr) and table "zz_c"; B keeps its own Meta
    result = _inline(tmp_path, {
        "mx/__init__.py": "",
        "mx/models.py": '''
            from django.db import models

            class A(models.Model):
                class Meta:
                    abstract = True
                    app_label = "zz"

            class B(A):
                name = models.CharField(max_length=10)

                class Meta:
                    db_table = "b_table"

            class C(B):
                pass
        ''',
    })
    assert [(m.class_name, m.table, m.base, m.parent) for m in result.models] == [
        ("mx.models.A", "", "zz", ""),
        ("mx.models.B", "b_table", "mx", ""),
        ("mx.models.C", "zz_c", "zz", "mx.models.B"),
    ]
    assert _fks(_model(result, "mx.models.C")) == [("b_ptr_id", "b_table.id", "resolved", "CASCADE", 14)]


def test_migration_order_follows_dependencies(tmp_path: Path) -> None:
    result = _inline(tmp_path, {
        "app/__init__.py": "",
        "app/models.py": '''
            from django.db import models

            class Item(models.Model):
                name = models.CharField(max_length=10)
        ''',
        "app/migrations/__init__.py": "",
        # sorts first, but renames what 0002_create creates
        "app/migrations/0001_rename.py": '''
            from django.db import migrations

            class Migration(migrations.Migration):
                dependencies = [("app", "0002_create")]
                operations = [migrations.RenameModel("Thing", "Item")]
        ''',
        "app/migrations/0002_create.py": '''
            from django.db import migrations, models

            class Migration(migrations.Migration):
                operations = [
                    migrations.CreateModel(name="Thing", fields=[("id", models.AutoField(primary_key=True))]),
                ]
        ''',
    })
    assert _findings(result, *DRIFT) == []
    assert "Django migrations replayed: 2 files in 1 apps (app); 1 tables in the final state" in _notes(result)


def test_dynamic_table_name_is_reported_not_guessed(tmp_path: Path) -> None:
    result = _inline(tmp_path, {
        "app/__init__.py": "",
        "app/models.py": '''
            import os
            from django.db import models

            PREFIX = "acme"

            class Fixed(models.Model):
                class Meta:
                    db_table = f"{PREFIX}_fixed"

            class Dynamic(models.Model):
                class Meta:
                    db_table = os.environ["TABLE"]
        ''',
        "app/migrations/__init__.py": "",
        "app/migrations/0001_initial.py": '''
            from django.db import migrations, models

            class Migration(migrations.Migration):
                operations = [
                    migrations.CreateModel(name="Fixed", fields=[], options={"db_table": "acme_fixed"}),
                    migrations.CreateModel(name="Dynamic", fields=[], options={"db_table": "dyn"}),
                ]
        ''',
    })
    fixed, dynamic = _model(result, "app.models.Fixed"), _model(result, "app.models.Dynamic")
    assert (fixed.table, fixed.table_status) == ("acme_fixed", "resolved")
    assert (dynamic.table, dynamic.table_status) == ("{os.environ['TABLE']}", "unresolved")
    assert [(u.expr, u.location.short) for u in dynamic.unresolved] == [("os.environ['TABLE']", "app/models.py:12")]
    assert _findings(result, *DRIFT) == []  # the app has a table that does not fold: no table-without-model


def test_user_model_spellings(tmp_path: Path) -> None:
    result = _inline(tmp_path, {
        "proj/__init__.py": "",
        "proj/settings.py": '''
            INSTALLED_APPS = ["members", "notes"]
            AUTH_USER_MODEL = "members.Member"
        ''',
        "members/__init__.py": "",
        "members/models.py": '''
            from django.contrib.auth.models import AbstractUser
            from django.db import models

            class Member(AbstractUser):
                id = models.UUIDField(primary_key=True)
        ''',
        "notes/__init__.py": "",
        "notes/models.py": '''
            from django.conf import settings
            from django.contrib.auth import get_user_model
            from django.db import models

            class Note(models.Model):
                a = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
                b = models.ForeignKey(get_user_model(), on_delete=models.CASCADE, related_name="+")
                c = models.ForeignKey(getattr(settings, "AUTH_USER_MODEL", "auth.User"), models.CASCADE, related_name="+")
                d = models.OneToOneField("members.member", on_delete=models.CASCADE, related_name="+")
                e = models.ForeignKey("notes.Missing", on_delete=models.CASCADE)
                f = models.ForeignKey(undefined_name, on_delete=models.CASCADE)
        ''',
    })
    assert _fks(_model(result, "notes.models.Note")) == [
        ("a_id", "members_member.id", "resolved", "CASCADE", 6),
        ("b_id", "members_member.id", "resolved", "CASCADE", 7),
        ("c_id", "members_member.id", "resolved", "CASCADE", 8),
        ("d_id", "members_member.id", "resolved", "CASCADE", 9),
        ("e_id", "external:notes.Missing", "unresolved", "CASCADE", 10),
        ("f_id", "", "unresolved", "CASCADE", 11),
    ]
    assert _fks(_model(result, "members_member_groups"))[1] == ("member_id", "members_member.id", "resolved", "CASCADE", 4)


def test_custom_field_init_binds_positional_parameters(tmp_path: Path) -> None:
    result = _inline(tmp_path, {
        "app/__init__.py": "",
        "app/fields.py": '''
            from django.db import models

            class NaturalOrderingField(models.CharField):
                def __init__(self, target_field, naturalize_function=None, *args, **kwargs):
                    self.target_field = target_field
                    super().__init__(*args, **kwargs)

            class MACAddressField(models.CharField):
                def __init__(self, *args, **kwargs):
                    kwargs["max_length"] = 18
                    super().__init__(*args, **kwargs)

            class StatusField(models.ForeignKey):
                def __init__(self, *args, related_name=None, **kwargs):
                    kwargs.setdefault("to", "app.Status")
                    kwargs.setdefault("on_delete", models.PROTECT)
                    super().__init__(*args, related_name=related_name, **kwargs)
        ''',
        "app/models.py": '''
            from django.db import models
            from .fields import MACAddressField, NaturalOrderingField, StatusField

            class Status(models.Model):
                name = models.CharField(max_length=20)

            class Device(models.Model):
                name = models.CharField(max_length=64)
                _name = NaturalOrderingField("name", max_length=100, blank=True, db_index=True)
                mac = MACAddressField(max_length=99, null=True)
                status = StatusField(related_name="devices", null=True)
        ''',
    })
    device = _model(result, "app.models.Device")
    assert _cols(device) == [
        ("id", "AutoField", False, True, True, False, "", "", ""),
        ("name", "CharField(max_length=64)", False, False, False, False, "", "", ""),
        ("_name", "NaturalOrderingField(max_length=100)", False, False, False, True, "", "", ""),
        ("mac", "MACAddressField(max_length=18)", True, False, False, False, "", "", ""),
        ("status_id", "StatusField", True, False, False, True, "status", "", ""),
    ]
    assert _fks(device) == [("status_id", "app_status.id", "resolved", "PROTECT", 11)]
    assert _rels(device) == [("status", "app.models.Status", "foreign_key", "devices", "", "resolved")]


def test_duplicate_model_and_postgres_name_limit(tmp_path: Path) -> None:
    long_name = "A" * 70
    result = _inline(tmp_path, {
        "site/__init__.py": "",
        "site/settings.py": '''
            INSTALLED_APPS = ["app"]
            DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "x"}}
        ''',
        "app/__init__.py": "",
        "app/models.py": f'''
            from django.db import models

            class Thing(models.Model):
                pass

            class {long_name}(models.Model):
                tags = models.ManyToManyField(Thing)
        ''',
        "app/other.py": '''
            from django.db import models

            class Thing(models.Model):
                class Meta:
                    app_label = "app"
        ''',
    })
    # values of django.db.backends.utils.truncate_name(..., 63) (PostgreSQL's limit)
    table = "app_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaae841"
    assert _model(result, f"app.models.{long_name}").table == table
    through = _model(result, "app_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaf1f6")
    assert (through.table, _fks(through)) == ("app_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaf1f6", [
        ("a" * 70 + "_id", f"{table}.id", "resolved", "CASCADE", 7),
        ("thing_id", "app_thing.id", "resolved", "CASCADE", 7),
    ])
    assert _findings(result, *DRIFT) == [
        ("duplicate-model", "warning", "app/other.py:3",
         "app.other.Thing and app.models.Thing are both model 'Thing' of app 'app'"),
    ]
    assert "table names shortened to 63 characters (DATABASES ENGINE django.db.backends.postgresql)" in _notes(result)


def test_not_a_django_project(tmp_path: Path) -> None:
    result = _inline(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/models.py": '''
            from pydantic import BaseModel, Field

            class Model(BaseModel):
                name: str = Field(...)
        ''',
    })
    assert result.models == ()


def test_bad_input_never_raises(tmp_path: Path) -> None:
    result = _inline(tmp_path, {
        "app/__init__.py": "",
        "app/models.py": '''
            from django.db import models

            class Cycle(Cycle2):
                pass

            class Cycle2(Cycle):
                pass

            class Odd(models.Model):
                a = models.ForeignKey()
                b = models.ForeignKey(lambda: 1, on_delete=None)
                c = models.CharField(*args, **kw)
                d = models.ManyToManyField(to=42, through=object())
                e = models.CharField(max_length="x" * 3)

                class Meta:
                    db_table = make_name()
                    app_label = 7
                    proxy = maybe

            class Meta(models.Model):
                pass
        ''',
        "app/migrations/__init__.py": "",
        "app/migrations/0001_x.py": '''
            from django.db import migrations

            class Migration(migrations.Migration):
                dependencies = [("app", "0001_x"), 5, None]
                operations = build_ops() + [migrations.CreateModel(), migrations.RenameModel("a"), 3]
        ''',
    })
    assert not [f for f in result.findings if f.rule_id == "analysis-error"]
    odd = _model(result, "app.models.Odd")
    assert odd.table_status == "unresolved"
    assert [c.name for c in odd.columns] == ["id", "a_id", "b_id", "c", "e"]


def test_abstract_model_with_a_concrete_parent_passes_the_parent_link_on(tmp_path: Path) -> None:
    # Label Studio's storages: checked with Django 5.2 (the child's pk is mixin_ptr_id)
    result = _inline(tmp_path, {
        "st/__init__.py": "",
        "st/models.py": '''
            from django.db import models

            class StorageMixin(models.Model):
                bucket = models.TextField()

            class ImportStorageBase(StorageMixin):
                class Meta:
                    abstract = True

            class ImportStorage(ImportStorageBase):
                title = models.TextField()
        ''',
    })
    child = _model(result, "st.models.ImportStorage")
    assert (child.parent, child.inheritance) == ("st.models.StorageMixin", "multi_table")
    assert _cols(child) == [
        ("storagemixin_ptr_id", "OneToOneField", False, True, True, True, "storagemixin_ptr",
         "st.models.ImportStorageBase", ""),
        ("title", "TextField", False, False, False, False, "", "", ""),
    ]
    assert _fks(child) == [("storagemixin_ptr_id", "st_storagemixin.id", "resolved", "CASCADE", 6)]


def test_project_run_from_another_import_root(tmp_path: Path) -> None:
    # the package folder itself is on sys.path at run time (Label Studio): INSTALLED_APPS,
    # AppConfig.name and absolute imports are written without the package prefix
    result = _inline(tmp_path, {
        "studio/__init__.py": "",
        "studio/manage.py": '''
            import os
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings")
        ''',
        "studio/core/__init__.py": "",
        "studio/core/settings.py": 'INSTALLED_APPS = ["core.apps.CoreConfig", "io_storages"]\n',
        "studio/core/apps.py": '''
            from django.apps import AppConfig

            class CoreConfig(AppConfig):
                name = "core"
        ''',
        "studio/core/models.py": '''
            from django.db import models

            class Base(models.Model):
                created = models.DateTimeField()

                class Meta:
                    abstract = True
        ''',
        "studio/io_storages/__init__.py": "",
        "studio/io_storages/s3/__init__.py": "",
        "studio/io_storages/s3/models.py": '''
            from core.models import Base
            from django.db import models

            class S3Storage(Base):
                bucket = models.TextField()
        ''',
    })
    # module names keep the scan's root; labels and tables follow Django's
    assert _rows(result) == [
        ("studio.core.models.Base", "", "none", "model", "core", "", "", True, "studio/core/models.py", 3),
        ("studio.io_storages.s3.models.S3Storage", "io_storages_s3storage", "derived", "model", "io_storages", "", "",
         False, "studio/io_storages/s3/models.py", 4),
    ]
    assert [c.name for c in _model(result, "studio.io_storages.s3.models.S3Storage").columns] == ["id", "created", "bucket"]


def test_migrations_of_test_apps_are_left_out(tmp_path: Path) -> None:
    result = _inline(tmp_path, {
        "app/__init__.py": "",
        "app/tests/__init__.py": "",
        "app/tests/models.py": '''
            from django.db import models

            class Book(models.Model):
                pass
        ''',
        "app/tests/migrations/__init__.py": "",
        "app/tests/migrations/0001_initial.py": '''
            from django.db import migrations

            class Migration(migrations.Migration):
                operations = [migrations.CreateModel(name="Book", fields=[])]
        ''',
    })
    assert result.models == ()
    assert _findings(result, *DRIFT) == []


def test_patterns_from_netbox_and_wagtail(tmp_path: Path) -> None:
    result = _inline(tmp_path, {
        "proj/__init__.py": "",
        "proj/settings.py": '''
            import os
            INSTALLED_APPS = ["django.contrib.contenttypes", "site_core"]
            if os.environ.get("USERS"):
                INSTALLED_APPS.append("site_core.users")
            FEATURE = os.environ.get("FEATURE")
        ''',
        "site_core/__init__.py": "",
        "site_core/apps.py": '''
            from django.apps import AppConfig

            class CoreConfig(AppConfig):
                name = "site_core"
                label = "sitecore"
        ''',
        "site_core/users/__init__.py": "",
        "site_core/users/apps.py": '''
            from modelsearch.apps import ModelSearchAppConfig

            class UsersConfig(ModelSearchAppConfig):
                name = "site_core.users"
                label = "siteusers"
        ''',
        "site_core/users/models.py": '''
            from django.db import models

            class Profile(models.Model):
                bio = models.TextField()
        ''',
        "site_core/models.py": '''
            from django.conf import settings
            from django.contrib.contenttypes.models import ContentType
            from django.db import models
            from modelsearch.abstract_models import AbstractIndexEntry

            class ObjectType(ContentType):
                contenttype_ptr = models.OneToOneField(ContentType, models.CASCADE, parent_link=True, primary_key=True)
                public = models.BooleanField(default=True)

            class Tagged(ContentType):
                pass

            class IndexEntry(AbstractIndexEntry):
                class Meta(AbstractIndexEntry.Meta):
                    abstract = False

            if settings.FEATURE:
                class Extra(models.Model):
                    pass
        ''',
        "site_core/migrations/__init__.py": "",
        "site_core/migrations/0001_initial.py": '''
            import django.db.models.deletion
            from django.db import migrations, models

            class DeleteModelIfExists(migrations.DeleteModel):
                pass

            class Migration(migrations.Migration):
                operations = [
                    migrations.CreateModel(
                        name="ObjectType",
                        fields=[
                            ("contenttype_ptr", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to="contenttypes.contenttype")),
                            ("public", models.BooleanField(default=True)),
                        ],
                        bases=("contenttypes.contenttype",),
                    ),
                    migrations.CreateModel(name="Tagged", fields=[], bases=("contenttypes.contenttype",)),
                    migrations.CreateModel(name="IndexEntry", fields=[]),
                    migrations.CreateModel(name="Gone", fields=[]),
                    DeleteModelIfExists(name="Gone"),
                ]
        ''',
    })
    rows = {m.class_name: (m.table, m.base, m.parent, m.inheritance, dict(m.options)) for m in result.models}
    # the longest app name wins, also over an installed app and for a third-party AppConfig base
    assert rows["site_core.users.models.Profile"][:2] == ("siteusers_profile", "siteusers")
    assert rows["site_core.users.models.Profile"][4]["app_label_from"] == "AppConfig site_core.users.apps.UsersConfig"
    # multi-table inheritance from a django.contrib model outside the scan
    object_type = _model(result, "site_core.models.ObjectType")
    assert (object_type.parent, object_type.inheritance) == ("django.contrib.contenttypes.models.ContentType", "multi_table")
    assert _cols(object_type) == [
        ("contenttype_ptr_id", "OneToOneField", False, True, True, True, "contenttype_ptr", "", ""),
        ("public", "BooleanField", False, False, False, False, "", "", "True"),
    ]
    assert _fks(object_type) == [("contenttype_ptr_id", "django_content_type.id", "external", "CASCADE", 7)]
    assert _cols(_model(result, "site_core.models.Tagged")) == [
        ("contenttype_ptr_id", "OneToOneField", False, True, True, True, "contenttype_ptr", "", ""),
    ]
    # an external abstract model from an "abstract_models" module: a model, its fields unknown
    index = _model(result, "site_core.models.IndexEntry")
    assert (index.table, index.columns) == ("sitecore_indexentry", ())
    assert [u.expr for u in index.unresolved] == ["modelsearch.abstract_models.AbstractIndexEntry"]
    assert rows["site_core.models.Extra"][4]["condition"] == "settings.FEATURE"
    # DeleteModelIfExists acts as DeleteModel; a conditional model without a migration is only info
    assert _findings(result, *DRIFT) == [
        ("model-without-migration", "info", "site_core/models.py:18",
         "table sitecore_extra of site_core.models.Extra is not created by any migration of app 'sitecore' "
         "(the model is defined only if settings.FEATURE)"),
    ]


def test_graphene_abstract_types_are_not_models_and_swapper_targets(tmp_path: Path) -> None:
    result = _inline(tmp_path, {
        "app/__init__.py": "",
        "app/types.py": '''
            import graphene
            from graphene import AbstractType

            class SessionBase(AbstractType):
                data = graphene.Field(graphene.String)

                class Meta:
                    abstract = True
        ''',
        "app/models.py": '''
            import swapper
            from django.db import models

            class Page(models.Model):
                title = models.CharField(max_length=10)

            class Redirect(models.Model):
                page = models.ForeignKey(swapper.get_model_name("app", "Page"), on_delete=models.CASCADE)
        ''',
    })
    assert [m.class_name for m in result.models] == ["app.models.Page", "app.models.Redirect"]
    assert _fks(_model(result, "app.models.Redirect")) == [("page_id", "app_page.id", "resolved", "CASCADE", 8)]


def test_external_tables_config_for_class_objects(tmp_path: Path) -> None:
    result = _inline(tmp_path, {
        "jobs/__init__.py": "",
        "jobs/models.py": '''
            from django.db import models
            from django_celery_beat.models import ClockedSchedule, SolarSchedule

            class ScheduledJob(models.Model):
                clocked = models.ForeignKey(ClockedSchedule, null=True, on_delete=models.PROTECT)
                solar = models.ForeignKey(SolarSchedule, null=True, on_delete=models.PROTECT)
        ''',
    }, extra=(("django-external-tables", {
        "django_celery_beat.ClockedSchedule": "django_celery_beat_clockedschedule.id",  # label form
    }),))
    assert _fks(_model(result, "jobs.models.ScheduledJob")) == [
        ("clocked_id", "django_celery_beat_clockedschedule.id", "external", "PROTECT", 5),
        ("solar_id", "external:django_celery_beat.models.SolarSchedule", "unresolved", "PROTECT", 6),
    ]
