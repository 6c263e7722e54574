"""Declared third-party dependencies, and how they line up with what the code imports.

Declarations are read from ``pyproject.toml`` (PEP 621 dependencies and extras,
PEP 735 dependency groups, Poetry), ``requirements*.txt`` (also under
``requirements/``), ``setup.cfg``, ``setup.py`` and ``Pipfile``; pinned versions
from ``==`` pins and lock files (``poetry.lock``, ``uv.lock``, ``Pipfile.lock``,
``pdm.lock``).  Import names are mapped to distributions with a table of the
well-known mismatches (``yaml`` -> ``pyyaml``) plus name normalisation.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from .model import Dependency, Finding, ImportSite, Location, Origin, Severity

_NAME_RE = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$")
_PIN_RE = re.compile(r"===?\s*([A-Za-z0-9.+!*-]+)")

#: import name -> distribution, for names that differ (lower-case distribution names)
IMPORT_TO_DIST: dict[str, str] = {
    "yaml": "pyyaml",
    "PIL": "pillow",
    "sklearn": "scikit-learn",
    "bs4": "beautifulsoup4",
    "jwt": "pyjwt",
    "dateutil": "python-dateutil",
    "dotenv": "python-dotenv",
    "jose": "python-jose",
    "magic": "python-magic",
    "multipart": "python-multipart",
    "python_multipart": "python-multipart",
    "google.protobuf": "protobuf",
    "MySQLdb": "mysqlclient",
    "OpenSSL": "pyopenssl",
    "Crypto": "pycryptodome",
    "Cryptodome": "pycryptodomex",
    "attr": "attrs",
    "rest_framework": "djangorestframework",
    "rest_framework_simplejwt": "djangorestframework-simplejwt",
    "django_filters": "django-filter",
    "corsheaders": "django-cors-headers",
    "environ": "django-environ",
    "debug_toolbar": "django-debug-toolbar",
    "django_celery_beat": "django-celery-beat",
    "django_celery_results": "django-celery-results",
    "django_extensions": "django-extensions",
    "storages": "django-storages",
    "taggit": "django-taggit",
    "mptt": "django-mptt",
    "polymorphic": "django-polymorphic",
    "allauth": "django-allauth",
    "crispy_forms": "django-crispy-forms",
    "drf_spectacular": "drf-spectacular",
    "social_django": "social-auth-app-django",
    "flask_sqlalchemy": "flask-sqlalchemy",
    "flask_login": "flask-login",
    "flask_restful": "flask-restful",
    "flask_restx": "flask-restx",
    "flask_migrate": "flask-migrate",
    "flask_wtf": "flask-wtf",
    "flask_cors": "flask-cors",
    "flask_jwt_extended": "flask-jwt-extended",
    "flask_smorest": "flask-smorest",
    "flask_appbuilder": "flask-appbuilder",
    "pydantic_settings": "pydantic-settings",
    "psycopg2": "psycopg2",
    "psycopg": "psycopg",
    "pkg_resources": "setuptools",
    "setuptools": "setuptools",
    "git": "gitpython",
    "socks": "pysocks",
    "serial": "pyserial",
    "usb": "pyusb",
    "zmq": "pyzmq",
    "win32api": "pywin32",
    "ldap": "python-ldap",
    "slugify": "python-slugify",
    "docx": "python-docx",
    "pptx": "python-pptx",
    "telegram": "python-telegram-bot",
    "nacl": "pynacl",
    "Levenshtein": "python-levenshtein",
    "opentelemetry": "opentelemetry-api",
    "sentry_sdk": "sentry-sdk",
    "ddtrace": "ddtrace",
    "prometheus_client": "prometheus-client",
    "email_validator": "email-validator",
    "passlib": "passlib",
    "jinja2": "jinja2",
    "markdown_it": "markdown-it-py",
    "sqlmodel": "sqlmodel",
    "starlette": "starlette",
    "kombu": "kombu",
    "grpc": "grpcio",
    "ruamel": "ruamel.yaml",
    "importlib_metadata": "importlib-metadata",
    "typing_extensions": "typing-extensions",
    "tomli": "tomli",
    "libcst": "libcst",
    "hypothesmith": "hypothesmith",
    "pytest_asyncio": "pytest-asyncio",
    "pytest_django": "pytest-django",
    "factory": "factory-boy",
    "faker": "faker",
    "freezegun": "freezegun",
}

#: distributions that provide other import names too
EXTRA_PROVIDES: dict[str, tuple[str, ...]] = {
    "fastapi": ("starlette",),
    "celery": ("kombu", "billiard", "vine"),
    "flask": ("werkzeug", "jinja2", "itsdangerous", "click", "markupsafe"),
    "django": ("asgiref", "sqlparse"),
    "sqlmodel": ("sqlalchemy", "pydantic"),
    "pydantic-settings": ("pydantic",),
    "boto3": ("botocore",),
    "uvicorn": ("h11",),
    "httpx": ("httpcore", "anyio"),
    "psycopg2-binary": ("psycopg2",),
    "psycopg-binary": ("psycopg",),
    "opentelemetry-sdk": ("opentelemetry",),
    "opentelemetry-distro": ("opentelemetry",),
    "apache-airflow": ("airflow",),
    "pyjwt": ("jwt",),
}

#: distributions that are normally used without being imported (servers, drivers, plugins, tools)
RUNTIME_ONLY = frozenset(
    "uvicorn gunicorn daphne hypercorn waitress uwsgi psycopg2 psycopg2-binary psycopg psycopg-binary "
    "asyncpg aiosqlite pymysql mysqlclient cx-oracle oracledb pyodbc python-multipart email-validator "
    "whitenoise gevent eventlet flower supervisor setuptools wheel pip pytest pytest-cov pytest-xdist "
    "pytest-asyncio pytest-django pytest-mock coverage mypy ruff black isort flake8 pylint pre-commit "
    "tox nox types-requests types-pyyaml django-stubs celery-types orjson ujson "
    "uvloop httptools watchfiles websockets".split()
)


def normalise(name: str) -> str:
    """PEP 503 normalised distribution name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_requirement(spec: str) -> tuple[str, str] | None:
    """``("name", "version pin or ''")`` of a PEP 508 string; None for options/URLs."""
    spec = spec.split(";", 1)[0].split("#", 1)[0].strip()
    if not spec or spec.startswith(("-", "git+", "http:", "https:", "file:", ".", "/")):
        return None
    m = _NAME_RE.match(spec)
    if not m:
        return None
    pin = _PIN_RE.search(m.group(3) or "")
    return normalise(m.group(1)), pin.group(1) if pin else ""


@dataclass(frozen=True)
class Declarations:
    """Dependencies declared by a project and where they were read."""

    project_name: str
    dependencies: tuple[Dependency, ...]
    sources: tuple[str, ...]
    findings: tuple[Finding, ...]


def _line_of(text: str, needle: str) -> int:
    idx = text.find(needle)
    return text.count("\n", 0, idx) + 1 if idx >= 0 else 0


def _project_requirements(path: str, project_dirs: frozenset[str]) -> bool:
    """Whether a requirements file declares a project's dependencies (not a helper tool's).

    It does at the scanned folder or a project folder (``pyproject.toml``, ``setup.py``,
    ``setup.cfg``, ``manage.py``), directly or in a ``requirements/`` folder there.
    ``translations/requirements.txt`` or ``docs/requirements.txt`` deep in a package
    list what one script needs: judging every import of the code against them
    would call Flask undeclared in Superset.
    """
    folder = path.rsplit("/", 1)[0] if "/" in path else ""
    parts = folder.split("/") if folder else []
    if "requirements" in parts:
        folder = "/".join(parts[: parts.index("requirements")])
    return folder in project_dirs


def read_declarations(
    files: Mapping[str, str],
    parsed_toml: Mapping[str, Any] | None = None,
    project_dirs: Iterable[str] | None = None,
) -> Declarations:
    """Read declarations from the project's auxiliary files (path -> text).

    ``parsed_toml`` maps paths of TOML files to their parsed content; a TOML file
    that failed to parse is simply absent from it (the caller reports it).
    ``project_dirs`` are the folders that hold a project (relative POSIX paths; the
    scanned folder is always one, as is every folder with a ``pyproject.toml``,
    ``setup.py``, ``setup.cfg`` or ``Pipfile`` among ``files``).  A requirements
    file elsewhere is a helper tool's: its dependencies are listed in group
    ``tool`` and it is not a source, so it alone never makes imports "undeclared".
    """
    parsed_toml = parsed_toml or {}
    homes = {""} | {d.strip("/") for d in project_dirs or ()}
    homes |= {
        p.rsplit("/", 1)[0] if "/" in p else ""
        for p in files
        if p.rsplit("/", 1)[-1] in ("pyproject.toml", "setup.py", "setup.cfg", "Pipfile")
    }
    project_homes = frozenset(homes)
    deps: list[Dependency] = []
    sources: list[str] = []
    findings: list[Finding] = []
    name = ""

    def add(spec: str, source_path: str, text: str, group: str) -> None:
        parsed = parse_requirement(spec)
        if parsed is None:
            return
        dist, pin = parsed
        line = _line_of(text, spec.strip().split(";")[0].strip()[:40])
        deps.append(Dependency(dist, spec.strip(), f"{source_path}:{line}" if line else source_path, group, pin))

    for path in sorted(files):
        text = files[path]
        base = path.rsplit("/", 1)[-1]
        if base == "pyproject.toml" and path in parsed_toml:
            data = parsed_toml[path]
            project = data.get("project", {}) if isinstance(data.get("project"), dict) else {}
            if not name and isinstance(project.get("name"), str) and path == "pyproject.toml":
                name = project["name"]
            found = False
            for spec in project.get("dependencies", []) or []:
                if isinstance(spec, str):
                    add(spec, path, text, "main")
                    found = True
            for extra, specs in (project.get("optional-dependencies", {}) or {}).items():
                for spec in specs or []:
                    if isinstance(spec, str):
                        add(spec, path, text, f"optional:{extra}")
                        found = True
            for group, specs in (data.get("dependency-groups", {}) or {}).items():
                for spec in specs or []:
                    if isinstance(spec, str):
                        add(spec, path, text, f"group:{group}")
                        found = True
            tool = data.get("tool", {}) if isinstance(data.get("tool"), dict) else {}
            poetry = tool.get("poetry", {}) if isinstance(tool.get("poetry"), dict) else {}
            if not name and isinstance(poetry.get("name"), str) and path == "pyproject.toml":
                name = poetry["name"]
            for key, group in (("dependencies", "main"), ("dev-dependencies", "dev")):
                for dist, spec in (poetry.get(key, {}) or {}).items():
                    if dist.lower() == "python":
                        continue
                    pin = spec if isinstance(spec, str) else (spec.get("version", "") if isinstance(spec, dict) else "")
                    exact = pin.lstrip("=") if isinstance(pin, str) and re.fullmatch(r"=?=?\d[\w.]*", pin or "") else ""
                    line = _line_of(text, f"{dist}")
                    deps.append(Dependency(normalise(dist), f"{dist} {pin}".strip(), f"{path}:{line}", group, exact))
                    found = True
            for gname, gdata in (poetry.get("group", {}) or {}).items():
                for dist, spec in ((gdata or {}).get("dependencies", {}) or {}).items():
                    line = _line_of(text, f"{dist}")
                    deps.append(Dependency(normalise(dist), str(dist), f"{path}:{line}", f"group:{gname}"))
                    found = True
            if found:
                sources.append(path)
        elif re.fullmatch(r"(.*/)?(requirements[^/]*|[^/]*requirements)\.(txt|in)", path) or (
            "/requirements/" in "/" + path and path.endswith((".txt", ".in"))
        ):
            group = "main"
            low = path.lower()
            if any(w in low for w in ("dev", "test", "lint", "doc", "ci")):
                group = "dev"
            if not _project_requirements(path, project_homes):
                for raw in text.splitlines():
                    add(raw, path, text, "tool")
                continue
            for raw in text.splitlines():
                add(raw, path, text, group)
            sources.append(path)
        elif base == "setup.cfg":
            m = re.search(r"^install_requires\s*=\s*\n((?:[ \t]+.*\n?)+)", text, re.M)
            if m:
                for raw in m.group(1).splitlines():
                    add(raw, path, text, "main")
                sources.append(path)
        elif base == "setup.py":
            m2 = re.search(r"install_requires\s*=\s*\[(.*?)\]", text, re.S)
            if m2:
                for spec in re.findall(r"['\"]([^'\"]+)['\"]", m2.group(1)):
                    add(spec, path, text, "main")
                sources.append(path)
        elif base == "Pipfile" and path in parsed_toml:
            data = parsed_toml[path]
            for key, group in (("packages", "main"), ("dev-packages", "dev")):
                for dist, spec in (data.get(key, {}) or {}).items():
                    line = _line_of(text, dist)
                    deps.append(Dependency(normalise(dist), str(dist), f"{path}:{line}", group))
            sources.append(path)
    pins = read_lock_versions(files, parsed_toml)
    if pins:
        deps = [
            d if d.version or d.name not in pins else Dependency(d.name, d.spec, d.source, d.group, pins[d.name])
            for d in deps
        ]
    deps.sort(key=lambda d: (d.name, d.group, d.source))
    return Declarations(name, tuple(deps), tuple(sources), tuple(findings))


def read_lock_versions(files: Mapping[str, str], parsed_toml: Mapping[str, Any]) -> dict[str, str]:
    """Distribution -> locked version from poetry.lock / uv.lock / pdm.lock / Pipfile.lock."""
    out: dict[str, str] = {}
    for path in sorted(files):
        base = path.rsplit("/", 1)[-1]
        if base in ("poetry.lock", "uv.lock", "pdm.lock") and path in parsed_toml:
            for pkg in parsed_toml[path].get("package", []) or []:
                if isinstance(pkg, dict) and isinstance(pkg.get("name"), str) and isinstance(pkg.get("version"), str):
                    out.setdefault(normalise(pkg["name"]), pkg["version"])
        elif base == "Pipfile.lock":
            try:
                data = json.loads(files[path])
            except ValueError:
                continue
            for section in ("default", "develop"):
                for dist, info in (data.get(section, {}) or {}).items():
                    v = info.get("version", "") if isinstance(info, dict) else ""
                    if v:
                        out.setdefault(normalise(dist), v.lstrip("="))
    return out


def distribution_for(import_top: str, declared: Iterable[str]) -> str:
    """The declared distribution that provides import name ``import_top`` ("" when none)."""
    declared_set = set(declared)
    direct = IMPORT_TO_DIST.get(import_top)
    candidates = [direct] if direct else []
    candidates.append(normalise(import_top))
    for c in candidates:
        if c and c in declared_set:
            return c
    for dist, provides in EXTRA_PROVIDES.items():
        if import_top in provides and dist in declared_set:
            return dist
    return ""


def dependency_findings(
    sites: Iterable[ImportSite],
    declarations: Declarations,
    test_modules: frozenset[str],
    first_party_tops: frozenset[str],
) -> tuple[Finding, ...]:
    """Undeclared imports (missing) and declared-but-never-imported distributions (unused)."""
    if not declarations.sources:
        return ()
    declared = {d.name for d in declarations.dependencies}
    used: set[str] = set()
    missing: dict[str, list[ImportSite]] = {}
    for s in sites:
        if s.origin is not Origin.THIRD_PARTY:
            continue
        top = s.top_level
        if top in first_party_tops:
            continue
        dist = distribution_for(top, declared)
        if dist:
            used.add(dist)
            continue
        if s.importer in test_modules or s.type_checking:
            continue
        missing.setdefault(top, []).append(s)
    out: list[Finding] = []
    for top, where in sorted(missing.items()):
        first = sorted(where, key=ImportSite.sort_key)[0]
        guess = IMPORT_TO_DIST.get(top, normalise(top))
        out.append(
            Finding(
                rule_id="undeclared-dependency",
                severity=Severity.WARNING,
                message=f"'{top}' is imported ({len(where)} place{'s' if len(where) != 1 else ''}) but no declared dependency provides it",
                location=first.location,
                symbol=top,
                fingerprint_key=top,
                hint=f"Declare '{guess}' in {declarations.sources[0]} (or remove the import).",
                category="dependencies",
            )
        )
    main_groups = {"main"}
    for d in declarations.dependencies:
        if d.group not in main_groups or d.name in used or d.name in RUNTIME_ONLY:
            continue
        if any(d.name in p for dist, p in EXTRA_PROVIDES.items() if dist in used):
            continue
        path, _, line = d.source.partition(":")
        out.append(
            Finding(
                rule_id="unused-dependency",
                severity=Severity.INFO,
                message=f"'{d.name}' is declared but never imported",
                location=Location(path, int(line) if line.isdigit() else 0),
                symbol=d.name,
                fingerprint_key=d.name,
                hint="Remove it, or ignore this finding if it is loaded at run time (a plugin, driver or server).",
                category="dependencies",
            )
        )
    # de-duplicate the same distribution declared in several files
    seen: set[tuple[str, str]] = set()
    unique = []
    for f in out:
        k = (f.rule_id, f.symbol)
        if k not in seen:
            seen.add(k)
            unique.append(f)
    return tuple(unique)
