"""RQ (and django-rq, rq-scheduler): jobs, the queues they go to, and who enqueues them.

Recognised statically:

* ``@job("queue", timeout=...)`` from ``rq.decorators`` or ``django_rq`` (a bare
  ``@job`` uses django-rq's ``"default"``), project subclasses of RQ's ``job``
  decorator class and ``functools.partial(...)`` aliases of either (Redash's
  ``job = partial(StatsdRecordingJobDecorator, connection=...)``);
* producers: ``.delay(...)`` on ``@job`` functions, ``queue.enqueue(func | "dotted.path", ...)``,
  ``enqueue_call(func=...)``, ``enqueue_at(when, func)``, ``enqueue_in(delta, func)``
  (on ``Queue``/``get_queue()`` objects and rq-scheduler ``Scheduler``s), with the
  queue name when the receiver shows it.  A plain function enqueued without a
  decorator becomes a task identified by its call sites; its name is the dotted
  function, which is how RQ stores ``func_name``;
* rq-scheduler: ``scheduler.cron("* * * * *", func=...)`` and
  ``scheduler.schedule(when, func, interval=...)`` as schedule entries.

Findings: ``task-never-started`` (``@job`` functions only), ``unknown-task-name``.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import ClassVar

from ..facts import RESOLVED, UNRESOLVED, BeatEntry, Task, TaskCall
from ..model import Finding, Location, Severity
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
    keyword,
    keyword_options,
    source_summaries,
    subclasses_in,
)

JOB_DECORATORS = frozenset({"rq.decorators.job", "django_rq.job", "django_rq.decorators.job"})
QUEUE_CLASSES = frozenset({"rq.Queue", "rq.queue.Queue"})
QUEUE_GETTERS = frozenset({"django_rq.get_queue", "django_rq.queues.get_queue"})
SCHEDULER_CLASSES = frozenset({"rq_scheduler.Scheduler", "rq_scheduler.scheduler.Scheduler"})
SCHEDULER_GETTERS = frozenset({"django_rq.get_scheduler", "django_rq.queues.get_scheduler"})
PARTIAL_FUNCS = frozenset({"functools.partial"})
#: enqueue-style method -> (positional index, keyword) of the function argument
ENQUEUE_METHODS = {
    "enqueue": (0, "f"),
    "enqueue_call": (0, "func"),
    "enqueue_at": (1, "func"),
    "enqueue_in": (1, "func"),
    "schedule": (1, "func"),
    "cron": (1, "func"),
}


@dataclass
class _Job:
    task: Task
    refs: set[str] = field(default_factory=set)
    decorated: bool = True


class RqAnalyzer:
    """RQ jobs and their producers (see the module docstring)."""

    name: ClassVar[str] = "rq"
    version: ClassVar[str] = "3"
    kinds: ClassVar[frozenset[str]] = frozenset({"source", "migration"})  # resolve reads application code and migrations (source_summaries)
    shared_visitor: ClassVar[str] = SHARED_VISITOR  # one TaskSiteVisitor per file for Celery, RQ and Dramatiq

    def interested(self, module: str, text: str) -> bool:
        return interested_text(text)

    def visitor(self, parsed: ParsedModule) -> TaskSiteVisitor:
        return TaskSiteVisitor(parsed)

    def resolve(self, project: Project) -> AnalyzerOutput:
        summaries = source_summaries(project, "rq")
        uses = False
        for module in summaries:
            syms = project.symbols.get(module)
            if syms is not None and any(b.target.split(".")[0] in ("rq", "django_rq", "rq_scheduler") for b in syms.bindings):
                uses = True
                break
        if not uses:
            return AnalyzerOutput()
        return _Resolver(project, summaries).run()


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
        self.decorators: set[str] = set(JOB_DECORATORS)
        self.jobs: dict[str, _Job] = {}  # function qualname -> job
        self.beat: list[BeatEntry] = []
        self.findings: list[Finding] = []

    def resolve(self, module: str, text: str, scope: str) -> str:
        return self.p.resolve_name(module, text, scope) if text else ""

    def run(self) -> AnalyzerOutput:
        self._find_decorators()
        self._decorated()
        calls = self._producers()
        tasks = self._attach(calls)
        self._findings(tasks, calls)
        return AnalyzerOutput(
            tasks=tuple(sorted(tasks, key=Task.sort_key)),
            task_calls=tuple(sorted(calls, key=lambda c: (c.file, c.line, c.task, c.method))),
            beat=tuple(sorted(self.beat, key=lambda b: (b.entry, b.task, b.file, b.line))),
            findings=tuple(self.findings),
        )

    # ------------------------------------------------------------- decorators
    def _find_decorators(self) -> None:
        for module, c in subclasses_in(self.p, self.summaries, {"rq.decorators.job"}):
            self.decorators.add(f"{module}.{c.qualname}")
        for _ in range(3):  # partial(...) aliases of decorators (and of aliases)
            changed = False
            for module, summary in self.summaries.items():
                for ac in summary.assigned_calls:
                    node = ac.node
                    if node is None or not node.args or "." in ac.target:
                        continue
                    if self.resolve(module, ac.callee, ac.scope) not in PARTIAL_FUNCS:
                        continue
                    target = self.resolve(module, _dotted(node.args[0]), ac.scope)
                    q = f"{module}.{self.p._qual(module, ac.scope, ac.target)}"
                    if target in self.decorators and q not in self.decorators:
                        self.decorators.add(q)
                        changed = True
            if not changed:
                break

    def _decorated(self) -> None:
        names = {d.rsplit(".", 1)[-1] for d in self.decorators}
        for module, summary in self.summaries.items():
            for fn in decorated_functions(self.p, module, summary, names):
                for dec in fn.decorators:
                    call = dec if isinstance(dec, ast.Call) else None
                    q = self.resolve(module, _dotted(call.func if call is not None else dec), fn.scope)
                    if q not in self.decorators:
                        continue
                    queue_expr = argument(call, 0, "queue")
                    if queue_expr is None and call is not None:
                        queue_expr = keyword(call, "queue")
                    queue = self._queue_text(module, fn.scope, queue_expr) if queue_expr is not None else (
                        "default" if q.startswith("django_rq") else "")
                    options = keyword_options(call, ("queue",))
                    if queue_expr is not None:
                        options = (("queue", unparse(queue_expr)),) + options
                    if q not in JOB_DECORATORS:
                        options += (("decorator", q),)
                    fq = f"{module}.{fn.qualname}"
                    self.jobs[fq] = _Job(Task(
                        framework="rq", name=fq, name_status="default", function=fq, file=self.p.path_of(module),
                        line=dec.lineno, options=options, queue=queue, is_async=fn.is_async,
                    ), {fq})

    def _queue_text(self, module: str, scope: str, expr: ast.expr) -> str:
        v = self.p.evaluate_string(module, expr, scope)
        if v.ok and isinstance(v.value, str):
            return v.value
        info = self._queue_of(module, expr, scope)
        return info[1] if info is not None else (v.value if isinstance(v.value, str) else "")

    def _queue_of(self, module: str, expr: ast.expr | None, scope: str, depth: int = 0) -> tuple[str, str] | None:
        """(kind "queue"/"scheduler", queue name) for an RQ queue or scheduler expression."""
        if expr is None or depth > 5:
            return None
        if isinstance(expr, ast.Call):
            callee = self.resolve(module, _dotted(expr.func), scope)
            kind = ""
            name_expr: ast.expr | None = None
            if callee in QUEUE_CLASSES or self.p.is_subclass(callee, QUEUE_CLASSES):
                kind, name_expr = "queue", argument(expr, 0, "name")
            elif callee in QUEUE_GETTERS:
                kind, name_expr = "queue", argument(expr, 0, "name")
            elif callee in SCHEDULER_CLASSES or self.p.is_subclass(callee, SCHEDULER_CLASSES) or callee in SCHEDULER_GETTERS:
                kind, name_expr = "scheduler", keyword(expr, "queue_name") or (argument(expr, 0, "queue_name") if callee in SCHEDULER_GETTERS else None)
            if not kind:
                return None
            if name_expr is None:
                return kind, "default"
            v = self.p.evaluate_string(module, name_expr, scope)
            return kind, v.value if isinstance(v.value, str) else ""
        text = _dotted(expr)
        if not text:
            return None
        d = self.p.lookup(self.resolve(module, text, scope))
        if d.kind == "assignment" and d.obj.value is not None:
            return self._queue_of(d.module, d.obj.value, d.obj.scope, depth + 1)
        return None

    # --------------------------------------------------------------- producers
    def _function_job(self, module: str, expr: ast.expr | None, scope: str) -> tuple[_Job | None, str, str]:
        """(job, name, status) for the function argument of an enqueue call; plain functions become jobs."""
        if expr is None:
            return None, "", UNRESOLVED
        text = _dotted(expr)
        if text:
            q = self.resolve(module, text, scope)
            d = self.p.lookup(q)
            if d.kind == "function":
                return self._plain_job(d.module, d.obj), q, RESOLVED
            return None, "", UNRESOLVED
        v = self.p.evaluate_string(module, expr, scope)
        if v.ok and isinstance(v.value, str):
            d = self.p.lookup(self.p.canonical(v.value))
            if d.kind == "function":
                return self._plain_job(d.module, d.obj), v.value, RESOLVED
            return None, v.value, RESOLVED
        return None, "", UNRESOLVED

    def _plain_job(self, module: str, fn: FunctionInfo) -> _Job:
        fq = f"{module}.{fn.qualname}"
        job = self.jobs.get(fq)
        if job is None:
            job = _Job(Task(framework="rq", name=fq, name_status="default", function=fq, file=self.p.path_of(module),
                            line=fn.decorator_line or fn.line, is_async=fn.is_async), {fq}, decorated=False)
            self.jobs[fq] = job
        return job

    def _producers(self) -> list[TaskCall]:
        out: list[TaskCall] = []
        for module, summary in self.summaries.items():
            for cs in summary.calls:
                call = self._producer(module, cs)
                if call is not None:
                    out.append(call)
        return out

    def _producer(self, module: str, cs: CallSite) -> TaskCall | None:
        node = cs.node
        if not isinstance(node.func, ast.Attribute):
            return None
        receiver = node.func.value
        if cs.method == "delay":
            text = _dotted(receiver)
            job = self.jobs.get(self.resolve(module, text, cs.scope)) if text else None
            if job is None or not job.decorated:
                return None
            return TaskCall(task=job.task.name, method="delay", file=self.p.path_of(module), line=cs.line,
                            caller=caller_of(module, cs.scope), status=RESOLVED, expr=unparse(node.func),
                            function=job.task.function)
        spec = ENQUEUE_METHODS.get(cs.method)
        if spec is None:
            return None
        info = self._queue_of(module, receiver, cs.scope)
        if cs.method in ("schedule", "cron") and (info is None or info[0] != "scheduler"):
            return None
        fn_expr = argument(node, spec[0], spec[1])
        if cs.method == "enqueue_call" and fn_expr is None:
            fn_expr = keyword(node, "func")
        job, name, status = self._function_job(module, fn_expr, cs.scope)
        if job is None and not name and info is None:
            return None  # not visibly an RQ call (e.g. ``broker.enqueue(message)``)
        options = keyword_options(node, ("f", "func", "args", "kwargs"))
        if info is not None and info[1]:
            options = (("queue", info[1]),) + options
        if cs.method in ("schedule", "cron"):
            schedule = unparse(argument(node, 0, "cron_string" if cs.method == "cron" else "scheduled_time"))
            interval = keyword(node, "interval")
            if cs.method == "cron" or interval is not None:
                entry_expr = keyword(node, "id")
                ev = self.p.evaluate_string(module, entry_expr, cs.scope) if entry_expr is not None else None
                cron = self.p.evaluate_string(module, argument(node, 0, "cron_string"), cs.scope) if cs.method == "cron" else None
                self.beat.append(BeatEntry(
                    entry=ev.value if ev is not None and isinstance(ev.value, str) else (name or unparse(fn_expr)),
                    task=name, schedule=(cron.value if cron is not None and cron.ok else schedule) if cs.method == "cron"
                    else f"every {unparse(interval)}s from {schedule}",
                    file=self.p.path_of(module), line=cs.line, source="rq-scheduler", status=status,
                    options=options, function=job.task.function if job else "", conditions=cs.conditions, framework="rq",
                ))
                return None
        return TaskCall(task=name, method=cs.method, file=self.p.path_of(module), line=cs.line,
                        caller=caller_of(module, cs.scope), status=status, expr=unparse(fn_expr) if fn_expr is not None else "",
                        function=job.task.function if job else "", options=options)

    def _attach(self, calls: list[TaskCall]) -> list[Task]:
        by_fn: dict[str, list[TaskCall]] = defaultdict(list)
        for c in calls:
            if c.function:
                by_fn[c.function].append(c)
        out = []
        for fq, job in sorted(self.jobs.items()):
            out.append(replace(job.task, callers=tuple(sorted(by_fn.get(fq, []), key=lambda c: (c.file, c.line, c.method)))))
        return out

    def _findings(self, tasks: list[Task], calls: list[TaskCall]) -> None:
        scheduled = {b.task for b in self.beat}
        decorated = {fq for fq, j in self.jobs.items() if j.decorated}
        for t in tasks:
            if t.function in decorated and not t.callers and t.name not in scheduled:
                self.findings.append(Finding(
                    "task-never-started", Severity.INFO,
                    f"RQ job {t.name} is never enqueued: no .delay()/enqueue() call or scheduler entry found",
                    Location(t.file, t.line), symbol=t.function, category="tasks",
                ))
        for c in calls:
            if c.status == RESOLVED and c.task and not c.function and self.p.first_party(c.task):
                self.findings.append(Finding(
                    "unknown-task-name", Severity.WARNING,
                    f"{c.method}({c.task!r}) names no function in the scanned code",
                    Location(c.file, c.line), symbol=c.caller, category="tasks",
                ))
