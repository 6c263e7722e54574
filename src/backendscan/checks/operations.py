"""Operations gaps: what the code needs that the deployment or tooling does not provide.

* tasks defined but no worker process in compose/Procfile/Kubernetes (and schedules but no beat);
* ORM models but no migrations;
* a web service with no tracing / error tracking, or no metrics;
* no tests at all;
* a development server or auto-reload in a deployment file.
"""

from __future__ import annotations

from typing import Iterator

from ..model import FileKind, Finding, Location, Severity
from .base import CheckContext, check

_WORKER_SERVERS = {"celery": "celery", "rq": "rq", "dramatiq": "dramatiq", "huey": "huey", "arq": "arq"}


def _deploy_files(ctx: CheckContext) -> str:
    files = [f.path for f in ctx.stack.deployment.files if f.kind in ("compose", "procfile", "kubernetes", "platform")]
    return ", ".join(files[:4]) + (f" and {len(files) - 4} more" if len(files) > 4 else "")


@check(
    "worker-missing",
    Severity.WARNING,
    "operations",
    "Tasks defined but no worker deployed",
    "Tasks that are queued but never consumed pile up in the broker; the feature silently does nothing "
    "in that environment.",
    "Add a worker service (e.g. `celery -A <app> worker`) to the compose file / Procfile / manifests, "
    "or document where workers run.",
)
def worker_missing(ctx: CheckContext) -> Iterator[Finding]:
    dep = ctx.stack.deployment
    if not ctx.result.tasks or not dep.describes_processes:
        return
    frameworks = sorted({t.framework for t in ctx.result.tasks})
    workers = dep.runs("worker")
    for fw in frameworks:
        if any(p.server == _WORKER_SERVERS.get(fw, fw) for p in workers):
            continue
        tasks = [t for t in ctx.result.tasks if t.framework == fw]
        first = min(tasks, key=lambda t: (t.file, t.line))
        yield ctx.finding(
            f"{len(tasks)} {fw} task{'s are' if len(tasks) != 1 else ' is'} defined, but no {fw} worker runs in {_deploy_files(ctx)}",
            Location(first.file, first.line),
            symbol=fw,
            key=fw,
        )


@check(
    "scheduler-missing",
    Severity.WARNING,
    "operations",
    "Schedules defined but no scheduler deployed",
    "Periodic tasks only run when a scheduler process (celery beat, rq-scheduler) is running; without one "
    "the schedule is dead code.",
    "Run exactly one scheduler (`celery -A <app> beat`, or a worker with -B in small setups).",
)
def scheduler_missing(ctx: CheckContext) -> Iterator[Finding]:
    dep = ctx.stack.deployment
    if not ctx.result.beat or not dep.describes_processes or dep.runs("beat"):
        return
    first = ctx.result.beat[0]
    yield ctx.finding(
        f"{len(ctx.result.beat)} periodic schedule entr{'ies are' if len(ctx.result.beat) != 1 else 'y is'} defined "
        f"(e.g. {first.entry!r}), but no beat/scheduler process runs in {_deploy_files(ctx)}",
        Location(first.file, first.line),
        symbol=first.entry,
        key="beat",
    )


@check(
    "migrations-missing",
    Severity.WARNING,
    "operations",
    "ORM models but no migrations",
    "Without migrations the schema is created ad hoc (create_all) or by hand, so environments drift and "
    "changes to models cannot be rolled out or rolled back safely.",
    "Add Alembic (SQLAlchemy) or use Django's makemigrations, and run migrations as a deployment step.",
)
def migrations_missing(ctx: CheckContext) -> Iterator[Finding]:
    models = [m for m in ctx.result.models if m.kind == "model" and not m.abstract and not m.framework_provided]
    if not models or ctx.stack.of("migrations"):
        return
    if any(m.kind is FileKind.MIGRATION for m in ctx.result.modules):
        return
    first = min(models, key=lambda m: (m.file, m.line))
    orms = sorted({m.orm for m in models})
    yield ctx.finding(
        f"{len(models)} {'/'.join(orms)} model{'s' if len(models) != 1 else ''} but no migrations (no Alembic, no migration modules)",
        Location(first.file, first.line),
        symbol=orms[0],
        key="migrations",
    )


def _web_service(ctx: CheckContext) -> bool:
    return bool(ctx.result.routes)


def _first_route_location(ctx: CheckContext) -> Location:
    r = min(ctx.result.routes, key=lambda r: (r.file, r.line))
    return Location(r.file, r.line)


@check(
    "tracing-missing",
    Severity.INFO,
    "operations",
    "No tracing or error tracking",
    "Without distributed tracing or an error tracker, slow requests and exceptions in production are only "
    "visible in logs, if at all; incidents take longer to diagnose.",
    "Instrument the app with OpenTelemetry (or your APM) and report exceptions to an error tracker such as Sentry.",
)
def tracing_missing(ctx: CheckContext) -> Iterator[Finding]:
    if not _web_service(ctx) or ctx.stack.of("tracing") or ctx.stack.of("error tracking"):
        return
    yield ctx.finding(
        f"the service serves {len(ctx.result.routes)} routes but uses no tracing or error-tracking library",
        _first_route_location(ctx),
        key="tracing",
    )


@check(
    "metrics-missing",
    Severity.INFO,
    "operations",
    "No metrics",
    "Request rates, latencies and queue lengths are what alerts and capacity planning are built on; "
    "without a metrics library they have to be reconstructed from logs.",
    "Expose Prometheus metrics (prometheus-client or an instrumentator for your framework) or send them to your APM.",
)
def metrics_missing(ctx: CheckContext) -> Iterator[Finding]:
    if not _web_service(ctx) or ctx.stack.of("metrics"):
        return
    if any(c.name in ("OpenTelemetry", "ddtrace (Datadog APM)", "New Relic", "Elastic APM") for c in ctx.stack.of("tracing")):
        return  # APM agents collect request metrics too
    yield ctx.finding(
        f"the service serves {len(ctx.result.routes)} routes but exposes no metrics",
        _first_route_location(ctx),
        key="metrics",
    )


@check(
    "tests-missing",
    Severity.WARNING,
    "operations",
    "No tests",
    "Without tests every change is verified by hand or in production; refactoring the structure this "
    "report describes is risky.",
    "Add a tests/ package with pytest and start with the routes and services that change most often.",
)
def tests_missing(ctx: CheckContext) -> Iterator[Finding]:
    source = [m for m in ctx.result.modules if m.kind is FileKind.SOURCE and m.path]
    if len(source) < 5 or any(m.kind is FileKind.TEST for m in ctx.result.modules):
        return
    if not (ctx.result.routes or ctx.result.models or ctx.result.tasks):
        return
    yield ctx.finding(
        f"no test modules found next to {len(source)} source modules",
        Location("."),
        key="tests",
    )


@check(
    "dev-server-in-deployment",
    Severity.WARNING,
    "operations",
    "Development server or auto-reload in a deployment file",
    "Django's runserver, `flask run` and --reload are single-process development tools: they are slow, "
    "restart on file changes and are not hardened for production traffic.",
    "Serve with gunicorn/uvicorn workers (no --reload) in production images and manifests; keep "
    "development commands in a separate compose override.",
)
def dev_server(ctx: CheckContext) -> Iterator[Finding]:
    dep = ctx.stack.deployment
    for p in dep.processes:
        if p.command_from:
            continue
        reasons = []
        if p.server in ("runserver", "flask run"):
            reasons.append(p.server)
        if "--reload" in p.command.split():
            reasons.append("--reload")
        if not reasons:
            continue
        dev_file = p.source == "compose" or "dev" in p.file.lower() or "local" in p.file.lower()
        yield ctx.finding(
            f"{p.source} process {p.name!r} runs {' and '.join(reasons)}: {p.command[:100]}",
            Location(p.file, p.line),
            symbol=p.name,
            severity=Severity.INFO if dev_file else None,
            key=f"{p.file}|{p.name}",
        )
