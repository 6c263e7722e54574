"""Shared state of the Celery analyzer: apps, task definitions, wrappers and name helpers.

The analyzer is split by concern: :mod:`.celery` finds apps and task definitions,
:mod:`.celery_settings` reads configuration, :mod:`.celery_calls` resolves
producers and beat entries and makes findings.  They share this state.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Iterable

from ..facts import Task
from ..model import Finding, Location
from ..project import Project
from ..symbols import FunctionInfo
from .celery_config import Setting
from .tasksites import TaskSiteSummary, outer_function, source_summaries

CELERY_CLASSES = frozenset({"celery.Celery", "celery.app.Celery", "celery.app.base.Celery"})
TASK_CLASSES = frozenset({"celery.Task", "celery.app.task.Task", "celery.task.Task", "celery.app.Task", "celery.task.base.Task"})
SHARED_TASK = frozenset({"celery.shared_task", "celery.app.shared_task", "celery.app.base.shared_task", "celery.task", "celery.decorators.task", "celery.task.task"})
#: Celery 3 ``periodic_task(run_every=...)`` decorators
OLD_PERIODIC = frozenset({"celery.task.periodic_task", "celery.decorators.periodic_task", "celery.task.base.periodic_task"})
CURRENT_APP = frozenset({"celery.current_app", "celery._state.current_app", "celery.app.current_app"})
SIGNATURE_FUNCS = frozenset({"celery.signature", "celery.canvas.signature", "celery.Signature", "celery.canvas.Signature", "celery.subtask", "celery.canvas.subtask"})
PRODUCER_METHODS = frozenset({"delay", "apply_async", "s", "si", "signature", "subtask"})
DB_SCHEDULER_HINTS = ("DatabaseScheduler", "django_celery_beat", "RedBeatScheduler", "redbeat")


@dataclass
class CeleryApp:
    """A Celery application object found in the code."""

    key: str  # qualified name of the variable first bound to the app
    module: str
    scope: str
    call: ast.Call
    cls: str
    names: set[str] = field(default_factory=set)
    loads: dict[str, str] = field(default_factory=dict)  # module -> how the worker imports it


@dataclass(frozen=True)
class TaskWrapper:
    """A function (or Celery-subclass method) whose body creates a task: a decorator factory."""

    qualname: str
    module: str
    fn: FunctionInfo | None  # None for configured decorators and Celery's own periodic_task
    call: ast.Call | None  # the ``<app>.task(...)`` call inside it
    apps: tuple[str, ...]  # app keys ("" entries for shared/current apps)
    shared: bool
    name_param: str = ""  # parameter of the wrapper that becomes the task name
    name_const: ast.expr | None = None  # a fixed name expression in the task call
    forwards_kwargs: bool = False  # the task call receives the wrapper's **kwargs
    queue_param: str = ""
    schedule_param: str = ""  # parameter/kwargs key holding the schedule (periodic wrappers)
    periodic: bool = False


@dataclass
class TaskDef:
    """A task being built: the fact plus what resolution needs about it."""

    task: Task
    module: str
    scope: str
    refs: set[str] = field(default_factory=set)  # qualified names that denote this task object
    shared: bool = False
    wrapper: str = ""


class ResolverState:
    """What every part of the Celery resolution reads and writes."""

    def __init__(self, project: Project) -> None:
        self.p = project
        self.summaries: dict[str, TaskSiteSummary] = source_summaries(project, "celery")
        self.findings: list[Finding] = []
        self.notes: list[tuple[str, str]] = []
        self.apps: dict[str, CeleryApp] = {}  # key -> app
        self.app_by_name: dict[str, CeleryApp] = {}
        self.factory_app: dict[str, CeleryApp] = {}
        self.celery_classes: set[str] = set(CELERY_CLASSES)
        self.settings: list[Setting] = []
        self.used_sources: set[tuple[str, str]] = set()
        self.wrappers: dict[str, TaskWrapper] = {}
        self.defs: list[TaskDef] = []
        self.inner_calls: set[int] = set()
        self.db_scheduler: list[tuple[str, Location]] = []
        self.periodic: list[tuple[str, FunctionInfo, ast.expr, ast.expr, str, str, str]] = []
        self.by_ref: dict[str, TaskDef] = {}
        self.by_name: dict[str, list[TaskDef]] = {}
        self.task_class_names: set[str] = set()

    def loc(self, module: str, node: ast.AST | None) -> Location:
        return self.p.location(module, node)

    def resolve(self, module: str, text: str, scope: str) -> str:
        return self.p.resolve_name(module, text, scope) if text else ""

    def app_refs(self, module: str, text: str, scope: str) -> tuple[bool, list[CeleryApp]]:
        """Is ``text`` (in ``module``/``scope``) a Celery app, and which ones?

        ``current_app`` and ``self`` in a Celery-subclass method give every
        matching app (an empty list when no app is visible).
        """
        if not text:
            return False, []
        if text == "self":
            cls = self._enclosing_class(module, scope)
            if cls and cls in self.celery_classes:
                return True, [a for a in self.apps.values() if cls in self.p.mro(a.cls)]
            return False, []
        q = self.resolve(module, text, scope)
        if q in self.app_by_name:
            return True, [self.app_by_name[q]]
        if q in CURRENT_APP:
            return True, list(self.apps.values()) if len(self.apps) == 1 else []
        d = self.p.lookup(q)
        if d.kind == "assignment" and isinstance(d.obj.value, ast.Call):
            callee = self.resolve(d.module, dotted(d.obj.value.func), d.obj.scope)
            if callee in self.factory_app:
                return True, [self.factory_app[callee]]
        return False, []

    def _enclosing_class(self, module: str, scope: str) -> str:
        outer = outer_function(scope)
        if "." not in outer:
            return ""
        cls = outer.rsplit(".", 1)[0]
        syms = self.p.symbols.get(module)
        if syms is not None and syms.cls(cls) is not None:
            return f"{module}.{cls}"
        return ""

    def _shared_apps(self) -> list[CeleryApp]:
        return list(self.apps.values()) if len(self.apps) == 1 else []

    def _apps_of(self, keys: Iterable[str]) -> list[CeleryApp]:
        return [self.apps[k] for k in keys if k in self.apps]


def dotted(node: ast.AST | None) -> str:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""
