"""HTTP API checks: missing auth among protected siblings, undocumented responses, blocking calls in async code."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from typing import Iterator

from ..facts import Route
from ..model import Finding, Location, Severity
from ..symbols import FunctionInfo
from ..visiting import dotted_name
from .base import CheckContext, check


def route_label(r: Route) -> str:
    return f"{' '.join(r.methods)} {r.path}"


#: the endpoints a client calls before it has credentials, and probes: public by nature, not forgotten
_PUBLIC_BY_NATURE = re.compile(
    r"/(?:log-?in|sign-?in|sign-?up|register|forgot-?password|reset-?password|password-?reset|oauth2?/token|token|"
    r"callback|health|healthz|livez|readyz|ping)/?(?:\{[^}]*\}/?)?$",
    re.IGNORECASE,
)


@check(
    "route-auth-missing",
    Severity.WARNING,
    "api",
    "Route without auth among protected siblings",
    "When every other route of a router or blueprint requires authentication, a route without any "
    "auth evidence is usually a forgotten dependency or decorator, not a deliberate public endpoint.",
    "Add the same auth dependency/decorator its siblings use, or mark it public explicitly "
    "(e.g. AllowAny, a documented public router) so the intent is visible.",
)
def route_auth_missing(ctx: CheckContext) -> Iterator[Finding]:
    groups: dict[tuple[str, str], list[Route]] = defaultdict(list)
    for r in ctx.result.routes:
        if r.kind == "http":
            groups[(r.app, r.group or r.file)].append(r)
    for (_, group), routes in sorted(groups.items()):
        protected = [r for r in routes if any(not a.public for a in r.auth)]
        bare = [r for r in routes if not r.auth and not _PUBLIC_BY_NATURE.search(r.path)]
        if len(routes) < 2 or not protected or not bare:
            continue
        kinds = sorted({a.name for r in protected for a in r.auth if not a.public})
        for r in bare:
            yield ctx.finding(
                f"{route_label(r)} has no auth evidence, but {len(protected)} of {len(routes)} routes in "
                f"{group} do ({', '.join(kinds[:3])}{', ...' if len(kinds) > 3 else ''})",
                Location(r.file, r.line),
                symbol=r.handler,
                key=f"{r.methods}|{r.path}",
            )


_RESPONSE_KEYS = {"response_model", "response_class", "responses"}


@check(
    "fastapi-response-model-missing",
    Severity.INFO,
    "api",
    "FastAPI route without response model or return annotation",
    "Without response_model or a return annotation FastAPI neither validates nor filters the response and "
    "the OpenAPI schema says nothing about it, so clients and reviewers cannot see the contract and "
    "internal fields can leak.",
    "Declare response_model=... on the decorator or annotate the handler's return type.",
)
def fastapi_response_model(ctx: CheckContext) -> Iterator[Finding]:
    p = ctx.project
    for r in ctx.result.routes:
        if r.framework != "fastapi" or r.kind != "http":
            continue
        opts = dict(r.options)
        if _RESPONSE_KEYS & set(opts) or opts.get("include_in_schema", "").strip() == "False":
            continue
        if opts.get("status_code", "").strip() in ("204", "status.HTTP_204_NO_CONTENT", "HTTPStatus.NO_CONTENT"):
            continue
        d = p.lookup(r.handler)
        if d.kind != "function" or not isinstance(d.obj, FunctionInfo):
            continue
        if d.obj.returns is not None:
            continue
        yield ctx.finding(
            f"{route_label(r)} ({r.handler}) declares no response_model and its handler has no return annotation",
            Location(r.file, r.line),
            symbol=r.handler,
            key=f"{r.methods}|{r.path}",
        )


#: canonical callee prefixes that block the calling thread (network, sleep, processes, sync drivers)
BLOCKING_PREFIXES = (
    "requests.",
    "urllib3.",
    "urllib.request.urlopen",
    "urllib.request.urlretrieve",
    "http.client.HTTPConnection",
    "http.client.HTTPSConnection",
    "time.sleep",
    "subprocess.run",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
    "os.system",
    "os.popen",
    "socket.create_connection",
    "smtplib.SMTP",
    "ftplib.FTP",
    "psycopg2.connect",
    "psycopg.connect",
    "pymysql.connect",
    "MySQLdb.connect",
    "sqlite3.connect",
)
#: httpx's module-level functions and sync client are blocking; httpx.AsyncClient is not
HTTPX_BLOCKING = {"httpx.get", "httpx.post", "httpx.put", "httpx.patch", "httpx.delete", "httpx.head", "httpx.options", "httpx.request", "httpx.stream", "httpx.Client"}
SYNC_SESSION_TYPES = {"sqlalchemy.orm.Session", "sqlalchemy.orm.session.Session", "sqlmodel.Session", "sqlmodel.orm.session.Session", "sqlalchemy.orm.scoped_session"}
SESSION_METHODS = {"execute", "commit", "query", "get", "scalar", "scalars", "flush", "refresh", "merge", "rollback", "exec"}
DJANGO_QUERY_METHODS = {"get", "filter", "exclude", "all", "create", "get_or_create", "update_or_create", "count", "exists", "first", "last", "update", "delete", "bulk_create", "aggregate", "values", "values_list", "in_bulk", "latest", "earliest"}


#: the first dotted part of every blocking name: a name starting otherwise is not blocking
_BLOCKING_HEADS = frozenset(p.split(".", 1)[0] for p in (*BLOCKING_PREFIXES, *HTTPX_BLOCKING))


def _blocking(name: str) -> bool:
    if name.split(".", 1)[0] not in _BLOCKING_HEADS:  # most calls (27,000 in Polar's async functions)
        return False
    return name in HTTPX_BLOCKING or any(name == p.rstrip(".") or name.startswith(p) for p in BLOCKING_PREFIXES)


def _annotation_types(ctx: CheckContext, module: str, node: ast.expr | None, depth: int = 0) -> set[str]:
    """Canonical names an annotation stands for (``Annotated[Session, ...]`` and aliases followed)."""
    if node is None or depth > 4:
        return set()
    p = ctx.project
    if isinstance(node, ast.Subscript):
        base = p.resolve_name(module, dotted_name(node.value))
        if base.endswith("Annotated"):
            first = node.slice.elts[0] if isinstance(node.slice, ast.Tuple) and node.slice.elts else node.slice
            return _annotation_types(ctx, module, first, depth + 1)
        return set()
    if isinstance(node, ast.BinOp):  # X | None
        return _annotation_types(ctx, module, node.left, depth + 1) | _annotation_types(ctx, module, node.right, depth + 1)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        try:
            return _annotation_types(ctx, module, ast.parse(node.value, mode="eval").body, depth + 1)
        except SyntaxError:
            return set()
    name = dotted_name(node)
    if not name:
        return set()
    canon = p.resolve_name(module, name)
    d = p.lookup(canon)
    if d.kind == "assignment" and getattr(d.obj, "value", None) is not None:
        return _annotation_types(ctx, d.module, d.obj.value, depth + 1) or {canon}
    return {canon}


def _session_params(ctx: CheckContext, module: str, fn: FunctionInfo) -> set[str]:
    out = set()
    args = fn.args
    for a in args.posonlyargs + args.args + args.kwonlyargs:
        if _annotation_types(ctx, module, a.annotation) & SYNC_SESSION_TYPES:
            out.add(a.arg)
    return out


@check(
    "blocking-call-in-async",
    Severity.WARNING,
    "api",
    "Blocking call inside async def",
    "An async handler runs on the event loop; a blocking call (requests, time.sleep, a sync DB session or "
    "driver, subprocess) stalls every other request served by that worker until it returns.",
    "Use an async client (httpx.AsyncClient, asyncpg, AsyncSession, asyncio.sleep), move the work to a "
    "thread (run_in_threadpool / asyncio.to_thread), or make the handler a plain def.",
)
def blocking_in_async(ctx: CheckContext) -> Iterator[Finding]:
    p = ctx.project
    handlers: dict[str, list[Route]] = defaultdict(list)
    for r in ctx.result.routes:
        handlers[r.handler].append(r)
    django_models = {m.class_name for m in ctx.result.models if m.orm == "django" and m.class_name}
    for module in sorted(p.symbols):
        mod = p.modules.get(module)
        if mod is None or mod.kind.value != "source":
            continue
        syms = p.symbols[module]
        calls = [c for c in syms.calls if c.in_async]
        if not calls:
            continue
        session_cache: dict[str, set[str]] = {}
        for c in calls:
            fn = syms.function(c.scope)
            if fn is None or not fn.is_async:
                continue
            canon = p.resolve_name(module, c.callee, c.scope) if not c.callee.startswith("?") else c.callee
            what = ""
            if _blocking(canon):
                what = canon
            else:
                head, _, method = c.callee.rpartition(".")
                if head and "." not in head and method in SESSION_METHODS:
                    if c.scope not in session_cache:
                        session_cache[c.scope] = _session_params(ctx, module, fn)
                    if head in session_cache[c.scope]:
                        what = f"{c.callee} (synchronous SQLAlchemy Session)"
                if not what and ".objects." in c.callee and method in DJANGO_QUERY_METHODS:
                    model = p.resolve_name(module, c.callee.split(".objects.", 1)[0], c.scope)
                    if model in django_models:
                        what = f"{c.callee} (synchronous Django ORM query)"
            if not what:
                continue
            qual = f"{module}.{c.scope}"
            routes = handlers.get(qual, [])
            where = f" ({', '.join(route_label(r) for r in routes[:2])})" if routes else ""
            yield ctx.finding(
                f"{what}(...) blocks the event loop inside async def {qual}{where}",
                Location(p.path_of(module), c.line, c.column),
                symbol=qual,
                key=f"{qual}|{canon}",
            )
