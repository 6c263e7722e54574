"""Dramatiq analyzer: actors, names, queues and senders (analyzer ``dramatiq``).

The ``dramatiq_basic`` expectations were checked with Dramatiq 2.x and periodiq
(``benchmarks/taskfixtures/runtime_dump.py dramatiq tests/fixtures/projects/dramatiq_basic``),
which lists the broker's declared actors with their functions, queues and
``periodic`` option.
"""

from __future__ import annotations

from pathlib import Path

from backendscan.config import load_config
from backendscan.pipeline import ScanResult, scan
from backendscan.testing import scan_files

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "projects"


def _scan(root: Path) -> ScanResult:
    return scan(root, load_config(root).with_overrides(use_cache=False, jobs=1, metrics=False, analyzers=("dramatiq",)))


def test_dramatiq_actors() -> None:
    r = _scan(FIXTURES / "dramatiq_basic")
    assert [(t.name, t.name_status, t.function, f"{t.file}:{t.line}", t.queue, t.kind) for t in r.tasks] == [
        ("Resize", "default", "dq.tasks.Resize", "dq/tasks.py:27", "images", "class"),  # GenericActor, Meta.queue_name
        # project ``actor`` wrapper (Polar style): actor_name/queue_name parameters forwarded to dramatiq.actor
        ("benefit.grant", "resolved", "dq.tasks.grant_benefit", "dq/tasks.py:17", "benefits", "function"),
        ("cleanup", "resolved", "dq.tasks.plain", "dq/tasks.py:35", "default", "function"),  # dramatiq.actor(plain, ...)
        ("hourly", "default", "dq.tasks.hourly", "dq/tasks.py:42", "default", "function"),
        ("ping", "default", "dq.tasks.ping", "dq/tasks.py:7", "default", "function"),  # the function's __name__
        ("reports.build", "resolved", "dq.tasks.build_report", "dq/tasks.py:12", "reports", "function"),
        # no queue_name at the call site: the wrapper's default "default"
        ("revoke_benefit", "default", "dq.tasks.revoke_benefit", "dq/tasks.py:22", "default", "function"),
    ]
    by_name = {t.name: t for t in r.tasks}
    assert dict(by_name["reports.build"].options) == {
        "actor_name": "'reports.build'", "queue_name": "'reports'", "max_retries": "3",
    }
    assert dict(by_name["benefit.grant"].options) == {
        "actor_name": "'benefit.grant'", "queue_name": "'benefits'", "decorator": "dq.worker.actor",
    }
    assert by_name["cleanup"].registered_at is not None and by_name["cleanup"].registered_at.short == "dq/tasks.py:39"


def test_dramatiq_producers_schedule_and_findings() -> None:
    r = _scan(FIXTURES / "dramatiq_basic")  # pyproject: dramatiq-producers = ["dq.worker.enqueue_job"]
    assert [(c.line, c.method, c.task, c.function, c.caller, dict(c.options)) for c in r.task_calls] == [
        (6, "send", "ping", "dq.tasks.ping", "dq.producers.go", {}),
        (7, "send_with_options", "reports.build", "dq.tasks.build_report", "dq.producers.go", {"delay": "1000"}),
        (8, "send", "Resize", "dq.tasks.Resize", "dq.producers.go", {}),
        (9, "send", "cleanup", "dq.tasks.plain", "dq.producers.go", {}),
        (10, "enqueue_job", "benefit.grant", "dq.tasks.grant_benefit", "dq.producers.go", {}),
        (11, "enqueue_job", "benefit.unknown", "", "dq.producers.go", {}),
    ]
    assert [(b.framework, b.entry, b.task, b.schedule, f"{b.file}:{b.line}", b.source) for b in r.beat] == [
        ("dramatiq", "hourly", "hourly", "0 * * * *", "dq/tasks.py:42", "periodiq"),
    ]
    assert [(f.rule_id, f.severity.value, f.location.short, f.message) for f in r.findings if f.category == "tasks"] == [
        ("unknown-task-name", "warning", "dq/producers.py:11", "enqueue_job('benefit.unknown') names no Dramatiq actor defined in the scanned code"),
        ("task-never-started", "info", "dq/tasks.py:22",
         "actor revoke_benefit (dq.tasks.revoke_benefit) is never sent a message: no .send()/.send_with_options() call found"),
    ]


def test_without_configured_producer(tmp_path: Path) -> None:
    r = scan_files(tmp_path, {
        "jobs/__init__.py": "",
        "jobs/tasks.py": '''
            import dramatiq
            from dramatiq import actor as declare


            @declare(queue_name="mail")
            def send(to):
                return to


            def enqueue_job(name):
                dramatiq.get_broker().get_actor(name).send()


            def go():
                enqueue_job("send")
                send.send_with_options(args=("a",), kwargs={}, delay=5)
        ''',
    }, analyzers=("dramatiq",))
    assert [(t.name, t.queue, [(c.line, c.method) for c in t.callers]) for t in r.tasks] == [
        ("send", "mail", [(16, "send_with_options")]),
    ]
