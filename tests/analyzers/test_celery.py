"""Celery analyzer: apps, tasks, names, queues, beat and producers (analyzer ``celery``).

The fixture expectations were checked against Celery itself: each ``celery_*``
fixture was imported in a throwaway virtualenv (celery 5.4, Django 5.2) with
``benchmarks/taskfixtures/runtime_dump.py``, which prints ``app.tasks`` (name,
function, the queue ``apply_async`` would route to), ``app.conf.beat_schedule``
and the modules a worker imports.  Differences a static scan must show are
commented where they occur: entries under ``if`` (listed with their condition),
names from the environment (``unresolved``/``partial``), and Celery's implicit
``"celery"`` queue, which the scan leaves empty ("" = nothing in the code sets it).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from backendscan.analyzers.celery_config import Route, route_queue, setting_key
from backendscan.analyzers.celery_naming import default_name, follow_gen_task_name
from backendscan.config import load_config
from backendscan.facts import Task
from backendscan.pipeline import ScanResult, scan
from backendscan.testing import scan_files

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "projects"


def _scan(root: Path, analyzers: tuple[str, ...] = ("celery",)) -> ScanResult:
    config = load_config(root).with_overrides(use_cache=False, jobs=1, metrics=False, analyzers=analyzers)
    return scan(root, config)


def _tasks(result: ScanResult) -> list[tuple[str, str, str, str, str]]:
    """(name, name_status, function, file:line, queue)."""
    return [(t.name, t.name_status, t.function, f"{t.file}:{t.line}", t.queue) for t in result.tasks]


def _task(result: ScanResult, name: str) -> Task:
    found = [t for t in result.tasks if t.name == name]
    assert len(found) == 1, [t.name for t in result.tasks]
    return found[0]


def _callers(task: Task) -> list[tuple[str, str, str, dict[str, str]]]:
    return [(f"{c.file}:{c.line}", c.method, c.caller, dict(c.options)) for c in task.callers]


def _beat(result: ScanResult) -> list[tuple[str, str, str, str, str, tuple[str, ...]]]:
    return [(b.entry, b.task, b.schedule, f"{b.file}:{b.line}", b.source, b.conditions) for b in result.beat]


def _findings(result: ScanResult, *rules: str) -> list[tuple[str, str, str, str]]:
    return [
        (f.rule_id, f.severity.value, f.location.short, f.message)
        for f in result.findings
        if f.rule_id in rules
    ]


TASK_RULES = ("task-never-started", "unknown-task-name", "ambiguous-shared-task", "unregistered-task-class",
              "duplicate-task-name", "beat-database-scheduler")


# ----------------------------------------------------------------------------- shop
def test_shop_tasks_match_expected_md() -> None:
    """tests/fixtures/EXPECTED.md section 3.6, exactly."""
    r = _scan(FIXTURES / "shop")
    assert _tasks(r) == [
        ("emails.order_confirmation", "resolved", "shop.tasks.emails.send_order_confirmation", "shop/tasks/emails.py:37", "emails"),
        ("shop.tasks.emails.send_welcome", "default", "shop.tasks.emails.send_welcome", "shop/tasks/emails.py:22", "emails"),
        ("shop.tasks.maintenance.purge_stale_orders", "default", "shop.tasks.maintenance.purge_stale_orders",
         "shop/tasks/maintenance.py:18", "maintenance"),
        ("shop.tasks.maintenance.recalculate_product_stats", "default", "shop.tasks.maintenance.recalculate_product_stats",
         "shop/tasks/maintenance.py:28", "maintenance"),
    ]
    assert {t.app for t in r.tasks} == {"shop.worker.celery_app"}  # shared_task binds to the only app
    assert dict(_task(r, "shop.tasks.emails.send_welcome").options) == {
        "bind": "True", "max_retries": "5", "autoretry_for": "(httpx.HTTPError,)", "retry_backoff": "True",
        "soft_time_limit": "30",
    }
    assert dict(_task(r, "emails.order_confirmation").options) == {
        "name": "'emails.order_confirmation'", "max_retries": "3", "time_limit": "60", "acks_late": "True",
    }
    assert _task(r, "shop.tasks.maintenance.purge_stale_orders").options == ()
    assert dict(_task(r, "shop.tasks.maintenance.recalculate_product_stats").options) == {
        "bind": "True", "max_retries": "3", "soft_time_limit": "120",
    }
    assert _callers(_task(r, "shop.tasks.emails.send_welcome")) == [
        ("shop/services/users.py:20", "delay", "shop.services.users.register", {}),
    ]
    assert _callers(_task(r, "emails.order_confirmation")) == [
        ("shop/services/orders.py:42", "apply_async", "shop.services.orders.place_order", {"countdown": "10"}),
    ]
    assert _task(r, "shop.tasks.maintenance.purge_stale_orders").callers == ()
    assert _task(r, "shop.tasks.maintenance.recalculate_product_stats").callers == ()
    # tests/ (mocks of delay/apply_async) are not producers
    assert [(c.file, c.line) for c in r.task_calls] == [("shop/services/orders.py", 42), ("shop/services/users.py", 20)]
    assert _beat(r) == [
        ("purge-stale-orders-nightly", "shop.tasks.maintenance.purge_stale_orders", "crontab(hour=3, minute=15)",
         "shop/worker.py:21", "beat_schedule", ()),
    ]
    assert r.beat[0].function == "shop.tasks.maintenance.purge_stale_orders"
    assert {t.loaded_by for t in r.tasks} == {"include"}
    assert _findings(r, *TASK_RULES) == [
        ("task-never-started", "warning", "shop/tasks/maintenance.py:28",
         "task shop.tasks.maintenance.recalculate_product_stats (shop.tasks.maintenance.recalculate_product_stats) is "
         "never started: no .delay()/.apply_async()/signature/send_task call and no beat entry found"),
    ]
    assert ("celery", "app shop.worker.celery_app (celery.Celery): the worker imports shop.tasks.emails (include), "
            "shop.tasks.maintenance (include), shop.worker (app module)") in r.notes


def test_no_import_fixture_is_never_executed(tmp_path: Path) -> None:
    root = tmp_path / "no_import"
    shutil.copytree(FIXTURES / "no_import", root)
    r = _scan(root)
    assert _tasks(r) == [("boom.tasks.ping", "default", "boom.tasks.ping", "boom/tasks.py:14", "")]
    assert dict(r.tasks[0].options) == {"max_retries": "1", "time_limit": "5"}
    assert r.tasks[0].app == "boom.tasks.worker"
    assert not list(root.rglob("IMPORTED_MARKER"))


# ------------------------------------------------------------------- celery_basic
def test_basic_task_names_functions_and_queues() -> None:
    r = _scan(FIXTURES / "celery_basic")
    assert _tasks(r) == [
        # name="audit." + os.environ["AUDIT_SUFFIX"]: the constant part is kept, the rest is a placeholder
        ("audit.{os.environ['AUDIT_SUFFIX']}", "partial", "proj.tasks.mail.audit_async", "proj/tasks/mail.py:39", "default"),
        # queue="payments" on the task wins over the "billing.*" route (runtime agrees)
        ("billing.charge", "resolved", "proj.tasks.mail.charge", "proj/tasks/mail.py:18", "payments"),
        # f"{constants.BILLING}.refund" through an aliased app (``jobs as celery``); routed by "billing.*"
        ("billing.refund", "resolved", "proj.tasks.mail.refund", "proj/tasks/mail.py:24", "billing"),
        ("proj.tasks.mail.cleanup", "default", "proj.tasks.mail.cleanup", "proj/tasks/mail.py:29", "default"),
        ("proj.tasks.mail.ping", "default", "proj.tasks.mail.ping", "proj/tasks/mail.py:13", "pings"),
        ("proj.tasks.reports.nightly", "default", "proj.tasks.reports.nightly", "proj/tasks/reports.py:24", "default"),
        ("proj.tasks.reports.refresh", "default", "proj.tasks.reports.refresh", "proj/tasks/reports.py:29", "default"),
        ("reports.export", "resolved", "proj.tasks.reports.Export.run", "proj/tasks/reports.py:8", "exports"),
        ("{os.environ['AUDIT_TASK_NAME']}", "unresolved", "proj.tasks.mail.audit", "proj/tasks/mail.py:34", "default"),
    ]
    audit = _task(r, "{os.environ['AUDIT_TASK_NAME']}")
    assert [(u.expr, u.reason, u.location.short) for u in audit.unresolved] == [
        ("os.environ['AUDIT_TASK_NAME']", "environment variable 'AUDIT_TASK_NAME' without a default", "proj/tasks/mail.py:34"),
    ]
    assert _task(r, "audit.{os.environ['AUDIT_SUFFIX']}").is_async
    charge = _task(r, "billing.charge")
    assert dict(charge.options) == {
        "bind": "True", "name": "'billing.charge'", "queue": "'payments'", "max_retries": "5",
        "autoretry_for": "(TimeoutError,)", "retry_backoff": "True", "base": "AuditedTask",
    }
    export = _task(r, "reports.export")
    assert (export.kind, export.registered_at.short if export.registered_at else "") == ("class", "proj/tasks/reports.py:16")
    assert dict(export.options) == {"name": "'reports.export'", "queue": "'exports'"}
    assert {t.app for t in r.tasks} == {"proj.worker.jobs"}
    # include=["proj.tasks.mail"] in Celery(); imports=(...) in proj.celeryconfig
    assert {t.function: t.loaded_by for t in r.tasks if t.function.startswith("proj.tasks.reports")} == {
        "proj.tasks.reports.Export.run": "imports", "proj.tasks.reports.nightly": "imports",
        "proj.tasks.reports.refresh": "imports",
    }
    assert _task(r, "proj.tasks.mail.ping").loaded_by == "include"


def test_basic_producers() -> None:
    r = _scan(FIXTURES / "celery_basic")
    assert _callers(_task(r, "billing.charge")) == [
        ("proj/producers.py:13", "delay", "proj.producers.checkout", {}),
        ("proj/producers.py:15", "s", "proj.producers.checkout", {}),  # inside chain(...)
        ("proj/producers.py:21", "send_task", "proj.producers.by_name", {"queue": "'payments'"}),
    ]
    assert _callers(_task(r, "billing.refund")) == [("proj/producers.py:15", "si", "proj.producers.checkout", {})]
    assert _callers(_task(r, "proj.tasks.mail.cleanup")) == [
        ("proj/producers.py:16", "s", "proj.producers.checkout", {}),
        ("proj/producers.py:16", "si", "proj.producers.checkout", {}),
        ("proj/producers.py:29", "delay", "proj.producers.Later.run", {}),  # inside a lambda
    ]
    assert _callers(_task(r, "proj.tasks.mail.ping")) == [
        ("proj/producers.py:14", "apply_async", "proj.producers.checkout", {"queue": "'urgent'", "countdown": "5"}),
        ("proj/producers.py:23", "signature", "proj.producers.by_name", {}),
    ]
    assert _callers(_task(r, "proj.tasks.reports.nightly")) == [
        ("proj/producers.py:24", "apply_async", "proj.producers.by_name", {}),  # jobs.tasks["..."].apply_async()
    ]
    assert _callers(_task(r, "reports.export")) == [("proj/producers.py:17", "delay", "proj.producers.checkout", {})]
    others = [(c.file, c.line, c.method, c.task, c.status, c.expr) for c in r.task_calls if not c.function]
    assert others == [
        ("proj/producers.py", 22, "send_task", "no.such.task", "resolved", "'no.such.task'"),
        ("proj/producers.py", 30, "delay", "", "unresolved", "task.delay"),
    ]


def test_basic_beat() -> None:
    r = _scan(FIXTURES / "celery_basic")
    assert _beat(r) == [
        # add_periodic_task without name=: Celery keys the entry by repr(signature)
        ("billing.refund(42)", "billing.refund", "crontab(minute=0)", "proj/worker.py:16", "add_periodic_task", ()),
        # only when constants.DEBUG (False in the fixture, so absent at runtime)
        ("debug-ping", "proj.tasks.mail.ping", "10.0", "proj/worker.py:32", "beat_schedule", ("constants.DEBUG",)),
        ("missing", "proj.tasks.reports.gone", "60", "proj/celeryconfig.py:12", "beat_schedule", ()),
        ("nightly-report", "proj.tasks.reports.nightly", "crontab(hour=2, minute=0)", "proj/worker.py:25",
         "beat_schedule", ()),
        ("ping every 5 min", "proj.tasks.mail.ping", "300.0", "proj/worker.py:15", "add_periodic_task", ()),
        ("refresh-every-5-min", "proj.tasks.reports.refresh", "timedelta(minutes=5)", "proj/celeryconfig.py:7",
         "beat_schedule", ()),
    ]
    by_entry = {b.entry: b for b in r.beat}
    assert dict(by_entry["nightly-report"].options) == {"options": "{'queue': 'low'}", "from": "app.conf"}
    assert dict(by_entry["refresh-every-5-min"].options) == {"args": "(1,)", "from": "config module"}
    assert by_entry["missing"].function == ""
    assert by_entry["ping every 5 min"].function == "proj.tasks.mail.ping"


def test_basic_findings() -> None:
    r = _scan(FIXTURES / "celery_basic")
    assert _findings(r, *TASK_RULES) == [
        ("unknown-task-name", "warning", "proj/celeryconfig.py:12",
         "beat entry 'missing' schedules task 'proj.tasks.reports.gone', which no scanned code defines"),
        ("unknown-task-name", "warning", "proj/producers.py:22", "send_task('no.such.task') names no task defined in the scanned code"),
        # info, not warning: ``task.delay()`` at producers.py:30 could start anything
        ("task-never-started", "info", "proj/tasks/mail.py:34",
         "task {os.environ['AUDIT_TASK_NAME']} (proj.tasks.mail.audit) is never started: no .delay()/.apply_async()/"
         "signature/send_task call and no beat entry found"),
        ("task-never-started", "info", "proj/tasks/mail.py:39",
         "task audit.{os.environ['AUDIT_SUFFIX']} (proj.tasks.mail.audit_async) is never started: no .delay()/"
         ".apply_async()/signature/send_task call and no beat entry found"),
        # AuditedTask (abstract, no run) is a base class and is not reported
        ("unregistered-task-class", "info", "proj/tasks/reports.py:19",
         "Task subclass proj.tasks.reports.Forgotten defines run() but is never registered (app.register_task); "
         "Celery >= 4 does not register Task classes automatically"),
    ]


# ------------------------------------------------------------------ celery_django
def test_django_layout_autodiscover_and_settings_namespace() -> None:
    r = _scan(FIXTURES / "celery_django")
    # the import root is apps/api (manage.py): names carry no "apps.api." prefix
    assert _tasks(r) == [
        ("authn.flush_metrics", "resolved", "plane.authn.tasks.flush_metrics", "apps/api/plane/authn/tasks.py:4", ""),
        ("plane.bgtasks.email.send_digest", "default", "plane.bgtasks.email.send_digest",
         "apps/api/plane/bgtasks/email.py:4", ""),
        # CELERY_TASK_ROUTES (namespace "CELERY" -> task_routes)
        ("plane.bgtasks.tasks.archive_stale_issues", "default", "plane.bgtasks.tasks.archive_stale_issues",
         "apps/api/plane/bgtasks/tasks.py:4", "bg"),
        ("plane.bgtasks.tasks.notify", "default", "plane.bgtasks.tasks.notify", "apps/api/plane/bgtasks/tasks.py:9",
         "urgent"),
    ]
    # autodiscover_tasks() over INSTALLED_APPS: <app>.tasks, with AppConfig.name for "plane.authn.apps.AuthnConfig"
    assert {t.function: t.loaded_by for t in r.tasks} == {
        "plane.authn.tasks.flush_metrics": "autodiscover",
        "plane.bgtasks.email.send_digest": "",
        "plane.bgtasks.tasks.archive_stale_issues": "autodiscover",
        "plane.bgtasks.tasks.notify": "autodiscover",
    }
    assert {t.app for t in r.tasks} == {"plane.celery.app"}
    assert _callers(_task(r, "plane.bgtasks.tasks.notify")) == [
        ("apps/api/plane/views.py:6", "delay", "plane.views.close_issue", {}),
    ]
    assert _callers(_task(r, "plane.bgtasks.email.send_digest")) == [
        ("apps/api/plane/views.py:7", "apply_async", "plane.views.close_issue", {"countdown": "60"}),
    ]


def test_django_beat_in_settings_with_condition_and_database_scheduler() -> None:
    r = _scan(FIXTURES / "celery_django")
    assert _beat(r) == [
        ("email-digest", "plane.bgtasks.email.send_digest", "timedelta(hours=6)", "apps/api/plane/settings.py:26",
         "beat_schedule", ()),
        ("flush-metrics", "plane.authn.tasks.flush_metrics", "60.0", "apps/api/plane/settings.py:32", "beat_schedule",
         ("OBSERVABILITY",)),
        ("stale-issues", "plane.bgtasks.tasks.archive_stale_issues", "crontab(hour=0, minute=0)",
         "apps/api/plane/settings.py:22", "beat_schedule", ()),
    ]
    assert _findings(r, *TASK_RULES) == [
        # info only: with a database scheduler the task may be scheduled at runtime
        ("task-never-started", "info", "apps/api/plane/authn/tasks.py:4",
         "task authn.flush_metrics (plane.authn.tasks.flush_metrics) is never started: no .delay()/.apply_async()/"
         "signature/send_task call and no beat entry found"),
        ("beat-database-scheduler", "info", "apps/api/plane/settings.py:20",
         "beat uses a database scheduler (django_celery_beat.schedulers:DatabaseScheduler): more periodic tasks may be "
         "defined at runtime"),
        # the task is registered as "authn.flush_metrics" (name=), not under its module path
        ("unknown-task-name", "warning", "apps/api/plane/settings.py:32",
         "beat entry 'flush-metrics' schedules task 'plane.authn.tasks.flush_metrics', which no scanned code defines"),
    ]
    assert ("celery", "beat uses a database scheduler: the schedule listed here may be incomplete") in r.notes


# ----------------------------------------------------------------- celery_factory
def test_factory_apps_and_ambiguous_shared_task() -> None:
    r = _scan(FIXTURES / "celery_factory")
    assert [(t.name, t.app, t.queue, t.loaded_by) for t in r.tasks] == [
        ("web.jobs.tasks.rebuild", "web.worker.app", "jobs", "autodiscover"),  # app = create_application()
        ("web.jobs.tasks.sync_all", "", "", "autodiscover"),  # shared_task with two apps: no single app
        ("web.send_mail", "web.app.celery", "", "app module"),  # celery = make_celery(flask_app)
    ]
    assert _findings(r, *TASK_RULES) == [
        ("ambiguous-shared-task", "info", "web/jobs/tasks.py:11",
         "shared task web.jobs.tasks.sync_all binds to whichever app is current; 2 apps exist (web.app.celery, "
         "web.worker.app)"),
    ]
    assert [(c.line, c.task) for c in r.task_calls] == [
        (6, "web.jobs.tasks.rebuild"), (7, "web.send_mail"), (8, "web.jobs.tasks.sync_all"),
    ]
    assert ("celery", "configuration the scan cannot read: flask_app.config.get('CELERY', {}) at web/factory.py:13") in r.notes


# ---------------------------------------------------------------- celery_wrappers
def test_wrappers_custom_naming_and_subclass_tasks() -> None:
    r = _scan(FIXTURES / "celery_wrappers")  # pyproject: task-decorators = ["corp.lib.background"]
    assert [(t.name, t.name_status, t.function, f"{t.file}:{t.line}", t.queue, t.kind) for t in r.tasks] == [
        ("bg.reindex", "resolved", "corp.jobs.tasks.reindex", "corp/jobs/tasks.py:33", "", "function"),
        ("corp.bundle", "resolved", "corp.classtasks.BundleTask.run", "corp/classtasks.py:17", "", "class"),
        # CorpCelery.gen_task_name strips ".tasks" from the module
        ("corp.jobs.purge", "default", "corp.jobs.tasks.purge", "corp/jobs/tasks.py:28", "", "function"),
        ("corp.jobs.sync", "default", "corp.jobs.tasks.sync", "corp/jobs/tasks.py:8", "", "function"),
        ("corp.other.audit", "default", "corp.other.audit", "corp/other.py:4", "", "function"),
        # instrumented_task("...") / instrumented_task(name=..., queue=...) forward to app.task(name=name, **kwargs)
        ("corp.tasks.cleanup", "resolved", "corp.jobs.tasks.cleanup", "corp/jobs/tasks.py:18", "", "function"),
        ("corp.tasks.send_digest", "resolved", "corp.jobs.tasks.send_digest", "corp/jobs/tasks.py:13", "digests",
         "function"),
        # one task per subclass, named from cls.__module__/cls.__name__ in AsyncView.__init_subclass__
        ("corp.views.BulkImportView.execute", "resolved", "corp.views.AsyncView.__init_subclass__.<locals>.execute",
         "corp/views.py:10", "", "function"),
        ("corp.views.ExportView.execute", "resolved", "corp.views.AsyncView.__init_subclass__.<locals>.execute",
         "corp/views.py:10", "", "function"),
        ("corp.views.ImportView.execute", "resolved", "corp.views.AsyncView.__init_subclass__.<locals>.execute",
         "corp/views.py:10", "", "function"),
        ("heartbeat", "resolved", "corp.jobs.tasks.heartbeat", "corp/jobs/tasks.py:23", "", "function"),
    ]
    assert {t.app for t in r.tasks} == {"corp.app.app"}
    assert dict(_task(r, "corp.tasks.send_digest").options) == {
        "name": "'corp.tasks.send_digest'", "queue": "'digests'", "decorator": "corp.instrumented.instrumented_task",
    }
    assert dict(_task(r, "bg.reindex").options) == {"name": "'bg.reindex'", "decorator": "corp.lib.background"}
    assert _callers(_task(r, "corp.views.ExportView.execute")) == [
        ("corp/views.py:29", "delay", "corp.views.start_export", {}),
    ]
    assert _callers(_task(r, "corp.bundle")) == [  # app.tasks[BUNDLE_TASK_NAME] with a module constant
        ("corp/classtasks.py:26", "apply_async", "corp.classtasks.process", {}),
    ]
    assert _task(r, "corp.bundle").registered_at.short == "corp/classtasks.py:22"  # type: ignore[union-attr]
    # CorpCelery.periodic_task writes conf.beat_schedule[task.name] with the run_every argument
    assert _beat(r) == [
        ("corp.jobs.purge", "corp.jobs.purge", "crontab(hour=4, minute=0)", "corp/jobs/tasks.py:28", "periodic_task", ()),
        ("heartbeat", "heartbeat", "crontab(minute='*/30')", "corp/jobs/tasks.py:23", "periodic_task", ()),
    ]
    assert ("celery", "task decorator corp.instrumented.instrumented_task (forwards to a Celery task decorator)") in r.notes


def test_wrappers_without_configured_decorator(tmp_path: Path) -> None:
    root = tmp_path / "w"
    shutil.copytree(FIXTURES / "celery_wrappers", root)
    (root / "pyproject.toml").write_text('[project]\nname = "w"\nversion = "0"\n', "utf-8")
    r = _scan(root)
    assert "bg.reindex" not in {t.name for t in r.tasks}  # ``background = registry.decorator(...)`` is opaque


# ---------------------------------------------------------------- celery_settings
def test_settings_class_old_names_and_overrides() -> None:
    r = _scan(FIXTURES / "celery_settings")
    assert [(t.name, t.function, t.queue, t.app, t.loaded_by) for t in r.tasks] == [
        # legacy: CELERY_ROUTES (old name) gives the queue; CELERY_IMPORTS the module
        ("legacy.jobs.resize", "legacy.jobs.resize", "images", "legacy.worker.app", "imports"),
        # defined, but not in CeleryConfig.imports: a worker only has it if something else imports the module
        ("load_chart_data_into_cache", "sset.tasks.async_queries.load_chart_data_into_cache", "",
         "sset.extensions.celery_app", ""),
        # config_from_object(self.config["CELERY_CONFIG"]) -> CELERY_CONFIG = CeleryConfig -> task_routes
        ("reports.execute", "sset.tasks.reports.execute", "reports", "sset.extensions.celery_app", "imports"),
        ("reports.scheduler", "sset.tasks.reports.scheduler", "reports", "sset.extensions.celery_app", "imports"),
    ]
    assert _beat(r) == [
        ("reports.scheduler", "reports.scheduler", "crontab(minute='*', hour='*')", "sset/config.py:11",
         "beat_schedule", ()),
        # celeryconfig_prod replaces CELERYBEAT_SCHEDULE after ``from legacy.celeryconfig import *``:
        # the base module's "resize-all" entry is not in effect (runtime agrees)
        ("resize-nightly", "legacy.jobs.resize", "86400", "legacy/celeryconfig_prod.py:6", "beat_schedule", ()),
    ]
    assert dict(r.beat[0].options) == {"from": "default config sset.config.CELERY_CONFIG"}
    assert _callers(_task(r, "reports.execute")) == [
        ("sset/tasks/reports.py:6", "apply_async", "sset.tasks.reports.scheduler", {"expires": "60"}),
    ]


# ------------------------------------------------------------------- inline cases
def test_gen_task_name_override_that_cannot_be_followed(tmp_path: Path) -> None:
    r = scan_files(tmp_path, {
        "svc/__init__.py": "",
        "svc/app.py": '''
            from celery import Celery

            REGISTRY = {}


            class Named(Celery):
                def gen_task_name(self, name, module):
                    return REGISTRY.get(name) or super().gen_task_name(name, module)


            app = Named("svc")


            @app.task
            def job():
                return 1
        ''',
    }, analyzers=("celery",))
    (t,) = r.tasks
    assert (t.name, t.name_status) == ("svc.app.job", "unresolved")
    assert [(u.expr, u.reason, u.location.short) for u in t.unresolved] == [
        ("svc.app.Named.gen_task_name", "custom task naming (gen_task_name override)", "svc/app.py:7"),
    ]


def test_conf_assignment_replaces_config_module_schedule(tmp_path: Path) -> None:
    r = scan_files(tmp_path, {
        "svc/__init__.py": "",
        "svc/celeryconfig.py": '''
            beat_schedule = {"old": {"task": "svc.app.job", "schedule": 5}}
        ''',
        "svc/app.py": '''
            from celery import Celery

            app = Celery("svc")
            app.config_from_object("svc.celeryconfig")
            app.conf["beat_schedule"] = {"new": {"task": "svc.app.job", "schedule": 10}}


            @app.task
            def job():
                return 1
        ''',
    }, analyzers=("celery",))
    assert _beat(r) == [("new", "svc.app.job", "10", "svc/app.py:5", "beat_schedule", ())]


def test_celery3_periodic_task_and_auto_registered_task_class(tmp_path: Path) -> None:
    r = scan_files(tmp_path, {
        "requirements.txt": "celery==3.1.26\n",
        "old/__init__.py": "",
        "old/app.py": '''
            from datetime import timedelta

            from celery import Celery, Task
            from celery.task import periodic_task

            app = Celery("old")


            @periodic_task(run_every=timedelta(hours=1), name="old.hourly")
            def hourly():
                return 1


            class Report(Task):
                def run(self):
                    return 2
        ''',
    }, analyzers=("celery",))
    assert [(t.name, t.kind, t.function) for t in r.tasks] == [
        ("old.app.Report", "class", "old.app.Report.run"),  # Celery 3 registers Task subclasses automatically
        ("old.hourly", "function", "old.app.hourly"),
    ]
    assert _beat(r) == [("old.hourly", "old.hourly", "timedelta(hours=1)", "old/app.py:9", "periodic_task", ())]


def test_self_attribute_producer_and_duplicate_names(tmp_path: Path) -> None:
    r = scan_files(tmp_path, {
        "svc/__init__.py": "",
        "svc/app.py": '''
            from celery import Celery

            app = Celery("svc")


            @app.task(name="dup")
            def first():
                return 1


            @app.task(name="dup")
            def second():
                return 2
        ''',
        "svc/manager.py": '''
            class Manager:
                def __init__(self):
                    self._job = None

                def init_app(self):
                    from svc.app import first

                    self._job = first

                def run(self):
                    self._job.delay()
        ''',
    }, analyzers=("celery",))
    assert [(c.file, c.line, c.function, c.caller) for c in r.task_calls] == [
        ("svc/manager.py", 11, "svc.app.first", "svc.manager.Manager.run"),
    ]
    assert _findings(r, "duplicate-task-name") == [
        ("duplicate-task-name", "warning", "svc/app.py:6",
         "task name 'dup' is registered by 2 functions: svc.app.first, svc.app.second; the last one imported wins"),
    ]


def test_class_based_django_settings(tmp_path: Path) -> None:
    """Read the Docs: settings are class attributes, turned into module globals by load_settings()."""
    r = scan_files(tmp_path, {
        "manage.py": '''
            import os
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_docs.settings.dev")
        ''',
        "site_docs/__init__.py": "",
        "site_docs/settings/__init__.py": "",
        "site_docs/settings/base.py": '''
            from celery.schedules import crontab


            class Settings:
                INSTALLED_APPS = ["site_docs.builds"]
                ROOT_URLCONF = "site_docs.urls"
                CELERY_BEAT_SCHEDULE = {
                    "archive": {"task": "site_docs.builds.tasks.archive", "schedule": crontab(minute=0, hour=1)},
                }

                @classmethod
                def load_settings(cls, module_name):
                    return None
        ''',
        "site_docs/settings/dev.py": '''
            from .base import Settings


            class DevSettings(Settings):
                DEBUG = True


            DevSettings.load_settings(__name__)
        ''',
        "site_docs/worker.py": '''
            from celery import Celery


            def create_application():
                application = Celery("site_docs")
                application.config_from_object("django.conf:settings", namespace="CELERY")
                return application


            app = create_application()
        ''',
        "site_docs/builds/__init__.py": "",
        "site_docs/builds/tasks.py": '''
            from site_docs.worker import app


            @app.task
            def archive():
                return None
        ''',
    }, analyzers=("celery",))
    assert _beat(r) == [
        ("archive", "site_docs.builds.tasks.archive", "crontab(minute=0, hour=1)", "site_docs/settings/base.py:8",
         "beat_schedule", ()),
    ]
    assert r.beat[0].function == "site_docs.builds.tasks.archive"
    assert _findings(r, "task-never-started", "unknown-task-name") == []


def test_schedule_built_by_a_function(tmp_path: Path) -> None:
    """Paperless-ngx: CELERY_BEAT_SCHEDULE = parse_beat_schedule(), entries with env-driven cron defaults."""
    r = scan_files(tmp_path, {
        "manage.py": '''
            import os
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paper.settings")
        ''',
        "paper/__init__.py": "",
        "paper/custom.py": '''
            import os


            def parse_beat_schedule():
                schedule = {}
                tasks = [
                    {
                        "name": "Train the classifier",
                        "env_key": "PAPER_TRAIN_CRON",
                        "env_default": "5 */1 * * *",
                        "task": "paper.tasks.train",
                        "options": {"expires": 59.0 * 60.0},
                    },
                ]
                for task in tasks:
                    value = os.getenv(task["env_key"], task["env_default"])
                    if value != "disable":
                        schedule[task["name"]] = {"task": task["task"], "schedule": value}
                return schedule
        ''',
        "paper/settings.py": '''
            from paper.custom import parse_beat_schedule

            INSTALLED_APPS = ["paper"]
            CELERY_BEAT_SCHEDULE = parse_beat_schedule()
        ''',
        "paper/tasks.py": '''
            from celery import shared_task


            @shared_task
            def train():
                return None
        ''',
    }, analyzers=("celery",))
    assert [(b.entry, b.task, b.schedule, f"{b.file}:{b.line}", b.status, dict(b.options)) for b in r.beat] == [
        ("Train the classifier", "paper.tasks.train", "5 */1 * * * (env PAPER_TRAIN_CRON)", "paper/custom.py:7",
         "partial", {"options": "{'expires': 59.0 * 60.0}", "from": "django settings", "built_by": "paper.custom.parse_beat_schedule"}),
    ]


def test_tasks_under_migrations_count_but_tests_do_not(tmp_path: Path) -> None:
    """Saleor keeps data-migration tasks in <app>/migrations/tasks/ (autodiscovered by related_name)."""
    r = scan_files(tmp_path, {
        "shop/__init__.py": "",
        "shop/celeryconf.py": '''
            from celery import Celery

            app = Celery("shop")
            app.autodiscover_tasks(["shop.order.migrations"], related_name="tasks")
        ''',
        "shop/order/__init__.py": "",
        "shop/order/migrations/__init__.py": "",
        "shop/order/migrations/0001_initial.py": "from django.db import migrations\n",
        "shop/order/migrations/tasks.py": '''
            from ...celeryconf import app


            @app.task
            def fill_totals():
                return None
        ''',
        "tests/test_tasks.py": '''
            from celery import shared_task


            @shared_task
            def fake():
                return None
        ''',
    }, analyzers=("celery",))
    assert [(t.name, t.loaded_by) for t in r.tasks] == [("shop.order.migrations.tasks.fill_totals", "autodiscover")]


def test_backend_folder_import_root_and_send_task_route(tmp_path: Path) -> None:
    """The old full-stack FastAPI template: code in backend/, a route calls send_task by name."""
    r = scan_files(tmp_path, {
        "frontend/package.json": "{}",
        "backend/pyproject.toml": '''
            [project]
            name = "app"
            version = "0"
            dependencies = ["celery", "fastapi"]
        ''',
        "backend/app/__init__.py": "",
        "backend/app/core/__init__.py": "",
        "backend/app/core/celery_app.py": '''
            from celery import Celery

            celery_app = Celery("worker", broker="amqp://guest@queue//")
            celery_app.conf.task_routes = {"app.worker.test_celery": "main-queue"}
        ''',
        "backend/app/worker.py": '''
            from app.core.celery_app import celery_app


            @celery_app.task(acks_late=True)
            def test_celery(word: str) -> str:
                return f"test task return {word}"
        ''',
        "backend/app/api/__init__.py": "",
        "backend/app/api/utils.py": '''
            from app.core.celery_app import celery_app


            def test_celery(msg):
                celery_app.send_task("app.worker.test_celery", args=[msg.msg])
        ''',
    }, analyzers=("celery",))
    assert _tasks(r) == [("app.worker.test_celery", "default", "app.worker.test_celery", "backend/app/worker.py:4",
                          "main-queue")]
    assert _callers(r.tasks[0]) == [("backend/app/api/utils.py:5", "send_task", "app.api.utils.test_celery", {})]


def test_no_celery_means_no_output(tmp_path: Path) -> None:
    r = scan_files(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/mod.py": '''
            import inspect

            def f(task):
                task.delay()
                return inspect.signature(f)
        ''',
    }, analyzers=("celery",))
    assert (r.tasks, r.task_calls, r.beat) == ((), (), ())


# -------------------------------------------------------------------- unit helpers
def test_setting_names() -> None:
    assert setting_key("CELERYBEAT_SCHEDULE", None, "module") == "beat_schedule"
    assert setting_key("CELERY_ROUTES", None, "module") == "task_routes"
    assert setting_key("CELERY_IMPORTS", None, "module") == "imports"
    assert setting_key("beat_schedule", None, "module") == "beat_schedule"
    assert setting_key("CELERY_BEAT_SCHEDULE", "CELERY", "django") == "beat_schedule"
    assert setting_key("CELERY_TASK_ROUTES", "CELERY", "django") == "task_routes"
    assert setting_key("CELERYBEAT_SCHEDULE", "CELERY", "django") == "beat_schedule"
    assert setting_key("CELERY_BEAT_SCHEDULE", None, "module") == ""  # not a setting without the namespace
    assert setting_key("DEBUG", "CELERY", "django") == ""


def test_route_matching() -> None:
    routes = [
        Route("shop.tasks.*", "glob", "bulk", "m", 1),
        Route("shop.tasks.mail", "name", "mail", "m", 2),
        Route(r"^audit\.", "regex", "audit", "m", 3),
    ]
    assert route_queue(routes, "shop.tasks.mail") == "mail"  # exact names first
    assert route_queue(routes, "shop.tasks.other") == "bulk"
    assert route_queue(routes, "audit.log") == "audit"
    assert route_queue(routes, "x") == ""


def test_gen_task_name_interpreter() -> None:
    import ast

    def fdef(src: str) -> ast.FunctionDef:
        node = ast.parse(src).body[0]
        assert isinstance(node, ast.FunctionDef)
        return node

    strip = fdef(
        "def gen_task_name(self, name, module):\n"
        "    if module.endswith('.tasks'):\n"
        "        module = module[:-6]\n"
        "    return super().gen_task_name(name, module)\n"
    )
    assert follow_gen_task_name(strip, "sync", "corp.jobs.tasks") == "corp.jobs.sync"
    assert follow_gen_task_name(strip, "sync", "corp.jobs") == "corp.jobs.sync"
    fstring = fdef("def gen_task_name(self, name, module):\n    return f'{module.split(\".\")[0]}:{name}'\n")
    assert follow_gen_task_name(fstring, "sync", "corp.jobs") == "corp:sync"
    opaque = fdef("def gen_task_name(self, name, module):\n    return lookup(name)\n")
    assert follow_gen_task_name(opaque, "sync", "corp.jobs") is None
    assert default_name("shop.tasks", "ping") == "shop.tasks.ping"
