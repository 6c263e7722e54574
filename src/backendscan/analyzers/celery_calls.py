"""Celery producers, beat entries and findings, once apps and tasks are known.

Producers (``.delay()``, ``.apply_async()``, ``.s()``/``.si()``/``.signature()``,
``signature("name")``, ``send_task("name")``, ``app.tasks["name"].apply_async()``) are
matched to tasks through imports (the task object) or by registered name; a
``self.x.delay()`` resolves when the class only ever assigns one task to
``self.x``.  Beat entries come from ``beat_schedule`` settings,
``add_periodic_task(...)`` and periodic decorators.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import replace
from typing import Any

from ..facts import PARTIAL, RESOLVED, UNRESOLVED, BeatEntry, Task, TaskCall
from ..model import Finding, Location, Severity
from ..project import Ref
from ..symbols import ImportBinding
from .celery_config import beat_entries, unparse
from .celery_state import PRODUCER_METHODS, SIGNATURE_FUNCS, DB_SCHEDULER_HINTS, ResolverState, TaskDef, dotted
from .tasksites import CallSite, argument, caller_of, keyword, keyword_options


class CallsAndBeat(ResolverState):
    """Producers, beat entries, callers on tasks, findings and notes."""

    def _task_index(self) -> tuple[dict[str, TaskDef], dict[str, list[TaskDef]]]:
        by_ref: dict[str, TaskDef] = {}
        by_name: dict[str, list[TaskDef]] = defaultdict(list)
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

    def _by_ref(self, module: str, expr: ast.expr | None, scope: str) -> TaskDef | None:
        text = dotted(expr) if expr is not None else ""
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

    def _call(self, module: str, cs: CallSite, method: str, d: TaskDef, options: tuple[tuple[str, str], ...]) -> TaskCall:
        return TaskCall(task=d.task.name, method=method, file=self.p.path_of(module), line=cs.line,
                        caller=caller_of(module, cs.scope), status=RESOLVED if d.task.name_status in (RESOLVED, "default") else d.task.name_status,
                        expr=unparse(cs.node.func), function=d.task.function, options=options)

    def _producer(self, module: str, cs: CallSite, by_ref: dict[str, TaskDef],
                  by_name: dict[str, list[TaskDef]]) -> TaskCall | None:
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
        if isinstance(receiver, ast.Subscript) and dotted(receiver.value).endswith("tasks"):
            return self._named_call(module, cs, method, receiver.slice, opts)
        text = dotted(receiver)
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

    def _self_attribute_task(self, module: str, text: str, scope: str) -> TaskDef | None:
        """``self.job.delay()`` where the class's methods only ever assign one task to ``self.job``."""
        if not text.startswith("self.") or text.count(".") != 1:
            return None
        cls = self._enclosing_class(module, scope)
        if not cls:
            return None
        found: set[int] = set()
        defs: list[TaskDef] = []
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
        b = self.p.binding(module, text.split(".")[0], scope)
        return isinstance(b, ImportBinding) and not self.p.first_party(b.target)

    def _beat(self) -> list[BeatEntry]:
        out: list[BeatEntry] = []
        for raw in beat_entries(self.p, self.settings):
            task_name, status, function = self._beat_task(raw.module, raw.scope, raw.task_node)
            entry = raw.entry.value if isinstance(raw.entry.value, str) else unparse(raw.task_node)
            st = status if raw.entry.ok else (PARTIAL if raw.entry.status == PARTIAL else UNRESOLVED)
            options = raw.options + (("from", raw.origin),)
            if raw.built_by:
                st = PARTIAL if st == RESOLVED else st  # the function decides at runtime
                options += (("built_by", raw.built_by),)
            out.append(BeatEntry(
                entry=entry, task=task_name,
                schedule=raw.schedule_text or (unparse(raw.schedule) if raw.schedule is not None else ""),
                file=self.p.path_of(raw.module), line=raw.line, source="beat_schedule", status=st,
                options=options, function=function, conditions=raw.conditions,
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
                ok, _ = self.app_refs(module, dotted(sig.func.value), cs.scope)
                if ok and sig.args:
                    task_name, status, function = self._beat_task(module, cs.scope, sig.args[0])
        elif isinstance(sig, ast.Call) and self.resolve(module, dotted(sig.func), cs.scope) in SIGNATURE_FUNCS and sig.args:
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


def _dedupe_beat(entries: list[BeatEntry]) -> list[BeatEntry]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for b in entries:
        key = (b.entry, b.task, b.file, b.line)
        if key not in seen:
            seen.add(key)
            out.append(b)
    return out
