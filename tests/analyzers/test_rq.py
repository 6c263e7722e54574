"""RQ analyzer: jobs, queues, enqueue sites and rq-scheduler entries (analyzer ``rq``).

The ``rq_basic`` expectations were checked with RQ 2.x itself
(``benchmarks/taskfixtures/runtime_dump.py rq tests/fixtures/projects/rq_basic``):
``Job.create(func).func_name`` gives the names below, and the queues are those of
the ``job`` decorator instances behind each ``.delay``.
"""

from __future__ import annotations

from pathlib import Path

from backendscan.config import load_config
from backendscan.pipeline import ScanResult, scan
from backendscan.testing import scan_files

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "projects"


def _scan(root: Path) -> ScanResult:
    return scan(root, load_config(root).with_overrides(use_cache=False, jobs=1, metrics=False, analyzers=("rq",)))


def test_rq_jobs_and_queues() -> None:
    r = _scan(FIXTURES / "rq_basic")
    assert [(t.framework, t.name, t.function, f"{t.file}:{t.line}", t.queue, dict(t.options)) for t in r.tasks] == [
        ("rq", "rqapp.jobs.build_report", "rqapp.jobs.build_report", "rqapp/jobs.py:16", "reports",
         {"queue": "'reports'", "connection": "redis_conn"}),
        # plain functions: tasks only because something enqueues or schedules them
        ("rq", "rqapp.jobs.nightly", "rqapp.jobs.nightly", "rqapp/jobs.py:25", "", {}),
        ("rq", "rqapp.jobs.plain_cleanup", "rqapp.jobs.plain_cleanup", "rqapp/jobs.py:21", "", {}),
        # ``job = partial(RecordingJob, connection=...)`` where RecordingJob subclasses rq's job decorator
        ("rq", "rqapp.jobs.refresh_schema", "rqapp.jobs.refresh_schema", "rqapp/jobs.py:11", "schemas",
         {"queue": "'schemas'", "decorator": "rqapp.worker.job"}),
        ("rq", "rqapp.jobs.send_email", "rqapp.jobs.send_email", "rqapp/jobs.py:6", "emails",
         {"queue": "'emails'", "timeout": "300", "decorator": "rqapp.worker.job"}),
    ]


def test_rq_producers() -> None:
    r = _scan(FIXTURES / "rq_basic")
    assert [(c.file, c.line, c.method, c.task, c.status, c.function, c.caller, dict(c.options)) for c in r.task_calls] == [
        ("rqapp/producers.py", 13, "delay", "rqapp.jobs.send_email", "resolved", "rqapp.jobs.send_email",
         "rqapp.producers.signup", {}),
        ("rqapp/producers.py", 14, "enqueue", "rqapp.jobs.plain_cleanup", "resolved", "rqapp.jobs.plain_cleanup",
         "rqapp.producers.signup", {"queue": "high", "job_timeout": "60"}),
        # by dotted path, as RQ accepts it
        ("rqapp/producers.py", 15, "enqueue", "rqapp.jobs.build_report", "resolved", "rqapp.jobs.build_report",
         "rqapp.producers.signup", {"queue": "default"}),
        ("rqapp/producers.py", 16, "enqueue_in", "rqapp.jobs.build_report", "resolved", "rqapp.jobs.build_report",
         "rqapp.producers.signup", {"queue": "default"}),
        ("rqapp/producers.py", 17, "enqueue", "rqapp.jobs.missing", "resolved", "", "rqapp.producers.signup",
         {"queue": "default"}),
    ]
    by_name = {t.name: t for t in r.tasks}
    assert [(c.line, c.method) for c in by_name["rqapp.jobs.build_report"].callers] == [(15, "enqueue"), (16, "enqueue_in")]


def test_rq_scheduler_entries_and_findings() -> None:
    r = _scan(FIXTURES / "rq_basic")
    assert [(b.framework, b.entry, b.task, b.schedule, f"{b.file}:{b.line}", b.source) for b in r.beat] == [
        ("rq", "nightly-cleanup", "rqapp.jobs.nightly", "0 3 * * *", "rqapp/producers.py:21", "rq-scheduler"),
        ("rq", "rqapp.jobs.plain_cleanup", "rqapp.jobs.plain_cleanup", "every 3600s from datetime(2030, 1, 1)",
         "rqapp/producers.py:22", "rq-scheduler"),
    ]
    assert [(f.rule_id, f.severity.value, f.location.short, f.message) for f in r.findings if f.category == "tasks"] == [
        ("task-never-started", "info", "rqapp/jobs.py:11",
         "RQ job rqapp.jobs.refresh_schema is never enqueued: no .delay()/enqueue() call or scheduler entry found"),
        ("unknown-task-name", "warning", "rqapp/producers.py:17", "enqueue('rqapp.jobs.missing') names no function in the scanned code"),
    ]


def test_django_rq_defaults(tmp_path: Path) -> None:
    r = scan_files(tmp_path, {
        "site/__init__.py": "",
        "site/jobs.py": '''
            import django_rq
            from django_rq import job


            @job
            def reindex():
                return 1


            @job("high")
            def notify(user_id):
                return user_id


            def later(when):
                django_rq.get_queue("low").enqueue(reindex)
                notify.delay(3)
                django_rq.get_queue().enqueue_at(when, notify, 4)
        ''',
    }, analyzers=("rq",))
    assert [(t.name, t.queue, [(c.line, c.method, dict(c.options)) for c in t.callers]) for t in r.tasks] == [
        ("site.jobs.notify", "high", [(17, "delay", {}), (18, "enqueue_at", {"queue": "default"})]),
        ("site.jobs.reindex", "default", [(16, "enqueue", {"queue": "low"})]),
    ]


def test_no_rq_no_output(tmp_path: Path) -> None:
    r = scan_files(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/mod.py": '''
            def f(broker, message):
                broker.enqueue(message)
        ''',
    }, analyzers=("rq",))
    assert (r.tasks, r.task_calls, r.beat) == ((), (), ())
