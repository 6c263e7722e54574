"""What the project uses, per concern, with evidence (``file:line``) for every claim.

Concerns: web framework, API toolkit, ORM, database driver, migrations, task
queue, cache, auth, settings, logging, metrics, tracing, error tracking, HTTP
client, test tooling, and deployment (read by :mod:`backendscan.deployment`).

A component is recognised from what the code imports (first-party code for
runtime concerns, test modules for test tooling), from declared dependencies
(servers and drivers are often declared but never imported), from
configuration files (``alembic.ini``, ``pytest.ini``, ``[tool.pytest...]``) and
from facts the analyzers found (migration modules, auth evidence on routes,
Django settings such as ``CACHES``).  The version is the pinned one when a lock
file or ``==`` pin gives it, else the declared specifier.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Mapping

from .deployment import Deployment, read_deployment
from .model import FileKind, ImportSite, Module, Origin

if TYPE_CHECKING:  # pragma: no cover
    from .pipeline import ScanResult


@dataclass(frozen=True)
class Evidence:
    """Why we believe something: what was seen and where."""

    text: str
    file: str
    line: int = 0

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class Component:
    """One library or tool the project uses for a concern."""

    concern: str
    name: str
    distribution: str
    version: str  # pinned version, else the declared specifier, else ""
    declared: bool
    evidence: tuple[Evidence, ...]
    uses: int = 0  # import statements in the code


#: concern -> [(display name, distribution, import prefixes)]; order = display order
SIGNATURES: tuple[tuple[str, tuple[tuple[str, str, tuple[str, ...]], ...]], ...] = (
    ("web framework", (
        ("FastAPI", "fastapi", ("fastapi",)),
        ("Flask", "flask", ("flask",)),
        ("Django", "django", ("django",)),
        ("Starlette", "starlette", ("starlette",)),
        ("Litestar", "litestar", ("litestar",)),
        ("aiohttp server", "aiohttp", ("aiohttp.web",)),
        ("Sanic", "sanic", ("sanic",)),
        ("Tornado", "tornado", ("tornado",)),
        ("Falcon", "falcon", ("falcon",)),
        ("Pyramid", "pyramid", ("pyramid",)),
        ("Quart", "quart", ("quart",)),
        ("Bottle", "bottle", ("bottle",)),
    )),
    ("API toolkit", (
        ("Django REST framework", "djangorestframework", ("rest_framework",)),
        ("Django Ninja", "django-ninja", ("ninja",)),
        ("Flask-RESTX", "flask-restx", ("flask_restx",)),
        ("Flask-RESTful", "flask-restful", ("flask_restful",)),
        ("flask-smorest", "flask-smorest", ("flask_smorest",)),
        ("Flask-AppBuilder", "flask-appbuilder", ("flask_appbuilder",)),
        ("Connexion", "connexion", ("connexion",)),
        ("Graphene", "graphene", ("graphene",)),
        ("Strawberry GraphQL", "strawberry-graphql", ("strawberry",)),
        ("Pydantic", "pydantic", ("pydantic",)),
        ("marshmallow", "marshmallow", ("marshmallow",)),
        ("drf-spectacular", "drf-spectacular", ("drf_spectacular",)),
    )),
    ("ORM", (
        ("SQLAlchemy", "sqlalchemy", ("sqlalchemy",)),
        ("SQLModel", "sqlmodel", ("sqlmodel",)),
        ("Flask-SQLAlchemy", "flask-sqlalchemy", ("flask_sqlalchemy",)),
        ("Django ORM", "django", ("django.db",)),
        ("Tortoise ORM", "tortoise-orm", ("tortoise",)),
        ("Peewee", "peewee", ("peewee",)),
        ("Pony ORM", "pony", ("pony",)),
        ("MongoEngine", "mongoengine", ("mongoengine",)),
        ("Beanie", "beanie", ("beanie",)),
        ("ODMantic", "odmantic", ("odmantic",)),
        ("databases", "databases", ("databases",)),
    )),
    ("database driver", (
        ("psycopg 3", "psycopg", ("psycopg",)),
        ("psycopg2", "psycopg2", ("psycopg2",)),
        ("psycopg2 (binary)", "psycopg2-binary", ()),
        ("asyncpg", "asyncpg", ("asyncpg",)),
        ("PyMySQL", "pymysql", ("pymysql",)),
        ("mysqlclient", "mysqlclient", ("MySQLdb",)),
        ("aiosqlite", "aiosqlite", ("aiosqlite",)),
        ("sqlite3", "", ("sqlite3",)),
        ("PyMongo", "pymongo", ("pymongo",)),
        ("Motor", "motor", ("motor",)),
        ("cx_Oracle / oracledb", "oracledb", ("oracledb", "cx_Oracle")),
        ("pyodbc", "pyodbc", ("pyodbc",)),
    )),
    ("migrations", (
        ("Alembic", "alembic", ("alembic",)),
        ("Flask-Migrate", "flask-migrate", ("flask_migrate",)),
        ("Django migrations", "django", ("django.db.migrations",)),
        ("Aerich", "aerich", ("aerich",)),
        ("yoyo-migrations", "yoyo-migrations", ("yoyo",)),
    )),
    ("task queue", (
        ("Celery", "celery", ("celery",)),
        ("RQ", "rq", ("rq",)),
        ("Dramatiq", "dramatiq", ("dramatiq",)),
        ("Huey", "huey", ("huey",)),
        ("arq", "arq", ("arq",)),
        ("Taskiq", "taskiq", ("taskiq",)),
        ("APScheduler", "apscheduler", ("apscheduler",)),
        ("django-celery-beat", "django-celery-beat", ("django_celery_beat",)),
        ("Kombu", "kombu", ("kombu",)),
    )),
    ("cache", (
        ("Redis", "redis", ("redis",)),
        ("django-redis", "django-redis", ("django_redis",)),
        ("Flask-Caching", "flask-caching", ("flask_caching",)),
        ("fastapi-cache", "fastapi-cache2", ("fastapi_cache",)),
        ("aiocache", "aiocache", ("aiocache",)),
        ("cachetools", "cachetools", ("cachetools",)),
        ("pymemcache", "pymemcache", ("pymemcache",)),
        ("Django cache framework", "django", ("django.core.cache", "django.views.decorators.cache")),
    )),
    ("auth", (
        ("FastAPI security", "fastapi", ("fastapi.security",)),
        ("PyJWT", "pyjwt", ("jwt",)),
        ("python-jose", "python-jose", ("jose",)),
        ("passlib", "passlib", ("passlib",)),
        ("bcrypt", "bcrypt", ("bcrypt",)),
        ("Authlib", "authlib", ("authlib",)),
        ("Flask-Login", "flask-login", ("flask_login",)),
        ("Flask-JWT-Extended", "flask-jwt-extended", ("flask_jwt_extended",)),
        ("Django auth", "django", ("django.contrib.auth",)),
        ("Simple JWT", "djangorestframework-simplejwt", ("rest_framework_simplejwt",)),
        ("django-allauth", "django-allauth", ("allauth",)),
        ("FastAPI Users", "fastapi-users", ("fastapi_users",)),
        ("itsdangerous", "itsdangerous", ("itsdangerous",)),
        ("oauthlib", "oauthlib", ("oauthlib",)),
    )),
    ("settings", (
        ("pydantic-settings", "pydantic-settings", ("pydantic_settings",)),
        ("Django settings", "django", ("django.conf",)),
        ("python-dotenv", "python-dotenv", ("dotenv",)),
        ("django-environ", "django-environ", ("environ",)),
        ("environs", "environs", ("environs",)),
        ("python-decouple", "python-decouple", ("decouple",)),
        ("Dynaconf", "dynaconf", ("dynaconf",)),
    )),
    ("logging", (
        ("logging (stdlib)", "", ("logging",)),
        ("structlog", "structlog", ("structlog",)),
        ("Loguru", "loguru", ("loguru",)),
        ("python-json-logger", "python-json-logger", ("pythonjsonlogger",)),
    )),
    ("metrics", (
        ("Prometheus client", "prometheus-client", ("prometheus_client",)),
        ("prometheus-fastapi-instrumentator", "prometheus-fastapi-instrumentator", ("prometheus_fastapi_instrumentator",)),
        ("django-prometheus", "django-prometheus", ("django_prometheus",)),
        ("StatsD", "statsd", ("statsd",)),
        ("Datadog", "datadog", ("datadog",)),
        ("OpenTelemetry metrics", "opentelemetry-api", ("opentelemetry.metrics",)),
    )),
    ("tracing", (
        ("OpenTelemetry", "opentelemetry-api", ("opentelemetry",)),
        ("ddtrace (Datadog APM)", "ddtrace", ("ddtrace",)),
        ("Elastic APM", "elastic-apm", ("elasticapm",)),
        ("New Relic", "newrelic", ("newrelic",)),
        ("Jaeger client", "jaeger-client", ("jaeger_client",)),
        ("Sentry performance", "sentry-sdk", ()),
    )),
    ("error tracking", (
        ("Sentry", "sentry-sdk", ("sentry_sdk", "raven")),
        ("Rollbar", "rollbar", ("rollbar",)),
        ("Bugsnag", "bugsnag", ("bugsnag",)),
    )),
    ("HTTP client", (
        ("HTTPX", "httpx", ("httpx",)),
        ("Requests", "requests", ("requests",)),
        ("aiohttp client", "aiohttp", ("aiohttp",)),
        ("urllib3", "urllib3", ("urllib3",)),
        ("urllib (stdlib)", "", ("urllib.request",)),
    )),
    ("test tooling", (
        ("pytest", "pytest", ("pytest",)),
        ("unittest (stdlib)", "", ("unittest",)),
        ("Hypothesis", "hypothesis", ("hypothesis",)),
        ("factory_boy", "factory-boy", ("factory",)),
        ("Faker", "faker", ("faker",)),
        ("pytest-django", "pytest-django", ("pytest_django",)),
        ("pytest-asyncio", "pytest-asyncio", ("pytest_asyncio",)),
        ("FastAPI/Starlette TestClient", "", ("fastapi.testclient", "starlette.testclient")),
        ("responses", "responses", ("responses",)),
        ("respx", "respx", ("respx",)),
        ("freezegun", "freezegun", ("freezegun",)),
        ("coverage", "coverage", ()),
        ("pytest-cov", "pytest-cov", ()),
        ("pytest-xdist", "pytest-xdist", ()),
        ("tox", "tox", ()),
        ("nox", "nox", ("nox",)),
        ("mypy", "mypy", ()),
        ("Ruff", "ruff", ()),
    )),
    ("web server", (
        ("Gunicorn", "gunicorn", ("gunicorn",)),
        ("Uvicorn", "uvicorn", ("uvicorn",)),
        ("Daphne", "daphne", ("daphne",)),
        ("Hypercorn", "hypercorn", ("hypercorn",)),
        ("uWSGI", "uwsgi", ()),
        ("Waitress", "waitress", ("waitress",)),
        ("Granian", "granian", ()),
    )),
)

CONCERNS = tuple(c for c, _ in SIGNATURES)
_TEST_CONCERNS = {"test tooling"}
#: concerns whose tools work without being imported (servers, drivers, CLIs): declared is enough
_DECLARED_ONLY = {"database driver", "web server", "test tooling", "migrations"}
#: command wrappers that turn on tracing without an import
_TRACING_WRAPPERS = {"opentelemetry-instrument": "OpenTelemetry", "ddtrace-run": "ddtrace (Datadog APM)", "newrelic-admin": "New Relic"}


@dataclass(frozen=True)
class Stack:
    """Components per concern plus the deployment."""

    components: tuple[Component, ...] = ()
    deployment: Deployment = field(default_factory=Deployment)

    def of(self, concern: str) -> tuple[Component, ...]:
        return tuple(c for c in self.components if c.concern == concern)

    def has(self, concern: str, name: str | None = None) -> bool:
        return any(c.concern == concern and (name is None or c.name == name) for c in self.components)

    @property
    def concerns(self) -> tuple[str, ...]:
        seen = {c.concern for c in self.components}
        return tuple(c for c in CONCERNS if c in seen)


def detect_stack(result: "ScanResult") -> Stack:
    """The stack of a scanned project (see the module docstring)."""
    kinds = {m.name: m.kind for m in result.modules}
    runtime_sites: list[ImportSite] = []
    test_sites: list[ImportSite] = []
    for s in result.imports:
        if s.origin not in (Origin.THIRD_PARTY, Origin.STDLIB):
            continue
        kind = kinds.get(s.importer)
        (test_sites if kind is FileKind.TEST else runtime_sites).append(s)
    deps = {d.name: d for d in result.declarations.dependencies}
    aux: Mapping[str, str] = result.project.aux_files if result.project is not None else {}
    migration_modules = [m for m in result.modules if m.kind is FileKind.MIGRATION and m.path]

    deployment = read_deployment(aux)
    # import sites by every dotted prefix of their target: one dict lookup per signature prefix
    by_prefix: dict[tuple[bool, str], list[ImportSite]] = {}
    for is_test, sites in ((False, runtime_sites), (True, test_sites)):
        for s in sites:
            parts = s.target.split(".")
            for i in range(1, len(parts) + 1):
                by_prefix.setdefault((is_test, ".".join(parts[:i])), []).append(s)
    components: list[Component] = []
    for concern, sigs in SIGNATURES:
        is_test = concern in _TEST_CONCERNS
        for name, dist, prefixes in sigs:
            hits = {id(s): s for p in prefixes for s in by_prefix.get((is_test, p), ())}
            found = sorted(
                hits.values(),
                key=lambda s: (kinds.get(s.importer) is FileKind.MIGRATION, "/." in "/" + s.location.path, s.sort_key()),
            )
            evidence = [Evidence(s.code.strip() or f"import {s.target}", s.location.path, s.location.line) for s in found[:2]]
            dep = deps.get(dist) if dist else None
            if name == "Sentry performance":
                extra = list(_sentry_traces(result))
                if not extra:
                    continue
            else:
                extra = _config_evidence(concern, name, aux, migration_modules, result, deployment)
            if not found and not extra and (dep is None or concern not in _DECLARED_ONLY):
                continue
            evidence.extend(extra)
            if dep is not None:
                evidence.append(Evidence(f"declared: {dep.spec}", *_split(dep.source)))
            version = (dep.version or _specifier(dep.spec)) if dep is not None else ""
            components.append(
                Component(concern, name, dist, version, dep is not None, tuple(evidence[:4]), len(found))
            )
    return Stack(tuple(components), deployment)


def _split(source: str) -> tuple[str, int]:
    path, _, line = source.partition(":")
    return path, int(line) if line.isdigit() else 0


def _specifier(spec: str) -> str:
    m = re.search(r"(===?|~=|>=|<=|!=|<|>)\s*[^;,\s]+(\s*,\s*(===?|~=|>=|<=|!=|<|>)\s*[^;,\s]+)*", spec)
    return m.group(0).replace(" ", "") if m else ""


def _sentry_traces(result: "ScanResult") -> tuple[Evidence, ...]:
    """``sentry_sdk.init(traces_sample_rate=...)`` in application code turns on Sentry performance tracing."""
    p = result.project
    if p is None:
        return ()
    out = []
    for module, syms in sorted(p.symbols.items()):
        mod = p.modules.get(module)
        if mod is None or mod.kind is FileKind.TEST or not any(b.target.startswith("sentry_sdk") for b in syms.bindings):
            continue
        for a in syms.assignments:
            if "traces_sample_rate" in a.target or "TRACES_SAMPLE_RATE" in a.target:
                out.append(Evidence(a.target, p.path_of(module), a.line))
        for c in syms.calls:
            if c.callee.endswith("sentry_sdk.init") or c.callee == "init" and any(b.target == "sentry_sdk.init" for b in syms.bindings):
                out.append(Evidence("sentry_sdk.init(...)", p.path_of(module), c.line))
    return tuple(out[:1])


def _config_evidence(
    concern: str, name: str, files: Mapping[str, str], migration_modules: list[Module], result: "ScanResult", deployment: Deployment
) -> list[Evidence]:
    out: list[Evidence] = []
    if concern == "tracing":
        for p in deployment.processes:
            for wrapper, traced in _TRACING_WRAPPERS.items():
                if traced == name and wrapper in p.command.split():
                    out.append(Evidence(f"runs under {wrapper}", p.file, p.line))
    elif concern == "web server":
        for p in deployment.processes:
            if p.server and p.server == name.lower() and not p.command_from:
                out.append(Evidence(p.command[:80], p.file, p.line))
                break
    elif concern == "migrations" and name == "Alembic":
        for path in sorted(files):
            if path.rsplit("/", 1)[-1] == "alembic.ini":
                out.append(Evidence("alembic.ini", path, 1))
        versions = [m for m in migration_modules if "/versions/" in "/" + m.path]
        if versions:
            out.append(Evidence(f"{len(versions)} revision file{'s' if len(versions) != 1 else ''}", versions[0].path, 1))
    elif concern == "migrations" and name == "Django migrations":
        dj = [m for m in migration_modules if re.search(r"(^|/)migrations/\d{4}_", m.path)]
        if dj:
            out.append(Evidence(f"{len(dj)} migration file{'s' if len(dj) != 1 else ''}", dj[0].path, 1))
    elif concern == "test tooling" and name == "pytest":
        for path in sorted(files):
            base = path.rsplit("/", 1)[-1]
            text = files[path]
            if base in ("pytest.ini",) or (base in ("pyproject.toml", "setup.cfg", "tox.ini") and re.search(r"^\[(tool[.:])?pytest", text, re.M)):
                m = re.search(r"^\[(tool[.:])?pytest[^\]]*\]", text, re.M)
                line = text.count("\n", 0, m.start()) + 1 if m else 1
                out.append(Evidence("pytest configuration", path, line))
    elif concern in ("cache", "logging") and result.project is not None and result.project.django_settings_modules:
        key = {"cache": "CACHES", "logging": "LOGGING"}[concern]
        if name in ("Django cache framework", "logging (stdlib)"):
            proj = result.project
            for module in proj.django_settings_modules:
                syms = proj.symbols.get(module)
                if syms is None:
                    continue
                for a in syms.assignments:
                    if a.scope == "" and a.target == key:
                        out.append(Evidence(f"{key} setting", proj.path_of(module), a.line))
                        break
    return out
