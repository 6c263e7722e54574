"""Celery: applications, tasks, their registered names, queues, beat schedules and producers.

What is recognised (never by importing the project):

* **Apps**: ``Celery(...)`` and project subclasses of ``celery.Celery``, created at
  module level or in a factory (``app = create_application()``, ``make_celery(app)``),
  followed through imports and aliases; ``current_app``.
* **Configuration**: ``app.conf.X = ...``, ``app.conf.update(...)``, ``Celery(include=...)``,
  ``config_from_object("module" | "module:Obj" | "django.conf:settings", namespace="CELERY")``
  or an object/class, settings classes such as Superset's ``class CeleryConfig``,
  old setting names (``CELERYBEAT_SCHEDULE``, ``CELERY_ROUTES``, ``CELERY_IMPORTS``);
  ``include``/``imports``/``autodiscover_tasks()`` (``<package>.tasks`` over
  ``INSTALLED_APPS``) say which modules the worker imports.
* **Tasks**: ``@app.task``, ``@app.task(...)``, ``@shared_task`` (bound to the single
  app, or flagged ambiguous), aliases (``nautobot_task = shared_task``), wrapper
  decorators whose body calls ``<app>.task(...)`` one level down (Sentry's
  ``instrumented_task(name=...)``, Indico's ``IndicoCelery.periodic_task``, which
  also registers a beat entry), ``[tool.backendscan] task-decorators``,
  imperative ``app.task(**opts)(fn)`` (also in ``__init_subclass__``, expanded per
  subclass), and ``Task`` subclasses registered with ``app.register_task(X())``.
  The registered name is ``name=`` (constant-folded; ``partial``/``unresolved``
  otherwise) or Celery's default ``<module>.<function __name__>``, from the
  module's import name; a ``gen_task_name`` override is followed when it only
  strips or rewrites the module name, else the name is ``unresolved``.
* **Queues**: ``queue=`` on the task, else ``task_routes`` (names, globs,
  ``re.compile``), else ``task_default_queue``.
* **Beat**: ``beat_schedule`` dicts (app conf, config modules/classes, Django
  settings, entries added under ``if``), ``add_periodic_task(...)``, periodic
  decorators; a database scheduler adds a note that more entries live at runtime.
* **Producers**: ``.delay()``, ``.apply_async()`` (options kept), ``.s()``,
  ``.si()``, ``.signature()``, ``signature("name")``, ``send_task("name")``,
  ``app.tasks["name"].apply_async()``, resolved through imports or by name.

Findings: ``task-never-started``, ``unknown-task-name``, ``ambiguous-shared-task``,
``unregistered-task-class``, ``duplicate-task-name``, ``beat-database-scheduler``.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar, Iterable

from ..facts import PARTIAL, RESOLVED, UNRESOLVED, BeatEntry, Task, TaskCall
from ..model import Finding, Location, Severity, Unresolved
from ..parsing import ParsedModule
from ..project import Instance, Project, Ref, Value
from ..symbols import Assignment, ClassInfo, FunctionInfo
from .base import AnalyzerOutput
from .celery_config import (
    Setting,
    beat_entries,
    dict_items,
    module_paths,
    route_queue,
    routes_of,
    setting_key,
    unparse,
)
from .celery_naming import default_name, follow_gen_task_name
from .tasksites import (
    CallSite,
    TaskSiteSummary,
    TaskSiteVisitor,
    argument,
    caller_of,
    interested_text,
    is_source,
    keyword,
    keyword_options,
    outer_function,
    param_argument,
    source_summaries,
)

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
class _App:
    key: str  # qualified name of the variable first bound to the app
    module: str
    scope: str
    call: ast.Call
    cls: str
    names: set[str] = field(default_factory=set)
    loads: dict[str, str] = field(default_factory=dict)  # module -> how the worker imports it


@dataclass(frozen=True)
class _Wrapper:
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
class _TaskDef:
    task: Task
    module: str
    scope: str
    refs: set[str] = field(default_factory=set)  # qualified names that denote this task object
    shared: bool = False
    wrapper: str = ""


class CeleryAnalyzer:
    """Celery apps, tasks, beat schedules and producers (see the module docstring)."""

    name: ClassVar[str] = "celery"
    version: ClassVar[str] = "1"

    def interested(self, module: str, text: str) -> bool:
        return interested_text(text)

    def visitor(self, parsed: ParsedModule) -> TaskSiteVisitor:
        return TaskSiteVisitor(parsed)

    def resolve(self, project: Project) -> AnalyzerOutput:
        return _Resolver(project).run()


class _Resolver:
    def __init__(self, project: Project) -> None:
        self.p = project
        self.summaries: dict[str, TaskSiteSummary] = source_summaries(project, "celery")
        self.findings: list[Finding] = []
        self.notes: list[tuple[str, str]] = []
        self.apps: dict[str, _App] = {}  # key -> app
        self.app_by_name: dict[str, _App] = {}
        self.factory_app: dict[str, _App] = {}
        self.celery_classes: set[str] = set(CELERY_CLASSES)
        self.settings: list[Setting] = []
        self.used_sources: set[tuple[str, str]] = set()
        self.wrappers: dict[str, _Wrapper] = {}
        self.defs: list[_TaskDef] = []
        self.inner_calls: set[int] = set()
        self.db_scheduler: list[tuple[str, Location]] = []
        self.periodic: list[tuple[str, FunctionInfo, ast.expr, ast.expr, str, str, str]] = []
        self.by_ref: dict[str, _TaskDef] = {}
        self.by_name: dict[str, list[_TaskDef]] = {}

    # ------------------------------------------------------------------ driver
    def run(self) -> AnalyzerOutput:
        if not self.summaries:
            return AnalyzerOutput()
        self._find_celery_classes()
        self._find_apps()
        self._name_apps()
        self._collect_settings()
        self._worker_modules()
        self._find_wrappers()
        self._decorated_tasks()
        self._imperative_tasks()
        self._class_tasks()
        self._assign_queues()
        calls = self._producers()
        beat = self._beat()
        tasks = self._attach(calls)
        self._findings(tasks, calls, beat)
        self._notes()
        return AnalyzerOutput(
            tasks=tuple(sorted(tasks, key=Task.sort_key)),
            task_calls=tuple(sorted(calls, key=lambda c: (c.file, c.line, c.task, c.method))),
            beat=tuple(sorted(beat, key=lambda b: (b.entry, b.task, b.file, b.line))),
            findings=tuple(self.findings),
            notes=tuple(sorted(set(self.notes))),
        )

    # ------------------------------------------------------------------ helpers
    def loc(self, module: str, node: ast.AST | None) -> Location:
        return self.p.location(module, node)

    def qual_target(self, module: str, a: Assignment) -> str:
        if "." in a.target or "[" in a.target:
            return f"{module}.{a.scope + '.' if a.scope else ''}{a.target}"
        return f"{module}.{self.p._qual(module, a.scope, a.target)}"

    def resolve(self, module: str, text: str, scope: str) -> str:
        return self.p.resolve_name(module, text, scope) if text else ""

    def app_refs(self, module: str, text: str, scope: str) -> tuple[bool, list[_App]]:
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
            callee = self.resolve(d.module, _dotted(d.obj.value.func), d.obj.scope)
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

    # ------------------------------------------------------------------- apps
    def _find_celery_classes(self) -> None:
        for module in self.summaries:
            syms = self.p.symbols.get(module)
            if syms is None:
                continue
            for c in syms.classes:
                q = f"{module}.{c.qualname}"
                if self.p.is_subclass(q, CELERY_CLASSES) and q not in CELERY_CLASSES:
                    self.celery_classes.add(q)

    def _new_app(self, key: str, module: str, scope: str, call: ast.Call, cls: str) -> _App:
        app = self.apps.get(key)
        if app is None:
            app = _App(key, module, scope, call, cls, {key})
            self.apps[key] = app
        self.app_by_name[key] = app
        return app

    def _find_apps(self) -> None:
        for module, summary in self.summaries.items():
            syms = self.p.symbols.get(module)
            if syms is None:
                continue
            for a in syms.assignments:
                if a.op != "=" or not isinstance(a.value, ast.Call):
                    continue
                callee = self.resolve(module, _dotted(a.value.func), a.scope)
                if callee in self.celery_classes:
                    self._new_app(self.qual_target(module, a), module, a.scope, a.value, callee)
            for scope, expr in summary.returns:
                if isinstance(expr, ast.Call):
                    callee = self.resolve(module, _dotted(expr.func), scope)
                    if callee in self.celery_classes:
                        fq = f"{module}.{scope}"
                        self.factory_app[fq] = self._new_app(f"{fq}()", module, scope, expr, callee)
        # factories returning an app variable, and variables bound to a factory's result
        for _ in range(3):
            changed = False
            for module, summary in self.summaries.items():
                for scope, expr in summary.returns:
                    fq = f"{module}.{scope}"
                    if fq in self.factory_app:
                        continue
                    if isinstance(expr, (ast.Name, ast.Attribute)):
                        q = self.resolve(module, _dotted(expr), scope)
                        if q in self.app_by_name:
                            self.factory_app[fq] = self.app_by_name[q]
                            changed = True
                    elif isinstance(expr, ast.Call):
                        q = self.resolve(module, _dotted(expr.func), scope)
                        if q in self.factory_app:
                            self.factory_app[fq] = self.factory_app[q]
                            changed = True
                syms = self.p.symbols.get(module)
                for a in syms.assignments if syms is not None else ():
                    if a.op != "=" or not isinstance(a.value, ast.Call):
                        continue
                    callee = self.resolve(module, _dotted(a.value.func), a.scope)
                    if callee in self.factory_app:
                        tq = self.qual_target(module, a)
                        if tq not in self.app_by_name:
                            app = self.factory_app[callee]
                            self.app_by_name[tq] = app
                            app.names.add(tq)
                            changed = True
            if not changed:
                break

    def _name_apps(self) -> None:
        """Name each app after a module-level variable bound to it (``web.worker.app``) when there is one."""
        renamed: dict[str, _App] = {}
        for app in self.apps.values():
            public = []
            for n in app.names:
                mod, rest = self.p._module_prefix(n)
                if mod and rest and "." not in rest:
                    public.append(n)
            if public:
                app.key = sorted(public)[0]
                for n in public:
                    app.loads.setdefault(self.p._module_prefix(n)[0], "app module")
            renamed[app.key] = app
        self.apps = renamed

    # --------------------------------------------------------------- settings
    def _collect_settings(self) -> None:
        conf_targets: list[tuple[str, Assignment]] = []
        for module in self.summaries:
            syms = self.p.symbols.get(module)
            for a in syms.assignments if syms is not None else ():
                if ".conf" in a.target:
                    conf_targets.append((module, a))
        for module, a in conf_targets:
            parsed = _parse_conf_target(a.target)
            if parsed is None:
                continue
            recv, key, item = parsed
            ok, apps = self.app_refs(module, recv, a.scope)
            if not ok:
                continue
            norm = setting_key(key, None, "conf")
            if not norm:
                continue
            op = "item" if item is not None else ("=" if a.op == "=" else "update")
            for key in [a_.key for a_ in apps] or [""]:
                self.settings.append(
                    Setting(norm, op, a.value, module, a.scope, a.line, "app.conf", key, item_key=item,
                            conditions=_conds(a))
                )
        for app in list(self.apps.values()):
            for kw in app.call.keywords:
                if kw.arg in ("include", "imports"):
                    self.settings.append(Setting(kw.arg, "=", kw.value, app.module, app.scope, kw.value.lineno, "Celery()", app.key))
                elif kw.arg == "config_source":
                    self._config_source(app.module, app.scope, kw.value, None, [app], kw.value.lineno)
        for module, summary in self.summaries.items():
            for cs in summary.calls:
                if cs.method == "update":
                    self._conf_update(module, cs)
                elif cs.method == "config_from_object":
                    recv = cs.callee.rsplit(".", 1)[0] if "." in cs.callee else ""
                    ok, apps = self.app_refs(module, recv, cs.scope)
                    if not ok:
                        continue
                    arg = argument(cs.node, 0, "obj")
                    ns = keyword(cs.node, "namespace")
                    ns_v = self.p.evaluate(module, ns, cs.scope) if ns is not None else None
                    namespace = ns_v.value if ns_v is not None and ns_v.ok and isinstance(ns_v.value, str) else None
                    self._config_source(module, cs.scope, arg, namespace, apps, cs.line)
        self._fallback_sources()
        self.settings = _effective(self.settings)

    def _conf_update(self, module: str, cs: CallSite) -> None:
        recv = cs.callee[: -len(".update")]
        if recv.endswith(".conf"):
            ok, apps = self.app_refs(module, recv[: -len(".conf")], cs.scope)
            if not ok:
                return
            pairs: list[tuple[str, ast.expr, int]] = []
            for arg in cs.node.args:
                items = dict_items(self.p, module, cs.scope, arg)
                if items is None:
                    self._unread(module, arg)
                for item in items or []:
                    kv = self.p.evaluate(item.module, item.key, item.scope) if item.key is not None else None
                    if kv is not None and kv.ok and isinstance(kv.value, str):
                        pairs.append((kv.value, item.value, getattr(item.key, "lineno", cs.line)))
            for kw in cs.node.keywords:
                if kw.arg:
                    pairs.append((kw.arg, kw.value, kw.value.lineno))
            for key, value, line in pairs:
                norm = setting_key(key, None, "conf")
                if norm:
                    for k in [ap.key for ap in apps] or [""]:
                        self.settings.append(Setting(norm, "=", value, module, cs.scope, line, "conf.update", k,
                                                     conditions=cs.conditions))
            return
        if ".conf." in recv:
            head, _, key = recv.rpartition(".conf.")
            ok, apps = self.app_refs(module, head, cs.scope)
            norm = setting_key(key, None, "conf")
            if ok and norm and cs.node.args:
                for k in [ap.key for ap in apps] or [""]:
                    self.settings.append(Setting(norm, "update", cs.node.args[0], module, cs.scope, cs.line,
                                                 "app.conf", k, conditions=cs.conditions))

    def _config_source(self, module: str, scope: str, arg: ast.expr | None, namespace: str | None,
                       apps: list[_App], line: int) -> None:
        if arg is None:
            return
        keys = [a.key for a in apps] or [""]
        v = self.p.evaluate(module, arg, scope)
        if v.ok and isinstance(v.value, str):
            path = v.value
            if path in ("django.conf:settings", "django.conf.settings"):
                for sm in self.p.django_settings_modules:
                    self._read_module(sm, "django" if namespace else "module", namespace, "django settings", keys)
                return
            mod, _, attr = path.partition(":")
            if not attr and mod not in self.p.modules:
                mod, _, attr = path.rpartition(".")
            if attr:
                self._read_object(f"{mod}.{attr}", keys, namespace)
            elif mod in self.p.modules:
                self._read_module(mod, "module", namespace, "config module", keys)
            return
        if v.ok and isinstance(v.value, Ref):
            self._read_object(v.value.qualname, keys, namespace)
            return
        if v.ok and isinstance(v.value, Instance):
            self._read_class(v.value.cls, keys, "config object")
            return
        # e.g. superset: config_from_object(self.config["CELERY_CONFIG"]): find the config key's default
        key_name = ""
        if isinstance(arg, ast.Subscript) and isinstance(arg.slice, ast.Constant) and isinstance(arg.slice.value, str):
            key_name = arg.slice.value
        elif isinstance(arg, ast.Attribute):
            key_name = arg.attr
        elif isinstance(arg, ast.Call) and _dotted(arg.func).endswith(".get") and arg.args:
            kv = self.p.evaluate(module, arg.args[0], scope)
            key_name = kv.value if kv.ok and isinstance(kv.value, str) else ""
        if not key_name or not key_name.isupper():
            self._unread(module, arg)
            return
        found_any = False
        if key_name:
            for m in sorted(self.p.symbols):
                if not is_source(self.p, m):
                    continue
                for a in self.p.symbols[m].module_level(key_name):
                    if isinstance(a, Assignment) and a.value is not None:
                        val = self.p.evaluate(m, a.value, "")
                        if val.ok and isinstance(val.value, Ref):
                            found_any = True
                            self._read_object(val.value.qualname, keys, namespace, origin=f"default config {m}.{key_name}")
        if not found_any:
            self._unread(module, arg)

    def _unread(self, module: str, expr: ast.expr) -> None:
        loc = self.loc(module, expr)
        self.notes.append(("celery", f"configuration the scan cannot read: {unparse(expr)} at {loc.short}"))

    def _read_object(self, qualified: str, keys: list[str], namespace: str | None, origin: str = "config object") -> None:
        d = self.p.lookup(self.p.canonical(qualified))
        if d.kind == "class":
            self._read_class(d.qualname, keys, origin)
        elif d.kind == "module":
            self._read_module(d.qualname, "module", namespace, "config module", keys)
        elif d.kind == "assignment" and d.obj.value is not None:
            v = self.p.evaluate(d.module, d.obj.value, d.obj.scope)
            if v.ok and isinstance(v.value, Ref):
                self._read_object(v.value.qualname, keys, namespace, origin)
            elif v.ok and isinstance(v.value, Instance):
                self._read_class(v.value.cls, keys, origin)

    def _read_module(self, module: str, mode: str, namespace: str | None, origin: str, keys: list[str],
                     seen: set[str] | None = None, shadow: frozenset[str] = frozenset()) -> None:
        """Settings of a config/settings module, following ``from .base import *`` chains.

        Names the importing module assigns again after the star import shadow the imported ones.
        """
        seen = seen if seen is not None else set()
        if module in seen or module not in self.p.symbols:
            return
        seen.add(module)
        self.used_sources.add((module, ""))
        syms = self.p.symbols[module]
        for b in syms.bindings:
            if b.scope == "" and b.name == "*":
                later = {a.target for a in syms.assignments
                         if a.scope == "" and a.op == "=" and not a.conditional and a.line > b.line}
                self._read_module(b.target, mode, namespace, origin, keys, seen, shadow | later)
        self._read_scope(module, "", mode, namespace, origin, keys, shadow)

    def _read_class(self, qualified: str, keys: list[str], origin: str) -> None:
        """Class attributes of a settings class and its first-party bases (subclasses override)."""
        shadow: set[str] = set()
        for c in self.p.mro(qualified):
            found = self.p.class_info(c)
            if found is None:
                continue
            module, info = found
            self.used_sources.add((module, info.qualname))
            self._read_scope(module, info.qualname, "module", None, origin, keys, frozenset(shadow))
            shadow |= {a.target for a in self.p.symbols[module].class_assignments(info.qualname)
                       if a.op == "=" and not a.conditional}

    def _read_scope(self, module: str, scope: str, mode: str, namespace: str | None, origin: str, keys: list[str],
                    shadow: frozenset[str] = frozenset()) -> None:
        syms = self.p.symbols[module]
        names: dict[str, str] = {}
        for a in syms.assignments:
            if a.scope != scope:
                continue
            base, item = _split_item(a.target)
            if not base or "." in base or base in shadow:
                continue
            norm = setting_key(base, namespace, mode)
            if not norm:
                continue
            names[base] = norm
            op = "item" if item is not None else ("=" if a.op == "=" else "update")
            for k in keys:
                self.settings.append(Setting(norm, op, a.value, module, scope, a.line, origin, k, item_key=item,
                                             conditions=_conds(a)))
        summary = self.summaries.get(module)
        for cs in summary.calls if summary is not None else ():
            if cs.method == "update" and cs.scope == scope:
                base = cs.callee[: -len(".update")]
                norm = names.get(base) or setting_key(base, namespace, mode)
                if norm and cs.node.args and base not in shadow:
                    for k in keys:
                        self.settings.append(Setting(norm, "update", cs.node.args[0], module, scope, cs.line, origin, k,
                                                     conditions=cs.conditions))

    def _fallback_sources(self) -> None:
        """Sources not linked to an app by code we can see: Django settings, CeleryConfig classes."""
        only = [next(iter(self.apps))] if len(self.apps) == 1 else [""]
        for sm in self.p.django_settings_modules:
            if (sm, "") not in self.used_sources:
                self._read_module(sm, "django", "CELERY", "django settings", only)
        for module in self.summaries:
            syms = self.p.symbols.get(module)
            if syms is None:
                continue
            for c in syms.classes:
                if (module, c.qualname) in self.used_sources or not _config_class_name(c.name):
                    continue
                self._read_class(f"{module}.{c.qualname}", only, "config class")
            if (module, "") in self.used_sources:
                continue
            for a in syms.assignments:
                if a.scope == "" and _split_item(a.target)[0] in ("CELERYBEAT_SCHEDULE", "CELERY_BEAT_SCHEDULE"):
                    self._read_module(module, "django", "CELERY", "settings", only)
                    break

    def settings_for(self, app_key: str, key: str) -> list[Setting]:
        return [s for s in self.settings if s.key == key and (s.app == app_key or not s.app)]

    # ------------------------------------------------------- worker modules
    def _worker_modules(self) -> None:
        for app in self.apps.values():
            for key, how in (("include", "include"), ("imports", "imports")):
                for s in self.settings_for(app.key, key):
                    v = self.p.evaluate(s.module, s.value, s.scope)
                    for path in module_paths(v):
                        app.loads.setdefault(path, how)
            for module, summary in self.summaries.items():
                for cs in summary.calls:
                    if cs.method != "autodiscover_tasks":
                        continue
                    ok, apps = self.app_refs(module, cs.callee.rsplit(".", 1)[0], cs.scope)
                    if not ok or app not in apps:
                        continue
                    for path in self._autodiscover(module, cs, app):
                        app.loads.setdefault(path, "autodiscover")
            app.loads.setdefault(app.module, "app module")

    def _autodiscover(self, module: str, cs: CallSite, app: _App) -> list[str]:
        packages = argument(cs.node, 0, "packages")
        related = argument(cs.node, 1, "related_name")
        rv = self.p.evaluate(module, related, cs.scope) if related is not None else None
        related_name = rv.value if rv is not None and rv.ok and isinstance(rv.value, str) else "tasks"
        if isinstance(packages, ast.Lambda):
            packages = packages.body
        names: list[str] = []
        if packages is None or (isinstance(packages, ast.Constant) and packages.value is None):
            for sm in self.p.django_settings_modules:
                v = self.p.evaluate(sm, ast.Name("INSTALLED_APPS", ast.Load()), "")
                names = module_paths(v) if v.value is not None else []
                if names:
                    break
        else:
            names = module_paths(self.p.evaluate(module, packages, cs.scope))
        out = []
        for name in names:
            pkg = name
            if name not in self.p.modules:
                d = self.p.lookup(self.p.canonical(name))
                if d.kind == "class":
                    found = self.p.class_attribute(d.qualname, "name")
                    if found is not None and found[1].value is not None:
                        v = self.p.evaluate(found[0], found[1].value, found[1].scope)
                        if v.ok and isinstance(v.value, str):
                            pkg = v.value
            cand = f"{pkg}.{related_name}"
            if cand in self.p.modules:
                out.append(cand)
        return out

    # ---------------------------------------------------------------- wrappers
    def _task_factory(self, module: str, cs: CallSite) -> tuple[bool, bool, list[_App], ast.Call]:
        """Is this call a Celery task factory? -> (is_factory, shared, apps, the factory call)."""
        call = cs.node.func if cs.method.startswith("()") and isinstance(cs.node.func, ast.Call) else cs.node
        text = _dotted(call.func)
        if text.endswith(".task"):
            ok, apps = self.app_refs(module, text[: -len(".task")], cs.scope)
            if ok:
                return True, False, apps, call
        q = self.resolve(module, text, cs.scope)
        if q in SHARED_TASK:
            return True, True, self._shared_apps(), call
        return False, False, [], call

    def _shared_apps(self) -> list[_App]:
        return list(self.apps.values()) if len(self.apps) == 1 else []

    def _find_wrappers(self) -> None:
        for module, summary in self.summaries.items():
            for cs in summary.calls:
                if cs.method.startswith("()"):
                    self.inner_calls.add(id(cs.node.func))
            for cs in summary.calls:
                if cs.method not in ("task", "shared_task", "()task", "()shared_task"):
                    continue
                if id(cs.node) in self.inner_calls or not cs.scope:
                    continue
                outer = outer_function(cs.scope)
                fn = self.p.symbols[module].function(outer)
                if fn is None or outer.endswith("__init_subclass__"):
                    continue
                ok, shared, apps, call = self._task_factory(module, cs)
                if not ok:
                    continue
                if self._registers_existing_function(module, cs, outer):
                    continue
                self.wrappers[f"{module}.{outer}"] = self._wrapper(module, fn, call, apps, shared, summary)
        for entry in self.p.config.get_extra("task-decorators", []) or []:
            if isinstance(entry, str) and entry not in self.wrappers:
                self.wrappers[entry] = _Wrapper(entry, "", None, None, (), True, name_param="name",
                                                forwards_kwargs=True)

    def _registers_existing_function(self, module: str, cs: CallSite, outer: str) -> bool:
        """``app.task(fn)`` inside a function, where ``fn`` is defined elsewhere: a registration, not a wrapper."""
        fn_arg = cs.node.args[0] if cs.node.args else None
        if fn_arg is None or not isinstance(fn_arg, (ast.Name, ast.Attribute)):
            return False
        q = self.resolve(module, _dotted(fn_arg), cs.scope)
        d = self.p.lookup(q)
        if d.kind != "function":
            return False
        fn: FunctionInfo = d.obj
        wrapper = self.p.symbols[module].function(outer)
        params = set(wrapper.params) if wrapper is not None else set()
        return not (d.module == module and fn.qualname.startswith(outer + ".")) and _dotted(fn_arg) not in params

    def _wrapper(self, module: str, fn: FunctionInfo, call: ast.Call, apps: list[_App], shared: bool,
                 summary: TaskSiteSummary) -> _Wrapper:
        params = set(fn.params)
        kwarg = fn.args.kwarg.arg if fn.args.kwarg is not None else ""
        name_param = ""
        name_const = None
        forwards = False
        queue_param = ""
        for kw in call.keywords:
            if kw.arg is None:
                if isinstance(kw.value, ast.Name) and kw.value.id == kwarg:
                    forwards = True
            elif kw.arg == "name":
                if isinstance(kw.value, ast.Name) and kw.value.id in params:
                    name_param = kw.value.id
                else:
                    name_const = kw.value
            elif kw.arg == "queue" and isinstance(kw.value, ast.Name) and kw.value.id in params:
                queue_param = kw.value.id
        outer = fn.qualname
        periodic = outer in summary.beat_writers
        schedule_param = ""
        for scope, value in summary.schedule_values:
            if scope != outer:
                continue
            if isinstance(value, ast.Name) and value.id in params:
                schedule_param = value.id
            elif isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and value.func.attr in ("pop", "get") and value.args:
                if isinstance(value.args[0], ast.Constant) and isinstance(value.args[0].value, str):
                    schedule_param = value.args[0].value
            elif isinstance(value, ast.Subscript) and isinstance(value.slice, ast.Constant) and isinstance(value.slice.value, str):
                schedule_param = value.slice.value
        return _Wrapper(
            qualname=f"{module}.{outer}",
            module=module,
            fn=fn,
            call=call,
            apps=tuple(a.key for a in apps),
            shared=shared,
            name_param=name_param,
            name_const=name_const,
            forwards_kwargs=forwards,
            queue_param=queue_param,
            schedule_param=schedule_param,
            periodic=periodic and bool(schedule_param),
        )

    # ------------------------------------------------------------ definitions
    def _definition_modules(self) -> list[str]:
        mods = set(self.summaries)
        prefixes = tuple(w.rsplit(".", 1)[0] for w in self.wrappers)
        if prefixes:
            for m, syms in self.p.symbols.items():
                if m in mods or not is_source(self.p, m):
                    continue
                if any(b.target.startswith(prefixes) for b in syms.bindings):
                    mods.add(m)
        return sorted(mods)

    def _decorated_tasks(self) -> None:
        for module in self._definition_modules():
            syms = self.p.symbols.get(module)
            if syms is None:
                continue
            for fn in syms.functions:
                for dec in fn.decorators:
                    self._decorator(module, fn, dec)

    def _decorator(self, module: str, fn: FunctionInfo, dec: ast.expr) -> None:
        call = dec if isinstance(dec, ast.Call) else None
        func = dec.func if isinstance(dec, ast.Call) else dec
        text = _dotted(func)
        if not text:
            return
        scope = fn.scope
        if text.endswith(".task"):
            ok, apps = self.app_refs(module, text[: -len(".task")], scope)
            if ok:
                self._add_task(module, fn, dec, call, apps, shared=False)
                return
        q = self.resolve(module, text, scope)
        if q in SHARED_TASK:
            self._add_task(module, fn, dec, call, self._shared_apps(), shared=True)
            return
        if q in OLD_PERIODIC:
            self._add_wrapped(module, fn, dec, call, _Wrapper(q, "", None, None, (), True, name_param="name",
                                                              forwards_kwargs=True, schedule_param="run_every",
                                                              periodic=True))
            return
        w: _Wrapper | None = self.wrappers.get(q)
        if w is None and "." in text:
            recv, _, method = text.rpartition(".")
            ok, apps = self.app_refs(module, recv, scope)
            for app in apps if ok else []:
                defining = self.p.class_methods(app.cls).get(method)
                if defining and f"{defining}.{method}" in self.wrappers:
                    w = self.wrappers[f"{defining}.{method}"]
                    w = replace(w, apps=(app.key,), shared=False)
                    break
        if w is not None:
            self._add_wrapped(module, fn, dec, call, w)

    def _apps_of(self, keys: Iterable[str]) -> list[_App]:
        return [self.apps[k] for k in keys if k in self.apps]

    def _name_for(self, module: str, scope: str, expr: ast.expr | None, func_name: str, apps: list[_App],
                  env: dict[str, Value] | None = None) -> tuple[str, str, tuple[Unresolved, ...]]:
        """(name, status, unresolved) for an explicit ``name=`` expression or the default name."""
        if expr is not None and not (isinstance(expr, ast.Constant) and expr.value is None):
            v = self.p.evaluate_string(module, expr, scope, env)
            if v.ok and isinstance(v.value, str):
                return v.value, RESOLVED, ()
            text = v.value if isinstance(v.value, str) else "{" + unparse(expr) + "}"
            status = PARTIAL if v.status == PARTIAL and text != "{" + unparse(expr) + "}" else UNRESOLVED
            return text, status, v.unknowns
        return self._default_name(module, func_name, apps)

    def _default_name(self, module: str, func_name: str, apps: list[_App]) -> tuple[str, str, tuple[Unresolved, ...]]:
        name = default_name(module, func_name)
        for app in apps:
            gen = self._gen_task_name(app.cls)
            if gen is None:
                continue
            gmodule, fdef = gen
            custom = follow_gen_task_name(fdef, func_name, module)
            if custom is None:
                loc = self.loc(gmodule, fdef)
                return name, UNRESOLVED, (Unresolved(f"{app.cls}.gen_task_name", "custom task naming (gen_task_name override)", loc),)
            return custom, "default", ()
        return name, "default", ()

    def _gen_task_name(self, cls: str) -> tuple[str, ast.FunctionDef] | None:
        for c in self.p.mro(cls):
            found = self.p.class_info(c)
            if found is None:
                continue
            module, info = found
            summary = self.summaries.get(module)
            for qual, fdef in summary.gen_task_name if summary is not None else ():
                if qual == info.qualname:
                    return module, fdef
        return None

    def _add_task(self, module: str, fn: FunctionInfo, dec: ast.expr, call: ast.Call | None, apps: list[_App],
                  shared: bool) -> None:
        name, status, unknowns = self._name_for(module, fn.scope, keyword(call, "name"), fn.name, apps)
        options = keyword_options(call)
        self._define(module, fn.scope, Task(
            framework="celery",
            name=name,
            name_status=status,
            function=f"{module}.{fn.qualname}",
            file=self.p.path_of(module),
            line=dec.lineno,
            options=options,
            app=apps[0].key if len(apps) == 1 else "",
            is_async=fn.is_async,
            unresolved=unknowns,
        ), {f"{module}.{fn.qualname}"}, shared, apps)
        self._explicit_queue(call, module, fn.scope)

    def _explicit_queue(self, call: ast.Call | None, module: str, scope: str) -> None:
        q = keyword(call, "queue")
        if q is not None and self.defs:
            v = self.p.evaluate_string(module, q, scope)
            d = self.defs[-1]
            d.task = replace(d.task, queue=v.value if isinstance(v.value, str) else "")

    def _define(self, module: str, scope: str, task: Task, refs: set[str], shared: bool, apps: list[_App],
                wrapper: str = "") -> None:
        if shared and len(self.apps) > 1:
            self.findings.append(Finding(
                "ambiguous-shared-task", Severity.INFO,
                f"shared task {task.name} binds to whichever app is current; {len(self.apps)} apps exist "
                f"({', '.join(sorted(self.apps))})",
                Location(task.file, task.line), symbol=task.function, category="tasks",
            ))
        self.defs.append(_TaskDef(task, module, scope, set(refs), shared, wrapper))

    def _add_wrapped(self, module: str, fn: FunctionInfo, dec: ast.expr, call: ast.Call | None, w: _Wrapper) -> None:
        apps = self._apps_of(w.apps) if w.apps else (self._shared_apps() if w.shared else [])
        name_expr: ast.expr | None = None
        if call is not None:
            if w.name_param:
                name_expr = param_argument(w.fn, call, w.name_param) if w.fn is not None else keyword(call, w.name_param)
                if name_expr is None and w.fn is None and call.args:
                    name_expr = call.args[0]
            if name_expr is None and w.forwards_kwargs:
                name_expr = keyword(call, "name")
        env: dict[str, Value] | None = None
        if name_expr is None and w.name_const is not None:
            name, status, unknowns = self._name_for(w.module, w.fn.qualname if w.fn else "", w.name_const, fn.name, apps)
        else:
            name, status, unknowns = self._name_for(module, fn.scope, name_expr, fn.name, apps, env)
        queue = ""
        qexpr = None
        if call is not None and w.queue_param and w.fn is not None:
            qexpr = param_argument(w.fn, call, w.queue_param)
        elif call is not None and w.forwards_kwargs:
            qexpr = keyword(call, "queue")
        if qexpr is not None:
            qv = self.p.evaluate_string(module, qexpr, fn.scope)
            queue = qv.value if isinstance(qv.value, str) else ""
        options = keyword_options(call) + (("decorator", w.qualname),)
        self._define(module, fn.scope, Task(
            framework="celery",
            name=name,
            name_status=status,
            function=f"{module}.{fn.qualname}",
            file=self.p.path_of(module),
            line=dec.lineno,
            options=options,
            queue=queue,
            app=apps[0].key if len(apps) == 1 else "",
            is_async=fn.is_async,
            unresolved=unknowns,
        ), {f"{module}.{fn.qualname}"}, w.shared and not w.apps, apps, wrapper=w.qualname)
        if w.periodic and call is not None:
            sched = param_argument(w.fn, call, w.schedule_param) if w.fn is not None else None
            if sched is None:
                sched = keyword(call, w.schedule_param)
            if sched is not None:
                self.periodic.append((module, fn, dec, sched, name, status, w.qualname))

    def _imperative_tasks(self) -> None:
        for module, summary in self.summaries.items():
            for cs in summary.calls:
                if cs.method not in ("task", "shared_task", "()task", "()shared_task"):
                    continue
                if id(cs.node) in self.inner_calls:
                    continue
                outer = outer_function(cs.scope) if cs.scope else ""
                if outer and f"{module}.{outer}" in self.wrappers:
                    continue
                ok, shared, apps, call = self._task_factory(module, cs)
                if not ok:
                    continue
                fn_arg = cs.node.args[0] if cs.node.args else None
                if fn_arg is None or not isinstance(fn_arg, (ast.Name, ast.Attribute)):
                    continue
                fq = self.resolve(module, _dotted(fn_arg), cs.scope)
                d = self.p.lookup(fq)
                if d.kind != "function":
                    continue
                fn: FunctionInfo = d.obj
                target_refs = set()
                if cs.target and "." not in cs.target and "[" not in cs.target:
                    target_refs.add(f"{module}.{self.p._qual(module, cs.scope, cs.target)}")
                if outer.endswith("__init_subclass__") and "." in outer:
                    self._subclass_tasks(module, outer[: -len(".__init_subclass__")], cs, call, fn, d.module, apps, shared)
                    continue
                name, status, unknowns = self._name_for(module, cs.scope, keyword(call, "name"), fn.name, apps)
                self._define(module, cs.scope, Task(
                    framework="celery",
                    name=name,
                    name_status=status,
                    function=f"{d.module}.{fn.qualname}",
                    file=self.p.path_of(d.module),
                    line=fn.decorator_line or fn.line,
                    options=keyword_options(call),
                    app=apps[0].key if len(apps) == 1 else "",
                    is_async=fn.is_async,
                    unresolved=unknowns,
                    registered_at=self.loc(module, cs.node),
                ), {f"{d.module}.{fn.qualname}"} | target_refs, shared, apps)
                self._explicit_queue(call, module, cs.scope)

    def _subclass_tasks(self, module: str, cls: str, cs: CallSite, call: ast.Call, fn: FunctionInfo, fn_module: str,
                        apps: list[_App], shared: bool) -> None:
        """``cls.x = app.task(name=cls.__module__ + ...)(f)`` in ``__init_subclass__``: one task per subclass."""
        base = f"{module}.{cls}"
        for sub in self.p.subclasses_of({base}):
            found = self.p.class_info(sub)
            if found is None or not is_source(self.p, found[0]):
                continue
            smod, info = found
            env = {"cls": Value(RESOLVED, {"__module__": smod, "__name__": info.name, "__qualname__": info.qualname})}
            name, status, unknowns = self._name_for(module, cs.scope, keyword(call, "name"), fn.name, apps, env)
            attr = cs.target.split(".", 1)[1] if cs.target.startswith("cls.") else ""
            refs = {f"{sub}.{attr}"} if attr else set()
            self._define(module, cs.scope, Task(
                framework="celery",
                name=name,
                name_status=status,
                function=f"{fn_module}.{fn.qualname}",
                file=self.p.path_of(fn_module),
                line=fn.decorator_line or fn.line,
                options=keyword_options(call) + (("subclass", sub),),
                app=apps[0].key if len(apps) == 1 else "",
                is_async=fn.is_async,
                unresolved=unknowns,
                registered_at=self.loc(smod, _class_node_stub(info)),
            ), refs, shared, apps)
            self._explicit_queue(call, module, cs.scope)

    # ------------------------------------------------------------ task classes
    def _is_task_class(self, qualified: str) -> bool:
        for c in self.p.mro(qualified):
            if c in TASK_CLASSES:
                return True
            if c.endswith(".Task") and c[: -len(".Task")] in self.app_by_name:
                return True
        return False

    def _class_tasks(self) -> None:
        registered: dict[str, list[tuple[str, CallSite, list[_App]]]] = defaultdict(list)
        for module, summary in self.summaries.items():
            for cs in summary.calls:
                if cs.method not in ("register_task", "register") or not cs.node.args:
                    continue
                recv = cs.callee.rsplit(".", 1)[0]
                if cs.method == "register":
                    recv = recv[: -len(".tasks")]
                ok, apps = self.app_refs(module, recv, cs.scope)
                if not ok:
                    continue
                arg = cs.node.args[0]
                target = arg.func if isinstance(arg, ast.Call) else arg
                q = self.resolve(module, _dotted(target), cs.scope)
                d = self.p.lookup(q)
                if d.kind == "assignment" and isinstance(d.obj.value, ast.Call):
                    q = self.resolve(d.module, _dotted(d.obj.value.func), d.obj.scope)
                if self.p.lookup(q).kind == "class":
                    registered[q].append((module, cs, apps))
        used_as_base: set[str] = set()
        for td in self.defs:
            for k, v in td.task.options:
                if k == "base":
                    used_as_base.add(self.resolve(td.module, v, td.scope))
        celery_version = self.p.dependency_version("celery")
        auto = bool(celery_version) and celery_version.split(".")[0] in ("2", "3")
        for module in self.summaries:
            for c in self.p.symbols[module].classes:
                q = f"{module}.{c.qualname}"
                if q in TASK_CLASSES or not self._is_task_class(q):
                    continue
                sites = registered.get(q, [])
                if not sites and not auto:
                    if self._concrete_task_class(q, c) and q not in used_as_base and not self._has_subclass(q):
                        self.findings.append(Finding(
                            "unregistered-task-class", Severity.INFO,
                            f"Task subclass {q} defines run() but is never registered (app.register_task); "
                            "Celery >= 4 does not register Task classes automatically",
                            self.loc(module, _class_node_stub(c)), symbol=q, category="tasks",
                            hint="Register it with app.register_task(%s()) or turn run() into an @app.task function." % c.name,
                        ))
                    continue
                if not sites:
                    sites = [(module, None, self._shared_apps())]  # type: ignore[list-item]
                for rmod, cs, apps in sites:
                    name_expr = None
                    name_mod, name_scope = module, c.qualname
                    found = self.p.class_attribute(q, "name")
                    if found is not None and found[1].value is not None:
                        name_mod, name_expr, name_scope = found[0], found[1].value, found[1].scope
                    for kw in c.keywords:
                        if kw.arg == "name":
                            name_mod, name_expr, name_scope = module, kw.value, c.scope
                    name, status, unknowns = self._name_for(name_mod, name_scope, name_expr, c.name, apps)
                    refs = {q}
                    if cs is not None and cs.target and "." not in cs.target and "[" not in cs.target:
                        refs.add(f"{rmod}.{self.p._qual(rmod, cs.scope, cs.target)}")
                    qattr = self.p.class_attribute(q, "queue")
                    queue = ""
                    if qattr is not None and qattr[1].value is not None:
                        qv = self.p.evaluate_string(qattr[0], qattr[1].value, qattr[1].scope)
                        queue = qv.value if isinstance(qv.value, str) else ""
                    run_owner = self.p.class_methods(q).get("run")
                    self._define(module, c.scope, Task(
                        framework="celery",
                        name=name,
                        name_status=status,
                        function=f"{run_owner}.run" if run_owner else q,
                        file=self.p.path_of(module),
                        line=c.line,
                        options=_class_options(self.p, q),
                        queue=queue,
                        app=apps[0].key if len(apps) == 1 else "",
                        kind="class",
                        unresolved=unknowns,
                        registered_at=self.loc(rmod, cs.node) if cs is not None else None,
                    ), refs, False, apps)

    def _concrete_task_class(self, q: str, c: ClassInfo) -> bool:
        methods = self.p.class_methods(q)
        if "run" not in methods:
            return False
        found = self.p.class_attribute(q, "abstract")
        if found is not None and isinstance(found[1].value, ast.Constant) and found[1].value.value is True and found[1].scope == c.qualname:
            return False
        return True

    def _has_subclass(self, q: str) -> bool:
        return bool(self.p.subclasses_of({q}))

    # ------------------------------------------------------------------ queues
    def _assign_queues(self) -> None:
        routes_cache: dict[str, Any] = {}
        for d in self.defs:
            t = d.task
            if t.queue:
                continue
            key = t.app
            if key not in routes_cache:
                routes_cache[key] = (routes_of(self.p, self.settings_for(key, "task_routes")),
                                     self._default_queue(key))
            routes, default = routes_cache[key]
            queue = route_queue(routes, t.name) or default
            if queue:
                d.task = replace(t, queue=queue)
            loaded = self._loaded_by(d)
            if loaded:
                d.task = replace(d.task, loaded_by=loaded)
        for d in self.defs:
            if d.task.queue and not d.task.loaded_by:
                loaded = self._loaded_by(d)
                if loaded:
                    d.task = replace(d.task, loaded_by=loaded)

    def _default_queue(self, app_key: str) -> str:
        out = ""
        for s in self.settings_for(app_key, "task_default_queue"):
            v = self.p.evaluate_string(s.module, s.value, s.scope)
            if v.ok and isinstance(v.value, str):
                out = v.value
        return out

    def _loaded_by(self, d: _TaskDef) -> str:
        apps = [self.apps[d.task.app]] if d.task.app in self.apps else list(self.apps.values())
        for app in apps:
            how = app.loads.get(d.module)
            if how:
                return how
        return ""

    # --------------------------------------------------------------- producers
    def _task_index(self) -> tuple[dict[str, _TaskDef], dict[str, list[_TaskDef]]]:
        by_ref: dict[str, _TaskDef] = {}
        by_name: dict[str, list[_TaskDef]] = defaultdict(list)
        for d in self.defs:
            for r in d.refs:
                by_ref.setdefault(r, d)
            by_name[d.task.name].append(d)
        return by_ref, by_name

    def _producers(self) -> list[TaskCall]:
        by_ref, by_name = self._task_index()
        self.by_ref, self.by_name = by_ref, by_name
        out: list[TaskCall] = []
        schedule_sigs = {  # ``add_periodic_task(300, task.s())``: a schedule entry, not a producer
            id(argument(cs.node, 1, "sig"))
            for summary in self.summaries.values()
            for cs in summary.calls
            if cs.method == "add_periodic_task"
        }
        for module, summary in self.summaries.items():
            for cs in summary.calls:
                if id(cs.node) in schedule_sigs:
                    continue
                call = self._producer(module, cs, by_ref, by_name)
                if call is not None:
                    out.append(call)
        return out

    def _by_ref(self, module: str, expr: ast.expr | None, scope: str) -> _TaskDef | None:
        text = _dotted(expr) if expr is not None else ""
        if not text:
            return None
        return self.by_ref.get(self.resolve(module, text, scope))

    def _named_call(self, module: str, cs: CallSite, method: str, name_expr: ast.expr | None,
                    options: tuple[tuple[str, str], ...]) -> TaskCall | None:
        if name_expr is None:
            return None
        ref = self._by_ref(module, name_expr, cs.scope)
        if ref is not None:
            return self._call(module, cs, method, ref, options)
        v = self.p.evaluate_string(module, name_expr, cs.scope)
        if v.ok and isinstance(v.value, str):
            matches = self.by_name.get(v.value, [])
            return TaskCall(task=v.value, method=method, file=self.p.path_of(module), line=cs.line,
                            caller=caller_of(module, cs.scope), status=RESOLVED, expr=unparse(name_expr),
                            function=matches[0].task.function if len(matches) == 1 else "", options=options)
        text = v.value if isinstance(v.value, str) else ""
        partial = v.status == PARTIAL and text != "{" + unparse(name_expr) + "}"
        return TaskCall(task=text if partial else "", method=method, file=self.p.path_of(module),
                        line=cs.line, caller=caller_of(module, cs.scope),
                        status=PARTIAL if partial else UNRESOLVED, expr=unparse(name_expr), options=options)

    def _call(self, module: str, cs: CallSite, method: str, d: _TaskDef, options: tuple[tuple[str, str], ...]) -> TaskCall:
        return TaskCall(task=d.task.name, method=method, file=self.p.path_of(module), line=cs.line,
                        caller=caller_of(module, cs.scope), status=RESOLVED if d.task.name_status in (RESOLVED, "default") else d.task.name_status,
                        expr=unparse(cs.node.func), function=d.task.function, options=options)

    def _producer(self, module: str, cs: CallSite, by_ref: dict[str, _TaskDef],
                  by_name: dict[str, list[_TaskDef]]) -> TaskCall | None:
        node = cs.node
        method = cs.method
        if method == "send_task":
            opts = keyword_options(node, ("name", "args", "kwargs"))
            return self._named_call(module, cs, "send_task", argument(node, 0, "name"), opts)
        if method in ("signature", "Signature", "subtask") and "." not in cs.callee:
            if self.resolve(module, cs.callee, cs.scope) in SIGNATURE_FUNCS:
                opts = keyword_options(node, ("args", "kwargs"))
                return self._named_call(module, cs, "signature", argument(node, 0, "varies"), opts)
            return None
        if method not in PRODUCER_METHODS or not isinstance(node.func, ast.Attribute):
            return None
        receiver = node.func.value
        opts = keyword_options(node, ("args", "kwargs")) if method in ("apply_async", "signature", "subtask") else ()
        if isinstance(receiver, ast.Subscript) and _dotted(receiver.value).endswith("tasks"):
            return self._named_call(module, cs, method, receiver.slice, opts)
        text = _dotted(receiver)
        if not text:
            return None  # a canvas (``chain(...).apply_async()``) or a call result: its parts are counted
        if method in ("signature", "subtask"):
            ok, _ = self.app_refs(module, text, cs.scope)
            if ok or self.resolve(module, text, cs.scope) == "celery":
                return self._named_call(module, cs, "signature", argument(node, 0, "varies"), opts)
        q = self.resolve(module, text, cs.scope)
        d = by_ref.get(q) or self._self_attribute_task(module, text, cs.scope)
        if d is not None:
            return self._call(module, cs, method, d, opts)
        if method in ("signature", "subtask") or (not self.defs and not self.apps):
            return None  # ``inspect.signature(...)`` and friends; no Celery in the project
        if self.p.first_party(q) and self.p.lookup(q).kind in ("function", "class", "module"):
            return None  # a first-party callable that is not a Celery task (maybe an RQ job)
        if method in ("s", "si") and self._external_import(module, text, cs.scope):
            return None
        return TaskCall(task="", method=method, file=self.p.path_of(module), line=cs.line,
                        caller=caller_of(module, cs.scope), status=UNRESOLVED, expr=unparse(node.func), options=opts)

    def _self_attribute_task(self, module: str, text: str, scope: str) -> _TaskDef | None:
        """``self.job.delay()`` where the class's methods only ever assign one task to ``self.job``."""
        if not text.startswith("self.") or text.count(".") != 1:
            return None
        cls = self._enclosing_class(module, scope)
        if not cls:
            return None
        found: set[int] = set()
        defs: list[_TaskDef] = []
        for c in self.p.mro(cls):
            info = self.p.class_info(c)
            if info is None:
                continue
            cmod, ci = info
            for a in self.p.symbols[cmod].assignments:
                if a.target != text or not a.scope.startswith(ci.qualname + ".") or a.value is None:
                    continue
                if isinstance(a.value, ast.Constant) and a.value.value is None:
                    continue
                d = self._by_ref(cmod, a.value, a.scope)
                if d is None:
                    return None
                if id(d) not in found:
                    found.add(id(d))
                    defs.append(d)
        return defs[0] if len(defs) == 1 else None

    def _external_import(self, module: str, text: str, scope: str) -> bool:
        """``text`` starts with a name imported from a third-party package (``requests.delay``...)."""
        from ..symbols import ImportBinding

        b = self.p.binding(module, text.split(".")[0], scope)
        return isinstance(b, ImportBinding) and not self.p.first_party(b.target)

    # -------------------------------------------------------------------- beat
    def _beat(self) -> list[BeatEntry]:
        out: list[BeatEntry] = []
        for raw in beat_entries(self.p, self.settings):
            task_name, status, function = self._beat_task(raw.module, raw.scope, raw.task_node)
            entry = raw.entry.value if isinstance(raw.entry.value, str) else unparse(raw.task_node)
            st = status if raw.entry.ok else (PARTIAL if raw.entry.status == PARTIAL else UNRESOLVED)
            out.append(BeatEntry(
                entry=entry, task=task_name, schedule=unparse(raw.schedule) if raw.schedule is not None else "",
                file=self.p.path_of(raw.module), line=raw.line, source="beat_schedule", status=st,
                options=raw.options + (("from", raw.origin),), function=function, conditions=raw.conditions,
            ))
        for module, summary in self.summaries.items():
            for cs in summary.calls:
                if cs.method == "add_periodic_task":
                    b = self._add_periodic(module, cs)
                    if b is not None:
                        out.append(b)
        for module, fn, dec, sched, name, status, wrapper in self.periodic:
            out.append(BeatEntry(
                entry=name, task=name, schedule=unparse(sched), file=self.p.path_of(module), line=dec.lineno,
                source="periodic_task", status=RESOLVED if status in (RESOLVED, "default") else status,
                options=(("decorator", wrapper),), function=f"{module}.{fn.qualname}",
            ))
        for s in self.settings:
            if s.key != "beat_scheduler" or s.value is None:
                continue
            text = unparse(s.value)
            v = self.p.evaluate(s.module, s.value, s.scope)
            if v.ok and isinstance(v.value, str):
                text = v.value
            elif v.ok and isinstance(v.value, Ref):
                text = v.value.qualname
            if any(h in text for h in DB_SCHEDULER_HINTS):
                self.db_scheduler.append((text, Location(self.p.path_of(s.module), s.line)))
        for path, content in sorted(self.p.aux_files.items()):
            if "celery" in content and "--scheduler" in content or "-S " in content:
                for lineno, line in enumerate(content.splitlines(), 1):
                    if "celery" in line and any(h in line for h in DB_SCHEDULER_HINTS):
                        self.db_scheduler.append((line.strip(), Location(path, lineno)))
        return _dedupe_beat(out)

    def _beat_task(self, module: str, scope: str, node: ast.expr | None) -> tuple[str, str, str]:
        if node is None:
            return "", UNRESOLVED, ""
        if isinstance(node, ast.Attribute) and node.attr == "name":
            d = self._by_ref(module, node.value, scope)
            if d is not None:
                return d.task.name, RESOLVED, d.task.function
        v = self.p.evaluate_string(module, node, scope)
        if v.ok and isinstance(v.value, str):
            matches = self.by_name.get(v.value, [])
            return v.value, RESOLVED, matches[0].task.function if len(matches) == 1 else ""
        return (v.value if isinstance(v.value, str) else unparse(node)), (PARTIAL if v.status == PARTIAL else UNRESOLVED), ""

    def _add_periodic(self, module: str, cs: CallSite) -> BeatEntry | None:
        schedule = argument(cs.node, 0, "schedule")
        sig = argument(cs.node, 1, "sig")
        if sig is None:
            return None
        task_name, status, function = "", UNRESOLVED, ""
        args_text = ""
        if isinstance(sig, ast.Call) and isinstance(sig.func, ast.Attribute) and sig.func.attr in ("s", "si", "signature", "subtask"):
            d = self._by_ref(module, sig.func.value, cs.scope)
            if d is not None:
                task_name, status, function = d.task.name, RESOLVED, d.task.function
                args_text = ", ".join(unparse(a) for a in sig.args)
            else:
                ok, _ = self.app_refs(module, _dotted(sig.func.value), cs.scope)
                if ok and sig.args:
                    task_name, status, function = self._beat_task(module, cs.scope, sig.args[0])
        elif isinstance(sig, ast.Call) and self.resolve(module, _dotted(sig.func), cs.scope) in SIGNATURE_FUNCS and sig.args:
            task_name, status, function = self._beat_task(module, cs.scope, sig.args[0])
        else:
            d = self._by_ref(module, sig, cs.scope)
            if d is not None:
                task_name, status, function = d.task.name, RESOLVED, d.task.function
        name_expr = keyword(cs.node, "name")
        if name_expr is not None:
            ev = self.p.evaluate_string(module, name_expr, cs.scope)
            entry = ev.value if isinstance(ev.value, str) else unparse(name_expr)
        else:
            entry = f"{task_name or unparse(sig)}({args_text})"  # Celery uses repr(signature)
        return BeatEntry(
            entry=entry, task=task_name, schedule=unparse(schedule) if schedule is not None else "",
            file=self.p.path_of(module), line=cs.line, source="add_periodic_task", status=status,
            options=keyword_options(cs.node, ("name", "schedule", "sig")), function=function, conditions=cs.conditions,
        )

    # ----------------------------------------------------------------- output
    def _attach(self, calls: list[TaskCall]) -> list[Task]:
        by_function: dict[str, list[TaskCall]] = defaultdict(list)
        by_name: dict[str, list[TaskCall]] = defaultdict(list)
        for c in calls:
            if c.function:
                by_function[c.function].append(c)
            elif c.task:
                by_name[c.task].append(c)
        out = []
        seen: set[tuple[Any, ...]] = set()
        for d in self.defs:
            t = d.task
            mine = [c for c in by_function.get(t.function, []) if c.task == t.name] + by_name.get(t.name, [])
            t = replace(t, callers=tuple(sorted(set(mine), key=lambda c: (c.file, c.line, c.method))))
            key = (t.name, t.function, t.file, t.line)
            if key in seen:
                continue
            seen.add(key)
            out.append(t)
        return out

    def _findings(self, tasks: list[Task], calls: list[TaskCall], beat: list[BeatEntry]) -> None:
        names = {t.name for t in tasks}
        scheduled = {b.task for b in beat}
        unresolved_producers = any(c.status != RESOLVED for c in calls)
        for t in tasks:
            if t.callers or t.name in scheduled:
                continue
            uncertain = unresolved_producers or bool(self.db_scheduler) or t.name_status in (PARTIAL, UNRESOLVED)
            sev = Severity.INFO if uncertain else Severity.WARNING
            self.findings.append(Finding(
                "task-never-started", sev,
                f"task {t.name} ({t.function}) is never started: no .delay()/.apply_async()/signature/send_task "
                "call and no beat entry found",
                Location(t.file, t.line), symbol=t.function, category="tasks",
                hint="Remove it, or start it from code or a schedule. Calls through dynamic expressions are not followed.",
            ))
        for c in calls:
            if c.status == RESOLVED and c.task and not c.function and c.task not in names and not c.task.startswith("celery."):
                self.findings.append(Finding(
                    "unknown-task-name", Severity.WARNING,
                    f"{c.method}({c.task!r}) names no task defined in the scanned code",
                    Location(c.file, c.line), symbol=c.caller, category="tasks",
                    hint="Check the task name (names default to <module>.<function>) or the module the task lives in.",
                ))
        for b in beat:
            if b.status == RESOLVED and b.task and b.task not in names and not b.task.startswith("celery."):
                self.findings.append(Finding(
                    "unknown-task-name", Severity.WARNING,
                    f"beat entry {b.entry!r} schedules task {b.task!r}, which no scanned code defines",
                    Location(b.file, b.line), symbol=b.entry, category="tasks",
                ))
        by_name: dict[str, list[Task]] = defaultdict(list)
        for t in tasks:
            if t.name_status in (RESOLVED, "default"):
                by_name[t.name].append(t)
        for name, ts in sorted(by_name.items()):
            funcs = sorted({t.function for t in ts})
            if len(funcs) > 1:
                first = min(ts, key=lambda t: (t.file, t.line))
                self.findings.append(Finding(
                    "duplicate-task-name", Severity.WARNING,
                    f"task name {name!r} is registered by {len(funcs)} functions: {', '.join(funcs)}; the last one imported wins",
                    Location(first.file, first.line), symbol=name, category="tasks",
                ))
        for text, loc in self.db_scheduler:
            self.findings.append(Finding(
                "beat-database-scheduler", Severity.INFO,
                f"beat uses a database scheduler ({text}): more periodic tasks may be defined at runtime",
                loc, category="tasks",
            ))

    def _notes(self) -> None:
        for app in sorted(self.apps.values(), key=lambda a: a.key):
            loads = ", ".join(f"{m} ({how})" for m, how in sorted(app.loads.items()))
            self.notes.append(("celery", f"app {app.key} ({app.cls}): the worker imports {loads}"))
        if self.db_scheduler:
            self.notes.append(("celery", "beat uses a database scheduler: the schedule listed here may be incomplete"))
        for w in sorted(self.wrappers):
            self.notes.append(("celery", f"task decorator {w} (forwards to a Celery task decorator)"))


# ---------------------------------------------------------------------------- helpers
def _dotted(node: ast.AST | None) -> str:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


def _conds(a: Assignment) -> tuple[str, ...]:
    out = []
    for test, branch in a.conditions:
        text = unparse(test)
        out.append(text if branch else f"not ({text})")
    return tuple(out)


_CONF_ORIGINS = frozenset({"app.conf", "conf.update", "Celery()"})


def _effective(settings: list[Setting]) -> list[Setting]:
    """Drop operations a later unconditional assignment replaces (as Celery's settings would).

    ``app.conf.X = v`` (or ``conf.update(X=v)``) sits on top of whatever a config
    module/class/settings gives for ``X``, so those are dropped; in one module or
    class, an unconditional ``X = v`` replaces what came before it there.
    """
    conf_set = {(s.app, s.key) for s in settings if s.origin in _CONF_ORIGINS and s.op == "=" and not s.conditions}
    last_set: dict[tuple[str, str, str, str], int] = {}
    for s in settings:
        if s.op == "=" and not s.conditions:
            k = (s.app, s.key, s.module, s.scope)
            last_set[k] = max(last_set.get(k, 0), s.line)
    out = []
    for s in settings:
        if s.origin not in _CONF_ORIGINS and (s.app, s.key) in conf_set:
            continue
        last = last_set.get((s.app, s.key, s.module, s.scope), 0)
        if s.line < last:
            continue
        out.append(s)
    return out


def _parse_conf_target(target: str) -> tuple[str, str, ast.expr | None] | None:
    """``app.conf.beat_schedule['x']`` -> ("app", "beat_schedule", Constant('x'))."""
    base, item = _split_item(target)
    if ".conf." in base:
        recv, _, key = base.rpartition(".conf.")
        if "." in key:
            return None
        return recv, key, item
    if base.endswith(".conf") and item is not None and isinstance(item, ast.Constant) and isinstance(item.value, str):
        return base[: -len(".conf")], item.value, None
    return None


def _split_item(target: str) -> tuple[str, ast.expr | None]:
    """``NAME['x']`` -> ("NAME", Constant('x')); ``NAME`` -> ("NAME", None)."""
    if target.endswith("]") and "[" in target:
        base, _, rest = target.partition("[")
        try:
            key = ast.parse(rest[:-1], mode="eval").body
        except SyntaxError:
            return "", None
        return base, key
    return target, None


def _config_class_name(name: str) -> bool:
    return name.startswith("Celery") and name.endswith(("Config", "Settings", "Conf")) or name.endswith("CeleryConfig")


def _class_options(project: Project, qualified: str) -> tuple[tuple[str, str], ...]:
    wanted = ("name", "queue", "max_retries", "autoretry_for", "retry_backoff", "retry_kwargs", "acks_late",
              "rate_limit", "time_limit", "soft_time_limit", "ignore_result", "default_retry_delay", "bind")
    out = []
    for key in wanted:
        found = project.class_attribute(qualified, key)
        if found is not None and found[1].value is not None:
            out.append((key, unparse(found[1].value)))
    return tuple(out)


class _NodeStub(ast.AST):
    _fields = ()


def _class_node_stub(info: ClassInfo) -> ast.AST:
    node = _NodeStub()
    node.lineno = info.line  # type: ignore[attr-defined]
    node.col_offset = 0  # type: ignore[attr-defined]
    node.end_lineno = info.end_line  # type: ignore[attr-defined]
    return node


def _dedupe_beat(entries: list[BeatEntry]) -> list[BeatEntry]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for b in entries:
        key = (b.entry, b.task, b.file, b.line)
        if key not in seen:
            seen.add(key)
            out.append(b)
    return out

