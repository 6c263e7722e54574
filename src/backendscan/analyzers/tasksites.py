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
from ..symbols import ClassInfo, FunctionInfo
from ..visiting import Context, FileVisitor, dotted_name

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

_INTEREST_LITERALS = (
    "task", "celery", "Celery", "CELERY", "delay(", "apply_async", "enqueue", "actor", "dramatiq", ".send",
    "beat_schedule", "SCHEDULE", "schedule", ".s(", ".si(", "signature",
)
_INTEREST_WORDS = re.compile(r"\bjob\b|\brq\b")

#: the ``shared_visitor`` key of the task analyzers: they read the same files (same
#: kinds, same :func:`interested_text`) and build the same :class:`TaskSiteVisitor`, so
#: each file is asked about and walked once for all three (bump the number when the
#: visitor or its summary changes)
SHARED_VISITOR = "tasksites:1"


def interested_text(text: str) -> bool:
    """The cheap pre-check shared by the task analyzers.

    Substring tests, then one small regex for the two words that need word
    boundaries: one alternation regex over every file cost 1 ms per file (the
    engine retries all 22 branches at every position), a tenth of the whole walk.
    """
    if any(lit in text for lit in _INTEREST_LITERALS):
        return True
    return ("job" in text or "rq" in text) and _INTEREST_WORDS.search(text) is not None


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
    returns: tuple[tuple[str, ast.expr], ...] = ()  # what functions that build Celery objects return
    schedule_values: tuple[tuple[str, ast.expr], ...] = ()  # (outer function, value of a "schedule" key)
    beat_writers: tuple[str, ...] = ()  # outer functions that assign into a beat_schedule
    gen_task_name: tuple[tuple[str, ast.FunctionDef], ...] = ()  # (class qualname, method)
    assigned_calls: tuple[AssignedCall, ...] = ()  # ``x = f(...)`` at any scope
    conf_writes: tuple[ConfWrite, ...] = ()  # ``app.conf.x = ...`` / ``app.conf["x"] = ...``
    decorated: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (function qualname, decorator callee texts)
    setting_names: tuple[str, ...] = ()  # module-level names that look like Celery settings


@dataclass(frozen=True)
class AssignedCall:
    """``target = callee(...)``; the call itself is kept only when it may be a Celery app or a partial."""

    target: str
    scope: str
    callee: str
    line: int
    node: ast.Call | None = None


@dataclass(frozen=True)
class ConfWrite:
    """An assignment to an attribute or item of a ``.conf`` object (Celery settings)."""

    target: str
    value: ast.expr | None
    scope: str
    line: int
    op: str
    conditions: tuple[str, ...] = ()


#: Celery settings spelled as module-level names (old uppercase or Django namespace)
_SETTING_NAME = re.compile(r"^(CELERY\w*|BROKER_URL|beat_schedule|task_routes|imports|include)$")


def _return_value(value: ast.expr) -> ast.expr | None:
    """What a ``return`` keeps: names, and calls reduced to their callee unless they may build a Celery app."""
    if isinstance(value, (ast.Name, ast.Attribute)):
        return value
    if isinstance(value, ast.Call):
        callee = dotted_name(value.func)
        if not callee:
            return None
        if "celery" in callee.lower():
            return value
        return ast.Call(func=value.func, args=[], keywords=[], lineno=value.lineno, col_offset=value.col_offset)
    return None


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
        self.assigned_calls: list[AssignedCall] = []
        self.conf_writes: list[ConfWrite] = []
        self.decorated: list[tuple[str, tuple[str, ...]]] = []
        self.setting_names: set[str] = set()
        self.celery_scopes: set[str] = set()  # functions that build something Celery-named

    def visit_stmt(self, stmt: ast.stmt, ctx: Context) -> None:
        if isinstance(stmt, ast.ImportFrom):
            for alias in stmt.names:
                if alias.asname and alias.name in CALL_NAMES | FACTORY_NAMES:
                    self.aliases[alias.asname] = alias.name
            return
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if stmt.name == "gen_task_name" and ctx.in_class_body and isinstance(stmt, ast.FunctionDef):
                self.gen_task_name.append((ctx.scope, stmt))
            if stmt.decorator_list:
                prefix = ctx.qualname
                texts = tuple(dotted_name(d.func if isinstance(d, ast.Call) else d) for d in stmt.decorator_list)
                self.decorated.append((f"{prefix}.{stmt.name}" if prefix else stmt.name, texts))
            return
        if isinstance(stmt, (ast.ClassDef, ast.Import, ast.Pass, ast.Break, ast.Continue)):
            return
        target = ""
        if isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            tnode = stmt.targets[0] if isinstance(stmt, ast.Assign) else stmt.target
            # a name chain reads as ast.unparse writes it, without the unparser (one call per assignment)
            target = dotted_name(tnode) or _unparse(tnode)
            value = stmt.value
            if ctx.in_function and "beat_schedule" in target:
                self.beat_writers.add(outer_function(ctx.scope))
            if ".conf" in target:
                op = "=" if not isinstance(stmt, ast.AugAssign) else "+="
                self.conf_writes.append(ConfWrite(target, value, ctx.scope, stmt.lineno, op, condition_texts(ctx)))
            if not ctx.in_function and not ctx.in_class_body:
                base = target.split("[", 1)[0]
                if _SETTING_NAME.match(base):
                    self.setting_names.add(base)
            if isinstance(value, ast.Call) and isinstance(tnode, (ast.Name, ast.Attribute)) and not isinstance(stmt, ast.AugAssign):
                callee = dotted_name(value.func)
                keep = "celery" in callee.lower() or callee.rsplit(".", 1)[-1] == "partial"
                if keep:
                    self.celery_scopes.add(ctx.scope)
                if callee and (keep or not ctx.scope):  # module level: ``app = create_application()``
                    self.assigned_calls.append(AssignedCall(target, ctx.scope, callee, stmt.lineno, value if keep else None))
        if isinstance(stmt, ast.Return) and ctx.in_function and stmt.value is not None:
            kept = _return_value(stmt.value)
            if kept is not None:
                if isinstance(kept, ast.Call) and "celery" in dotted_name(kept.func).lower():
                    self.celery_scopes.add(ctx.scope)
                self.returns.append((ctx.scope, kept))
        conditions: tuple[str, ...] | None = None
        for node in ctx.expression_nodes(stmt):
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
            returns=tuple(r for r in self.returns if r[0] in self.celery_scopes),  # app factories only
            schedule_values=tuple(self.schedule_values),
            beat_writers=tuple(sorted(self.beat_writers)),
            gen_task_name=tuple(self.gen_task_name),
            assigned_calls=tuple(self.assigned_calls),
            conf_writes=tuple(self.conf_writes),
            decorated=tuple(self.decorated),
            setting_names=tuple(sorted(self.setting_names)),
        )


# ----------------------------------------------------------------- phase-2 helpers
def source_summaries(project: Project, analyzer: str) -> dict[str, TaskSiteSummary]:
    """Summaries of the analyzer's modules that are application code (see :func:`is_source`)."""
    out: dict[str, TaskSiteSummary] = {}
    for module, summary in sorted(project.summaries_of(analyzer).items()):
        if is_source(project, module) and isinstance(summary, TaskSiteSummary):
            out[module] = summary
    return out


def is_source(project: Project, module: str) -> bool:
    """Application code: not tests.  Files under ``migrations/`` count: Saleor keeps Celery
    data-migration tasks in ``<app>/migrations/tasks/`` (autodiscovered)."""
    m = project.modules.get(module)
    return m is not None and m.kind in (FileKind.SOURCE, FileKind.MIGRATION)


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


#: decorators that never register a task (checked by name before anything is resolved)
_PLAIN_DECORATORS = frozenset({
    "property", "staticmethod", "classmethod", "abstractmethod", "cached_property", "overload", "override",
    "wraps", "contextmanager", "asynccontextmanager", "lru_cache", "cache", "dataclass", "total_ordering",
    "singledispatch", "singledispatchmethod",
})
TASK_PACKAGES = frozenset({"celery", "dramatiq", "rq", "django_rq", "rq_scheduler", "periodiq"})
TASK_DECORATOR_NAMES = frozenset({"task", "shared_task", "periodic_task", "actor", "job"})


def may_register(project: Project, module: str, text: str, names: frozenset[str] | set[str]) -> bool:
    """Could decorator ``text`` (as written in ``module``) register a task?  Uses import bindings only.

    True for the well-known names and ``names`` (wrapper and configured decorators),
    for names imported from the project or a task package, and for plain names
    defined in the module itself (aliases such as ``nautobot_task = shared_task``).
    """
    if not text:
        return False
    last = text.rsplit(".", 1)[-1]
    if last in TASK_DECORATOR_NAMES or last in names:
        return True
    head = text.split(".", 1)[0]
    syms = project.symbols.get(module)
    imported = [b for b in syms.bindings if b.name == head] if syms is not None else []
    if imported:
        return any(b.target.split(".")[0] in TASK_PACKAGES or project.first_party(b.target) for b in imported)
    return "." not in text and head not in _PLAIN_DECORATORS


def decorated_functions(project: Project, module: str, summary: TaskSiteSummary | None,
                        names: frozenset[str] | set[str]) -> list[FunctionInfo]:
    """Functions of ``module`` with at least one decorator that :func:`may_register` a task.

    Modules without a summary (not matched by the text pre-check) are read in full.
    """
    syms = project.symbols.get(module)
    if syms is None:
        return []
    if summary is None:
        return [f for f in syms.functions if f.decorators]
    out = []
    for qualname, texts in summary.decorated:
        if any(may_register(project, module, t, names) for t in texts):
            fn = syms.function(qualname)
            if fn is not None:
                out.append(fn)
    return out


def subclasses_in(project: Project, summaries: dict[str, TaskSiteSummary],
                  bases: frozenset[str] | set[str]) -> list[tuple[str, ClassInfo]]:
    """Classes of the summarised modules deriving from ``bases`` (external, dotted).

    Only classes with a base whose written name matches the last part of a known
    base (or of a subclass found so far) are resolved, so unrelated modules are not loaded.
    """
    names = {b.rsplit(".", 1)[-1] for b in bases}
    found: dict[str, tuple[str, ClassInfo]] = {}
    for _ in range(6):
        new = False
        for module in summaries:
            syms = project.symbols.get(module)
            for c in syms.classes if syms is not None else ():
                q = f"{module}.{c.qualname}"
                if q in found or q in bases:
                    continue
                if not bases_may_match(project, module, c, names):
                    continue
                if project.is_subclass(q, bases):
                    found[q] = (module, c)
                    new = True
        names |= {q.rsplit(".", 1)[-1] for q in found}
        if not new:
            break
    return [found[q] for q in sorted(found)]


def bases_may_match(project: Project, module: str, c: ClassInfo, names: set[str]) -> bool:
    """Does a base of ``c``, as written or through an import alias, end with one of ``names``?"""
    syms = project.symbols.get(module)
    for b in c.bases:
        text = dotted_name(b)
        if not text:
            continue
        if text.rsplit(".", 1)[-1] in names:
            return True
        head = text.split(".", 1)[0]
        for binding in syms.bindings if syms is not None else ():
            if binding.name == head and (binding.target + text[len(head):]).rsplit(".", 1)[-1] in names:
                return True
    return False
