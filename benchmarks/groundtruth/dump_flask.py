"""Runtime route dump for Flask applications (incl. blueprints, MethodView,
Flask-RESTful / Flask-RESTX resources and Flask-AppBuilder views).

Source of truth: ``app.url_map.iter_rules()`` plus ``app.view_functions``.

Methods: werkzeug adds HEAD whenever GET is allowed, and Flask adds OPTIONS
unless the view opts out (``rule.provide_automatic_options``).  Both automatic
methods are dropped; HEAD is kept only when the view class implements
``head`` itself, OPTIONS only when the view declared it.

Handlers:
* plain view function -> the (unwrapped) function;
* ``View.as_view`` (MethodView, Flask-RESTful/RESTX ``Resource``) -> the view class;
* bound methods (Flask-AppBuilder ``@expose``) -> the function that defines
  the method; the instance's class ``module.Class.method`` is given in
  "handler_alternatives".
Flask's own static-file rules ("static" / "<bp>.static") are marked
"builtin": true and "static": true.
"""

from __future__ import annotations

import inspect
from typing import Any

from gtcommon import bound_class_name, dotted_name, normalise_werkzeug, origin_of, resolve_handler, sort_routes

_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "trace")


def _handler_for(view: Any) -> tuple[str | None, list[str], Any]:
    _FLAGS.clear()
    alternatives: list[str] = []
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return f"{view_class.__module__}.{view_class.__qualname__}", alternatives, view_class
    if inspect.ismethod(view):
        owner = bound_class_name(view)
        handler = dotted_name(view)
        name = view.__func__.__name__
        if owner:
            alt = f"{owner}.{name}"
            if alt != handler:
                alternatives.append(alt)
        return handler, alternatives, None
    handler, more = resolve_handler(view)
    if more.get("handler_runtime"):
        alternatives.append(more["handler_runtime"])
    _FLAGS.clear()
    _FLAGS.update({k: v for k, v in more.items() if k != "handler_runtime"})
    return handler, alternatives, None


# flags from the last _handler_for call (handler_from_closure / handler_is_closure)
_FLAGS: dict = {}


def dump_app(app: Any, project_roots: list[str]) -> list[dict]:
    out: list[dict] = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions.get(rule.endpoint)
        handler, alternatives, view_class = _handler_for(view)
        methods = set(rule.methods or ())
        if "HEAD" in methods and "GET" in methods:
            own_head = view_class is not None and "HEAD" in {m.upper() for m in (getattr(view_class, "methods", None) or ())}
            if not own_head:
                methods.discard("HEAD")
        if "OPTIONS" in methods and getattr(rule, "provide_automatic_options", False):
            methods.discard("OPTIONS")
        is_static = rule.endpoint == "static" or rule.endpoint.endswith(".static")
        item: dict[str, Any] = {
            "methods": sorted(methods),
            "path": normalise_werkzeug(rule.rule),
            "raw_path": rule.rule,
            "handler": handler,
            "framework": "flask",
            "endpoint": rule.endpoint,
            "origin": origin_of(handler, project_roots),
        }
        if alternatives:
            item["handler_alternatives"] = alternatives
        if view_class is not None:
            item["view_class_methods"] = sorted(
                m.upper() for m in _VERBS if callable(getattr(view_class, m, None))
            )
        item.update(_FLAGS)
        if "<locals>" in (handler or ""):
            item["handler_is_closure"] = True
        if is_static:
            item["builtin"] = True
            item["static"] = True
        if getattr(rule, "build_only", False) or view is None:
            # url_for-only rule (build_only=True) or a rule without a view:
            # it never serves a request.
            item["build_only"] = True
        if rule.subdomain:
            item["subdomain"] = rule.subdomain
        if getattr(rule, "host", None):
            item["host"] = rule.host
        if "." in rule.endpoint:
            item["blueprint"] = rule.endpoint.rsplit(".", 1)[0]
        out.append(item)
    return sort_routes(out)
