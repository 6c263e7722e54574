"""Per-file facts shared by the background-task analyzers (Celery, RQ, Dramatiq).

Task *definitions* mostly come from the shared symbol tables (function headers
keep their decorators, classes their bases, every assignment its value).  What
symbol tables do not keep is collected here, in one small picklable summary
per file:

* call sites that can start, register or configure tasks (``x.delay(...)``,
  ``app.send_task("name")``, ``app.task(**opts)(fn)``, ``conf.update(...)``,
  ``q.enqueue(f)``, ``actor.send()``...), with the enclosing scope and the
  ``if`` conditions around them;
* what functions return (to follow app factories such as ``create_app()``);
* inside functions: dict literals with a ``"schedule"`` key and writes to a
  ``beat_schedule`` (custom periodic-task decorators register beat entries
  that way);
* ``gen_task_name`` overrides (custom Celery task naming).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from ..model import FileKind
from ..parsing import ParsedModule
from ..project import Project
from ..symbols import FunctionInfo
from ..visiting import Context, FileVisitor, dotted_name, statement_expressions

#: method or function names whose calls are kept (the last part of the callee)
CALL_NAMES = frozenset(
    {
        # producers
        "delay", "apply_async", "s", "si", "signature", "subtask", "Signature", "send_task",
        "enqueue", "enqueue_at", "enqueue_in", "enqueue_call", "send", "send_with_options", "message",
        "message_with_options",
        # registration / configuration
        "task", "shared_task", "actor", "job", "register_task", "register", "config_from_object",
        "autodiscover_tasks", "add_periodic_task", "update", "connect", "cron", "schedule",
        "setdefault",
    }
)
#: callees whose name is too common to keep unless the receiver text matches
_FILTERED = {
    "update": re.compile(r"conf|schedule|SCHEDULE|ROUTES|routes"),
    "setdefault": re.compile(r"conf|schedule|SCHEDULE"),
    "register": re.compile(r"tasks$"),
    "connect": re.compile(r"on_after_configure|on_after_finalize|import_modules|celeryd_init|worker_init"),
}
#: other calls kept so that configured or one-level producer wrappers can be followed
#: (``enqueue_job("actor.name")``, ``start_job_async_or_sync(func, ...)``)
_PRODUCER_LIKE = re.compile(r"enqueue|job|task", re.I)
#: names that make a decorator factory when called: ``app.task(...)(fn)``
FACTORY_NAMES = frozenset({"task", "shared_task", "actor", "job", "periodic_task"})

_INTEREST = re.compile(
    r"celery|Celery|CELERY|task|delay\(|apply_async|enqueue|actor|dramatiq|\bjob\b|\brq\b|\.send|"
    r"beat_schedule|SCHEDULE|schedule|\.s\(|\.si\(|signature"
)


def interested_text(text: str) -> bool:
    """The cheap pre-check shared by the task analyzers."""
    return _INTEREST.search(text) is not None


@dataclass(frozen=True)
class CallSite:
    """A call that may start, register or configure a task."""

    node: ast.Call
    method: str  # last part of the callee ("delay", "send_task", ...); "()" + name for ``f(...)(x)``
    callee: str  # dotted callee text ("" when the receiver is not a plain name chain)
    scope: str  # enclosing scope (Context.scope)
    line: int
    conditions: tuple[str, ...] = ()  # enclosing if-tests as text ("not X" in else branches)
    target: str = ""  # assignment target text when the call is the right-hand side of ``x = call``


@dataclass(frozen=True)
class TaskSiteSummary:
    """What one file contributes to the task analyzers (see the module docstring)."""

    calls: tuple[CallSite, ...] = ()
    returns: tuple[tuple[str, ast.expr], ...] = ()  # (function scope, returned expression)
    schedule_values: tuple[tuple[str, ast.expr], ...] = ()  # (outer function, value of a "schedule" key)
    beat_writers: tuple[str, ...] = ()  # outer functions that assign into a beat_schedule
    gen_task_name: tuple[tuple[str, ast.FunctionDef], ...] = ()  # (class qualname, method)


def outer_function(scope: str) -> str:
    """``C.m.<locals>.inner`` -> ``C.m`` (the outermost function of a nested scope)."""
    return scope.split(".<locals>.", 1)[0]


def callee_method(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def condition_texts(ctx: Context) -> tuple[str, ...]:
    out = []
    for test, branch in ctx.conditions():
        text = _unparse(test)
        out.append(text if branch else f"not ({text})")
    return tuple(out)


def _unparse(node: ast.AST) -> str:
    try:
        return ast.unparse(node)
    except Exception:  # pragma: no cover - ast.unparse handles parsed trees
        return "<expr>"


class TaskSiteVisitor(FileVisitor):
    """Collects :class:`TaskSiteSummary` during the batched walk."""

    def __init__(self, parsed: ParsedModule) -> None:
        self.parsed = parsed
        self.calls: list[CallSite] = []
        self.returns: list[tuple[str, ast.expr]] = []
        self.schedule_values: list[tuple[str, ast.expr]] = []
        self.beat_writers: set[str] = set()
        self.gen_task_name: list[tuple[str, ast.FunctionDef]] = []
        self.aliases: dict[str, str] = {}  # ``from dramatiq import actor as _actor`` -> {"_actor": "actor"}

    def visit_stmt(self, stmt: ast.stmt, ctx: Context) -> None:
        if isinstance(stmt, ast.ImportFrom):
            for alias in stmt.names:
                if alias.asname and alias.name in CALL_NAMES | FACTORY_NAMES:
                    self.aliases[alias.asname] = alias.name
            return
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if stmt.name == "gen_task_name" and ctx.in_class_body and isinstance(stmt, ast.FunctionDef):
                self.gen_task_name.append((ctx.scope, stmt))
            return
        if isinstance(stmt, (ast.ClassDef, ast.Import, ast.Pass, ast.Break, ast.Continue)):
            return
        target = ""
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            tnode = stmt.targets[0] if isinstance(stmt, ast.Assign) else stmt.target
            target = _unparse(tnode)
            if ctx.in_function and "beat_schedule" in target:
                self.beat_writers.add(outer_function(ctx.scope))
        if isinstance(stmt, ast.Return) and ctx.in_function and stmt.value is not None:
            if isinstance(stmt.value, (ast.Name, ast.Attribute, ast.Call)):
                self.returns.append((ctx.scope, stmt.value))
        conditions: tuple[str, ...] | None = None
        for expr in statement_expressions(stmt):
            for node in ast.walk(expr):
                if isinstance(node, ast.Dict) and ctx.in_function:
                    for k, v in zip(node.keys, node.values):
                        if isinstance(k, ast.Constant) and k.value == "schedule":
                            self.schedule_values.append((outer_function(ctx.scope), v))
                if not isinstance(node, ast.Call):
                    continue
                method = callee_method(node.func)
                if isinstance(node.func, ast.Name):
                    method = self.aliases.get(method, method)
                if not method and isinstance(node.func, ast.Call):
                    inner = callee_method(node.func.func)
                    if isinstance(node.func.func, ast.Name):
                        inner = self.aliases.get(inner, inner)
                    if inner in FACTORY_NAMES:
                        method = "()" + inner
                if not method:
                    continue
                if method not in CALL_NAMES and not method.startswith("()") and not _PRODUCER_LIKE.search(method):
                    continue
                callee = dotted_name(node.func)
                flt = _FILTERED.get(method)
                if flt is not None:
                    receiver = callee.rsplit(".", 1)[0] if "." in callee else ""
                    if not receiver or not flt.search(receiver):
                        continue
                if conditions is None:
                    conditions = condition_texts(ctx)
                self.calls.append(
                    CallSite(
                        node=node,
                        method=method,
                        callee=callee,
                        scope=ctx.scope,
                        line=node.lineno,
                        conditions=conditions,
                        target=target if node is getattr(stmt, "value", None) else "",
                    )
                )

    def finish(self) -> TaskSiteSummary:
        return TaskSiteSummary(
            calls=tuple(self.calls),
            returns=tuple(self.returns),
            schedule_values=tuple(self.schedule_values),
            beat_writers=tuple(sorted(self.beat_writers)),
            gen_task_name=tuple(self.gen_task_name),
        )


# ----------------------------------------------------------------- phase-2 helpers
def source_summaries(project: Project, analyzer: str) -> dict[str, TaskSiteSummary]:
    """Summaries of the analyzer's modules that are application source (no tests, no migrations)."""
    out: dict[str, TaskSiteSummary] = {}
    for module, summary in sorted(project.summaries_of(analyzer).items()):
        m = project.modules.get(module)
        if m is None or m.kind is not FileKind.SOURCE or not isinstance(summary, TaskSiteSummary):
            continue
        out[module] = summary
    return out


def is_source(project: Project, module: str) -> bool:
    m = project.modules.get(module)
    return m is not None and m.kind is FileKind.SOURCE


def caller_of(module: str, scope: str) -> str:
    """Dotted enclosing function (or class) of a call site; "" at module level."""
    return f"{module}.{scope}" if scope else ""


def keyword_options(call: ast.Call | None, skip: tuple[str, ...] = ()) -> tuple[tuple[str, str], ...]:
    """Keyword arguments of a call as ``(name, source text)``; ``**x`` becomes ``("**", "x")``."""
    if call is None:
        return ()
    out = []
    for kw in call.keywords:
        if kw.arg in skip:
            continue
        out.append((kw.arg or "**", _unparse(kw.value)))
    return tuple(out)


def keyword(call: ast.Call | None, name: str) -> ast.expr | None:
    if call is None:
        return None
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return None


def argument(call: ast.Call | None, index: int, name: str) -> ast.expr | None:
    """The argument passed as positional ``index`` or keyword ``name``."""
    if call is None:
        return None
    value = keyword(call, name)
    if value is not None:
        return value
    positional = [a for a in call.args]
    if index < len(positional) and not any(isinstance(a, ast.Starred) for a in positional[: index + 1]):
        return positional[index]
    return None



def param_argument(fn: FunctionInfo | None, call: ast.Call | None, param: str) -> ast.expr | None:
    """The argument a call of ``fn`` passes for its parameter ``param`` (positional or keyword)."""
    if call is None or not param:
        return None
    if fn is None:
        return keyword(call, param)
    positional = [a.arg for a in fn.args.posonlyargs + fn.args.args]
    if fn.is_method and positional and positional[0] in ("self", "cls"):
        positional = positional[1:]
    if param in positional:
        return argument(call, positional.index(param), param)
    return keyword(call, param)
