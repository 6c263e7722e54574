"""Runtime task dump for Celery applications.

``app.loader.import_default_modules()`` imports the modules from the ``imports``
/ ``include`` settings and fires the ``import_modules`` signal that runs lazy
``autodiscover_tasks()``; ``app.tasks`` then finalises the registry.

tasks.json: {"tasks": [...], "beat": [...]}.  Celery's own tasks
(``celery.*``) are kept but marked "builtin": true.
"""

from __future__ import annotations

import inspect
from typing import Any

from gtcommon import dotted_name, origin_of, unwrap


def _schedule_text(schedule: Any) -> str:
    try:
        from datetime import timedelta

        if isinstance(schedule, timedelta):
            return f"every {schedule.total_seconds():g}s"
        if isinstance(schedule, (int, float)):
            return f"every {schedule:g}s"
    except Exception:
        pass
    return repr(schedule)


def dump_app(app: Any, project_roots: list[str], extra_beat: dict | None = None) -> dict:
    app.loader.import_default_modules()
    tasks = []
    for name, task in sorted(app.tasks.items()):
        run = getattr(task, "run", None)
        fn = unwrap(run) if run is not None else None
        if inspect.ismethod(fn):
            fn = fn.__func__
        function = dotted_name(fn) if fn is not None else None
        module = getattr(fn, "__module__", None) or type(task).__module__
        task_class = f"{type(task).__module__}.{type(task).__qualname__}"
        item: dict[str, Any] = {
            "name": name,
            "module": module,
            "function": function,
            "task_class": task_class,
            "origin": origin_of(function or task_class, project_roots),
        }
        if name.startswith("celery."):
            item["builtin"] = True
        tasks.append(item)

    beat = []
    schedule = dict(app.conf.beat_schedule or {})
    if extra_beat:
        schedule.update(extra_beat)
    for entry, spec in sorted(schedule.items()):
        beat.append(
            {
                "entry": entry,
                "task": spec.get("task"),
                "schedule": _schedule_text(spec.get("schedule")),
                "args": list(spec.get("args") or ()),
                "kwargs": dict(spec.get("kwargs") or {}),
                "options": dict(spec.get("options") or {}),
            }
        )
    return {"app": f"{app.main}", "tasks": tasks, "beat": beat}
