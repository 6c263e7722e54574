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
from dataclasses import replace
from typing import Any, ClassVar

from ..facts import PARTIAL, RESOLVED, UNRESOLVED, Task
from ..model import Finding, Location, Severity, Unresolved
from ..parsing import ParsedModule
from ..project import Project, Value
from ..symbols import ClassInfo, FunctionInfo
from .base import AnalyzerOutput
from .celery_calls import CallsAndBeat
from .celery_config import route_queue, routes_of, unparse
from .celery_naming import default_name, follow_gen_task_name
from .celery_settings import SettingsReader
from .celery_state import (
    CELERY_CLASSES,
    OLD_PERIODIC,
    SHARED_TASK,
    TASK_CLASSES,
    CeleryApp,
    TaskDef,
    TaskWrapper,
    dotted,
)
from .tasksites import (
    SHARED_VISITOR,
    CallSite,
    TaskSiteSummary,
    TaskSiteVisitor,
    bases_may_match,
    decorated_functions,
    interested_text,
    is_source,
    keyword,
    keyword_options,
    outer_function,
    param_argument,
)


class CeleryAnalyzer:
    """Celery apps, tasks, beat schedules and producers (see the module docstring)."""

    name: ClassVar[str] = "celery"
    version: ClassVar[str] = "3"
    kinds: ClassVar[frozenset[str]] = frozenset({"source", "migration"})  # resolve reads application code and migrations (source_summaries)
    shared_visitor: ClassVar[str] = SHARED_VISITOR  # one TaskSiteVisitor per file for Celery, RQ and Dramatiq

    def interested(self, module: str, text: str) -> bool:
        return interested_text(text)

    def visitor(self, parsed: ParsedModule) -> TaskSiteVisitor:
        return TaskSiteVisitor(parsed)

    def resolve(self, project: Project) -> AnalyzerOutput:
        return _Resolver(project).run()


class _Resolver(SettingsReader, CallsAndBeat):
    """Finds apps and task definitions, then runs the other parts (see the module docstring)."""

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

    # ------------------------------------------------------------------- apps
    def _find_celery_classes(self) -> None:
        """Project subclasses of ``celery.Celery``; only classes whose bases could be one are resolved."""
        names = {"Celery"}
        for _ in range(4):
            found = False
            for module in self.summaries:
                syms = self.p.symbols.get(module)
                for c in syms.classes if syms is not None else ():
                    q = f"{module}.{c.qualname}"
                    if q in self.celery_classes or not bases_may_match(self.p, module, c, names):
                        continue
                    if self.p.is_subclass(q, CELERY_CLASSES):
                        self.celery_classes.add(q)
                        found = True
            names = {c.rsplit(".", 1)[-1] for c in self.celery_classes}
            if not found:
                break

    def _new_app(self, key: str, module: str, scope: str, call: ast.Call, cls: str) -> CeleryApp:
        app = self.apps.get(key)
        if app is None:
            app = CeleryApp(key, module, scope, call, cls, {key})
            self.apps[key] = app
        self.app_by_name[key] = app
        return app

    def _target_name(self, module: str, target: str, scope: str) -> str:
        if "." in target or "[" in target:
            return f"{module}.{scope + '.' if scope else ''}{target}"
        return f"{module}.{self.p._qual(module, scope, target)}"

    def _find_apps(self) -> None:
        """``x = Celery(...)`` (also in functions), factories that return an app, and their callers.

        Only calls whose callee could name a Celery class or a known factory are resolved,
        so modules without Celery code are never loaded.
        """
        class_names = {c.rsplit(".", 1)[-1] for c in self.celery_classes}

        def maybe_celery(callee: str) -> bool:
            return "celery" in callee.lower() or callee.rsplit(".", 1)[-1] in class_names

        for module, summary in self.summaries.items():
            for ac in summary.assigned_calls:
                if not maybe_celery(ac.callee):
                    continue
                callee = self.resolve(module, ac.callee, ac.scope)
                if callee in self.celery_classes:
                    node = ac.node if ac.node is not None else ast.Call(func=ast.Name(ac.callee), args=[], keywords=[])
                    self._new_app(self._target_name(module, ac.target, ac.scope), module, ac.scope, node, callee)
            for scope, expr in summary.returns:
                if isinstance(expr, ast.Call) and maybe_celery(dotted(expr.func)):
                    callee = self.resolve(module, dotted(expr.func), scope)
                    if callee in self.celery_classes:
                        fq = f"{module}.{scope}"
                        self.factory_app[fq] = self._new_app(f"{fq}()", module, scope, expr, callee)
        # factories returning an app variable, and variables bound to a factory's result
        for _ in range(3):
            changed = False
            app_modules = {a.module for a in self.apps.values()}
            factory_names = {f.rsplit(".", 1)[-1] for f in self.factory_app}
            for module, summary in self.summaries.items():
                for scope, expr in summary.returns:
                    fq = f"{module}.{scope}"
                    if fq in self.factory_app:
                        continue
                    if isinstance(expr, (ast.Name, ast.Attribute)) and module in app_modules:
                        q = self.resolve(module, dotted(expr), scope)
                        if q in self.app_by_name:
                            self.factory_app[fq] = self.app_by_name[q]
                            changed = True
                    elif isinstance(expr, ast.Call) and dotted(expr.func).rsplit(".", 1)[-1] in factory_names:
                        q = self.resolve(module, dotted(expr.func), scope)
                        if q in self.factory_app:
                            self.factory_app[fq] = self.factory_app[q]
                            changed = True
                for ac in summary.assigned_calls:
                    if ac.callee.rsplit(".", 1)[-1] not in factory_names:
                        continue
                    callee = self.resolve(module, ac.callee, ac.scope)
                    if callee in self.factory_app:
                        tq = self._target_name(module, ac.target, ac.scope)
                        if tq not in self.app_by_name:
                            app = self.factory_app[callee]
                            self.app_by_name[tq] = app
                            app.names.add(tq)
                            changed = True
            if not changed:
                break

    def _name_apps(self) -> None:
        """Name each app after a module-level variable bound to it (``web.worker.app``) when there is one."""
        renamed: dict[str, CeleryApp] = {}
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

    # ---------------------------------------------------------------- wrappers
    def _task_factory(self, module: str, cs: CallSite) -> tuple[bool, bool, list[CeleryApp], ast.Call]:
        """Is this call a Celery task factory? -> (is_factory, shared, apps, the factory call)."""
        call = cs.node.func if cs.method.startswith("()") and isinstance(cs.node.func, ast.Call) else cs.node
        text = dotted(call.func)
        if text.endswith(".task"):
            ok, apps = self.app_refs(module, text[: -len(".task")], cs.scope)
            if ok:
                return True, False, apps, call
        q = self.resolve(module, text, cs.scope)
        if q in SHARED_TASK:
            return True, True, self._shared_apps(), call
        return False, False, [], call

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
                self.wrappers[entry] = TaskWrapper(entry, "", None, None, (), True, name_param="name",
                                                forwards_kwargs=True)

    def _registers_existing_function(self, module: str, cs: CallSite, outer: str) -> bool:
        """``app.task(fn)`` inside a function, where ``fn`` is defined elsewhere: a registration, not a wrapper."""
        fn_arg = cs.node.args[0] if cs.node.args else None
        if fn_arg is None or not isinstance(fn_arg, (ast.Name, ast.Attribute)):
            return False
        q = self.resolve(module, dotted(fn_arg), cs.scope)
        d = self.p.lookup(q)
        if d.kind != "function":
            return False
        fn: FunctionInfo = d.obj
        wrapper = self.p.symbols[module].function(outer)
        params = set(wrapper.params) if wrapper is not None else set()
        return not (d.module == module and fn.qualname.startswith(outer + ".")) and dotted(fn_arg) not in params

    def _wrapper(self, module: str, fn: FunctionInfo, call: ast.Call, apps: list[CeleryApp], shared: bool,
                 summary: TaskSiteSummary) -> TaskWrapper:
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
        return TaskWrapper(
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
        names = {w.rsplit(".", 1)[-1] for w in self.wrappers}
        for module in self._definition_modules():
            for fn in decorated_functions(self.p, module, self.summaries.get(module), names):
                for dec in fn.decorators:
                    self._decorator(module, fn, dec)

    def _decorator(self, module: str, fn: FunctionInfo, dec: ast.expr) -> None:
        call = dec if isinstance(dec, ast.Call) else None
        func = dec.func if isinstance(dec, ast.Call) else dec
        text = dotted(func)
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
            self._add_wrapped(module, fn, dec, call, TaskWrapper(q, "", None, None, (), True, name_param="name",
                                                              forwards_kwargs=True, schedule_param="run_every",
                                                              periodic=True))
            return
        w: TaskWrapper | None = self.wrappers.get(q)
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

    def _name_for(self, module: str, scope: str, expr: ast.expr | None, func_name: str, apps: list[CeleryApp],
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

    def _default_name(self, module: str, func_name: str, apps: list[CeleryApp]) -> tuple[str, str, tuple[Unresolved, ...]]:
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

    def _add_task(self, module: str, fn: FunctionInfo, dec: ast.expr, call: ast.Call | None, apps: list[CeleryApp],
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
            queue=self._explicit_queue(call, module, fn.scope),
            app=apps[0].key if len(apps) == 1 else "",
            is_async=fn.is_async,
            unresolved=unknowns,
        ), {f"{module}.{fn.qualname}"}, shared)

    def _explicit_queue(self, call: ast.Call | None, module: str, scope: str) -> str:
        """The ``queue=`` option of a task decorator or factory call ("" when absent)."""
        q = keyword(call, "queue")
        if q is None:
            return ""
        v = self.p.evaluate_string(module, q, scope)
        return v.value if isinstance(v.value, str) else ""

    def _define(self, module: str, scope: str, task: Task, refs: set[str], shared: bool, wrapper: str = "") -> None:
        if shared and len(self.apps) > 1:
            self.findings.append(Finding(
                "ambiguous-shared-task", Severity.INFO,
                f"shared task {task.name} binds to whichever app is current; {len(self.apps)} apps exist "
                f"({', '.join(sorted(self.apps))})",
                Location(task.file, task.line), symbol=task.function, category="tasks",
            ))
        self.defs.append(TaskDef(task, module, scope, set(refs), shared, wrapper))

    def _add_wrapped(self, module: str, fn: FunctionInfo, dec: ast.expr, call: ast.Call | None, w: TaskWrapper) -> None:
        apps = self._apps_of(w.apps) if w.apps else (self._shared_apps() if w.shared else [])
        name_expr: ast.expr | None = None
        if call is not None:
            if w.name_param:
                name_expr = param_argument(w.fn, call, w.name_param) if w.fn is not None else keyword(call, w.name_param)
                if name_expr is None and w.fn is None and call.args:
                    name_expr = call.args[0]
            if name_expr is None and w.forwards_kwargs:
                name_expr = keyword(call, "name")
        if name_expr is None and w.name_const is not None:
            name, status, unknowns = self._name_for(w.module, w.fn.qualname if w.fn else "", w.name_const, fn.name, apps)
        else:
            name, status, unknowns = self._name_for(module, fn.scope, name_expr, fn.name, apps)
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
        ), {f"{module}.{fn.qualname}"}, w.shared and not w.apps, wrapper=w.qualname)
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
                fq = self.resolve(module, dotted(fn_arg), cs.scope)
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
                    queue=self._explicit_queue(call, module, cs.scope),
                    app=apps[0].key if len(apps) == 1 else "",
                    is_async=fn.is_async,
                    unresolved=unknowns,
                    registered_at=self.loc(module, cs.node),
                ), {f"{d.module}.{fn.qualname}"} | target_refs, shared)

    def _subclass_tasks(self, module: str, cls: str, cs: CallSite, call: ast.Call, fn: FunctionInfo, fn_module: str,
                        apps: list[CeleryApp], shared: bool) -> None:
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
                queue=self._explicit_queue(call, module, cs.scope),
                app=apps[0].key if len(apps) == 1 else "",
                is_async=fn.is_async,
                unresolved=unknowns,
                registered_at=self.loc(smod, _class_node_stub(info)),
            ), refs, shared)

    # ------------------------------------------------------------ task classes
    def _is_task_class(self, qualified: str) -> bool:
        for c in self.p.mro(qualified):
            if c in TASK_CLASSES:
                return True
            if c.endswith(".Task") and c[: -len(".Task")] in self.app_by_name:
                return True
        return False

    def _class_tasks(self) -> None:
        registered: dict[str, list[tuple[str, CallSite, list[CeleryApp]]]] = defaultdict(list)
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
                q = self.resolve(module, dotted(target), cs.scope)
                d = self.p.lookup(q)
                if d.kind == "assignment" and isinstance(d.obj.value, ast.Call):
                    q = self.resolve(d.module, dotted(d.obj.value.func), d.obj.scope)
                if self.p.lookup(q).kind == "class":
                    registered[q].append((module, cs, apps))
        used_as_base: set[str] = set()
        for td in self.defs:
            for k, v in td.task.options:
                if k == "base":
                    used_as_base.add(self.resolve(td.module, v, td.scope))
        celery_version = self.p.dependency_version("celery")
        auto = bool(celery_version) and celery_version.split(".")[0] in ("2", "3")
        for module, c in self._task_classes():
            q = f"{module}.{c.qualname}"
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
                ), refs, False)

    def _task_classes(self) -> list[tuple[str, ClassInfo]]:
        """First-party ``celery.Task`` subclasses (only classes whose bases could be one are resolved)."""
        names = {"Task"}
        found: dict[str, tuple[str, ClassInfo]] = {}
        for _ in range(6):
            new = False
            for module in self.summaries:
                for c in self.p.symbols[module].classes:
                    q = f"{module}.{c.qualname}"
                    if q in found or q in TASK_CLASSES:
                        continue
                    if not bases_may_match(self.p, module, c, names):  # ``app.Task`` ends with "Task" too
                        continue
                    if self._is_task_class(q):
                        found[q] = (module, c)
                        new = True
            names |= {q.rsplit(".", 1)[-1] for q in found}
            if not new:
                break
        self.task_class_names = set(found)
        return [found[q] for q in sorted(found)]

    def _concrete_task_class(self, q: str, c: ClassInfo) -> bool:
        methods = self.p.class_methods(q)
        if "run" not in methods:
            return False
        found = self.p.class_attribute(q, "abstract")
        if found is not None and isinstance(found[1].value, ast.Constant) and found[1].value.value is True and found[1].scope == c.qualname:
            return False
        return True

    def _has_subclass(self, q: str) -> bool:
        return any(q in self.p.bases(other) for other in self.task_class_names if other != q)

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

    def _loaded_by(self, d: TaskDef) -> str:
        apps = [self.apps[d.task.app]] if d.task.app in self.apps else list(self.apps.values())
        for app in apps:
            how = app.loads.get(d.module)
            if how:
                return how
        return ""


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
