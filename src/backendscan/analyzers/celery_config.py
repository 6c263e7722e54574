"""Celery configuration read statically: setting names, sources, routes and beat entries.

Celery settings reach an app from several places; each becomes a list of
:class:`Setting` operations with the source expression kept as ``ast``:

* ``app.conf.<key> = v``, ``app.conf["key"] = v``, ``app.conf.<key>["entry"] = v``,
  ``app.conf.update({...} | key=v)``, ``app.conf.<key>.update({...})``;
* keyword arguments of ``Celery(...)`` (``include=``, ``broker=``...);
* ``config_from_object(...)`` with a module path (``"proj.celeryconfig"``), an
  object path (``"proj.config:CeleryConfig"``), ``"django.conf:settings"`` with
  ``namespace="CELERY"`` (``CELERY_<KEY>`` settings), or an object/class;
* settings classes and modules, in the new lowercase spelling or the old
  uppercase one (``CELERYBEAT_SCHEDULE`` -> ``beat_schedule``,
  ``CELERY_ROUTES`` -> ``task_routes``, ``CELERY_IMPORTS`` -> ``imports``).

The helpers here turn those operations into beat entries and queue routes
without evaluating anything that is not a constant: schedules stay source text.
"""

from __future__ import annotations

import ast
import fnmatch
import re
from dataclasses import dataclass
from typing import Iterator

from ..project import Project, Value

#: old (Celery 3) setting name -> new lowercase name (celery docs/userguide/configuration.rst)
OLD_NAMES = {
    "BROKER_URL": "broker_url",
    "BROKER_TRANSPORT_OPTIONS": "broker_transport_options",
    "CELERY_ACCEPT_CONTENT": "accept_content",
    "CELERY_ENABLE_UTC": "enable_utc",
    "CELERY_IMPORTS": "imports",
    "CELERY_INCLUDE": "include",
    "CELERY_TIMEZONE": "timezone",
    "CELERYBEAT_MAX_LOOP_INTERVAL": "beat_max_loop_interval",
    "CELERYBEAT_SCHEDULE": "beat_schedule",
    "CELERYBEAT_SCHEDULER": "beat_scheduler",
    "CELERYBEAT_SCHEDULE_FILENAME": "beat_schedule_filename",
    "CELERYBEAT_SYNC_EVERY": "beat_sync_every",
    "CELERY_RESULT_BACKEND": "result_backend",
    "CELERY_ROUTES": "task_routes",
    "CELERY_QUEUES": "task_queues",
    "CELERY_DEFAULT_QUEUE": "task_default_queue",
    "CELERY_DEFAULT_EXCHANGE": "task_default_exchange",
    "CELERY_DEFAULT_ROUTING_KEY": "task_default_routing_key",
    "CELERY_ANNOTATIONS": "task_annotations",
    "CELERY_ALWAYS_EAGER": "task_always_eager",
    "CELERY_ACKS_LATE": "task_acks_late",
    "CELERY_IGNORE_RESULT": "task_ignore_result",
    "CELERY_TASK_SERIALIZER": "task_serializer",
    "CELERY_RESULT_SERIALIZER": "result_serializer",
    "CELERY_CREATE_MISSING_QUEUES": "task_create_missing_queues",
    "CELERYD_CONCURRENCY": "worker_concurrency",
    "CELERYD_PREFETCH_MULTIPLIER": "worker_prefetch_multiplier",
    "CELERYD_TASK_TIME_LIMIT": "task_time_limit",
    "CELERYD_TASK_SOFT_TIME_LIMIT": "task_soft_time_limit",
}

#: the settings the task analyzer uses
KEYS = frozenset({"beat_schedule", "beat_scheduler", "task_routes", "imports", "include", "task_default_queue"})


def setting_key(name: str, namespace: str | None, mode: str) -> str:
    """Normalised (new, lowercase) setting name for a variable/attribute ``name``, or "".

    ``mode`` is ``conf`` (an ``app.conf`` attribute: lowercase or old names),
    ``module`` (a config module or class: lowercase or old names) or
    ``django`` (a settings module read with ``namespace``).
    """
    if mode == "django" and namespace:
        prefix = namespace + "_"
        if name.startswith(prefix):
            new = name[len(prefix):].lower()
            if new in KEYS:
                return new
        return OLD_NAMES.get(name, "")
    if name in OLD_NAMES:
        return OLD_NAMES[name]
    if name.islower() and name in KEYS:
        return name
    return ""


@dataclass(frozen=True)
class Setting:
    """One operation on a Celery setting, with the source expression."""

    key: str  # normalised setting name (see KEYS)
    op: str  # "=" (set), "update" (dict merge), "item" (one dict entry)
    value: ast.expr | None
    module: str
    scope: str
    line: int
    origin: str  # e.g. "app.conf", "conf.update", "Celery()", "config_from_object", "settings", "config class"
    app: str = ""  # qualified name of the app it belongs to ("" = not linked to a known app)
    item_key: ast.expr | None = None  # for op "item": the entry key expression
    conditions: tuple[str, ...] = ()


# --------------------------------------------------------------------------- dicts
@dataclass(frozen=True)
class DictItem:
    """A key/value pair of a dict found in source, with where its expressions live."""

    key: ast.expr | None
    value: ast.expr
    module: str
    scope: str


def dict_items(project: Project, module: str, scope: str, node: ast.expr | None, depth: int = 0) -> list[DictItem] | None:
    """Items of a dict expression, following names to their dict literal (None when not a dict)."""
    if node is None or depth > 8:
        return None
    if isinstance(node, ast.Dict):
        out: list[DictItem] = []
        for k, v in zip(node.keys, node.values):
            if k is None:
                inner = dict_items(project, module, scope, v, depth + 1)
                if inner:
                    out.extend(inner)
                continue
            out.append(DictItem(k, v, module, scope))
        return out
    if isinstance(node, ast.Call):
        name = _dotted(node.func)
        q = project.resolve_name(module, name, scope) if name else ""
        if q in ("builtins.dict", "dict") and not node.args:
            return [DictItem(ast.Constant(kw.arg), kw.value, module, scope) for kw in node.keywords if kw.arg]
        return None
    name = _dotted(node)
    if not name:
        return None
    q = project.resolve_name(module, name, scope)
    d = project.lookup(q)
    if d.kind == "assignment" and d.obj.value is not None and d.obj.op == "=":
        return dict_items(project, d.module, d.obj.scope, d.obj.value, depth + 1)
    return None


def _dotted(node: ast.AST | None) -> str:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


def unparse(node: ast.AST | None) -> str:
    if node is None:
        return ""
    try:
        text = ast.unparse(node)
    except Exception:  # pragma: no cover
        return "<expr>"
    return text if len(text) <= 300 else text[:299] + "…"


# --------------------------------------------------------------------------- routes
@dataclass(frozen=True)
class Route:
    """One ``task_routes`` rule."""

    pattern: str  # task name, glob, or regex (kind "regex")
    kind: str  # "name", "glob", "regex"
    queue: str
    module: str
    line: int


def routes_of(project: Project, settings: list[Setting]) -> list[Route]:
    """Rules of every ``task_routes`` setting, in order (later settings override earlier ones)."""
    out: list[Route] = []
    for s in settings:
        if s.key != "task_routes" or s.value is None:
            continue
        if s.op == "item" and s.item_key is not None:
            items = [DictItem(s.item_key, s.value, s.module, s.scope)]
        else:
            items = dict_items(project, s.module, s.scope, s.value) or []
            if not items and isinstance(s.value, (ast.List, ast.Tuple)):
                for elt in s.value.elts:  # a list of route dicts
                    items.extend(dict_items(project, s.module, s.scope, elt) or [])
        for item in items:
            if item.key is None:
                continue
            kind = "name"
            pattern_v = project.evaluate(item.module, item.key, item.scope)
            if isinstance(item.key, ast.Call) and _dotted(item.key.func).endswith("compile") and item.key.args:
                pattern_v = project.evaluate(item.module, item.key.args[0], item.scope)
                kind = "regex"
            if not pattern_v.ok or not isinstance(pattern_v.value, str):
                continue
            pattern = pattern_v.value
            if kind == "name" and any(c in pattern for c in "*?["):
                kind = "glob"
            queue = _route_queue(project, item)
            if queue:
                out.append(Route(pattern, kind, queue, item.module, getattr(item.key, "lineno", s.line)))
    return out


def _route_queue(project: Project, item: DictItem) -> str:
    v = item.value
    inner = dict_items(project, item.module, item.scope, v)
    if inner is not None:
        for it in inner:
            k = project.evaluate(it.module, it.key, it.scope) if it.key is not None else None
            if k is not None and k.ok and k.value == "queue":
                qv = project.evaluate_string(it.module, it.value, it.scope)
                return qv.value if isinstance(qv.value, str) else ""
        return ""
    qv = project.evaluate(item.module, v, item.scope)
    if qv.ok and isinstance(qv.value, str):
        return qv.value  # a bare string value names the queue
    return ""


def route_queue(routes: list[Route], task_name: str) -> str:
    """Queue the first matching rule gives ``task_name`` (exact names win over globs)."""
    for r in routes:
        if r.kind == "name" and r.pattern == task_name:
            return r.queue
    for r in routes:
        if r.kind == "glob" and fnmatch.fnmatchcase(task_name, r.pattern):
            return r.queue
        if r.kind == "regex":
            try:
                if re.match(r.pattern, task_name):
                    return r.queue
            except re.error:
                continue
    return ""


# --------------------------------------------------------------------------- beat
@dataclass(frozen=True)
class RawBeat:
    """A beat entry as found in a schedule dict (names not yet matched to tasks)."""

    entry: Value
    task_node: ast.expr | None
    schedule: ast.expr | None
    module: str
    scope: str
    line: int
    options: tuple[tuple[str, str], ...]
    conditions: tuple[str, ...]
    origin: str
    schedule_text: str = ""  # set when the schedule is not one expression (env-driven defaults)
    built_by: str = ""  # the function that builds the schedule at runtime


def beat_entries(project: Project, settings: list[Setting]) -> Iterator[RawBeat]:
    """Entries of every ``beat_schedule`` setting operation."""
    for s in settings:
        if s.key != "beat_schedule" or s.value is None:
            continue
        if isinstance(s.value, ast.Call):
            yield from _built_entries(project, s)
            continue
        if s.op == "item":
            items = [DictItem(s.item_key, s.value, s.module, s.scope)]
        else:
            items = dict_items(project, s.module, s.scope, s.value) or []
        for item in items:
            if item.key is None:
                continue
            spec = dict_items(project, item.module, item.scope, item.value)
            if spec is None:
                continue
            fields: dict[str, DictItem] = {}
            for f in spec:
                kv = project.evaluate(f.module, f.key, f.scope) if f.key is not None else None
                if kv is not None and kv.ok and isinstance(kv.value, str):
                    fields[kv.value] = f
            options = tuple(
                (k, unparse(fields[k].value))
                for k in ("args", "kwargs", "options", "relative")
                if k in fields
            )
            yield RawBeat(
                entry=project.evaluate_string(item.module, item.key, item.scope),
                task_node=fields["task"].value if "task" in fields else None,
                schedule=fields["schedule"].value if "schedule" in fields else None,
                module=item.module,
                scope=item.scope,
                line=s.line if s.op == "item" else (getattr(item.key, "lineno", s.line) or s.line),
                options=options,
                conditions=s.conditions,
                origin=s.origin,
            )


def _built_entries(project: Project, s: Setting) -> Iterator[RawBeat]:
    """``CELERY_BEAT_SCHEDULE = build()``: the entry dicts (with a ``"task"`` key) written in ``build``.

    Paperless-ngx builds its schedule from a literal list of dicts whose cron string
    comes from the environment with a default (``env_key``/``env_default``); those
    defaults are reported, and every entry is ``partial`` (the function decides at
    runtime which entries exist).
    """
    callee = _dotted(s.value.func) if isinstance(s.value, ast.Call) else ""
    d = project.lookup(project.resolve_name(s.module, callee, s.scope)) if callee else None
    if d is None or d.kind != "function":
        return
    fn = d.obj
    syms = project.symbols[d.module]
    scope = fn.qualname
    for a in syms.assignments:
        if a.scope != scope or a.value is None:
            continue
        values = a.value.elts if isinstance(a.value, (ast.List, ast.Tuple)) else [a.value]
        for v in values:
            spec = dict_items(project, d.module, scope, v) if isinstance(v, ast.Dict) else None
            fields: dict[str, DictItem] = {}
            for f in spec or []:
                kv = project.evaluate(f.module, f.key, f.scope) if f.key is not None else None
                if kv is not None and kv.ok and isinstance(kv.value, str):
                    fields[kv.value] = f
            if "task" not in fields:
                continue
            name = fields.get("name")
            entry = project.evaluate_string(d.module, name.value, scope) if name is not None else project.evaluate_string(
                d.module, fields["task"].value, scope)
            text = ""
            if "schedule" not in fields and "env_default" in fields:
                default = project.evaluate_string(d.module, fields["env_default"].value, scope)
                text = str(default.value) if default.value is not None else unparse(fields["env_default"].value)
                if "env_key" in fields:
                    env = project.evaluate_string(d.module, fields["env_key"].value, scope)
                    text += f" (env {env.value if isinstance(env.value, str) else unparse(fields['env_key'].value)})"
            yield RawBeat(
                entry=entry,
                task_node=fields["task"].value,
                schedule=fields["schedule"].value if "schedule" in fields else None,
                module=d.module,
                scope=scope,
                line=getattr(v, "lineno", a.line),
                options=tuple((k, unparse(fields[k].value)) for k in ("args", "kwargs", "options") if k in fields),
                conditions=s.conditions,
                origin=s.origin,
                schedule_text=text,
                built_by=f"{d.module}.{fn.qualname}",
            )


def module_paths(value: Value) -> list[str]:
    """Strings of a folded list/tuple/str setting (``imports``/``include``)."""
    v = value.value
    if isinstance(v, str):
        return [v]
    if isinstance(v, (list, tuple)):
        return [x for x in v if isinstance(x, str)]
    return []

