"""Runtime route dump for FastAPI / Starlette applications.

Walks ``app.routes`` recursively.  FastAPI >= 0.137 keeps included routers as
``_IncludedRouter`` nodes; ``fastapi.routing.iter_route_contexts`` flattens
them into effective routes with the full prefix, so we use it when present and
fall back to the plain list on older FastAPI versions.

Each ``Mount`` is followed into its sub-application (prefixing the mount
path).  Mounts whose application has no routes (StaticFiles, a WSGI bridge, an
arbitrary ASGI app) become one entry with method "MOUNT".
"""

from __future__ import annotations

import inspect
import sys
from typing import Any, Iterable, Iterator

from gtcommon import (
    bound_class_name,
    dotted_name,
    normalise_starlette,
    origin_of,
    sort_routes,
)

BUILTIN_ENDPOINT_MODULES = ("fastapi.applications", "fastapi.openapi", "cadwyn.applications")


def _iter_effective(routes: Iterable[Any]) -> Iterator[tuple[Any, str | None, Any, Any]]:
    """Yield (original_route, effective_path, methods, endpoint)."""
    try:
        from fastapi.routing import iter_route_contexts  # type: ignore
    except Exception:  # older FastAPI, or plain Starlette
        iter_route_contexts = None
    if iter_route_contexts is not None:
        for ctx in iter_route_contexts(list(routes)):
            orig = ctx.original_route
            yield orig, ctx.path, ctx.methods, ctx.endpoint, ctx
        return
    for r in routes:
        yield r, getattr(r, "path", None), getattr(r, "methods", None), getattr(r, "endpoint", None), None


def _join(prefix: str, path: str | None) -> str:
    path = path or ""
    if not prefix:
        return path or "/"
    if not path:
        return prefix
    return prefix.rstrip("/") + "/" + path.lstrip("/") if path != "/" else prefix.rstrip("/") + "/"


def _class_methods(endpoint: Any) -> list[str]:
    verbs = ["get", "post", "put", "patch", "delete", "head", "options", "trace"]
    return [v.upper() for v in verbs if callable(getattr(endpoint, v, None))]


def dump_app(app: Any, project_roots: list[str]) -> list[dict]:
    out: list[dict] = []
    seen_apps: set[int] = set()

    def emit(methods: list[str], raw: str, handler: str | None, **extra: Any) -> None:
        item = {
            "methods": sorted(set(methods)),
            "path": normalise_starlette(raw),
            "raw_path": raw if raw.startswith("/") else "/" + raw,
            "handler": handler,
            "framework": "fastapi",
            "origin": origin_of(handler, project_roots),
        }
        item.update(extra)
        out.append(item)

    def walk(routes: Iterable[Any], prefix: str, mounted_in: str | None) -> None:
        from starlette.routing import Host, Mount, Route, WebSocketRoute

        try:
            from fastapi.routing import APIRoute, APIWebSocketRoute
        except Exception:  # plain Starlette
            APIRoute = APIWebSocketRoute = ()  # type: ignore

        for orig, path, methods, endpoint, ctx in _iter_effective(routes):
            kind = type(orig).__name__
            full = _join(prefix, path)
            extra: dict[str, Any] = {}
            if mounted_in:
                extra["mounted_in"] = mounted_in
            if isinstance(orig, Mount) or kind == "Mount":
                sub = getattr(orig, "app", None)
                sub_routes = getattr(sub, "routes", None)
                mount_path = full.rstrip("/") if full != "/" else ""
                if sub_routes is not None and id(sub) not in seen_apps:
                    seen_apps.add(id(sub))
                    walk_app(sub, mount_path, dotted_name(type(sub)))
                elif sub_routes is None:
                    target = sub
                    # unwrap middleware stacks (e.g. WSGIMiddleware(app=flask))
                    inner = getattr(target, "app", None) or getattr(target, "wsgi", None)
                    handler = dotted_name(type(target))
                    emit(["MOUNT"], mount_path or "/", handler,
                         mount_app=handler,
                         inner_app=dotted_name(type(inner)) if inner is not None else None,
                         name=getattr(orig, "name", None), **extra)
                continue
            if isinstance(orig, Host):
                walk(getattr(orig, "routes", []) or [], prefix, mounted_in)
                continue
            if kind in ("_FrontendRouteGroup", "_FrontendRoute"):
                members = getattr(orig, "routes", None) or [orig]
                for fr in members:
                    fpath = getattr(fr, "path", None) or path or "/"
                    if ctx is not None and getattr(ctx, "frontend_prefix", None):
                        fpath = _join(ctx.frontend_prefix, fpath)
                    emit(["MOUNT"], _join(prefix, fpath), dotted_name(type(fr)), frontend=True,
                         directory=str(getattr(fr, "directory", None) or getattr(getattr(fr, "app", None), "directory", "") or ""), **extra)
                continue
            is_ws = isinstance(orig, WebSocketRoute) or (APIWebSocketRoute and isinstance(orig, APIWebSocketRoute))
            handler = dotted_name(endpoint)
            alt = bound_class_name(endpoint)
            if alt:
                extra["handler_alternatives"] = [alt]
            if "<locals>" in (handler or ""):
                extra["handler_is_closure"] = True
            mod = getattr(endpoint, "__module__", "") or ""
            if mod.startswith(BUILTIN_ENDPOINT_MODULES):
                extra["builtin"] = True
            if is_ws:
                emit(["WEBSOCKET"], full, handler, **extra)
                continue
            if APIRoute and isinstance(orig, APIRoute):
                ms = list(methods or orig.methods or [])
                emit(ms, full, handler, **extra)
                continue
            if isinstance(orig, Route):
                if methods is None and inspect.isclass(endpoint):
                    ms = _class_methods(endpoint)
                else:
                    ms = list(methods or [])
                    # Starlette adds HEAD whenever GET is allowed.
                    if "GET" in ms and "HEAD" in ms:
                        ms.remove("HEAD")
                emit(ms, full, handler, **extra)
                continue
            print(f"[groundtruth] unknown route type {kind} at {full}", file=sys.stderr)
            emit(["UNKNOWN"], full, handler, route_type=kind, **extra)

    def walk_app(obj: Any, prefix: str, mounted_in: str | None) -> None:
        walk(obj.routes, prefix, mounted_in)
        router = getattr(obj, "router", obj)
        # Cadwyn (header-versioned FastAPI apps): the real routes live in one
        # router per API version; every version serves the same paths, so the
        # newest version's router is walked.
        # Cadwyn builds the per-version routers lazily; before that, the
        # routes are held by app._latest_version_router.
        versioned = getattr(router, "versioned_routers", None)
        if isinstance(versioned, dict) and versioned:
            latest = sorted(versioned, key=str)[-1]
            source = versioned[latest]
            if not list(getattr(source, "routes", [])):
                source = getattr(obj, "_latest_version_router", source)
            start = len(out)
            walk(source.routes, prefix, mounted_in)
            for item in out[start:]:
                item["api_version"] = str(latest)
        # FastAPI >= 0.14x: app.frontend(...) adds low-priority routes that are
        # not part of app.routes.
        low = getattr(router, "_iter_low_priority_routes", None)
        if low is not None:
            for cand in low():
                orig = getattr(cand, "original_route", cand)
                walk([orig], prefix, mounted_in)

    walk_app(app, "", None)
    return sort_routes(out)
