"""Dramatiq: actors, their names and queues, and the code that sends them messages.

Recognised statically:

* ``@dramatiq.actor``, ``@dramatiq.actor(actor_name=, queue_name=, max_retries=, ...)``
  and ``dramatiq.actor(fn, ...)``; the actor name is ``actor_name`` or, as in
  Dramatiq, the function's ``__name__``; the queue is ``queue_name`` or
  ``"default"``;
* custom ``actor`` wrappers: functions whose body (one level, nested defs
  included) calls ``dramatiq.actor(...)``, with their ``actor_name``/``queue_name``
  parameters mapped (Polar's ``polar.worker.actor``);
* ``dramatiq.GenericActor`` subclasses (name from ``Meta.actor_name`` or the class);
* periodiq's ``periodic=cron("...")`` as a schedule entry;
* producers: ``actor.send(...)``, ``actor.send_with_options(...)``,
  ``actor.message(...)``/``message_with_options(...)`` (pipelines, groups) and
  functions listed in ``[tool.backendscan] dramatiq-producers`` that take an actor
  name as their first argument (Polar's ``enqueue_job("benefit.revoke_customer")``).

Findings: ``task-never-started``, ``unknown-task-name``.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import ClassVar

from ..facts import PARTIAL, RESOLVED, UNRESOLVED, BeatEntry, Task, TaskCall
from ..model import Finding, Location, Severity, Unresolved
from ..parsing import ParsedModule
from ..project import Project
from ..symbols import FunctionInfo
from .base import AnalyzerOutput
from .celery_config import unparse
from .tasksites import (
    SHARED_VISITOR,
    CallSite,
    TaskSiteSummary,
    TaskSiteVisitor,
    argument,
    caller_of,
    decorated_functions,
    interested_text,
    is_source,
    keyword,
    keyword_options,
    outer_function,
    param_argument,
    source_summaries,
    subclasses_in,
)

ACTOR_FUNCS = frozenset({"dramatiq.actor", "dramatiq.actor.actor"})
GENERIC_ACTORS = frozenset({"dramatiq.GenericActor", "dramatiq.generic.GenericActor"})
CRON_FUNCS = frozenset({"periodiq.cron"})
SEND_METHODS = frozenset({"send", "send_with_options", "message", "message_with_options"})


@dataclass(frozen=True)
class _Wrapper:
    qualname: str
    module: str
    fn: FunctionInfo
    name_param: str = ""
    queue_param: str = ""
    forwards_kwargs: bool = False


@dataclass
class _Actor:
    task: Task
    module: str
    refs: set[str] = field(default_factory=set)


class DramatiqAnalyzer:
    """Dramatiq actors and their producers (see the module docstring)."""

    name: ClassVar[str] = "dramatiq"
    version: ClassVar[str] = "3"
    kinds: ClassVar[frozenset[str]] = frozenset({"source", "migration"})  # resolve reads application code and migrations (source_summaries)
    shared_visitor: ClassVar[str] = SHARED_VISITOR  # one TaskSiteVisitor per file for Celery, RQ and Dramatiq

    def interested(self, module: str, text: str) -> bool:
        return interested_text(text)

    def visitor(self, parsed: ParsedModule) -> TaskSiteVisitor:
        return TaskSiteVisitor(parsed)

    def resolve(self, project: Project) -> AnalyzerOutput:
        summaries = source_summaries(project, "dramatiq")
        if not _uses(project, summaries, ("dramatiq",)):
            return AnalyzerOutput()
        return _Resolver(project, summaries).run()


def _uses(project: Project, summaries: dict[str, TaskSiteSummary], packages: tuple[str, ...]) -> bool:
    for module in summaries:
        syms = project.symbols.get(module)
        if syms is not None and any(b.target.split(".")[0] in packages for b in syms.bindings):
            return True
    return False


def _dotted(node: ast.AST | None) -> str:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""


class _Resolver:
    def __init__(self, project: Project, summaries: dict[str, TaskSiteSummary]) -> None:
        self.p = project
        self.summaries = summaries
        self.wrappers: dict[str, _Wrapper] = {}
        self.actors: list[_Actor] = []
        self.beat: list[BeatEntry] = []
        self.findings: list[Finding] = []

    def resolve(self, module: str, text: str, scope: str) -> str:
        return self.p.resolve_name(module, text, scope) if text else ""

    def run(self) -> AnalyzerOutput:
        self._find_wrappers()
        self._decorated()
        self._imperative()
        self._generic_actors()
        calls = self._producers()
        tasks = self._attach(calls)
        self._findings(tasks, calls)
        return AnalyzerOutput(
            tasks=tuple(sorted(tasks, key=Task.sort_key)),
            task_calls=tuple(sorted(calls, key=lambda c: (c.file, c.line, c.task, c.method))),
            beat=tuple(sorted(self.beat, key=lambda b: (b.entry, b.task, b.file, b.line))),
            findings=tuple(self.findings),
        )

    # ---------------------------------------------------------------- wrappers
    def _actor_call(self, module: str, cs: CallSite) -> ast.Call | None:
        call = cs.node.func if cs.method.startswith("()") and isinstance(cs.node.func, ast.Call) else cs.node
        if self.resolve(module, _dotted(call.func), cs.scope) in ACTOR_FUNCS:
            return call
        return None

    def _find_wrappers(self) -> None:
        for module, summary in self.summaries.items():
            syms = self.p.symbols[module]
            for cs in summary.calls:
                if cs.method not in ("actor", "()actor") or not cs.scope:
                    continue
                call = self._actor_call(module, cs)
                if call is None:
                    continue
                outer = outer_function(cs.scope)
                fn = syms.function(outer)
                if fn is None:
                    continue
                fn_arg = cs.node.args[0] if cs.node.args else None
                if isinstance(fn_arg, (ast.Name, ast.Attribute)):
                    d = self.p.lookup(self.resolve(module, _dotted(fn_arg), cs.scope))
                    if d.kind == "function" and not d.obj.qualname.startswith(outer + ".") and _dotted(fn_arg) not in fn.params:
                        continue  # registers an existing function: handled as an imperative actor
                params = set(fn.params)
                kwarg = fn.args.kwarg.arg if fn.args.kwarg is not None else ""
                name_param = queue_param = ""
                forwards = False
                for kw in call.keywords:
                    if kw.arg is None and isinstance(kw.value, ast.Name) and kw.value.id == kwarg:
                        forwards = True
                    elif kw.arg == "actor_name" and isinstance(kw.value, ast.Name) and kw.value.id in params:
                        name_param = kw.value.id
                    elif kw.arg == "queue_name" and isinstance(kw.value, ast.Name) and kw.value.id in params:
                        queue_param = kw.value.id
                q = f"{module}.{outer}"
                self.wrappers[q] = _Wrapper(q, module, fn, name_param, queue_param, forwards)

    # ------------------------------------------------------------- definitions
    def _modules(self) -> list[str]:
        mods = set(self.summaries)
        prefixes = tuple(w.rsplit(".", 1)[0] for w in self.wrappers)
        if prefixes:
            for m, syms in self.p.symbols.items():
                if m not in mods and is_source(self.p, m) and any(b.target.startswith(prefixes) for b in syms.bindings):
                    mods.add(m)
        return sorted(mods)

    def _decorated(self) -> None:
        names = {w.rsplit(".", 1)[-1] for w in self.wrappers}
        for module in self._modules():
            for fn in decorated_functions(self.p, module, self.summaries.get(module), names):
                for dec in fn.decorators:
                    call = dec if isinstance(dec, ast.Call) else None
                    q = self.resolve(module, _dotted(call.func if call is not None else dec), fn.scope)
                    if q in ACTOR_FUNCS:
                        self._actor(module, fn, dec.lineno, call, None, None)
                    elif q in self.wrappers:
                        w = self.wrappers[q]
                        name_expr = param_argument(w.fn, call, w.name_param) if call is not None and w.name_param else None
                        queue_expr = param_argument(w.fn, call, w.queue_param) if call is not None and w.queue_param else None
                        if call is not None and w.forwards_kwargs:
                            name_expr = name_expr or keyword(call, "actor_name")
                            queue_expr = queue_expr or keyword(call, "queue_name")
                        queue_module, queue_scope = module, fn.scope
                        if queue_expr is None and w.queue_param and not self._reassigned(w, w.queue_param):
                            queue_expr = _param_default(w.fn, w.queue_param)  # the wrapper's default
                            queue_module, queue_scope = w.module, w.fn.scope
                        self._actor(module, fn, dec.lineno, call, name_expr, queue_expr, wrapper=q,
                                    queue_at=(queue_module, queue_scope))

    def _reassigned(self, w: _Wrapper, param: str) -> bool:
        """Does the wrapper compute the parameter itself (Polar picks the queue from ``priority``)?"""
        return any(a.target == param and a.scope.startswith(w.fn.qualname)
                   for a in self.p.symbols[w.module].assignments)

    def _actor(self, module: str, fn: FunctionInfo, line: int, call: ast.Call | None, name_expr: ast.expr | None,
               queue_expr: ast.expr | None, wrapper: str = "", registered_at: Location | None = None,
               fn_module: str = "", refs: set[str] | None = None, scope: str | None = None,
               queue_at: tuple[str, str] | None = None) -> None:
        fn_module = fn_module or module
        scope = fn.scope if scope is None else scope
        if not wrapper:
            name_expr = keyword(call, "actor_name")
            queue_expr = keyword(call, "queue_name")
        name, status = fn.name, "default"
        unknowns: tuple[Unresolved, ...] = ()
        if name_expr is not None and not (isinstance(name_expr, ast.Constant) and name_expr.value is None):
            v = self.p.evaluate_string(module, name_expr, scope)
            placeholder = "{" + unparse(name_expr) + "}"
            name = v.value if isinstance(v.value, str) else placeholder
            status = RESOLVED if v.ok else (PARTIAL if v.status == PARTIAL and name != placeholder else UNRESOLVED)
            unknowns = v.unknowns
        queue = "default" if not wrapper else ""
        if isinstance(queue_expr, ast.Constant) and queue_expr.value is None:
            queue = ""  # dramatiq.actor() rejects queue_name=None: the wrapper must set it some other way
        elif queue_expr is not None:
            qmod, qscope = queue_at or (module, scope)
            qv = self.p.evaluate_string(qmod, queue_expr, qscope)
            queue = qv.value if isinstance(qv.value, str) else ""
        options = keyword_options(call) + ((("decorator", wrapper),) if wrapper else ())
        task = Task(
            framework="dramatiq", name=name, name_status=status, function=f"{fn_module}.{fn.qualname}",
            file=self.p.path_of(fn_module), line=line, options=options, queue=queue, is_async=fn.is_async,
            unresolved=unknowns, registered_at=registered_at,
        )
        self.actors.append(_Actor(task, fn_module, {f"{fn_module}.{fn.qualname}"} | (refs or set())))
        periodic = keyword(call, "periodic")
        if periodic is not None:
            sched = periodic
            if isinstance(periodic, ast.Call) and self.resolve(module, _dotted(periodic.func), scope) in CRON_FUNCS and periodic.args:
                sched = periodic.args[0]
            sv = self.p.evaluate_string(module, sched, scope)
            self.beat.append(BeatEntry(
                entry=name, task=name, schedule=sv.value if sv.ok else unparse(periodic), file=self.p.path_of(module),
                line=line, source="periodiq", status=status if status != "default" else RESOLVED,
                function=task.function, framework="dramatiq",
            ))

    def _imperative(self) -> None:
        for module, summary in self.summaries.items():
            for cs in summary.calls:
                if cs.method not in ("actor", "()actor"):
                    continue
                if cs.scope and f"{module}.{outer_function(cs.scope)}" in self.wrappers:
                    continue
                call = self._actor_call(module, cs)
                fn_arg = cs.node.args[0] if cs.node.args else None
                if call is None or not isinstance(fn_arg, (ast.Name, ast.Attribute)):
                    continue
                d = self.p.lookup(self.resolve(module, _dotted(fn_arg), cs.scope))
                if d.kind != "function":
                    continue
                refs = set()
                if cs.target and "." not in cs.target and "[" not in cs.target:
                    refs.add(f"{module}.{self.p._qual(module, cs.scope, cs.target)}")
                self._actor(module, d.obj, d.obj.decorator_line or d.obj.line, call, None, None,
                            registered_at=self.p.location(module, cs.node), fn_module=d.module, refs=refs, scope=cs.scope)

    def _generic_actors(self) -> None:
        for module, c in subclasses_in(self.p, self.summaries, GENERIC_ACTORS):
            q = f"{module}.{c.qualname}"
            meta = f"{q}.Meta"
            attrs: dict[str, ast.expr] = {}
            for a in self.p.assignments_of(f"{meta}.abstract") + self.p.assignments_of(f"{meta}.actor_name") + self.p.assignments_of(f"{meta}.queue_name"):
                if a.value is not None:
                    attrs[a.target] = a.value
            ab = attrs.get("abstract")
            if isinstance(ab, ast.Constant) and ab.value is True:
                continue
            name, status = c.name, "default"
            if "actor_name" in attrs:
                v = self.p.evaluate_string(module, attrs["actor_name"], f"{c.qualname}.Meta")
                name, status = (v.value, RESOLVED) if v.ok else (v.value or unparse(attrs["actor_name"]), PARTIAL)
            queue = "default"
            if "queue_name" in attrs:
                qv = self.p.evaluate_string(module, attrs["queue_name"], f"{c.qualname}.Meta")
                queue = qv.value if isinstance(qv.value, str) else ""
            task = Task(framework="dramatiq", name=name, name_status=status, function=q, file=self.p.path_of(module),
                        line=c.line, queue=queue, kind="class")
            self.actors.append(_Actor(task, module, {q}))

    # --------------------------------------------------------------- producers
    def _producers(self) -> list[TaskCall]:
        by_ref: dict[str, _Actor] = {}
        by_name: dict[str, list[_Actor]] = defaultdict(list)
        for a in self.actors:
            for r in a.refs:
                by_ref.setdefault(r, a)
            by_name[a.task.name].append(a)
        configured = {self.p.canonical(c) for c in (self.p.config.get_extra("dramatiq-producers", []) or [])
                      if isinstance(c, str)}  # ``polar.worker.enqueue_job`` is re-exported from polar.worker._enqueue
        out: list[TaskCall] = []
        for module, summary in self.summaries.items():
            for cs in summary.calls:
                node = cs.node
                if cs.method in SEND_METHODS and isinstance(node.func, ast.Attribute):
                    text = _dotted(node.func.value)
                    found = by_ref.get(self.resolve(module, text, cs.scope)) if text else None
                    if found is None:
                        continue
                    a = found
                    opts = keyword_options(node, ("args", "kwargs")) if cs.method.endswith("_with_options") else ()
                    out.append(TaskCall(task=a.task.name, method=cs.method, file=self.p.path_of(module), line=cs.line,
                                        caller=caller_of(module, cs.scope), status=RESOLVED, expr=unparse(node.func),
                                        function=a.task.function, options=opts))
                elif configured and cs.callee and self.resolve(module, cs.callee, cs.scope) in configured:
                    name_expr = argument(node, 0, "actor")
                    if name_expr is None:
                        continue
                    v = self.p.evaluate_string(module, name_expr, cs.scope)
                    name = v.value if v.ok and isinstance(v.value, str) else ""
                    matches = by_name.get(name, [])
                    out.append(TaskCall(task=name, method=cs.callee.rsplit(".", 1)[-1], file=self.p.path_of(module),
                                        line=cs.line, caller=caller_of(module, cs.scope),
                                        status=RESOLVED if name else UNRESOLVED, expr=unparse(name_expr),
                                        function=matches[0].task.function if len(matches) == 1 else ""))
        return out

    def _attach(self, calls: list[TaskCall]) -> list[Task]:
        by_fn: dict[str, list[TaskCall]] = defaultdict(list)
        by_name: dict[str, list[TaskCall]] = defaultdict(list)
        for c in calls:
            (by_fn[c.function] if c.function else by_name[c.task]).append(c)
        out = []
        for a in self.actors:
            mine = [c for c in by_fn.get(a.task.function, []) if c.task == a.task.name] + by_name.get(a.task.name, [])
            out.append(replace(a.task, callers=tuple(sorted(set(mine), key=lambda c: (c.file, c.line, c.method)))))
        return out

    def _findings(self, tasks: list[Task], calls: list[TaskCall]) -> None:
        names = {t.name for t in tasks}
        scheduled = {b.task for b in self.beat}
        for t in tasks:
            if not t.callers and t.name not in scheduled:
                self.findings.append(Finding(
                    "task-never-started", Severity.INFO,
                    f"actor {t.name} ({t.function}) is never sent a message: no .send()/.send_with_options() call found",
                    Location(t.file, t.line), symbol=t.function, category="tasks",
                ))
        for c in calls:
            if c.status == RESOLVED and c.task and c.task not in names:
                self.findings.append(Finding(
                    "unknown-task-name", Severity.WARNING,
                    f"{c.method}({c.task!r}) names no Dramatiq actor defined in the scanned code",
                    Location(c.file, c.line), symbol=c.caller, category="tasks",
                ))


def _param_default(fn: FunctionInfo, param: str) -> ast.expr | None:
    """The default value expression of parameter ``param`` of ``fn`` (None when it has none)."""
    args = fn.args
    positional = args.posonlyargs + args.args
    defaults = dict(zip([a.arg for a in positional[len(positional) - len(args.defaults):]], args.defaults))
    defaults.update({a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None})
    return defaults.get(param)
