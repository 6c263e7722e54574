"""Background task checks: Celery tasks without time limits or a retry policy.

"Task never started" is reported by the Celery analyzer itself (``task-never-started``),
so it is not repeated here.
"""

from __future__ import annotations

from typing import Iterator

from ..analyzers.evidence import EvidenceSummary
from ..facts import Task
from ..model import Finding, Location, Severity
from .base import CheckContext, check, split_qualified

TIME_LIMIT_OPTIONS = {"time_limit", "soft_time_limit"}
RETRY_OPTIONS = {"max_retries", "autoretry_for", "retry_kwargs", "retry_backoff", "default_retry_delay"}


def _label(t: Task) -> str:
    return t.name if t.function.endswith(t.name) or t.name == t.function else f"{t.name} ({t.function})"


def app_time_limits(ctx: CheckContext) -> list[tuple[str, str, int]]:
    """Celery-wide ``task_time_limit``/``task_soft_time_limit`` settings found in code: (name, path, line)."""
    out = []
    for module, summary in sorted(ctx.project.summaries_of("evidence").items()):
        if isinstance(summary, EvidenceSummary):
            for name, line in summary.time_limits:
                out.append((name, ctx.project.path_of(module), line))
    return out


@check(
    "celery-task-no-time-limit",
    Severity.WARNING,
    "tasks",
    "Celery task without a time limit",
    "Celery has no default time limit: a task stuck on a network call or a lock holds its worker slot "
    "forever, and enough of them silently stop the queue.",
    "Set soft_time_limit (and time_limit) on the task, or task_time_limit/task_soft_time_limit on the app.",
)
def no_time_limit(ctx: CheckContext) -> Iterator[Finding]:
    if app_time_limits(ctx):
        return
    for t in ctx.result.tasks:
        if t.framework != "celery" or TIME_LIMIT_OPTIONS & {k for k, _ in t.options}:
            continue
        yield ctx.finding(
            f"task {_label(t)} sets no time_limit or soft_time_limit, and the app sets no default",
            Location(t.file, t.line),
            symbol=t.function,
        )


@check(
    "celery-task-no-retry",
    Severity.INFO,
    "tasks",
    "Celery task without a retry policy",
    "A Celery task that fails on a transient error (timeout, deadlock, broker hiccup) is not retried unless "
    "it says so; the work is silently lost.",
    "Use autoretry_for=(...) with retry_backoff=True and max_retries, or call self.retry() in an except "
    "block (bind=True). Make the task idempotent first.",
)
def no_retry(ctx: CheckContext) -> Iterator[Finding]:
    p = ctx.project
    for t in ctx.result.tasks:
        if t.framework != "celery" or RETRY_OPTIONS & {k for k, _ in t.options}:
            continue
        module, qual = split_qualified(p, t.function)
        syms = p.symbols.get(module)
        if syms is not None and any(c.scope == qual and c.callee.endswith(".retry") for c in syms.calls):
            continue
        yield ctx.finding(
            f"task {_label(t)} has no retry policy (no max_retries/autoretry_for, no self.retry())",
            Location(t.file, t.line),
            symbol=t.function,
        )
