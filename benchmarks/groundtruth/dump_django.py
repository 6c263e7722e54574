"""Runtime route and model dump for Django projects (incl. Django REST Framework).

Call after ``django.setup()`` (the project drivers do that).

Routes come from walking ``get_resolver().url_patterns`` recursively.  The
raw path is the concatenation of each level's pattern string as Django spells
it (``str(pattern)``); the normalised path turns every ``<conv:name>`` and
``(?P<name>...)`` into ``{name}``, unnamed groups into ``{argN}``, and strips
anchors.  A path that still holds regex syntax after that has
"regex_leftover": true.

Methods:
* DRF router / ``ViewSet.as_view(actions)`` -> the keys of ``view.actions``;
* DRF ``@api_view`` -> its declared methods;
* class-based views -> the verbs the class implements; ``options``/``head``
  are left out when they come from Django's or DRF's own classes;
* function views -> ["ANY"], unless wrapped by ``require_http_methods`` and
  friends, whose method list is read from the decorator's closure.

Models come from ``apps.get_models(include_auto_created=True)``; columns are
the model's *local concrete* fields (what lives in its own table).
"""

from __future__ import annotations

import inspect
from typing import Any

from gtcommon import (
    bound_class_name,
    closure_target,
    dotted_name,
    ensure_leading_slash,
    normalise_django_regex,
    normalise_django_route,
    origin_of,
    resolve_handler,
    sort_routes,
    unwrap,
)

_VERBS = ["get", "post", "put", "patch", "delete", "head", "options", "trace"]
_FRAMEWORK_MODULE_PREFIXES = ("django.", "rest_framework.")


def _definer(cls: type, attr: str) -> type | None:
    for klass in cls.__mro__:
        if attr in klass.__dict__:
            return klass
    return None


def _cbv_methods(view_class: type) -> list[str]:
    names = getattr(view_class, "http_method_names", _VERBS)
    out = []
    for m in names:
        if not callable(getattr(view_class, m, None)):
            continue
        if m in ("options", "head"):
            definer = _definer(view_class, m)
            if definer is not None and definer.__module__.startswith(_FRAMEWORK_MODULE_PREFIXES):
                continue
        out.append(m.upper())
    return out


def _restricted_methods(callback: Any) -> list[str] | None:
    """Method list from require_http_methods/require_GET/... closures, if any.

    Follows ``__wrapped__`` and, for decorators written without ``functools.wraps``
    (pretix's permission decorators), the functions held in the wrapper's closure
    cells: Django's restriction may sit under such a decorator and still answer 405.
    """
    seen: set[int] = set()
    todo = [callback]
    while todo and len(seen) < 50:
        fn = todo.pop(0)
        if id(fn) in seen:
            continue
        seen.add(id(fn))
        closure = getattr(fn, "__closure__", None)
        code = getattr(fn, "__code__", None)
        if closure and code:
            for name, cell in zip(code.co_freevars, closure):
                try:
                    value = cell.cell_contents
                except ValueError:
                    continue
                if name == "request_method_list":
                    return sorted({str(m).upper() for m in value})
                if inspect.isfunction(value):
                    todo.append(value)
        nxt = getattr(fn, "__wrapped__", None)
        if nxt is not None:
            todo.insert(0, nxt)
    return None


def _is_api_root(cls: Any) -> bool:
    try:
        from rest_framework.routers import APIRootView
    except Exception:
        return False
    return inspect.isclass(cls) and issubclass(cls, APIRootView)


def _describe_callback(cb: Any) -> dict[str, Any]:
    info: dict[str, Any] = {}
    actions = getattr(cb, "actions", None)
    cls = getattr(cb, "cls", None) or getattr(cb, "view_class", None)
    if actions and cls is not None:
        info["methods"] = sorted(k.upper() for k in actions)
        info["handler"] = f"{cls.__module__}.{cls.__qualname__}"
        info["handler_alternatives"] = sorted({f"{info['handler']}.{a}" for a in actions.values()})
        info["view_kind"] = "drf_viewset"
        info["actions"] = dict(actions)
        return info
    if cls is not None and inspect.isclass(cls):
        if cls.__qualname__.endswith("WrappedAPIView") and "<locals>" in cls.__qualname__:
            # DRF @api_view: the class borrows the function's __name__/__module__.
            info["handler"] = f"{cls.__module__}.{cls.__name__}"
            info["methods"] = sorted(
                m.upper() for m in getattr(cls, "http_method_names", []) if m != "options"
            )
            info["view_kind"] = "drf_api_view"
            return info
        info["handler"] = f"{cls.__module__}.{cls.__qualname__}"
        info["methods"] = _cbv_methods(cls)
        info["view_kind"] = "drf_apiview" if hasattr(cls, "renderer_classes") else "class_view"
        return info
    inner = unwrap(cb)
    info["handler"], more = resolve_handler(cb)
    info.update(more)
    if more.get("handler_from_closure"):
        target = closure_target(cb)
        if inspect.isclass(target):
            # decorator wrapper around SomeView.as_view()
            info["methods"] = _cbv_methods(target)
            info["view_kind"] = "class_view"
            return info
    alt = bound_class_name(inner)
    if alt and f"{alt}.{inner.__func__.__name__}" != info["handler"]:
        info["handler_alternatives"] = [f"{alt}.{inner.__func__.__name__}"]
    restricted = _restricted_methods(cb)
    info["methods"] = restricted if restricted else ["ANY"]
    info["view_kind"] = "function"
    return info


def dump_routes(project_roots: list[str], urlconf: str | None = None) -> list[dict]:
    from django.urls import URLPattern, URLResolver, get_resolver
    from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern

    out: list[dict] = []
    optional_slashes: set[int] = set()

    def piece(pattern: Any, positional: int) -> tuple[str, str, int, bool, bool]:
        raw = str(pattern)
        if isinstance(pattern, RoutePattern):
            return raw, normalise_django_route(pattern._route), positional, False, False
        if isinstance(pattern, RegexPattern):
            regex = pattern._regex
            optional_slash = False
            for tail in ("/?$", "/?\\Z", "/?"):
                if regex.endswith(tail):
                    regex = regex[: -len(tail)]
                    optional_slash = True
                    break
            text, positional, leftover = normalise_django_regex(regex, positional)
            if optional_slash:
                optional_slashes.add(id(pattern))
            return raw, text, positional, leftover, False
        if isinstance(pattern, LocalePrefixPattern):
            return raw, pattern.language_prefix, positional, False, True
        return raw, raw, positional, True, False

    def walk(patterns: Any, raw_prefix: str, norm_prefix: str, positional: int,
             leftover: bool, locale: bool, namespaces: list[str]) -> None:
        for p in patterns:
            raw, norm, pos2, lo, loc = piece(p.pattern, positional)
            raw_full = raw_prefix + raw
            norm_full = norm_prefix + norm
            if isinstance(p, URLResolver):
                ns = namespaces + ([p.namespace] if p.namespace else [])
                walk(p.url_patterns, raw_full, norm_full, pos2, leftover or lo, locale or loc, ns)
                continue
            if not isinstance(p, URLPattern):
                continue
            info = _describe_callback(p.callback)
            path = ensure_leading_slash(norm_full)
            item: dict[str, Any] = {
                "methods": info.pop("methods"),
                "path": path,
                "raw_path": raw_full,
                "handler": info.pop("handler"),
                "framework": "django",
            }
            item["origin"] = origin_of(item["handler"], project_roots)
            item.update(info)
            if p.name:
                item["name"] = p.name
            if namespaces:
                item["namespace"] = ":".join(namespaces)
            if "{format}" in path:
                item["format_suffix"] = True
            cls = getattr(p.callback, "cls", None) or getattr(p.callback, "view_class", None)
            if _is_api_root(cls):
                item["api_root"] = True
            if id(p.pattern) in optional_slashes:
                # "/?" at the end of a regex: the route works with and without
                # the slash; the normalised path is written without it.
                item["optional_trailing_slash"] = True
            if leftover or lo:
                item["regex_leftover"] = True
            if locale or loc:
                item["locale_prefix"] = True
            out.append(item)

    resolver = get_resolver(urlconf)
    walk(resolver.url_patterns, "", "", 0, False, False, [])
    return sort_routes(out)


def _django_base_type(field: Any) -> str:
    """First Django-provided class in the field's MRO (e.g. a project's
    ``ForeignKeyWithAutoRelatedName`` -> ``ForeignKey``)."""
    for klass in type(field).__mro__:
        if klass.__module__.startswith("django.db.models") or klass.__module__.startswith("django.contrib"):
            return klass.__name__
    return type(field).__name__


def dump_models(project_roots: list[str]) -> list[dict]:
    from django.apps import apps

    out: list[dict] = []
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        cls_name = f"{model.__module__}.{model.__qualname__}"
        columns = []
        fks = []
        for f in opts.local_concrete_fields:
            columns.append(
                {
                    "name": f.column,
                    "field": f.name,
                    "type": f.get_internal_type(),
                    "field_class": type(f).__name__,
                    "django_type": _django_base_type(f),
                    "nullable": bool(f.null),
                    "primary_key": bool(f.primary_key),
                }
            )
            if f.is_relation and f.related_model is not None and getattr(f, "target_field", None) is not None:
                target = f.target_field
                fks.append(
                    {
                        "column": f.column,
                        "field": f.name,
                        "references": f"{f.related_model._meta.db_table}.{target.column}",
                    }
                )
        item: dict[str, Any] = {
            "orm": "django",
            "class": cls_name,
            "table": opts.db_table,
            "app_label": opts.app_label,
            "columns": columns,
            "foreign_keys": fks,
            "origin": origin_of(cls_name, project_roots),
        }
        if opts.proxy:
            item["proxy"] = True
        if not opts.managed:
            item["managed"] = False
        if opts.auto_created:
            item["auto_created"] = True
            item["auto_created_for"] = f"{opts.auto_created.__module__}.{opts.auto_created.__qualname__}"
        parents = [f"{p.__module__}.{p.__qualname__}" for p in opts.parents]
        if parents:
            item["mti_parents"] = parents
        out.append(item)
    out.sort(key=lambda m: (m["table"], m["class"]))
    return out
