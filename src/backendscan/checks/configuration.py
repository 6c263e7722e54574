"""Settings checks: hard-coded secrets and ``DEBUG = True``.

Settings are: Django settings modules, pydantic ``BaseSettings`` classes, and
modules named ``settings``/``config``/``conf``/``configuration`` (module level and
class bodies such as Flask ``Config`` classes).  Secret values are never copied
into findings; only their length is shown.
"""

from __future__ import annotations

import ast
import re
from typing import Iterator

from ..model import Finding, Location, Severity
from ..visiting import dotted_name
from .base import CheckContext, check

SECRET_NAME = re.compile(
    r"(^|_)(SECRET|SECRET_KEY|PASSWORD|PASSWD|PASS|PWD|TOKEN|API_KEY|APIKEY|PRIVATE_KEY|ACCESS_KEY|SIGNING_KEY|"
    r"AUTH_KEY|CLIENT_SECRET|CREDENTIALS?|DSN_PASSWORD)($|_)",
    re.I,
)
NOT_SECRET = re.compile(
    r"(_(EXPIRE|EXPIRES|EXPIRY|EXPIRATION|LIFETIME|TTL|MINUTES|SECONDS|HOURS|DAYS|LENGTH|MIN_LENGTH|URL|URI|FILE|PATH|"
    r"HEADER|HEADER_NAME|NAME|FIELD|PARAM|VALIDATORS|ALGORITHM|ALGORITHMS|HASHERS|PREFIX|TYPE|COOKIE_NAME|ENABLED|"
    r"REQUIRED|RESET_TIMEOUT|TIMEOUT|URL_NAME|LOCATION|BACKEND|BACKENDS|AGE|SALT_LENGTH|CLASS|CLASSES|MODEL|VIEW|"
    r"TEMPLATE|FORM|KEY_NAME|KEY_PREFIX|ENV|ENV_VAR|SUBJECT|BODY|MESSAGE|TEXT|TITLE|LABEL|HELP|HELP_TEXT|"
    r"DESCRIPTION|ALGO|ERROR|PATTERN|REGEX|FORMAT|SCHEME)$)|^(AUTH_PASSWORD_VALIDATORS|PASSWORD_HASHERS|TOKEN_URL)$",
    re.I,
)
URL_CREDENTIALS = re.compile(r"^[a-z][a-z0-9+.-]*://[^:/@\s]+:([^@/\s]+)@", re.I)
SETTINGS_NAMES = {"settings", "config", "conf", "configuration", "configs", "local_settings", "base_settings", "constants"}
DEV_NAMES = re.compile(r"(^|[._])(dev|devel|development|local|test|tests|testing|ci|example|sample|docker_dev)($|[._])")
#: text that is not a value but a template filled in elsewhere (or nothing at all)
PLACEHOLDER = re.compile(r"^(\s*|\$\{.*\}|\$[A-Z_]+|%\(.*\)s|\{\{.*\}\}|<[^>]*>)$")
#: values that are not secrets whatever their name: prose, templates, masks
NOT_A_SECRET_VALUE = re.compile(r"\s|\{[^}]*\}|%[sd(]|\$[A-Za-z_{]|^[*xX#._-]+$|^\*|\*{3,}")
TEST_CLASS = re.compile(r"test", re.I)
ENV_READERS = ("environ.get", "getenv", "environ.setdefault", "env", "env.str", "config", "os.getenv", "decouple.config", "get_env", "getenv_str")
SETTINGS_BASES = {"pydantic_settings.BaseSettings", "pydantic.BaseSettings", "pydantic.v1.BaseSettings", "pydantic_settings.main.BaseSettings"}


def _settings_scopes(ctx: CheckContext) -> Iterator[tuple[str, str, str]]:
    """(module, scope, kind) pairs whose assignments are settings; kind: django, pydantic, module."""
    p = ctx.project
    seen: set[tuple[str, str]] = set()
    for module in sorted(p.django_settings_modules):
        if module in p.symbols:
            seen.add((module, ""))
            yield module, "", "django"
    for module, qualified, info in p.classes():
        qual = info.qualname
        try:
            is_settings = p.is_subclass(qualified, SETTINGS_BASES)
        except Exception:  # pragma: no cover - resolution is best effort
            is_settings = False
        if is_settings and (module, qual) not in seen:
            seen.add((module, qual))
            yield module, qual, "pydantic"
    for module in sorted(p.symbols):
        m = p.modules.get(module)
        if m is None or m.kind.value != "source":
            continue
        parts = module.split(".")
        if not (set(parts[-2:]) & SETTINGS_NAMES):
            continue
        if (module, "") not in seen:
            seen.add((module, ""))
            yield module, "", "module"
        for c in p.symbols[module].classes:
            if c.scope == "" and (module, c.qualname) not in seen:
                seen.add((module, c.qualname))
                yield module, c.qualname, "module"


def _literal_string(value: ast.expr | None) -> tuple[str, str] | None:
    """(text, how) for a literal or an env read with a literal fallback; None otherwise."""
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        return value.value, "literal"
    if isinstance(value, ast.Call):
        name = dotted_name(value.func)
        if name and name.endswith(ENV_READERS):
            fallback = value.args[1] if len(value.args) >= 2 else None
            for kw in value.keywords:
                if kw.arg in ("default", "fallback"):
                    fallback = kw.value
            if isinstance(fallback, ast.Constant) and isinstance(fallback.value, str):
                return fallback.value, "env-fallback"
        if name.endswith(("Field", "SecretStr")) and value.args:  # pydantic Field("literal") / SecretStr("...")
            return _literal_string(value.args[0])
        for kw in value.keywords:
            if kw.arg == "default" and name.endswith("Field"):
                return _literal_string(kw.value)
    if isinstance(value, ast.BoolOp) and isinstance(value.op, ast.Or) and len(value.values) == 2:  # os.environ.get("X") or "dev"
        last = value.values[-1]
        if isinstance(last, ast.Constant) and isinstance(last.value, str):
            return last.value, "env-fallback"
    return None


@check(
    "hardcoded-secret",
    Severity.WARNING,
    "configuration",
    "Hard-coded secret in settings",
    "A secret written in the source (SECRET_KEY, passwords, tokens, credentials in URLs) is shared with "
    "everyone who can read the repository and its history, and a deployment that forgets to override it "
    "runs with a publicly known key.",
    "Read it from the environment or a secret store without a usable default (fail at start-up when it "
    "is missing), and rotate the value that was committed.",
)
def hardcoded_secret(ctx: CheckContext) -> Iterator[Finding]:
    p = ctx.project
    for module, scope, kind in _settings_scopes(ctx):
        syms = p.symbols[module]
        dev = bool(DEV_NAMES.search(module))
        for a in syms.assignments:
            if a.scope != scope or a.op != "=" or "." in a.target or "[" in a.target:
                continue
            found = _literal_string(a.value)
            if found is None:
                continue
            text, how = found
            name = a.target
            if SECRET_NAME.search(name) and not NOT_SECRET.search(name):
                if PLACEHOLDER.match(text) or NOT_A_SECRET_VALUE.search(text):
                    continue  # a template, a mask or prose, not a credential
                if text.lower().replace("-", "_") == name.lower():
                    continue  # ``API_KEY = "api_key"``: the name of a setting, not its value
                what = "a string literal"
            elif URL_CREDENTIALS.match(text) and not PLACEHOLDER.match(URL_CREDENTIALS.match(text).group(1)):  # type: ignore[union-attr]
                what = "a URL with an embedded password"
            else:
                continue
            overridable = kind == "pydantic" or how == "env-fallback"
            test_config = bool(scope and TEST_CLASS.search(scope))  # e.g. class TestingConfig
            severity = Severity.INFO if overridable or dev or test_config or a.conditional else Severity.WARNING
            if how == "env-fallback":
                detail = f"falls back to {what} ({len(text)} characters) when the environment does not set it"
            elif kind == "pydantic":
                detail = f"defaults to {what} ({len(text)} characters); the environment can override it, but nothing forces it to"
            else:
                detail = f"is {what} ({len(text)} characters)"
            owner = f"{scope}." if scope else ""
            yield ctx.finding(
                f"{owner}{name} in {module} {detail}",
                Location(p.path_of(module), a.line),
                symbol=f"{module}.{owner}{name}",
                severity=severity,
                key=f"{module}.{owner}{name}",
            )


@check(
    "debug-enabled",
    Severity.WARNING,
    "configuration",
    "DEBUG = True in settings",
    "Debug mode in production shows stack traces, settings and SQL to anyone who triggers an error, and "
    "disables protections (Django ALLOWED_HOSTS checks, Flask's debugger allows code execution).",
    "Default DEBUG to False and enable it only from the environment of a development machine.",
)
def debug_enabled(ctx: CheckContext) -> Iterator[Finding]:
    p = ctx.project
    for module, scope, kind in _settings_scopes(ctx):
        dev = bool(DEV_NAMES.search(module))
        for a in p.symbols[module].assignments:
            if a.scope != scope or a.target not in ("DEBUG", "FLASK_DEBUG", "TEMPLATE_DEBUG") or a.op != "=":
                continue
            if not (isinstance(a.value, ast.Constant) and a.value.value is True):
                continue
            severity = Severity.INFO if dev or a.conditional or kind == "pydantic" else Severity.WARNING
            owner = f"{scope}." if scope else ""
            yield ctx.finding(
                f"{owner}{a.target} = True in {module}" + (" (a development settings module)" if dev else ""),
                Location(p.path_of(module), a.line),
                symbol=f"{module}.{owner}{a.target}",
                severity=severity,
            )
