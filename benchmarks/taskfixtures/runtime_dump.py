#!/usr/bin/env python3
"""Run a task fixture project for real and print what Celery/RQ/Dramatiq register.

This is how the exact expectations in tests/analyzers/test_celery.py (and the
RQ/Dramatiq tests) were checked against the libraries themselves.  It imports
the fixture code, so run it only in a throwaway virtualenv with celery, django,
rq, rq-scheduler and dramatiq installed, never from backendscan's own env:

    python3 -m venv /tmp/verify-venv
    /tmp/verify-venv/bin/pip install celery django rq rq-scheduler dramatiq periodiq
    /tmp/verify-venv/bin/python benchmarks/taskfixtures/runtime_dump.py celery tests/fixtures/projects/celery_basic proj.worker:jobs

Arguments: the framework (celery, rq, dramatiq), the fixture folder (copied to a
temporary folder first), then framework specifics:

* celery: ``module:attr`` of the app, optional ``--django SETTINGS`` and
  ``--root SUBDIR`` (import root inside the fixture);
* rq / dramatiq: nothing; every module is imported and the registry is read.

Every first-party module is imported (so tasks outside ``include``/``imports``
register too: the static scan lists every task defined in code).  Output is JSON.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path


def modules_under(root: Path) -> list[str]:
    out = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if any(part in ("tests", "migrations") for part in rel.parts) or rel.name in ("manage.py", "setup.py"):
            continue
        parts = list(rel.with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts:
            out.append(".".join(parts))
    return out


def import_all(root: Path) -> list[str]:
    failed = []
    for name in modules_under(root):
        try:
            importlib.import_module(name)
        except Exception as exc:  # report and go on
            failed.append(f"{name}: {exc.__class__.__name__}: {exc}")
    return failed


def dump_celery(app_path: str, root: Path) -> dict:
    mod, _, attr = app_path.partition(":")
    ours = set(modules_under(root))
    app = getattr(importlib.import_module(mod), attr)
    app.loader.import_default_modules()
    worker_modules = sorted(m for m in sys.modules if m in ours)  # what a worker would have imported
    failed = import_all(root)
    tasks = {}
    for name, task in sorted(app.tasks.items()):
        if name.startswith("celery."):
            continue
        run = getattr(task, "run", None)
        fn = getattr(run, "__wrapped__", run)
        fn = getattr(fn, "__func__", fn)
        # what apply_async() does: the task's own options (queue=...) first, then the router
        route = app.amqp.router.route(dict(task._get_exec_options()), name, (), {}, task)
        queue = route.get("queue")
        tasks[name] = {
            "function": f"{fn.__module__}.{fn.__qualname__}" if fn is not None else None,
            "queue": getattr(queue, "name", queue),
        }
    beat = {
        entry: {"task": spec.get("task"), "schedule": repr(spec.get("schedule"))}
        for entry, spec in sorted((app.conf.beat_schedule or {}).items())
    }
    return {"tasks": tasks, "beat": beat, "worker_modules": worker_modules, "import_errors": failed}


def dump_dramatiq(root: Path) -> dict:
    import dramatiq
    from dramatiq.brokers.stub import StubBroker

    dramatiq.set_broker(StubBroker())  # replaced if the project sets its own broker
    failed = import_all(root)
    broker = dramatiq.get_broker()
    actors = {}
    for name in sorted(broker.get_declared_actors()):
        actor = broker.get_actor(name)
        fn = actor.fn
        if hasattr(fn, "__wrapped__"):
            fn = fn.__wrapped__
        qualname = getattr(fn, "__qualname__", None) or type(fn).__qualname__  # GenericActor: an instance
        actors[name] = {
            "function": f"{fn.__module__}.{qualname}",
            "queue": actor.queue_name,
            "periodic": str(actor.options.get("periodic", "")) or None,
        }
    return {"actors": actors, "import_errors": failed}


def dump_rq(root: Path) -> dict:
    """Every first-party function: RQ's func_name for it, and the queue of ``@job`` functions."""
    import inspect

    from redis import Redis
    from rq.decorators import job as job_decorator
    from rq.job import Job

    failed = import_all(root)
    connection = Redis()  # never contacted: Job.create does not talk to Redis
    jobs = {}
    for name in modules_under(root):
        mod = sys.modules.get(name)
        for attr, value in sorted(vars(mod).items()) if mod else ():
            if not inspect.isfunction(value) or value.__module__ != name:
                continue
            item = {"func_name": Job.create(value, connection=connection).func_name}
            delay = getattr(value, "delay", None)
            if delay is not None:
                for cell in delay.__closure__ or ():
                    if isinstance(cell.cell_contents, job_decorator):
                        queue = cell.cell_contents.queue
                        item["queue"] = getattr(queue, "name", queue)
            jobs[f"{name}.{attr}"] = item
    return {"jobs": jobs, "import_errors": failed}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("framework", choices=["celery", "rq", "dramatiq"])
    p.add_argument("fixture")
    p.add_argument("app", nargs="?")
    p.add_argument("--django", help="DJANGO_SETTINGS_MODULE")
    p.add_argument("--root", default=".", help="import root inside the fixture")
    p.add_argument("--env", action="append", default=[], help="KEY=VALUE set before importing")
    args = p.parse_args()
    for pair in args.env:
        key, _, value = pair.partition("=")
        os.environ[key] = value
    tmp = Path(tempfile.mkdtemp(prefix="taskfixture-"))
    try:
        copy = tmp / "project"
        shutil.copytree(args.fixture, copy)
        root = copy / args.root
        sys.path.insert(0, str(root))
        os.chdir(root)
        if args.django:
            os.environ["DJANGO_SETTINGS_MODULE"] = args.django
            import django

            django.setup()
        if args.framework == "celery":
            data = dump_celery(args.app, root)
        elif args.framework == "dramatiq":
            data = dump_dramatiq(root)
        else:
            data = dump_rq(root)
        print(json.dumps(data, indent=1, sort_keys=True))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
