"""Framework facts found by the analyzers: routes, ORM models, tasks and their producers.

Facts say what exists; judgements about them are findings.  Every fact points at
``file``/``line`` (POSIX path relative to the scanned root, 1-based line).  Values
that static analysis could not compute are never guessed: a ``*_status`` field
says ``resolved``, ``partial`` or ``unresolved`` and ``unresolved`` lists the
expressions and where they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Location, Unresolved

RESOLVED = "resolved"
PARTIAL = "partial"
UNRESOLVED = "unresolved"


@dataclass(frozen=True, slots=True)
class AuthEvidence:
    """Something that protects (or explicitly opens) a route, and where it was attached."""

    kind: str  # dependency, security, decorator, permission_class, authentication_class, mixin,
    #            before_request, settings_default, middleware, class_decorators
    name: str  # e.g. "get_current_user", "IsAuthenticated", "login_required"
    attached: str  # route, router, include, app, class, blueprint, settings, handler_parameter
    location: Location
    public: bool = False  # True for explicit opt-outs such as AllowAny or login_not_required
    inherited_from: str = ""  # e.g. "shop.api.router:api_router" or a base class


@dataclass(frozen=True, slots=True)
class Route:
    """One (path, methods, handler) served by an application."""

    framework: str  # fastapi, starlette, flask, django, drf
    methods: tuple[str, ...]  # upper case; ("ANY",) for unrestricted Django function views
    path: str  # normalised: every parameter written {name}
    raw_path: str  # the framework's own spelling, prefixes composed
    path_status: str  # resolved | partial | unresolved
    handler: str  # dotted module.qualname of the function, method or class
    file: str  # handler definition (or registration site when the handler is not resolvable)
    line: int
    auth: tuple[AuthEvidence, ...] = ()
    unresolved: tuple[Unresolved, ...] = ()
    group: str = ""  # router / blueprint / urlconf / app the route belongs to (dotted object name)
    app: str = ""  # root application object (dotted), "" when not attached to a known app
    registered_at: Location | None = None
    name: str = ""  # route/endpoint/url name
    conditions: tuple[str, ...] = ()  # source text of enclosing if-tests, e.g. "settings.DEBUG"
    is_async: bool = False
    options: tuple[tuple[str, str], ...] = ()  # decorator/registration keywords as source text
    kind: str = "http"  # http, websocket, mount, static
    orphan: bool = False  # defined on a router/blueprint that no app includes

    def sort_key(self) -> tuple[object, ...]:
        return (self.path, self.methods, self.handler, self.file, self.line)


@dataclass(frozen=True, slots=True)
class Column:
    """A mapped column."""

    name: str  # column name in the database
    type: str  # SQL/ORM type as written, e.g. "String(120)", "Integer", "ForeignKey"
    nullable: bool | None
    primary_key: bool = False
    unique: bool = False
    index: bool = False
    attribute: str = ""  # Python attribute when it differs from the column name
    line: int = 0
    inherited_from: str = ""  # mixin / abstract base the column comes from
    default: str = ""


@dataclass(frozen=True, slots=True)
class ForeignKey:
    """``column`` references ``references`` (``table.column``)."""

    column: str
    references: str
    status: str = RESOLVED
    on_delete: str = ""
    line: int = 0
    expr: str = ""  # source text when unresolved


@dataclass(frozen=True, slots=True)
class Relationship:
    """An ORM-level relation (SQLAlchemy ``relationship``, Django FK/M2M/O2O accessors)."""

    name: str
    target: str  # dotted class path when resolved, else the expression as written
    kind: str = "relationship"  # relationship, foreign_key, one_to_one, many_to_many, backref
    back_populates: str = ""
    backref: str = ""
    secondary: str = ""  # association / through table name
    status: str = RESOLVED
    line: int = 0  # in the file of inherited_from when set (or of the class declaring a backref)
    inherited_from: str = ""  # mixin / abstract base the relationship comes from


@dataclass(frozen=True, slots=True)
class OrmModel:
    """A mapped class (or a table without a class, such as an association table)."""

    orm: str  # sqlalchemy, flask_sqlalchemy, sqlmodel, django
    class_name: str  # dotted path ("" for a bare Table)
    table: str
    table_status: str  # resolved | derived | inherited | unresolved | none (abstract/proxy)
    file: str
    line: int
    columns: tuple[Column, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    relationships: tuple[Relationship, ...] = ()
    schema: str = ""
    kind: str = "model"  # model, table, m2m
    abstract: bool = False
    base: str = ""  # declarative base / metadata group / Django app label
    parent: str = ""  # mapped parent class for inheritance
    inheritance: str = ""  # single, joined, multi_table, proxy
    unresolved: tuple[Unresolved, ...] = ()
    options: tuple[tuple[str, str], ...] = ()  # e.g. (("app_label", "polls"), ("managed", "False"))
    methods: tuple[str, ...] = ()  # methods the class defines (for conventions such as __repr__)

    def sort_key(self) -> tuple[object, ...]:
        return (self.table, self.class_name, self.file, self.line)

    @property
    def provided_by(self) -> str:
        """The framework that brings this table (Flask-AppBuilder's ``ab_*``), "" for the project's own.

        Such a table is listed at the code that enables it and shown in the data model, but it
        is not the project's to change: checks and rules about models leave it out.
        """
        return next((v for k, v in self.options if k == "registered_by"), "")

    @property
    def framework_provided(self) -> bool:
        return bool(self.provided_by)


@dataclass(frozen=True, slots=True)
class TaskCall:
    """A place that starts a task: ``.delay()``, ``.apply_async()``, ``send_task("name")``, ..."""

    task: str  # the task name it starts ("" when unresolved)
    method: str  # delay, apply_async, s, si, signature, send_task, enqueue, send, ...
    file: str
    line: int
    caller: str  # dotted module.qualname of the enclosing function ("" at module level)
    status: str = RESOLVED
    expr: str = ""
    function: str = ""  # dotted task function when resolved through code
    options: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Task:
    """A background task definition."""

    framework: str  # celery, rq, dramatiq
    name: str  # registered name
    name_status: str  # resolved (explicit), default (computed), partial, unresolved
    function: str  # dotted module.qualname
    file: str
    line: int
    options: tuple[tuple[str, str], ...] = ()  # decorator options as source text
    queue: str = ""
    app: str = ""  # dotted name of the Celery app / broker the task is bound to
    callers: tuple[TaskCall, ...] = ()
    kind: str = "function"  # function, class
    is_async: bool = False
    unresolved: tuple[Unresolved, ...] = ()  # parts of the name static analysis could not compute
    registered_at: Location | None = None  # imperative registration (register_task, app.task(f), ...)
    loaded_by: str = ""  # how the worker imports the module: include, imports, autodiscover, app module, ...

    def sort_key(self) -> tuple[object, ...]:
        return (self.name, self.function, self.file, self.line)


@dataclass(frozen=True, slots=True)
class BeatEntry:
    """A periodic schedule entry."""

    entry: str
    task: str
    schedule: str  # source text, e.g. "crontab(hour=2, minute=0)" or "300.0"
    file: str
    line: int
    source: str = "beat_schedule"  # beat_schedule, add_periodic_task, periodic_task, rq-scheduler
    status: str = RESOLVED
    options: tuple[tuple[str, str], ...] = ()
    function: str = ""  # dotted task function when the task name matches a known task
    conditions: tuple[str, ...] = ()  # source text of enclosing if-tests ("not (X)" in else branches)
    framework: str = "celery"
